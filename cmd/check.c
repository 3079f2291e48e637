/* check.c — `edgemap check RECORDS...`: read, validate, print the findings as text
 * grouped by line (with row and column) or the model as JSON. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/commands.h"
#include "cmd/common.h"
#include "mapper/json.h"
#include "mapper/lang.h"
#include "mapper/model.h"
#include "mapper/visible.h"

static const char *sev_label(enum em_severity s)
{
    switch (s) {
    case EM_SEV_ERROR: return em_tr("エラー", "error");
    case EM_SEV_WARNING: return em_tr("警告", "warning");
    case EM_SEV_INFO: break;
    }
    return em_tr("情報", "info");
}

/* Keys of lines_of's table: a path's (file, sheet, row), compared by content (a long
 * file name is not interned, so equal names may be different pointers). */
static guint src_hash(gconstpointer k)
{
    const struct em_src *s = k;
    return g_str_hash(s->file) * 31u + g_str_hash(s->sheet) * 17u + (guint)s->row;
}

static gboolean src_equal(gconstpointer a, gconstpointer b)
{
    const struct em_src *x = a, *y = b;
    return x->row == y->row && strcmp(x->file, y->file) == 0 && strcmp(x->sheet, y->sheet) == 0;
}

/* The line each finding belongs to: the path read from the same file, sheet and row.
 * One pass over the paths into a hash table keyed by the paths' own sources (nothing
 * copied), one look-up per finding. */
static void lines_of(const struct em_model *m, size_t *out)
{
    GHashTable *at = g_hash_table_new(src_hash, src_equal);
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *p = &m->paths[i];
        /* the last path of a (file, sheet, row) wins, as with the copied keys before */
        g_hash_table_insert(at, (gpointer)&p->src, GSIZE_TO_POINTER(p->line + 1));
    }
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        struct em_src k = {f->file, f->sheet, f->row};
        gpointer v = f->row > 0 ? g_hash_table_lookup(at, &k) : NULL;
        out[i] = v ? GPOINTER_TO_SIZE(v) - 1 : EM_NONE;
    }
    g_hash_table_destroy(at);
}

/* Orders finding indices by line (findings outside any line last), then as sorted. */
static gint by_line(gconstpointer a, gconstpointer b, gpointer data)
{
    const size_t *lineof = data;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (lineof[x] != lineof[y]) return lineof[x] < lineof[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Writes out's whole lines to the terminal stream `to` as visible text (em_fput_visible:
 * controls from the input shown, not obeyed) and drops them from out; with all set,
 * everything. Lines are cut only after '\n', which no UTF-8 sequence contains, so the
 * output is the same as escaping the whole text at once, without holding it whole.
 * Returns 0, or EOF on a write error (kept: later drains do nothing). */
static int drain(FILE *to, GString *out, bool all, int *err)
{
    if (*err) {
        g_string_truncate(out, 0);
        return EOF;
    }
    if (!all && out->len < 64 * 1024) return 0;
    size_t n = out->len;
    if (!all) {
        while (n > 0 && out->str[n - 1] != '\n') n--;
        if (n == 0) return 0;
    }
    if (em_fput_visible(to, out->str, n) != 0) *err = EOF;
    g_string_erase(out, 0, (gssize)n);
    return *err;
}

/* Appends text, each line after the first indented like the first (a reason typed
 * with Alt+Enter, a cell quoted with its line breaks). */
static void append_indented(GString *out, const char *text, const char *indent)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\r' && p[1] == '\n') continue;
        if (*p == '\n' || *p == '\r') {
            g_string_append_c(out, '\n');
            g_string_append(out, indent);
        } else {
            g_string_append_c(out, *p);
        }
    }
}

static void print_finding(GString *out, const struct em_finding *f)
{
    g_string_append_printf(out, "    ");
    if (f->row > 0) g_string_append_printf(out, em_tr("%d行目 ", "row %d  "), f->row);
    g_string_append_printf(out, "%s %s", sev_label(f->severity), f->code);
    if (f->accepted) g_string_append(out, em_tr(" [承認済み]", " [accepted]"));
    if (*f->column) g_string_append_printf(out, em_tr(" 列「%s」", " column '%s'"), f->column);
    char mb[EM_MSG_MAX];
    g_string_append(out, "\n      ");
    append_indented(out, em_finding_msg(f, mb), "      ");
    g_string_append_c(out, '\n');
    if (f->accepted) {
        const struct em_acceptance *a = f->accepted;
        g_string_append(out, em_tr("      承認済み: ", "      accepted: "));
        append_indented(out, a->reason, "        ");
        if (*a->by || *a->date)
            g_string_append_printf(out, em_tr("（%s%s%s）", " (%s%s%s)"), a->by, *a->by && *a->date ? ", " : "", a->date);
        g_string_append_c(out, '\n');
    }
}

