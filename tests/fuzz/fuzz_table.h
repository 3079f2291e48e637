/* fuzz_table.h — the shared body of the per-decoder targets (fuzz_cdp, fuzz_fdb,
 * fuzz_arp, fuzz_route): the input is what a hostile agent can send, as records
 *   u8 prefix  u8 n_index  n_index × u8 index sub-ids  u8 type  u8 len  len bytes value
 * where prefix picks one of the target's OID prefixes (PREFIXES). A 0xfe byte in the
 * prefix position starts a second device; 0xfd + u16 VLAN starts that VLAN's per-VLAN
 * forwarding-table read of the device before it (snmp/vlan.c, em_fdb_add_vlan). Both
 * devices are decoded, then linked,
 * inferred and segmented (em_disc_finish) with no OUI registry. Checks: every decoded
 * row is well-formed (families, NUL-terminated strings, ifIndexes as read). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/disc_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_vbs(const uint8_t *data, size_t size, size_t *i, struct em_vblist *l)
{
    static const size_t np = sizeof PREFIXES / sizeof PREFIXES[0];
    while (*i + 2 <= size) {
        if (data[*i] == 0xfe) { (*i)++; return; }
        if (data[*i] == 0xfd) return;                 /* a VLAN read follows */
        uint32_t oid[EM_OID_MAX];
        int n = em_oid_parse(PREFIXES[data[*i] % np], oid, EM_OID_MAX);
        size_t ni = data[*i + 1];
        *i += 2;
        if (n <= 0 || *i + ni > size) { *i = size; return; }
        for (size_t k = 0; k < ni && (size_t)n < EM_OID_MAX; k++) oid[n++] = data[*i + k] >= 250 ? 436383744u + data[*i + k] : data[*i + k];
        *i += ni;
        if (*i + 2 > size) { *i = size; return; }
        int type = 1 + data[*i] % 6;
        size_t len = data[*i + 1];
        *i += 2;
        if (*i + len > size) len = size - *i;
        uint64_t u = 0;
        for (size_t k = 0; k < len && k < 8; k++) u = (u << 8) | data[*i + k];
        if (type == EM_VB_OID) {
            char txt[4 * 256 + 2];
            size_t o = 0;
            for (size_t k = 0; k < len; k++) {
                unsigned v = data[*i + k];
                txt[o++] = '.';
                if (v >= 100) txt[o++] = (char)('0' + v / 100);
                if (v >= 10) txt[o++] = (char)('0' + v / 10 % 10);
                txt[o++] = (char)('0' + v % 10);
            }
            em_vblist_add(l, oid, (size_t)n, type, (int64_t)(u >> 1), txt, o);
        } else {
            em_vblist_add(l, oid, (size_t)n, type, (int64_t)(u >> 1), data + *i, len);
        }
        *i += len;
    }
}

static void check_dev(const struct em_dev *d)
{
    for (size_t k = 0; k < d->n_rems; k++) {
        const struct em_neighbor *r = &d->rems[k];
        if (!r->chassis || !r->port_id || !r->sys_name || !r->platform) abort();
        for (size_t m = 0; m < r->n_mgmt; m++)
            if (r->mgmt[m].family != 4 && r->mgmt[m].family != 6) abort();
    }
    for (size_t k = 0; k < d->n_arp; k++)
        if ((d->arp[k].family != 4 && d->arp[k].family != 6) || !d->arp[k].text || (d->arp[k].mac[0] & 1)) abort();
    for (size_t k = 0; k < d->n_fdb; k++)
        if (d->fdb[k].bridge_port <= 0 || d->fdb[k].status == 2 || d->fdb[k].vlan < 0 || d->fdb[k].vlan > 65535) abort();
    for (size_t k = 1; k < d->n_vlans; k++)
        if (d->vlans[k - 1] >= d->vlans[k]) abort();     /* ascending, unique */
    for (size_t k = 0; k < d->n_routes; k++)
        if (!d->routes[k].dest_text || !d->routes[k].nh_text || d->routes[k].prefix < 0 || d->routes[k].prefix > 128) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct em_disc *d = em_disc_new();
    if (!d) return 0;
    d->oui_registry = "/nonexistent/edgemap-fuzz-oui.txt";
    d->mode = "walk";
    size_t i = 0;
    for (int dev = 0; dev < 2 && i < size; dev++) {
        struct em_vblist l = {0};
        fuzz_vbs(data, size, &i, &l);
        struct em_dev x;
        memset(&x, 0, sizeof x);
        x.queried = dev ? "b" : "a";
        int rc = em_dev_decode(d->pool, &l, &x);
        while (rc == 0 && i + 3 <= size && data[i] == 0xfd) {   /* per-VLAN reads */
            long vlan = (long)data[i + 1] << 8 | data[i + 2];
            i += 3;
            struct em_vblist v = {0};
            fuzz_vbs(data, size, &i, &v);
            rc = em_fdb_add_vlan(d->pool, &v, &x, vlan);
            em_vblist_free(&v);
        }
        if (rc == 0) {
            check_dev(&x);
            em_disc_add_dev(d, &x);
        } else {
            em_dev_clear(&x);
        }
        em_vblist_free(&l);
    }
    if (em_disc_finish(d, "no_walk") == 0) {
        for (size_t k = 0; k < d->n_links; k++)
            if (!d->links[k].a_dev || !d->links[k].b_dev || !d->links[k].a_port || !d->links[k].evidence) abort();
        for (size_t k = 0; k < d->n_outs; k++)
            if (!d->outs[k].chain || !d->outs[k].why) abort();
    }
    em_disc_free(d);
    return 0;
}
