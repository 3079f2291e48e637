/* json.c — model → JSON, streamed straight to the output: no document tree, so a
 * 100,000-row model is written in constant extra memory. The layout is the one json-c
 * prints with PRETTY|SPACED (two-space indent, "key": value), so outputs stay
 * diffable and identical to earlier ones; diff.c reads it back with json-c. */
#include "mapper/json.h"
#include "mapper/evidence.h"
#include "mapper/json_par.h"
#include "mapper/json_str.h"
#include "mapper/wbuf.h"

#include "mapper/about.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/norm.h"

struct jw {
    struct em_wbuf *f;   /* buffered: one fwrite per 64 KiB, not one fputc per byte */
    int depth;
    bool first[64];      /* no member written yet at this depth */
    bool key_pending;    /* a key was written: the value follows on the same line */
    em_redact_fn redact;
    void *rctx;
    /* "normalized" forms already computed, by value pointer: values are pool strings,
       interned up to 64 bytes, so the same carrier or maker comes back as the same
       pointer; value: the NFKC form (g_free), or the value itself when it is its own */
    struct nf_cache *nf;
    bool par;            /* big arrays may be formatted by two threads (no redaction hook:
                            it hands out aliases in the order it is asked) */
    struct jw *peer;     /* the second thread's state (its own cache), made when first needed */
    struct memo *memo;   /* the last file and sheet written (KSM), or NULL */
    struct vc_entry *vc; /* values written lately (KSC), VC_SLOTS of them, or NULL */
};

/* A direct-mapped cache of short values as written, by the address of the model's
 * string: carriers, makers, places and types repeat on most rows. */
#define VC_SLOTS 512
struct vc_entry {
    const char *s;
    size_t n;
    char out[112];
};

/* The last value written by KSM in one of its slots, as it was written (quoted and
 * escaped): a file or sheet name repeats on every path, device source and finding. */
#define MEMO_MAX 256
enum { MEMO_FILE, MEMO_SHEET, MEMO_SLOTS };
struct memo {
    const char *s;       /* the model's string (never changes while the model is written) */
    size_t n;
    char out[MEMO_MAX];
};

#define NF_CACHE_LEN 64
#define NF_CACHE_MAX 16384
#define NF_CACHE_SLOTS (2 * NF_CACHE_MAX)   /* open addressing, at most half full */

struct nf_cache {
    const char *key[NF_CACHE_SLOTS];   /* NULL: free */
    const char *val[NF_CACHE_SLOTS];
    size_t n;
};

