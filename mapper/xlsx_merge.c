/* xlsx_merge.c — the first pass over a sheet: its merged ranges (<mergeCells>, which
 * comes after the rows), found by a small byte scanner and read with xmlTextReader, or
 * by a plain xmlTextReader pass when anything is unusual; sorted by first row and cached
 * on the handle for the sheet pass. Interface: xlsx_int.h; docs/design-xlsx.md,
 * "Merged ranges". */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <stdlib.h>
#include <string.h>

/* qsort order of ranges: by first row, then first column. */
static int cmp_merge(const void *a, const void *b)
{
    const struct xl_merge *m = a, *n = b;
    if (m->r1 != n->r1) return m->r1 < n->r1 ? -1 : 1;
    if (m->c1 != n->c1) return m->c1 < n->c1 ? -1 : 1;
    return 0;
}

/* Adds the range ref ("A1:C3"; fits says it was not truncated) to x->merges (*cap
 * its capacity). A range that is not two cell references with rows from 1 is
 * malformed; a single cell or a range beyond the sheet is ignored. 0 or rc < 0. */
static int add_merge(struct em_xlsx *x, const struct xl_sheet *s, char *ref, bool fits,
                     size_t *cap, struct em_err *err)
{
    char *colon = fits ? strchr(ref, ':') : NULL;
    int c1, c2;
    long r1, r2;
    if (colon) *colon = '\0';
    if (!colon || em_xl_parse_ref(ref, &c1, &r1) != 0 || em_xl_parse_ref(colon + 1, &c2, &r2) != 0) {
        if (colon) *colon = ':';
        return em_err_set(err, EM_ERR_FORMAT, x->name, s->name, 0, NULL,
                          em_tr("結合セルの範囲「%s」が読めません（例: A1:C3。行番号は1から）",
                             "cannot read the merged range '%s' (e.g. A1:C3; rows count from 1)"),
                          fits ? ref : "...");
    }
    if (r1 > r2) { long t = r1; r1 = r2; r2 = t; }
    if (c1 > c2) { int t = c1; c1 = c2; c2 = t; }
    if (r1 == r2 && c1 == c2) return 0;
    if (r2 > EM_MAX_ROWS || c2 >= EM_MAX_COLS) return 0;  /* beyond the sheet */
    if (x->nmerges >= em_xl_lim.merges)
        return em_err_set(err, EM_ERR_LIMIT, x->name, s->name, 0, NULL,
                          em_tr("結合セルが多すぎます（上限 %zu 個）",
                             "too many merged ranges (limit %zu)"), em_xl_lim.merges);
    if (em_xl_grow((void **)&x->merges, cap, x->nmerges + 1, sizeof *x->merges) != 0)
        return em_xl_nomem(x, s->name, err);
    struct xl_merge *m = &x->merges[x->nmerges++];
    m->r1 = (int32_t)r1;
    m->r2 = (int32_t)r2;
    m->c1 = c1;
    m->c2 = c2;
    m->off = m->len = 0;
    m->has = false;
    return 0;
}

/* The plain pass: collects the <mergeCell ref> of the first <mergeCells> (a child of
 * the root) from an XML reader over the whole sheet, skipping <sheetData>. */
static int collect_merges(struct em_xlsx *x, const struct xl_sheet *s, struct part *p,
                          struct em_err *err)
{
    size_t cap = 0;
    int rc;
    char ref[64];
    struct want w[] = {{"ref", false, ref, sizeof ref, 0, false}};
    bool in_mc = false;
    for (;;) {
        rc = em_xl_part_next(p, 0, err);
        if (rc != 1) break;
        if (em_xl_is_start(p)) {
            const xmlChar *n = em_xl_lname(p);
            if (em_xl_eq(n, "sheetData") && xmlTextReaderIsEmptyElement(p->r) != 1) {
                /* skip the whole subtree; libxml2 still checks it is well-formed */
                int d = xmlTextReaderDepth(p->r);
                int k;
                while ((k = xmlTextReaderNext(p->r)) == 1 && xmlTextReaderDepth(p->r) > d) {}
                p->type = xmlTextReaderNodeType(p->r);
                if (k != 1) {
                    rc = em_xl_part_next(p, 0, err);  /* turns the state into an error or end */
                    if (rc == 1) continue;
                    break;
                }
                /* now on the node after </sheetData> (or its end tag) */
                if (!em_xl_is_start(p)) continue;
                n = em_xl_lname(p);
            }
            if (em_xl_eq(n, "mergeCells") && xmlTextReaderDepth(p->r) == 1) {
                in_mc = xmlTextReaderIsEmptyElement(p->r) != 1;
            } else if (in_mc && em_xl_eq(n, "mergeCell")) {
                em_xl_get_attrs(p, w, 1);
                if (!w[0].found) continue;
                rc = add_merge(x, s, ref, w[0].len < sizeof ref, &cap, err);
                if (rc < 0) break;
            }
        } else if (em_xl_is_end(p) && in_mc && em_xl_eq(em_xl_lname(p), "mergeCells")) {
            rc = 0;  /* only one <mergeCells> per sheet: the rest is not needed */
            break;
        }
    }
    return rc < 0 ? rc : 0;
}

