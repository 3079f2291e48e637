/* json.c — DISC.json (schema edgemap-discovery/1) with json-c, written into the run's
 * output set (mapper/outset.h: temp + rename, or written through for a device), so an
 * existing file is never left truncated. Credentials are never part of the result. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "mapper/visible.h"
#include "snmp/disc_int.h"

/* Every string of DISC.json goes through here: a device's sysName or ifDescr may be
 * any bytes, and JSON must be valid UTF-8, so bad bytes become U+FFFD. */
static json_object *str(const char *s)
{
    char *v = em_utf8_valid(s);
    json_object *o = json_object_new_string(v ? v : "");
    free(v);
    return o;
}

static json_object *addr_json(const struct em_dev_addr *a)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "address", str(a->text));
    json_object_object_add(o, "family", str(a->family == 4 ? "ipv4" : "ipv6"));
    if (a->prefix >= 0) json_object_object_add(o, "prefix_len", json_object_new_int(a->prefix));
    if (a->if_index) json_object_object_add(o, "if_index", json_object_new_int64(a->if_index));
    json_object_object_add(o, "global", json_object_new_boolean(a->global));
    return o;
}

static json_object *caps_json(unsigned caps)
{
    json_object *arr = json_object_new_array();
    for (int b = 0; b < 8; b++)
        if (caps & (1u << b)) json_object_array_add(arr, str(em_lldp_cap_name(b)));
    return arr;
}

static const char *oper_name(long v)
{
    static const char *const n[] = {NULL, "up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown"};
    return v >= 1 && v <= 7 ? n[v] : "";
}

/* The device's LLDP and CDP rows, as "lldp_neighbors" and "cdp_neighbors" of o. */
static void nbr_rows_json(struct em_pool *p, const struct em_dev *d, json_object *o)
{
    json_object *rm = json_object_new_array(), *cdp = json_object_new_array();
    for (size_t i = 0; i < d->n_rems; i++) {
        const struct em_neighbor *r = &d->rems[i];
        json_object *x = json_object_new_object();
        bool is_cdp = r->source == EM_NB_CDP;
        json_object_object_add(x, "source", str(em_nb_source_name(r->source)));
        json_object_object_add(x, "local_port", str(em_nb_local_port(p, d, r)));
        json_object_object_add(x, is_cdp ? "local_if_index" : "local_port_num", json_object_new_int64(r->port));
        if (is_cdp) {
            json_object_object_add(x, "device_id", str(r->chassis));
            json_object_object_add(x, "device_port", str(r->port_id));
            json_object_object_add(x, "platform", str(r->platform));
            json_object_object_add(x, "version", str(r->sys_desc));
        } else {
            json_object_object_add(x, "chassis_id", str(r->chassis));
            json_object_object_add(x, "chassis_id_subtype", str(em_lldp_chassis_subtype_name(r->ch_sub)));
            json_object_object_add(x, "port_id", str(r->port_id));
            json_object_object_add(x, "port_id_subtype", str(em_lldp_port_subtype_name(r->port_sub)));
            json_object_object_add(x, "port_desc", str(r->port_desc));
            json_object_object_add(x, "sys_desc", str(r->sys_desc));
        }
        json_object_object_add(x, "sys_name", str(r->sys_name));
        json_object_object_add(x, "capabilities", caps_json(r->caps_en ? r->caps_en : r->caps_sup));
        json_object *ma = json_object_new_array();
        for (size_t k = 0; k < r->n_mgmt; k++) json_object_array_add(ma, addr_json(&r->mgmt[k]));
        json_object_object_add(x, "management_addresses", ma);
        json_object_array_add(is_cdp ? cdp : rm, x);
    }
    json_object_object_add(o, "lldp_neighbors", rm);
    json_object_object_add(o, "cdp_neighbors", cdp);
}

