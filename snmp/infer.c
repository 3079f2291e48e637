/* infer.c — what forwarding and ARP tables show where no neighbour protocol runs
 * (Netdisco's macsuck/arpnip heuristics, discovery-notes.md (5)):
 *   - a port with a LLDP/CDP neighbour, or learning more than one MAC, is an uplink
 *     (or a shared segment behind an unmanaged switch): nothing is attached there;
 *   - a MAC learned alone on a port is attached there: a known device's interface MAC
 *     gives an inferred link to that device, any other MAC an endpoint;
 *   - an ARP entry whose MAC no forwarding table attaches, made by a router maker,
 *     is an endpoint seen by the router (its port is the router's interface).
 * Endpoints get their IP from any ARP table and their maker from the IEEE registry.
 * Everything here is marked inferred: a forwarding table shows where a MAC was last
 * seen, not a cable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/decode.h"
#include "snmp/disc_int.h"

struct macref { unsigned char mac[6]; long dev; long arp_dev; const struct em_arp_entry *arp; };

/* MACs made into endpoints already (open addressing; a slot with used = false is free). */
struct macset { struct { unsigned char mac[6]; bool used; } *v; size_t cap, n; };

static size_t mac_hash(const unsigned char *m)
{
    size_t h = 1469598103u;
    for (int i = 0; i < 6; i++) h = (h ^ m[i]) * 16777619u;
    return h;
}

/* Adds mac; 1 when it was there already, 0 added, -1 no memory. */
static int macset_add(struct macset *s, const unsigned char *mac)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 1024;
        struct macset t = {calloc(nc, sizeof *t.v), nc, 0};
        if (!t.v) return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i].used) {
                size_t k = mac_hash(s->v[i].mac) & (nc - 1);
                while (t.v[k].used) k = (k + 1) & (nc - 1);
                t.v[k] = s->v[i];
                t.n++;
            }
        free(s->v);
        *s = t;
    }
    size_t k = mac_hash(mac) & (s->cap - 1);
    for (; s->v[k].used; k = (k + 1) & (s->cap - 1))
        if (memcmp(s->v[k].mac, mac, 6) == 0) return 1;
    memcpy(s->v[k].mac, mac, 6);
    s->v[k].used = true;
    s->n++;
    return 0;
}

static int cmp_mac(const void *a, const void *b) { return memcmp(a, b, 6); }

static struct macref *find(struct macref *v, size_t n, const unsigned char mac[6])
{
    return n ? bsearch(mac, v, n, sizeof *v, cmp_mac) : NULL;
}

