/* render_layout.c — the layout as data (render/layout.c) and the format table
 * (render/writers.c): a laid-out graph survives serialise → parse with every node, edge
 * and cluster; edge labels (未申告 xlabels) never overlap a node box; the table has one
 * row per extension. Lays out in a forked child, as render.c does. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <graphviz/gvc.h>

#include "mapper/lang.h"
#include "render/graph.h"
#include "render/layout.h"
#include "render/out.h"
#include "render/render.h"
#include "tests/unit/render_fixture.h"
#include "tests/unit/t.h"

static GVC_t *gvc;

/* The fixture with discovery: two undeclared devices and links only discovery saw
 * (each with its 未申告 xlabel). */
static struct em_model *disc_model(void)
{
    struct em_model *m = fx_model();
    const char *ids[] = {"disc-sw1", "disc-sw2"};
    for (int k = 0; k < 2; k++) {
        size_t nd = fx_dev(m, ids[k], EM_DEV_OTHER, "", "", "", 0, 1);
        m->devices[nd].source = EM_SRC_DISCOVERED;
        m->devices[nd].hostname = em_pool_printf(m->pool, "core-sw%d", k + 1);
        fx_edge(m, k ? "disc-sw1" : "dev-1-2", ids[k], false, false, 0);
        m->edges[m->n_edges - 1].discovered = true;
    }
    fx_edge(m, "disc-sw2", "dev-3-1", false, false, 0);
    m->edges[m->n_edges - 1].discovered = true;
    return m;
}

/* Lays m out as the layout child does (in a child: Graphviz's font caches then never
 * live in this process), and parses what it sends back. */
