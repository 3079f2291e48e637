/* snmp_vlan.c — Cisco per-VLAN forwarding tables (snmp/vlan.c): which devices are
 * Cisco, the VLAN list from vtpVlanState (reserved, suspended and VLAN 1 left out, the
 * cap), the community / v3 context names, a VLAN's rows merged with their own
 * bridge-port map, and the 7-byte MAC index in BRIDGE-MIB and Q-BRIDGE-MIB tables. */
#include "tests/unit/t.h"

#include <stdlib.h>

#include "snmp/dev.h"

/* Parses walk text into l (freed by the caller with em_vblist_free). */
static void parse(const char *text, struct em_vblist *l)
{
    struct em_err err;
    em_err_clear(&err);
    memset(l, 0, sizeof *l);
    T_EQ_INT(em_walk_parse(text, strlen(text), "t.walk", l, &err), 0);
}

static void t_is_cisco(void)
{
    T_ASSERT(em_vlan_is_cisco(".1.3.6.1.4.1.9.1.1208"));
    T_ASSERT(em_vlan_is_cisco("1.3.6.1.4.1.9.12.3.1.3.1"));
    T_ASSERT(!em_vlan_is_cisco(".1.3.6.1.4.1.99.1"));       /* another enterprise */
    T_ASSERT(!em_vlan_is_cisco(".1.3.6.1.4.1.8072.3.2.10"));
    T_ASSERT(!em_vlan_is_cisco(".1.3.6.1.4.1.9"));          /* the enterprise itself */
    T_ASSERT(!em_vlan_is_cisco(""));
    T_ASSERT(!em_vlan_is_cisco(NULL));
}

#define VTP ".1.3.6.1.4.1.9.9.46.1.3.1.1.2"

static void t_vtp_list(void)
{
    struct em_vblist l;
    parse(VTP ".1.1 = INTEGER: operational(1)\n"
          VTP ".1.20 = INTEGER: operational(1)\n"
          VTP ".1.10 = INTEGER: 1\n"
          VTP ".1.30 = INTEGER: suspended(2)\n"
          VTP ".1.1002 = INTEGER: operational(1)\n"
          VTP ".1.1003 = INTEGER: operational(1)\n"
          VTP ".1.1004 = INTEGER: operational(1)\n"
          VTP ".1.1005 = INTEGER: operational(1)\n"
          VTP ".1.4095 = INTEGER: operational(1)\n"      /* not a VLAN id */
          VTP ".2.20 = INTEGER: operational(1)\n"        /* the same VLAN in a 2nd domain */
          VTP ".40 = INTEGER: operational(1)\n"          /* index without the domain */
          VTP ".1.50 = STRING: \"1\"\n",                 /* not an INTEGER */
          &l);
    long v[8];
    size_t all = 99;
    bool v1 = false;
    T_EQ_INT(em_vtp_vlans(&l, v, 8, &all, &v1), 2);
    T_EQ_INT(v[0], 10);
    T_EQ_INT(v[1], 20);
    T_EQ_INT(all, 2);
    T_ASSERT(v1);
    T_EQ_INT(em_vtp_vlans(&l, v, 1, &all, &v1), 1);   /* capped: the lowest first */
    T_EQ_INT(v[0], 10);
    T_EQ_INT(all, 2);
    em_vblist_free(&l);
    parse(".1.3.6.1.2.1.1.5.0 = STRING: \"sw\"\n", &l);  /* no VTP table */
    T_EQ_INT(em_vtp_vlans(&l, v, 8, &all, &v1), 0);
    T_EQ_INT(all, 0);
    T_ASSERT(!v1);
    em_vblist_free(&l);
}

static void t_names(void)
{
    char b[32];
    T_EQ_INT(em_vlan_community(b, sizeof b, "public", 20), 0);
    T_EQ_STR(b, "public@20");
    T_EQ_INT(em_vlan_context(b, sizeof b, 4094), 0);
    T_EQ_STR(b, "vlan-4094");
    T_EQ_INT(em_vlan_community(b, 9, "public", 20), -1);   /* does not fit: refused, not cut */
    T_EQ_INT(em_vlan_context(b, 8, 20), 0);    /* "vlan-20" and its NUL */
    T_EQ_INT(em_vlan_context(b, 7, 20), -1);
}

#define BASE ".1.3.6.1.2.1.17.1.4.1.2"
#define DPORT ".1.3.6.1.2.1.17.4.3.1.2"
#define DSTAT ".1.3.6.1.2.1.17.4.3.1.3"

static const char cat[] =
    ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.9.1.1208\n"
    VTP ".1.1 = INTEGER: operational(1)\n"
    VTP ".1.20 = INTEGER: operational(1)\n"
    BASE ".5 = INTEGER: 10105\n"
    DPORT ".0.80.86.0.0.1 = INTEGER: 5\n"
    DSTAT ".0.80.86.0.0.1 = INTEGER: learned(3)\n";

