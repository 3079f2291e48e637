/* mapper_fixture.h — a finished model from CSV text, for the mapper unit tests that
 * need records first (rules, scan import, discovery merge). */
#ifndef EM_MAPPER_FIXTURE_H
#define EM_MAPPER_FIXTURE_H
#include <string.h>
#include <unistd.h>

#include "mapper/records.h"

/* Writes text to a temp CSV, reads it into a new model (*m is freed first) judged on
 * 2026-11-25 with the project's data/, and finishes it. Returns the load/finish rc
 * (err filled), or -100/-101 when the temp file cannot be written. */
static int fx_load_csv(struct em_model **m, const char *text, struct em_err *err)
{
    char path[] = "/tmp/em-fixture-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    if (fd < 0) return -100;
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    close(fd);
    if (w != (ssize_t)n) {
        unlink(path);
        return -101;
    }
    em_model_free(*m);
    *m = em_model_new();
    (*m)->survey_date = "2026-11-25";
    em_err_clear(err);
    int rc = em_records_load(*m, path, err);
    if (rc == 0) rc = em_model_finish(*m, "data", err);
    unlink(path);
    return rc;
}
#endif
