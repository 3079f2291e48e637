/* arp.c — IP-MIB neighbour caches: ipNetToPhysicalTable (IPv4 and IPv6, indexed
 * ifIndex.addrType.len.addr), and the deprecated ipNetToMediaTable (IPv4, indexed
 * ifIndex.a.b.c.d) only when the first has no rows (agents often serve both).
 * Invalid and local rows, and multicast/broadcast MACs, are not kept. */
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"

const struct em_walk_root em_arp_roots[] = {
    {"1.3.6.1.2.1.4.35.1.4", false, false},  /* ipNetToPhysicalPhysAddress */
    {"1.3.6.1.2.1.4.35.1.6", false, false},  /* ipNetToPhysicalType */
    {"1.3.6.1.2.1.4.22.1.2", false, false},  /* ipNetToMediaPhysAddress */
    {"1.3.6.1.2.1.4.22.1.4", false, false},  /* ipNetToMediaType */
};
const size_t em_n_arp_roots = EM_LEN(em_arp_roots);

static const uint32_t o_phys[] = EM_O(1, 3, 6, 1, 2, 1, 4, 35, 1);
static const uint32_t o_media[] = EM_O(1, 3, 6, 1, 2, 1, 4, 22, 1);

int em_arp_phys_index(const uint32_t *idx, size_t n, long *if_index, int *family, unsigned char addr[16])
{
    if (n < 3) return -1;
    *if_index = (long)idx[0];
    return em_dec_inet_index(idx + 1, n - 1, family, addr);
}

/* A unicast, non-zero 6-byte MAC. */
static bool unicast_mac(const unsigned char *m, size_t n)
{
    if (n != 6 || (m[0] & 1)) return false;
    return (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) != 0;
}

static struct em_arp_entry *get_row(struct em_dev *d, size_t first, long ifidx, int fam, const unsigned char *a, int *rc)
{
    /* rows arrive column by column in index order: the match is usually the last few */
    for (size_t i = d->n_arp; i-- > first;) {
        struct em_arp_entry *e = &d->arp[i];
        if (e->if_index == ifidx && e->family == fam && memcmp(e->addr, a, 16) == 0) return e;
        if (d->n_arp - i > 64) break;
    }
    struct em_arp_entry *e = em_vec_push((void **)&d->arp, &d->n_arp, sizeof *e);
    if (!e) { *rc = EM_ERR_NOMEM; return NULL; }
    e->if_index = ifidx; e->family = fam; memcpy(e->addr, a, 16);
    e->type = -1;   /* unknown until the type column is read */
    return e;
}

/* Rows of one table (phys true: ipNetToPhysicalTable). */
static int table(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d, bool phys)
{
    int rc = 0;
    size_t first = d->n_arp;
    const uint32_t *root = phys ? o_phys : o_media;
    size_t rl = phys ? EM_LEN(o_phys) : EM_LEN(o_media);
    uint32_t c_mac = phys ? 4 : 2, c_type = phys ? 6 : 4;
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        if (v->oid_len < rl + 2 || !em_oid_has_prefix(v->oid, v->oid_len, root, rl)) continue;
        uint32_t col = v->oid[rl];
        if (col != c_mac && col != c_type) continue;
        const uint32_t *ix = v->oid + rl + 1;
        size_t ixn = v->oid_len - rl - 1;
        long ifidx; int fam; unsigned char a[16] = {0};
        if (phys) {
            if (em_arp_phys_index(ix, ixn, &ifidx, &fam, a) != 0) continue;
        } else {
            if (ixn != 5) continue;
            bool ok = true;
            for (int k = 0; k < 4; k++) { if (ix[1 + k] > 255) ok = false; a[k] = (unsigned char)ix[1 + k]; }
            if (!ok) continue;
            ifidx = (long)ix[0]; fam = 4;
        }
        struct em_arp_entry *e = get_row(d, first, ifidx, fam, a, &rc);
        if (!e) break;
        if (col == c_type) e->type = (int)em_dec_num(v);
        else if (v->type == EM_VB_OCTETS && v->val_len == 6) memcpy(e->mac, v->val, 6);
    }
    if (rc) return rc;
    size_t keep = first;
    for (size_t i = first; i < d->n_arp; i++) {
        struct em_arp_entry e = d->arp[i];
        if (e.type == 2 || e.type == 5 || !unicast_mac(e.mac, 6)) continue;   /* invalid, local */
        if (e.type < 0) e.type = 1;
        e.text = em_addr_str(p, e.family, e.addr);
        d->arp[keep++] = e;
    }
    d->n_arp = keep;
    return 0;
}

int em_arp_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    int rc = table(p, vbs, d, true);
    if (rc == 0 && d->n_arp == 0) rc = table(p, vbs, d, false);
    return rc;
}
