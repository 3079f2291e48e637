/* out_drawio.c — the editable export: an uncompressed draw.io (diagrams.net) mxfile
 * from the layout data (layout.h), so a surveyor can move things by hand and give the
 * file back with --layout.
 *
 * Structure: mxfile → diagram → mxGraphModel → root; cells "0" and "1" (the layer);
 * the hospital box (one per band) and each outside network's cloud group (the network
 * and the parties that use it) are containers (container=1) whose children's geometry
 * is relative to them; every node is an <object> whose id is the node's id in the SVG
 * (the model id, "-b2" for a band's copy) carrying edgemap_id, kind, line_no, source
 * rows and the tooltip as attributes; labels are plain text (html=0); edges are at the
 * layer with their waypoints in absolute coordinates and styles matching the marks. */
#include "render/out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"

static bool blank_str(const char *s) { return !s || !*s; }

/* What a node is in the model: its kind word, the line Nos and rows behind it. */
struct node_facts {
    const char *kind;                /* "line", "device", "segment", "emr", "internet", … */
    struct em_buf line_no, rows;
    bool network;                    /* an outside network (a cloud group of its own) */
};

/* The model id a drawn id stands for: a band copy's "-b<k>" suffix dropped. */
static size_t base_len(const char *id)
{
    size_t n = strlen(id);
    if (n > 3 && id[n - 1] >= '2' && id[n - 1] <= '9' && id[n - 2] == 'b' && id[n - 3] == '-') return n - 3;
    return n;
}

static bool same_id(const char *model_id, const char *drawn, size_t n)
{
    return strlen(model_id) == n && strncmp(model_id, drawn, n) == 0;
}

static void add_rows(struct em_buf *b, const int *rows, size_t n)
{
    for (size_t i = 0; i < n && i < 200; i++) em_buf_printf(b, "%s%d", b->len ? ", " : "", rows[i]);
}

static void facts_line(const struct em_model *m, const struct em_line *l, struct node_facts *f)
{
    f->kind = "line";
    em_buf_puts(&f->line_no, l->line_no ? l->line_no : "");
    for (size_t k = 0; k < l->n_paths; k++)
        em_buf_printf(&f->rows, "%s%d", f->rows.len ? ", " : "", m->paths[l->paths[k]].src.row);
}

static void facts_device(const struct em_model *m, size_t di, struct node_facts *f)
{
    const struct em_device *d = &m->devices[di];
    f->kind = d->source == EM_SRC_DISCOVERED ? "device-undeclared" : "device";
    for (size_t i = 0; i < m->n_lines; i++)
        for (size_t k = 0; k < m->lines[i].n_devices; k++)
            if (m->lines[i].devices[k] == di && !blank_str(m->lines[i].line_no)) {
                if (f->line_no.len) em_buf_puts(&f->line_no, ", ");
                em_buf_puts(&f->line_no, m->lines[i].line_no);
                break;
            }
    add_rows(&f->rows, d->rows, d->n_rows);
}

/* Fills f for the drawn node id from the model (nothing found: kind "group", an
 * aggregate of a big map; "endpoints" for the endpoints behind a switch). */
static void node_facts(const struct em_model *m, const char *id, struct node_facts *f)
{
    size_t n = base_len(id);
    static const char *const out_kind[] = {"internet", "closed-network", "phone-network", "party"};
    f->kind = "group";
    if (same_id("emr", id, n)) { f->kind = "emr"; return; }
    if (strncmp(id, "eagg-", 5) == 0) { f->kind = "endpoints"; return; }   /* graph_endpoints.c */
    for (size_t i = 0; i < m->n_outside; i++)
        if (same_id(m->outside[i].id, id, n)) {
            f->kind = m->outside[i].kind <= EM_NODE_PARTY ? out_kind[m->outside[i].kind] : "outside";
            f->network = m->outside[i].kind != EM_NODE_PARTY;
            return;
        }
    for (size_t i = 0; i < m->n_lines; i++)
        if (same_id(m->lines[i].id, id, n)) { facts_line(m, &m->lines[i], f); return; }
    for (size_t i = 0; i < m->n_devices; i++)
        if (same_id(m->devices[i].id, id, n)) { facts_device(m, i, f); return; }
    for (size_t i = 0; i < m->n_segments; i++)
        if (same_id(m->segments[i].id, id, n)) { f->kind = m->segments[i].emr ? "segment-emr" : "segment"; return; }
}

/* Appends s as XML attribute text: & < > " escaped, line breaks as &#10;. */
static void xml_attr(struct em_buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\n') em_buf_puts(b, "&#10;");
        else if (*p == '\t') em_buf_puts(b, " ");
        else if ((unsigned char)*p < 0x20) continue;
        else {
            const char *run = p;
            while (p[1] && p[1] != '\n' && p[1] != '\t' && (unsigned char)p[1] >= 0x20) p++;
            char *t = strndup(run, (size_t)(p - run + 1));
            if (!t) { b->failed = true; return; }
            em_buf_html(b, t);
            free(t);
        }
    }
}

