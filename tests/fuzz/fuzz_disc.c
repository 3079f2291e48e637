/* fuzz_disc.c — libFuzzer target: the DISC.json reader and merge (mapper/discovered.c,
 * public entry point em_discovered_merge_mem) on a small model with two declared
 * devices on one line. Errors must be clean (rc < 0 with a message) and leave the
 * model unchanged; a second merge of the same input must add nothing (the same file is
 * merged once). Seeds: tests/fuzz/corpus/disc/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/discovered.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* line 1 with one path: rt01 (192.168.1.1) — fw01 (10.0.0.1), global 203.0.113.10, and
 * the chain's declared edge rt01 → fw01 (a link between them is recorded on it) */
static struct em_model *model(void)
{
    struct em_model *m = em_model_new();
    if (!m) abort();
    size_t l = em_model_add_line(m);
    size_t p = em_model_add_path(m);
    size_t d0 = em_model_add_device(m), d1 = em_model_add_device(m);
    if (l == EM_NONE || p == EM_NONE || d0 == EM_NONE || d1 == EM_NONE) abort();
    m->lines[l].line_no = "1";
    m->lines[l].id = "line-1";
    m->paths[p].src = (struct em_src){"records.csv", "", 2};
    m->paths[p].line = l;
    m->paths[p].global_ip = "203.0.113.10";
    m->paths[p].col_global_ip = "グローバルIPアドレス";
    const char *ids[2] = {"dev-1-1", "dev-1-2"}, *hosts[2] = {"rt01", "fw01"};
    const char *ips[2] = {"192.168.1.1", "10.0.0.1"};
    for (int k = 0; k < 2; k++) {
        struct em_device *d = &m->devices[k ? d1 : d0];
        d->id = ids[k];
        d->hostname = hosts[k];
        d->mgmt_ip = ips[k];
        d->maker = d->model = d->firmware = d->location = d->type_raw = "";
        d->src = (struct em_src){"records.csv", "", 2};
        d->slot = k + 1;
        d->line_no = "1";
        m->paths[p].dev[k] = k ? d1 : d0;
    }
    size_t e = em_model_add_edge(m);
    if (e == EM_NONE) abort();
    m->edges[e].from = ids[0];
    m->edges[e].to = ids[1];
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_model *m = model();
    struct em_err err;
    em_err_clear(&err);
    int rc = em_discovered_merge_mem(m, "fuzz.json", (const char *)data, size, &err);
    if (rc < 0) {
        if (err.rc != rc || err.msg[0] == '\0') abort();
        if (m->n_devices != 2 || m->n_edges != 1 || m->n_findings || m->n_sources) abort();
    } else {
        if (rc != 0) abort();
        size_t nd = m->n_devices, ne = m->n_edges, nf = m->n_findings;
        for (size_t i = 0; i < m->n_devices; i++)
            if (!m->devices[i].id || !m->devices[i].hostname) abort();
        em_err_clear(&err);
        if (em_discovered_merge_mem(m, "fuzz.json", (const char *)data, size, &err) != 0) abort();
        if (m->n_devices != nd || m->n_edges != ne || m->n_findings != nf) abort();
    }
    em_model_free(m);
    return 0;
}
