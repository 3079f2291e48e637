/* layout.c — the laid-out graph as data: serialised in the layout child as text
 * records, parsed back in the parent (see layout.h).
 *
 * Records, one a line, fields separated by TAB, in each field \ TAB and LF escaped as
 * \\ \t \n:
 *   G w h label
 *   C id x0 y0 x1 y1 label
 *   N id cluster x y w h shape style color fillcolor penwidth text tooltip
 *   E id tail head style color penwidth arrowhead label has_label lx ly lw lh npts x,y;x,y;…
 * Every number is printed with %.2f; an unknown record kind is an error. */
#include "render/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/gvc.h>

/* ---------------------------------------------------------------- child side */

static void put_field(struct em_buf *b, const char *s)
{
    em_buf_puts(b, "\t");
    if (!s) return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "" : NULL;
        if (!esc) continue;
        em_buf_add(b, run, (size_t)(p - run));
        em_buf_puts(b, esc);
        run = p + 1;
    }
    em_buf_puts(b, run);
}

static const char *attr(void *obj, const char *name)
{
    char *v = agget(obj, (char *)name);
    return v ? v : "";
}

/* The innermost cluster holding n, searched from g's clusters down; its "id". */
static const char *cluster_of(Agraph_t *g, Agnode_t *n)
{
    for (int i = 1; i <= GD_n_cluster(g); i++) {
        Agraph_t *c = GD_clust(g)[i];
        if (!agsubnode(c, n, 0)) continue;
        const char *inner = cluster_of(c, n);
        return *inner ? inner : attr(c, "id");
    }
    return "";
}

static void put_clusters(Agraph_t *g, struct em_buf *b, double top, double left)
{
    for (int i = 1; i <= GD_n_cluster(g); i++) {
        Agraph_t *c = GD_clust(g)[i];
        boxf bb = GD_bb(c);
        em_buf_puts(b, "C");
        put_field(b, attr(c, "id"));
        em_buf_printf(b, "\t%.2f\t%.2f\t%.2f\t%.2f", bb.LL.x - left, top - bb.UR.y, bb.UR.x - left, top - bb.LL.y);
        put_field(b, attr(c, "label"));
        em_buf_puts(b, "\n");
        put_clusters(c, b, top, left);
    }
}

static void put_node(Agraph_t *g, Agnode_t *n, struct em_buf *b, double top, double left)
{
    em_buf_puts(b, "N");
    put_field(b, attr(n, "id"));
    put_field(b, cluster_of(g, n));
    em_buf_printf(b, "\t%.2f\t%.2f\t%.2f\t%.2f", ND_coord(n).x - left, top - ND_coord(n).y,
                  ND_width(n) * 72.0, ND_height(n) * 72.0);
    static const char *const names[] = {"shape", "style", "color", "fillcolor", "penwidth"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) put_field(b, attr(n, names[i]));
    char *text = em_layout_plain_label(attr(n, "label"));
    put_field(b, text ? text : "");
    free(text);
    put_field(b, attr(n, "tooltip"));
    em_buf_puts(b, "\n");
}

static void put_edge(Agedge_t *e, struct em_buf *b, double top, double left)
{
    em_buf_puts(b, "E");
    put_field(b, attr(e, "id"));
    put_field(b, attr(agtail(e), "id"));
    put_field(b, attr(aghead(e), "id"));
    static const char *const names[] = {"style", "color", "penwidth", "arrowhead"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) put_field(b, attr(e, names[i]));
    textlabel_t *lab = ED_xlabel(e) && ED_xlabel(e)->set ? ED_xlabel(e) : ED_label(e) && ED_label(e)->set ? ED_label(e) : NULL;
    put_field(b, lab ? lab->text : "");
    if (lab)
        em_buf_printf(b, "\t1\t%.2f\t%.2f\t%.2f\t%.2f", lab->pos.x - left, top - lab->pos.y, lab->dimen.x, lab->dimen.y);
    else
        em_buf_puts(b, "\t0\t0\t0\t0\t0");
    size_t np = 0;
    splines *sp = ED_spl(e);
    for (int i = 0; sp && i < sp->size; i++) np += (size_t)sp->list[i].size + (sp->list[i].eflag ? 1 : 0);
    em_buf_printf(b, "\t%zu\t", np);
    for (int i = 0; sp && i < sp->size; i++) {
        const bezier *bz = &sp->list[i];
        for (int k = 0; k < bz->size; k++)
            em_buf_printf(b, "%.2f,%.2f;", bz->list[k].x - left, top - bz->list[k].y);
        if (bz->eflag) em_buf_printf(b, "%.2f,%.2f;", bz->ep.x - left, top - bz->ep.y);
    }
    em_buf_puts(b, "\n");
}

