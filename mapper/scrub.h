/* scrub.h — known originals (addresses, host names, file names) found in free text and
 * replaced by their placeholders, in time linear in the text: the engine of --redact.
 * render/redact.c rewrites the model with it, book/annotate.c the cells it copies.
 * Design: docs/design-mapper.md "Redaction". */
#ifndef EM_SCRUB_H
#define EM_SCRUB_H
#include <stdbool.h>
#include <stddef.h>

struct em_scrub;

/* An empty table; NULL on no memory. Free with em_scrub_free (NULL is a no-op). */
struct em_scrub *em_scrub_new(void);
void em_scrub_free(struct em_scrub *s);

/* orig -> ph. Neither is copied: both must outlive s (pool strings). An orig already
 * entered keeps its first ph. false on no memory. */
bool em_scrub_enter(struct em_scrub *s, const char *orig, const char *ph);

/* The placeholder of orig, or NULL. */
const char *em_scrub_lookup(const struct em_scrub *s, const char *orig);

/* Asked for each dotted-quad IPv4 address in a text: its placeholder (entering it when
 * new, so the next text gets the same one), or NULL to keep the address (or on no memory,
 * with the caller's own note of it). */
typedef const char *(*em_scrub_ip_fn)(void *ctx, const char *ip);

/* text with every IPv4 address (through ip_fn; may be NULL: addresses are then looked up
 * like any original) and every entered original replaced by its placeholder: an
 * original only where it stands alone (no letter, digit, '.', '-' or '_' either side),
 * the longest where several start at one place. Returns a new g_malloc'd text, or NULL
 * when nothing changed (or on no memory: *oom set). */
char *em_scrub_text(struct em_scrub *s, const char *text, em_scrub_ip_fn ip_fn, void *ctx, bool *oom);

#endif
