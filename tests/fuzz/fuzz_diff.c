/* fuzz_diff.c — libFuzzer target: the diff command's reader and comparison
 * (mapper/diff.c, em_diff_models) on two model JSON texts. The input is split at the
 * first "\n====\n" (or in half when there is none): old, then new. Errors must be clean
 * (NULL with a message); every change must carry its strings. The old text is also
 * compared with itself (duplicate keys make that non-empty, so only cleanliness is
 * checked). Seeds: tests/fuzz/corpus/diff/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dupz(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) abort();
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void check(struct em_diff *d, const struct em_err *err)
{
    if (!d) {
        if (err->msg[0] == '\0') abort();
        return;
    }
    for (size_t i = 0; i < d->n; i++) {
        const struct em_change *c = &d->changes[i];
        if (!c->kind || !c->key || !c->label || !c->field || !c->old_value || !c->new_value)
            abort();
        (void)em_diff_op_label(c->op);
        (void)em_diff_field_label(c->field);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char sep[] = "\n====\n";
    size_t cut = size / 2, skip = 0;
    for (size_t i = 0; i + 6 <= size; i++) {
        if (memcmp(data + i, sep, 6) == 0) {
            cut = i;
            skip = 6;
            break;
        }
    }
    char *a = dupz(data, cut), *b = dupz(data + cut + skip, size - cut - skip);
    struct em_err err;
    em_err_clear(&err);
    struct em_diff *d = em_diff_models(a, "old.json", b, "new.json", &err);
    check(d, &err);
    em_diff_free(d);
    em_err_clear(&err);
    d = em_diff_models(a, "old.json", a, "old.json", &err);
    check(d, &err);
    em_diff_free(d);
    free(a);
    free(b);
    return 0;
}
