/* grid.h — inside book/: a records sheet re-read cell by cell through mapper's
 * readers (xlsx or CSV), for the annotated copy. Not a public header of book/. */
#ifndef EM_BOOK_GRID_H
#define EM_BOOK_GRID_H
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"

struct em_grid_row {
    long row;        /* 1-based, as the spreadsheet shows it */
    size_t n;
    int *col;        /* 0-based columns, ascending */
    char **text;     /* UTF-8, as the reader delivered it */
};

struct em_grid {
    GPtrArray *rows;            /* struct em_grid_row *, in sheet order */
    int ncols;                  /* 1 + the highest column seen */
    long header_row;            /* the row holding 通信形態 (0: none found) */
    long last_header_row;       /* header_row, or the row of device field names below it */
    bool *secret;               /* per column: a password column (never copied) */
    char ***names;              /* per column: NULL-terminated header texts as findings name it */
};

/* Reads sheet (xlsx sheet name) of file, or the CSV file when sheet is NULL or "".
 * Returns NULL with err filled. Free with em_grid_free(). */
struct em_grid *em_grid_read(const char *file, const char *sheet, struct em_err *err);
void em_grid_free(struct em_grid *g);

/* The text of a row's cell at col, "" when empty. */
const char *em_grid_cell(const struct em_grid_row *r, int col);

/* The column a finding's column text names (header text as written, "装置① メーカー"
 * for a grouped device field), or -1. */
int em_grid_column(const struct em_grid *g, const char *column);

#endif
