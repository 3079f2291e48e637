/* lldp.c — LLDP-MIB decoding as pure functions: row indexes parsed from the end,
 * manAddr indexes with or without the length sub-id, chassis/port id subtypes.
 * Real-world quirks behind each rule: /work/shared/spec/discovery-notes.md (2). */
#include <ctype.h>
#include <string.h>

#include "snmp/dev.h"

int em_lldp_rem_index(const uint32_t *idx, size_t n, long *port, long *rem_index)
{
    if (n == 0) return -1;
    *rem_index = (long)idx[n - 1];
    *port = n >= 2 ? (long)idx[n - 2] : 0;
    return 0;
}

/* Reads family/len/address starting at idx[k]; 0 ok. */
static int addr_at(const uint32_t *idx, size_t n, size_t k, int *family, unsigned char addr[16])
{
    if (k >= n) return -1;
    uint32_t fam = idx[k];
    size_t left = n - k - 1;
    const uint32_t *p = idx + k + 1;
    size_t want = fam == 1 ? 4 : fam == 2 ? 16 : 0;
    memset(addr, 0, 16);
    if (want == 0) {
        /* another family (6 = MAC …): keep the row for the join, no address */
        if (left >= 2 && p[0] == left - 1 && fam != 0) { *family = 0; return 0; }
        return -1;
    }
    if (left == want + 1 && p[0] == want) { p++; left--; }   /* length sub-id present */
    if (left != want) return -1;
    for (size_t i = 0; i < want; i++) {
        if (p[i] > 255) return -1;
        addr[i] = (unsigned char)p[i];
    }
    *family = fam == 1 ? 4 : 6;
    return 0;
}

int em_lldp_manaddr_index(const uint32_t *idx, size_t n, long *port, long *rem_index,
                          int *family, unsigned char addr[16])
{
    /* standard: timeMark.port.remIndex.family[.len].addr ; broken agents: port.rem.… */
    for (size_t keyn = 3; keyn >= 2; keyn--) {
        if (n < keyn + 2) continue;
        if (addr_at(idx, n, keyn, family, addr) == 0) {
            *rem_index = (long)idx[keyn - 1];
            *port = (long)idx[keyn - 2];
            return 0;
        }
    }
    return -1;
}

int em_lldp_v2_manaddr_index(const uint32_t *idx, size_t n, long *port, long *rem_index,
                             int *family, unsigned char addr[16])
{
    /* timeMark.ifIndex.destMacAddrIndex.remIndex.family[.len].addr */
    if (n >= 6 && addr_at(idx, n, 4, family, addr) == 0) {
        *port = (long)idx[1];
        *rem_index = (long)idx[3];
        return 0;
    }
    return em_lldp_manaddr_index(idx, n, port, rem_index, family, addr);
}

static const char hexd[] = "0123456789abcdef";

static const char *hex_colon(struct em_pool *pool, const unsigned char *v, size_t n)
{
    char buf[3 * 64 + 1];
    if (n > 64) n = 64;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) buf[o++] = ':';
        buf[o++] = hexd[v[i] >> 4];
        buf[o++] = hexd[v[i] & 15];
    }
    buf[o] = '\0';
    return em_pool_str(pool, buf);
}

/* Printable ASCII or valid-looking UTF-8 without control characters. */
static bool printable(const unsigned char *v, size_t n)
{
    if (n == 0) return true;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < 0x20 || v[i] == 0x7f) {
            /* a trailing NUL is common and harmless */
            if (v[i] == 0 && i == n - 1) continue;
            return false;
        }
    }
    return true;
}

static const char *text(struct em_pool *pool, const unsigned char *v, size_t n)
{
    if (n && v[n - 1] == 0) n--;
    return em_pool_strn(pool, (const char *)v, n);
}

static const char *netaddr(struct em_pool *pool, const unsigned char *v, size_t n)
{
    if (n == 5 && v[0] == 1) return em_addr_str(pool, 4, v + 1);
    if (n == 17 && v[0] == 2) return em_addr_str(pool, 6, v + 1);
    if (n == 4) return em_addr_str(pool, 4, v);
    return NULL;
}

const char *em_lldp_chassis_str(struct em_pool *pool, int subtype, const unsigned char *v, size_t n)
{
    if (n == 0) return "";
    if (subtype == 4 && n == 6) return hex_colon(pool, v, n);
    if (subtype == 5) { const char *s = netaddr(pool, v, n); if (s) return s; }
    if (printable(v, n)) return text(pool, v, n);
    return hex_colon(pool, v, n);
}

static bool all_hex_name(const unsigned char *v, size_t n)
{
    if (n < 4 || n % 2) return false;
    for (size_t i = 0; i < n; i++) if (!isxdigit(v[i])) return false;
    /* decoded bytes must be printable and contain a letter, or we leave it alone */
    bool letter = false;
    for (size_t i = 0; i < n; i += 2) {
        int hi = isdigit(v[i]) ? v[i] - '0' : (tolower(v[i]) - 'a' + 10);
        int lo = isdigit(v[i + 1]) ? v[i + 1] - '0' : (tolower(v[i + 1]) - 'a' + 10);
        int c = hi * 16 + lo;
        if (c < 0x20 || c > 0x7e) return false;
        if (isalpha(c)) letter = true;
    }
    return letter;
}

const char *em_lldp_portid_str(struct em_pool *pool, int subtype, const unsigned char *v, size_t n)
{
    if (n == 0) return "";
    if (subtype == 3 && n == 6) return hex_colon(pool, v, n);
    if (subtype == 4) { const char *s = netaddr(pool, v, n); if (s) return s; }
    if (subtype == 5 && all_hex_name(v, n)) {
        char buf[EM_VB_VALUE_MAX / 2 + 1];
        size_t o = 0;
        for (size_t i = 0; i + 1 < n && o + 1 < sizeof buf; i += 2) {
            int hi = isdigit(v[i]) ? v[i] - '0' : (tolower(v[i]) - 'a' + 10);
            int lo = isdigit(v[i + 1]) ? v[i + 1] - '0' : (tolower(v[i + 1]) - 'a' + 10);
            buf[o++] = (char)(hi * 16 + lo);
        }
        return em_pool_strn(pool, buf, o);
    }
    if (printable(v, n)) return text(pool, v, n);
    return hex_colon(pool, v, n);
}

unsigned em_lldp_caps(const unsigned char *v, size_t n)
{
    unsigned m = 0;
    for (size_t i = 0; i < n && i < 2; i++)
        for (int b = 0; b < 8; b++)
            if (v[i] & (0x80 >> b)) m |= 1u << (i * 8 + (size_t)b);
    return m;
}

const char *em_lldp_cap_name(int bit)
{
    static const char *const names[] = {"other", "repeater", "bridge", "wlanAP",
                                        "router", "telephone", "docsis", "stationOnly"};
    return bit >= 0 && bit < 8 ? names[bit] : NULL;
}

const char *em_lldp_chassis_subtype_name(int sub)
{
    static const char *const names[] = {NULL, "chassisComponent", "interfaceAlias",
        "portComponent", "macAddress", "networkAddress", "interfaceName", "local"};
    return sub >= 1 && sub <= 7 ? names[sub] : "unknown";
}

const char *em_lldp_port_subtype_name(int sub)
{
    static const char *const names[] = {NULL, "interfaceAlias", "portComponent",
        "macAddress", "networkAddress", "interfaceName", "agentCircuitId", "local"};
    return sub >= 1 && sub <= 7 ? names[sub] : "unknown";
}
