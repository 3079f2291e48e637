/* device.c — turns one agent's varbinds (from the wire or a walk dump) into an
 * em_dev: system group, IF-MIB, IP-MIB (ipAddressTable, else ipAddrTable), LLDP-MIB
 * local ports / remote table / remote management addresses, default-route next hop.
 * Pure: no I/O; bad rows are skipped and counted, never trusted. */
#include <stdlib.h>
#include <string.h>

#include "snmp/discover.h"
#include "snmp/dev.h"

const struct em_walk_root em_walk_roots[] = {
    {"1.3.6.1.2.1.1.1", true},   /* sysDescr */
    {"1.3.6.1.2.1.1.2", true},   /* sysObjectID */
    {"1.3.6.1.2.1.1.5", true},   /* sysName */
    {"1.3.6.1.2.1.1.6", true},   /* sysLocation */
    {"1.0.8802.1.1.2.1.3.1", true},  /* lldpLocChassisIdSubtype */
    {"1.0.8802.1.1.2.1.3.2", true},  /* lldpLocChassisId */
    {"1.3.6.1.6.3.10.2.1.1", true},  /* snmpEngineID */
    {"1.3.6.1.2.1.4.21.1.7", true},  /* ipRouteNextHop: GETNEXT gives dest 0.0.0.0 first */
    {"1.3.6.1.2.1.2.2.1.2", false},  /* ifDescr */
    {"1.3.6.1.2.1.2.2.1.3", false},  /* ifType */
    {"1.3.6.1.2.1.2.2.1.6", false},  /* ifPhysAddress */
    {"1.3.6.1.2.1.2.2.1.8", false},  /* ifOperStatus */
    {"1.3.6.1.2.1.31.1.1.1.1", false},   /* ifName */
    {"1.3.6.1.2.1.31.1.1.1.18", false},  /* ifAlias */
    {"1.3.6.1.2.1.4.34.1.3", false},     /* ipAddressIfIndex */
    {"1.3.6.1.2.1.4.34.1.4", false},     /* ipAddressType (broadcast rows dropped) */
    {"1.3.6.1.2.1.4.34.1.5", false},     /* ipAddressPrefix */
    {"1.3.6.1.2.1.4.20.1.2", false},     /* ipAdEntIfIndex */
    {"1.3.6.1.2.1.4.20.1.3", false},     /* ipAdEntNetMask */
    {"1.0.8802.1.1.2.1.3.7.1.2", false}, /* lldpLocPortIdSubtype */
    {"1.0.8802.1.1.2.1.3.7.1.3", false}, /* lldpLocPortId */
    {"1.0.8802.1.1.2.1.3.7.1.4", false}, /* lldpLocPortDesc */
    {"1.0.8802.1.1.2.1.4.1.1.4", false}, /* lldpRemChassisIdSubtype */
    {"1.0.8802.1.1.2.1.4.1.1.5", false}, /* lldpRemChassisId */
    {"1.0.8802.1.1.2.1.4.1.1.6", false}, /* lldpRemPortIdSubtype */
    {"1.0.8802.1.1.2.1.4.1.1.7", false}, /* lldpRemPortId */
    {"1.0.8802.1.1.2.1.4.1.1.8", false}, /* lldpRemPortDesc */
    {"1.0.8802.1.1.2.1.4.1.1.9", false}, /* lldpRemSysName */
    {"1.0.8802.1.1.2.1.4.1.1.10", false},/* lldpRemSysDesc */
    {"1.0.8802.1.1.2.1.4.1.1.11", false},/* lldpRemSysCapSupported */
    {"1.0.8802.1.1.2.1.4.1.1.12", false},/* lldpRemSysCapEnabled */
    {"1.0.8802.1.1.2.1.4.2.1.3", false}, /* lldpRemManAddrIfSubtype (address in index) */
    /* LLDP-V2-MIB (802.1AB-2009): walked only when lldpRemTable (V1) has no rows */
    {"1.3.111.2.802.1.1.13.1.3.1", true},        /* lldpV2LocChassisIdSubtype */
    {"1.3.111.2.802.1.1.13.1.3.2", true},        /* lldpV2LocChassisId */
    {"1.3.111.2.802.1.1.13.1.3.7.1.2", false},   /* lldpV2LocPortIdSubtype (index: ifIndex) */
    {"1.3.111.2.802.1.1.13.1.3.7.1.3", false},   /* lldpV2LocPortId */
    {"1.3.111.2.802.1.1.13.1.3.7.1.4", false},   /* lldpV2LocPortDesc */
    {"1.3.111.2.802.1.1.13.1.4.1.1.5", false},   /* lldpV2RemChassisIdSubtype … columns +1 */
    {"1.3.111.2.802.1.1.13.1.4.1.1.6", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.7", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.8", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.9", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.10", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.11", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.12", false},
    {"1.3.111.2.802.1.1.13.1.4.1.1.13", false},
    {"1.3.111.2.802.1.1.13.1.4.2.1.3", false},   /* lldpV2RemManAddrIfSubtype */
    {"1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0", false},  /* inetCidrRouteIfIndex, 0.0.0.0/0 */
    {"1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", false}, /* ::/0 */
    {"1.3.6.1.2.1.4.24.4.1.4.0.0.0.0.0.0.0.0", false}, /* ipCidrRouteNextHop 0/0 */
};
const size_t em_n_walk_roots = sizeof em_walk_roots / sizeof em_walk_roots[0];

