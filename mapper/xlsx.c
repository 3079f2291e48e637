/* xlsx.c — the xlsx reader: libzip opens the container, libxml2 parses every part
 * (the small ones with its streaming reader, xmlTextReader; a sheet's rows with its
 * SAX2 push parser, which is twice as fast), sheets are delivered row by row with
 * merged ranges already applied. Only the shared-string table is held (one arena +
 * offset array). Why it is built this way, and every cap: docs/design-xlsx.md. */
#include "mapper/xlsx.h"
#include "mapper/lang.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#define MiB (1024u * 1024u)

/* The caps (docs/design-xlsx.md lists them with the reasons). merge_cells also bounds
 * the bytes of merged-range anchor values kept during one read. */
#define DEFAULT_LIMITS {                         \
        .part_bytes = 256 * (size_t)MiB,         \
        .bomb_min_bytes = 1 * (size_t)MiB,       \
        .bomb_ratio = 200,                       \
        .depth = 64,                             \
        .sst_count = 2 * 1024 * 1024,            \
        .sst_bytes = 64 * (size_t)MiB,           \
        .merges = 262144,                        \
        .merge_cells = 16 * 1024 * 1024,         \
        .row_bytes = 4 * (size_t)MiB,            \
        .sheets = 1024,                          \
    }
static const struct em_xlsx_limits default_limits = DEFAULT_LIMITS;
static struct em_xlsx_limits lim = DEFAULT_LIMITS;

struct em_xlsx_limits em_xlsx_limits_default(void) { return default_limits; }
void em_xlsx_set_limits(const struct em_xlsx_limits *l) { lim = l ? *l : default_limits; }

#define NAME_MAX_BYTES 1024  /* sheet names, relationship ids and targets */
#define RELS_MAX 65536       /* relationships in workbook.xml.rels */

/* No network, no entity substitution, no DTD loading, no XML_PARSE_HUGE. CDATA comes
 * as text; small text nodes are stored compactly. */
#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

struct xl_sheet {
    char *name;
    char *rid;
    char *part;     /* resolved zip entry name, NULL when the relationship is missing */
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

/* ---- small helpers ---------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem) return -1;
        n *= 2;
    }
    void *q = realloc(*p, n * elem);
    if (!q) return -1;
    *p = q;
    *cap = n;
    return 0;
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static bool eq(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

/* Parses a column reference ("A".."XFD") at s; returns the 0-based column or -1, and
 * sets *end past the letters. Columns beyond the cap return EM_MAX_COLS. */
static int parse_col(const char *s, const char **end)
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
static long parse_row(const char *s, const char **end)
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
static int parse_ref(const char *s, int *col, long *row)
{
    const char *e;
    if (*s == '$') s++;
    int c = parse_col(s, &e);
    if (c < 0) return -1;
    s = e;
    if (*s == '$') s++;
    long r = parse_row(s, &e);
    if (r < 1 || *e != '\0') return -1;
    *col = c;
    *row = r;
    return 0;
}

/* Column number (0-based) → "A".."XFD" (buf of at least 4 bytes). */
static void col_name(int c, char *buf)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int i = 0;
    while (n > 0 && i < 3) buf[i++] = tmp[--n];
    buf[i] = '\0';
}

/* ---- one zip part through the streaming XML reader -------------------------- */

struct part {
    struct em_xlsx *x;
    const char *name;       /* zip entry name */
    const char *sheet;      /* sheet name for errors, "" when not a sheet */
    zip_file_t *zf;
    size_t total;
    int ioerr;              /* 0, IO_CAP, IO_ZIP, IO_DTD */
    int type;               /* node type of the current node (xmlTextReaderNodeType) */
    int prolog;             /* sniffing state before the root element, PRO_DONE after */
    char *pre;              /* bytes served before the rest of the entry (owned) */
    size_t pre_len, pre_off;
    int dashes;
    xmlTextReaderPtr r;
    bool xml_err;
    int xml_line;
    char xml_msg[300];
    xmlStructuredErrorFunc prev_serr;
    void *prev_serr_ctx;
    xmlGenericErrorFunc prev_gerr;
    void *prev_gerr_ctx;
};
enum { IO_CAP = 1, IO_ZIP = 2, IO_DTD = 3 };
enum { PRO_TEXT, PRO_LT, PRO_BANG, PRO_PI, PRO_COMMENT, PRO_DONE };

/* Looks at the bytes before the root element for "<!DOCTYPE": refused before
 * libxml2 sees the internal subset, so no entity declaration is ever parsed.
 * (UTF-16 parts slip through here and are caught as a DOCTYPE node or by libxml2.) */
static void sniff_prolog(struct part *p, const char *b, size_t n)
{
    for (size_t i = 0; i < n && p->prolog != PRO_DONE; i++) {
        char c = b[i];
        switch (p->prolog) {
        case PRO_TEXT:
            if (c == '<') p->prolog = PRO_LT;
            break;
        case PRO_LT:
            p->prolog = c == '?' ? PRO_PI : c == '!' ? PRO_BANG : PRO_DONE;
            break;
        case PRO_BANG:
            if (c == 'D' || c == 'd') {
                p->ioerr = IO_DTD;
                p->prolog = PRO_DONE;
            } else {
                p->prolog = c == '-' ? PRO_COMMENT : PRO_PI;
                p->dashes = 0;
            }
            break;
        case PRO_PI:
            if (c == '>') p->prolog = PRO_TEXT;
            break;
        case PRO_COMMENT:
            if (c == '>' && p->dashes >= 2) p->prolog = PRO_TEXT;
            p->dashes = c == '-' ? p->dashes + 1 : 0;
            break;
        default:
            break;
        }
    }
}

/* Reads decompressed bytes, counting them against the part cap. -1 with p->ioerr. */
static int part_raw_read(struct part *p, char *buf, size_t len)
{
    zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        p->ioerr = IO_ZIP;
        return -1;
    }
    p->total += (size_t)n;
    if (p->total > lim.part_bytes) {
        p->ioerr = IO_CAP;
        return -1;
    }
    return (int)n;
}

static int part_read(void *ctx, char *buf, int len)
{
    struct part *p = ctx;
    if (p->ioerr) return -1;
    if (p->pre_off < p->pre_len) {
        size_t k = p->pre_len - p->pre_off;
        if (k > (size_t)len) k = (size_t)len;
        memcpy(buf, p->pre + p->pre_off, k);
        p->pre_off += k;
        if (p->prolog != PRO_DONE) sniff_prolog(p, buf, k);
        return p->ioerr ? -1 : (int)k;
    }
    int n = part_raw_read(p, buf, (size_t)len);
    if (n < 0) return -1;
    if (p->prolog != PRO_DONE) {
        sniff_prolog(p, buf, (size_t)n);
        if (p->ioerr) return -1;
    }
    return (int)n;
}

/* libxml2's messages go into the error record, never to stderr; the first one wins. */
static void part_serror(void *ctx, xmlErrorPtr e)
{
    struct part *p = ctx;
    if (!p || !e || p->xml_err || e->level < XML_ERR_ERROR) return;
    p->xml_err = true;
    p->xml_line = e->line;
    const char *m = e->message ? e->message : "?";
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    if (n >= sizeof p->xml_msg) n = sizeof p->xml_msg - 1;
    memcpy(p->xml_msg, m, n);
    p->xml_msg[n] = '\0';
}

static void part_gerror(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void part_close(struct part *p)
{
    if (p->r) xmlFreeTextReader(p->r);
    p->r = NULL;
    if (p->zf) zip_fclose(p->zf);
    p->zf = NULL;
    free(p->pre);
    p->pre = NULL;
    if (p->x) {
        xmlSetStructuredErrorFunc(p->prev_serr_ctx, p->prev_serr);
        xmlSetGenericErrorFunc(p->prev_gerr_ctx, p->prev_gerr);
        p->x = NULL;
    }
}

static int nomem(struct em_xlsx *x, const char *sheet, struct em_err *err);

/* Opens zip entry name for streaming (part_open also starts the XML reader on it).
 * Returns 0, 1 when the entry does not exist (nothing recorded), or a negative rc
 * with err filled. */
static int part_open_zip(struct part *p, struct em_xlsx *x, const char *name, const char *sheet,
                     struct em_err *err)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->sheet = sheet ? sheet : "";
    zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
    if (idx < 0) return 1;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0)
        return em_err_set(err, EM_ERR_FORMAT, x->name, p->sheet, 0, NULL,
                          em_tr("ZIPの中の %s が読めません（ファイルが壊れています）",
                             "cannot read %s inside the zip (the file is damaged)"), name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return em_err_set(err, EM_ERR_FORMAT, x->name, p->sheet, 0, NULL,
                          em_tr("ZIPの中の %s が暗号化されていて読めません",
                             "%s inside the zip is encrypted and cannot be read"), name);
    if ((st.valid & ZIP_STAT_SIZE) && st.size > lim.part_bytes)
        return em_err_set(err, EM_ERR_LIMIT, x->name, p->sheet, 0, NULL,
                          em_tr("ブックの部品 %s が大きすぎます（展開後 %llu バイト、上限 %zu バイト）",
                             "workbook part %s is too large (%llu bytes uncompressed, limit %zu)"),
                          name, (unsigned long long)st.size, lim.part_bytes);
    if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
        st.size > lim.bomb_min_bytes &&
        (st.comp_size == 0 || st.size / st.comp_size > lim.bomb_ratio))
        return em_err_set(err, EM_ERR_LIMIT, x->name, p->sheet, 0, NULL,
                          em_tr("ブックの部品 %s の圧縮率が異常です（%llu バイトが %llu バイトに圧縮、"
                             "%u:1 を超えます）。ZIP爆弾の疑いがあるため読みません",
                             "workbook part %s has an abnormal compression ratio (%llu bytes in "
                             "%llu, above %u:1); refused as a possible zip bomb"),
                          name, (unsigned long long)st.size, (unsigned long long)st.comp_size,
                          lim.bomb_ratio);
    p->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!p->zf)
        return em_err_set(err, EM_ERR_FORMAT, x->name, p->sheet, 0, NULL,
                          em_tr("ZIPの中の %s が開けません（%s）", "cannot open %s inside the zip (%s)"),
                          name, zip_strerror(x->zip));
    p->x = x;
    p->prev_serr = xmlStructuredError;
    p->prev_serr_ctx = xmlStructuredErrorContext;
    p->prev_gerr = xmlGenericError;
    p->prev_gerr_ctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(p, part_serror);
    xmlSetGenericErrorFunc(p, part_gerror);
    return 0;
}

