/* pool.c — chunked arena plus an open-addressing intern table for short strings.
 * Chunks are never moved, so handed-out pointers stay valid until em_pool_free(). */
#include "mapper/pool.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)
#define INTERN_MAX 64

struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
};

struct em_pool {
    struct chunk *head;
    size_t bytes;
    const char **slots; /* intern table, power-of-two size */
    uint32_t *hashes;   /* the hash of each slot's string: probes compare it first */
    size_t nslots, nused;
};

struct em_pool *em_pool_new(void)
{
    return calloc(1, sizeof(struct em_pool));
}

void em_pool_free(struct em_pool *p)
{
    if (!p) return;
    struct chunk *c = p->head;
    while (c) {
        struct chunk *n = c->next;
        free(c);
        c = n;
    }
    free(p->slots);
    free(p->hashes);
    free(p);
}

void *em_pool_alloc(struct em_pool *p, size_t n)
{
    return em_pool_alloc_aligned(p, n, _Alignof(max_align_t));
}

void *em_pool_alloc_aligned(struct em_pool *p, size_t n, size_t align)
{
    if (align == 0 || align > _Alignof(max_align_t) || (align & (align - 1)) != 0) align = _Alignof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0) n = align;
    struct chunk *c = p->head;
    if (c) c->used = (c->used + align - 1) / align * align;
    if (!c || c->used > c->size || c->size - c->used < n) {
        size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
        c = malloc(sizeof *c + size);
        if (!c) return NULL;
        c->used = 0;
        c->size = size;
        if (p->head && p->head->used > p->head->size) p->head->used = p->head->size;
        if (size == n && p->head) {
            /* a big block gets its own chunk behind the current one */
            c->next = p->head->next;
            p->head->next = c;
        } else {
            c->next = p->head;
            p->head = c;
        }
        p->bytes += sizeof *c + size;
    }
    void *r = (char *)c->data + c->used;
    c->used += n;
    memset(r, 0, n);
    return r;
}

/* Strings are packed without alignment padding in their own byte chunks. */
static char *alloc_bytes(struct em_pool *p, size_t n)
{
    struct chunk *c = p->head;
    if (c && c->size - c->used >= n) {
        char *r = (char *)c->data + c->used;
        c->used += n;
        return r;
    }
    if (n > CHUNK_SIZE / 4) return em_pool_alloc(p, n);
    c = malloc(sizeof *c + CHUNK_SIZE);
    if (!c) return NULL;
    c->used = n;
    c->size = CHUNK_SIZE;
    c->next = p->head;
    p->head = c;
    p->bytes += sizeof *c + CHUNK_SIZE;
    return (char *)c->data;
}

/* A word-at-a-time multiply-xorshift hash (the tables are private: only speed and
 * spread matter, the model never sees the order). */
static uint32_t hash(const char *s, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    uint64_t h = (uint64_t)len * k;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, len - i);
    h = (h ^ w) * k;
    h ^= h >> 32;
    h *= k;
    return (uint32_t)(h >> 32);
}

static int grow(struct em_pool *p)
{
    size_t n = p->nslots ? p->nslots * 2 : 1024;
    const char **s = calloc(n, sizeof *s);
    uint32_t *hs = malloc(n * sizeof *hs);
    if (!s || !hs) {
        free(s);
        free(hs);
        return -1;
    }
    for (size_t i = 0; i < p->nslots; i++) {
        const char *v = p->slots[i];
        if (!v) continue;
        size_t j = p->hashes[i] & (n - 1);
        while (s[j]) j = (j + 1) & (n - 1);
        s[j] = v;
        hs[j] = p->hashes[i];
    }
    free(p->slots);
    free(p->hashes);
    p->slots = s;
    p->hashes = hs;
    p->nslots = n;
    return 0;
}

/* Copies s[0..len) into the pool, NUL-terminated, without interning. */
static const char *copy(struct em_pool *p, const char *s, size_t len)
{
    char *r = alloc_bytes(p, len + 1);
    if (!r) return NULL;
    memcpy(r, s, len);
    r[len] = '\0';
    return r;
}

/* The interned copy of s[0..len), whatever its length. */
static const char *intern(struct em_pool *p, const char *s, size_t len)
{
    /* up to 3/4 full: probes compare the stored hash before any string */
    if ((p->nused + 1) * 4 > p->nslots * 3 && grow(p) != 0) return NULL;
    uint32_t h = hash(s, len);
    size_t slot = h & (p->nslots - 1);
    while (p->slots[slot]) {
        const char *v = p->slots[slot];
        if (p->hashes[slot] == h && memcmp(v, s, len) == 0 && v[len] == '\0') return v;
        slot = (slot + 1) & (p->nslots - 1);
    }
    const char *r = copy(p, s, len);
    if (!r) return NULL;
    p->slots[slot] = r;
    p->hashes[slot] = h;
    p->nused++;
    return r;
}

const char *em_pool_strn(struct em_pool *p, const char *s, size_t len)
{
    if (!s) return NULL;
    return len <= INTERN_MAX ? intern(p, s, len) : copy(p, s, len);
}

const char *em_pool_strn_once(struct em_pool *p, const char *s, size_t len)
{
    return s ? copy(p, s, len) : NULL;
}

const char *em_pool_intern(struct em_pool *p, const char *s, size_t len)
{
    return s ? intern(p, s, len) : NULL;
}

const char *em_pool_str(struct em_pool *p, const char *s)
{
    return s ? em_pool_strn(p, s, strlen(s)) : NULL;
}

/* vsnprintf into the pool through store (interning or not). */
static const char *vprintf_to(struct em_pool *p, const char *(*store)(struct em_pool *, const char *, size_t),
                              const char *fmt, va_list ap)
{
    char small[256];
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(small, sizeof small, fmt, aq);
    va_end(aq);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof small) return store(p, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) return NULL;
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    const char *r = store(p, big, (size_t)n);
    free(big);
    return r;
}

const char *em_pool_printf(struct em_pool *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *r = vprintf_to(p, em_pool_strn, fmt, ap);
    va_end(ap);
    return r;
}

const char *em_pool_printf_once(struct em_pool *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *r = vprintf_to(p, copy, fmt, ap);
    va_end(ap);
    return r;
}

size_t em_pool_bytes(const struct em_pool *p)
{
    return p->bytes + p->nslots * (sizeof *p->slots + sizeof *p->hashes);
}

uint32_t em_pool_hash(const char *s, size_t len)
{
    return hash(s, len);
}