static struct em_layout *lay_out(struct em_model *m)
{
    struct em_err err = {0};
    struct em_graph_opts go = {.mode = EM_GRAPH_FULL, .date = "2026-11-20"};
    Agraph_t *g = em_graph_build(m, &go, &err);
    T_ASSERT(g);
    int fds[2];
    T_ASSERT(pipe(fds) == 0);
    pid_t pid = fork();
    T_ASSERT(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        struct em_buf b = {0};
        int stuck = gvLayout(gvc, g, "dot") != 0 ? -1 : em_layout_place_labels(g);
        if (stuck != 0 || em_layout_serialise(g, NULL, &b) != 0) _exit(3);
        for (size_t off = 0; off < b.len;) {
            ssize_t w = write(fds[1], b.p + off, b.len - off);
            if (w <= 0) _exit(4);
            off += (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    struct em_buf b = {0};
    char chunk[65536];
    ssize_t r;
    while ((r = read(fds[0], chunk, sizeof chunk)) > 0) em_buf_add(&b, chunk, (size_t)r);
    close(fds[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    T_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);   /* 3: a label found no free spot */
    struct em_layout *l = em_layout_parse(b.p ? b.p : "", b.len);
    T_ASSERT(l);
    T_EQ_INT(l->n_nodes, (size_t)agnnodes(g));
    agclose(g);
    em_buf_free(&b);
    return l;
}

static void t_round_trip(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = disc_model();
    struct em_layout *l = lay_out(m);
    T_ASSERT(l->w > 100 && l->h > 100);
    T_ASSERT(l->n_clusters == 1 && strcmp(l->clusters[0].id, "site") == 0);
    const struct em_lnode *n = em_layout_node(l, "line-1");
    T_ASSERT(n && n->w > 10 && n->h > 10 && strcmp(n->cluster, "site") == 0);
    T_ASSERT(strstr(n->text, "回線1") && !strchr(n->text, '<'));
    const struct em_lnode *net = em_layout_node(l, "net-internet");
    T_ASSERT(net && strcmp(net->cluster, "") == 0 && strcmp(net->shape, "ellipse") == 0);
    /* every node inside the drawing, every cluster member inside its box */
    for (size_t i = 0; i < l->n_nodes; i++) {
        const struct em_lnode *x = &l->nodes[i];
        T_ASSERT(x->x - x->w / 2 >= -1 && x->x + x->w / 2 <= l->w + 1);
        T_ASSERT(x->y - x->h / 2 >= -1 && x->y + x->h / 2 <= l->h + 1);
        if (*x->cluster) {
            const struct em_lcluster *c = &l->clusters[0];
            T_ASSERT(x->x - x->w / 2 >= c->x0 - 1 && x->x + x->w / 2 <= c->x1 + 1);
            T_ASSERT(x->y - x->h / 2 >= c->y0 - 1 && x->y + x->h / 2 <= c->y1 + 1);
        }
    }
    /* edges: ends are node ids, splines have points */
    size_t with_label = 0;
    for (size_t i = 0; i < l->n_edges; i++) {
        T_ASSERT(em_layout_node(l, l->edges[i].tail) && em_layout_node(l, l->edges[i].head));
        T_ASSERT(l->edges[i].n_pts >= 2);
        if (l->edges[i].has_label) with_label++;
    }
    T_EQ_INT(with_label, 3);
    em_layout_free(l);
    em_model_free(m);
}

static bool boxes_overlap(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh)
{
    return fabs(ax - bx) * 2 < aw + bw && fabs(ay - by) * 2 < ah + bh;
}

/* The geometry of labels: no edge label box overlaps a node box. */
static void t_labels_clear_of_nodes(void)
{
    em_lang_set(EM_LANG_JA);
    struct em_model *m = disc_model();
    struct em_layout *l = lay_out(m);
    for (size_t i = 0; i < l->n_edges; i++) {
        const struct em_ledge *e = &l->edges[i];
        if (!e->has_label) continue;
        T_ASSERT(strstr(e->label, "未申告"));
        for (size_t k = 0; k < l->n_nodes; k++) {
            const struct em_lnode *n = &l->nodes[k];
            if (boxes_overlap(e->lx, e->ly, e->lw, e->lh, n->x, n->y, n->w, n->h))
                T_FAIL("label of %s at (%.0f,%.0f %.0fx%.0f) overlaps node %s (%.0f,%.0f %.0fx%.0f)", e->id, e->lx, e->ly,
                       e->lw, e->lh, n->id, n->x, n->y, n->w, n->h);
        }
    }
    em_layout_free(l);
    em_model_free(m);
}

static void t_plain_label(void)
{
    char *s = em_layout_plain_label("<b>回線3</b>&#160;NTT<br/>A &amp; B &lt;x&gt;");
    T_EQ_STR(s, "回線3 NTT\nA & B <x>");
    free(s);
    T_ASSERT(em_layout_parse("X\tbad\n", 6) == NULL);
    T_ASSERT(em_layout_parse("N\tonly-two\n", 10) == NULL);
}

static void t_writer_table(void)
{
    for (size_t i = 0; i < em_n_writers; i++) {
        /* each format has exactly one way to make its bytes: whole (write) or streamed */
        T_ASSERT(em_writers[i].ext[0] && (em_writers[i].write != NULL) != (em_writers[i].stream != NULL));
        for (size_t k = 0; em_writers[i].ext[k]; k++)
            T_ASSERT(em_writer_of(em_writers[i].ext[k]) == &em_writers[i]);   /* each extension once */
        if (em_writers[i].draw) T_ASSERT(em_writers[i].needs & EM_NEED_LAYOUT);
    }
    T_ASSERT(em_writer_of("map.DRAWIO") && em_writer_of("map.drawio")->write == em_out_write_drawio);
    /* the outputs as big as the model are streamed into their files */
    T_ASSERT(em_writer_of("m.json")->stream == em_out_stream_json && em_writer_of("r.HTML")->stream == em_out_stream_html);
}

static void t_setup(void) { gvc = gvContext(); T_ASSERT(gvc); }

static void t_teardown(void)
{
    T_ASSERT(gvFreeContext(gvc) == 0);
    gvc = NULL;
}

static const struct t_case cases[] = {
    {"setup", t_setup},
    {"layout_data_round_trip", t_round_trip},
    {"edge_labels_clear_of_nodes", t_labels_clear_of_nodes},
    {"plain_label_text", t_plain_label},
    {"one_writer_per_extension", t_writer_table},
    {"teardown", t_teardown},
};
T_MAIN(cases)
