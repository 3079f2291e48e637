/* diff.c — `edgemap diff OLD NEW [-o OUT]...`: what changed between two surveys. Each
 * side is a model JSON file (from `check --format json` or `render -o x.json`) or
 * records (xlsx/CSV), which are read into a model first. Without -o the changes are
 * printed (text or --format json); -o writes them by extension: .json (the changes),
 * .svg .pdf .png .html (the drawn diff: both rounds as records). Exit 0: no change,
 * 1: changes, 2: error. */
#include <glib.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/common.h"
#include "mapper/diff.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "render/render.h"

#define MAX_JSON (256u * 1024 * 1024)

/* The model JSON of one side; caller g_free()s. NULL after printing why. For records,
 * *model receives the model (caller frees) when model is not NULL; for a JSON side it
 * stays NULL. */
static char *side_json(const struct em_common_opts *co, const char *path, struct em_model **model)
{
    gchar *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        fprintf(stderr, "edgemap: %s: %s\n", path, gerr->message);
        g_error_free(gerr);
        return NULL;
    }
    const char *q = text;
    while (q < text + len && strchr(" \t\r\n", *q)) q++;
    if (q < text + len && *q == '{') {
        if (len > MAX_JSON) {
            fprintf(stderr, "edgemap: %s: %s\n", path, em_tr("ファイルが大きすぎます", "file too large"));
            g_free(text);
            return NULL;
        }
        return text;
    }
    g_free(text);
    struct em_model *m = NULL;
    const char *files[1] = {path};
    if (em_common_load(co, files, 1, &m) != 0) return NULL;
    char *s = em_model_json_string(m, NULL, NULL);
    if (model) *model = m;
    else em_model_free(m);
    char *r = s ? g_strdup(s) : NULL;
    free(s);
    return r;
}

static void print_text(const struct em_diff *d)
{
    static const struct { const char *kind, *ja, *en; } kinds[] = {
        {"site", "基本情報", "site"}, {"line", "回線", "line"}, {"path", "回線の通信形態", "path"},
        {"device", "装置", "device"}, {"finding", "指摘", "finding"},
        {"target", "診断対象一覧（グローバルIP / FQDN）", "scan targets (global IP / FQDN)"},
    };
    if (d->n == 0) {
        printf("%s\n", em_tr("変更はありません", "no changes"));
        return;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int head = 0;
        for (size_t i = 0; i < d->n; i++) {
            const struct em_change *c = &d->changes[i];
            if (strcmp(c->kind, kinds[k].kind) != 0) continue;
            if (!head) {
                printf("%s\n", em_tr(kinds[k].ja, kinds[k].en));
                head = 1;
            }
            if (strcmp(c->kind, "finding") == 0) {
                printf("  %s %s\n      %s\n",
                       c->op == EM_DIFF_ADDED ? em_tr("新規", "new") : em_tr("解消", "resolved"),
                       c->key, c->label);
            } else if (c->op == EM_DIFF_CHANGED) {
                printf("  %s %s%s%s%s: %s: 「%s」 → 「%s」\n", em_diff_op_label(c->op), c->key,
                       *c->label ? " (" : "", c->label, *c->label ? ")" : "",
                       em_diff_field_label(c->field), *c->old_value ? c->old_value : em_tr("（空欄）", "(blank)"),
                       *c->new_value ? c->new_value : em_tr("（空欄）", "(blank)"));
            } else if (strcmp(c->kind, "target") == 0) {
                printf("  %s %s\n", c->op == EM_DIFF_ADDED ? em_tr("加わった", "entered") : em_tr("外れた", "left"), c->key);
            } else {
                printf("  %s %s%s%s%s\n", em_diff_op_label(c->op), c->key, *c->label ? " (" : "", c->label,
                       *c->label ? ")" : "");
            }
        }
    }
    printf(em_tr("\n変更 %zu件\n", "\n%zu changes\n"), d->n);
}

/* The changes as JSON text (malloc'd by json-c's string, copied: caller g_free()s). */
static char *diff_json(const struct em_diff *d)
{
    static const char *ops[] = {"added", "removed", "changed"};
    json_object *root = json_object_new_object();
    json_object_object_add(root, "schema", json_object_new_string("edgemap-diff/1"));
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < d->n; i++) {
        const struct em_change *c = &d->changes[i];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "kind", json_object_new_string(c->kind));
        json_object_object_add(o, "op", json_object_new_string(ops[c->op]));
        json_object_object_add(o, "key", json_object_new_string(c->key));
        json_object_object_add(o, "label", json_object_new_string(c->label));
        json_object_object_add(o, "field", json_object_new_string(c->field));
        json_object_object_add(o, "old", json_object_new_string(c->old_value));
        json_object_object_add(o, "new", json_object_new_string(c->new_value));
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "changes", arr);
    char *s = g_strdup_printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
    return s;
}

/* Writes each -o by its extension: .json the changes, the rest the drawn diff. Returns
 * 0 or an exit status. */