/* The tail pass (after the scanner or the quick search found <mergeCells>): the same
 * collection over the prolog, the root start tag and the part from <mergeCells> on,
 * with SAX2 (4 MB of <mergeCell> in the benchmark). It stops after that </mergeCells>,
 * or, with to_end, reads (and so checks) the part to its end. */
struct tail_rd {
    struct em_xlsx *x;
    const struct xl_sheet *s;
    size_t cap;
    bool to_end, in_mc, done;
};

static void tail_start(struct xl_sax *sx, const xmlChar *n, int depth, const xmlChar **attrs,
                       int nattrs, bool empty)
{
    struct tail_rd *t = sx->user;
    if (t->done) return;
    if (em_xl_eq(n, "mergeCells") && depth == 1) {
        t->in_mc = !empty;
    } else if (t->in_mc && em_xl_eq(n, "mergeCell")) {
        char ref[64];
        struct want w[] = {{"ref", false, ref, sizeof ref, 0, false}};
        em_xl_sax_attrs(attrs, nattrs, w, 1);
        if (!w[0].found) return;
        int rc = add_merge(t->x, t->s, ref, w[0].len < sizeof ref, &t->cap, sx->err);
        if (rc < 0) em_xl_sax_stop(sx, rc);
    }
}

static void tail_end(struct xl_sax *sx, const xmlChar *n)
{
    struct tail_rd *t = sx->user;
    if (!t->in_mc || !em_xl_eq(n, "mergeCells")) return;
    t->in_mc = false;
    t->done = true;
    if (!t->to_end) em_xl_sax_stop(sx, 0);  /* only one <mergeCells> per sheet */
}

