/* crawl_vlan.c — Cisco per-VLAN forwarding tables inside the async crawl (vlan.c has
 * the pure parts): after an agent's plain walk, the BRIDGE-MIB columns again for each
 * operational VLAN, with community@VLAN (v2c) or context vlan-VLAN (v3) on the PDU,
 * one VLAN after the other in the agent's own session; then the ranges decoded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/crawl_int.h"

/* A VLAN read goes out with community@VLAN (v2c) or context vlan-VLAN (v3) set on the
 * PDU itself (net-snmp fills a PDU's empty community / context from the session and
 * frees what the PDU holds). */
bool em_crawl_vlan_pdu(struct agent *a, netsnmp_pdu *pdu)
{
    char name[192];
    if (a->cred->version == 3) {
        if (em_vlan_context(name, sizeof name, a->vlan_cur) != 0) return false;
        pdu->contextName = strdup(name);
        if (!pdu->contextName) return false;
        pdu->contextNameLen = strlen(name);
        return true;
    }
    if (em_vlan_community(name, sizeof name, a->cred->community, a->vlan_cur) != 0) return false;
    size_t n = strlen(name);
    pdu->community = malloc(n);
    if (!pdu->community) return false;
    memcpy(pdu->community, name, n);
    pdu->community_len = n;
    return true;
}

/* The current VLAN's read failed (no answer, an error status, a v3 report): recorded,
 * and the crawl of this agent goes on with the next VLAN; after two misses in a row
 * the agent is taken not to serve per-VLAN reads at all and the rest are skipped. */
void em_crawl_vlan_miss(struct agent *a, const char *why)
{
    char msg[300];
    if (a->cred->version == 3)
        snprintf(msg, sizeof msg, "VLAN %ld: %s with SNMPv3 context vlan-%ld: this VLAN's forwarding table is missing (data partial)",
                 a->vlan_cur, why, a->vlan_cur);
    else
        snprintf(msg, sizeof msg, "VLAN %ld: %s with community@%ld: this VLAN's forwarding table is missing (data partial)",
                 a->vlan_cur, why, a->vlan_cur);
    em_crawl_warn(a, "vlan_unread", msg);
    for (size_t i = 0; i < a->ncols; i++) a->cols[i].done = true;
    a->need_send = false;
    if (++a->vlan_misses >= 2 && a->vlan_next < a->n_vlans) {
        snprintf(msg, sizeof msg, "%zu more VLANs not read: the agent did not answer per-VLAN reads twice in a row",
                 a->n_vlans - a->vlan_next);
        em_crawl_warn(a, "vlan_unread", msg);
        a->vlan_next = a->n_vlans;
    }
}

/* Called when the agent has nothing more to send: closes the current VLAN's range,
 * lists the VLANs on the first call (Cisco only, capped by --max-vlans), and starts
 * the next VLAN's read (the BRIDGE-MIB columns from their roots). False when there is
 * no VLAN left: the agent is done. */
bool em_crawl_vlan_next(struct crawl *cr, struct agent *a)
{
    if (a->vlan_cur) {
        a->vr[a->n_vr - 1].to = a->vbs.n;
        a->vlan_cur = 0;
    }
    if (!a->cisco || a->failed || a->vbs.full || cr->o->max_vlans < 0) return false;
    if (!a->vlans_listed) {
        /* a Cisco switch that answers Q-BRIDGE-MIB (Cisco SMB, some IOS-XE) gave every
           VLAN's rows already */
        if (em_vlan_has_qbridge(&a->vbs)) return false;
        a->vlans_listed = true;
        a->base_end = a->vbs.n;
        size_t max = cr->o->max_vlans > 0 ? (size_t)cr->o->max_vlans : EM_VLANS_MAX_DEFAULT, all = 0;
        bool v1;
        a->vlans = malloc(max * sizeof *a->vlans);
        a->vr = malloc(max * sizeof *a->vr);
        if (!a->vlans || !a->vr) { em_crawl_warn(a, "nomem", "out of memory: VLANs not read"); return false; }
        a->n_vlans = em_vtp_vlans(&a->vbs, a->vlans, max, &all, &v1);
        if (all > a->n_vlans) {
            char msg[200];
            snprintf(msg, sizeof msg, "%zu operational VLANs: the forwarding tables of the first %zu were read (--max-vlans)",
                     all + (v1 ? 1 : 0), a->n_vlans + (v1 ? 1 : 0));
            em_crawl_warn(a, "vlan_cap", msg);
        }
    }
    if (a->vlan_next >= a->n_vlans) return false;
    a->vlan_cur = a->vlans[a->vlan_next++];
    a->vr[a->n_vr++] = (struct vrange){a->vlan_cur, a->vbs.n, a->vbs.n};
    for (size_t i = 0; i < a->ncols; i++) {
        struct col *c = &a->cols[i];
        c->done = !c->vlan_fdb;
        memcpy(c->last, c->root, c->root_len * sizeof(oid));
        c->last_len = c->root_len;
        c->rows = 0;
    }
    a->need_send = true;
    return true;
}

/* The plain walk, then each VLAN's forwarding table read, into dev. 0 or EM_ERR_NOMEM. */
int em_crawl_decode(struct em_pool *pool, const struct agent *a, struct em_dev *dev)
{
    struct em_vblist view = a->vbs;
    if (a->vlans_listed) view.n = a->base_end;
    int rc = em_dev_decode(pool, &view, dev);
    for (size_t i = 0; i < a->n_vr && rc == 0; i++) {
        struct em_vblist one = {a->vbs.v + a->vr[i].from, a->vr[i].to - a->vr[i].from, 0, false};
        if (i + 1 == a->n_vr && a->vlan_cur) one.n = a->vbs.n - a->vr[i].from;   /* cut short */
        if (one.n) rc = em_fdb_add_vlan(pool, &one, dev, a->vr[i].vlan);
    }
    return rc;
}
