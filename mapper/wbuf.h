/* wbuf.h — a buffered writer for big text outputs (the model JSON, reports): bytes are
 * gathered in a 64 KiB buffer and handed to stdio with one fwrite per buffer, instead
 * of one locked stdio call per byte (fputc was 39 % of `check --format json` on the
 * 100,000-row benchmark). The stream itself is untouched (no setvbuf), so it works on
 * stdout whatever was written before. A writer that formats many small pieces asks for
 * room once per piece (em_wbuf_room) and writes straight into the buffer; a sink can
 * take the bytes instead of a FILE (the JSON writer's second thread fills memory).
 * Implemented in wbuf.c. */
#ifndef EM_WBUF_H
#define EM_WBUF_H
#include <stdio.h>
#include <string.h>

#define EM_WBUF_SIZE (64u * 1024u)

/* Where a buffer's bytes go instead of a FILE (em_wbuf_init_sink): 0, or -1 when
 * they could not be taken (a write error). */
typedef int (*em_wbuf_sink)(void *ctx, const char *p, size_t n);

struct em_wbuf {
    FILE *f;
    em_wbuf_sink sink;      /* when set, flushes go here instead of to f */
    void *sink_ctx;
    size_t n;               /* bytes in buf */
    int err;                /* a write failed: everything after is dropped */
    char buf[EM_WBUF_SIZE];
};

/* Starts writing to f (not owned: the caller closes it). */
void em_wbuf_init(struct em_wbuf *b, FILE *f);
/* Starts writing to sink(ctx, …) (the model JSON's second thread writes into memory). */
void em_wbuf_init_sink(struct em_wbuf *b, em_wbuf_sink sink, void *ctx);
/* Writes the buffered bytes to f. 0, or -1 when this or an earlier write failed. The
 * caller flushes before using f itself and before the buffer goes out of scope. */
int em_wbuf_flush(struct em_wbuf *b);
/* Appends s[0..n) when it does not fit in the buffer (em_wbuf_write's slow path); a
 * block as big as the buffer goes out without being copied into it. */
void em_wbuf_write_slow(struct em_wbuf *b, const char *s, size_t n);
/* Appends printf-formatted text (at most 255 bytes: numbers, escapes; longer text is a
 * write error, reported by em_wbuf_flush, not cut short). */
void em_wbuf_printf(struct em_wbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Makes room for n more bytes (n <= EM_WBUF_SIZE) and returns where they go: a writer
 * formats straight into the buffer, checking the room once for a whole run of bytes
 * instead of once per byte, then says how far it wrote with em_wbuf_done(). */
static inline char *em_wbuf_room(struct em_wbuf *b, size_t n)
{
    if (n > sizeof b->buf - b->n) em_wbuf_flush(b);
    return b->buf + b->n;
}

/* Ends a write begun with em_wbuf_room(): end is one past the last byte written. */
static inline void em_wbuf_done(struct em_wbuf *b, char *end)
{
    b->n = (size_t)(end - b->buf);
}

static inline void em_wbuf_putc(struct em_wbuf *b, char c)
{
    if (b->n == sizeof b->buf) em_wbuf_flush(b);
    b->buf[b->n++] = c;
}

/* Appends s[0..n). */
static inline void em_wbuf_write(struct em_wbuf *b, const char *s, size_t n)
{
    if (n <= sizeof b->buf - b->n) {
        memcpy(b->buf + b->n, s, n);
        b->n += n;
    } else {
        em_wbuf_write_slow(b, s, n);
    }
}

static inline void em_wbuf_puts(struct em_wbuf *b, const char *s)
{
    em_wbuf_write(b, s, strlen(s));
}

#endif
