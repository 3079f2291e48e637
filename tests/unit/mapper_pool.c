/* mapper_pool.c — the string pool and the model's small containers as the 100,000-row
 * import relies on them: interning (short values, long messages at any length), copies
 * that are never interned, the intern table growing past many thousands of strings,
 * lists aligned for their element, and findings sorted in a stable order (equal
 * findings keep the order they were added in). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/model.h"
/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})
#include "mapper/pool.h"
#include "mapper/wbuf.h"
#include "tests/unit/t.h"

static void test_intern(void)
{
    struct em_pool *p = em_pool_new();
    T_ASSERT(p);
    char a[] = "ヤマハ", b[] = "ヤマハ";
    const char *x = em_pool_str(p, a), *y = em_pool_str(p, b);
    T_ASSERT(x == y);                           /* short values: one copy */
    T_EQ_STR(x, "ヤマハ");
    T_ASSERT(em_pool_strn(p, "ヤマハ株式会社", strlen("ヤマハ")) == x);   /* by length, not NUL */
    /* longer than 64 bytes: em_pool_strn copies, em_pool_intern shares */
    char longs[200];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    T_ASSERT(em_pool_str(p, longs) != em_pool_str(p, longs));
    const char *l1 = em_pool_intern(p, longs, strlen(longs));
    T_ASSERT(l1 == em_pool_intern(p, longs, strlen(longs)));
    T_EQ_STR(l1, longs);
    /* a prefix is another string */
    T_ASSERT(em_pool_intern(p, longs, 150) != l1);
    T_EQ_INT(strlen(em_pool_intern(p, longs, 150)), 150);
    /* never interned: equal texts, two copies, and the interned one is left alone */
    const char *o1 = em_pool_strn_once(p, "ヤマハ", strlen("ヤマハ"));
    T_ASSERT(o1 != x);
    T_EQ_STR(o1, "ヤマハ");
    T_ASSERT(em_pool_str(p, "ヤマハ") == x);
    const char *e1 = em_pool_printf_once(p, "e-%s--%s", "line-1", "dev-1-1");
    const char *e2 = em_pool_printf_once(p, "e-%s--%s", "line-1", "dev-1-1");
    T_ASSERT(e1 != e2);
    T_EQ_STR(e1, "e-line-1--dev-1-1");
    T_ASSERT(em_pool_strn_once(p, NULL, 3) == NULL);
    T_ASSERT(em_pool_intern(p, NULL, 3) == NULL);
    /* a printf longer than the small buffer */
    const char *big = em_pool_printf_once(p, "%s%s", longs, longs);
    T_EQ_INT(strlen(big), 2 * strlen(longs));
    em_pool_free(p);
}

/* Many distinct strings: every one comes back as itself after the table has grown many
 * times (the table moves each slot by its stored hash). */
static void test_intern_many(void)
{
    struct em_pool *p = em_pool_new();
    enum { N = 50000 };
    static const char *v[N];
    char buf[64];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "rt-%06d", i);
        v[i] = em_pool_str(p, buf);
        T_ASSERT(v[i]);
    }
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "rt-%06d", i);
        T_ASSERT(em_pool_str(p, buf) == v[i]);
        T_EQ_STR(v[i], buf);
    }
    em_pool_free(p);
}

