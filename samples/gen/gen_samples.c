/* gen_samples.c — writes the sample survey files into a directory:
 *   hospital.xlsx  a fictional 350-bed hospital's workbook, laid out like the
 *                  programme's 別紙2-1 workbook, with every record rule exercised once
 *                  at a documented row (samples/README.md lists the expected findings);
 *   clinic-clean.xlsx  a small clinic with no finding at all (single header row);
 *   clinic.csv     a small clinic's records as Excel in Japan saves "CSV (コンマ区切り)":
 *                  CP932, CRLF, a quoted remark with a line break and a doubled quote;
 *   higashi.xlsx   a hospital with a PPPoE multi-session line (one フレッツ line, a YAMAHA
 *                  router on the Internet session, a FortiGate on the VPN session) and 調査日
 *                  typed in 和暦;
 *   higashi-vendor.csv  its maintenance vendor's CSV (UTF-8 with BOM) overlapping the
 *                  workbook: read together they are one survey (records.md "Several files").
 * Deterministic: fixed document dates, no clock or randomness. Every address is from a
 * documentation range (RFC 5737 / RFC 3849) except the deliberate error cases.
 * Usage: gen_samples OUTDIR */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

/* ---- the records sheet's columns ---------------------------------------------- */

enum col {
    C_LINE, C_EMR, C_SCAN, C_PURPOSE, C_SYSTEM, C_PARTY, C_HOLDER, C_CARRIER, C_SERVICE,
    C_COMM, C_GIP_USE, C_IPKIND, C_GIP, C_FQDN, C_PROV, C_PLAN, C_CTU,
    D1_TYPE, D1_HOST, D1_MGMT, D1_MAKER, D1_MODEL, D1_RENTAL, D1_FW, D1_LOC,
    D2_TYPE, D2_HOST, D2_MGMT, D2_MAKER, D2_MODEL, D2_RENTAL, D2_FW, D2_LOC,
    C_PWPOLICY, C_FEE, C_REMARKS, NCOL
};

/* Header texts as the real sheet writes them (line breaks inside cells included). */
static const char *const header[NCOL] = {
    [C_LINE] = "回線No",
    [C_EMR] = "電子カルテシステムの所属する\nネットワークとの接続",
    [C_SCAN] = "脆弱性診断\n(調査希望)",
    [C_PURPOSE] = "回線の用途", [C_SYSTEM] = "システム名", [C_PARTY] = "接続先",
    [C_HOLDER] = "回線契約者", [C_CARRIER] = "回線事業者", [C_SERVICE] = "回線サービス名",
    [C_COMM] = "通信形態", [C_GIP_USE] = "グローバルIP利用", [C_IPKIND] = "固定IP/動的IP",
    [C_GIP] = "グローバルIPアドレス", [C_FQDN] = "FQDN", [C_PROV] = "プロバイダ名",
    [C_PLAN] = "プロバイダ品目", [C_CTU] = "回線終端装置\n設置場所",
    [C_PWPOLICY] = "パスワードポリシー", [C_FEE] = "月額費用", [C_REMARKS] = "備考",
};
static const char *const dev_field[8] = {
    "装置の種類", "ホスト名", "管理IPアドレス", "メーカー", "機種名", "レンタル装置",
    "ファームウェアバージョン", "設置場所",
};

struct rec { const char *v[NCOL]; };

#define FW_OK12 "装置①実機確認実施、装置②実機確認実施"
#define FW_OK1 "装置①実機確認実施"

/* Rows 7.. of 回線・機器情報記入シート. The comment on each row names the findings it
 * must produce (samples/README.md has the same table). */