/* The slot of value pointer v in c: where it is, or the free slot where it goes. */
static inline size_t nf_slot(const struct nf_cache *c, const char *v)
{
    size_t i = (size_t)(((uintptr_t)v >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 40) & (NF_CACHE_SLOTS - 1);
    while (c->key[i] && c->key[i] != v) i = (i + 1) & (NF_CACHE_SLOTS - 1);
    return i;
}

/* Room every piece of the layout asks for beyond its string: separator and indentation
 * (at most 2 + 126 bytes, copied 16, 32 or 64 at a time), a key, a number or a literal. */
#define JW_ROOM 512u

/* ",\n" then the indentation: a separator, newline and indentation at depth d is the
 * first 2 + 2d bytes, the newline and indentation alone the 1 + 2d from sep_tab + 1. */
#define SP16 "                "
static const char sep_tab[] = ",\n" SP16 SP16 SP16 SP16 SP16 SP16 SP16 SP16;

/* Copies sep_tab[off .. off + n) to o: 16, 32 or 64 bytes in one go when n fits (the
 * bytes past n are written over by what follows; o has JW_ROOM of room). */
static inline char *put_sep(char *o, size_t off, size_t n)
{
    if (n <= 16) memcpy(o, sep_tab + off, 16);
    else if (n <= 32) memcpy(o, sep_tab + off, 32);
    else if (n <= 64) memcpy(o, sep_tab + off, 64);
    else memcpy(o, sep_tab + off, n);
    return o + n;
}

/* The separator, newline and indentation before a value (array element) or a key, at
 * o (JW_ROOM of room); nothing after a key. */
static inline char *before(struct jw *w, char *o)
{
    if (w->key_pending) {
        w->key_pending = false;
        return o;
    }
    int d = w->depth;
    if (d == 0) return o;
    size_t first = w->first[d];
    w->first[d] = false;
    return put_sep(o, first, 2 + 2 * (size_t)d - first);
}

/* A key written from a literal (K("name"): the quoted name, colon and space, and its
 * length): keys in this file are plain ASCII, so they skip the escaper
 * (tests/unit/mapper_json.c checks every K() of this file). */
#define K(k) "\"" k "\": ", sizeof("\"" k "\": ") - 1

static inline char *put_key(struct jw *w, char *o, const char *k, size_t kn)
{
    o = before(w, o);
    memcpy(o, k, kn);
    return o + kn;
}

/* A string value (s NULL: ""), after the key k (NULL: none, an array element). One
 * copy of it, the escaper inlined (measured: 5 % faster than inlining this at every
 * call site and calling the escaper). */
static __attribute__((noinline)) void kstr(struct jw *w, const char *k, size_t kn, const char *s)
{
    size_t n = s && *s ? strlen(s) : 0;   /* many values are empty */
    if (n > EM_JS_PIECE) {   /* long: escaped in pieces */
        char *o = em_wbuf_room(w->f, JW_ROOM);
        o = k ? put_key(w, o, k, kn) : before(w, o);
        em_wbuf_done(w->f, o);
        em_json_str(w->f, s);
        return;
    }
    char *o = em_wbuf_room(w->f, JW_ROOM + 6 * n);
    o = k ? put_key(w, o, k, kn) : before(w, o);
    const unsigned char *p = (const unsigned char *)s;
    *o++ = '"';
    if (n) o = em_js_piece(o, &p, p + n);
    *o++ = '"';
    em_wbuf_done(w->f, o);
}

/* kstr() of a string the model owns (a file or sheet name), remembered in memo slot
 * `slot` as written, so the next value at the same address is one copy. Only for the
 * model's strings: a buffer reused with other text (a message, an edge id, a redacted
 * value) would repeat the old text. */
static __attribute__((noinline)) void kstr_memo(struct jw *w, const char *k, size_t kn, const char *s, int slot)
{
    struct memo *mm = w->memo ? &w->memo[slot] : NULL;
    if (mm && s && s == mm->s) {
        char *o = em_wbuf_room(w->f, JW_ROOM + mm->n);
        o = put_key(w, o, k, kn);
        memcpy(o, mm->out, mm->n);
        em_wbuf_done(w->f, o + mm->n);
        return;
    }
    size_t n = s && *s ? strlen(s) : 0;
    if (!mm || !s || 6 * n + 2 > MEMO_MAX) {
        kstr(w, k, kn, s);
        return;
    }
    char *o = em_wbuf_room(w->f, JW_ROOM + 6 * n);
    o = put_key(w, o, k, kn);
    char *v = o;
    const unsigned char *p = (const unsigned char *)s;
    *o++ = '"';
    if (n) o = em_js_piece(o, &p, p + n);
    *o++ = '"';
    mm->s = s;
    mm->n = (size_t)(o - v);
    memcpy(mm->out, v, mm->n);
    em_wbuf_done(w->f, o);
}

/* kstr() (k NULL: an array element) of a string the model owns or a constant (never
 * a reused buffer: see kstr_memo), through the writer's cache of short values as
 * written. */
static __attribute__((noinline)) void kstr_cached(struct jw *w, const char *k, size_t kn, const char *s)
{
    if (!w->vc || !s || !*s) {
        kstr(w, k, kn, s);
        return;
    }
    struct vc_entry *e = &w->vc[(size_t)(((uintptr_t)s >> 3) * UINT64_C(0x9E3779B97F4A7C15) >> 40) & (VC_SLOTS - 1)];
    if (e->s == s) {
        char *o = em_wbuf_room(w->f, JW_ROOM + e->n);
        o = k ? put_key(w, o, k, kn) : before(w, o);
        memcpy(o, e->out, e->n);
        em_wbuf_done(w->f, o + e->n);
        return;
    }
    size_t n = strlen(s);
    if (n > EM_JS_PIECE) {
        kstr(w, k, kn, s);
        return;
    }
    char *o = em_wbuf_room(w->f, JW_ROOM + 6 * n);
    o = k ? put_key(w, o, k, kn) : before(w, o);
    char *v = o;
    const unsigned char *p = (const unsigned char *)s;
    *o++ = '"';
    o = em_js_piece(o, &p, p + n);
    *o++ = '"';
    if ((size_t)(o - v) <= sizeof e->out) {
        e->s = s;
        e->n = (size_t)(o - v);
        memcpy(e->out, v, e->n);
    }
    em_wbuf_done(w->f, o);
}

/* A literal value (null, true, false) after the key k (NULL: none). */
static inline void klit(struct jw *w, const char *k, size_t kn, const char *v, size_t vn)
{
    char *o = em_wbuf_room(w->f, JW_ROOM);
    o = k ? put_key(w, o, k, kn) : before(w, o);
    memcpy(o, v, vn);
    em_wbuf_done(w->f, o + vn);
}

/* true or false after the key k (NULL: none). */
static inline void kbool(struct jw *w, const char *k, size_t kn, bool b)
{
    if (b) klit(w, k, kn, "true", 4);
    else klit(w, k, kn, "false", 5);
}

/* A decimal integer after the key k (NULL: none). */
static inline void kint(struct jw *w, const char *k, size_t kn, long v)
{
    char *o = em_wbuf_room(w->f, JW_ROOM);
    o = k ? put_key(w, o, k, kn) : before(w, o);
    char tmp[24];
    size_t i = sizeof tmp;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0) tmp[--i] = '-';
    memcpy(o, tmp + i, sizeof tmp - i);
    em_wbuf_done(w->f, o + (sizeof tmp - i));
}

