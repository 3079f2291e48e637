/* diff_draw.h — the drawn diff's data (render/-internal): the union of two rounds and
 * the mark of each node and edge. Implemented by diff_draw.c; applied to the graph by
 * graph_diff.c. */
#ifndef EM_RENDER_DIFF_DRAW_H
#define EM_RENDER_DIFF_DRAW_H
#include <stddef.h>

#include "mapper/diff.h"
#include "mapper/err.h"
#include "mapper/model.h"

struct em_diff_marks;

struct em_diff_mark {
    enum em_diff_op op;     /* added / removed / changed */
    const char *text;       /* changed: "field: old → new" lines; "" otherwise */
};

/* The mark of a node or edge id, or NULL (unchanged). dm may be NULL. */
const struct em_diff_mark *em_diff_mark_of(const struct em_diff_marks *dm, const char *id);

/* A new model with everything of new_ plus what only old had (strings shared with both:
 * keep them alive while it is used; em_model_free it), and *marks (em_diff_marks_free;
 * set even on failure). NULL when out of memory. */
struct em_model *em_diff_union(const struct em_model *old, const struct em_model *new_, const struct em_diff *d,
                               struct em_diff_marks **marks);
void em_diff_marks_free(struct em_diff_marks *dm);

/* The changes as a self-contained HTML page with the drawing (svg may be NULL). */
int em_diff_report_html(const struct em_diff *d, const char *svg, const char *title, char **out, size_t *len,
                        struct em_err *err);

#endif
