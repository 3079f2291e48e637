/* Unit tests for the DISC.json merge (mapper/discovered.c): small records written as
 * CSV, small DISC.json documents in the shape snmp/json.c writes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "mapper/discovered.h"
#include "mapper/evidence.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/records.h"
#include "mapper/scan.h"
#include "mapper_fixture.h"
#include "t.h"

/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})

#define HDR "回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続," \
            "装置①_装置の種類,装置①_ホスト名,装置①_管理IPアドレス,装置①_メーカー,装置①_機種名\n"
#define ROWS HDR \
    "1,インターネット,あり,固定IP,203.0.113.10,あり,ルーター,rt01,192.168.1.1,YAMAHA,RTX830\n"          /* row 2 */ \
    "2,インターネットVPN,あり,固定IP,\"198.51.100.20, 198.51.100.21\",あり,ルーター,rt02,192.168.2.1,NEC,IX2215\n" \
    "3,インターネット,あり,固定IP,203.0.113.32/29,あり,ファイアウォール/UTM,utm03,10.0.3.1,Fortinet,FortiGate-60F\n" \
    "4,インターネット,あり,固定IP,2001:db8::10,あり,ルーター,rt04,,YAMAHA,RTX1220\n"                    /* row 5 */ \
    "5,閉域網,なし,,,あり,ルーター,vpn05,192.168.5.1,NEC,IX2106\n"                                       /* row 6 */

#define DISC(scopes, seeds, devices, links, nbrs) \
    "{\n  \"schema\": \"edgemap-discovery/1\",\n  \"mode\": \"snmp\",\n  \"scopes\": [" scopes "],\n" \
    "  \"seeds\": [" seeds "],\n  \"devices\": [" devices "],\n  \"links\": [" links "],\n" \
    "  \"neighbors_not_queried\": [" nbrs "],\n  \"errors\": [],\n  \"timings\": {}\n}\n"
#define ADDR(a, g) "{\"address\": \"" a "\", \"family\": \"ipv4\", \"global\": " g "}"
#define DEV(id, name, queried, addrs, hops) "{\"id\": \"" id "\", \"sys_name\": \"" name "\", \"queried\": \"" queried \
    "\", \"also_reached_at\": [], \"addresses\": [" addrs "], \"default_next_hops\": [" hops "]}"
#define LINK(a, b) "{\"local\": {\"device\": \"" a "\", \"port\": \"ge1\"}, \"remote\": {\"device\": \"" b \
    "\", \"port\": \"ge2\"}, \"evidence\": \"both\"}"

static struct em_model *m;
static struct em_err err;

static void load_records(void)
{
    int rc = fx_load_csv(&m, ROWS, &err);
    if (rc != 0) T_FAIL("records: %s (rc %d)", err.msg, rc);
}

static int merge(const char *json)
{
    em_err_clear(&err);
    int rc = em_discovered_merge_mem(m, "disc.json", json, strlen(json), &err);
    em_model_sort_findings(m);
    return rc;
}

static const struct em_device *dev(const char *host)
{
    for (size_t i = 0; i < m->n_devices; i++)
        if (strcmp(m->devices[i].hostname, host) == 0) return &m->devices[i];
    return NULL;
}

static const struct em_finding *find(const char *code, const char *needle)
{
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, code) == 0 && strstr(MSG(&m->findings[i]), needle)) return &m->findings[i];
    return NULL;
}

static size_t count(const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_findings; i++)
        if (strcmp(m->findings[i].code, code) == 0) n++;
    return n;
}