/* The device's ARP, forwarding and route tables into o. */
static void tables_json(struct em_pool *p, const struct em_dev *d, json_object *o)
{
    json_object *arp = json_object_new_array();
    for (size_t i = 0; i < d->n_arp; i++) {
        const struct em_arp_entry *e = &d->arp[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "address", str(e->text));
        json_object_object_add(x, "mac", str(em_mac_str(p, e->mac)));
        json_object_object_add(x, "interface", str(em_dev_if_name(p, d, e->if_index)));
        json_object_object_add(x, "type", str(e->type == 4 ? "static" : e->type == 3 ? "dynamic" : "other"));
        json_object_array_add(arp, x);
    }
    json_object_object_add(o, "arp", arp);
    json_object *fdb = json_object_new_array();
    for (size_t i = 0; i < d->n_fdb; i++) {
        const struct em_fdb_entry *e = &d->fdb[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "mac", str(em_mac_str(p, e->mac)));
        json_object_object_add(x, "port", str(e->if_index ? em_dev_if_name(p, d, e->if_index)
                                                          : em_pool_printf(p, "bridge port %ld", e->bridge_port)));
        json_object_object_add(x, "bridge_port", json_object_new_int64(e->bridge_port));
        if (e->fdb_id) json_object_object_add(x, "fdb_id", json_object_new_int64(e->fdb_id));
        if (e->vlan) json_object_object_add(x, "vlan", json_object_new_int64(e->vlan));
        json_object_object_add(x, "status", str(e->status == 3 ? "learned" : e->status == 4 ? "self" : e->status == 5 ? "mgmt" : "other"));
        json_object_array_add(fdb, x);
    }
    json_object_object_add(o, "fdb", fdb);
    if (d->n_vlans) {   /* Cisco: the VLANs whose forwarding tables were read (vlan.c) */
        json_object *vl = json_object_new_array();
        for (size_t i = 0; i < d->n_vlans; i++) json_object_array_add(vl, json_object_new_int64(d->vlans[i]));
        json_object_object_add(o, "fdb_vlans", vl);
    }
    json_object *rt = json_object_new_array();
    for (size_t i = 0; i < d->n_routes; i++) {
        const struct em_route *r = &d->routes[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "destination", str(em_pool_printf(p, "%s/%d", r->dest_text, r->prefix)));
        json_object_object_add(x, "next_hop", str(r->nh_text));
        json_object_object_add(x, "kind", str(r->prefix == 0 ? "default" : "static"));
        if (r->if_index) json_object_object_add(x, "interface", str(em_dev_if_name(p, d, r->if_index)));
        json_object_array_add(rt, x);
    }
    json_object_object_add(o, "routes", rt);
}

static json_object *dev_json(struct em_pool *p, const struct em_dev *d)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "id", str(d->id));
    json_object_object_add(o, "chassis_id", str(d->chassis));
    json_object_object_add(o, "chassis_id_subtype", str(d->chassis[0] ? em_lldp_chassis_subtype_name(d->ch_sub) : ""));
    json_object_object_add(o, "sys_name", str(d->sys_name));
    json_object_object_add(o, "sys_descr", str(d->sys_descr));
    json_object_object_add(o, "sys_object_id", str(d->sys_oid));
    json_object_object_add(o, "sys_location", str(d->sys_location));
    json_object_object_add(o, "queried", str(d->queried));
    json_object *al = json_object_new_array();
    for (size_t i = 0; i < d->n_aliases; i++) json_object_array_add(al, str(d->aliases[i]));
    json_object_object_add(o, "also_reached_at", al);
    json_object *ifs = json_object_new_array();
    for (size_t i = 0; i < d->n_ifs; i++) {
        const struct em_dev_if *f = &d->ifs[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "if_index", json_object_new_int64(f->idx));
        json_object_object_add(x, "name", str(f->name));
        json_object_object_add(x, "descr", str(f->descr));
        json_object_object_add(x, "type", json_object_new_int64(f->type));
        json_object_object_add(x, "mac", str(f->mac));
        json_object_object_add(x, "oper_status", str(oper_name(f->oper)));
        if (em_if_wan_kind(f->type)) json_object_object_add(x, "wan", str(em_if_wan_kind(f->type)));
        json_object_array_add(ifs, x);
    }
    json_object_object_add(o, "interfaces", ifs);
    json_object *ad = json_object_new_array();
    for (size_t i = 0; i < d->n_addrs; i++) json_object_array_add(ad, addr_json(&d->addrs[i]));
    json_object_object_add(o, "addresses", ad);
    json_object *lp = json_object_new_array();
    for (size_t i = 0; i < d->n_ports; i++) {
        const struct em_lldp_port *pt = &d->ports[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "port_num", json_object_new_int64(pt->num));
        json_object_object_add(x, "port_id", str(pt->id));
        json_object_object_add(x, "port_id_subtype", str(em_lldp_port_subtype_name(pt->id_sub)));
        json_object_object_add(x, "port_desc", str(pt->desc));
        json_object_object_add(x, "interface", str(em_dev_port_name(p, d, pt->num)));
        json_object_array_add(lp, x);
    }
    json_object_object_add(o, "lldp_local_ports", lp);
    nbr_rows_json(p, d, o);
    tables_json(p, d, o);
    json_object *nh = json_object_new_array();
    for (size_t i = 0; i < d->n_next_hops; i++) json_object_array_add(nh, addr_json(&d->next_hops[i]));
    json_object_object_add(o, "default_next_hops", nh);
    return o;
}

