/* Unit tests for "survey truth" (records.md "One row = one line", "Several files are
 * one survey"): nothing a row declares is dropped, devices merge only by the rule,
 * rows and files that disagree are findings naming both places. Fixtures are CSVs as
 * vendors write them (PPPoE multi-session lines, one router per session). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "mapper/json.h"
#include "mapper/records.h"
#include "mapper/norm.h"
#include "t.h"

/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})

#define HDR "回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,回線事業者,回線サービス名,回線終端装置設置場所,システム名," \
            "装置①_装置の種類,装置①_ホスト名,装置①_メーカー,装置①_機種名,装置①_ファームウェアバージョン,装置①_レンタル装置,装置①_設置場所," \
            "装置②_装置の種類,装置②_ホスト名,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン,装置②_レンタル装置,装置②_設置場所,備考\n"

static struct em_model *m;
static char dir[64];

/* Writes text to dir/name; returns the path (static buffer per call slot). */
static const char *put(const char *name, const char *text)
{
    static char paths[4][128];
    static int k;
    char *p = paths[k++ % 4];
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) T_FAIL("cannot write %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

/* Loads files (NULL-terminated) as one survey, judged on 2026-11-25. */
static int load_files(const char *const *files)
{
    em_model_free(m);
    m = em_model_new();
    m->survey_date = "2026-11-25";
    struct em_err err = {0};
    for (size_t i = 0; files[i]; i++) {
        int rc = em_records_load(m, files[i], &err);
        if (rc != 0) return rc;
    }
    return em_model_finish(m, "data", &err);
}

static int load1(const char *text)
{
    const char *f[] = {put("a.csv", text), NULL};
    return load_files(f);
}

static size_t count(const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, code) == 0) n++;
    return n;
}

static const struct em_finding *find(const char *code, int row)
{
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, code) == 0 && m->findings[i].row == row) return &m->findings[i];
    return NULL;
}

/* The device that carries this model name, or NULL. */
static const struct em_device *dev_named(const char *model)
{
    for (size_t i = 0; i < m->n_devices; i++)
        if (strcmp(m->devices[i].model, model) == 0) return &m->devices[i];
    return NULL;
}

static void t_pppoe_two_routers(void)
{
    /* one フレッツ line, two PPPoE sessions: a YAMAHA on the Internet row, a FortiGate
       on the VPN row. The ONU (装置①) is one device; the routers are two. */
    T_EQ_INT(load1(HDR
                   "1,インターネット,あり,固定IP,203.0.113.10,あり,NTT東日本,フレッツ光ネクスト,本館1F,電子カルテ,"
                   "ONU,,NEC,GE-PON,,はい,本館1F,ルーター,,ヤマハ,RTX1210,Rev.14.01.38,いいえ,本館1F サーバ室,装置②実機確認実施\n"
                   "1,インターネットVPN,あり,固定IP,203.0.113.11,あり,NTT東日本,フレッツ光ネクスト,本館1F,電子カルテ,"
                   "ONU,,NEC,GE-PON,,はい,本館1F,ファイアウォール/UTM,,Fortinet,FortiGate-60E,FortiOS 6.0.4,いいえ,本館1F サーバ室,\n"), 0);
    T_EQ_INT(m->n_lines, 1);
    T_EQ_INT(m->n_paths, 2);
    T_EQ_INT(m->paths[0].dev[0], m->paths[1].dev[0]);   /* one ONU */
    T_ASSERT(m->paths[0].dev[1] != m->paths[1].dev[1]);  /* two routers */
    T_EQ_INT(m->n_devices, 3);
    T_EQ_INT(m->lines[0].n_devices, 3);
    const struct em_device *fg = dev_named("FortiGate-60E");
    T_ASSERT(fg != NULL);
    T_EQ_STR(fg->firmware, "FortiOS 6.0.4");
    T_EQ_INT(fg->src.row, 3);
    T_ASSERT(fg->n_cves >= 4);
    const struct em_finding *f = find("H-VULN-FIRMWARE", 3);
    T_ASSERT(f != NULL);
    T_ASSERT(strstr(MSG(f), "CVE-2018-13379") != NULL);
    T_EQ_INT(count("E-DEVICE-CONFLICT"), 0);
    /* both routers are on the chain of their own row */
    int line_to_fg = 0, line_to_yamaha = 0;
    for (size_t i = 0; i < m->n_edges; i++) {
        if (strcmp(m->edges[i].to, fg->id) == 0) line_to_fg = 1;
        if (strcmp(m->edges[i].to, dev_named("RTX1210")->id) == 0) line_to_yamaha = 1;
    }
    T_ASSERT(line_to_fg && line_to_yamaha);
    T_ASSERT(strcmp(fg->id, dev_named("RTX1210")->id) != 0);
}

