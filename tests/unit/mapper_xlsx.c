/* mapper_xlsx.c — the xlsx reader on workbooks built here with libzip (each XML part
 * written as a string): values, merges, relationships, caps, hostile input. */
/* t.h's messages truncate long strings on purpose (snprintf into 512 bytes) */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include <fcntl.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "mapper/lang.h"
#include "mapper/xlsx.h"
#include "tests/unit/t.h"

static char tmpdir[256];

/* ---- building workbooks ----------------------------------------------------- */

struct zpart { const char *name; const char *data; size_t len; };

/* Writes a zip holding parts into tmpdir/fname; returns the path (static buffer). */
static const char *mkzip(const char *fname, const struct zpart *parts, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, fname);
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) T_FAIL("zip_open(%s) failed: %d", path, zerr);
    for (size_t i = 0; i < n; i++) {
        size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *s = zip_source_buffer(z, parts[i].data, len, 0);
        if (!s || zip_file_add(z, parts[i].name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0)
            T_FAIL("zip_file_add(%s): %s", parts[i].name, zip_strerror(z));
    }
    if (zip_close(z) != 0) T_FAIL("zip_close: %s", zip_strerror(z));
    return path;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define RELNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define WS_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
#define SST_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

static const char *WB1 =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook " NS "><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *RELS1 =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships " RELNS ">"
    "<Relationship Id=\"rId1\" Type=\"" WS_TYPE "\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId9\" Type=\"" SST_TYPE "\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

/* A one-sheet workbook from a sheetData body (and optional tail / shared strings). */
static char sheetbuf[4 << 20];
static const char *book1(const char *fname, const char *sst, const char *rows, const char *tail)
{
    snprintf(sheetbuf, sizeof sheetbuf,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS
             "><dimension ref=\"A1\"/><sheetData>%s</sheetData>%s</worksheet>",
             rows, tail ? tail : "");
    struct zpart p[4] = {
        {"xl/workbook.xml", WB1, 0},
        {"xl/_rels/workbook.xml.rels", RELS1, 0},
        {"xl/worksheets/sheet1.xml", sheetbuf, 0},
        {"xl/sharedStrings.xml", sst ? sst : "", 0},
    };
    return mkzip(fname, p, sst ? 4 : 3);
}

/* ---- collecting rows -------------------------------------------------------- */

struct got {
    char text[1 << 16];   /* "row:COL=text|COL=text\n" ... */
    size_t len;
    long rows;
    long stop_after;      /* fn returns 1 after this many rows when > 0 */
};

static void col_name(int c, char *buf)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0) { tmp[n++] = (char)('A' + (c - 1) % 26); c = (c - 1) / 26; }
    int i = 0;
    while (n > 0) buf[i++] = tmp[--n];
    buf[i] = '\0';
}

static int collect(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)err;
    struct got *g = ctx;
    g->rows++;
    size_t room = sizeof g->text - g->len;
    int k = snprintf(g->text + g->len, room, "%ld:", row->row);
    if (k > 0 && (size_t)k < room) g->len += (size_t)k;
    for (size_t i = 0; i < row->n; i++) {
        char cn[8];
        col_name(row->cells[i].col, cn);
        if (strlen(row->cells[i].text) != row->cells[i].len) T_FAIL("len mismatch in row %ld", row->row);
        if (i > 0 && row->cells[i].col <= row->cells[i - 1].col) T_FAIL("cells out of order in row %ld", row->row);
        room = sizeof g->text - g->len;
        k = snprintf(g->text + g->len, room, "%s%s=%s", i ? "|" : "", cn, row->cells[i].text);
        if (k > 0 && (size_t)k < room) g->len += (size_t)k;
    }
    if (g->len + 1 < sizeof g->text) g->text[g->len++] = '\n';
    g->text[g->len] = '\0';
    if (g->stop_after > 0 && g->rows >= g->stop_after) return 1;
    return 0;
}

/* Opens path, reads sheet 0 into g; returns the rc of open (as rc<0) or read. */
static int read0(const char *path, long max_rows, struct got *g, struct em_err *err)
{
    memset(g, 0, sizeof *g);
    em_err_clear(err);
    struct em_xlsx *x = em_xlsx_open(path, err);
    if (!x) return err->rc;
    int rc = em_xlsx_read_sheet(x, 0, max_rows, collect, g, err);
    em_xlsx_close(x);
    return rc;
}

static bool has(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

#define T_HAS(hay, needle) do { if (!has((hay), (needle))) \
    T_FAIL("%s:%d: \"%s\" does not contain \"%s\"", __FILE__, __LINE__, (hay), (needle)); } while (0)

/* ---- cases ------------------------------------------------------------------ */

static void t_shared_strings(void)
{
    const char *sst =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<sst " NS " count=\"4\" uniqueCount=\"4\">"
        "<si><t>回線No</t></si>"
        "<si><r><rPr><b/></rPr><t>NTT</t></r><r><t xml:space=\"preserve\"> 東日本</t></r></si>"
        "<si><t>設置場所</t><rPh sb=\"0\" eb=\"4\"><t>セッチバショ</t></rPh><phoneticPr fontId=\"1\"/></si>"
        "<si><t/></si>"
        "<si><t>a&amp;b &lt;c&gt;</t></si>"
        "<si><t>回線_x000D_\n名_x005F_x0041_!_x0000_</t></si>"
        "</sst>";
    const char *p = book1("sst.xlsx", sst,
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c>"
        "<c r=\"F1\" t=\"s\"><v>5</v></c></row>",
        NULL);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=回線No|B=NTT 東日本|C=設置場所|E=a&b <c>|F=回線\r\n名_x0041_!\n");
}

static void t_inline_strings(void)
{
    const char *p = book1("inline.xlsx", NULL,
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>装置①</t></is></c>"
        "<c r=\"B2\" t=\"inlineStr\"><is><r><t>ルー</t></r><r><t>ター</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>ルーター</t></rPh></is></c>"
        "<c r=\"C2\" t=\"inlineStr\"><is><t></t></is></c>"
        "<c r=\"D2\" t=\"inlineStr\"><is><t>_x0000_</t></is></c>"
        "<c r=\"E2\" t=\"inlineStr\"><is><t>a_x000d_b_xZZZZ_</t></is></c></row>",
        NULL);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "2:A=装置①|B=ルーター|E=a\rb_xZZZZ_\n");
}

static void t_values(void)
{
    const char *p = book1("values.xlsx", NULL,
        "<row r=\"1\">"
        "<c r=\"A1\"><v>3</v></c>"
        "<c r=\"B1\" s=\"2\"><v>3.5</v></c>"
        "<c r=\"C1\"><v>1.5E+20</v></c>"
        "<c r=\"D1\" t=\"n\"><v>3.0</v></c>"
        "<c r=\"E1\" t=\"b\"><v>1</v></c>"
        "<c r=\"F1\" t=\"b\"><v>0</v></c>"
        "<c r=\"G1\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c>"
        "<c r=\"H1\"><f>1+1</f><v>2</v></c>"
        "<c r=\"I1\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
        "<c r=\"J1\" t=\"e\"><v>#N/A</v></c>"
        "<c r=\"K1\" s=\"3\"/>"
        "<c r=\"L1\"><v>-12.000</v></c>"
        "<c r=\"M1\"><v>0.25</v></c>"
        "<c r=\"N1\"><f>A1</f></c>"
        "</row>",
        NULL);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=3|B=3.5|C=1.5E+20|D=3|E=TRUE|F=FALSE|G=ab|H=2|I=#DIV/0!|J=#N/A|L=-12|M=0.25\n");
}

/* Numbers in a date/time style come out as dates (styles.xml: built-in 14, Japanese
 * built-in 31, custom codes), other formats (scientific, currency, General) stay
 * numbers; <workbookPr date1904> moves the epoch. */
