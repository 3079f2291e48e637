/* diff.c — `edgemap diff OLD NEW`: what changed between two surveys. Each side is a
 * model JSON file (from `check --format json` or `render -o x.json`) or records
 * (xlsx/CSV), which are read into a model first. Exit 0: no change, 1: changes, 2: error. */
#define _GNU_SOURCE   /* fopencookie */
#include <errno.h>
#include <glib.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/diff.h"
#include "mapper/file.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/visible.h"

/* Caps per side, checked before a side is read whole (a regular file by its size, a
 * pipe as it is read): diffing two models costs about nine times their JSON text
 * (json-c trees), so two sides at the cap stay well under 256 MB. 8 MiB of model JSON
 * is about 2,400 lines; a hospital has tens to hundreds. */
#define DIFF_JSON_MAX ((size_t)8 * 1024 * 1024)
#define DIFF_RECORDS_MAX ((size_t)16 * 1024 * 1024)

static void side_err(const struct em_err *err)
{
    char buf[2048];
    em_err_format(err, buf, sizeof buf);
    fputs("edgemap diff: ", stderr);
    em_fput_visible(stderr, buf, strlen(buf));
    fputc('\n', stderr);
}

static int too_big(const char *path, const char *what, size_t max)
{
    fprintf(stderr, "edgemap diff: %s: ", path);
    fprintf(stderr, em_tr("%sが大きすぎて比較できません（上限 %zu MiB）\n", "the %s is too large to compare (limit %zu MiB)\n"),
            what, max / (1024 * 1024));
    return -1;
}

/* The first byte that is not blank in the file's first 4 KiB, or -1 (after printing
 * why) when it cannot be read; 0 when there is none. */
static int first_byte(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "edgemap diff: %s: %s (%s)\n", path, em_tr("ファイルを開けません", "cannot open the file"), strerror(errno));
        return -1;
    }
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n", buf[i])) return (unsigned char)buf[i];
    return 0;
}

/* A write-only stream into a buffer that refuses past its cap (fopencookie): the
 * model JSON of a records side is never held bigger than DIFF_JSON_MAX. */
struct capbuf {
    char *p;
    size_t len, max;
    bool over;
};