/* Opens an object or array (c: '{' or '['), after the key k (NULL: none). */
static inline void kopen(struct jw *w, const char *k, size_t kn, char c)
{
    char *o = em_wbuf_room(w->f, JW_ROOM);
    o = k ? put_key(w, o, k, kn) : before(w, o);
    *o++ = c;
    em_wbuf_done(w->f, o);
    if (w->depth < 63) w->depth++;
    w->first[w->depth] = true;
}

/* Closes the object or array open at this depth (c: '}' or ']') on its own line. */
static inline void close_(struct jw *w, char c)
{
    char *o = em_wbuf_room(w->f, JW_ROOM);
    w->depth--;
    int d = w->depth > 0 ? w->depth : 0;
    o = put_sep(o, 1, 1 + 2 * (size_t)d);
    *o++ = c;
    em_wbuf_done(w->f, o);
}

/* A key that is data (an extra column's header, a library's name): escaped. The value
 * follows with one of the writers below, k NULL. */
static void key(struct jw *w, const char *k)
{
    char *o = em_wbuf_room(w->f, JW_ROOM);
    em_wbuf_done(w->f, before(w, o));
    em_json_str(w->f, k);
    em_wbuf_write(w->f, ": ", 2);
    w->key_pending = true;
}

static inline void open_(struct jw *w, char c) { kopen(w, NULL, 0, c); }
static inline void str(struct jw *w, const char *s) { kstr(w, NULL, 0, s); }
static inline void null_(struct jw *w) { klit(w, NULL, 0, "null", 4); }
static inline void int_(struct jw *w, long v) { kint(w, NULL, 0, v); }

/* A key literal kept in a table (normalized()'s keys): JK("name"). */
struct jkey {
    const char *k;
    size_t n;
};
#define JK(k) {K(k)}

#define KS(k, v) kstr(w, K(k), (v))
#define KSM(k, v, slot) kstr_memo(w, K(k), (v), (slot))
#define KSC(k, v) kstr_cached(w, K(k), (v))
#define KB(k, v) kbool(w, K(k), (v))
#define KI(k, v) kint(w, K(k), (v))
#define KO(k, c) kopen(w, K(k), (c))

/* A value the redaction hook may replace (kind: "ip", "fqdn", "host"). */
static void sensitive(struct jw *w, const char *k, size_t kn, const char *kind, const char *s)
{
    if (s && *s && w->redact) {
        const char *r = w->redact(w->rctx, kind, s);
        if (r) s = r;
    }
    kstr(w, k, kn, s);
}

static void tri_bool(struct jw *w, const char *k, size_t kn, enum em_tri t)
{
    if (t == EM_TRI_UNKNOWN) klit(w, k, kn, "null", 4);
    else kbool(w, k, kn, t == EM_TRI_YES);
}