int em_layout_serialise(Agraph_t *g, const double *origin, struct em_buf *out)
{
    boxf bb = GD_bb(g);
    double top = origin ? origin[1] : bb.UR.y, left = origin ? origin[0] : bb.LL.x;
    em_buf_printf(out, "G\t%.2f\t%.2f", bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
    char *label = em_layout_plain_label(attr(g, "label"));
    put_field(out, label ? label : "");
    free(label);
    em_buf_puts(out, "\n");
    put_clusters(g, out, top, left);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) put_node(g, n, out, top, left);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
            if (strcmp(attr(e, "style"), "invis") != 0) put_edge(e, out, top, left);
    return out->failed ? -1 : 0;
}

/* ---------------------------------------------------------------- label placement */

struct rect { double x, y, w, h; };   /* centre and size */

static bool hits(const struct rect *a, const struct rect *b)
{
    return (a->x - b->x) * (a->x - b->x) * 4 < (a->w + b->w) * (a->w + b->w) &&
           (a->y - b->y) * (a->y - b->y) * 4 < (a->h + b->h) * (a->h + b->h);
}

static bool free_spot(const struct rect *r, const struct rect *taken, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hits(r, &taken[i])) return false;
    return true;
}

/* A free centre for label lab of edge e, or false. */
static bool find_spot(Agedge_t *e, textlabel_t *lab, const struct rect *taken, size_t n, pointf *at)
{
    splines *sp = ED_spl(e);
    if (!sp || sp->size < 1) return false;
    const bezier *bz = &sp->list[0];
    if (bz->size < 1) return false;
    double w = lab->dimen.x, h = lab->dimen.y;
    const double off[4][2] = {{0, h / 2 + 2}, {0, -(h / 2 + 2)}, {w / 2 + 2, 0}, {-(w / 2 + 2), 0}};
    int mid = bz->size / 2;
    /* nearest first: one step off the spline at its middle, then further out */
    for (int step = 1; step <= 16; step++)
    for (int d = 0; d <= bz->size; d++) {
        for (int sign = -1; sign <= 1; sign += 2) {
            int k = mid + sign * d;
            if (k < 0 || k >= bz->size || (d == 0 && sign > 0)) continue;
            for (int o = 0; o < 4; o++) {
                struct rect r = {bz->list[k].x + off[o][0] * step, bz->list[k].y + off[o][1] * step, w + 2, h + 2};
                if (free_spot(&r, taken, n)) {
                    at->x = r.x;
                    at->y = r.y;
                    return true;
                }
            }
        }
    }
    return false;
}

int em_layout_place_labels(Agraph_t *g)
{
    size_t n = (size_t)agnnodes(g), cap = n + (size_t)agnedges(g) + 1, used = 0;
    struct rect *taken = calloc(cap, sizeof *taken);
    if (!taken) return -1;
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        taken[used++] = (struct rect){ND_coord(v).x, ND_coord(v).y, ND_width(v) * 72, ND_height(v) * 72};
    int stuck = 0;
    for (Agnode_t *v = agfstnode(g); v; v = agnxtnode(g, v))
        for (Agedge_t *e = agfstout(g, v); e; e = agnxtout(g, e)) {
            textlabel_t *lab = ED_xlabel(e);
            if (!lab || !lab->set || used >= cap) continue;
            struct rect r = {lab->pos.x, lab->pos.y, lab->dimen.x, lab->dimen.y};
            pointf at;
            if (!free_spot(&r, taken, used)) {
                if (find_spot(e, lab, taken, used, &at)) {
                    lab->pos = at;
                    r.x = at.x;
                    r.y = at.y;
                } else {
                    stuck++;
                }
            }
            taken[used++] = r;
        }
    free(taken);
    return stuck;
}

