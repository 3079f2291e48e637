/* discovered.c — DISC.json (edgemap-discovery/1) merged into the model with json-c:
 * matching discovered devices to declared ones, adding the rest, LLDP links as edges,
 * and the discovery findings (H-UNDOCUMENTED-PATH, H-UNVERIFIED-LINE). Missing keys
 * are tolerated (a key of the wrong type reads as absent); only the schema is required. */
#include "mapper/discovered.h"

#include <errno.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mapper/discread.h"
#include "mapper/evidence.h"
#include "mapper/ipaddr.h"
#include "mapper/codes.h"
#include "mapper/lang.h"
#include "mapper/scan.h"

/* One discovered device or neighbour, as read, and the model device it became. */
struct item {
    const struct em_dr_item *r;
    const char *id, *name, *location;
    bool queried, router;
    GPtrArray *addrs;          /* canonical addresses (chunk strings of the reader) */
    GPtrArray *hops;           /* canonical default next hops */
    size_t dev;                /* model device, EM_NONE until merged */
};

static void lower(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++) out[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    out[i] = '\0';
}

/* The device a declared path's address belongs to: its router / UTM / VPN device /
 * home gateway (where a global address lives), else its first device. */
static size_t path_device(const struct em_model *m, size_t pi)
{
    const struct em_path *p = &m->paths[pi];
    for (int s = 1; s >= 0; s--) {
        size_t d = p->dev[s];
        if (d == EM_NONE || d >= m->n_devices) continue;
        enum em_dev_type t = m->devices[d].type;
        if (t == EM_DEV_ROUTER || t == EM_DEV_UTM || t == EM_DEV_VPN || t == EM_DEV_HGW) return d;
    }
    return p->dev[0] != EM_NONE && p->dev[0] < m->n_devices ? p->dev[0] : EM_NONE;
}

/* Header text of the グローバルIPアドレス column of a path naming device d. */
static const char *device_ip_column(const struct em_model *m, size_t d)
{
    for (size_t i = 0; i < m->n_paths; i++)
        if ((m->paths[i].dev[0] == d || m->paths[i].dev[1] == d) && m->paths[i].col_global_ip)
            return m->paths[i].col_global_ip;
    return "";
}

static const char *label_of(const struct item *it)
{
    if (*it->name) return it->name;
    if (it->addrs->len) return g_ptr_array_index(it->addrs, 0);
    if (*it->r->mac) return it->r->mac;
    return *it->id ? it->id : "?";
}

struct merge {
    struct em_model *m;
    const char *file;          /* pool copy, as in m->sources */
    struct em_ipset *decl;     /* declared global addresses -> path */
    GHashTable *by_name;       /* lower-case host name (and its first label) -> dev + 1 */
    GHashTable *by_ip;         /* canonical mgmt IP / known address -> dev + 1 */
    GHashTable *ids;           /* model ids in use */
    GHashTable *pairs;         /* "idA\nidB" of edges added (ids sorted) */
    const struct em_dr *r;
    GHashTable *seg_declared;  /* segment id -> non-NULL when a row declares a line in it */
    GHashTable *declared;      /* the declared edges between two devices, by their ends
                                  (struct ends, either direction; built before the links) */
    struct ends *ends;         /* the keys of declared */
};

static void index_device(struct merge *g, size_t d)
{
    const struct em_device *x = &g->m->devices[d];
    char k[256];
    if (x->hostname && *x->hostname) {
        lower(x->hostname, k, sizeof k);
        if (!g_hash_table_contains(g->by_name, k)) g_hash_table_insert(g->by_name, g_strdup(k), GSIZE_TO_POINTER(d + 1));
        char *dot = strchr(k, '.');
        if (dot) {
            *dot = '\0';
            if (*k && !g_hash_table_contains(g->by_name, k)) g_hash_table_insert(g->by_name, g_strdup(k), GSIZE_TO_POINTER(d + 1));
        }
    }
    char c[64];
    if (x->mgmt_ip && em_ip_canon(x->mgmt_ip, c, sizeof c) && !g_hash_table_contains(g->by_ip, c))
        g_hash_table_insert(g->by_ip, g_strdup(c), GSIZE_TO_POINTER(d + 1));
    for (size_t i = 0; i < x->n_addresses; i++)
        if (!g_hash_table_contains(g->by_ip, x->addresses[i]))
            g_hash_table_insert(g->by_ip, g_strdup(x->addresses[i]), GSIZE_TO_POINTER(d + 1));
}