static void t_dates(void)
{
    const char *styles =
        "<styleSheet " NS "><numFmts count=\"4\">"
        "<numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"0.00E+00\"/>"
        "<numFmt numFmtId=\"166\" formatCode=\"[$&#165;-411]#,##0&quot;円&quot;\"/>"
        "<numFmt numFmtId=\"167\" formatCode=\"h:mm\"/></numFmts>"
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"31\"/>"
        "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/></cellXfs>"
        "</styleSheet>";
    const char *sheet =
        "<worksheet " NS "><sheetData><row r=\"1\">"
        "<c r=\"A1\" s=\"0\"><v>41301</v></c><c r=\"B1\" s=\"1\"><v>41301</v></c>"
        "<c r=\"C1\" s=\"2\"><v>46351</v></c><c r=\"D1\" s=\"3\"><v>1000</v></c>"
        "<c r=\"E1\" s=\"4\"><v>41301</v></c><c r=\"F1\" s=\"5\"><v>41301</v></c>"
        "<c r=\"G1\" s=\"6\"><v>0.5</v></c><c r=\"H1\" s=\"1\"><v>41301.75</v></c>"
        "<c r=\"I1\" s=\"1\" t=\"s\"><v>0</v></c><c r=\"J1\" s=\"99\"><v>41301</v></c>"
        "<c r=\"K1\" s=\"1\"><v>-5</v></c><c r=\"L1\" s=\"1\"><v>1</v></c>"
        "</row></sheetData></worksheet>";
    const char *sst = "<sst " NS "><si><t>41301</t></si></sst>";
    const char *rels =
        "<Relationships " RELNS ">"
        "<Relationship Id=\"rId1\" Type=\"" WS_TYPE "\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"" SST_TYPE "\" Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        "</Relationships>";
    struct zpart p[] = {
        {"xl/workbook.xml", WB1, 0}, {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0}, {"xl/sharedStrings.xml", sst, 0},
        {"xl/styles.xml", styles, 0},
    };
    const char *path = mkzip("dates.xlsx", p, 5);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(path, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=41301|B=2013-01-27|C=2026-11-25|D=1902-09-26|E=41301|F=41301|G=12:00:00"
                     "|H=2013-01-27 18:00:00|I=41301|J=41301|K=-5|L=1900-01-01\n");
    static const char *WB1904 =
        "<workbook " NS "><workbookPr date1904=\"1\"/><sheets>"
        "<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    p[0].data = WB1904;
    path = mkzip("dates1904.xlsx", p, 5);
    T_EQ_INT(read0(path, 0, &g, &err), 0);
    T_HAS(g.text, "B=2017-01-28|");
    T_HAS(g.text, "D=1906-09-27|");
}

static void t_gaps(void)
{
    const char *p = book1("gaps.xlsx", NULL,
        "<row r=\"7\"><c r=\"A7\"><v>1</v></c><c r=\"D7\"><v>4</v></c><c><v>5</v></c></row>"
        "<row r=\"10\"><c r=\"B10\"><v>2</v></c></row>"
        "<row><c><v>x</v></c><c><v>y</v></c></row>"
        "<row r=\"13\" spans=\"1:3\"/>"
        "<row r=\"14\"><c r=\"AA14\" t=\"inlineStr\"><is><t>z</t></is></c></row>",
        NULL);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "7:A=1|D=4|E=5\n10:B=2\n11:A=x|B=y\n14:AA=z\n");
}

/* 回線No merged down the rows of one line (A2:A4, row 4 has no <row> at all) and the
 * device group header merged across (B1:D1, value in B1, stale value in C1). */
static void t_merges(void)
{
    const char *p = book1("merge.xlsx", NULL,
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>回線No</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>装置①</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>stale</t></is></c><c r=\"D1\" s=\"1\"/>"
        "<c r=\"E1\" t=\"inlineStr\"><is><t>備考</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>L-001</t></is></c><c r=\"E2\"><v>1</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" s=\"1\"/><c r=\"E3\"><v>2</v></c></row>"
        "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>L-002</t></is></c></row>",
        "<mergeCells count=\"4\"><mergeCell ref=\"A2:A4\"/><mergeCell ref=\"B1:D1\"/>"
        "<mergeCell ref=\"F2:G3\"/><mergeCell ref=\"A6:A8\"/></mergeCells>"
        "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>");
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text,
             "1:A=回線No|B=装置①|C=装置①|D=装置①|E=備考\n"
             "2:A=L-001|E=1\n"
             "3:A=L-001|E=2\n"
             "4:A=L-001\n"
             "6:A=L-002\n"
             "7:A=L-002\n"
             "8:A=L-002\n");
    /* max_rows counts delivered rows; the merge cache is reused on a second read */
    struct em_xlsx *x = em_xlsx_open(p, &err);
    T_ASSERT(x != NULL);
    memset(&g, 0, sizeof g);
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 2, collect, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=回線No|B=装置①|C=装置①|D=装置①|E=備考\n2:A=L-001|E=1\n");
    memset(&g, 0, sizeof g);
    g.stop_after = 3;
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 0, collect, &g, &err), 1);
    T_EQ_INT(g.rows, 3);
    em_xlsx_close(x);
}

/* The first pass finds <mergeCells> without parsing the sheet data: markup-like text
 * in CDATA, comments and attribute values must not fool it, prefixes must not hide it. */
