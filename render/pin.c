/* pin.c — hand-placed positions (--layout): after dot has placed every node, the nodes
 * the user placed move to their positions, the others keep dot's place (moved down
 * past any node they would overlap), each cluster is boxed around its nodes, and
 * Graphviz's neato in no-op mode (-n, engine "nop") routes the edges and finishes the
 * layout with every node where it was put. Runs in the layout child.
 *
 * Frames: dot's y grows upwards; a pin is in the exported drawing's frame (origin at
 * the top of the drawing, y down), so dot's positions are shifted by the drawing's top
 * and pins flipped: y_gv = -y_pin. An unmoved node comes back where it was. */
#include "render/pin.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define GAP 6.0   /* points kept between a placed node and its neighbours */

struct place {
    Agnode_t *n;
    double x, y, w, h;   /* centre, y up */
    bool pinned;
};

static bool overlaps(const struct place *a, const struct place *b)
{
    return a->x - a->w / 2 - GAP < b->x + b->w / 2 && b->x - b->w / 2 - GAP < a->x + a->w / 2 &&
           a->y - a->h / 2 - GAP < b->y + b->h / 2 && b->y - b->h / 2 - GAP < a->y + a->h / 2;
}

/* Moves each node not pinned down (y decreasing) past any node already final that it
 * overlaps; pinned nodes are final from the start. */
static void settle(struct place *pl, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (pl[i].pinned) continue;
        for (size_t tries = 0; tries <= n; tries++) {
            bool moved = false;
            for (size_t k = 0; k < n; k++) {
                if (k == i || !(pl[k].pinned || k < i) || !overlaps(&pl[i], &pl[k])) continue;
                pl[i].y = pl[k].y - pl[k].h / 2 - GAP - pl[i].h / 2 - 0.5;
                moved = true;
            }
            if (!moved) break;
        }
    }
}

/* Each cluster's "bb" (and its label's "lp") from its nodes, for nop to keep. */
static void box_clusters(Agraph_t *g, GHashTable *where)
{
    for (Agraph_t *c = agfstsubg(g); c; c = agnxtsubg(c)) {
        if (strncmp(agnameof(c), "cluster", 7) != 0) continue;
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        bool any = false;
        for (Agnode_t *n = agfstnode(c); n; n = agnxtnode(c, n)) {
            const struct place *p = g_hash_table_lookup(where, n);
            if (!p) continue;
            if (!any || p->x - p->w / 2 < x0) x0 = p->x - p->w / 2;
            if (!any || p->x + p->w / 2 > x1) x1 = p->x + p->w / 2;
            if (!any || p->y - p->h / 2 < y0) y0 = p->y - p->h / 2;
            if (!any || p->y + p->h / 2 > y1) y1 = p->y + p->h / 2;
            any = true;
        }
        if (!any) continue;
        char bb[128], lp[64];
        snprintf(bb, sizeof bb, "%.2f,%.2f,%.2f,%.2f", x0 - 8, y0 - 8, x1 + 8, y1 + 24);
        snprintf(lp, sizeof lp, "%.2f,%.2f", (x0 + x1) / 2, y1 + 14);
        agsafeset(c, (char *)"bb", bb, (char *)"");
        agsafeset(c, (char *)"lp", lp, (char *)"");
        box_clusters(c, where);
    }
}

int em_pin_layout(GVC_t *gvc, Agraph_t *g, const struct em_drawio_pos *pins, size_t n_pins, bool straight,
                  size_t *pinned, double origin[2])
{
    *pinned = 0;
    GHashTable *pin_of = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < n_pins; i++) g_hash_table_insert(pin_of, pins[i].id, (gpointer)&pins[i]);
    double top = GD_bb(g).UR.y;
    size_t n = (size_t)agnnodes(g);
    struct place *pl = calloc(n ? n : 1, sizeof *pl);
    if (!pl) {
        g_hash_table_destroy(pin_of);
        return -1;
    }
    GHashTable *where = g_hash_table_new(g_direct_hash, g_direct_equal);
    size_t k = 0;
    for (Agnode_t *v = agfstnode(g); v && k < n; v = agnxtnode(g, v), k++) {
        const char *id = agget(v, (char *)"id");
        const struct em_drawio_pos *p = id ? g_hash_table_lookup(pin_of, id) : NULL;
        pl[k] = (struct place){v, ND_coord(v).x, ND_coord(v).y - top, ND_width(v) * 72, ND_height(v) * 72, p != NULL};
        if (p) {
            pl[k].x = p->x;
            pl[k].y = -p->y;
            (*pinned)++;
        }
        g_hash_table_insert(where, v, &pl[k]);
    }
    settle(pl, k);
    gvFreeLayout(gvc, g);
    for (size_t i = 0; i < k; i++) {
        char pos[64];
        snprintf(pos, sizeof pos, "%.2f,%.2f!", pl[i].x, pl[i].y);
        agsafeset(pl[i].n, (char *)"pos", pos, (char *)"");
    }
    box_clusters(g, where);
    /* edges around the nodes; straight lines when that fails */
    agsafeset(g, (char *)"splines", (char *)(straight ? "line" : "true"), (char *)"");
    /* dot keeps nodes 5 pt apart (nodesep): route with less than half of that around
     * each node, or neato finds them "touching" and draws straight lines */
    agsafeset(g, (char *)"esep", (char *)"+1.5", (char *)"");
    /* no overlap removal: the nodes are settled already, and the removal (GTS's
     * triangulation) aborts on some layouts */
    agsafeset(g, (char *)"overlap", (char *)"true", (char *)"");
    int rc = gvLayout(gvc, g, "nop");
    if (rc != 0) {
        agsafeset(g, (char *)"splines", (char *)"line", (char *)"");
        rc = gvLayout(gvc, g, "nop");
    }
    /* nop translated the drawing: find the pins' frame again from a pinned node */
    origin[0] = GD_bb(g).LL.x;
    origin[1] = GD_bb(g).UR.y;
    for (size_t i = 0; rc == 0 && i < k; i++)
        if (pl[i].pinned) {
            origin[0] = ND_coord(pl[i].n).x - pl[i].x;
            origin[1] = ND_coord(pl[i].n).y - pl[i].y;
            break;
        }
    g_hash_table_destroy(where);
    g_hash_table_destroy(pin_of);
    free(pl);
    return rc;
}
