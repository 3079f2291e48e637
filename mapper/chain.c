/* chain.c — the model's chain once every file is in: internal segments (by システム名),
 * outside networks and remote parties, and the edges outside → line → devices →
 * segment → EMR, one chain per row (a row's path keeps its own devices). */
#include <glib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/records_int.h"

#define KEY_MAX 512

/* The compact keys (em_norm_compact, KEY_MAX bytes) of the values the chain looks at,
 * remembered by pointer: pool values up to 64 bytes are interned, so a carrier, party
 * or system name written on thousands of rows is normalised once. */
struct keycache { GHashTable *by_ptr; GStringChunk *text; };

/* s's compact key: from the cache, or made in buf (KEY_MAX bytes) and remembered. */
static const char *ckey(struct keycache *kc, const char *s, char *buf)
{
    const char *k = g_hash_table_lookup(kc->by_ptr, s);
    if (k) return k;
    size_t len = strlen(s);
    em_norm_compact(s, len, buf, KEY_MAX);
    if (len > 64 || g_hash_table_size(kc->by_ptr) >= 65536) return buf;
    k = g_string_chunk_insert(kc->text, buf);
    g_hash_table_insert(kc->by_ptr, (gpointer)s, (gpointer)k);
    return k;
}

static size_t find_segment(struct em_model *m, struct keycache *kc, GHashTable *segs, const char *name)
{
    char kb[KEY_MAX];
    const char *k = ckey(kc, name, kb);
    if (!*k) return EM_NONE;
    int emr = strstr(k, "電子カルテ") != NULL || strcmp(k, "emr") == 0;
    const char *key = emr ? "\001emr" : k;
    gpointer p = g_hash_table_lookup(segs, key);
    if (p) return GPOINTER_TO_SIZE(p) - 1;
    size_t i = em_model_add_segment(m);
    if (i == EM_NONE) return EM_NONE;
    struct em_segment *s = &m->segments[i];
    s->name = name;
    s->emr = emr;
    s->id = emr ? "emr" : em_pool_printf(m->pool, "seg-%08lx", em_hash32(k));
    g_hash_table_insert(segs, g_strdup(key), GSIZE_TO_POINTER(i + 1));
    return i;
}

static size_t emr_segment(struct em_model *m, struct keycache *kc, GHashTable *segs)
{
    gpointer p = g_hash_table_lookup(segs, "\001emr");
    if (p) return GPOINTER_TO_SIZE(p) - 1;
    return find_segment(m, kc, segs, em_tr("電子カルテ系", "EMR"));
}

static const char *outside_for(struct em_model *m, struct keycache *kc, GHashTable *nodes, enum em_node_kind kind,
                               const char *name, bool maintenance)
{
    char k[600];
    char cb[KEY_MAX];
    const char *c = ckey(kc, name, cb);
    snprintf(k, sizeof k, "%d:%s", (int)kind, c);
    gpointer p = g_hash_table_lookup(nodes, k);
    if (p) {
        struct em_outside *o = &m->outside[GPOINTER_TO_SIZE(p) - 1];
        if (maintenance) o->maintenance = true;
        return o->id;
    }
    size_t i = em_model_add_outside(m);
    if (i == EM_NONE) return NULL;
    struct em_outside *o = &m->outside[i];
    o->kind = kind;
    o->name = name;
    o->maintenance = maintenance;
    switch (kind) {
    case EM_NODE_NET_INTERNET: o->id = "net-internet"; break;
    case EM_NODE_NET_PHONE: o->id = "net-phone"; break;
    case EM_NODE_NET_CLOSED: o->id = em_pool_printf(m->pool, "net-closed-%08lx", em_hash32(c)); break;
    default: o->id = em_pool_printf(m->pool, "party-%08lx", em_hash32(c)); break;
    }
    g_hash_table_insert(nodes, g_strdup(k), GSIZE_TO_POINTER(i + 1));
    return o->id;
}

/* The edges made so far by (from, to): open addressing over edge indices, so no key
 * is copied (ids hold no '>', so this is the "from>to" key it replaces). Each slot
 * keeps its hash, so probes and rehashing rarely touch the edges themselves. */
struct edge_index {
    uint32_t *slot;          /* edge index + 1, 0 empty; power-of-two size */
    uint32_t *hash;          /* the hash of the slot's (from, to) */
    size_t n_slots, n_used;
};

static uint32_t edge_hash(const char *from, const char *to)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *q = (const unsigned char *)from; *q; q++) h = (h ^ *q) * 1099511628211ULL;
    h = (h ^ '>') * 1099511628211ULL;
    for (const unsigned char *q = (const unsigned char *)to; *q; q++) h = (h ^ *q) * 1099511628211ULL;
    return (uint32_t)(h ^ (h >> 32));
}

