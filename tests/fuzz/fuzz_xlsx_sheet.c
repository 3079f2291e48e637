/* fuzz_xlsx_sheet.c — libFuzzer target for the XML side of the xlsx reader: the input
 * is a sheet's XML, optionally followed by the marker "\n<!--SST-->\n" and a
 * sharedStrings.xml, then optionally "\n<!--STYLES-->\n" and a styles.xml; wrapped here into a valid zip (stored entries, correct CRCs)
 * with a fixed workbook.xml and relationships, then opened with em_xlsx_open_mem and
 * read. Byte mutations of a deflated zip rarely reach the XML; these do.
 * Built with -DFUZZ_MERGE_DIFF it is fuzz_xlsx_merge instead: a differential test of
 * the merged-range first pass three ways (em_xlsx_test_slow_merges): the default (the
 * quick search, the exact byte scanner when it cannot decide), the exact scanner alone,
 * and the plain libxml2 pass: when the plain pass succeeds, each of the others that
 * succeeds must deliver the same rows.
 * Built plainly it also reads the whole sheet in one thread and through the parsing
 * thread (em_xlsx_test_pipe, one and two rows a batch) and aborts unless the rc, the
 * rows and the error record agree.
 * Seeds: tests/fuzz/corpus/xlsx_sheet/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#ifdef FUZZ_MERGE_DIFF
void em_xlsx_test_slow_merges(int on);
#endif
/* mapper/xlsx_pipe.c's hook: 1 one thread, 2 the parsing thread; rows per batch */
void em_xlsx_test_pipe(int mode, size_t rows);

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

struct zbuf { uint8_t *p; size_t n, cap; };
static void put(struct zbuf *z, const void *d, size_t n)
{
    if (z->n + n > z->cap) {
        size_t c = z->cap ? z->cap : 4096;
        while (c < z->n + n) c *= 2;
        uint8_t *q = realloc(z->p, c);
        if (!q) abort();
        z->p = q;
        z->cap = c;
    }
    memcpy(z->p + z->n, d, n);
    z->n += n;
}
static void put16(struct zbuf *z, unsigned v) { uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)}; put(z, b, 2); }
static void put32(struct zbuf *z, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(z, b, 4);
}

struct ent { const char *name; const uint8_t *data; size_t len; uint32_t off, crc; };

/* A zip of stored entries: local headers + data, central directory, end record. */
static void make_zip(struct zbuf *z, struct ent *e, int n)
{
    for (int i = 0; i < n; i++) {
        e[i].off = (uint32_t)z->n;
        e[i].crc = crc32_of(e[i].data, e[i].len);
        put32(z, 0x04034b50); put16(z, 20); put16(z, 0x0800); put16(z, 0); put16(z, 0); put16(z, 0);
        put32(z, e[i].crc); put32(z, (uint32_t)e[i].len); put32(z, (uint32_t)e[i].len);
        put16(z, (unsigned)strlen(e[i].name)); put16(z, 0);
        put(z, e[i].name, strlen(e[i].name));
        put(z, e[i].data, e[i].len);
    }
    uint32_t cd = (uint32_t)z->n;
    for (int i = 0; i < n; i++) {
        put32(z, 0x02014b50); put16(z, 20); put16(z, 20); put16(z, 0x0800); put16(z, 0); put16(z, 0); put16(z, 0);
        put32(z, e[i].crc); put32(z, (uint32_t)e[i].len); put32(z, (uint32_t)e[i].len);
        put16(z, (unsigned)strlen(e[i].name)); put16(z, 0); put16(z, 0); put16(z, 0); put16(z, 0);
        put32(z, 0); put32(z, e[i].off);
        put(z, e[i].name, strlen(e[i].name));
    }
    uint32_t cdlen = (uint32_t)z->n - cd;
    put32(z, 0x06054b50); put16(z, 0); put16(z, 0); put16(z, (unsigned)n); put16(z, (unsigned)n);
    put32(z, cdlen); put32(z, cd); put16(z, 0);
}

static const char WB[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"回線・機器情報記入シート\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"/xl/styles.xml\"/>"
    "</Relationships>";
static const char MARK[] = "\n<!--SST-->\n";
static const char MARK2[] = "\n<!--STYLES-->\n";

/* Position of marker m in d[from..size), or size. */
static size_t find(const uint8_t *d, size_t from, size_t size, const char *m, size_t ml)
{
    for (size_t i = from; i + ml <= size; i++)
        if (memcmp(d + i, m, ml) == 0) return i;
    return size;
}

static uint64_t row_hash;   /* FNV-1a over every delivered row (FUZZ_MERGE_DIFF) */

static void hash(const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++) row_hash = (row_hash ^ ((const uint8_t *)p)[i]) * 1099511628211u;
}

static int on_row(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)err;
    size_t *cells = ctx;
    hash(&row->row, sizeof row->row);
    for (size_t i = 0; i < row->n; i++) {
        hash(&row->cells[i].col, sizeof row->cells[i].col);
        hash(row->cells[i].text, row->cells[i].len + 1);
    }
    if (row->row < 1 || row->row > EM_MAX_ROWS || row->n > EM_MAX_ROW_CELLS) abort();
    for (size_t i = 0; i < row->n; i++) {
        const struct em_cell *c = &row->cells[i];
        if (c->col < 0 || c->col >= EM_MAX_COLS || c->len == 0 || c->len > EM_MAX_CELL_BYTES) abort();
        if (strlen(c->text) != c->len) abort();
        if (i > 0 && c->col <= row->cells[i - 1].col) abort();
    }
    *cells += row->n;
    return 0;
}

