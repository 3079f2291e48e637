/* Unit tests for the records builder and every per-row / model rule of records.md,
 * through real CSV files written by the test (CSV: one header row). */
#include <stdlib.h>
#include <unistd.h>

#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/records.h"
#include "mapper_fixture.h"
#include "t.h"

/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})

#define HDR "回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,FQDN,プロバイダ名,プロバイダ品目," \
            "電子カルテ接続,脆弱性診断（調査希望）,回線事業者,回線サービス名,回線終端装置設置場所,システム名,接続先,回線の用途,回線契約者," \
            "装置①_装置の種類,装置①_ホスト名,装置①_メーカー,装置①_機種名,装置①_ファームウェアバージョン," \
            "装置②_装置の種類,装置②_ホスト名,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン,装置②_レンタル装置,備考\n"

static struct em_model *m;

/* Writes text to a temp file, loads and finishes it. Returns the load rc. */
static int load(const char *text)
{
    struct em_err err;
    return fx_load_csv(&m, text, &err);
}

static int has(const char *code, int row, const char *column)
{
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        if (strcmp(f->code, code) == 0 && f->row == row && (!column || strcmp(f->column, column) == 0)) return 1;
    }
    return 0;
}

static size_t count(const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, code) == 0) n++;
    return n;
}

/* A clean internet row: fixed global IP, EMR link yes, devices verified. */
#define CLEAN "1,インターネット,あり,固定IP,203.0.113.10,,,,あり,調査希望あり,NTT東日本,フレッツ光ネクスト,本館1F,電子カルテ,OCN,インターネット接続,病院," \
              "ONU,,NEC,GE-PON,,ファイアウォール/UTM,utm1,Fortinet,FortiGate-60F,7.4.4,いいえ,装置②実機確認実施\n"

static void t_clean(void)
{
    T_EQ_INT(load(HDR CLEAN), 0);
    T_EQ_INT(m->n_findings, 0);
    T_EQ_INT(m->n_lines, 1);
    T_EQ_INT(m->n_paths, 1);
    T_EQ_INT(m->paths[0].scan, EM_SCAN_IN);
    T_EQ_INT(m->paths[0].comm_type, EM_COMM_INTERNET);
    T_EQ_INT(m->n_devices, 2);
    T_EQ_INT(m->devices[1].type, EM_DEV_UTM);
    T_EQ_INT(m->devices[1].rental, EM_TRI_NO);
    T_EQ_STR(m->lines[0].id, "line-1");
    T_EQ_STR(m->devices[0].id, "dev-1-1");
}

static void t_comm_type(void)
{
    T_EQ_INT(load(HDR "1,,なし,,,,,,なし,,A,B,C\n2,衛星,なし,,,,,,なし,,A,B,C\n3,インターネット ＶＰＮ,あり,動的IP,,,,,なし\n"), 0);
    T_ASSERT(has("E-COMM-TYPE", 2, "通信形態"));
    T_ASSERT(has("E-COMM-TYPE", 3, "通信形態"));
    T_ASSERT(!has("E-COMM-TYPE", 4, NULL));  /* full-width ＶＰＮ and a space normalise */
    T_EQ_INT(m->paths[2].comm_type, EM_COMM_INTERNET_VPN);
    T_EQ_INT(m->paths[0].scan, EM_SCAN_OUT_UNKNOWN);
}

static void t_ip_rules(void)
{
    T_EQ_INT(load(HDR
                  "1,インターネット,あり,,203.0.113.1,,,,なし\n"
                  "2,インターネット,あり,固定IP,,,,,なし\n"
                  "3,インターネット,あり,固定IP,203.0.113.300,,,,なし\n"
                  "4,インターネット,あり,固定IP,192.168.1.1,,,,なし\n"
                  "5,インターネット,あり,固定IP,100.64.0.9,,,,なし\n"
                  "6,インターネット,あり,固定IP,２０３．０．１１３．６,,,,なし\n"), 0);
    T_ASSERT(has("E-IP-KIND-MISSING", 2, "固定IP/動的IP"));
    T_ASSERT(has("E-FIXED-IP-MISSING", 3, "グローバルIPアドレス"));
    T_ASSERT(has("E-IP-SYNTAX", 4, "グローバルIPアドレス"));
    T_ASSERT(has("E-IP-NOT-GLOBAL", 5, "グローバルIPアドレス"));
    T_ASSERT(has("E-IP-NOT-GLOBAL", 6, "グローバルIPアドレス"));
    T_ASSERT(!has("E-IP-SYNTAX", 7, NULL) && !has("E-IP-NOT-GLOBAL", 7, NULL));
    T_EQ_STR(m->paths[5].global_ip, "203.0.113.6");   /* full-width digits normalised */
    T_EQ_INT(m->paths[5].scan, EM_SCAN_IN);
    T_EQ_INT(m->paths[1].scan, EM_SCAN_OUT_NO_ADDRESS);
}

