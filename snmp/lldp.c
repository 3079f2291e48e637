/* lldp.c — LLDP-MIB decoding as pure functions: row indexes parsed from the end,
 * manAddr indexes with or without the length sub-id, chassis/port id subtypes.
 * Real-world quirks behind each rule: /work/shared/spec/discovery-notes.md (2). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"

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

/* ---- the LLDP-MIB / LLDP-V2-MIB tables and their decoder ---- */

const struct em_walk_root em_lldp_roots[] = {
    {"1.0.8802.1.1.2.1.3.1", true, true},  /* lldpLocChassisIdSubtype */
    {"1.0.8802.1.1.2.1.3.2", true, true},  /* lldpLocChassisId */
    {"1.0.8802.1.1.2.1.3.7.1.2", false, true}, /* lldpLocPortIdSubtype */
    {"1.0.8802.1.1.2.1.3.7.1.3", false, true}, /* lldpLocPortId */
    {"1.0.8802.1.1.2.1.3.7.1.4", false, true}, /* lldpLocPortDesc */
    {"1.0.8802.1.1.2.1.4.1.1.4", false, true}, /* lldpRemChassisIdSubtype */
    {"1.0.8802.1.1.2.1.4.1.1.5", false, true}, /* lldpRemChassisId */
    {"1.0.8802.1.1.2.1.4.1.1.6", false, true}, /* lldpRemPortIdSubtype */
    {"1.0.8802.1.1.2.1.4.1.1.7", false, true}, /* lldpRemPortId */
    {"1.0.8802.1.1.2.1.4.1.1.8", false, true}, /* lldpRemPortDesc */
    {"1.0.8802.1.1.2.1.4.1.1.9", false, true}, /* lldpRemSysName */
    {"1.0.8802.1.1.2.1.4.1.1.10", false, true},/* lldpRemSysDesc */
    {"1.0.8802.1.1.2.1.4.1.1.11", false, true},/* lldpRemSysCapSupported */
    {"1.0.8802.1.1.2.1.4.1.1.12", false, true},/* lldpRemSysCapEnabled */
    {"1.0.8802.1.1.2.1.4.2.1.3", false, true}, /* lldpRemManAddrIfSubtype (address in index) */
    /* LLDP-V2-MIB (802.1AB-2009): walked only when lldpRemTable (V1) has no rows */
    {"1.3.111.2.802.1.1.13.1.3.1", true, true},        /* lldpV2LocChassisIdSubtype */
    {"1.3.111.2.802.1.1.13.1.3.2", true, true},        /* lldpV2LocChassisId */
    {"1.3.111.2.802.1.1.13.1.3.7.1.2", false, true},   /* lldpV2LocPortIdSubtype (index: ifIndex) */
    {"1.3.111.2.802.1.1.13.1.3.7.1.3", false, true},   /* lldpV2LocPortId */
    {"1.3.111.2.802.1.1.13.1.3.7.1.4", false, true},   /* lldpV2LocPortDesc */
    {"1.3.111.2.802.1.1.13.1.4.1.1.5", false, true},   /* lldpV2RemChassisIdSubtype … columns +1 */
    {"1.3.111.2.802.1.1.13.1.4.1.1.6", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.7", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.8", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.9", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.10", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.11", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.12", false, true},
    {"1.3.111.2.802.1.1.13.1.4.1.1.13", false, true},
    {"1.3.111.2.802.1.1.13.1.4.2.1.3", false, true},   /* lldpV2RemManAddrIfSubtype */
};
const size_t em_n_lldp_roots = EM_LEN(em_lldp_roots);

static const uint32_t o_lldploc[] = EM_O(1, 0, 8802, 1, 1, 2, 1, 3);
static const uint32_t o_lldpport[] = EM_O(1, 0, 8802, 1, 1, 2, 1, 3, 7, 1);
static const uint32_t o_lldprem[] = EM_O(1, 0, 8802, 1, 1, 2, 1, 4, 1, 1);
static const uint32_t o_lldpman[] = EM_O(1, 0, 8802, 1, 1, 2, 1, 4, 2, 1, 3);
static const uint32_t o_v2loc[] = EM_O(1, 3, 111, 2, 802, 1, 1, 13, 1, 3);
static const uint32_t o_v2port[] = EM_O(1, 3, 111, 2, 802, 1, 1, 13, 1, 3, 7, 1);
static const uint32_t o_v2rem[] = EM_O(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 1, 1);
static const uint32_t o_v2man[] = EM_O(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 2, 1, 3);

