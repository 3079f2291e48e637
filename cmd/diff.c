/* diff.c — `edgemap diff OLD NEW`: what changed between two surveys. Each side is a
 * model JSON file (from `check --format json` or `render -o x.json`) or records
 * (xlsx/CSV), which are read into a model first. Exit 0: no change, 1: changes, 2: error. */
#include <glib.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/diff.h"
#include "mapper/json.h"
#include "mapper/lang.h"

#define MAX_JSON (256u * 1024 * 1024)

/* The model JSON of one side; caller g_free()s. NULL after printing why. */
static char *side_json(const struct em_common_opts *co, const char *path)
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
    em_model_free(m);
    char *r = s ? g_strdup(s) : NULL;
    free(s);
    return r;
}

static void print_text(const struct em_diff *d)
{
    static const struct { const char *kind, *ja, *en; } kinds[] = {
        {"site", "基本情報", "site"}, {"line", "回線", "line"}, {"path", "回線の通信形態", "path"},
        {"device", "装置", "device"}, {"finding", "指摘", "finding"},
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
                       em_diff_field_label(c->field), c->old_value, c->new_value);
            } else {
                printf("  %s %s%s%s%s\n", em_diff_op_label(c->op), c->key, *c->label ? " (" : "", c->label,
                       *c->label ? ")" : "");
            }
        }
    }
    printf(em_tr("\n変更 %zu件\n", "\n%zu changes\n"), d->n);
}

static void print_json(const struct em_diff *d)
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
    puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
}

int em_cmd_diff(int argc, char **argv)
{
    struct em_common_opts co;
    em_common_init(&co);
    const char *side[2] = {NULL, NULL};
    int nside = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        int used = em_common_arg(&co, argc, argv, i);
        if (used < 0) return em_cmd_usage_error("diff", NULL);
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "text") == 0)) {
            json = strcmp(argv[++i], "json") == 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return em_cmd_usage_error("diff", em_tr("不明なオプション、または値の誤り '%s'", "unknown option or bad value '%s'"), argv[i]);
        } else if (nside < 2) {
            side[nside++] = argv[i];
        } else {
            nside = 3;
        }
    }
    if (nside != 2)
        return em_cmd_usage_error("diff", "%s", em_tr("比べる2つのファイル（記録かモデル JSON）を指定してください",
                                                      "give the two files to compare (records or model JSON)"));
    char *a = side_json(&co, side[0]);
    if (!a) return EM_EXIT_USAGE;
    char *b = side_json(&co, side[1]);
    if (!b) {
        g_free(a);
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
        return EM_EXIT_USAGE;
    }
    if (json) print_json(d);
    else print_text(d);
    int rc = d->n ? EM_EXIT_FINDINGS : EM_EXIT_OK;
    em_diff_free(d);
    return rc;
}
