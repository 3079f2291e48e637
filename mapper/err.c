/* err.c — filling and printing the caller-supplied error record. */
#include "mapper/err.h"
#include "mapper/lang.h"
#include "mapper/norm.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t size, const char *src)
{
    if (!src) src = "";
    snprintf(dst, size, "%s", src);
    em_utf8_trim_cut(dst);   /* a long name cut ends on a whole character */
}

int em_err_set(struct em_err *err, int rc, const char *file, const char *sheet,
               long row, const char *column, const char *fmt, ...)
{
    if (!err || err->rc != 0) return rc;
    err->rc = rc;
    copy(err->file, sizeof err->file, file);
    copy(err->sheet, sizeof err->sheet, sheet);
    err->row = row;
    copy(err->column, sizeof err->column, column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    em_utf8_trim_cut(err->msg);
    /* one wording for every out-of-memory, in the user's language, whatever the caller wrote */
    if (rc == EM_ERR_NOMEM) copy(err->msg, sizeof err->msg, em_tr("メモリが足りません", "out of memory"));
    return rc;
}

void em_err_clear(struct em_err *err)
{
    if (err) memset(err, 0, sizeof *err);
}

void em_err_format(const struct em_err *err, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define ADD(...) do { if (n < size) { int k = snprintf(buf + n, size - n, __VA_ARGS__); \
                       if (k > 0) n += (size_t)k; } } while (0)
    int ja = em_lang_get() == EM_LANG_JA;
    if (err->file[0]) ADD("%s: ", err->file);
    if (err->sheet[0]) ADD(ja ? "シート「%s」 " : "sheet '%s', ", err->sheet);
    if (err->row > 0) ADD(ja ? "%ld行目 " : "row %ld, ", err->row);
    if (err->column[0]) ADD(ja ? "列「%s」 " : "column '%s', ", err->column);
    if (n > 0 && (err->sheet[0] || err->row > 0 || err->column[0]) && n < size) {
        /* turn the trailing separator into ": " */
        while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == ',')) buf[--n] = '\0';
        ADD(": ");
    }
    ADD("%s", err->msg);
#undef ADD
    em_utf8_trim_cut(buf);
}