static int write_outputs(const struct em_diff *d, const char *const *outs, size_t n, const struct em_model *old,
                         const struct em_model *new_)
{
    const char **drawn = calloc(n + 1, sizeof *drawn);
    size_t nd = 0;
    struct em_err err = {0};
    int rc = 0;
    for (size_t i = 0; drawn && i < n && !rc; i++) {
        const char *dot = strrchr(outs[i], '.');
        if (dot && g_ascii_strcasecmp(dot, ".json") == 0) {
            char *s = diff_json(d);
            if (em_write_atomic(outs[i], s, strlen(s), &err) != 0) rc = EM_EXIT_USAGE;
            g_free(s);
        } else if (dot && (!g_ascii_strcasecmp(dot, ".svg") || !g_ascii_strcasecmp(dot, ".pdf") ||
                           !g_ascii_strcasecmp(dot, ".png") || !g_ascii_strcasecmp(dot, ".html") ||
                           !g_ascii_strcasecmp(dot, ".htm") || !g_ascii_strcasecmp(dot, ".drawio"))) {
            drawn[nd++] = outs[i];
        } else {
            fprintf(stderr, em_tr("edgemap diff: %s: 出力形式が分かりません（.json .svg .pdf .png .html .drawio のいずれか）\n",
                                  "edgemap diff: %s: unknown output format (use .json .svg .pdf .png .html .drawio)\n"), outs[i]);
            free(drawn);
            return EM_EXIT_USAGE;
        }
    }
    if (!rc && nd && (!old || !new_)) {
        fprintf(stderr, "edgemap diff: %s\n", em_tr("図の差分（.svg .pdf .png .html）には両方の回の記入シート（.xlsx / .csv）が必要です",
                                                   "a drawn diff (.svg .pdf .png .html) needs the records (.xlsx / .csv) of both rounds"));
        rc = EM_EXIT_USAGE;
    }
    if (!rc && nd) {
        struct em_render_opts ro = {0};
        int r = em_render_diff(old, new_, d, drawn, nd, &ro, &err);
        em_render_cleanup();
        const char *w = ro.warnings;
        while (*w) {
            const char *e = strchr(w, '\n');
            size_t len = e ? (size_t)(e - w) : strlen(w);
            if (len) fprintf(stderr, "edgemap: %.*s\n", (int)len, w);
            w += len + (e ? 1 : 0);
        }
        if (r != 0) rc = EM_EXIT_USAGE;
    }
    if (rc && err.rc) {
        char buf[2048];
        em_err_format(&err, buf, sizeof buf);
        fprintf(stderr, "edgemap diff: %s\n", buf);
    }
    free(drawn);
    return rc;
}

int em_cmd_diff(int argc, char **argv)
{
    struct em_common_opts co;
    em_common_init(&co);
    const char *side[2] = {NULL, NULL};
    const char **outs = calloc((size_t)argc + 1, sizeof *outs);
    size_t nouts = 0;
    int nside = 0, json = 0;
    if (!outs) return EM_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        int used = em_common_arg(&co, argc, argv, i);
        if (used < 0) {
            free(outs);
            return EM_EXIT_USAGE;
        }
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "text") == 0)) {
            json = strcmp(argv[++i], "json") == 0;
        } else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            outs[nouts++] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "edgemap diff: unknown option '%s'\n", argv[i]);
            free(outs);
            return EM_EXIT_USAGE;
        } else if (nside < 2) {
            side[nside++] = argv[i];
        } else {
            nside = 3;
        }
    }
    if (nside != 2) {
        fputs("usage: edgemap diff OLD NEW [--format text|json] [--lang ja|en] [-o OUT]...\n"
              "       (OLD/NEW: records .xlsx/.csv or model .json)\n"
              "       OUT: .json (the changes) .svg .pdf .png .html .drawio (the drawn diff; records on both sides)\n",
              stderr);
        free(outs);
        return EM_EXIT_USAGE;
    }
    struct em_model *ma = NULL, *mb = NULL;
    char *a = side_json(&co, side[0], nouts ? &ma : NULL);
    char *b = a ? side_json(&co, side[1], nouts ? &mb : NULL) : NULL;
    if (!a || !b) {
        g_free(a);
        em_model_free(ma);
        free(outs);
        return EM_EXIT_USAGE;
    }
    struct em_err err = {0};
    struct em_diff *d = em_diff_models(a, side[0], b, side[1], &err);
    g_free(a);
    g_free(b);
    if (!d) {
        char buf[2048];
        em_err_format(&err, buf, sizeof buf);
        fprintf(stderr, "edgemap: %s\n", buf);
        em_model_free(ma);
        em_model_free(mb);
        free(outs);
        return EM_EXIT_USAGE;
    }
    int rc = d->n ? EM_EXIT_FINDINGS : EM_EXIT_OK;
    if (nouts) {
        int w = write_outputs(d, outs, nouts, ma, mb);
        if (w) rc = w;
    } else if (json) {
        char *s = diff_json(d);
        fputs(s, stdout);
        g_free(s);
    } else {
        print_text(d);
    }
    em_diff_free(d);
    em_model_free(ma);
    em_model_free(mb);
    free(outs);
    return rc;
}