/* OIDs as arrays for matching */
#define O(...) {__VA_ARGS__}
static const uint32_t o_sys[] = O(1, 3, 6, 1, 2, 1, 1);
static const uint32_t o_engine[] = O(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0);
static const uint32_t o_iftable[] = O(1, 3, 6, 1, 2, 1, 2, 2, 1);
static const uint32_t o_ifx[] = O(1, 3, 6, 1, 2, 1, 31, 1, 1, 1);
static const uint32_t o_ipaddress[] = O(1, 3, 6, 1, 2, 1, 4, 34, 1);
static const uint32_t o_ipaddr[] = O(1, 3, 6, 1, 2, 1, 4, 20, 1);
static const uint32_t o_lldploc[] = O(1, 0, 8802, 1, 1, 2, 1, 3);
static const uint32_t o_lldpport[] = O(1, 0, 8802, 1, 1, 2, 1, 3, 7, 1);
static const uint32_t o_lldprem[] = O(1, 0, 8802, 1, 1, 2, 1, 4, 1, 1);
static const uint32_t o_lldpman[] = O(1, 0, 8802, 1, 1, 2, 1, 4, 2, 1, 3);
static const uint32_t o_v2loc[] = O(1, 3, 111, 2, 802, 1, 1, 13, 1, 3);
static const uint32_t o_v2port[] = O(1, 3, 111, 2, 802, 1, 1, 13, 1, 3, 7, 1);
static const uint32_t o_v2rem[] = O(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 1, 1);
static const uint32_t o_v2man[] = O(1, 3, 111, 2, 802, 1, 1, 13, 1, 4, 2, 1, 3);
static const uint32_t o_iproute_nh[] = O(1, 3, 6, 1, 2, 1, 4, 21, 1, 7, 0, 0, 0, 0);
static const uint32_t o_inetcidr_if[] = O(1, 3, 6, 1, 2, 1, 4, 24, 7, 1, 7);
static const uint32_t o_ipcidr_nh[] = O(1, 3, 6, 1, 2, 1, 4, 24, 4, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0);
bool em_dev_wanted(const uint32_t *oid, size_t n)
{
    static const uint32_t w_sys[] = O(1, 3, 6, 1, 2, 1, 1);
    static const uint32_t w_if[] = O(1, 3, 6, 1, 2, 1, 2);
    static const uint32_t w_ip[] = O(1, 3, 6, 1, 2, 1, 4);
    static const uint32_t w_ifx[] = O(1, 3, 6, 1, 2, 1, 31);
    static const uint32_t w_lldp[] = O(1, 0, 8802, 1, 1, 2);
    static const uint32_t w_lldp2[] = O(1, 3, 111, 2, 802, 1, 1, 13);
    static const uint32_t w_eng[] = O(1, 3, 6, 1, 6, 3, 10, 2, 1);
    static const struct { const uint32_t *o; size_t n; } w[] = {
        {w_sys, 7}, {w_if, 7}, {w_ip, 7}, {w_ifx, 7}, {w_lldp, 6}, {w_lldp2, 8}, {w_eng, 9},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (em_oid_has_prefix(oid, n, w[i].o, w[i].n)) return true;
    return false;
}

#define PFX(v, a) em_oid_has_prefix((v)->oid, (v)->oid_len, a, sizeof a / sizeof a[0])
#define LEN(a) (sizeof a / sizeof a[0])

static const char *vstr(struct em_pool *p, const struct em_vb *v)
{
    if (v->type == EM_VB_OCTETS || v->type == EM_VB_OID) {
        size_t n = v->val_len;
        while (n && v->val[n - 1] == 0) n--;
        return em_pool_strn(p, (const char *)v->val, n);
    }
    if (v->type == EM_VB_INT || v->type == EM_VB_UINT)
        return em_pool_printf(p, "%lld", (long long)v->num);
    if (v->type == EM_VB_IPADDR && v->val_len == 4) return em_addr_str(p, 4, v->val);
    return "";
}

static long vnum(const struct em_vb *v)
{
    return (v->type == EM_VB_INT || v->type == EM_VB_UINT) ? (long)v->num : 0;
}

static const char *mac_str(struct em_pool *p, const struct em_vb *v)
{
    if (v->type != EM_VB_OCTETS || v->val_len == 0) return "";
    return em_lldp_chassis_str(p, 4, v->val, v->val_len == 6 ? 6 : v->val_len);
}

/* grow helpers */
#define GROW(arr, n, cap) do { if ((n) == (cap)) { size_t nc_ = (cap) ? (cap) * 2 : 8; \
    void *np_ = realloc((arr), nc_ * sizeof *(arr)); if (!np_) return EM_ERR_NOMEM; \
    (arr) = np_; (cap) = nc_; } } while (0)

