/* fuzz_csv.c — libFuzzer target: em_csv_read_mem on the input (any encoding, quoting,
 * line ends). Errors must be clean (rc < 0 with a message); cells must be
 * NUL-terminated strings of the stated length. Seeds: tests/fuzz/corpus/csv/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_row(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)err;
    size_t *cells = ctx;
    if (row->row < 1 || row->n > EM_MAX_ROW_CELLS) abort();
    for (size_t i = 0; i < row->n; i++) {
        const struct em_cell *c = &row->cells[i];
        if (c->col < 0 || c->len > EM_MAX_CELL_BYTES) abort();
        if (strlen(c->text) != c->len) abort();
    }
    *cells += row->n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_err err;
    em_err_clear(&err);
    size_t cells = 0;
    int rc = em_csv_read_mem("fuzz.csv", (const char *)data, size, on_row, &cells, &err);
    if (rc < 0 && (err.rc != rc || err.msg[0] == '\0')) abort();
    return 0;
}
