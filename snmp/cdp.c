/* cdp.c — CISCO-CDP-MIB cdpCacheTable (1.3.6.1.4.1.9.9.23.1.2.1.1) into neighbour rows:
 * device id, address, device port, platform, version, capabilities. The index is
 * ifIndex.deviceIndex, so CDP rows name the local port by ifIndex. Quirks
 * (discovery-notes.md (4)): NX-OS device ids carry "(SERIAL)", capabilities come as a
 * 4-byte mask or as words, 0.0.0.0 means "not manageable". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "snmp/decode.h"

const struct em_walk_root em_cdp_roots[] = {
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.3", false, true},  /* cdpCacheAddressType */
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.4", false, true},  /* cdpCacheAddress */
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.5", false, true},  /* cdpCacheVersion */
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.6", false, true},  /* cdpCacheDeviceId */
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.7", false, true},  /* cdpCacheDevicePort */
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.8", false, true},  /* cdpCachePlatform */
    {"1.3.6.1.4.1.9.9.23.1.2.1.1.9", false, true},  /* cdpCacheCapabilities */
};
const size_t em_n_cdp_roots = EM_LEN(em_cdp_roots);

static const uint32_t o_cache[] = EM_O(1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1);

int em_cdp_addr(long type, const unsigned char *v, size_t n, unsigned char out[16])
{
    memset(out, 0, 16);
    if (type == 1 && n == 4) {
        memcpy(out, v, 4);
        return (out[0] | out[1] | out[2] | out[3]) ? 4 : 0;   /* 0.0.0.0: not manageable */
    }
    if (type == 20 && n == 16) {
        memcpy(out, v, 16);
        for (int i = 0; i < 16; i++) if (out[i]) return 6;
        return 0;
    }
    return 0;
}

static unsigned word_bit(const char *w, size_t n)
{
    static const struct { const char *w; unsigned bit; } t[] = {
        {"router", 4}, {"r", 4}, {"trans-bridge", 2}, {"t", 2}, {"source-route-bridge", 2}, {"b", 2},
        {"switch", 2}, {"s", 2}, {"host", 7}, {"h", 7}, {"repeater", 1}, {"phone", 5}, {"p", 5},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strlen(t[i].w) == n && strncasecmp(t[i].w, w, n) == 0) return 1u << t[i].bit;
    return 0;
}

unsigned em_cdp_caps(const unsigned char *v, size_t n)
{
    unsigned m = 0;
    bool text = n > 0;
    for (size_t i = 0; i < n; i++)
        if (!(isprint(v[i]) || v[i] == 0)) text = false;
    if (n == 4 && !(text && isalpha(v[0]))) {
        /* the 4-byte mask (network order) */
        unsigned long x = ((unsigned long)v[0] << 24) | ((unsigned long)v[1] << 16) | ((unsigned long)v[2] << 8) | v[3];
        if (x & 0x01) m |= 1u << 4;          /* Router */
        if (x & 0x0e) m |= 1u << 2;          /* TB, SRB, Switch */
        if (x & 0x10) m |= 1u << 7;          /* Host */
        if (x & 0x40) m |= 1u << 1;          /* Repeater */
        if (x & 0x80) m |= 1u << 5;          /* Phone */
        return m;
    }
    if (!text) return 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == 0)) i++;
        size_t s = i;
        while (i < n && v[i] != ' ' && v[i] != 0) i++;
        if (i > s) m |= word_bit((const char *)v + s, i - s);
    }
    return m;
}

const char *em_cdp_device_id(struct em_pool *pool, const unsigned char *v, size_t n)
{
    while (n && v[n - 1] == 0) n--;
    /* NX-OS: "host.domain(SERIAL)" */
    if (n > 2 && v[n - 1] == ')') {
        for (size_t i = n - 1; i-- > 0;)
            if (v[i] == '(') { if (i > 0) n = i; break; }
    }
    return em_lldp_chassis_str(pool, 7, v, n);
}

static struct em_neighbor *get_row(struct em_dev *d, long ifidx, long dev_index, int *rc)
{
    for (size_t i = d->n_rems; i-- > 0;)
        if (d->rems[i].source == EM_NB_CDP && d->rems[i].port == ifidx && d->rems[i].rem_index == dev_index)
            return &d->rems[i];
    struct em_neighbor *r = em_vec_push((void **)&d->rems, &d->n_rems, sizeof *r);
    if (!r) { *rc = EM_ERR_NOMEM; return NULL; }
    r->source = EM_NB_CDP;
    r->port = ifidx; r->rem_index = dev_index;
    r->ch_sub = 7;        /* the device id is free text: "local" */
    r->port_sub = 5;      /* the device port is an interface name */
    r->chassis = r->port_id = r->port_desc = r->sys_name = r->sys_desc = r->platform = "";
    return r;
}

int em_cdp_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    int rc = 0;
    size_t first = d->n_rems;
    /* rows keyed on the last two sub-ids: ifIndex (synthetic for repeater ports) and
       deviceIndex; the address needs its type, so it is decoded at the end */
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        if (!EM_PFX(v, o_cache) || v->oid_len != EM_LEN(o_cache) + 3) continue;
        uint32_t col = v->oid[EM_LEN(o_cache)];
        long ifidx = (long)v->oid[v->oid_len - 2], devi = (long)v->oid[v->oid_len - 1];
        if (col < 3 || col > 9) continue;
        struct em_neighbor *r = get_row(d, ifidx, devi, &rc);
        if (!r) break;
        switch (col) {
        case 3: r->caps_sup = (unsigned)em_dec_num(v) << 16; break;  /* address type, parked */
        case 4: r->raw_chassis = v; break;                            /* address, parked */
        case 5: r->sys_desc = em_dec_str(p, v); break;
        case 6:
            if (v->type == EM_VB_OCTETS) {
                r->chassis = em_lldp_chassis_str(p, 7, v->val, v->val_len);
                r->sys_name = em_cdp_device_id(p, v->val, v->val_len);
            }
            break;
        case 7:
            if (v->type == EM_VB_OCTETS) r->port_id = em_lldp_portid_str(p, 5, v->val, v->val_len);
            break;
        case 8: r->platform = em_dec_str(p, v); break;
        case 9: if (v->type == EM_VB_OCTETS) r->caps_en = em_cdp_caps(v->val, v->val_len); break;
        default: break;
        }
    }
    if (rc) return rc;
    size_t keep = first;
    for (size_t i = first; i < d->n_rems; i++) {
        struct em_neighbor r = d->rems[i];
        long type = (long)(r.caps_sup >> 16);
        r.caps_sup = 0;
        const struct em_vb *av = r.raw_chassis;
        r.raw_chassis = NULL;
        if (av && av->type == EM_VB_OCTETS) {
            unsigned char a[16];
            int fam = em_cdp_addr(type, av->val, av->val_len, a);
            if (fam) {
                size_t nn = 0, cap = 0;
                if (em_dec_add_addr(&r.mgmt, &nn, &cap, p, fam, a, -1, 0) != 0) return EM_ERR_NOMEM;
                r.n_mgmt = nn;
            }
        }
        /* a row without a device id identifies nothing */
        if (!r.sys_name[0]) { d->rows_dropped++; free(r.mgmt); continue; }
        d->rems[keep++] = r;
    }
    d->n_rems = keep;
    return 0;
}
