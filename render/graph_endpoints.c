/* graph_endpoints.c — big discovered maps: the endpoints discovery found behind one
 * switch (learned alone on a port of its forwarding table, or an LLDP/CDP neighbour
 * discovery did not walk: one discovered link, to that switch, and no other link) are
 * drawn as one node per switch, 端末 N台（sw-3 経由）, with a tooltip listing a capped
 * number of them. A drawing decision only: the model, its JSON and `check` still list
 * every device. */
#include "render/graph_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/ipaddr.h"
#include "mapper/lang.h"

/* The threshold: EDGEMAP_GROUP_ENDPOINTS (0: never aggregate) or EM_GROUP_ENDPOINTS. */
static size_t endpoint_threshold(void)
{
    size_t threshold = EM_GROUP_ENDPOINTS;
    const char *env = getenv("EDGEMAP_GROUP_ENDPOINTS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v >= 0 && v <= 1000000) threshold = v == 0 ? (size_t)-1 : (size_t)v;
    }
    return threshold;
}

/* Whether device d must stay a node of its own whatever its links: in the records,
 * flagged by discovery (H-UNDOCUMENTED-PATH), a router, a global address, CVEs, a scan
 * target or open services on it — every reason the drawing marks it beyond 未申告. */
static bool stays_single(const struct gb *gb, size_t d)
{
    const struct em_device *x = &gb->m->devices[d];
    if (x->source != EM_SRC_DISCOVERED || x->disc_flagged || x->type == EM_DEV_ROUTER || x->n_cves) return true;
    if (gb->tgt_head && gb->tgt_head[d] != EM_NONE) return true;
    if (gb->svc_head && gb->svc_head[d] != EM_NONE) return true;
    if (!blank(x->mgmt_ip) && em_ip_is_global(x->mgmt_ip)) return true;
    for (size_t i = 0; i < x->n_addresses; i++)
        if (em_ip_is_global(x->addresses[i])) return true;
    return false;
}

/* The name a switch goes by in the aggregate's label: host name, address or id. */
static const char *device_called(const struct em_device *x)
{
    if (!blank(x->hostname)) return x->hostname;
    if (!blank(x->mgmt_ip)) return x->mgmt_ip;
    if (!blank(x->model)) return x->model;
    return x->id;
}

/* Frees what em_gb_plan_endpoints() planned (the ids live in the model pool); the
 * builder calls it once, after drawing. */
void em_gb_free_endpoints(struct gb *gb)
{
    for (size_t i = 0; i < gb->n_eaggs; i++) g_free(gb->eaggs[i].members);
    g_free(gb->eaggs);
    gb->eaggs = NULL;
    gb->n_eaggs = 0;
    if (gb->erep) g_hash_table_destroy(gb->erep);
    gb->erep = NULL;
}

/* Plans the endpoint aggregates: a discovered leaf (one link, a discovered one, to a
 * device that has other links) is an endpoint of that device; a device with more
 * than the threshold endpoints gets one aggregate of those that need not stay single
 * (two at least). Discovered devices with no link at all (a crawl that read no
 * neighbour table) are likewise one aggregate past the threshold, "eagg-unlinked".
 * Fills gb->eaggs and gb->erep (device id -> aggregate id). */
