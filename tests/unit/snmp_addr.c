/* snmp_addr.c — CIDR parsing, the scope gate (incl. never-query ranges and the
 * explicit-scope exception) and global-address classification. */
#include "tests/unit/t.h"

#include "snmp/discover.h"

static bool allows(const char *const *scopes, size_t n, const char *addr)
{
    struct em_cidr c[8];
    for (size_t i = 0; i < n; i++) if (em_cidr_parse(scopes[i], &c[i]) != 0) return false;
    unsigned char a[16];
    int f = em_addr_parse(addr, a);
    return f && em_scope_allows(c, n, f, a);
}

static void cidr_parse(void)
{
    struct em_cidr c;
    T_EQ_INT(em_cidr_parse("10.1.0.0/16", &c), 0); T_EQ_INT(c.family, 4); T_EQ_INT(c.prefix, 16);
    T_EQ_INT(em_cidr_parse("2001:db8::/32", &c), 0); T_EQ_INT(c.family, 6); T_EQ_INT(c.prefix, 32);
    T_EQ_INT(em_cidr_parse("192.168.10.5", &c), 0); T_EQ_INT(c.prefix, 32);
    T_EQ_INT(em_cidr_parse("10.1.0.1/16", &c), -1);      /* host bits set */
    T_EQ_INT(em_cidr_parse("10.1.0.0/33", &c), -1);
    T_EQ_INT(em_cidr_parse("10.1.0.0/", &c), -1);
    T_EQ_INT(em_cidr_parse("10.1.0.0/16x", &c), -1);
    T_EQ_INT(em_cidr_parse("core-sw", &c), -1);
    T_EQ_INT(em_cidr_parse("", &c), -1);
    T_EQ_INT(em_cidr_parse("fe80::1%eth0/128", &c), -1);
}

static void scope_gate(void)
{
    const char *s1[] = {"10.1.0.0/16", "192.168.10.0/24"};
    T_ASSERT(allows(s1, 2, "10.1.2.3"));
    T_ASSERT(allows(s1, 2, "192.168.10.200"));
    T_ASSERT(!allows(s1, 2, "10.2.0.1"));
    T_ASSERT(!allows(s1, 2, "192.168.11.1"));
    T_ASSERT(!allows(s1, 2, "2001:db8::1"));
    const char *all[] = {"0.0.0.0/0", "::/0"};
    T_ASSERT(!allows(all, 2, "0.0.0.0"));
    T_ASSERT(!allows(all, 2, "127.0.0.1"));       /* 127/8 only if a scope is inside it */
    T_ASSERT(!allows(all, 2, "169.254.1.1"));
    T_ASSERT(!allows(all, 2, "fe80::1"));
    T_ASSERT(!allows(all, 2, "::1"));
    T_ASSERT(!allows(all, 2, "224.0.0.5"));
    T_ASSERT(!allows(all, 2, "ff02::1"));
    T_ASSERT(allows(all, 2, "8.8.8.8"));
    T_ASSERT(allows(all, 2, "2001:db8::1"));
    const char *lo[] = {"127.0.0.8/29"};
    T_ASSERT(allows(lo, 1, "127.0.0.11"));
    T_ASSERT(!allows(lo, 1, "127.0.0.20"));
    T_ASSERT(!allows(lo, 1, "127.0.0.1"));
    const char *ll[] = {"169.254.0.0/16", "fe80::/10"};
    T_ASSERT(allows(ll, 2, "169.254.3.4"));
    T_ASSERT(allows(ll, 2, "fe80::1"));
    const char *v6[] = {"2001:db8:10::/48"};
    T_ASSERT(allows(v6, 1, "2001:db8:10::5"));
    T_ASSERT(!allows(v6, 1, "2001:db8:11::5"));
    const char *odd[] = {"10.1.0.0/17"};
    T_ASSERT(allows(odd, 1, "10.1.127.255"));
    T_ASSERT(!allows(odd, 1, "10.1.128.0"));
}

static bool glob(const char *s)
{
    unsigned char a[16];
    int f = em_addr_parse(s, a);
    return f && em_addr_is_global(f, a);
}

static void global_class(void)
{
    T_ASSERT(glob("8.8.8.8"));
    T_ASSERT(glob("192.0.2.1"));
    T_ASSERT(glob("198.51.100.7"));
    T_ASSERT(glob("203.0.113.250"));
    T_ASSERT(glob("2001:db8::1"));
    T_ASSERT(glob("2400:cb00::1"));
    T_ASSERT(!glob("10.0.0.1"));
    T_ASSERT(!glob("172.16.5.4"));
    T_ASSERT(!glob("172.31.255.255"));
    T_ASSERT(glob("172.32.0.1"));
    T_ASSERT(!glob("192.168.1.1"));
    T_ASSERT(!glob("100.64.0.1"));
    T_ASSERT(!glob("100.127.255.255"));
    T_ASSERT(glob("100.128.0.1"));
    T_ASSERT(!glob("127.0.0.1"));
    T_ASSERT(!glob("169.254.1.1"));
    T_ASSERT(!glob("0.0.0.0"));
    T_ASSERT(!glob("224.0.0.1"));
    T_ASSERT(!glob("255.255.255.255"));
    T_ASSERT(!glob("fe80::1"));
    T_ASSERT(!glob("fd00::1"));
    T_ASSERT(!glob("::1"));
    T_ASSERT(!glob("ff02::1"));
    T_ASSERT(!glob("::ffff:10.0.0.1"));
    T_ASSERT(glob("::ffff:203.0.113.9"));
}

static const struct t_case cases[] = {
    {"addr: CIDR parsing (v4/v6, host bits, junk)", cidr_parse},
    {"addr: scope gate incl. 0.0.0.0, 127/8, 169.254/16, fe80::/10 rules", scope_gate},
    {"addr: global classification (documentation ranges global, CGNAT not)", global_class},
};
T_MAIN(cases)