/* The slot holding edge (from, to) of hash h, or the empty slot where it goes. */
static size_t edge_slot(const struct em_model *m, const struct edge_index *x, uint32_t h, const char *from,
                        const char *to)
{
    size_t j = h & (x->n_slots - 1);
    while (x->slot[j]) {
        if (x->hash[j] == h) {
            const struct em_edge *e = &m->edges[x->slot[j] - 1];
            if (strcmp(e->from, from) == 0 && strcmp(e->to, to) == 0) break;
        }
        j = (j + 1) & (x->n_slots - 1);
    }
    return j;
}

/* Room for one more edge (up to 3/4 full: probes compare the stored hash first).
 * 0 ok, -1 no memory or more edges than a slot can number. */
static int edge_index_reserve(struct edge_index *x)
{
    if (x->n_used >= UINT32_MAX - 1) return -1;
    if ((x->n_used + 1) * 4 <= x->n_slots * 3) return 0;
    size_t n = x->n_slots ? x->n_slots * 2 : 1024;
    uint32_t *ns = calloc(n, sizeof *ns), *nh = malloc(n * sizeof *nh);
    if (!ns || !nh) {
        free(ns);
        free(nh);
        return -1;
    }
    for (size_t i = 0; i < x->n_slots; i++) {
        if (!x->slot[i]) continue;
        size_t j = x->hash[i] & (n - 1);   /* the edges are distinct: no compare */
        while (ns[j]) j = (j + 1) & (n - 1);
        ns[j] = x->slot[i];
        nh[j] = x->hash[i];
    }
    free(x->slot);
    free(x->hash);
    x->slot = ns;
    x->hash = nh;
    x->n_slots = n;
    return 0;
}

/* An edge's rows grow by doubling inside the pool up to ROWS_IN_POOL (a power of two);
 * a longer list (the rows of a party's or the EMR segment's edge: thousands) grows in a
 * malloc'd block instead and is copied into the pool at its exact size once every path
 * is in (lay_long_rows): doubled inside the pool, the outgrown blocks stayed there
 * (1.8 MB on the 100,000-row book). 0, or -1 no memory. */
#define ROWS_IN_POOL 1024
static int push_row(struct em_model *m, struct em_edge *e, int row)
{
    size_t n = e->n_rows;
    if (n < ROWS_IN_POOL) return em_model_push_int(m, &e->rows, &e->n_rows, row);
    if ((n & (n - 1)) == 0) {   /* full: the pool's block at ROWS_IN_POOL, ours past it */
        int *nr = n == ROWS_IN_POOL ? malloc(2 * n * sizeof *nr) : realloc(e->rows, 2 * n * sizeof *nr);
        if (!nr) return -1;
        if (n == ROWS_IN_POOL) memcpy(nr, e->rows, n * sizeof *nr);
        e->rows = nr;
    }
    e->rows[e->n_rows++] = row;
    return 0;
}

/* The long lists of the edges from first on (push_row) moved into the pool at their
 * exact size, their malloc'd blocks freed; with ok false (the build failed) only freed,
 * the edge left without rows. 0, or -1 no memory (every block freed all the same). */
static int lay_long_rows(struct em_model *m, size_t first, bool ok)
{
    int rc = 0;
    for (size_t i = first; i < m->n_edges; i++) {
        struct em_edge *e = &m->edges[i];
        if (e->n_rows <= ROWS_IN_POOL) continue;
        int *r = ok && rc == 0 ? em_pool_alloc_aligned(m->pool, e->n_rows * sizeof *r, _Alignof(int)) : NULL;
        if (r) memcpy(r, e->rows, e->n_rows * sizeof *r);
        else rc = -1;
        free(e->rows);
        e->rows = r;
        if (!r) e->n_rows = 0;
    }
    return ok ? rc : -1;
}

static int add_edge(struct em_model *m, struct edge_index *edges, const char *from, const char *to,
                    const struct em_path *p, int emr_edge, int out_edge)
{
    if (!from || !to || strcmp(from, to) == 0) return 0;
    if (edge_index_reserve(edges) != 0) return -1;
    uint32_t h = edge_hash(from, to);
    size_t j = edge_slot(m, edges, h, from, to);
    size_t i;
    if (edges->slot[j]) {
        i = edges->slot[j] - 1;
        struct em_edge *e = &m->edges[i];
        /* solid wins over dotted, in-scope over out-of-scope */
        if (emr_edge && p->emr_link == EM_TRI_YES) e->emr_unknown = false;
        if (out_edge && p->scan == EM_SCAN_IN) e->out_of_scope = false;
    } else {
        i = em_model_add_edge(m);
        if (i == EM_NONE) return -1;
        struct em_edge *e = &m->edges[i];
        e->from = from;
        e->to = to;
        e->emr_unknown = emr_edge && p->emr_link != EM_TRI_YES;
        e->out_of_scope = out_edge && p->scan != EM_SCAN_IN;
        edges->slot[j] = (uint32_t)(i + 1);
        edges->hash[j] = h;
        edges->n_used++;
    }
    struct em_edge *e = &m->edges[i];
    if (e->n_rows == 0 || e->rows[e->n_rows - 1] != p->src.row)
        if (push_row(m, e, p->src.row) != 0) return -1;
    return 0;
}