static ssize_t capbuf_write(void *c, const char *data, size_t n)
{
    struct capbuf *b = c;
    if (b->over || n > b->max - b->len) {
        b->over = true;
        return -1;
    }
    if (!b->p && !(b->p = malloc(b->max + 1))) {
        b->over = true;
        return -1;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return (ssize_t)n;
}

/* The model JSON of records (read from path, or from data when the side was a pipe
 * read once); malloc'd, NULL after printing why. */
static char *records_json(const struct em_common_opts *co, const char *path, const char *data, size_t len)
{
    struct em_model *m = NULL;
    const char *files[1] = {path};
    if ((data ? em_common_load_mem(co, path, data, len, &m) : em_common_load(co, files, 1, &m)) != 0) return NULL;
    struct capbuf b = {.max = DIFF_JSON_MAX};
    cookie_io_functions_t io = {.write = capbuf_write};
    FILE *f = fopencookie(&b, "w", io);
    int bad = !f || em_model_write_json(f, m, NULL, NULL) != 0;
    if (f && fclose(f) != 0) bad = 1;
    em_model_free(m);
    if (bad || b.over || !b.p) {
        if (b.over) too_big(path, em_tr("記入シートのモデル", "model of the records"), DIFF_JSON_MAX);
        else fprintf(stderr, "edgemap diff: %s: %s\n", path, em_tr("メモリ不足", "out of memory"));
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    return b.p;
}

/* The model JSON of one side (a model JSON file, or records read into a model);
 * caller free()s. NULL after printing why. A pipe or /dev/stdin is read once. */
static char *side_json(const struct em_common_opts *co, const char *path)
{
    struct em_err err = {0};
    size_t len = 0;
    if (em_file_is_stream(path)) {
        char *data = em_file_read(path, DIFF_RECORDS_MAX, em_tr("比較対象", "input"), &len, &err);
        if (!data) {
            side_err(&err);
            return NULL;
        }
        size_t i = 0;
        while (i < len && strchr(" \t\r\n", data[i]) && data[i]) i++;
        if (i < len && data[i] == '{') {
            if (len <= DIFF_JSON_MAX) return data;
            free(data);
            too_big(path, em_tr("モデルJSON", "model JSON"), DIFF_JSON_MAX);
            return NULL;
        }
        char *j = records_json(co, path, data, len);
        free(data);
        return j;
    }
    int c = first_byte(path);
    if (c < 0) return NULL;
    if (c == '{') {
        char *data = em_file_read(path, DIFF_JSON_MAX, em_tr("モデルJSON", "model JSON"), &len, &err);
        if (!data) side_err(&err);
        return data;
    }
    struct stat st;
    if (stat(path, &st) == 0 && (uintmax_t)st.st_size > DIFF_RECORDS_MAX) {
        too_big(path, em_tr("記入シート", "records file"), DIFF_RECORDS_MAX);
        return NULL;
    }
    return records_json(co, path, NULL, 0);
}

static void print_text(FILE *out, const struct em_diff *d)
{
    static const struct { const char *kind, *ja, *en; } kinds[] = {
        {"site", "基本情報", "site"}, {"line", "回線", "line"}, {"path", "回線の通信形態", "path"},
        {"device", "装置", "device"}, {"finding", "指摘", "finding"},
    };
    if (d->n == 0) {
        fprintf(out, "%s\n", em_tr("変更はありません", "no changes"));
        return;
    }
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int head = 0;
        for (size_t i = 0; i < d->n; i++) {
            const struct em_change *c = &d->changes[i];
            if (strcmp(c->kind, kinds[k].kind) != 0) continue;
            if (!head) {
                fprintf(out, "%s\n", em_tr(kinds[k].ja, kinds[k].en));
                head = 1;
            }
            if (strcmp(c->kind, "finding") == 0) {
                fprintf(out, "  %s %s\n      %s\n",
                       c->op == EM_DIFF_ADDED ? em_tr("新規", "new") : em_tr("解消", "resolved"),
                       c->key, c->label);
            } else if (c->op == EM_DIFF_CHANGED) {
                fprintf(out, "  %s %s%s%s%s: %s: 「%s」 → 「%s」\n", em_diff_op_label(c->op), c->key,
                       *c->label ? " (" : "", c->label, *c->label ? ")" : "",
                       em_diff_field_label(c->field), c->old_value, c->new_value);
            } else {
                fprintf(out, "  %s %s%s%s%s\n", em_diff_op_label(c->op), c->key, *c->label ? " (" : "", c->label,
                       *c->label ? ")" : "");
            }
        }
    }
    fprintf(out, em_tr("\n変更 %zu件\n", "\n%zu changes\n"), d->n);
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
    const char *txt = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE);
    if (txt) em_fput_json_text(stdout, txt, strlen(txt));   /* C1 escaped too */
    putchar('\n');
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
        free(a);
        return EM_EXIT_USAGE;
    }
    struct em_err err = {0};
    struct em_diff *d = em_diff_models(a, side[0], b, side[1], &err);
    free(a);
    free(b);
    if (!d) {
        char buf[2048];
        em_err_format(&err, buf, sizeof buf);
        fputs("edgemap: ", stderr);
        em_fput_visible(stderr, buf, strlen(buf));
        fputc('\n', stderr);
        return EM_EXIT_USAGE;
    }
    if (json) print_json(d);
    else {
        /* the changes quote cells: shown, never obeyed by the terminal */
        char *txt = NULL;
        size_t len = 0;
        FILE *mf = open_memstream(&txt, &len);
        if (mf) {
            print_text(mf, d);
            if (fclose(mf) == 0) em_fput_visible(stdout, txt, len);
        }
        free(txt);
    }
    int rc = d->n ? EM_EXIT_FINDINGS : EM_EXIT_OK;
    em_diff_free(d);
    return rc;
}
