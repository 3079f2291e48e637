/* mapper_xlsx_pipe.c — the sheet pass through its parsing thread (mapper/xlsx_pipe.c)
 * against the same pass in one thread, on workbooks built here: the same rows in the
 * same order, the same stop, max_rows and errors, whatever the batch size, with rows
 * whose text fills several batches. (tests/unit/mapper_xlsx.c also runs all its cases
 * through the parsing thread.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "mapper/lang.h"
#include "mapper/xlsx.h"
#include "tests/unit/t.h"

/* mapper/xlsx_pipe.c's test hook: 1 one thread, 2 the parsing thread, 3 as if the
 * thread could not be created, 0 the default; rows per batch (0: the default). */
void em_xlsx_test_pipe(int mode, size_t rows);

static char tmpdir[256];

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
static const char *WB =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook " NS "><sheets><sheet name=\"回線\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char *SST =
    "<sst " NS "><si><t>東日本電信電話</t></si><si><t>フレッツ光ネクスト</t></si>"
    "<si><r><t>VPN</t></r><r><t>ルータ</t></r></si></sst>";
static const char *STYLES =
    "<styleSheet " NS "><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
    "</styleSheet>";

/* A growing text buffer (the sheet XML). */
struct buf { char *s; size_t len, cap; };
static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) T_FAIL("vsnprintf");
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1 << 16;
        while (cap < b->len + (size_t)n + 1) cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) T_FAIL("out of memory");
        b->s = p;
        b->cap = cap;
    }
}

/* Writes tmpdir/fname: one sheet with sheetData body rows and tail after it. */
static const char *mkbook(const char *fname, const char *rows, const char *tail)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, fname);
    struct buf sheet = {0};
    put(&sheet, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS
                "><sheetData>%s</sheetData>%s</worksheet>", rows, tail ? tail : "");
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) T_FAIL("zip_open(%s): %d", path, zerr);
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                           "xl/styles.xml", "xl/worksheets/sheet1.xml"};
    const char *data[] = {WB, RELS, SST, STYLES, sheet.s};
    for (size_t i = 0; i < 5; i++) {
        zip_source_t *s = zip_source_buffer(z, data[i], strlen(data[i]), 0);
        if (!s || zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0)
            T_FAIL("zip_file_add(%s): %s", names[i], zip_strerror(z));
    }
    if (zip_close(z) != 0) T_FAIL("zip_close: %s", zip_strerror(z));
    free(sheet.s);
    return path;
}

/* What a read delivered: a hash of every row (number, columns, texts), the rows, the
 * last row number; the callback stops (stop_after) or fails (fail_after) after that
 * many rows when > 0. */
struct seen {
    uint64_t hash;
    long rows, last;
    long stop_after, fail_after;
    bool bad;           /* a text whose length or NUL was wrong, or cells out of order */
};

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) *h = (*h ^ c[i]) * 1099511628211ull;
}

static int on_row(void *ctx, const struct em_row *row, struct em_err *err)
{
    struct seen *s = ctx;
    s->rows++;
    s->last = row->row;
    mix(&s->hash, &row->row, sizeof row->row);
    for (size_t i = 0; i < row->n; i++) {
        const struct em_cell *c = &row->cells[i];
        if (strlen(c->text) != c->len || (i > 0 && c->col <= row->cells[i - 1].col)) s->bad = true;
        mix(&s->hash, &c->col, sizeof c->col);
        mix(&s->hash, c->text, c->len + 1);
    }
    if (s->fail_after > 0 && s->rows >= s->fail_after) {
        if (s->fail_after % 2 == 0) /* half of them word their own error */
            return em_err_set(err, EM_ERR_FORMAT, "cb", "cb", row->row, NULL, "callback says no at %ld",
                              row->row);
        return EM_ERR_NOSHEET;   /* the reader words it */
    }
    if (s->stop_after > 0 && s->rows >= s->stop_after) return 1;
    return 0;
}

/* One read of sheet 0 of path in mode (1 one thread, 2 the parsing thread) with rows per
 * batch; *s and *err get what came. Returns the rc. */
static int read_mode(const char *path, int mode, size_t rows, long max_rows, struct seen *s,
                     struct em_err *err)
{
    long stop = s->stop_after, fail = s->fail_after;
    memset(s, 0, sizeof *s);
    s->hash = 14695981039346656037ull;
    s->stop_after = stop;
    s->fail_after = fail;
    em_err_clear(err);
    em_xlsx_test_pipe(mode, rows);
    struct em_xlsx *x = em_xlsx_open(path, err);
    int rc = x ? em_xlsx_read_sheet(x, 0, max_rows, on_row, s, err) : err->rc;
    em_xlsx_close(x);
    em_xlsx_test_pipe(0, 0);
    return rc;
}