/* ---------------------------------------------------------------- labels */

char *em_layout_plain_label(const char *html)
{
    struct em_buf b = {0};
    em_buf_add(&b, "", 0);
    static const struct { const char *ent, *txt; } ents[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&#160;", " "}, {"&nbsp;", " "},
    };
    int depth = 0;   /* table nesting: a row ends a text line, but not inside a legend sample */
    for (const char *p = html ? html : ""; *p;) {
        if (*p == '<') {
            const char *end = strchr(p, '>');
            if (!end) break;
            if (strncmp(p, "<table", 6) == 0) depth++;
            else if (strncmp(p, "</table", 7) == 0) depth--;
            if (strncmp(p, "<br", 3) == 0 || strncmp(p, "<BR", 3) == 0 || (strncmp(p, "</tr", 4) == 0 && depth <= 2))
                em_buf_puts(&b, "\n");
            else if (strncmp(p, "</td", 4) == 0 && b.len && b.p[b.len - 1] != '\n') em_buf_puts(&b, " ");
            p = end + 1;
            continue;
        }
        if (*p == '&') {
            size_t k = 0;
            for (; k < sizeof ents / sizeof ents[0]; k++)
                if (strncmp(p, ents[k].ent, strlen(ents[k].ent)) == 0) break;
            if (k < sizeof ents / sizeof ents[0]) {
                em_buf_puts(&b, ents[k].txt);
                p += strlen(ents[k].ent);
                continue;
            }
        }
        em_buf_add(&b, p, 1);
        p++;
    }
    if (b.failed) {
        em_buf_free(&b);
        return NULL;
    }
    /* trim trailing newlines */
    while (b.len && b.p[b.len - 1] == '\n') b.p[--b.len] = '\0';
    return b.p;
}

/* ---------------------------------------------------------------- parent side */

/* Splits one record line (NUL-terminated, modified in place) into unescaped fields. */
static size_t split_fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *w = p;
        while (*p && *p != '\t') {
            if (*p == '\\' && p[1]) {
                p++;
                *w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
                p++;
            } else {
                *w++ = *p++;
            }
        }
        bool more = *p == '\t';
        *w = '\0';
        if (!more) break;
        p++;
    }
    return n;
}

static char *dup(const char *s)
{
    return strdup(s ? s : "");
}

static bool parse_points(const char *s, size_t np, struct em_ledge *e)
{
    e->pts = calloc(np ? np : 1, sizeof *e->pts);
    if (!e->pts) return false;
    for (size_t i = 0; i < np; i++) {
        char *end;
        e->pts[i].x = strtod(s, &end);
        if (end == s || *end != ',') return false;
        s = end + 1;
        e->pts[i].y = strtod(s, &end);
        if (end == s || *end != ';') return false;
        s = end + 1;
    }
    e->n_pts = np;
    return true;
}

static bool grow(void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, nc * size);
    if (!p) return false;
    *arr = p;
    *cap = nc;
    return true;
}

