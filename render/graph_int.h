/* graph_int.h — what the graph_*.c files share (render/-internal): the builder's state,
 * the colours and mark bits, and the helpers each file offers the others. Implemented
 * by graph.c (structure, attributes, bands, edges), graph_marks.c (labels and marks),
 * graph_tips.c (tooltips), graph_plan.c (groups, bands, columns) and graph_legend.c. */
#ifndef EM_RENDER_GRAPH_INT_H
#define EM_RENDER_GRAPH_INT_H
#include <stdbool.h>
#include <stddef.h>

#include <glib.h>
#include <graphviz/cgraph.h>

#include "mapper/model.h"
#include "render/buf.h"
#include "render/graph.h"

#define RED "#c00000"
#define GREY "#808080"
#define GREY_TEXT "#555555"
#define EMR_FILL "#fff2cc"
#define ORANGE "#e07000"
#define EM_LABEL_MAX 80
#define EM_TIP_MAX 600
#define PALE "#eeeeee"
#define VENDOR "#1f4e99"   /* the vendor chain: party → its lines */
/* Between runs of different style Graphviz emits separate SVG <text> elements and a
 * plain leading space is dropped by browsers: use a no-break space there. */
#define NBSP "&#160;"

/* Marks seen while building, so the legend lists only these. */
enum {
    MK_TARGET = 1 << 0, MK_OUT = 1 << 1, MK_ASSET = 1 << 2, MK_UNKNOWN = 1 << 3,
    MK_MAINT = 1 << 4, MK_CONTRACT = 1 << 5, MK_CVE = 1 << 6, MK_RENTAL = 1 << 7,
    MK_DYNAMIC = 1 << 8, MK_TERMINALS = 1 << 9, MK_UNDECLARED = 1 << 10, MK_UNSEEN = 1 << 11,
    MK_SERVICES = 1 << 12, MK_TARGET_NOREQ = 1 << 13, MK_VENDOR = 1 << 14,
    MK_DIFF_ADDED = 1 << 15, MK_DIFF_REMOVED = 1 << 16, MK_DIFF_CHANGED = 1 << 17, MK_EVIDENCE = 1 << 18,
    MK_INFERRED = 1 << 19, MK_ENDPOINTS = 1 << 20, MK_WAYOUT = 1 << 21,
};

struct grp;
struct eagg;

/* Side-by-side bands (see plan_bands): at most this many. */
#define EM_BANDS_MAX 3

struct gb {
    const struct em_model *m;
    const struct em_graph_opts *o;
    Agraph_t *g, *hosp;           /* hosp == g in flat/grid modes */
    /* bands: lines split into chains drawn side by side (n_bands 0 or 1: one chain);
     * band_of: node id -> bit mask of the bands it is drawn in (outside networks,
     * segments and 電子カルテ系 get a copy per band, lines and devices are drawn once) */
    int n_bands;
    bool party_column;        /* parties in a column of their own, left of the networks */
    Agraph_t *band_g[EM_BANDS_MAX];
    GHashTable *band_of;
    unsigned marks;
    struct em_buf tmp, tip;
    /* big maps: model node id -> the id of the aggregate node drawn instead
     * (NULL when every node is drawn itself) */
    GHashTable *rep;
    struct grp *groups; size_t n_groups;
    GHashTable *labels;       /* node id -> short label, for edge tooltips */
    /* in-scope paths by the device that terminates them: head[d], next[p] */
    size_t *tgt_head, *tgt_next;
    /* open services from scans by the device terminating their path: head[d], next[s] */
    size_t *svc_head, *svc_next;
    /* parties: model id -> the id of its company's node (other spellings), and the
     * set of parties that are ISPs (not drawn as vendors); see graph_party.c */
    GHashTable *party_rep, *isp;
    bool discovery;           /* a discovery file was merged: unseen devices are marked */
    /* big discovered maps: endpoints behind one switch drawn as one node (graph_endpoints.c);
     * erep: device id -> its aggregate's id (NULL when none is aggregated) */
    struct eagg *eaggs; size_t n_eaggs;
    GHashTable *erep;
    /* grid mode: next free row per column */
    double grid_y[8];
    double grid_x[8];
};

/* ---------------------------------------------------------------- big maps */

/* Above this many lines the diagram groups lines that read alike (same outside
 * network, carrier, service, scope and contract holder) into one node "回線 ×k", and
 * the devices only those lines use into one node per slot, so the page stays
 * printable. Below it every line is drawn. */
#define EM_GROUP_LINES 60

#define EM_GROUP_MAX_NODES 24

struct grp {
    char *id;                 /* "grp-<first line id>" */
    size_t *lines; size_t n;  /* indices into model->lines */
    int level;                /* 0: one carrier+service; 1: mixed services; 2: mixed networks */
};

#define EM_BAND_ROWS 115

/* More than this many endpoints behind one switch (discovered devices whose only link
 * is a discovered one to it: inferred from its forwarding/ARP tables, or LLDP/CDP) are drawn as one node "端末 N台（sw 経由）";
 * EDGEMAP_GROUP_ENDPOINTS overrides it (0: never). The tooltip lists this many of them. */
