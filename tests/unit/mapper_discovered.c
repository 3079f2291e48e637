/* Unit tests for the DISC.json merge (mapper/discovered.c): small records written as
 * CSV, small DISC.json documents in the shape snmp/json.c writes. */
#include <stdlib.h>
#include <unistd.h>

#include "mapper/discovered.h"
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
};

int main(void)
{
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    em_model_free(m);
    return rc;
}