static void t_dev2_type(void)
{
    T_EQ_INT(load(HDR
                  "1,閉域網,なし,,,,,,なし,,A,B,C,,,,,ルーター,,,,,ONU,,,,\n"
                  "2,閉域網,なし,,,,,,なし,,A,B,C,,,,,ルーター,,,,,,,NEC,IX2215,\n"
                  "3,閉域網,なし,,,,,,なし,,A,B,C,,,,,ルーター,,,,,ルータ,,NEC,IX2215,\n"), 0);
    T_ASSERT(has("E-DEV2-TYPE", 2, "装置②_装置の種類"));
    T_ASSERT(has("E-DEV2-TYPE", 3, "装置②_装置の種類"));  /* filled but type blank */
    T_ASSERT(!has("E-DEV2-TYPE", 4, NULL));
}

static void t_line_conflict(void)
{
    T_EQ_INT(load(HDR
                  "7,インターネット,あり,固定IP,203.0.113.7,,,,あり,,NTT東日本,フレッツ光ネクスト,本館B1F\n"
                  "7,インターネットVPN,あり,固定IP,203.0.113.7,,,,あり,,ＮＴＴ東日本,フレッツ光ネクスト,\n"
                  "7,閉域網,なし,,,,,,あり,,KDDI,フレッツ光ネクスト,別館\n"), 0);
    T_EQ_INT(m->n_lines, 1);
    T_EQ_INT(m->lines[0].n_paths, 3);
    T_ASSERT(!has("E-LINE-CONFLICT", 3, NULL)); /* full-width NTT is the same; blank is not a conflict */
    /* one finding per row pair, on the first differing column, naming every column;
       row 3 adds no value of its own (ＮＴＴ東日本 is row 2's), so it is not a pair */
    T_ASSERT(has("E-LINE-CONFLICT", 4, "回線事業者"));
    T_EQ_INT(count("E-LINE-CONFLICT"), 1);
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, "E-LINE-CONFLICT") == 0) {
            T_ASSERT(strstr(MSG(&m->findings[i]), "回線終端装置設置場所") != NULL);
            T_ASSERT(strstr(MSG(&m->findings[i]), "別館") != NULL);
            T_ASSERT(strstr(MSG(&m->findings[i]), "2行目") != NULL);
        }
}

static void t_emr_unknown(void)
{
    T_EQ_INT(load(HDR "1,閉域網,なし,,,,,,,,A,B,C,,,,,,,,,,,,,,,,電子カルテシステムの所属ネットワークとの接続は不明\n"
                      "2,閉域網,なし,,,,,,,,A,B,C\n"), 0);
    T_ASSERT(has("W-EMR-UNKNOWN", 2, "電子カルテ接続"));
    T_ASSERT(has("W-EMR-UNKNOWN", 3, "電子カルテ接続"));
    T_ASSERT(m->paths[0].emr_unknown_explained);
    T_ASSERT(!m->paths[1].emr_unknown_explained);
    T_ASSERT(strstr(MSG(&m->findings[0]), "説明があります") != NULL);
}

