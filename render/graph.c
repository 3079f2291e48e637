/* graph.c — the structure of the diagram: the graph and its attributes, the hospital
 * cluster(s), node creation, bands (which copy of a node a band draws), the model's
 * edges, and em_graph_build() putting it all together. The labels and marks are in
 * graph_marks.c, the tooltips in graph_tips.c, the planning of big maps (groups, bands,
 * columns) in graph_plan.c, legend and title in graph_legend.c. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/lang.h"
#include <time.h>


/* Attribute writes that failed (cgraph returns non-zero only when out of memory);
 * em_graph_build() fails the whole graph when any did. */
size_t em_gb_set_failures;

void em_gb_set(void *obj, const char *name, const char *value)
{
    if (agsafeset(obj, (char *)name, (char *)value, (char *)"") != 0) em_gb_set_failures++;
}

/* Sets an HTML-like label. agstrdup_html marks the string as HTML in the graph's
 * string table; agxset (via agsafeset) then shares that entry. */
void em_gb_set_html(void *obj, const char *html)
{
    Agraph_t *g = agraphof(obj);
    char *h = agstrdup_html(g, (char *)html);
    if (!h) {
        em_gb_set_failures++;
        return;
    }
    em_gb_set(obj, "label", h);
    agstrfree(g, h);
}


/* Label text is cut at EM_LABEL_MAX characters (a 30,000-character cell must not make a
 * node a metre wide or Graphviz slow); tooltips at EM_TIP_MAX per field; the report keeps
 * the whole text. */

size_t em_gb_cut_at(const char *s, size_t max_chars)
{
    size_t i = 0, chars = 0;
    while (s[i] && chars < max_chars) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) i++;
        chars++;
    }
    return i;
}


void em_gb_label_html(struct em_buf *b, const char *s)
{
    if (!s) return;
    size_t n = em_gb_cut_at(s, EM_LABEL_MAX);
    if (!s[n]) {
        em_buf_html(b, s);
        return;
    }
    char *t = malloc(n + 1);
    if (!t) {
        b->failed = true;
        return;
    }
    memcpy(t, s, n);
    t[n] = '\0';
    em_buf_html(b, t);
    em_buf_puts(b, "…");
    free(t);
}


/* Places a node in the grid layout: column by its place in the chain. */
void em_gb_grid_place(struct gb *gb, Agnode_t *n, int col, const char *label_text, int lines)
{
    if (gb->o->mode != EM_GRAPH_GRID) return;
    (void)label_text;
    char pos[64];
    double h = 24.0 + 18.0 * (lines > 0 ? lines : 1);
    snprintf(pos, sizeof pos, "%.1f,%.1f!", gb->grid_x[col], -(gb->grid_y[col] + h / 2));
    gb->grid_y[col] += h + 16;
    em_gb_set(n, "pos", pos);
}

Agnode_t *em_gb_mknode(Agraph_t *where, const char *id)
{
    Agnode_t *n = agnode(where, (char *)id, 1);
    if (n) em_gb_set(n, "id", id);
    return n;
}


/* ---------------------------------------------------------------- bands */

unsigned em_gb_band_mask(const struct gb *gb, const char *id)
{
    return gb->band_of ? GPOINTER_TO_UINT(g_hash_table_lookup(gb->band_of, id)) : 0;
}

int em_gb_first_band(unsigned mask)
{
    for (int b = 0; b < EM_BANDS_MAX; b++)
        if (mask & (1u << b)) return b;
    return 0;
}

/* The cluster (or graph) a hospital-side node is drawn in: its first band's. */
Agraph_t *em_gb_band_home(const struct gb *gb, int b)
{
    return gb->n_bands > 1 && gb->band_g[b] ? gb->band_g[b] : gb->hosp;
}

Agraph_t *em_gb_home(const struct gb *gb, const char *id)
{
    return em_gb_band_home(gb, em_gb_first_band(em_gb_band_mask(gb, id)));
}

/* The id a node has in band b: its own in its first band, "<id>-b<k>" in the others
 * (a copy: outside networks, segments and 電子カルテ系 only). */
const char *em_gb_band_id(const struct gb *gb, const char *id, int b)
{
    unsigned mask = em_gb_band_mask(gb, id);
    if (gb->n_bands <= 1 || !mask || em_gb_first_band(mask) == b) return id;
    const char *c = em_pool_printf(gb->m->pool, "%s-b%d", id, b + 1);
    return c ? c : id;
}

