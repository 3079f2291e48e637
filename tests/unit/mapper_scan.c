/* Unit tests for the nmap XML import (mapper/scan.c): small records written as CSV,
 * small nmap XML documents written by the test, findings asserted one by one. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

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
    "1,インターネットVPN,あり,固定IP,203.0.113.10,あり,ルーター,rt01,192.168.1.1,YAMAHA,RTX830\n"       /* row 6 */

#define XML(body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n" \
    "<nmaprun scanner=\"nmap\" version=\"7.93\" xmloutputversion=\"1.05\">\n" body "</nmaprun>\n"
#define HOST(addr, state, reason, ports) "<host><status state=\"" state "\" reason=\"" reason "\" reason_ttl=\"0\"/>\n" \
    "<address addr=\"" addr "\" addrtype=\"ipv4\"/>\n<hostnames>\n</hostnames>\n<ports>" ports "</ports>\n</host>\n"
#define HOST6(addr, ports) "<host><status state=\"up\" reason=\"user-set\"/><address addr=\"" addr \
    "\" addrtype=\"ipv6\"/><ports>" ports "</ports></host>\n"
#define PORT(proto, id, state, svc) "<port protocol=\"" proto "\" portid=\"" id "\"><state state=\"" state \
    "\" reason=\"syn-ack\" reason_ttl=\"0\"/><service name=\"" svc "\" method=\"table\" conf=\"3\"/></port>\n"

static struct em_model *m;
static struct em_err err;

static void load_records(void)
{
    int rc = fx_load_csv(&m, ROWS, &err);
    if (rc != 0) T_FAIL("records: %s (rc %d)", err.msg, rc);
}

static int scan(const char *xml)
{
    em_err_clear(&err);
    int rc = em_scan_load_mem(m, "scan.xml", xml, strlen(xml), &err);
    em_model_sort_findings(m);
    return rc;
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

static void t_tcp_severity(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST("203.0.113.10", "up", "syn-ack",
                           PORT("tcp", "22", "open", "ssh") PORT("tcp", "8080", "open", "http-proxy")
                           PORT("tcp", "80", "closed", "http") PORT("tcp", "443", "filtered", "https")))), 0);
    T_EQ_INT(count("H-OPEN-SERVICE"), 2);
    T_EQ_INT(count("H-UNDECLARED-REACHABLE"), 0);
    const struct em_finding *f = find("H-OPEN-SERVICE", "22/tcp (ssh)");
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_ERROR);
    T_EQ_INT(f->row, 2);  /* the first row declaring the address (row 6 declares it too) */
    T_EQ_STR(f->column, "グローバルIPアドレス");
    T_EQ_STR(f->line_no, "1");
    T_EQ_STR(f->file, "scan.xml");
    T_ASSERT(strstr(MSG(f), "203.0.113.10"));
    f = find("H-OPEN-SERVICE", "8080/tcp");
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_WARNING);
    T_ASSERT(!find("H-OPEN-SERVICE", "80/tcp (http)"));  /* closed */
    T_ASSERT(!find("H-OPEN-SERVICE", "443/tcp"));
    T_EQ_INT(m->n_services, 2);
}

static void t_udp_severity(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST("203.0.113.10", "up", "user-set",
                           PORT("udp", "500", "open", "isakmp") PORT("udp", "4500", "open|filtered", "nat-t-ike")
                           PORT("tcp", "161", "open", "snmp") PORT("udp", "161", "open", "snmp")
                           PORT("udp", "53", "open", "domain") PORT("tcp", "3389", "open", "ms-wbt-server")))), 0);
    T_EQ_INT(count("H-OPEN-SERVICE"), 6);
    T_EQ_INT(find("H-OPEN-SERVICE", "500/udp")->severity, EM_SEV_ERROR);
    T_EQ_INT(find("H-OPEN-SERVICE", "4500/udp")->severity, EM_SEV_INFO);    /* open|filtered: a note */
    T_EQ_INT(find("H-OPEN-SERVICE", "161/tcp")->severity, EM_SEV_WARNING);  /* only 161/udp is listed */
    T_EQ_INT(find("H-OPEN-SERVICE", "161/udp")->severity, EM_SEV_ERROR);
    T_EQ_INT(find("H-OPEN-SERVICE", "53/udp")->severity, EM_SEV_WARNING);
    T_EQ_INT(find("H-OPEN-SERVICE", "3389/tcp")->severity, EM_SEV_ERROR);
    T_ASSERT(strstr(MSG(find("H-OPEN-SERVICE", "4500/udp")), "open|filtered"));
}

