/* Unit tests for the pull JSON reader (mapper/jsonpull.c): token order, escapes,
 * strict grammar, caps, and a stream read in chunks giving the same tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/jsonpull.h"
#include "t.h"

/* The tokens of s as a compact string: { } [ ] k:KEY s:STR n:NUM t f z E(rror) . (end) */
static void tokens(struct em_jp *p, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (int guard = 0; guard < 1000; guard++) {
        enum em_jp_tok t = em_jp_next(p);
        char buf[300];
        const char *txt = em_jp_text(p, NULL);
        switch (t) {
        case EM_JP_OBJ: snprintf(buf, sizeof buf, "{"); break;
        case EM_JP_OBJ_END: snprintf(buf, sizeof buf, "}"); break;
        case EM_JP_ARR: snprintf(buf, sizeof buf, "["); break;
        case EM_JP_ARR_END: snprintf(buf, sizeof buf, "]"); break;
        case EM_JP_KEY: snprintf(buf, sizeof buf, "k:%s ", txt); break;
        case EM_JP_STR: snprintf(buf, sizeof buf, "s:%s ", txt); break;
        case EM_JP_NUM: snprintf(buf, sizeof buf, "n:%s ", txt); break;
        case EM_JP_TRUE: snprintf(buf, sizeof buf, "t"); break;
        case EM_JP_FALSE: snprintf(buf, sizeof buf, "f"); break;
        case EM_JP_NULL: snprintf(buf, sizeof buf, "z"); break;
        case EM_JP_ERROR: snprintf(buf, sizeof buf, "E%d", (int)em_jp_error(p)); break;
        case EM_JP_END: snprintf(buf, sizeof buf, "."); break;
        }
        size_t n = strlen(buf);
        if (o + n + 1 >= size) break;
        memcpy(out + o, buf, n + 1);
        o += n;
        if (t == EM_JP_ERROR || t == EM_JP_END) break;
    }
}

static const char *run(const char *s)
{
    static char out[2000];
    struct em_jp *p = em_jp_new_mem(s, strlen(s), 1 << 20, 8, 64);
    tokens(p, out, sizeof out);
    em_jp_free(p);
    return out;
}

static void t_tokens(void)
{
    T_EQ_STR(run("{\"a\": [1, -2.5e3, true, false, null, \"x\"], \"b\": {}}"),
             "{k:a [n:1 n:-2.5e3 tfzs:x ]k:b {}}.");
    T_EQ_STR(run("  \"top\"  \n"), "s:top .");
    T_EQ_STR(run("[]"), "[].");
    T_EQ_STR(run("\"\\u00e9\\ud83d\\ude00\\n\\\"\""), "s:\xc3\xa9\xf0\x9f\x98\x80\n\" .");
}

static void t_errors(void)
{
    T_EQ_STR(run("{\"a\" 1}"), "{k:a E1");             /* missing colon */
    T_EQ_STR(run("[1,]"), "[n:1 E1");                 /* trailing comma */
    T_EQ_STR(run("[1 2]"), "[n:1 E1");
    T_EQ_STR(run("{\"a\":1"), "{k:a n:1 E2");         /* cut short */
    T_EQ_STR(run("[01]"), "[n:0 E1");                 /* leading zero */
    T_EQ_STR(run("{} x"), "{}E6");                    /* trailing data */
    T_EQ_STR(run("[[[[[[[[[1]]]]]]]]]"), "[[[[[[[[E3"); /* depth 8 */
    T_EQ_STR(run("\"a\x01\""), "E1");                  /* raw control character */
    T_EQ_STR(run("\"\\ud800x\""), "E1");              /* lone high surrogate */
    T_EQ_STR(run(""), "E2");
    T_EQ_STR(run("tru"), "E2");
}

static void t_caps(void)
{
    char big[300];
    memset(big, 'a', sizeof big);
    big[0] = '"'; big[sizeof big - 2] = '"'; big[sizeof big - 1] = '\0';
    struct em_jp *p = em_jp_new_mem(big, strlen(big), 1 << 20, 8, 64);
    T_EQ_INT(em_jp_next(p), EM_JP_STR);
    size_t n;
    em_jp_text(p, &n);
    T_EQ_INT(n, 64);
    T_ASSERT(em_jp_cut(p));
    em_jp_free(p);
    p = em_jp_new_mem("[1, 2, 3]", 9, 5, 8, 64);     /* byte cap */
    T_EQ_INT(em_jp_next(p), EM_JP_ARR);
    T_EQ_INT(em_jp_next(p), EM_JP_NUM);
    T_EQ_INT(em_jp_next(p), EM_JP_NUM);
    T_EQ_INT(em_jp_next(p), EM_JP_ERROR);
    T_EQ_INT(em_jp_error(p), EM_JP_EBIG);
    em_jp_free(p);
}

static void t_stream_and_skip(void)
{
    /* a document longer than one 64 KiB chunk, read from a stream */
    FILE *f = tmpfile();
    T_ASSERT(f);
    fputs("{\"skip\": [", f);
    for (int i = 0; i < 20000; i++) fprintf(f, "%s{\"k\": \"v%d\", \"n\": [%d]}", i ? "," : "", i, i);
    fputs("],\n\"keep\": \"yes\"}\n", f);
    rewind(f);
    struct em_jp *p = em_jp_new_file(f, 1 << 24, 8, 64);
    T_EQ_INT(em_jp_next(p), EM_JP_OBJ);
    T_EQ_INT(em_jp_next(p), EM_JP_KEY);
    T_EQ_INT(em_jp_skip(p, em_jp_next(p)), 0);
    T_EQ_INT(em_jp_next(p), EM_JP_KEY);
    T_EQ_STR(em_jp_text(p, NULL), "keep");
    T_EQ_INT(em_jp_line(p), 2);
    T_EQ_INT(em_jp_next(p), EM_JP_STR);
    T_EQ_STR(em_jp_text(p, NULL), "yes");
    T_EQ_INT(em_jp_next(p), EM_JP_OBJ_END);
    T_EQ_INT(em_jp_next(p), EM_JP_END);
    T_EQ_INT(em_jp_next(p), EM_JP_END);
    em_jp_free(p);
    fclose(f);
}

static const struct t_case cases[] = {
    {"jsonpull_tokens", t_tokens},
    {"jsonpull_grammar_errors", t_errors},
    {"jsonpull_caps", t_caps},
    {"jsonpull_stream_and_skip", t_stream_and_skip},
};
T_MAIN(cases)
