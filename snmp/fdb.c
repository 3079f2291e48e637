/* fdb.c — forwarding tables: Q-BRIDGE-MIB dot1qTpFdbTable (fdbId.MAC) and BRIDGE-MIB
 * dot1dTpFdbTable (MAC), their bridge ports mapped to ifIndex through
 * dot1dBasePortIfIndex. A MAC in both tables is kept once (the Q-BRIDGE row). Some
 * agents prefix the MAC index with its length (7 sub-ids): stripped. Cisco's per-VLAN
 * instances (community@VLAN) are read by the crawler and merged by vlan.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"

const struct em_walk_root em_fdb_roots[] = {
    {"1.3.6.1.2.1.17.1.4.1.2", false, false},      /* dot1dBasePortIfIndex */
    {"1.3.6.1.2.1.17.7.1.2.2.1.2", false, false},  /* dot1qTpFdbPort */
    {"1.3.6.1.2.1.17.7.1.2.2.1.3", false, false},  /* dot1qTpFdbStatus */
    {"1.3.6.1.2.1.17.4.3.1.2", false, false},      /* dot1dTpFdbPort */
    {"1.3.6.1.2.1.17.4.3.1.3", false, false},      /* dot1dTpFdbStatus */
};
const size_t em_n_fdb_roots = EM_LEN(em_fdb_roots);

static const uint32_t o_baseport[] = EM_O(1, 3, 6, 1, 2, 1, 17, 1, 4, 1, 2);
static const uint32_t o_qfdb[] = EM_O(1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1);
static const uint32_t o_dfdb[] = EM_O(1, 3, 6, 1, 2, 1, 17, 4, 3, 1);

int em_fdb_mac_index(const uint32_t *idx, size_t n, unsigned char mac[6])
{
    if (n == 7 && idx[0] == 6) { idx++; n--; }
    if (n != 6) return -1;
    for (int i = 0; i < 6; i++) {
        if (idx[i] > 255) return -1;
        mac[i] = (unsigned char)idx[i];
    }
    return 0;
}

const char *em_mac_str(struct em_pool *pool, const unsigned char mac[6])
{
    char b[18];
    snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return em_pool_str(pool, b);
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int em_mac_parse(const char *s, unsigned char mac[6])
{
    int nib = 0;
    unsigned char b[6] = {0};
    for (const char *c = s; *c; c++) {
        if (*c == ':' || *c == '-' || *c == '.' || *c == ' ') continue;
        int h = hexv((unsigned char)*c);
        if (h < 0 || nib >= 12) return -1;
        b[nib / 2] = (unsigned char)(b[nib / 2] << 4 | h);
        nib++;
    }
    if (nib != 12) return -1;
    memcpy(mac, b, 6);
    return 0;
}

struct cell { long fdb_id; unsigned char mac[6]; int col; long val; bool q; };

static int cmp_cell(const void *a, const void *b)
{
    const struct cell *x = a, *y = b;
    int c = memcmp(x->mac, y->mac, 6);
    if (c) return c;
    if (x->q != y->q) return x->q ? -1 : 1;          /* Q-BRIDGE rows first */
    if (x->fdb_id != y->fdb_id) return x->fdb_id < y->fdb_id ? -1 : 1;
    return x->col - y->col;
}

struct bport { long port, ifidx; };
static int cmp_bport(const void *a, const void *b)
{
    const struct bport *x = a, *y = b;
    return x->port < y->port ? -1 : x->port > y->port;
}

int em_fdb_decode(struct em_pool *p, const struct em_vblist *vbs, struct em_dev *d)
{
    (void)p;
    struct cell *cells = NULL; size_t nc = 0;
    struct bport *bp = NULL; size_t nbp = 0;
    int rc = 0;
    for (size_t i = 0; i < vbs->n && rc == 0; i++) {
        const struct em_vb *v = &vbs->v[i];
        size_t n = v->oid_len;
        if (EM_PFX(v, o_baseport) && n == EM_LEN(o_baseport) + 1) {
            struct bport *b = em_vec_push((void **)&bp, &nbp, sizeof *b);
            if (!b) { rc = EM_ERR_NOMEM; break; }
            b->port = (long)v->oid[n - 1];
            b->ifidx = em_dec_num(v);
            continue;
        }
        bool q = EM_PFX(v, o_qfdb), dd = !q && EM_PFX(v, o_dfdb);
        if (!q && !dd) continue;
        size_t rl = q ? EM_LEN(o_qfdb) : EM_LEN(o_dfdb);
        if (n < rl + 2) continue;
        int col = (int)v->oid[rl];
        if (col != 2 && col != 3) continue;
        const uint32_t *ix = v->oid + rl + 1;
        size_t ixn = n - rl - 1;
        struct cell c = {0, {0}, col, em_dec_num(v), q};
        if (q) { if (ixn < 7) continue; c.fdb_id = (long)ix[0]; ix++; ixn--; }
        if (em_fdb_mac_index(ix, ixn, c.mac) != 0) continue;
        struct cell *x = em_vec_push((void **)&cells, &nc, sizeof *x);
        if (!x) { rc = EM_ERR_NOMEM; break; }
        *x = c;
    }
    if (rc == 0 && nc) {
        qsort(cells, nc, sizeof *cells, cmp_cell);
        if (nbp) qsort(bp, nbp, sizeof *bp, cmp_bport);
        for (size_t i = 0; i < nc && rc == 0;) {
            /* one row: the cells of the same (table, fdbId, MAC) */
            size_t j = i;
            long port = 0; int status = 1;
            while (j < nc && cells[j].q == cells[i].q && cells[j].fdb_id == cells[i].fdb_id &&
                   memcmp(cells[j].mac, cells[i].mac, 6) == 0) {
                if (cells[j].col == 2) port = cells[j].val; else status = (int)cells[j].val;
                j++;
            }
            /* a dot1d row for a MAC the Q-BRIDGE table already has is the same entry */
            bool dup = !cells[i].q && d->n_fdb && memcmp(d->fdb[d->n_fdb - 1].mac, cells[i].mac, 6) == 0;
            if (!dup && status != 2 && port > 0) {
                struct em_fdb_entry *e = em_vec_push((void **)&d->fdb, &d->n_fdb, sizeof *e);
                if (!e) { rc = EM_ERR_NOMEM; break; }
                memcpy(e->mac, cells[i].mac, 6);
                e->bridge_port = port;
                e->fdb_id = cells[i].fdb_id;
                e->status = status;
                struct bport key = {port, 0};
                const struct bport *hit = nbp ? bsearch(&key, bp, nbp, sizeof *bp, cmp_bport) : NULL;
                e->if_index = hit ? hit->ifidx : 0;
            }
            i = j;
        }
    }
    free(cells);
    free(bp);
    return rc;
}