/* Runs the tail pass over p (its prolog and tail in p->pre). 0 or rc < 0. */
static int collect_tail(struct em_xlsx *x, const struct xl_sheet *s, struct part *p,
                        bool to_end, struct em_err *err)
{
    struct tail_rd t;
    memset(&t, 0, sizeof t);
    t.x = x;
    t.s = s;
    t.to_end = to_end;
    struct xl_sax sx;
    memset(&sx, 0, sizeof sx);
    sx.p = p;
    sx.user = &t;
    sx.on_start = tail_start;
    sx.on_end = tail_end;
    return em_xl_part_sax(&sx, err);
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

/* Appends b[0..n) to the bytes served to libxml2 before the rest of the part
 * (*cap: capacity of p->pre); -1 over SC_PRE_MAX or out of memory. */
static int pre_add(struct part *p, size_t *cap, const char *b, size_t n)
{
    if (p->pre_len + n > SC_PRE_MAX) return -1;
    if (em_xl_grow((void **)&p->pre, cap, p->pre_len + n, 1) != 0) return -1;
    memcpy(p->pre + p->pre_len, b, n);
    p->pre_len += n;
    return 0;
}

/* The scanner's state across chunks. */
struct scan {
    struct part *p;
    size_t precap;          /* capacity of p->pre */
    char tag[80];           /* "<" + the name of the tag being read */
    size_t tlen;
    bool tlong;             /* the name did not fit: not mergeCells */
    int st, depth, run;
    char q, prev;           /* prev: the last byte in a processing instruction */
    char last;              /* the last byte of the previous chunk */
    bool keep;              /* the tag name being read is kept in tag */
    bool root_done, found, none, fallback;
    bool quick_ok;          /* after the root start tag, the quick search takes over */
    bool quick_fail;        /* it cannot decide: the exact scanner must run */
    size_t root_end;        /* where the root start tag ended in the chunk */
};

/* The name of a start tag ended with c at buf[i - 1]: when it is <mergeCells> (any
 * prefix) as a child of the root, the tag and the rest of the chunk go to libxml2. */
static void scan_name_end(struct scan *sc, char c, const char *buf, size_t i, size_t len)
{
    if (!sc->root_done || sc->depth != 1 || sc->tlong) return;
    const char *nm = memchr(sc->tag, ':', sc->tlen);
    nm = nm ? nm + 1 : sc->tag + 1;
    size_t nl = sc->tlen - (size_t)(nm - sc->tag);
    if (nl != 10 || memcmp(nm, "mergeCells", 10) != 0) return;
    if (pre_add(sc->p, &sc->precap, sc->tag, sc->tlen) != 0 ||
        pre_add(sc->p, &sc->precap, &c, 1) != 0 ||
        pre_add(sc->p, &sc->precap, buf + i, len - i) != 0)
        sc->fallback = true;
    sc->found = true;
}

/* The '>' ending a start tag (selfc: "/>"): the depth grows, and the end of the root's
 * start tag closes the prolog kept for libxml2 (buf[0..i) of the chunk). */
static void scan_tag_end(struct scan *sc, bool selfc, const char *buf, size_t i)
{
    if (!selfc) sc->depth++;
    if (sc->root_done) return;
    /* the prolog and the root start tag, for libxml2 (namespaces) */
    sc->root_done = true;
    sc->root_end = i;
    if (pre_add(sc->p, &sc->precap, buf, i) != 0) sc->fallback = true;
    if (selfc) sc->none = true;  /* <worksheet/> */
}

/* The states outside start tags and text: end tags, <!…> (comments, CDATA; anything
 * else is a DOCTYPE: the plain pass refuses it) and processing instructions. */
static void scan_rare(struct scan *sc, char c)
{
    switch (sc->st) {
    case SC_END:
        if (c == '>') {
            sc->st = SC_TEXT;
            if (--sc->depth <= 0) sc->none = true;  /* the root ended */
        }
        break;
    case SC_BANG:
        if (c == '-') sc->st = SC_COMMENT;
        else if (c == '[') sc->st = SC_CDATA;
        else sc->fallback = true;
        sc->run = 0;
        break;
    case SC_COMMENT:
        if (c == '>' && sc->run >= 2) sc->st = SC_TEXT;
        sc->run = c == '-' ? sc->run + 1 : 0;
        break;
    case SC_CDATA:
        if (c == '>' && sc->run >= 2) sc->st = SC_TEXT;
        sc->run = c == ']' ? sc->run + 1 : 0;
        break;
    case SC_PI:
        if (c == '>' && sc->prev == '?') sc->st = SC_TEXT;
        sc->prev = c;
        break;
    default:
        break;
    }
}

/* Byte classes for the scanner's inner loops (bit set: the loop of that state stops
 * there). NUL is in every class: it is the sentinel written after each chunk, and a
 * NUL inside a chunk is then taken as an ordinary byte. */
enum { K_LT = 1, K_GT = 2, K_QUOTE = 4, K_NAMEEND = 8, K_ALL = 15 };
static const unsigned char kind[256] = {
    [0] = K_ALL,
    ['<'] = K_LT,
    ['>'] = K_GT | K_NAMEEND,
    ['"'] = K_QUOTE,
    ['\''] = K_QUOTE,
    ['/'] = K_NAMEEND,
    [' '] = K_NAMEEND,
    ['\t'] = K_NAMEEND,
    ['\r'] = K_NAMEEND,
    ['\n'] = K_NAMEEND,
};

/* Scans one chunk buf[0..len) (buf[len] must be writable: it takes the sentinel).
 * Nearly every byte is in text, a tag name or a tag's attributes: those states run
 * here as tight loops over the byte classes (this loop is the pass's cost); the others
 * go through scan_rare one byte at a time. */
static void scan_chunk(struct scan *sc, char *buf, size_t len)
{
    const unsigned char *b = (const unsigned char *)buf;
    buf[len] = '\0';
    int st = sc->st;
    char q = sc->q;
    size_t i = 0, tlen = sc->tlen;
    bool keep = sc->keep;   /* the tag name is copied only when it could be mergeCells */
    bool stop = sc->found || sc->none || sc->fallback;  /* updated after the calls */
    while (i < len && !stop) {
        switch (st) {
        case SC_TEXT:
            while (!(kind[b[i]] & K_LT)) i++;
            if (b[i] != '<') {          /* the sentinel, or a NUL in the text */
                if (i < len) i++;
                continue;
            }
            i++;
            st = SC_LT;
            tlen = 0;
            sc->tlong = false;
            keep = sc->root_done && sc->depth == 1;
            if (keep) sc->tag[tlen++] = '<';
            continue;
        case SC_LT: {
            char c = buf[i++];
            sc->run = 0;
            sc->prev = 0;
            st = c == '!' ? SC_BANG : c == '?' ? SC_PI : c == '/' ? SC_END : SC_NAME;
            if (st == SC_NAME && keep) sc->tag[tlen++] = c;
            continue;
        }
        case SC_NAME: {
            size_t s = i;
            while (!(kind[b[i]] & K_NAMEEND)) i++;
            bool nul = b[i] == '\0';
            if (nul && i < len) i++;    /* a NUL inside a chunk is part of the name */
            if (keep) {
                size_t n = i - s;
                if (n > sizeof sc->tag - tlen) {
                    n = sizeof sc->tag - tlen;
                    sc->tlong = true;
                }
                memcpy(sc->tag + tlen, buf + s, n);
                tlen += n;
            }
            if (nul) continue;          /* the chunk ended, or the name goes on */
            char c = buf[i++];
            sc->tlen = tlen;
            if (keep) {
                scan_name_end(sc, c, buf, i, len);
                stop = sc->found || sc->fallback;
                if (sc->found) continue;
            }
            st = SC_TAG;
            i--;                        /* the terminator is seen again as tag text */
            continue;
        }
        case SC_TAG:
            while (!(kind[b[i]] & (K_GT | K_QUOTE))) i++;
            if (i >= len) continue;
            if (b[i] == '\0') {
                i++;
                continue;
            }
            if (b[i] == '>') {
                /* "/>": the byte before, in this chunk or the last one */
                bool selfc = (i > 0 ? buf[i - 1] : sc->last) == '/';
                i++;
                st = SC_TEXT;
                scan_tag_end(sc, selfc, buf, i);
                stop = sc->none || sc->fallback || (sc->quick_ok && sc->root_done);
            } else {
                q = buf[i++];
                st = SC_QUOTE;
            }
            continue;
        case SC_QUOTE:
            while (b[i] != (unsigned char)q && b[i] != '\0') i++;
            if (i >= len) continue;
            if (b[i] == '\0') {        /* a NUL inside the value */
                i++;
                continue;
            }
            i++;
            st = SC_TAG;
            continue;
        default: {
            char c = buf[i++];
            sc->st = st;
            scan_rare(sc, c);
            st = sc->st;
            stop = sc->none || sc->fallback;
            continue;
        }
        }
    }
    sc->st = st;
    sc->q = q;
    sc->tlen = tlen;
    sc->keep = keep;
    if (len > 0) sc->last = buf[len - 1];
    /* a prolog longer than a chunk: keep all of it */
    if (!sc->root_done && !sc->fallback && pre_add(sc->p, &sc->precap, buf, len) != 0)
        sc->fallback = true;
}

/* The quick search. After the root start tag, in a well-formed part, every '<' that
 * is not followed by '!' or '?' starts a start or end tag ('<' cannot occur in
 * attribute values or text, and without "<!" and "<?" there are no comments, CDATA
 * sections or processing instructions to hide one). So when no "<!" or "<?" comes
 * before it, the first "<mergeCells" (or "<prefix:mergeCells") followed by a blank,
 * '>' or '/' is the first start tag of that name, with no tokenizing at all. Whether
 * it is a child of the root is then checked by libxml2 itself: it parses the prolog,
 * the root start tag and everything from the candidate to the end of the part, which
 * succeeds only when the candidate is at depth 1 (a nested one leaves end tags without
 * a start). Anything else — a "<!" or "<?", a name longer than the bytes kept, an
 * XML error in that tail — makes the exact scanner above run from the start instead.
 * The search looks at byte pairs, 16 at a time with SSE2 ("<!", "<?", and the "eC" of
 * "mergeCells"); without SSE2 there is no quick search. */
#define QCARRY 128   /* bytes of the previous chunk kept in front of the next */
enum { Q_MORE, Q_FOUND, Q_FAIL };

#ifdef __SSE2__
#include <emmintrin.h>

/* c ends a tag name (as for the exact scanner: blanks, '>' and '/'). */
static bool name_end(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

/* "mergeCells" + a name end at m[j] (lo <= j, j + 10 < hi): Q_FOUND with *at on the
 * '<' of its tag, Q_MORE when it is not a tag name of that local name, Q_FAIL when the
 * bytes kept do not reach back to the '<'. */
static int quick_candidate(const unsigned char *m, size_t lo, size_t j, size_t *at)
{
    if (memcmp(m + j, "mergeCells", 10) != 0 || !name_end(m[j + 10])) return Q_MORE;
    if (j == lo) return Q_FAIL;
    if (m[j - 1] == '<') {
        *at = j - 1;
        return Q_FOUND;
    }
    if (m[j - 1] != ':') return Q_MORE;
    /* a prefix: back to the '<' (the first ':' of a name starts its local name) */
    for (size_t t = j - 1; t-- > lo;) {
        if (m[t] == '<') {
            *at = t;
            return Q_FOUND;
        }
        if (m[t] == ':' || name_end(m[t])) return Q_MORE;
        if (j - t > 64) return Q_FAIL;
    }
    return Q_FAIL;
}

/* Searches the byte pairs starting at m[lo..hi-1) (m must be readable 32 bytes past
 * hi): Q_FOUND with *at, Q_FAIL, or Q_MORE (undecided: the next chunk looks again at
 * the last bytes, which are carried over). */
static int quick_search(const unsigned char *m, size_t lo, size_t hi, size_t *at)
{
    const __m128i lt = _mm_set1_epi8('<'), bang = _mm_set1_epi8('!'), qm = _mm_set1_epi8('?');
    const __m128i e = _mm_set1_epi8('e'), C = _mm_set1_epi8('C');
    for (size_t k = lo; k + 1 < hi; k += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(m + k));
        __m128i b = _mm_loadu_si128((const __m128i *)(m + k + 1));
        __m128i mark = _mm_and_si128(_mm_cmpeq_epi8(a, lt),
                                     _mm_or_si128(_mm_cmpeq_epi8(b, bang), _mm_cmpeq_epi8(b, qm)));
        __m128i ec = _mm_and_si128(_mm_cmpeq_epi8(a, e), _mm_cmpeq_epi8(b, C));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(mark, ec));
        if (hi - 1 - k < 16) bits &= (1u << (hi - 1 - k)) - 1;  /* pairs inside [lo, hi) */
        while (bits) {
            size_t i = k + (size_t)__builtin_ctz(bits);
            bits &= bits - 1;
            if (m[i] == '<') return Q_FAIL;         /* "<!" or "<?" */
            if (i < lo + 4) continue;               /* its "merg" was looked at before */
            if (i - 4 + 10 >= hi) return Q_MORE;    /* undecided until the next chunk */
            int r = quick_candidate(m, lo, i - 4, at);
            if (r != Q_MORE) return r;
        }
    }
    return Q_MORE;
}
#define HAVE_QUICK 1
#else
#define HAVE_QUICK 0
#endif

