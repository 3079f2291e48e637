/* graph_plan.c — planning a big diagram before drawing it: grouping lines that read
 * alike (above EM_GROUP_LINES), splitting the lines into side-by-side bands, whether
 * parties get a column of their own, and the rank=same column groups. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/lang.h"


void em_gb_free_groups(struct gb *gb)
{
    for (size_t i = 0; i < gb->n_groups; i++) {
        g_free(gb->groups[i].id);
        g_free(gb->groups[i].lines);
    }
    g_free(gb->groups);
    gb->groups = NULL;
    gb->n_groups = 0;
    if (gb->rep) g_hash_table_destroy(gb->rep);
    gb->rep = NULL;
}

/* The threshold above which lines are grouped: EDGEMAP_GROUP_LINES (0: never) or
 * EM_GROUP_LINES. */
static size_t group_threshold(void)
{
    /* EDGEMAP_GROUP_LINES overrides the threshold (0: never group), for benchmarks
     * and for users who want every line drawn whatever the size */
    size_t threshold = EM_GROUP_LINES;
    const char *env = getenv("EDGEMAP_GROUP_LINES");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 1000000) threshold = v == 0 ? (size_t)-1 : (size_t)v;
    }
    return threshold;
}

/* Groups the lines by a key, coarser level by level until at most EM_GROUP_MAX_NODES
 * groups: carrier and service, then only the outside networks and the scope, then only
 * the kind of outside network and the scope. srcs[i] lists line i's outside nodes;
 * gi[i] receives line i's group. Fills gb->groups. */
static void group_lines(struct gb *gb, GString **srcs, size_t *gi)
{
    const struct em_model *m = gb->m;
    for (int level = 0; level < 3; level++) {
        em_gb_free_groups(gb);
        GHashTable *bykey = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (size_t i = 0; i < m->n_lines; i++) {
            const struct em_line *l = &m->lines[i];
            const char *src = srcs[i] ? srcs[i]->str : "";
            char *key;
            if (level == 0)
                key = g_strdup_printf("%s|%s|%s|%d|%s", src, l->carrier ? l->carrier : "", l->service ? l->service : "",
                                      em_gb_line_in_scope(m, l), em_gb_is_hospital_holder(m, l->contract_holder) ? "" : l->contract_holder);
            else if (level == 1)
                key = g_strdup_printf("%s|%d|%s", src, em_gb_line_in_scope(m, l),
                                      em_gb_is_hospital_holder(m, l->contract_holder) ? "" : l->contract_holder);
            else
                key = g_strdup_printf("%.8s|%d", src, em_gb_line_in_scope(m, l));
            gpointer v = g_hash_table_lookup(bykey, key);
            if (v) {
                gi[i] = GPOINTER_TO_SIZE(v) - 1;
                g_free(key);
            } else {
                gi[i] = gb->n_groups;
                gb->groups = g_renew(struct grp, gb->groups, gb->n_groups + 1);
                gb->groups[gb->n_groups] = (struct grp){g_strdup_printf("grp-%s", l->id), NULL, 0, level};
                g_hash_table_insert(bykey, key, GSIZE_TO_POINTER(++gb->n_groups));
            }
            struct grp *g = &gb->groups[gi[i]];
            g->lines = g_renew(size_t, g->lines, g->n + 1);
            g->lines[g->n++] = i;
        }
        g_hash_table_destroy(bykey);
        if (gb->n_groups <= EM_GROUP_MAX_NODES) break;
    }
}

/* Which aggregate each device is drawn in (gb->rep): a device only one group's lines
 * use joins that group's node of its slot; a column still over EM_GROUP_MAX_NODES
 * groups its devices by type and model; an aggregate of one is the device itself. */
