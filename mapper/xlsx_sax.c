/* xlsx_sax.c — libxml2's SAX2 push parser over an opened part, for the parts that
 * are read whole but hold many elements (the shared strings, the <mergeCells> tail of
 * a sheet): no tree node built and freed per element and text as with xmlTextReader.
 * It keeps what the reader gave the callers: the same caps (depth, part size), the
 * DOCTYPE refusal, libxml2's messages caught into the part, the text-node limit of
 * 10 MB ("huge text node", which only libxml2's tree builder enforces), no end event
 * for an element written <x/>, and elements with an undeclared prefix matching
 * nothing. (The rows of a sheet have their own SAX2 pass, xlsx_sheet.c, fed by the
 * inflating thread.) Interface: xlsx_int.h; docs/design-xlsx.md. */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#define SAX_CHUNK (64u * 1024u)

void em_xl_sax_stop(struct xl_sax *s, int result)
{
    if (!s->stopped) {
        s->stopped = true;
        s->result = result;
    }
    if (s->ctxt) xmlStopParser(s->ctxt);
}

int em_xl_too_deep(struct em_err *err, const struct part *p, const char *sheet, long row)
{
    return em_err_set(err, EM_ERR_LIMIT, p->x->name, sheet, row, NULL,
                      em_tr("%s のXMLの入れ子が深すぎます（上限 %d 段）",
                            "the XML of %s is nested too deeply (limit %d levels)"),
                      p->name, em_xl_lim.depth);
}

/* SAX2 start of an element: depth cap, the empty-element peek, then the caller's. */
static void sax_start(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattrs, int ndefaulted,
                      const xmlChar **attrs)
{
    (void)nns;
    (void)ns;
    (void)ndefaulted;
    struct xl_sax *s = ctx;
    if (s->stopped) return;
    int depth = s->depth++;
    if (depth > em_xl_lim.depth) {
        em_xl_sax_stop(s, em_xl_too_deep(s->err, s->p, s->p->sheet, 0));
        return;
    }
    s->text = 0;
    /* libxml2 calls this with the input still on the tag's closing "/>" or ">" */
    const xmlChar *cur = s->ctxt->input ? s->ctxt->input->cur : NULL;
    bool empty = cur && cur < s->ctxt->input->end && cur[0] == '/';
    s->just_empty = empty;
    /* an undeclared prefix: the reader's name was "y:c", which matched nothing */
    if (!n || (prefix && !uri)) return;
    if (s->on_start) s->on_start(s, n, depth, attrs, nattrs, empty);
}

/* SAX2 end of an element: none for <x/> (the reader gave none). */
static void sax_end(void *ctx, const xmlChar *n, const xmlChar *prefix, const xmlChar *uri)
{
    struct xl_sax *s = ctx;
    if (s->stopped) return;
    s->depth--;
    s->text = 0;
    if (s->just_empty) {
        s->just_empty = false;
        return;
    }
    if (!n || (prefix && !uri)) return;
    if (s->on_end) s->on_end(s, n);
}

/* SAX2 text, CDATA and blanks. A text over libxml2's text-node limit is refused as the
 * tree builder of xmlTextReader refused it (em_xl_part_error words it). */
static void sax_text(void *ctx, const xmlChar *v, int len)
{
    struct xl_sax *s = ctx;
    if (s->stopped || len <= 0) return;
    s->text += (size_t)len;
    if (s->text > XML_MAX_TEXT_LENGTH) {
        struct part *p = s->p;
        if (!p->xml_err) {
            p->xml_err = true;
            p->xml_huge = true;
            p->xml_line = xmlSAX2GetLineNumber(s->ctxt);
            snprintf(p->xml_msg, sizeof p->xml_msg, "%s", "xmlSAX2Characters: huge text node");
        }
        em_xl_sax_stop(s, 1);  /* not a clean stop: the part is in error */
        return;
    }
    if (s->on_text) s->on_text(s, (const char *)v, (size_t)len);
}