void em_gb_plan_endpoints(struct gb *gb)
{
    const struct em_model *m = gb->m;
    size_t threshold = endpoint_threshold();
    if (!m->n_devices || threshold == (size_t)-1) return;
    size_t nd = m->n_devices, none = nd;   /* index nd: "no link at all" */
    size_t *deg = g_new0(size_t, nd), *up = g_new(size_t, nd);
    bool *inf = g_new0(bool, nd);   /* its link is inferred (where the degree ends at 1) */
    size_t *leaves = g_new0(size_t, nd + 1), *fold = g_new0(size_t, nd + 1);
    for (size_t d = 0; d < nd; d++) up[d] = EM_NONE;
    for (size_t i = 0; i < m->n_edges; i++) {
        const struct em_edge *e = &m->edges[i];
        size_t a = em_model_find_device(m, e->from), b = em_model_find_device(m, e->to);
        if (a != EM_NONE) deg[a]++;
        if (b != EM_NONE) deg[b]++;
        if (!e->discovered || a == EM_NONE || b == EM_NONE) continue;
        up[a] = b;      /* kept only where the degree ends at 1 */
        up[b] = a;
        inf[a] = inf[b] = e->inferred;
    }
    for (size_t d = 0; d < nd; d++) {
        size_t u = deg[d] == 0 ? none : up[d];
        if (m->devices[d].source != EM_SRC_DISCOVERED || (u != none && (deg[d] != 1 || u == EM_NONE || deg[u] < 2))) {
            up[d] = EM_NONE;
            continue;
        }
        up[d] = u;
        leaves[u]++;
        if (!stays_single(gb, d)) fold[u]++;
    }
    for (size_t u = 0; u <= nd; u++) {
        if (leaves[u] <= threshold || fold[u] < 2) {
            fold[u] = 0;
            continue;
        }
        struct eagg a = {u == none ? "eagg-unlinked" : em_pool_printf(m->pool, "eagg-%s", m->devices[u].id),
                         u == none ? EM_NONE : u, g_new(size_t, fold[u]), 0, 0};
        if (!a.id) { g_free(a.members); fold[u] = 0; em_gb_set_failures++; continue; }
        gb->eaggs = g_renew(struct eagg, gb->eaggs, gb->n_eaggs + 1);
        gb->eaggs[gb->n_eaggs] = a;
        fold[u] = ++gb->n_eaggs;    /* from here on: 1 + its aggregate's index */
    }
    if (gb->n_eaggs) gb->erep = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t d = 0; d < nd && gb->n_eaggs; d++) {
        size_t u = up[d];
        if (u == EM_NONE || !fold[u] || stays_single(gb, d)) continue;
        struct eagg *a = &gb->eaggs[fold[u] - 1];
        a->members[a->n++] = d;
        if (u != none && inf[d]) a->n_inferred++;
        g_hash_table_insert(gb->erep, (gpointer)m->devices[d].id, (gpointer)a->id);
    }
    /* the edge tooltips name the aggregate (em_gb_tip_edge looks up the drawn id) */
    for (size_t k = 0; k < gb->n_eaggs; k++) {
        const struct eagg *a = &gb->eaggs[k];
        if (a->up == EM_NONE) continue;   /* no edges */
        const char *l = em_pool_printf(m->pool, em_tr("端末 %zu台（%s 経由）", "%zu endpoints via %s"), a->n,
                                       device_called(&m->devices[a->up]));
        if (l) g_hash_table_insert(gb->labels, (gpointer)a->id, (gpointer)l);
    }
    g_free(deg);
    g_free(inf);
    g_free(up);
    g_free(leaves);
    g_free(fold);
}

/* One member's tooltip line: name, MAC, maker, addresses (three at most). */
static void member_line(struct em_buf *t, const struct em_device *x)
{
    em_buf_puts(t, "\n");
    const char *f[3] = {blank(x->hostname) ? NULL : x->hostname, blank(x->mac) ? NULL : x->mac,
                        blank(x->maker) ? NULL : x->maker};
    bool any = false;
    for (int k = 0; k < 3; k++) {
        if (!f[k]) continue;
        if (any) em_buf_puts(t, " / ");
        em_gb_add_plain(t, f[k]);
        any = true;
    }
    size_t na = x->n_addresses;
    for (size_t i = 0; i < na && i < 3; i++) {
        em_buf_puts(t, any || i ? " / " : "");
        em_gb_add_plain(t, x->addresses[i]);
        any = true;
    }
    if (!na && !blank(x->mgmt_ip)) { em_buf_puts(t, any ? " / " : ""); em_gb_add_plain(t, x->mgmt_ip); any = true; }
    if (!any) em_gb_add_plain(t, x->id);
}

/* The aggregate's node: 端末 N台, via which switch (or 探索で見つかった装置 N台（接続不明）),
 * 未申告 (orange, a stack of two borders); the tooltip lists EM_ENDPOINT_TIP_MAX members
 * and how many more. */