static void t_list_and_block(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST("198.51.100.21", "up", "syn-ack", PORT("tcp", "443", "open", "https"))
                      HOST("203.0.113.34", "up", "syn-ack", PORT("tcp", "10443", "open", "unknown"))
                      HOST("203.0.113.40", "up", "syn-ack", PORT("tcp", "25", "open", "smtp")))), 0);
    const struct em_finding *f = find("H-OPEN-SERVICE", "198.51.100.21");
    T_ASSERT(f);
    T_EQ_INT(f->row, 3);  /* second address of the list "198.51.100.20, 198.51.100.21" */
    f = find("H-OPEN-SERVICE", "203.0.113.34");
    T_ASSERT(f);
    T_EQ_INT(f->row, 4);  /* inside 203.0.113.32/29 */
    T_EQ_INT(f->severity, EM_SEV_ERROR);
    T_ASSERT(!find("H-OPEN-SERVICE", "203.0.113.40"));  /* .40 is outside the /29 */
    f = find("H-UNDECLARED-REACHABLE", "203.0.113.40");
    T_ASSERT(f);
    T_EQ_INT(f->severity, EM_SEV_ERROR);
    T_EQ_INT(f->row, 0);
    T_EQ_STR(f->column, "");
    T_ASSERT(strstr(MSG(f), "25/tcp (smtp)"));
    T_EQ_INT(count("H-UNDECLARED-REACHABLE"), 1);
}

static void t_many_ports_listed(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST("203.0.113.77", "up", "syn-ack",
                           PORT("tcp", "21", "open", "ftp") PORT("tcp", "22", "open", "ssh") PORT("tcp", "23", "open", "telnet")
                           PORT("tcp", "25", "open", "smtp") PORT("tcp", "80", "open", "http") PORT("tcp", "110", "open", "pop3")
                           PORT("tcp", "143", "open", "imap")))), 0);
    const struct em_finding *f = find("H-UNDECLARED-REACHABLE", "203.0.113.77");
    T_ASSERT(f);
    T_ASSERT(strstr(MSG(f), "80/tcp (http)"));
    T_ASSERT(!strstr(MSG(f), "110/tcp"));   /* five are named */
    T_ASSERT(strstr(MSG(f), "ほか（計 7）"));
    T_EQ_INT(m->n_services, 7);
}

static void t_ipv6(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST6("2001:0DB8:0:0::10", PORT("tcp", "443", "open", "https"))
                      HOST6("2001:db8::99", PORT("tcp", "80", "closed", "http"))
                      HOST6("fd00::1", PORT("tcp", "22", "open", "ssh")))), 0);
    const struct em_finding *f = find("H-OPEN-SERVICE", "443/tcp");
    T_ASSERT(f);
    T_EQ_INT(f->row, 5);
    T_ASSERT(strstr(MSG(f), "2001:db8::10"));  /* canonical form */
    T_ASSERT(find("H-UNDECLARED-REACHABLE", "2001:db8::99"));  /* a reset is an answer */
    T_EQ_INT(count("H-UNDECLARED-REACHABLE"), 1);  /* fd00::1 is not global */
    T_EQ_INT(count("H-OPEN-SERVICE"), 1);
}

static void t_down_and_pn(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST("203.0.113.50", "down", "no-response", "")
                      HOST("203.0.113.51", "up", "user-set", PORT("tcp", "22", "filtered", "ssh"))
                      HOST("203.0.113.52", "up", "user-set",
                           "<extraports state=\"closed\" count=\"998\"><extrareasons reason=\"reset\" count=\"998\"/></extraports>")
                      HOST("203.0.113.53", "up", "echo-reply", "")
                      HOST("192.168.9.9", "up", "syn-ack", PORT("tcp", "3389", "open", "ms-wbt-server")))), 0);
    T_ASSERT(!find("H-UNDECLARED-REACHABLE", "203.0.113.50"));
    T_ASSERT(!find("H-UNDECLARED-REACHABLE", "203.0.113.51"));  /* -Pn "up" with no answer */
    T_ASSERT(find("H-UNDECLARED-REACHABLE", "203.0.113.52"));
    T_ASSERT(find("H-UNDECLARED-REACHABLE", "203.0.113.53"));
    T_EQ_INT(count("H-UNDECLARED-REACHABLE"), 2);
    T_EQ_INT(count("H-OPEN-SERVICE"), 0);  /* 192.168.9.9 is private: recorded, no finding */
    T_EQ_INT(m->n_services, 1);
    T_EQ_INT(m->n_scan_hosts, 5);
}

