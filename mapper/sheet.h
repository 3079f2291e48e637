/* sheet.h — what the record readers (csv.c, xlsx.c) deliver: rows of text cells,
 * one row at a time, so memory does not grow with the sheet. Merged ranges are
 * already applied (every cell of a merged range carries the range's value). */
#ifndef EM_SHEET_H
#define EM_SHEET_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"

/* One non-empty cell: 0-based column, UTF-8 text (NUL-terminated, len bytes). */
struct em_cell {
    int col;
    const char *text;
    size_t len;
};

/* One row: 1-based row number as the spreadsheet shows it, cells in column order.
 * Valid only during the callback. Rows with no cells may be skipped. */
struct em_row {
    long row;
    const struct em_cell *cells;
    size_t n;
    bool date1904;   /* xlsx: the workbook counts serial dates from 1904 (a bare number
                        in a date field is read in that system, mapper/date.h) */
};

/* Row consumer: return 0 to go on, 1 to stop reading this sheet early (not an error),
 * or a negative enum em_rc after filling err (reading stops and that rc is returned). */
typedef int (*em_row_fn)(void *ctx, const struct em_row *row, struct em_err *err);

/* Caps for untrusted input. */
#define EM_MAX_CELL_BYTES   (32 * 1024)     /* Excel's own limit is 32,767 characters */
#define EM_MAX_ROWS         1048576         /* Excel's row limit */
#define EM_MAX_COLS         16384           /* Excel's column limit (XFD) */
#define EM_MAX_ROW_CELLS    1024            /* cells kept per row; more is an error */

#endif