/* Starts the XML reader on an opened part (after any bytes put in p->pre). */
static int part_start_xml(struct part *p, struct em_err *err)
{
    p->r = xmlReaderForIO(part_read, NULL, p, p->name, NULL, XML_OPTS);
    if (!p->r) {
        struct em_xlsx *x = p->x;
        const char *sheet = p->sheet;
        part_close(p);
        return nomem(x, sheet, err);
    }
    xmlTextReaderSetStructuredErrorHandler(p->r, part_serror, p);
    return 0;
}

static int part_open(struct part *p, struct em_xlsx *x, const char *name, const char *sheet,
                     struct em_err *err)
{
    int rc = part_open_zip(p, x, name, sheet, err);
    if (rc != 0) return rc;
    return part_start_xml(p, err);
}

static int part_next_error(struct part *p, long row, struct em_err *err);

/* Next node: 1, 0 at the end, or a negative rc with err filled. */
static int part_next(struct part *p, long row, struct em_err *err)
{
    int ret = xmlTextReaderRead(p->r);
    if (ret == 1) {
        p->type = xmlTextReaderNodeType(p->r);
        /* depth only grows at a start tag */
        if (p->type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(p->r) > lim.depth)
            return em_err_set(err, EM_ERR_LIMIT, p->x->name, p->sheet, row, NULL,
                              em_tr("%s のXMLの入れ子が深すぎます（上限 %d 段）",
                                 "the XML of %s is nested too deeply (limit %d levels)"),
                              p->name, lim.depth);
        if (p->type == XML_READER_TYPE_DOCUMENT_TYPE)
            return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                              em_tr("%s にDOCTYPE宣言があります。xlsxでは使われないため、安全のため読みません",
                                 "%s contains a DOCTYPE declaration; xlsx never uses one, so it is "
                                 "refused for safety"), p->name);
        return 1;
    }
    if (ret == 0 && !p->ioerr && !p->xml_err) return 0;
    return part_next_error(p, row, err);
}

/* The error behind a failed read (cap, zip, DOCTYPE, XML). */
static int part_next_error(struct part *p, long row, struct em_err *err)
{
    if (p->ioerr == IO_CAP)
        return em_err_set(err, EM_ERR_LIMIT, p->x->name, p->sheet, row, NULL,
                          em_tr("ブックの部品 %s が大きすぎます（展開後 %zu バイトを超えます）",
                             "workbook part %s is too large (over %zu bytes uncompressed)"),
                          p->name, lim.part_bytes);
    if (p->ioerr == IO_DTD)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("%s にDOCTYPE宣言があります。xlsxでは使われないため、安全のため読みません",
                             "%s contains a DOCTYPE declaration; xlsx never uses one, so it is "
                             "refused for safety"), p->name);
    if (p->ioerr == IO_ZIP)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("ZIPの中の %s が読めません（ファイルが壊れています: %s）",
                             "cannot read %s inside the zip (the file is damaged: %s)"),
                          p->name, zip_file_strerror(p->zf));
    if (p->xml_err)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("%s のXMLが壊れています（%d行目: %s）",
                             "the XML of %s is broken (line %d: %s)"),
                          p->name, p->xml_line, p->xml_msg);
    return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                      em_tr("%s のXMLが読めません", "cannot parse the XML of %s"), p->name);
}

static bool is_start(struct part *p)
{
    return p->type == XML_READER_TYPE_ELEMENT;
}
static bool is_end(struct part *p)
{
    return p->type == XML_READER_TYPE_END_ELEMENT;
}
static bool is_text(struct part *p)
{
    int t = p->type;
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}
static const xmlChar *lname(struct part *p) { return xmlTextReaderConstLocalName(p->r); }

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
static void get_attrs(struct part *p, struct want *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        w[i].found = false;
        w[i].len = 0;
        w[i].buf[0] = '\0';
    }
    if (xmlTextReaderHasAttributes(p->r) != 1) return;
    while (xmlTextReaderMoveToNextAttribute(p->r) == 1) {
        const xmlChar *an = xmlTextReaderConstLocalName(p->r);
        for (size_t i = 0; i < n; i++) {
            if (w[i].found || !eq(an, w[i].name)) continue;
            bool has_ns = xmlTextReaderConstNamespaceUri(p->r) != NULL;
            if (has_ns != w[i].ns) continue;
            const char *v = (const char *)xmlTextReaderConstValue(p->r);
            if (!v) v = "";
            size_t l = strlen(v);
            size_t c = l < w[i].size - 1 ? l : w[i].size - 1;
            memcpy(w[i].buf, v, c);
            w[i].buf[c] = '\0';
            w[i].len = l < w[i].size - 1 ? l : w[i].size;
            w[i].found = true;
        }
    }
    xmlTextReaderMoveToElement(p->r);
}

/* ---- workbook.xml, its relationships, shared strings ------------------------ */

struct rel {
    char *id;
    char *target;   /* resolved zip entry name */
    int kind;       /* REL_SHEET, REL_SST, REL_STYLES, REL_OTHER */
};
enum { REL_OTHER, REL_SHEET, REL_SST, REL_STYLES };

/* Resolves a relationship target against the folder of workbook.xml ("xl/"):
 * "/xl/worksheets/sheet1.xml", "worksheets/sheet1.xml", "../xl/worksheets/s.xml".
 * Returns a new string (caller frees) or NULL when it leaves the package root. */
static char *resolve_target(const char *base, const char *target)
{
    size_t bl = strlen(base), tl = strlen(target);
    char *in = malloc(bl + tl + 2);
    if (!in) return NULL;
    if (target[0] == '/') {
        memcpy(in, target + 1, tl);
        in[tl - 1] = '\0';
    } else {
        memcpy(in, base, bl);
        memcpy(in + bl, target, tl + 1);
    }
    char *out = malloc(strlen(in) + 1);
    if (!out) {
        free(in);
        return NULL;
    }
    size_t o = 0;
    const char *s = in;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (o == 0) {
                free(in);
                free(out);
                return NULL;
            }
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;  /* the slash */
        } else {
            if (o > 0) out[o++] = '/';
            memcpy(out + o, s, n);
            o += n;
        }
        s += n;
        if (*s == '/') s++;
    }
    out[o] = '\0';
    free(in);
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void free_rels(struct rel *rels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rels[i].id);
        free(rels[i].target);
    }
    free(rels);
}

static int nomem(struct em_xlsx *x, const char *sheet, struct em_err *err)
{
    return em_err_set(err, EM_ERR_NOMEM, x ? x->name : "", sheet, 0, NULL, "%s",
                      em_tr("メモリが足りません", "out of memory"));
}

static int read_rels(struct em_xlsx *x, struct rel **out, size_t *nout, struct em_err *err)
{
    const char *name = "xl/_rels/workbook.xml.rels";
    struct part p;
    struct rel *rels = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *nout = 0;
    int rc = part_open(&p, x, name, NULL, err);
    if (rc == 1) return 0;  /* no relationships: sheets cannot be found, said later */
    if (rc < 0) return rc;
    char id[NAME_MAX_BYTES], type[NAME_MAX_BYTES], target[NAME_MAX_BYTES], mode[32];
    struct want w[] = {
        {"Id", false, id, sizeof id, 0, false},
        {"Type", false, type, sizeof type, 0, false},
        {"Target", false, target, sizeof target, 0, false},
        {"TargetMode", false, mode, sizeof mode, 0, false},
    };
    while ((rc = part_next(&p, 0, err)) == 1) {
        if (!is_start(&p) || !eq(lname(&p), "Relationship")) continue;
        get_attrs(&p, w, 4);
        if (!w[0].found || !w[2].found || w[0].len >= sizeof id || w[2].len >= sizeof target ||
            w[2].len == 0)
            continue;
        if (w[3].found && strcmp(mode, "External") == 0) continue;
        if (n >= RELS_MAX) {
            rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                            em_tr("%s の関連付けが多すぎます（上限 %d）",
                               "%s has too many relationships (limit %d)"), name, RELS_MAX);
            break;
        }
        if (grow((void **)&rels, &cap, n + 1, sizeof *rels) != 0) {
            rc = nomem(x, NULL, err);
            break;
        }
        struct rel *r = &rels[n];
        r->id = dupn(id, strlen(id));
        r->target = resolve_target("xl/", target);
        r->kind = ends_with(type, "/worksheet") || ends_with(type, "/chartsheet") ||
                          ends_with(type, "/dialogsheet") || ends_with(type, "/xlMacrosheet")
                      ? REL_SHEET
                  : ends_with(type, "/sharedStrings") ? REL_SST
                  : ends_with(type, "/styles")        ? REL_STYLES
                                                       : REL_OTHER;
        if (!r->id) {
            free(r->target);
            rc = nomem(x, NULL, err);
            break;
        }
        n++;
    }
    part_close(&p);
    if (rc < 0) {
        free_rels(rels, n);
        return rc;
    }
    *out = rels;
    *nout = n;
    return 0;
}

