/* fuzz_json_model.c — libFuzzer target for the model JSON writer: the input read as a
 * survey CSV (em_records_load_mem) and finished; its model JSON must parse (json-c) and
 * be the same bytes written by one thread and by two (mapper/json_par.h, one element a
 * chunk), whatever the cells hold (controls, cut or invalid UTF-8, quotes, long text).
 * Run from the source tree (the data/ of em_model_finish). Seeds:
 * tests/fuzz/corpus/json_model/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "mapper/json.h"
#include "mapper/json_par.h"
#include "mapper/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_model *m = em_model_new();
    if (!m) abort();
    m->survey_date = "2026-11-25";
    struct em_err err;
    em_err_clear(&err);
    if (em_records_load_mem(m, "fuzz.csv", (const char *)data, size, &err) != 0 ||
        em_model_finish(m, "data", &err) != 0) {
        em_model_free(m);
        return 0;
    }
    em_json_par_set(SIZE_MAX, 1);
    char *one = em_model_json_string(m, NULL, NULL);
    em_json_par_set(1, 100000);
    char *two = em_model_json_string(m, NULL, NULL);
    em_json_par_set(EM_JSON_PAR_MIN_CHUNKS, 1);   /* the default */
    if (!one || !two || strcmp(one, two) != 0) abort();
    json_object *o = json_tokener_parse(one);
    if (!o) abort();
    json_object_put(o);
    free(one);
    free(two);
    em_model_free(m);
    return 0;
}
