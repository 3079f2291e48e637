/* fuzz_varbind.c — libFuzzer target: varbind decoding as the crawler sees it, from
 * bytes that stand in for what a hostile agent can send. Input format (all of it is
 * attacker-controlled): repeated records
 *   u8 table  u8 n_index  n_index × u8 index sub-ids  u8 type  u8 len  len bytes value
 * where table picks an OID prefix the decoder knows (LLDP rem/manAddr/loc, IF-MIB,
 * IP-MIB, routes, system). Then em_dev_decode + the LLDP helpers, and the whole input
 * as an SNMPv3 discovery Report (em_v3probe_parse). Seeds:
 * tests/fuzz/corpus/varbind/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/dev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const prefixes[] = {
    "1.0.8802.1.1.2.1.4.1.1.4", "1.0.8802.1.1.2.1.4.1.1.5", "1.0.8802.1.1.2.1.4.1.1.6",
    "1.0.8802.1.1.2.1.4.1.1.7", "1.0.8802.1.1.2.1.4.1.1.8", "1.0.8802.1.1.2.1.4.1.1.9",
    "1.0.8802.1.1.2.1.4.1.1.12", "1.0.8802.1.1.2.1.4.2.1.3", "1.0.8802.1.1.2.1.3.7.1.2",
    "1.0.8802.1.1.2.1.3.7.1.3", "1.0.8802.1.1.2.1.3.7.1.4", "1.0.8802.1.1.2.1.3",
    "1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.4.34.1.3",
    "1.3.6.1.2.1.4.34.1.4", "1.3.6.1.2.1.4.34.1.5", "1.3.6.1.2.1.4.20.1.2",
    "1.3.6.1.2.1.4.20.1.3", "1.3.6.1.2.1.4.24.7.1.7", "1.3.6.1.2.1.4.24.4.1.4",
    "1.3.6.1.2.1.4.21.1.7", "1.3.6.1.2.1.1", "1.3.6.1.6.3.10.2.1.1",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_vblist l = {0};
    size_t i = 0;
    while (i + 2 <= size) {
        uint32_t oid[EM_OID_MAX];
        int n = em_oid_parse(prefixes[data[i] % (sizeof prefixes / sizeof prefixes[0])], oid, EM_OID_MAX);
        size_t ni = data[i + 1];
        i += 2;
        if (n <= 0 || i + ni > size) break;
        for (size_t k = 0; k < ni && (size_t)n < EM_OID_MAX; k++) oid[n++] = data[i + k] >= 250 ? 436383744u + data[i + k] : data[i + k];
        i += ni;
        if (i + 2 > size) break;
        int type = 1 + data[i] % 6;
        size_t len = data[i + 1];
        i += 2;
        if (i + len > size) len = size - i;
        uint64_t u = 0;
        for (size_t k = 0; k < len && k < 8; k++) u = (u << 8) | data[i + k];
        int64_t num = (int64_t)(u >> 1);
        if (type == EM_VB_OID) {
            /* OID values are dotted text: make one from the bytes */
            char txt[4 * 256 + 2];
            size_t o = 0;
            for (size_t k = 0; k < len; k++) {
                unsigned v = data[i + k];
                txt[o++] = '.';
                if (v >= 100) txt[o++] = (char)('0' + v / 100);
                if (v >= 10) txt[o++] = (char)('0' + v / 10 % 10);
                txt[o++] = (char)('0' + v % 10);
            }
            em_vblist_add(&l, oid, (size_t)n, type, num, txt, o);
        } else {
            em_vblist_add(&l, oid, (size_t)n, type, num, data + i, len);
        }
        i += len;
    }
    struct em_pool *p = em_pool_new();
    struct em_dev d = {0};
    if (p && em_dev_decode(p, &l, &d) == 0) {
        for (size_t k = 0; k < d.n_rems; k++) {
            const struct em_neighbor *r = &d.rems[k];
            if (!r->chassis || !r->port_id || !r->sys_name) abort();
            (void)em_rem_port_name(r);
            (void)em_rem_key(p, r);
            (void)em_dev_port_name(p, &d, r->port);
            for (size_t m = 0; m < r->n_mgmt; m++)
                if (r->mgmt[m].family != 4 && r->mgmt[m].family != 6) abort();
        }
        for (size_t k = 0; k < d.n_addrs; k++)
            if (d.addrs[k].family != 4 && d.addrs[k].family != 6) abort();
    }
    /* the pure helpers straight on the bytes */
    if (p && size) {
        (void)em_lldp_chassis_str(p, data[0] % 9, data + 1, size - 1 > 255 ? 255 : size - 1);
        (void)em_lldp_portid_str(p, data[0] % 9, data + 1, size - 1 > 255 ? 255 : size - 1);
        uint32_t idx[64];
        size_t ni = size - 1 < 64 ? size - 1 : 64;
        for (size_t k = 0; k < ni; k++) idx[k] = data[1 + k];
        long port, rem; int fam; unsigned char a[16];
        (void)em_lldp_rem_index(idx, ni, &port, &rem);
        (void)em_lldp_manaddr_index(idx, ni, &port, &rem, &fam, a);
    }
    /* the SNMPv3 discovery reply parser reads raw agent bytes too */
    uint8_t eng[32]; size_t el; long boots, etime;
    if (em_v3probe_parse(data, size, 4242, eng, &el, &boots, &etime) == 0 && (el == 0 || el > 32)) abort();
    em_dev_clear(&d);
    em_pool_free(p);
    em_vblist_free(&l);
    return 0;
}
