/* snmp_lldp.c — LLDP index parsing (incl. the broken indexes from discovery-notes),
 * manAddr index forms, chassis/port id subtypes, caps, and the manAddr join. */
#include "tests/unit/t.h"

#include <stdlib.h>

#include "snmp/dev.h"

static void rem_index_standard(void)
{
    uint32_t idx[] = {15315603, 49, 2};
    long port, rem;
    T_EQ_INT(em_lldp_rem_index(idx, 3, &port, &rem), 0);
    T_EQ_INT(port, 49); T_EQ_INT(rem, 2);
}

static void rem_index_broken(void)
{
    long port, rem;
    uint32_t two[] = {0, 301};             /* Microsens / TP-Link TL-SX3016F */
    T_EQ_INT(em_lldp_rem_index(two, 2, &port, &rem), 0);
    T_EQ_INT(port, 0); T_EQ_INT(rem, 301);
    uint32_t one[] = {7};                  /* old MikroTik */
    T_EQ_INT(em_lldp_rem_index(one, 1, &port, &rem), 0);
    T_EQ_INT(port, 0); T_EQ_INT(rem, 7);
    uint32_t nx[] = {0, 436383744, 0};     /* NX-OS 7: raw ifIndex, remIndex 0 */
    T_EQ_INT(em_lldp_rem_index(nx, 3, &port, &rem), 0);
    T_EQ_INT(port, 436383744); T_EQ_INT(rem, 0);
    T_EQ_INT(em_lldp_rem_index(nx, 0, &port, &rem), -1);
}

static void manaddr_forms(void)
{
    long port, rem; int fam; unsigned char a[16];
    uint32_t v4[] = {0, 3, 1, 1, 4, 10, 1, 0, 2};
    T_EQ_INT(em_lldp_manaddr_index(v4, 9, &port, &rem, &fam, a), 0);
    T_EQ_INT(port, 3); T_EQ_INT(rem, 1); T_EQ_INT(fam, 4);
    T_EQ_INT(a[0], 10); T_EQ_INT(a[3], 2);
    uint32_t nolen[] = {0, 3, 1, 1, 10, 1, 0, 2};   /* agent omits the length */
    T_EQ_INT(em_lldp_manaddr_index(nolen, 8, &port, &rem, &fam, a), 0);
    T_EQ_INT(fam, 4); T_EQ_INT(a[0], 10); T_EQ_INT(a[3], 2); T_EQ_INT(port, 3);
    uint32_t v6[5 + 16] = {0, 5, 2, 2, 16, 0xfe, 0x80};
    T_EQ_INT(em_lldp_manaddr_index(v6, 21, &port, &rem, &fam, a), 0);
    T_EQ_INT(fam, 6); T_EQ_INT(a[0], 0xfe); T_EQ_INT(port, 5); T_EQ_INT(rem, 2);
    uint32_t key2[] = {3, 1, 1, 4, 10, 1, 0, 2};    /* 2-field row key */
    T_EQ_INT(em_lldp_manaddr_index(key2, 8, &port, &rem, &fam, a), 0);
    T_EQ_INT(port, 3); T_EQ_INT(rem, 1); T_EQ_INT(fam, 4); T_EQ_INT(a[0], 10);
    uint32_t mac[] = {0, 3, 1, 6, 6, 0, 1, 2, 3, 4, 5};
    T_EQ_INT(em_lldp_manaddr_index(mac, 11, &port, &rem, &fam, a), 0);
    T_EQ_INT(fam, 0);
    uint32_t big[] = {0, 3, 1, 1, 4, 300, 1, 0, 2};  /* sub-id > 255 is not an address byte */
    T_EQ_INT(em_lldp_manaddr_index(big, 9, &port, &rem, &fam, a), -1);
    uint32_t shortx[] = {0, 3, 1, 1, 4, 10};
    T_EQ_INT(em_lldp_manaddr_index(shortx, 6, &port, &rem, &fam, a), -1);
}