/* Runs the scanner over the part until <mergeCells> is found, the root ends, or
 * something unusual calls for the plain pass (sc->fallback) or, in the quick search,
 * for the exact scanner (sc->quick_fail). mem holds QCARRY + SC_CHUNK + 64 bytes. 0, or
 * -1 on a read error (p->ioerr). */
static int scan_part(struct scan *sc, char *mem)
{
    char *buf = mem + QCARRY;
    bool first = true, quick = false;
    size_t ncarry = 0;
    while (!sc->found && !sc->none && !sc->fallback && !sc->quick_fail) {
        int n = em_xl_part_raw_read(sc->p, buf, SC_CHUNK);
        if (n < 0) return -1;
        if (n == 0) {
            sc->none = true;  /* no <mergeCells>; a truncated part is the sheet pass's to report */
            break;
        }
        const unsigned char *u = (const unsigned char *)buf;
        if (first && (u[0] == 0xFE || u[0] == 0xFF || u[0] == 0 || (n > 1 && u[1] == 0))) {
            sc->fallback = true;  /* UTF-16 */
            break;
        }
        first = false;
        size_t lo = QCARRY - ncarry, hi = QCARRY + (size_t)n;
        if (!quick) {
            scan_chunk(sc, buf, (size_t)n);
            if (!sc->quick_ok || !sc->root_done || sc->found || sc->none || sc->fallback) continue;
            quick = true;                      /* the rest of this chunk on, quickly */
            lo = QCARRY + sc->root_end;
        }
#if HAVE_QUICK
        size_t at = 0;
        int r = quick_search((const unsigned char *)mem, lo, hi, &at);
        if (r == Q_FAIL) {
            sc->quick_fail = true;
        } else if (r == Q_FOUND) {
            if (pre_add(sc->p, &sc->precap, mem + at, hi - at) != 0) sc->fallback = true;
            sc->found = true;
        }
#endif
        /* keep the last bytes searched in front of the next chunk */
        size_t c = hi - lo < QCARRY ? hi - lo : QCARRY;
        memmove(mem + QCARRY - c, mem + hi - c, c);
        ncarry = c;
    }
    return 0;
}