static void t_global_ip_expected_and_not_needed(void)
{
    T_EQ_INT(load(HDR "1,インターネット,なし,,,,,,なし\n"
                      "2,インターネットVPN,,,,,,,なし\n"
                      "3,閉域網,なし,固定IP,203.0.113.3,,,,なし\n"
                      "4,電話回線のみ,,,,,,,なし\n"
                      "5,インターネット,なし,,,,OCN,固定IP1,なし\n"), 0);
    T_ASSERT(has("W-GLOBAL-IP-EXPECTED", 2, "グローバルIP利用"));
    T_ASSERT(has("W-GLOBAL-IP-EXPECTED", 3, "グローバルIP利用"));
    T_ASSERT(has("W-NOT-NEEDED", 4, "固定IP/動的IP"));
    T_ASSERT(!has("W-NOT-NEEDED", 5, NULL));
    T_ASSERT(has("W-NOT-NEEDED", 6, "プロバイダ名"));
    T_EQ_INT(m->paths[2].scan, EM_SCAN_OUT_CLOSED);
    T_EQ_INT(m->paths[3].scan, EM_SCAN_OUT_PHONE);
    T_EQ_INT(m->paths[0].scan, EM_SCAN_OUT_NO_GLOBAL_IP);
}

static void t_fqdn(void)
{
    T_EQ_INT(load(HDR "1,インターネット,あり,固定IP,203.0.113.1,rt1.example.jp,,,なし\n"
                      "2,インターネット,あり,固定IP,203.0.113.2,rt_2..example,OCN,固定IP1,なし\n"
                      "3,インターネット,あり,固定IP,203.0.113.3,gw.example.jp,OCN,,なし\n"
                      "4,インターネット,あり,固定IP,203.0.113.4,gw.example.jp,OCN,固定IP1,なし\n"), 0);
    T_ASSERT(has("W-PROVIDER-MISSING", 2, "プロバイダ名"));
    T_ASSERT(has("W-FQDN-SYNTAX", 3, "FQDN"));
    T_ASSERT(has("W-PROVIDER-MISSING", 4, "プロバイダ品目"));
    T_ASSERT(!has("W-PROVIDER-MISSING", 5, NULL) && !has("W-FQDN-SYNTAX", 5, NULL));
}

static void t_dynamic(void)
{
    T_EQ_INT(load(HDR "1,インターネット,あり,動的IP,,,,,なし,調査希望あり\n"
                      "2,インターネット,あり,動的IP,,,,,なし,調査希望なし\n"), 0);
    T_ASSERT(has("W-DYNAMIC-IP", 2, "固定IP/動的IP"));
    T_ASSERT(!has("W-DYNAMIC-IP", 3, NULL));
    T_EQ_INT(m->paths[0].scan, EM_SCAN_IN);
    T_ASSERT(m->paths[0].scan_requested);
    T_ASSERT(!m->paths[1].scan_requested);
}

static void t_firmware(void)
{
    T_EQ_INT(load(HDR
                  "1,閉域網,なし,,,,,,なし,,A,B,C,,,,,ルーター,rt1,ヤマハ,RTX1210,Rev.14.01.33\n"
                  "2,閉域網,なし,,,,,,なし,,A,B,C,,,,,ルーター,rt2,YAMAHA,RTX1210,Rev.14.01.38,,,,,,,装置①実機確認実施\n"
                  "3,インターネット,あり,固定IP,203.0.113.3,,,,なし,,A,B,C,,,,,ONU,,,,,ファイアウォール/UTM,fg,Fortinet,FortiGate-60F,FortiOS 6.0.4\n"), 0);
    T_ASSERT(has("H-VULN-FIRMWARE", 2, "装置①_ファームウェアバージョン"));
    T_ASSERT(has("W-FIRMWARE-UNVERIFIED", 2, "装置①_ファームウェアバージョン"));
    T_ASSERT(!has("H-VULN-FIRMWARE", 3, NULL));
    T_ASSERT(!has("W-FIRMWARE-UNVERIFIED", 3, NULL));
    T_ASSERT(has("H-VULN-FIRMWARE", 4, "装置②_ファームウェアバージョン"));
    const struct em_device *fg = &m->devices[m->paths[2].dev[1]];
    int found = 0;
    for (size_t i = 0; i < fg->n_cves; i++)
        if (strcmp(fg->cves[i], "CVE-2018-13379") == 0) found = 1;
    T_ASSERT(found);
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, "W-FIRMWARE-UNVERIFIED") == 0) T_EQ_INT(m->findings[i].severity, EM_SEV_INFO);
}

