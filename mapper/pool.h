/* pool.h — a string arena with interning. Every string of the model lives in one
 * pool and is freed with it; equal short strings are stored once (cell values repeat
 * a lot: carriers, makers, pull-down values), which keeps a 100,000-row import small. */
#ifndef EM_POOL_H
#define EM_POOL_H
#include <stddef.h>
#include <stdint.h>

struct em_pool;

/* New empty pool; NULL on allocation failure. Caller frees with em_pool_free(). */
struct em_pool *em_pool_new(void);
/* Frees the pool and every string it handed out. NULL is a no-op. */
void em_pool_free(struct em_pool *p);

/* Copies s[0..len) into the pool, NUL-terminated. Equal strings up to 64 bytes are
 * returned as the same pointer. Returns NULL only on allocation failure.
 * The pool owns the result. */
const char *em_pool_strn(struct em_pool *p, const char *s, size_t len);
/* Copies s[0..len) into the pool, NUL-terminated, never interned: for strings known
 * to be unique (edge ids), which would only fill the intern table. NULL s gives NULL;
 * otherwise NULL only on allocation failure. The pool owns the result. */
const char *em_pool_strn_once(struct em_pool *p, const char *s, size_t len);
/* Like em_pool_strn, but interned whatever the length: for long texts that repeat
 * (finding messages). NULL s gives NULL. The pool owns the result. */
const char *em_pool_intern(struct em_pool *p, const char *s, size_t len);
/* em_pool_strn(p, s, strlen(s)); s == NULL gives NULL. */
const char *em_pool_str(struct em_pool *p, const char *s);
/* printf into the pool. The pool owns the result. */
const char *em_pool_printf(struct em_pool *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* printf into the pool, never interned (see em_pool_strn_once). */
const char *em_pool_printf_once(struct em_pool *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Uninterned zeroed block of n bytes (aligned for any type), owned by the pool. */
void *em_pool_alloc(struct em_pool *p, size_t n);

/* Like em_pool_alloc, aligned only to align (a power of two up to max_align_t's; other
 * values mean max_align_t): small lists of int or pointers waste no padding. */
void *em_pool_alloc_aligned(struct em_pool *p, size_t n, size_t align);

/* The pool's string hash of s[0..len) (fast, well spread, not keyed): for the loader's
 * private tables, which never show their order. */
uint32_t em_pool_hash(const char *s, size_t len);

/* Bytes held by the pool (for the benchmark's memory report). */
size_t em_pool_bytes(const struct em_pool *p);

#endif
