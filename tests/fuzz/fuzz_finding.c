/* fuzz_finding.c — libFuzzer target, differential: a finding's message stored packed
 * (template + arguments, mapper/finding.c) must read back byte for byte as the message
 * formatted whole did (vsnprintf into EM_MSG_MAX bytes, a cut character removed,
 * invalid UTF-8 repaired). The input picks a template (first byte), two numbers and up
 * to four NUL-separated arguments: any bytes, control characters, cut UTF-8, % signs.
 * Seeds: tests/fuzz/corpus/finding/. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/model.h"
#include "mapper/norm.h"
#include "tests/unit/finding_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Adds the finding, compares; aborts on any difference. */
#define SAME(...)                                                                             \
    do {                                                                                      \
        char *want_ = old_format(__VA_ARGS__);                                                \
        if (em_model_add_finding(m, "X-FUZZ", EM_SEV_INFO, NULL, NULL, NULL, __VA_ARGS__) != 0) abort(); \
        char b_[EM_MSG_MAX];                                                                  \
        if (strcmp(em_finding_msg(&m->findings[m->n_findings - 1], b_), want_) != 0) abort();  \
        g_free(want_);                                                                        \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) return 0;
    int which = data[0] % 8, n1 = data[1] % 40 - 5, n2 = (int8_t)data[2];
    /* the rest: up to four arguments separated by NUL (C strings cannot hold one) */
    char *rest = g_strndup((const char *)data + 3, size - 3);   /* stops at the first NUL */
    char *arg[4];
    size_t off = 3;
    for (int i = 0; i < 4; i++) {
        const char *s = (const char *)data + off;
        size_t len = off < size ? strnlen(s, size - off) : 0;
        arg[i] = g_strndup(off < size ? s : "", len);
        off += len + 1;
    }
    struct em_model *m = em_model_new();
    if (!m) abort();
    for (int pass = 0; pass < 2; pass++) {   /* the second adds repeat the first: shared */
        switch (which) {
        case 0: SAME("%s", arg[0]); break;
        case 1:
            SAME("装置「%s」は %s と %s で同じ装置として記入されていますが、記入が食い違っています: %s。"
                 "実機を確認して、どちらかに揃えてください", arg[0], arg[1], arg[2], arg[3]);
            break;
        case 2: SAME("%.*s|%-*s|%10.3s|%*d", n1, arg[0], n1, arg[1], arg[2], n1, n2); break;
        case 3: SAME("%d行目 %s 100%% %u %x", n2, arg[0], (unsigned)n1, (unsigned)n2); break;
        case 4: SAME("%c%s%c%s", n2, arg[0], n1, arg[1]); break;
        case 5: SAME("%s%s%s%s", arg[0], arg[1], arg[2], arg[3]); break;
        case 6: SAME("%s", rest); break;
        default: SAME("%g %s %ld %zu %5.2f", n2 / 3.0, arg[0], (long)n1 * n2, (size_t)n1 * 1000u, n1 / 7.0); break;
        }
    }
    em_model_free(m);
    for (int i = 0; i < 4; i++) g_free(arg[i]);
    g_free(rest);
    return 0;
}