static const size_t batch_rows[] = {1, 2, 7, 64, 0};
#define NBATCH (sizeof batch_rows / sizeof batch_rows[0])

/* Reads path in one thread and through the parsing thread at every batch size, with
 * the same stop / fail / max_rows: rc, rows, their hash and the error record must be
 * equal. Returns the one-thread rc (for the caller's own checks); *ref gets its rows. */
static int same_both_ways(const char *what, const char *path, long max_rows, long stop_after,
                          long fail_after, struct seen *ref, struct em_err *rerr)
{
    ref->stop_after = stop_after;
    ref->fail_after = fail_after;
    int rrc = read_mode(path, 1, 0, max_rows, ref, rerr);
    for (size_t k = 0; k < NBATCH; k++) {
        struct seen s = {.stop_after = stop_after, .fail_after = fail_after};
        struct em_err err;
        int rc = read_mode(path, 2, batch_rows[k], max_rows, &s, &err);
        const char *ctx = what;
        if (rc != rrc) T_FAIL("%s, batch %zu: rc %d, one thread %d (%s)", ctx, batch_rows[k], rc, rrc, err.msg);
        if (s.rows != ref->rows || s.hash != ref->hash || s.last != ref->last)
            T_FAIL("%s, batch %zu: %ld rows (last %ld), one thread %ld (last %ld), or other texts",
                   ctx, batch_rows[k], s.rows, s.last, ref->rows, ref->last);
        if (s.bad) T_FAIL("%s, batch %zu: a cell text or order is wrong", ctx, batch_rows[k]);
        if (err.rc != rerr->rc || err.row != rerr->row || strcmp(err.msg, rerr->msg) != 0 ||
            strcmp(err.file, rerr->file) != 0 || strcmp(err.sheet, rerr->sheet) != 0 ||
            strcmp(err.column, rerr->column) != 0)
            T_FAIL("%s, batch %zu: error %d row %ld col '%s' '%s', one thread %d row %ld col '%s' '%s'",
                   ctx, batch_rows[k], err.rc, err.row, err.column, err.msg, rerr->rc, rerr->row,
                   rerr->column, rerr->msg);
    }
    if (ref->bad) T_FAIL("%s, one thread: a cell text or order is wrong", what);
    return rrc;
}

/* n survey-like rows: shared strings, inline strings with escapes, numbers, dates, a
 * boolean, 回線No merged down every three rows and a header merged across; row `bad`
 * (when > 0) carries a malformed cell reference. */
static char *survey_rows(int n, int bad, struct buf *mc)
{
    struct buf b = {0};
    put(mc, "<mergeCells><mergeCell ref=\"B1:E1\"/>");
    put(&b, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>回線No</t></is></c>"
            "<c r=\"B1\" t=\"inlineStr\"><is><t>装置①</t></is></c></row>");
    for (int r = 2; r <= n; r++) {
        put(&b, "<row r=\"%d\">", r);
        if (r % 3 == 2) {
            put(&b, "<c r=\"A%d\" t=\"inlineStr\"><is><t>L-%05d_x000D_</t></is></c>", r, r);
            if (r + 2 <= n) put(mc, "<mergeCell ref=\"A%d:A%d\"/>", r, r + 2);
        }
        put(&b, "<c r=\"B%d\" t=\"s\"><v>%d</v></c>", r, r % 3);
        put(&b, "<c r=\"%s%d\"><v>%d.0</v></c>", r == bad ? "1C" : "C", r, r * 7);
        put(&b, "<c r=\"D%d\" s=\"1\"><v>%d</v></c>", r, 45000 + r % 400);
        if (r % 5 == 0) put(&b, "<c r=\"E%d\" t=\"b\"><v>1</v></c>", r);
        if (r % 11 == 0) put(&b, "<c r=\"G%d\" t=\"inlineStr\"><is><t>備考 %d &amp; 他</t></is></c>", r, r);
        put(&b, "</row>");
    }
    put(mc, "</mergeCells>");
    return b.s;
}