/* Copies node n (already labelled) into every other band of its mask. */
void em_gb_copy_to_bands(struct gb *gb, Agnode_t *n, const char *id, bool outside)
{
    unsigned mask = em_gb_band_mask(gb, id);
    if (gb->n_bands <= 1) return;
    for (int b = em_gb_first_band(mask) + 1; b < gb->n_bands; b++) {
        if (!(mask & (1u << b))) continue;
        const char *cid = em_gb_band_id(gb, id, b);
        Agnode_t *c = agnode(outside ? gb->g : em_gb_band_home(gb, b), (char *)cid, 1);
        if (!c || agcopyattr(n, c) != 0) {
            em_gb_set_failures++;
            continue;
        }
        em_gb_set(c, "id", cid);
    }
}


bool em_gb_is_outside_id(const struct em_model *m, const char *id, enum em_node_kind *kind)
{
    for (size_t i = 0; i < m->n_outside; i++)
        if (strcmp(m->outside[i].id, id) == 0) {
            if (kind) *kind = m->outside[i].kind;
            return true;
        }
    return false;
}


/* Which nodes are copied per band: outside networks (not parties), segments, 電子カルテ系. */
static bool copied(const struct gb *gb, const char *id)
{
    enum em_node_kind k;
    if (em_gb_is_outside_id(gb->m, id, &k)) return k != EM_NODE_PARTY;
    if (strcmp(id, "emr") == 0) return true;
    for (size_t i = 0; i < gb->m->n_segments; i++)
        if (strcmp(gb->m->segments[i].id, id) == 0) return true;
    return false;
}

static void add_edge_in(struct gb *gb, const struct em_edge *e, int band);

static void add_edge(struct gb *gb, const struct em_edge *e)
{
    if (gb->n_bands <= 1) {
        add_edge_in(gb, e, 0);
        return;
    }
    /* a line's or device's edge is drawn in its band (a copied node's copy there);
     * between two copied nodes (party→network, segment→EMR), in every band both are in */
    unsigned bands;
    bool cf = copied(gb, e->from), ct = copied(gb, e->to);
    if (!cf) bands = 1u << em_gb_first_band(em_gb_band_mask(gb, e->from));
    else if (!ct) bands = 1u << em_gb_first_band(em_gb_band_mask(gb, e->to));
    else bands = em_gb_band_mask(gb, e->from) & em_gb_band_mask(gb, e->to);
    for (int b = 0; b < gb->n_bands; b++)
        if (bands & (1u << b)) add_edge_in(gb, e, b);
}

static void add_edge_in(struct gb *gb, const struct em_edge *e, int band)
{
    const char *from = em_gb_rep_of(gb, e->from), *to = em_gb_rep_of(gb, e->to);
    if (strcmp(from, to) == 0) return;          /* inside one aggregate */
    if (gb->n_bands > 1) {
        from = em_gb_band_id(gb, from, band);
        to = em_gb_band_id(gb, to, band);
    }
    Agnode_t *t = agnode(gb->g, (char *)from, 0);
    Agnode_t *h = agnode(gb->g, (char *)to, 0);
    if (!h && strcmp(e->to, "emr") == 0) h = em_gb_add_emr(gb, band);
    if (!t || !h) return;
    if (agedge(gb->g, t, h, NULL, 0)) return;   /* drawn once */
    Agedge_t *ed = agedge(gb->g, t, h, NULL, 1);
    if (!ed) return;
    /* the id of the edge as drawn: the model edge's own unless an end was folded
     * into an aggregate or copied into a band */
    char ib[EM_EDGE_ID_BUF], *id = em_edge_id_of(from, to, ib, sizeof ib);
    if (id) em_gb_set(ed, "id", id);
    else em_gb_set_failures++;   /* out of memory: em_graph_build() fails the graph */
    em_edge_id_free(id, ib);
    if (strncmp(from, "eagg-", 5) == 0 || strncmp(to, "eagg-", 5) == 0) {
        if (em_gb_mark_endpoint_edge(gb, ed, from, to)) return;   /* one edge for many links */
    }
    em_gb_mark_edge(gb, ed, e);
    em_gb_tip_edge(gb, ed, e);
}


bool em_gb_is_hospital_holder(const struct em_model *m, const char *h)
{
    static const char *const self[] = {"病院", "クリニック", "医院", "診療所", "当院", "自院"};
    if (blank(h)) return true;
    for (size_t i = 0; i < sizeof self / sizeof self[0]; i++)
        if (strcmp(h, self[i]) == 0) return true;
    return !blank(m->site.name) && strcmp(h, m->site.name) == 0;
}