struct caps { size_t ifs, addrs, ports, rems, nh; };

static struct em_dev_if *get_if(struct em_dev *d, struct caps *c, long idx, int *rc)
{
    for (size_t i = d->n_ifs; i-- > 0;) if (d->ifs[i].idx == idx) return &d->ifs[i];
    if (d->n_ifs == c->ifs) {
        size_t nc = c->ifs ? c->ifs * 2 : 8;
        void *np = realloc(d->ifs, nc * sizeof *d->ifs);
        if (!np) { *rc = EM_ERR_NOMEM; return NULL; }
        d->ifs = np; c->ifs = nc;
    }
    struct em_dev_if *f = &d->ifs[d->n_ifs++];
    memset(f, 0, sizeof *f);
    f->idx = idx; f->name = f->descr = f->alias = f->mac = "";
    return f;
}

static struct em_lldp_port *get_port(struct em_dev *d, struct caps *c, long num, int *rc)
{
    for (size_t i = d->n_ports; i-- > 0;) if (d->ports[i].num == num) return &d->ports[i];
    if (d->n_ports == c->ports) {
        size_t nc = c->ports ? c->ports * 2 : 8;
        void *np = realloc(d->ports, nc * sizeof *d->ports);
        if (!np) { *rc = EM_ERR_NOMEM; return NULL; }
        d->ports = np; c->ports = nc;
    }
    struct em_lldp_port *pt = &d->ports[d->n_ports++];
    memset(pt, 0, sizeof *pt);
    pt->num = num; pt->id = pt->desc = "";
    return pt;
}

struct rawrem { long port, rem; int col; const struct em_vb *v; };

static struct em_lldp_rem *get_rem(struct em_dev *d, struct caps *c, long port, long rem, int *rc)
{
    for (size_t i = d->n_rems; i-- > 0;)
        if (d->rems[i].port == port && d->rems[i].rem_index == rem) return &d->rems[i];
    if (d->n_rems == c->rems) {
        size_t nc = c->rems ? c->rems * 2 : 8;
        void *np = realloc(d->rems, nc * sizeof *d->rems);
        if (!np) { *rc = EM_ERR_NOMEM; return NULL; }
        d->rems = np; c->rems = nc;
    }
    struct em_lldp_rem *r = &d->rems[d->n_rems++];
    memset(r, 0, sizeof *r);
    r->port = port; r->rem_index = rem;
    r->chassis = r->port_id = r->port_desc = r->sys_name = r->sys_desc = "";
    return r;
}