static void t_hosthint_and_mac(void)
{
    load_records();
    T_EQ_INT(scan(XML("<hosthint><status state=\"up\" reason=\"arp-response\"/><address addr=\"203.0.113.60\" addrtype=\"ipv4\"/></hosthint>\n"
                      "<host><status state=\"up\" reason=\"arp-response\"/><address addr=\"203.0.113.10\" addrtype=\"ipv4\"/>"
                      "<address addr=\"02:00:00:00:00:01\" addrtype=\"mac\" vendor=\"x\"/><ports>"
                      PORT("tcp", "443", "open", "https") "</ports></host>\n")), 0);
    T_EQ_INT(count("H-UNDECLARED-REACHABLE"), 0);
    T_EQ_INT(count("H-OPEN-SERVICE"), 1);
    T_EQ_INT(m->n_scan_hosts, 1);
}

static void t_paths_flags(void)
{
    load_records();
    T_EQ_INT(scan(XML(HOST("203.0.113.10", "up", "user-set", PORT("tcp", "80", "closed", "http"))
                      HOST("198.51.100.20", "up", "user-set", PORT("tcp", "80", "filtered", "http")))), 0);
    T_EQ_INT(m->n_findings > 0 ? count("H-OPEN-SERVICE") : 0, 0);
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        int row = p->src.row;
        if (p->scanned != (row == 2 || row == 3 || row == 6)) T_FAIL("row %d scanned %d", row, p->scanned);
        T_EQ_INT(p->scan_up, row == 2 || row == 6);
    }
}

static void t_duplicate_loads(void)
{
    load_records();
    const char *x = XML(HOST("203.0.113.10", "up", "syn-ack", PORT("tcp", "22", "open", "ssh"))
                        HOST("203.0.113.99", "up", "syn-ack", PORT("tcp", "3389", "open", "ms-wbt-server")));
    T_EQ_INT(scan(x), 0);
    size_t n = m->n_findings, src = m->n_sources;
    T_EQ_INT(scan(x), 0);
    T_EQ_INT(m->n_findings, n);
    T_EQ_INT(m->n_sources, src);
    /* a second file: the same port again adds nothing, a new one adds one */
    em_err_clear(&err);
    const char *y = XML(HOST("203.0.113.10", "up", "syn-ack", PORT("tcp", "22", "open", "ssh") PORT("tcp", "23", "open", "telnet"))
                        HOST("203.0.113.99", "up", "syn-ack", ""));
    T_EQ_INT(em_scan_load_mem(m, "scan2.xml", y, strlen(y), &err), 0);
    T_EQ_INT(m->n_findings, n + 1);
    T_EQ_INT(m->n_sources, src + 1);
    T_EQ_INT(count("H-UNDECLARED-REACHABLE"), 1);
    /* open|filtered, then open in a later file: the note, then the real finding */
    T_EQ_INT(scan(XML(HOST("203.0.113.10", "up", "user-set", PORT("udp", "500", "open|filtered", "isakmp")))), 0);
    T_EQ_INT(find("H-OPEN-SERVICE", "500/udp")->severity, EM_SEV_INFO);
    em_err_clear(&err);
    const char *z = XML(HOST("203.0.113.10", "up", "user-set", PORT("udp", "500", "open", "isakmp")));
    T_EQ_INT(em_scan_load_mem(m, "scan3.xml", z, strlen(z), &err), 0);
    size_t k = 0;
    for (size_t i = 0; i < m->n_findings; i++)
        if (strstr(MSG(&m->findings[i]), "500/udp") && m->findings[i].severity == EM_SEV_ERROR) k++;
    T_EQ_INT(k, 1);
}

static void t_truncated(void)
{
    load_records();
    const char *x = XML(HOST("203.0.113.10", "up", "syn-ack", PORT("tcp", "22", "open", "ssh"))
                        HOST("203.0.113.99", "up", "syn-ack", PORT("tcp", "3389", "open", "ms-wbt-server")));
    size_t n0 = m->n_findings, s0 = m->n_sources;
    for (size_t cut = 40; cut < strlen(x) - 2; cut += 37) {
        em_err_clear(&err);
        int rc = em_scan_load_mem(m, "scan.xml", x, cut, &err);
        if (rc != EM_ERR_FORMAT) T_FAIL("cut at %zu: rc %d", cut, rc);
        T_EQ_STR(err.file, "scan.xml");
        T_ASSERT(err.msg[0]);
    }
    T_EQ_INT(m->n_findings, n0);  /* a broken file changes nothing */
    T_EQ_INT(m->n_sources, s0);
    T_EQ_INT(m->n_services, 0);
    /* the message for a file cut inside the results */
    em_err_clear(&err);
    T_EQ_INT(em_scan_load_mem(m, "scan.xml", x, strlen(x) - 12, &err), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "途中で切れて"));
    T_ASSERT(err.row > 1);
}

