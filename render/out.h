/* out.h — every output format is one writer behind one table (render/-internal).
 *
 * A row is {extensions, what it needs, draw in the layout child, write in the parent}.
 * Adding a format is one new file with its functions and one row in writers.c; the
 * run (render.c) knows no format by name. Implemented by writers.c (the table and
 * lookup); the writers by out_graphviz.c (svg pdf png), out_model.c (dot json csv
 * html) and out_drawio.c. */
#ifndef EM_RENDER_OUT_H
#define EM_RENDER_OUT_H
#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>

#include <graphviz/gvc.h>

#include "mapper/err.h"
#include "mapper/model.h"
#include "render/buf.h"
#include "render/layout.h"
#include "render/render.h"

/* What a writer needs before its write() runs. */
enum {
    EM_NEED_LAYOUT = 1 << 0,   /* the layout child must run (layout data, drawings) */
    EM_NEED_SVG = 1 << 1,      /* the SVG drawing as well (the HTML report inlines it) */
    EM_NEED_OPTIONAL = 1 << 2, /* a failed layout is a warning: write() gets no layout */
};

/* What a writer gets in the parent. */
struct em_out_ctx {
    const struct em_model *m;
    struct em_render_opts *o;
    const char *date;                 /* the title date */
    const char *path;                 /* the file being written (for messages) */
    Agraph_t *pre;                    /* the full graph before layout */
    const struct em_layout *layout;   /* NULL when not laid out (or failed, optional) */
    const struct em_buf *drawn;       /* this writer's bytes from the child (draw != NULL) */
    const char *svg;                  /* the SVG drawing when EM_NEED_SVG, else NULL */
};

struct em_writer {
    const char *ext[3];               /* ".svg", … (case-insensitive); NULL-terminated */
    unsigned needs;
    /* In the layout child, after the layout: draw g into out. NULL: nothing to draw. */
    int (*draw)(GVC_t *gvc, Agraph_t *g, struct em_buf *out);
    /* In the parent: the file's bytes into out. Returns 0 or a negative enum em_rc
     * with err filled. */
    int (*write)(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err);
    /* Instead of write, for outputs as big as the model (JSON: ~5 KB a record row):
     * the file's bytes streamed into f (the output set's temp), never held whole in
     * memory. Returns 0 or a negative enum em_rc with err filled. NULL: use write. */
    int (*stream)(const struct em_out_ctx *c, FILE *f, struct em_err *err);
};

extern const struct em_writer em_writers[];
extern const size_t em_n_writers;

/* The table row of path's extension, or NULL. */
const struct em_writer *em_writer_of(const char *path);

/* The list of known extensions for messages: ".svg .pdf …" (static storage). */
const char *em_writer_exts(void);

/* out_graphviz.c */
int em_out_draw_svg(GVC_t *gvc, Agraph_t *g, struct em_buf *out);
int em_out_draw_pdf(GVC_t *gvc, Agraph_t *g, struct em_buf *out);
int em_out_draw_png(GVC_t *gvc, Agraph_t *g, struct em_buf *out);
int em_out_write_drawn(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err);

/* out_model.c */
int em_out_write_dot(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err);
int em_out_stream_json(const struct em_out_ctx *c, FILE *f, struct em_err *err);
int em_out_write_csv(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err);
int em_out_stream_html(const struct em_out_ctx *c, FILE *f, struct em_err *err);

/* out_drawio.c */
int em_out_write_drawio(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err);

#endif
