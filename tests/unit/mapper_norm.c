/* Unit tests for normalisation (NFKC, compact keys, header display) and the pool. */
#include <glib.h>

#include "mapper/norm.h"
#include "mapper/pool.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "t.h"

static char buf[256];
#define C(s) em_norm_compact((s), strlen(s), buf, sizeof buf)

static void t_compact(void)
{
    T_EQ_STR(C("インターネット ＶＰＮ"), "インターネットvpn");
    T_EQ_STR(C(" 固定ＩＰ／動的ＩＰ "), "固定ip/動的ip");
    T_EQ_STR(C("電子カルテシステムの所属する\nネットワークとの接続"), "電子カルテシステムの所属するネットワークとの接続");
    T_EQ_STR(C("装置①"), "装置1");              /* NFKC folds circled digits */
    T_EQ_STR(C("ｲﾝﾀｰﾈｯﾄ"), "インターネット");      /* half-width katakana */
    T_EQ_STR(C("脆弱性診断（調査希望）"), "脆弱性診断(調査希望)");
    T_EQ_STR(C("\xe3\x80\x80全角\xe3\x80\x80空白"), "全角空白"); /* U+3000 */
}

static void t_invalid_utf8(void)
{
    /* broken UTF-8 must not crash and must not come out unchanged */
    const char bad[] = "ab\xff\xfe" "c";
    em_norm_compact(bad, sizeof bad - 1, buf, sizeof buf);
    T_ASSERT(strncmp(buf, "ab", 2) == 0);
    T_ASSERT(strchr(buf, 'c') != NULL);
}

static void t_truncation(void)
{
    char small[8];
    em_norm_compact("インターネット", strlen("インターネット"), small, sizeof small);
    T_ASSERT(strlen(small) < sizeof small);
    /* never cuts a multi-byte character in half: 2 characters of 3 bytes fit in 7 */
    T_EQ_INT(strlen(small), 6);
}

static void t_value_and_header(void)
{
    struct em_pool *p = em_pool_new();
    T_ASSERT(p != NULL);
    T_EQ_STR(em_norm_value(p, "  ＮＴＴ東日本\r\n", strlen("  ＮＴＴ東日本\r\n")), "NTT東日本");
    T_EQ_STR(em_norm_value(p, "", 0), "");
    T_EQ_STR(em_norm_header_display(p, "脆弱性診断\n(調査希望)", strlen("脆弱性診断\n(調査希望)")), "脆弱性診断 (調査希望)");
    T_EQ_STR(em_norm_key("インターネット ＶＰＮ"), "インターネットvpn");
    em_pool_free(p);
}

static void t_pool(void)
{
    struct em_pool *p = em_pool_new();
    T_ASSERT(p != NULL);
    const char *a = em_pool_str(p, "NTT東日本");
    const char *b = em_pool_strn(p, "NTT東日本xyz", strlen("NTT東日本"));
    T_ASSERT(a == b);                          /* short strings are interned */
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *c = em_pool_str(p, big), *d = em_pool_str(p, big);
    T_ASSERT(c != d && strcmp(c, d) == 0);     /* long ones are copied */
    for (int i = 0; i < 100000; i++) {         /* many chunks, table growth */
        const char *s = em_pool_printf(p, "v%d", i);
        T_ASSERT(s && s[0] == 'v');
    }
    T_EQ_STR(em_pool_printf(p, "v%d", 4242), "v4242");
    T_ASSERT(em_pool_printf(p, "v%d", 4242) == em_pool_printf(p, "v%d", 4242));
    double *x = em_pool_alloc(p, sizeof *x * 3);
    T_ASSERT(x && ((uintptr_t)x % _Alignof(max_align_t)) == 0);   /* aligned for any type */
    x[2] = 1.5;
    void *huge = em_pool_alloc(p, 1 << 20);
    T_ASSERT(huge != NULL);
    T_EQ_STR(em_pool_str(p, "after-huge"), "after-huge");
    em_pool_free(p);
    em_pool_free(NULL);
}

