/* discovered.c — DISC.json (edgemap-discovery/1) merged into the model with json-c:
 * matching discovered devices to declared ones, adding the rest, LLDP links as edges,
 * and the discovery findings (H-UNDOCUMENTED-PATH, H-UNVERIFIED-LINE). Missing keys
 * are tolerated (a key of the wrong type reads as absent); only the schema is required. */
#include "mapper/discovered.h"

#include <glib.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mapper/evidence.h"
#include "mapper/ipaddr.h"
#include "mapper/file.h"
#include "mapper/lang.h"
#include "mapper/scan.h"

#define SCHEMA "edgemap-discovery/1"

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

static json_object *jarr(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_array))
        return NULL;
    return v;
}

static size_t jlen(json_object *a) { return a ? json_object_array_length(a) : 0; }

/* One discovered device or neighbour, as read. Strings point into the JSON tree. */
struct item {
    const char *id, *name, *location;
    bool queried;              /* from "devices" (walked), not "neighbors_not_queried" */
    bool router;               /* LLDP capability router */
    GPtrArray *addrs;          /* canonical addresses (g_free'd) */
    GPtrArray *hops;           /* canonical default next hops */
    size_t dev;                /* model device, EM_NONE until merged */
};

static void add_canon(GPtrArray *a, const char *text)
{
    char c[64];
    if (!em_ip_canon(text, c, sizeof c)) return;
    for (guint i = 0; i < a->len; i++)
        if (strcmp(g_ptr_array_index(a, i), c) == 0) return;
    g_ptr_array_add(a, g_strdup(c));
}

static void read_addrs(GPtrArray *out, json_object *arr)
{
    for (size_t i = 0; i < jlen(arr); i++) {
        json_object *x = json_object_array_get_idx(arr, i);
        if (json_object_is_type(x, json_type_string)) add_canon(out, json_object_get_string(x));
        else add_canon(out, jstr(x, "address"));
    }
}

static bool has_cap(json_object *o, const char *cap)
{
    json_object *a = jarr(o, "capabilities");
    for (size_t i = 0; i < jlen(a); i++) {
        json_object *x = json_object_array_get_idx(a, i);
        if (json_object_is_type(x, json_type_string) && strcmp(json_object_get_string(x), cap) == 0) return true;
    }
    return false;
}

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
    return *it->id ? it->id : "?";
}

struct merge {
    struct em_model *m;
    const char *file;          /* pool copy, as in m->sources */
    struct em_ipset *decl;     /* declared global addresses -> path */
    GHashTable *by_name;       /* lower-case host name (and its first label) -> dev + 1 */
    GHashTable *by_ip;         /* canonical mgmt IP / known address -> dev + 1 */
    GHashTable *ids;           /* model ids in use */
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
        x->type_raw = x->maker = x->model = x->firmware = x->line_no = "";
        x->hostname = em_pool_str(m->pool, it->name);
        x->location = em_pool_str(m->pool, it->location);
        x->mgmt_ip = em_pool_str(m->pool, it->addrs->len ? (const char *)g_ptr_array_index(it->addrs, 0) : "");
        x->source = EM_SRC_DISCOVERED;
        x->src = (struct em_src){g->file, "", 0};
        x->disc_id = em_pool_str(m->pool, it->id);
        if (!x->hostname || !x->location || !x->mgmt_ip || !x->disc_id) return -1;
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

/* H-UNDOCUMENTED-PATH: global addresses no row declares; for a device no row
 * declares, also a default route to a global next hop. */
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
    int rc = 0;
    if (addrs->len || hops->len) {
        char why[1200];
        if (addrs->len && hops->len)
            snprintf(why, sizeof why, em_tr("グローバルアドレス %s、デフォルトルートの宛先 %s",
                                            "global address %s, default route via %s"), addrs->str, hops->str);
        else if (addrs->len)
            snprintf(why, sizeof why, em_tr("グローバルアドレス %s", "global address %s"), addrs->str);
        else
            snprintf(why, sizeof why, em_tr("デフォルトルートの宛先 %s", "default route via %s"), hops->str);
        if (declared_dev) {
            struct em_src src = {g->file, "", x->src.row};
            const char *name = *x->hostname ? x->hostname : (*x->model ? x->model : x->id);
            rc = em_model_add_finding(m, "H-UNDOCUMENTED-PATH", EM_SEV_ERROR, &src, device_ip_column(m, it->dev),
                                      x->line_no,
                                      em_tr("%d行目の装置 %s に、記入シートにないグローバルアドレス %s があります（探索で確認）。ほかの回線につながっていないか確認し、回線・機器情報記入シートに記入してください",
                                            "row %d: device %s has global address %s, which the records do not list (seen by discovery). Check whether it connects to another line and add that line to the records sheet"),
                                      x->src.row, name, addrs->str);
        } else {
            struct em_src src = {g->file, "", 0};
            rc = em_model_add_finding(m, "H-UNDOCUMENTED-PATH", EM_SEV_ERROR, &src, "", "",
                                      em_tr("探索（SNMP/LLDP）で見つかった装置 %s は外部へ出る経路を持っています（%s）が、記入シートのどの行にも記載がありません。記入漏れの回線がないか確認し、あれば回線・機器情報記入シートに追記してください",
                                            "discovery (SNMP/LLDP) found device %s with a way out (%s) that no row of the records declares. Check for a line missing from the sheet and add it to the records sheet"),
                                      label_of(it), why);
        }
    }
    g_string_free(addrs, TRUE);
    g_string_free(hops, TRUE);
    return rc;
}