static void t_vendor_kddi_router(void)
{
    /* a vendor line: the second row names a KDDI router in 装置① where the first names
       an NEC one. Neither may replace the other. */
    T_EQ_INT(load1(HDR
                   "V-1,閉域網,なし,,,あり,KDDI,KDDI Wide Area Virtual Switch,別館2F,医事会計,"
                   "ルーター,,NEC,IX2215,17.0.14,はい,別館2F,,,,,,,,\n"
                   "V-1,閉域網,なし,,,あり,KDDI,KDDI Wide Area Virtual Switch,別館2F,PACS,"
                   "ルーター,,KDDI,KDDI-RT01,2.3.1,はい,別館2F,,,,,,,,\n"), 0);
    T_EQ_INT(m->n_devices, 2);
    T_ASSERT(m->paths[0].dev[0] != m->paths[1].dev[0]);
    T_ASSERT(dev_named("KDDI-RT01") != NULL);
    T_ASSERT(dev_named("IX2215") != NULL);
    T_EQ_INT(count("E-DEVICE-CONFLICT"), 0);
}

static void t_blank_row_device_joins(void)
{
    /* a second row that repeats only the type (or nothing but the model) is the same
       ONU / router, filled in once by the vendor */
    T_EQ_INT(load1(HDR
                   "2,インターネット,あり,動的IP,,あり,NTT西日本,フレッツ光クロス,1F,電子カルテ,"
                   "ONU,,NEC,GE-PON,,はい,1F,ルーター,rt2,YAMAHA,RTX830,Rev.15.02.30,いいえ,1F,\n"
                   "2,インターネットVPN,あり,動的IP,,あり,NTT西日本,フレッツ光クロス,1F,電子カルテ,"
                   "ONU,,,,,,,ルーター,,YAMAHA,RTX830,,,,\n"), 0);
    T_EQ_INT(m->n_devices, 2);
    T_EQ_INT(m->paths[0].dev[0], m->paths[1].dev[0]);
    T_EQ_INT(m->paths[0].dev[1], m->paths[1].dev[1]);
    T_EQ_INT(m->devices[m->paths[0].dev[1]].n_rows, 2);
}