static int read_workbook(struct em_xlsx *x, struct em_err *err)
{
    struct part p;
    int rc = part_open(&p, x, "xl/workbook.xml", NULL, err);
    if (rc == 1)
        return em_err_set(err, EM_ERR_FORMAT, x->name, NULL, 0, NULL, "%s",
                          em_tr("ZIPファイルですが、Excelのブック（xl/workbook.xml）が入っていません",
                             "this is a zip file but not an Excel workbook (no xl/workbook.xml)"));
    if (rc < 0) return rc;
    char name[NAME_MAX_BYTES], rid[NAME_MAX_BYTES], state[32];
    struct want w[] = {
        {"name", false, name, sizeof name, 0, false},
        {"id", true, rid, sizeof rid, 0, false},
        {"state", false, state, sizeof state, 0, false},
    };
    size_t cap = 0;
    char d1904[16];
    struct want wpr[] = {{"date1904", false, d1904, sizeof d1904, 0, false}};
    while ((rc = part_next(&p, 0, err)) == 1) {
        if (is_start(&p) && eq(lname(&p), "workbookPr")) {
            get_attrs(&p, wpr, 1);
            x->date1904 = wpr[0].found && (strcmp(d1904, "1") == 0 || strcmp(d1904, "true") == 0);
            continue;
        }
        if (!is_start(&p) || !eq(lname(&p), "sheet")) continue;
        get_attrs(&p, w, 3);
        if (!w[0].found) continue;
        if (w[0].len >= sizeof name || w[1].len >= sizeof rid) {
            rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL, "%s",
                            em_tr("シート名が長すぎます", "a sheet name is too long"));
            break;
        }
        if (x->nsheets >= lim.sheets) {
            rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                            em_tr("シートが多すぎます（上限 %zu）", "too many sheets (limit %zu)"),
                            lim.sheets);
            break;
        }
        if (grow((void **)&x->sheets, &cap, x->nsheets + 1, sizeof *x->sheets) != 0) {
            rc = nomem(x, NULL, err);
            break;
        }
        struct xl_sheet *s = &x->sheets[x->nsheets];
        memset(s, 0, sizeof *s);
        s->name = dupn(name, strlen(name));
        s->rid = dupn(rid, strlen(rid));
        s->hidden = w[2].found && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
        x->nsheets++;
        if (!s->name || !s->rid) {
            rc = nomem(x, NULL, err);
            break;
        }
    }
    part_close(&p);
    if (rc < 0) return rc;

    struct rel *rels;
    size_t nrels;
    rc = read_rels(x, &rels, &nrels, err);
    if (rc < 0) return rc;
    for (size_t i = 0; i < x->nsheets; i++) {
        for (size_t k = 0; k < nrels; k++) {
            if (rels[k].kind == REL_SHEET && rels[k].target &&
                strcmp(rels[k].id, x->sheets[i].rid) == 0) {
                x->sheets[i].part = rels[k].target;
                rels[k].target = NULL;
                break;
            }
        }
    }
    for (size_t k = 0; k < nrels; k++) {
        if (rels[k].kind == REL_SST && rels[k].target && !x->sst_part) {
            x->sst_part = rels[k].target;
            rels[k].target = NULL;
        } else if (rels[k].kind == REL_STYLES && rels[k].target && !x->styles_part) {
            x->styles_part = rels[k].target;
            rels[k].target = NULL;
        }
    }
    free_rels(rels, nrels);
    if (!x->sst_part) {
        x->sst_part = dupn("xl/sharedStrings.xml", strlen("xl/sharedStrings.xml"));
        if (!x->sst_part) return nomem(x, NULL, err);
    }
    if (!x->styles_part) {
        x->styles_part = dupn("xl/styles.xml", strlen("xl/styles.xml"));
        if (!x->styles_part) return nomem(x, NULL, err);
    }
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Excel writes characters XML cannot carry (control characters: the CR of a pasted
 * CRLF is "_x000D_") as _xHHHH_, and a literal "_x" as "_x005F_x". Decodes them in
 * place (never longer); NUL is dropped, lone surrogates become U+FFFD. */
static size_t decode_x(char *s, size_t n)
{
    if (n < 7 || !memchr(s, '_', n)) return n;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int h0, h1, h2, h3;
        if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_' &&
            (h0 = hexval(s[i + 2])) >= 0 && (h1 = hexval(s[i + 3])) >= 0 &&
            (h2 = hexval(s[i + 4])) >= 0 && (h3 = hexval(s[i + 5])) >= 0) {
            unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
            i += 7;
            if (cp == 0) continue;
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
            if (cp < 0x80) {
                s[o++] = (char)cp;
            } else if (cp < 0x800) {
                s[o++] = (char)(0xC0 | cp >> 6);
                s[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                s[o++] = (char)(0xE0 | cp >> 12);
                s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                s[o++] = (char)(0x80 | (cp & 0x3F));
            }
            continue;
        }
        s[o++] = s[i++];
    }
    return o;
}

static int sst_push(struct em_xlsx *x, size_t start, bool big)
{
    /* the string's bytes are ss[start..ss_len); terminate and record its offset */
    if (x->ss_len > start) x->ss_len = start + decode_x(x->ss + start, x->ss_len - start);
    if (grow((void **)&x->ss, &x->ss_cap, x->ss_len + 1, 1) != 0) return -1;
    x->ss[x->ss_len++] = '\0';
    if (grow((void **)&x->ss_off, &x->ss_offcap, x->ss_n + 2, sizeof *x->ss_off) != 0)
        return -1;
    x->ss_off[x->ss_n] = (uint32_t)start;
    x->ss_off[x->ss_n + 1] = (uint32_t)x->ss_len;
    if (big) {
        if (grow((void **)&x->ss_big, &x->ss_bigcap, x->ss_nbig + 1, sizeof *x->ss_big) != 0)
            return -1;
        x->ss_big[x->ss_nbig++] = (uint32_t)x->ss_n;
    }
    x->ss_n++;
    return 0;
}

/* Shared strings: <si> holds <t>, or rich-text runs <r><t>, whose texts are
 * concatenated; <rPh> phonetic runs (furigana) are skipped. */
static int read_sst(struct em_xlsx *x, struct em_err *err)
{
    struct part p;
    int rc = part_open(&p, x, x->sst_part, NULL, err);
    if (rc == 1) return 0;  /* a workbook without strings */
    if (rc < 0) return rc;
    bool in_si = false, in_t = false, big = false;
    int rph = 0;
    size_t start = 0;
    while ((rc = part_next(&p, 0, err)) == 1) {
        int t = p.type;
        if (t == XML_READER_TYPE_ELEMENT) {
            const xmlChar *n = lname(&p);
            bool empty = xmlTextReaderIsEmptyElement(p.r) == 1;
            if (eq(n, "si") && !in_si) {
                if (x->ss_n >= lim.sst_count) {
                    rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                                    em_tr("共有文字列が多すぎます（上限 %zu 個）",
                                       "too many shared strings (limit %zu)"), lim.sst_count);
                    break;
                }
                start = x->ss_len;
                big = false;
                in_t = false;
                rph = 0;
                if (empty) {
                    if (sst_push(x, start, false) != 0) {
                        rc = nomem(x, NULL, err);
                        break;
                    }
                } else {
                    in_si = true;
                }
            } else if (in_si && eq(n, "rPh") && !empty) {
                rph++;
            } else if (in_si && rph == 0 && eq(n, "t") && !empty) {
                in_t = true;
            }
        } else if (t == XML_READER_TYPE_END_ELEMENT) {
            const xmlChar *n = lname(&p);
            if (!in_si) continue;
            if (eq(n, "t")) {
                in_t = false;
            } else if (eq(n, "rPh")) {
                if (rph > 0) rph--;
            } else if (eq(n, "si")) {
                in_si = false;
                if (big) x->ss_len = start;
                if (sst_push(x, start, big) != 0) {
                    rc = nomem(x, NULL, err);
                    break;
                }
            }
        } else if (in_t && is_text(&p)) {
            if (big) continue;
            const char *v = (const char *)xmlTextReaderConstValue(p.r);
            size_t l = v ? strlen(v) : 0;
            if (x->ss_len - start + l > EM_MAX_CELL_BYTES) {
                big = true;
                continue;
            }
            if (x->ss_len + l + 1 > lim.sst_bytes || x->ss_len + l + 1 > UINT32_MAX) {
                rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                                em_tr("共有文字列の合計が大きすぎます（上限 %zu バイト）",
                                   "the shared strings are too large in total (limit %zu bytes)"),
                                lim.sst_bytes);
                break;
            }
            if (grow((void **)&x->ss, &x->ss_cap, x->ss_len + l + 1, 1) != 0) {
                rc = nomem(x, NULL, err);
                break;
            }
            memcpy(x->ss + x->ss_len, v, l);
            x->ss_len += l;
        }
    }
    part_close(&p);
    return rc < 0 ? rc : 0;
}

/* ---- styles: which cell styles show a date ---------------------------------- */

#define XF_MAX 65536        /* Excel allows 64,000 cell formats */
#define NUMFMT_MAX 4096

/* Built-in number formats that are dates or times, including the Japanese ones
 * (27-36, 50-58: 和暦 and 年月日 formats of a Japanese Excel). */
static bool builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom format code is a date/time when, outside quoted text, [brackets] and
 * backslash escapes, it uses y, m, d, h or s ("General" and "0.00E+00" do not). */
static bool code_is_date(const char *c)
{
    for (const char *p = c; *p; p++) {
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q) return false;
            p = q;
        } else if (*p == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q) return false;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1]) p++;
        } else if ((*p == 'G' || *p == 'g') && strncasecmp(p, "General", 7) == 0) {
            p += 6;
        } else {
            char l = (char)(*p | 0x20);
            if (l == 'y' || l == 'm' || l == 'd' || l == 'h' || l == 's') return true;
        }
    }
    return false;
}

static int read_styles(struct em_xlsx *x, struct em_err *err)
{
    struct part p;
    int rc = part_open(&p, x, x->styles_part, NULL, err);
    if (rc == 1) return 0;  /* no styles: numbers stay numbers */
    if (rc < 0) return rc;
    long *custom = NULL;    /* custom format ids that are dates */
    size_t ncustom = 0, ccap = 0, xcap = 0;
    bool in_xfs = false;
    char id[32], code[256];
    struct want wfmt[] = {
        {"numFmtId", false, id, sizeof id, 0, false},
        {"formatCode", false, code, sizeof code, 0, false},
    };
    while ((rc = part_next(&p, 0, err)) == 1) {
        if (is_end(&p)) {
            if (eq(lname(&p), "cellXfs")) in_xfs = false;
            continue;
        }
        if (!is_start(&p)) continue;
        const xmlChar *n = lname(&p);
        if (eq(n, "cellXfs")) {
            in_xfs = xmlTextReaderIsEmptyElement(p.r) != 1;
        } else if (eq(n, "numFmt") && !in_xfs) {
            get_attrs(&p, wfmt, 2);
            char *end;
            long v = strtol(id, &end, 10);
            if (!wfmt[0].found || end == id || *end || !wfmt[1].found || wfmt[1].len >= sizeof code)
                continue;
            if (!code_is_date(code) || ncustom >= NUMFMT_MAX) continue;
            if (grow((void **)&custom, &ccap, ncustom + 1, sizeof *custom) != 0) {
                rc = nomem(x, NULL, err);
                break;
            }
            custom[ncustom++] = v;
        } else if (eq(n, "xf") && in_xfs) {
            if (x->nxf >= XF_MAX) continue;
            get_attrs(&p, wfmt, 1);
            char *end;
            long v = wfmt[0].found ? strtol(id, &end, 10) : 0;
            bool date = false;
            if (wfmt[0].found && end != id && *end == '\0') {
                date = builtin_date(v);
                for (size_t k = 0; k < ncustom && !date; k++) date = custom[k] == v;
            }
            if (grow((void **)&x->xf_date, &xcap, x->nxf + 1, 1) != 0) {
                rc = nomem(x, NULL, err);
                break;
            }
            x->xf_date[x->nxf++] = date;
        }
    }
    part_close(&p);
    free(custom);
    return rc < 0 ? rc : 0;
}