/* A link discovery saw between devices a and b, from one end or both (ends 1 or 2): on
 * the declared edge between them when there is one (its evidence), else a new edge
 * only discovery saw. */
static int add_link(struct merge *g, size_t a, size_t b, int ends)
{
    struct em_model *m = g->m;
    if (a == EM_NONE || b == EM_NONE || a == b) return 0;
    const char *fa = m->devices[a].id, *fb = m->devices[b].id;
    for (size_t i = 0; i < m->n_edges; i++) {
        struct em_edge *e = &m->edges[i];
        if ((strcmp(e->from, fa) == 0 && strcmp(e->to, fb) == 0) || (strcmp(e->from, fb) == 0 && strcmp(e->to, fa) == 0)) {
            if (ends > e->seen_ends) e->seen_ends = ends;
            return 0;
        }
    }
    size_t e = em_model_add_edge(m);
    if (e == EM_NONE) return -1;
    m->edges[e].from = fa;
    m->edges[e].to = fb;
    m->edges[e].id = em_pool_printf(m->pool, "e-%s--%s", fa, fb);
    m->edges[e].discovered = true;
    m->edges[e].seen_ends = ends;
    return m->edges[e].id ? 0 : -1;
}

static void free_item(struct item *it)
{
    if (it->addrs) g_ptr_array_free(it->addrs, TRUE);
    if (it->hops) g_ptr_array_free(it->hops, TRUE);
}

static long line_at(const char *data, size_t len, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off && i < len; i++)
        if (data[i] == '\n') line++;
    return line;
}

