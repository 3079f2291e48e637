/* xlsx_part.c — one zip entry of a workbook ("part") opened under the caps: the
 * uncompressed size and compression ratio (zip bomb) checked from the zip directory and
 * again while reading, the DOCTYPE refusal in the prolog, libxml2's messages caught into
 * the error record, and the streaming reader (xmlTextReader) over the entry for the small
 * parts. Also the process-wide caps and the helpers every xlsx_*.c uses. Interface:
 * xlsx_int.h. Why and which caps: docs/design-xlsx.md. */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/parserInternals.h>

/* No network, no entity substitution, no DTD loading, no XML_PARSE_HUGE. CDATA comes
 * as text; small text nodes are stored compactly. */
#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT)

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
struct em_xlsx_limits em_xl_lim = DEFAULT_LIMITS;

struct em_xlsx_limits em_xlsx_limits_default(void) { return default_limits; }
void em_xlsx_set_limits(const struct em_xlsx_limits *l) { em_xl_lim = l ? *l : default_limits; }

int em_xl_grow_slow(void **p, size_t *cap, size_t need, size_t elem)
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

char *em_xl_dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

int em_xl_nomem(struct em_xlsx *x, const char *sheet, struct em_err *err)
{
    return em_err_set(err, EM_ERR_NOMEM, x ? x->name : "", sheet, 0, NULL, "%s",
                      em_tr("メモリが足りません", "out of memory"));
}

/* Looks at the bytes before the root element for "<!DOCTYPE": refused before
 * libxml2 sees the internal subset, so no entity declaration is ever parsed.
 * (UTF-16 parts slip through here and are caught as a DOCTYPE node or by libxml2.) */
void em_xl_sniff_prolog(struct part *p, const char *b, size_t n)
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
int em_xl_part_raw_read(struct part *p, char *buf, size_t len)
{
    zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        p->ioerr = IO_ZIP;
        return -1;
    }
    p->total += (size_t)n;
    if (p->total > em_xl_lim.part_bytes) {
        p->ioerr = IO_CAP;
        return -1;
    }
    return (int)n;
}

/* xmlTextReader's read callback: bytes kept in p->pre first, then the entry, with the
 * DOCTYPE sniffing; -1 on any error (p->ioerr says which). */
static int part_read(void *ctx, char *buf, int len)
{
    struct part *p = ctx;
    if (p->ioerr) return -1;
    if (p->pre_off < p->pre_len) {
        size_t k = p->pre_len - p->pre_off;
        if (k > (size_t)len) k = (size_t)len;
        memcpy(buf, p->pre + p->pre_off, k);
        p->pre_off += k;
        if (p->prolog != PRO_DONE) em_xl_sniff_prolog(p, buf, k);
        return p->ioerr ? -1 : (int)k;
    }
    int n = em_xl_part_raw_read(p, buf, (size_t)len);
    if (n < 0) return -1;
    if (p->prolog != PRO_DONE) {
        em_xl_sniff_prolog(p, buf, (size_t)n);
        if (p->ioerr) return -1;
    }
    return (int)n;
}

int em_xl_part_read(struct part *p, char *buf, size_t len)
{
    return part_read(p, buf, len > INT_MAX ? INT_MAX : (int)len);
}

/* libxml2's messages go into the error record, never to stderr; the first one wins. */
void em_xl_part_serror(void *ctx, xmlErrorPtr e)
{
    struct part *p = ctx;
    if (!p || !e || p->xml_err || e->level < XML_ERR_ERROR) return;
    p->xml_err = true;
    p->xml_line = e->line;
    const char *m = e->message ? e->message : "?";
    /* "xmlSAX2Characters: huge text node" (a text over XML_MAX_TEXT_LENGTH; libxml2
     * files it as XML_ERR_NO_MEMORY) */
    p->xml_huge = strstr(m, "huge text node") != NULL;
    size_t n = strlen(m);
    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) n--;
    if (n >= sizeof p->xml_msg) n = sizeof p->xml_msg - 1;
    memcpy(p->xml_msg, m, n);
    p->xml_msg[n] = '\0';
}

/* libxml2's generic error handler while a part is open: silent (the structured
 * handler records the error). */
static void part_gerror(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void em_xl_part_close(struct part *p)
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

/* Opens zip entry name for streaming (part_open also starts the XML reader on it).
 * Returns 0, 1 when the entry does not exist (nothing recorded), or a negative rc
 * with err filled. */
int em_xl_part_open_zip(struct part *p, struct em_xlsx *x, const char *name, const char *sheet,
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
    if ((st.valid & ZIP_STAT_SIZE) && st.size > em_xl_lim.part_bytes)
        return em_err_set(err, EM_ERR_LIMIT, x->name, p->sheet, 0, NULL,
                          em_tr("ブックの部品 %s が大きすぎます（展開後 %llu バイト、上限 %zu バイト）",
                             "workbook part %s is too large (%llu bytes uncompressed, limit %zu)"),
                          name, (unsigned long long)st.size, em_xl_lim.part_bytes);
    if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
        st.size > em_xl_lim.bomb_min_bytes &&
        (st.comp_size == 0 || st.size / st.comp_size > em_xl_lim.bomb_ratio))
        return em_err_set(err, EM_ERR_LIMIT, x->name, p->sheet, 0, NULL,
                          em_tr("ブックの部品 %s の圧縮率が異常です（%llu バイトが %llu バイトに圧縮、"
                             "%u:1 を超えます）。ZIP爆弾の疑いがあるため読みません",
                             "workbook part %s has an abnormal compression ratio (%llu bytes in "
                             "%llu, above %u:1); refused as a possible zip bomb"),
                          name, (unsigned long long)st.size, (unsigned long long)st.comp_size,
                          em_xl_lim.bomb_ratio);
    p->size = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size : 0;
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
    xmlSetStructuredErrorFunc(p, em_xl_part_serror);
    xmlSetGenericErrorFunc(p, part_gerror);
    return 0;
}