/* Excel serial day number → "YYYY-MM-DD", "HH:MM:SS" or both (buf >= 20 bytes).
 * Returns false (and the number stays as written) outside 1900/1904-01-01 .. 9999. */
static bool serial_to_text(double v, bool d1904, char *buf, size_t size)
{
    if (!(v >= 0 && v < 2958466.0)) return false;
    long days = (long)v;
    long secs = (long)((v - (double)days) * 86400.0 + 0.5);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
        if (days > 2958465) return false;  /* past 9999-12-31 */
    }
    int y = 0, m = 0, d = 0;
    if (days > 0 || d1904) {
        /* civil date from days since 1970-01-01 (H. Hinnant's algorithm) */
        long z;
        if (d1904) z = days - 24107;            /* 1904-01-01 */
        else if (days >= 61) z = days - 25569;  /* 1899-12-30 (Excel's 1900-02-29 skipped) */
        else if (days == 60) return false;      /* 1900-02-29 does not exist */
        else z = days - 25568;                  /* 1899-12-31 */
        z += 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        d = (int)(doy - (153 * mp + 2) / 5 + 1);
        m = (int)(mp < 10 ? mp + 3 : mp - 9);
        y = (int)(yoe + era * 400 + (m <= 2));
    }
    int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    if (y == 0) snprintf(buf, size, "%02d:%02d:%02d", hh, mm, ss);
    else if (secs == 0) snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    else snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mm, ss);
    return true;
}

/* ---- opening ---------------------------------------------------------------- */

static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

static bool has_utf16(const unsigned char *d, size_t n, const char *ascii)
{
    size_t k = strlen(ascii);
    for (size_t i = 0; i + 2 * k <= n; i++) {
        size_t j = 0;
        while (j < k && d[i + 2 * j] == (unsigned char)ascii[j] && d[i + 2 * j + 1] == 0) j++;
        if (j == k) return true;
    }
    return false;
}

/* An OLE compound file: a password-protected xlsx (EncryptedPackage stream) or an old
 * .xls. head holds the first bytes of the file (as many as were read). */
static int ole_error(const char *name, const unsigned char *head, size_t n, struct em_err *err)
{
    if (has_utf16(head, n, "EncryptedPackage") || has_utf16(head, n, "EncryptionInfo"))
        return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                          em_tr("パスワード付きのブックは読めません。Excelでパスワードを解除して .xlsx で保存し直してください",
                             "password-protected workbooks cannot be read; remove the password in "
                             "Excel and save it again as .xlsx"));
    if (has_utf16(head, n, "Workbook") || has_utf16(head, n, "Book"))
        return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                          em_tr("古い形式（.xls）のブックです。Excelで「Excel ブック (*.xlsx)」として保存し直してください",
                             "this is an old-format (.xls) workbook; save it again in Excel as "
                             "\"Excel Workbook (*.xlsx)\""));
    return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                      em_tr("パスワード付きのブック、または古い形式（.xls）のファイルです。パスワード付きのブックは読めません。"
                         "パスワードを解除して .xlsx で保存し直してください",
                         "this is a password-protected workbook or an old-format (.xls) file; "
                         "password-protected workbooks cannot be read: remove the password and "
                         "save it again as .xlsx"));
}

static int not_zip(const char *name, struct em_err *err)
{
    return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                      em_tr("ZIPとして読めません（.xlsx ではないか、ファイルが壊れています）",
                         "cannot be read as a zip file (not an .xlsx, or the file is damaged)"));
}

static struct em_xlsx *finish_open(struct em_xlsx *x, struct em_err *err)
{
    int rc = read_workbook(x, err);
    if (rc == 0) rc = read_sst(x, err);
    if (rc == 0) rc = read_styles(x, err);
    if (rc < 0) {
        em_xlsx_close(x);
        return NULL;
    }
    return x;
}

static struct em_xlsx *new_handle(const char *name, struct em_err *err)
{
    struct em_xlsx *x = calloc(1, sizeof *x);
    if (x) x->name = dupn(name, strlen(name));
    if (!x || !x->name) {
        free(x);
        nomem(NULL, NULL, err);
        return NULL;
    }
    xmlInitParser();
    return x;
}

struct em_xlsx *em_xlsx_open(const char *path, struct em_err *err)
{
    if (!path) {
        em_err_set(err, EM_ERR_USAGE, "", NULL, 0, NULL, "%s",
                   em_tr("ファイル名がありません", "no file name"));
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                   em_tr("ファイルが開けません（%s）", "cannot open the file (%s)"), strerror(errno));
        return NULL;
    }
    /* enough of an OLE file to find its directory in small files */
    static const size_t head_max = 1u << 20;
    unsigned char *head = malloc(head_max);
    size_t n = head ? fread(head, 1, 8, f) : 0;
    if (head && ferror(f)) {
        int e = errno;
        fclose(f);
        free(head);
        em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                   em_tr("ファイルが読めません（%s）", "cannot read the file (%s)"), strerror(e));
        return NULL;
    }
    if (head && n == 8 && memcmp(head, ole_magic, 8) == 0) {
        n += fread(head + 8, 1, head_max - 8, f);
        /* a big file may keep its directory (the stream names) past the first MiB:
         * the header says where its first sector is; read 64 KiB from there instead */
        if (n == head_max && !has_utf16(head, n, "EncryptedPackage") &&
            !has_utf16(head, n, "Workbook")) {
            unsigned shift = (unsigned)head[0x1E] | (unsigned)head[0x1F] << 8;
            unsigned long sect = (unsigned long)head[0x30] | (unsigned long)head[0x31] << 8 |
                                 (unsigned long)head[0x32] << 16 | (unsigned long)head[0x33] << 24;
            if ((shift == 9 || shift == 12) && sect < 0xFFFFFFFAul &&
                fseek(f, (long)((sect + 1) << shift), SEEK_SET) == 0)
                n = fread(head, 1, 64 * 1024, f);
        }
        fclose(f);
        ole_error(path, head, n, err);
        free(head);
        return NULL;
    }
    fclose(f);
    free(head);
    if (n < 4) {
        not_zip(path, err);
        return NULL;
    }
    struct em_xlsx *x = new_handle(path, err);
    if (!x) return NULL;
    int zerr = 0;
    x->zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!x->zip) {
        if (zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ)
            em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                       em_tr("ファイルが開けません（%s）", "cannot open the file (%s)"),
                       strerror(errno));
        else
            not_zip(path, err);
        em_xlsx_close(x);
        return NULL;
    }
    return finish_open(x, err);
}

struct em_xlsx *em_xlsx_open_mem(const char *name, const void *data, size_t len,
                                 struct em_err *err)
{
    if (!name) name = "";
    if (!data && len > 0) {
        em_err_set(err, EM_ERR_USAGE, name, NULL, 0, NULL, "%s", em_tr("データがありません", "no data"));
        return NULL;
    }
    if (len >= 8 && memcmp(data, ole_magic, 8) == 0) {
        ole_error(name, data, len, err);
        return NULL;
    }
    if (len < 4) {
        not_zip(name, err);
        return NULL;
    }
    struct em_xlsx *x = new_handle(name, err);
    if (!x) return NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src) {
        x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!x->zip) zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (!x->zip) {
        not_zip(name, err);
        em_xlsx_close(x);
        return NULL;
    }
    return finish_open(x, err);
}

void em_xlsx_close(struct em_xlsx *x)
{
    if (!x) return;
    if (x->zip) zip_discard(x->zip);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    free(x->sst_part);
    free(x->styles_part);
    free(x->xf_date);
    free(x->ss);
    free(x->ss_off);
    free(x->ss_big);
    free(x->merges);
    free(x->name);
    free(x);
}

size_t em_xlsx_sheet_count(const struct em_xlsx *x) { return x ? x->nsheets : 0; }

const char *em_xlsx_sheet_name(const struct em_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].name : NULL;
}

bool em_xlsx_sheet_hidden(const struct em_xlsx *x, size_t i)
{
    return x && i < x->nsheets && x->sheets[i].hidden;
}

/* ---- merged ranges: first pass --------------------------------------------- */

static int cmp_merge(const void *a, const void *b)
{
    const struct xl_merge *m = a, *n = b;
    if (m->r1 != n->r1) return m->r1 < n->r1 ? -1 : 1;
    if (m->c1 != n->c1) return m->c1 < n->c1 ? -1 : 1;
    return 0;
}

/* Collects the <mergeCell ref> of the first <mergeCells> (a child of the root) from
 * an XML reader over the sheet, skipping <sheetData> if it is there. */
static int collect_merges(struct em_xlsx *x, const struct xl_sheet *s, struct part *p,
                          struct em_err *err)
{
    size_t cap = 0;
    int rc;
    char ref[64];
    struct want w[] = {{"ref", false, ref, sizeof ref, 0, false}};
    bool in_mc = false;
    for (;;) {
        rc = part_next(p, 0, err);
        if (rc != 1) break;
        if (is_start(p)) {
            const xmlChar *n = lname(p);
            if (eq(n, "sheetData") && xmlTextReaderIsEmptyElement(p->r) != 1) {
                /* skip the whole subtree; libxml2 still checks it is well-formed */
                int d = xmlTextReaderDepth(p->r);
                int k;
                while ((k = xmlTextReaderNext(p->r)) == 1 && xmlTextReaderDepth(p->r) > d) {}
                p->type = xmlTextReaderNodeType(p->r);
                if (k != 1) {
                    rc = part_next(p, 0, err);  /* turns the state into an error or end */
                    if (rc == 1) continue;
                    break;
                }
                /* now on the node after </sheetData> (or its end tag) */
                if (!is_start(p)) continue;
                n = lname(p);
            }
            if (eq(n, "mergeCells") && xmlTextReaderDepth(p->r) == 1) {
                in_mc = xmlTextReaderIsEmptyElement(p->r) != 1;
            } else if (in_mc && eq(n, "mergeCell")) {
                get_attrs(p, w, 1);
                if (!w[0].found || w[0].len >= sizeof ref) continue;
                char *colon = strchr(ref, ':');
                if (!colon) continue;
                *colon = '\0';
                int c1, c2;
                long r1, r2;
                if (parse_ref(ref, &c1, &r1) != 0 || parse_ref(colon + 1, &c2, &r2) != 0)
                    continue;
                if (r1 > r2) { long t = r1; r1 = r2; r2 = t; }
                if (c1 > c2) { int t = c1; c1 = c2; c2 = t; }
                if (r1 == r2 && c1 == c2) continue;
                if (r2 > EM_MAX_ROWS || c2 >= EM_MAX_COLS) continue;  /* beyond the sheet */
                if (x->nmerges >= lim.merges) {
                    rc = em_err_set(err, EM_ERR_LIMIT, x->name, s->name, 0, NULL,
                                    em_tr("結合セルが多すぎます（上限 %zu 個）",
                                       "too many merged ranges (limit %zu)"), lim.merges);
                    break;
                }
                if (grow((void **)&x->merges, &cap, x->nmerges + 1, sizeof *x->merges) != 0) {
                    rc = nomem(x, s->name, err);
                    break;
                }
                struct xl_merge *m = &x->merges[x->nmerges++];
                m->r1 = (int32_t)r1;
                m->r2 = (int32_t)r2;
                m->c1 = c1;
                m->c2 = c2;
                m->off = m->len = 0;
                m->has = false;
            }
        } else if (is_end(p) && in_mc && eq(lname(p), "mergeCells")) {
            rc = 0;  /* only one <mergeCells> per sheet: the rest is not needed */
            break;
        }
    }
    return rc < 0 ? rc : 0;
}