static void add_endpoint_group(struct gb *gb, const struct eagg *a)
{
    const struct em_model *m = gb->m;
    const struct em_device *sw = a->up == EM_NONE ? NULL : &m->devices[a->up];
    Agnode_t *n = em_gb_mknode(sw ? em_gb_home(gb, sw->id) : gb->hosp, a->id);
    if (!n) return;
    struct em_buf *b = &gb->tmp, *t = &gb->tip;
    b->len = 0; t->len = 0;
    em_buf_add(b, "", 0); em_buf_add(t, "", 0);
    if (sw) {
        em_buf_printf(b, em_tr("<b>端末 %zu台</b>", "<b>%zu endpoints</b>"), a->n);
        em_buf_puts(b, "<br/>");
        em_buf_puts(b, em_tr("（", "via "));
        em_gb_label_html(b, device_called(sw));
        em_buf_puts(b, em_tr(" 経由）", ""));
    } else {
        em_buf_printf(b, em_tr("<b>探索で見つかった装置 %zu台</b><br/>（接続不明）", "<b>%zu discovered devices</b><br/>(links unknown)"), a->n);
    }
    em_buf_puts(b, "<br/><font color=\"" ORANGE "\"><b>");
    bool inferred = sw && a->n_inferred == a->n;   /* every one from forwarding/ARP tables */
    em_gb_label_html(b, inferred ? em_tr("未申告（推定）", "Undeclared (inferred)") : em_tr("未申告", "Undeclared"));
    em_buf_puts(b, "</b></font>");
    em_gb_set(n, "color", ORANGE);
    em_gb_set(n, "style", "rounded,dashed");
    em_gb_set(n, "peripheries", "2");
    em_gb_set_html(n, em_buf_cstr(b));
    gb->marks |= MK_ENDPOINTS | MK_UNDECLARED;
    if (sw) {
        /* the switch's name as discovery read it: through em_gb_add_plain (controls) */
        em_buf_puts(t, em_tr("", "endpoints discovery found behind "));
        em_gb_add_plain(t, device_called(sw));
        em_buf_printf(t, em_tr(" の先で探索が見つけた端末（記入シートになし）%zu台をまとめて表示。"
                               "うち転送表・ARP表からの推定 %zu台、LLDP/CDP の隣接 %zu台:",
                               " (not in the sheet), %zu drawn as one: %zu inferred from its forwarding/ARP tables, "
                               "%zu LLDP/CDP neighbours:"), a->n, a->n_inferred, a->n - a->n_inferred);
    } else
        em_buf_printf(t, em_tr("探索で見つかり、どこにつながるか分からない装置（記入シートになし）%zu台をまとめて表示:",
                               "devices discovery found with no link known (not in the sheet), %zu drawn as one:"), a->n);
    for (size_t i = 0; i < a->n && i < EM_ENDPOINT_TIP_MAX; i++) member_line(t, &m->devices[a->members[i]]);
    if (a->n > EM_ENDPOINT_TIP_MAX)
        em_buf_printf(t, em_tr("\n… ほか%zu台（全台はモデルJSON・check の出力に）", "\n… and %zu more (all of them in the model JSON and check)"),
                      a->n - EM_ENDPOINT_TIP_MAX);
    em_gb_set(n, "tooltip", em_buf_cstr(t));
    em_gb_grid_place(gb, n, 4, NULL, 3);
}

/* The edge between a switch and its aggregate (drawn once for all its members): orange,
 * dashed with 未申告（推定） when every member was inferred from forwarding/ARP tables,
 * bold 未申告 otherwise; the tooltip counts both kinds. Returns false (nothing done)
 * when neither end (drawn ids) is an aggregate of endpoints. */
bool em_gb_mark_endpoint_edge(struct gb *gb, Agedge_t *ed, const char *from, const char *to)
{
    const struct eagg *a = NULL;
    for (size_t k = 0; k < gb->n_eaggs && !a; k++)
        if (strcmp(gb->eaggs[k].id, to) == 0 || strcmp(gb->eaggs[k].id, from) == 0) a = &gb->eaggs[k];
    if (!a || a->up == EM_NONE) return false;
    bool inferred = a->n_inferred == a->n;
    em_gb_set(ed, "color", ORANGE);
    em_gb_set(ed, "fontcolor", ORANGE);
    em_gb_set(ed, "penwidth", inferred ? "2" : "3");
    em_gb_set(ed, "style", inferred ? "dashed" : "bold");
    em_gb_set(ed, "xlabel", inferred ? em_tr("未申告（推定）", "undeclared (inferred)") : em_tr("未申告", "undeclared"));
    gb->marks |= MK_UNDECLARED | (inferred ? MK_INFERRED : 0);
    struct em_buf *t = &gb->tip;
    t->len = 0;
    em_buf_add(t, "", 0);
    em_gb_add_plain(t, device_called(&gb->m->devices[a->up]));
    em_buf_puts(t, " → ");
    em_gb_add_plain(t, g_hash_table_lookup(gb->labels, a->id));
    em_buf_printf(t, "\n%s", em_tr("未申告（探索のみ）", "undeclared (discovery only)"));
    if (a->n_inferred)
        em_buf_printf(t, em_tr("\n推定（MACアドレス表・ARP表から） %zu台", "\ninferred from forwarding/ARP tables: %zu"), a->n_inferred);
    if (a->n_inferred < a->n)
        em_buf_printf(t, em_tr("\nLLDP/CDP で確認 %zu台", "\nseen by LLDP/CDP: %zu"), a->n - a->n_inferred);
    em_gb_set(ed, "tooltip", em_buf_cstr(t));
    return true;
}

/* Draws every planned aggregate (nothing when none was planned). */
void em_gb_add_endpoint_groups(struct gb *gb)
{
    for (size_t k = 0; k < gb->n_eaggs; k++) add_endpoint_group(gb, &gb->eaggs[k]);
}