static int add_addr(struct em_dev_addr **arr, size_t *n, size_t *cap, struct em_pool *p,
                    int family, const unsigned char *a, int prefix, long ifidx)
{
    for (size_t i = 0; i < *n; i++)
        if ((*arr)[i].family == family && memcmp((*arr)[i].raw, a, family == 4 ? 4 : 16) == 0) {
            if ((*arr)[i].prefix < 0) (*arr)[i].prefix = prefix;
            if (!(*arr)[i].if_index) (*arr)[i].if_index = ifidx;
            return 0;
        }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        void *np = realloc(*arr, nc * sizeof **arr);
        if (!np) return EM_ERR_NOMEM;
        *arr = np; *cap = nc;
    }
    struct em_dev_addr *x = &(*arr)[(*n)++];
    memset(x, 0, sizeof *x);
    x->family = family;
    memcpy(x->raw, a, family == 4 ? 4 : 16);
    x->text = em_addr_str(p, family, a);
    x->prefix = prefix;
    x->if_index = ifidx;
    x->global = em_addr_is_global(family, a);
    return 0;
}

static int mask_len(const unsigned char *m)
{
    int n = 0;
    for (int i = 0; i < 32; i++) {
        if (m[i / 8] & (0x80 >> (i % 8))) n++;
        else break;
    }
    return n;
}

/* InetAddress index "type.len.bytes" (ipAddressTable) -> family/addr; 0 ok */
static int inet_index(const uint32_t *idx, size_t n, int *family, unsigned char a[16])
{
    if (n < 2) return -1;
    uint32_t t = idx[0], len = idx[1];
    size_t want;
    if (t == 1 || t == 3) want = 4;        /* ipv4, ipv4z */
    else if (t == 2 || t == 4) want = 16;  /* ipv6, ipv6z */
    else return -1;
    /* zoned addresses carry 4 zone bytes after the address */
    if (len != want && len != want + 4) return -1;
    if (n != 2 + len) return -1;
    memset(a, 0, 16);
    for (size_t i = 0; i < want; i++) { if (idx[2 + i] > 255) return -1; a[i] = (unsigned char)idx[2 + i]; }
    *family = want == 4 ? 4 : 6;
    return 0;
}