/* The fast first pass. <mergeCells> sits after <sheetData>, which is nearly all of
 * the part, so instead of parsing the sheet data with libxml2 this scans the
 * decompressed bytes with a small tokenizer that knows just enough XML (tags,
 * quoted attribute values, comments, CDATA, processing instructions) to find the
 * <mergeCells> start tag that is a child of the root. libxml2 then parses the
 * prolog and root start tag (for the namespaces) followed by everything from
 * <mergeCells> on. Anything unusual (a DOCTYPE, a UTF-16 part, a huge prolog, an
 * XML error in the tail) returns 1 and the caller falls back to the plain pass,
 * which gives the same ranges or reports the error. */
enum { SC_TEXT, SC_LT, SC_NAME, SC_TAG, SC_QUOTE, SC_END, SC_BANG, SC_COMMENT, SC_CDATA, SC_PI };
#define SC_PRE_MAX (1u << 20)
#define SC_CHUNK (1u << 16)

static int pre_add(struct part *p, size_t *cap, const char *b, size_t n)
{
    if (p->pre_len + n > SC_PRE_MAX) return -1;
    if (grow((void **)&p->pre, cap, p->pre_len + n, 1) != 0) return -1;
    memcpy(p->pre + p->pre_len, b, n);
    p->pre_len += n;
    return 0;
}

static bool name_char(char c)
{
    return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '>' && c != '/';
}

static int merges_fast(struct em_xlsx *x, const struct xl_sheet *s, struct em_err *err)
{
    struct part p;
    int rc = part_open_zip(&p, x, s->part, s->name, err);
    if (rc == 1) return 0;  /* reported by the sheet pass */
    if (rc < 0) return rc;
    char *buf = malloc(SC_CHUNK);
    if (!buf) {
        part_close(&p);
        return nomem(x, s->name, err);
    }
    size_t precap = 0, tlen = 0;
    char tag[80];
    int st = SC_TEXT, depth = 0, run = 0;
    char q = 0, prev = 0;
    bool root_done = false, found = false, none = false, fallback = false, first = true;
    bool tlong = false;
    while (!found && !none && !fallback) {
        int n = part_raw_read(&p, buf, SC_CHUNK);
        if (n < 0) break;
        if (n == 0) {
            none = true;  /* no <mergeCells>; a truncated part is the sheet pass's to report */
            break;
        }
        const unsigned char *u = (const unsigned char *)buf;
        if (first && (u[0] == 0xFE || u[0] == 0xFF || u[0] == 0 || (n > 1 && u[1] == 0))) {
            fallback = true;  /* UTF-16 */
            break;
        }
        first = false;
        size_t i = 0, len = (size_t)n;
        while (i < len && !found && !none && !fallback) {
            if (st == SC_TEXT) {
                const char *lt = memchr(buf + i, '<', len - i);
                if (!lt) {
                    i = len;
                    break;
                }
                i = (size_t)(lt - buf) + 1;
                st = SC_LT;
                tlen = 0;
                tlong = false;
                tag[tlen++] = '<';
                continue;
            }
            char c = buf[i++];
            switch (st) {
            case SC_LT:
                run = 0;
                prev = 0;
                if (c == '!') {
                    st = SC_BANG;
                } else if (c == '?') {
                    st = SC_PI;
                } else if (c == '/') {
                    st = SC_END;
                } else {
                    st = SC_NAME;
                    tag[tlen++] = c;
                }
                break;
            case SC_NAME:
                if (name_char(c)) {
                    if (tlen < sizeof tag) tag[tlen++] = c;
                    else tlong = true;
                    break;
                }
                if (root_done && depth == 1 && !tlong) {
                    const char *nm = memchr(tag, ':', tlen);
                    nm = nm ? nm + 1 : tag + 1;
                    size_t nl = tlen - (size_t)(nm - tag);
                    if (nl == 10 && memcmp(nm, "mergeCells", 10) == 0) {
                        /* hand libxml2 this tag and the rest of the chunk */
                        if (pre_add(&p, &precap, tag, tlen) != 0 ||
                            pre_add(&p, &precap, &c, 1) != 0 ||
                            pre_add(&p, &precap, buf + i, len - i) != 0)
                            fallback = true;
                        found = true;
                        break;
                    }
                }
                st = SC_TAG;
                /* FALLTHROUGH */
            case SC_TAG:
                if (c == '"' || c == '\'') {
                    q = c;
                    st = SC_QUOTE;
                } else if (c == '>') {
                    bool selfc = prev == '/';
                    if (!selfc) depth++;
                    st = SC_TEXT;
                    if (!root_done) {
                        /* the prolog and the root start tag, for libxml2 (namespaces) */
                        root_done = true;
                        if (pre_add(&p, &precap, buf, i) != 0) fallback = true;
                        if (selfc) none = true;  /* <worksheet/> */
                    }
                }
                prev = c;
                break;
            case SC_QUOTE:
                if (c == q) st = SC_TAG;
                prev = c;
                break;
            case SC_END:
                if (c == '>') {
                    st = SC_TEXT;
                    if (--depth <= 0) none = true;  /* the root ended */
                }
                break;
            case SC_BANG:
                if (c == '-') st = SC_COMMENT;
                else if (c == '[') st = SC_CDATA;
                else fallback = true;  /* <!DOCTYPE ...>: the plain pass refuses it */
                run = 0;
                break;
            case SC_COMMENT:
                if (c == '>' && run >= 2) st = SC_TEXT;
                run = c == '-' ? run + 1 : 0;
                break;
            case SC_CDATA:
                if (c == '>' && run >= 2) st = SC_TEXT;
                run = c == ']' ? run + 1 : 0;
                break;
            case SC_PI:
                if (c == '>' && prev == '?') st = SC_TEXT;
                prev = c;
                break;
            default:
                break;
            }
        }
        /* a prolog longer than a chunk: keep all of it */
        if (!root_done && !fallback && pre_add(&p, &precap, buf, len) != 0) fallback = true;
    }
    free(buf);
    if (p.ioerr == IO_CAP || p.ioerr == IO_ZIP) {
        rc = part_next_error(&p, 0, err);
        part_close(&p);
        return rc;
    }
    if (fallback) {
        part_close(&p);
        return 1;
    }
    if (!found) {
        part_close(&p);
        return 0;
    }
    rc = part_start_xml(&p, err);
    if (rc < 0) return rc;
    struct em_err tmp;
    em_err_clear(&tmp);
    rc = collect_merges(x, s, &p, &tmp);
    part_close(&p);
    if (rc < 0) {
        if (tmp.rc == EM_ERR_NOMEM) return nomem(x, s->name, err);
        return 1;  /* let the plain pass find and word the problem */
    }
    return 0;
}

static int read_merges(struct em_xlsx *x, size_t si, struct em_err *err)
{
    const struct xl_sheet *s = &x->sheets[si];
    x->merges_valid = false;
    x->nmerges = 0;
#ifndef EM_XLSX_SLOW_MERGES  /* defined only to cross-check both passes in testing */
    int rc = merges_fast(x, s, err);
#else
    (void)merges_fast;
    int rc = 1;
#endif
    if (rc == 1) {
        x->nmerges = 0;
        struct part p;
        rc = part_open(&p, x, s->part, s->name, err);
        if (rc == 1) return 0;  /* reported by the sheet pass */
        if (rc < 0) return rc;
        rc = collect_merges(x, s, &p, err);
        part_close(&p);
    }
    if (rc < 0) {
        x->nmerges = 0;
        return rc;
    }
    if (x->nmerges > 1) qsort(x->merges, x->nmerges, sizeof *x->merges, cmp_merge);
    x->merges_valid = true;
    x->merges_sheet = si;
    return 0;
}

/* ---- the sheet pass --------------------------------------------------------- */

enum { SRC_ROW, SRC_SST, SRC_MERGE, SRC_LIT };
struct pcell {
    int col;
    int src;            /* where the text lives */
    bool merged;        /* filled from a merged range (wins over the cell itself) */
    size_t off, len;    /* offset into the row arena / sst / merge arena */
    const char *lit;    /* SRC_LIT */
};

struct rd {
    struct em_xlsx *x;
    const struct xl_sheet *s;
    em_row_fn fn;
    void *ctx;
    struct em_err *err;
    long max_rows, delivered;
    long row;                   /* current row number */
    /* the row being built */
    struct pcell *cells;
    size_t ncells, capcells;
    char *arena;
    size_t alen, acap;
    struct em_cell *out;
    size_t capout;
    /* merged ranges */
    size_t next_merge;          /* first merge not yet active */
    size_t *active;
    size_t nactive, capactive;
    char *marena;
    size_t mlen, mcap;
    size_t filled;
    long last_merge_row;        /* the highest r2 of active merges */
};

static int rd_limit_cells(struct rd *d)
{
    return em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                      em_tr("1行のセルが多すぎます（上限 %d 個）",
                         "too many cells in one row (limit %d)"), EM_MAX_ROW_CELLS);
}

static int cmp_pcell(const void *a, const void *b)
{
    const struct pcell *p = a, *q = b;
    if (p->col != q->col) return p->col < q->col ? -1 : 1;
    if (p->merged != q->merged) return p->merged ? 1 : -1;
    return 0;
}

