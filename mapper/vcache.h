/* vcache.h — the records loader's caches of repeated cell texts. Pull-downs, carriers,
 * makers and models repeat on most rows; their normalised forms (em_norm_value,
 * em_norm_display) and compact keys are computed once. Each cache is direct-mapped: a
 * text takes the slot of the text it collides with, so a cache's memory is fixed
 * (under half a megabyte) whatever a sheet holds, and vocabulary that first appears late
 * in a 100,000-row sheet is cached as well as early vocabulary. Only texts of up to
 * EM_VCACHE_TEXT_MAX bytes are cached. A miss is never wrong, only slower. */
#ifndef EM_VCACHE_H
#define EM_VCACHE_H
#include <stddef.h>

#define EM_VCACHE_TEXT_MAX 64    /* longer texts are not cached */
#define EM_VCACHE_KEY_MAX 128    /* compact keys up to this size (with the NUL) */

/* text -> a pointer the caller keeps alive (a pool string) */
struct em_vcache;
/* New cache of 2^bits slots; NULL on allocation failure. Free with em_vcache_free. */
struct em_vcache *em_vcache_new(unsigned bits);
void em_vcache_free(struct em_vcache *c);
/* The value stored for text[0..len), or NULL. */
const char *em_vcache_get(const struct em_vcache *c, const char *text, size_t len);
/* Stores val for text[0..len) (nothing when len > EM_VCACHE_TEXT_MAX), replacing
 * whatever held the slot. val must outlive the cache. */
void em_vcache_put(struct em_vcache *c, const char *text, size_t len, const char *val);

/* interned pool string (by address) -> its compact key, copied into the slot */
struct em_kcache;
struct em_kcache *em_kcache_new(unsigned bits);
void em_kcache_free(struct em_kcache *c);
/* Copies the key cached for the string at address s into out (size bytes) and returns
 * 1, or returns 0 when s is not cached or its key does not fit size. */
int em_kcache_get(const struct em_kcache *c, const char *s, char *out, size_t size);
/* Caches key (NUL-terminated, nothing when longer than EM_VCACHE_KEY_MAX - 1) for the
 * string at address s, which must stay at that address as long as the cache lives. */
void em_kcache_put(struct em_kcache *c, const char *s, const char *key);

#endif