static void opt_str(struct jw *w, const char *k, size_t kn, const char *v)
{
    if (v) kstr(w, k, kn, v);
    else klit(w, k, kn, "null", 4);
}

static void int_list(struct jw *w, const char *k, size_t kn, const int *v, size_t n)
{
    kopen(w, k, kn, '[');
    for (size_t i = 0; i < n; i++) int_(w, v[i]);
    close_(w, ']');
}

static void extras(struct jw *w, const struct em_attr *a, size_t n)
{
    KO("extra", '{');
    for (size_t i = 0; i < n; i++) {
        key(w, a[i].key);
        str(w, a[i].value);
    }
    close_(w, '}');
}

/* "normalized": the compared form (NFKC, trimmed) of each value whose shown form (as
 * written) differs from it; {} when none does (records.md "Values as written"). */
static void normalized(struct jw *w, const struct jkey *keys, const char *const *vals, size_t n)
{
    KO("normalized", '{');
    for (size_t i = 0; i < n; i++) {
        const char *v = vals[i];
        if (!v || !*v) continue;
        int ascii = 1;
        for (const char *q = v; *q && ascii; q++)
            if ((unsigned char)*q >= 0x80) ascii = 0;
        if (ascii) continue;   /* ASCII is its own NFKC (and is already trimmed) */
        size_t slot = w->nf ? nf_slot(w->nf, v) : 0;
        const char *t = w->nf ? w->nf->val[slot] : NULL;
        char *tmp = NULL;   /* a form not kept in the cache */
        if (!t) {
            char *nf = g_utf8_normalize(v, -1, G_NORMALIZE_NFKC);
            if (!nf) continue;
            g_strstrip(nf);
            if (strcmp(nf, v) == 0) {
                g_free(nf);
                t = v;
            } else {
                t = nf;
            }
            if (w->nf && strlen(v) <= NF_CACHE_LEN && w->nf->n < NF_CACHE_MAX) {
                w->nf->key[slot] = v;   /* the cache owns nf */
                w->nf->val[slot] = t;
                w->nf->n++;
            } else if (t != v) {
                tmp = nf;
            }
        }
        if (t != v) kstr(w, keys[i].k, keys[i].n, t);
        g_free(tmp);
    }
    close_(w, '}');
}

static void path_json(struct jw *w, const struct em_model *m, const struct em_path *p)
{
    open_(w, '{');
    KI("row", p->src.row);
    KSM("file", p->src.file, MEMO_FILE);
    KSM("sheet", p->src.sheet, MEMO_SHEET);
    opt_str(w, K("comm_type"), p->comm_type == EM_COMM_UNSET ? NULL : em_comm_type_name(p->comm_type));
    KSC("purpose", p->purpose);
    KSC("system", p->system);
    KSC("remote_party", p->remote_party);
    KSC("emr_link", em_tri_name(p->emr_link));
    sensitive(w, K("global_ip"), "ip", p->global_ip);
    opt_str(w, K("ip_kind"), em_ip_kind_name(p->ip_kind));
    sensitive(w, K("fqdn"), "fqdn", p->fqdn);
    KS("scan_scope", p->scan == EM_SCAN_IN ? "in" : "out");
    KSC("scan_reason", em_scan_reason_name(p->scan));
    KB("scan_requested", p->scan_requested);
    /* extra keys */
    KSC("global_ip_use", em_tri_name(p->global_ip_use));
    KSC("provider_name", p->provider_name);
    KSC("provider_plan", p->provider_plan);
    KO("devices", '[');
    for (int s = 0; s < 2; s++) {
        if (p->dev[s] == EM_NONE) null_(w);
        else kstr_cached(w, NULL, 0, m->devices[p->dev[s]].id);
    }
    close_(w, ']');
    KS("remarks", p->remarks);
    /* what the row itself wrote in 装置① / 装置② (the device it names may hold other
       spellings or values from other rows): nothing declared is lost from the model */
    KO("declared", '[');
    for (int s = 0; s < 2; s++) {
        const struct em_decl *d = &p->decl[s];
        const char *v[] = {d->type, d->hostname, d->mgmt_ip, d->maker, d->model, d->rental, d->firmware, d->location};
        int any = 0;
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            if (v[i] && *v[i]) any = 1;
        if (!any) {
            null_(w);
            continue;
        }
        open_(w, '{');
        KSC("type", d->type);
        sensitive(w, K("hostname"), "host", d->hostname);
        KSC("mgmt_ip", d->mgmt_ip);
        KSC("maker", d->maker);
        KSC("model", d->model);
        KSC("rental", d->rental);
        KSC("firmware", d->firmware);
        KSC("location", d->location);
        close_(w, '}');
    }
    close_(w, ']');
    {
        static const struct jkey k[] = {JK("purpose"), JK("system"), JK("remote_party"), JK("remarks"), JK("provider_name"),
                                        JK("provider_plan"), JK("carrier"), JK("service"), JK("ctu_location")};
        const char *v[] = {p->purpose, p->system, p->remote_party, p->remarks, p->provider_name,
                           p->provider_plan, p->carrier, p->service, p->ctu_location};
        normalized(w, k, v, sizeof k / sizeof k[0]);
    }
    extras(w, p->extra, p->n_extra);
    KB("scanned", p->scanned);
    KB("scan_up", p->scan_up);
    close_(w, '}');
}