/* A DOCTYPE that got past the prolog sniffing (a UTF-16 part): refused before its
 * internal subset is parsed. */
static void sax_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name;
    (void)eid;
    (void)sid;
    struct xl_sax *s = ctx;
    s->p->ioerr = IO_DTD;
    em_xl_sax_stop(s, 0);
}

void em_xl_sax_attrs(const xmlChar **a, int n, struct want *w, size_t nw)
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
            if (w[i].found || (w[i].ns ? a[2] == NULL : a[1] != NULL) || !em_xl_eq(a[0], w[i].name))
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

/* libxml2's structured errors: recorded on the part. */
static void sax_serror(void *ctx, xmlErrorPtr e)
{
    struct xl_sax *s = ctx;
    em_xl_part_serror(s->p, e);
}

xmlParserCtxtPtr em_xl_push_parser(const struct xl_sax_cb *cb, void *ctx, const char *first, size_t n,
                                   const char *name)
{
    xmlSAXHandler h;   /* libxml2 copies it into the context */
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = cb->start;
    h.endElementNs = cb->end;
    h.characters = cb->text;
    h.ignorableWhitespace = cb->text;
    h.cdataBlock = cb->text;
    h.internalSubset = cb->dtd;
    h.serror = cb->serror;
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&h, ctx, first, (int)n, name);
    if (ctxt) xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
    return ctxt;
}

int em_xl_part_sax(struct xl_sax *s, struct em_err *err)
{
    static const struct xl_sax_cb cb = {sax_start, sax_end, sax_text, sax_dtd, sax_serror};
    struct part *p = s->p;
    s->err = err;
    char *buf = malloc(SAX_CHUNK);
    if (!buf) return em_xl_nomem(p->x, p->sheet, err);
    /* the first 4 bytes go in at creation: libxml2 detects the encoding (UTF-16)
     * from them */
    size_t nfirst = 0;
    bool oom = false;
    for (;;) {
        int n = em_xl_part_read(p, buf + nfirst, SAX_CHUNK - nfirst);
        if (n < 0) break;                       /* p->ioerr says why */
        if (!s->ctxt) {
            nfirst += (size_t)n;
            if (nfirst < 4 && n > 0) continue;
            size_t k = nfirst < 4 ? nfirst : 4;
            s->ctxt = em_xl_push_parser(&cb, s, buf, k, p->name);
            if (!s->ctxt) {
                oom = true;
                break;
            }
            if (nfirst > k) xmlParseChunk(s->ctxt, buf + k, (int)(nfirst - k), 0);
            nfirst = 0;
            if (n == 0) xmlParseChunk(s->ctxt, NULL, 0, 1);
        } else if (n == 0) {
            xmlParseChunk(s->ctxt, NULL, 0, 1);
        } else {
            xmlParseChunk(s->ctxt, buf, n, 0);
        }
        if (n == 0 || s->stopped || s->ctxt->disableSAX || s->ctxt->instate == XML_PARSER_EOF)
            break;
    }
    free(buf);
    int rc;
    if (s->result < 0) rc = s->result;          /* a callback's error (cap, memory) */
    else if (oom) rc = em_xl_nomem(p->x, p->sheet, err);
    else if (p->ioerr) rc = em_xl_part_error(p, 0, err);  /* cap, zip/CRC, DOCTYPE */
    /* a callback that has all it needs stops the parse: what comes after is not looked
     * at, as the reader loop stopped reading (a namespace error before is not fatal) */
    else if (s->stopped && s->result == 0) rc = 0;
    else if (p->xml_err) rc = em_xl_part_error(p, 0, err);
    else if (s->ctxt && !s->ctxt->wellFormed) rc = em_xl_part_error(p, 0, err);
    else rc = 0;
    if (s->ctxt) xmlFreeParserCtxt(s->ctxt);
    s->ctxt = NULL;
    return rc;
}
