/* scrub.c — the --redact text engine of scrub.h.
 * Originals made of word characters only (IPs, FQDNs, most host names) can only match a
 * whole run of word characters, so a text asks the table once per run; the others (file
 * paths, host names in Japanese or with spaces) are tried at each place where one of
 * their first bytes stands, by each of their lengths, longest first. Both are linear in
 * the text (a 100,000-row survey was quadratic: every name against every byte). */
#include "mapper/scrub.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct em_scrub {
    GHashTable *ph;            /* original -> placeholder (neither owned) */
    size_t *lens;              /* distinct lengths of the other originals, longest first */
    size_t n_lens, cap_lens;
    unsigned char first[32];   /* bit set: the first byte of one of the others shorter than 3 */
    unsigned char first3[8192];/* bit set: a hash of the first 3 bytes of one of the others */
    size_t max_word;           /* the longest word-only original */
    char *tmp; size_t cap_tmp; /* scratch: a piece of text, NUL-terminated, to look up */
};

static bool word_char(char c)
{
    return g_ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* A 16-bit hash of the 3 bytes at s (a place where one of the other originals may
 * start: its first character, in Japanese the whole first character). */
static unsigned hash3(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t v = (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
    return (unsigned)((v * 2654435761u) >> 16);
}

/* Whether one of the other originals may start at p (end: the end of the text). */
static bool may_start(const struct em_scrub *s, const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (s->first[c >> 3] & (1u << (c & 7))) return true;
    if (end - p < 3) return false;
    unsigned h = hash3(p);
    return s->first3[h >> 3] & (1u << (h & 7));
}

struct em_scrub *em_scrub_new(void)
{
    struct em_scrub *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->ph = g_hash_table_new(g_str_hash, g_str_equal);
    return s;
}

void em_scrub_free(struct em_scrub *s)
{
    if (!s) return;
    g_hash_table_destroy(s->ph);
    free(s->lens);
    free(s->tmp);
    free(s);
}

const char *em_scrub_lookup(const struct em_scrub *s, const char *orig)
{
    return g_hash_table_lookup(s->ph, orig);
}

bool em_scrub_enter(struct em_scrub *s, const char *orig, const char *ph)
{
    if (!orig || !*orig || em_scrub_lookup(s, orig)) return true;
    size_t len = strlen(orig);
    bool word = true;
    for (size_t i = 0; i < len && word; i++) word = word_char(orig[i]);
    if (!word) {
        size_t k = 0;
        while (k < s->n_lens && s->lens[k] > len) k++;
        if (k == s->n_lens || s->lens[k] != len) {
            if (s->n_lens == s->cap_lens) {
                size_t nc = s->cap_lens ? s->cap_lens * 2 : 16;
                size_t *nl = realloc(s->lens, nc * sizeof *nl);
                if (!nl) return false;
                s->lens = nl;
                s->cap_lens = nc;
            }
            memmove(s->lens + k + 1, s->lens + k, (s->n_lens - k) * sizeof *s->lens);
            s->lens[k] = len;
            s->n_lens++;
        }
        if (len < 3) {
            unsigned char c = (unsigned char)orig[0];
            s->first[c >> 3] |= (unsigned char)(1u << (c & 7));
        } else {
            unsigned h = hash3(orig);
            s->first3[h >> 3] |= (unsigned char)(1u << (h & 7));
        }
    } else if (len > s->max_word) {
        s->max_word = len;
    }
    g_hash_table_insert(s->ph, (gpointer)orig, (gpointer)ph);
    return true;
}

/* The placeholder of text[0..len) if it is an original, else NULL (*oom on no memory). */
static const char *lookup_n(struct em_scrub *s, const char *text, size_t len, bool *oom)
{
    if (len + 1 > s->cap_tmp) {
        size_t nc = len + 1 > 256 ? len + 1 : 256;
        char *nt = realloc(s->tmp, nc);
        if (!nt) {
            *oom = true;
            return NULL;
        }
        s->tmp = nt;
        s->cap_tmp = nc;
    }
    memcpy(s->tmp, text, len);
    s->tmp[len] = '\0';
    return em_scrub_lookup(s, s->tmp);
}

/* Length of a dotted-quad IPv4 address at p (0 if none), on word boundaries (start:
 * the start of the text). */
static size_t ipv4_at(const char *p, const char *start)
{
    if (p > start && word_char(p[-1])) return 0;
    const char *q = p;
    for (int part = 0; part < 4; part++) {
        int digits = 0, v = 0;
        while (g_ascii_isdigit(*q) && digits < 4) v = v * 10 + (*q++ - '0'), digits++;
        if (digits == 0 || digits > 3 || v > 255) return 0;
        if (part < 3 && *q++ != '.') return 0;
    }
    if (word_char(*q) && !(*q == '.' && !word_char(q[1]))) return 0;
    return (size_t)(q - p);
}

/* The longest original at p (a word start; the text ends at end) followed by a non-word
 * character or the end: its placeholder, its length in *len; NULL if none. */
static const char *original_at(struct em_scrub *s, const char *p, const char *end, size_t *len, bool *oom)
{
    const char *ph = NULL;
    size_t run = 0;
    while (p + run < end && word_char(p[run])) run++;
    if (run && run <= s->max_word && (ph = lookup_n(s, p, run, oom))) *len = run;
    if (!s->n_lens || !may_start(s, p, end)) return ph;
    for (size_t k = 0; k < s->n_lens && s->lens[k] > (ph ? *len : 0); k++) {
        size_t l = s->lens[k];
        if (l > (size_t)(end - p) || (p + l < end && word_char(p[l]))) continue;
        const char *h = lookup_n(s, p, l, oom);
        if (h) {
            *len = l;
            return h;
        }
    }
    return ph;
}

/* The placeholder of the IPv4 address p[0..n): ip_fn's, else the table's. */
static const char *ip_placeholder(struct em_scrub *s, const char *p, size_t n, em_scrub_ip_fn ip_fn,
                                  void *ctx, bool *oom)
{
    char ip[16];
    memcpy(ip, p, n);
    ip[n] = '\0';
    return ip_fn ? ip_fn(ctx, ip) : lookup_n(s, p, n, oom);
}

char *em_scrub_text(struct em_scrub *s, const char *text, em_scrub_ip_fn ip_fn, void *ctx, bool *oom)
{
    if (!text || !*text) return NULL;
    const char *p = text, *end = text + strlen(text);
    GString *b = NULL;            /* made at the first replacement */
    const char *copied = text;    /* text before this is in b */
    while (p < end) {
        const char *ph = NULL;
        size_t n = ipv4_at(p, text);
        if (n) ph = ip_placeholder(s, p, n, ip_fn, ctx, oom);
        else if (!(p > text && word_char(p[-1]))) ph = original_at(s, p, end, &n, oom);
        if (ph) {
            if (!b) b = g_string_sized_new((gsize)(end - text) + 16);
            g_string_append_len(b, copied, p - copied);
            g_string_append(b, ph);
            p += n;
            copied = p;
            continue;
        }
        /* a run of word characters that starts no match: passed over whole (no match
           can start inside it, the place before is a word character) */
        const char *q = p + 1;
        while (q < end && word_char(*p) && word_char(*q)) q++;
        p = q;
    }
    if (!b) return NULL;
    g_string_append_len(b, copied, end - copied);
    return g_string_free(b, FALSE);
}
