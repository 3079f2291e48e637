/* ipaddr.c — address classification with inet_pton; no DNS, no I/O. */
#include "mapper/ipaddr.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"

static bool in4(uint32_t a, uint32_t net, int len)
{
    uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
    return (a & mask) == (net & mask);
}

static enum em_ip_class classify4(uint32_t a)
{
#define N(a_, b_, c_, d_) (((uint32_t)(a_) << 24) | ((uint32_t)(b_) << 16) | ((uint32_t)(c_) << 8) | (uint32_t)(d_))
    if (a == 0) return EM_IP_UNSPECIFIED;
    /* documentation ranges first: they count as global */
    if (in4(a, N(192, 0, 2, 0), 24) || in4(a, N(198, 51, 100, 0), 24) ||
        in4(a, N(203, 0, 113, 0), 24))
        return EM_IP_GLOBAL;
    if (in4(a, N(10, 0, 0, 0), 8) || in4(a, N(172, 16, 0, 0), 12) || in4(a, N(192, 168, 0, 0), 16))
        return EM_IP_PRIVATE;
    if (in4(a, N(127, 0, 0, 0), 8)) return EM_IP_LOOPBACK;
    if (in4(a, N(169, 254, 0, 0), 16)) return EM_IP_LINK_LOCAL;
    if (in4(a, N(100, 64, 0, 0), 10)) return EM_IP_CGNAT;
    if (in4(a, N(224, 0, 0, 0), 4)) return EM_IP_MULTICAST;
    if (in4(a, N(0, 0, 0, 0), 8) || in4(a, N(240, 0, 0, 0), 4) || in4(a, N(192, 0, 0, 0), 24) ||
        in4(a, N(198, 18, 0, 0), 15))
        return EM_IP_RESERVED;
    return EM_IP_GLOBAL;
#undef N
}

static enum em_ip_class classify6(const unsigned char *b)
{
    static const unsigned char zero[16];
    if (memcmp(b, zero, 16) == 0) return EM_IP_UNSPECIFIED;
    if (memcmp(b, zero, 15) == 0 && b[15] == 1) return EM_IP_LOOPBACK;
    /* IPv4-mapped ::ffff:a.b.c.d: judge the IPv4 address */
    if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
        return classify4(((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) |
                         ((uint32_t)b[14] << 8) | b[15]);
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return EM_IP_GLOBAL;
    if (b[0] == 0xff) return EM_IP_MULTICAST;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return EM_IP_LINK_LOCAL;
    if ((b[0] & 0xfe) == 0xfc) return EM_IP_PRIVATE;
    if ((b[0] & 0xe0) == 0x20) return EM_IP_GLOBAL; /* 2000::/3 global unicast */
    return EM_IP_RESERVED;
}

enum em_ip_class em_ip_classify_bytes(int family, const unsigned char *a)
{
    if (family == 4) return classify4(((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) | ((uint32_t)a[2] << 8) | a[3]);
    if (family == 6) return classify6(a);
    return EM_IP_INVALID;
}

int em_ip_parse(const char *text, unsigned char out[16], int *prefix)
{
    char buf[64];
    size_t n = strlen(text);
    *prefix = -1;
    if (n == 0 || n >= sizeof buf) return 0;
    memcpy(buf, text, n + 1);
    char *slash = strchr(buf, '/');
    int fam = strchr(buf, ':') ? 6 : 4;
    if (slash) {
        *slash = '\0';
        char *end;
        if (slash[1] < '0' || slash[1] > '9') return 0;
        long len = strtol(slash + 1, &end, 10);
        if (*end != '\0' || len < 0 || len > (fam == 6 ? 128 : 32)) return 0;
        *prefix = (int)len;
    }
    memset(out, 0, 16);
    if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, buf, out) != 1) {
        *prefix = -1;
        return 0;
    }
    return fam;
}

enum em_ip_class em_ip_classify(const char *text)
{
    unsigned char b[16];
    int prefix;
    int fam = em_ip_parse(text, b, &prefix);
    if (fam == 6) return classify6(b);
    if (fam == 4) return classify4(((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3]);
    return EM_IP_INVALID;
}

bool em_ip_is_global(const char *text)
{
    return em_ip_classify(text) == EM_IP_GLOBAL;
}

const char *em_ip_class_label(enum em_ip_class c)
{
    switch (c) {
    case EM_IP_INVALID: return em_tr("IPアドレスの形式ではありません", "not an IP address");
    case EM_IP_GLOBAL: return em_tr("グローバルアドレス", "a global address");
    case EM_IP_PRIVATE: return em_tr("プライベートアドレス", "a private address");
    case EM_IP_LOOPBACK: return em_tr("ループバックアドレス", "a loopback address");
    case EM_IP_LINK_LOCAL: return em_tr("リンクローカルアドレス", "a link-local address");
    case EM_IP_CGNAT: return em_tr("キャリアグレードNAT用アドレス (100.64.0.0/10)",
                                   "a carrier-grade NAT address (100.64.0.0/10)");
    case EM_IP_MULTICAST: return em_tr("マルチキャストアドレス", "a multicast address");
    case EM_IP_RESERVED: return em_tr("予約済みアドレス", "a reserved address");
    case EM_IP_UNSPECIFIED: return em_tr("未指定アドレス (0.0.0.0 / ::)", "the unspecified address (0.0.0.0 / ::)");
    }
    return "";
}