static struct em_lldp_port *get_port(struct em_dev *d, long num, int *rc)
{
    for (size_t i = d->n_ports; i-- > 0;) if (d->ports[i].num == num) return &d->ports[i];
    struct em_lldp_port *pt = em_vec_push((void **)&d->ports, &d->n_ports, sizeof *pt);
    if (!pt) { *rc = EM_ERR_NOMEM; return NULL; }
    pt->num = num; pt->id = pt->desc = "";
    return pt;
}

static struct em_neighbor *get_rem(struct em_dev *d, int source, long port, long rem, int *rc)
{
    for (size_t i = d->n_rems; i-- > 0;)
        if (d->rems[i].source == source && d->rems[i].port == port && d->rems[i].rem_index == rem) return &d->rems[i];
    struct em_neighbor *r = em_vec_push((void **)&d->rems, &d->n_rems, sizeof *r);
    if (!r) { *rc = EM_ERR_NOMEM; return NULL; }
    r->source = source;
    r->port = port; r->rem_index = rem;
    r->chassis = r->port_id = r->port_desc = r->sys_name = r->sys_desc = r->platform = "";
    return r;
}

/* One lldpRem / lldpV2Rem column value into its row. */
static int rem_column(struct em_pool *p, struct em_dev *d, const struct em_vb *v, bool v2)
{
    const uint32_t *o = v->oid;
    size_t n = v->oid_len;
    /* V1 index timeMark.port.remIndex; V2 timeMark.ifIndex.destMac.remIndex with every
       column one higher */
    size_t base = v2 ? EM_LEN(o_v2rem) : EM_LEN(o_lldprem);
    long port, rem;
    size_t col = o[base] - (v2 ? 1 : 0);
    const uint32_t *ix = o + base + 1;
    size_t ixn = n - base - 1;
    if (v2 && ixn >= 3) { port = (long)ix[ixn - 3]; rem = (long)ix[ixn - 1]; }
    else if (em_lldp_rem_index(ix, ixn, &port, &rem) != 0) return 0;
    if (col < 4 || col > 12) return 0;
    int rc = 0;
    struct em_neighbor *r = get_rem(d, v2 ? EM_NB_LLDP_V2 : EM_NB_LLDP, port, rem, &rc);
    if (!r) return rc;
    switch (col) {
    case 4: r->ch_sub = (int)em_dec_num(v); break;
    case 5: r->raw_chassis = v; break;   /* formatted once the subtype is known */
    case 6: r->port_sub = (int)em_dec_num(v); break;
    case 7: r->raw_port = v; break;
    case 8: r->port_desc = em_dec_str(p, v); break;
    case 9: r->sys_name = em_dec_str(p, v); break;
    case 10: r->sys_desc = em_dec_str(p, v); break;
    case 11: if (v->type == EM_VB_OCTETS) r->caps_sup = em_lldp_caps(v->val, v->val_len); break;
    case 12: if (v->type == EM_VB_OCTETS) r->caps_en = em_lldp_caps(v->val, v->val_len); break;
    default: break;
    }
    return 0;
}

/* Formats the values stashed as varbind pointers, now that the subtypes are known,
 * and drops blank rows (no chassis id and no name: they identify nothing). */
static void finish_rows(struct em_pool *p, struct em_dev *d)
{
    for (size_t i = 0; i < d->n_ports; i++) {
        struct em_lldp_port *pt = &d->ports[i];
        const struct em_vb *v = pt->raw_id;
        pt->raw_id = NULL;
        if (!v) continue;
        pt->id = v->type == EM_VB_OCTETS ? em_lldp_portid_str(p, pt->id_sub, v->val, v->val_len) : em_dec_str(p, v);
    }
    size_t keep = 0;
    for (size_t i = 0; i < d->n_rems; i++) {
        struct em_neighbor r = d->rems[i];
        if (r.source != EM_NB_LLDP && r.source != EM_NB_LLDP_V2) { d->rems[keep++] = r; continue; }
        if (r.raw_chassis) {
            const struct em_vb *v = r.raw_chassis;
            r.chassis = v->type == EM_VB_OCTETS ? em_lldp_chassis_str(p, r.ch_sub, v->val, v->val_len) : em_dec_str(p, v);
        }
        if (r.raw_port) {
            const struct em_vb *v = r.raw_port;
            r.port_id = v->type == EM_VB_OCTETS ? em_lldp_portid_str(p, r.port_sub, v->val, v->val_len) : em_dec_str(p, v);
        }
        r.raw_chassis = r.raw_port = NULL;
        if (r.chassis[0] == '\0' && r.sys_name[0] == '\0') { d->rows_dropped++; free(r.mgmt); continue; }
        d->rems[keep++] = r;
    }
    d->n_rems = keep;
}

/* lldpRemManAddrTable: join on (port, remIndex), timeMark ignored; if no exact row,
 * the only neighbour on that port (FortiLink-style remIndex mismatch). */