/* draw.io style of a node from its Graphviz attributes: the same marks (red border,
 * grey dashed, orange, pale fill, bold EMR). */
static void node_style(struct em_buf *b, const struct em_lnode *n)
{
    if (strcmp(n->shape, "ellipse") == 0) em_buf_puts(b, "ellipse;");
    else if (strcmp(n->shape, "box3d") == 0) em_buf_puts(b, "shape=cube;size=6;");
    else em_buf_printf(b, "rounded=%d;", strstr(n->style, "rounded") ? 1 : 0);
    em_buf_puts(b, "whiteSpace=wrap;html=0;fontSize=11;");
    em_buf_printf(b, "strokeColor=%s;", *n->color ? n->color : "#000000");
    em_buf_printf(b, "fillColor=%s;", *n->fillcolor && strstr(n->style, "filled") ? n->fillcolor : "#ffffff");
    if (strstr(n->style, "dashed")) em_buf_puts(b, "dashed=1;");
    double pw = *n->penwidth ? strtod(n->penwidth, NULL) : strstr(n->style, "bold") ? 2 : 1;
    em_buf_printf(b, "strokeWidth=%g;", pw > 0 && pw < 20 ? pw : 1);
    if (strcmp(n->color, "#808080") == 0) em_buf_puts(b, "fontColor=#555555;");
}

static void edge_style(struct em_buf *b, const struct em_ledge *e)
{
    em_buf_puts(b, "edgeStyle=none;rounded=0;html=0;fontSize=11;");
    em_buf_printf(b, "strokeColor=%s;", *e->color ? e->color : "#000000");
    em_buf_puts(b, strcmp(e->arrowhead, "none") == 0 ? "endArrow=none;" : "endArrow=classic;");
    if (strstr(e->style, "dotted")) em_buf_puts(b, "dashed=1;dashPattern=1 3;");
    else if (strstr(e->style, "dashed")) em_buf_puts(b, "dashed=1;");
    double pw = *e->penwidth ? strtod(e->penwidth, NULL) : strstr(e->style, "bold") ? 2 : 1;
    em_buf_printf(b, "strokeWidth=%g;", pw > 0 && pw < 20 ? pw : 1);
    if (*e->color) em_buf_printf(b, "fontColor=%s;", e->color);
}

/* A container: the hospital box of a band or a cloud group. */
struct box {
    char *id;            /* cell id */
    const char *label;
    double x0, y0, x1, y1;
    bool hospital;
};

#define BOX_PAD 8.0

static void fit_box(const struct em_layout *l, struct box *bx, const long *owner, long k);
static bool covers_other(const struct em_layout *l, const struct box *bx, const long *owner, long k);

/* The containers: each cluster of the layout (the hospital, per band), and per outside
 * network its cloud group (the network and the parties whose edges go to it, each party
 * in the group of its first network). owner[i] receives node i's box, or -1. */
static size_t make_boxes(const struct em_out_ctx *c, struct box *boxes, long *owner)
{
    const struct em_layout *l = c->layout;
    size_t nb = 0;
    for (size_t i = 0; i < l->n_nodes; i++) owner[i] = -1;
    for (size_t k = 0; k < l->n_clusters; k++) {
        const struct em_lcluster *cl = &l->clusters[k];
        char *id = malloc(strlen(cl->id) + 8);
        if (!id) continue;
        snprintf(id, strlen(cl->id) + 8, "box-%s", cl->id);
        boxes[nb] = (struct box){id, cl->label, cl->x0, cl->y0, cl->x1, cl->y1, true};
        for (size_t i = 0; i < l->n_nodes; i++)
            if (*cl->id && strcmp(l->nodes[i].cluster, cl->id) == 0) owner[i] = (long)nb;
        nb++;
    }
    for (size_t i = 0; i < l->n_nodes; i++) {
        struct node_facts f = {0};
        node_facts(c->m, l->nodes[i].id, &f);
        em_buf_free(&f.line_no);
        em_buf_free(&f.rows);
        if (!f.network || owner[i] >= 0) continue;
        char *id = malloc(strlen(l->nodes[i].id) + 8);
        if (!id) continue;
        snprintf(id, strlen(l->nodes[i].id) + 8, "cloud-%s", l->nodes[i].id);
        owner[i] = (long)nb;
        boxes[nb++] = (struct box){id, "", 0, 0, 0, 0, false};
        for (size_t e = 0; e < l->n_edges; e++) {
            if (strcmp(l->edges[e].head, l->nodes[i].id) != 0) continue;
            for (size_t p = 0; p < l->n_nodes; p++)
                if (owner[p] < 0 && strcmp(l->nodes[p].id, l->edges[e].tail) == 0) owner[p] = owner[i];
        }
    }
    /* a cloud group's box: its members' bounding box, padded; a group that would cover
     * a node not in it keeps only its network */
    for (size_t k = 0; k < nb; k++) {
        if (boxes[k].hospital) continue;
        fit_box(l, &boxes[k], owner, (long)k);
        if (!covers_other(l, &boxes[k], owner, (long)k)) continue;
        for (size_t i = 0; i < l->n_nodes; i++)
            if (owner[i] == (long)k && strcmp(boxes[k].id + 6, l->nodes[i].id) != 0) owner[i] = -1;
        fit_box(l, &boxes[k], owner, (long)k);
    }
    return nb;
}