static void t_device_conflict(void)
{
    T_EQ_INT(load1(HDR
                   /* equal host name, different firmware: kept apart, both checked */
                   "3,インターネット,あり,固定IP,203.0.113.30,あり,A,B,C,電子カルテ,"
                   ",,,,,,,ファイアウォール/UTM,core-fw,Fortinet,FortiGate-100F,7.4.4,いいえ,サーバ室,\n"
                   "4,インターネットVPN,あり,固定IP,203.0.113.40,あり,D,E,F,電子カルテ,"
                   ",,,,,,,ファイアウォール/UTM,CORE-FW,Fortinet,FortiGate-100F,7.0.12,はい,サーバ室,\n"
                   /* same maker + model in the same slot of one line, rental differs */
                   "5,インターネット,あり,固定IP,203.0.113.50,あり,G,H,I,電子カルテ,"
                   "ルーター,,YAMAHA,RTX1210,Rev.14.01.38,はい,1F,,,,,,,,\n"
                   "5,インターネットVPN,あり,固定IP,203.0.113.51,あり,G,H,I,電子カルテ,"
                   "ルーター,,YAMAHA,RTX1210,Rev.14.01.38,いいえ,1F,,,,,,,,\n"), 0);
    const struct em_finding *f = find("E-DEVICE-CONFLICT", 3);
    T_ASSERT(f != NULL);
    T_ASSERT(strstr(MSG(f), "7.4.4") && strstr(MSG(f), "7.0.12"));
    T_ASSERT(strstr(MSG(f), "2") != NULL);                 /* names the other row */
    T_ASSERT(strstr(MSG(f), "レンタル装置") != NULL);       /* every differing column */
    T_ASSERT(m->paths[0].dev[1] != m->paths[1].dev[1]);
    /* the 7.0.12 device was run against the advisories too */
    int fw_7012 = 0;
    for (size_t i = 0; i < m->n_devices; i++)
        if (strcmp(m->devices[i].firmware, "7.0.12") == 0 && m->devices[i].fw_checked) fw_7012 = 1;
    T_ASSERT(fw_7012);
    f = find("E-DEVICE-CONFLICT", 5);
    T_ASSERT(f != NULL);
    T_ASSERT(strstr(MSG(f), "レンタル装置") != NULL);
    T_ASSERT(strstr(MSG(f), "ファームウェア") == NULL);
    T_EQ_INT(m->paths[2].dev[0], m->paths[3].dev[0]);
    T_EQ_INT(count("E-DEVICE-CONFLICT"), 2);

    /* same maker + model in one slot of one line, no host names, firmware differs:
       two devices, both checked, and the conflict names the firmware */
    T_EQ_INT(load1(HDR
                   "6,インターネット,あり,固定IP,203.0.113.60,あり,G,H,I,電子カルテ,"
                   ",,,,,,,ファイアウォール/UTM,,Fortinet,FortiGate-60E,FortiOS 6.0.4,いいえ,1F,\n"
                   "6,インターネットVPN,あり,固定IP,203.0.113.61,あり,G,H,I,電子カルテ,"
                   ",,,,,,,ファイアウォール/UTM,,Fortinet,FortiGate-60E,FortiOS 7.4.4,いいえ,1F,\n"), 0);
    T_ASSERT(m->paths[0].dev[1] != m->paths[1].dev[1]);
    f = find("E-DEVICE-CONFLICT", 3);
    T_ASSERT(f != NULL && strstr(MSG(f), "6.0.4") && strstr(MSG(f), "7.4.4"));
    T_ASSERT(m->devices[m->paths[0].dev[1]].fw_checked && m->devices[m->paths[1].dev[1]].fw_checked);
    T_ASSERT(find("H-VULN-FIRMWARE", 2) != NULL);
    T_EQ_INT(count("E-DEVICE-CONFLICT"), 1);
}

static void t_namesakes(void)
{
    /* a host name on two firmware versions: two devices; a third row naming the second
       exactly joins it (no third device, no second conflict) */
    T_EQ_INT(load1(HDR
                   "7,インターネット,あり,固定IP,203.0.113.70,あり,A,B,C,電子カルテ,"
                   ",,,,,,,ルーター,core,YAMAHA,RTX1210,Rev.14.01.38,,,\n"
                   "8,インターネット,あり,固定IP,203.0.113.80,あり,D,E,F,電子カルテ,"
                   ",,,,,,,ルーター,core,YAMAHA,RTX1210,Rev.14.01.20,,,\n"
                   "9,インターネット,あり,固定IP,203.0.113.90,あり,G,H,I,電子カルテ,"
                   ",,,,,,,ルーター,CORE,ヤマハ,RTX1210,Rev.14.01.20,,,\n"), 0);
    T_EQ_INT(m->n_devices, 2);
    T_EQ_INT(m->paths[1].dev[1], m->paths[2].dev[1]);
    T_EQ_INT(count("E-DEVICE-CONFLICT"), 1);
    T_ASSERT(find("H-VULN-FIRMWARE", 3) != NULL);   /* Rev.14.01.20 <= 14.01.33 */
}

/* The exact index rebuilds a remembered identity from its device (mapper/lines.c): a
 * device remembered while its firmware was blank and filled in later is still found by a
 * row naming it as it was first written (blank firmware), not by its host name, which
 * leads to an earlier namesake of another model. */
