/* buf.h — render/'s growable text buffer with a size cap, and the escapers every
 * writer needs (HTML/XML, CSV). Internal to render/. */
#ifndef EM_RENDER_BUF_H
#define EM_RENDER_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Hard cap on any one buffer: a diagram label, an HTML report, a DOT text. A report of
 * 100,000 rows stays well below it; past it the buffer refuses and records failure. */
#define EM_BUF_MAX ((size_t)512 * 1024 * 1024)

struct em_buf {
    char *p;          /* NUL-terminated when len > 0 or after em_buf_cstr(); owned */
    size_t len, cap;
    bool failed;      /* an append failed (no memory, the cap, or the sink's write) */
    /* NULL: the buffer holds everything appended. Otherwise the content is streamed:
     * whenever it would pass EM_BUF_CHUNK it is written to sink and emptied, so p holds
     * only the tail not yet written (em_buf_flush writes it). */
    FILE *sink;
};

/* How much a streamed buffer (sink set) holds before it writes to its sink. */
#define EM_BUF_CHUNK ((size_t)1024 * 1024)

void em_buf_add(struct em_buf *b, const char *s, size_t n);
void em_buf_puts(struct em_buf *b, const char *s);
/* Appends s[0..n) with every byte that is not part of valid UTF-8, and every control
 * character but TAB, LF and CR (C0, DEL, C1), replaced by U+FFFD: Graphviz rejects a
 * label with invalid UTF-8, XML parsers reject an SVG with C0 controls, and ESC/CSI
 * must not reach a terminal or a browser. Every escaper below goes through it. */
void em_buf_add_utf8(struct em_buf *b, const char *s, size_t n);
void em_buf_printf(struct em_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void em_buf_vprintf(struct em_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with & < > " ' escaped (HTML text and attributes, Graphviz HTML labels),
 * invalid UTF-8 replaced. */
void em_buf_html(struct em_buf *b, const char *s);
/* Appends s as one CSV field: quoted when it holds , " CR or LF, quotes doubled; a
 * field starting with = + - @ TAB or CR gets a leading apostrophe (no formula). */
void em_buf_csv(struct em_buf *b, const char *s);
/* Always returns a NUL-terminated string (the empty string on a fresh buffer). */
const char *em_buf_cstr(struct em_buf *b);
/* A streamed buffer: writes what it holds to its sink and empties it. Returns 0, or -1
 * (and failed set) when an earlier append or this write failed. No-op without a sink. */
int em_buf_flush(struct em_buf *b);
/* Frees the content; the buffer is then empty and reusable. */
void em_buf_free(struct em_buf *b);

#endif