/* Starts the XML reader on an opened part (after any bytes put in p->pre). */
int em_xl_part_start_xml(struct part *p, struct em_err *err)
{
    p->r = xmlReaderForIO(part_read, NULL, p, p->name, NULL, XML_OPTS);
    if (!p->r) {
        struct em_xlsx *x = p->x;
        const char *sheet = p->sheet;
        em_xl_part_close(p);
        return em_xl_nomem(x, sheet, err);
    }
    xmlTextReaderSetStructuredErrorHandler(p->r, em_xl_part_serror, p);
    return 0;
}

int em_xl_part_open(struct part *p, struct em_xlsx *x, const char *name, const char *sheet,
                     struct em_err *err)
{
    int rc = em_xl_part_open_zip(p, x, name, sheet, err);
    if (rc != 0) return rc;
    return em_xl_part_start_xml(p, err);
}

/* Next node: 1, 0 at the end, or a negative rc with err filled. */
int em_xl_part_next(struct part *p, long row, struct em_err *err)
{
    int ret = xmlTextReaderRead(p->r);
    if (ret == 1) {
        p->type = xmlTextReaderNodeType(p->r);
        /* depth only grows at a start tag */
        if (p->type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(p->r) > em_xl_lim.depth)
            return em_err_set(err, EM_ERR_LIMIT, p->x->name, p->sheet, row, NULL,
                              em_tr("%s のXMLの入れ子が深すぎます（上限 %d 段）",
                                 "the XML of %s is nested too deeply (limit %d levels)"),
                              p->name, em_xl_lim.depth);
        if (p->type == XML_READER_TYPE_DOCUMENT_TYPE)
            return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                              em_tr("%s にDOCTYPE宣言があります。xlsxでは使われないため、安全のため読みません",
                                 "%s contains a DOCTYPE declaration; xlsx never uses one, so it is "
                                 "refused for safety"), p->name);
        return 1;
    }
    if (ret == 0 && !p->ioerr && !p->xml_err) return 0;
    return em_xl_part_error(p, row, err);
}

/* The error behind a failed read (cap, zip, DOCTYPE, XML). */
int em_xl_part_error(struct part *p, long row, struct em_err *err)
{
    if (p->ioerr == IO_CAP)
        return em_err_set(err, EM_ERR_LIMIT, p->x->name, p->sheet, row, NULL,
                          em_tr("ブックの部品 %s が大きすぎます（展開後 %zu バイトを超えます）",
                             "workbook part %s is too large (over %zu bytes uncompressed)"),
                          p->name, em_xl_lim.part_bytes);
    if (p->ioerr == IO_DTD)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("%s にDOCTYPE宣言があります。xlsxでは使われないため、安全のため読みません",
                             "%s contains a DOCTYPE declaration; xlsx never uses one, so it is "
                             "refused for safety"), p->name);
    if (p->ioerr == IO_ZIP && p->zf &&
        zip_error_code_zip(zip_file_get_error(p->zf)) == ZIP_ER_CRC)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("ZIPの中の %s の内容がチェックサム（CRC）と一致しません。"
                             "ファイルが壊れているか、書き換えられています",
                             "the contents of %s inside the zip do not match its checksum (CRC): "
                             "the file is damaged or has been altered"), p->name);
    if (p->ioerr == IO_ZIP)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("ZIPの中の %s が読めません（ファイルが壊れています: %s）",
                             "cannot read %s inside the zip (the file is damaged: %s)"),
                          p->name, zip_file_strerror(p->zf));
    if (p->xml_err && p->xml_huge && p->x->sst_part && strcmp(p->name, p->x->sst_part) == 0)
        return em_err_set(err, EM_ERR_LIMIT, p->x->name, p->sheet, row, NULL,
                          em_tr("セルの文字が上限より長いものがあります（%d MB を超えています。"
                             "セルの文字は %d KB まで読めます。共有文字列 %s の %d行目）",
                             "a cell text is longer than the limit (over %d MB; cell texts are "
                             "read up to %d KB) (shared strings %s, line %d)"),
                          XML_MAX_TEXT_LENGTH / 1000000, EM_MAX_CELL_BYTES / 1024, p->name,
                          p->xml_line);
    if (p->xml_err && p->xml_huge)
        return em_err_set(err, EM_ERR_LIMIT, p->x->name, p->sheet, row, NULL,
                          em_tr("%s の中に上限（%d MB）より長い文字があります（%d行目）",
                             "a text in %s is longer than the limit (%d MB) (line %d)"),
                          p->name, XML_MAX_TEXT_LENGTH / 1000000, p->xml_line);
    if (p->xml_err)
        return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                          em_tr("%s のXMLが壊れています（%d行目: %s）",
                             "the XML of %s is broken (line %d: %s)"),
                          p->name, p->xml_line, p->xml_msg);
    return em_err_set(err, EM_ERR_FORMAT, p->x->name, p->sheet, row, NULL,
                      em_tr("%s のXMLが読めません", "cannot parse the XML of %s"), p->name);
}

void em_xl_get_attrs(struct part *p, struct want *w, size_t n)
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
            if (w[i].found || !em_xl_eq(an, w[i].name)) continue;
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
