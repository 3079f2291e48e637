/* route.c — default and static routes (IP-FORWARD-MIB inetCidrRouteTable, the older
 * ipCidrRouteTable, RFC1213 ipRouteTable's first row), with their next hops. Only the
 * default-route prefixes and the protocol column are walked (big routers carry huge
 * tables; the crawler's row cap bounds the rest). Connected and learned routes are
 * not kept: a static route to a next hop is what shows a deliberate way out. */
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"

const struct em_walk_root em_route_roots[] = {
    {"1.3.6.1.2.1.4.21.1.7", true, false},   /* ipRouteNextHop: GETNEXT gives dest 0.0.0.0 first */
    {"1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0", false, false},  /* inetCidrRouteIfIndex, 0.0.0.0/0 */
    {"1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0", false, false}, /* ::/0 */
    {"1.3.6.1.2.1.4.24.4.1.4.0.0.0.0.0.0.0.0", false, false}, /* ipCidrRouteNextHop 0/0 */
    {"1.3.6.1.2.1.4.24.7.1.9", false, false},  /* inetCidrRouteProto: static routes */
    {"1.3.6.1.2.1.4.24.4.1.7", false, false},  /* ipCidrRouteProto (older agents) */
};
const size_t em_n_route_roots = EM_LEN(em_route_roots);

static const uint32_t o_iproute_nh[] = EM_O(1, 3, 6, 1, 2, 1, 4, 21, 1, 7, 0, 0, 0, 0);
static const uint32_t o_inetcidr[] = EM_O(1, 3, 6, 1, 2, 1, 4, 24, 7, 1);
static const uint32_t o_ipcidr[] = EM_O(1, 3, 6, 1, 2, 1, 4, 24, 4, 1);

int em_route_inet_index(const uint32_t *x, size_t xn, int *family, unsigned char dest[16], int *prefix,
                        int *nh_family, unsigned char nh[16])
{
    if (xn < 2) return -1;
    uint32_t dt = x[0], dl = x[1];
    if (!((dt == 1 && dl == 4) || (dt == 2 && dl == 16))) return -1;
    size_t k = 2 + dl;
    if (k + 2 > xn) return -1;
    memset(dest, 0, 16);
    for (size_t j = 0; j < dl; j++) { if (x[2 + j] > 255) return -1; dest[j] = (unsigned char)x[2 + j]; }
    if (x[k] > (dt == 1 ? 32u : 128u)) return -1;
    *prefix = (int)x[k];
    k++;
    size_t pl = x[k];
    k += 1 + pl;
    if (pl > EM_OID_MAX || k + 2 > xn) return -1;
    uint32_t nht = x[k], nhl = x[k + 1];
    k += 2;
    if ((nht != 1 && nht != 2) || nhl != (nht == 1 ? 4u : 16u) || k + nhl != xn) return -1;
    memset(nh, 0, 16);
    for (size_t j = 0; j < nhl; j++) { if (x[k + j] > 255) return -1; nh[j] = (unsigned char)x[k + j]; }
    *family = dt == 1 ? 4 : 6;
    *nh_family = nht == 1 ? 4 : 6;
    return 0;
}

static bool zero(const unsigned char *a, size_t n)
{
    for (size_t i = 0; i < n; i++) if (a[i]) return false;
    return true;
}

static int add_route(struct em_pool *p, struct em_dev *d, int fam, const unsigned char *dest, int prefix,
                     const unsigned char *nh, long ifidx, int proto)
{
    size_t al = fam == 4 ? 4 : 16;
    for (size_t i = 0; i < d->n_routes; i++) {
        struct em_route *r = &d->routes[i];
        if (r->family == fam && r->prefix == prefix && !memcmp(r->dest, dest, al) && !memcmp(r->nh, nh, al)) {
            if (!r->if_index) r->if_index = ifidx;
            if (!r->proto) r->proto = proto;
            return 0;
        }
    }
    struct em_route *r = em_vec_push((void **)&d->routes, &d->n_routes, sizeof *r);
    if (!r) return EM_ERR_NOMEM;
    r->family = fam;
    memcpy(r->dest, dest, al);
    memcpy(r->nh, nh, al);
    r->prefix = prefix;
    r->if_index = ifidx;
    r->proto = proto;
    r->dest_text = em_addr_str(p, fam, dest);
    r->nh_text = em_addr_str(p, fam, nh);
    return 0;
}

static int mask_len(const unsigned char *m)
{
    int n = 0;
    for (int i = 0; i < 32 && (m[i / 8] & (0x80 >> (i % 8))); i++) n++;
    return n;
}

int em_route_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    size_t nh_cap = d->n_next_hops;
    int rc = 0;
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        const uint32_t *o = v->oid;
        size_t n = v->oid_len;
        if (EM_PFX(v, o_iproute_nh) && n == EM_LEN(o_iproute_nh)) {
            if (v->type == EM_VB_IPADDR && v->val_len == 4 && !zero(v->val, 4))
                rc = em_dec_add_addr(&d->next_hops, &d->n_next_hops, &nh_cap, p, 4, v->val, -1, 0);
        } else if (EM_PFX(v, o_inetcidr) && n > EM_LEN(o_inetcidr) + 1) {
            uint32_t col = o[EM_LEN(o_inetcidr)];
            int fam, pfx, nfam; unsigned char dest[16], nh[16];
            if (col != 7 && col != 9) continue;
            if (em_route_inet_index(o + EM_LEN(o_inetcidr) + 1, n - EM_LEN(o_inetcidr) - 1, &fam, dest, &pfx, &nfam, nh) != 0)
                continue;
            if (nfam != fam || zero(nh, fam == 4 ? 4 : 16)) continue;   /* connected: no next hop */
            long ifidx = col == 7 ? em_dec_num(v) : 0;
            int proto = col == 9 ? (int)em_dec_num(v) : 0;
            if (pfx == 0) rc = em_dec_add_addr(&d->next_hops, &d->n_next_hops, &nh_cap, p, nfam, nh, -1, ifidx);
            if (rc == 0 && (pfx == 0 || proto == 3)) rc = add_route(p, d, fam, dest, pfx, nh, ifidx, proto);
        } else if (EM_PFX(v, o_ipcidr) && n == EM_LEN(o_ipcidr) + 14) {
            /* index dest(4).mask(4).tos.nexthop(4) */
            uint32_t col = o[EM_LEN(o_ipcidr)];
            if (col != 4 && col != 7) continue;
            const uint32_t *x = o + EM_LEN(o_ipcidr) + 1;
            unsigned char dest[16] = {0}, mask[4], nh[16] = {0};
            bool ok = true;
            for (int k = 0; k < 4; k++) {
                if (x[k] > 255 || x[4 + k] > 255 || x[9 + k] > 255) ok = false;
                dest[k] = (unsigned char)x[k]; mask[k] = (unsigned char)x[4 + k]; nh[k] = (unsigned char)x[9 + k];
            }
            if (!ok || zero(nh, 4)) continue;
            int pfx = mask_len(mask);
            int proto = col == 7 ? (int)em_dec_num(v) : 0;
            if (pfx == 0) rc = em_dec_add_addr(&d->next_hops, &d->n_next_hops, &nh_cap, p, 4, nh, -1, 0);
            if (rc == 0 && (pfx == 0 || proto == 3)) rc = add_route(p, d, 4, dest, pfx, nh, 0, proto);
        }
    }
    return rc;
}