static void t_same_rows(void)
{
    struct buf mc = {0};
    char *rows = survey_rows(700, 0, &mc);
    const char *p = mkbook("survey.xlsx", rows, mc.s);
    free(rows);
    free(mc.s);
    struct seen ref;
    struct em_err err;
    T_EQ_INT(same_both_ways("whole sheet", p, 0, 0, 0, &ref, &err), 0);
    T_EQ_INT(ref.rows, 700);
    T_EQ_INT(ref.last, 700);
}

/* The callback's stop and failure, and max_rows, at and around batch boundaries: no row
 * after it reaches the callback, the same rc and error. */
static void t_stop_fail_max(void)
{
    struct buf mc = {0};
    char *rows = survey_rows(300, 0, &mc);
    const char *p = mkbook("stops.xlsx", rows, mc.s);
    free(rows);
    free(mc.s);
    static const long at[] = {1, 2, 3, 7, 63, 64, 65, 128, 255, 256, 257, 299, 300};
    struct seen ref;
    struct em_err err;
    char what[64];
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        snprintf(what, sizeof what, "stop after %ld", at[i]);
        T_EQ_INT(same_both_ways(what, p, 0, at[i], 0, &ref, &err), 1);
        T_EQ_INT(ref.rows, at[i]);
        snprintf(what, sizeof what, "fail after %ld", at[i]);
        int rc = same_both_ways(what, p, 0, 0, at[i], &ref, &err);
        T_EQ_INT(ref.rows, at[i]);
        if (at[i] % 2 == 0) {
            T_EQ_INT(rc, EM_ERR_FORMAT);
            T_EQ_STR(err.file, "cb");
        } else {
            T_EQ_INT(rc, EM_ERR_NOSHEET);
            T_EQ_INT(err.row, ref.last);
        }
        snprintf(what, sizeof what, "max_rows %ld", at[i]);
        T_EQ_INT(same_both_ways(what, p, at[i], 0, 0, &ref, &err), 0);
        T_EQ_INT(ref.rows, at[i]);
        /* max_rows and a stop on the same row: the stop is said */
        snprintf(what, sizeof what, "max_rows and stop %ld", at[i]);
        T_EQ_INT(same_both_ways(what, p, at[i], at[i], 0, &ref, &err), 1);
    }
}

/* An error of the parse after N good rows: the N rows first, then the same error (file,
 * sheet, row, column, text) as in one thread; an error of the callback before it wins. */
static void t_error_after_rows(void)
{
    static const int bad_at[] = {2, 65, 130, 299};
    struct seen ref;
    struct em_err err;
    char what[64];
    for (size_t i = 0; i < sizeof bad_at / sizeof bad_at[0]; i++) {
        struct buf mc = {0};
        char *rows = survey_rows(300, bad_at[i], &mc);
        const char *p = mkbook("bad.xlsx", rows, mc.s);
        free(rows);
        free(mc.s);
        snprintf(what, sizeof what, "bad reference in row %d", bad_at[i]);
        T_EQ_INT(same_both_ways(what, p, 0, 0, 0, &ref, &err), EM_ERR_FORMAT);
        T_EQ_INT(err.row, bad_at[i]);
        T_EQ_INT(ref.last, bad_at[i] - 1);
        if (!strstr(err.msg, "1C")) T_FAIL("%s: %s", what, err.msg);
        snprintf(what, sizeof what, "callback fails before the bad row %d", bad_at[i]);
        T_EQ_INT(same_both_ways(what, p, 0, 0, 1, &ref, &err), EM_ERR_NOSHEET);
    }
    /* broken XML after the rows (no </sheetData>), a cut at every batch size */
    struct buf mc = {0};
    char *rows = survey_rows(200, 0, &mc);
    struct buf b = {0};
    put(&b, "%s<row r=\"201\"><c r=\"A201\"><v>1</v></c>", rows);
    const char *p = mkbook("cut.xlsx", b.s, "<oops");
    free(rows);
    free(mc.s);
    free(b.s);
    T_EQ_INT(same_both_ways("broken XML after 200 rows", p, 0, 0, 0, &ref, &err), EM_ERR_FORMAT);
    T_EQ_INT(ref.rows, 200);
}

/* Rows whose text is larger than a batch's first text block (16 KiB) and, together,
 * than the queue's text bound (4 MiB): big inline strings, a merged range over many
 * columns of one 30 KB value. */