static void group_devices(struct gb *gb, const size_t *gi)
{
    const struct em_model *m = gb->m;
    gb->rep = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
    for (size_t i = 0; i < m->n_lines; i++)
        if (gb->groups[gi[i]].n >= 2) g_hash_table_insert(gb->rep, (gpointer)m->lines[i].id, gb->groups[gi[i]].id);
    /* a device joins its group's aggregate only when no line outside the group uses it */
    long *dg = g_new(long, m->n_devices ? m->n_devices : 1);
    for (size_t d = 0; d < m->n_devices; d++) dg[d] = -1;
    for (size_t i = 0; i < m->n_lines; i++) {
        const struct em_line *l = &m->lines[i];
        long k = gb->groups[gi[i]].n >= 2 ? (long)gi[i] : -2;
        for (size_t j = 0; j < l->n_devices; j++) {
            size_t d = l->devices[j];
            if (d >= m->n_devices) continue;
            dg[d] = dg[d] == -1 ? k : (dg[d] == k ? k : -2);
        }
    }
    for (size_t d = 0; d < m->n_devices; d++) {
        if (dg[d] < 0) continue;
        const struct em_device *dv = &m->devices[d];
        /* the aggregate node's id is the group's id plus the slot; its string lives
         * in the model pool so the table can point at it */
        const char *id = em_pool_printf(m->pool, "%s-s%d", gb->groups[dg[d]].id, dv->slot == 2 ? 2 : 1);
        if (id) g_hash_table_insert(gb->rep, (gpointer)dv->id, (gpointer)id);
    }
    /* devices still drawn one by one: when a column holds too many, those of one
     * type and model become one node */
    for (int slot = 1; slot <= 2; slot++) {
        GHashTable *drawn = g_hash_table_new(g_str_hash, g_str_equal);
        for (size_t d = 0; d < m->n_devices; d++)
            if ((m->devices[d].slot == 2 ? 2 : 1) == slot) g_hash_table_add(drawn, (gpointer)em_gb_rep_of(gb, m->devices[d].id));
        guint nd = g_hash_table_size(drawn);
        g_hash_table_destroy(drawn);
        if (nd <= EM_GROUP_MAX_NODES) continue;
        for (size_t d = 0; d < m->n_devices; d++) {
            const struct em_device *dv = &m->devices[d];
            if ((dv->slot == 2 ? 2 : 1) != slot) continue;
            /* a device discovery flagged stays visible; endpoints behind a switch are
             * aggregated per switch already (graph_endpoints.c) */
            if (dv->disc_flagged || (gb->erep && g_hash_table_contains(gb->erep, dv->id))) continue;
            const char *id = em_pool_printf(m->pool, "dagg-s%d-%d-%s", slot, (int)dv->type,
                                            blank(dv->model) ? "-" : dv->model);
            if (id) g_hash_table_insert(gb->rep, (gpointer)dv->id, (gpointer)id);
        }
    }
    /* an aggregate of one device is just that device */
    GHashTable *cnt = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t d = 0; d < m->n_devices; d++) {
        const char *r = g_hash_table_lookup(gb->rep, m->devices[d].id);
        if (r) g_hash_table_insert(cnt, (gpointer)r, GSIZE_TO_POINTER(GPOINTER_TO_SIZE(g_hash_table_lookup(cnt, r)) + 1));
    }
    for (size_t d = 0; d < m->n_devices; d++) {
        const char *r = g_hash_table_lookup(gb->rep, m->devices[d].id);
        if (r && GPOINTER_TO_SIZE(g_hash_table_lookup(cnt, r)) < 2) g_hash_table_remove(gb->rep, m->devices[d].id);
    }
    g_hash_table_destroy(cnt);
    g_free(dg);
}

/* Plans the aggregation of a big map (more lines than the threshold): gb->groups and
 * gb->rep (model node id -> the aggregate drawn instead). Nothing for a small map. */
void em_gb_plan_groups(struct gb *gb)
{
    const struct em_model *m = gb->m;
    if (m->n_lines <= group_threshold()) return;
    GHashTable *line_of = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < m->n_lines; i++) g_hash_table_insert(line_of, (gpointer)m->lines[i].id, GSIZE_TO_POINTER(i + 1));
    GString **srcs = g_new0(GString *, m->n_lines);
    for (size_t e = 0; e < m->n_edges; e++) {
        gpointer v = g_hash_table_lookup(line_of, m->edges[e].to);
        if (!v || !em_gb_is_outside_id(m, m->edges[e].from, NULL)) continue;
        size_t li = GPOINTER_TO_SIZE(v) - 1;
        if (!srcs[li]) srcs[li] = g_string_new(NULL);
        g_string_append(srcs[li], m->edges[e].from);
        g_string_append_c(srcs[li], ' ');
    }
    size_t *gi = g_new(size_t, m->n_lines);
    group_lines(gb, srcs, gi);
    group_devices(gb, gi);
    g_free(gi);
    for (size_t i = 0; i < m->n_lines; i++)
        if (srcs[i]) g_string_free(srcs[i], TRUE);
    g_free(srcs);
    g_hash_table_destroy(line_of);
}


/* Up to this many text rows (em_gb_line_rows(), summed: about 30 lines) the chains form one
 * column of rows; above it (and up to the grouping threshold) they are split into two
 * bands drawn side by side, each with its own copy of the outside networks, segments and
 * 電子カルテ系 it needs: A3 landscape is wide and rankdir=LR stacks lines vertically, so
 * one band of 60 lines would print at 4 pt. Two bands are about 1,950 pt wide (≈ 6.9 pt
 * text on A3); one band is better while its height stays under about 115 rows. */