/* The fast first pass (see the comments above the SC_ states and the quick search),
 * with the quick search when quick: 0 with the ranges in x->merges, 1 when the caller
 * must run the plain pass, 2 when it must run this again without the quick search, or
 * rc < 0 with err filled. */
static int merges_fast(struct em_xlsx *x, const struct xl_sheet *s, bool quick,
                       struct em_err *err)
{
    struct part p;
    int rc = em_xl_part_open_zip(&p, x, s->part, s->name, err);
    if (rc == 1) return 0;  /* reported by the sheet pass */
    if (rc < 0) return rc;
    /* the carry, the chunk, the exact scanner's sentinel and the SSE2 loads' overrun */
    char *mem = calloc(1, QCARRY + SC_CHUNK + 64);
    if (!mem) {
        em_xl_part_close(&p);
        return em_xl_nomem(x, s->name, err);
    }
    struct scan sc;
    memset(&sc, 0, sizeof sc);
    sc.p = &p;
    sc.st = SC_TEXT;
    sc.quick_ok = quick && HAVE_QUICK;
    scan_part(&sc, mem);
    free(mem);
    if (p.ioerr == IO_CAP || p.ioerr == IO_ZIP) {
        rc = em_xl_part_error(&p, 0, err);
        em_xl_part_close(&p);
        return rc;
    }
    if (sc.fallback || sc.quick_fail || !sc.found) {
        em_xl_part_close(&p);
        return sc.fallback ? 1 : sc.quick_fail ? 2 : 0;
    }
    struct em_err tmp;
    em_err_clear(&tmp);
    /* the quick search's candidate is the one only if the tail parses to the end */
    rc = collect_tail(x, s, &p, sc.quick_ok, &tmp);
    em_xl_part_close(&p);
    if (rc < 0) {
        x->nmerges = 0;
        if (tmp.rc == EM_ERR_NOMEM) return em_xl_nomem(x, s->name, err);
        return sc.quick_ok ? 2 : 1;  /* the exact scanner, or the plain pass words it */
    }
    return 0;
}

