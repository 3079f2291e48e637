/* json_jw.h — the model JSON writer's state and output primitives (mapper/json.c
 * says what is written, this how): separators, keys from literals, values, numbers,
 * the caches of values as written. Inline where a call per piece would show (18
 * million lines on the 100,000-row book); the string writers are in json_jw.c. For
 * json.c only. */
#ifndef EM_JSON_JW_H
#define EM_JSON_JW_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mapper/json.h"
#include "mapper/wbuf.h"

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
 * length): json.c's keys are plain ASCII, so they skip the escaper
 * (tests/unit/mapper_json.c checks every K() literal of json.c). */
#define K(k) "\"" k "\": ", sizeof("\"" k "\": ") - 1

/* before(), then the key k[0..kn) as it is (a K() literal), at o. */
static inline char *put_key(struct jw *w, char *o, const char *k, size_t kn)
{
    o = before(w, o);
    memcpy(o, k, kn);
    return o + kn;
}

/* A string value (s NULL: ""), after the key k (NULL: none, an array element). */
void em_jw_str(struct jw *w, const char *k, size_t kn, const char *s);
/* The same for a string the model owns (a file or sheet name), remembered in memo slot
 * `slot` as written, so the next value at the same address is one copy. Only for the
 * model's strings: a buffer reused with other text (a message, an edge id, a redacted
 * value) would repeat the old text. */
void em_jw_str_memo(struct jw *w, const char *k, size_t kn, const char *s, int slot);
/* The same (k NULL: an array element) for a string the model owns or a constant (never
 * a reused buffer), through the writer's cache of short values as written. */
void em_jw_str_cached(struct jw *w, const char *k, size_t kn, const char *s);
/* A key that is data (an extra column's header, a library's name): escaped. The value
 * follows with one of the writers below, k NULL. */
void em_jw_key(struct jw *w, const char *k);
/* Makes w's caches (each may be NULL out of memory: the writer then works without). */
void em_jw_caches(struct jw *w);
/* Frees what w made (its caches, the second thread's state). */
void em_jw_free(struct jw *w);

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

static inline void open_(struct jw *w, char c) { kopen(w, NULL, 0, c); }
static inline void str(struct jw *w, const char *s) { em_jw_str(w, NULL, 0, s); }
static inline void null_(struct jw *w) { klit(w, NULL, 0, "null", 4); }
static inline void int_(struct jw *w, long v) { kint(w, NULL, 0, v); }

/* A key literal kept in a table (normalized()'s keys): JK("name"). */
struct jkey {
    const char *k;
    size_t n;
};
#define JK(k) {K(k)}

#define KS(k, v) em_jw_str(w, K(k), (v))
#define KSM(k, v, slot) em_jw_str_memo(w, K(k), (v), (slot))
#define KSC(k, v) em_jw_str_cached(w, K(k), (v))
#define KB(k, v) kbool(w, K(k), (v))
#define KI(k, v) kint(w, K(k), (v))
#define KO(k, c) kopen(w, K(k), (c))

#endif
