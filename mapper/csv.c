/* csv.c — CSV records reader. The whole file is read (capped), its encoding decided
 * (UTF-8 BOM, valid UTF-8, else CP932 converted with iconv via g_convert), then
 * parsed as RFC 4180 records; each record is handed over as one em_row. */
#include "mapper/csv.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/file.h"
#include "mapper/lang.h"

#define CSV_MAX_BYTES (64u * 1024 * 1024)

struct rowbuf {
    struct em_cell *cells;
    size_t n, cap;
    GString *text;      /* all cell texts of the row, NUL-separated */
    size_t *offs;       /* start of each cell in text */
};

static int push_cell(struct rowbuf *rb, int col, const char *name, long row,
                     struct em_err *err)
{
    if (rb->n >= EM_MAX_ROW_CELLS)
        return em_err_set(err, EM_ERR_LIMIT, name, NULL, row, NULL,
                          em_tr("1行の列数が多すぎます（上限 %d 列）",
                                "too many columns in one row (limit %d)"),
                          EM_MAX_ROW_CELLS);
    if (rb->n == rb->cap) {
        size_t nc = rb->cap ? rb->cap * 2 : 64;
        struct em_cell *c = realloc(rb->cells, nc * sizeof *c);
        size_t *o = realloc(rb->offs, nc * sizeof *o);
        if (c) rb->cells = c;
        if (o) rb->offs = o;
        if (!c || !o) return em_err_set(err, EM_ERR_NOMEM, name, NULL, row, NULL, "out of memory");
        rb->cap = nc;
    }
    rb->cells[rb->n].col = col;
    rb->n++;
    return 0;
}

static int too_long(const char *name, long row, struct em_err *err)
{
    return em_err_set(err, EM_ERR_LIMIT, name, NULL, row, NULL,
                      em_tr("セルの文字数が多すぎます（上限 %d バイト）", "a cell is too long (limit %d bytes)"),
                      EM_MAX_CELL_BYTES);
}

static int parse(const char *name, const char *s, size_t len, em_row_fn fn, void *ctx,
                 struct em_err *err)
{
    struct rowbuf rb = {0};
    rb.text = g_string_sized_new(256);
    GString *cell = g_string_sized_new(64);
    long row = 1;
    size_t i = 0;
    int rc = 0;
    int col = 0;

    while (i <= len && rc == 0) {
        /* one field */
        g_string_truncate(cell, 0);
        long field_row = row;
        if (i < len && s[i] == '"') {
            i++;
            for (;;) {
                if (i >= len) {
                    rc = em_err_set(err, EM_ERR_FORMAT, name, NULL, field_row, NULL,
                                    em_tr("引用符 \" が閉じられていません",
                                          "a quoted field is not closed (missing \")"));
                    break;
                }
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        g_string_append_c(cell, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                g_string_append_c(cell, s[i]);
                i++;
                if (cell->len > EM_MAX_CELL_BYTES) {
                    rc = too_long(name, field_row, err);
                    break;
                }
            }
            if (rc) break;
        }
        /* an unquoted field, or text after the closing quote (kept, as Excel does) */
        while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
            g_string_append_c(cell, s[i++]);
            if (cell->len > EM_MAX_CELL_BYTES) {
                rc = too_long(name, field_row, err);
                break;
            }
        }
        if (rc) break;
        if (col >= EM_MAX_COLS) {
            rc = em_err_set(err, EM_ERR_LIMIT, name, NULL, row, NULL,
                            em_tr("列が多すぎます（上限 %d 列）", "too many columns (limit %d)"),
                            EM_MAX_COLS);
            break;
        }
        if (cell->len > 0) {
            if ((rc = push_cell(&rb, col, name, row, err)) != 0) break;
            rb.offs[rb.n - 1] = rb.text->len;
            g_string_append_len(rb.text, cell->str, (gssize)cell->len);
            g_string_append_c(rb.text, '\0');
        }
        col++;
        int end_of_record = 1;
        if (i < len && s[i] == ',') {
            i++;
            end_of_record = 0;
        } else if (i < len && s[i] == '\r') {
            i++;
            if (i < len && s[i] == '\n') i++;
        } else if (i < len && s[i] == '\n') {
            i++;
        } else {
            i++; /* end of data */
        }
        if (end_of_record) {
            if (rb.n > 0) {
                for (size_t k = 0; k < rb.n; k++) {
                    rb.cells[k].text = rb.text->str + rb.offs[k];
                    rb.cells[k].len = strlen(rb.cells[k].text);
                }
                struct em_row r = {row, rb.cells, rb.n, false};
                int c = fn(ctx, &r, err);
                if (c < 0) rc = c;
                if (c != 0) break;
            }
            rb.n = 0;
            g_string_truncate(rb.text, 0);
            col = 0;
            if (++row > EM_MAX_ROWS && i < len) {
                rc = em_err_set(err, EM_ERR_LIMIT, name, NULL, row, NULL,
                                em_tr("行が多すぎます（上限 %d 行）", "too many rows (limit %d)"),
                                EM_MAX_ROWS);
                break;
            }
        }
    }
    free(rb.cells);
    free(rb.offs);
    g_string_free(rb.text, TRUE);
    g_string_free(cell, TRUE);
    return rc;
}

