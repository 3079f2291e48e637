/* diff_draw.c — the drawn diff between two rounds: one model holding the union of both
 * (the new round, plus what only the old one had), laid out once like any diagram, each
 * node and edge marked by what happened to it: 追加 (thick, the word on it), 削除 (grey,
 * dashed, struck through), 変更 (old → new on it), unchanged lighter. Every mark is a
 * word as well as a style, so it survives black-and-white printing. The HTML is the
 * list of changes with the drawing. */
#include "render/diff_draw.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/lang.h"
#include "render/buf.h"
#include "render/render.h"

struct em_diff_marks {
    GHashTable *by_id;      /* node / edge id -> struct em_diff_mark* */
    GStringChunk *text;
};

const struct em_diff_mark *em_diff_mark_of(const struct em_diff_marks *dm, const char *id)
{
    return dm && id ? g_hash_table_lookup(dm->by_id, id) : NULL;
}

static struct em_diff_mark *mark(struct em_diff_marks *dm, const char *id, enum em_diff_op op)
{
    struct em_diff_mark *k = g_hash_table_lookup(dm->by_id, id);
    if (k) {
        if (op != EM_DIFF_CHANGED) k->op = op;
        return k;
    }
    k = g_new0(struct em_diff_mark, 1);
    k->op = op;
    k->text = "";
    g_hash_table_insert(dm->by_id, g_string_chunk_insert(dm->text, id), k);
    return k;
}

static void note(struct em_diff_marks *dm, const char *id, const struct em_change *c)
{
    struct em_diff_mark *k = mark(dm, id, EM_DIFF_CHANGED);
    char *line = g_strdup_printf("%s%s%s: %s → %s", k->text, *k->text ? "\n" : "", em_diff_field_label(c->field),
                                 *c->old_value ? c->old_value : em_tr("（空欄）", "(blank)"),
                                 *c->new_value ? c->new_value : em_tr("（空欄）", "(blank)"));
    k->text = g_string_chunk_insert(dm->text, line);
    g_free(line);
}

/* ---------------------------------------------------------------- the union */

static size_t find_id(const char *id, const void *arr, size_t n, size_t size, size_t off)
{
    for (size_t i = 0; i < n; i++) {
        const char *x = *(const char *const *)(const void *)((const char *)arr + i * size + off);
        if (x && strcmp(x, id) == 0) return i;
    }
    return EM_NONE;
}
#define FIND(key, arr, n, type) find_id((key), (arr), (n), sizeof(type), offsetof(type, id))

/* The edge of m from → to (its id is derived from them, model.h), or EM_NONE. */
static size_t find_edge(const struct em_model *m, const struct em_edge *e)
{
    for (size_t i = 0; i < m->n_edges; i++)
        if (strcmp(m->edges[i].from, e->from) == 0 && strcmp(m->edges[i].to, e->to) == 0) return i;
    return EM_NONE;
}

/* Appends device d of model src to u unless u has its id; returns its index in u. */
static size_t take_device(struct em_model *u, const struct em_device *d)
{
    size_t i = FIND(d->id, u->devices, u->n_devices, struct em_device);
    if (i != EM_NONE) return i;
    i = em_model_add_device(u);
    if (i != EM_NONE) u->devices[i] = *d;
    return i;
}

/* Appends line li of src (with its paths, devices remapped) to u. */
static int take_line(struct em_model *u, const struct em_model *src, size_t li)
{
    const struct em_line *l = &src->lines[li];
    size_t ul = em_model_add_line(u);
    if (ul == EM_NONE) return -1;
    u->lines[ul] = *l;
    u->lines[ul].paths = NULL;
    u->lines[ul].n_paths = 0;
    u->lines[ul].devices = NULL;
    u->lines[ul].n_devices = 0;
    for (size_t k = 0; k < l->n_devices; k++) {
        size_t d = take_device(u, &src->devices[l->devices[k]]);
        if (d == EM_NONE || em_model_push_index(u, &u->lines[ul].devices, &u->lines[ul].n_devices, d) != 0) return -1;
    }
    for (size_t k = 0; k < l->n_paths; k++) {
        const struct em_path *p = &src->paths[l->paths[k]];
        size_t up = em_model_add_path(u);
        if (up == EM_NONE) return -1;
        u->paths[up] = *p;
        u->paths[up].line = ul;
        for (int s = 0; s < 2; s++)
            u->paths[up].dev[s] = p->dev[s] == EM_NONE ? EM_NONE : take_device(u, &src->devices[p->dev[s]]);
        if (em_model_push_index(u, &u->lines[ul].paths, &u->lines[ul].n_paths, up) != 0) return -1;
    }
    return 0;
}