static const char *pcell_text(struct rd *d, const struct pcell *c)
{
    switch (c->src) {
    case SRC_ROW: return d->arena + c->off;
    case SRC_SST: return d->x->ss + c->off;
    case SRC_MERGE: return d->marena + c->off;
    default: return c->lit;
    }
}

static int add_pcell(struct rd *d, const struct pcell *c)
{
    if (d->ncells >= EM_MAX_ROW_CELLS) return rd_limit_cells(d);
    if (grow((void **)&d->cells, &d->capcells, d->ncells + 1, sizeof *d->cells) != 0)
        return nomem(d->x, d->s->name, d->err);
    d->cells[d->ncells++] = *c;
    return 0;
}

/* Applies the active merged ranges to the row being built and hands it over.
 * Returns 0, 1 (stop: fn said so, or max_rows reached: *stop_clean tells), or rc < 0. */
static int deliver(struct rd *d, bool *stop_clean)
{
    struct em_xlsx *x = d->x;
    long r = d->row;
    /* activate ranges starting at or before this row */
    while (d->next_merge < x->nmerges && x->merges[d->next_merge].r1 <= r) {
        struct xl_merge *m = &x->merges[d->next_merge];
        size_t mi = d->next_merge++;
        if (m->r2 < r) continue;  /* its first row never came: no value */
        if (m->r1 < r) continue;  /* same: the anchor row had no <row> element */
        /* anchor row: take the top-left value from this row */
        m->has = false;
        for (size_t k = 0; k < d->ncells; k++) {
            if (d->cells[k].col != m->c1 || d->cells[k].merged) continue;
            const char *t = pcell_text(d, &d->cells[k]);
            size_t l = d->cells[k].len;
            if (l == 0) break;
            if (d->mlen + l + 1 > lim.merge_cells || d->mlen + l + 1 > UINT32_MAX)
                return em_err_set(d->err, EM_ERR_LIMIT, x->name, d->s->name, r, NULL, "%s",
                                  em_tr("結合セルの値が多すぎます", "too much text in merged ranges"));
            if (grow((void **)&d->marena, &d->mcap, d->mlen + l + 1, 1) != 0)
                return nomem(x, d->s->name, d->err);
            memcpy(d->marena + d->mlen, t, l);
            d->marena[d->mlen + l] = '\0';
            m->off = (uint32_t)d->mlen;
            m->len = (uint32_t)l;
            d->mlen += l + 1;
            m->has = true;
        }
        if (!m->has) continue;  /* an empty range only formats: nothing to fill */
        if ((size_t)(m->c2 - m->c1) >= EM_MAX_ROW_CELLS) return rd_limit_cells(d);
        if (grow((void **)&d->active, &d->capactive, d->nactive + 1, sizeof *d->active) != 0)
            return nomem(x, d->s->name, d->err);
        d->active[d->nactive++] = mi;
        if (m->r2 > d->last_merge_row) d->last_merge_row = m->r2;
    }
    /* fill from active ranges, drop those that ended */
    bool sorted = true;
    for (size_t k = 1; k < d->ncells; k++)
        if (d->cells[k].col <= d->cells[k - 1].col) sorted = false;
    size_t keep = 0;
    for (size_t a = 0; a < d->nactive; a++) {
        struct xl_merge *m = &x->merges[d->active[a]];
        if (m->r2 < r) continue;
        d->active[keep++] = d->active[a];
        for (int c = m->c1; c <= m->c2; c++) {
            if (++d->filled > lim.merge_cells)
                return em_err_set(d->err, EM_ERR_LIMIT, x->name, d->s->name, r, NULL,
                                  em_tr("結合セルが大きすぎます（埋めるセルが %zu 個を超えます）",
                                     "merged ranges are too large (over %zu cells to fill)"),
                                  lim.merge_cells);
            struct pcell pc = {c, SRC_MERGE, true, m->off, m->len, NULL};
            if (d->ncells >= EM_MAX_ROW_CELLS * 2) return rd_limit_cells(d);
            if (grow((void **)&d->cells, &d->capcells, d->ncells + 1, sizeof *d->cells) != 0)
                return nomem(x, d->s->name, d->err);
            d->cells[d->ncells++] = pc;
            sorted = false;
        }
    }
    d->nactive = keep;
    if (!sorted) {
        if (d->ncells <= 64) {
            /* nearly sorted (a few merged cells appended): insertion sort, stable */
            for (size_t k = 1; k < d->ncells; k++) {
                struct pcell t = d->cells[k];
                size_t m = k;
                while (m > 0 && cmp_pcell(&d->cells[m - 1], &t) > 0) {
                    d->cells[m] = d->cells[m - 1];
                    m--;
                }
                d->cells[m] = t;
            }
        } else {
            qsort(d->cells, d->ncells, sizeof *d->cells, cmp_pcell);
        }
        size_t o = 0;
        for (size_t k = 0; k < d->ncells; k++) {
            if (o > 0 && d->cells[o - 1].col == d->cells[k].col) {
                d->cells[o - 1] = d->cells[k];  /* the later one: merged wins, or the last */
                continue;
            }
            d->cells[o++] = d->cells[k];
        }
        d->ncells = o;
        if (d->ncells > EM_MAX_ROW_CELLS) return rd_limit_cells(d);
    }
    if (d->ncells == 0) return 0;
    if (grow((void **)&d->out, &d->capout, d->ncells, sizeof *d->out) != 0)
        return nomem(x, d->s->name, d->err);
    for (size_t k = 0; k < d->ncells; k++) {
        d->out[k].col = d->cells[k].col;
        d->out[k].text = pcell_text(d, &d->cells[k]);
        d->out[k].len = d->cells[k].len;
    }
    struct em_row row = {r, d->out, d->ncells, x->date1904};
    int rc = d->fn(d->ctx, &row, d->err);
    d->ncells = 0;
    d->alen = 0;
    if (rc < 0) {
        if (d->err && d->err->rc == 0)
            em_err_set(d->err, rc, x->name, d->s->name, r, NULL, "%s",
                       em_tr("行の処理に失敗しました", "processing the row failed"));
        return rc;
    }
    if (rc > 0) return 1;
    d->delivered++;
    if (d->max_rows > 0 && d->delivered >= d->max_rows) {
        *stop_clean = true;
        return 1;
    }
    return 0;
}

/* Rows between the last delivered one and `upto` (exclusive) that exist only through
 * vertical merged ranges. */
static int fill_gap(struct rd *d, long upto, bool *stop_clean)
{
    while (d->nactive > 0 && d->row + 1 < upto && d->row < d->last_merge_row) {
        d->row++;
        d->ncells = 0;
        d->alen = 0;
        int rc = deliver(d, stop_clean);
        if (rc != 0) return rc;
    }
    return 0;
}

static int rd_limit_cell_bytes(struct rd *d, int col)
{
    char cn[8];
    col_name(col, cn);
    return em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, cn,
                      em_tr("セルの文字が長すぎます（上限 %d バイト）",
                         "the cell text is too long (limit %d bytes)"), EM_MAX_CELL_BYTES);
}

static int append_text(struct rd *d, size_t start, const char *v, size_t l, int col)
{
    if (d->alen - start + l > EM_MAX_CELL_BYTES) return rd_limit_cell_bytes(d, col);
    if (d->alen + l + 1 > lim.row_bytes)
        return em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                          em_tr("1行の文字が多すぎます（上限 %zu バイト）",
                             "too much text in one row (limit %zu bytes)"), lim.row_bytes);
    if (grow((void **)&d->arena, &d->acap, d->alen + l + 1, 1) != 0)
        return nomem(d->x, d->s->name, d->err);
    memcpy(d->arena + d->alen, v, l);
    d->alen += l;
    return 0;
}

enum { T_NUM, T_SST, T_INLINE, T_BOOL, T_ERR, T_STR, T_DATE };

/* Turns the collected value of a cell into a row cell. */
static int finish_cell(struct rd *d, int col, int type, size_t start)
{
    size_t l = d->alen - start;
    struct pcell pc = {col, SRC_ROW, false, start, l, NULL};
    char *v = d->arena ? d->arena + start : NULL;
    if (type == T_SST) {
        if (l == 0) return 0;
        v[l] = '\0';
        char *end;
        errno = 0;
        unsigned long long i = strtoull(v, &end, 10);
        d->alen = start;
        if (end == v || *end != '\0' || errno != 0 || v[0] == '-' || i >= d->x->ss_n) {
            char cn[8];
            col_name(col, cn);
            return em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, d->row, cn,
                              em_tr("セルが存在しない共有文字列を指しています（%s）",
                                 "the cell refers to a shared string that does not exist (%s)"),
                              l < 32 ? v : "...");
        }
        size_t off = d->x->ss_off[i];
        size_t len = d->x->ss_off[i + 1] - off - 1;
        if (len == 0) {
            /* an over-long string is kept empty; ss_big is ascending: binary search */
            size_t lo = 0, hi = d->x->ss_nbig;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (d->x->ss_big[mid] < i) lo = mid + 1;
                else hi = mid;
            }
            if (lo < d->x->ss_nbig && d->x->ss_big[lo] == i) return rd_limit_cell_bytes(d, col);
            return 0;
        }
        pc.src = SRC_SST;
        pc.off = off;
        pc.len = len;
        return add_pcell(d, &pc);
    }
    if (l == 0) return 0;
    if (type == T_DATE) {
        /* a number in a date/time style: shown as the date, not the serial */
        char tmp[40];
        char *end;
        v[l] = '\0';
        double dv = l < sizeof tmp ? strtod(v, &end) : -1;
        if (l < sizeof tmp && end != v && *end == '\0' &&
            serial_to_text(dv, d->x->date1904, tmp, sizeof tmp)) {
            size_t n = strlen(tmp);
            d->alen = start;
            if (grow((void **)&d->arena, &d->acap, start + n + 1, 1) != 0)
                return nomem(d->x, d->s->name, d->err);
            memcpy(d->arena + start, tmp, n);
            d->alen = start + n;
            l = n;
            pc.len = n;
            v = d->arena + start;
        }
        type = T_NUM;
    }
    if (type == T_BOOL && l == 1 && (v[0] == '0' || v[0] == '1')) {
        pc.src = SRC_LIT;
        pc.lit = v[0] == '1' ? "TRUE" : "FALSE";
        pc.len = strlen(pc.lit);
        d->alen = start;
    } else if (type == T_NUM) {
        /* integers as Excel shows them: "3.0" → "3" (Excel itself writes "3") */
        char *dot = memchr(v, '.', l);
        if (dot && dot > v) {
            size_t k = (size_t)(dot - v) + 1;
            while (k < l && v[k] == '0') k++;
            bool digits = true;
            for (char *q = v + (v[0] == '-' ? 1 : 0); q < dot; q++)
                if (*q < '0' || *q > '9') digits = false;
            if (k == l && digits && dot > v + (v[0] == '-' ? 1 : 0)) {
                l = (size_t)(dot - v);
                d->alen = start + l;
                pc.len = l;
            }
        }
    }
    if (pc.src == SRC_ROW && (type == T_INLINE || type == T_STR)) {
        pc.len = decode_x(v, l);
        d->alen = start + pc.len;
        if (pc.len == 0) return 0;
    }
    if (pc.src == SRC_ROW) {
        if (grow((void **)&d->arena, &d->acap, d->alen + 1, 1) != 0)
            return nomem(d->x, d->s->name, d->err);
        d->arena[d->alen++] = '\0';
    }
    return add_pcell(d, &pc);
}

