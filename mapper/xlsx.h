/* xlsx.h — xlsx (Office Open XML workbook) reader. libzip for the container,
 * libxml2's streaming reader for every part (no DOM, no network, no entities).
 * Sheets are streamed row by row; merged ranges are applied before delivery. */
#ifndef EM_XLSX_H
#define EM_XLSX_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/sheet.h"

struct em_xlsx;

/* Opens the workbook, reads workbook.xml, its relationships and the shared strings.
 * Returns NULL with err filled when the file is missing, not a zip, not a workbook,
 * or over a cap. Caller frees with em_xlsx_close(). */
struct em_xlsx *em_xlsx_open(const char *path, struct em_err *err);
/* The same over a memory buffer (the buffer must outlive the handle). */
struct em_xlsx *em_xlsx_open_mem(const char *name, const void *data, size_t len,
                                 struct em_err *err);
void em_xlsx_close(struct em_xlsx *x);   /* NULL is a no-op */

/* Sheets in workbook order. Names are owned by the handle. */
size_t em_xlsx_sheet_count(const struct em_xlsx *x);
const char *em_xlsx_sheet_name(const struct em_xlsx *x, size_t i);
bool em_xlsx_sheet_hidden(const struct em_xlsx *x, size_t i);

/* Streams sheet i row by row into fn; at most max_rows rows are delivered when
 * max_rows > 0 (header search reads only the first 20). Returns 0, 1 if fn stopped
 * early, or a negative enum em_rc with err filled (file, sheet, row, message). */
int em_xlsx_read_sheet(struct em_xlsx *x, size_t i, long max_rows, em_row_fn fn,
                       void *ctx, struct em_err *err);

/* Caps beyond those of sheet.h (see docs/design-xlsx.md). They are process-wide;
 * tests and the fuzz targets lower them to reach each cap with tiny inputs. */
struct em_xlsx_limits {
    size_t part_bytes;      /* uncompressed size of one zip entry (zip_stat and read) */
    size_t bomb_min_bytes;  /* entries above this size are checked for ... */
    unsigned bomb_ratio;    /* ... an uncompressed:compressed ratio above this */
    int depth;              /* XML element depth */
    size_t sst_count;       /* shared strings */
    size_t sst_bytes;       /* shared strings, total UTF-8 bytes */
    size_t merges;          /* merged ranges per sheet */
    size_t merge_cells;     /* cells filled from merged ranges per sheet read */
    size_t row_bytes;       /* text of one row (inline strings and numbers) */
    size_t sheets;          /* sheets in the workbook */
};
/* The built-in caps. */
struct em_xlsx_limits em_xlsx_limits_default(void);
/* Replaces the caps for every later call; NULL restores the defaults. */
void em_xlsx_set_limits(const struct em_xlsx_limits *lim);

#endif
