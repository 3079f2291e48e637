/* device.c — turns one agent's varbinds (from the wire or a walk dump) into an
 * em_dev: the system group, IF-MIB and IP-MIB here, then each protocol's own decoder
 * (lldp.c, cdp.c, arp.c, fdb.c, route.c), each with its own OID table. Pure: no I/O;
 * bad rows are skipped and counted, never trusted. */
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"
#include "snmp/discover.h"

static const struct em_walk_root dev_roots[] = {
    {"1.3.6.1.2.1.1.1", true, false},   /* sysDescr */
    {"1.3.6.1.2.1.1.2", true, false},   /* sysObjectID */
    {"1.3.6.1.2.1.1.5", true, false},   /* sysName */
    {"1.3.6.1.2.1.1.6", true, false},   /* sysLocation */
    {"1.3.6.1.6.3.10.2.1.1", true, false},  /* snmpEngineID */
    {"1.3.6.1.2.1.2.2.1.2", false, false},  /* ifDescr */
    {"1.3.6.1.2.1.2.2.1.3", false, false},  /* ifType (ppp, tunnel, wwan: WAN signals) */
    {"1.3.6.1.2.1.2.2.1.6", false, false},  /* ifPhysAddress */
    {"1.3.6.1.2.1.2.2.1.8", false, false},  /* ifOperStatus */
    {"1.3.6.1.2.1.31.1.1.1.1", false, false},   /* ifName */
    {"1.3.6.1.2.1.31.1.1.1.18", false, false},  /* ifAlias */
    {"1.3.6.1.2.1.4.34.1.3", false, false},     /* ipAddressIfIndex */
    {"1.3.6.1.2.1.4.34.1.4", false, false},     /* ipAddressType (broadcast rows dropped) */
    {"1.3.6.1.2.1.4.34.1.5", false, false},     /* ipAddressPrefix */
    {"1.3.6.1.2.1.4.20.1.2", false, false},     /* ipAdEntIfIndex */
    {"1.3.6.1.2.1.4.20.1.3", false, false},     /* ipAdEntNetMask */
};

size_t em_walk_roots_all(const struct em_walk_root **out, size_t max)
{
    /* request order: LLDP first (the next hop waits on it), then CDP, the device's own
       tables, routes, ARP, the forwarding tables (the longest), then Cisco's VLAN list
       (asked of Cisco devices only: crawl.c) */
    const struct { const struct em_walk_root *r; size_t n; } t[] = {
        {em_lldp_roots, em_n_lldp_roots}, {em_cdp_roots, em_n_cdp_roots}, {dev_roots, EM_LEN(dev_roots)},
        {em_route_roots, em_n_route_roots}, {em_arp_roots, em_n_arp_roots}, {em_fdb_roots, em_n_fdb_roots},
        {em_vtp_roots, em_n_vtp_roots},
    };
    size_t k = 0;
    for (size_t i = 0; i < EM_LEN(t); i++)
        for (size_t j = 0; j < t[i].n && k < max; j++) out[k++] = &t[i].r[j];
    return k;
}