static void t_not_nmap(void)
{
    load_records();
    T_EQ_INT(scan("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><host/></svg>\n"), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "nmaprun"));
    T_ASSERT(strstr(err.msg, "<svg>"));
    T_EQ_INT(scan("Starting Nmap 7.93 ( https://nmap.org )\nNmap scan report for 203.0.113.10\n"), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "-oX"));
    T_EQ_INT(scan(""), EM_ERR_FORMAT);
    T_EQ_INT(scan("<?xml version=\"1.0\"?>"), EM_ERR_FORMAT);
    T_EQ_INT(count("H-OPEN-SERVICE") + count("H-UNDECLARED-REACHABLE"), 0);
}

static void t_entities(void)
{
    load_records();
    /* billion laughs */
    T_EQ_INT(scan("<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun [\n<!ENTITY a \"aaaaaaaaaa\">\n"
                  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n"
                  "<nmaprun><host><address addr=\"&c;\" addrtype=\"ipv4\"/></host></nmaprun>\n"), EM_ERR_FORMAT);
    T_ASSERT(strstr(err.msg, "ENTITY"));
    T_EQ_INT(err.row, 3);
    /* an entity standing for a declared address must not expand into a finding */
    T_EQ_INT(scan("<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun [<!ENTITY ip \"203.0.113.10\">]>\n"
                  "<nmaprun><host><status state=\"up\" reason=\"syn-ack\"/><address addr=\"&ip;\" addrtype=\"ipv4\"/>"
                  "<ports>" PORT("tcp", "22", "open", "ssh") "</ports></host></nmaprun>\n"), EM_ERR_FORMAT);
    /* an external entity (XXE) */
    T_EQ_INT(scan("<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                  "<nmaprun>&x;</nmaprun>\n"), EM_ERR_FORMAT);
    /* an undeclared entity reference */
    T_EQ_INT(scan("<?xml version=\"1.0\"?>\n<nmaprun><host><address addr=\"&ip;\" addrtype=\"ipv4\"/></host></nmaprun>\n"),
             EM_ERR_FORMAT);
    /* the same in UTF-16 (where "<!ENTITY" is not a byte string): read as UTF-8, refused */
    const char *a = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE nmaprun [<!ENTITY ip \"203.0.113.10\">]>"
                    "<nmaprun><host><status state=\"up\" reason=\"syn-ack\"/><address addr=\"&ip;\" addrtype=\"ipv4\"/>"
                    "<ports>" PORT("tcp", "22", "open", "ssh") "</ports></host></nmaprun>";
    char u16[2048];
    size_t n = 2;
    u16[0] = (char)0xff;
    u16[1] = (char)0xfe;
    for (size_t i = 0; a[i] && n + 2 < sizeof u16; i++) {
        u16[n++] = a[i];
        u16[n++] = 0;
    }
    em_err_clear(&err);
    T_EQ_INT(em_scan_load_mem(m, "scan.xml", u16, n, &err), EM_ERR_FORMAT);
    T_EQ_INT(count("H-OPEN-SERVICE") + count("H-UNDECLARED-REACHABLE"), 0);
    T_EQ_INT(m->n_scan_hosts, 0);
}

static void t_depth_cap(void)
{
    load_records();
    char x[4096] = "<?xml version=\"1.0\"?><nmaprun>";
    for (int i = 0; i < 40; i++) strncat(x, "<a>", sizeof x - strlen(x) - 1);
    for (int i = 0; i < 40; i++) strncat(x, "</a>", sizeof x - strlen(x) - 1);
    strncat(x, "</nmaprun>", sizeof x - strlen(x) - 1);
    T_EQ_INT(scan(x), EM_ERR_LIMIT);
}

static void t_files(void)
{
    load_records();
    em_err_clear(&err);
    T_EQ_INT(em_scan_load(m, "/nonexistent/scan.xml", &err), EM_ERR_IO);
    T_EQ_STR(err.file, "/nonexistent/scan.xml");
    char path[] = "/tmp/em-scan-XXXXXX.xml";
    int fd = mkstemps(path, 4);
    T_ASSERT(fd >= 0);
    const char *x = XML(HOST("203.0.113.10", "up", "syn-ack", PORT("tcp", "22", "open", "ssh")));
    size_t n = strlen(x) - 30;  /* nmap killed mid-write */
    T_ASSERT(write(fd, x, n) == (ssize_t)n);
    close(fd);
    em_err_clear(&err);
    int rc = em_scan_load(m, path, &err);
    T_EQ_INT(rc, EM_ERR_FORMAT);
    T_EQ_STR(err.file, path);
    char buf[2048];
    em_err_format(&err, buf, sizeof buf);
    T_ASSERT(strstr(buf, path));
    /* the complete file loads */
    fd = open(path, O_WRONLY | O_TRUNC);
    T_ASSERT(fd >= 0);
    T_ASSERT(write(fd, x, strlen(x)) == (ssize_t)strlen(x));
    close(fd);
    em_err_clear(&err);
    T_EQ_INT(em_scan_load(m, path, &err), 0);
    unlink(path);
    T_EQ_INT(count("H-OPEN-SERVICE"), 1);
    T_EQ_STR(m->sources[m->n_sources - 1], path);
}

static void t_english(void)
{
    load_records();
    em_lang_set(EM_LANG_EN);
    int rc = scan(XML(HOST("203.0.113.10", "up", "syn-ack", PORT("tcp", "443", "open", "https"))
                      HOST("203.0.113.99", "up", "syn-ack", PORT("tcp", "3389", "open", "ms-wbt-server"))));
    em_lang_set(EM_LANG_JA);
    T_EQ_INT(rc, 0);
    T_ASSERT(find("H-OPEN-SERVICE", "443/tcp (https) is open"));
    T_ASSERT(find("H-UNDECLARED-REACHABLE", "no row of the records lists it"));
}

static void t_ipset(void)
{
    struct em_ipset *s = em_ipset_new();
    T_ASSERT(s);
    T_EQ_INT(em_ipset_add(s, "203.0.113.32/29", 1), 0);
    T_EQ_INT(em_ipset_add(s, "2001:db8:1::/48", 2), 0);
    T_EQ_INT(em_ipset_add(s, "198.51.100.7", 3), 0);
    T_EQ_INT(em_ipset_add(s, "not-an-ip", 4), 1);
    T_EQ_INT(em_ipset_add(s, "10.0.0.0/33", 4), 1);
    T_EQ_INT(em_ipset_find(s, "203.0.113.32"), 1);
    T_EQ_INT(em_ipset_find(s, "203.0.113.39"), 1);
    T_EQ_INT((long long)em_ipset_find(s, "203.0.113.40"), (long long)EM_NONE);
    T_EQ_INT((long long)em_ipset_find(s, "203.0.113.31"), (long long)EM_NONE);
    T_EQ_INT(em_ipset_find(s, "2001:db8:1:ffff::1"), 2);
    T_EQ_INT((long long)em_ipset_find(s, "2001:db8:2::1"), (long long)EM_NONE);
    T_EQ_INT(em_ipset_find(s, "198.51.100.7"), 3);
    T_EQ_INT((long long)em_ipset_find(s, "198.51.100.7/32"), (long long)EM_NONE);  /* a block is not an address */
    em_ipset_free(s);
    char c[64];
    T_EQ_INT(em_ip_canon("2001:0DB8::0001", c, sizeof c), 6);
    T_EQ_STR(c, "2001:db8::1");
    T_EQ_INT(em_ip_canon("203.0.113.300", c, sizeof c), 0);
}

static const struct t_case cases[] = {
    {"scan_tcp_severity", t_tcp_severity},
    {"scan_udp_severity_and_open_filtered", t_udp_severity},
    {"scan_address_list_and_cidr_block", t_list_and_block},
    {"scan_undeclared_lists_five_ports", t_many_ports_listed},
    {"scan_ipv6", t_ipv6},
    {"scan_down_and_pn_hosts", t_down_and_pn},
    {"scan_hosthint_and_mac_ignored", t_hosthint_and_mac},
    {"scan_path_flags", t_paths_flags},
    {"scan_duplicate_loads", t_duplicate_loads},
    {"scan_truncated_xml", t_truncated},
    {"scan_not_nmap", t_not_nmap},
    {"scan_entities_refused", t_entities},
    {"scan_depth_cap", t_depth_cap},
    {"scan_files", t_files},
    {"scan_english", t_english},
    {"scan_ipset", t_ipset},
};

int main(void)
{
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    em_model_free(m);
    return rc;
}