static size_t lookup(GHashTable *t, const char *k)
{
    gpointer v = g_hash_table_lookup(t, k);
    return v ? GPOINTER_TO_SIZE(v) - 1 : EM_NONE;
}

/* The model device this item is, or EM_NONE. */
static size_t match(struct merge *g, const struct item *it)
{
    char k[256];
    if (*it->name) {
        lower(it->name, k, sizeof k);
        size_t d = lookup(g->by_name, k);
        if (d != EM_NONE) return d;
        char *dot = strchr(k, '.');
        if (dot) {
            *dot = '\0';
            if (*k && (d = lookup(g->by_name, k)) != EM_NONE) return d;
        }
    }
    for (guint i = 0; i < it->addrs->len; i++) {
        size_t d = lookup(g->by_ip, g_ptr_array_index(it->addrs, i));
        if (d != EM_NONE) return d;
    }
    for (guint i = 0; i < it->addrs->len; i++) {
        size_t pi = em_ipset_find(g->decl, g_ptr_array_index(it->addrs, i));
        if (pi != EM_NONE) {
            size_t d = path_device(g->m, pi);
            if (d != EM_NONE) return d;
        }
    }
    return EM_NONE;
}

static int add_address(struct em_model *m, struct em_device *x, const char *a)
{
    for (size_t i = 0; i < x->n_addresses; i++)
        if (strcmp(x->addresses[i], a) == 0) return 0;
    const char *s = em_pool_str(m->pool, a);
    return s ? em_model_push_str(m, &x->addresses, &x->n_addresses, s) : -1;
}

static int merge_item(struct merge *g, struct item *it)
{
    struct em_model *m = g->m;
    size_t d = match(g, it);
    if (d == EM_NONE) {
        d = em_model_add_device(m);
        if (d == EM_NONE) return -1;
        struct em_device *x = &m->devices[d];
        char base[200];
        snprintf(base, sizeof base, "disc-%s", *it->id ? it->id : label_of(it));
        const char *id = em_pool_str(m->pool, base);
        for (int k = 2; id && g_hash_table_contains(g->ids, id); k++) id = em_pool_printf(m->pool, "%s-%d", base, k);
        if (!id) return -1;
        g_hash_table_add(g->ids, (gpointer)id);
        x->id = id;
        x->type = it->router ? EM_DEV_ROUTER : EM_DEV_OTHER;
        x->type_raw = x->model = x->firmware = x->line_no = "";
        x->maker = em_pool_str(m->pool, it->r->maker);   /* by OUI for FDB/ARP endpoints */
        x->hostname = em_pool_str(m->pool, it->name);
        x->location = em_pool_str(m->pool, it->location);
        x->mgmt_ip = em_pool_str(m->pool, it->addrs->len ? (const char *)g_ptr_array_index(it->addrs, 0) : "");
        x->source = EM_SRC_DISCOVERED;
        x->src = (struct em_src){g->file, "", 0};
        x->disc_id = em_pool_str(m->pool, it->id);
        x->mac = *it->r->mac ? em_pool_str(m->pool, it->r->mac) : NULL;
        if (!x->hostname || !x->location || !x->mgmt_ip || !x->disc_id || !x->maker || (*it->r->mac && !x->mac)) return -1;
    } else {
        struct em_device *x = &m->devices[d];
        if (x->source == EM_SRC_DECLARED) x->source = EM_SRC_BOTH;
        if (!x->disc_id && !(x->disc_id = em_pool_str(m->pool, it->id))) return -1;
    }
    it->dev = d;
    for (guint i = 0; i < it->addrs->len; i++)
        if (add_address(m, &m->devices[d], g_ptr_array_index(it->addrs, i)) != 0) return -1;
    /* not indexed: the items of one file are distinct devices (discovery merged its own
       duplicates), so they match the devices that were there before, never each other */
    return 0;
}

