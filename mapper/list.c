/* list.c — one splitter for values listed in one cell. */
#include "mapper/list.h"

#include <string.h>

/* Length of the separator at p (0: none). */
static size_t sep_at(const char *p, unsigned flags)
{
    static const char *const wide[] = {"、", "，", "；", "／", "\xe3\x80\x80"};
    /* each wide separator is three bytes, the first of them 0xE3 or 0xEF: an ASCII byte
       (most of an address list) is decided by the switch below alone */
    for (size_t i = 0; (unsigned char)*p >= 0x80 && i < sizeof wide / sizeof wide[0]; i++) {
        size_t n = strlen(wide[i]);
        if (strncmp(p, wide[i], n) == 0) {
            if (i == 4 && !(flags & EM_LIST_SPACES)) return 0;   /* U+3000 is a space */
            return n;
        }
    }
    switch (*p) {
    case ',': case ';': case '\n': case '\r': return 1;
    case ' ': case '\t': return flags & EM_LIST_SPACES ? 1 : 0;
    case '/':
        if (flags & EM_LIST_PREFIX) {
            size_t d = 0;
            while (d < 4 && p[1 + d] >= '0' && p[1 + d] <= '9') d++;
            if (d >= 1 && d <= 3 && (p[1 + d] == '\0' || sep_at(p + 1 + d, flags & ~(unsigned)EM_LIST_PREFIX)))
                return 0;
        }
        return 1;
    default: return 0;
    }
}

static int is_pad(const char *p, size_t *n)
{
    if (*p == ' ' || *p == '\t') { *n = 1; return 1; }
    if (strncmp(p, "\xe3\x80\x80", 3) == 0) { *n = 3; return 1; }
    return 0;
}

int em_list_split(const char *list, unsigned flags, em_list_fn fn, void *ctx)
{
    const char *p = list ? list : "";
    while (*p) {
        const char *start = p;
        size_t k = 0;
        while (*p && (k = sep_at(p, flags)) == 0) p++;
        const char *end = p;
        if (*p) p += k;
        /* trim */
        size_t n;
        while (start < end && is_pad(start, &n)) start += n;
        while (end > start) {
            if (end[-1] == ' ' || end[-1] == '\t') end--;
            else if (end - start >= 3 && strncmp(end - 3, "\xe3\x80\x80", 3) == 0) end -= 3;
            else break;
        }
        if (end > start) {
            int r = fn(ctx, start, (size_t)(end - start));
            if (r) return r;
        }
    }
    return 0;
}
