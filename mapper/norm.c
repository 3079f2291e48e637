/* norm.c — NFKC via GLib's g_utf8_normalize (a real Unicode table, not a hand-made
 * one), whitespace folding and trimming. */
#include "mapper/norm.h"

#include <glib.h>
#include <string.h>

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80 || s[i] == '\0') return 0;
    return 1;
}

/* NFKC of s[0..len); caller g_free()s. Never NULL (empty string on failure).
 * ASCII is its own NFKC, which spares GLib most cells (addresses, numbers). */
static char *nfkc(const char *s, size_t len)
{
    if (is_ascii(s, len)) return g_strndup(s, len);
    char *valid = g_utf8_make_valid(s, (gssize)len);
    char *n = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
    g_free(valid);
    return n ? n : g_strdup("");
}

/* g_unichar_isspace, plus U+3000 (ideographic space), U+FEFF and U+200B. ASCII is
 * decided here without a call: GLib's spaces below U+0080 are these five (\v is not
 * one); mapper_norm checks the two agree on every code point. */
static inline int is_space(gunichar c)
{
    if (c < 0x80) return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    return g_unichar_isspace(c) || c == 0x3000 || c == 0xFEFF || c == 0x200B;
}

bool em_norm_is_space(uint32_t c)
{
    return is_space(c);
}

const char *em_norm_value(struct em_pool *p, const char *s, size_t len)
{
    if (is_ascii(s, len)) {
        /* its own NFKC: trimmed in place, no copy (most cells: addresses, host names) */
        const char *b = s, *e = s + len;
        while (b < e && is_space((unsigned char)*b)) b++;
        while (e > b && is_space((unsigned char)e[-1])) e--;
        return em_pool_strn(p, b, (size_t)(e - b));
    }
    char *n = em_norm_value_dup(s, len);
    const char *r = em_pool_strn(p, n, strlen(n));
    g_free(n);
    return r;
}

char *em_norm_value_dup(const char *s, size_t len)
{
    char *n = nfkc(s, len);
    char *b = n, *e = n + strlen(n);
    while (*b && is_space(g_utf8_get_char(b))) b = g_utf8_next_char(b);
    while (e > b) {
        char *prev = g_utf8_prev_char(e);
        if (!is_space(g_utf8_get_char(prev))) break;
        e = prev;
    }
    *e = '\0';
    if (b > n) memmove(n, b, (size_t)(e - b) + 1);
    return n;
}

const char *em_norm_display(struct em_pool *p, const char *s, size_t len)
{
    char *valid = g_utf8_make_valid(s, (gssize)len);
    GString *o = g_string_sized_new(strlen(valid));
    for (const char *q = valid; *q; q++)
        if (!(q[0] == '\r' && q[1] == '\n')) g_string_append_c(o, q[0] == '\r' ? '\n' : q[0]);
    char *b = o->str, *e = o->str + o->len;
    while (*b && is_space(g_utf8_get_char(b))) b = g_utf8_next_char(b);
    while (e > b) {
        char *prev = g_utf8_prev_char(e);
        if (!is_space(g_utf8_get_char(prev))) break;
        e = prev;
    }
    const char *r = em_pool_strn(p, b, (size_t)(e - b));
    g_string_free(o, TRUE);
    g_free(valid);
    return r;
}

static char *compact(const char *n, char *buf, size_t size)
{
    size_t o = 0;
    for (const char *q = n; *q; q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        if (is_space(c)) continue;
        const char *next = g_utf8_next_char(q);
        size_t k = (size_t)(next - q);
        if (o + k + 1 > size) break;
        if (k == 1) buf[o++] = (char)g_ascii_tolower(*q);
        else {
            memcpy(buf + o, q, k);
            o += k;
        }
    }
    if (size) buf[o < size ? o : size - 1] = '\0';
    return buf;
}

char *em_norm_compact(const char *s, size_t len, char *buf, size_t size)
{
    if (is_ascii(s, len)) {
        /* compact() of its own NFKC, without the copy: spaces out, ASCII lower case */
        size_t o = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (is_space(c)) continue;
            if (o + 2 > size) break;
            buf[o++] = (char)g_ascii_tolower(c);
        }
        if (size) buf[o < size ? o : size - 1] = '\0';
        return buf;
    }
    char *n = nfkc(s, len);
    compact(n, buf, size);
    g_free(n);
    return buf;
}

char *em_norm_compact_nfkc(const char *s, size_t len, char *buf, size_t size)
{
    if (s[len] == '\0' && g_utf8_validate(s, (gssize)len, NULL)) return compact(s, buf, size);
    return em_norm_compact(s, len, buf, size);
}

const char *em_norm_key(const char *literal)
{
    static GHashTable *keys;
    if (!keys) keys = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    const char *k = g_hash_table_lookup(keys, literal);
    if (k) return k;
    char buf[512];
    em_norm_compact(literal, strlen(literal), buf, sizeof buf);
    char *d = g_strdup(buf);
    g_hash_table_insert(keys, (gpointer)literal, d);
    return d;
}

const char *em_norm_header_display(struct em_pool *p, const char *s, size_t len)
{
    char *valid = g_utf8_make_valid(s, (gssize)len);
    GString *o = g_string_sized_new(strlen(valid));
    int pending_space = 0;
    for (const char *q = valid; *q; q = g_utf8_next_char(q)) {
        gunichar c = g_utf8_get_char(q);
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            pending_space = o->len > 0;
            continue;
        }
        if (pending_space) g_string_append_c(o, ' ');
        pending_space = 0;
        g_string_append_len(o, q, g_utf8_next_char(q) - q);
    }
    const char *r = em_pool_strn(p, o->str, o->len);
    g_string_free(o, TRUE);
    g_free(valid);
    return r;
}

char *em_utf8_trim_cut(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    /* back over at most 3 continuation bytes to the lead byte of the last character */
    while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--;
    if (i == 0) return s;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want) s[i - 1] = '\0';
    return s;
}

unsigned long em_hash32(const char *s)
{
    unsigned long h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h = (h * 16777619u) & 0xffffffffu;
    }
    return h;
}

size_t em_utf8_next(const unsigned char *s, uint32_t *cp)
{
    const char *p = (const char *)s;
    gunichar c = g_utf8_get_char_validated(p, -1);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return (size_t)(g_utf8_next_char(p) - p);
}