/* The paths_out entry for a discovery id, or NULL. */
static const struct em_dr_pathout *path_out_of(const struct merge *g, const char *id)
{
    for (guint i = 0; *id && i < g->r->paths_out->len; i++) {
        const struct em_dr_pathout *p = &g_array_index(g->r->paths_out, struct em_dr_pathout, i);
        if (strcmp(p->device, id) == 0) return p;
    }
    return NULL;
}

/* True when a row declares an external line for the discovered segment seg_id: a
 * device some row names (as 装置①/②) has an address inside the segment's prefix.
 * Unknown segment: false. */
static bool segment_declared(struct merge *g, const char *seg_id)
{
    const struct em_dr_segment *seg = NULL;
    for (guint i = 0; *seg_id && i < g->r->segments->len && !seg; i++)
        if (strcmp(g_array_index(g->r->segments, struct em_dr_segment, i).id, seg_id) == 0)
            seg = &g_array_index(g->r->segments, struct em_dr_segment, i);
    if (!seg || !*seg->prefix) return false;
    gpointer hit;
    if (g_hash_table_lookup_extended(g->seg_declared, seg_id, NULL, &hit)) return hit != NULL;
    struct em_ipset *set = em_ipset_new();
    bool yes = false;
    if (set && em_ipset_add(set, seg->prefix, 0) == 0) {
        const struct em_model *m = g->m;
        for (size_t pi = 0; pi < m->n_paths && !yes; pi++)
            for (int k = 0; k < 2 && !yes; k++) {
                size_t d = m->paths[pi].dev[k];
                if (d == EM_NONE || d >= m->n_devices) continue;
                const struct em_device *x = &m->devices[d];
                char c[64];
                if (x->mgmt_ip && em_ip_canon(x->mgmt_ip, c, sizeof c) && em_ipset_find(set, c) != EM_NONE) yes = true;
                for (size_t i = 0; i < x->n_addresses && !yes; i++)
                    if (em_ipset_find(set, x->addresses[i]) != EM_NONE) yes = true;
            }
    }
    em_ipset_free(set);
    g_hash_table_insert(g->seg_declared, (gpointer)seg_id, yes ? GINT_TO_POINTER(1) : NULL);
    return yes;
}

/* The name of the discovered device with discovery id id (its sysName, else the id). */
static const char *disc_name(const struct merge *g, const char *id)
{
    for (guint i = 0; *id && i < g->r->items->len; i++) {
        const struct em_dr_item *x = &g_array_index(g->r->items, struct em_dr_item, i);
        if (strcmp(x->id, id) == 0) return *x->name ? x->name : x->id;
    }
    return *id ? id : "?";
}

/* An undeclared endpoint whose maker makes routers / mobile routers / home gateways,
 * in a segment no row declares a line for: a warning on the maker alone, an error
 * when it also has a global address or a way out (why non-empty). */