bool em_gb_line_in_scope(const struct em_model *m, const struct em_line *l)
{
    for (size_t i = 0; i < l->n_paths; i++)
        if (m->paths[l->paths[i]].scan == EM_SCAN_IN) return true;
    return false;
}

const char *em_gb_rep_of(const struct gb *gb, const char *id)
{
    const char *r = gb->erep ? g_hash_table_lookup(gb->erep, id) : NULL;
    if (!r && gb->rep) r = g_hash_table_lookup(gb->rep, id);
    if (!r && gb->party_rep) r = g_hash_table_lookup(gb->party_rep, id);
    return r ? r : id;
}


/* The graph-wide attributes: fonts, tight nodes, left-to-right ranks, the bounds dot
 * gets on large graphs, and a straight-line grid for the last-resort mode. */
static void graph_attrs(Agraph_t *g, const struct em_model *m, const struct em_graph_opts *o)
{
    agattr(g, AGRAPH, (char *)"fontname", (char *)EM_FONTS);
    agattr(g, AGNODE, (char *)"fontname", (char *)EM_FONTS);
    agattr(g, AGEDGE, (char *)"fontname", (char *)EM_FONTS);
    agattr(g, AGNODE, (char *)"fontsize", (char *)"12");
    agattr(g, AGEDGE, (char *)"fontsize", (char *)"12");
    agattr(g, AGNODE, (char *)"shape", (char *)"box");
    /* tight nodes: on A3 every point of padding is paid 60 times */
    agattr(g, AGNODE, (char *)"height", (char *)"0.3");
    agattr(g, AGNODE, (char *)"margin", (char *)"0.06,0.045");
    em_gb_set(g, "rankdir", "LR");
    em_gb_set(g, "newrank", "true");
    em_gb_set(g, "labelloc", "t");
    em_gb_set(g, "labeljust", "l");
    em_gb_set(g, "bgcolor", "white");
    em_gb_set(g, "nodesep", "0.07");   /* 5 pt: two thick red borders still apart */
    em_gb_set(g, "ranksep", "0.25");
    em_gb_set(g, "pad", "0.3");
    em_gb_set(g, "id", "edgemap");
    if (o->mode == EM_GRAPH_GRID) {
        em_gb_set(g, "splines", "line");
        em_gb_set(g, "overlap", "true");
    }
    /* Bounds for dot on large graphs: fewer crossing-minimisation passes. */
    size_t nodes = m->n_lines + m->n_devices + m->n_segments + m->n_outside;
    if (nodes > 300) {
        em_gb_set(g, "mclimit", "0.3");
        em_gb_set(g, "nslimit", "2");
        em_gb_set(g, "nslimit1", "2");
        em_gb_set(g, "searchsize", "10");
    }
}

/* Each node's short label (line No, device model, segment or network name) for the
 * edge tooltips, looked up once per edge in O(1); and whether discovery was merged. */
static void index_labels(struct gb *gb)
{
    const struct em_model *m = gb->m;
    gb->labels = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < m->n_lines; i++) g_hash_table_insert(gb->labels, (gpointer)m->lines[i].id, (gpointer)m->lines[i].line_no);
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *d = &m->devices[i];
        /* a device discovery found has no model: its name or address says which it is */
        const char *l = !blank(d->model) ? d->model : !blank(d->hostname) ? d->hostname
                      : !blank(d->mgmt_ip) ? d->mgmt_ip : em_dev_type_label(d->type);
        g_hash_table_insert(gb->labels, (gpointer)d->id, (gpointer)l);
    }
    for (size_t i = 0; i < m->n_segments; i++) g_hash_table_insert(gb->labels, (gpointer)m->segments[i].id, (gpointer)m->segments[i].name);
    for (size_t i = 0; i < m->n_outside; i++) g_hash_table_insert(gb->labels, (gpointer)m->outside[i].id, (gpointer)m->outside[i].name);
    for (size_t i = 0; i < m->n_devices && !gb->discovery; i++)
        if (m->devices[i].source != EM_SRC_DECLARED || m->devices[i].disc_id) gb->discovery = true;
    for (size_t i = 0; i < m->n_edges && !gb->discovery; i++)
        if (m->edges[i].discovered) gb->discovery = true;
}