static void t_both(void)
{
    load_records();
    size_t nd = m->n_devices;
    T_EQ_INT(merge(DISC("", "",
                        DEV("dev-1", "RT01.example.jp", "10.9.9.1", ADDR("10.9.9.1", "false"), ADDR("203.0.113.1", "true")) ","
                        DEV("dev-2", "core", "192.168.2.1", "", "") ","
                        DEV("dev-3", "fw", "10.8.8.8", ADDR("203.0.113.34", "true"), "") ","
                        DEV("dev-4", "", "2001:DB8::10", "", ""),
                        "", "")), 0);
    T_EQ_INT(m->n_devices, nd);  /* all four matched a declared device */
    T_EQ_INT(dev("rt01")->source, EM_SRC_BOTH);   /* host name, case and domain aside */
    T_EQ_STR(dev("rt01")->disc_id, "dev-1");
    T_EQ_INT(dev("rt02")->source, EM_SRC_BOTH);   /* management IP */
    T_EQ_INT(dev("utm03")->source, EM_SRC_BOTH);  /* address inside its declared /29 */
    T_EQ_INT(dev("rt04")->source, EM_SRC_BOTH);   /* its declared global IPv6 address */
    T_EQ_INT(dev("vpn05")->source, EM_SRC_DECLARED);
    /* a declared router's default route to its ISP is expected, not a finding */
    T_EQ_INT(count("H-UNDOCUMENTED-PATH"), 0);
    T_EQ_INT(count("H-UNVERIFIED-LINE"), 0);  /* no scope, no seed: nothing was asked */
    T_EQ_STR(m->sources[m->n_sources - 1], "disc.json");
}

static void t_discovered_and_undocumented(void)
{
    load_records();
    size_t nd = m->n_devices;
    T_EQ_INT(merge(DISC("\"10.0.0.0/8\"", "",
                        DEV("dev-1", "sw-x", "10.1.1.1", ADDR("10.1.1.1", "false") "," ADDR("198.51.100.200", "true"), "") ","
                        DEV("dev-2", "sw-y", "10.1.1.2", ADDR("10.1.1.2", "false"), ADDR("203.0.113.1", "true")) ","
                        DEV("dev-3", "sw-z", "10.1.1.3", ADDR("10.1.1.3", "false") "," ADDR("127.0.0.1", "false"),
                            ADDR("10.1.1.254", "false")),
                        LINK("dev-1", "dev-2") "," LINK("dev-2", "dev-1") "," LINK("dev-1", "nbr-1") "," LINK("dev-1", "ghost"),
                        "{\"id\": \"nbr-1\", \"sys_name\": \"isp-rtr\", \"capabilities\": [\"router\"], "
                        "\"addresses\": [" ADDR("192.0.2.9", "true") "], \"reason\": \"out_of_scope\"}")), 0);
    T_EQ_INT(m->n_devices, nd + 4);
    const struct em_device *x = dev("sw-x");
    T_ASSERT(x);
    T_EQ_INT(x->source, EM_SRC_DISCOVERED);
    T_EQ_STR(x->id, "disc-dev-1");
    T_EQ_INT(x->src.row, 0);
    T_EQ_INT(x->n_addresses, 2);
    T_EQ_INT(dev("sw-z")->n_addresses, 1);  /* loopback left out */
    T_EQ_INT(dev("isp-rtr")->type, EM_DEV_ROUTER);
    const struct em_finding *f = find("H-UNDOCUMENTED-PATH", "sw-x");
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_ERROR);
    T_EQ_INT(f->row, 0);
    T_EQ_STR(f->file, "disc.json");
    T_ASSERT(strstr(MSG(f), "198.51.100.200"));
    f = find("H-UNDOCUMENTED-PATH", "sw-y");
    T_ASSERT(f);
    T_ASSERT(strstr(MSG(f), "203.0.113.1"));  /* default route to a global next hop */
    T_ASSERT(find("H-UNDOCUMENTED-PATH", "isp-rtr"));
    T_ASSERT(!find("H-UNDOCUMENTED-PATH", "sw-z"));
    T_EQ_INT(count("H-UNDOCUMENTED-PATH"), 3);
    /* links: dev-1 <-> dev-2 once, dev-1 -> nbr-1; an unknown end is skipped */
    size_t ne = 0;
    for (size_t i = 0; i < m->n_edges; i++)
        if (m->edges[i].discovered) ne++;
    T_EQ_INT(ne, 2);
}