static int do_merge(struct em_model *m, const char *name, json_object *root, struct em_err *err)
{
    json_object *devs = jarr(root, "devices"), *nbrs = jarr(root, "neighbors_not_queried"),
                *links = jarr(root, "links"), *scopes = jarr(root, "scopes"), *seeds = jarr(root, "seeds");
    if (jlen(devs) + jlen(nbrs) + jlen(links) > EM_DISC_MAX_ITEMS)
        return em_err_set(err, EM_ERR_LIMIT, name, "", 0, "",
                          em_tr("探索結果の装置・リンクが多すぎます（%d が上限）",
                                "the discovery result holds too many devices and links (limit %d)"), EM_DISC_MAX_ITEMS);
    for (size_t i = 0; i < m->n_sources; i++)
        if (strcmp(m->sources[i], name) == 0) return 0;  /* merged already */
    if (em_scan_add_source(m, name) != 0) return em_err_set(err, EM_ERR_NOMEM, name, "", 0, "", "out of memory");

    struct merge g = {m, m->sources[m->n_sources - 1], em_ipset_declared(m),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                      g_hash_table_new(g_str_hash, g_str_equal)};
    struct em_ipset *scope = em_ipset_new();
    GHashTable *seedset = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *by_disc = g_hash_table_new(g_str_hash, g_str_equal);  /* discovery id -> item */
    size_t n_items = jlen(devs) + jlen(nbrs);
    struct item *items = calloc(n_items ? n_items : 1, sizeof *items);
    int rc = 0;
    if (!g.decl || !scope || !items) goto nomem;
    for (size_t i = 0; i < m->n_devices; i++) {
        g_hash_table_add(g.ids, (gpointer)m->devices[i].id);
        index_device(&g, i);
    }
    for (size_t i = 0; i < jlen(scopes); i++) {
        json_object *x = json_object_array_get_idx(scopes, i);
        if (json_object_is_type(x, json_type_string) && em_ipset_add(scope, json_object_get_string(x), 0) < 0) goto nomem;
    }
    for (size_t i = 0; i < jlen(seeds); i++) {
        json_object *x = json_object_array_get_idx(seeds, i);
        if (!json_object_is_type(x, json_type_string)) continue;
        char k[256], c[64];
        lower(json_object_get_string(x), k, sizeof k);
        g_hash_table_add(seedset, g_strdup(em_ip_canon(k, c, sizeof c) ? c : k));
    }

    for (size_t i = 0; i < n_items; i++) {
        bool dev = i < jlen(devs);
        json_object *o = json_object_array_get_idx(dev ? devs : nbrs, dev ? i : i - jlen(devs));
        struct item *it = &items[i];
        it->dev = EM_NONE;
        it->addrs = g_ptr_array_new_with_free_func(g_free);
        it->hops = g_ptr_array_new_with_free_func(g_free);
        it->id = jstr(o, "id");
        it->name = jstr(o, "sys_name");
        it->location = jstr(o, "sys_location");
        it->queried = dev;
        it->router = has_cap(o, "router");
        if (dev) add_canon(it->addrs, jstr(o, "queried"));  /* an address in snmp mode, a file name in walk mode */
        read_addrs(it->addrs, jarr(o, "addresses"));
        read_addrs(it->addrs, jarr(o, "also_reached_at"));
        read_addrs(it->hops, jarr(o, "default_next_hops"));
        /* loopback, link-local and unspecified addresses say nothing about the device */
        for (guint k = it->addrs->len; k-- > 0;) {
            enum em_ip_class c = em_ip_classify(g_ptr_array_index(it->addrs, k));
            if (c == EM_IP_LOOPBACK || c == EM_IP_LINK_LOCAL || c == EM_IP_UNSPECIFIED) g_ptr_array_remove_index(it->addrs, k);
        }
        if (!*it->name && !it->addrs->len && !*it->id) continue;  /* nothing to show */
        if (merge_item(&g, it) != 0) goto nomem;
        if (*it->id && !g_hash_table_contains(by_disc, it->id)) g_hash_table_insert(by_disc, (gpointer)it->id, it);
    }
    for (size_t i = 0; i < n_items; i++)
        if (items[i].dev != EM_NONE && undocumented(&g, &items[i]) != 0) goto nomem;
    for (size_t i = 0; i < jlen(links); i++) {
        json_object *l = json_object_array_get_idx(links, i), *a, *b;
        if (!json_object_is_type(l, json_type_object) || !json_object_object_get_ex(l, "local", &a) ||
            !json_object_object_get_ex(l, "remote", &b))
            continue;
        struct item *ia = g_hash_table_lookup(by_disc, jstr(a, "device"));
        struct item *ib = g_hash_table_lookup(by_disc, jstr(b, "device"));
        int ends = strcmp(jstr(l, "evidence"), "both") == 0 ? 2 : 1;
        if (ia && ib && add_link(&g, ia->dev, ib->dev, ends) != 0) goto nomem;
    }
    /* H-UNVERIFIED-LINE: declared devices discovery was asked to see but did not */
    for (size_t d = 0; d < m->n_devices; d++) {
        const struct em_device *x = &m->devices[d];
        if (x->source != EM_SRC_DECLARED) continue;
        char c[64] = "", k[256] = "";
        bool in_scope = x->mgmt_ip && em_ip_canon(x->mgmt_ip, c, sizeof c) && em_ipset_find(scope, c) != EM_NONE;
        if (x->hostname) lower(x->hostname, k, sizeof k);
        bool seed = (*c && g_hash_table_contains(seedset, c)) || (*k && g_hash_table_contains(seedset, k));
        if (!in_scope && !seed) continue;
        /* the one rule the diagram's 未確認 shares: phones, ONUs, mobile routers and
         * devices on closed carrier networks are not expected to answer */
        if (!em_discovery_can_see(m, d)) continue;
        m->devices[d].disc_unverified = true;
        const char *dname = *x->hostname ? x->hostname : (*x->model ? x->model : x->id);
        struct em_src src = {g.file, "", x->src.row};
        char why[400];
        if (in_scope)
            snprintf(why, sizeof why, em_tr("管理IP %s は探索範囲内です", "its management IP %s is inside the discovery scope"), x->mgmt_ip);
        else
            snprintf(why, sizeof why, em_tr("探索の起点に指定されています", "it was given as a discovery seed"));
        if (em_model_add_finding(m, "H-UNVERIFIED-LINE", EM_SEV_WARNING, &src,
                                 in_scope || *c ? (x->col_mgmt_ip ? x->col_mgmt_ip : "") : "", x->line_no,
                                 em_tr("%d行目の装置 %s は探索（SNMP/LLDP）で見つかりませんでした（%s）。装置が稼働しているか、SNMPが有効か、記入したホスト名・管理IPが正しいか確認してください",
                                       "row %d: device %s was not found by discovery (SNMP/LLDP), although %s. Check that it is running, that SNMP is enabled on it, and that the host name and management IP in the sheet are right"),
                                 x->src.row, dname, why) != 0)
            goto nomem;
    }
    goto out;
nomem:
    rc = em_err_set(err, EM_ERR_NOMEM, name, "", 0, "", "out of memory");
out:
    for (size_t i = 0; items && i < n_items; i++) free_item(&items[i]);
    free(items);
    em_ipset_free(g.decl);
    em_ipset_free(scope);
    g_hash_table_destroy(g.by_name);
    g_hash_table_destroy(g.by_ip);
    g_hash_table_destroy(g.ids);
    g_hash_table_destroy(seedset);
    g_hash_table_destroy(by_disc);
    return rc;
}