static void t_merges_tricky(void)
{
    const char *sheet =
        "<?xml version=\"1.0\"?>\n<!-- <mergeCells><mergeCell ref=\"A1:Z9\"/></mergeCells> -->"
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>"
        "<![CDATA[<mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells>]]></x:t></x:is></x:c></x:row>"
        "<!-- <mergeCells><mergeCell ref=\"A1:B1\"/></mergeCells> -->"
        "<?pi <mergeCells> ?>"
        "<x:row r=\"2\" x:note='a>b \"/>\"'><x:c r=\"B2\"><x:v>5</x:v></x:c></x:row></x:sheetData>"
        "<x:mergeCells count=\"1\"><x:mergeCell ref=\"B2:B3\"/></x:mergeCells>"
        "</x:worksheet>";
    struct zpart p[] = {
        {"xl/workbook.xml", WB1, 0}, {"xl/_rels/workbook.xml.rels", RELS1, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
    };
    const char *path = mkzip("tricky.xlsx", p, 3);
    struct got g;
    struct em_err err;
    if (read0(path, 0, &g, &err) != 0) T_FAIL("rc %d: %s", err.rc, err.msg);
    T_EQ_STR(g.text, "1:A=<mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells>\n2:B=5\n3:B=5\n");
    /* no <mergeCells> at all, the word only in text */
    path = book1("nomerge.xlsx", NULL,
                 "<row r=\"1\"><c t=\"inlineStr\"><is><t>&lt;mergeCells&gt;</t></is></c></row>", NULL);
    T_EQ_INT(read0(path, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=<mergeCells>\n");
    /* a <mergeCells> that is not a child of the root is not one */
    path = book1("nested.xlsx", NULL,
                 "<row r=\"1\"><c><v>1</v></c></row>", "<extLst><mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells></extLst>");
    T_EQ_INT(read0(path, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=1\n");
}

/* Test hook (mapper/xlsx_merge.c): 1 the plain libxml2 pass, 2 the exact scanner
 * without the quick search, 0 the default. */
void em_xlsx_test_slow_merges(int on);

/* Reads sheet XML `sheet` (one-sheet workbook fname) with the default first pass, the
 * exact scanner alone and the plain libxml2 pass: all three must give want. */
static void merges_three_ways(const char *fname, const char *sheet, const char *want)
{
    struct zpart p[] = {
        {"xl/workbook.xml", WB1, 0}, {"xl/_rels/workbook.xml.rels", RELS1, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
    };
    const char *path = mkzip(fname, p, 3);
    static struct got g;
    struct em_err err;
    const int modes[] = {0, 2, 1};
    for (size_t i = 0; i < 3; i++) {
        em_xlsx_test_slow_merges(modes[i]);
        int rc = read0(path, 0, &g, &err);
        em_xlsx_test_slow_merges(0);
        if (rc != 0) T_FAIL("%s, first pass mode %d: rc %d: %s", fname, modes[i], rc, err.msg);
        if (strcmp(g.text, want) != 0)
            T_FAIL("%s, first pass mode %d: got\n%s\nwant\n%s", fname, modes[i], g.text, want);
    }
}

#define WS_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS ">"

/* The quick search for <mergeCells> (no tokenizing; libxml2 checks the candidate by
 * parsing the tail): a nested <mergeCells> before the real one, look-alike names and
 * text, prefixes, a tag split across the 64 KiB chunks, comments and processing
 * instructions that make the exact scanner take over — the same rows every way. */
static void t_merges_quick(void)
{
    /* a well-formed <mergeCells> inside a cell, no comment anywhere: not the one (the
     * blanks after it keep its </c> beyond libxml2's read-ahead at </mergeCells>) */
    static char nested[40 * 1024];
    int k = snprintf(nested, sizeof nested, "%s",
        WS_HEAD "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is>"
        "<mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells>");
    memset(nested + k, ' ', 30000);
    snprintf(nested + k + 30000, sizeof nested - (size_t)k - 30000, "%s",
        "</c></row><row r=\"2\"><c r=\"B2\"><v>5</v></c></row></sheetData>"
        "<mergeCells count=\"1\"><mergeCell ref=\"B2:B3\"/></mergeCells></worksheet>");
    merges_three_ways("q-nested.xlsx", nested, "1:A=v\n2:B=5\n3:B=5\n");
    /* look-alikes: text, attribute values, a longer name, two prefixes */
    merges_three_ways("q-alike.xlsx",
        WS_HEAD "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\" note=\"x mergeCells/> y:mergeCells>\">"
        "<is><t>ServiceCenter mergeCells &lt;mergeCells&gt;</t></is></c></row></sheetData>"
        "<mergeCellsX/><y:a:mergeCells xmlns:y=\"urn:y\"/>"
        "<mergeCells count=\"1\"><mergeCell ref=\"A1:A2\"/></mergeCells></worksheet>",
        "1:A=ServiceCenter mergeCells <mergeCells>\n2:A=ServiceCenter mergeCells <mergeCells>\n");
    /* a prefixed root, no comments: the quick search finds <x:mergeCells */
    merges_three_ways("q-prefix.xlsx",
        "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\"><x:v>7</x:v></x:c></x:row></x:sheetData>"
        "<x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B1\"/></x:mergeCells></x:worksheet>",
        "1:A=7|B=7\n");
    /* a comment or a processing instruction after the rows: the exact scanner */
    merges_three_ways("q-comment.xlsx",
        WS_HEAD "<sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c></row></sheetData>"
        "<!-- <mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells> -->"
        "<mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet><!-- end -->",
        "1:A=7|B=7\n");
    merges_three_ways("q-pi.xlsx",
        WS_HEAD "<sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c></row></sheetData>"
        "<?pi <mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells> ?>"
        "<mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>",
        "1:A=7|B=7\n");
    /* the tag (plain, prefixed) and a comment placed across the 64 KiB chunk boundary:
     * blanks between </row> and </sheetData> move them byte by byte */
    static char big[80 * 1024];
    const char *tails[] = {
        "<mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>",
        "<m:mergeCells xmlns:m=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<m:mergeCell ref=\"A1:B1\"/></m:mergeCells></worksheet>",
        "<!-- <mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells> -->"
        "<mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>",
    };
    for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
        for (int d = -16; d <= 4; d++) {
            const char *head = WS_HEAD "<sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c></row>";
            size_t hl = strlen(head), fill = 65536 + (size_t)(d + 16) - 16 - hl - strlen("</sheetData>");
            memcpy(big, head, hl);
            memset(big + hl, ' ', fill);
            snprintf(big + hl + fill, sizeof big - hl - fill, "</sheetData>%s", tails[t]);
            char fname[64];
            snprintf(fname, sizeof fname, "q-split-%zu-%d.xlsx", t, d);
            merges_three_ways(fname, big, "1:A=7|B=7\n");
        }
    }
}

static const char *WB3 =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook " NS "><sheets>"
    "<sheet name=\"回線・機器情報記入シート\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"アカウント(ログインID)・パスワードリスト\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"
    "<sheet name=\"基本情報記入シート\" sheetId=\"3\" r:id=\"rId3\"/>"
    "<sheet name=\"no part\" sheetId=\"4\" r:id=\"rId7\"/>"
    "</sheets></workbook>";
static const char *RELS3 =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships " RELNS ">"
    "<Relationship Id=\"rId1\" Type=\"" WS_TYPE "\" Target=\"/xl/worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" WS_TYPE "\" Target=\"../xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" WS_TYPE "\" Target=\"./worksheets/sub/../sheet3.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" SST_TYPE "\" Target=\"/xl/sharedStrings.xml\"/>"
    "</Relationships>";

static void t_rels_and_names(void)
{
    const char *sh1 = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
    /* the password sheet is broken on purpose: it must never be parsed unless asked */
    const char *sh2 = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\"><v>secret</v></c></row><oops></sheetData></worksheet>";
    const char *sh3 = "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"B2\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>";
    const char *sst = "<sst " NS "><si><t>one</t></si><si><t>three</t></si></sst>";
    struct zpart parts[] = {
        {"xl/workbook.xml", WB3, 0}, {"xl/_rels/workbook.xml.rels", RELS3, 0},
        {"xl/worksheets/sheet1.xml", sh1, 0}, {"xl/worksheets/sheet2.xml", sh2, 0},
        {"xl/worksheets/sheet3.xml", sh3, 0}, {"xl/sharedStrings.xml", sst, 0},
    };
    const char *p = mkzip("rels.xlsx", parts, 6);
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open(p, &err);
    if (!x) T_FAIL("open: %s", err.msg);
    T_EQ_INT(em_xlsx_sheet_count(x), 4);
    T_EQ_STR(em_xlsx_sheet_name(x, 0), "回線・機器情報記入シート");
    T_EQ_STR(em_xlsx_sheet_name(x, 1), "アカウント(ログインID)・パスワードリスト");
    T_ASSERT(!em_xlsx_sheet_hidden(x, 0));
    T_ASSERT(em_xlsx_sheet_hidden(x, 1));
    T_ASSERT(!em_xlsx_sheet_hidden(x, 2));
    T_ASSERT(em_xlsx_sheet_name(x, 4) == NULL);
    struct got g;
    memset(&g, 0, sizeof g);
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 0, collect, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=one\n");
    memset(&g, 0, sizeof g);
    T_EQ_INT(em_xlsx_read_sheet(x, 2, 0, collect, &g, &err), 0);
    T_EQ_STR(g.text, "2:B=three\n");
    /* a sheet whose relationship is missing: a clean error naming the sheet */
    memset(&g, 0, sizeof g);
    T_EQ_INT(em_xlsx_read_sheet(x, 3, 0, collect, &g, &err), EM_ERR_FORMAT);
    T_EQ_STR(err.sheet, "no part");
    /* and the broken one only when asked */
    em_err_clear(&err);
    T_EQ_INT(em_xlsx_read_sheet(x, 1, 0, collect, &g, &err), EM_ERR_FORMAT);
    T_HAS(err.msg, "xl/worksheets/sheet2.xml");
    em_err_clear(&err);
    T_EQ_INT(em_xlsx_read_sheet(x, 9, 0, collect, &g, &err), EM_ERR_USAGE);
    em_xlsx_close(x);
    em_xlsx_close(NULL);
}

/* ---- errors ----------------------------------------------------------------- */

static void t_missing_file(void)
{
    struct em_err err;
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open("/nonexistent/dir/book.xlsx", &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_IO);
    T_EQ_STR(err.file, "/nonexistent/dir/book.xlsx");
}

static void t_not_zip(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/notzip.xlsx", tmpdir);
    FILE *f = fopen(path, "w");
    T_ASSERT(f != NULL);
    fputs("回線No,通信形態\nL-1,インターネット\n", f);
    fclose(f);
    struct em_err err;
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open(path, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "ZIPとして読めません");
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open_mem("mem.xlsx", "PK\3\4garbage-garbage", 19, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "ZIPとして読めません");
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open_mem("empty.xlsx", "", 0, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
}

static void t_ole(void)
{
    static unsigned char buf[4096];
    const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memset(buf, 0, sizeof buf);
    memcpy(buf, magic, 8);
    const char *name = "EncryptedPackage";
    for (size_t i = 0; name[i]; i++) buf[1024 + 2 * i] = (unsigned char)name[i];
    char path[512];
    snprintf(path, sizeof path, "%s/locked.xlsx", tmpdir);
    FILE *f = fopen(path, "wb");
    T_ASSERT(f != NULL);
    fwrite(buf, 1, sizeof buf, f);
    fclose(f);
    struct em_err err;
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open(path, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "パスワード付きのブックは読めません");
    /* an old .xls: same magic, a "Workbook" stream */
    memset(buf + 8, 0, sizeof buf - 8);
    name = "Workbook";
    for (size_t i = 0; name[i]; i++) buf[1024 + 2 * i] = (unsigned char)name[i];
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open_mem("old.xls", buf, sizeof buf, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, ".xlsx");
    T_HAS(err.msg, ".xls）");
    em_lang_set(EM_LANG_EN);
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open_mem("old.xls", buf, sizeof buf, &err) == NULL);
    em_lang_set(EM_LANG_JA);
    T_HAS(err.msg, "save it again");
    /* a big encrypted file whose directory lies past the first MiB, where the header
     * says (first directory sector 3000, 512-byte sectors) */
    static unsigned char big[(3001 + 1) * 512];
    memset(big, 0x11, sizeof big);
    memset(big, 0, 512);
    memcpy(big, magic, 8);
    big[0x1E] = 9;
    big[0x30] = 3000 & 0xFF;
    big[0x31] = 3000 >> 8;
    name = "EncryptedPackage";
    for (size_t i = 0; name[i]; i++) {
        big[3001 * 512 + 128 + 2 * i] = (unsigned char)name[i];
        big[3001 * 512 + 128 + 2 * i + 1] = 0;
    }
    snprintf(path, sizeof path, "%s/bigenc.xlsx", tmpdir);
    f = fopen(path, "wb");
    T_ASSERT(f != NULL);
    fwrite(big, 1, sizeof big, f);
    fclose(f);
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open(path, &err) == NULL);
    T_HAS(err.msg, "パスワード付きのブックは読めません");
    T_ASSERT(!has(err.msg, "古い形式"));   /* found, not the either-or message */
}

static void t_no_workbook(void)
{
    struct zpart p[] = {{"word/document.xml", "<document/>", 0}};
    const char *path = mkzip("doc.docx", p, 1);
    struct em_err err;
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open(path, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "xl/workbook.xml");
}

/* Redirects stderr to a file for the duration of fn; returns what was written. */
static long stderr_bytes_during(void (*fn)(void))
{
    char path[512];
    snprintf(path, sizeof path, "%s/stderr.txt", tmpdir);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (saved < 0 || fd < 0) T_FAIL("cannot redirect stderr");
    dup2(fd, 2);
    close(fd);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    return (long)st.st_size;
}

static struct em_err broken_err;
static int broken_rc;
static void read_broken(void)
{
    const char *p = book1("broken.xlsx", NULL,
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row r=\"2\"><c r=\"A2\"><v>2</v></row>", NULL);
    struct got g;
    broken_rc = read0(p, 0, &g, &broken_err);
}

static void t_broken_xml(void)
{
    long n = stderr_bytes_during(read_broken);
    T_EQ_INT(broken_rc, EM_ERR_FORMAT);
    T_HAS(broken_err.msg, "xl/worksheets/sheet1.xml");
    T_HAS(broken_err.msg, "XMLが壊れています");
    T_HAS(broken_err.msg, "3行目");        /* libxml2's line: the second <row> is on line 3 */
    T_EQ_STR(broken_err.sheet, "Sheet1");
    T_EQ_INT(n, 0);                         /* nothing from libxml2 on stderr */
    /* broken workbook.xml fails the open */
    struct zpart p[] = {{"xl/workbook.xml", "<workbook><sheets><sheet name=\"a\"></workbook>", 0}};
    const char *path = mkzip("badwb.xlsx", p, 1);
    struct em_err err;
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open(path, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "xl/workbook.xml");
    /* a bad shared-string index is an error naming the cell */
    const char *sst = "<sst " NS "><si><t>a</t></si></sst>";
    path = book1("badidx.xlsx", sst, "<row r=\"4\"><c r=\"C4\" t=\"s\"><v>7</v></c></row>", NULL);
    struct got g;
    T_EQ_INT(read0(path, 0, &g, &err), EM_ERR_FORMAT);
    T_EQ_INT(err.row, 4);
    T_EQ_STR(err.column, "C");
}

static const char *LAUGHS =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    " <!ENTITY ext SYSTEM \"file:///etc/passwd\">\n"
    "]>\n";

static void t_entities(void)
{
    static char sheet[8192], sst[8192];
    snprintf(sheet, sizeof sheet, "%s<worksheet " NS "><sheetData><row r=\"1\">"
             "<c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;&ext;</t></is></c></row></sheetData></worksheet>",
             LAUGHS);
    snprintf(sst, sizeof sst, "%s<sst " NS "><si><t>&lol9;</t></si></sst>", LAUGHS);
    struct zpart p[] = {
        {"xl/workbook.xml", WB1, 0}, {"xl/_rels/workbook.xml.rels", RELS1, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
    };
    time_t t0 = time(NULL);
    const char *path = mkzip("laughs.xlsx", p, 3);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(path, 0, &g, &err), EM_ERR_FORMAT);
    T_HAS(err.msg, "DOCTYPE");
    T_EQ_INT(g.rows, 0);
    struct zpart q[] = {
        {"xl/workbook.xml", WB1, 0}, {"xl/_rels/workbook.xml.rels", RELS1, 0},
        {"xl/worksheets/sheet1.xml", "<worksheet/>", 0}, {"xl/sharedStrings.xml", sst, 0},
    };
    path = mkzip("laughs2.xlsx", q, 4);
    em_err_clear(&err);
    T_ASSERT(em_xlsx_open(path, &err) == NULL);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "xl/sharedStrings.xml");
    T_ASSERT(time(NULL) - t0 < 5);
}

static void t_depth(void)
{
    static char rows[4096];
    size_t n = 0;
    n += (size_t)snprintf(rows + n, sizeof rows - n, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>");
    for (int i = 0; i < 70; i++) n += (size_t)snprintf(rows + n, sizeof rows - n, "<r>");
    for (int i = 0; i < 70; i++) n += (size_t)snprintf(rows + n, sizeof rows - n, "</r>");
    snprintf(rows + n, sizeof rows - n, "</is></c></row>");
    const char *p = book1("deep.xlsx", NULL, rows, NULL);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    T_HAS(err.msg, "入れ子");
    /* a deep but allowed document still reads */
    p = book1("deep-ok.xlsx", NULL,
              "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><r><t>ok</t></r></is></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=ok\n");
}

static void t_cap_cell_bytes(void)
{
    static char rows[EM_MAX_CELL_BYTES + 256];
    size_t n = (size_t)snprintf(rows, sizeof rows, "<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>");
    memset(rows + n, 'x', EM_MAX_CELL_BYTES + 1);
    n += EM_MAX_CELL_BYTES + 1;
    snprintf(rows + n, sizeof rows - n, "</t></is></c></row>");
    const char *p = book1("longcell.xlsx", NULL, rows, NULL);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    T_EQ_INT(err.row, 5);
    T_EQ_STR(err.column, "B");
    T_EQ_STR(err.sheet, "Sheet1");
    /* exactly at the cap is fine */
    n = (size_t)snprintf(rows, sizeof rows, "<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>");
    memset(rows + n, 'x', EM_MAX_CELL_BYTES);
    n += EM_MAX_CELL_BYTES;
    snprintf(rows + n, sizeof rows - n, "</t></is></c></row>");
    p = book1("longcell-ok.xlsx", NULL, rows, NULL);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_INT(g.rows, 1);
    /* a shared string over the cap: only a cell that uses it fails */
    static char sst[EM_MAX_CELL_BYTES + 256];
    n = (size_t)snprintf(sst, sizeof sst, "<sst " NS "><si><t>short</t></si><si><t>");
    memset(sst + n, 'y', EM_MAX_CELL_BYTES + 1);
    n += EM_MAX_CELL_BYTES + 1;
    snprintf(sst + n, sizeof sst - n, "</t></si></sst>");
    p = book1("longsst.xlsx", sst, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                                   "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    T_EQ_INT(err.row, 2);
    T_EQ_STR(err.column, "C");
    T_EQ_STR(g.text, "1:A=short\n");
}

static void t_cap_rows_cols_cells(void)
{
    struct got g;
    struct em_err err;
    const char *p = book1("rows.xlsx", NULL,
        "<row r=\"1048576\"><c r=\"A1048576\"><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1048576:A=1\n");
    p = book1("rows2.xlsx", NULL, "<row r=\"1048577\"><c><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    p = book1("rows3.xlsx", NULL, "<row r=\"99999999999999999999999\"><c><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    p = book1("cols.xlsx", NULL, "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:XFD=1\n");
    p = book1("cols2.xlsx", NULL, "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    p = book1("cols3.xlsx", NULL, "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c><c><v>2</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    p = book1("order.xlsx", NULL, "<row r=\"5\"><c><v>1</v></c></row><row r=\"3\"><c><v>1</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_FORMAT);
    static char rows[64 * 1024];
    size_t n = (size_t)snprintf(rows, sizeof rows, "<row r=\"2\">");
    for (int i = 0; i < EM_MAX_ROW_CELLS + 1; i++)
        n += (size_t)snprintf(rows + n, sizeof rows - n, "<c><v>%d</v></c>", i);
    snprintf(rows + n, sizeof rows - n, "</row>");
    p = book1("cells.xlsx", NULL, rows, NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    T_EQ_INT(err.row, 2);
    /* exactly the cap reads */
    n = (size_t)snprintf(rows, sizeof rows, "<row r=\"2\">");
    for (int i = 0; i < EM_MAX_ROW_CELLS; i++)
        n += (size_t)snprintf(rows + n, sizeof rows - n, "<c><v>%d</v></c>", i);
    snprintf(rows + n, sizeof rows - n, "</row>");
    p = book1("cells-ok.xlsx", NULL, rows, NULL);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_INT(g.rows, 1);
}

static void t_cap_zip(void)
{
    struct got g;
    struct em_err err;
    /* 2 MiB of blanks compress far beyond 200:1 */
    static char rows[(2 << 20) + 64];
    memset(rows, ' ', 2 << 20);
    rows[2 << 20] = '\0';
    const char *p = book1("bomb.xlsx", NULL, rows, NULL);
    T_EQ_INT(read0(p, 0, &g, &err), EM_ERR_LIMIT);
    T_HAS(err.msg, "ZIP爆弾");
    /* part size, checked against zip_stat and while reading */
    struct em_xlsx_limits l = em_xlsx_limits_default();
    l.part_bytes = 1000;
    em_xlsx_set_limits(&l);
    static char big[4096];
    size_t n = 0;
    for (int i = 1; i <= 40; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "<row r=\"%d\"><c><v>%d</v></c></row>", i, i);
    p = book1("bigpart.xlsx", NULL, big, NULL);
    int rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    T_HAS(err.msg, "xl/worksheets/sheet1.xml");
}

static void t_cap_sst_merges_sheets(void)
{
    struct got g;
    struct em_err err;
    const char *sst = "<sst " NS "><si><t>a</t></si><si><t>bb</t></si><si><t>ccc</t></si></sst>";
    const char *p = book1("sstcap.xlsx", sst, "<row><c t=\"s\"><v>2</v></c></row>", NULL);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=ccc\n");
    struct em_xlsx_limits l = em_xlsx_limits_default();
    l.sst_count = 2;
    em_xlsx_set_limits(&l);
    int rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    T_HAS(err.msg, "共有文字列");
    l = em_xlsx_limits_default();
    l.sst_bytes = 6;
    em_xlsx_set_limits(&l);
    rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);

    const char *mc = "<mergeCells><mergeCell ref=\"A1:A2\"/><mergeCell ref=\"B1:B2\"/>"
                     "<mergeCell ref=\"C1:C2\"/></mergeCells>";
    p = book1("mcap.xlsx", NULL, "<row r=\"1\"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>", mc);
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=1|B=2|C=3\n2:A=1|B=2|C=3\n");
    l = em_xlsx_limits_default();
    l.merges = 2;
    em_xlsx_set_limits(&l);
    rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    T_HAS(err.msg, "結合セル");
    /* a small file cannot fan out into millions of cells through merges */
    p = book1("mfan.xlsx", NULL, "<row r=\"1\"><c><v>1</v></c></row>",
              "<mergeCells><mergeCell ref=\"A1:J1048576\"/></mergeCells>");
    l = em_xlsx_limits_default();
    l.merge_cells = 100000;
    em_xlsx_set_limits(&l);
    rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    /* sheets */
    l = em_xlsx_limits_default();
    l.sheets = 0;
    em_xlsx_set_limits(&l);
    rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);
}

/* Vertical merged ranges one after another (回線No of line after line): each row gets
 * its own range's value (the anchor texts of ended ranges are let go as the read goes
 * on), and the cap on anchor text still counts every range of the read. */
static void t_merges_in_sequence(void)
{
    const char *rows =
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>aaaa</t></is></c><c r=\"B1\"><v>1</v></c></row>"
        "<row r=\"2\"><c r=\"B2\"><v>2</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>bbbb</t></is></c><c r=\"B3\"><v>3</v></c></row>"
        "<row r=\"4\"><c r=\"B4\"><v>4</v></c></row>"
        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>cccc</t></is></c><c r=\"B5\"><v>5</v></c></row>"
        "<row r=\"6\"><c r=\"B6\"><v>6</v></c></row>";
    const char *mc = "<mergeCells><mergeCell ref=\"A1:A2\"/><mergeCell ref=\"A3:A4\"/>"
                     "<mergeCell ref=\"A5:A6\"/></mergeCells>";
    const char *p = book1("mseq.xlsx", NULL, rows, mc);
    struct got g;
    struct em_err err;
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=aaaa|B=1\n2:A=aaaa|B=2\n3:A=bbbb|B=3\n4:A=bbbb|B=4\n"
                     "5:A=cccc|B=5\n6:A=cccc|B=6\n");
    /* three anchors of 4 bytes and a NUL: 15 bytes fit a cap of 15, not of 14 */
    struct em_xlsx_limits l = em_xlsx_limits_default();
    l.merge_cells = 15;
    em_xlsx_set_limits(&l);
    int rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, 0);
    l.merge_cells = 14;
    em_xlsx_set_limits(&l);
    rc = read0(p, 0, &g, &err);
    em_xlsx_set_limits(NULL);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    T_EQ_INT(err.row, 5);
    T_HAS(err.msg, "結合セルの値が多すぎます");
    T_EQ_STR(g.text, "1:A=aaaa|B=1\n2:A=aaaa|B=2\n3:A=bbbb|B=3\n4:A=bbbb|B=4\n");
    /* a range that starts while another is still live keeps both values */
    p = book1("mover.xlsx", NULL,
              "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>aaaa</t></is></c></row>"
              "<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>cccc</t></is></c></row>"
              "<row r=\"3\"><c r=\"B3\"><v>3</v></c></row>"
              "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>dddd</t></is></c></row>",
              "<mergeCells><mergeCell ref=\"A1:A3\"/><mergeCell ref=\"C2:C4\"/>"
              "<mergeCell ref=\"A4:A5\"/></mergeCells>");
    T_EQ_INT(read0(p, 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=aaaa\n2:A=aaaa|C=cccc\n3:A=aaaa|B=3|C=cccc\n4:A=dddd|C=cccc\n5:A=dddd\n");
}

static void t_open_mem_and_english(void)
{
    const char *p = book1("mem.xlsx", NULL,
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>メモリ</t></is></c></row>", NULL);
    FILE *f = fopen(p, "rb");
    T_ASSERT(f != NULL);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open_mem("mem.xlsx", buf, n, &err);
    if (!x) T_FAIL("open_mem: %s", err.msg);
    struct got g;
    memset(&g, 0, sizeof g);
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 0, collect, &g, &err), 0);
    T_EQ_STR(g.text, "1:A=メモリ\n");
    em_xlsx_close(x);
    /* truncated zip: a clean error */
    em_err_clear(&err);
    x = em_xlsx_open_mem("cut.xlsx", buf, n / 2, &err);
    T_ASSERT(x == NULL);
    T_ASSERT(err.rc < 0);
    T_ASSERT(err.msg[0] != '\0');
    em_lang_set(EM_LANG_EN);
    p = book1("en.xlsx", NULL, "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", NULL);
    int rc = read0(p, 0, &g, &err);
    em_lang_set(EM_LANG_JA);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    T_HAS(err.msg, "too many columns");
}

static int fail_at_2(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)ctx;
    if (row->row == 2) return em_err_set(err, EM_ERR_FORMAT, "f", "s", 2, "c", "consumer says no");
    return 0;
}

struct nest { struct em_xlsx *x; int rc; };
static int nested_read(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)row;
    (void)err;
    struct nest *n = ctx;
    struct em_err e2;
    em_err_clear(&e2);
    struct got g;
    memset(&g, 0, sizeof g);
    n->rc = em_xlsx_read_sheet(n->x, 0, 0, collect, &g, &e2);
    return 0;
}

static void t_consumer_error(void)
{
    const char *p = book1("cons.xlsx", NULL,
        "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c></row><row r=\"3\"><c><v>3</v></c></row>", NULL);
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open(p, &err);
    T_ASSERT(x != NULL);
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 0, fail_at_2, NULL, &err), EM_ERR_FORMAT);
    T_EQ_STR(err.msg, "consumer says no");
    /* a read from inside a row callback is refused, the outer read goes on */
    struct nest n = {x, 0};
    em_err_clear(&err);
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 0, nested_read, &n, &err), 0);
    T_EQ_INT(n.rc, EM_ERR_USAGE);
    em_xlsx_close(x);
}

