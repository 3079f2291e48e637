/* vocab.c — the pull-down values of records.md, read from their compact keys
 * (norm.h): 通信形態, あり/なし and はい/いいえ, 調査希望, 固定IP/動的IP, 装置の種類. Shared by
 * the row builder (records.c), the device merge (lines.c) and the rules (rules.c). */
#include <string.h>

#include "mapper/norm.h"
#include "mapper/records_int.h"

/* compact: a compact key; name: a vocabulary literal (its key is computed once). */
static int eq_compact(const char *compact, const char *name)
{
    return strcmp(compact, em_norm_key(name)) == 0;
}

enum em_comm_type em_rec_parse_comm(const char *c)
{
    if (!*c) return EM_COMM_UNSET;
    if (eq_compact(c, "インターネット") || strcmp(c, "internet") == 0) return EM_COMM_INTERNET;
    if (eq_compact(c, "インターネットVPN") || strcmp(c, "internet_vpn") == 0) return EM_COMM_INTERNET_VPN;
    if (eq_compact(c, "閉域網") || strcmp(c, "closed") == 0) return EM_COMM_CLOSED;
    if (eq_compact(c, "電話回線のみ") || strcmp(c, "phone") == 0) return EM_COMM_PHONE;
    return EM_COMM_UNSET;
}

enum em_tri em_rec_parse_tri(const char *c)
{
    static const char *yes[] = {"あり", "有", "有り", "はい", "yes", "true", "○", NULL};
    static const char *no[] = {"なし", "無", "無し", "いいえ", "no", "false", "×", NULL};
    if (!*c) return EM_TRI_UNKNOWN;
    for (int i = 0; yes[i]; i++)
        if (eq_compact(c, yes[i])) return EM_TRI_YES;
    for (int i = 0; no[i]; i++)
        if (eq_compact(c, no[i])) return EM_TRI_NO;
    return EM_TRI_UNKNOWN;
}

bool em_rec_parse_scan_request(const char *c)
{
    return eq_compact(c, "調査希望あり") || eq_compact(c, "希望する") || eq_compact(c, "希望あり") ||
           em_rec_parse_tri(c) == EM_TRI_YES;
}

enum em_ip_kind em_rec_parse_ip_kind(const char *c)
{
    if (eq_compact(c, "固定IP") || eq_compact(c, "固定") || strcmp(c, "fixed") == 0) return EM_IP_KIND_FIXED;
    if (eq_compact(c, "動的IP") || eq_compact(c, "動的") || strcmp(c, "dynamic") == 0) return EM_IP_KIND_DYNAMIC;
    return EM_IP_KIND_NONE;
}

enum em_dev_type em_rec_parse_dev_type(const char *c)
{
    static const struct { const char *text; enum em_dev_type t; } v[] = {
        {"ルーター", EM_DEV_ROUTER}, {"ルータ", EM_DEV_ROUTER}, {"router", EM_DEV_ROUTER},
        {"ファイアウォール/UTM", EM_DEV_UTM}, {"ファイアウォール・UTM", EM_DEV_UTM},
        {"ファイアウォール", EM_DEV_UTM}, {"UTM", EM_DEV_UTM}, {"FW", EM_DEV_UTM},
        {"FW/UTM", EM_DEV_UTM}, {"utm", EM_DEV_UTM}, {"firewall", EM_DEV_UTM},
        {"ONU", EM_DEV_ONU}, {"モデム", EM_DEV_MODEM}, {"modem", EM_DEV_MODEM},
        {"ホームゲートウェイ", EM_DEV_HGW}, {"HGW", EM_DEV_HGW},
        {"VPN装置", EM_DEV_VPN}, {"VPNルーター", EM_DEV_VPN}, {"vpn", EM_DEV_VPN},
        {"L3スイッチ", EM_DEV_L3SWITCH}, {"L3SW", EM_DEV_L3SWITCH}, {"l3switch", EM_DEV_L3SWITCH},
        {"その他", EM_DEV_OTHER}, {"other", EM_DEV_OTHER},
    };
    if (!*c) return EM_DEV_UNSET;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (eq_compact(c, v[i].text)) return v[i].t;
    return EM_DEV_OTHER;
}
