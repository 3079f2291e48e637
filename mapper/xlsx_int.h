/* xlsx_int.h — what the files of the xlsx reader share; not for use outside them
 * (the public interface is mapper/xlsx.h). Each section names the .c file that
 * implements it:
 *   xlsx_part.c   caps, helpers, one zip entry opened under the caps (+ xmlTextReader)
 *   xlsx_ref.c    column names, _xHHHH_ escapes, serial dates (cell references: inline here)
 *   xlsx_book.c   workbook.xml, its relationships, shared strings, styles
 *   xlsx_sax.c    SAX2 over a part (shared strings, the <mergeCells> tail)
 *   xlsx_merge.c  the merged-range pass
 *   xlsx_feed.c   the inflating thread of the sheet pass
 *   xlsx_sheet.c  the sheet pass (em_xl_sheet_pass)
 *   xlsx_pipe.c   em_xlsx_read_sheet, and the parsing thread of the sheet pass (rows to
 *                 the caller in batches)
 *   xlsx.c        open / close / sheet list (mapper/xlsx.h)
 * Design and caps: docs/design-xlsx.md. */
#ifndef EM_XLSX_INT_H
#define EM_XLSX_INT_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "mapper/err.h"
#include "mapper/xlsx.h"

#define MiB (1024u * 1024u)

/* ---- the handle (xlsx.c opens and frees it; xlsx_book.c fills it) ----------- */

struct xl_sheet {
    char *name;
    char *rid;
    char *part;     /* resolved zip entry name, NULL when the relationship is missing */
    char *outside;  /* the relationship's target when it leaves the package (part NULL) */
    bool hidden;
};

struct xl_merge {
    int32_t r1, c1, r2, c2;  /* 1-based rows, 0-based columns, inclusive */
    uint32_t off, len;       /* anchor value in the merge arena */
    bool has;                /* anchor value known and non-empty */
};

struct em_xlsx {
    char *name;
    zip_t *zip;
    struct xl_sheet *sheets;
    size_t nsheets;
    char *sst_part;
    char *styles_part;
    bool date1904;          /* <workbookPr date1904="1">: serials count from 1904 */
    /* cell styles (cellXfs) whose number format is a date or time */
    unsigned char *xf_date;
    size_t nxf;
    /* shared strings: string i is ss[ss_off[i]] .. (NUL-terminated), length
     * ss_off[i+1] - ss_off[i] - 1; strings over the cell cap are kept empty and listed
     * in ss_big so that only a cell using one is an error. */
    char *ss;
    size_t ss_len, ss_cap;
    uint32_t *ss_off;
    size_t ss_n, ss_offcap;
    uint32_t *ss_big;
    size_t ss_nbig, ss_bigcap;
    bool reading;           /* inside em_xlsx_read_sheet: no nested reads */
    /* merged ranges of the last sheet read (header search reads a sheet twice) */
    bool merges_valid;
    size_t merges_sheet;
    struct xl_merge *merges;
    size_t nmerges;
};

/* ---- caps and helpers (xlsx_part.c) ----------------------------------------- */

/* The caps in force (em_xlsx_set_limits replaces them). */
extern struct em_xlsx_limits em_xl_lim;

/* Grows *p (an array of elem-sized items, *cap of them) to hold need items, doubling.
 * 0, or -1 on overflow / out of memory (*p unchanged). em_xl_grow is the inline test
 * (called per cell and per text run in the sheet pass), em_xl_grow_slow the work. */
int em_xl_grow_slow(void **p, size_t *cap, size_t need, size_t elem);
static inline int em_xl_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    return need <= *cap ? 0 : em_xl_grow_slow(p, cap, need, elem);
}
/* A NUL-terminated copy of s[0..n) (caller frees), NULL when out of memory. */
char *em_xl_dupn(const char *s, size_t n);
/* a is non-NULL and equal to b (inline: the sheet pass asks this for every element
 * and attribute; the first two bytes tell most names apart without a call). */
static inline bool em_xl_eq(const xmlChar *a, const char *b)
{
    if (!a || a[0] != (xmlChar)b[0]) return false;
    if (b[0] == '\0') return true;
    return a[1] == (xmlChar)b[1] && (b[1] == '\0' || strcmp((const char *)a + 2, b + 2) == 0);
}
/* Fills err with "out of memory" for the file of x (may be NULL) and the sheet. */
int em_xl_nomem(struct em_xlsx *x, const char *sheet, struct em_err *err);

/* ---- one zip entry (xlsx_part.c) --------------------------------------------- */