/* ---- the SAX2 sheet pass: chunk boundaries ---------------------------------- */

/* mapper/xlsx.c's test hook: the sheet pass feeds libxml2 n bytes at a time (0: the
 * default). Not in xlsx.h: only these tests use it. */
void em_xlsx_test_sheet_chunk(size_t n);
/* mapper/xlsx_pipe.c's test hook: 1 one thread, 2 the parsing thread, 0 the default;
 * rows per batch (0: the default). */
void em_xlsx_test_pipe(int mode, size_t rows);

static const size_t chunk_sizes[] = {1, 2, 3, 5, 7, 13, 64, 4096, 0};
#define NCHUNKS (sizeof chunk_sizes / sizeof chunk_sizes[0])

/* Reads sheet 0 of path with every chunk size; res[k] gets rc, rows, text. The chunk
 * size is restored before anything is checked (a failed check longjmps). */
struct chunk_res { int rc; long rows; struct em_err err; struct got g; };
static struct chunk_res chunk_res[NCHUNKS];
static void read_chunked(const char *path, long max_rows, long stop_after)
{
    for (size_t k = 0; k < NCHUNKS; k++) {
        em_xlsx_test_sheet_chunk(chunk_sizes[k]);
        struct chunk_res *r = &chunk_res[k];
        memset(&r->g, 0, sizeof r->g);
        em_err_clear(&r->err);
        r->g.stop_after = stop_after;
        struct em_xlsx *x = em_xlsx_open(path, &r->err);
        r->rc = x ? em_xlsx_read_sheet(x, 0, max_rows, collect, &r->g, &r->err) : r->err.rc;
        r->rows = r->g.rows;
        em_xlsx_close(x);
    }
    em_xlsx_test_sheet_chunk(0);
}