static void terminal_fields(struct jw *w, const struct em_terminal *t)
{
    sensitive(w, K("name"), "host", t->name);
    KS("os", t->os);
    KS("antivirus", t->antivirus);
    KS("antivirus_version", t->av_version);
    tri_bool(w, K("usb_blocked"), t->usb_blocked);
}

/* "generator": what produced this model (mapper/about.h), when the CLI filled it in. */
static void generator(struct jw *w)
{
    if (em_about_count() == 0) return;
    KO("generator", '{');
    for (int kind = EM_ABOUT_PROGRAM; kind <= EM_ABOUT_LIBRARY; kind++) {
        if (kind == EM_ABOUT_DATA) {
            KO("data", '[');
        } else if (kind == EM_ABOUT_LIBRARY) {
            KO("libraries", '{');
        }
        for (size_t i = 0; i < em_about_count(); i++) {
            const struct em_about_item *it = em_about_item(i);
            if ((int)it->kind != kind) continue;
            if (kind == EM_ABOUT_DATA) {
                open_(w, '{');
                KS("file", it->name);
                KS("version", it->version);
                KS("date", it->date);
                close_(w, '}');
            } else {
                key(w, it->name);
                str(w, it->version);
            }
        }
        if (kind == EM_ABOUT_DATA) close_(w, ']');
        else if (kind == EM_ABOUT_LIBRARY) close_(w, '}');
    }
    close_(w, '}');
}

/* The big arrays, in chunks of this many elements (about 100 KiB of JSON each on the
 * 100,000-row book), formatted by two threads when there are at least 4 chunks. */
#define JPAR_LINES 32
#define JPAR_DEVICES 128
#define JPAR_EDGES 256
#define JPAR_FINDINGS 192
static size_t par_min_chunks = SIZE_MAX, par_chunk_div = 1;   /* off: see docs/PERFORMANCE.md */

void em_json_par_set(size_t min_chunks, size_t chunk_div)
{
    par_min_chunks = min_chunks;
    par_chunk_div = chunk_div ? chunk_div : 1;
}

static struct nf_cache *nf_cache_new(void);

struct par_ctx {
    struct jw *w[2];     /* the calling thread's state, the second thread's */
    const struct em_model *m;
    void (*elem)(struct jw *, const struct em_model *, size_t);
    int depth;           /* the array's elements' depth */
};

/* em_jpar_fmt: elements [from, to) with the state of `thread`, as if every element
 * before them had been written by it (the separator of element 0 is "\n", the
 * others' ",\n"). */
static void par_fmt(void *ctx, int thread, struct em_wbuf *b, size_t from, size_t to)
{
    struct par_ctx *c = ctx;
    struct jw *w = c->w[thread];
    w->f = b;
    w->depth = c->depth;
    w->first[c->depth] = from == 0;
    w->key_pending = false;
    for (size_t i = from; i < to; i++) c->elem(w, c->m, i);
}

/* The n elements of an open array, elem() each: by two threads when it pays (json_par.h),
 * else here. */