/* Test hook, declared by tests/fuzz/fuzz_xlsx_sheet.c and tests/unit/mapper_xlsx.c
 * (the differentials): 1 runs the plain libxml2 pass only, 2 the exact scanner without
 * the quick search, 0 restores the default. */
static int slow_merges;
void em_xlsx_test_slow_merges(int on);
void em_xlsx_test_slow_merges(int on) { slow_merges = on; }

int em_xl_read_merges(struct em_xlsx *x, size_t si, struct em_err *err)
{
    const struct xl_sheet *s = &x->sheets[si];
    x->merges_valid = false;
    x->nmerges = 0;
#ifndef EM_XLSX_SLOW_MERGES  /* defined only to cross-check both passes in testing */
    int rc = slow_merges == 1 ? 1 : merges_fast(x, s, slow_merges != 2, err);
    if (rc == 2) {
        x->nmerges = 0;
        rc = merges_fast(x, s, false, err);
    }
#else
    (void)merges_fast;
    int rc = 1;
#endif
    if (rc == 1) {
        x->nmerges = 0;
        struct part p;
        rc = em_xl_part_open(&p, x, s->part, s->name, err);
        if (rc == 1) return 0;  /* reported by the sheet pass */
        if (rc < 0) return rc;
        rc = collect_merges(x, s, &p, err);
        em_xl_part_close(&p);
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