/* Sets box k to the bounding box of the nodes it owns, padded. */
static void fit_box(const struct em_layout *l, struct box *bx, const long *owner, long k)
{
    bool first = true;
    for (size_t i = 0; i < l->n_nodes; i++) {
        if (owner[i] != k) continue;
        const struct em_lnode *n = &l->nodes[i];
        double x0 = n->x - n->w / 2, y0 = n->y - n->h / 2, x1 = n->x + n->w / 2, y1 = n->y + n->h / 2;
        if (first || x0 < bx->x0) bx->x0 = x0;
        if (first || y0 < bx->y0) bx->y0 = y0;
        if (first || x1 > bx->x1) bx->x1 = x1;
        if (first || y1 > bx->y1) bx->y1 = y1;
        first = false;
    }
    bx->x0 -= BOX_PAD;
    bx->y0 -= BOX_PAD;
    bx->x1 += BOX_PAD;
    bx->y1 += BOX_PAD;
}

/* Whether box k overlaps a node it does not own. */
static bool covers_other(const struct em_layout *l, const struct box *bx, const long *owner, long k)
{
    for (size_t i = 0; i < l->n_nodes; i++) {
        if (owner[i] == k) continue;
        const struct em_lnode *n = &l->nodes[i];
        if (n->x + n->w / 2 > bx->x0 && n->x - n->w / 2 < bx->x1 && n->y + n->h / 2 > bx->y0 && n->y - n->h / 2 < bx->y1)
            return true;
    }
    return false;
}

static void put_box(struct em_buf *b, const struct box *x)
{
    em_buf_puts(b, "        <object id=\"");
    xml_attr(b, x->id);
    em_buf_puts(b, "\" label=\"");
    xml_attr(b, x->label);
    em_buf_printf(b, "\" kind=\"%s\">\n", x->hospital ? "site" : "cloud-group");
    em_buf_printf(b, "          <mxCell style=\"%scontainer=1;collapsible=0;html=0;verticalAlign=top;align=left;"
                     "spacingLeft=4;fontSize=11;fillColor=none;%s\" vertex=\"1\" parent=\"1\">\n",
                  x->hospital ? "rounded=1;arcSize=2;strokeWidth=1.5;" : "rounded=1;dashed=1;strokeColor=#bbbbbb;",
                  x->hospital ? "" : "fontColor=#888888;");
    em_buf_printf(b, "            <mxGeometry x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" as=\"geometry\"/>\n",
                  x->x0, x->y0, x->x1 - x->x0, x->y1 - x->y0);
    em_buf_puts(b, "          </mxCell>\n        </object>\n");
}

static void put_node(struct em_buf *b, const struct em_out_ctx *c, const struct em_lnode *n, const struct box *parent)
{
    struct node_facts f = {0};
    node_facts(c->m, n->id, &f);
    size_t bl = base_len(n->id);
    em_buf_puts(b, "        <object id=\"");
    xml_attr(b, n->id);
    em_buf_puts(b, "\" label=\"");
    xml_attr(b, n->text);
    em_buf_puts(b, "\" edgemap_id=\"");
    char *base = strndup(n->id, bl);
    xml_attr(b, base ? base : n->id);
    free(base);
    em_buf_printf(b, "\" kind=\"%s\" line_no=\"", f.kind);
    xml_attr(b, em_buf_cstr(&f.line_no));
    em_buf_puts(b, "\" source_rows=\"");
    xml_attr(b, em_buf_cstr(&f.rows));
    em_buf_puts(b, "\" tooltip=\"");
    xml_attr(b, n->tooltip);
    em_buf_puts(b, "\">\n          <mxCell style=\"");
    node_style(b, n);
    em_buf_puts(b, "\" vertex=\"1\" parent=\"");
    xml_attr(b, parent ? parent->id : "1");
    double ox = parent ? parent->x0 : 0, oy = parent ? parent->y0 : 0;
    em_buf_printf(b, "\">\n            <mxGeometry x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" as=\"geometry\"/>\n",
                  n->x - n->w / 2 - ox, n->y - n->h / 2 - oy, n->w, n->h);
    em_buf_puts(b, "          </mxCell>\n        </object>\n");
    em_buf_free(&f.line_no);
    em_buf_free(&f.rows);
}