static int router_maker_finding(struct merge *g, const struct item *it, const char *why,
                                const struct em_dr_pathout *po)
{
    const struct em_dr_item *r = it->r;
    if (segment_declared(g, r->segment)) return 0;
    bool global = *why || (po && po->global);
    char chain[1400] = "";
    if (po && *po->chain)
        snprintf(chain, sizeof chain, em_tr("（経路: %s）", " (path: %s)"), po->chain);
    g->m->devices[it->dev].disc_flagged = true;
    char out[1300] = "";
    if (*why) snprintf(out, sizeof out, em_tr("、外部へ出る経路あり（%s）", ", with a way out (%s)"), why);
    else if (po && po->global && *po->why)
        snprintf(out, sizeof out, em_tr("、外部へ出る経路あり（%s）", ", with a way out (%s)"), po->why);
    char port[300];
    snprintf(port, sizeof port, r->vlan > 0 ? "%s (VLAN %ld)" : "%s", *r->local_port ? r->local_port : "?", r->vlan);
    struct em_src src = {g->file, "", 0};
    return em_model_add_finding(g->m, em_code(EM_H_UNDOCUMENTED_PATH)->code, global ? EM_SEV_ERROR : EM_SEV_WARNING, &src, "", "",
                                em_tr("記入シートにない外部経路の候補: スイッチ %s のポート %s に、ルーター・モバイルルーター・ホームゲートウェイのメーカー %s の装置（MAC %s%s%s）がつながっています%s%s。このセグメントの回線はどの行にも記載がありません。業者が持ち込んだLTEルーター等でないか現地で確認し、回線であれば回線・機器情報記入シートに追記してください",
                                      "undocumented path candidate: switch %s port %s has a device made by %s, a maker of routers, mobile routers and home gateways (MAC %s%s%s)%s%s. No row declares a line for this segment. Check on site whether it is e.g. a vendor's LTE router, and if it is a line add it to the records sheet"),
                                disc_name(g, r->seen_by), port,
                                *r->maker ? r->maker : "?", *r->mac ? r->mac : "?",
                                it->addrs->len ? ", " : "", it->addrs->len ? (const char *)g_ptr_array_index(it->addrs, 0) : "",
                                out, chain);
}

/* H-UNDOCUMENTED-PATH: global addresses no row declares; for a device no row
 * declares, also a default route to a global next hop, a path out of the EMR segment
 * (paths_out) and a router maker's endpoint. */
static int undocumented(struct merge *g, const struct item *it)
{
    struct em_model *m = g->m;
    const struct em_device *x = &m->devices[it->dev];
    bool declared_dev = x->source != EM_SRC_DISCOVERED;
    GString *addrs = g_string_new(NULL), *hops = g_string_new(NULL);
    for (guint i = 0; i < it->addrs->len; i++) {
        const char *a = g_ptr_array_index(it->addrs, i);
        if (!em_ip_is_global(a) || em_ipset_find(g->decl, a) != EM_NONE) continue;
        g_string_append_printf(addrs, "%s%s", addrs->len ? ", " : "", a);
    }
    if (!declared_dev)
        for (guint i = 0; i < it->hops->len; i++) {
            const char *a = g_ptr_array_index(it->hops, i);
            if (!em_ip_is_global(a) || em_ipset_find(g->decl, a) != EM_NONE) continue;
            g_string_append_printf(hops, "%s%s", hops->len ? ", " : "", a);
        }
    const struct em_dr_pathout *po = declared_dev ? NULL : path_out_of(g, it->id);
    int rc = 0;
    char why[1200] = "";
    if (addrs->len && hops->len)
        snprintf(why, sizeof why, em_tr("グローバルアドレス %s、デフォルトルートの宛先 %s",
                                        "global address %s, default route via %s"), addrs->str, hops->str);
    else if (addrs->len)
        snprintf(why, sizeof why, em_tr("グローバルアドレス %s", "global address %s"), addrs->str);
    else if (hops->len)
        snprintf(why, sizeof why, em_tr("デフォルトルートの宛先 %s", "default route via %s"), hops->str);
    if (!declared_dev && it->r->router_maker) {
        rc = router_maker_finding(g, it, why, po);
    } else if (declared_dev && addrs->len) {
        m->devices[it->dev].disc_flagged = true;
        struct em_src src = {g->file, "", x->src.row};
        const char *name = *x->hostname ? x->hostname : (*x->model ? x->model : x->id);
        rc = em_model_add(m, EM_H_UNDOCUMENTED_PATH, &src, device_ip_column(m, it->dev),
                                  x->line_no,
                                  em_tr("%d行目の装置 %s に、記入シートにないグローバルアドレス %s があります（探索で確認）。ほかの回線につながっていないか確認し、回線・機器情報記入シートに記入してください",
                                        "row %d: device %s has global address %s, which the records do not list (seen by discovery). Check whether it connects to another line and add that line to the records sheet"),
                                  x->src.row, name, addrs->str);
    } else if (!declared_dev && (*why || po)) {
        /* a way out: a global address or route (error), or only a WAN interface / a
           route out seen from the EMR segment (paths_out, error when global) */
        bool global = *why || po->global;
        m->devices[it->dev].disc_flagged = true;
        if (!*why) snprintf(why, sizeof why, "%s", po->why);
        char chain[1400] = "";
        if (po && *po->chain) snprintf(chain, sizeof chain, em_tr("。経路: %s", "; path: %s"), po->chain);
        struct em_src src = {g->file, "", 0};
        rc = em_model_add_finding(m, em_code(EM_H_UNDOCUMENTED_PATH)->code, global ? EM_SEV_ERROR : EM_SEV_WARNING, &src, "", "",
                                  em_tr("探索（SNMP/LLDP）で見つかった装置 %s は外部へ出る経路を持っています（%s）が、記入シートのどの行にも記載がありません%s。記入漏れの回線がないか確認し、あれば回線・機器情報記入シートに追記してください",
                                        "discovery (SNMP/LLDP) found device %s with a way out (%s) that no row of the records declares%s. Check for a line missing from the sheet and add it to the records sheet"),
                                  label_of(it), why, chain);
    }
    g_string_free(addrs, TRUE);
    g_string_free(hops, TRUE);
    return rc;
}