static void t_namesake_filled_later(void)
{
#define HDR_IP "回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,回線事業者,回線サービス名,回線終端装置設置場所,システム名," \
               "装置②_装置の種類,装置②_ホスト名,装置②_管理IPアドレス,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン\n"
    T_EQ_INT(load1(HDR_IP
                   "1,インターネット,あり,固定IP,203.0.113.1,あり,A,B,C,電子カルテ,ルーター,edge,,YAMAHA,RTX1210,Rev.14.01.38\n"
                   "2,インターネット,あり,固定IP,203.0.113.2,あり,A,B,C,電子カルテ,ルーター,edge,10.0.0.2,NEC,IX2215,\n"
                   "3,インターネット,あり,固定IP,203.0.113.3,あり,A,B,C,電子カルテ,ルーター,,10.0.0.2,NEC,IX2215,10.10.1\n"
                   "4,インターネット,あり,固定IP,203.0.113.4,あり,A,B,C,電子カルテ,ルーター,edge,10.0.0.2,NEC,IX2215,\n"), 0);
#undef HDR_IP
    T_EQ_INT(m->n_devices, 2);                      /* edge/RTX1210 and edge/IX2215 */
    T_EQ_INT(m->paths[2].dev[1], m->paths[1].dev[1]);   /* by its management IP */
    T_EQ_INT(m->paths[3].dev[1], m->paths[1].dev[1]);   /* exactly as row 2 wrote it */
    T_EQ_STR(m->devices[m->paths[1].dev[1]].firmware, "10.10.1");
}

static void t_two_files(void)
{
    const char *a = put("hospital.csv", HDR
        "10,インターネット,あり,固定IP,203.0.113.100,あり,NTT東日本,フレッツ光ネクスト,本館1F,電子カルテ,"
        "ONU,,NEC,GE-PON,,はい,本館1F,ルーター,rt-main,YAMAHA,RTX1210,Rev.14.01.38,いいえ,本館1F,\n"
        "11,閉域網,なし,,,なし,NTT東日本,フレッツ・VPN ワイド,本館1F,PACS,,,,,,,,,,,,,,,\n");
    const char *b = put("vendor.csv", HDR
        "10,インターネットVPN,あり,固定IP,203.0.113.100,あり,KDDI,auひかり,本館2F,電子カルテ,"
        "ONU,,NEC,GE-PON,,はい,本館1F,ルーター,rt-main,YAMAHA,RTX1210,Rev.14.01.38,いいえ,本館1F,\n"
        "11,閉域網,なし,,,なし,NTT東日本,フレッツ・VPN ワイド,本館1F,PACS,,,,,,,,,,,,,,,\n");
    const char *files[] = {a, b, NULL};
    T_EQ_INT(load_files(files), 0);
    T_EQ_INT(m->n_lines, 2);                                  /* 10 and 11, once each */
    T_EQ_INT(m->lines[0].n_paths, 2);
    T_EQ_INT(count("E-LINE-CONFLICT"), 1);                    /* one per row pair */
    const struct em_finding *f = find("E-LINE-CONFLICT", 2);
    T_ASSERT(f != NULL);
    T_ASSERT(strstr(f->file, "vendor.csv") != NULL);
    T_ASSERT(strstr(MSG(f), "hospital.csv") != NULL);
    T_ASSERT(strstr(MSG(f), "vendor.csv") != NULL);
    T_ASSERT(strstr(MSG(f), "KDDI") && strstr(MSG(f), "auひかり") && strstr(MSG(f), "本館2F"));
    /* the router declared identically in both files is one device with both sources */
    const struct em_device *rt = dev_named("RTX1210");
    T_ASSERT(rt != NULL);
    size_t n_rt = 0;
    for (size_t i = 0; i < m->n_devices; i++)
        if (strcmp(m->devices[i].model, "RTX1210") == 0) n_rt++;
    T_EQ_INT(n_rt, 1);
    T_EQ_INT(rt->n_srcs, 2);
    T_ASSERT(strstr(rt->srcs[0].file, "hospital.csv") != NULL);
    T_ASSERT(strstr(rt->srcs[1].file, "vendor.csv") != NULL);
    T_EQ_INT(count("E-DEVICE-CONFLICT"), 0);
}