int em_dev_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    struct caps c = {0};
    size_t acap_v6 = 0, acap_v4 = 0;
    struct em_dev_addr *old_addrs = NULL; size_t n_old = 0;  /* ipAddrTable rows */
    struct em_dev_addr *bcast = NULL; size_t n_bcast = 0, bcap = 0;
    int rc = 0;
    d->chassis = d->sys_name = d->sys_descr = d->sys_oid = d->sys_location = d->engine_id = "";
    if (!d->queried) d->queried = "";
    int ch_sub = 0, v2_ch_sub = 0;
    const struct em_vb *ch_val = NULL, *v2_ch_val = NULL;
    /* LLDP-V2-MIB rows count only when the V1 remote table has none (never both:
     * a neighbour would be counted twice) */
    bool use_v2 = true, has_v2rem = false;
    for (size_t i = 0; i < vbs->n; i++) {
        if (PFX(&vbs->v[i], o_lldprem)) use_v2 = false;
        if (PFX(&vbs->v[i], o_v2rem)) has_v2rem = true;
    }

    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        const uint32_t *o = v->oid;
        size_t n = v->oid_len;
        if (PFX(v, o_sys) && n == LEN(o_sys) + 2 && o[n - 1] == 0) {
            switch (o[LEN(o_sys)]) {
            case 1: d->sys_descr = vstr(p, v); break;
            case 2: d->sys_oid = vstr(p, v); break;
            case 5: d->sys_name = vstr(p, v); break;
            case 6: d->sys_location = vstr(p, v); break;
            default: break;
            }
        } else if (PFX(v, o_engine) && n == LEN(o_engine)) {
            if (v->type == EM_VB_OCTETS) d->engine_id = em_lldp_chassis_str(p, 0, v->val, v->val_len);
        } else if (PFX(v, o_lldploc) && n == LEN(o_lldploc) + 2 && o[n - 1] == 0) {
            if (o[LEN(o_lldploc)] == 1) ch_sub = (int)vnum(v);
            else if (o[LEN(o_lldploc)] == 2 && v->type == EM_VB_OCTETS) ch_val = v;
        } else if (PFX(v, o_iftable) && n == LEN(o_iftable) + 2) {
            struct em_dev_if *f = get_if(d, &c, (long)o[n - 1], &rc);
            if (!f) break;
            switch (o[LEN(o_iftable)]) {
            case 2: f->descr = vstr(p, v); break;
            case 3: f->type = vnum(v); break;
            case 6: f->mac = mac_str(p, v); break;
            case 8: f->oper = vnum(v); break;
            default: break;
            }
        } else if (PFX(v, o_ifx) && n == LEN(o_ifx) + 2) {
            struct em_dev_if *f = get_if(d, &c, (long)o[n - 1], &rc);
            if (!f) break;
            if (o[LEN(o_ifx)] == 1) f->name = vstr(p, v);
            else if (o[LEN(o_ifx)] == 18) f->alias = vstr(p, v);
        } else if (PFX(v, o_ipaddress) && n > LEN(o_ipaddress) + 1) {
            int fam; unsigned char a[16];
            size_t col = o[LEN(o_ipaddress)];
            if (inet_index(o + LEN(o_ipaddress) + 1, n - LEN(o_ipaddress) - 1, &fam, a) != 0) continue;
            int prefix = -1;
            long ifidx = 0;
            if (col == 3) ifidx = vnum(v);
            else if (col == 4) {
                if (vnum(v) == 3) {   /* broadcast(3): not an address of the device */
                    rc = add_addr(&bcast, &n_bcast, &bcap, p, fam, a, -1, 0);
                }
                continue;
            } else if (col == 5 && v->type == EM_VB_OID) {
                /* RowPointer into ipAddressPrefixTable: the last sub-id is the length */
                uint32_t po[EM_OID_MAX];
                int pn = em_oid_parse((const char *)v->val, po, EM_OID_MAX);
                if (pn > 0 && po[pn - 1] <= (fam == 4 ? 32u : 128u)) prefix = (int)po[pn - 1];
            } else continue;
            rc = add_addr(&d->addrs, &d->n_addrs, &acap_v6, p, fam, a, prefix, ifidx);
        } else if (PFX(v, o_ipaddr) && n == LEN(o_ipaddr) + 5) {
            unsigned char a[16] = {0};
            bool ok = true;
            for (int k = 0; k < 4; k++) { if (o[n - 4 + k] > 255) ok = false; a[k] = (unsigned char)o[n - 4 + k]; }
            if (!ok) continue;
            size_t col = o[LEN(o_ipaddr)];
            if (col == 2) rc = add_addr(&old_addrs, &n_old, &acap_v4, p, 4, a, -1, vnum(v));
            else if (col == 3 && v->type == EM_VB_IPADDR && v->val_len == 4)
                rc = add_addr(&old_addrs, &n_old, &acap_v4, p, 4, a, mask_len(v->val), 0);
        } else if (PFX(v, o_v2port) && n == LEN(o_v2port) + 2) {
            if (!use_v2 || !has_v2rem) continue;
            struct em_lldp_port *pt = get_port(d, &c, (long)o[n - 1], &rc);
            if (!pt) break;
            switch (o[LEN(o_v2port)]) {
            case 2: pt->id_sub = (int)vnum(v); break;
            case 3: pt->raw_id = v; break;
            case 4: pt->desc = vstr(p, v); break;
            default: break;
            }
        } else if (PFX(v, o_v2loc) && n == LEN(o_v2loc) + 2 && o[n - 1] == 0) {
            if (o[LEN(o_v2loc)] == 1) v2_ch_sub = (int)vnum(v);
            else if (o[LEN(o_v2loc)] == 2 && v->type == EM_VB_OCTETS) v2_ch_val = v;
        } else if ((PFX(v, o_lldprem) && n > LEN(o_lldprem) + 1) ||
                   (use_v2 && PFX(v, o_v2rem) && n > LEN(o_v2rem) + 1)) {
            /* V1 index timeMark.port.remIndex; V2 timeMark.ifIndex.destMac.remIndex with
             * every column one higher */
            bool v2 = PFX(v, o_v2rem);
            size_t base = v2 ? LEN(o_v2rem) : LEN(o_lldprem);
            long port, rem;
            size_t col = o[base] - (v2 ? 1 : 0);
            const uint32_t *ix = o + base + 1;
            size_t ixn = n - base - 1;
            if (v2 && ixn >= 3) { port = (long)ix[ixn - 3]; rem = (long)ix[ixn - 1]; }
            else if (em_lldp_rem_index(ix, ixn, &port, &rem) != 0) continue;
            if (col < 4 || col > 12) continue;
            struct em_lldp_rem *r = get_rem(d, &c, port, rem, &rc);
            if (!r) break;
            switch (col) {
            case 4: r->ch_sub = (int)vnum(v); break;
            case 5: r->raw_chassis = v; break;   /* formatted below */
            case 6: r->port_sub = (int)vnum(v); break;
            case 7: r->raw_port = v; break;   /* formatted below */
            case 8: r->port_desc = vstr(p, v); break;
            case 9: r->sys_name = vstr(p, v); break;
            case 10: r->sys_desc = vstr(p, v); break;
            case 11: if (v->type == EM_VB_OCTETS) r->caps_sup = em_lldp_caps(v->val, v->val_len); break;
            case 12: if (v->type == EM_VB_OCTETS) r->caps_en = em_lldp_caps(v->val, v->val_len); break;
            default: break;
            }
        } else if (PFX(v, o_lldpport) && n == LEN(o_lldpport) + 2) {
            if (use_v2 && has_v2rem) continue;   /* V2 rows number ports by ifIndex */
            struct em_lldp_port *pt = get_port(d, &c, (long)o[n - 1], &rc);
            if (!pt) break;
            switch (o[LEN(o_lldpport)]) {
            case 2: pt->id_sub = (int)vnum(v); break;
            case 3: pt->raw_id = v; break;  /* formatted below, once the subtype is known */
            case 4: pt->desc = vstr(p, v); break;
            default: break;
            }
        } else if (PFX(v, o_iproute_nh) && n == LEN(o_iproute_nh)) {
            if (v->type == EM_VB_IPADDR && v->val_len == 4)
                rc = add_addr(&d->next_hops, &d->n_next_hops, &c.nh, p, 4, v->val, -1, 0);
        } else if (PFX(v, o_ipcidr_nh) && n == LEN(o_ipcidr_nh) + 5) {
            if (v->type == EM_VB_IPADDR && v->val_len == 4)
                rc = add_addr(&d->next_hops, &d->n_next_hops, &c.nh, p, 4, v->val, -1, 0);
        } else if (PFX(v, o_inetcidr_if) && n > LEN(o_inetcidr_if)) {
            /* index: destType.destLen.dest.pfxLen.policy(len.oid).nhType.nhLen.nh */
            const uint32_t *x = o + LEN(o_inetcidr_if);
            size_t xn = n - LEN(o_inetcidr_if), k = 0;
            if (xn < 2) continue;
            size_t dl = x[1];
            k = 2 + dl;
            if (dl > 16 || k + 2 > xn) continue;
            if (x[k] != 0) continue;        /* prefix length 0: a default route */
            k++;
            size_t pl = x[k];
            k += 1 + pl;
            if (pl > EM_OID_MAX || k + 2 > xn) continue;
            uint32_t nht = x[k], nhl = x[k + 1];
            k += 2;
            if ((nht != 1 && nht != 2) || nhl != (nht == 1 ? 4u : 16u) || k + nhl != xn) continue;
            unsigned char a[16] = {0};
            bool ok = true;
            for (size_t j = 0; j < nhl; j++) { if (x[k + j] > 255) ok = false; a[j] = (unsigned char)x[k + j]; }
            if (ok) rc = add_addr(&d->next_hops, &d->n_next_hops, &c.nh, p, nht == 1 ? 4 : 6, a, -1, vnum(v));
        }
    }
    if (rc) goto out;

    if (!ch_val && v2_ch_val) { ch_val = v2_ch_val; ch_sub = v2_ch_sub; }
    if (ch_val) d->chassis = em_lldp_chassis_str(p, ch_sub, ch_val->val, ch_val->val_len);
    d->ch_sub = ch_sub;
    /* Format the values stashed as vb pointers, now that subtypes are known. */
    for (size_t i = 0; i < d->n_ports; i++) {
        struct em_lldp_port *pt = &d->ports[i];
        const struct em_vb *v = pt->raw_id;
        pt->raw_id = NULL;
        if (!v) continue;
        pt->id = v->type == EM_VB_OCTETS ? em_lldp_portid_str(p, pt->id_sub, v->val, v->val_len) : vstr(p, v);
    }
    size_t keep = 0;
    for (size_t i = 0; i < d->n_rems; i++) {
        struct em_lldp_rem r = d->rems[i];
        if (r.raw_chassis) {
            const struct em_vb *v = r.raw_chassis;
            r.chassis = v->type == EM_VB_OCTETS ? em_lldp_chassis_str(p, r.ch_sub, v->val, v->val_len) : vstr(p, v);
        }
        if (r.raw_port) {
            const struct em_vb *v = r.raw_port;
            r.port_id = v->type == EM_VB_OCTETS ? em_lldp_portid_str(p, r.port_sub, v->val, v->val_len) : vstr(p, v);
        }
        /* blank rows (empty chassis id) are dropped: they identify nothing */
        if (r.chassis[0] == '\0' && r.sys_name[0] == '\0') { d->rows_dropped++; continue; }
        r.raw_chassis = r.raw_port = NULL;
        d->rems[keep++] = r;
    }
    d->n_rems = keep;

    /* lldpRemManAddrTable: join on (port, remIndex), timeMark ignored; if no exact row,
     * the only neighbour on that port (FortiLink-style remIndex mismatch). */
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        long port, rem; int fam; unsigned char a[16];
        if (PFX(v, o_lldpman)) {
            if (em_lldp_manaddr_index(v->oid + LEN(o_lldpman), v->oid_len - LEN(o_lldpman),
                                      &port, &rem, &fam, a) != 0) { d->manaddr_unjoined++; continue; }
        } else if (use_v2 && PFX(v, o_v2man)) {
            if (em_lldp_v2_manaddr_index(v->oid + LEN(o_v2man), v->oid_len - LEN(o_v2man),
                                         &port, &rem, &fam, a) != 0) { d->manaddr_unjoined++; continue; }
        } else continue;
        struct em_lldp_rem *hit = NULL;
        size_t on_port = 0;
        struct em_lldp_rem *only = NULL;
        for (size_t j = 0; j < d->n_rems; j++) {
            if (d->rems[j].port == port && d->rems[j].rem_index == rem) { hit = &d->rems[j]; break; }
            if (d->rems[j].port == port) { on_port++; only = &d->rems[j]; }
        }
        if (!hit && on_port == 1) hit = only;
        if (!hit) { d->manaddr_unjoined++; continue; }
        if (fam == 0) continue;
        size_t cap = hit->n_mgmt;  /* grow one by one: few addresses per neighbour */
        struct em_dev_addr *na = realloc(hit->mgmt, (cap + 1) * sizeof *na);
        if (!na) { rc = EM_ERR_NOMEM; break; }
        hit->mgmt = na;
        size_t nn = hit->n_mgmt, ncap = cap + 1;
        rc = add_addr(&hit->mgmt, &nn, &ncap, p, fam, a, -1, 0);
        hit->n_mgmt = nn;
    }
    if (rc) goto out;

    /* ipAddrTable only when ipAddressTable gave nothing */
    if (d->n_addrs && n_bcast) {
        size_t k = 0;
        for (size_t i = 0; i < d->n_addrs; i++) {
            bool drop = false;
            for (size_t j = 0; j < n_bcast && !drop; j++)
                drop = bcast[j].family == d->addrs[i].family && memcmp(bcast[j].raw, d->addrs[i].raw, 16) == 0;
            if (!drop) d->addrs[k++] = d->addrs[i];
        }
        d->n_addrs = k;
    }
    if (d->n_addrs == 0 && n_old) { d->addrs = old_addrs; d->n_addrs = n_old; old_addrs = NULL; }
