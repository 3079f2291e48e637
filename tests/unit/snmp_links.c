/* snmp_links.c — identity and links: devices deduplicated by chassis id (not by a
 * repeated factory sysName), links with "both"/"one" evidence, neighbours not queried,
 * and a device without LLDP local data found by name. */
#include "tests/unit/t.h"

#include <stdlib.h>

#include "snmp/disc_int.h"

static void add(struct em_vblist *l, const char *oid, int type, long num, const char *s, size_t n)
{
    uint32_t o[EM_OID_MAX];
    int k = em_oid_parse(oid, o, EM_OID_MAX);
    T_ASSERT(k > 0);
    T_EQ_INT(em_vblist_add(l, o, (size_t)k, type, num, s, n), 0);
}

#define LR "1.0.8802.1.1.2.1.4.1.1."
/* a device: name, chassis byte (0 = no LLDP local data), one neighbour row per peer */
static void dev(struct em_disc *d, const char *name, int ch, const char *queried,
                int peer_port, int peer_ch, const char *peer_name, const char *peer_port_id)
{
    struct em_vblist l = {0};
    char mac[6] = {2, 0, 0, 0, 0, (char)ch};
    add(&l, "1.3.6.1.2.1.1.5.0", EM_VB_OCTETS, 0, name, strlen(name));
    if (ch) {
        add(&l, "1.0.8802.1.1.2.1.3.1.0", EM_VB_INT, 4, NULL, 0);
        add(&l, "1.0.8802.1.1.2.1.3.2.0", EM_VB_OCTETS, 0, mac, 6);
        char o[80];
        snprintf(o, sizeof o, "1.0.8802.1.1.2.1.3.7.1.3.%d", peer_port);
        char pid[16];
        snprintf(pid, sizeof pid, "p%d", peer_port);
        add(&l, o, EM_VB_OCTETS, 0, pid, strlen(pid));
    }
    if (peer_name) {
        char o[80];
        char pm[6] = {2, 0, 0, 0, 0, (char)peer_ch};
        if (peer_ch) {
            snprintf(o, sizeof o, LR "4.0.%d.1", peer_port); add(&l, o, EM_VB_INT, 4, NULL, 0);
            snprintf(o, sizeof o, LR "5.0.%d.1", peer_port); add(&l, o, EM_VB_OCTETS, 0, pm, 6);
        }
        snprintf(o, sizeof o, LR "6.0.%d.1", peer_port); add(&l, o, EM_VB_INT, 7, NULL, 0);
        snprintf(o, sizeof o, LR "7.0.%d.1", peer_port); add(&l, o, EM_VB_OCTETS, 0, peer_port_id, strlen(peer_port_id));
        snprintf(o, sizeof o, LR "9.0.%d.1", peer_port); add(&l, o, EM_VB_OCTETS, 0, peer_name, strlen(peer_name));
    }
    struct em_dev x = {0};
    x.queried = queried;
    T_EQ_INT(em_dev_decode(d->pool, &l, &x), 0);
    T_ASSERT(em_disc_add_dev(d, &x) >= 0);
    em_vblist_free(&l);
}

static void same_name_two_devices(void)
{
    struct em_disc *d = em_disc_new();
    /* two switches both still called "Switch", cabled p1 <-> p2 */
    dev(d, "Switch", 1, "10.0.0.1", 1, 2, "Switch", "p2");
    dev(d, "Switch", 2, "10.0.0.2", 2, 1, "Switch", "p1");
    dev(d, "Switch", 2, "10.0.0.3", 2, 1, "Switch", "p1");   /* the 2nd again, other address */
    T_EQ_INT(em_disc_finish(d, "not_queried"), 0);
    T_EQ_INT(d->n_devs, 2);
    T_EQ_INT(d->devs[1].n_aliases, 1);
    T_EQ_STR(d->devs[1].aliases[0], "10.0.0.3");
    T_EQ_INT(d->n_links, 1);
    T_EQ_STR(d->links[0].evidence, "both");
    T_EQ_STR(d->links[0].a_dev, "dev-1"); T_EQ_STR(d->links[0].b_dev, "dev-2");
    T_EQ_INT(d->n_nbrs, 0);
    em_disc_free(d);
}

static void one_sided_and_not_queried(void)
{
    struct em_disc *d = em_disc_new();
    /* core lists a router (not queried) and an AP without LLDP local data, found by name */
    dev(d, "core", 1, "10.0.0.1", 3, 9, "rtr", "wan0");
    dev(d, "ap-1", 0, "10.0.0.7", 0, 0, NULL, NULL);
    em_disc_set_reason(d, "c4:02:00:00:00:00:09", "out_of_scope");
    T_EQ_INT(em_disc_finish(d, "not_queried"), 0);
    T_EQ_INT(d->n_devs, 2);
    T_EQ_INT(d->n_nbrs, 1);
    T_EQ_STR(d->nbrs[0].sys_name, "rtr");
    T_EQ_STR(d->nbrs[0].reason, "out_of_scope");
    T_EQ_INT(d->n_links, 1);
    T_EQ_STR(d->links[0].evidence, "one");
    T_EQ_STR(d->links[0].b_dev, "nbr-1");
    em_disc_free(d);

    d = em_disc_new();
    dev(d, "core", 1, "10.0.0.1", 3, 0, "ap-1", "eth0");     /* row without chassis id */
    dev(d, "ap-1", 0, "10.0.0.7", 0, 0, NULL, NULL);
    T_EQ_INT(em_disc_finish(d, "not_queried"), 0);
    T_EQ_INT(d->n_links, 1);
    T_EQ_STR(d->links[0].b_dev, "dev-2");
    T_EQ_INT(d->n_nbrs, 0);
    em_disc_free(d);
}

static void same_name_unqueried_neighbour(void)
{
    struct em_disc *d = em_disc_new();
    /* "Switch" (chassis 1) lists another "Switch" (chassis 3) that was not queried:
     * it must stay a neighbour, not be mistaken for the first by its name */
    dev(d, "Switch", 1, "10.0.0.1", 5, 3, "Switch", "p9");
    T_EQ_INT(em_disc_finish(d, "not_queried"), 0);
    T_EQ_INT(d->n_devs, 1);
    T_EQ_INT(d->n_nbrs, 1);
    T_EQ_STR(d->nbrs[0].chassis, "02:00:00:00:00:03");
    T_EQ_INT(d->n_links, 1);
    T_EQ_STR(d->links[0].b_dev, "nbr-1");
    em_disc_free(d);
}

static const struct t_case cases[] = {
    {"links: a not-queried neighbour sharing a device's sysName stays a neighbour", same_name_unqueried_neighbour},
    {"links: same factory sysName, different chassis = two devices; reached twice = one", same_name_two_devices},
    {"links: one-sided links, neighbours not queried with reason, name-only match", one_sided_and_not_queried},
};
T_MAIN(cases)