static const char *confidence(const char *evidence)
{
    if (strcmp(evidence, "both") == 0) return "high";
    if (strcmp(evidence, "inferred") == 0) return "inferred";
    return "medium";
}

static json_object *link_json(const struct em_link *l)
{
    json_object *x = json_object_new_object();
    json_object *a = json_object_new_object(), *b = json_object_new_object();
    json_object_object_add(a, "device", str(l->a_dev));
    json_object_object_add(a, "port", str(l->a_port));
    json_object_object_add(b, "device", str(l->b_dev));
    json_object_object_add(b, "port", str(l->b_port));
    json_object_object_add(x, "local", a);
    json_object_object_add(x, "remote", b);
    json_object_object_add(x, "evidence", str(l->evidence));
    json_object_object_add(x, "source", str(em_nb_source_name(l->source)));
    json_object_object_add(x, "confidence", str(confidence(l->evidence)));
    if (l->vlan) json_object_object_add(x, "vlan", json_object_new_int64(l->vlan));
    return x;
}

static json_object *nbr_json(const struct em_nbr *n)
{
    json_object *x = json_object_new_object();
    json_object_object_add(x, "id", str(n->id));
    json_object_object_add(x, "chassis_id", str(n->chassis));
    json_object_object_add(x, "chassis_id_subtype", str(n->chassis[0] ? em_lldp_chassis_subtype_name(n->ch_sub) : ""));
    json_object_object_add(x, "sys_name", str(n->sys_name));
    json_object_object_add(x, "sys_desc", str(n->sys_desc));
    json_object_object_add(x, "capabilities", caps_json(n->caps));
    json_object *ma = json_object_new_array();
    for (size_t k = 0; k < n->n_addrs; k++) json_object_array_add(ma, addr_json(&n->addrs[k]));
    json_object_object_add(x, "addresses", ma);
    json_object_object_add(x, "reason", str(n->reason));
    json_object_object_add(x, "seen_by", str(n->seen_by));
    json_object_object_add(x, "local_port", str(n->local_port));
    json_object_object_add(x, "remote_port", str(n->remote_port));
    json_object_object_add(x, "source", str(em_nb_source_name(n->source)));
    json_object_object_add(x, "confidence", str(n->source == EM_NB_FDB || n->source == EM_NB_ARP ? "inferred" : "high"));
    if (n->platform[0]) json_object_object_add(x, "platform", str(n->platform));
    if (n->mac[0]) {
        json_object_object_add(x, "mac", str(n->mac));
        json_object_object_add(x, "maker", str(n->maker));
        json_object_object_add(x, "router_maker", json_object_new_boolean(n->router_maker));
    }
    if (n->segment) json_object_object_add(x, "segment", str(n->segment));
    if (n->vlan) json_object_object_add(x, "vlan", json_object_new_int64(n->vlan));
    return x;
}

static json_object *seg_json(const struct em_segment *g)
{
    json_object *x = json_object_new_object(), *sd = json_object_new_array(), *mm = json_object_new_array();
    json_object_object_add(x, "id", str(g->id));
    json_object_object_add(x, "prefix", str(g->prefix));
    json_object_object_add(x, "emr", json_object_new_boolean(g->emr));
    for (size_t k = 0; k < g->n_m; k++) {
        json_object_array_add(sd, str(g->m[k].dev));
        json_object *y = json_object_new_object();
        json_object_object_add(y, "device", str(g->m[k].dev));
        json_object_object_add(y, "interface", str(g->m[k].ifname));
        json_object_object_add(y, "address", str(g->m[k].address));
        json_object_array_add(mm, y);
    }
    json_object_object_add(x, "devices", sd);
    json_object_object_add(x, "interfaces", mm);
    return x;
}

static json_object *out_json(const struct em_path_out *o)
{
    json_object *x = json_object_new_object();
    json_object_object_add(x, "device", str(o->dev));
    json_object_object_add(x, "why", str(o->why));
    json_object_object_add(x, "chain", str(o->chain));
    json_object_object_add(x, "global", json_object_new_boolean(o->global));
    return x;
}