out:
    free(old_addrs);
    free(bcast);
    return rc;
}

void em_dev_clear(struct em_dev *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n_rems; i++) free(d->rems[i].mgmt);
    free(d->ifs); free(d->addrs); free(d->ports); free(d->rems); free(d->next_hops);
    free(d->aliases);
    memset(d, 0, sizeof *d);
}

const char *em_dev_key(struct em_pool *p, const struct em_dev *d)
{
    /* a sysName alone is no identity: factory names ("Switch") repeat across a site */
    if (d->chassis && d->chassis[0]) return em_pool_printf(p, "c%d:%s", d->ch_sub, d->chassis);
    if (d->engine_id && d->engine_id[0]) return em_pool_printf(p, "e:%s", d->engine_id);
    if (d->sys_name && d->sys_name[0]) return em_pool_printf(p, "n:%s", d->sys_name);
    return NULL;
}

const char *em_rem_key(struct em_pool *p, const struct em_lldp_rem *r)
{
    if (r->chassis[0]) return em_pool_printf(p, "c%d:%s", r->ch_sub, r->chassis);
    if (r->sys_name[0]) return em_pool_printf(p, "n:%s", r->sys_name);
    return NULL;
}

static const struct em_lldp_port *find_port(const struct em_dev *d, long port)
{
    for (size_t i = 0; i < d->n_ports; i++) if (d->ports[i].num == port) return &d->ports[i];
    return NULL;
}

