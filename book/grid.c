/* grid.c — a records sheet read again, cell by cell, for the annotated copy: every row
 * as the reader delivers it (merged ranges applied), where the header is, which
 * columns hold passwords, and which column a finding's header text names. */
#include "book/grid.h"

#include <glib.h>
#include <string.h>

#include "mapper/csv.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/xlsx.h"

#define HEADER_SEARCH_ROWS 20
#define KEYBUF 512

/* Device field names that make the row below the 通信形態 row part of the header. */
static const char *const dev_names[] = {"装置の種類", "ホスト名", "管理IPアドレス", "メーカー", "機種名",
                                        "レンタル装置", "ファームウェアバージョン", "設置場所"};

static bool compact_eq(const char *text, const char *literal)
{
    char b[KEYBUF];
    em_norm_compact(text, strlen(text), b, sizeof b);
    return strcmp(b, em_norm_key(literal)) == 0;
}

static bool is_secret(const char *text)
{
    char b[KEYBUF];
    em_norm_compact(text, strlen(text), b, sizeof b);
    return strstr(b, "パスワード") || strstr(b, "password");
}

static int on_row(void *ctx, const struct em_row *r, struct em_err *err)
{
    struct em_grid *g = ctx;
    (void)err;
    struct em_grid_row *gr = g_new0(struct em_grid_row, 1);
    gr->row = r->row;
    gr->n = r->n;
    gr->col = g_new(int, r->n ? r->n : 1);
    gr->text = g_new0(char *, r->n ? r->n : 1);
    for (size_t i = 0; i < r->n; i++) {
        gr->col[i] = r->cells[i].col;
        gr->text[i] = g_strndup(r->cells[i].text, r->cells[i].len);
        if (r->cells[i].col + 1 > g->ncols) g->ncols = r->cells[i].col + 1;
    }
    g_ptr_array_add(g->rows, gr);
    return 0;
}

static void free_row(gpointer p)
{
    struct em_grid_row *r = p;
    for (size_t i = 0; i < r->n; i++) g_free(r->text[i]);
    g_free(r->text);
    g_free(r->col);
    g_free(r);
}

void em_grid_free(struct em_grid *g)
{
    if (!g) return;
    if (g->rows) g_ptr_array_free(g->rows, TRUE);
    if (g->secret) g_free(g->secret);
    for (int c = 0; g->names && c < g->ncols; c++) g_strfreev(g->names[c]);
    g_free(g->names);
    g_free(g);
}

const char *em_grid_cell(const struct em_grid_row *r, int col)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->col[i] == col) return r->text[i];
    return "";
}

/* The row whose spreadsheet row number is row, or NULL. */
static const struct em_grid_row *row_at(const struct em_grid *g, long row)
{
    for (guint i = 0; i < g->rows->len && i < HEADER_SEARCH_ROWS + 2; i++) {
        const struct em_grid_row *r = g_ptr_array_index(g->rows, i);
        if (r->row == row) return r;
    }
    return NULL;
}

/* One header text as findings write it: line breaks and runs of spaces as one space. */
static char *display(const char *s)
{
    GString *o = g_string_new(NULL);
    bool space = false;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            space = o->len > 0;
            continue;
        }
        if (space) g_string_append_c(o, ' ');
        space = false;
        g_string_append_c(o, *p);
    }
    return g_string_free(o, FALSE);
}

/* Finds the header (first row of the first 20 with 通信形態), the row of device
 * field names below it, the password columns, and each column's names. */