static void chassis_subtypes(void)
{
    struct em_pool *p = em_pool_new();
    const unsigned char mac[] = {0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e};
    T_EQ_STR(em_lldp_chassis_str(p, 4, mac, 6), "00:1a:2b:3c:4d:5e");
    const unsigned char net[] = {1, 192, 0, 2, 7};
    T_EQ_STR(em_lldp_chassis_str(p, 5, net, 5), "192.0.2.7");
    T_EQ_STR(em_lldp_chassis_str(p, 7, (const unsigned char *)"SN12345", 7), "SN12345");
    T_EQ_STR(em_lldp_chassis_str(p, 1, (const unsigned char *)"core\0", 5), "core");
    const unsigned char bin[] = {0xde, 0xad, 0x01};
    T_EQ_STR(em_lldp_chassis_str(p, 7, bin, 3), "de:ad:01");
    T_EQ_STR(em_lldp_chassis_str(p, 4, mac, 0), "");
    em_pool_free(p);
}

static void port_subtypes(void)
{
    struct em_pool *p = em_pool_new();
    const unsigned char mac[] = {0x02, 0, 0, 0, 0, 0x11};
    T_EQ_STR(em_lldp_portid_str(p, 3, mac, 6), "02:00:00:00:00:11");
    T_EQ_STR(em_lldp_portid_str(p, 5, (const unsigned char *)"Gi1/0/4", 7), "Gi1/0/4");
    /* hex-encoded interfaceName ("eth1" = 65746831) */
    T_EQ_STR(em_lldp_portid_str(p, 5, (const unsigned char *)"65746831", 8), "eth1");
    /* all-hex but not decodable to text: left alone */
    T_EQ_STR(em_lldp_portid_str(p, 5, (const unsigned char *)"1234", 4), "1234");
    T_EQ_STR(em_lldp_portid_str(p, 7, (const unsigned char *)"506", 3), "506");
    em_pool_free(p);
}

static void caps_bits(void)
{
    const unsigned char v[] = {0x28, 0x00};   /* bridge(2) + router(4) */
    unsigned m = em_lldp_caps(v, 2);
    T_EQ_INT(m, (1u << 2) | (1u << 4));
    T_EQ_STR(em_lldp_cap_name(2), "bridge");
    T_EQ_STR(em_lldp_cap_name(4), "router");
    T_ASSERT(em_lldp_cap_name(9) == NULL);
}

static void add(struct em_vblist *l, const char *oid, int type, long num, const char *s, size_t n)
{
    uint32_t o[EM_OID_MAX];
    int k = em_oid_parse(oid, o, EM_OID_MAX);
    T_ASSERT(k > 0);
    T_EQ_INT(em_vblist_add(l, o, (size_t)k, type, num, s, n), 0);
}

#define LR "1.0.8802.1.1.2.1.4.1.1."
#define LM "1.0.8802.1.1.2.1.4.2.1.3."