bool em_dev_wanted(const uint32_t *oid, size_t n)
{
    static const uint32_t w_sys[] = EM_O(1, 3, 6, 1, 2, 1, 1);
    static const uint32_t w_if[] = EM_O(1, 3, 6, 1, 2, 1, 2);
    static const uint32_t w_ip[] = EM_O(1, 3, 6, 1, 2, 1, 4);
    static const uint32_t w_bridge[] = EM_O(1, 3, 6, 1, 2, 1, 17);
    static const uint32_t w_ifx[] = EM_O(1, 3, 6, 1, 2, 1, 31);
    static const uint32_t w_lldp[] = EM_O(1, 0, 8802, 1, 1, 2);
    static const uint32_t w_lldp2[] = EM_O(1, 3, 111, 2, 802, 1, 1, 13);
    static const uint32_t w_cdp[] = EM_O(1, 3, 6, 1, 4, 1, 9, 9, 23);
    static const uint32_t w_eng[] = EM_O(1, 3, 6, 1, 6, 3, 10, 2, 1);
    static const uint32_t w_vtp[] = EM_O(1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 2);
    static const struct { const uint32_t *o; size_t n; } w[] = {
        {w_sys, 7}, {w_if, 7}, {w_ip, 7}, {w_bridge, 7}, {w_ifx, 7}, {w_lldp, 6}, {w_lldp2, 8},
        {w_cdp, 9}, {w_eng, 9}, {w_vtp, 14},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (em_oid_has_prefix(oid, n, w[i].o, w[i].n)) return true;
    return false;
}

static const uint32_t o_sys[] = EM_O(1, 3, 6, 1, 2, 1, 1);
static const uint32_t o_engine[] = EM_O(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0);
static const uint32_t o_iftable[] = EM_O(1, 3, 6, 1, 2, 1, 2, 2, 1);
static const uint32_t o_ifx[] = EM_O(1, 3, 6, 1, 2, 1, 31, 1, 1, 1);
static const uint32_t o_ipaddress[] = EM_O(1, 3, 6, 1, 2, 1, 4, 34, 1);
static const uint32_t o_ipaddr[] = EM_O(1, 3, 6, 1, 2, 1, 4, 20, 1);

const char *em_dec_str(struct em_pool *p, const struct em_vb *v)
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

long em_dec_num(const struct em_vb *v)
{
    return (v->type == EM_VB_INT || v->type == EM_VB_UINT) ? (long)v->num : 0;
}

static const char *mac_str(struct em_pool *p, const struct em_vb *v)
{
    if (v->type != EM_VB_OCTETS || v->val_len == 0) return "";
    return em_lldp_chassis_str(p, 4, v->val, v->val_len == 6 ? 6 : v->val_len);
}

void *em_vec_push(void **arr, size_t *n, size_t elem)
{
    size_t k = *n;
    /* capacity: 8, then the next power of two; grow when k reaches it */
    if (k == 0 || (k >= 8 && (k & (k - 1)) == 0)) {
        size_t nc = k ? k * 2 : 8;
        void *np = realloc(*arr, nc * elem);
        if (!np) return NULL;
        *arr = np;
    }
    void *x = (char *)*arr + k * elem;
    memset(x, 0, elem);
    (*n)++;
    return x;
}

static struct em_dev_if *get_if(struct em_dev *d, long idx, int *rc)
{
    for (size_t i = d->n_ifs; i-- > 0;) if (d->ifs[i].idx == idx) return &d->ifs[i];
    struct em_dev_if *f = em_vec_push((void **)&d->ifs, &d->n_ifs, sizeof *f);
    if (!f) { *rc = EM_ERR_NOMEM; return NULL; }
    f->idx = idx; f->name = f->descr = f->alias = f->mac = "";
    return f;
}

int em_dec_add_addr(struct em_dev_addr **arr, size_t *n, size_t *cap, struct em_pool *p,
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

int em_dec_inet_index(const uint32_t *idx, size_t n, int *family, unsigned char a[16])
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

/* One ipAddressTable row (IP-MIB, v4 and v6). Broadcast rows are collected apart so
 * they can be dropped from the device's addresses. */
static int ip_address_row(struct em_pool *p, const struct em_vb *v, struct em_dev *d, size_t *acap,
                          struct em_dev_addr **bcast, size_t *n_bcast, size_t *bcap)
{
    const uint32_t *o = v->oid;
    size_t n = v->oid_len;
    int fam; unsigned char a[16];
    size_t col = o[EM_LEN(o_ipaddress)];
    if (em_dec_inet_index(o + EM_LEN(o_ipaddress) + 1, n - EM_LEN(o_ipaddress) - 1, &fam, a) != 0) return 0;
    int prefix = -1;
    long ifidx = 0;
    if (col == 3) ifidx = em_dec_num(v);
    else if (col == 4) {
        /* broadcast(3): not an address of the device */
        return em_dec_num(v) == 3 ? em_dec_add_addr(bcast, n_bcast, bcap, p, fam, a, -1, 0) : 0;
    } else if (col == 5 && v->type == EM_VB_OID) {
        /* RowPointer into ipAddressPrefixTable: the last sub-id is the length */
        uint32_t po[EM_OID_MAX];
        int pn = em_oid_parse((const char *)v->val, po, EM_OID_MAX);
        if (pn > 0 && po[pn - 1] <= (fam == 4 ? 32u : 128u)) prefix = (int)po[pn - 1];
    } else return 0;
    return em_dec_add_addr(&d->addrs, &d->n_addrs, acap, p, fam, a, prefix, ifidx);
}

/* The system group, IF-MIB and IP-MIB addresses. */
static int decode_base(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    size_t acap = 0, acap_v4 = 0, bcap = 0;
    struct em_dev_addr *old_addrs = NULL; size_t n_old = 0;  /* ipAddrTable rows */
    struct em_dev_addr *bcast = NULL; size_t n_bcast = 0;
    int rc = 0;
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        const uint32_t *o = v->oid;
        size_t n = v->oid_len;
        if (EM_PFX(v, o_sys) && n == EM_LEN(o_sys) + 2 && o[n - 1] == 0) {
            switch (o[EM_LEN(o_sys)]) {
            case 1: d->sys_descr = em_dec_str(p, v); break;
            case 2: d->sys_oid = em_dec_str(p, v); break;
            case 5: d->sys_name = em_dec_str(p, v); break;
            case 6: d->sys_location = em_dec_str(p, v); break;
            default: break;
            }
        } else if (EM_PFX(v, o_engine) && n == EM_LEN(o_engine)) {
            if (v->type == EM_VB_OCTETS) d->engine_id = em_lldp_chassis_str(p, 0, v->val, v->val_len);
        } else if (EM_PFX(v, o_iftable) && n == EM_LEN(o_iftable) + 2) {
            struct em_dev_if *f = get_if(d, (long)o[n - 1], &rc);
            if (!f) break;
            switch (o[EM_LEN(o_iftable)]) {
            case 2: f->descr = em_dec_str(p, v); break;
            case 3: f->type = em_dec_num(v); break;
            case 6: f->mac = mac_str(p, v); break;
            case 8: f->oper = em_dec_num(v); break;
            default: break;
            }
        } else if (EM_PFX(v, o_ifx) && n == EM_LEN(o_ifx) + 2) {
            struct em_dev_if *f = get_if(d, (long)o[n - 1], &rc);
            if (!f) break;
            if (o[EM_LEN(o_ifx)] == 1) f->name = em_dec_str(p, v);
            else if (o[EM_LEN(o_ifx)] == 18) f->alias = em_dec_str(p, v);
        } else if (EM_PFX(v, o_ipaddress) && n > EM_LEN(o_ipaddress) + 1) {
            rc = ip_address_row(p, v, d, &acap, &bcast, &n_bcast, &bcap);
        } else if (EM_PFX(v, o_ipaddr) && n == EM_LEN(o_ipaddr) + 5) {
            unsigned char a[16] = {0};
            bool ok = true;
            for (int k = 0; k < 4; k++) { if (o[n - 4 + k] > 255) ok = false; a[k] = (unsigned char)o[n - 4 + k]; }
            if (!ok) continue;
            size_t col = o[EM_LEN(o_ipaddr)];
            if (col == 2) rc = em_dec_add_addr(&old_addrs, &n_old, &acap_v4, p, 4, a, -1, em_dec_num(v));
            else if (col == 3 && v->type == EM_VB_IPADDR && v->val_len == 4)
                rc = em_dec_add_addr(&old_addrs, &n_old, &acap_v4, p, 4, a, mask_len(v->val), 0);
        }
    }
    if (rc == 0 && d->n_addrs && n_bcast) {
        size_t k = 0;
        for (size_t i = 0; i < d->n_addrs; i++) {
            bool drop = false;
            for (size_t j = 0; j < n_bcast && !drop; j++)
                drop = bcast[j].family == d->addrs[i].family && memcmp(bcast[j].raw, d->addrs[i].raw, 16) == 0;
            if (!drop) d->addrs[k++] = d->addrs[i];
        }
        d->n_addrs = k;
    }
    /* ipAddrTable only when ipAddressTable gave nothing */
    if (rc == 0 && d->n_addrs == 0 && n_old) { free(d->addrs); d->addrs = old_addrs; d->n_addrs = n_old; old_addrs = NULL; }
    free(old_addrs);
    free(bcast);
    return rc;
}

int em_dev_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    d->chassis = d->sys_name = d->sys_descr = d->sys_oid = d->sys_location = d->engine_id = "";
    if (!d->queried) d->queried = "";
    int rc = decode_base(p, vbs, d);
    if (rc == 0) rc = em_lldp_decode(p, vbs, d);
    if (rc == 0) rc = em_cdp_decode(p, vbs, d);
    if (rc == 0) rc = em_route_decode(p, vbs, d);
    if (rc == 0) rc = em_arp_decode(p, vbs, d);
    if (rc == 0) rc = em_fdb_decode(p, vbs, d);
    if (rc == 0) rc = em_vlan_tag_default(vbs, d);
    return rc;
}