#define EM_BAND_ROWS 115

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* About how many text rows a line's row of the diagram needs: its own label or its
 * device ①'s, whichever is taller, plus the gap (see add_line, add_device). */
size_t em_gb_line_rows(const struct gb *gb, const struct em_line *l)
{
    const struct em_model *m = gb->m;
    size_t rows = 1 + !em_gb_line_in_scope(m, l) + !em_gb_is_hospital_holder(m, l->contract_holder);
    if (!blank(l->carrier) && !blank(l->service) && g_utf8_strlen(l->carrier, -1) + g_utf8_strlen(l->service, -1) > 16)
        rows++;
    /* the tallest device ①, plus two rows per further device ① stacked beside the line
     * (rows naming different devices) */
    size_t extra = 0;
    for (size_t j = 0; j < l->n_devices; j++) {
        size_t d = l->devices[j];
        if (d >= m->n_devices || m->devices[d].slot == 2) continue;
        const struct em_device *dv = &m->devices[d];
        size_t r = 1 + (gb->tgt_head && gb->tgt_head[d] != EM_NONE) + (dv->n_cves > 2 ? 2 : dv->n_cves)
                   + (dv->rental == EM_TRI_YES);
        if (r > rows) rows = r;
        extra += 2;
    }
    return rows + 1 + (extra > 2 ? extra - 2 : 0);
}

/* Which band each line goes to (line_band[i]): lines that share a device stay
 * together (union-find), and the groups so formed go, tallest first, to the band with
 * the fewest text rows so far. */
static void assign_bands(const struct gb *gb, int nb, int *line_band)
{
    const struct em_model *m = gb->m;
    size_t nl = m->n_lines;
    size_t *parent = g_new(size_t, nl), *size = g_new0(size_t, nl);
    size_t *first = g_new(size_t, m->n_devices ? m->n_devices : 1);
    for (size_t i = 0; i < nl; i++) parent[i] = i;
    for (size_t d = 0; d < m->n_devices; d++) first[d] = EM_NONE;
    for (size_t i = 0; i < nl; i++) {
        const struct em_line *l = &m->lines[i];
        for (size_t j = 0; j < l->n_devices; j++) {
            size_t d = l->devices[j];
            if (d >= m->n_devices) continue;
            if (first[d] == EM_NONE) first[d] = i;
            else parent[uf_find(parent, i)] = uf_find(parent, first[d]);
        }
    }
    for (size_t i = 0; i < nl; i++) size[uf_find(parent, i)] += em_gb_line_rows(gb, &m->lines[i]);
    /* roots, largest first (ties: first line first) */
    size_t *roots = g_new(size_t, nl), nr = 0;
    for (size_t i = 0; i < nl; i++)
        if (parent[i] == i) roots[nr++] = i;
    for (size_t a = 1; a < nr; a++)
        for (size_t b = a; b > 0 && size[roots[b]] > size[roots[b - 1]]; b--) {
            size_t x = roots[b]; roots[b] = roots[b - 1]; roots[b - 1] = x;
        }
    int *band = g_new(int, nl);
    size_t load[EM_BANDS_MAX] = {0};
    for (size_t k = 0; k < nr; k++) {
        int best = 0;
        for (int b = 1; b < nb; b++)
            if (load[b] < load[best]) best = b;
        load[best] += size[roots[k]];
        band[roots[k]] = best;
    }
    for (size_t i = 0; i < nl; i++) line_band[i] = band[uf_find(parent, i)];
    g_free(band);
    g_free(roots);
    g_free(first);
    g_free(size);
    g_free(parent);
}

/* gb->band_of from the lines' bands: a line's band reaches its devices, along the
 * chain its segments and 電子カルテ系, and back to its outside networks; a party is in
 * the band of the first line naming it. */
