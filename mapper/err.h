/* err.h — the caller-supplied error record every fallible function fills.
 * Messages are written for the person who filled in the sheet. */
#ifndef EM_ERR_H
#define EM_ERR_H
#include <stddef.h>

enum em_rc {
    EM_OK = 0,
    EM_ERR_IO = -1,      /* cannot open/read/write a file */
    EM_ERR_FORMAT = -2,  /* the file is not what it claims (broken zip, bad XML, ...) */
    EM_ERR_LIMIT = -3,   /* a size cap was hit (entry size, rows, cell length, depth) */
    EM_ERR_NOSHEET = -4, /* no records sheet / no header row */
    EM_ERR_USAGE = -5,   /* bad arguments */
    EM_ERR_NOMEM = -6,
};

struct em_err {
    int rc;              /* one of enum em_rc, 0 when no error was recorded */
    char file[512];      /* file name as given by the user, "" if none */
    char sheet[128];     /* sheet name, "" if none */
    long row;            /* 1-based spreadsheet/CSV row, 0 if unknown */
    char column[128];    /* header text as written in the file, "" if unknown */
    char msg[1024];      /* what went wrong, in the user's words */
};

/* Records an error (first one wins: later calls do nothing if err->rc != 0).
 * err may be NULL. Returns rc so callers can "return em_err_set(...)". For
 * EM_ERR_NOMEM the message is always "out of memory" in the current language. */
int em_err_set(struct em_err *err, int rc, const char *file, const char *sheet,
               long row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Clears an error record. */
void em_err_clear(struct em_err *err);

/* Formats the location and message in the current language (em_lang_get()):
 *   ja: "file: シート「S」 12行目 列「C」: msg"
 *   en: "file: sheet 'S', row 12, column 'C': msg"
 * into buf (always NUL-terminated, never overflows). */
void em_err_format(const struct em_err *err, char *buf, size_t size);

#endif