void em_dev_clear(struct em_dev *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n_rems; i++) free(d->rems[i].mgmt);
    free(d->ifs); free(d->addrs); free(d->ports); free(d->rems); free(d->next_hops);
    free(d->fdb); free(d->vlans); free(d->arp); free(d->routes);
    free(d->aliases);
    memset(d, 0, sizeof *d);
}

const char *em_nb_source_name(int source)
{
    switch (source) {
    case EM_NB_LLDP: return "lldp";
    case EM_NB_LLDP_V2: return "lldp-v2";
    case EM_NB_CDP: return "cdp";
    case EM_NB_FDB: return "fdb";
    case EM_NB_ARP: return "arp";
    default: return "";
    }
}

const char *em_dev_key(struct em_pool *p, const struct em_dev *d)
{
    /* a sysName alone is no identity: factory names ("Switch") repeat across a site */
    if (d->chassis && d->chassis[0]) return em_pool_printf(p, "c%d:%s", d->ch_sub, d->chassis);
    if (d->engine_id && d->engine_id[0]) return em_pool_printf(p, "e:%s", d->engine_id);
    if (d->sys_name && d->sys_name[0]) return em_pool_printf(p, "n:%s", d->sys_name);
    return NULL;
}

const char *em_rem_key(struct em_pool *p, const struct em_neighbor *r)
{
    /* a CDP device id is a name (or a serial): the same key space as a sysName */
    if (r->source == EM_NB_CDP) {
        const char *name = r->sys_name[0] ? r->sys_name : r->chassis;
        return name[0] ? em_pool_printf(p, "n:%s", name) : NULL;
    }
    if (r->chassis[0]) return em_pool_printf(p, "c%d:%s", r->ch_sub, r->chassis);
    if (r->sys_name[0]) return em_pool_printf(p, "n:%s", r->sys_name);
    return NULL;
}

