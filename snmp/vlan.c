/* vlan.c — Cisco's per-VLAN bridge instances (discovery-notes.md, vendor notes): a
 * Catalyst answers BRIDGE-MIB dot1dTpFdbTable and dot1dBasePortIfIndex for one VLAN
 * per community (`public@20`, v3 context `vlan-20`; the plain community is VLAN 1).
 * Here: which devices are Cisco, which VLANs CISCO-VTP-MIB vtpVlanState lists, the
 * community / context names, and merging one VLAN's rows into the device. Pure: the
 * crawler (crawl.c) and the walk-dump reader (walkdir.c) do the reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"

const struct em_walk_root em_vtp_roots[] = {
    {"1.3.6.1.4.1.9.9.46.1.3.1.1.2", false, false},   /* vtpVlanState (Cisco only) */
};
const size_t em_n_vtp_roots = EM_LEN(em_vtp_roots);

static const uint32_t o_vtp_state[] = EM_O(1, 3, 6, 1, 4, 1, 9, 9, 46, 1, 3, 1, 1, 2);
static const uint32_t o_dfdb[] = EM_O(1, 3, 6, 1, 2, 1, 17, 4, 3, 1);

bool em_vlan_is_cisco(const char *sys_oid)
{
    static const char cisco[] = "1.3.6.1.4.1.9.";
    if (!sys_oid) return false;
    if (*sys_oid == '.') sys_oid++;
    return strncmp(sys_oid, cisco, sizeof cisco - 1) == 0;
}

bool em_vtp_is_state(const uint32_t *oid, size_t n)
{
    return em_oid_has_prefix(oid, n, o_vtp_state, EM_LEN(o_vtp_state));
}

bool em_vlan_has_qbridge(const struct em_vblist *vbs)
{
    static const uint32_t o_qfdb_port[] = EM_O(1, 3, 6, 1, 2, 1, 17, 7, 1, 2, 2, 1, 2);
    for (size_t i = 0; i < vbs->n; i++)
        if (EM_PFX(&vbs->v[i], o_qfdb_port)) return true;
    return false;
}

static bool reserved(long vlan) { return vlan >= 1002 && vlan <= 1005; }

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

size_t em_vtp_vlans(const struct em_vblist *vbs, long *out, size_t max, size_t *n_all, bool *has_vlan1)
{
    /* mark each valid id (1..4094), then list them ascending up to the cap */
    bool *seen = calloc(4096, sizeof *seen);
    size_t n = 0, all = 0;
    *has_vlan1 = false;
    *n_all = 0;
    if (!seen) return 0;
    for (size_t i = 0; i < vbs->n; i++) {
        const struct em_vb *v = &vbs->v[i];
        if (!em_vtp_is_state(v->oid, v->oid_len) || v->oid_len != EM_LEN(o_vtp_state) + 2) continue;
        if (v->type != EM_VB_INT || v->num != 1) continue;      /* operational only */
        long vlan = (long)v->oid[v->oid_len - 1];
        if (vlan < 1 || vlan > 4094 || reserved(vlan) || seen[vlan]) continue;
        seen[vlan] = true;
        if (vlan == 1) { *has_vlan1 = true; continue; }
        all++;
    }
    for (long vlan = 2; vlan <= 4094 && n < max; vlan++)
        if (seen[vlan]) out[n++] = vlan;
    free(seen);
    *n_all = all;
    return n;
}

int em_vlan_community(char *buf, size_t cap, const char *community, long vlan)
{
    int n = snprintf(buf, cap, "%s@%ld", community, vlan);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int em_vlan_context(char *buf, size_t cap, long vlan)
{
    int n = snprintf(buf, cap, "vlan-%ld", vlan);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Adds vlan to dev->vlans (kept ascending, unique). 0 or EM_ERR_NOMEM. */
static int add_vlan(struct em_dev *dev, long vlan)
{
    for (size_t i = 0; i < dev->n_vlans; i++) if (dev->vlans[i] == vlan) return 0;
    long *x = em_vec_push((void **)&dev->vlans, &dev->n_vlans, sizeof *x);
    if (!x) return EM_ERR_NOMEM;
    *x = vlan;
    qsort(dev->vlans, dev->n_vlans, sizeof *dev->vlans, cmp_long);
    return 0;
}

int em_fdb_add_vlan(struct em_pool *pool, const struct em_vblist *vbs, struct em_dev *dev, long vlan)
{
    for (size_t i = 0; i < dev->n_vlans; i++)
        if (dev->vlans[i] == vlan) return 0;    /* read already (a second dump of it) */
    struct em_dev one;
    memset(&one, 0, sizeof one);
    int rc = em_fdb_decode(pool, vbs, &one);
    for (size_t i = 0; i < one.n_fdb && rc == 0; i++) {
        const struct em_fdb_entry *e = &one.fdb[i];
        if (e->fdb_id) continue;                /* only the per-VLAN BRIDGE-MIB instance */
        struct em_fdb_entry *x = em_vec_push((void **)&dev->fdb, &dev->n_fdb, sizeof *x);
        if (!x) { rc = EM_ERR_NOMEM; break; }
        *x = *e;
        x->vlan = vlan;
    }
    if (rc == 0) rc = add_vlan(dev, vlan);
    em_dev_clear(&one);
    return rc;
}

int em_vlan_tag_default(const struct em_vblist *vbs, struct em_dev *dev)
{
    if (!em_vlan_is_cisco(dev->sys_oid)) return 0;
    bool v1 = false;
    for (size_t i = 0; i < vbs->n && !v1; i++) {
        const struct em_vb *v = &vbs->v[i];
        v1 = em_vtp_is_state(v->oid, v->oid_len) && v->oid_len == EM_LEN(o_vtp_state) + 2 &&
             v->oid[v->oid_len - 1] == 1 && v->type == EM_VB_INT && v->num == 1;
    }
    if (!v1) return 0;
    bool any = false;
    for (size_t i = 0; i < vbs->n && !any; i++) any = EM_PFX(&vbs->v[i], o_dfdb);
    for (size_t i = 0; i < dev->n_fdb; i++)
        if (dev->fdb[i].fdb_id == 0 && dev->fdb[i].vlan == 0) dev->fdb[i].vlan = 1;
    return any ? add_vlan(dev, 1) : 0;
}
