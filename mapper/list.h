/* list.h — the one list splitter: several values written in one cell, as people write
 * them — "a、b", "a，b", "a, b", "a; b", "a / b", one per line (records.md). */
#ifndef EM_LIST_H
#define EM_LIST_H
#include <stddef.h>

enum {
    EM_LIST_SPACES = 1,   /* spaces and tabs separate items too (address lists) */
    EM_LIST_PREFIX = 2,   /* "/" followed by 1-3 digits is a prefix length ("203.0.113.0/29"),
                             not a separator */
};

/* Calls fn(ctx, item, len) for each non-empty item of list (items are not
 * NUL-terminated; len bytes at item). Separators: 、 ， ； ／ , ; / CR LF (and spaces
 * with EM_LIST_SPACES). Items are trimmed of ASCII and ideographic spaces. fn returns
 * 0 to go on, non-zero to stop (that value is returned). Returns 0 after the last item. */
typedef int (*em_list_fn)(void *ctx, const char *item, size_t len);
int em_list_split(const char *list, unsigned flags, em_list_fn fn, void *ctx);

#endif
