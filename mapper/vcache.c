/* vcache.c — direct-mapped caches of short texts (see vcache.h). */
#include "mapper/vcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/pool.h"

struct vslot {
    const char *val;              /* NULL: empty */
    uint32_t hash;
    uint32_t len;
    char text[EM_VCACHE_TEXT_MAX];
};

struct em_vcache {
    size_t mask;
    struct vslot slot[];
};

/* A zeroed cache of head bytes (its mask first) and 2^bits slots of slot bytes; NULL on
 * allocation failure. */
static void *new_cache(size_t head, size_t slot, unsigned bits)
{
    size_t n = (size_t)1 << bits;
    size_t *c = calloc(1, head + n * slot);
    if (c) *c = n - 1;
    return c;
}

struct em_vcache *em_vcache_new(unsigned bits)
{
    return new_cache(sizeof(struct em_vcache), sizeof(struct vslot), bits);
}

void em_vcache_free(struct em_vcache *c)
{
    free(c);
}

const char *em_vcache_get(const struct em_vcache *c, const char *text, size_t len)
{
    if (len > EM_VCACHE_TEXT_MAX) return NULL;
    uint32_t h = em_pool_hash(text, len);
    const struct vslot *s = &c->slot[h & c->mask];
    if (s->val && s->hash == h && s->len == len && memcmp(s->text, text, len) == 0) return s->val;
    return NULL;
}

void em_vcache_put(struct em_vcache *c, const char *text, size_t len, const char *val)
{
    if (len > EM_VCACHE_TEXT_MAX || !val) return;
    uint32_t h = em_pool_hash(text, len);
    struct vslot *s = &c->slot[h & c->mask];
    s->val = val;
    s->hash = h;
    s->len = (uint32_t)len;
    memcpy(s->text, text, len);
}

struct kslot {
    const char *s;                /* NULL: empty */
    char key[EM_VCACHE_KEY_MAX];
};

struct em_kcache {
    size_t mask;
    struct kslot slot[];
};

/* The slot of an address: its bits mixed (pool strings are packed, so low bits vary). */
static size_t addr_slot(const struct em_kcache *c, const char *s)
{
    uint64_t v = (uint64_t)(uintptr_t)s;
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (size_t)v & c->mask;
}

struct em_kcache *em_kcache_new(unsigned bits)
{
    return new_cache(sizeof(struct em_kcache), sizeof(struct kslot), bits);
}

void em_kcache_free(struct em_kcache *c)
{
    free(c);
}

int em_kcache_get(const struct em_kcache *c, const char *s, char *out, size_t size)
{
    const struct kslot *k = &c->slot[addr_slot(c, s)];
    if (k->s != s) return 0;
    size_t len = strlen(k->key);
    if (len >= size) return 0;
    memcpy(out, k->key, len + 1);
    return 1;
}

void em_kcache_put(struct em_kcache *c, const char *s, const char *key)
{
    size_t len = strlen(key);
    if (!s || len >= EM_VCACHE_KEY_MAX) return;
    struct kslot *k = &c->slot[addr_slot(c, s)];
    k->s = s;
    memcpy(k->key, key, len + 1);
}