static int print_text(FILE *to, GString *out, const struct em_model *m)
{
    int err = 0;
    size_t *lineof = malloc((m->n_findings ? m->n_findings : 1) * sizeof *lineof);
    char *done = calloc(m->n_findings ? m->n_findings : 1, 1);
    size_t *order = malloc((m->n_findings ? m->n_findings : 1) * sizeof *order);
    if (!lineof || !done || !order) {
        free(lineof);
        free(done);
        free(order);
        return EOF;
    }
    lines_of(m, lineof);
    for (size_t i = 0; i < m->n_findings; i++) order[i] = i;
    g_qsort_with_data(order, (gint)m->n_findings, sizeof *order, by_line, lineof);
    for (size_t s = 0; s < m->n_sources; s++) {
        const char *file = m->sources[s];
        size_t nfile = 0;
        for (size_t i = 0; i < m->n_findings; i++)
            if (strcmp(m->findings[i].file, file) == 0) nfile++;
        g_string_append_printf(out, "%s\n", file);
        if (nfile == 0) {
            g_string_append_printf(out, "  %s\n", em_tr("指摘事項はありません", "no findings"));
            continue;
        }
        /* lines in sheet order, each with its findings (order[] is sorted by line) */
        size_t last = EM_NONE;
        for (size_t k = 0; k < m->n_findings; k++) {
            size_t i = order[k];
            size_t l = lineof[i];
            if (l == EM_NONE || done[i] || strcmp(m->findings[i].file, file) != 0) continue;
            if (l != last) {
                const struct em_line *ln = &m->lines[l];
                const struct em_src *ps = &m->paths[ln->paths[0]].src;
                if (ln->implicit)
                    g_string_append_printf(out, em_tr("  回線No（空欄） %d行目", "  line (no line No) row %d"), ps->row);
                else
                    g_string_append_printf(out, em_tr("  回線No %s", "  line No %s"), ln->line_no);
                /* the sheet of this file's finding: a line may span files (one survey) */
                if (*m->findings[i].sheet) g_string_append_printf(out, em_tr("  シート「%s」", "  sheet '%s'"), m->findings[i].sheet);
                g_string_append_c(out, '\n');
                last = l;
            }
            print_finding(out, &m->findings[i]);
            drain(to, out, false, &err);
            done[i] = 1;
        }
        /* the rest (terminals, devices shared across files), by sheet */
        for (size_t i = 0; i < m->n_findings; i++) {
            if (done[i] || strcmp(m->findings[i].file, file) != 0) continue;
            const char *sheet = m->findings[i].sheet;
            g_string_append_printf(out, *sheet ? em_tr("  シート「%s」\n", "  sheet '%s'\n") : "  %s\n",
                    *sheet ? sheet : em_tr("（回線に紐づかない指摘）", "(not tied to a line)"));
            for (size_t k = i; k < m->n_findings; k++)
                if (!done[k] && strcmp(m->findings[k].file, file) == 0 && strcmp(m->findings[k].sheet, sheet) == 0) {
                    print_finding(out, &m->findings[k]);
                    drain(to, out, false, &err);
                    done[k] = 1;
                }
        }
    }
    /* findings of other inputs (the accept file's stale entries, discovery, scans) */
    const char *other = NULL;
    for (size_t i = 0; i < m->n_findings; i++) {
        if (done[i]) continue;
        if (!other || strcmp(other, m->findings[i].file) != 0) g_string_append_printf(out, "%s\n", other = m->findings[i].file);
        print_finding(out, &m->findings[i]);
        drain(to, out, false, &err);
    }
    g_string_append_printf(out, em_tr("\n合計: エラー %zu件、警告 %zu件、情報 %zu件（回線 %zu、行 %zu、装置 %zu）\n",
                       "\ntotal: %zu errors, %zu warnings, %zu info (%zu lines, %zu rows, %zu devices)\n"),
            em_model_count(m, EM_SEV_ERROR), em_model_count(m, EM_SEV_WARNING), em_model_count(m, EM_SEV_INFO),
            m->n_lines, m->n_paths, m->n_devices);
    if (em_model_count_accepted(m))
        g_string_append_printf(out, em_tr("承認済み %zu件（終了コードに数えません）\n", "%zu accepted (not counted for the exit status)\n"),
                em_model_count_accepted(m));
    free(lineof);
    free(done);
    free(order);
    return drain(to, out, true, &err);
}

int em_cmd_check(int argc, char **argv)
{
    const char *format = "text";
    struct em_common_opts co;
    em_common_init(&co);
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    if (!files) return EM_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        int used = em_common_arg(&co, argc, argv, i);
        if (used < 0) {
            free(files);
            return em_cmd_usage_error("check", NULL);
        }
        if (used > 0) {
            i += used - 1;
            continue;
        }
        if (strcmp(argv[i], "--format") == 0) {
            format = i + 1 < argc ? argv[++i] : "";
            if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
                free(files);
                return em_cmd_usage_error("check", "%s", em_tr("--format は text か json です", "--format must be text or json"));
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            free(files);
            return em_cmd_usage_error("check", em_tr("不明なオプション '%s'", "unknown option '%s'"), argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        free(files);
        return em_cmd_usage_error("check", "%s", em_tr("記録ファイル（.xlsx/.csv）を指定してください", "give at least one records file (.xlsx/.csv)"));
    }
    struct em_model *m = NULL;
    int rc = em_common_load(&co, files, nfiles, &m);
    free(files);
    if (rc != 0) return rc;
    if (strcmp(format, "json") == 0) {
        if (em_model_write_json(stdout, m, NULL, NULL) != 0 || fflush(stdout) != 0) {
            em_model_free(m);
            return EM_EXIT_USAGE;
        }
    } else {
        /* the findings quote cells and sheet names: shown, never obeyed by the terminal;
           written as they are made (a 100,000-row survey's text is ~100 MB) */
        GString *txt = g_string_sized_new(128 * 1024);
        int bad = print_text(stdout, txt, m);
        g_string_free(txt, TRUE);
        if (bad || fflush(stdout) != 0) {
            em_model_free(m);
            return EM_EXIT_USAGE;
        }
    }
    rc = em_model_count(m, EM_SEV_ERROR) ? EM_EXIT_FINDINGS : EM_EXIT_OK;
    em_model_free(m);
    return rc;
}
