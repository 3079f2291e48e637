/* layout.h — the laid-out diagram as plain data (render/-internal): what the layout
 * child sends back besides the drawn SVG/PDF/PNG, so writers that are not Graphviz
 * renderers (draw.io, the diff drawing, geometry tests) can place things themselves.
 *
 * Coordinates are points with the origin at the top left of the drawing and y growing
 * downwards (Graphviz's y grows upwards; the conversion is done once, here). A node's
 * (x, y) is its centre, w and h its size. Implemented by layout.c. */
#ifndef EM_RENDER_LAYOUT_H
#define EM_RENDER_LAYOUT_H
#include <stdbool.h>
#include <stddef.h>

#include <graphviz/cgraph.h>

#include "render/buf.h"

struct em_lpoint { double x, y; };

struct em_lnode {
    char *id;          /* the node's id attribute (the model id, a band copy's "-b2" id) */
    char *cluster;     /* the innermost cluster's id ("site", "site-b2"), "" outside */
    double x, y, w, h;
    char *shape, *style, *color, *fillcolor, *penwidth;   /* Graphviz attributes, "" unset */
    char *text;        /* the label as plain text, lines separated by '\n' */
    char *tooltip;
};

struct em_ledge {
    char *id, *tail, *head;          /* tail/head: node ids */
    char *style, *color, *penwidth, *arrowhead;
    char *label;                     /* xlabel / label text, "" none */
    bool has_label;
    double lx, ly, lw, lh;           /* the label's centre and size when has_label */
    struct em_lpoint *pts; size_t n_pts;   /* the spline's control points, tail to head */
};

struct em_lcluster {
    char *id, *label;
    double x0, y0, x1, y1;            /* the box, top left and bottom right */
};

struct em_layout {
    double w, h;                      /* the drawing's bounding box */
    char *label;                      /* the graph label (title, legend) as plain text */
    struct em_lnode *nodes; size_t n_nodes;
    struct em_ledge *edges; size_t n_edges;
    struct em_lcluster *clusters; size_t n_clusters;
};

/* Serialises the laid-out graph g (after gvLayout) into out: one text record per
 * graph, cluster, node and edge. origin: the Graphviz point that becomes (0, 0), {left,
 * top}; NULL: the top left of the drawing's bounding box. Runs in the layout child.
 * Returns 0 or -1 (no memory). */
int em_layout_serialise(Agraph_t *g, const double *origin, struct em_buf *out);

/* Moves every edge xlabel (the 未申告 mark) that overlaps a node or an earlier label to
 * the nearest free spot beside its edge's spline (points tried from the middle out,
 * above, below, left, right). Graphviz places xlabels first-come and lets them sit on
 * nodes when it finds no room. Runs after the layout, before drawing. Returns the
 * number of labels that found no free spot (left where Graphviz put them). */
int em_layout_place_labels(Agraph_t *g);

/* Parses what em_layout_serialise wrote into a new em_layout (em_layout_free it).
 * Returns NULL on malformed input or no memory. */
struct em_layout *em_layout_parse(const char *data, size_t len);

void em_layout_free(struct em_layout *l);

/* The node with this id, or NULL. Linear. */
const struct em_lnode *em_layout_node(const struct em_layout *l, const char *id);

/* The plain text of a Graphviz HTML-like label: tags dropped, <br/> as '\n', entities
 * decoded. Returns a malloc'd string (caller frees) or NULL. */
char *em_layout_plain_label(const char *html);

#endif
