/* addr.c — address text, CIDR scopes, the "may we send a packet there" gate and the
 * global-address classification shared by the crawl and the walk reader. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/ipaddr.h"
#include "snmp/discover.h"
#include "snmp/dev.h"

int em_addr_parse(const char *s, unsigned char out[16])
{
    /* mapper's one address parser; a prefix or an IPv6 zone ("fe80::1%eth0") is not
       an address we can scope-check */
    int prefix;
    int fam = em_ip_parse(s, out, &prefix);
    return prefix < 0 ? fam : 0;
}

const char *em_addr_str(struct em_pool *pool, int family, const unsigned char *a)
{
    char buf[INET6_ADDRSTRLEN];
    if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, a, buf, sizeof buf)) return "";
    return em_pool_str(pool, buf);
}

int em_cidr_parse(const char *s, struct em_cidr *out)
{
    char buf[80];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    long prefix = -1;
    if (slash) {
        *slash = '\0';
        char *end;
        errno = 0;
        prefix = strtol(slash + 1, &end, 10);
        if (errno || end == slash + 1 || *end != '\0' || prefix < 0) return -1;
    }
    memset(out, 0, sizeof *out);
    out->family = em_addr_parse(buf, out->addr);
    if (!out->family) return -1;
    int bits = out->family == 4 ? 32 : 128;
    if (prefix < 0) prefix = bits;
    if (prefix > bits) return -1;
    out->prefix = (int)prefix;
    /* host bits must be zero */
    for (int b = out->prefix; b < bits; b++)
        if (out->addr[b / 8] & (0x80 >> (b % 8))) return -1;
    return 0;
}

static bool prefix_match(const unsigned char *a, const unsigned char *net, int prefix)
{
    int full = prefix / 8, rem = prefix % 8;
    if (memcmp(a, net, (size_t)full) != 0) return false;
    if (rem == 0) return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rem));
    return (a[full] & mask) == (net[full] & mask);
}

bool em_cidr_contains(const struct em_cidr *c, int family, const unsigned char *addr)
{
    if (c->family != family) return false;
    return prefix_match(addr, c->addr, c->prefix);
}

/* A range the crawl skips unless a scope lies entirely inside it. */
struct range { int family; unsigned char net[16]; int prefix; };
static const struct range special[] = {
    {4, {127}, 8},
    {4, {169, 254}, 16},
    {6, {0xfe, 0x80}, 10},
};

static bool is_never(int family, const unsigned char *a)
{
    static const unsigned char zero[16];
    if (family == 4) {
        if (memcmp(a, zero, 4) == 0) return true;             /* 0.0.0.0 */
        if (a[0] >= 224) return true;                          /* multicast, reserved, bcast */
        return false;
    }
    if (memcmp(a, zero, 16) == 0) return true;                 /* :: */
    if (a[0] == 0xff) return true;                             /* multicast */
    return false;
}

bool em_scope_allows(const struct em_cidr *scopes, size_t n, int family,
                     const unsigned char *addr)
{
    if (family != 4 && family != 6) return false;
    if (is_never(family, addr)) return false;
    if (family == 6) {
        static const unsigned char one[16] = {[15] = 1};
        /* ::1 is the crawler itself: only if a scope is exactly ::1/128 */
        if (memcmp(addr, one, 16) == 0) {
            for (size_t i = 0; i < n; i++)
                if (scopes[i].family == 6 && scopes[i].prefix == 128 &&
                    memcmp(scopes[i].addr, one, 16) == 0) return true;
            return false;
        }
    }
    bool in = false;
    for (size_t i = 0; i < n && !in; i++) in = em_cidr_contains(&scopes[i], family, addr);
    if (!in) return false;
    for (size_t r = 0; r < sizeof special / sizeof special[0]; r++) {
        const struct range *sp = &special[r];
        if (sp->family != family || !prefix_match(addr, sp->net, sp->prefix)) continue;
        /* allowed only when a scope containing addr lies inside the special range */
        for (size_t i = 0; i < n; i++)
            if (scopes[i].family == family && scopes[i].prefix >= sp->prefix &&
                prefix_match(scopes[i].addr, sp->net, sp->prefix) &&
                em_cidr_contains(&scopes[i], family, addr)) return true;
        return false;
    }
    return true;
}

/* One classification for records, discovery and scans (mapper/ipaddr.c): documentation
 * ranges count as global everywhere. */
bool em_addr_is_global(int family, const unsigned char *a)
{
    return em_ip_classify_bytes(family, a) == EM_IP_GLOBAL;
}