/* Everything of src whose id u does not have yet. */
static int take_all(struct em_model *u, const struct em_model *src)
{
    for (size_t i = 0; i < src->n_lines; i++)
        if (FIND(src->lines[i].id, u->lines, u->n_lines, struct em_line) == EM_NONE && take_line(u, src, i) != 0) return -1;
    for (size_t i = 0; i < src->n_devices; i++)
        if (take_device(u, &src->devices[i]) == EM_NONE) return -1;
    for (size_t i = 0; i < src->n_segments; i++) {
        if (FIND(src->segments[i].id, u->segments, u->n_segments, struct em_segment) != EM_NONE) continue;
        size_t k = em_model_add_segment(u);
        if (k == EM_NONE) return -1;
        u->segments[k] = src->segments[i];
        u->segments[k].terminals = NULL;   /* terminals are not part of the diff drawing */
        u->segments[k].n_terminals = 0;
    }
    for (size_t i = 0; i < src->n_outside; i++) {
        if (FIND(src->outside[i].id, u->outside, u->n_outside, struct em_outside) != EM_NONE) continue;
        size_t k = em_model_add_outside(u);
        if (k == EM_NONE) return -1;
        u->outside[k] = src->outside[i];
    }
    for (size_t i = 0; i < src->n_edges; i++) {
        if (find_edge(u, &src->edges[i]) != EM_NONE) continue;
        size_t k = em_model_add_edge(u);
        if (k == EM_NONE) return -1;
        u->edges[k] = src->edges[i];
    }
    return 0;
}

/* Marks what only one side has: added (only new) or removed (only old). Edges are
 * matched by their ends and marked by their derived id (the drawn edge's "id").
 * 0, or -1 out of memory. */
static int mark_sides(struct em_diff_marks *dm, const struct em_model *a, const struct em_model *b, enum em_diff_op op)
{
#define ONLY(arr, n, type) \
    for (size_t i = 0; i < a->n; i++) \
        if (FIND(a->arr[i].id, b->arr, b->n, type) == EM_NONE) mark(dm, a->arr[i].id, op);
    ONLY(lines, n_lines, struct em_line)
    ONLY(devices, n_devices, struct em_device)
    ONLY(segments, n_segments, struct em_segment)
    ONLY(outside, n_outside, struct em_outside)
#undef ONLY
    for (size_t i = 0; i < a->n_edges; i++) {
        if (find_edge(b, &a->edges[i]) != EM_NONE) continue;
        char ib[EM_EDGE_ID_BUF], *id = em_edge_id(&a->edges[i], ib, sizeof ib);
        if (!id) return -1;
        mark(dm, id, op);
        em_edge_id_free(id, ib);
    }
    return 0;
}

/* The node id a change is about: lines and paths by line No, devices by host name or id. */
static const char *change_node(const struct em_model *m, const struct em_change *c)
{
    if (strcmp(c->kind, "line") == 0 || strcmp(c->kind, "path") == 0) {
        size_t n = strcspn(c->key, "/");
        for (size_t i = 0; i < m->n_lines; i++)
            if (strlen(m->lines[i].line_no) == n && strncmp(m->lines[i].line_no, c->key, n) == 0) return m->lines[i].id;
        return NULL;
    }
    if (strcmp(c->kind, "device") == 0) {
        for (size_t i = 0; i < m->n_devices; i++) {
            const struct em_device *d = &m->devices[i];
            if ((d->hostname && *d->hostname && g_ascii_strcasecmp(d->hostname, c->key) == 0) || strcmp(d->id, c->key) == 0)
                return d->id;
        }
    }
    return NULL;
}

struct em_model *em_diff_union(const struct em_model *old, const struct em_model *new_, const struct em_diff *d,
                               struct em_diff_marks **marks)
{
    struct em_model *u = em_model_new();
    struct em_diff_marks *dm = g_new0(struct em_diff_marks, 1);
    dm->by_id = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    dm->text = g_string_chunk_new(1024);
    *marks = dm;
    if (!u) return NULL;
    u->site = new_->site;
    u->survey_date = new_->survey_date;
    if (take_all(u, new_) != 0 || take_all(u, old) != 0 || mark_sides(dm, new_, old, EM_DIFF_ADDED) != 0 ||
        mark_sides(dm, old, new_, EM_DIFF_REMOVED) != 0) {
        em_model_free(u);
        return NULL;
    }
    for (size_t i = 0; d && i < d->n; i++) {
        const struct em_change *c = &d->changes[i];
        if (c->op != EM_DIFF_CHANGED) continue;
        const char *id = change_node(new_, c);
        if (id) note(dm, id, c);
    }
    return u;
}

void em_diff_marks_free(struct em_diff_marks *dm)
{
    if (!dm) return;
    g_hash_table_destroy(dm->by_id);
    g_string_chunk_free(dm->text);
    g_free(dm);
}

/* ---------------------------------------------------------------- the report */

