/* mapper_vcache.c — the loader's caches of repeated cell texts (mapper/vcache.h): a hit
 * is always the value stored for exactly that text (length and bytes, not a prefix, not
 * another text sharing the slot), texts past the limits are never cached, and a tiny
 * cache thrashed by thousands of texts still never answers wrongly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/vcache.h"
#include "tests/unit/t.h"

static void test_text_cache(void)
{
    struct em_vcache *c = em_vcache_new(4);
    T_ASSERT(c);
    static const char yamaha[] = "ヤマハ", nec[] = "NEC";
    T_ASSERT(em_vcache_get(c, "ヤマハ", strlen("ヤマハ")) == NULL);
    em_vcache_put(c, "ヤマハ", strlen("ヤマハ"), yamaha);
    T_ASSERT(em_vcache_get(c, "ヤマハ", strlen("ヤマハ")) == yamaha);
    /* by length and bytes: a prefix or a longer text is another text */
    T_ASSERT(em_vcache_get(c, "ヤマハ", 3) == NULL);
    T_ASSERT(em_vcache_get(c, "ヤマハ株式会社", strlen("ヤマハ株式会社")) == NULL);
    /* embedded NUL: compared over the whole length */
    em_vcache_put(c, "a\0b", 3, nec);
    T_ASSERT(em_vcache_get(c, "a\0b", 3) == nec);
    T_ASSERT(em_vcache_get(c, "a\0c", 3) == NULL);
    T_ASSERT(em_vcache_get(c, "a", 1) == NULL);
    /* past the limit: never stored */
    char longs[EM_VCACHE_TEXT_MAX + 2];
    memset(longs, 'x', sizeof longs);
    em_vcache_put(c, longs, EM_VCACHE_TEXT_MAX + 1, yamaha);
    T_ASSERT(em_vcache_get(c, longs, EM_VCACHE_TEXT_MAX + 1) == NULL);
    em_vcache_put(c, longs, EM_VCACHE_TEXT_MAX, yamaha);
    T_ASSERT(em_vcache_get(c, longs, EM_VCACHE_TEXT_MAX) == yamaha);
    /* NULL values are not stored (a failed normalisation is not cached) */
    em_vcache_put(c, "z", 1, NULL);
    T_ASSERT(em_vcache_get(c, "z", 1) == NULL);
    em_vcache_free(c);
}

/* Two slots, 5,000 texts: every answer is NULL or the value of exactly that text. */
static void test_thrash(void)
{
    struct em_vcache *c = em_vcache_new(1);
    T_ASSERT(c);
    enum { N = 5000 };
    static char texts[N][16];
    size_t hits = 0;
    for (int i = 0; i < N; i++) snprintf(texts[i], sizeof texts[i], "v%d", i);
    srand(7);
    for (int round = 0; round < 4 * N; round++) {
        int i = rand() % N;
        const char *got = em_vcache_get(c, texts[i], strlen(texts[i]));
        if (got) {
            hits++;
            T_ASSERT(got == texts[i]);
        }
        em_vcache_put(c, texts[i], strlen(texts[i]), texts[i]);
        /* the text just stored is the one its slot answers for */
        T_ASSERT(em_vcache_get(c, texts[i], strlen(texts[i])) == texts[i]);
    }
    T_ASSERT(hits < (size_t)(4 * N));   /* two slots cannot hold 5,000 texts */
    em_vcache_free(c);
}

static void test_key_cache(void)
{
    struct em_kcache *c = em_kcache_new(3);
    T_ASSERT(c);
    static const char a[] = "RTX 1210", b[] = "RTX 1210";   /* equal text, two addresses */
    char out[EM_VCACHE_KEY_MAX];
    T_EQ_INT(em_kcache_get(c, a, out, sizeof out), 0);
    em_kcache_put(c, a, "rtx1210");
    T_EQ_INT(em_kcache_get(c, a, out, sizeof out), 1);
    T_EQ_STR(out, "rtx1210");
    T_EQ_INT(em_kcache_get(c, b, out, sizeof out), 0);   /* by address: the pool interns */
    /* an output buffer too small is a miss, never a cut key */
    char small[4];
    T_EQ_INT(em_kcache_get(c, a, small, sizeof small), 0);
    /* a key longer than a slot holds is not cached */
    char longk[EM_VCACHE_KEY_MAX + 8];
    memset(longk, 'k', sizeof longk - 1);
    longk[sizeof longk - 1] = '\0';
    em_kcache_put(c, b, longk);
    T_EQ_INT(em_kcache_get(c, b, out, sizeof out), 0);
    em_kcache_free(c);
}

static const struct t_case cases[] = {
    {"vcache: a hit is exactly the text stored (length, bytes, limits)", test_text_cache},
    {"vcache: two slots thrashed by 5,000 texts never answer wrongly", test_thrash},
    {"kcache: by address; small buffers and long keys are misses", test_key_cache},
};
T_MAIN(cases)