static void array(struct jw *w, const struct em_model *m, size_t n, size_t chunk,
                  void (*elem)(struct jw *, const struct em_model *, size_t))
{
    chunk /= par_chunk_div;
    if (chunk == 0) chunk = 1;
    bool two = w->par && n / chunk >= par_min_chunks;
    if (two && !w->peer) {
        w->peer = calloc(1, sizeof *w->peer);
        if (w->peer) {
            w->peer->nf = nf_cache_new();
            w->peer->memo = calloc(MEMO_SLOTS, sizeof(struct memo));
            w->peer->vc = calloc(VC_SLOTS, sizeof(struct vc_entry));
        }
    }
    if (two && w->peer) {
        struct em_wbuf *out = w->f;
        struct par_ctx c = {.w = {w, w->peer}, .m = m, .elem = elem, .depth = w->depth};
        if (em_jpar_run(out, n, chunk, par_fmt, &c) == 0) {
            w->f = out;
            w->depth = c.depth;
            w->first[c.depth] = n == 0;
            w->key_pending = false;
            return;
        }
    }
    for (size_t i = 0; i < n; i++) elem(w, m, i);
}

/* lines[i]: the line, its rows, devices and paths. */
static void line_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_line *ln = &m->lines[i];
    open_(w, '{');
    KS("line_no", ln->line_no);
    KS("id", ln->id);
    KO("rows", '[');
    for (size_t k = 0; k < ln->n_paths; k++) int_(w, m->paths[ln->paths[k]].src.row);
    close_(w, ']');
    KSC("carrier", ln->carrier);
    KSC("service", ln->service);
    KSC("ctu_location", ln->ctu_location);
    KSC("contract_holder", ln->contract_holder);
    {
        static const struct jkey k[] = {JK("line_no"), JK("carrier"), JK("service"), JK("ctu_location"), JK("contract_holder")};
        const char *v[] = {ln->line_no, ln->carrier, ln->service, ln->ctu_location, ln->contract_holder};
        normalized(w, k, v, sizeof k / sizeof k[0]);
    }
    KO("devices", '[');
    for (size_t k = 0; k < ln->n_devices; k++) kstr_cached(w, NULL, 0, m->devices[ln->devices[k]].id);
    close_(w, ']');
    KO("paths", '[');
    for (size_t k = 0; k < ln->n_paths; k++) path_json(w, m, &m->paths[ln->paths[k]]);
    close_(w, ']');
    if (ln->n_paths) {
        const struct em_src *s = &m->paths[ln->paths[0]].src;
        KSM("file", s->file, MEMO_FILE);
        KSM("sheet", s->sheet, MEMO_SHEET);
    }
    close_(w, '}');
}

/* devices[i]. */
static void device_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_device *d = &m->devices[i];
    open_(w, '{');
    KSC("id", d->id);
    KSC("type", em_dev_type_name(d->type));
    KSC("maker", d->maker);
    KSC("model", d->model);
    KSC("firmware", d->firmware);
    tri_bool(w, K("rental"), d->rental);
    KSC("location", d->location);
    {
        static const struct jkey k[] = {JK("maker"), JK("model"), JK("firmware"), JK("location"), JK("type_text")};
        const char *v[] = {d->maker, d->model, d->firmware, d->location, d->type_raw};
        normalized(w, k, v, sizeof k / sizeof k[0]);
    }
    KSC("source", em_source_name(d->source));
    KSC("type_text", d->type_raw);
    sensitive(w, K("hostname"), "host", d->hostname);
    KSC("mgmt_ip", d->mgmt_ip);
    KI("slot", d->slot);
    KB("firmware_verified", d->verified);
    KO("cves", '[');
    for (size_t k = 0; k < d->n_cves; k++) str(w, d->cves[k]);
    close_(w, ']');
    opt_str(w, K("advisory_url"), d->advisory_url);
    int_list(w, K("rows"), d->rows, d->n_rows);
    KO("sources", '[');   /* every row naming it, in every file */
    for (size_t k = 0; k < d->n_srcs; k++) {
        open_(w, '{');
        KSM("file", d->srcs[k].file, MEMO_FILE);
        KSM("sheet", d->srcs[k].sheet, MEMO_SHEET);
        KI("row", d->srcs[k].row);
        close_(w, '}');
    }
    close_(w, ']');
    opt_str(w, K("disc_id"), d->disc_id);
    KSC("evidence", em_device_evidence(d));
    KO("addresses", '[');
    for (size_t k = 0; k < d->n_addresses; k++) {
        if (w->redact && w->redact(w->rctx, "ip", d->addresses[k]))
            str(w, w->redact(w->rctx, "ip", d->addresses[k]));
        else
            str(w, d->addresses[k]);
    }
    close_(w, ']');
    close_(w, '}');
}