static void test_aligned_lists(void)
{
    struct em_model *m = em_model_new();
    int *rows = NULL;
    size_t n_rows = 0;
    struct em_src *srcs = NULL;
    size_t n_srcs = 0;
    size_t *ix = NULL;
    size_t n_ix = 0;
    for (int i = 0; i < 1000; i++) {
        T_EQ_INT(em_model_push_int(m, &rows, &n_rows, i), 0);
        T_EQ_INT(em_model_push_src(m, &srcs, &n_srcs, (struct em_src){"f", "s", i}), 0);
        T_EQ_INT(em_model_push_index(m, &ix, &n_ix, (size_t)i * 3), 0);
        /* each list stays aligned for its element */
        T_EQ_INT((uintptr_t)rows % _Alignof(int), 0);
        T_EQ_INT((uintptr_t)srcs % _Alignof(struct em_src), 0);
        T_EQ_INT((uintptr_t)ix % _Alignof(size_t), 0);
    }
    for (int i = 0; i < 1000; i++) {
        T_EQ_INT(rows[i], i);
        T_EQ_INT(srcs[i].row, i);
        T_EQ_INT(ix[i], (size_t)i * 3);
    }
    /* a one-int list costs its 4 bytes, not a max_align_t block (16): 20,000 of them
       take 80 KB (two 64 KiB chunks), not 320 KB (five) */
    size_t before = em_pool_bytes(m->pool);
    enum { ONES = 20000 };
    static int *one[ONES];
    static size_t n_one[ONES];
    for (int i = 0; i < ONES; i++) {
        one[i] = NULL;
        n_one[i] = 0;
        T_EQ_INT(em_model_push_int(m, &one[i], &n_one[i], i), 0);
    }
    T_ASSERT(em_pool_bytes(m->pool) - before <= 3 * (64 * 1024 + 64));
    for (int i = 0; i < ONES; i++) T_EQ_INT(one[i][0], i);
    em_model_free(m);
}

/* Findings equal in every sorted field (file, sheet, row, severity, code, column) keep
 * the order they were added in; the rest is ordered by row. */
static void test_sort_stable(void)
{
    struct em_model *m = em_model_new();
    m->sources = malloc(sizeof *m->sources);   /* the model frees it */
    T_ASSERT(m->sources);
    m->sources[0] = em_pool_str(m->pool, "s.xlsx");
    m->n_sources = 1;
    enum { N = 3000 };
    for (int i = 0; i < N; i++) {
        struct em_src src = {"s.xlsx", "sheet", 10 + (N - i) % 7};
        T_EQ_INT(em_model_add_finding(m, "E-DEVICE-CONFLICT", EM_SEV_ERROR, &src, "装置② 機種名", "L-1",
                                      "message %05d", i), 0);
    }
    em_model_sort_findings(m);
    T_EQ_INT(m->n_findings, N);
    for (size_t i = 1; i < m->n_findings; i++) {
        const struct em_finding *a = &m->findings[i - 1], *b = &m->findings[i];
        T_ASSERT(a->row <= b->row);
        if (a->row == b->row) T_ASSERT(strcmp(MSG(a), MSG(b)) < 0);   /* added in this order */
    }
    em_model_free(m);
}

/* The JSON writer's buffer: printf output within its 255 bytes goes through whole; longer
 * output is a write error at the flush, never a cut text. */
static void test_wbuf_printf(void)
{
    FILE *f = tmpfile();
    T_ASSERT(f != NULL);
    struct em_wbuf b;
    em_wbuf_init(&b, f);
    em_wbuf_printf(&b, "\\u%04x", 0x1b);
    T_EQ_INT(em_wbuf_flush(&b), 0);
    char got[16] = {0};
    rewind(f);
    T_EQ_INT((int)fread(got, 1, sizeof got - 1, f), 6);
    T_EQ_STR(got, "\\u001b");
    char long_text[300];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    em_wbuf_printf(&b, "%s", long_text);
    T_EQ_INT(em_wbuf_flush(&b), -1);
    fclose(f);
}

static const struct t_case cases[] = {
    {"wbuf: printf whole within its limit, an error past it (never cut)", test_wbuf_printf},
    {"pool: short values and long messages interned, ids copied once", test_intern},
    {"pool: 50,000 distinct values survive the table's growth", test_intern_many},
    {"model lists: aligned for their element, 4 bytes for a one-int list", test_aligned_lists},
    {"findings sort: equal findings keep their order", test_sort_stable},
};
T_MAIN(cases)