static void t_shared_devices(void)
{
    /* one UTM (same host name) behind two lines; two rows of one line share devices */
    T_EQ_INT(load(HDR
                  "1,インターネット,あり,固定IP,203.0.113.1,,,,あり,,A,B,C,電子カルテ,,,,ONU,,,,,ファイアウォール/UTM,core-utm,Fortinet,FortiGate-100F,7.4.4,,装置②実機確認実施\n"
                  "1,インターネットVPN,あり,固定IP,203.0.113.1,,,,あり,,A,B,C,電子カルテ,,,,ONU,,,,,ファイアウォール/UTM,,Fortinet,FortiGate-100F,7.4.4\n"
                  "2,インターネット,あり,固定IP,198.51.100.2,,,,あり,,D,E,F,電子カルテ,,,,ONU,,,,,ファイアウォール/UTM,CORE-UTM,Fortinet,FortiGate-100F,7.4.4\n"), 0);
    T_EQ_INT(m->n_lines, 2);
    T_EQ_INT(m->paths[0].dev[1], m->paths[1].dev[1]);
    T_EQ_INT(m->paths[0].dev[1], m->paths[2].dev[1]);  /* host names compare case-insensitively */
    T_ASSERT(m->paths[0].dev[0] != m->paths[2].dev[0]);  /* each line its own ONU */
    T_EQ_INT(m->n_devices, 3);
    T_EQ_INT(count("W-FIRMWARE-UNVERIFIED"), 0);
}

static void t_password_column_dropped(void)
{
    T_EQ_INT(load("回線No,通信形態,パスワード,月額費用\n1,閉域網,Secret-P@ss,5000\n"), 0);
    char *json = em_model_json_string(m, NULL, NULL);
    T_ASSERT(json != NULL);
    int leaked = strstr(json, "Secret-P@ss") != NULL;
    int extra = strstr(json, "月額費用") != NULL;
    free(json);
    T_ASSERT(!leaked);
    T_ASSERT(extra);  /* unknown columns are kept */
}

static void t_header_variants(void)
{
    /* header not on row 1, English keys, prefixed device fields in several spellings;
       設置場所 is not 回線終端装置設置場所 */
    T_EQ_INT(load("みなと病院 回線一覧\n\n"
                  "line_no,COMM_TYPE,装置① メーカー,装置①・機種名,dev2_type,装置②機種名,回線終端装置設置場所,設置場所\n"
                  "1,閉域網,NEC,IX2215,ルーター,RTX830,本館,サーバ室\n"), 0);
    T_EQ_INT(m->n_paths, 1);
    T_EQ_INT(m->paths[0].src.row, 4);
    const struct em_device *d1 = &m->devices[m->paths[0].dev[0]];
    const struct em_device *d2 = &m->devices[m->paths[0].dev[1]];
    T_EQ_STR(d1->maker, "NEC");
    T_EQ_STR(d1->model, "IX2215");
    T_EQ_STR(d2->model, "RTX830");
    T_EQ_INT(d2->type, EM_DEV_ROUTER);
    T_EQ_STR(m->lines[0].ctu_location, "本館");
}

static void t_two_row_header(void)
{
    /* group labels above the field names (as Excel users make it, here in CSV) */
    T_EQ_INT(load("回線No,通信形態,装置①,,装置②,,備考\n"
                  ",,装置の種類,メーカー,装置の種類,メーカー,\n"
                  "1,閉域網,ONU,NEC,ルーター,ヤマハ,\n"), 0);
    T_EQ_INT(m->n_paths, 1);
    T_EQ_INT(m->paths[0].src.row, 3);
    T_EQ_STR(m->devices[m->paths[0].dev[0]].maker, "NEC");
    T_EQ_STR(m->devices[m->paths[0].dev[1]].maker, "ヤマハ");
    T_EQ_INT(m->devices[m->paths[0].dev[1]].type, EM_DEV_ROUTER);
}