static const struct rec hospital[] = {
    /* row 7, line 1: Internet; RTX1210 Rev.14.01.33 -> H-VULN-FIRMWARE (CVE-2020-5548) */
    {{ [C_LINE] = "1", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "インターネット接続",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "OCN", [C_HOLDER] = "病院", [C_CARRIER] = "NTT東日本",
       [C_SERVICE] = "フレッツ光クロス", [C_COMM] = "インターネット", [C_GIP_USE] = "あり",
       [C_IPKIND] = "固定IP", [C_GIP] = "203.0.113.10", [C_FQDN] = "mch-gw.example.jp",
       [C_PROV] = "OCN", [C_PLAN] = "OCN光 固定IP1", [C_CTU] = "本館1F 通信機械室 ラック1 U42",
       [D1_TYPE] = "ルーター", [D1_HOST] = "mch-rt01", [D1_MGMT] = "192.168.10.1", [D1_MAKER] = "ヤマハ",
       [D1_MODEL] = "RTX1210", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.14.01.33",
       [D1_LOC] = "本館1F 通信機械室 ラック1 U40", [D2_TYPE] = "ファイアウォール/UTM",
       [D2_HOST] = "mch-utm01", [D2_MGMT] = "192.168.10.254", [D2_MAKER] = "Fortinet",
       [D2_MODEL] = "FortiGate-100F", [D2_RENTAL] = "はい", [D2_FW] = "v7.4.4,build2662 (GA)",
       [D2_LOC] = "本館1F 通信機械室 ラック1 U38", [C_PWPOLICY] = "12文字以上・90日ごとに変更（初期値 P@ssw0rd-SAMPLE は変更済）",
       [C_FEE] = "¥16,500", [C_REMARKS] = FW_OK12 }},
    /* row 8, line 1: Internet VPN written with a space and full-width letters/digits */
    {{ [C_LINE] = "1", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "電子カルテ保守（ミナトヘルスケアソリューションズ）",
       [C_HOLDER] = "病院", [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光クロス",
       [C_COMM] = "インターネット ＶＰＮ", [C_GIP_USE] = "あり", [C_IPKIND] = "固定ＩＰ",
       [C_GIP] = "２０３．０．１１３．１０", [C_CTU] = "本館1F 通信機械室 ラック1 U42",
       [D1_TYPE] = "ルーター", [D1_HOST] = "mch-rt01", [D1_MGMT] = "192.168.10.1", [D1_MAKER] = "ヤマハ",
       [D1_MODEL] = "RTX1210", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.14.01.33",
       [D1_LOC] = "本館1F 通信機械室 ラック1 U40", [D2_TYPE] = "ファイアウォール/UTM",
       [D2_HOST] = "mch-utm01", [D2_MGMT] = "192.168.10.254", [D2_MAKER] = "Fortinet",
       [D2_MODEL] = "FortiGate-100F", [D2_RENTAL] = "はい", [D2_FW] = "v7.4.4,build2662 (GA)",
       [D2_LOC] = "本館1F 通信機械室 ラック1 U38", [C_REMARKS] = "IPsec（IKEv2）で保守拠点と接続" }},
    /* row 9, line 2: FQDN without プロバイダ品目 -> W-PROVIDER-MISSING; the same UTM
       (mch-utm01) sits behind this line too */
    {{ [C_LINE] = "2", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "クラウドサービス",
       [C_SYSTEM] = "医事会計", [C_PARTY] = "IIJ", [C_HOLDER] = "病院", [C_CARRIER] = "ＮＴＴ東日本",
       [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネット", [C_GIP_USE] = "あり",
       [C_IPKIND] = "固定IP", [C_GIP] = "198.51.100.20", [C_FQDN] = "mch-net2.example.jp",
       [C_PROV] = "IIJ", [C_CTU] = "本館1F 通信機械室 ラック2 U42",
       [D1_TYPE] = "ルーター", [D1_HOST] = "mch-rt02", [D1_MGMT] = "192.168.20.1", [D1_MAKER] = "YAMAHA",
       [D1_MODEL] = "RTX830", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31",
       [D1_LOC] = "本館1F 通信機械室 ラック2 U40", [D2_TYPE] = "ファイアウォール/UTM",
       [D2_HOST] = "mch-utm01", [D2_MGMT] = "192.168.10.254", [D2_MAKER] = "Fortinet",
       [D2_MODEL] = "FortiGate-100F", [D2_RENTAL] = "はい", [D2_FW] = "v7.4.4,build2662 (GA)",
       [D2_LOC] = "本館1F 通信機械室 ラック1 U38", [C_FEE] = "¥7,700", [C_REMARKS] = FW_OK1 }},
    /* row 10, line 2: FQDN with an underscore -> W-FQDN-SYNTAX */
    {{ [C_LINE] = "2", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "拠点間接続",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "みなと中央病院 附属クリニック", [C_HOLDER] = "病院",
       [C_CARRIER] = "ＮＴＴ東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "198.51.100.20",
       [C_FQDN] = "minato_vpn.example.jp", [C_PROV] = "IIJ", [C_PLAN] = "IIJ固定IPサービス",
       [C_CTU] = "本館1F 通信機械室 ラック2 U42",
       [D1_TYPE] = "ルーター", [D1_HOST] = "mch-rt02", [D1_MGMT] = "192.168.20.1", [D1_MAKER] = "YAMAHA",
       [D1_MODEL] = "RTX830", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31",
       [D1_LOC] = "本館1F 通信機械室 ラック2 U40", [D2_TYPE] = "ファイアウォール/UTM",
       [D2_HOST] = "mch-utm01", [D2_MGMT] = "192.168.10.254", [D2_MAKER] = "Fortinet",
       [D2_MODEL] = "FortiGate-100F", [D2_RENTAL] = "はい", [D2_FW] = "v7.4.4,build2662 (GA)",
       [D2_LOC] = "本館1F 通信機械室 ラック1 U38" }},
    /* row 11, line 3: PACS vendor's own line; FortiGate-60F FortiOS 6.0.4 ->
       H-VULN-FIRMWARE + W-FIRMWARE-UNVERIFIED; dynamic IP with a scan -> W-DYNAMIC-IP */
    {{ [C_LINE] = "3", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "PACS", [C_PARTY] = "メディカルシステムサービス株式会社",
       [C_HOLDER] = "メディカルシステムサービス株式会社", [C_CARRIER] = "NTT東日本",
       [C_SERVICE] = "フレッツ光ネクスト マンションタイプ", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "動的IP", [C_PROV] = "So-net",
       [C_PLAN] = "So-net 光 minico", [C_CTU] = "本館B1F 放射線科 サーバー室 ラックP1",
       [D1_TYPE] = "ファイアウォール/UTM", [D1_HOST] = "pacs-fg01", [D1_MGMT] = "172.16.50.1",
       [D1_MAKER] = "", [D1_MODEL] = "FortiGate-60F", [D1_RENTAL] = "はい", [D1_FW] = "FortiOS 6.0.4",
       [D1_LOC] = "本館B1F 放射線科 サーバー室 ラックP1 U10", [C_FEE] = "業者負担",
       [C_REMARKS] = "PACS画像サーバの保守用。ファームウェアは保守業者の台帳による" }},
    /* row 12, line 4: regional network over フレッツ・VPN ワイド (closed) — clean */
    {{ [C_LINE] = "4", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "地域医療連携",
       [C_SYSTEM] = "地域医療連携システム", [C_PARTY] = "みなと地域医療ネット", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ・VPN ワイド", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_CTU] = "本館1F 通信機械室 ラック2 U36",
       [D1_TYPE] = "ルーター", [D1_HOST] = "renkei-rt01", [D1_MGMT] = "192.168.30.1",
       [D1_MAKER] = "ヤマハ株式会社", [D1_MODEL] = "NVR510", [D1_RENTAL] = "いいえ",
       [D1_FW] = "Rev.15.01.24", [D1_LOC] = "本館1F 通信機械室 ラック2 U34", [C_FEE] = "¥4,950",
       [C_REMARKS] = FW_OK1 }},
    /* row 13, line 5: online eligibility (closed IP-VPN) with greyed-out columns
       filled -> W-NOT-NEEDED */
    {{ [C_LINE] = "5", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "オンライン資格確認",
       [C_SYSTEM] = "医事会計", [C_PARTY] = "オンライン資格確認等システム", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光クロス（IP-VPN接続）", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_IPKIND] = "固定IP", [C_GIP] = "203.0.113.50",
       [C_CTU] = "本館1F 医事課 事務室 壁面ラック",
       [D1_TYPE] = "ルーター", [D1_HOST] = "oqs-rt01", [D1_MGMT] = "192.168.40.1", [D1_MAKER] = "NEC",
       [D1_MODEL] = "UNIVERGE IX2215", [D1_RENTAL] = "はい", [D1_FW] = "10.8.21",
       [D1_LOC] = "本館1F 医事課 事務室 壁面ラック", [C_REMARKS] = FW_OK1 }},
    /* row 14, line 6: data centre over KDDI Wide Area Virtual Switch (closed) — clean */
    {{ [C_LINE] = "6", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "データセンター接続",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "みなとデータセンター", [C_HOLDER] = "病院",
       [C_CARRIER] = "KDDI", [C_SERVICE] = "KDDI Wide Area Virtual Switch", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_CTU] = "本館1F 通信機械室 ラック3 U42",
       [D1_TYPE] = "ルーター", [D1_HOST] = "dc-rt01", [D1_MGMT] = "192.168.50.1", [D1_MAKER] = "シスコ",
       [D1_MODEL] = "ISR4331", [D1_RENTAL] = "はい", [D1_FW] = "17.9.4a",
       [D1_LOC] = "本館1F 通信機械室 ラック3 U38", [C_FEE] = "¥88,000", [C_REMARKS] = FW_OK1 }},
    /* row 15, line 7: the self-pay machine vendor's mobile line, no global IP ->
       W-GLOBAL-IP-EXPECTED */
    {{ [C_LINE] = "7", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "自動精算機", [C_PARTY] = "ミナト精算システム株式会社",
       [C_HOLDER] = "ミナト精算システム株式会社", [C_CARRIER] = "NTTドコモ",
       [C_SERVICE] = "モバイル回線（LTE）", [C_COMM] = "インターネットVPN", [C_GIP_USE] = "なし",
       [C_CTU] = "本館1F 会計窓口 自動精算機内",
       [D1_TYPE] = "ルーター", [D1_HOST] = "seisan-rt01", [D1_MAKER] = "センチュリー・システムズ",
       [D1_MODEL] = "FutureNet NXR-G110", [D1_RENTAL] = "はい", [D1_FW] = "V21.2.5",
       [D1_LOC] = "本館1F 会計窓口 自動精算機内", [C_FEE] = "業者負担", [C_REMARKS] = FW_OK1 }},
    /* row 16, line 8: MRI maintenance over an analogue phone line — clean */
    {{ [C_LINE] = "8", [C_EMR] = "なし", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "医療機器", [C_PARTY] = "メディカルイメージング保守センター", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "加入電話（アナログ）", [C_COMM] = "電話回線のみ",
       [C_GIP_USE] = "なし", [C_CTU] = "本館B1F MRI操作室",
       [D1_TYPE] = "モデム", [D1_MAKER] = "メディカルイメージング", [D1_MODEL] = "MI-MODEM56",
       [D1_RENTAL] = "はい", [D1_LOC] = "本館B1F MRI操作室" }},
    /* rows 17-18, line 9: one fibre, two forms; the rows disagree on 回線事業者
       (not merged) -> E-LINE-CONFLICT at row 18 */
    {{ [C_LINE] = "9", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "インターネット接続",
       [C_SYSTEM] = "訪問看護", [C_PARTY] = "BIGLOBE", [C_HOLDER] = "病院", [C_CARRIER] = "NTT東日本",
       [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネット", [C_GIP_USE] = "あり",
       [C_IPKIND] = "固定IP", [C_GIP] = "203.0.113.70", [C_CTU] = "南館2F 訪問看護ステーション",
       [D1_TYPE] = "ルーター", [D1_HOST] = "houkan-rt01", [D1_MGMT] = "192.168.60.1", [D1_MAKER] = "ヤマハ",
       [D1_MODEL] = "RTX830", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31",
       [D1_LOC] = "南館2F 訪問看護ステーション 書庫", [C_REMARKS] = FW_OK1 }},
    {{ [C_LINE] = "9", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "拠点間接続",
       [C_SYSTEM] = "訪問看護", [C_PARTY] = "訪問看護ステーション みなと東", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT西日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "203.0.113.70",
       [C_CTU] = "南館2F 訪問看護ステーション",
       [D1_TYPE] = "ルーター", [D1_HOST] = "houkan-rt01", [D1_MGMT] = "192.168.60.1", [D1_MAKER] = "ヤマハ",
       [D1_MODEL] = "RTX830", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31",
       [D1_LOC] = "南館2F 訪問看護ステーション 書庫" }},
    /* row 19, line 10: a private address as the global IP -> E-IP-NOT-GLOBAL */
    {{ [C_LINE] = "10", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "クラウドサービス",
       [C_SYSTEM] = "健診", [C_PARTY] = "健診クラウド（ミナト健診システム）", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネット",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "192.168.1.1",
       [C_CTU] = "健診センター2F 事務室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "kenshin-rt01", [D1_MAKER] = "NEC",
       [D1_MODEL] = "UNIVERGE IX2215", [D1_RENTAL] = "いいえ", [D1_FW] = "10.8.21",
       [D1_LOC] = "健診センター2F 事務室", [C_REMARKS] = FW_OK1 }},
    /* row 20, line 11: a CGNAT address (100.64/10) -> E-IP-NOT-GLOBAL; router firmware
       blank and not confirmed -> W-FIRMWARE-UNVERIFIED */
    {{ [C_LINE] = "11", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "検査", [C_PARTY] = "検査システム保守（ラボテックサービス）", [C_HOLDER] = "病院",
       [C_CARRIER] = "KDDI", [C_SERVICE] = "au モバイル回線", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "100.64.1.1",
       [C_CTU] = "本館2F 検査科",
       [D1_TYPE] = "ルーター", [D1_HOST] = "kensa-rt01", [D1_MAKER] = "NEC",
       [D1_MODEL] = "UNIVERGE IX2106", [D1_RENTAL] = "はい", [D1_LOC] = "本館2F 検査科 分析装置横" }},
    /* row 21, line 12: not an address -> E-IP-SYNTAX */
    {{ [C_LINE] = "12", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "薬剤", [C_PARTY] = "薬剤部門システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "203.0.113.256",
       [C_CTU] = "本館3F 薬剤部",
       [D1_TYPE] = "ルーター", [D1_HOST] = "yakuzai-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "RTX1220",
       [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.17.00.16", [D1_LOC] = "本館3F 薬剤部 DI室",
       [C_REMARKS] = FW_OK1 }},
    /* row 22, line 13: fixed IP with no address -> E-FIXED-IP-MISSING */
    {{ [C_LINE] = "13", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "給食", [C_PARTY] = "給食システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_CTU] = "本館B1F 栄養科",
       [D1_TYPE] = "ルーター", [D1_HOST] = "kyushoku-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "RTX830",
       [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31", [D1_LOC] = "本館B1F 栄養科 事務室",
       [C_REMARKS] = FW_OK1 }},
    /* row 23, line 14: global IP but neither fixed nor dynamic -> E-IP-KIND-MISSING */
    {{ [C_LINE] = "14", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "リハビリ", [C_PARTY] = "リハビリ部門システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_GIP] = "198.51.100.80", [C_CTU] = "南館1F リハビリ室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "rehab-rt01", [D1_MAKER] = "NEC", [D1_MODEL] = "UNIVERGE IX2215",
       [D1_RENTAL] = "いいえ", [D1_FW] = "10.8.21", [D1_LOC] = "南館1F リハビリ室 倉庫",
       [C_REMARKS] = FW_OK1 }},
    /* row 24, line 15: 通信形態 blank -> E-COMM-TYPE */
    {{ [C_LINE] = "15", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "内視鏡", [C_PARTY] = "内視鏡システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_CTU] = "本館2F 内視鏡室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "naishi-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "RTX830",
       [D1_RENTAL] = "はい", [D1_FW] = "Rev.15.02.31", [D1_LOC] = "本館2F 内視鏡室 機械棚",
       [C_REMARKS] = FW_OK1 }},
    /* row 25, line 16: 通信形態 not one of the four -> E-COMM-TYPE */
    {{ [C_LINE] = "16", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "透析", [C_PARTY] = "透析システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "VPN接続",
       [C_CTU] = "南館3F 透析室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "touseki-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "RTX830",
       [D1_RENTAL] = "はい", [D1_FW] = "Rev.15.02.31", [D1_LOC] = "南館3F 透析室 スタッフステーション",
       [C_REMARKS] = FW_OK1 }},
    /* row 26, line 17: 装置② is an ONU -> E-DEV2-TYPE */
    {{ [C_LINE] = "17", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "部門システム", [C_PARTY] = "手術部門システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光クロス", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "198.51.100.90",
       [C_CTU] = "本館4F 手術部 器材室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "ope-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "RTX1210",
       [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.14.01.42", [D1_LOC] = "本館4F 手術部 器材室",
       [D2_TYPE] = "ONU", [D2_MAKER] = "NTT東日本", [D2_MODEL] = "XG-100NE", [D2_RENTAL] = "はい",
       [D2_LOC] = "本館4F 手術部 器材室", [C_REMARKS] = FW_OK1 }},
    /* row 27, line 18: EMR link blank, explained in 備考 -> W-EMR-UNKNOWN */
    {{ [C_LINE] = "18", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "生理検査", [C_PARTY] = "生理検査システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ・VPN ワイド", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_CTU] = "本館2F 生理検査室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "seiri-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "NVR510",
       [D1_RENTAL] = "はい", [D1_FW] = "Rev.15.01.24", [D1_LOC] = "本館2F 生理検査室",
       [C_REMARKS] = "電子カルテシステムの所属ネットワークとの接続は不明（保守業者に確認中）。" FW_OK1 }},
    /* row 28, line 19: EMR link blank, no explanation -> W-EMR-UNKNOWN */
    {{ [C_LINE] = "19", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "放射線治療", [C_PARTY] = "放射線治療システム保守", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ・VPN ワイド", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_CTU] = "本館B1F 放射線治療室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "rt-rt01", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "NVR510",
       [D1_RENTAL] = "はい", [D1_FW] = "Rev.15.01.24", [D1_LOC] = "本館B1F 放射線治療 制御室",
       [C_REMARKS] = FW_OK1 }},
    /* row 29, line 20: patients' Wi-Fi, not connected to the EMR, dynamic IP without a
       scan request — clean */
    {{ [C_LINE] = "20", [C_EMR] = "なし", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "インターネット接続",
       [C_SYSTEM] = "患者用Wi-Fi", [C_PARTY] = "OCN", [C_HOLDER] = "病院", [C_CARRIER] = "NTT東日本",
       [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネット", [C_GIP_USE] = "あり",
       [C_IPKIND] = "動的IP", [C_PROV] = "OCN", [C_PLAN] = "OCN光", [C_CTU] = "本館1F 総合案内 裏",
       [D1_TYPE] = "ホームゲートウェイ", [D1_MAKER] = "NTT東日本", [D1_MODEL] = "PR-600MI",
       [D1_RENTAL] = "はい", [D1_LOC] = "本館1F 総合案内 裏", [C_FEE] = "¥5,720" }},
};
#define N_HOSPITAL (sizeof hospital / sizeof hospital[0])

/* clinic-clean.xlsx: a small clinic whose workbook produces no finding at all, with a
   single header row ("装置①_メーカー" style) instead of the grouped one. */
static const struct rec clean[] = {
    {{ [C_LINE] = "1", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "インターネット接続",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "OCN", [C_HOLDER] = "クリニック", [C_CARRIER] = "NTT東日本",
       [C_SERVICE] = "フレッツ光クロス", [C_COMM] = "インターネット", [C_GIP_USE] = "あり",
       [C_IPKIND] = "固定IP", [C_GIP] = "192.0.2.20", [C_FQDN] = "aoba-eye.example.jp",
       [C_PROV] = "OCN", [C_PLAN] = "OCN光 固定IP1", [C_CTU] = "1F 事務室 壁面ラック",
       [D1_TYPE] = "ルーター", [D1_HOST] = "aoba-rt01", [D1_MGMT] = "192.168.1.1", [D1_MAKER] = "YAMAHA",
       [D1_MODEL] = "RTX830", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31",
       [D1_LOC] = "1F 事務室 壁面ラック", [D2_TYPE] = "ファイアウォール/UTM", [D2_HOST] = "aoba-utm01",
       [D2_MGMT] = "192.168.1.254", [D2_MAKER] = "Fortinet", [D2_MODEL] = "FortiGate-40F",
       [D2_RENTAL] = "はい", [D2_FW] = "FortiOS 7.2.8", [D2_LOC] = "1F 事務室 壁面ラック",
       [C_REMARKS] = FW_OK12 }},
    {{ [C_LINE] = "1", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "あおばメディカルソフト株式会社", [C_HOLDER] = "クリニック",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ光クロス", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "192.0.2.20", [C_CTU] = "1F 事務室 壁面ラック",
       [D1_TYPE] = "ルーター", [D1_HOST] = "aoba-rt01", [D1_MGMT] = "192.168.1.1", [D1_MAKER] = "YAMAHA",
       [D1_MODEL] = "RTX830", [D1_RENTAL] = "いいえ", [D1_FW] = "Rev.15.02.31",
       [D1_LOC] = "1F 事務室 壁面ラック", [D2_TYPE] = "ファイアウォール/UTM", [D2_HOST] = "aoba-utm01",
       [D2_MGMT] = "192.168.1.254", [D2_MAKER] = "Fortinet", [D2_MODEL] = "FortiGate-40F",
       [D2_RENTAL] = "はい", [D2_FW] = "FortiOS 7.2.8", [D2_LOC] = "1F 事務室 壁面ラック",
       [C_REMARKS] = FW_OK12 }},
    {{ [C_LINE] = "2", [C_EMR] = "あり", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "オンライン資格確認",
       [C_SYSTEM] = "医事会計", [C_PARTY] = "オンライン資格確認等システム", [C_HOLDER] = "クリニック",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "フレッツ・VPN ワイド", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_CTU] = "1F 受付 カウンター下",
       [D1_TYPE] = "ルーター", [D1_HOST] = "aoba-oqs", [D1_MAKER] = "YAMAHA", [D1_MODEL] = "NVR510",
       [D1_RENTAL] = "はい", [D1_FW] = "Rev.15.01.24", [D1_LOC] = "1F 受付 カウンター下",
       [C_REMARKS] = FW_OK1 }},
    {{ [C_LINE] = "3", [C_EMR] = "なし", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "医療機器", [C_PARTY] = "眼科機器保守センター", [C_HOLDER] = "クリニック",
       [C_CARRIER] = "NTT東日本", [C_SERVICE] = "加入電話（アナログ）", [C_COMM] = "電話回線のみ",
       [C_GIP_USE] = "なし", [C_CTU] = "2F 検査室",
       [D1_TYPE] = "モデム", [D1_MAKER] = "メディカルイメージング", [D1_MODEL] = "MI-MODEM56",
       [D1_RENTAL] = "はい", [D1_LOC] = "2F 検査室" }},
};
#define N_CLEAN (sizeof clean / sizeof clean[0])

/* higashi.xlsx: line 1 is one フレッツ line carrying two PPPoE sessions, each with its
   own router behind the one ONU (records.md "One row = one line"). Rows 7-9. */
static const struct rec higashi[] = {
    /* row 7: Internet session; YAMAHA RTX1210 Rev.14.01.38 (fixed) — clean */
    {{ [C_LINE] = "1", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "インターネット接続",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "BIGLOBE", [C_HOLDER] = "病院", [C_CARRIER] = "NTT西日本",
       [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネット", [C_GIP_USE] = "あり",
       [C_IPKIND] = "固定IP", [C_GIP] = "198.51.100.20", [C_CTU] = "本館1F 電算室",
       [D1_TYPE] = "ONU", [D1_MAKER] = "NTT西日本", [D1_MODEL] = "GE-PON-ONU", [D1_RENTAL] = "はい",
       [D1_LOC] = "本館1F 電算室", [D2_TYPE] = "ルーター", [D2_HOST] = "hg-rt01", [D2_MGMT] = "192.168.20.1",
       [D2_MAKER] = "ヤマハ", [D2_MODEL] = "RTX1210", [D2_RENTAL] = "いいえ", [D2_FW] = "Rev.14.01.38",
       [D2_LOC] = "本館1F 電算室 ラック1", [C_REMARKS] = "装置②実機確認実施" }},
    /* row 8: VPN session on the same line; FortiGate-60E FortiOS 6.0.4 -> H-VULN-FIRMWARE
       (four SSL-VPN CVEs) */
    {{ [C_LINE] = "1", [C_EMR] = "あり", [C_SCAN] = "調査希望あり", [C_PURPOSE] = "リモート保守",
       [C_SYSTEM] = "電子カルテ", [C_PARTY] = "ひがしシステムサービス（保守）", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT西日本", [C_SERVICE] = "フレッツ光ネクスト", [C_COMM] = "インターネットVPN",
       [C_GIP_USE] = "あり", [C_IPKIND] = "固定IP", [C_GIP] = "198.51.100.21", [C_CTU] = "本館1F 電算室",
       [D1_TYPE] = "ONU", [D1_MAKER] = "NTT西日本", [D1_MODEL] = "GE-PON-ONU", [D1_RENTAL] = "はい",
       [D1_LOC] = "本館1F 電算室", [D2_TYPE] = "ファイアウォール/UTM", [D2_HOST] = "hg-fg01",
       [D2_MGMT] = "192.168.20.254", [D2_MAKER] = "Fortinet", [D2_MODEL] = "FortiGate-60E",
       [D2_RENTAL] = "いいえ", [D2_FW] = "FortiOS 6.0.4", [D2_LOC] = "本館1F 電算室 ラック1",
       [C_REMARKS] = "PPPoEマルチセッション（2セッション目）\n装置②実機確認実施" }},
    /* row 9: regional network (closed); NEC IX2215 — clean */
    {{ [C_LINE] = "2", [C_EMR] = "なし", [C_SCAN] = "調査希望なし", [C_PURPOSE] = "地域医療連携",
       [C_SYSTEM] = "地域連携", [C_PARTY] = "ひがし地域医療ネット", [C_HOLDER] = "病院",
       [C_CARRIER] = "NTT西日本", [C_SERVICE] = "フレッツ・VPN プライオ", [C_COMM] = "閉域網",
       [C_GIP_USE] = "なし", [C_CTU] = "本館2F 地域連携室",
       [D1_TYPE] = "ルーター", [D1_HOST] = "hg-ix01", [D1_MGMT] = "192.168.30.1", [D1_MAKER] = "NEC",
       [D1_MODEL] = "UNIVERGE IX2215", [D1_RENTAL] = "はい", [D1_FW] = "10.6.21",
       [D1_LOC] = "本館2F 地域連携室", [C_REMARKS] = "装置①実機確認実施" }},
};
#define N_HIGASHI (sizeof higashi / sizeof higashi[0])

/* One workbook's content. */
struct book {
    const char *file, *site, *title;
    const struct rec *rows; size_t n_rows;
    int grouped;                      /* two-row header with 装置①/② groups, else one row */
    const char *(*kv)[2]; size_t n_kv;
    const char *(*terms)[8]; size_t n_terms;
    int passwords;                    /* add the password-list sheet */
};

/* Columns merged down the rows of one 回線No when their values agree. */
static const enum col merge_cols[] = { C_LINE, C_CARRIER, C_SERVICE, C_CTU };

static void die(const char *what, lxw_error e)
{
    fprintf(stderr, "gen_samples: %s: %s\n", what, lxw_strerror(e));
    exit(1);
}
#define CHECK(call) do { lxw_error e_ = (call); if (e_ != LXW_NO_ERROR) die(#call, e_); } while (0)

static int is_merge_col(int c)
{
    for (size_t i = 0; i < sizeof merge_cols / sizeof merge_cols[0]; i++)
        if ((int)merge_cols[i] == c) return 1;
    return 0;
}

static const char *val(const struct rec *r, int c) { return r->v[c] ? r->v[c] : ""; }

/* Writes one cell: 回線No as a number (as the real sheets hold it), the rest as text. */
static void put(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int c, const char *s, lxw_format *f)
{
    if (!*s) { CHECK(worksheet_write_blank(ws, row, col, f)); return; }
    if (c == C_LINE) {
        char *end;
        double d = strtod(s, &end);
        if (*end == '\0') { CHECK(worksheet_write_number(ws, row, col, d, f)); return; }
    }
    CHECK(worksheet_write_string(ws, row, col, s, f));
}

static void records_sheet(lxw_workbook *wb, const struct book *bk)
{
    const struct rec *const rows = bk->rows;
    const size_t n_rows = bk->n_rows;
    /* 1-based first data row: rows 5-6 hold a grouped header, row 5 a single one */
    const size_t first_data_row = bk->grouped ? 7 : 6;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "回線・機器情報記入シート");
    if (!ws) die("add worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED);
    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    lxw_format *note = workbook_add_format(wb);
    format_set_font_color(note, LXW_COLOR_RED);
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_text_wrap(hdr);
    format_set_align(hdr, LXW_ALIGN_CENTER);
    format_set_align(hdr, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_border(hdr, LXW_BORDER_THIN);
    lxw_format *grp = workbook_add_format(wb);
    format_set_bold(grp);
    format_set_align(grp, LXW_ALIGN_CENTER);
    format_set_bg_color(grp, 0xFCE4D6);
    format_set_border(grp, LXW_BORDER_THIN);
    lxw_format *cell = workbook_add_format(wb);
    format_set_border(cell, LXW_BORDER_THIN);
    format_set_text_wrap(cell);
    format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);

    CHECK(worksheet_write_string(ws, 0, 0, "回線・機器情報記入シート", title));
    char site_line[256];
    snprintf(site_line, sizeof site_line, "医療機関名：%s", bk->site);
    CHECK(worksheet_write_string(ws, 1, 0, site_line, NULL));
    CHECK(worksheet_write_string(ws, 2, 0,
          "※1回線で複数の通信形態がある場合は、通信形態ごとに行を分けてご記入ください。"
          "「閉域網」「電話回線のみ」を選択した場合、グレーアウトの欄への記入は不要です。", note));
    CHECK(worksheet_write_string(ws, 3, 0,
          "※ファームウェアバージョンを実機で確認できた場合は、備考欄に「装置①実機確認実施」「装置②実機確認実施」とご記入ください。", note));

    /* two-row header on rows 5-6 (0-based 4-5), or one row 5 with prefixed device fields */
    const lxw_row_t h1 = 4, h2 = bk->grouped ? 5 : 4;
    for (int c = 0; c < NCOL; c++) {
        if (c >= D1_TYPE && c <= D2_LOC) continue;
        if (bk->grouped) CHECK(worksheet_merge_range(ws, h1, (lxw_col_t)c, h2, (lxw_col_t)c, header[c], hdr));
        else CHECK(worksheet_write_string(ws, h1, (lxw_col_t)c, header[c], hdr));
    }
    if (bk->grouped) {
        CHECK(worksheet_merge_range(ws, h1, D1_TYPE, h1, D1_LOC, "装置①", grp));
        CHECK(worksheet_merge_range(ws, h1, D2_TYPE, h1, D2_LOC, "装置②", grp));
    }
    for (int k = 0; k < 8; k++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "%s%s", bk->grouped ? "" : "装置①_", dev_field[k]);
        snprintf(b, sizeof b, "%s%s", bk->grouped ? "" : "装置②_", dev_field[k]);
        CHECK(worksheet_write_string(ws, h2, (lxw_col_t)(D1_TYPE + k), a, hdr));
        CHECK(worksheet_write_string(ws, h2, (lxw_col_t)(D2_TYPE + k), b, hdr));
    }
    CHECK(worksheet_set_row(ws, h1, bk->grouped ? 30 : 45, NULL));
    if (bk->grouped) CHECK(worksheet_set_row(ws, h2, 45, NULL));
    CHECK(worksheet_set_column(ws, 0, 0, 7, NULL));
    CHECK(worksheet_set_column(ws, 1, 2, 16, NULL));
    CHECK(worksheet_set_column(ws, 3, NCOL - 2, 14, NULL));
    CHECK(worksheet_set_column(ws, NCOL - 1, NCOL - 1, 40, NULL));
    worksheet_freeze_panes(ws, first_data_row - 1, 1);

    /* data rows; merged columns over runs of one 回線No */
    for (size_t i = 0; i < n_rows;) {
        size_t j = i + 1;
        while (j < n_rows && *val(&rows[i], C_LINE)
               && strcmp(val(&rows[i], C_LINE), val(&rows[j], C_LINE)) == 0)
            j++;
        for (size_t r = i; r < j; r++) {
            lxw_row_t row = (lxw_row_t)(first_data_row - 1 + r);
            for (int c = 0; c < NCOL; c++) {
                if (j - i > 1 && is_merge_col(c)) continue;
                put(ws, row, (lxw_col_t)c, c, val(&rows[r], c), cell);
            }
        }
        if (j - i > 1) {
            lxw_row_t r0 = (lxw_row_t)(first_data_row - 1 + i), r1 = (lxw_row_t)(first_data_row - 1 + j - 1);
            for (size_t k = 0; k < sizeof merge_cols / sizeof merge_cols[0]; k++) {
                int c = merge_cols[k];
                int same = 1;
                for (size_t r = i + 1; r < j; r++)
                    if (strcmp(val(&rows[r], c), val(&rows[i], c)) != 0) same = 0;
                if (same) {
                    CHECK(worksheet_merge_range(ws, r0, (lxw_col_t)c, r1, (lxw_col_t)c, "", cell));
                    put(ws, r0, (lxw_col_t)c, c, val(&rows[i], c), cell);
                } else {   /* vendors do not merge what differs (E-LINE-CONFLICT) */
                    for (size_t r = i; r < j; r++)
                        put(ws, (lxw_row_t)(first_data_row - 1 + r), (lxw_col_t)c, c, val(&rows[r], c), cell);
                }
            }
        }
        i = j;
    }

    /* the pull-downs of the real sheet */
    lxw_row_t last = (lxw_row_t)(first_data_row - 1 + 200);
    static char *comm_list[] = { "インターネット", "インターネットVPN", "閉域網", "電話回線のみ", NULL };
    static char *yn_list[] = { "あり", "なし", NULL };
    static char *kind_list[] = { "固定IP", "動的IP", NULL };
    static char *scan_list[] = { "調査希望あり", "調査希望なし", NULL };
    static char *rent_list[] = { "はい", "いいえ", NULL };
    static char *type_list[] = { "ルーター", "ファイアウォール/UTM", "ONU", "モデム", "ホームゲートウェイ",
                                       "VPN装置", "L3スイッチ", "その他", NULL };
    static char *type2_list[] = { "ルーター", "ファイアウォール/UTM", NULL };
    struct { int c; char **list; } dv[] = {
        { C_COMM, comm_list }, { C_EMR, yn_list }, { C_GIP_USE, yn_list }, { C_IPKIND, kind_list },
        { C_SCAN, scan_list }, { D1_RENTAL, rent_list }, { D2_RENTAL, rent_list },
        { D1_TYPE, type_list }, { D2_TYPE, type2_list },
    };
    for (size_t k = 0; k < sizeof dv / sizeof dv[0]; k++) {
        lxw_data_validation v;
        memset(&v, 0, sizeof v);
        v.validate = LXW_VALIDATION_TYPE_LIST;
        v.value_list = dv[k].list;
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;   /* typed values still go in */
        CHECK(worksheet_data_validation_range(ws, first_data_row - 1, (lxw_col_t)dv[k].c, last,
                                              (lxw_col_t)dv[k].c, &v));
    }
}

static void kv_sheet(lxw_workbook *wb, const struct book *bk)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "基本情報記入シート");
    if (!ws) die("add worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED);
    lxw_format *b = workbook_add_format(wb);
    format_set_bold(b);
    CHECK(worksheet_set_column(ws, 0, 0, 16, NULL));
    CHECK(worksheet_set_column(ws, 1, 1, 44, NULL));
    for (size_t i = 0; i < bk->n_kv; i++) {
        CHECK(worksheet_write_string(ws, (lxw_row_t)i, 0, bk->kv[i][0], b));
        CHECK(worksheet_write_string(ws, (lxw_row_t)i, 1, bk->kv[i][1], NULL));
    }
}

static void terminals_sheet(lxw_workbook *wb, const struct book *bk)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "調査端末情報記入シート");
    if (!ws) die("add worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED);
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_bg_color(hdr, 0xDDEBF7);
    format_set_border(hdr, LXW_BORDER_THIN);
    CHECK(worksheet_write_string(ws, 0, 0, "調査端末情報記入シート", NULL));
    CHECK(worksheet_write_string(ws, 1, 0, "※WindowsOSを対象として5台の調査を実施いたします。", NULL));
    static const char *h[] = { "No", "端末名", "OS", "ウイルス対策ソフト", "バージョン", "USB閉塞",
                               "所属システム", "設置場所" };
    for (int c = 0; c < 8; c++) CHECK(worksheet_write_string(ws, 2, (lxw_col_t)c, h[c], hdr));
    for (size_t r = 0; r < bk->n_terms; r++)
        for (int c = 0; c < 8; c++) {
            if (c == 0) CHECK(worksheet_write_number(ws, (lxw_row_t)(3 + r), 0, (double)(r + 1), NULL));
            else if (*bk->terms[r][c])
                CHECK(worksheet_write_string(ws, (lxw_row_t)(3 + r), (lxw_col_t)c, bk->terms[r][c], NULL));
        }
    CHECK(worksheet_set_column(ws, 1, 7, 22, NULL));
}

static void locations_sheet(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "設置場所記入シート");
    if (!ws) die("add worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED);
    static const char *h[] = { "棟", "階", "部屋名", "ラック番号", "備考" };
    static const char *l[][5] = {
        { "本館", "1F", "通信機械室", "ラック1〜3", "回線引込み・主要ルーター" },
        { "本館", "B1F", "放射線科 サーバー室", "ラックP1", "PACS" },
        { "本館", "1F", "医事課 事務室", "壁面ラック", "オンライン資格確認" },
        { "南館", "2F", "訪問看護ステーション", "", "" },
        { "健診センター", "2F", "事務室", "", "" },
    };
    for (int c = 0; c < 5; c++) CHECK(worksheet_write_string(ws, 0, (lxw_col_t)c, h[c], NULL));
    for (size_t r = 0; r < sizeof l / sizeof l[0]; r++)
        for (int c = 0; c < 5; c++)
            if (*l[r][c]) CHECK(worksheet_write_string(ws, (lxw_row_t)(1 + r), (lxw_col_t)c, l[r][c], NULL));
    CHECK(worksheet_set_column(ws, 0, 4, 18, NULL));
}

/* The tool must never read this sheet: tests grep every output for P@ssw0rd-SAMPLE. */
static void password_sheet(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "アカウント(ログインID)・パスワードリスト");
    if (!ws) die("add worksheet", LXW_ERROR_MEMORY_MALLOC_FAILED);
    static const char *r[][4] = {
        { "装置", "ホスト名", "ログインID", "パスワード" },
        { "ルーター", "mch-rt01", "admin-sample", "P@ssw0rd-SAMPLE" },
        { "ファイアウォール/UTM", "mch-utm01", "admin-sample", "P@ssw0rd-SAMPLE" },
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        for (int c = 0; c < 4; c++) CHECK(worksheet_write_string(ws, (lxw_row_t)i, (lxw_col_t)c, r[i][c], NULL));
}

static const char *hospital_kv[][2] = {
    { "医療機関名", "みなと中央病院" },
    { "所在地", "東京都港南区みなと一丁目2番3号（架空）" },
    { "病床数", "350" },
    { "記入日", "2026-11-20" },
    { "調査日", "2026-11-25" },
    { "記入者", "情報システム課 港 太郎" },
    { "連絡先", "03-0000-0000（内線 1234）" },
};
/* rows 4-9; W-TERMINAL expected at rows 5 (OS), 6 (ウイルス対策ソフト), 7 (USB閉塞) */
static const char *hospital_terms[][8] = {
    { "1", "EMR-PC-001", "Windows 11 Enterprise 24H2", "Trend Micro Apex One", "14.0.12737", "あり", "電子カルテ", "本館2F 外来診察室1" },
    { "2", "EMR-PC-015", "Windows10 Pro 22H2", "Trend Micro Apex One", "14.0.12737", "あり", "電子カルテ", "本館3F 病棟 ナースステーション" },
    { "3", "IJI-PC-003", "Windows 11 Enterprise 24H2", "なし", "", "あり", "医事会計", "本館1F 医事課" },
    { "4", "PACS-VW-002", "Windows 10 IoT Enterprise LTSC 2021", "Microsoft Defender", "4.18.24090", "なし", "PACS", "本館B1F 読影室" },
    { "5", "KENSA-PC-001", "Windows 10 Enterprise LTSC 2019", "ESET Endpoint Security", "11.1.2039", "あり", "検査", "本館2F 検査科" },
    { "6", "SEISAN-01", "Windows 10 IoT Enterprise LTSC 2021", "Trend Micro Apex One", "14.0.12737", "あり", "自動精算機", "本館1F 会計窓口" },
};
static const char *clean_kv[][2] = {
    { "医療機関名", "あおば眼科クリニック" },
    { "所在地", "神奈川県青葉市中央三丁目4番5号（架空）" },
    { "病床数", "0" },
    { "記入日", "2026-11-18" },
    { "調査日", "2026-11-25" },
};
static const char *clean_terms[][8] = {
    { "1", "AOBA-PC-01", "Windows 11 Enterprise 24H2", "ESET Endpoint Security", "11.1.2039", "あり", "電子カルテ", "1F 診察室1" },
    { "2", "AOBA-PC-02", "Windows 10 Enterprise LTSC 2021", "ESET Endpoint Security", "11.1.2039", "あり", "医事会計", "1F 受付" },
};

static const char *higashi_kv[][2] = {
    { "医療機関名", "ひがし台記念病院" },
    { "所在地", "大阪府東台市中町四丁目5番6号（架空）" },
    { "病床数", "199" },
    { "調査日", "令和8年11月25日" },   /* typed as text, in 和暦 */
};
static const char *higashi_terms[][8] = {
    { "1", "HG-PC-001", "Windows 11 Enterprise 24H2", "Microsoft Defender", "4.18.24090", "あり", "電子カルテ", "本館1F 外来" },
};

static void write_book(const char *dir, const struct book *bk)
{
    char *path = g_build_filename(dir, bk->file, NULL);
    lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) die(path, LXW_ERROR_CREATING_XLSX_FILE);
    /* fixed dates keep the file the same from run to run */
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = (char *)bk->title;
    props.author = "edgemap samples";
    props.company = (char *)bk->site;
    props.created = (time_t)1795478400;   /* 2026-11-24T00:00:00Z */
    CHECK(workbook_set_properties(wb, &props));
    /* sheet order as in the programme's workbook */
    kv_sheet(wb, bk);
    records_sheet(wb, bk);
    terminals_sheet(wb, bk);
    if (bk->grouped) locations_sheet(wb);
    if (bk->passwords) password_sheet(wb);
    CHECK(workbook_close(wb));
    g_free(path);
}

/* ---- clinic.csv --------------------------------------------------------------- */

/* Header spellings vary the way single-row exports do (records.md). */
static const char *const clinic_header[] = {
    "回線No", "電子カルテ接続", "脆弱性診断(調査希望)", "回線の用途", "システム名", "接続先", "回線契約者",
    "回線事業者", "回線サービス名", "通信形態", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス",
    "FQDN", "プロバイダ名", "プロバイダ品目", "回線終端装置設置場所",
    "装置①_装置の種類", "装置①_ホスト名", "装置① 管理IPアドレス", "装置①・メーカー", "装置①機種名",
    "装置①_レンタル装置", "装置①_ファームウェアバージョン", "装置①_設置場所",
    "装置② 装置の種類", "装置② ホスト名", "装置② 管理IPアドレス", "装置② メーカー", "装置② 機種名",
    "装置② レンタル装置", "装置② ファームウェアバージョン", "装置② 設置場所", "備考",
};
#define CLINIC_NCOL (sizeof clinic_header / sizeof clinic_header[0])

/* Rows 2-7 (the header is row 1); expected findings in samples/README.md. */
static const char *const clinic[][CLINIC_NCOL] = {
    /* row 2: RTX830 Rev.15.02.09 -> H-VULN-FIRMWARE */
    { "1", "あり", "調査希望あり", "インターネット接続", "電子カルテ", "OCN", "クリニック", "NTT東日本",
      "フレッツ光クロス", "インターネット", "あり", "固定IP", "192.0.2.10", "sakura-clinic.example.jp",
      "OCN", "OCN光 固定IP1", "1F 受付裏 事務室", "ルーター", "sakura-rt01", "192.168.1.1", "ヤマハ",
      "RTX830", "いいえ", "Rev.15.02.09", "1F 受付裏 事務室 ラック", "", "", "", "", "", "", "", "",
      "装置①実機確認実施" },
    /* row 3: the same fibre as an Internet VPN to the EMR vendor — clean */
    { "1", "あり", "調査希望あり", "リモート保守", "電子カルテ", "さくらメディカルソフト株式会社", "クリニック",
      "NTT東日本", "フレッツ光クロス", "インターネットVPN", "あり", "固定IP", "192.0.2.10", "", "", "",
      "1F 受付裏 事務室", "ルーター", "sakura-rt01", "192.168.1.1", "ヤマハ", "RTX830", "いいえ",
      "Rev.15.02.09", "1F 受付裏 事務室 ラック", "", "", "", "", "", "", "", "", "" },
    /* row 4: online eligibility, closed; IX2106 firmware not confirmed -> W-FIRMWARE-UNVERIFIED */
    { "2", "あり", "調査希望なし", "オンライン資格確認", "医事会計", "オンライン資格確認等システム", "クリニック",
      "NTT東日本", "フレッツ・VPN ワイド", "閉域網", "なし", "", "", "", "", "", "1F 受付裏 事務室",
      "ルーター", "oqs-rt", "192.168.2.1", "NEC", "UNIVERGE IX2106", "はい", "10.7.16",
      "1F 受付裏 事務室 ラック", "", "", "", "", "", "", "", "", "" },
    /* row 5: ECG maintenance over the phone line — clean */
    { "3", "なし", "調査希望なし", "リモート保守", "医療機器", "心電計保守センター", "クリニック", "NTT東日本",
      "加入電話（アナログ）", "電話回線のみ", "なし", "", "", "", "", "", "2F 生理検査室", "モデム", "", "",
      "メディカルイメージング", "MI-MODEM56", "はい", "", "2F 生理検査室", "", "", "", "", "", "", "", "", "" },
    /* row 6: mobile line for receipts, グローバルIP利用 blank -> W-GLOBAL-IP-EXPECTED */
    { "4", "あり", "調査希望なし", "クラウドサービス", "レセプト", "レセプトクラウド", "クリニック", "NTTドコモ",
      "モバイル回線（5G）", "インターネット", "", "", "", "", "", "", "1F 受付", "ルーター", "sakura-mob01",
      "", "NEC", "Aterm MR10LN", "いいえ", "1.2.0", "1F 受付", "", "", "", "", "", "", "", "",
      "装置①実機確認実施" },
    /* row 7: cloud EMR VPN; EMR link blank, explained in a two-line remark with a quoted
       word -> W-EMR-UNKNOWN */
    { "5", "", "調査希望なし", "クラウドサービス", "電子カルテ", "さくらメディカルソフト株式会社", "クリニック",
      "NTT東日本", "フレッツ光クロス", "インターネットVPN", "あり", "動的IP", "", "", "", "",
      "1F 受付裏 事務室", "ルーター", "sakura-rt02", "192.168.3.1", "ヤマハ", "RTX830", "いいえ",
      "Rev.15.02.31", "1F 受付裏 事務室 ラック", "", "", "", "", "", "", "", "",
      "電子カルテシステムの所属ネットワークとの接続は不明\n業者回答待ち（\"クラウド型\"のため）装置①実機確認実施" },
};

static void csv_field(GString *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) { g_string_append(out, s); return; }
    g_string_append_c(out, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') g_string_append_c(out, '"');
        if (*p == '\n') { g_string_append(out, "\r\n"); continue; }   /* Excel writes CRLF inside too */
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

static void write_clinic(const char *dir)
{
    GString *out = g_string_new(NULL);
    for (size_t c = 0; c < CLINIC_NCOL; c++) {
        if (c) g_string_append_c(out, ',');
        csv_field(out, clinic_header[c]);
    }
    g_string_append(out, "\r\n");
    for (size_t r = 0; r < sizeof clinic / sizeof clinic[0]; r++) {
        for (size_t c = 0; c < CLINIC_NCOL; c++) {
            if (c) g_string_append_c(out, ',');
            csv_field(out, clinic[r][c]);
        }
        g_string_append(out, "\r\n");
    }
    GError *gerr = NULL;
    gsize written = 0;
    gchar *sjis = g_convert(out->str, (gssize)out->len, "CP932", "UTF-8", NULL, &written, &gerr);
    if (!sjis) {
        fprintf(stderr, "gen_samples: CP932 conversion: %s\n", gerr ? gerr->message : "?");
        exit(1);
    }
    char *path = g_build_filename(dir, "clinic.csv", NULL);
    if (!g_file_set_contents(path, sjis, (gssize)written, &gerr)) {
        fprintf(stderr, "gen_samples: %s: %s\n", path, gerr ? gerr->message : "?");
        exit(1);
    }
    g_free(path);
    g_free(sjis);
    g_string_free(out, TRUE);
}

/* ---- higashi-vendor.csv ------------------------------------------------------- */

/* The maintenance vendor's export: UTF-8 with a BOM, LF, its own column order, only the
   lines it looks after. Rows 2-4; expected findings in samples/README.md. */
static const char *const vendor_header[] = {
    "回線No", "通信形態", "回線事業者", "回線サービス名", "回線終端装置設置場所", "接続先", "回線の用途",
    "システム名", "電子カルテ接続", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス",
    "dev1_type", "dev1_hostname", "dev1_maker", "dev1_model", "dev1_firmware", "dev1_rental", "dev1_location",
    "dev2_type", "dev2_hostname", "dev2_maker", "dev2_model", "dev2_firmware", "dev2_rental", "dev2_location",
    "備考", "保守契約番号",
};
#define VENDOR_NCOL (sizeof vendor_header / sizeof vendor_header[0])
static const char *const vendor[][VENDOR_NCOL] = {
    /* row 2: the VPN session of line 1 as the vendor knows it: the same FortiGate (host
       name, maker, model, firmware) — one device with both sources, no conflict */
    { "1", "インターネットVPN", "NTT西日本", "フレッツ光ネクスト", "本館1F 電算室", "ひがしシステムサービス（保守）",
      "リモート保守", "電子カルテ", "あり", "あり", "固定IP", "198.51.100.21",
      "ONU", "", "NTT西日本", "GE-PON-ONU", "", "はい", "本館1F 電算室",
      "ファイアウォール/UTM", "hg-fg01", "Fortinet", "FortiGate-60E", "FortiOS 6.0.4", "いいえ", "本館1F 電算室 ラック1",
      "装置②実機確認実施", "HSS-2026-0142" },
    /* row 3: line 2 with the vendor's own spelling of the ONU room -> E-LINE-CONFLICT
       naming higashi.xlsx row 9 and this row */
    { "2", "閉域網", "NTT西日本", "フレッツ・VPN プライオ", "本館2F 地域連携室 ラックB", "ひがし地域医療ネット",
      "地域医療連携", "地域連携", "なし", "なし", "", "",
      "ルーター", "hg-ix01", "NEC", "UNIVERGE IX2215", "10.6.21", "はい", "本館2F 地域連携室",
      "", "", "", "", "", "", "", "装置①実機確認実施", "HSS-2026-0143" },
    /* row 4: a line only the vendor declares: KDDI closed network to its data centre;
       its router's firmware not confirmed -> W-FIRMWARE-UNVERIFIED */
    { "3", "閉域網", "KDDI", "KDDI Wide Area Virtual Switch 2", "本館1F 電算室", "ひがしシステムサービス データセンター",
      "データセンター接続", "電子カルテ", "あり", "なし", "", "",
      "ルーター", "hg-kddi01", "KDDI", "KDDI-RT01", "2.3.1", "はい", "本館1F 電算室 ラック2",
      "", "", "", "", "", "", "", "バックアップ回線（データセンター）", "HSS-2026-0144" },
};

static void write_vendor(const char *dir)
{
    GString *out = g_string_new("\xEF\xBB\xBF");
    for (size_t c = 0; c < VENDOR_NCOL; c++) {
        if (c) g_string_append_c(out, ',');
        csv_field(out, vendor_header[c]);
    }
    g_string_append_c(out, '\n');
    for (size_t r = 0; r < sizeof vendor / sizeof vendor[0]; r++) {
        for (size_t c = 0; c < VENDOR_NCOL; c++) {
            if (c) g_string_append_c(out, ',');
            csv_field(out, vendor[r][c]);
        }
        g_string_append_c(out, '\n');
    }
    char *path = g_build_filename(dir, "higashi-vendor.csv", NULL);
    GError *gerr = NULL;
    if (!g_file_set_contents(path, out->str, (gssize)out->len, &gerr)) {
        fprintf(stderr, "gen_samples: %s: %s\n", path, gerr ? gerr->message : "?");
        exit(1);
    }
    g_free(path);
    g_string_free(out, TRUE);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_samples OUTDIR\n");
        return 2;
    }
    static const struct book hospital_book = {
        "hospital.xlsx", "みなと中央病院", "別紙2-1 医療機関記入依頼書（回線・機器情報等記入）サンプル",
        hospital, N_HOSPITAL, 1, hospital_kv, sizeof hospital_kv / sizeof hospital_kv[0],
        hospital_terms, sizeof hospital_terms / sizeof hospital_terms[0], 1,
    };
    static const struct book clean_book = {
        "clinic-clean.xlsx", "あおば眼科クリニック", "回線・機器情報 サンプル（指摘なし）",
        clean, N_CLEAN, 0, clean_kv, sizeof clean_kv / sizeof clean_kv[0],
        clean_terms, sizeof clean_terms / sizeof clean_terms[0], 0,
    };
    static const struct book higashi_book = {
        "higashi.xlsx", "ひがし台記念病院", "回線・機器情報 サンプル（PPPoEマルチセッション）",
        higashi, N_HIGASHI, 1, higashi_kv, sizeof higashi_kv / sizeof higashi_kv[0],
        higashi_terms, sizeof higashi_terms / sizeof higashi_terms[0], 0,
    };
    write_book(argv[1], &hospital_book);
    write_book(argv[1], &clean_book);
    write_clinic(argv[1]);
    write_book(argv[1], &higashi_book);
    write_vendor(argv[1]);
    return 0;
}