static void t_sax_chunks(void)
{
    const char *sst =
        "<sst " NS "><si><t>回線No</t></si><si><r><t>NTT</t></r><r><t> 東日本</t></r></si></sst>";
    const char *p = book1("chunks.xlsx", sst,
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><r><t>設置</t></r><rPh><t>セッチ</t></rPh><r><t>場所</t></r></is></c>"
        "<c r=\"D1\" t=\"str\"><v>a<![CDATA[<&>]]>b<!-- x -->c&amp;&#x65E5;&#26412;</v></c>"
        "<c r=\"E1\"/><c r=\"F1\"></c><c r=\"G1\" t=\"b\"><v>1</v></c><c r=\"H1\"><v>3.0</v></c></row>"
        "<row r=\"2\"/>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  二つ目  </t></is></c></row>",
        "<mergeCells count=\"1\"><mergeCell ref=\"A3:B5\"/></mergeCells>");
    read_chunked(p, 0, 0);
    const char *want =
        "1:A=回線No|B=NTT 東日本|C=設置場所|D=a<&>bc&日本|G=TRUE|H=3\n"
        "3:A=  二つ目  |B=  二つ目  \n4:A=  二つ目  |B=  二つ目  \n5:A=  二つ目  |B=  二つ目  \n";
    for (size_t k = 0; k < NCHUNKS; k++) {
        if (chunk_res[k].rc != 0)
            T_FAIL("chunk %zu: rc %d: %s", chunk_sizes[k], chunk_res[k].rc, chunk_res[k].err.msg);
        if (strcmp(chunk_res[k].g.text, want) != 0)
            T_FAIL("chunk %zu: got \"%s\"", chunk_sizes[k], chunk_res[k].g.text);
    }
}