int em_csv_read_mem(const char *name, const char *data, size_t len, em_row_fn fn, void *ctx,
                    struct em_err *err)
{
    if (len > CSV_MAX_BYTES)
        return em_err_set(err, EM_ERR_LIMIT, name, NULL, 0, NULL,
                          em_tr("ファイルが大きすぎます（上限 %u MiB）", "file too large (limit %u MiB)"),
                          CSV_MAX_BYTES / (1024 * 1024));
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        const char *bad = NULL;
        if (!g_utf8_validate(data + 3, (gssize)(len - 3), &bad)) {
            /* e.g. a CP932 file that an editor gave a UTF-8 mark: say so, not "no header" */
            long line = 1;
            for (const char *q = data; q < bad; q++) line += *q == '\n';
            return em_err_set(err, EM_ERR_FORMAT, name, NULL, line, NULL, "%s",
                              em_tr("ファイルの先頭に UTF-8 の印（BOM）がありますが、中身が UTF-8 ではありません。"
                                    "UTF-8（「CSV UTF-8」）で保存し直すか、印なしの CP932（「CSV (コンマ区切り)」）で保存してください",
                                    "the file starts with a UTF-8 mark (BOM) but is not UTF-8; save it "
                                    "as UTF-8 (\"CSV UTF-8\"), or as CP932 (\"CSV (Comma delimited)\") "
                                    "without the mark"));
        }
        return parse(name, data + 3, len - 3, fn, ctx, err);
    }
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL,
                          em_tr("UTF-16 の CSV（Excel の「Unicode テキスト」）は読めません。"
                                "「CSV UTF-8」または「CSV (コンマ区切り)」で保存し直してください",
                                "UTF-16 text (Excel's \"Unicode Text\") is not supported; "
                                "save as \"CSV UTF-8\" or \"CSV (Comma delimited)\""));
    if (memchr(data, '\0', len))
        return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL,
                          em_tr("CSV ではありません（バイナリデータを含みます）",
                                "not a CSV file (it contains binary data)"));
    if (g_utf8_validate(data, (gssize)len, NULL)) return parse(name, data, len, fn, ctx, err);

    /* Not UTF-8: Excel in Japan writes "CSV (コンマ区切り)" in CP932. */
    gsize out_len = 0;
    GError *gerr = NULL;
    char *u = g_convert(data, (gssize)len, "UTF-8", "CP932", NULL, &out_len, &gerr);
    if (!u) {
        int rc = em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL,
                            em_tr("文字コードを判別できません（UTF-8 でも Shift_JIS/CP932 でもありません）: %s",
                                  "unknown text encoding (neither UTF-8 nor Shift_JIS/CP932): %s"),
                            gerr ? gerr->message : "");
        if (gerr) g_error_free(gerr);
        return rc;
    }
    int rc = parse(name, u, out_len, fn, ctx, err);
    g_free(u);
    return rc;
}

int em_csv_read(const char *path, em_row_fn fn, void *ctx, struct em_err *err)
{
    size_t len = 0;
    char *data = em_file_read(path, CSV_MAX_BYTES, "CSV", &len, err);
    if (!data) return err && err->rc ? err->rc : EM_ERR_IO;
    int rc = em_csv_read_mem(path, data, len, fn, ctx, err);
    free(data);
    return rc;
}