static void t_declared_extra_global(void)
{
    load_records();
    T_EQ_INT(merge(DISC("", "", DEV("dev-1", "rt01", "192.168.1.1",
                                    ADDR("192.168.1.1", "false") "," ADDR("203.0.113.10", "true") "," ADDR("192.0.2.77", "true"),
                                    ""), "", "")), 0);
    T_EQ_INT(dev("rt01")->source, EM_SRC_BOTH);
    const struct em_finding *f = find("H-UNDOCUMENTED-PATH", "192.0.2.77");
    T_ASSERT(f);
    T_EQ_INT(f->row, 2);
    T_EQ_STR(f->column, "グローバルIPアドレス");
    T_EQ_STR(f->line_no, "1");
    T_ASSERT(!strstr(MSG(f), "203.0.113.10"));  /* declared */
    T_EQ_INT(count("H-UNDOCUMENTED-PATH"), 1);
}

static void t_unverified(void)
{
    load_records();
    T_EQ_INT(merge(DISC("\"192.168.0.0/16\"", "\"RT04\"", DEV("dev-1", "rt01", "192.168.1.1", "", ""), "", "")), 0);
    /* vpn05 (192.168.5.1) is in scope but on a closed carrier network: the carrier's
     * device, not expected to answer (mapper/evidence.h, the diagram's 未確認 rule) */
    T_ASSERT(!find("H-UNVERIFIED-LINE", "vpn05"));
    T_ASSERT(!dev("vpn05")->disc_unverified);
    const struct em_finding *f = find("H-UNVERIFIED-LINE", "rt02");   /* 192.168.2.1 in scope, not seen */
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_WARNING);
    T_EQ_INT(f->row, 3);
    T_EQ_STR(f->column, "装置①_管理IPアドレス");
    T_EQ_STR(f->line_no, "2");
    T_ASSERT(strstr(MSG(f), "192.168.2.1"));
    T_ASSERT(dev("rt02")->disc_unverified);
    f = find("H-UNVERIFIED-LINE", "rt04");          /* a seed (host name, any case) */
    T_ASSERT(f);
    T_EQ_INT(f->row, 5);
    T_ASSERT(!find("H-UNVERIFIED-LINE", "rt01"));  /* seen */
    T_ASSERT(!find("H-UNVERIFIED-LINE", "utm03")); /* 10.0.3.1 outside the scope */
    T_EQ_INT(count("H-UNVERIFIED-LINE"), 2);
}

static void t_bad_input(void)
{
    load_records();
    size_t nf = m->n_findings, nd = m->n_devices, ns = m->n_sources;
    T_EQ_INT(merge("{\"schema\": \"edgemap/1\", \"lines\": []}"), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "edgemap-discovery/1"));
    T_ASSERT(strstr(err.msg, "edgemap/1"));
    T_EQ_STR(err.file, "disc.json");
    T_EQ_INT(merge("{\"devices\": []}"), EM_ERR_FORMAT);  /* no schema */
    T_EQ_INT(merge("[1, 2]"), EM_ERR_FORMAT);
    T_EQ_INT(merge("not json"), EM_ERR_FORMAT);
    T_EQ_INT(merge(""), EM_ERR_FORMAT);
    const char *full = DISC("", "", DEV("dev-1", "sw-x", "10.1.1.1", ADDR("198.51.100.200", "true"), ""), "", "");
    em_err_clear(&err);
    T_EQ_INT(em_discovered_merge_mem(m, "disc.json", full, strlen(full) / 2, &err), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "途中で切れて"));
    T_EQ_INT(merge("{\"schema\": \"edgemap-discovery/1\"} trailing"), EM_ERR_FORMAT);
    char deep[400] = "{\"schema\": \"edgemap-discovery/1\", \"x\": ";
    for (int i = 0; i < 40; i++) strncat(deep, "[", sizeof deep - strlen(deep) - 1);
    for (int i = 0; i < 40; i++) strncat(deep, "]", sizeof deep - strlen(deep) - 1);
    strncat(deep, "}", sizeof deep - strlen(deep) - 1);
    T_EQ_INT(merge(deep), EM_ERR_FORMAT);
    em_err_clear(&err);
    T_EQ_INT(em_discovered_merge(m, "/nonexistent/disc.json", &err), EM_ERR_IO);
    T_EQ_INT(m->n_findings, nf);  /* a refused file changes nothing */
    T_EQ_INT(m->n_devices, nd);
    T_EQ_INT(m->n_sources, ns);
}