/* An edge by its two ends, either direction: a key of merge.declared. */
struct ends { const char *a, *b; size_t edge; };

/* g_str_hash's bits mixed (murmur3's finaliser): ids that differ in their last
 * character ("dev-12-1", "dev-12-2") differ in their low bits only. */
static guint mix(guint h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
}

static guint ends_hash(gconstpointer k)
{
    const struct ends *e = k;
    return mix(g_str_hash(e->a)) + mix(g_str_hash(e->b));   /* a → b and b → a alike */
}

static gboolean ends_equal(gconstpointer x, gconstpointer y)
{
    const struct ends *p = x, *q = y;
    return (strcmp(p->a, q->a) == 0 && strcmp(p->b, q->b) == 0) || (strcmp(p->a, q->b) == 0 && strcmp(p->b, q->a) == 0);
}

/* Indexes the declared edges whose both ends are devices (the only ones a link can
 * match), the first of a pair winning as the scan it replaces did: a link is then
 * matched in O(1), not against every edge (a 100,000-row survey has 327,000).
 * 0, or -1 out of memory. */
static int index_declared(struct merge *g)
{
    struct em_model *m = g->m;
    g->ends = malloc((m->n_edges ? m->n_edges : 1) * sizeof *g->ends);
    g->declared = g_hash_table_new(ends_hash, ends_equal);
    if (!g->ends) return -1;
    size_t n = 0;
    for (size_t i = 0; i < m->n_edges; i++) {
        const struct em_edge *x = &m->edges[i];
        if (x->discovered || em_model_find_device(m, x->from) == EM_NONE || em_model_find_device(m, x->to) == EM_NONE)
            continue;
        g->ends[n] = (struct ends){.a = x->from, .b = x->to, .edge = i};
        if (!g_hash_table_contains(g->declared, &g->ends[n])) g_hash_table_add(g->declared, &g->ends[n++]);
    }
    return 0;
}

/* An edge between model devices a and b, once per pair (either direction). A link the
 * sheet declares already is not drawn twice: the declared edge records how discovery
 * saw it (seen_ends: 2 from both ends, 1 from one; mapper/evidence.h). */
static int add_link(struct merge *g, size_t a, size_t b, bool inferred, bool both)
{
    struct em_model *m = g->m;
    if (a == EM_NONE || b == EM_NONE || a == b) return 0;
    const char *fa = m->devices[a].id, *fb = m->devices[b].id;
    int ends = both ? 2 : 1;
    const struct ends *hit = g_hash_table_lookup(g->declared, &(struct ends){.a = fa, .b = fb});
    if (hit) {
        struct em_edge *x = &m->edges[hit->edge];
        if (!inferred && ends > x->seen_ends) x->seen_ends = ends;
        return 0;
    }
    char *key = strcmp(fa, fb) < 0 ? g_strdup_printf("%s\n%s", fa, fb) : g_strdup_printf("%s\n%s", fb, fa);
    if (!g_hash_table_add(g->pairs, key)) return 0;   /* key freed by the table */
    size_t e = em_model_add_edge(m);
    if (e == EM_NONE) return -1;
    m->edges[e].from = fa;
    m->edges[e].to = fb;
    m->edges[e].discovered = true;
    m->edges[e].inferred = inferred;
    m->edges[e].seen_ends = inferred ? 0 : ends;
    return 0;
}

