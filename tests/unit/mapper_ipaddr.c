/* Unit tests for address classification (records.md E-IP-NOT-GLOBAL). */
#include "mapper/ipaddr.h"
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

static const struct t_case cases[] = {
    {"ipaddr: global incl. documentation ranges", t_global},
    {"ipaddr: private, CGNAT, loopback, link-local, multicast, reserved", t_not_global},
    {"ipaddr: invalid syntax", t_invalid},
};
T_MAIN(cases)
