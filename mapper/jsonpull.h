/* jsonpull.h — a pull (token-at-a-time) JSON reader for large untrusted documents
 * (DISC.json): memory is one input chunk plus one string, whatever the document's
 * size, so a reader keeps only what it extracts. Strict RFC 8259 grammar; depth,
 * total bytes and string length capped. */
#ifndef EM_JSONPULL_H
#define EM_JSONPULL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum em_jp_tok {
    EM_JP_ERROR = -1,    /* em_jp_error() says what */
    EM_JP_END = 0,       /* end of the document (after the top-level value) */
    EM_JP_OBJ,           /* { */
    EM_JP_OBJ_END,       /* } */
    EM_JP_ARR,           /* [ */
    EM_JP_ARR_END,       /* ] */
    EM_JP_KEY,           /* an object key: em_jp_text() */
    EM_JP_STR,           /* a string value: em_jp_text() */
    EM_JP_NUM,           /* a number: em_jp_text() holds it as written */
    EM_JP_TRUE, EM_JP_FALSE, EM_JP_NULL,
};

enum em_jp_err {
    EM_JP_OK = 0, EM_JP_ESYNTAX, EM_JP_ETRUNC /* ends early */, EM_JP_EDEPTH,
    EM_JP_EBIG /* more than max_bytes */, EM_JP_EIO, EM_JP_ETRAIL /* data after the value */,
};

struct em_jp;

/* A reader over len bytes at buf (not copied: buf must outlive the reader), or over
 * the stream f (read once, never seeked: pipes work; f stays the caller's). At most
 * max_bytes are read (EM_JP_EBIG past that), at most max_depth containers nested.
 * Strings longer than max_str bytes are cut to max_str (em_jp_cut() tells). NULL on
 * allocation failure. Free with em_jp_free(). */
struct em_jp *em_jp_new_mem(const char *buf, size_t len, size_t max_bytes, int max_depth, size_t max_str);
struct em_jp *em_jp_new_file(FILE *f, size_t max_bytes, int max_depth, size_t max_str);
void em_jp_free(struct em_jp *p);

/* The next token. After EM_JP_ERROR or EM_JP_END every call returns the same. */
enum em_jp_tok em_jp_next(struct em_jp *p);
/* Skips the rest of the value whose first token was tok (a container is skipped to
 * its end; a scalar needs nothing). Returns 0, or -1 on a reader error. */
int em_jp_skip(struct em_jp *p, enum em_jp_tok tok);

/* Text of the last KEY/STR/NUM token, NUL-terminated (\u escapes decoded to UTF-8);
 * valid until the next call. len out may be NULL. */
const char *em_jp_text(const struct em_jp *p, size_t *len);
bool em_jp_cut(const struct em_jp *p);
enum em_jp_err em_jp_error(const struct em_jp *p);
/* A short English description of the error ("unexpected character" …). */
const char *em_jp_error_desc(const struct em_jp *p);
long em_jp_line(const struct em_jp *p);          /* 1-based line of the last token */
size_t em_jp_bytes(const struct em_jp *p);       /* bytes consumed so far */

#endif