#ifndef FUZZ_MERGE_DIFF
/* The whole sheet read in one thread and through the parsing thread (mapper/xlsx_pipe.c,
 * one and two rows a batch): the same rc, rows and error record, or abort. */
static void pipe_diff(const struct zbuf *z)
{
    static const int mode[3] = {1, 2, 2};
    static const size_t rows[3] = {0, 1, 2};
    int rc[3];
    uint64_t h[3];
    struct em_err er[3];
    for (int k = 0; k < 3; k++) {
        em_xlsx_test_pipe(mode[k], rows[k]);
        em_err_clear(&er[k]);
        struct em_xlsx *x = em_xlsx_open_mem("fuzz.xlsx", z->p, z->n, &er[k]);
        size_t nc = 0;
        row_hash = 1469598103934665603u;
        rc[k] = x ? em_xlsx_read_sheet(x, 0, 0, on_row, &nc, &er[k]) : er[k].rc;
        h[k] = row_hash;
        em_xlsx_close(x);
    }
    em_xlsx_test_pipe(0, 0);
    for (int k = 1; k < 3; k++)
        if (rc[k] != rc[0] || h[k] != h[0] || er[k].rc != er[0].rc || er[k].row != er[0].row ||
            strcmp(er[k].msg, er[0].msg) != 0 || strcmp(er[k].column, er[0].column) != 0)
            abort();
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        struct em_xlsx_limits l = em_xlsx_limits_default();
        l.merge_cells = 1u << 20;
        em_xlsx_set_limits(&l);
        init = 1;
    }
    size_t m1 = find(data, 0, size, MARK, sizeof MARK - 1);
    size_t sst_off = m1 < size ? m1 + sizeof MARK - 1 : size;
    size_t m2 = find(data, m1 < size ? sst_off : 0, size, MARK2, sizeof MARK2 - 1);
    size_t sty_off = m2 < size ? m2 + sizeof MARK2 - 1 : size;
    struct ent e[5] = {
        {"xl/workbook.xml", (const uint8_t *)WB, sizeof WB - 1, 0, 0},
        {"xl/_rels/workbook.xml.rels", (const uint8_t *)RELS, sizeof RELS - 1, 0, 0},
        {"xl/worksheets/sheet1.xml", data, m1 < size ? m1 : m2, 0, 0},
        {"xl/sharedStrings.xml", data + sst_off, (m2 < size ? m2 : size) - sst_off, 0, 0},
        {"xl/styles.xml", data + sty_off, size - sty_off, 0, 0},
    };
    int n = 3;
    if (m1 < size) n++;
    else e[3] = e[4];
    if (m2 < size) {
        if (m1 < size) n++;
        else n = 4;
    }
    struct zbuf z = {NULL, 0, 0};
    make_zip(&z, e, n);
#ifdef FUZZ_MERGE_DIFF
    int rc2[3];
    uint64_t h2[3];
    for (int slow = 0; slow < 3; slow++) {  /* 0 default, 1 plain pass, 2 exact scanner */
        em_xlsx_test_slow_merges(slow);
        struct em_err er;
        em_err_clear(&er);
        struct em_xlsx *xx = em_xlsx_open_mem("fuzz.xlsx", z.p, z.n, &er);
        size_t nc = 0;
        row_hash = 1469598103934665603u;
        rc2[slow] = xx ? em_xlsx_read_sheet(xx, 0, 0, on_row, &nc, &er) : er.rc;
        h2[slow] = row_hash;
        em_xlsx_close(xx);
    }
    em_xlsx_test_slow_merges(0);
    free(z.p);
    /* same rows, merges applied, as the plain pass whenever it succeeds. (When it
     * fails the part is not well-formed: the quick search and the exact scanner may
     * then read malformed bytes between </sheetData> and <mergeCells> differently,
     * e.g. an unclosed "<mergeCellsX*>" — both skip them, as the sheet pass does.) */
    if (rc2[1] >= 0)
        for (int a = 0; a < 3; a += 2)
            if (rc2[a] >= 0 && h2[a] != h2[1]) abort();
    return 0;
#endif
#ifndef FUZZ_MERGE_DIFF
    pipe_diff(&z);
#endif
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open_mem("fuzz.xlsx", z.p, z.n, &err);
    if (!x) {
        if (err.rc >= 0 || err.msg[0] == '\0') abort();
        free(z.p);
        return 0;
    }
    size_t cells = 0;
    for (size_t i = 0; i < em_xlsx_sheet_count(x); i++) {
        for (long max = 20; max >= 0; max -= 20) {  /* header search, then everything */
            em_err_clear(&err);
            int rc = em_xlsx_read_sheet(x, i, max, on_row, &cells, &err);
            if (rc < 0 && (err.rc != rc || err.msg[0] == '\0')) abort();
            if (rc > 0) abort();
        }
    }
    em_xlsx_close(x);
    free(z.p);
    return 0;
}
