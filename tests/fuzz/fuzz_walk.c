/* fuzz_walk.c — libFuzzer target: the snmpwalk -On dump reader, then the device
 * decoder, link building and nothing else (no I/O). Errors must be clean (rc < 0 with
 * a line number); decoded strings must be NUL-terminated. Seeds: tests/fuzz/corpus/walk/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/dev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_vblist l = {0};
    struct em_err err;
    em_err_clear(&err);
    int rc = em_walk_parse((const char *)data, size, "fuzz.walk", &l, &err);
    if (rc != 0 && (err.rc == 0 || err.msg[0] == '\0')) abort();
    for (size_t i = 0; i < l.n; i++) {
        if (l.v[i].oid_len == 0 || l.v[i].oid_len > EM_OID_MAX) abort();
        if (l.v[i].val_len > EM_VB_VALUE_MAX || l.v[i].val[l.v[i].val_len] != '\0') abort();
    }
    struct em_pool *p = em_pool_new();
    struct em_dev d = {0};
    if (p && em_dev_decode(p, &l, &d) == 0) {
        for (size_t i = 0; i < d.n_rems; i++) {
            if (strlen(em_rem_port_name(&d.rems[i])) > 4 * EM_VB_VALUE_MAX) abort();
            (void)em_dev_port_name(p, &d, d.rems[i].port);
        }
        (void)em_dev_key(p, &d);
    }
    em_dev_clear(&d);
    em_pool_free(p);
    em_vblist_free(&l);
    return 0;
}