static int is_maintenance(struct keycache *kc, const struct em_path *p)
{
    char ab[KEY_MAX], bb[KEY_MAX];
    const char *a = ckey(kc, p->purpose, ab), *b = ckey(kc, p->remote_party, bb);
    return strstr(a, "保守") != NULL || strstr(b, "保守") != NULL || strstr(a, "maintenance") != NULL;
}

/* On a plain Internet line the 接続先 is the provider itself (OCN, IIJ ...): it is the
 * Internet cloud, not a remote party of its own, so it gets no node. */
static int is_provider(struct keycache *kc, const struct em_path *p)
{
    if (p->comm_type != EM_COMM_INTERNET) return 0;
    char pb[KEY_MAX], ub[KEY_MAX], vb[KEY_MAX];
    const char *party = ckey(kc, p->remote_party, pb), *purpose = ckey(kc, p->purpose, ub);
    const char *prov = ckey(kc, p->provider_name, vb);
    if (*prov && strcmp(party, prov) == 0) return 1;
    if (strcmp(party, "isp") == 0 || strstr(party, "プロバイダ")) return 1;
    return strcmp(purpose, em_norm_key("インターネット接続")) == 0 && !is_maintenance(kc, p);
}

int em_model_build_graph(struct em_model *m)
{
    int rc = 0;
    GHashTable *segs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *nodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    struct edge_index edges = {0};
    size_t first = m->n_edges;
    struct keycache kc = {g_hash_table_new(g_direct_hash, g_direct_equal), g_string_chunk_new(16 * 1024)};

    for (size_t pi = 0; pi < m->n_paths && rc == 0; pi++) {
        const struct em_path *p = &m->paths[pi];
        const struct em_line *ln = &m->lines[p->line];
        const char *chain[8];
        int n = 0;
        const char *net = NULL;
        switch (p->comm_type) {
        case EM_COMM_INTERNET:
        case EM_COMM_INTERNET_VPN:
            net = outside_for(m, &kc, nodes, EM_NODE_NET_INTERNET, em_tr("インターネット", "Internet"), false);
            break;
        case EM_COMM_CLOSED: {
            const char *name = *ln->carrier || *ln->service
                                   ? em_pool_printf(m->pool, "%s%s%s", ln->carrier,
                                                    *ln->carrier && *ln->service ? " " : "", ln->service)
                                   : em_tr("閉域網", "Closed network");
            net = outside_for(m, &kc, nodes, EM_NODE_NET_CLOSED, name, false);
            break;
        }
        case EM_COMM_PHONE:
            net = outside_for(m, &kc, nodes, EM_NODE_NET_PHONE, em_tr("電話網", "Telephone network"), false);
            break;
        case EM_COMM_UNSET: break;
        }
        if (*p->remote_party && !is_provider(&kc, p)) {
            const char *party = outside_for(m, &kc, nodes, EM_NODE_PARTY, p->remote_party, is_maintenance(&kc, p));
            if (!party) { rc = -1; break; }
            if (net) rc = add_edge(m, &edges, party, net, p, 0, 0);
            else net = party;
        }
        if (net) chain[n++] = net;
        chain[n++] = ln->id;
        for (int s = 0; s < 2; s++)
            if (p->dev[s] != EM_NONE) chain[n++] = m->devices[p->dev[s]].id;
        size_t seg = *p->system ? find_segment(m, &kc, segs, p->system) : EM_NONE;
        if (seg != EM_NONE) chain[n++] = m->segments[seg].id;
        int to_emr = p->emr_link != EM_TRI_NO && (seg == EM_NONE || !m->segments[seg].emr);
        for (int i = 0; i + 1 < n && rc == 0; i++)
            rc = add_edge(m, &edges, chain[i], chain[i + 1], p, 0, net && i == 0);
        if (rc == 0 && to_emr) {
            size_t e = emr_segment(m, &kc, segs);
            if (e == EM_NONE) rc = -1;
            else rc = add_edge(m, &edges, chain[n - 1], m->segments[e].id, p, 1, 0);
        }
    }
    /* terminals live inside their segment */
    for (size_t t = 0; t < m->n_terminals && rc == 0; t++) {
        struct em_terminal *term = &m->terminals[t];
        if (!*term->system) continue;
        size_t s = find_segment(m, &kc, segs, term->system);
        if (s == EM_NONE) { rc = -1; break; }
        term->segment = s;
        if (em_model_push_index(m, &m->segments[s].terminals, &m->segments[s].n_terminals, t) != 0) rc = -1;
    }
    if (lay_long_rows(m, first, rc == 0) != 0) rc = -1;
    g_hash_table_destroy(segs);
    g_hash_table_destroy(nodes);
    free(edges.slot);
    g_hash_table_destroy(kc.by_ptr);
    g_string_chunk_free(kc.text);
    free(edges.hash);
#ifdef __GLIBC__
    /* the edge index (every doubling of it) and the key cache came from heap pages the
       loader had freed and mapped them back in; give them back before the rules and the
       writers grow the model again (measured on the 100,000-row book: 15 MB of RSS) */
    malloc_trim(0);
#endif
    return rc;
}