static void t_sax_stop(void)
{
    static char rows[8192];
    size_t n = 0;
    for (int r = 1; r <= 40; r++)
        n += (size_t)snprintf(rows + n, sizeof rows - n,
                              "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c><c r=\"B%d\" t=\"inlineStr\">"
                              "<is><t>行%d</t></is></c></row>", r, r, r, r, r);
    const char *p = book1("stop.xlsx", NULL, rows, NULL);
    /* the callback says stop after 2 rows: everything fits in one default chunk */
    read_chunked(p, 0, 2);
    for (size_t k = 0; k < NCHUNKS; k++) {
        if (chunk_res[k].rc != 1) T_FAIL("chunk %zu: rc %d, want 1", chunk_sizes[k], chunk_res[k].rc);
        if (chunk_res[k].rows != 2) T_FAIL("chunk %zu: %ld rows, want 2", chunk_sizes[k], chunk_res[k].rows);
        T_EQ_STR(chunk_res[k].g.text, "1:A=1|B=行1\n2:A=2|B=行2\n");
    }
    /* max_rows: a clean stop */
    read_chunked(p, 3, 0);
    for (size_t k = 0; k < NCHUNKS; k++) {
        if (chunk_res[k].rc != 0) T_FAIL("chunk %zu: rc %d, want 0", chunk_sizes[k], chunk_res[k].rc);
        if (chunk_res[k].rows != 3) T_FAIL("chunk %zu: %ld rows, want 3", chunk_sizes[k], chunk_res[k].rows);
    }
    /* the handle reads again after a stopped read, all of it */
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open(p, &err);
    T_ASSERT(x != NULL);
    struct got g;
    memset(&g, 0, sizeof g);
    g.stop_after = 1;
    int rc1 = em_xlsx_read_sheet(x, 0, 0, collect, &g, &err);
    memset(&g, 0, sizeof g);
    int rc2 = em_xlsx_read_sheet(x, 0, 0, collect, &g, &err);
    em_xlsx_close(x);
    T_EQ_INT(rc1, 1);
    T_EQ_INT(rc2, 0);
    T_EQ_INT(g.rows, 40);
    T_HAS(g.text, "40:A=40|B=行40\n");
}

static void read_broken_chunked(void)
{
    /* the error (</row> closing an open <c>) is on line 3; the first row is complete */
    const char *p = book1("broken-chunks.xlsx", NULL,
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row r=\"2\"><c r=\"A2\"><v>2</v></row>\n"
        "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>", NULL);
    read_chunked(p, 0, 0);
}

static void t_sax_error_chunks(void)
{
    long n = stderr_bytes_during(read_broken_chunked);
    T_EQ_INT(n, 0);   /* nothing from libxml2 on stderr, whatever the chunking */
    for (size_t k = 0; k < NCHUNKS; k++) {
        struct chunk_res *r = &chunk_res[k];
        if (r->rc != EM_ERR_FORMAT) T_FAIL("chunk %zu: rc %d, want EM_ERR_FORMAT", chunk_sizes[k], r->rc);
        T_HAS(r->err.msg, "xl/worksheets/sheet1.xml");
        T_HAS(r->err.msg, "3行目");
        T_EQ_STR(r->err.sheet, "Sheet1");
        /* every row completed before the error is delivered, none after it */
        if (strcmp(r->g.text, "1:A=1\n") != 0) T_FAIL("chunk %zu: got \"%s\"", chunk_sizes[k], r->g.text);
    }
}

static void t_sax_split_caps(void)
{
    /* a cell text of exactly the cap, and one byte over it, arriving in pieces */
    static char rows[EM_MAX_CELL_BYTES + 256];
    for (int over = 0; over <= 1; over++) {
        size_t n = (size_t)snprintf(rows, sizeof rows, "<row r=\"5\"><c r=\"B5\" t=\"str\"><v>");
        size_t len = EM_MAX_CELL_BYTES + (size_t)over;
        for (size_t i = 0; i + 3 <= len; i += 3) memcpy(rows + n + i, "日", 3);  /* split UTF-8 too */
        memset(rows + n + len / 3 * 3, 'x', len % 3);
        n += len;
        snprintf(rows + n, sizeof rows - n, "</v></c></row>");
        const char *p = book1("split-cap.xlsx", NULL, rows, NULL);
        read_chunked(p, 0, 0);
        for (size_t k = 0; k < NCHUNKS; k++) {
            struct chunk_res *r = &chunk_res[k];
            if (chunk_sizes[k] == 1 || chunk_sizes[k] == 2) continue;  /* slow, same code */
            if (over) {
                if (r->rc != EM_ERR_LIMIT) T_FAIL("chunk %zu: rc %d, want EM_ERR_LIMIT", chunk_sizes[k], r->rc);
                T_EQ_INT(r->err.row, 5);
                T_EQ_STR(r->err.column, "B");
            } else if (r->rc != 0 || r->rows != 1) {
                T_FAIL("chunk %zu: rc %d, %ld rows", chunk_sizes[k], r->rc, r->rows);
            }
        }
    }
    /* the depth cap with the tags cut into pieces */
    static char deep[4096];
    size_t n = (size_t)snprintf(deep, sizeof deep, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\">");
    for (int i = 0; i < 70; i++) n += (size_t)snprintf(deep + n, sizeof deep - n, "<x>");
    for (int i = 0; i < 70; i++) n += (size_t)snprintf(deep + n, sizeof deep - n, "</x>");
    snprintf(deep + n, sizeof deep - n, "</row>");
    read_chunked(book1("deep-chunks.xlsx", NULL, deep, NULL), 0, 0);
    for (size_t k = 0; k < NCHUNKS; k++) {
        if (chunk_res[k].rc != EM_ERR_LIMIT) T_FAIL("chunk %zu: rc %d", chunk_sizes[k], chunk_res[k].rc);
        T_HAS(chunk_res[k].err.msg, "入れ子");
        T_EQ_STR(chunk_res[k].g.text, "1:A=1\n");
    }
}

/* UTF-16 slips past the byte-level DOCTYPE check: the SAX internalSubset callback
 * refuses it before the internal subset is parsed; UTF-16 without one reads. */