static void t_tolerant(void)
{
    load_records();
    size_t nd = m->n_devices;
    T_EQ_INT(merge("{\"schema\": \"edgemap-discovery/1\"}"), 0);
    T_EQ_INT(m->n_devices, nd);
    load_records();
    T_EQ_INT(merge("{\"schema\": \"edgemap-discovery/1\", \"devices\": [5, null, {\"id\": 7, \"sys_name\": [\"x\"]}, "
                   "{\"sys_name\": \"sw-q\", \"addresses\": [\"10.2.2.2\", {\"address\": 5}, {\"address\": \"junk\"}]}],"
                   " \"links\": [], \"scopes\": [1, \"bad\"], \"seeds\": null}"), 0);
    T_EQ_INT(m->n_devices, nd + 1);
    T_EQ_INT(dev("sw-q")->n_addresses, 1);
    T_EQ_STR(dev("sw-q")->mgmt_ip, "10.2.2.2");
    /* odd items inside a list are skipped, but a top-level list that is not a list at
     * all means the file is not what discover wrote: refused, never read as empty */
    load_records();
    T_EQ_INT(merge("{\"schema\": \"edgemap-discovery/1\", \"links\": {\"a\": 1}}"), -2);
    load_records();
    T_EQ_INT(merge("{\"schema\": \"edgemap-discovery/1\", \"devices\": \"oops\"}"), -2);
    T_EQ_INT(m->n_devices, nd);
}

static void t_twice(void)
{
    load_records();
    const char *j = DISC("\"192.168.0.0/16\"", "", DEV("dev-1", "sw-x", "10.1.1.1", ADDR("198.51.100.200", "true"), ""), "", "");
    T_EQ_INT(merge(j), 0);
    size_t nf = m->n_findings, nd = m->n_devices;
    T_EQ_INT(merge(j), 0);
    T_EQ_INT(m->n_findings, nf);
    T_EQ_INT(m->n_devices, nd);
    /* a second file that sees the same switch: it is the same discovered device */
    const char *k = DISC("", "", DEV("dev-9", "SW-X", "10.1.1.1", ADDR("10.1.1.1", "false"), ""), "", "");
    em_err_clear(&err);
    T_EQ_INT(em_discovered_merge_mem(m, "disc2.json", k, strlen(k), &err), 0);
    T_EQ_INT(m->n_devices, nd);
    T_EQ_INT(dev("sw-x")->source, EM_SRC_DISCOVERED);
}

/* A link discovery saw between two declared devices is recorded on the declared edge,
 * whichever way the sheet or LLDP wrote it (seen_ends: 2 both ends, 1 one end, an
 * inferred link nothing); between declared devices with no declared edge, and between
 * discovered ones, it becomes one discovered edge per pair however often it is listed. */