/* edges[i]. */
static void edge_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_edge *e = &m->edges[i];
    open_(w, '{');
    char ib[EM_EDGE_ID_BUF], *id = em_edge_id(e, ib, sizeof ib);
    if (!id) w->f->err = 1;   /* out of memory: reported as a failed write */
    KS("id", id);
    em_edge_id_free(id, ib);
    KSC("from", e->from);
    KSC("to", e->to);
    KB("emr_unknown", e->emr_unknown);
    KB("out_of_scope", e->out_of_scope);
    int_list(w, K("rows"), e->rows, e->n_rows);
    KB("discovered", e->discovered);
    KB("inferred", e->inferred);
    KSC("evidence", em_edge_evidence(m, e));
    close_(w, '}');
}

/* findings[i], its message expanded (mapper/finding.c). */
static void finding_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_finding *f = &m->findings[i];
    char mb[EM_MSG_MAX];   /* the message is expanded here, once */
    open_(w, '{');
    KSC("code", f->code);
    KSC("severity", em_severity_name(f->severity));
    KSM("file", f->file, MEMO_FILE);
    KSM("sheet", f->sheet, MEMO_SHEET);
    KI("row", f->row);
    KSC("column", f->column);
    KSC("line_no", f->line_no);
    KS("message", em_finding_msg(f, mb));
    if (f->accepted) {   /* additive: --accept (mapper/accept.c) */
        KO("accepted", '{');
        KS("reason", f->accepted->reason);
        KS("accepted_by", f->accepted->by);
        KS("date", f->accepted->date);
        KS("file", f->accepted->file);
        KI("entry_line", f->accepted->entry_line);
        close_(w, '}');
    }
    close_(w, '}');
}

static void model_json(struct jw *w, const struct em_model *m)
{
    open_(w, '{');
    KS("schema", "edgemap/1");
    generator(w);

    KO("site", '{');
    KS("name", m->site.name);
    KS("address", m->site.address);
    KS("beds", m->site.beds);
    KS("survey_date", m->survey_date);
    extras(w, m->site.extra, m->site.n_extra);
    close_(w, '}');

    KO("sources", '[');
    for (size_t i = 0; i < m->n_sources; i++) str(w, m->sources[i]);
    close_(w, ']');

    KO("lines", '[');
    array(w, m, m->n_lines, JPAR_LINES, line_json);
    close_(w, ']');

    KO("devices", '[');
    array(w, m, m->n_devices, JPAR_DEVICES, device_json);
    close_(w, ']');

    KO("segments", '[');
    for (size_t i = 0; i < m->n_segments; i++) {
        const struct em_segment *s = &m->segments[i];
        open_(w, '{');
        KS("id", s->id);
        KS("name", s->name);
        KB("emr", s->emr);
        KO("terminals", '[');
        for (size_t k = 0; k < s->n_terminals; k++) {
            const struct em_terminal *t = &m->terminals[s->terminals[k]];
            open_(w, '{');
            terminal_fields(w, t);
            KI("row", t->src.row);
            close_(w, '}');
        }
        close_(w, ']');
        close_(w, '}');
    }
    close_(w, ']');

    KO("networks", '[');
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *n = &m->outside[i];
        static const char *kinds[] = {"internet", "closed", "phone", "party"};
        open_(w, '{');
        KS("id", n->id);
        KS("kind", n->kind <= EM_NODE_PARTY ? kinds[n->kind] : "other");
        KS("name", n->name);
        KB("maintenance", n->maintenance);
        close_(w, '}');
    }
    close_(w, ']');

    KO("edges", '[');
    /* em_edge_evidence looks devices up in the model's index, which is built on first
       use: built here, before a second thread may read it */
    em_model_find_device(m, "");
    array(w, m, m->n_edges, JPAR_EDGES, edge_json);
    close_(w, ']');

    KO("terminals", '[');
    for (size_t i = 0; i < m->n_terminals; i++) {
        const struct em_terminal *t = &m->terminals[i];
        open_(w, '{');
        terminal_fields(w, t);
        KS("system", t->system);
        opt_str(w, K("segment"), t->segment == EM_NONE ? NULL : m->segments[t->segment].id);
        KSM("file", t->src.file, MEMO_FILE);
        KSM("sheet", t->src.sheet, MEMO_SHEET);
        KI("row", t->src.row);
        close_(w, '}');
    }
    close_(w, ']');

    KO("scan_hosts", '[');
    for (size_t i = 0; i < m->n_scan_hosts; i++) {
        const struct em_scan_host *h = &m->scan_hosts[i];
        open_(w, '{');
        sensitive(w, K("address"), "ip", h->address);
        KB("up", h->up);
        KS("file", h->file);
        KI("row", h->path == EM_NONE ? 0 : m->paths[h->path].src.row);
        close_(w, '}');
    }
    close_(w, ']');

    KO("services", '[');
    for (size_t i = 0; i < m->n_services; i++) {
        const struct em_service *sv = &m->services[i];
        open_(w, '{');
        sensitive(w, K("address"), "ip", sv->address);
        KS("proto", sv->proto);
        KI("port", sv->port);
        KS("state", sv->state);
        KS("name", sv->name);
        KS("product", sv->product);
        KS("version", sv->version);
        KS("file", sv->file);
        KI("row", sv->path == EM_NONE ? 0 : m->paths[sv->path].src.row);
        KS("line_no", sv->path == EM_NONE ? "" : m->lines[m->paths[sv->path].line].line_no);
        KS("severity", em_severity_name(sv->severity));
        close_(w, '}');
    }
    close_(w, ']');

    KO("findings", '[');
    array(w, m, m->n_findings, JPAR_FINDINGS, finding_json);
    close_(w, ']');
    close_(w, '}');
}

