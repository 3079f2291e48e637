/* fuzz_drawio.c — libFuzzer target: the --layout reader (mapper/drawio.c,
 * em_drawio_read_mem) on an edited draw.io file. Errors must be clean (a message);
 * every position read must have an id and finite coordinates.
 * Seeds: tests/fuzz/corpus/drawio/. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mapper/drawio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_drawio_pos *p = NULL;
    size_t n = 0;
    struct em_err err = {0};
    int rc = em_drawio_read_mem("fuzz.drawio", (const char *)data, size, &p, &n, &err);
    if (rc != 0) {
        if (err.msg[0] == '\0' || p || n) abort();
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!p[i].id || !isfinite(p[i].x) || !isfinite(p[i].y)) abort();
    em_drawio_free(p, n);
    return 0;
}