/* MACs of the queried devices (interfaces, MAC chassis ids, FDB "self" rows). */
static int known_macs(const struct em_disc *d, struct macref **out, size_t *n)
{
    for (size_t i = 0; i < d->n_devs; i++) {
        const struct em_dev *x = &d->devs[i];
        for (size_t k = 0; k <= x->n_ifs + x->n_fdb; k++) {
            unsigned char m[6];
            if (k < x->n_ifs) { if (em_mac_parse(x->ifs[k].mac, m) != 0) continue; }
            else if (k < x->n_ifs + x->n_fdb) {
                const struct em_fdb_entry *e = &x->fdb[k - x->n_ifs];
                if (e->status != 4) continue;
                memcpy(m, e->mac, 6);
            } else if (x->ch_sub != 4 || em_mac_parse(x->chassis, m) != 0) continue;
            if ((m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0) continue;
            struct macref *r = em_vec_push((void **)out, n, sizeof *r);
            if (!r) return EM_ERR_NOMEM;
            memcpy(r->mac, m, 6);
            r->dev = (long)i;
            r->arp_dev = -1;
        }
    }
    if (*n) qsort(*out, *n, sizeof **out, cmp_mac);
    return 0;
}

/* MAC -> the first ARP entry naming it (IPv4 preferred) and the device holding it. */
static int arp_macs(const struct em_disc *d, struct macref **out, size_t *n)
{
    for (size_t i = 0; i < d->n_devs; i++)
        for (size_t k = 0; k < d->devs[i].n_arp; k++) {
            struct macref *r = em_vec_push((void **)out, n, sizeof *r);
            if (!r) return EM_ERR_NOMEM;
            memcpy(r->mac, d->devs[i].arp[k].mac, 6);
            r->dev = -1;
            r->arp_dev = (long)i;
            r->arp = &d->devs[i].arp[k];
        }
    if (*n) qsort(*out, *n, sizeof **out, cmp_mac);
    return 0;
}

static const struct em_arp_entry *arp_of(struct macref *v, size_t n, const unsigned char mac[6], long *dev)
{
    struct macref *r = find(v, n, mac);
    if (!r) return NULL;
    /* bsearch lands on any equal entry: prefer IPv4 among the neighbours */
    while (r > v && memcmp(r[-1].mac, mac, 6) == 0) r--;
    struct macref *best = r;
    for (; r < v + n && memcmp(r->mac, mac, 6) == 0; r++)
        if (r->arp->family == 4) { best = r; break; }
    *dev = best->arp_dev;
    return best->arp;
}

static const struct em_oui *oui(struct em_disc *d)
{
    if (!d->oui) {
        const char *why = NULL;
        d->oui = em_oui_load(d->oui_registry, d->makers_path, &why);
        if (why) em_disc_add_err(d, "", NULL, "oui_registry", why);
    }
    return d->oui;
}

/* True when device x has a LLDP/CDP neighbour row on the port named name. */
static bool neighbour_port(struct em_pool *p, const struct em_dev *x, const char *name)
{
    for (size_t k = 0; k < x->n_rems; k++)
        if (strcmp(em_nb_local_port(p, x, &x->rems[k]), name) == 0) return true;
    return false;
}

static bool linked(const struct em_disc *d, const char *a, const char *b)
{
    for (size_t i = 0; i < d->n_links; i++) {
        const struct em_link *l = &d->links[i];
        if ((strcmp(l->a_dev, a) == 0 && strcmp(l->b_dev, b) == 0) || (strcmp(l->a_dev, b) == 0 && strcmp(l->b_dev, a) == 0))
            return true;
    }
    return false;
}

/* An endpoint neighbour for mac, seen by device s on port (once per MAC: seen). */
static int endpoint(struct em_disc *d, size_t s, const char *port, const unsigned char mac[6], int source,
                    long vlan, struct macref *arps, size_t n_arps, struct macset *seen)
{
    struct em_pool *p = d->pool;
    int dup = macset_add(seen, mac);
    if (dup) return dup < 0 ? EM_ERR_NOMEM : 0;
    const char *mtxt = em_mac_str(p, mac);
    const char *key = em_pool_printf(p, "m:%s", mtxt);
    struct em_nbr *nb = em_disc_new_nbr(d, key);
    if (!nb) return EM_ERR_NOMEM;
    nb->source = source;
    nb->mac = mtxt;
    bool rm = false;
    const char *maker = em_oui_maker(oui(d), mac, &rm);
    nb->maker = maker ? em_pool_str(p, maker) : "";
    nb->router_maker = rm;
    nb->ch_sub = 4;
    nb->chassis = mtxt;
    nb->reason = "endpoint";
    nb->seen_by = d->devs[s].id;
    nb->local_port = port;
    nb->vlan = vlan;
    long adev;
    const struct em_arp_entry *a = arp_of(arps, n_arps, mac, &adev);
    if (a) {
        nb->addrs = calloc(1, sizeof *nb->addrs);
        if (!nb->addrs) return EM_ERR_NOMEM;
        nb->n_addrs = 1;
        nb->addrs[0].family = a->family;
        memcpy(nb->addrs[0].raw, a->addr, 16);
        nb->addrs[0].text = a->text;
        nb->addrs[0].prefix = -1;
        nb->addrs[0].global = em_addr_is_global(a->family, a->addr);
    }
    int rc = em_disc_push_link(d, d->devs[s].id, port, nb->id, "", "inferred", source);   /* a new end */
    if (rc == 0) d->links[d->n_links - 1].vlan = vlan;
    return rc;
}

struct portgrp { long key; size_t first, n_learned; long ifidx, bport; };

static int cmp_fdb_port(const void *a, const void *b)
{
    const struct em_fdb_entry *x = a, *y = b;
    long kx = x->if_index ? x->if_index : -x->bridge_port, ky = y->if_index ? y->if_index : -y->bridge_port;
    if (kx != ky) return kx < ky ? -1 : 1;
    return memcmp(x->mac, y->mac, 6);
}

static bool learned(const struct em_fdb_entry *e) { return e->status == 3 || e->status == 1; }

/* The forwarding table of device s. */
static int infer_fdb(struct em_disc *d, size_t s, struct macref *known, size_t n_known, struct macref *arps,
                     size_t n_arps, unsigned char (**attached)[6], size_t *n_att, struct macset *seen)
{
    struct em_pool *p = d->pool;
    struct em_dev *x = &d->devs[s];
    if (!x->n_fdb) return 0;
    qsort(x->fdb, x->n_fdb, sizeof *x->fdb, cmp_fdb_port);
    int rc = 0;
    for (size_t i = 0; i < x->n_fdb && rc == 0;) {
        long key = x->fdb[i].if_index ? x->fdb[i].if_index : -x->fdb[i].bridge_port;
        size_t j = i, n = 0, only = 0;
        for (; j < x->n_fdb; j++) {
            const struct em_fdb_entry *e = &x->fdb[j];
            if ((e->if_index ? e->if_index : -e->bridge_port) != key) break;
            struct macref *k = find(known, n_known, e->mac);
            if (!learned(e) || (k && k->dev == (long)s)) continue;   /* its own MACs */
            /* the same MAC in several FDB ids (VLANs) is one station */
            if (n && memcmp(x->fdb[only].mac, e->mac, 6) == 0) continue;
            n++; only = j;
        }
        const struct em_fdb_entry *e = &x->fdb[only];
        const char *port = e->if_index ? em_dev_if_name(p, x, e->if_index)
                                       : em_pool_printf(p, "bridge port %ld", e->bridge_port);
        i = j;
        if (n != 1 || neighbour_port(p, x, port)) continue;   /* uplink, shared or LLDP/CDP port */
        struct macref *k = find(known, n_known, e->mac);
        if (k) {
            const struct em_dev *t = &d->devs[k->dev];
            if (!linked(d, x->id, t->id)) rc = em_disc_add_link(d, x->id, port, t->id, "", "inferred", EM_NB_FDB);
        } else {
            rc = endpoint(d, s, port, e->mac, EM_NB_FDB, e->vlan, arps, n_arps, seen);
        }
        unsigned char (*na)[6] = realloc(*attached, (*n_att + 1) * sizeof *na);
        if (!na) return EM_ERR_NOMEM;
        *attached = na;
        memcpy(na[(*n_att)++], e->mac, 6);
    }
    return rc;
}

int em_disc_infer(struct em_disc *d)
{
    struct macref *known = NULL, *arps = NULL;
    size_t n_known = 0, n_arps = 0, n_att = 0;
    unsigned char (*attached)[6] = NULL;
    struct macset seen = {NULL, 0, 0};
    int rc = known_macs(d, &known, &n_known);
    if (rc == 0) rc = arp_macs(d, &arps, &n_arps);
    for (size_t s = 0; s < d->n_devs && rc == 0; s++)
        rc = infer_fdb(d, s, known, n_known, arps, n_arps, &attached, &n_att, &seen);
    /* ARP entries no forwarding table attached: a router maker's box is still worth
       naming (seen by the router, on the interface it answers on) */
    if (n_att > 1) qsort(attached, n_att, 6, cmp_mac);
    for (size_t r = 0; r < d->n_devs && rc == 0; r++) {
        struct em_dev *x = &d->devs[r];
        for (size_t k = 0; k < x->n_arp && rc == 0; k++) {
            const struct em_arp_entry *a = &x->arp[k];
            if (find(known, n_known, a->mac)) continue;
            if (n_att && bsearch(a->mac, attached, n_att, 6, cmp_mac)) continue;
            bool rm = false;
            em_oui_maker(oui(d), a->mac, &rm);
            if (!rm) continue;
            rc = endpoint(d, r, em_dev_if_name(d->pool, x, a->if_index), a->mac, EM_NB_ARP, 0, arps, n_arps, &seen);
        }
    }
    free(known);
    free(arps);
    free(attached);
    free(seen.v);
    return rc;
}
