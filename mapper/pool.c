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
    free(p);
}

void *em_pool_alloc(struct em_pool *p, size_t n)
{
    size_t align = sizeof(max_align_t);
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

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int grow(struct em_pool *p)
{
    size_t n = p->nslots ? p->nslots * 2 : 1024;
    const char **s = calloc(n, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < p->nslots; i++) {
        const char *v = p->slots[i];
        if (!v) continue;
        size_t j = hash(v, strlen(v)) & (n - 1);
        while (s[j]) j = (j + 1) & (n - 1);
        s[j] = v;
    }
    free(p->slots);
    p->slots = s;
    p->nslots = n;
    return 0;
}

const char *em_pool_strn(struct em_pool *p, const char *s, size_t len)
{
    if (!s) return NULL;
    size_t slot = 0;
    int intern = len <= INTERN_MAX;
    if (intern) {
        if ((p->nused + 1) * 2 > p->nslots && grow(p) != 0) return NULL;
        slot = hash(s, len) & (p->nslots - 1);
        while (p->slots[slot]) {
            const char *v = p->slots[slot];
            if (strncmp(v, s, len) == 0 && v[len] == '\0') return v;
            slot = (slot + 1) & (p->nslots - 1);
        }
    }
    char *r = alloc_bytes(p, len + 1);
    if (!r) return NULL;
    memcpy(r, s, len);
    r[len] = '\0';
    if (intern) {
        p->slots[slot] = r;
        p->nused++;
    }
    return r;
}

const char *em_pool_str(struct em_pool *p, const char *s)
{
    return s ? em_pool_strn(p, s, strlen(s)) : NULL;
}

const char *em_pool_printf(struct em_pool *p, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    if ((size_t)n < sizeof small) return em_pool_strn(p, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) return NULL;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    const char *r = em_pool_strn(p, big, (size_t)n);
    free(big);
    return r;
}

size_t em_pool_bytes(const struct em_pool *p)
{
    return p->bytes + p->nslots * sizeof *p->slots;
}