static void spread_bands(struct gb *gb, const int *line_band)
{
    const struct em_model *m = gb->m;
    size_t nl = m->n_lines;
    gb->band_of = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *bo = gb->band_of;
#define OR_MASK(id, mk) g_hash_table_insert(bo, (gpointer)(id), GUINT_TO_POINTER(em_gb_band_mask(gb, (id)) | (mk)))
    for (size_t i = 0; i < nl; i++) {
        unsigned mk = 1u << line_band[i];
        const struct em_line *l = &m->lines[i];
        OR_MASK(l->id, mk);
        for (size_t j = 0; j < l->n_devices; j++)
            if (l->devices[j] < m->n_devices) OR_MASK(m->devices[l->devices[j]].id, mk);
    }
    /* along the chain: a line's band reaches its devices, segments and 電子カルテ系, and
     * back to the outside networks it comes from */
    for (int pass = 0; pass < 8; pass++) {
        bool changed = false;
        for (size_t i = 0; i < m->n_edges; i++) {
            const struct em_edge *e = &m->edges[i];
            enum em_node_kind k;
            unsigned mf = em_gb_band_mask(gb, e->from), mt = em_gb_band_mask(gb, e->to);
            if (em_gb_is_outside_id(m, e->from, &k)) {
                if (k == EM_NODE_PARTY || (mf | mt) == mf) continue;
                OR_MASK(e->from, mt);
                changed = true;
            } else if (mf && (mf | mt) != mt) {
                OR_MASK(e->to, mf);
                changed = true;
            }
        }
        if (!changed) break;
    }
    /* a remote party is drawn once, in the band of the first line that names it */
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *o = &m->outside[i];
        if (o->kind != EM_NODE_PARTY) continue;
        int b = -1;
        for (size_t p = 0; p < m->n_paths && b < 0; p++)
            if (!blank(o->name) && !blank(m->paths[p].remote_party) && strcmp(m->paths[p].remote_party, o->name) == 0
                && m->paths[p].line < nl)
                b = line_band[m->paths[p].line];
        for (size_t e = 0; e < m->n_edges && b < 0; e++)
            if (strcmp(m->edges[e].from, o->id) == 0 && em_gb_band_mask(gb, m->edges[e].to))
                b = em_gb_first_band(em_gb_band_mask(gb, m->edges[e].to));
        if (b < 0) b = 0;
        g_hash_table_insert(bo, (gpointer)o->id, GUINT_TO_POINTER(1u << b));
        for (size_t e = 0; e < m->n_edges; e++)
            if (strcmp(m->edges[e].from, o->id) == 0) OR_MASK(m->edges[e].to, 1u << b);
    }
#undef OR_MASK
}

/* Splits the lines into side-by-side bands when their estimated rows pass
 * EDGEMAP_BAND_ROWS / EM_BAND_ROWS (two bands; three past four times that). Sets
 * gb->n_bands (1: no split) and gb->band_of. */
void em_gb_plan_bands(struct gb *gb)
{
    const struct em_model *m = gb->m;
    gb->n_bands = 1;
    if (gb->rep || gb->o->mode == EM_GRAPH_GRID) return;
    size_t nl = m->n_lines, rows = 0;
    for (size_t i = 0; i < nl; i++) rows += em_gb_line_rows(gb, &m->lines[i]);
    /* EDGEMAP_BAND_ROWS overrides the threshold (0: never split), for measurements */
    size_t threshold = EM_BAND_ROWS;
    const char *env = getenv("EDGEMAP_BAND_ROWS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 1000000) threshold = v == 0 ? (size_t)-1 : (size_t)v;
    }
    if (rows <= threshold || nl < 2) return;
    int nb = rows > 4 * threshold ? 3 : 2;
    int *line_band = g_new(int, nl);
    assign_bands(gb, nb, line_band);
    spread_bands(gb, line_band);
    gb->n_bands = nb;
    g_free(line_band);
}

/* Parties beside their networks (one column) unless that column would be taller than
 * the lines' (many vendors on few lines): then they get a column of their own. A party
 * is about 3 text rows high with its gap, a network 4, a line em_gb_line_rows(). */
void em_gb_plan_party_column(struct gb *gb)
{
    const struct em_model *m = gb->m;
    size_t outside = 0, rows = 0;
    for (size_t i = 0; i < m->n_outside; i++) outside += m->outside[i].kind == EM_NODE_PARTY ? 3 : 4;
    for (size_t i = 0; i < m->n_lines; i++) rows += em_gb_line_rows(gb, &m->lines[i]);
    gb->party_column = gb->n_bands <= 1 && outside * 5 > rows * 2;   /* bands: width is dear */
}

/* Band b starts right of band b-1: invisible edges from b-1's segments and 電子カルテ系
 * to b's outside networks and parties (or its lines when it has none). */
/* One column each of outside networks and parties, lines, devices ① and segments, per
 * band: left alone, dot lets a short chain float right (a network next to its lines, a
 * device ① in the segments' column) and the band gets wider. Anonymous subgraphs: cgraph numbers them in creation order, so agwrite's
 * output stays stable (a named one would be ordered by a heap address). */