static void t_links_on_declared_edges(void)
{
    const char *csv =
        "回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,"
        "装置①_装置の種類,装置①_ホスト名,装置①_管理IPアドレス,装置②_装置の種類,装置②_ホスト名,装置②_管理IPアドレス\n"
        "1,インターネット,あり,固定IP,203.0.113.10,あり,ルーター,rt01,192.168.1.1,ファイアウォール/UTM,fw01,192.168.1.2\n"
        "2,インターネット,あり,固定IP,203.0.113.20,あり,ルーター,rt02,192.168.2.1,ファイアウォール/UTM,fw02,192.168.2.2\n"
        "3,インターネット,あり,固定IP,203.0.113.30,あり,ルーター,rt03,192.168.3.1,,,\n";
    int rc = fx_load_csv(&m, csv, &err);
    if (rc != 0) T_FAIL("records: %s (rc %d)", err.msg, rc);
    size_t ne = m->n_edges;
    const char *j = DISC("", "",
                         DEV("d1", "fw01", "192.168.1.2", "", "") "," DEV("d2", "rt01", "192.168.1.1", "", "") ","
                         DEV("d3", "rt02", "192.168.2.1", "", "") "," DEV("d4", "fw02", "192.168.2.2", "", "") ","
                         DEV("d5", "rt03", "192.168.3.1", "", "") "," DEV("d6", "sw-x", "10.1.1.6", "", ""),
                         /* fw01 → rt01: the declared rt01 → fw01 backwards, seen from both ends */
                         LINK("d1", "d2") ","
                         /* rt02 → fw02 inferred only: no evidence on the declared edge */
                         "{\"local\": {\"device\": \"d3\"}, \"remote\": {\"device\": \"d4\"}, \"evidence\": \"inferred\"},"
                         /* rt03 - rt01: declared devices without a declared edge, listed twice */
                         LINK("d5", "d2") "," LINK("d2", "d5") ","
                         /* a discovered switch */
                         LINK("d6", "d5"),
                         "");
    T_EQ_INT(merge(j), 0);
    size_t r1 = EM_NONE, r2 = EM_NONE, f1 = EM_NONE, f2 = EM_NONE, r3 = EM_NONE, sw = EM_NONE;
    for (size_t i = 0; i < m->n_devices; i++) {
        const char *h = m->devices[i].hostname;
        if (strcmp(h, "rt01") == 0) r1 = i;
        if (strcmp(h, "rt02") == 0) r2 = i;
        if (strcmp(h, "fw01") == 0) f1 = i;
        if (strcmp(h, "fw02") == 0) f2 = i;
        if (strcmp(h, "rt03") == 0) r3 = i;
        if (strcmp(h, "sw-x") == 0) sw = i;
    }
    T_ASSERT(r1 != EM_NONE && r2 != EM_NONE && f1 != EM_NONE && f2 != EM_NONE && r3 != EM_NONE && sw != EM_NONE);
    int seen1 = -1, seen2 = -1, n13 = 0, nsw = 0;
    for (size_t i = 0; i < m->n_edges; i++) {
        const struct em_edge *e = &m->edges[i];
        bool a1 = strcmp(e->from, m->devices[r1].id) == 0, b1 = strcmp(e->to, m->devices[f1].id) == 0;
        if (a1 && b1) { T_ASSERT(!e->discovered); seen1 = e->seen_ends; }
        if (strcmp(e->from, m->devices[r2].id) == 0 && strcmp(e->to, m->devices[f2].id) == 0) seen2 = e->seen_ends;
        bool x = strcmp(e->from, m->devices[r3].id) == 0 || strcmp(e->to, m->devices[r3].id) == 0;
        bool y = strcmp(e->from, m->devices[r1].id) == 0 || strcmp(e->to, m->devices[r1].id) == 0;
        if (x && y) { T_ASSERT(e->discovered); n13++; }
        if (strcmp(e->from, m->devices[sw].id) == 0 || strcmp(e->to, m->devices[sw].id) == 0) nsw++;
    }
    T_EQ_INT(seen1, 2);
    T_EQ_INT(seen2, 0);
    T_EQ_INT(n13, 1);
    T_EQ_INT(nsw, 1);
    T_EQ_INT(m->n_edges, ne + 2);
}