static void t_no_header(void)
{
    char path[] = "/tmp/em-rec-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    T_ASSERT(fd >= 0);
    T_ASSERT(write(fd, "a,b\n1,2\n", 8) == 8);
    close(fd);
    struct em_model *x = em_model_new();
    struct em_err err = {0};
    int rc = em_records_load(x, path, &err);
    unlink(path);
    em_model_free(x);
    T_EQ_INT(rc, EM_ERR_NOSHEET);
    T_ASSERT(strstr(err.msg, "通信形態") != NULL);
}

static void t_graph(void)
{
    T_EQ_INT(load(HDR
                  "1,インターネット,あり,固定IP,203.0.113.1,,,,あり,,A,B,C,電子カルテ\n"
                  "2,閉域網,なし,,,,,,,,NTT東日本,フレッツ・VPN ワイド,C,PACS,保守業者X,リモート保守\n"
                  "3,電話回線のみ,なし,,,,,,なし,,NTT東日本,加入電話,C,医療機器\n"), 0);
    int internet = 0, closed = 0, phone = 0, party_maint = 0;
    for (size_t i = 0; i < m->n_outside; i++) {
        if (m->outside[i].kind == EM_NODE_NET_INTERNET) internet++;
        if (m->outside[i].kind == EM_NODE_NET_CLOSED) closed++;
        if (m->outside[i].kind == EM_NODE_NET_PHONE) phone++;
        if (m->outside[i].kind == EM_NODE_PARTY && m->outside[i].maintenance) party_maint++;
    }
    T_EQ_INT(internet, 1);
    T_EQ_INT(closed, 1);
    T_EQ_INT(phone, 1);
    T_EQ_INT(party_maint, 1);
    int emr_dotted = 0, emr_solid = 0;
    for (size_t i = 0; i < m->n_edges; i++)
        if (strcmp(m->edges[i].to, "emr") == 0) {
            if (m->edges[i].emr_unknown) emr_dotted++;
            else emr_solid++;
        }
    T_EQ_INT(emr_solid, 1);   /* line 1 → EMR segment */
    T_EQ_INT(emr_dotted, 1);  /* PACS → EMR, link unknown */
}

static void t_english(void)
{
    em_lang_set(EM_LANG_EN);
    int rc = load(HDR "1,,なし\n");
    em_lang_set(EM_LANG_JA);
    T_EQ_INT(rc, 0);
    T_ASSERT(m->n_findings > 0);
    T_ASSERT(strstr(MSG(&m->findings[0]), "blank") != NULL);
}

static void t_cleanup(void)
{
    em_model_free(m);
    m = NULL;
}

static const struct t_case cases[] = {
    {"records: clean row has no findings, ids and scope", t_clean},
    {"rules: E-COMM-TYPE blank and invalid; full-width VPN normalised", t_comm_type},
    {"rules: E-IP-KIND-MISSING, E-FIXED-IP-MISSING, E-IP-SYNTAX, E-IP-NOT-GLOBAL", t_ip_rules},
    {"rules: E-DEV2-TYPE", t_dev2_type},
    {"rules: E-LINE-CONFLICT; rows sharing 回線No are one line", t_line_conflict},
    {"rules: W-EMR-UNKNOWN with and without 備考 explanation", t_emr_unknown},
    {"rules: W-GLOBAL-IP-EXPECTED and W-NOT-NEEDED; scan scope", t_global_ip_expected_and_not_needed},
    {"rules: W-PROVIDER-MISSING and W-FQDN-SYNTAX", t_fqdn},
    {"rules: W-DYNAMIC-IP", t_dynamic},
    {"rules: H-VULN-FIRMWARE and W-FIRMWARE-UNVERIFIED", t_firmware},
    {"records: shared devices by host name, line devices shared by rows", t_shared_devices},
    {"records: password column never stored; unknown column kept", t_password_column_dropped},
    {"records: header search, English keys, prefixed device fields", t_header_variants},
    {"records: two-row grouped header", t_two_row_header},
    {"records: no header row is a clear error", t_no_header},
    {"model: outside networks, maintenance party, EMR edges", t_graph},
    {"rules: --lang en messages", t_english},
    {"cleanup", t_cleanup},
};
T_MAIN(cases)