void em_gb_align_columns(struct gb *gb)
{
    const struct em_model *m = gb->m;
    if (gb->o->mode == EM_GRAPH_GRID) return;
    int nb = gb->n_bands > 1 ? gb->n_bands : 1;
    for (int b = 0; b < nb; b++) {
        /* outside, lines, devices ①, segments */
        for (int col = 0; col < 4; col++) {
            Agraph_t *sg = NULL;
            size_t n = col == 0 ? m->n_outside : col == 1 ? m->n_lines : col == 2 ? m->n_devices : m->n_segments;
            for (size_t i = 0; i < n; i++) {
                if (col == 2 && m->devices[i].slot == 2) continue;
                /* the 電子カルテ segment is 電子カルテ系 itself: a column of its own */
                if (col == 3 && strcmp(m->segments[i].id, "emr") == 0) continue;
                if (col == 0 && gb->party_column && m->outside[i].kind == EM_NODE_PARTY) continue;
                const char *id = col == 0 ? m->outside[i].id : col == 1 ? em_gb_rep_of(gb, m->lines[i].id)
                               : col == 2 ? em_gb_rep_of(gb, m->devices[i].id) : m->segments[i].id;
                if (nb > 1 && !(em_gb_band_mask(gb, id) & (1u << b))) continue;
                Agnode_t *nd = agnode(gb->g, (char *)(nb > 1 ? em_gb_band_id(gb, id, b) : id), 0);
                if (!nd) continue;
                if (!sg) {
                    sg = agsubg(gb->g, NULL, 1);
                    if (!sg) { em_gb_set_failures++; break; }
                    em_gb_set(sg, "rank", "same");
                }
                if (!agsubnode(sg, nd, 1)) em_gb_set_failures++;
            }
        }
    }
}

void em_gb_order_bands(struct gb *gb)
{
    const struct em_model *m = gb->m;
    for (int b = 1; b < gb->n_bands; b++) {
        GPtrArray *tails = g_ptr_array_new(), *heads = g_ptr_array_new();
        unsigned prev = 1u << (b - 1), cur = 1u << b;
        /* 電子カルテ系, the last column (segments are one column before it: an edge
         * from them would need a dummy node in 電子カルテ系's column per head), or the
         * segments when there is no 電子カルテ系 */
        Agnode_t *emr = agnode(gb->g, (char *)em_gb_band_id(gb, "emr", b - 1), 0);
        if (emr) g_ptr_array_add(tails, emr);
        for (size_t i = 0; !emr && i < m->n_segments; i++)
            if (em_gb_band_mask(gb, m->segments[i].id) & prev) {
                Agnode_t *n = agnode(gb->g, (char *)em_gb_band_id(gb, m->segments[i].id, b - 1), 0);
                if (n) g_ptr_array_add(tails, n);
            }
        /* networks first, then parties */
        guint n_nets = 0;
        for (int party = 0; party < 2; party++)
            for (size_t i = 0; i < m->n_outside; i++)
                if ((em_gb_band_mask(gb, m->outside[i].id) & cur) && (m->outside[i].kind == EM_NODE_PARTY) == party) {
                    Agnode_t *n = agnode(gb->g, (char *)em_gb_band_id(gb, m->outside[i].id, b), 0);
                    if (n) g_ptr_array_add(heads, n);
                    if (n && !party) n_nets++;
                }
        if (!heads->len)
            for (size_t i = 0; i < m->n_lines; i++)
                if (em_gb_band_mask(gb, m->lines[i].id) & cur) {
                    Agnode_t *n = agnode(gb->g, (char *)m->lines[i].id, 0);
                    if (n) g_ptr_array_add(heads, n);
                }
        /* the network with the most lines is the one that sits mid-band */
        guint big = 0;
        for (guint h = 1; h < n_nets; h++)
            if (agdegree(gb->g, heads->pdata[h], 0, 1) > agdegree(gb->g, heads->pdata[big], 0, 1)) big = h;
        for (guint t = 0; t < tails->len; t++)
            for (guint h = 0; h < heads->len; h++) {
                Agedge_t *e = agedge(gb->g, tails->pdata[t], heads->pdata[h], NULL, 1);
                if (!e) { em_gb_set_failures++; continue; }
                em_gb_set(e, "style", "invis");
                /* band b-1's 電子カルテ系 pulls band b's biggest network level with it
                 * (both sit mid-band): the bands' middles line up */
                em_gb_set(e, "weight", h == big && n_nets ? "1" : "0");
            }
        g_ptr_array_free(tails, TRUE);
        g_ptr_array_free(heads, TRUE);
    }
}