struct part {
    struct em_xlsx *x;
    const char *name;       /* zip entry name */
    const char *sheet;      /* sheet name for errors, "" when not a sheet */
    zip_file_t *zf;
    size_t total;
    size_t size;            /* uncompressed size from the zip directory (0: not given) */
    int ioerr;              /* 0, IO_CAP, IO_ZIP, IO_DTD */
    int type;               /* node type of the current node (xmlTextReaderNodeType) */
    int prolog;             /* sniffing state before the root element, PRO_DONE after */
    char *pre;              /* bytes served before the rest of the entry (owned) */
    size_t pre_len, pre_off;
    int dashes;
    xmlTextReaderPtr r;
    bool xml_err;
    bool xml_huge;          /* the error was libxml2's text-node size limit */
    int xml_line;
    char xml_msg[300];
    xmlStructuredErrorFunc prev_serr;
    void *prev_serr_ctx;
    xmlGenericErrorFunc prev_gerr;
    void *prev_gerr_ctx;
};
enum { IO_CAP = 1, IO_ZIP = 2, IO_DTD = 3 };
enum { PRO_TEXT, PRO_LT, PRO_BANG, PRO_PI, PRO_COMMENT, PRO_DONE };

/* Opens zip entry name of x for streaming, after the size and ratio caps, and routes
 * libxml2's messages into p until em_xl_part_close. sheet names the sheet in errors
 * (NULL: none). Returns 0, 1 when the entry does not exist (nothing recorded), or a
 * negative rc with err filled. */
int em_xl_part_open_zip(struct part *p, struct em_xlsx *x, const char *name, const char *sheet,
                        struct em_err *err);
/* Starts xmlTextReader on an opened part (after any bytes put in p->pre). 0 or rc < 0
 * (the part is closed then). */
int em_xl_part_start_xml(struct part *p, struct em_err *err);
/* em_xl_part_open_zip + em_xl_part_start_xml. */
int em_xl_part_open(struct part *p, struct em_xlsx *x, const char *name, const char *sheet,
                    struct em_err *err);
/* Next reader node: 1, 0 at the end, or rc < 0 with err filled (row names the row). */
int em_xl_part_next(struct part *p, long row, struct em_err *err);
/* The error behind a failed read (cap, zip/CRC, DOCTYPE, XML), worded into err. */
int em_xl_part_error(struct part *p, long row, struct em_err *err);
/* Frees the reader, closes the entry, restores libxml2's error handlers. Idempotent. */
void em_xl_part_close(struct part *p);
/* Reads decompressed bytes into buf, counting them against the part cap: the count,
 * 0 at the end, -1 with p->ioerr set. */
int em_xl_part_raw_read(struct part *p, char *buf, size_t len);
/* Watches the bytes before the root element for a DOCTYPE (sets p->ioerr = IO_DTD). */
void em_xl_sniff_prolog(struct part *p, const char *b, size_t n);
/* libxml2's structured error handler for a part: keeps the first error's line and text. */
void em_xl_part_serror(void *ctx, xmlErrorPtr e);

static inline bool em_xl_is_start(const struct part *p)
{
    return p->type == XML_READER_TYPE_ELEMENT;
}
static inline bool em_xl_is_end(const struct part *p)
{
    return p->type == XML_READER_TYPE_END_ELEMENT;
}
static inline bool em_xl_is_text(const struct part *p)
{
    int t = p->type;
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}
static inline const xmlChar *em_xl_lname(const struct part *p)
{
    return xmlTextReaderConstLocalName(p->r);
}

/* Copies the wanted attributes of the current element into bufs (truncated values
 * are marked by a length of size: callers treat them as too long). Attributes with a
 * namespace match only when w[i].ns says so (r:id). */
struct want {
    const char *name;
    bool ns;          /* attribute must carry a namespace prefix */
    char *buf;
    size_t size;
    size_t len;
    bool found;
};
void em_xl_get_attrs(struct part *p, struct want *w, size_t n);

/* ---- SAX2 over a part (xlsx_sax.c) ------------------------------------------- */

/* Reads p's bytes (those kept in p->pre first, then the entry) with the DOCTYPE
 * sniffing and the part cap: the count, 0 at the end, -1 on an error (p->ioerr). */
int em_xl_part_read(struct part *p, char *buf, size_t len);

/* A SAX2 push parse of an opened part. The caller sets p, user and the callbacks
 * (each may be NULL) and zeroes the rest. on_start gets the element's depth (the root
 * is 0) and whether it was written <x/> (then no on_end follows); elements with an
 * undeclared prefix reach neither. A callback ends the parse with em_xl_sax_stop:
 * result 0 when it has what it needs (the rest of the part is not looked at), rc < 0
 * with err filled on an error. */
struct xl_sax;
typedef void (*xl_sax_start_fn)(struct xl_sax *s, const xmlChar *name, int depth,
                                const xmlChar **attrs, int nattrs, bool empty);