/* The hospital boundary: one cluster, or one per band (each titled with the site). */
static void add_clusters(struct gb *gb)
{
    const struct em_model *m = gb->m;
    for (int b = 0; gb->o->mode == EM_GRAPH_FULL && b < (gb->n_bands > 1 ? gb->n_bands : 1); b++) {
        char name[48], sid[32];
        snprintf(name, sizeof name, b ? "cluster_hospital_b%d" : "cluster_hospital", b + 1);
        snprintf(sid, sizeof sid, b ? "site-b%d" : "site", b + 1);
        Agraph_t *c = agsubg(gb->g, name, 1);
        if (!c) continue;
        if (!b) gb->hosp = c;
        gb->band_g[b] = c;
        char lab[1024];
        snprintf(lab, sizeof lab, "%s%s", em_tr("医療機関: ", "Site: "),
                 blank(m->site.name) ? em_tr("（名称未記入）", "(no name)") : m->site.name);
        struct em_buf lb = {0};
        em_gb_add_plain(&lb, lab);
        em_gb_set(c, "label", em_buf_cstr(&lb));
        em_buf_free(&lb);
        em_gb_set(c, "style", "rounded");
        em_gb_set(c, "penwidth", "1.5");
        em_gb_set(c, "id", sid);
    }
}

/* Every node and edge of the model (aggregates first on a big map), then the band
 * order, the columns, the legend and the title. */
static void add_content(struct gb *gb)
{
    const struct em_model *m = gb->m;
    for (size_t i = 0; i < m->n_outside; i++)
        if (em_gb_party_drawn(gb, m->outside[i].id)) em_gb_add_outside(gb, &m->outside[i]);
    if (gb->rep) em_gb_add_groups(gb);
    em_gb_add_endpoint_groups(gb);
    for (size_t i = 0; i < m->n_lines; i++)
        if (!gb->rep || !g_hash_table_contains(gb->rep, m->lines[i].id)) em_gb_add_line(gb, &m->lines[i]);
    for (size_t i = 0; i < m->n_devices; i++)
        if ((!gb->rep || !g_hash_table_contains(gb->rep, m->devices[i].id)) &&
            (!gb->erep || !g_hash_table_contains(gb->erep, m->devices[i].id)))
            em_gb_add_device(gb, i);
    for (size_t i = 0; i < m->n_segments; i++) em_gb_add_segment(gb, &m->segments[i]);
    for (size_t i = 0; i < m->n_edges; i++) add_edge(gb, &m->edges[i]);
    em_gb_add_vendor_edges(gb);
    em_gb_apply_diff(gb);
    em_gb_order_bands(gb);
    em_gb_align_columns(gb);
    struct em_buf legend = {0};
    em_buf_add(&legend, "", 0);
    em_gb_add_legend(gb, &legend);
    em_gb_add_title(gb, em_buf_cstr(&legend));
    if (legend.failed) em_gb_set_failures++;
    em_buf_free(&legend);
}

Agraph_t *em_graph_build(const struct em_model *m, const struct em_graph_opts *o,
                         struct em_err *err)
{
    Agraph_t *g = agopen((char *)"edgemap", Agdirected, NULL);
    if (!g) {
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("図を作れません（メモリ不足）", "cannot build the diagram (out of memory)"));
        return NULL;
    }
    struct gb gb = {.m = m, .o = o, .g = g, .hosp = g};
    for (int i = 0; i < 8; i++) gb.grid_x[i] = 40.0 + i * 300.0;
    graph_attrs(g, m, o);
    em_gb_set_failures = 0;
    index_labels(&gb);
    bool failed = em_gb_index_targets(&gb) != 0;
    em_gb_plan_parties(&gb);
    em_gb_plan_endpoints(&gb);   /* before the line groups: their device columns skip these */
    em_gb_plan_groups(&gb);
    em_gb_plan_bands(&gb);
    em_gb_plan_party_column(&gb);
    add_clusters(&gb);
    add_content(&gb);
    failed = failed || gb.tmp.failed || gb.tip.failed || em_gb_set_failures;
    g_hash_table_destroy(gb.labels);
    if (gb.band_of) g_hash_table_destroy(gb.band_of);
    em_gb_free_groups(&gb);
    em_gb_free_endpoints(&gb);
    em_gb_free_parties(&gb);
    free(gb.tgt_head);
    free(gb.tgt_next);
    free(gb.svc_head);
    free(gb.svc_next);
    em_buf_free(&gb.tmp);
    em_buf_free(&gb.tip);
    if (failed) {
        agclose(g);
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("図を作れません（メモリ不足）", "cannot build the diagram (out of memory)"));
        return NULL;
    }
    return g;
}
