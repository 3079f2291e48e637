/* out_model.c — the writers that need no layout of their own: the DOT of the graph
 * before layout, the model JSON, the scan target CSV, and the HTML report (which
 * inlines the SVG when there is one). */
#include "render/out.h"

#include <stdio.h>
#include <stdlib.h>

#include "mapper/lang.h"

/* Moves a malloc'd, NUL-terminated text of n bytes into the empty buffer out (which
 * then owns it): no copy of a report of many megabytes. */
static void take(struct em_buf *out, char *p, size_t n)
{
    if (out->p || !p) {
        em_buf_add(out, p ? p : "", p ? n : 0);
        free(p);
        return;
    }
    out->p = p;
    out->len = n;
    out->cap = n + 1;
}

/* agwrite of the graph as built, before any layout: stable text for goldens. */
int em_out_write_dot(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    int rc = f ? agwrite(c->pre, f) : -1;
    if (!f || fclose(f) != 0 || rc != 0) {
        free(p);
        return em_err_set(err, EM_ERR_NOMEM, c->path, "", 0, "", "%s", em_tr("DOTを書き出せません", "cannot write DOT"));
    }
    take(out, p, n);
    return EM_OK;
}

/* The model JSON through the caller's writer (mapper's, see render.h), streamed into
 * the output's temp file: the JSON of a 100,000-row survey is ~500 MB. */
int em_out_stream_json(const struct em_out_ctx *c, FILE *f, struct em_err *err)
{
    if (!c->o->json)
        return em_err_set(err, EM_ERR_USAGE, c->path, "", 0, "", "%s",
                          em_tr("JSON出力はこのビルドでは使えません", "JSON output is not available in this build"));
    if (c->o->json(f, c->m) != 0)
        return em_err_set(err, EM_ERR_IO, c->path, "", 0, "", "%s", em_tr("JSONを書き出せません", "cannot write JSON"));
    return EM_OK;
}

int em_out_write_csv(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err)
{
    char *p = NULL;
    size_t n = 0;
    int rc = em_targets_csv(c->m, &p, &n, err);
    if (rc) return rc;
    take(out, p, n);
    return EM_OK;
}

/* The HTML report streamed into the output's temp (the survey report, ~1.7 KB a record
 * row); a caller's own report (the drawn diff) comes whole from its callback. */
int em_out_stream_html(const struct em_out_ctx *c, FILE *f, struct em_err *err)
{
    if (!c->o->html) return em_report_html_stream(c->m, c->svg, c->date, f, err);
    char *p = NULL;
    size_t n = 0;
    int rc = c->o->html(c->svg, c->o->html_ctx, &p, &n, err);
    if (rc == 0 && n && fwrite(p, 1, n, f) != n)
        rc = em_err_set(err, EM_ERR_IO, c->path, "", 0, "", "%s", em_tr("レポートを書き出せません", "cannot write the report"));
    free(p);
    return rc;
}
