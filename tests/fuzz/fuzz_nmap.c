/* fuzz_nmap.c — libFuzzer target: em_scan_load_mem (nmap XML import) on a small model
 * with declared addresses, a list and CIDR blocks (IPv4 and IPv6). Errors must be clean
 * (rc < 0 with a message, the model unchanged); a second load of the same input must
 * add no finding. Seeds: tests/fuzz/corpus/nmap/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct em_model *model(void)
{
    struct em_model *m = em_model_new();
    if (!m) abort();
    size_t l = em_model_add_line(m);
    size_t p = em_model_add_path(m);
    if (l == EM_NONE || p == EM_NONE) abort();
    m->lines[l].line_no = "1";
    m->lines[l].id = "line-1";
    m->paths[p].src = (struct em_src){"records.csv", "", 2};
    m->paths[p].line = l;
    m->paths[p].dev[0] = m->paths[p].dev[1] = EM_NONE;
    m->paths[p].global_ip = "203.0.113.10, 198.51.100.16/28、2001:db8::/64";
    m->paths[p].col_global_ip = "グローバルIPアドレス";
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_model *m = model();
    struct em_err err;
    em_err_clear(&err);
    int rc = em_scan_load_mem(m, "fuzz.xml", (const char *)data, size, &err);
    if (rc < 0) {
        if (err.rc != rc || err.msg[0] == '\0') abort();
        if (m->n_findings || m->n_services || m->n_scan_hosts || m->n_sources) abort();
    } else {
        size_t n = m->n_findings;
        for (size_t i = 0; i < m->n_services; i++)
            if (!m->services[i].proto || !m->services[i].address || m->services[i].port < 0 ||
                m->services[i].port > 65535)
                abort();
        em_err_clear(&err);
        if (em_scan_load_mem(m, "fuzz.xml", (const char *)data, size, &err) != 0) abort();
        if (m->n_findings != n) abort();
    }
    em_model_free(m);
    return 0;
}
