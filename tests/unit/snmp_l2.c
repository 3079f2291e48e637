/* snmp_l2.c — CDP, ARP, forwarding tables and routes decoded from walk text, links and
 * endpoints inferred from them, makers by OUI, segments and the chain out of the EMR
 * segment. The walks are written as snmpwalk -On prints them. */
#include "tests/unit/t.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "snmp/disc_int.h"
#include "snmp/oui.h"

static struct em_disc *d;
static char oui_path[] = "/tmp/em-oui-XXXXXX";

/* A small registry in the ieee-data oui.txt layout. */
static void write_oui(void)
{
    int fd = mkstemp(oui_path);
    T_ASSERT(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("OUI/MA-L                                                    Organization\n"
          "00-A0-DE   (hex)\t\tYAMAHA CORPORATION\n00A0DE     (base 16)\t\tYAMAHA CORPORATION\n"
          "\t\t\t\t10-1 Nakazawa-cho\n\n"
          "00-00-0C   (hex)\t\tCisco Systems, Inc\n00-1A-EB   (hex)\t\tAllied Telesis R&D Center K.K.\n", f);
    fclose(f);
}

/* Decodes walk text into a new device of d; returns its index. */
static size_t walk(const char *name, const char *text)
{
    struct em_vblist l = {0};
    struct em_err err;
    em_err_clear(&err);
    T_EQ_INT(em_walk_parse(text, strlen(text), name, &l, &err), 0);
    struct em_dev dev;
    memset(&dev, 0, sizeof dev);
    dev.queried = name;
    T_EQ_INT(em_dev_decode(d->pool, &l, &dev), 0);
    em_vblist_free(&l);
    long i = em_disc_add_dev(d, &dev);
    T_ASSERT(i >= 0);
    return (size_t)i;
}

#define SYS(n) ".1.3.6.1.2.1.1.5.0 = STRING: \"" n "\"\n"
#define IF(i, name, mac) ".1.3.6.1.2.1.31.1.1.1.1." #i " = STRING: \"" name "\"\n" \
                         ".1.3.6.1.2.1.2.2.1.6." #i " = Hex-STRING: " mac "\n"
#define CDP ".1.3.6.1.4.1.9.9.23.1.2.1.1."

static void t_cdp(void)
{
    em_disc_free(d);
    d = em_disc_new();
    size_t i = walk("sw", SYS("cisco-sw") IF(1, "Gi1/0/1", "00 00 0C 00 00 01") IF(2, "Gi1/0/2", "00 00 0C 00 00 02")
        CDP "3.1.5 = INTEGER: 1\n" CDP "4.1.5 = Hex-STRING: 7F 00 02 02\n"
        CDP "5.1.5 = STRING: \"Cisco IOS Software, ISR Software\"\n"
        CDP "6.1.5 = STRING: \"cisco-rt.example.local(FOC1234X0AB)\"\n"
        CDP "7.1.5 = STRING: \"GigabitEthernet0/0/1\"\n"
        CDP "8.1.5 = STRING: \"cisco ISR4331/K9\"\n"
        CDP "9.1.5 = Hex-STRING: 00 00 00 29\n"
        CDP "3.2.7 = INTEGER: 1\n" CDP "4.2.7 = Hex-STRING: 00 00 00 00\n"
        CDP "6.2.7 = STRING: \"SEP001122334455\"\n" CDP "9.2.7 = STRING: \"Host Phone\"\n"
        CDP "7.3.1 = STRING: \"no device id\"\n");
    const struct em_dev *x = &d->devs[i];
    T_EQ_INT(x->n_rems, 2);
    T_EQ_INT(x->rows_dropped, 1);
    const struct em_neighbor *r = &x->rems[0];
    T_EQ_INT(r->source, EM_NB_CDP);
    T_EQ_STR(r->sys_name, "cisco-rt.example.local");   /* NX-OS serial tail dropped */
    T_EQ_STR(r->chassis, "cisco-rt.example.local(FOC1234X0AB)");
    T_EQ_STR(r->port_id, "GigabitEthernet0/0/1");
    T_EQ_STR(r->platform, "cisco ISR4331/K9");
    T_EQ_INT(r->n_mgmt, 1);
    T_EQ_STR(r->mgmt[0].text, "127.0.2.2");
    T_EQ_INT(r->caps_en, (1u << 4) | (1u << 2));          /* 0x29: Router, Switch, IGMP */
    T_EQ_STR(em_nb_local_port(d->pool, x, r), "Gi1/0/1"); /* CDP ports are ifIndexes */
    T_EQ_INT(x->rems[1].n_mgmt, 0);                       /* 0.0.0.0: not manageable */
    T_EQ_INT(x->rems[1].caps_en, (1u << 7) | (1u << 5));  /* words: Host Phone */
    T_EQ_STR(em_rem_key(d->pool, r), "n:cisco-rt.example.local");
    unsigned char a[16];
    T_EQ_INT(em_cdp_addr(20, (const unsigned char *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\1", 16, a), 6);
    T_EQ_INT(em_cdp_addr(1, (const unsigned char *)"\1\2\3", 3, a), 0);
    T_EQ_INT(em_cdp_caps((const unsigned char *)"R S I", 5), (1u << 4) | (1u << 2));
    /* out of scope: "seen, not queried" with the CDP row's facts */
    T_EQ_INT(em_disc_finish(d, "out_of_scope"), 0);
    T_EQ_INT(d->n_nbrs, 2);
    T_EQ_INT(d->nbrs[0].source, EM_NB_CDP);
    T_EQ_STR(d->nbrs[0].platform, "cisco ISR4331/K9");
    T_EQ_STR(d->nbrs[0].reason, "out_of_scope");
    T_EQ_STR(d->nbrs[1].reason, "no_address");
    T_EQ_INT(d->n_links, 2);
    T_EQ_STR(d->links[0].a_port, "Gi1/0/1");
    T_EQ_STR(d->links[0].b_port, "GigabitEthernet0/0/1");
}

#define QFDB ".1.3.6.1.2.1.17.7.1.2.2.1."
#define BPORT ".1.3.6.1.2.1.17.1.4.1.2."
#define PHYS ".1.3.6.1.2.1.4.35.1."
#define IPADDR(a, ifx, pfx) ".1.3.6.1.2.1.4.34.1.3.1.4." a " = INTEGER: " #ifx "\n" \
    ".1.3.6.1.2.1.4.34.1.5.1.4." a " = OID: .1.3.6.1.2.1.4.32.1.5." #ifx ".1.4.0.0.0.0." #pfx "\n"

static void t_fdb_arp_infer(void)
{
    em_disc_free(d);
    d = em_disc_new();
    d->oui_registry = oui_path;
    em_disc_set_data_dir(d, "data");  /* router-makers.tsv, as the CLI passes it */
    d->seeds = calloc(2, sizeof *d->seeds);
    d->seeds[0] = "10.20.0.1";
    d->n_seeds = 1;
    d->mode = "snmp";
    /* the router: ARP for the switch, the LTE router and a PC; no LLDP anywhere */
    walk("10.20.0.1", SYS("core-rt") IF(1, "ge0", "02 00 00 00 01 01") IPADDR("10.20.0.1", 1, 24)
        PHYS "4.1.1.4.10.20.0.11 = Hex-STRING: 02 00 00 00 02 01\n" PHYS "6.1.1.4.10.20.0.11 = INTEGER: 3\n"
        PHYS "4.1.1.4.10.20.0.50 = Hex-STRING: 00 A0 DE 77 00 50\n" PHYS "6.1.1.4.10.20.0.50 = INTEGER: 3\n"
        PHYS "4.1.1.4.10.20.0.60 = Hex-STRING: 02 00 00 00 06 00\n" PHYS "6.1.1.4.10.20.0.60 = INTEGER: 3\n"
        PHYS "4.1.1.4.10.20.0.99 = Hex-STRING: 00 00 00 00 00 00\n"   /* incomplete: dropped */
        ".1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0.2.0.0.1.4.10.20.0.254 = INTEGER: 1\n"
        ".1.3.6.1.2.1.4.24.7.1.9.1.4.192.0.2.0.24.2.0.0.1.4.10.20.0.253 = INTEGER: 3\n");
    /* the switch: port 1 uplink (router alone: a known device), 2 shared (two MACs),
       3 the LTE router alone, 4 a PC alone (in two VLANs), its own MAC as "self" */
    size_t sw = walk("10.20.0.11", SYS("dept-sw") IF(1, "ge1", "02 00 00 00 02 01") IF(2, "ge2", "02 00 00 00 02 02")
        IF(3, "ge3", "02 00 00 00 02 03") IF(4, "ge4", "02 00 00 00 02 04") IPADDR("10.20.0.11", 1, 24)
        BPORT "1 = INTEGER: 1\n" BPORT "2 = INTEGER: 2\n" BPORT "3 = INTEGER: 3\n" BPORT "4 = INTEGER: 4\n"
        QFDB "2.1.2.0.0.0.1.1 = INTEGER: 1\n" QFDB "3.1.2.0.0.0.1.1 = INTEGER: 3\n"
        QFDB "2.1.2.0.0.0.9.1 = INTEGER: 2\n" QFDB "3.1.2.0.0.0.9.1 = INTEGER: 3\n"
        QFDB "2.1.2.0.0.0.9.2 = INTEGER: 2\n" QFDB "3.1.2.0.0.0.9.2 = INTEGER: 3\n"
        QFDB "2.1.0.160.222.119.0.80 = INTEGER: 3\n" QFDB "3.1.0.160.222.119.0.80 = INTEGER: 3\n"
        QFDB "2.1.2.0.0.0.6.0 = INTEGER: 4\n" QFDB "3.1.2.0.0.0.6.0 = INTEGER: 3\n"
        QFDB "2.20.2.0.0.0.6.0 = INTEGER: 4\n" QFDB "3.20.2.0.0.0.6.0 = INTEGER: 3\n"
        QFDB "2.1.2.0.0.0.2.1 = INTEGER: 1\n" QFDB "3.1.2.0.0.0.2.1 = INTEGER: 4\n"
        ".1.3.6.1.2.1.17.4.3.1.2.0.160.222.119.0.80 = INTEGER: 3\n");   /* dot1d copy: same entry */
    const struct em_dev *x = &d->devs[sw];
    T_EQ_INT(x->n_fdb, 7);
    T_EQ_INT(x->fdb[0].if_index, 3);      /* sorted by MAC: 00:a0:de:… on bridge port 3 */
    T_EQ_INT(d->devs[0].n_arp, 3);
    T_EQ_INT(d->devs[0].n_next_hops, 1);
    T_EQ_INT(d->devs[0].n_routes, 2);   /* default + the static 192.0.2.0/24 */
    T_EQ_INT(em_disc_finish(d, "out_of_scope"), 0);
    /* inferred: dept-sw ge1 -> core-rt, ge3 -> LTE router, ge4 -> PC; nothing on ge2 */
    T_EQ_INT(d->n_links, 3);
    const struct em_nbr *lte = NULL, *pc = NULL;
    for (size_t i = 0; i < d->n_nbrs; i++) {
        if (strcmp(d->nbrs[i].mac, "00:a0:de:77:00:50") == 0) lte = &d->nbrs[i];
        if (strcmp(d->nbrs[i].mac, "02:00:00:00:06:00") == 0) pc = &d->nbrs[i];
    }
    T_ASSERT(lte && pc);
    T_EQ_INT(d->n_nbrs, 2);
    T_EQ_STR(lte->maker, "YAMAHA CORPORATION");
    T_ASSERT(lte->router_maker);
    T_EQ_STR(lte->local_port, "ge3");
    T_EQ_STR(lte->seen_by, x->id);
    T_EQ_INT(lte->n_addrs, 1);
    T_EQ_STR(lte->addrs[0].text, "10.20.0.50");
    T_EQ_STR(pc->maker, "");          /* locally administered */
    T_ASSERT(!pc->router_maker);
    for (size_t i = 0; i < d->n_links; i++) T_EQ_STR(d->links[i].evidence, "inferred");
    /* one segment, the seed's: EMR; the LTE router is a way out reached via dept-sw ge3 */
    T_EQ_INT(d->n_segs, 1);
    T_EQ_STR(d->segs[0].prefix, "10.20.0.0/24");
    T_ASSERT(d->segs[0].emr);
    T_EQ_INT(d->n_outs, 1);
    T_EQ_STR(d->outs[0].dev, lte->id);
    T_EQ_STR(d->outs[0].chain, "10.20.0.0/24 (EMR) → dept-sw [ge3] → 00:a0:de:77:00:50");
    T_ASSERT(!d->outs[0].global);
}

/* A queried router with a cellular interface up and a static route to a global next
 * hop leads out; the chain reaches it through its own segment. */
static void t_wan(void)
{
    em_disc_free(d);
    d = em_disc_new();
    d->oui_registry = oui_path;
    em_disc_set_data_dir(d, "data");  /* router-makers.tsv, as the CLI passes it */
    struct em_cidr emr;
    T_EQ_INT(em_cidr_parse("10.30.0.0/16", &emr), 0);
    em_disc_set_emr_subnet(d, &emr);
    walk("a", SYS("ward-rt") IF(1, "lan0", "02 00 00 00 03 01") IPADDR("10.30.1.1", 1, 24)
        ".1.3.6.1.2.1.31.1.1.1.1.2 = STRING: \"wwan0\"\n"
        ".1.3.6.1.2.1.2.2.1.3.2 = INTEGER: 243\n.1.3.6.1.2.1.2.2.1.8.2 = INTEGER: 1\n"
        ".1.3.6.1.2.1.2.2.1.3.1 = INTEGER: 6\n.1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1\n");
    walk("b", SYS("vpn-rt") IF(1, "lan0", "02 00 00 00 03 02") IPADDR("10.30.1.2", 1, 24)
        ".1.3.6.1.2.1.4.24.7.1.9.1.4.172.16.0.0.12.2.0.0.1.4.203.0.113.9 = INTEGER: 3\n");
    T_EQ_INT(em_disc_finish(d, "no_walk"), 0);
    T_EQ_INT(d->n_segs, 2);                       /* --emr-subnet's own, and the routers' /24 */
    T_EQ_STR(d->segs[0].prefix, "10.30.0.0/16");
    T_ASSERT(d->segs[0].emr && d->segs[1].emr);   /* 10.30.1.0/24 lies inside --emr-subnet */
    T_EQ_INT(d->n_outs, 2);
    T_EQ_STR(d->outs[0].why, "cellular interface wwan0");
    T_ASSERT(!d->outs[0].global);
    T_EQ_STR(d->outs[0].chain, "10.30.1.0/24 (EMR) → ward-rt");
    T_EQ_STR(d->outs[1].why, "route 172.16.0.0/12 via 203.0.113.9");
    T_ASSERT(d->outs[1].global);
}

static void t_decoders(void)
{
    unsigned char mac[6];
    const uint32_t seven[] = {6, 0, 160, 222, 1, 2, 3}, six[] = {0, 160, 222, 1, 2, 3}, bad[] = {0, 256, 1, 2, 3, 4};
    T_EQ_INT(em_fdb_mac_index(seven, 7, mac), 0);   /* a leading length byte */
    T_EQ_INT(mac[1], 160);
    T_EQ_INT(em_fdb_mac_index(six, 6, mac), 0);
    T_EQ_INT(em_fdb_mac_index(bad, 6, mac), -1);
    T_EQ_INT(em_fdb_mac_index(six, 5, mac), -1);
    T_EQ_INT(em_mac_parse("0011.2233.4455", mac), 0);
    T_EQ_INT(mac[5], 0x55);
    T_EQ_INT(em_mac_parse("00:11:22:33:44", mac), -1);
    const uint32_t arp[] = {3, 1, 4, 10, 0, 0, 9};
    long ifx; int fam; unsigned char a[16];
    T_EQ_INT(em_arp_phys_index(arp, 7, &ifx, &fam, a), 0);
    T_EQ_INT(ifx, 3);
    T_EQ_INT(a[3], 9);
    T_EQ_INT(em_arp_phys_index(arp, 6, &ifx, &fam, a), -1);
    const uint32_t rt[] = {1, 4, 0, 0, 0, 0, 0, 2, 0, 0, 1, 4, 10, 0, 0, 1};
    int pfx, nfam; unsigned char nh[16];
    T_EQ_INT(em_route_inet_index(rt, 16, &fam, a, &pfx, &nfam, nh), 0);
    T_EQ_INT(pfx, 0);
    T_EQ_INT(nh[3], 1);
    T_EQ_INT(em_route_inet_index(rt, 15, &fam, a, &pfx, &nfam, nh), -1);
    T_EQ_STR(em_if_wan_kind(243), "cellular");
    T_EQ_STR(em_if_wan_kind(23), "ppp");
    T_ASSERT(!em_if_wan_kind(6));
}

static void t_oui(void)
{
    const char *why = NULL;
    struct em_oui *o = em_oui_load(oui_path, "data/router-makers.tsv", &why);
    T_ASSERT(o && !why);
    T_EQ_INT(em_oui_count(o), 3);   /* the "(base 16)" line is the same entry again: skipped */
    bool rm;
    const unsigned char y[6] = {0, 0xa0, 0xde, 1, 2, 3}, c[6] = {0, 0, 0x0c, 1, 2, 3}, l[6] = {2, 0xa0, 0xde, 1, 2, 3};
    T_EQ_STR(em_oui_maker(o, y, &rm), "YAMAHA CORPORATION");
    T_ASSERT(rm);
    T_EQ_STR(em_oui_maker(o, c, &rm), "Cisco Systems, Inc");
    T_ASSERT(!rm);
    T_ASSERT(!em_oui_maker(o, l, &rm));   /* locally administered */
    em_oui_free(o);
    o = em_oui_load("/nonexistent/oui.txt", "data/router-makers.tsv", &why);
    T_ASSERT(o && why && strstr(why, "ieee-data"));
    T_ASSERT(!em_oui_maker(o, y, &rm));
    em_oui_free(o);
}

/* A registry file that is there but names no maker (only oui.txt's heading, an oui.csv
 * header, a wrong file given in EDGEMAP_OUI_FILE) loads as an empty registry: every
 * lookup answers NULL. (Sorting the empty array passed NULL to qsort: UBSan, found by
 * fuzz_makers.) */
static void t_oui_empty_registry(void)
{
    char path[] = "/tmp/em-oui-empty-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    static const char text[] = "OUI/MA-L\t\t\tOrganization\r\ncompany_id\t\t\tOrganization\r\n\r\n"
                               "Registry,Assignment,Organization Name,Organization Address\n";
    T_ASSERT(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    const char *why = "unset";
    struct em_oui *o = em_oui_load(path, "data/router-makers.tsv", &why);
    unlink(path);
    T_ASSERT(o && !why);
    T_EQ_INT(em_oui_count(o), 0);
    bool rm = true;
    const unsigned char y[6] = {0, 0xa0, 0xde, 1, 2, 3};
    T_ASSERT(!em_oui_maker(o, y, &rm));
    T_ASSERT(!rm);
    em_oui_free(o);
}

static const struct t_case cases[] = {
    {"cdp_cache_decoded_and_not_queried_neighbours", t_cdp},
    {"fdb_arp_inferred_links_endpoints_segments", t_fdb_arp_infer},
    {"fdb_arp_route_index_decoders", t_decoders},
    {"wan_interface_and_static_route_lead_out", t_wan},
    {"oui_registry_and_router_makers", t_oui},
    {"oui_registry_without_entries", t_oui_empty_registry},
};

int main(void)
{
    write_oui();
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    em_disc_free(d);
    unlink(oui_path);
    return rc;
}