static bool parse_record(struct em_layout *l, char **f, size_t nf, size_t caps[3])
{
    switch (f[0][0]) {
    case 'G':
        if (nf < 4) return false;
        l->w = strtod(f[1], NULL);
        l->h = strtod(f[2], NULL);
        free(l->label);
        l->label = dup(f[3]);
        return l->label != NULL;
    case 'C': {
        if (nf < 7 || !grow((void **)&l->clusters, l->n_clusters, &caps[0], sizeof *l->clusters)) return false;
        struct em_lcluster *c = &l->clusters[l->n_clusters++];
        *c = (struct em_lcluster){dup(f[1]), dup(f[6]), strtod(f[2], NULL), strtod(f[3], NULL),
                                  strtod(f[4], NULL), strtod(f[5], NULL)};
        return c->id && c->label;
    }
    case 'N': {
        if (nf < 14 || !grow((void **)&l->nodes, l->n_nodes, &caps[1], sizeof *l->nodes)) return false;
        struct em_lnode *n = &l->nodes[l->n_nodes++];
        *n = (struct em_lnode){.id = dup(f[1]), .cluster = dup(f[2]), .x = strtod(f[3], NULL),
                               .y = strtod(f[4], NULL), .w = strtod(f[5], NULL), .h = strtod(f[6], NULL),
                               .shape = dup(f[7]), .style = dup(f[8]), .color = dup(f[9]),
                               .fillcolor = dup(f[10]), .penwidth = dup(f[11]), .text = dup(f[12]),
                               .tooltip = dup(f[13])};
        return n->id && n->cluster && n->shape && n->style && n->color && n->fillcolor && n->penwidth && n->text && n->tooltip;
    }
    case 'E': {
        if (nf < 16 || !grow((void **)&l->edges, l->n_edges, &caps[2], sizeof *l->edges)) return false;
        struct em_ledge *e = &l->edges[l->n_edges++];
        *e = (struct em_ledge){.id = dup(f[1]), .tail = dup(f[2]), .head = dup(f[3]), .style = dup(f[4]),
                               .color = dup(f[5]), .penwidth = dup(f[6]), .arrowhead = dup(f[7]),
                               .label = dup(f[8]), .has_label = f[9][0] == '1', .lx = strtod(f[10], NULL),
                               .ly = strtod(f[11], NULL), .lw = strtod(f[12], NULL), .lh = strtod(f[13], NULL)};
        if (!e->id || !e->tail || !e->head || !e->style || !e->color || !e->penwidth || !e->arrowhead || !e->label) return false;
        long np = strtol(f[14], NULL, 10);
        return np >= 0 && np < 100000 && parse_points(f[15], (size_t)np, e);
    }
    default:
        return false;
    }
}

struct em_layout *em_layout_parse(const char *data, size_t len)
{
    struct em_layout *l = calloc(1, sizeof *l);
    char *text = malloc(len + 1);
    if (!l || !text) {
        free(l);
        free(text);
        return NULL;
    }
    memcpy(text, data, len);
    text[len] = '\0';
    size_t caps[3] = {0, 0, 0};
    bool ok = true;
    for (char *line = text; ok && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        char *f[17];
        size_t nf = split_fields(line, f, 17);
        ok = parse_record(l, f, nf, caps);
        line = nl ? nl + 1 : line + strlen(line);
    }
    free(text);
    if (!ok) {
        em_layout_free(l);
        return NULL;
    }
    return l;
}

void em_layout_free(struct em_layout *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n_nodes; i++) {
        struct em_lnode *n = &l->nodes[i];
        free(n->id); free(n->cluster); free(n->shape); free(n->style); free(n->color);
        free(n->fillcolor); free(n->penwidth); free(n->text); free(n->tooltip);
    }
    for (size_t i = 0; i < l->n_edges; i++) {
        struct em_ledge *e = &l->edges[i];
        free(e->id); free(e->tail); free(e->head); free(e->style); free(e->color);
        free(e->penwidth); free(e->arrowhead); free(e->label); free(e->pts);
    }
    for (size_t i = 0; i < l->n_clusters; i++) {
        free(l->clusters[i].id);
        free(l->clusters[i].label);
    }
    free(l->label);
    free(l->nodes);
    free(l->edges);
    free(l->clusters);
    free(l);
}

const struct em_lnode *em_layout_node(const struct em_layout *l, const char *id)
{
    for (size_t i = 0; l && i < l->n_nodes; i++)
        if (strcmp(l->nodes[i].id, id) == 0) return &l->nodes[i];
    return NULL;
}