static void t_sax_utf16(void)
{
    static char doc[2][1024];
    static char u16[2][2048];
    size_t len[2];
    snprintf(doc[0], sizeof doc[0], "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n%s<worksheet " NS
             "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>"
             "</sheetData></worksheet>", "<!DOCTYPE w [<!ENTITY lol \"lol\"><!ENTITY lol9 \"&lol;&lol;\">]>");
    snprintf(doc[1], sizeof doc[1], "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<worksheet " NS
             "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c></row>"
             "</sheetData></worksheet>");
    for (int d = 0; d < 2; d++) {   /* ASCII → UTF-16LE with a BOM */
        size_t o = 0;
        u16[d][o++] = (char)0xFF;
        u16[d][o++] = (char)0xFE;
        for (const char *c = doc[d]; *c; c++) {
            u16[d][o++] = *c;
            u16[d][o++] = 0;
        }
        len[d] = o;
    }
    for (int d = 0; d < 2; d++) {
        struct zpart p[] = {
            {"xl/workbook.xml", WB1, 0}, {"xl/_rels/workbook.xml.rels", RELS1, 0},
            {"xl/worksheets/sheet1.xml", u16[d], len[d]},
        };
        read_chunked(mkzip("utf16.xlsx", p, 3), 0, 0);
        for (size_t k = 0; k < NCHUNKS; k++) {
            struct chunk_res *r = &chunk_res[k];
            if (d == 0) {
                if (r->rc != EM_ERR_FORMAT) T_FAIL("chunk %zu: rc %d", chunk_sizes[k], r->rc);
                T_HAS(r->err.msg, "DOCTYPE");
                T_EQ_INT(r->rows, 0);
            } else {
                if (r->rc != 0) T_FAIL("chunk %zu: rc %d: %s", chunk_sizes[k], r->rc, r->err.msg);
                T_EQ_STR(r->g.text, "1:A=ok\n");
            }
        }
    }
}

/* An undeclared prefix is a namespace error, not a fatal one: as with the reader
 * before, the element is ignored and the sheet reads when </sheetData> comes. */
static void t_sax_prefix(void)
{
    const char *p = book1("prefix.xlsx", NULL,
        "<row r=\"1\"><y:c r=\"A1\"><v>1</v></y:c><c r=\"B1\" y:t=\"s\"><v>2</v></c><c y:r=\"D1\"><v>3</v></c></row>",
        NULL);
    read_chunked(p, 0, 0);
    for (size_t k = 0; k < NCHUNKS; k++) {
        if (chunk_res[k].rc != 0) T_FAIL("chunk %zu: rc %d: %s", chunk_sizes[k], chunk_res[k].rc, chunk_res[k].err.msg);
        T_EQ_STR(chunk_res[k].g.text, "1:B=2|C=3\n");
    }
}

/* ---- integrity: CRC, cell references, duplicate entries --------------------- */

static uint32_t rd16(const unsigned char *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8; }

/* Tampers with the zip at path in place: for every local and central header of entry
 * name, flips the stored CRC (crc = true) or renames it to new_name (same length).
 * Returns how many headers were changed (2 for one entry). */
static int patch_zip(const char *path, const char *name, bool crc, const char *new_name)
{
    FILE *f = fopen(path, "r+b");
    if (!f) T_FAIL("cannot open %s", path);
    static unsigned char b[1 << 20];
    size_t n = fread(b, 1, sizeof b, f);
    size_t nl = strlen(name);
    int changed = 0;
    for (size_t i = 0; i + 46 < n; i++) {
        size_t crc_at, name_at, len;
        if (memcmp(b + i, "PK\3\4", 4) == 0) {
            crc_at = i + 14;
            len = rd16(b + i + 26);
            name_at = i + 30;
        } else if (memcmp(b + i, "PK\1\2", 4) == 0) {
            crc_at = i + 16;
            len = rd16(b + i + 28);
            name_at = i + 46;
        } else {
            continue;
        }
        if (len != nl || name_at + nl > n || memcmp(b + name_at, name, nl) != 0) continue;
        if (crc) {
            for (int k = 0; k < 4; k++) b[crc_at + k] ^= 0x5A;
        } else {
            memcpy(b + name_at, new_name, nl);
        }
        changed++;
    }
    rewind(f);
    if (fwrite(b, 1, n, f) != n) T_FAIL("cannot rewrite %s", path);
    fclose(f);
    return changed;
}

static void t_crc(void)
{
    struct got g;
    struct em_err err;
    const char *sst = "<sst " NS "><si><t>回線</t></si></sst>";
    const char *rows = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>7</v></c></row>";
    const char *tails[] = {"", "<mergeCells count=\"1\"><mergeCell ref=\"A1:A2\"/></mergeCells>"
                               "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" "
                               "header=\"0.3\" footer=\"0.3\"/>"};
    static const size_t chunks[] = {0, 1, 7, 4096};
    for (size_t t = 0; t < 2; t++) {
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            const char *path = book1("crc.xlsx", sst, rows, tails[t]);
            T_EQ_INT(read0(path, 0, &g, &err), 0);
            T_EQ_INT(patch_zip(path, "xl/worksheets/sheet1.xml", true, NULL), 2);
            em_xlsx_test_sheet_chunk(chunks[k]);
            int rc = read0(path, 0, &g, &err);
            em_xlsx_test_sheet_chunk(0);
            if (rc != EM_ERR_FORMAT) T_FAIL("tail %zu chunk %zu: rc %d (%s)", t, chunks[k], rc, err.msg);
            T_HAS(err.msg, "xl/worksheets/sheet1.xml");
            T_HAS(err.msg, "CRC");
        }
    }
    /* the parts read at open: shared strings, workbook, relationships */
    const char *parts[] = {"xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"};
    for (size_t i = 0; i < 3; i++) {
        const char *path = book1("crc2.xlsx", sst, rows, NULL);
        T_EQ_INT(patch_zip(path, parts[i], true, NULL), 2);
        em_err_clear(&err);
        struct em_xlsx *x = em_xlsx_open(path, &err);
        if (x) T_FAIL("%s with a bad CRC was read", parts[i]);
        T_EQ_INT(err.rc, EM_ERR_FORMAT);
        T_HAS(err.msg, parts[i]);
        T_HAS(err.msg, "CRC");
    }
    em_lang_set(EM_LANG_EN);
    const char *path = book1("crc3.xlsx", sst, rows, NULL);
    patch_zip(path, "xl/worksheets/sheet1.xml", true, NULL);
    int rc = read0(path, 0, &g, &err);
    em_lang_set(EM_LANG_JA);
    T_EQ_INT(rc, EM_ERR_FORMAT);
    T_HAS(err.msg, "do not match its checksum (CRC)");
}

