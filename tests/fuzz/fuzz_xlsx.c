/* fuzz_xlsx.c — libFuzzer target: em_xlsx_open_mem on the input, then every sheet read
 * to the end. Any error must be a clean one (rc < 0 with a message); every delivered
 * cell must be a NUL-terminated string of the stated length, in column order.
 * Seeds: ../shared/corpus/xlsx-excel (see tests/integration/fuzz_replay.sh). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_row(void *ctx, const struct em_row *row, struct em_err *err)
{
    (void)err;
    size_t *cells = ctx;
    if (row->row < 1 || row->row > EM_MAX_ROWS || row->n > EM_MAX_ROW_CELLS) abort();
    for (size_t i = 0; i < row->n; i++) {
        const struct em_cell *c = &row->cells[i];
        if (c->col < 0 || c->col >= EM_MAX_COLS || c->len == 0 || c->len > EM_MAX_CELL_BYTES)
            abort();
        if (strlen(c->text) != c->len) abort();
        if (i > 0 && c->col <= row->cells[i - 1].col) abort();
    }
    *cells += row->n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    if (!init) {
        /* smaller caps keep each input fast and within libFuzzer's memory limit */
        struct em_xlsx_limits l = em_xlsx_limits_default();
        l.part_bytes = 32u << 20;
        l.merge_cells = 1u << 20;
        l.sst_bytes = 16u << 20;
        em_xlsx_set_limits(&l);
        init = 1;
    }
    struct em_err err;
    em_err_clear(&err);
    struct em_xlsx *x = em_xlsx_open_mem("fuzz.xlsx", data, size, &err);
    if (!x) {
        if (err.rc >= 0 || err.msg[0] == '\0') abort();
        return 0;
    }
    size_t cells = 0;
    for (size_t i = 0; i < em_xlsx_sheet_count(x); i++) {
        if (!em_xlsx_sheet_name(x, i)) abort();
        em_err_clear(&err);
        int rc = em_xlsx_read_sheet(x, i, 0, on_row, &cells, &err);
        if (rc < 0 && (err.rc != rc || err.msg[0] == '\0')) abort();
        if (rc > 0) abort();  /* on_row never stops early */
    }
    em_xlsx_close(x);
    return 0;
}