/* H-UNVERIFIED-LINE: declared devices discovery was asked to see but did not. */
static int unverified(struct merge *g, const struct em_dr *r)
{
    struct em_model *m = g->m;
    struct em_ipset *scope = em_ipset_new();
    GHashTable *seedset = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    bool *can_see = NULL;   /* em_discovery_can_see_all(), made when first needed */
    int rc = scope ? 0 : -1;
    for (guint i = 0; rc == 0 && i < r->scopes->len; i++)
        if (em_ipset_add(scope, g_ptr_array_index(r->scopes, i), 0) < 0) rc = -1;
    for (guint i = 0; i < r->seeds->len; i++) {
        char k[256], c[64];
        lower(g_ptr_array_index(r->seeds, i), k, sizeof k);
        g_hash_table_add(seedset, g_strdup(em_ip_canon(k, c, sizeof c) ? c : k));
    }
    for (size_t d = 0; rc == 0 && d < m->n_devices; d++) {
        const struct em_device *x = &m->devices[d];
        if (x->source != EM_SRC_DECLARED) continue;
        char c[64] = "", k[256] = "";
        bool in_scope = x->mgmt_ip && em_ip_canon(x->mgmt_ip, c, sizeof c) && em_ipset_find(scope, c) != EM_NONE;
        if (x->hostname) lower(x->hostname, k, sizeof k);
        bool seed = (*c && g_hash_table_contains(seedset, c)) || (*k && g_hash_table_contains(seedset, k));
        if (!in_scope && !seed) continue;
        /* the one rule the diagram's 未確認 shares: phones, ONUs, mobile routers and
         * devices on closed carrier networks are not expected to answer */
        if (!can_see && !(can_see = em_discovery_can_see_all(m))) {
            rc = -1;
            break;
        }
        if (!can_see[d]) continue;
        m->devices[d].disc_unverified = true;
        const char *dname = *x->hostname ? x->hostname : (*x->model ? x->model : x->id);
        struct em_src src = {g->file, "", x->src.row};
        char why[400];
        if (in_scope)
            snprintf(why, sizeof why, em_tr("管理IP %s は探索範囲内です", "its management IP %s is inside the discovery scope"), x->mgmt_ip);
        else
            snprintf(why, sizeof why, em_tr("探索の起点に指定されています", "it was given as a discovery seed"));
        rc = em_model_add(m, EM_H_UNVERIFIED_LINE, &src,
                                  in_scope || *c ? (x->col_mgmt_ip ? x->col_mgmt_ip : "") : "", x->line_no,
                                  em_tr("%d行目の装置 %s は探索（SNMP/LLDP）で見つかりませんでした（%s）。装置が稼働しているか、SNMPが有効か、記入したホスト名・管理IPが正しいか確認してください",
                                        "row %d: device %s was not found by discovery (SNMP/LLDP), although %s. Check that it is running, that SNMP is enabled on it, and that the host name and management IP in the sheet are right"),
                                  x->src.row, dname, why);
    }
    em_ipset_free(scope);
    g_hash_table_destroy(seedset);
    free(can_see);
    return rc;
}

