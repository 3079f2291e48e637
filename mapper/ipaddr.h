/* ipaddr.h — address syntax and "is this a global address" for records, discovery
 * and scans alike (records.md: documentation ranges 192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24 and 2001:db8::/32 count as global everywhere). */
#ifndef EM_IPADDR_H
#define EM_IPADDR_H
#include <stdbool.h>

enum em_ip_class {
    EM_IP_INVALID = 0,   /* not an IPv4/IPv6 address */
    EM_IP_GLOBAL,
    EM_IP_PRIVATE,       /* RFC 1918, IPv6 ULA fc00::/7 */
    EM_IP_LOOPBACK,
    EM_IP_LINK_LOCAL,
    EM_IP_CGNAT,         /* 100.64.0.0/10 */
    EM_IP_MULTICAST,
    EM_IP_RESERVED,      /* 0/8, 240/4, broadcast, benchmark, non-2000::/3 IPv6, ... */
    EM_IP_UNSPECIFIED,   /* 0.0.0.0, :: */
};

/* The one address parser: "a.b.c.d" or an IPv6 literal, with an optional "/prefix"
 * (0..32 / 0..128). Returns the family 4 or 6 and fills out (16 bytes, network order;
 * IPv4 in the first 4) and *prefix (-1 when absent); 0 when it is not an address. */
int em_ip_parse(const char *text, unsigned char out[16], int *prefix);

/* Classifies a literal address. An optional "/prefix" is accepted (an address
 * block such as a fixed-IP /29) and judged by its address. */
enum em_ip_class em_ip_classify(const char *text);
/* The same for a binary address: family 4 (4 bytes, network order) or 6 (16 bytes).
 * Any other family is EM_IP_INVALID. */
enum em_ip_class em_ip_classify_bytes(int family, const unsigned char *addr);
/* Localised reason: "プライベートアドレス" / "a private address", ... */
const char *em_ip_class_label(enum em_ip_class c);
bool em_ip_is_global(const char *text);

#endif
