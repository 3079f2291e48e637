/* fuzz_json_str.c — libFuzzer target, differential: the model JSON's string escaper
 * (mapper/json_str.h) must write byte for byte what the escaper it replaced wrote
 * (tests/unit/json_ref.h), for any bytes. The input's first byte places the string
 * in the 64 KiB buffer (so the room checks and flushes are crossed), the rest, split
 * at NUL bytes, are the strings. Seeds: tests/fuzz/corpus/json_str/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/json_str.h"
#include "tests/unit/json_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct grow {
    char *p;
    size_t n, cap;
};

/* em_wbuf_sink into a growing buffer (aborts out of memory: a fuzzer finding). */
static int sink(void *ctx, const char *p, size_t n)
{
    struct grow *g = ctx;
    if (g->n + n > g->cap) {
        size_t cap = (g->n + n) * 2;
        char *np = realloc(g->p, cap);
        if (!np) abort();
        g->p = np;
        g->cap = cap;
    }
    memcpy(g->p + g->n, p, n);
    g->n += n;
    return 0;
}

static struct em_wbuf b;

/* What fn writes for s with `at` bytes already in the buffer, into g. */
static void run(void (*fn)(struct em_wbuf *, const char *), const char *s, size_t at, struct grow *g)
{
    g->n = 0;
    em_wbuf_init_sink(&b, sink, g);
    memset(b.buf, '.', at);
    b.n = at;
    fn(&b, s);
    if (em_wbuf_flush(&b) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    /* 0, a little way in, or up to 255 bytes before the end of the buffer */
    size_t at = data[0] < 128 ? data[0] : EM_WBUF_SIZE - (data[0] - 127u);
    static struct grow want, got;
    size_t off = 1;
    do {
        const char *s = (const char *)data + off;
        size_t len = off < size ? strnlen(s, size - off) : 0;
        char *str = malloc(len + 1);
        if (!str) abort();
        memcpy(str, s, len);
        str[len] = '\0';
        run(ref_str, str, at, &want);
        run(em_json_str, str, at, &got);
        if (want.n != got.n || memcmp(want.p, got.p, want.n) != 0) abort();
        free(str);
        off += len + 1;
    } while (off < size);
    return 0;
}