static int do_merge(struct em_model *m, const char *name, const struct em_dr *r, struct em_err *err)
{
    for (size_t i = 0; i < m->n_sources; i++)
        if (strcmp(m->sources[i], name) == 0) return 0;  /* merged already */
    if (em_scan_add_source(m, name) != 0) return em_err_set(err, EM_ERR_NOMEM, name, "", 0, "", "out of memory");

    struct merge g = {m, m->sources[m->n_sources - 1], em_ipset_declared(m),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                      g_hash_table_new(g_str_hash, g_str_equal),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), r,
                      g_hash_table_new(g_str_hash, g_str_equal), NULL, NULL};
    GHashTable *by_disc = g_hash_table_new(g_str_hash, g_str_equal);  /* discovery id -> item */
    size_t n_items = r->items->len;
    struct item *items = calloc(n_items ? n_items : 1, sizeof *items);
    int rc = 0;
    if (!g.decl || !items) goto nomem;
    for (size_t i = 0; i < m->n_devices; i++) {
        g_hash_table_add(g.ids, (gpointer)m->devices[i].id);
        index_device(&g, i);
    }
    for (size_t i = 0; i < n_items; i++) {
        const struct em_dr_item *ri = &g_array_index(r->items, struct em_dr_item, i);
        struct item *it = &items[i];
        it->r = ri;
        it->dev = EM_NONE;
        it->id = ri->id; it->name = ri->name; it->location = ri->location;
        it->queried = ri->queried; it->router = ri->router;
        it->addrs = ri->addrs; it->hops = ri->hops;
        /* loopback, link-local and unspecified addresses say nothing about the device */
        for (guint k = it->addrs->len; k-- > 0;) {
            enum em_ip_class c = em_ip_classify(g_ptr_array_index(it->addrs, k));
            if (c == EM_IP_LOOPBACK || c == EM_IP_LINK_LOCAL || c == EM_IP_UNSPECIFIED) g_ptr_array_remove_index(it->addrs, k);
        }
        if (!*it->name && !it->addrs->len && !*it->id && !*ri->mac) continue;  /* nothing to show */
        if (merge_item(&g, it) != 0) goto nomem;
        if (*it->id && !g_hash_table_contains(by_disc, it->id)) g_hash_table_insert(by_disc, (gpointer)it->id, it);
    }
    for (size_t i = 0; i < n_items; i++)
        if (items[i].dev != EM_NONE && undocumented(&g, &items[i]) != 0) goto nomem;
    if (index_declared(&g) != 0) goto nomem;
    for (guint i = 0; i < r->links->len; i++) {
        const struct em_dr_link *l = &g_array_index(r->links, struct em_dr_link, i);
        struct item *ia = g_hash_table_lookup(by_disc, l->a);
        struct item *ib = g_hash_table_lookup(by_disc, l->b);
        if (ia && ib && add_link(&g, ia->dev, ib->dev, l->inferred, l->both) != 0) goto nomem;
    }
    if (unverified(&g, r) != 0) goto nomem;
    goto out;
nomem:
    rc = em_err_set(err, EM_ERR_NOMEM, name, "", 0, "", "out of memory");
out:
    free(items);
    em_ipset_free(g.decl);
    g_hash_table_destroy(g.by_name);
    g_hash_table_destroy(g.by_ip);
    g_hash_table_destroy(g.ids);
    g_hash_table_destroy(g.pairs);
    g_hash_table_destroy(g.seg_declared);
    if (g.declared) g_hash_table_destroy(g.declared);
    free(g.ends);
    g_hash_table_destroy(by_disc);
    return rc;
}

int em_discovered_merge_mem(struct em_model *m, const char *name, const char *data, size_t len,
                            struct em_err *err)
{
    struct em_dr *r = em_dr_read_mem(data, len, name, err);
    if (!r) return err && err->rc ? err->rc : EM_ERR_FORMAT;
    int rc = do_merge(m, name, r, err);
    em_dr_free(r);
    return rc;
}

int em_discovered_merge(struct em_model *m, const char *path, struct em_err *err)
{
    /* streamed: memory follows what is kept, not the file's size; a pipe is read once */
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s: %s",
                          em_tr("探索結果を開けません", "cannot open the discovery result"), strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (f != stdin) fclose(f);
        return em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s",
                          em_tr("探索結果としてディレクトリが指定されました", "the discovery result given is a directory"));
    }
    struct em_dr *r = em_dr_read_file(f, path, err);
    if (f != stdin) fclose(f);
    if (!r) return err && err->rc ? err->rc : EM_ERR_FORMAT;
    int rc = do_merge(m, path, r, err);
    em_dr_free(r);
    return rc;
}