/* The writer's cache of "normalized" forms (struct jw), empty, or NULL out of memory
 * (the writer then works without); free with nf_cache_free(). */
static struct nf_cache *nf_cache_new(void)
{
    return calloc(1, sizeof(struct nf_cache));
}

/* Frees c, the NFKC forms it owns with it; NULL is a no-op. */
static void nf_cache_free(struct nf_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < NF_CACHE_SLOTS; i++)
        if (c->key[i] && c->val[i] != c->key[i]) g_free((char *)c->val[i]);
    free(c);
}

/* Frees what the writer state w made (its caches, the second thread's state). */
static void jw_free(struct jw *w)
{
    nf_cache_free(w->nf);
    free(w->memo);
    free(w->vc);
    if (w->peer) {
        nf_cache_free(w->peer->nf);
        free(w->peer->memo);
        free(w->peer->vc);
        free(w->peer);
    }
}

int em_model_write_json(FILE *f, const struct em_model *m, em_redact_fn redact, void *rctx)
{
    struct em_wbuf *b = malloc(sizeof *b);
    if (!b) return -1;
    em_wbuf_init(b, f);
    struct jw w = {.f = b, .redact = redact, .rctx = rctx, .nf = nf_cache_new(), .par = !redact,
                   .memo = calloc(MEMO_SLOTS, sizeof(struct memo)), .vc = calloc(VC_SLOTS, sizeof(struct vc_entry))};
    model_json(&w, m);
    jw_free(&w);
    em_wbuf_putc(b, '\n');
    int rc = em_wbuf_flush(b);
    free(b);
    return rc != 0 || ferror(f) ? -1 : 0;
}

char *em_model_json_string(const struct em_model *m, em_redact_fn redact, void *rctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    struct em_wbuf *b = malloc(sizeof *b);
    if (!b) {
        fclose(f);
        free(buf);
        return NULL;
    }
    em_wbuf_init(b, f);
    struct jw w = {.f = b, .redact = redact, .rctx = rctx, .nf = nf_cache_new(), .par = !redact,
                   .memo = calloc(MEMO_SLOTS, sizeof(struct memo)), .vc = calloc(VC_SLOTS, sizeof(struct vc_entry))};
    model_json(&w, m);
    jw_free(&w);
    int bad = em_wbuf_flush(b) != 0 || ferror(f);
    free(b);
    if (fclose(f) != 0 || bad) {
        free(buf);
        return NULL;
    }
    return buf;
}
