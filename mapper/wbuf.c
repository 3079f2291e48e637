/* wbuf.c — the buffered writer of wbuf.h. */
#include "mapper/wbuf.h"

#include <stdarg.h>

void em_wbuf_init(struct em_wbuf *b, FILE *f)
{
    b->f = f;
    b->sink = NULL;
    b->sink_ctx = NULL;
    b->n = 0;
    b->err = 0;
}

void em_wbuf_init_sink(struct em_wbuf *b, em_wbuf_sink sink, void *ctx)
{
    em_wbuf_init(b, NULL);
    b->sink = sink;
    b->sink_ctx = ctx;
}

/* Hands s[0..n) to the sink or the FILE; a failure is remembered in b->err. */
static void out(struct em_wbuf *b, const char *s, size_t n)
{
    if (n == 0 || b->err) return;
    if (b->sink ? b->sink(b->sink_ctx, s, n) != 0 : fwrite(s, 1, n, b->f) != n) b->err = 1;
}

int em_wbuf_flush(struct em_wbuf *b)
{
    out(b, b->buf, b->n);
    b->n = 0;
    return b->err ? -1 : 0;
}

void em_wbuf_write_slow(struct em_wbuf *b, const char *s, size_t n)
{
    if (n >= sizeof b->buf) {   /* a block: no copy through the buffer */
        em_wbuf_flush(b);
        out(b, s, n);
        return;
    }
    while (n > 0) {
        if (b->n == sizeof b->buf) em_wbuf_flush(b);
        size_t k = sizeof b->buf - b->n;
        if (k > n) k = n;
        memcpy(b->buf + b->n, s, k);
        b->n += k;
        s += k;
        n -= k;
    }
}

void em_wbuf_printf(struct em_wbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    /* longer than the contract allows: an error, never a silently cut output */
    if (k < 0 || (size_t)k >= sizeof tmp) {
        b->err = 1;
        return;
    }
    em_wbuf_write(b, tmp, (size_t)k);
}