/* The sheet pass runs on libxml2's SAX2 push parser, not the xmlTextReader used for
 * the other parts: on the 94 MB benchmark sheet the reader alone, doing nothing, needs
 * 1.12 s and SAX2 0.61 s (docs/design-xlsx.md, "Why SAX2 for the rows"). The zip
 * entry is fed to xmlParseChunk in chunks; the callbacks below keep the state the
 * reader loop kept in locals, and stop the parser (xmlStopParser) on an error, when
 * the row callback says stop, or at </sheetData>. */
#define SHEET_CHUNK (128u * 1024u)
static size_t sheet_chunk = SHEET_CHUNK;

/* Test hook, declared by tests/unit/mapper_xlsx.c: feed the sheet pass n bytes at a
 * time (1 splits every token and text across chunks); 0 restores the default. */
void em_xlsx_test_sheet_chunk(size_t n);
void em_xlsx_test_sheet_chunk(size_t n) { sheet_chunk = n ? n : SHEET_CHUNK; }

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

/* One chunk from the zip entry, with the DOCTYPE sniffing; -1 on any error. */
static int feed_read(struct part *p, char *buf, size_t size)
{
    int n = part_raw_read(p, buf, size);
    if (n > 0 && p->prolog != PRO_DONE) sniff_prolog(p, buf, (size_t)n);
    return p->ioerr ? -1 : n;
}

static void *feed_main(void *arg)
{
    struct feeder *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (f->count == FEED_SLOTS && !f->quit) pthread_cond_wait(&f->room, &f->mu);
        bool quit = f->quit;
        unsigned slot = (f->head + f->count) % FEED_SLOTS;
        pthread_mutex_unlock(&f->mu);
        if (quit) break;
        /* buf[slot] is not visible to the parser until count grows */
        int n = feed_read(f->p, f->buf[slot], f->size);
        pthread_mutex_lock(&f->mu);
        f->len[slot] = n;
        f->count++;
        pthread_cond_signal(&f->ready);
        pthread_mutex_unlock(&f->mu);
        if (n <= 0) break;
    }
    return NULL;
}

/* Returns 0 or -1 (out of memory). */
static int feed_start(struct feeder *f, struct part *p, size_t size)
{
    memset(f, 0, sizeof *f);
    f->p = p;
    f->size = size;
    for (int i = 0; i < FEED_SLOTS; i++) {
        f->buf[i] = malloc(size);
        if (!f->buf[i]) {
            for (int k = 0; k < i; k++) free(f->buf[k]);
            return -1;
        }
    }
    if (pthread_mutex_init(&f->mu, NULL) != 0) goto sync;
    if (pthread_cond_init(&f->ready, NULL) != 0) {
        pthread_mutex_destroy(&f->mu);
        goto sync;
    }
    if (pthread_cond_init(&f->room, NULL) != 0) {
        pthread_cond_destroy(&f->ready);
        pthread_mutex_destroy(&f->mu);
        goto sync;
    }
    if (pthread_create(&f->th, NULL, feed_main, f) != 0) {
        pthread_cond_destroy(&f->room);
        pthread_cond_destroy(&f->ready);
        pthread_mutex_destroy(&f->mu);
        goto sync;
    }
    f->threaded = true;
    return 0;
sync:
    f->threaded = false;
    return 0;
}

/* The next chunk (*data valid until the next call): its length, 0 at the end, -1 on
 * an error. Not to be called again after 0 or -1. */
static int feed_get(struct feeder *f, const char **data)
{
    if (!f->threaded) {
        *data = f->buf[0];
        return feed_read(f->p, f->buf[0], f->size);
    }
    pthread_mutex_lock(&f->mu);
    if (f->held) {
        f->head = (f->head + 1) % FEED_SLOTS;
        f->count--;
        f->held = false;
        pthread_cond_signal(&f->room);
    }
    while (f->count == 0) pthread_cond_wait(&f->ready, &f->mu);
    f->held = true;
    *data = f->buf[f->head];
    int n = f->len[f->head];
    pthread_mutex_unlock(&f->mu);
    return n;
}

/* Stops and joins the thread (after this the part's fields are the caller's again)
 * and frees the chunks. */
static void feed_stop(struct feeder *f)
{
    if (f->threaded) {
        pthread_mutex_lock(&f->mu);
        f->quit = true;
        pthread_cond_signal(&f->room);
        pthread_mutex_unlock(&f->mu);
        pthread_join(f->th, NULL);
        pthread_cond_destroy(&f->room);
        pthread_cond_destroy(&f->ready);
        pthread_mutex_destroy(&f->mu);
        f->threaded = false;
    }
    for (int i = 0; i < FEED_SLOTS; i++) free(f->buf[i]);
}

struct sx {
    struct rd *d;
    struct part *p;
    xmlParserCtxtPtr ctxt;
    int depth;              /* elements open; the root is at depth 0 */
    bool just_empty;        /* the last start tag was <x/>: its end event is ignored,
                             * as the reader never gave one for an empty element */
    bool in_data, in_row, in_cell, collect, in_is, date;
    int rph, col, type;
    size_t start;
    long last_row;
    bool dtd;               /* a DOCTYPE reached libxml2 (UTF-16): refused */
    bool stopped;           /* the callbacks stopped the parser; result says why */
    int result;             /* 0 (done, or max_rows), 1 (fn said stop), rc < 0 */
};

static void sx_stop(struct sx *s, int result)
{
    if (!s->stopped) {
        s->stopped = true;
        s->result = result;
    }
    xmlStopParser(s->ctxt);
}

/* deliver() / fill_gap() outcome (rc, and *stop_clean set by the call, so read only
 * after it) → stop the parse when rc is not 0 */
static bool sx_rows_rc(struct sx *s, int rc, const bool *stop_clean)
{
    if (rc == 0) return false;
    sx_stop(s, rc < 0 ? rc : (*stop_clean ? 0 : 1));
    return true;
}

/* Copies the wanted (unprefixed) attributes of a SAX2 start tag into w, with the
 * semantics of get_attrs: first match wins, truncation marked by len == size. */
static void sx_attrs(const xmlChar **a, int n, struct want *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        w[i].found = false;
        w[i].len = 0;
        w[i].buf[0] = '\0';
    }
    for (int k = 0; k < n; k++, a += 5) {
        /* a[0] local name, a[1] prefix, a[2] namespace URI, a[3]..a[4] the value */
        for (size_t i = 0; i < nw; i++) {
            /* as the reader saw them: an unprefixed want never matches a prefixed
             * attribute (its name is "y:r" when the prefix is undeclared) */
            if (w[i].found || (w[i].ns ? a[2] == NULL : a[1] != NULL) || !eq(a[0], w[i].name))
                continue;
            size_t l = (size_t)(a[4] - a[3]);
            size_t c = l < w[i].size - 1 ? l : w[i].size - 1;
            memcpy(w[i].buf, a[3], c);
            w[i].buf[c] = '\0';
            w[i].len = l < w[i].size - 1 ? l : w[i].size;
            w[i].found = true;
        }
    }
}

static void sx_cell_start(struct sx *s, const xmlChar **attrs, int nattrs, bool empty)
{
    struct rd *d = s->d;
    char rbuf[32], tbuf[16], sbuf[16];
    struct want wcell[] = {
        {"r", false, rbuf, sizeof rbuf, 0, false},
        {"t", false, tbuf, sizeof tbuf, 0, false},
        {"s", false, sbuf, sizeof sbuf, 0, false},
    };
    sx_attrs(attrs, nattrs, wcell, 3);
    if (wcell[0].found) {
        const char *e;
        int c = wcell[0].len < sizeof rbuf ? parse_col(rbuf, &e) : -1;
        if (c < 0) {
            sx_stop(s, em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, d->row, NULL,
                                  em_tr("セル番地「%s」が読めません", "cannot read the cell reference '%s'"),
                                  wcell[0].len < sizeof rbuf ? rbuf : "..."));
            return;
        }
        s->col = c;
    } else {
        s->col++;
    }
    if (s->col >= EM_MAX_COLS) {
        sx_stop(s, em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                              em_tr("列が多すぎます（上限 %d 列）", "too many columns (limit %d)"),
                              EM_MAX_COLS));
        return;
    }
    s->type = T_NUM;
    s->date = false;
    if (wcell[2].found && d->x->nxf > 0) {
        char *e;
        unsigned long si = strtoul(sbuf, &e, 10);
        s->date = e != sbuf && *e == '\0' && sbuf[0] != '-' && si < d->x->nxf && d->x->xf_date[si];
    }
    if (wcell[1].found) {
        if (strcmp(tbuf, "s") == 0) s->type = T_SST;
        else if (strcmp(tbuf, "inlineStr") == 0) s->type = T_INLINE;
        else if (strcmp(tbuf, "b") == 0) s->type = T_BOOL;
        else if (strcmp(tbuf, "e") == 0) s->type = T_ERR;
        else if (strcmp(tbuf, "str") == 0 || strcmp(tbuf, "d") == 0) s->type = T_STR;
    }
    if (empty) return;
    s->in_cell = true;
    s->in_is = false;
    s->collect = false;
    s->rph = 0;
    s->start = d->alen;
}