/* An edge at the layer: its waypoints are the spline's on-curve points between the
 * ends (every third control point), absolute. */
static void put_edge(struct em_buf *b, const struct em_ledge *e, size_t idx)
{
    em_buf_puts(b, "        <object id=\"");
    if (*e->id) xml_attr(b, e->id);
    else em_buf_printf(b, "edge-%zu", idx);
    em_buf_puts(b, "\" label=\"");
    xml_attr(b, e->label);
    em_buf_puts(b, "\" kind=\"link\">\n          <mxCell style=\"");
    edge_style(b, e);
    em_buf_puts(b, "\" edge=\"1\" parent=\"1\" source=\"");
    xml_attr(b, e->tail);
    em_buf_puts(b, "\" target=\"");
    xml_attr(b, e->head);
    em_buf_puts(b, "\">\n            <mxGeometry relative=\"1\" as=\"geometry\">");
    if (e->n_pts > 4) {
        em_buf_puts(b, "<Array as=\"points\">");
        for (size_t k = 3; k + 1 < e->n_pts; k += 3)
            em_buf_printf(b, "<mxPoint x=\"%.1f\" y=\"%.1f\"/>", e->pts[k].x, e->pts[k].y);
        em_buf_puts(b, "</Array>");
    }
    em_buf_puts(b, "</mxGeometry>\n          </mxCell>\n        </object>\n");
}

/* The height of the band above every node and container: where the title goes. */
static double title_height(const struct em_layout *l)
{
    double top = l->h;
    for (size_t i = 0; i < l->n_nodes; i++)
        if (l->nodes[i].y - l->nodes[i].h / 2 < top) top = l->nodes[i].y - l->nodes[i].h / 2;
    for (size_t k = 0; k < l->n_clusters; k++)
        if (l->clusters[k].y0 < top) top = l->clusters[k].y0;
    return top > 20 ? top - 4 : 20;
}

int em_out_write_drawio(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err)
{
    const struct em_layout *l = c->layout;
    if (!l)
        return em_err_set(err, EM_ERR_FORMAT, c->path, "", 0, "", "%s", em_tr("図のレイアウトがありません", "no diagram layout"));
    struct box *boxes = calloc(l->n_clusters + l->n_nodes + 1, sizeof *boxes);
    long *owner = calloc(l->n_nodes + 1, sizeof *owner);
    if (!boxes || !owner) {
        free(boxes);
        free(owner);
        return em_err_set(err, EM_ERR_NOMEM, c->path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    size_t nb = make_boxes(c, boxes, owner);
    em_buf_puts(out, "<mxfile host=\"edgemap\" agent=\"edgemap\" type=\"device\">\n  <diagram id=\"edgemap\" name=\"");
    xml_attr(out, em_tr("構成図", "Configuration diagram"));
    em_buf_printf(out, "\">\n    <mxGraphModel grid=\"1\" gridSize=\"10\" guides=\"1\" page=\"1\" pageScale=\"1\" "
                       "pageWidth=\"%.0f\" pageHeight=\"%.0f\" math=\"0\" shadow=\"0\">\n      <root>\n"
                       "        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n",
                  ceil(l->w + 40), ceil(l->h + 40));
    /* the title and the legend, as the drawing has them */
    em_buf_puts(out, "        <mxCell id=\"title\" value=\"");
    xml_attr(out, l->label);
    em_buf_printf(out, "\" style=\"text;html=0;align=left;verticalAlign=top;whiteSpace=wrap;fontSize=11;\" vertex=\"1\" parent=\"1\">\n"
                       "          <mxGeometry x=\"0\" y=\"0\" width=\"%.1f\" height=\"%.1f\" as=\"geometry\"/>\n        </mxCell>\n",
                  l->w > 100 ? l->w : 100, title_height(c->layout));
    for (size_t k = 0; k < nb; k++) put_box(out, &boxes[k]);
    for (size_t i = 0; i < l->n_nodes; i++) put_node(out, c, &l->nodes[i], owner[i] >= 0 ? &boxes[owner[i]] : NULL);
    for (size_t i = 0; i < l->n_edges; i++) put_edge(out, &l->edges[i], i);
    em_buf_puts(out, "      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    for (size_t k = 0; k < nb; k++) free(boxes[k].id);
    free(boxes);
    free(owner);
    return out->failed ? em_err_set(err, EM_ERR_NOMEM, c->path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory")) : EM_OK;
}
