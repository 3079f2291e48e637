/* json_write — the model JSON writer alone, for docs/PERFORMANCE.md: loads a records
 * file once (as `check` does), then writes its model JSON to /dev/null ROUNDS times,
 * alternating one thread and two (mapper/json_par.h), and prints the wall and CPU
 * time of each write and the best of each kind. The loading is not timed, so the
 * writer's figures are not lost in the noise of a 2.5 s run on a shared machine.
 *   json_write FILE [ROUNDS (3)] [DATA_DIR (data)]   ONE=1: one thread only */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mapper/json.h"
#include "mapper/json_par.h"
#include "mapper/records.h"

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: json_write FILE [ROUNDS] [DATA_DIR]\n");
        return 2;
    }
    char *end;
    long rounds = argc > 2 ? strtol(argv[2], &end, 10) : 3;
    if (argc > 2 && (*end || rounds < 1 || rounds > 1000)) {
        fprintf(stderr, "json_write: ROUNDS is a number from 1 to 1000\n");
        return 2;
    }
    struct em_model *m = em_model_new();
    m->survey_date = "2026-11-25";
    struct em_err err;
    em_err_clear(&err);
    if (em_records_load(m, argv[1], &err) != 0 || em_model_finish(m, argc > 3 ? argv[3] : "data", &err) != 0) {
        fprintf(stderr, "json_write: %s: %s\n", argv[1], err.msg);
        em_model_free(m);
        return 2;
    }
    FILE *f = fopen("/dev/null", "w");
    if (!f) return 2;
    int kinds = getenv("ONE") ? 1 : 2;
    double best[2][2] = {{1e9, 1e9}, {1e9, 1e9}};
    for (long r = 0; r < rounds; r++)
        for (int two = 0; two < kinds; two++) {
            em_json_par_set(two ? EM_JSON_PAR_MIN_CHUNKS : SIZE_MAX, 1);
            double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
            if (em_model_write_json(f, m, NULL, NULL) != 0) {
                fprintf(stderr, "json_write: write failed\n");
                return 1;
            }
            double w = seconds(CLOCK_MONOTONIC) - w0, c = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
            printf("%s thread%s: wall %.3f s, cpu %.3f s\n", two ? "two" : "one", two ? "s" : "", w, c);
            if (w < best[two][0]) best[two][0] = w;
            if (c < best[two][1]) best[two][1] = c;
        }
    printf("best of %ld: one thread wall %.3f s cpu %.3f s", rounds, best[0][0], best[0][1]);
    if (kinds == 2) printf("; two threads wall %.3f s cpu %.3f s", best[1][0], best[1][1]);
    printf("\n");
    em_json_par_set(EM_JSON_PAR_MIN_CHUNKS, 1);
    fclose(f);
    em_model_free(m);
    return 0;
}