static int join_manaddr(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d, bool use_v2)
{
    int rc = 0;
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        long port, rem; int fam; unsigned char a[16];
        if (EM_PFX(v, o_lldpman)) {
            if (em_lldp_manaddr_index(v->oid + EM_LEN(o_lldpman), v->oid_len - EM_LEN(o_lldpman),
                                      &port, &rem, &fam, a) != 0) { d->manaddr_unjoined++; continue; }
        } else if (use_v2 && EM_PFX(v, o_v2man)) {
            if (em_lldp_v2_manaddr_index(v->oid + EM_LEN(o_v2man), v->oid_len - EM_LEN(o_v2man),
                                         &port, &rem, &fam, a) != 0) { d->manaddr_unjoined++; continue; }
        } else continue;
        struct em_neighbor *hit = NULL, *only = NULL;
        size_t on_port = 0;
        for (size_t j = 0; j < d->n_rems; j++) {
            struct em_neighbor *r = &d->rems[j];
            if (r->source != EM_NB_LLDP && r->source != EM_NB_LLDP_V2) continue;
            if (r->port == port && r->rem_index == rem) { hit = r; break; }
            if (r->port == port) { on_port++; only = r; }
        }
        if (!hit && on_port == 1) hit = only;
        if (!hit) { d->manaddr_unjoined++; continue; }
        if (fam == 0) continue;
        size_t nn = hit->n_mgmt, ncap = hit->n_mgmt;  /* grow one by one: few per neighbour */
        rc = em_dec_add_addr(&hit->mgmt, &nn, &ncap, p, fam, a, -1, 0);
        hit->n_mgmt = nn;
    }
    return rc;
}

int em_lldp_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    int rc = 0;
    int ch_sub = 0, v2_ch_sub = 0;
    const struct em_vb *ch_val = NULL, *v2_ch_val = NULL;
    /* LLDP-V2-MIB rows count only when the V1 remote table has none (never both: a
     * neighbour would be counted twice) */
    bool use_v2 = true, has_v2rem = false;
    for (size_t i = 0; i < vbs->n; i++) {
        if (EM_PFX(&vbs->v[i], o_lldprem)) use_v2 = false;
        if (EM_PFX(&vbs->v[i], o_v2rem)) has_v2rem = true;
    }
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        const uint32_t *o = v->oid;
        size_t n = v->oid_len;
        if (EM_PFX(v, o_lldploc) && n == EM_LEN(o_lldploc) + 2 && o[n - 1] == 0) {
            if (o[EM_LEN(o_lldploc)] == 1) ch_sub = (int)em_dec_num(v);
            else if (o[EM_LEN(o_lldploc)] == 2 && v->type == EM_VB_OCTETS) ch_val = v;
        } else if (EM_PFX(v, o_v2loc) && n == EM_LEN(o_v2loc) + 2 && o[n - 1] == 0) {
            if (o[EM_LEN(o_v2loc)] == 1) v2_ch_sub = (int)em_dec_num(v);
            else if (o[EM_LEN(o_v2loc)] == 2 && v->type == EM_VB_OCTETS) v2_ch_val = v;
        } else if ((EM_PFX(v, o_lldprem) && n > EM_LEN(o_lldprem) + 1) ||
                   (use_v2 && EM_PFX(v, o_v2rem) && n > EM_LEN(o_v2rem) + 1)) {
            rc = rem_column(p, d, v, EM_PFX(v, o_v2rem));
        } else if ((EM_PFX(v, o_lldpport) && n == EM_LEN(o_lldpport) + 2 && !(use_v2 && has_v2rem)) ||
                   (EM_PFX(v, o_v2port) && n == EM_LEN(o_v2port) + 2 && use_v2 && has_v2rem)) {
            /* V2 rows number ports by ifIndex: the V1 port table only with V1 rows */
            size_t base = EM_PFX(v, o_v2port) ? EM_LEN(o_v2port) : EM_LEN(o_lldpport);
            struct em_lldp_port *pt = get_port(d, (long)o[n - 1], &rc);
            if (!pt) break;
            switch (o[base]) {
            case 2: pt->id_sub = (int)em_dec_num(v); break;
            case 3: pt->raw_id = v; break;
            case 4: pt->desc = em_dec_str(p, v); break;
            default: break;
            }
        }
    }
    if (rc) return rc;
    if (!ch_val && v2_ch_val) { ch_val = v2_ch_val; ch_sub = v2_ch_sub; }
    if (ch_val) d->chassis = em_lldp_chassis_str(p, ch_sub, ch_val->val, ch_val->val_len);
    d->ch_sub = ch_sub;
    finish_rows(p, d);
    return join_manaddr(p, vbs, d, use_v2);
}
