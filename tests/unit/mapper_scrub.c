/* Unit tests for the --redact text engine (mapper/scrub.h): word boundaries, the
 * longest original, originals with other characters (Japanese, spaces, paths), IPv4
 * addresses through the callback, and a differential run against the plain scan the
 * engine replaced (every original tried at every byte) over random texts. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "mapper/scrub.h"

#include "t.h"

static bool word_char(char c)
{
    return g_ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* The reference: at each place that starts a word, an IPv4 address (ipfn), else the
 * longest original followed by a non-word character; the text itself when nothing. */
struct ref { const char **orig, **ph; size_t n; };

static size_t ipv4_len(const char *p, const char *start)
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

static char *ref_scrub(const struct ref *r, const char *s)
{
    GString *o = g_string_new(NULL);
    const char *p = s;
    while (*p) {
        size_t n = ipv4_len(p, s);
        if (n) {
            g_string_append(o, "IP-x");
            p += n;
            continue;
        }
        size_t best = 0;
        const char *ph = NULL;
        if (!(p > s && word_char(p[-1])))
            for (size_t i = 0; i < r->n; i++) {
                size_t ol = strlen(r->orig[i]);
                if (ol > best && strncmp(p, r->orig[i], ol) == 0 && !word_char(p[ol])) {
                    best = ol;
                    ph = r->ph[i];
                }
            }
        if (ph) {
            g_string_append(o, ph);
            p += best;
        } else {
            g_string_append_c(o, *p++);
        }
    }
    return g_string_free(o, FALSE);
}

static const char *ip_x(void *ctx, const char *ip)
{
    (void)ctx;
    (void)ip;
    return "IP-x";
}

/* em_scrub_text as a whole text (the input itself when unchanged). */
static char *scrub(struct em_scrub *s, const char *text)
{
    bool oom = false;
    char *t = em_scrub_text(s, text, ip_x, NULL, &oom);
    T_ASSERT(!oom);
    if (t) T_ASSERT(strcmp(t, text) != 0);
    return t ? t : g_strdup(text);
}

static void t_basics(void)
{
    struct em_scrub *s = em_scrub_new();
    T_ASSERT(s);
    T_ASSERT(em_scrub_enter(s, "rt-01", "HOST-1"));
    T_ASSERT(em_scrub_enter(s, "rt-01.example.jp", "FQDN-1"));
    T_ASSERT(em_scrub_enter(s, "本館 ルーター", "HOST-2"));
    T_ASSERT(em_scrub_enter(s, "/home/u/病院/survey.xlsx", "INPUT-1.xlsx"));
    T_ASSERT(em_scrub_enter(s, "rt-01", "HOST-9"));            /* the first placeholder stays */
    T_EQ_STR(em_scrub_lookup(s, "rt-01"), "HOST-1");
    T_ASSERT(em_scrub_lookup(s, "rt-02") == NULL);
    bool oom = false;
    T_ASSERT(em_scrub_text(s, "nothing to see", ip_x, NULL, &oom) == NULL);
    T_ASSERT(em_scrub_text(s, "", ip_x, NULL, &oom) == NULL);
    char *t;
    T_EQ_STR(t = scrub(s, "rt-01 と rt-01.example.jp、xrt-01 と rt-01x"), "HOST-1 と FQDN-1、xrt-01 と rt-01x");
    g_free(t);
    T_EQ_STR(t = scrub(s, "（本館 ルーター）経由 203.0.113.5/24、10.0.0.256"), "（HOST-2）経由 IP-x/24、10.0.0.256");
    g_free(t);
    T_EQ_STR(t = scrub(s, "file /home/u/病院/survey.xlsx: row 3"), "file INPUT-1.xlsx: row 3");
    g_free(t);
    /* without a callback, an address is an original like any other */
    T_ASSERT(em_scrub_enter(s, "192.0.2.1", "IP-7"));
    t = em_scrub_text(s, "via 192.0.2.1 and 192.0.2.2.", NULL, NULL, &oom);
    T_EQ_STR(t, "via IP-7 and 192.0.2.2.");
    g_free(t);
    em_scrub_free(s);
    em_scrub_free(NULL);
}

/* Random texts over an alphabet rich in boundaries, originals that overlap and nest:
 * the engine gives what the plain scan gives. */
static void t_against_plain_scan(void)
{
    static const char *pieces[] = {"rt", "-", "01", ".", "jp", " ", "、", "本館", "ルーター", "_", "a",
                                   "203", "0", "113", "/", "x", "\t", "（", "10"};
    GRand *r = g_rand_new_with_seed(11);
    for (int round = 0; round < 40; round++) {
        struct em_scrub *s = em_scrub_new();
        const char *orig[24], *ph[24];
        char *owned[48];
        size_t n = 0, no = 0;
        int norig = g_rand_int_range(r, 1, 24);
        for (int i = 0; i < norig; i++) {
            GString *o = g_string_new(NULL);
            int k = g_rand_int_range(r, 1, 5);
            for (int j = 0; j < k; j++) g_string_append(o, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
            char *os = g_string_free(o, FALSE);
            owned[no++] = os;
            if (em_scrub_lookup(s, os)) continue;
            char *p = g_strdup_printf("PH-%d", i);
            owned[no++] = p;
            T_ASSERT(em_scrub_enter(s, os, p));
            orig[n] = os;
            ph[n] = p;
            n++;
        }
        struct ref ref = {orig, ph, n};
        for (int t = 0; t < 200; t++) {
            GString *x = g_string_new(NULL);
            int k = g_rand_int_range(r, 0, 30);
            for (int j = 0; j < k; j++) g_string_append(x, pieces[g_rand_int_range(r, 0, G_N_ELEMENTS(pieces))]);
            char *want = ref_scrub(&ref, x->str);
            char *got = scrub(s, x->str);
            if (strcmp(got, want) != 0) T_FAIL("\"%s\": \"%s\", the plain scan gives \"%s\"", x->str, got, want);
            g_free(want);
            g_free(got);
            g_string_free(x, TRUE);
        }
        for (size_t i = 0; i < no; i++) g_free(owned[i]);
        em_scrub_free(s);
    }
    g_rand_free(r);
}

static const struct t_case cases[] = {
    {"scrub: word boundaries, longest original, other characters, addresses", t_basics},
    {"scrub: random texts give what the plain scan gives", t_against_plain_scan},
};
T_MAIN(cases)