static void t_big_rows(void)
{
    static char big[30001];
    uint32_t seed = 12345;   /* letters that do not compress past the zip-bomb ratio */
    struct buf b = {0};
    for (int r = 1; r <= 300; r++) {
        for (size_t i = 0; i < 30000; i++) {
            seed = seed * 1103515245u + 12345u;
            big[i] = (char)('a' + (seed >> 16) % 26);
        }
        big[30000] = '\0';
        put(&b, "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c>", r, r, r);
        if (r % 2 == 1) put(&b, "<c r=\"B%d\" t=\"inlineStr\"><is><t>%d%s</t></is></c>", r, r, big);
        if (r == 150) put(&b, "<c r=\"C%d\" t=\"inlineStr\"><is><t>%s</t></is></c>", r, big);
        put(&b, "</row>");
    }
    const char *p = mkbook("big.xlsx", b.s, "<mergeCells><mergeCell ref=\"C150:Z152\"/></mergeCells>");
    free(b.s);
    struct seen ref;
    struct em_err err;
    int rc = same_both_ways("big rows", p, 0, 0, 0, &ref, &err);
    if (rc != 0) T_FAIL("big rows: rc %d: %s", rc, err.msg);
    T_EQ_INT(ref.rows, 300);
    T_EQ_INT(same_both_ways("big rows, stop at 151", p, 0, 151, 0, &ref, &err), 1);
}

/* The default: a whole sheet over 256 KB goes through the parsing thread, a probe of the
 * first rows or a small sheet not — either way the same rows (the choice is not visible
 * to the caller; this reads both through the default). */
static void t_default_choice(void)
{
    struct buf mc = {0};
    char *rows = survey_rows(3000, 0, &mc);   /* about 500 KB of XML */
    const char *p = mkbook("default.xlsx", rows, mc.s);
    free(rows);
    free(mc.s);
    struct seen a = {0}, s = {0};
    struct em_err ea, es;
    int rc0 = read_mode(p, 0, 0, 0, &a, &ea);
    int rc1 = read_mode(p, 1, 0, 0, &s, &es);
    T_EQ_INT(rc0, 0);
    T_EQ_INT(rc1, 0);
    T_EQ_INT(a.rows, 3000);
    T_ASSERT(a.hash == s.hash);
    rc0 = read_mode(p, 0, 0, 20, &a, &ea);
    rc1 = read_mode(p, 1, 0, 20, &s, &es);
    T_EQ_INT(rc0, 0);
    T_EQ_INT(a.rows, 20);
    T_ASSERT(a.hash == s.hash);
}

/* When the thread cannot be created (pthread_create fails: mode 3 of the hook) the
 * same read runs in the calling thread, with the same rows, stop and error. */
static void t_no_thread(void)
{
    struct buf mc = {0};
    char *rows = survey_rows(300, 130, &mc);
    const char *p = mkbook("nothread.xlsx", rows, mc.s);
    free(rows);
    free(mc.s);
    struct seen a = {0}, s = {0};
    struct em_err ea, es;
    int rc3 = read_mode(p, 3, 1, 0, &a, &ea);
    int rc1 = read_mode(p, 1, 0, 0, &s, &es);
    T_EQ_INT(rc3, EM_ERR_FORMAT);
    T_EQ_INT(rc1, rc3);
    T_EQ_INT(a.rows, 129);
    T_ASSERT(a.hash == s.hash);
    T_EQ_STR(ea.msg, es.msg);
    a.stop_after = s.stop_after = 10;
    T_EQ_INT(read_mode(p, 3, 1, 0, &a, &ea), 1);
    T_EQ_INT(read_mode(p, 1, 0, 0, &s, &es), 1);
    T_EQ_INT(a.rows, 10);
    T_ASSERT(a.hash == s.hash);
}

static void cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (tmpdir[0] && system(cmd) != 0) fputs("cannot remove temp dir\n", stderr);
}

static const struct t_case cases[] = {
    {"xlsx parsing thread: the same rows as one thread, every batch size", t_same_rows},
    {"xlsx parsing thread: callback stop, failure and max_rows at batch boundaries", t_stop_fail_max},
    {"xlsx parsing thread: an error after N rows comes after those rows, worded the same", t_error_after_rows},
    {"xlsx parsing thread: rows larger than a batch and than the queue bound", t_big_rows},
    {"xlsx parsing thread: the default choice reads the same rows", t_default_choice},
    {"xlsx parsing thread: without a thread (pthread_create failed) the same read in one thread", t_no_thread},
};

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/em-xlsxp-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("not ok - xlsx pipe tests: cannot create a temp dir\n");
        return 1;
    }
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    cleanup();
    return rc;
}