typedef void (*xl_sax_end_fn)(struct xl_sax *s, const xmlChar *name);
typedef void (*xl_sax_text_fn)(struct xl_sax *s, const char *v, size_t len);
struct xl_sax {
    struct part *p;
    void *user;
    xl_sax_start_fn on_start;
    xl_sax_end_fn on_end;
    xl_sax_text_fn on_text;
    /* the parse's own state */
    xmlParserCtxtPtr ctxt;
    struct em_err *err;
    int depth;
    size_t text;            /* bytes of text since the last tag */
    bool just_empty, stopped;
    int result;
};
/* Runs the parse to the end of the part or a stop: 0, or rc < 0 with err filled (the
 * callback's error, or the part's: cap, zip/CRC, DOCTYPE, XML, depth). */
int em_xl_part_sax(struct xl_sax *s, struct em_err *err);
/* Stops the parse (the first stop's result is kept). */
void em_xl_sax_stop(struct xl_sax *s, int result);
/* The refusal of a part nested deeper than em_xl_lim.depth (err filled, naming the
 * workbook, sheet and row); returns the rc for the parse to end with. One text for the
 * sheet pass and the small parts. */
int em_xl_too_deep(struct em_err *err, const struct part *p, const char *sheet, long row);
/* The SAX2 callbacks of one kind of pass, and the push parser every SAX2 pass of an xlsx
 * part is made with: first[0..n) are the part's first bytes (4 unless the part is
 * shorter: libxml2 detects UTF-16 from them); the options for untrusted input are set
 * here and nowhere else — no network, entities never substituted (no XML_PARSE_NOENT), no
 * DTD loading, no XML_PARSE_HUGE; CDATA comes to text like any text. NULL when out of
 * memory; the caller frees with xmlFreeParserCtxt. */
struct xl_sax_cb {
    startElementNsSAX2Func start;
    endElementNsSAX2Func end;
    charactersSAXFunc text;
    internalSubsetSAXFunc dtd;
    xmlStructuredErrorFunc serror;
};
xmlParserCtxtPtr em_xl_push_parser(const struct xl_sax_cb *cb, void *ctx, const char *first, size_t n,
                                   const char *name);
/* em_xl_get_attrs for a SAX2 start tag's attributes (first match wins; truncation
 * marked by len == size; an unprefixed want never matches a prefixed attribute). */
void em_xl_sax_attrs(const xmlChar **attrs, int nattrs, struct want *w, size_t nw);

/* ---- references (inline) and values (xlsx_ref.c) ----------------------------- */

/* Cell references: inline here (no library, no state), as the sheet pass parses one
 * per cell. */
/* Parses a column reference ("A".."XFD") at s; returns the 0-based column or -1, and
 * sets *end past the letters. Columns beyond the cap return EM_MAX_COLS. */
static inline int em_xl_parse_col(const char *s, const char **end)
{
    long c = 0;
    int n = 0;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        int d = (*s >= 'a' ? *s - 'a' : *s - 'A') + 1;
        if (c <= EM_MAX_COLS) c = c * 26 + d;
        s++;
        n++;
    }
    *end = s;
    if (n == 0) return -1;
    if (c > EM_MAX_COLS) return EM_MAX_COLS;
    return (int)(c - 1);
}

/* Parses a decimal row number (digits only); -1 when malformed, LONG_MAX-ish values
 * are clamped to EM_MAX_ROWS + 1 so callers report the cap. */
static inline long em_xl_parse_row(const char *s, const char **end)
{
    long r = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9') {
        if (r <= EM_MAX_ROWS) r = r * 10 + (*p - '0');
        p++;
    }
    *end = p;
    if (p == s) return -1;
    if (r > EM_MAX_ROWS) return EM_MAX_ROWS + 1L;
    return r;
}

/* "$B$12" or "B12" → column 1, row 12. Returns 0 or -1. */
static inline int em_xl_parse_ref(const char *s, int *col, long *row)
{
    const char *e;
    if (*s == '$') s++;
    int c = em_xl_parse_col(s, &e);
    if (c < 0) return -1;
    s = e;
    if (*s == '$') s++;
    long r = em_xl_parse_row(s, &e);
    if (r < 1 || *e != '\0') return -1;
    *col = c;
    *row = r;
    return 0;
}

/* v[0..l) is 1 to 18 decimal digits: *out is their value (shared-string indexes and
 * style numbers, once per cell; callers fall back to strtoull for anything else, so
 * the accepted forms do not change). */
static inline bool em_xl_small_uint(const char *v, size_t l, unsigned long long *out)
{
    if (l == 0 || l > 18) return false;
    unsigned long long n = 0;
    for (size_t k = 0; k < l; k++) {
        unsigned dg = (unsigned)(unsigned char)v[k] - '0';
        if (dg > 9) return false;
        n = n * 10 + dg;
    }
    *out = n;
    return true;
}