static void t_merge(void)
{
    struct em_pool *p = em_pool_new();
    T_ASSERT(p);
    struct em_vblist l;
    struct em_dev dev;
    memset(&dev, 0, sizeof dev);
    parse(cat, &l);
    T_EQ_INT(em_dev_decode(p, &l, &dev), 0);
    em_vblist_free(&l);
    T_EQ_INT(dev.n_fdb, 1);
    T_EQ_INT(dev.fdb[0].vlan, 1);              /* the plain community is VLAN 1 */
    T_EQ_INT(dev.fdb[0].if_index, 10105);
    T_EQ_INT(dev.n_vlans, 1);
    /* VLAN 20's instance: its own bridge-port map (port 5 is another ifIndex there),
       one row with the leading length sub-id */
    parse(BASE ".5 = INTEGER: 10205\n" BASE ".7 = INTEGER: 10107\n"
          DPORT ".0.160.222.0.0.80 = INTEGER: 7\n" DSTAT ".0.160.222.0.0.80 = INTEGER: learned(3)\n"
          DPORT ".6.0.80.86.0.0.2 = INTEGER: 5\n" DSTAT ".6.0.80.86.0.0.2 = INTEGER: learned(3)\n", &l);
    T_EQ_INT(em_fdb_add_vlan(p, &l, &dev, 20), 0);
    T_EQ_INT(dev.n_fdb, 3);
    bool lte = false, pc = false;
    for (size_t i = 0; i < dev.n_fdb; i++) {
        const struct em_fdb_entry *e = &dev.fdb[i];
        if (e->mac[1] == 160) lte = e->vlan == 20 && e->if_index == 10107 && e->bridge_port == 7;
        if (e->mac[5] == 2) pc = e->vlan == 20 && e->if_index == 10205;
    }
    T_ASSERT(lte);
    T_ASSERT(pc);
    T_EQ_INT(dev.n_vlans, 2);
    T_EQ_INT(dev.vlans[0], 1);
    T_EQ_INT(dev.vlans[1], 20);
    T_EQ_INT(em_fdb_add_vlan(p, &l, &dev, 20), 0);   /* the same VLAN twice: kept once */
    T_EQ_INT(dev.n_fdb, 3);
    em_vblist_free(&l);
    em_dev_clear(&dev);
    /* not Cisco: the plain table's VLAN is unknown, nothing tagged */
    char other[sizeof cat];
    memcpy(other, cat, sizeof cat);
    char *nine = strstr(other, "4.1.9.1.1208");
    T_ASSERT(nine);
    nine[4] = '8';                              /* enterprise 8 */
    parse(other, &l);
    T_EQ_INT(em_dev_decode(p, &l, &dev), 0);
    T_EQ_INT(dev.n_fdb, 1);
    T_EQ_INT(dev.fdb[0].vlan, 0);
    T_EQ_INT(dev.n_vlans, 0);
    em_vblist_free(&l);
    em_dev_clear(&dev);
    em_pool_free(p);
}

/* Both forwarding tables with the MAC index prefixed by its length (6). */
static void t_seven_byte_index(void)
{
    struct em_pool *p = em_pool_new();
    T_ASSERT(p);
    struct em_vblist l;
    struct em_dev dev;
    memset(&dev, 0, sizeof dev);
    parse(".1.3.6.1.2.1.17.7.1.2.2.1.2.20.6.0.160.222.1.2.3 = INTEGER: 4\n"
          ".1.3.6.1.2.1.17.7.1.2.2.1.3.20.6.0.160.222.1.2.3 = INTEGER: learned(3)\n"
          ".1.3.6.1.2.1.17.7.1.2.2.1.2.20.0.160.222.1.2.4 = INTEGER: 4\n"
          DPORT ".6.0.80.86.9.9.9 = INTEGER: 3\n"
          DPORT ".7.0.80.86.9.9.8 = INTEGER: 3\n"           /* 7 sub-ids not led by 6: dropped */
          DPORT ".6.0.80.86.9.9 = INTEGER: 3\n", &l);       /* 6 sub-ids led by 6: a 6-byte MAC */
    T_EQ_INT(em_fdb_decode(p, &l, &dev), 0);
    em_vblist_free(&l);
    T_EQ_INT(dev.n_fdb, 4);
    int q = 0, dd = 0;
    for (size_t i = 0; i < dev.n_fdb; i++) {
        const struct em_fdb_entry *e = &dev.fdb[i];
        if (e->fdb_id == 20 && e->mac[0] == 0 && e->mac[1] == 160 && e->mac[2] == 222 && e->bridge_port == 4) q++;
        if (e->fdb_id == 0 && e->mac[1] == 80 && e->mac[5] == 9 && e->bridge_port == 3) dd++;
    }
    T_EQ_INT(q, 2);
    T_EQ_INT(dd, 1);
    parse(".1.3.6.1.2.1.17.7.1.2.2.1.2.20.0.160.222.1.2.4 = INTEGER: 4\n", &l);
    T_ASSERT(em_vlan_has_qbridge(&l));               /* every VLAN there: no per-VLAN reads */
    em_vblist_free(&l);
    parse(DPORT ".0.80.86.9.9.9 = INTEGER: 3\n.1.3.6.1.2.1.17.7.1.1.1.0 = INTEGER: 1\n", &l);
    T_ASSERT(!em_vlan_has_qbridge(&l));
    em_vblist_free(&l);
    em_dev_clear(&dev);
    em_pool_free(p);
}

static const struct t_case cases[] = {
    {"cisco_by_sys_object_id", t_is_cisco},
    {"vtp_vlan_list_operational_reserved_cap", t_vtp_list},
    {"vlan_community_and_v3_context_names", t_names},
    {"vlan_rows_merged_with_their_own_port_map", t_merge},
    {"seven_byte_mac_index_bridge_and_qbridge", t_seven_byte_index},
};

T_MAIN(cases)