static const struct em_dev_if *find_if(const struct em_dev *d, long idx)
{
    for (size_t i = 0; i < d->n_ifs; i++) if (d->ifs[i].idx == idx) return &d->ifs[i];
    return NULL;
}

const char *em_dev_port_id(const struct em_dev *d, long port)
{
    const struct em_lldp_port *pt = find_port(d, port);
    return pt && pt->id[0] ? pt->id : NULL;
}

const char *em_dev_port_name(struct em_pool *p, const struct em_dev *d, long port)
{
    const struct em_lldp_port *pt = find_port(d, port);
    if (pt) {
        /* (1) PortDesc -> ifDescr, (2) -> ifAlias, (3) PortId -> ifName */
        for (size_t i = 0; pt->desc[0] && i < d->n_ifs; i++)
            if (strcmp(d->ifs[i].descr, pt->desc) == 0)
                return d->ifs[i].name[0] ? d->ifs[i].name : d->ifs[i].descr;
        for (size_t i = 0; pt->desc[0] && i < d->n_ifs; i++)
            if (strcmp(d->ifs[i].alias, pt->desc) == 0)
                return d->ifs[i].name[0] ? d->ifs[i].name : d->ifs[i].descr;
        for (size_t i = 0; pt->id[0] && i < d->n_ifs; i++)
            if (strcmp(d->ifs[i].name, pt->id) == 0) return d->ifs[i].name;
    }
    /* (5) the port number as an ifIndex — but only with no LLDP port row to go by */
    if (!pt) {
        const struct em_dev_if *f = find_if(d, port);
        if (f && (f->name[0] || f->descr[0])) return f->name[0] ? f->name : f->descr;
    }
    if (pt && pt->desc[0]) return pt->desc;
    if (pt && pt->id[0]) return pt->id;
    return em_pool_printf(p, "port %ld", port);
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++) if (*s < '0' || *s > '9') return false;
    return true;
}

const char *em_rem_port_name(const struct em_lldp_rem *r)
{
    if ((r->port_sub == 5 || r->port_sub == 7 || r->port_sub == 1) && r->port_id[0] &&
        !all_digits(r->port_id)) return r->port_id;
    if (r->port_sub == 3 && r->port_id[0]) return r->port_id;
    if (r->port_desc[0]) return r->port_desc;
    return r->port_id;
}
