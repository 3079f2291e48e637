/* json_jw.c — the model JSON writer's string writers and caches (json_jw.h): one
 * out-of-line copy each, the escaper (json_str.h) inlined in them. */
#include "mapper/json_jw.h"

#include <stdlib.h>

#include <glib.h>

#include "mapper/json_str.h"

/* A string value (s NULL: ""), after the key k (NULL: none, an array element). One
 * copy of it, the escaper inlined (measured: 5 % faster than inlining this at every
 * call site and calling the escaper). */
void em_jw_str(struct jw *w, const char *k, size_t kn, const char *s)
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

/* em_jw_str() of a string the model owns (a file or sheet name), remembered in memo slot
 * `slot` as written, so the next value at the same address is one copy. Only for the
 * model's strings: a buffer reused with other text (a message, an edge id, a redacted
 * value) would repeat the old text. */
void em_jw_str_memo(struct jw *w, const char *k, size_t kn, const char *s, int slot)
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
        em_jw_str(w, k, kn, s);
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

/* em_jw_str() (k NULL: an array element) of a string the model owns or a constant (never
 * a reused buffer: see kstr_memo), through the writer's cache of short values as
 * written. */
void em_jw_str_cached(struct jw *w, const char *k, size_t kn, const char *s)
{
    if (!w->vc || !s || !*s) {
        em_jw_str(w, k, kn, s);
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
        em_jw_str(w, k, kn, s);
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

/* A key that is data (an extra column's header, a library's name): escaped. The value
 * follows with one of the writers below, k NULL. */
void em_jw_key(struct jw *w, const char *k)
{
    char *o = em_wbuf_room(w->f, JW_ROOM);
    em_wbuf_done(w->f, before(w, o));
    em_json_str(w->f, k);
    em_wbuf_write(w->f, ": ", 2);
    w->key_pending = true;
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
void em_jw_free(struct jw *w)
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

void em_jw_caches(struct jw *w)
{
    w->nf = nf_cache_new();
    w->memo = calloc(MEMO_SLOTS, sizeof(struct memo));
    w->vc = calloc(VC_SLOTS, sizeof(struct vc_entry));
}
