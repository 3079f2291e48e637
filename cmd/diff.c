/* diff.c — `edgemap diff OLD NEW [-o OUT]...`: what changed between two surveys. Each
 * side is a model JSON file (from `check --format json` or `render -o x.json`) or
 * records (xlsx/CSV), which are read into a model first. Without -o the changes are
 * printed (text or --format json); -o writes them by extension: .json (the changes),
 * .svg .pdf .png .html .drawio (the drawn diff: both rounds as records). Exit 0: no
 * change, 1: changes, 2: error. */
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
#include "mapper/outset.h"
#include "mapper/visible.h"
#include "render/render.h"

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
 * read once); malloc'd, NULL after printing why. keep (may be NULL) receives the model
 * itself (caller frees) for the drawn diff. */
static char *records_json(const struct em_common_opts *co, const char *path, const char *data, size_t len,
                          struct em_model **keep)
{
    struct em_model *m = NULL;
    const char *files[1] = {path};
    if ((data ? em_common_load_mem(co, path, data, len, &m) : em_common_load(co, files, 1, &m)) != 0) return NULL;
    struct capbuf b = {.max = DIFF_JSON_MAX};
    cookie_io_functions_t io = {.write = capbuf_write};
    FILE *f = fopencookie(&b, "w", io);
    int bad = !f || em_model_write_json(f, m, NULL, NULL) != 0;
    if (f && fclose(f) != 0) bad = 1;
    if (keep && !bad && !b.over) *keep = m;
    else em_model_free(m);
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
 * caller free()s. NULL after printing why. A pipe or /dev/stdin is read once. For
 * records, keep (may be NULL) receives the model (caller frees). */
static char *side_json(const struct em_common_opts *co, const char *path, struct em_model **keep)
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
        char *j = records_json(co, path, data, len, keep);
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
    return records_json(co, path, NULL, 0, keep);
}

static void print_text(FILE *out, const struct em_diff *d)
{
    static const struct { const char *kind, *ja, *en; } kinds[] = {
        {"site", "基本情報", "site"}, {"line", "回線", "line"}, {"path", "回線の通信形態", "path"},
        {"device", "装置", "device"}, {"finding", "指摘", "finding"},
        {"target", "診断対象一覧（グローバルIP / FQDN）", "scan targets (global IP / FQDN)"},
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
                       em_diff_field_label(c->field), *c->old_value ? c->old_value : em_tr("（空欄）", "(blank)"),
                       *c->new_value ? c->new_value : em_tr("（空欄）", "(blank)"));
            } else if (strcmp(c->kind, "target") == 0) {
                fprintf(out, "  %s %s\n", c->op == EM_DIFF_ADDED ? em_tr("加わった", "entered") : em_tr("外れた", "left"), c->key);
            } else {
                fprintf(out, "  %s %s%s%s%s\n", em_diff_op_label(c->op), c->key, *c->label ? " (" : "", c->label,
                       *c->label ? ")" : "");
            }
        }
    }
    fprintf(out, em_tr("\n変更 %zu件\n", "\n%zu changes\n"), d->n);
}

/* The changes as JSON text (caller g_free()s). */
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
    const char *txt = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE);
    char *s = g_strdup(txt ? txt : "{}");
    json_object_put(root);
    return s;
}

static void print_json(const struct em_diff *d)
{
    char *txt = diff_json(d);
    em_fput_json_text(stdout, txt, strlen(txt));   /* C1 escaped too */
    putchar('\n');
    g_free(txt);
}

static bool drawn_ext(const char *path)
{
    static const char *const ext[] = {".svg", ".pdf", ".png", ".html", ".htm", ".drawio"};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof ext / sizeof ext[0]; i++)
        if (g_ascii_strcasecmp(dot, ext[i]) == 0) return true;
    return false;
}

/* Writes each -o by its extension: .json the changes, the others the drawn diff (the
 * drawings committed first, then the list). Returns 0 or an exit status. */