static void manaddr_join(void)
{
    struct em_pool *p = em_pool_new();
    struct em_vblist l = {0};
    /* port 5: two neighbours (remIndex 1, 2) with timeMark 777; manAddr rows timeMark 0 */
    add(&l, LR "5.777.5.1", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x01", 6);
    add(&l, LR "4.777.5.1", EM_VB_INT, 4, NULL, 0);
    add(&l, LR "9.777.5.1", EM_VB_OCTETS, 0, "sw-a", 4);
    add(&l, LR "5.777.5.2", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x02", 6);
    add(&l, LR "4.777.5.2", EM_VB_INT, 4, NULL, 0);
    add(&l, LR "9.777.5.2", EM_VB_OCTETS, 0, "sw-b", 4);
    /* port 6, remIndex 1: same remIndex as on port 5 — must not cross ports */
    add(&l, LR "5.0.6.1", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x03", 6);
    add(&l, LR "4.0.6.1", EM_VB_INT, 4, NULL, 0);
    /* port 9: FortiLink-style remIndex mismatch, only neighbour on that port */
    add(&l, LR "5.0.9.4", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x04", 6);
    add(&l, LR "4.0.9.4", EM_VB_INT, 4, NULL, 0);
    /* a blank row (no chassis id, no name): dropped */
    add(&l, LR "6.0.10.1", EM_VB_INT, 5, NULL, 0);
    add(&l, LM "0.5.2.1.4.10.0.0.2", EM_VB_INT, 2, NULL, 0);
    add(&l, LM "0.5.1.1.4.10.0.0.1", EM_VB_INT, 2, NULL, 0);
    add(&l, LM "0.6.1.1.4.10.0.0.3", EM_VB_INT, 2, NULL, 0);
    add(&l, LM "0.9.99.1.4.10.0.0.4", EM_VB_INT, 2, NULL, 0);
    add(&l, LM "0.5.7.1.4.10.0.0.9", EM_VB_INT, 2, NULL, 0);   /* no such neighbour, 2 on port */
    struct em_dev d = {0};
    T_EQ_INT(em_dev_decode(p, &l, &d), 0);
    T_EQ_INT(d.n_rems, 4);
    T_EQ_INT(d.rows_dropped, 1);
    T_EQ_INT(d.manaddr_unjoined, 1);
    for (size_t i = 0; i < d.n_rems; i++) {
        const struct em_neighbor *r = &d.rems[i];
        T_EQ_INT(r->n_mgmt, 1);
        const char *want = r->port == 5 && r->rem_index == 1 ? "10.0.0.1"
                         : r->port == 5 ? "10.0.0.2" : r->port == 6 ? "10.0.0.3" : "10.0.0.4";
        T_EQ_STR(r->mgmt[0].text, want);
        T_ASSERT(!r->mgmt[0].global);
    }
    T_EQ_STR(d.rems[0].chassis, "02:00:00:00:00:01");
    T_EQ_STR(d.rems[0].sys_name, "sw-a");
    em_dev_clear(&d);
    em_vblist_free(&l);
    em_pool_free(p);
}

static void port_mapping(void)
{
    struct em_pool *p = em_pool_new();
    struct em_vblist l = {0};
    add(&l, "1.3.6.1.2.1.2.2.1.2.10", EM_VB_OCTETS, 0, "GigabitEthernet1/0/1", 20);
    add(&l, "1.3.6.1.2.1.31.1.1.1.1.10", EM_VB_OCTETS, 0, "Gi1/0/1", 7);
    add(&l, "1.3.6.1.2.1.2.2.1.2.11", EM_VB_OCTETS, 0, "GigabitEthernet1/0/2", 20);
    add(&l, "1.3.6.1.2.1.31.1.1.1.1.11", EM_VB_OCTETS, 0, "Gi1/0/2", 7);
    /* LLDP port 1 -> by PortDesc = ifDescr; port 2 -> by PortId = ifName; port 3 none */
    add(&l, "1.0.8802.1.1.2.1.3.7.1.4.1", EM_VB_OCTETS, 0, "GigabitEthernet1/0/1", 20);
    add(&l, "1.0.8802.1.1.2.1.3.7.1.3.2", EM_VB_OCTETS, 0, "Gi1/0/2", 7);
    add(&l, "1.0.8802.1.1.2.1.3.7.1.2.2", EM_VB_INT, 5, NULL, 0);
    add(&l, "1.0.8802.1.1.2.1.3.7.1.3.3", EM_VB_OCTETS, 0, "506", 3);
    struct em_dev d = {0};
    T_EQ_INT(em_dev_decode(p, &l, &d), 0);
    T_EQ_STR(em_dev_port_name(p, &d, 1), "Gi1/0/1");
    T_EQ_STR(em_dev_port_name(p, &d, 2), "Gi1/0/2");
    T_EQ_STR(em_dev_port_name(p, &d, 3), "506");
    T_EQ_STR(em_dev_port_name(p, &d, 11), "Gi1/0/2");   /* no LLDP row: as ifIndex */
    T_EQ_STR(em_dev_port_name(p, &d, 77), "port 77");
    em_dev_clear(&d);
    em_vblist_free(&l);
    em_pool_free(p);
}

static void device_tables(void)
{
    struct em_pool *p = em_pool_new();
    struct em_vblist l = {0};
    add(&l, "1.3.6.1.2.1.1.5.0", EM_VB_OCTETS, 0, "rtx1210", 7);
    add(&l, "1.3.6.1.2.1.1.2.0", EM_VB_OID, 0, ".1.3.6.1.4.1.1182.2.1.1", 23);
    /* ipAddressTable: 203.0.113.5 (global, documentation), 10.1.0.1, its broadcast */
    add(&l, "1.3.6.1.2.1.4.34.1.3.1.4.203.0.113.5", EM_VB_INT, 2, NULL, 0);
    add(&l, "1.3.6.1.2.1.4.34.1.3.1.4.10.1.0.1", EM_VB_INT, 3, NULL, 0);
    add(&l, "1.3.6.1.2.1.4.34.1.3.1.4.10.1.0.255", EM_VB_INT, 3, NULL, 0);
    add(&l, "1.3.6.1.2.1.4.34.1.4.1.4.10.1.0.255", EM_VB_INT, 3, NULL, 0);
    add(&l, "1.3.6.1.2.1.4.34.1.5.1.4.10.1.0.1", EM_VB_OID, 0, ".1.3.6.1.2.1.4.32.1.5.3.1.4.10.1.0.0.24", 39);
    add(&l, "1.3.6.1.2.1.4.34.1.3.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1", EM_VB_INT, 2, NULL, 0);
    /* ipAddrTable present too: ignored because ipAddressTable answered */
    add(&l, "1.3.6.1.2.1.4.20.1.2.172.16.0.1", EM_VB_INT, 9, NULL, 0);
    /* default route via inetCidrRouteTable: 0.0.0.0/0 policy 0.0 next hop 203.0.113.1 */
    add(&l, "1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0.2.0.0.1.4.203.0.113.1", EM_VB_INT, 2, NULL, 0);
    struct em_dev d = {0};
    T_EQ_INT(em_dev_decode(p, &l, &d), 0);
    T_EQ_STR(d.sys_name, "rtx1210");
    T_EQ_STR(d.sys_oid, ".1.3.6.1.4.1.1182.2.1.1");
    T_EQ_INT(d.n_addrs, 3);
    T_EQ_STR(d.addrs[0].text, "203.0.113.5"); T_ASSERT(d.addrs[0].global);
    T_EQ_STR(d.addrs[1].text, "10.1.0.1"); T_ASSERT(!d.addrs[1].global);
    T_EQ_INT(d.addrs[1].prefix, 24);
    T_EQ_STR(d.addrs[2].text, "2001:db8::1"); T_ASSERT(d.addrs[2].global);
    T_EQ_INT(d.n_next_hops, 1);
    T_EQ_STR(d.next_hops[0].text, "203.0.113.1");
    em_dev_clear(&d);
    em_vblist_free(&l);

    /* ipAddrTable fallback with netmask */
    struct em_vblist l2 = {0};
    add(&l2, "1.3.6.1.2.1.4.20.1.2.172.16.0.1", EM_VB_INT, 9, NULL, 0);
    add(&l2, "1.3.6.1.2.1.4.20.1.3.172.16.0.1", EM_VB_IPADDR, 0, "\xff\xff\xf0\x00", 4);
    struct em_dev d2 = {0};
    T_EQ_INT(em_dev_decode(p, &l2, &d2), 0);
    T_EQ_INT(d2.n_addrs, 1);
    T_EQ_STR(d2.addrs[0].text, "172.16.0.1");
    T_EQ_INT(d2.addrs[0].prefix, 20);
    T_EQ_INT(d2.addrs[0].if_index, 9);
    em_dev_clear(&d2);
    em_vblist_free(&l2);
    em_pool_free(p);
}

#define L2R "1.3.111.2.802.1.1.13.1.4.1.1."
#define L2M "1.3.111.2.802.1.1.13.1.4.2.1.3."

static void v2_mib(void)
{
    long port, rem; int fam; unsigned char a[16];
    uint32_t ix[] = {0, 1024, 1, 7, 1, 4, 10, 9, 8, 7};
    T_EQ_INT(em_lldp_v2_manaddr_index(ix, 10, &port, &rem, &fam, a), 0);
    T_EQ_INT(port, 1024); T_EQ_INT(rem, 7); T_EQ_INT(fam, 4); T_EQ_INT(a[0], 10);

    struct em_pool *p = em_pool_new();
    struct em_vblist l = {0};
    /* V2 only: rows keyed by ifIndex 1024, columns one higher than V1 */
    add(&l, L2R "5.0.1024.1.7", EM_VB_INT, 4, NULL, 0);
    add(&l, L2R "6.0.1024.1.7", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x09", 6);
    add(&l, L2R "10.0.1024.1.7", EM_VB_OCTETS, 0, "ax-core", 7);
    add(&l, L2M "0.1024.1.7.1.4.10.9.8.7", EM_VB_INT, 2, NULL, 0);
    add(&l, "1.3.111.2.802.1.1.13.1.3.1.0", EM_VB_INT, 4, NULL, 0);
    add(&l, "1.3.111.2.802.1.1.13.1.3.2.0", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x08", 6);
    add(&l, "1.3.6.1.2.1.31.1.1.1.1.1024", EM_VB_OCTETS, 0, "0/24", 4);
    struct em_dev d = {0};
    T_EQ_INT(em_dev_decode(p, &l, &d), 0);
    T_EQ_INT(d.n_rems, 1);
    T_EQ_INT(d.rems[0].port, 1024); T_EQ_INT(d.rems[0].rem_index, 7);
    T_EQ_STR(d.rems[0].sys_name, "ax-core");
    T_EQ_STR(d.rems[0].chassis, "02:00:00:00:00:09");
    T_EQ_INT(d.rems[0].n_mgmt, 1); T_EQ_STR(d.rems[0].mgmt[0].text, "10.9.8.7");
    T_EQ_STR(d.chassis, "02:00:00:00:00:08");
    T_EQ_STR(em_dev_port_name(p, &d, 1024), "0/24");      /* V2 port = ifIndex */
    em_dev_clear(&d);
    /* with V1 rows present, V2 rows are ignored (never both: double counting) */
    add(&l, LR "5.0.3.1", EM_VB_OCTETS, 0, "\x02\x00\x00\x00\x00\x05", 6);
    add(&l, LR "4.0.3.1", EM_VB_INT, 4, NULL, 0);
    T_EQ_INT(em_dev_decode(p, &l, &d), 0);
    T_EQ_INT(d.n_rems, 1);
    T_EQ_STR(d.rems[0].chassis, "02:00:00:00:00:05");
    T_EQ_INT(d.rems[0].n_mgmt, 0);
    em_dev_clear(&d);
    em_vblist_free(&l);
    em_pool_free(p);
}

static const struct t_case cases[] = {
    {"lldp: LLDP-V2-MIB fallback (ifIndex ports, shifted columns, 4-field manAddr key)", v2_mib},
    {"lldp: remTable index timeMark.port.remIndex", rem_index_standard},
    {"lldp: broken indexes parsed from the end (2-field, 1-field, NX-OS)", rem_index_broken},
    {"lldp: manAddr index (len present/omitted, IPv6, 2-field key, MAC, bad)", manaddr_forms},
    {"lldp: chassis id subtypes", chassis_subtypes},
    {"lldp: port id subtypes incl. hex-encoded ifName", port_subtypes},
    {"lldp: capability BITS", caps_bits},
    {"lldp: manAddr join on (port, remIndex), timeMark ignored, single-neighbour fallback", manaddr_join},
    {"lldp: local port -> interface mapping order", port_mapping},
    {"device: ipAddressTable, broadcast dropped, prefix, default route, ipAddrTable fallback", device_tables},
};
T_MAIN(cases)
