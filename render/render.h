/* render.h — the configuration diagram (構成見える化), the HTML report, the scan
 * target list and redaction. Only our own types cross this header: Graphviz and cairo
 * stay inside the render/ sources, so cmd/ and the tests see nothing of them.
 *
 * One em_render_files() call parses nothing: it takes a finished model, builds one
 * graph, lays it out once (in a child process with a deadline, with fallbacks) and
 * writes every requested output into the caller's output set (mapper/outset.h): the
 * files of a run are written all or none. */
#ifndef EM_RENDER_H
#define EM_RENDER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mapper/diff.h"
#include "mapper/drawio.h"
#include "mapper/err.h"
#include "mapper/model.h"
#include "mapper/outset.h"

/* Whether path's extension names a format em_render_files() writes (case-insensitive;
 * the formats are one table, render/writers.c). */
bool em_render_known(const char *path);

/* The known extensions for messages: ".svg .pdf .png …" (static storage). */
const char *em_render_formats(void);

/* Writes the model JSON into f; supplied by the caller (the JSON writer is mapper's)
 * so render/ does not depend on it. Returns 0 or -1. */
typedef int (*em_json_writer)(FILE *f, const struct em_model *m);

struct em_render_opts {
    double timeout_s;       /* layout deadline; <= 0: $EDGEMAP_LAYOUT_TIMEOUT or 60 */
    const char *date;       /* date printed in the title; NULL/"": the model's survey
                             * date, else today */
    em_json_writer json;    /* for .json outputs; NULL: .json is refused */
    /* --layout: positions of nodes the user placed (a .drawio read by em_drawio_read),
     * matched by node id; those nodes keep them, the others are placed around them.
     * NULL / 0: dot places everything. */
    const struct em_drawio_pos *pins;
    size_t n_pins;
    size_t pinned;          /* filled: how many nodes of the diagram were pinned */
    /* the drawn diff (set by em_render_diff): marks per node/edge id, and the HTML
     * written instead of the survey report; NULL for a plain diagram */
    const struct em_diff_marks *diff;
    int (*html)(const char *svg, void *ctx, char **out, size_t *len, struct em_err *err);
    void *html_ctx;
    /* filled by em_render_files(): how the layout was made, and what the caller
     * should show the user (layout fallbacks, Graphviz's messages), one per line */
    char layout_used[16];   /* "dot", "dot-flat", "grid", "" when no layout was needed */
    char warnings[4096];
};

/* Renders m into each output of set (mapper/outset.h) by its path's extension (.svg
 * .pdf .png .dot .json .html .csv .drawio; the formats are one table, render/writers.c).
 * Warnings (layout fallbacks, Graphviz messages) go to opts->warnings. Returns 0, or a
 * negative enum em_rc with err filled. The caller commits the set (em_outset_commit)
 * on success; until then no file is replaced. */
int em_render_files(const struct em_model *m, struct em_outset *set,
                    struct em_render_opts *opts, struct em_err *err);

struct em_diff_marks;

/* The drawn diff between two rounds (`edgemap diff -o`): the union of old and new laid
 * out once, added 追加 (thick), removed 削除 (grey, dashed, struck through), changed 変更
 * (old → new on the node), unchanged lighter; a legend of those marks. set's outputs:
 * .svg .pdf .png .drawio, and .html (the list of changes d with the drawing); the caller
 * commits it. Both models stay alive during the call. Returns 0 or a negative enum em_rc with err filled. */
int em_render_diff(const struct em_model *old, const struct em_model *new_, const struct em_diff *d,
                   struct em_outset *set, struct em_render_opts *opts, struct em_err *err);

/* Loads the Graphviz context and fontconfig (configuration, caches, the diagram's
 * fonts) into this process once, so that the layout children forked for each graph
 * afterwards (and the workers of a batch forked after this call) inherit them. For
 * processes that draw many graphs (`fleet render`); a single `render` gains nothing.
 * Returns 0, or -1 when the warm-up failed (drawing still works, each child then loads
 * them itself). */
int em_render_warm(void);

/* Frees Graphviz's context (kept for the process, see render.c). Call once at exit;
 * rendering again afterwards works but may trip a Graphviz 2.43 font-cache bug. */
void em_render_cleanup(void);

/* The DOT of the diagram before layout, into *out (malloc'd, caller frees). Stable text
 * for golden tests. Returns 0 or a negative enum em_rc. */
int em_render_dot(const struct em_model *m, const struct em_render_opts *opts,
                  char **out, size_t *len, struct em_err *err);

/* The scan target list as CSV (UTF-8 with BOM, CRLF) into *out (malloc'd, caller
 * frees): the in-scope paths that asked for a scan. Returns 0 or EM_ERR_NOMEM. */
int em_targets_csv(const struct em_model *m, char **out, size_t *len, struct em_err *err);

/* The self-contained HTML report into *out (malloc'd, caller frees). svg is the
 * diagram to inline (may be NULL: the report then says the diagram is missing). */
int em_report_html(const struct em_model *m, const char *svg, const char *date,
                   char **out, size_t *len, struct em_err *err);
/* The same report streamed into f (a report of 100,000 rows is ~170 MB: never held
 * whole). Returns 0 or a negative enum em_rc (EM_ERR_IO when f refused a write). */
int em_report_html_stream(const struct em_model *m, const char *svg, const char *date, FILE *f, struct em_err *err);

/* Replaces global IPs, FQDNs, host names and management addresses in the model by
 * stable placeholders (IP-1, FQDN-1, HOST-1 in order of first appearance), in their
 * fields and wherever they occur in free text (remarks, findings, extra columns).
 * Any other IPv4 address in free text becomes an IP-n too. Returns 0 or EM_ERR_NOMEM. */
int em_redact_model(struct em_model *m, struct em_err *err);

/* Replaces the input file names in the model (sources, every row's and finding's file,
 * scan files) by INPUT-1.xlsx, INPUT-2.csv … in command-line order, and wherever a
 * finding's message quotes them. For outputs only: the inputs cannot be opened by
 * their names afterwards. Returns 0 or EM_ERR_NOMEM. */
int em_redact_inputs(struct em_model *m, struct em_err *err);

#endif