static void t_trim_cut(void)
{
    /* every cut of a text mixing 1-, 2-, 3- and 4-byte characters ends whole */
    const char *text = "aé日本😀b語";
    size_t n = strlen(text);
    for (size_t k = 0; k <= n; k++) {
        char cut[64];
        memcpy(cut, text, k);
        cut[k] = '\0';
        em_utf8_trim_cut(cut);
        T_ASSERT(g_utf8_validate(cut, -1, NULL));
        T_ASSERT(strncmp(cut, text, strlen(cut)) == 0);
        T_ASSERT(k - strlen(cut) < 4);
    }
    char s[] = "ok";
    T_EQ_STR(em_utf8_trim_cut(s), "ok");
}

static void t_display(void)
{
    struct em_pool *p = em_pool_new();
    T_EQ_STR(em_norm_display(p, "  装置②（アナログ）\r\n二行目\u3000 ", strlen("  装置②（アナログ）\r\n二行目\u3000 ")),
             "装置②（アナログ）\n二行目");
    const char *r = em_norm_display(p, "ab\xe3\x81", 4);
    T_ASSERT(g_utf8_validate(r, -1, NULL) && strncmp(r, "ab\xef\xbf\xbd", 5) == 0);
    em_pool_free(p);
}

/* ASCII cells take a short cut (no NFKC copy): the same keys and values as the general
 * path, over random ASCII with every space-like control, in every buffer size. The
 * general path is reached through the same text with a non-ASCII character after it
 * (cut off by the length), or through em_norm_compact_nfkc (already-NFKC text). */
static void t_ascii_fast_path(void)
{
    static const char alphabet[] = "aZ09 -._\t\n\r\v\f\x1c\x1f\x7f#";
    GRand *r = g_rand_new_with_seed(7);
    struct em_pool *p = em_pool_new();
    for (int n = 0; n < 3000; n++) {
        char s[40];
        int len = g_rand_int_range(r, 0, 30);
        for (int i = 0; i < len; i++) s[i] = alphabet[g_rand_int_range(r, 0, (gint32)sizeof alphabet - 1)];
        s[len] = '\0';
        for (size_t size = 1; size < 36; size += 3) {
            char fast[64], slow[64];
            em_norm_compact(s, (size_t)len, fast, size);
            em_norm_compact_nfkc(s, (size_t)len, slow, size);
            T_EQ_STR(fast, slow);
        }
        /* em_norm_value: the trimmed text, as the NFKC path trims (GLib's spaces) */
        const char *v = em_norm_value(p, s, (size_t)len);
        const char *b = s, *e = s + len;
        while (b < e && g_unichar_isspace((unsigned char)*b)) b++;
        while (e > b && g_unichar_isspace((unsigned char)e[-1])) e--;
        T_EQ_INT(strlen(v), e - b);
        T_ASSERT(strncmp(v, b, (size_t)(e - b)) == 0);
    }
    em_pool_free(p);
    g_rand_free(r);
}

/* The ASCII short cut of the space test agrees with GLib on every code point. */
static void t_space_every_code_point(void)
{
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        bool want = g_unichar_isspace(c) || c == 0x3000 || c == 0xFEFF || c == 0x200B;
        if (em_norm_is_space(c) != want) T_FAIL("U+%04X: %d, GLib says %d", (unsigned)c, em_norm_is_space(c), want);
    }
    T_ASSERT(!em_norm_is_space('\v'));
    T_ASSERT(em_norm_is_space(0x3000));
}

static const struct t_case cases[] = {
    {"norm: the space test agrees with GLib on every code point", t_space_every_code_point},
    {"norm: ASCII short cut gives the general path's keys and values", t_ascii_fast_path},
    {"norm: a cut into a buffer ends on a whole character", t_trim_cut},
    {"norm: display form trims and repairs, nothing else", t_display},
    {"norm: compact keys (NFKC, spaces, line breaks, width, case)", t_compact},
    {"norm: invalid UTF-8 repaired, no crash", t_invalid_utf8},
    {"norm: truncation keeps whole characters", t_truncation},
    {"norm: values trimmed, header display on one line, vocabulary keys", t_value_and_header},
    {"pool: interning, long strings, growth, alignment, big blocks", t_pool},
};
T_MAIN(cases)