/* 0-based column → "A".."XFD" (buf of at least 4 bytes). */
void em_xl_col_name(int c, char *buf);
/* Decodes Excel's _xHHHH_ escapes in s[0..n) in place; returns the new length. */
size_t em_xl_decode_x(char *s, size_t n);
/* Excel serial day number → "YYYY-MM-DD", "HH:MM:SS" or both; false outside the range. */
bool em_xl_serial_to_text(double v, bool d1904, char *buf, size_t size);

/* ---- the parts read at open (xlsx_book.c) ------------------------------------- */

/* Each returns 0 or rc < 0 with err filled; what they read is kept in x. */
int em_xl_read_workbook(struct em_xlsx *x, struct em_err *err);
int em_xl_read_sst(struct em_xlsx *x, struct em_err *err);
int em_xl_read_styles(struct em_xlsx *x, struct em_err *err);
/* Fills err: the workbook points (for sheet, NULL: none) to target outside the package. */
int em_xl_outside_error(struct em_xlsx *x, const char *sheet, const char *target,
                        struct em_err *err);

/* ---- merged ranges (xlsx_merge.c) --------------------------------------------- */

/* Reads sheet si's merged ranges into x->merges (sorted by first row) and marks them
 * valid for that sheet. 0 or rc < 0 with err filled. */
int em_xl_read_merges(struct em_xlsx *x, size_t si, struct em_err *err);

/* ---- the inflating thread (xlsx_feed.c) --------------------------------------- */

/* Inflating the sheet (zip_fread: inflate + CRC, ~12 % of the pass) runs in a second
 * thread that fills a small ring of chunks ahead of the parser: memory stays bounded
 * (FEED_SLOTS chunks), and the thread touches only the part's zip entry and its read
 * counters (p->zf, p->total, p->ioerr, p->prolog), never libxml2 or the handle. The
 * parser thread reads those fields only after joining it. Without a thread (creation
 * failed) the same calls read synchronously. */
#define FEED_SLOTS 4
struct feeder {
    struct part *p;
    size_t size;
    char *buf[FEED_SLOTS];
    int len[FEED_SLOTS];        /* bytes, 0 at the end, -1 on an error (p->ioerr) */
    unsigned head, count;       /* ready chunks: buf[head], ... (count of them) */
    bool held;                  /* the parser is using buf[head] */
    bool quit;                  /* the parser wants no more */
    bool threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t ready, room;
};
/* Starts reading p in chunks of size. 0, or -1 when out of memory. */
int em_xl_feed_start(struct feeder *f, struct part *p, size_t size);
/* The next chunk (*data valid until the next call): its length, 0 at the end, -1 on an
 * error (p->ioerr, to be read after em_xl_feed_stop). */
int em_xl_feed_get(struct feeder *f, const char **data);
/* Stops and joins the thread, frees the chunks. */
void em_xl_feed_stop(struct feeder *f);

/* ---- the sheet pass and its parsing thread (xlsx_sheet.c, xlsx_pipe.c) ------- */

/* The rows of sheet s from its opened part p through the SAX2 parse, cells assembled
 * and merged ranges applied, each handed to fn(ctx, row, err) in this thread: the
 * result em_xlsx_read_sheet documents (0, 1 when fn stopped, rc < 0 with err filled). */
int em_xl_sheet_pass(struct em_xlsx *x, const struct xl_sheet *s, struct part *p, long max_rows,
                     em_row_fn fn, void *ctx, struct em_err *err);

/* The same result, rows and error as em_xl_sheet_pass, but the parse (with the inflating
 * thread under it) runs in a worker thread while fn runs in the calling thread: the
 * worker copies each finished row (every text not in the shared-string table) into a
 * batch of em_xl_pipe_rows rows, and the batches go through a bounded queue (PIPE_SLOTS
 * batches, PIPE_BYTES of text queued at most unless the queue is empty). The worker owns
 * p, x->merges and its own error record until it is joined; fn, ctx and err are only
 * touched by the calling thread. fn stopping (1) or failing (< 0) stops the worker
 * before any further call; an error of the worker after N rows comes after those N rows,
 * worded as em_xl_sheet_pass words it. Without a thread (creation failed) it is
 * em_xl_sheet_pass. */
#define PIPE_ROWS 64
#define PIPE_SLOTS 4
#define PIPE_BYTES (4u * MiB)
#define PIPE_MIN_BYTES (256u * 1024u)   /* smaller sheet parts are read in one thread */
extern size_t em_xl_pipe_rows;
int em_xl_pipe_run(struct em_xlsx *x, const struct xl_sheet *s, struct part *p, long max_rows,
                   em_row_fn fn, void *ctx, struct em_err *err);

#endif