static void sx_row_start(struct sx *s, const xmlChar **attrs, int nattrs, bool empty)
{
    struct rd *d = s->d;
    char rbuf[32];
    struct want wrow[] = {{"r", false, rbuf, sizeof rbuf, 0, false}};
    sx_attrs(attrs, nattrs, wrow, 1);
    long r;
    if (wrow[0].found) {
        const char *e;
        r = wrow[0].len < sizeof rbuf ? parse_row(rbuf, &e) : EM_MAX_ROWS + 1L;
        if (r < 1 || (r <= EM_MAX_ROWS && *e != '\0')) {
            sx_stop(s, em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, s->last_row + 1,
                                  NULL, em_tr("行番号「%s」が読めません", "cannot read the row number '%s'"),
                                  wrow[0].len < sizeof rbuf ? rbuf : "..."));
            return;
        }
    } else {
        r = s->last_row + 1;
    }
    if (r > EM_MAX_ROWS) {
        sx_stop(s, em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, s->last_row, NULL,
                              em_tr("行が多すぎます（上限 %d 行）", "too many rows (limit %d)"),
                              EM_MAX_ROWS));
        return;
    }
    if (r <= s->last_row) {
        sx_stop(s, em_err_set(d->err, EM_ERR_FORMAT, d->x->name, d->s->name, r, NULL,
                              em_tr("行の順番が正しくありません（%ld行目の後に%ld行目があります）",
                                 "rows are out of order (row %ld comes after row %ld)"),
                              s->last_row, r));
        return;
    }
    bool stop_clean = false;
    if (sx_rows_rc(s, fill_gap(d, r, &stop_clean), &stop_clean)) return;
    d->row = r;
    s->last_row = r;
    d->ncells = 0;
    d->alen = 0;
    s->col = -1;
    if (empty) {
        sx_rows_rc(s, deliver(d, &stop_clean), &stop_clean);
    } else {
        s->in_row = true;
    }
}

static void sx_start(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattrs, int ndefaulted,
                     const xmlChar **attrs)
{
    (void)nns;
    (void)ns;
    (void)ndefaulted;
    struct sx *s = ctx;
    struct rd *d = s->d;
    if (s->stopped) return;
    if (s->depth++ > lim.depth) {
        sx_stop(s, em_err_set(d->err, EM_ERR_LIMIT, d->x->name, d->s->name, d->row, NULL,
                              em_tr("%s のXMLの入れ子が深すぎます（上限 %d 段）",
                                 "the XML of %s is nested too deeply (limit %d levels)"),
                              s->p->name, lim.depth));
        return;
    }
    /* libxml2 calls this with the input still on the tag's closing "/>" or ">" */
    const xmlChar *cur = s->ctxt->input ? s->ctxt->input->cur : NULL;
    bool empty = cur && cur < s->ctxt->input->end && cur[0] == '/';
    s->just_empty = empty;
    /* an undeclared prefix: the reader's name was "y:c", which matches nothing here */
    if (!n || (prefix && !uri)) return;
    if (!s->in_data) {
        if (eq(n, "sheetData") && !empty) s->in_data = true;
        return;
    }
    if (n[0] == 'c' && n[1] == '\0') {
        if (s->in_row) sx_cell_start(s, attrs, nattrs, empty);
    } else if (s->in_cell && n[0] == 'v' && n[1] == '\0') {
        if (!empty && !s->in_is && s->type != T_INLINE) s->collect = true;
    } else if (s->in_cell && eq(n, "is")) {
        if (!empty) s->in_is = true;
    } else if (s->in_is && eq(n, "rPh")) {
        if (!empty) s->rph++;
    } else if (s->in_is && s->rph == 0 && n[0] == 't' && n[1] == '\0') {
        if (!empty) s->collect = true;
    } else if (eq(n, "row")) {
        if (!s->in_row) sx_row_start(s, attrs, nattrs, empty);
    }
}

static void sx_end(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri)
{
    struct sx *s = ctx;
    struct rd *d = s->d;
    if (s->stopped) return;
    s->depth--;
    if (s->just_empty) {
        s->just_empty = false;
        return;
    }
    if (!s->in_data || !n || (prefix && !uri)) return;
    bool stop_clean = false;
    if (n[0] == 'c' && n[1] == '\0') {
        if (!s->in_cell) return;
        s->in_cell = s->collect = s->in_is = false;
        int rc = finish_cell(d, s->col, s->type == T_NUM && s->date ? T_DATE : s->type, s->start);
        if (rc < 0) sx_stop(s, rc);
    } else if ((n[0] == 'v' || n[0] == 't') && n[1] == '\0') {
        s->collect = false;
    } else if (eq(n, "rPh")) {
        if (s->rph > 0) s->rph--;
    } else if (eq(n, "is")) {
        s->in_is = false;
    } else if (eq(n, "row")) {
        if (!s->in_row) return;
        s->in_row = s->in_cell = s->collect = false;
        sx_rows_rc(s, deliver(d, &stop_clean), &stop_clean);
    } else if (eq(n, "sheetData")) {
        /* rows after the last one that exist only through merged ranges */
        if (!sx_rows_rc(s, fill_gap(d, (long)EM_MAX_ROWS + 1, &stop_clean), &stop_clean))
            sx_stop(s, 0);  /* the rest of the part is not needed */
    }
}

static void sx_text(void *ctx, const xmlChar *v, int len)
{
    struct sx *s = ctx;
    if (s->stopped || !s->collect || len <= 0) return;
    int rc = append_text(s->d, s->start, (const char *)v, (size_t)len, s->col);
    if (rc < 0) sx_stop(s, rc);
}

/* A DOCTYPE that got past the prolog sniffing (a UTF-16 part): refused before its
 * internal subset is parsed. */
static void sx_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name;
    (void)eid;
    (void)sid;
    struct sx *s = ctx;
    s->dtd = true;   /* not p->ioerr: the inflating thread owns that until joined */
    xmlStopParser(s->ctxt);
}

static void sx_serror(void *ctx, xmlErrorPtr e)
{
    struct sx *s = ctx;
    part_serror(s->p, e);
}

/* Feeds the opened sheet part through the SAX2 push parser. Returns 0, 1 (the row
 * callback said stop) or rc < 0 with d->err filled. */
static int read_rows(struct rd *d, struct part *p)
{
    struct sx s;
    memset(&s, 0, sizeof s);
    s.d = d;
    s.p = p;
    s.col = -1;
    s.type = T_NUM;
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = sx_start;
    h.endElementNs = sx_end;
    h.characters = sx_text;
    h.ignorableWhitespace = sx_text;
    h.cdataBlock = sx_text;
    h.internalSubset = sx_dtd;
    h.serror = sx_serror;
    struct feeder f;
    if (feed_start(&f, p, sheet_chunk) != 0) return nomem(d->x, d->s->name, d->err);
    /* the first 4 bytes go in at creation: libxml2 detects the encoding (UTF-16)
     * from them, so gather that many even from tiny chunks */
    char first[4];
    size_t nfirst = 0;
    bool oom = false;
    for (;;) {
        const char *data;
        int n = feed_get(&f, &data);
        if (n < 0) break;                   /* p->ioerr says why (read after the join) */
        size_t off = 0;
        if (!s.ctxt) {
            while (nfirst < 4 && off < (size_t)n) first[nfirst++] = data[off++];
            if (nfirst < 4 && n > 0) continue;
            s.ctxt = xmlCreatePushParserCtxt(&h, &s, first, (int)nfirst, p->name);
            if (!s.ctxt) {
                oom = true;
                break;
            }
            /* no network, entities never substituted (no XML_PARSE_NOENT), no DTD
             * loading, no XML_PARSE_HUGE; CDATA comes through cdataBlock as text */
            xmlCtxtUseOptions(s.ctxt, XML_PARSE_NONET);
        }
        if (n == 0) {
            xmlParseChunk(s.ctxt, NULL, 0, 1);
            break;
        }
        if (off < (size_t)n) xmlParseChunk(s.ctxt, data + off, (int)((size_t)n - off), 0);
        /* a fatal XML error disables the callbacks: stop feeding. A namespace error
         * (an undeclared prefix) is not fatal: as with the reader, it is reported
         * only when the part ends without </sheetData>. */
        if (s.stopped || s.dtd || s.ctxt->disableSAX || s.ctxt->instate == XML_PARSER_EOF)
            break;
    }
    feed_stop(&f);
    if (s.dtd && !p->ioerr) p->ioerr = IO_DTD;
    int rc;
    if (s.stopped) rc = s.result;          /* our own stop wins over what follows it */
    else if (oom) rc = nomem(d->x, d->s->name, d->err);
    else if (p->ioerr || p->xml_err) rc = part_next_error(p, d->row, d->err);
    else rc = 0;                           /* the end of a part without </sheetData> */
    if (s.ctxt) xmlFreeParserCtxt(s.ctxt);
    return rc;
}

int em_xlsx_read_sheet(struct em_xlsx *x, size_t i, long max_rows, em_row_fn fn,
                       void *ctx, struct em_err *err)
{
    if (!x || !fn || i >= x->nsheets)
        return em_err_set(err, EM_ERR_USAGE, x ? x->name : "", NULL, 0, NULL, "%s",
                          em_tr("シートの指定が正しくありません", "no such sheet"));
    const struct xl_sheet *s = &x->sheets[i];
    if (!s->part)
        return em_err_set(err, EM_ERR_FORMAT, x->name, s->name, 0, NULL, "%s",
                          em_tr("シートの中身がブックの中に見つかりません（関連付けがありません）",
                             "the sheet's contents are missing from the workbook (no relationship)"));
    if (x->reading)
        return em_err_set(err, EM_ERR_USAGE, x->name, s->name, 0, NULL, "%s",
                          em_tr("シートの読み込み中に別のシートは読めません",
                             "a sheet cannot be read from inside another sheet's row callback"));
    int rc;
    if (!x->merges_valid || x->merges_sheet != i) {
        rc = read_merges(x, i, err);
        if (rc < 0) return rc;
    }
    struct part p;
    rc = part_open_zip(&p, x, s->part, s->name, err);  /* read_rows runs the parser */
    if (rc == 1)
        return em_err_set(err, EM_ERR_FORMAT, x->name, s->name, 0, NULL,
                          em_tr("シートの中身（%s）がブックの中に見つかりません",
                             "the sheet's contents (%s) are missing from the workbook"), s->part);
    if (rc < 0) return rc;
    struct rd d;
    memset(&d, 0, sizeof d);
    d.x = x;
    d.s = s;
    d.fn = fn;
    d.ctx = ctx;
    d.err = err;
    d.max_rows = max_rows;
    x->reading = true;
    rc = read_rows(&d, &p);
    x->reading = false;
    part_close(&p);
    free(d.cells);
    free(d.arena);
    free(d.out);
    free(d.active);
    free(d.marena);
    return rc;
}