static const struct em_lldp_port *find_port(const struct em_dev *d, long port)
{
    for (size_t i = 0; i < d->n_ports; i++) if (d->ports[i].num == port) return &d->ports[i];
    return NULL;
}

const struct em_dev_if *em_dev_find_if(const struct em_dev *d, long idx)
{
    for (size_t i = 0; i < d->n_ifs; i++) if (d->ifs[i].idx == idx) return &d->ifs[i];
    return NULL;
}

const char *em_dev_port_id(const struct em_dev *d, long port)
{
    const struct em_lldp_port *pt = find_port(d, port);
    return pt && pt->id[0] ? pt->id : NULL;
}

const char *em_dev_if_name(struct em_pool *p, const struct em_dev *d, long if_index)
{
    const struct em_dev_if *f = em_dev_find_if(d, if_index);
    if (f && (f->name[0] || f->descr[0])) return f->name[0] ? f->name : f->descr;
    return em_pool_printf(p, "ifIndex %ld", if_index);
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
        const struct em_dev_if *f = em_dev_find_if(d, port);
        if (f && (f->name[0] || f->descr[0])) return f->name[0] ? f->name : f->descr;
    }
    if (pt && pt->desc[0]) return pt->desc;
    if (pt && pt->id[0]) return pt->id;
    return em_pool_printf(p, "port %ld", port);
}

const char *em_nb_local_port(struct em_pool *p, const struct em_dev *d, const struct em_neighbor *r)
{
    /* CDP and LLDP-V2 number local ports by ifIndex */
    if (r->source == EM_NB_CDP || r->source == EM_NB_LLDP_V2) {
        if (r->source == EM_NB_LLDP_V2 && find_port(d, r->port)) return em_dev_port_name(p, d, r->port);
        return em_dev_if_name(p, d, r->port);
    }
    return em_dev_port_name(p, d, r->port);
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++) if (*s < '0' || *s > '9') return false;
    return true;
}

const char *em_rem_port_name(const struct em_neighbor *r)
{
    if ((r->port_sub == 5 || r->port_sub == 7 || r->port_sub == 1) && r->port_id[0] &&
        !all_digits(r->port_id)) return r->port_id;
    if (r->port_sub == 3 && r->port_id[0]) return r->port_id;
    if (r->port_desc[0]) return r->port_desc;
    return r->port_id;
}