#define EM_GROUP_ENDPOINTS 8
#define EM_ENDPOINT_TIP_MAX 40

struct eagg {
    const char *id;           /* "eagg-<switch id>", in the model pool */
    size_t up;                /* the switch (model device index); EM_NONE: "eagg-unlinked" */
    size_t *members; size_t n;  /* model device indices, in model order */
    size_t n_inferred;        /* members whose link was inferred from forwarding/ARP tables */
};

static inline bool blank(const char *s) { return !s || !*s; }

/* graph.c */
extern size_t em_gb_set_failures;

/* graph.c */
void em_gb_set(void *obj, const char *name, const char *value);
void em_gb_set_html(void *obj, const char *html);
size_t em_gb_cut_at(const char *s, size_t max_chars);
void em_gb_label_html(struct em_buf *b, const char *s);
void em_gb_grid_place(struct gb *gb, Agnode_t *n, int col, const char *label_text, int lines);
Agnode_t *em_gb_mknode(Agraph_t *where, const char *id);
unsigned em_gb_band_mask(const struct gb *gb, const char *id);
int em_gb_first_band(unsigned mask);
Agraph_t *em_gb_band_home(const struct gb *gb, int b);
Agraph_t *em_gb_home(const struct gb *gb, const char *id);
const char *em_gb_band_id(const struct gb *gb, const char *id, int b);
void em_gb_copy_to_bands(struct gb *gb, Agnode_t *n, const char *id, bool outside);
bool em_gb_is_outside_id(const struct em_model *m, const char *id, enum em_node_kind *kind);
const char *em_gb_rep_of(const struct gb *gb, const char *id);
bool em_gb_is_hospital_holder(const struct em_model *m, const char *h);
bool em_gb_line_in_scope(const struct em_model *m, const struct em_line *l);

/* graph_marks.c */
const char *em_gb_outside_kind_text(enum em_node_kind k);
void em_gb_add_outside(struct gb *gb, const struct em_outside *o);
int em_gb_mark_scope(struct gb *gb, Agnode_t *n, struct em_buf *b, bool out, unsigned reasons);
int em_gb_mark_contract(struct gb *gb, struct em_buf *b, const char *holder);
void em_gb_add_line(struct gb *gb, const struct em_line *l);
int em_gb_index_targets(struct gb *gb);
void em_gb_add_device(struct gb *gb, size_t di);
void em_gb_add_segment(struct gb *gb, const struct em_segment *s);
Agnode_t *em_gb_add_emr(struct gb *gb, int band);
void em_gb_mark_edge(struct gb *gb, Agedge_t *ed, const struct em_edge *e);
void em_gb_add_groups(struct gb *gb);

/* graph_tips.c */
void em_gb_add_plain(struct em_buf *b, const char *s);
void em_gb_add_src(struct em_buf *b, const struct em_src *src, const int *rows, size_t n_rows);
void em_gb_tip_field(struct em_buf *b, const char *ja, const char *en, const char *v);
const char *em_gb_device_type_text(const struct em_device *d);
void em_gb_tip_outside(struct gb *gb, Agnode_t *n, const struct em_outside *o);
void em_gb_tip_line(struct gb *gb, Agnode_t *n, const struct em_line *l);
void em_gb_tip_segment(struct gb *gb, Agnode_t *n, const struct em_segment *s);
void em_gb_tip_edge(struct gb *gb, Agedge_t *ed, const struct em_edge *e);
void em_gb_tip_device(struct gb *gb, Agnode_t *n, const struct em_device *d, const char *type);

/* graph_plan.c */
void em_gb_free_groups(struct gb *gb);
void em_gb_plan_groups(struct gb *gb);
void em_gb_plan_bands(struct gb *gb);
void em_gb_plan_party_column(struct gb *gb);
void em_gb_align_columns(struct gb *gb);
void em_gb_order_bands(struct gb *gb);
size_t em_gb_line_rows(const struct gb *gb, const struct em_line *l);

/* graph_endpoints.c */
void em_gb_plan_endpoints(struct gb *gb);
void em_gb_add_endpoint_groups(struct gb *gb);
void em_gb_free_endpoints(struct gb *gb);
bool em_gb_mark_endpoint_edge(struct gb *gb, Agedge_t *ed, const char *from, const char *to);

/* graph_legend.c */
void em_gb_add_legend(struct gb *gb, struct em_buf *out);
void em_gb_add_title(struct gb *gb, const char *legend);

/* graph_diff.c: the drawn diff's marks (gb->o->diff), before the legend */
void em_gb_apply_diff(struct gb *gb);

/* graph_party.c */
void em_gb_plan_parties(struct gb *gb);
void em_gb_free_parties(struct gb *gb);
bool em_gb_party_drawn(const struct gb *gb, const char *id);
void em_gb_tip_party(struct gb *gb, const struct em_outside *o, struct em_buf *t);
void em_gb_add_vendor_edges(struct gb *gb);

#endif
