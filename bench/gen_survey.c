/* gen_survey.c — writes a large survey workbook (回線・機器情報記入シート) for the import
 * benchmark: libxlsxwriter in its normal shared-strings mode (as Excel writes), the
 * columns of spec/records.md under a two-row grouped header (装置①/装置② merged
 * across their fields), and 回線No, 回線事業者, 回線サービス名, 回線終端装置設置場所 merged
 * down the rows that share a line.
 *   gen_survey OUT.xlsx [ROWS]     (ROWS defaults to 100000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}
#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

static const char *purposes[] = {"インターネット接続", "リモート保守", "地域医療連携", "オンライン資格確認",
                                 "クラウドサービス", "データセンター接続", "拠点間接続", "その他"};
static const char *systems[] = {"電子カルテ", "医事会計", "PACS", "検査", "薬剤", "給食", "自動精算機",
                                "医療機器", "部門システム"};
static const char *parties[] = {"ISP", "保守業者A", "保守業者B", "データセンター東", "地域連携センター", ""};
static const char *holders[] = {"病院", "病院", "病院", "ベンダー名義"};
static const char *carriers[] = {"NTT東日本", "NTT西日本", "KDDI", "ソフトバンク", "NTTコミュニケーションズ"};
static const char *services[] = {"フレッツ光ネクスト", "フレッツ・VPN ワイド", "Arcstar Universal One",
                                 "KDDI Wide Area Virtual Switch", "ビジネスイーサ ワイド"};
static const char *comm[] = {"インターネット", "インターネットVPN", "閉域網", "電話回線のみ"};
static const char *makers[] = {"ヤマハ", "NEC", "Fortinet", "Cisco", "アライドテレシス"};
static const char *models[] = {"RTX1210", "IX2215", "FortiGate-60F", "ISR1100", "AR4050S"};
static const char *types1[] = {"ONU", "モデム", "ホームゲートウェイ", "ルーター", "VPN装置"};
static const char *types2[] = {"ルーター", "ファイアウォール/UTM"};
static const char *floors[] = {"本館 1F 電算室", "本館 B1F サーバー室", "東棟 3F 医局", "西棟 2F 事務室"};
static const char *remarks[] = {"", "", "装置①実機確認実施", "装置②実機確認実施", "接続は不明", "保守契約更新予定"};

enum { NCOL = 34 };
static const char *fields[NCOL] = {
    "回線No", "電子カルテ接続", "脆弱性診断 (調査希望)", "回線の用途", "システム名", "接続先", "回線契約者",
    "回線事業者", "回線サービス名", "通信形態", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス",
    "FQDN", "プロバイダ名", "プロバイダ品目", "回線終端装置設置場所",
    "装置の種類", "ホスト名", "管理IPアドレス", "メーカー", "機種名", "レンタル装置", "ファームウェアバージョン", "設置場所",
    "装置の種類", "ホスト名", "管理IPアドレス", "メーカー", "機種名", "レンタル装置", "ファームウェアバージョン", "設置場所",
    "備考"};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: gen_survey OUT.xlsx [ROWS]\n", stderr);
        return 2;
    }
    long rows = 100000;
    if (argc > 2) {
        char *end;
        rows = strtol(argv[2], &end, 10);
        if (*end || rows < 1 || rows > 1000000) {
            fputs("gen_survey: ROWS must be 1..1000000\n", stderr);
            return 2;
        }
    }
    lxw_workbook *wb = workbook_new(argv[1]);
    if (!wb) {
        fprintf(stderr, "gen_survey: cannot create %s\n", argv[1]);
        return 1;
    }
    lxw_worksheet *basic = workbook_add_worksheet(wb, "基本情報記入シート");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "回線・機器情報記入シート");
    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_align(hdr, LXW_ALIGN_CENTER);
    format_set_border(hdr, LXW_BORDER_THIN);
    lxw_format *mrg = workbook_add_format(wb);
    format_set_align(mrg, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(mrg, LXW_BORDER_THIN);

    worksheet_write_string(basic, 0, 0, "医療機関名", NULL);
    worksheet_write_string(basic, 0, 1, "ベンチマーク総合病院", NULL);
    worksheet_write_string(basic, 1, 0, "病床数", NULL);
    worksheet_write_number(basic, 1, 1, 400, NULL);

    /* two-row header: group labels above, field names below */
    worksheet_merge_range(ws, 0, 17, 0, 24, "装置①", hdr);
    worksheet_merge_range(ws, 0, 25, 0, 32, "装置②", hdr);
    for (int c = 0; c < NCOL; c++) worksheet_write_string(ws, 1, (lxw_col_t)c, fields[c], hdr);

    char buf[128];
    long r = 0, line = 0;
    while (r < rows) {
        long n = 1 + (long)rnd(3);  /* rows sharing this line */
        if (r + n > rows) n = rows - r;
        line++;
        const char *carrier = PICK(carriers), *service = PICK(services), *where = PICK(floors);
        unsigned ipa = rnd(2), ipb = rnd(256);
        for (long k = 0; k < n; k++) {
            lxw_row_t x = (lxw_row_t)(2 + r + k);
            const char *ct = PICK(comm);
            int internet = strcmp(ct, "インターネット") == 0 || strcmp(ct, "インターネットVPN") == 0;
            if (n == 1) {
                snprintf(buf, sizeof buf, "L-%06ld", line);
                worksheet_write_string(ws, x, 0, buf, NULL);
                worksheet_write_string(ws, x, 7, carrier, NULL);
                worksheet_write_string(ws, x, 8, service, NULL);
                worksheet_write_string(ws, x, 16, where, NULL);
            }
            worksheet_write_string(ws, x, 1, rnd(5) ? "あり" : "なし", NULL);
            worksheet_write_string(ws, x, 2, rnd(3) ? "調査希望あり" : "調査希望なし", NULL);
            worksheet_write_string(ws, x, 3, PICK(purposes), NULL);
            worksheet_write_string(ws, x, 4, PICK(systems), NULL);
            const char *party = PICK(parties);
            if (*party) worksheet_write_string(ws, x, 5, party, NULL);
            worksheet_write_string(ws, x, 6, PICK(holders), NULL);
            worksheet_write_string(ws, x, 9, ct, NULL);
            worksheet_write_string(ws, x, 10, internet ? "あり" : "なし", NULL);
            if (internet) {
                worksheet_write_string(ws, x, 11, rnd(4) ? "固定IP" : "動的IP", NULL);
                snprintf(buf, sizeof buf, "%s.%u", ipa ? "203.0.113" : "198.51.100", (ipb + (unsigned)k) % 256);
                worksheet_write_string(ws, x, 12, buf, NULL);
                if (rnd(4) == 0) {
                    snprintf(buf, sizeof buf, "vpn%ld.example.jp", line);
                    worksheet_write_string(ws, x, 13, buf, NULL);
                    worksheet_write_string(ws, x, 14, "OCN", NULL);
                    worksheet_write_string(ws, x, 15, "OCN 光 IPoE", NULL);
                }
            }
            worksheet_write_string(ws, x, 17, PICK(types1), NULL);
            snprintf(buf, sizeof buf, "onu-%06ld", line);
            worksheet_write_string(ws, x, 18, buf, NULL);
            worksheet_write_string(ws, x, 22, rnd(2) ? "はい" : "いいえ", NULL);
            worksheet_write_string(ws, x, 24, where, NULL);
            worksheet_write_string(ws, x, 25, PICK(types2), NULL);
            snprintf(buf, sizeof buf, "rt-%06ld", line);
            worksheet_write_string(ws, x, 26, buf, NULL);
            snprintf(buf, sizeof buf, "10.%ld.%ld.1", (line / 256) % 256, line % 256);
            worksheet_write_string(ws, x, 27, buf, NULL);
            worksheet_write_string(ws, x, 28, PICK(makers), NULL);
            worksheet_write_string(ws, x, 29, PICK(models), NULL);
            worksheet_write_string(ws, x, 30, rnd(2) ? "はい" : "いいえ", NULL);
            snprintf(buf, sizeof buf, "Rev.14.01.%02u", rnd(40));
            worksheet_write_string(ws, x, 31, buf, NULL);
            worksheet_write_string(ws, x, 32, where, NULL);
            const char *rm = PICK(remarks);
            if (*rm) worksheet_write_string(ws, x, 33, rm, NULL);
        }
        if (n > 1) {
            lxw_row_t a = (lxw_row_t)(2 + r), b = (lxw_row_t)(2 + r + n - 1);
            snprintf(buf, sizeof buf, "L-%06ld", line);
            worksheet_merge_range(ws, a, 0, b, 0, buf, mrg);
            worksheet_merge_range(ws, a, 7, b, 7, carrier, mrg);
            worksheet_merge_range(ws, a, 8, b, 8, service, mrg);
            worksheet_merge_range(ws, a, 16, b, 16, where, mrg);
        }
        r += n;
    }
    lxw_worksheet *pw = workbook_add_worksheet(wb, "アカウント(ログインID)・パスワードリスト");
    worksheet_write_string(pw, 0, 0, "ログインID", NULL);
    worksheet_write_string(pw, 0, 1, "パスワード", NULL);
    worksheet_hide(pw);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "gen_survey: %s\n", lxw_strerror(e));
        return 1;
    }
    return 0;
}