/* The one-pass em_discovery_can_see_all() agrees with em_discovery_can_see() on every
 * device: gear on an open line yes, a closed-network router or a mobile line's router no. */
static void t_can_see_all(void)
{
    const char *csv = HDR
        "1,インターネット,あり,固定IP,203.0.113.10,あり,ルーター,rt01,192.168.1.1,YAMAHA,RTX830\n"
        "5,閉域網,なし,,,あり,ルーター,vpn05,192.168.5.1,NEC,IX2106\n"
        "6,インターネット,あり,固定IP,203.0.113.60,あり,ONU,onu06,,NTT,GE-PON\n"
        "7,インターネット,あり,固定IP,203.0.113.70,あり,電話機,tel07,,NEC,DT400\n";
    char *csv2 = g_strdup_printf("%s%s", csv,
                                 "8,インターネット,あり,固定IP,203.0.113.80,あり,ルーター,lte08,192.168.8.1,NEC,IX2106\n");
    int rc = fx_load_csv(&m, csv2, &err);
    g_free(csv2);
    if (rc != 0) T_FAIL("records: %s (rc %d)", err.msg, rc);
    /* line 8 is a mobile line: its carrier column says so */
    for (size_t i = 0; i < m->n_lines; i++)
        if (strcmp(m->lines[i].line_no, "8") == 0) m->lines[i].carrier = "docomo LTE";
    bool *all = em_discovery_can_see_all(m);
    T_ASSERT(all);
    size_t yes = 0;
    for (size_t d = 0; d < m->n_devices; d++) {
        if (all[d] != em_discovery_can_see(m, d)) T_FAIL("device %s: all %d, one %d", m->devices[d].id, all[d], !all[d]);
        if (all[d]) yes++;
        bool want = strcmp(m->devices[d].hostname, "rt01") == 0;
        if (all[d] != want) T_FAIL("device %s (%s): %d", m->devices[d].id, m->devices[d].hostname, all[d]);
    }
    T_EQ_INT(yes, 1);
    free(all);
}

/* An edge's id is derived from its ends, never stored and never cut: discovered
 * device ids run to ~200 bytes, so the id of a link between two of them does not fit
 * em_edge_id's small buffer and must come out whole in the model JSON. */
static void t_long_edge_ids(void)
{
    load_records();
    char a[181], b[181];
    memset(a, 'a', 180);
    memset(b, 'b', 180);
    a[180] = b[180] = '\0';
    char *da = g_strdup_printf(DEV("%s", "sw-a", "10.1.1.1", ADDR("10.1.1.1", "false"), ""), a);
    char *db = g_strdup_printf(DEV("%s", "sw-b", "10.1.1.2", ADDR("10.1.1.2", "false"), ""), b);
    char *ln = g_strdup_printf(LINK("%s", "%s"), a, b);
    char *j = g_strdup_printf(DISC("", "", "%s,%s", "%s", ""), da, db, ln);
    T_EQ_INT(merge(j), 0);
    g_free(da);
    g_free(db);
    g_free(ln);
    g_free(j);
    char *want = g_strdup_printf("\"id\": \"e-disc-%s--disc-%s\"", a, b);
    T_EQ_INT(strlen(want), 7 + 2 + 5 + 180 + 2 + 5 + 180 + 1);   /* "id": "e-disc-…--disc-…" */
    char *json = em_model_json_string(m, NULL, NULL);
    T_ASSERT(json && strstr(json, want));
    free(json);
    g_free(want);
    /* every edge: "e-" from "--" to, in a small buffer or not */
    for (size_t i = 0; i < m->n_edges; i++) {
        const struct em_edge *e = &m->edges[i];
        char small[8], big[EM_EDGE_ID_BUF];
        char *x = em_edge_id(e, small, sizeof small), *y = em_edge_id(e, big, sizeof big);
        char *z = g_strdup_printf("e-%s--%s", e->from, e->to);
        T_ASSERT(x && y);
        T_EQ_STR(x, z);
        T_EQ_STR(y, z);
        T_ASSERT((x == small) == (strlen(z) < sizeof small) && (y == big) == (strlen(z) < sizeof big));
        em_edge_id_free(x, small);
        em_edge_id_free(y, big);
        g_free(z);
    }
}

