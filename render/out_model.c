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

/* The model JSON through the caller's writer (mapper's, see render.h). */
int em_out_write_json(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err)
{
    if (!c->o->json)
        return em_err_set(err, EM_ERR_USAGE, c->path, "", 0, "", "%s",
                          em_tr("JSON出力はこのビルドでは使えません", "JSON output is not available in this build"));
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    if (!f) return em_err_set(err, EM_ERR_NOMEM, c->path, "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    int jr = c->o->json(f, c->m);
    if (fclose(f) != 0 || jr != 0) {
        free(p);
        return em_err_set(err, EM_ERR_IO, c->path, "", 0, "", "%s", em_tr("JSONを書き出せません", "cannot write JSON"));
    }
    take(out, p, n);
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

int em_out_write_html(const struct em_out_ctx *c, struct em_buf *out, struct em_err *err)
{
    char *p = NULL;
    size_t n = 0;
    int rc = c->o->html ? c->o->html(c->svg, c->o->html_ctx, &p, &n, err)
                        : em_report_html(c->m, c->svg, c->date, &p, &n, err);
    if (rc) return rc;
    take(out, p, n);
    return EM_OK;
}
