/* fuzz_discjson.c — libFuzzer target: DISC.json read by the streaming reader and
 * merged into a small declared model (mapper/discread.c, mapper/discovered.c). A
 * refusal must carry a message; an accepted file must leave a model whose edges name
 * existing devices. Seeds: tests/fuzz/corpus/discjson/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/discovered.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct em_model *model(void)
{
    struct em_model *m = em_model_new();
    if (!m) abort();
    size_t l = em_model_add_line(m), p = em_model_add_path(m), d = em_model_add_device(m);
    if (l == EM_NONE || p == EM_NONE || d == EM_NONE) abort();
    m->lines[l].line_no = "1";
    m->lines[l].id = "line-1";
    m->paths[p].src = (struct em_src){"records.csv", "", 2};
    m->paths[p].line = l;
    m->paths[p].dev[0] = d;
    m->paths[p].dev[1] = EM_NONE;
    m->paths[p].global_ip = "203.0.113.10";
    m->paths[p].col_global_ip = "グローバルIPアドレス";
    struct em_device *x = &m->devices[d];
    x->id = "dev-1-1";
    x->type = EM_DEV_ROUTER;
    x->type_raw = x->maker = x->model = x->firmware = x->location = "";
    x->hostname = "rt01";
    x->mgmt_ip = "10.1.0.1";
    x->line_no = "1";
    x->source = EM_SRC_DECLARED;
    x->src = (struct em_src){"records.csv", "", 2};
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_model *m = model();
    struct em_err err;
    em_err_clear(&err);
    int rc = em_discovered_merge_mem(m, "fuzz.json", (const char *)data, size, &err);
    if (rc != 0 && (err.rc == 0 || err.msg[0] == '\0')) abort();
    for (size_t i = 0; rc == 0 && i < m->n_edges; i++)
        if (!m->edges[i].from || !m->edges[i].to || !m->edges[i].id) abort();
    em_model_free(m);
    return 0;
}
