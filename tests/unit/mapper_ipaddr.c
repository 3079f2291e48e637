/* Unit tests for address classification (records.md E-IP-NOT-GLOBAL). */
#include "mapper/ipaddr.h"
#include "mapper/list.h"
#include "t.h"

static void t_global(void)
{
    T_EQ_INT(em_ip_classify("8.8.8.8"), EM_IP_GLOBAL);
    T_EQ_INT(em_ip_classify("192.0.2.1"), EM_IP_GLOBAL);      /* documentation ranges */
    T_EQ_INT(em_ip_classify("198.51.100.200"), EM_IP_GLOBAL);
    T_EQ_INT(em_ip_classify("203.0.113.8/29"), EM_IP_GLOBAL); /* a fixed-IP block */
    T_EQ_INT(em_ip_classify("2001:db8::1"), EM_IP_GLOBAL);
    T_EQ_INT(em_ip_classify("2400:4050::1"), EM_IP_GLOBAL);
}

static void t_not_global(void)
{
    T_EQ_INT(em_ip_classify("192.168.1.1"), EM_IP_PRIVATE);
    T_EQ_INT(em_ip_classify("10.1.2.3"), EM_IP_PRIVATE);
    T_EQ_INT(em_ip_classify("172.16.0.1"), EM_IP_PRIVATE);
    T_EQ_INT(em_ip_classify("172.32.0.1"), EM_IP_GLOBAL);
    T_EQ_INT(em_ip_classify("100.64.1.1"), EM_IP_CGNAT);
    T_EQ_INT(em_ip_classify("100.128.0.1"), EM_IP_GLOBAL);
    T_EQ_INT(em_ip_classify("127.0.0.1"), EM_IP_LOOPBACK);
    T_EQ_INT(em_ip_classify("169.254.1.1"), EM_IP_LINK_LOCAL);
    T_EQ_INT(em_ip_classify("224.0.0.1"), EM_IP_MULTICAST);
    T_EQ_INT(em_ip_classify("240.0.0.1"), EM_IP_RESERVED);
    T_EQ_INT(em_ip_classify("0.0.0.0"), EM_IP_UNSPECIFIED);
    T_EQ_INT(em_ip_classify("::"), EM_IP_UNSPECIFIED);
    T_EQ_INT(em_ip_classify("::1"), EM_IP_LOOPBACK);
    T_EQ_INT(em_ip_classify("fe80::1"), EM_IP_LINK_LOCAL);
    T_EQ_INT(em_ip_classify("fd00::1"), EM_IP_PRIVATE);
    T_EQ_INT(em_ip_classify("ff02::1"), EM_IP_MULTICAST);
    T_EQ_INT(em_ip_classify("::ffff:192.168.0.1"), EM_IP_PRIVATE);
}

static void t_invalid(void)
{
    T_EQ_INT(em_ip_classify(""), EM_IP_INVALID);
    T_EQ_INT(em_ip_classify("203.0.113"), EM_IP_INVALID);
    T_EQ_INT(em_ip_classify("203.0.113.256"), EM_IP_INVALID);
    T_EQ_INT(em_ip_classify("203.0.113.1/33"), EM_IP_INVALID);
    T_EQ_INT(em_ip_classify("203.0.113.1/"), EM_IP_INVALID);
    T_EQ_INT(em_ip_classify("host.example.jp"), EM_IP_INVALID);
    T_EQ_INT(em_ip_classify("2001:db8:::1"), EM_IP_INVALID);
}

static int collect(void *ctx, const char *item, size_t len)
{
    char *out = ctx;
    size_t n = strlen(out);
    if (n + len + 2 < 512) {
        if (n) out[n++] = '|';
        memcpy(out + n, item, len);
        out[n + len] = '\0';
    }
    return 0;
}

static void t_list_and_parse(void)
{
    static const struct { const char *in; unsigned flags; const char *want; } v[] = {
        {"203.0.113.1, 203.0.113.2", EM_LIST_SPACES | EM_LIST_PREFIX, "203.0.113.1|203.0.113.2"},
        {"203.0.113.1、203.0.113.2，203.0.113.3；2001:db8::1", EM_LIST_SPACES | EM_LIST_PREFIX,
         "203.0.113.1|203.0.113.2|203.0.113.3|2001:db8::1"},
        {"203.0.113.0/29 / 198.51.100.7", EM_LIST_SPACES | EM_LIST_PREFIX, "203.0.113.0/29|198.51.100.7"},
        {"203.0.113.1/203.0.113.2", EM_LIST_SPACES | EM_LIST_PREFIX, "203.0.113.1|203.0.113.2"},
        {"2001:db8::/32\n203.0.113.9\r\n", EM_LIST_SPACES | EM_LIST_PREFIX, "2001:db8::/32|203.0.113.9"},
        {"203.0.113.1 203.0.113.2", EM_LIST_SPACES, "203.0.113.1|203.0.113.2"},
        {"電子カルテ、PACS / 検査\n薬剤", 0, "電子カルテ|PACS|検査|薬剤"},
        {" NTT 東日本 ,, ;", 0, "NTT 東日本"},
        {"", 0, ""},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[512] = "";
        em_list_split(v[i].in, v[i].flags, collect, out);
        if (strcmp(out, v[i].want) != 0) T_FAIL("\"%s\": got \"%s\", want \"%s\"", v[i].in, out, v[i].want);
    }
    unsigned char b[16];
    int prefix;
    T_EQ_INT(em_ip_parse("203.0.113.0/29", b, &prefix), 4);
    T_EQ_INT(prefix, 29);
    T_EQ_INT(b[0], 203);
    T_EQ_INT(em_ip_parse("2001:db8::1", b, &prefix), 6);
    T_EQ_INT(prefix, -1);
    T_EQ_INT(em_ip_parse("203.0.113.0/33", b, &prefix), 0);
    T_EQ_INT(em_ip_parse("fe80::1%eth0", b, &prefix), 0);
    T_EQ_INT(em_ip_parse("203.0.113.1/", b, &prefix), 0);
}

static const struct t_case cases[] = {
    {"ipaddr: the one parser and the one list splitter", t_list_and_parse},
    {"ipaddr: global incl. documentation ranges", t_global},
    {"ipaddr: private, CGNAT, loopback, link-local, multicast, reserved", t_not_global},
    {"ipaddr: invalid syntax", t_invalid},
};
T_MAIN(cases)
