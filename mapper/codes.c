/* codes.c — the finding-code table (records.md "Rules and finding codes"). */
#include "mapper/codes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct em_code_def table[EM_CODE_COUNT] = {
    [EM_E_COMM_TYPE] = {"E-COMM-TYPE", EM_SEV_ERROR, EM_SCOPE_ROW,
        "通信形態が空欄、または4つの選択肢のいずれでもない", "通信形態 blank or not one of the four values", true},
    [EM_E_IP_KIND_MISSING] = {"E-IP-KIND-MISSING", EM_SEV_ERROR, EM_SCOPE_ROW,
        "グローバルIP利用が「あり」で固定IP/動的IPが空欄", "グローバルIP利用 = あり and 固定IP/動的IP blank", true},
    [EM_E_FIXED_IP_MISSING] = {"E-FIXED-IP-MISSING", EM_SEV_ERROR, EM_SCOPE_ROW,
        "固定IPでグローバルIPアドレスが空欄", "あり + 固定IP and グローバルIPアドレス blank", true},
    [EM_E_IP_SYNTAX] = {"E-IP-SYNTAX", EM_SEV_ERROR, EM_SCOPE_ROW,
        "グローバルIPアドレスがIPv4/IPv6アドレスの形式でない", "グローバルIPアドレス is not an IPv4/IPv6 address", true},
    [EM_E_IP_NOT_GLOBAL] = {"E-IP-NOT-GLOBAL", EM_SEV_ERROR, EM_SCOPE_ROW,
        "グローバルIPアドレスがプライベート・ループバック等のアドレス", "グローバルIPアドレス is private, loopback, link-local, CGNAT, multicast, reserved or unspecified", true},
    [EM_E_DEV2_TYPE] = {"E-DEV2-TYPE", EM_SEV_ERROR, EM_SCOPE_ROW,
        "装置②の種類がルーター・ファイアウォール/UTMでない", "装置② type is not ルーター or ファイアウォール/UTM", true},
    [EM_E_LINE_CONFLICT] = {"E-LINE-CONFLICT", EM_SEV_ERROR, EM_SCOPE_LINE,
        "同じ回線Noの行（ファイルをまたいでも）が物理回線の記入で食い違う", "rows sharing a 回線No disagree on the physical line (carrier, service, ctu_location)", true},
    [EM_E_DEVICE_CONFLICT] = {"E-DEVICE-CONFLICT", EM_SEV_ERROR, EM_SCOPE_DEVICE,
        "同じ装置を指す行がファームウェア・レンタル・設置場所で食い違う", "rows name the same device but disagree on firmware, rental or location", true},
    [EM_W_SURVEY_DATE] = {"W-SURVEY-DATE", EM_SEV_WARNING, EM_SCOPE_SITE,
        "調査日が実在する日付として読めない（代わりに使った日付を示す）", "調査日 is present but not a readable, real date; the date used instead is stated", true},
    [EM_W_EMR_UNKNOWN] = {"W-EMR-UNKNOWN", EM_SEV_WARNING, EM_SCOPE_ROW,
        "電子カルテ接続が空欄（不明）", "電子カルテ接続 blank (unknown)", true},
    [EM_W_GLOBAL_IP_EXPECTED] = {"W-GLOBAL-IP-EXPECTED", EM_SEV_WARNING, EM_SCOPE_ROW,
        "インターネット系の行でグローバルIP利用が「なし」か空欄（診断できない）", "インターネット / インターネットVPN without a global IP: cannot be diagnosed", true},
    [EM_W_NOT_NEEDED] = {"W-NOT-NEEDED", EM_SEV_WARNING, EM_SCOPE_ROW,
        "記入不要（グレーアウト）の欄に記入がある", "a greyed-out column is filled", true},
    [EM_W_PROVIDER_MISSING] = {"W-PROVIDER-MISSING", EM_SEV_WARNING, EM_SCOPE_ROW,
        "FQDNがあるのにプロバイダ名・品目が空欄", "FQDN given, プロバイダ名 or 品目 blank", true},
    [EM_W_FQDN_SYNTAX] = {"W-FQDN-SYNTAX", EM_SEV_WARNING, EM_SCOPE_ROW,
        "FQDNがホスト名として正しくない", "FQDN is not a valid host name", true},
    [EM_W_DYNAMIC_IP] = {"W-DYNAMIC-IP", EM_SEV_WARNING, EM_SCOPE_ROW,
        "動的IPで調査希望あり（診断当日に確認が必要）", "動的IP with 調査希望あり: confirm the address on the day", true},
    [EM_W_FIRMWARE_UNVERIFIED] = {"W-FIRMWARE-UNVERIFIED", EM_SEV_INFO, EM_SCOPE_DEVICE,
        "ルーター・UTMのファームウェアが実機確認されていない", "a router / UTM firmware not marked 実機確認実施", true},
    [EM_W_TERMINAL] = {"W-TERMINAL", EM_SEV_WARNING, EM_SCOPE_TERMINAL,
        "調査端末にウイルス対策なし・USB未閉塞・サポート終了OS", "a surveyed terminal lacks antivirus, does not block USB, or runs an OS past its end of support", true},
    [EM_H_VULN_FIRMWARE] = {"H-VULN-FIRMWARE", EM_SEV_ERROR, EM_SCOPE_DEVICE,
        "機種・ファームウェアが既知の脆弱性の範囲にある", "maker/model/firmware falls in a known-vulnerable range", true},
    [EM_H_UNDOCUMENTED_PATH] = {"H-UNDOCUMENTED-PATH", EM_SEV_ERROR, EM_SCOPE_DISCOVERY,
        "探索で記入シートにない外部への経路が見つかった", "discovery finds an external connection that no row declares", true},
    [EM_H_UNVERIFIED_LINE] = {"H-UNVERIFIED-LINE", EM_SEV_WARNING, EM_SCOPE_DISCOVERY,
        "記入された装置が探索で見つからなかった", "a declared device that discovery was asked to see but did not", true},
    [EM_H_OPEN_SERVICE] = {"H-OPEN-SERVICE", EM_SEV_WARNING, EM_SCOPE_SCAN,
        "記入されたグローバルIPで開いているポートがある（管理・VPNのポートはエラー）", "a scan shows an open port on a declared global IP (error for remote-admin / VPN ports)", true},
    [EM_H_UNDECLARED_REACHABLE] = {"H-UNDECLARED-REACHABLE", EM_SEV_ERROR, EM_SCOPE_SCAN,
        "記入シートにないグローバルIPがスキャンに応答した", "a scan shows a responding global IP that no row declares", true},
    [EM_W_ACCEPT_STALE] = {"W-ACCEPT-STALE", EM_SEV_WARNING, EM_SCOPE_ACCEPT,
        "承認ファイル（--accept）の行がどの指摘にも当たらない", "an --accept entry matches no finding", false},
};

const struct em_code_def *em_code(enum em_code c)
{
    return &table[c < EM_CODE_COUNT ? c : 0];
}

const struct em_code_def *em_code_find(const char *code)
{
    for (size_t i = 0; i < EM_CODE_COUNT; i++)
        if (code && strcmp(table[i].code, code) == 0) return &table[i];
    return NULL;
}

const char *em_code_scope_name(enum em_code_scope s)
{
    static const char *const names[] = {"row", "line", "device", "site", "terminal", "discovery", "scan", "accept"};
    return (size_t)s < sizeof names / sizeof names[0] ? names[s] : "";
}

int em_model_add(struct em_model *m, enum em_code c, const struct em_src *src, const char *column,
                 const char *line_no, const char *fmt, ...)
{
    const struct em_code_def *d = em_code(c);
    va_list ap;
    va_start(ap, fmt);
    int r = em_model_add_finding_va(m, d->code, d->severity, src, column, line_no, fmt, ap);
    va_end(ap);
    return r;
}