static void t_english(void)
{
    load_records();
    em_lang_set(EM_LANG_EN);
    int rc = merge(DISC("\"192.168.2.0/24\"", "", DEV("dev-1", "sw-x", "10.1.1.1", ADDR("198.51.100.200", "true"), ""), "", ""));
    em_lang_set(EM_LANG_JA);
    T_EQ_INT(rc, 0);
    T_ASSERT(find("H-UNDOCUMENTED-PATH", "no row of the records declares"));
    T_ASSERT(find("H-UNVERIFIED-LINE", "was not found by discovery"));
}

/* A router maker's endpoint found by forwarding/ARP tables: a warning on the maker
 * alone, an error with a global address, nothing in a segment a row declares a line
 * for; the switch, port, MAC, maker and the chain from the EMR segment as evidence. */
static void t_router_maker(void)
{
    load_records();
    const char *j =
        "{\"schema\": \"edgemap-discovery/1\", \"devices\": ["
        DEV("dev-1", "core-rt", "10.20.0.1", ADDR("10.20.0.1", "false"), "") ","
        DEV("dev-2", "dept-sw", "10.20.0.11", ADDR("10.20.0.11", "false"), "") "],"
        "\"links\": [{\"local\": {\"device\": \"dev-2\", \"port\": \"ge3\"}, \"remote\": {\"device\": \"nbr-1\"},"
        " \"evidence\": \"inferred\"}],"
        "\"neighbors_not_queried\": ["
        "{\"id\": \"nbr-1\", \"source\": \"fdb\", \"confidence\": \"inferred\", \"mac\": \"00:a0:de:77:00:50\","
        " \"maker\": \"YAMAHA CORPORATION\", \"router_maker\": true, \"seen_by\": \"dev-2\", \"local_port\": \"ge3\","
        " \"segment\": \"seg-1\", \"vlan\": 20, \"addresses\": [" ADDR("10.20.0.50", "false") "]},"
        "{\"id\": \"nbr-2\", \"source\": \"fdb\", \"mac\": \"00:a0:de:00:00:02\", \"maker\": \"YAMAHA CORPORATION\","
        " \"router_maker\": true, \"seen_by\": \"dev-2\", \"local_port\": \"ge7\", \"segment\": \"seg-2\","
        " \"addresses\": [\"192.168.1.77\"]},"
        "{\"id\": \"nbr-3\", \"source\": \"arp\", \"mac\": \"00:1e:10:00:00:03\", \"maker\": \"HUAWEI TECHNOLOGIES CO.,LTD\","
        " \"router_maker\": true, \"seen_by\": \"dev-1\", \"local_port\": \"ge0\", \"segment\": \"seg-1\", \"vlan\": 99999,"
        " \"addresses\": [\"10.20.0.70\", \"198.51.100.99\"]},"
        "{\"id\": \"nbr-4\", \"source\": \"fdb\", \"mac\": \"02:00:00:00:06:00\", \"seen_by\": \"dev-2\","
        " \"local_port\": \"ge4\", \"segment\": \"seg-1\"}],"
        "\"segments\": [{\"id\": \"seg-1\", \"prefix\": \"10.20.0.0/24\", \"emr\": true, \"devices\": [\"dev-1\", \"dev-2\"]},"
        " {\"id\": \"seg-2\", \"prefix\": \"192.168.1.0/24\", \"emr\": false, \"devices\": []}],"
        "\"paths_out\": [{\"device\": \"nbr-1\", \"why\": \"made by YAMAHA CORPORATION, a router maker\","
        " \"chain\": \"10.20.0.0/24 (EMR) → dept-sw [ge3] → 00:a0:de:77:00:50\", \"global\": false}]}";
    size_t nd = m->n_devices;
    T_EQ_INT(merge(j), 0);
    T_EQ_INT(m->n_devices, nd + 6);
    const struct em_finding *f = find("H-UNDOCUMENTED-PATH", "00:a0:de:77:00:50");
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_WARNING);
    T_ASSERT(strstr(MSG(f), "dept-sw"));
    T_ASSERT(strstr(MSG(f), "ge3 (VLAN 20)"));                /* the VLAN it was learned in */
    T_ASSERT(strstr(MSG(f), "YAMAHA CORPORATION"));
    T_ASSERT(strstr(MSG(f), "10.20.0.0/24 (EMR) → dept-sw [ge3]"));
    T_ASSERT(!find("H-UNDOCUMENTED-PATH", "00:a0:de:00:00:02"));  /* rt01's segment: declared */
    f = find("H-UNDOCUMENTED-PATH", "00:1e:10:00:00:03");
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_ERROR);                          /* and a global address */
    T_ASSERT(strstr(MSG(f), "198.51.100.99"));
    T_ASSERT(strstr(MSG(f), "ge0") && !strstr(MSG(f), "VLAN"));   /* VLAN 99999: not a VLAN */
    T_ASSERT(!find("H-UNDOCUMENTED-PATH", "02:00:00:00:06:00"));  /* a PC: no maker hint */
    T_EQ_INT(count("H-UNDOCUMENTED-PATH"), 2);
    bool inferred = false;
    for (size_t i = 0; i < m->n_edges; i++) inferred = inferred || (m->edges[i].discovered && m->edges[i].inferred);
    T_ASSERT(inferred);
    const struct em_device *x = NULL;
    for (size_t i = 0; i < m->n_devices; i++)
        if (m->devices[i].disc_id && strcmp(m->devices[i].disc_id, "nbr-1") == 0) x = &m->devices[i];
    T_ASSERT(x);
    T_EQ_STR(x->maker, "YAMAHA CORPORATION");
    /* the drawing's inputs: the MAC, and which devices a finding named (never aggregated) */
    T_EQ_STR(x->mac, "00:a0:de:77:00:50");
    T_ASSERT(x->disc_flagged);
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *y = &m->devices[i];
        if (!y->disc_id) continue;
        bool want = strcmp(y->disc_id, "nbr-1") == 0 || strcmp(y->disc_id, "nbr-3") == 0;
        if (y->disc_flagged != want) T_FAIL("%s: disc_flagged %d", y->disc_id, y->disc_flagged);
        if (strcmp(y->disc_id, "nbr-4") == 0) T_EQ_STR(y->mac, "02:00:00:00:06:00");
        if (strcmp(y->disc_id, "dev-1") == 0) T_ASSERT(!y->mac);
    }
}

static const struct t_case cases[] = {
    {"disc_router_maker_endpoint", t_router_maker},
    {"disc_match_both", t_both},
    {"disc_discovered_and_undocumented", t_discovered_and_undocumented},
    {"disc_declared_device_extra_global", t_declared_extra_global},
    {"disc_unverified", t_unverified},
    {"disc_bad_input_refused", t_bad_input},
    {"disc_tolerant_of_missing_keys", t_tolerant},
    {"disc_merge_twice", t_twice},
    {"disc_english", t_english},
    {"disc_long_edge_ids_whole", t_long_edge_ids},
    {"disc_links_on_declared_edges", t_links_on_declared_edges},
    {"disc_can_see_all_agrees", t_can_see_all},
};

int main(void)
{
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    em_model_free(m);
    return rc;
}
