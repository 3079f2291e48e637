/* vb.c — our own varbind list and OID helpers. Values are copied and capped so a
 * hostile agent or dump cannot make us hold more than EM_VB_MAX × EM_VB_VALUE_MAX. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/dev.h"

int em_vblist_add(struct em_vblist *l, const uint32_t *oid, size_t oid_len, int type,
                  int64_t num, const void *val, size_t val_len)
{
    if (l->n >= EM_VB_MAX) { l->full = true; return -1; }
    if (oid_len == 0 || oid_len > EM_OID_MAX) return -1;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        struct em_vb *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return -1;
        l->v = nv; l->cap = nc;
    }
    struct em_vb *v = &l->v[l->n];
    memset(v, 0, sizeof *v);
    v->oid = malloc(oid_len * sizeof *oid);
    if (!v->oid) return -1;
    memcpy(v->oid, oid, oid_len * sizeof *oid);
    v->oid_len = oid_len;
    v->type = type;
    v->num = num;
    if (val_len > EM_VB_VALUE_MAX) { val_len = EM_VB_VALUE_MAX; v->cut = true; }
    v->val = malloc(val_len + 1);
    if (!v->val) { free(v->oid); return -1; }
    if (val_len) memcpy(v->val, val, val_len);
    v->val[val_len] = '\0';
    v->val_len = val_len;
    l->n++;
    return 0;
}

void em_vblist_free(struct em_vblist *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n; i++) { free(l->v[i].oid); free(l->v[i].val); }
    free(l->v);
    memset(l, 0, sizeof *l);
}

int em_oid_parse(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0;
    const char *p = s;
    if (*p == '.') p++;
    if (*p == '\0') return -1;
    while (*p) {
        if (*p < '0' || *p > '9') return -1;
        char *end;
        errno = 0;
        unsigned long v = strtoul(p, &end, 10);
        if (errno || end == p || v > 0xffffffffUL) return -1;
        if (n >= max) return -1;
        out[n++] = (uint32_t)v;
        p = end;
        if (*p == '.') { p++; if (*p == '\0') return -1; }
        else if (*p) return -1;
    }
    return (int)n;
}

bool em_oid_has_prefix(const uint32_t *oid, size_t len, const uint32_t *prefix, size_t plen)
{
    return len >= plen && memcmp(oid, prefix, plen * sizeof *oid) == 0;
}

int em_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return alen == blen ? 0 : (alen < blen ? -1 : 1);
}
