/* graph.h — the model as a cgraph graph (render/-internal). */
#ifndef EM_RENDER_GRAPH_H
#define EM_RENDER_GRAPH_H
#include <stdbool.h>

#include <graphviz/cgraph.h>

#include "mapper/err.h"
#include "mapper/model.h"

/* The font list every label names: the first is embedded in PDF/PNG (pango picks it),
 * the whole list becomes the SVG font-family so viewers without Noto fall back. */
#define EM_FONTS "Noto Sans CJK JP,IPAexGothic,Hiragino Sans,Yu Gothic,Meiryo,sans-serif"

enum em_graph_mode {
    EM_GRAPH_FULL = 0,   /* the hospital as a cluster, dot's ranks */
    EM_GRAPH_FLAT,       /* no cluster (the fallback when dot fails on clusters) */
    EM_GRAPH_GRID,       /* no cluster, every node given a fixed position (last resort) */
};

struct em_diff_marks;

struct em_graph_opts {
    enum em_graph_mode mode;
    const char *date;    /* title date, "" for none */
    const struct em_diff_marks *diff;   /* the drawn diff's marks, or NULL */
};

/* Builds the diagram of m. Returns a new graph (agclose() it) or NULL with err filled. */
Agraph_t *em_graph_build(const struct em_model *m, const struct em_graph_opts *o,
                         struct em_err *err);

/* Localised date for the title: opts date, else the model's survey date, else today.
 * Writes into buf. */
void em_graph_date(const struct em_model *m, const char *given, char *buf, size_t size);

#endif