static const char *kind_label(const char *kind)
{
    static const struct { const char *kind, *ja, *en; } kinds[] = {
        {"site", "基本情報", "Site"}, {"line", "回線", "Line"}, {"path", "回線の通信形態", "Path"},
        {"device", "装置", "Device"}, {"finding", "指摘", "Finding"}, {"target", "診断対象一覧", "Scan targets"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0) return em_tr(kinds[i].ja, kinds[i].en);
    return kind;
}

int em_diff_report_html(const struct em_diff *d, const char *svg, const char *title, char **out, size_t *len,
                        struct em_err *err)
{
    struct em_buf b = {0};
    em_buf_puts(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                    "<title>");
    em_buf_html(&b, title);
    em_buf_puts(&b, "</title><style>body{font-family:'Noto Sans CJK JP',sans-serif;margin:1em}"
                    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
                    ".added{font-weight:bold}.removed{color:#666;text-decoration:line-through}"
                    "@media print{@page{size:A3 landscape}}</style></head><body><h1>");
    em_buf_html(&b, title);
    em_buf_puts(&b, "</h1><div class=\"diagram\">");
    const char *s = svg ? strstr(svg, "<svg") : NULL;
    if (s) em_buf_puts(&b, s);
    else {
        em_buf_puts(&b, "<p>");
        em_buf_html(&b, em_tr("図を作れませんでした。", "The diagram could not be made."));
        em_buf_puts(&b, "</p>");
    }
    em_buf_puts(&b, "</div><h2>");
    em_buf_html(&b, em_tr("変更の一覧", "Changes"));
    em_buf_printf(&b, "</h2><p>%zu</p><table><thead><tr>", d ? d->n : 0);
    const char *heads[] = {em_tr("種類", "Kind"), em_tr("変更", "Change"), em_tr("対象", "What"), em_tr("項目", "Field"),
                           em_tr("前回", "Before"), em_tr("今回", "Now")};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        em_buf_puts(&b, "<th>");
        em_buf_html(&b, heads[i]);
        em_buf_puts(&b, "</th>");
    }
    em_buf_puts(&b, "</tr></thead><tbody>");
    for (size_t i = 0; d && i < d->n; i++) {
        const struct em_change *c = &d->changes[i];
        em_buf_printf(&b, "<tr class=\"%s\"><td>", c->op == EM_DIFF_ADDED ? "added" : c->op == EM_DIFF_REMOVED ? "removed" : "changed");
        em_buf_html(&b, kind_label(c->kind));
        em_buf_puts(&b, "</td><td>");
        em_buf_html(&b, strcmp(c->kind, "finding") == 0 ? (c->op == EM_DIFF_ADDED ? em_tr("新規", "new") : em_tr("解消", "resolved"))
                                                         : em_diff_op_label(c->op));
        em_buf_puts(&b, "</td><td>");
        em_buf_html(&b, c->key);
        if (*c->label) { em_buf_puts(&b, "<br>"); em_buf_html(&b, c->label); }
        em_buf_puts(&b, "</td><td>");
        em_buf_html(&b, *c->field ? em_diff_field_label(c->field) : "");
        em_buf_puts(&b, "</td><td>");
        em_buf_html(&b, c->old_value);
        em_buf_puts(&b, "</td><td>");
        em_buf_html(&b, c->new_value);
        em_buf_puts(&b, "</td></tr>");
    }
    em_buf_puts(&b, "</tbody></table></body></html>\n");
    if (b.failed) {
        em_buf_free(&b);
        return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    *out = b.p;
    *len = b.len;
    return EM_OK;
}

/* ---------------------------------------------------------------- the run */

struct html_ctx {
    const struct em_diff *d;
    const char *title;
};

static int diff_html(const char *svg, void *ctx, char **out, size_t *len, struct em_err *err)
{
    const struct html_ctx *h = ctx;
    return em_diff_report_html(h->d, svg, h->title, out, len, err);
}

int em_render_diff(const struct em_model *old, const struct em_model *new_, const struct em_diff *d,
                   struct em_outset *set, struct em_render_opts *opts, struct em_err *err)
{
    struct em_diff_marks *dm = NULL;
    struct em_model *u = em_diff_union(old, new_, d, &dm);
    if (!u) {
        em_diff_marks_free(dm);
        return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    }
    char title[600];
    snprintf(title, sizeof title, "%s%s%s", em_tr("前回からの変更", "Changes since the last survey"),
             new_->site.name && *new_->site.name ? " — " : "", new_->site.name ? new_->site.name : "");
    struct html_ctx hc = {d, title};
    opts->diff = dm;
    opts->html = diff_html;
    opts->html_ctx = &hc;
    int rc = em_render_files(u, set, opts, err);
    opts->diff = NULL;
    opts->html = NULL;
    opts->html_ctx = NULL;
    em_model_free(u);
    em_diff_marks_free(dm);
    return rc;
}