static int write_outputs(const struct em_common_opts *co, const char *const *sides, const struct em_diff *d,
                         const char *const *outs, size_t n, const struct em_model *old, const struct em_model *new_)
{
    const char **lists = calloc(n + 1, sizeof *lists), **drawn = calloc(n + 1, sizeof *drawn);
    size_t nl = 0, nd = 0;
    int rc = 0;
    for (size_t i = 0; lists && drawn && i < n; i++) {
        const char *dot = strrchr(outs[i], '.');
        if (dot && g_ascii_strcasecmp(dot, ".json") == 0) lists[nl++] = outs[i];
        else if (drawn_ext(outs[i])) drawn[nd++] = outs[i];
        else {
            fprintf(stderr, em_tr("edgemap diff: %s: 出力形式が分かりません（.json .svg .pdf .png .html .drawio のいずれか）\n",
                                  "edgemap diff: %s: unknown output format (use .json .svg .pdf .png .html .drawio)\n"), outs[i]);
            rc = EM_EXIT_USAGE;
        }
    }
    if (!lists || !drawn) rc = EM_EXIT_USAGE;
    if (!rc && nd && (!old || !new_)) {
        fprintf(stderr, "edgemap diff: %s\n", em_tr("図の差分（.svg .pdf .png .html .drawio）には両方の回の記入シート（.xlsx / .csv）が必要です",
                                                   "a drawn diff (.svg .pdf .png .html .drawio) needs the records (.xlsx / .csv) of both rounds"));
        rc = EM_EXIT_USAGE;
    }
    struct em_outset *ls = NULL, *ds = NULL;
    if (!rc && nl && !(ls = em_common_outset("diff", co, sides, 2, lists, nl))) rc = EM_EXIT_USAGE;
    if (!rc && nd && !(ds = em_common_outset("diff", co, sides, 2, drawn, nd))) rc = EM_EXIT_USAGE;
    struct em_err err = {0};
    struct em_drawio_pos *pins = NULL;
    size_t n_pins = 0;
    if (!rc && ds && co->layout && em_drawio_read(co->layout, &pins, &n_pins, &err) != 0) rc = EM_EXIT_USAGE;
    if (!rc && ds) {
        struct em_render_opts ro = {.pins = pins, .n_pins = n_pins};
        int r = em_render_diff(old, new_, d, ds, &ro, &err);
        if (r == 0) r = em_outset_commit(ds, &err);
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
    if (!rc && ls) {
        char *s = diff_json(d);
        char *s2 = g_strdup_printf("%s\n", s);
        for (size_t i = 0; !rc && i < nl; i++)
            if (em_outset_put(ls, i, s2, strlen(s2), &err) != 0) rc = EM_EXIT_USAGE;
        if (!rc && em_outset_commit(ls, &err) != 0) rc = EM_EXIT_USAGE;
        g_free(s);
        g_free(s2);
    }
    if (rc && err.rc) side_err(&err);
    em_drawio_free(pins, n_pins);
    em_outset_free(ls);
    em_outset_free(ds);
    free(lists);
    free(drawn);
    return rc;
}

/* The command line of diff: the shared options, OLD NEW, --format, -o OUT... (outs
 * has room for argc entries). Returns -1 to go on, else an exit status (usage printed). */
static int parse_args(int argc, char **argv, struct em_common_opts *co, const char *side[2], const char **outs,
                      size_t *nouts, int *json)
{
    int nside = 0;
    for (int i = 1; i < argc; i++) {
        int used = em_common_arg(co, argc, argv, i);
        if (used < 0) return em_cmd_usage_error("diff", NULL);
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "json") == 0 || strcmp(argv[i + 1], "text") == 0)) {
            *json = strcmp(argv[++i], "json") == 0;
        } else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            outs[(*nouts)++] = argv[++i];
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
    return -1;
}

int em_cmd_diff(int argc, char **argv)
{
    struct em_common_opts co;
    em_common_init(&co);
    const char *side[2] = {NULL, NULL};
    const char **outs = calloc((size_t)argc + 1, sizeof *outs);
    size_t nouts = 0;
    int json = 0;
    if (!outs) return EM_EXIT_USAGE;
    int prc = parse_args(argc, argv, &co, side, outs, &nouts, &json);
    if (prc >= 0) {
        free(outs);
        return prc;
    }
    struct em_model *ma = NULL, *mb = NULL;
    char *a = side_json(&co, side[0], nouts ? &ma : NULL);
    char *b = a ? side_json(&co, side[1], nouts ? &mb : NULL) : NULL;
    if (!a || !b) {
        free(a);
        em_model_free(ma);
        free(outs);
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
        em_model_free(ma);
        em_model_free(mb);
        free(outs);
        return EM_EXIT_USAGE;
    }
    int rc = d->n ? EM_EXIT_FINDINGS : EM_EXIT_OK;
    if (nouts) {
        int w = write_outputs(&co, side, d, outs, nouts, ma, mb);
        if (w) rc = w;
    } else if (json) print_json(d);
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
    em_diff_free(d);
    em_model_free(ma);
    em_model_free(mb);
    free(outs);
    return rc;
}