static void t_bad_refs(void)
{
    struct got g;
    struct em_err err;
    const char *bad[] = {"A0", "B-1", "C", "D1x", "E+2", "F00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char rows[256];
        snprintf(rows, sizeof rows, "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"%s\"><v>2</v></c></row>",
                 bad[i]);
        int rc = read0(book1("ref.xlsx", NULL, rows, NULL), 0, &g, &err);
        if (rc != EM_ERR_FORMAT) T_FAIL("cell reference %s: rc %d (%s)", bad[i], rc, err.msg);
        T_HAS(err.msg, bad[i]);
        T_EQ_INT(err.row, 1);
    }
    /* F01 style leading zeros are digits: still row 1 */
    T_EQ_INT(read0(book1("ref.xlsx", NULL, "<row r=\"1\"><c r=\"B01\"><v>2</v></c></row>", NULL), 0, &g, &err), 0);
    T_EQ_STR(g.text, "1:B=2\n");
    const char *badrows[] = {"0", "-1", "1.5", ""};
    for (size_t i = 0; i < sizeof badrows / sizeof badrows[0]; i++) {
        char rows[256];
        snprintf(rows, sizeof rows, "<row r=\"%s\"><c><v>2</v></c></row>", badrows[i]);
        int rc = read0(book1("ref.xlsx", NULL, rows, NULL), 0, &g, &err);
        if (rc != EM_ERR_FORMAT) T_FAIL("row number '%s': rc %d (%s)", badrows[i], rc, err.msg);
    }
    const char *badmerge[] = {"A0:B2", "A1:B0", "A-1:B2", "A1:B", "A1"};
    for (size_t i = 0; i < sizeof badmerge / sizeof badmerge[0]; i++) {
        char tail[256];
        snprintf(tail, sizeof tail, "<mergeCells count=\"1\"><mergeCell ref=\"%s\"/></mergeCells>", badmerge[i]);
        int rc = read0(book1("mref.xlsx", NULL, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", tail), 0, &g, &err);
        if (rc != EM_ERR_FORMAT) T_FAIL("merged range %s: rc %d (%s)", badmerge[i], rc, err.msg);
        T_HAS(err.msg, badmerge[i]);
    }
}

static void t_dup_entries(void)
{
    struct got g;
    struct em_err err;
    /* two sheets whose entry names differ in one letter; the second renamed onto the first */
    struct zpart p[] = {
        {"xl/workbook.xml", WB1, 0},
        {"xl/_rels/workbook.xml.rels", RELS1, 0},
        {"xl/worksheets/sheet1.xml", "<worksheet " NS "><sheetData><row r=\"1\"><c><v>1</v></c></row></sheetData></worksheet>", 0},
        {"xl/worksheets/sheetX.xml", "<worksheet " NS "><sheetData><row r=\"1\"><c><v>666</v></c></row></sheetData></worksheet>", 0},
    };
    const char *path = mkzip("dup.xlsx", p, 4);
    T_EQ_INT(read0(path, 0, &g, &err), 0);
    T_EQ_INT(patch_zip(path, "xl/worksheets/sheetX.xml", false, "xl/worksheets/sheet1.xml"), 2);
    T_EQ_INT(read0(path, 0, &g, &err), EM_ERR_FORMAT);
    T_HAS(err.msg, "xl/worksheets/sheet1.xml");
    T_HAS(err.msg, "2つ");
    /* the same with names that differ only in case (entries are looked up ignoring case) */
    path = mkzip("dup2.xlsx", p, 4);
    T_EQ_INT(patch_zip(path, "xl/worksheets/sheetX.xml", false, "XL/worksheets/sheet1.xml"), 2);
    T_EQ_INT(read0(path, 0, &g, &err), EM_ERR_FORMAT);
    T_HAS(err.msg, "sheet1.xml");
}

/* a shared string over libxml2's text-node limit (10 MB) is refused at open with a
 * message about a cell text, not "XML is broken (huge text node)" */
static void t_huge_sst(void)
{
    size_t n = 11u << 20;
    char *big = malloc(n + 200);
    T_ASSERT(big != NULL);
    int k = snprintf(big, 200, "<sst " NS "><si><t>");
    unsigned v = 1;
    for (size_t i = 0; i < n; i++) {
        v = v * 1103515245u + 12345u;  /* random letters: compresses ~1.6:1, not a bomb */
        big[k + i] = (char)('a' + (v >> 16) % 26);
    }
    memcpy(big + k + n, "</t></si></sst>", 16);
    struct got g;
    struct em_err err;
    int rc = read0(book1("hugesst.xlsx", big, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", NULL),
                   0, &g, &err);
    T_EQ_INT(rc, EM_ERR_LIMIT);
    T_HAS(err.msg, "セルの文字が上限より長い");
    T_HAS(err.msg, "10 MB");
    em_lang_set(EM_LANG_EN);
    rc = read0(book1("hugesst.xlsx", big, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", NULL),
               0, &g, &err);
    em_lang_set(EM_LANG_JA);
    free(big);
    T_HAS(err.msg, "a cell text is longer than the limit (over 10 MB");
}

/* relationship targets that leave the package (path traversal) are said as such */
static void t_rels_outside(void)
{
    const char *wb = "<workbook " NS "><sheets><sheet name=\"S1\" sheetId=\"1\" r:id=\"rId1\"/>"
                     "<sheet name=\"S2\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
    const char *rels = "<Relationships " RELNS ">"
        "<Relationship Id=\"rId1\" Type=\"" WS_TYPE "\" Target=\"../../../../etc/passwd\"/>"
        "<Relationship Id=\"rId2\" Type=\"" WS_TYPE "\" Target=\"worksheets/sheet2.xml\"/></Relationships>";
    const char *sh = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\"><v>5</v></c></row></sheetData></worksheet>";
    struct zpart parts[] = {
        {"xl/workbook.xml", wb, 0}, {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/worksheets/sheet2.xml", sh, 0},
    };
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open(mkzip("outside.xlsx", parts, 3), &err);
    if (!x) T_FAIL("open: %s", err.msg);
    struct got g;
    memset(&g, 0, sizeof g);
    T_EQ_INT(em_xlsx_read_sheet(x, 0, 0, collect, &g, &err), EM_ERR_FORMAT);
    T_HAS(err.msg, "パッケージ（.xlsx ファイル）の外");
    T_HAS(err.msg, "../../../../etc/passwd");
    T_EQ_STR(err.sheet, "S1");
    T_EQ_INT(em_xlsx_read_sheet(x, 1, 0, collect, &g, &err), 0);  /* the other sheet reads */
    T_EQ_STR(g.text, "1:A=5\n");
    em_xlsx_close(x);
    /* shared strings outside the package: refused at open */
    const char *rels2 = "<Relationships " RELNS ">"
        "<Relationship Id=\"rId2\" Type=\"" WS_TYPE "\" Target=\"worksheets/sheet2.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"" SST_TYPE "\" Target=\"/../sharedStrings.xml\"/></Relationships>";
    parts[1].data = rels2;
    em_lang_set(EM_LANG_EN);
    em_err_clear(&err);
    x = em_xlsx_open(mkzip("outside2.xlsx", parts, 3), &err);
    em_lang_set(EM_LANG_JA);
    T_ASSERT(x == NULL);
    T_HAS(err.msg, "the workbook points to a part outside the package (the .xlsx file): /../sharedStrings.xml");
}

static void cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (tmpdir[0] && system(cmd) != 0) fputs("cannot remove temp dir\n", stderr);
}

static const struct t_case cases[] = {
    {"xlsx shared strings, rich text runs, phonetic runs skipped", t_shared_strings},
    {"xlsx inline strings", t_inline_strings},
    {"xlsx numbers, booleans, formula cached values, errors", t_values},
    {"xlsx numbers in date/time styles as dates (1900 and 1904)", t_dates},
    {"xlsx gaps in cell and row references", t_gaps},
    {"xlsx merged ranges applied (vertical and horizontal)", t_merges},
    {"xlsx merged ranges found past CDATA, comments, prefixes", t_merges_tricky},
    {"xlsx merged ranges: the quick search agrees with the exact scanner and libxml2", t_merges_quick},
    {"xlsx relationship targets, UTF-8 sheet names, hidden, unasked sheets unread", t_rels_and_names},
    {"xlsx missing file", t_missing_file},
    {"xlsx not a zip", t_not_zip},
    {"xlsx OLE file: password-protected or .xls", t_ole},
    {"xlsx zip without xl/workbook.xml", t_no_workbook},
    {"xlsx broken XML names part and line, nothing on stderr", t_broken_xml},
    {"xlsx entity expansion refused (billion laughs)", t_entities},
    {"xlsx depth bomb", t_depth},
    {"xlsx cap: cell bytes", t_cap_cell_bytes},
    {"xlsx cap: rows, columns, cells per row", t_cap_rows_cols_cells},
    {"xlsx cap: zip bomb ratio and part size", t_cap_zip},
    {"xlsx cap: shared strings, merges, sheets", t_cap_sst_merges_sheets},
    {"xlsx merged ranges one after another: values, anchor text cap over the read", t_merges_in_sequence},
    {"xlsx open_mem and English messages", t_open_mem_and_english},
    {"xlsx consumer error stops reading", t_consumer_error},
    {"xlsx SAX sheet pass: same rows whatever the chunk size (1 byte up)", t_sax_chunks},
    {"xlsx SAX sheet pass: row callback stop and max_rows mid-chunk", t_sax_stop},
    {"xlsx SAX sheet pass: XML error across chunk boundaries", t_sax_error_chunks},
    {"xlsx SAX sheet pass: cell cap and depth cap across chunks", t_sax_split_caps},
    {"xlsx SAX sheet pass: UTF-16 DOCTYPE refused, UTF-16 reads", t_sax_utf16},
    {"xlsx SAX sheet pass: undeclared prefixes ignored as before", t_sax_prefix},
    {"xlsx integrity: a part whose CRC does not match is refused, naming it", t_crc},
    {"xlsx integrity: cell references with row 0, a sign or no row are malformed", t_bad_refs},
    {"xlsx integrity: duplicate zip entry names are refused", t_dup_entries},
    {"xlsx a shared string over 10 MB: said as a cell text over the limit", t_huge_sst},
    {"xlsx relationship targets outside the package: said as such", t_rels_outside},
};

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/em-xlsx-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmpdir)) {
        printf("not ok - xlsx tests: cannot create a temp dir\n");
        return 1;
    }
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    /* every case again with every sheet read through the parsing thread
     * (mapper/xlsx_pipe.c; the workbooks here are small, so the default reads them in
     * one thread): one row per batch, then three */
    static const size_t per_batch[] = {1, 3};
    enum { NC = sizeof cases / sizeof cases[0] };
    static struct t_case piped[NC];
    static char names[NC][160];
    for (size_t b = 0; b < 2; b++) {
        for (size_t i = 0; i < NC; i++) {
            snprintf(names[i], sizeof names[i], "parsing thread, %zu row(s) a batch: %s", per_batch[b],
                     cases[i].name);
            piped[i] = (struct t_case){names[i], cases[i].fn};
        }
        em_xlsx_test_pipe(2, per_batch[b]);
        rc |= t_run(piped, NC);
        em_xlsx_test_pipe(0, 0);
    }
    cleanup();
    return rc;
}
