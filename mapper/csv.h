/* csv.h — CSV records reader: UTF-8 (with or without BOM) or CP932/Shift_JIS as
 * Excel in Japan saves it (detected and converted with iconv), CRLF or LF, RFC 4180
 * quoting with embedded newlines and doubled quotes. */
#ifndef EM_CSV_H
#define EM_CSV_H
#include <stdio.h>

#include "mapper/sheet.h"

/* Reads every row of the CSV file at path and hands it to fn (row numbers count
 * physical records, 1-based, as Excel would show them). Returns 0, or a negative
 * enum em_rc with err filled (file, row and a message). */
int em_csv_read(const char *path, em_row_fn fn, void *ctx, struct em_err *err);

/* The same over a memory buffer (tests, fuzzing); name is used in errors. */
int em_csv_read_mem(const char *name, const char *data, size_t len, em_row_fn fn,
                    void *ctx, struct em_err *err);

#endif