static void analyse(struct em_grid *g)
{
    g->secret = g_new0(bool, g->ncols ? g->ncols : 1);
    g->names = g_new0(char **, g->ncols ? g->ncols : 1);
    for (guint i = 0; i < g->rows->len && !g->header_row; i++) {
        const struct em_grid_row *r = g_ptr_array_index(g->rows, i);
        if (r->row > HEADER_SEARCH_ROWS) break;
        for (size_t k = 0; k < r->n; k++)
            if (compact_eq(r->text[k], "通信形態") || compact_eq(r->text[k], "comm_type")) g->header_row = r->row;
    }
    if (!g->header_row) return;
    g->last_header_row = g->header_row;
    const struct em_grid_row *below = row_at(g, g->header_row + 1);
    for (size_t k = 0; below && k < below->n; k++)
        for (size_t d = 0; d < G_N_ELEMENTS(dev_names); d++)
            if (compact_eq(below->text[k], dev_names[d])) g->last_header_row = g->header_row + 1;
    const struct em_grid_row *hr[3] = {row_at(g, g->header_row - 1), row_at(g, g->header_row),
                                       g->last_header_row > g->header_row ? below : NULL};
    for (int c = 0; c < g->ncols; c++) {
        GPtrArray *names = g_ptr_array_new();
        for (int k = 0; k < 3; k++) {
            if (!hr[k]) continue;
            const char *t = em_grid_cell(hr[k], c);
            if (k >= 1 && is_secret(t)) g->secret[c] = true;
            if (!*t) continue;
            g_ptr_array_add(names, display(t));
            if (k < 2 && hr[k + 1] && *em_grid_cell(hr[k + 1], c)) {   /* "装置① メーカー" */
                char *a = display(t), *b = display(em_grid_cell(hr[k + 1], c));
                g_ptr_array_add(names, g_strdup_printf("%s %s", a, b));
                g_free(a);
                g_free(b);
            }
        }
        g_ptr_array_add(names, NULL);
        g->names[c] = (char **)g_ptr_array_free(names, FALSE);
    }
}

int em_grid_column(const struct em_grid *g, const char *column)
{
    if (!column || !*column || !g->names) return -1;
    char *want = display(column);
    int best = -1;
    /* the exact header text first, then the first of a list ("回線事業者, 回線サービス名") */
    for (int pass = 0; pass < 2 && best < 0; pass++) {
        if (pass == 1) {
            char *cut = strstr(want, ", ");
            char *cut2 = strstr(want, "、");
            if (cut2 && (!cut || cut2 < cut)) cut = cut2;
            if (!cut) break;
            *cut = '\0';
        }
        for (int c = 0; c < g->ncols && best < 0; c++)
            for (char **n = g->names[c]; n && *n && best < 0; n++)
                if (strcmp(*n, want) == 0) best = c;
        /* a group label alone ("装置①") must not win over "装置① メーカー": checked above
         * by exact equality, so nothing to do here */
    }
    g_free(want);
    return best;
}

struct em_grid *em_grid_read(const char *file, const char *sheet, struct em_err *err)
{
    struct em_grid *g = g_new0(struct em_grid, 1);
    g->rows = g_ptr_array_new_with_free_func(free_row);
    int rc;
    if (sheet && *sheet) {
        struct em_xlsx *x = em_xlsx_open(file, err);
        if (!x) {
            em_grid_free(g);
            return NULL;
        }
        size_t idx = (size_t)-1;
        for (size_t i = 0; i < em_xlsx_sheet_count(x); i++)
            if (strcmp(em_xlsx_sheet_name(x, i), sheet) == 0) idx = i;
        if (idx == (size_t)-1) {
            em_err_set(err, EM_ERR_NOSHEET, file, sheet, 0, NULL, "%s",
                       em_tr("シートが見つかりません（読み直しの間にファイルが変わりました）",
                             "sheet not found (the file changed since it was read)"));
            em_xlsx_close(x);
            em_grid_free(g);
            return NULL;
        }
        rc = em_xlsx_read_sheet(x, idx, 0, on_row, g, err);
        em_xlsx_close(x);
    } else {
        rc = em_csv_read(file, on_row, g, err);
    }
    if (rc < 0) {
        em_grid_free(g);
        return NULL;
    }
    analyse(g);
    return g;
}