static json_object *err_json(const struct em_agent_err *e)
{
    json_object *x = json_object_new_object();
    json_object_object_add(x, "address", str(e->address));
    if (e->device) json_object_object_add(x, "device", str(e->device));
    json_object_object_add(x, "kind", str(e->kind));
    json_object_object_add(x, "message", str(e->message));
    return x;
}

static json_object *timings_json(const struct em_disc *d)
{
    json_object *tm = json_object_new_object();
    json_object_object_add(tm, "started", str(d->started));
    json_object_object_add(tm, "elapsed_ms", json_object_new_int64((int64_t)(d->elapsed_s * 1000.0)));
    json_object *pa = json_object_new_array();
    for (size_t i = 0; i < d->n_times; i++) {
        const struct em_agent_time *t = &d->times[i];
        json_object *x = json_object_new_object();
        json_object_object_add(x, "address", str(t->address));
        if (t->device) json_object_object_add(x, "device", str(t->device));
        json_object_object_add(x, "status", str(t->status));
        json_object_object_add(x, "ms", json_object_new_int64(t->ms));
        json_object_object_add(x, "requests", json_object_new_int64(t->requests));
        json_object_object_add(x, "varbinds", json_object_new_int64(t->varbinds));
        json_object_array_add(pa, x);
    }
    json_object_object_add(tm, "agents", pa);
    return tm;
}

static json_object *strs_json(const char *const *v, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) json_object_array_add(a, str(v[i]));
    return a;
}

/* Writes one value (then frees it); 0, or -1 when json-c could not allocate. */
static int put(FILE *f, json_object *v)
{
    const char *t = v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
    if (t) em_fput_json_text(f, t, strlen(t));   /* C1 from devices escaped too */
    json_object_put(v);
    return t ? 0 : -1;
}

/* The items of one top-level array, built and written one at a time. */
enum sect { S_DEVS, S_LINKS, S_NBRS, S_SEGS, S_OUTS, S_ERRS };
static json_object *item(const struct em_disc *d, enum sect s, size_t i)
{
    switch (s) {
    case S_DEVS: return dev_json(d->pool, &d->devs[i]);
    case S_LINKS: return link_json(&d->links[i]);
    case S_NBRS: return nbr_json(&d->nbrs[i]);
    case S_SEGS: return seg_json(&d->segs[i]);
    case S_OUTS: return out_json(&d->outs[i]);
    case S_ERRS: return err_json(&d->errs[i]);
    }
    return NULL;
}

/* DISC.json, streamed: the document is written key by key and the big arrays item by
 * item, so memory holds one device's JSON at a time, not the whole result. */
static int write_all(const struct em_disc *d, FILE *f)
{
    static const struct { const char *key; enum sect s; } arrays[] = {
        {"devices", S_DEVS}, {"links", S_LINKS}, {"neighbors_not_queried", S_NBRS},
        {"segments", S_SEGS}, {"paths_out", S_OUTS}, {"errors", S_ERRS},
    };
    const size_t counts[] = {d->n_devs, d->n_links, d->n_nbrs, d->n_segs, d->n_outs, d->n_errs};
    int rc = 0;
    fputs("{\n\"schema\": ", f);
    rc |= put(f, str("edgemap-discovery/1"));
    fputs(",\n\"mode\": ", f);
    rc |= put(f, str(d->mode));
    fputs(",\n\"scopes\": ", f);
    rc |= put(f, strs_json(d->scopes, d->n_scopes));
    fputs(",\n\"seeds\": ", f);
    rc |= put(f, strs_json(d->seeds, d->n_seeds));
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0] && rc == 0; a++) {
        fprintf(f, ",\n\"%s\": [", arrays[a].key);
        for (size_t i = 0; i < counts[a] && rc == 0; i++) {
            fputs(i ? ",\n" : "\n", f);
            rc |= put(f, item(d, arrays[a].s, i));
        }
        fputs(counts[a] ? "\n]" : "]", f);
    }
    fputs(",\n\"timings\": ", f);
    rc |= put(f, timings_json(d));
    fputs("\n}\n", f);
    return rc;
}

int em_disc_write_json(const struct em_disc *d, struct em_outset *set, size_t idx, struct em_err *err)
{
    FILE *f = em_outset_open(set, idx, err);
    if (!f) return err && err->rc ? err->rc : EM_ERR_IO;
    if (write_all(d, f) != 0) {
        em_outset_close(set, idx, NULL);
        return em_err_set(err, EM_ERR_NOMEM, em_outset_path(set, idx), "", 0, "", "out of memory");
    }
    return em_outset_close(set, idx, err);
}