int em_discovered_merge_mem(struct em_model *m, const char *name, const char *data, size_t len,
                            struct em_err *err)
{
    if (len > EM_DISC_MAX_BYTES)
        return em_err_set(err, EM_ERR_LIMIT, name, "", 0, "",
                          em_tr("探索結果のファイルが大きすぎます（上限 %u バイト）",
                                "the discovery file is too large (limit %u bytes)"), EM_DISC_MAX_BYTES);
    json_tokener *tok = json_tokener_new_ex(EM_DISC_MAX_DEPTH);
    if (!tok) return em_err_set(err, EM_ERR_NOMEM, name, "", 0, "", "out of memory");
    json_object *root = len ? json_tokener_parse_ex(tok, data, (int)len) : NULL;
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root || je != json_tokener_success) {
        if (root) json_object_put(root);
        if (len == 0 || je == json_tokener_continue)
            return em_err_set(err, EM_ERR_FORMAT, name, "", line_at(data, len, len), "",
                              em_tr("探索結果（DISC.json）が途中で切れています。edgemap discover をやり直してください",
                                    "the discovery file (DISC.json) is cut short; run edgemap discover again"));
        return em_err_set(err, EM_ERR_FORMAT, name, "", line_at(data, len, end), "",
                          em_tr("探索結果（DISC.json）がJSONとして読めません（%s）",
                                "the discovery file (DISC.json) is not valid JSON (%s)"),
                          json_tokener_error_desc(je));
    }
    /* trailing garbage after the document */
    for (size_t i = end; i < len; i++)
        if (data[i] != ' ' && data[i] != '\n' && data[i] != '\r' && data[i] != '\t') {
            json_object_put(root);
            return em_err_set(err, EM_ERR_FORMAT, name, "", line_at(data, len, i), "",
                              em_tr("探索結果（DISC.json）のJSONのあとに余分なデータがあります",
                                    "the discovery file (DISC.json) has extra data after the JSON"));
        }
    const char *schema = jstr(root, "schema");
    if (strcmp(schema, SCHEMA) != 0) {
        char got[80];
        snprintf(got, sizeof got, "%s", *schema ? schema : em_tr("なし", "none"));
        json_object_put(root);
        return em_err_set(err, EM_ERR_FORMAT, name, "", 0, "",
                          em_tr("edgemap discover の結果ではありません（schema が「%s」、必要なのは %s）",
                                "not a result of edgemap discover (schema is \"%s\", %s is needed)"),
                          got, SCHEMA);
    }
    int rc = do_merge(m, name, root, err);
    json_object_put(root);
    return rc;
}

int em_discovered_merge(struct em_model *m, const char *path, struct em_err *err)
{
    size_t size;
    char *buf = em_file_read(path, EM_DISC_MAX_BYTES, em_tr("探索結果", "discovery result"), &size, err);
    if (!buf) return err && err->rc ? err->rc : EM_ERR_IO;
    int rc = em_discovered_merge_mem(m, path, buf, size, err);
    free(buf);
    return rc;
}