static void t_as_written(void)
{
    /* shown as written: ② stays ②, （アナログ） keeps its full-width brackets, a line
       break in 備考 stays; matching still uses the normalised form (② verifies 装置②) */
    T_EQ_INT(load1("回線No,通信形態,電子カルテ接続,回線事業者,回線サービス名,システム名,装置②_装置の種類,装置②_メーカー,装置②_機種名,装置②_ファームウェアバージョン,備考,月額費用\n"
                   "1,電話回線のみ,なし,ＮＴＴ東日本,加入電話（アナログ）,医事会計,ルーター,ヤマハ,ＲＴＸ１２１０,Rev.14.01.38,\"装置②実機確認実施\r\n保守は㈱メディカル\",５，０００円\n"
                   "1,閉域網,なし,NTT東日本,加入電話(アナログ),PACS,,,,,,\n"), 0);
    const struct em_path *p = &m->paths[0];
    T_EQ_STR(p->service, "加入電話（アナログ）");
    T_EQ_STR(p->remarks, "装置②実機確認実施\n保守は㈱メディカル");
    T_ASSERT(p->verified[1]);
    T_EQ_STR(p->extra[0].value, "５，０００円");
    T_EQ_STR(m->lines[0].carrier, "ＮＴＴ東日本");
    T_EQ_INT(count("E-LINE-CONFLICT"), 0);              /* equal once normalised */
    const struct em_device *d = &m->devices[p->dev[1]];
    T_EQ_STR(d->model, "ＲＴＸ１２１０");
    T_ASSERT(d->verified);
    T_EQ_INT(count("W-FIRMWARE-UNVERIFIED"), 0);
    char *json = em_model_json_string(m, NULL, NULL);
    T_ASSERT(json != NULL);
    int both = strstr(json, "\"remarks\": \"装置②実機確認実施\\n保守は㈱メディカル\"") &&
               strstr(json, "\"remarks\": \"装置2実機確認実施\\n保守は(株)メディカル\"") &&
               strstr(json, "\"service\": \"加入電話(アナログ)\"");
    free(json);
    T_ASSERT(both);
}

/* Every row of an edge is kept, in row order, once each, however many rows share it:
 * 1,500 rows of one system make one segment → 電子カルテ系 edge (its list outgrows the
 * pool's doubling at 1,024 rows and is laid into the pool at its exact size). */
static void t_long_edge_rows(void)
{
    GString *csv = g_string_new(HDR);
    for (int i = 1; i <= 1500; i++)
        g_string_append_printf(csv, "%d,閉域網,なし,,,あり,NTT東日本,フレッツ・VPN ワイド,,部門システム,"
                                    "ルーター,rt%d,NEC,IX2106,10.8.21,なし,,,,,,,,,\n", i, i);
    int rc = load1(csv->str);
    g_string_free(csv, TRUE);
    T_EQ_INT(rc, 0);
    T_EQ_INT(m->n_paths, 1500);
    const struct em_edge *emr = NULL;
    for (size_t i = 0; i < m->n_edges; i++)
        if (strcmp(m->edges[i].to, "emr") == 0) emr = &m->edges[i];
    T_ASSERT(emr);
    T_EQ_INT(emr->n_rows, 1500);
    for (size_t k = 0; k < emr->n_rows; k++)
        if (emr->rows[k] != (int)k + 2) T_FAIL("rows[%zu] = %d, want %zu", k, emr->rows[k], k + 2);
    char *json = em_model_json_string(m, NULL, NULL);
    T_ASSERT(json && strstr(json, "1498,\n") && strstr(json, "1501\n"));
    free(json);
}

static void t_cleanup(void)
{
    em_model_free(m);
    m = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) T_FAIL("cannot remove %s", dir);
}

static void t_setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/em-survey-XXXXXX");
    if (!mkdtemp(dir)) T_FAIL("mkdtemp");
}

static const struct t_case cases[] = {
    {"setup", t_setup},
    {"survey: PPPoE multi-session line keeps both routers, FortiOS 6.0.4 reported", t_pppoe_two_routers},
    {"survey: vendor line with a KDDI router beside an NEC one", t_vendor_kddi_router},
    {"survey: a row repeating only type/model joins the line's device", t_blank_row_device_joins},
    {"survey: E-DEVICE-CONFLICT names every differing column; firmware kept apart", t_device_conflict},
    {"survey: namesake devices: a row naming the second exactly joins it", t_namesakes},
    {"survey: a namesake remembered with a blank firmware is found as first written after it is filled", t_namesake_filled_later},
    {"survey: two files are one survey (E-LINE-CONFLICT per row pair, one device, both sources)", t_two_files},
    {"survey: values shown as written, compared normalised; JSON carries both", t_as_written},
    {"survey: an edge of 1,500 rows keeps every row in order", t_long_edge_rows},
    {"cleanup", t_cleanup},
};
T_MAIN(cases)
