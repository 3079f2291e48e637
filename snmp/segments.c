/* segments.c — the network as subnets: each interface address with a prefix length
 * puts its device in a segment; endpoints join the segment holding their address. One
 * segment is the EMR segment (--emr-subnet, else the seed's). Devices that lead out —
 * a global address, a route to a global next hop, a WAN-type interface that is up, or
 * a router maker's endpoint — are listed with the chain of segments, devices and ports
 * that reaches them from the EMR segment (breadth-first, fewest hops). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "snmp/decode.h"
#include "snmp/disc_int.h"

const char *em_if_wan_kind(long t)
{
    switch (t) {
    case 23: case 108: return "ppp";           /* ppp, pppMultilinkBundle */
    case 131: return "tunnel";
    case 243: case 244: return "cellular";     /* wwanPP (3GPP), wwanPP2 (3GPP2) */
    case 94: case 95: case 96: case 97: case 238: case 251: return "dsl";
    case 127: return "cable";                  /* docsCableMaclayer */
    default: return NULL;
    }
}

static void mask(struct em_cidr *c)
{
    size_t bytes = c->family == 4 ? 4 : 16;
    for (size_t i = 0; i < bytes; i++) {
        int keep = c->prefix - (int)i * 8;
        unsigned char m = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
        c->addr[i] &= m;
    }
}

static bool same_net(const struct em_cidr *a, const struct em_cidr *b)
{
    return a->family == b->family && a->prefix == b->prefix && memcmp(a->addr, b->addr, 16) == 0;
}

static struct em_segment *seg_for(struct em_disc *d, const struct em_cidr *net, int *rc)
{
    for (size_t i = 0; i < d->n_segs; i++) if (same_net(&d->segs[i].net, net)) return &d->segs[i];
    struct em_segment *s = em_vec_push((void **)&d->segs, &d->n_segs, sizeof *s);
    if (!s) { *rc = EM_ERR_NOMEM; return NULL; }
    s->net = *net;
    s->id = em_pool_printf(d->pool, "seg-%zu", d->n_segs);
    s->prefix = em_pool_printf(d->pool, "%s/%d", em_addr_str(d->pool, net->family, net->addr), net->prefix);
    return s;
}

static int member(struct em_segment *s, const char *dev, const char *ifname, const char *addr)
{
    for (size_t i = 0; i < s->n_m; i++) if (strcmp(s->m[i].dev, dev) == 0) return 0;
    struct em_seg_member *m = em_vec_push((void **)&s->m, &s->n_m, sizeof *m);
    if (!m) return EM_ERR_NOMEM;
    m->dev = dev; m->ifname = ifname; m->address = addr;
    return 0;
}

/* The longest-prefix segment holding addr, or NULL. */
static struct em_segment *seg_holding(struct em_disc *d, int fam, const unsigned char *addr)
{
    struct em_segment *best = NULL;
    for (size_t i = 0; i < d->n_segs; i++)
        if (em_cidr_contains(&d->segs[i].net, fam, addr) && (!best || d->segs[i].net.prefix > best->net.prefix))
            best = &d->segs[i];
    return best;
}

static bool usable(const struct em_dev_addr *a)
{
    if (a->prefix <= 0 || a->prefix >= (a->family == 4 ? 32 : 128)) return false;
    if (a->family == 4) return a->raw[0] != 127 && !(a->raw[0] == 169 && a->raw[1] == 254);
    return !(a->raw[0] == 0xfe && (a->raw[1] & 0xc0) == 0x80) && a->raw[0] != 0;
}

static int build(struct em_disc *d)
{
    int rc = 0;
    for (size_t i = 0; i < d->n_devs && rc == 0; i++) {
        const struct em_dev *x = &d->devs[i];
        for (size_t k = 0; k < x->n_addrs && rc == 0; k++) {
            const struct em_dev_addr *a = &x->addrs[k];
            if (!usable(a)) continue;
            struct em_cidr net = {a->family, {0}, a->prefix};
            memcpy(net.addr, a->raw, 16);
            mask(&net);
            struct em_segment *s = seg_for(d, &net, &rc);
            if (s) rc = member(s, x->id, a->if_index ? em_dev_if_name(d->pool, x, a->if_index) : "", a->text);
        }
    }
    for (size_t i = 0; i < d->n_nbrs && rc == 0; i++)
        for (size_t k = 0; k < d->nbrs[i].n_addrs && rc == 0; k++) {
            const struct em_dev_addr *a = &d->nbrs[i].addrs[k];
            struct em_segment *s = seg_holding(d, a->family, a->raw);
            if (s) {
                rc = member(s, d->nbrs[i].id, "", a->text);
                if (!d->nbrs[i].segment) d->nbrs[i].segment = s->id;
            }
        }
    return rc;
}

static int mark_emr(struct em_disc *d)
{
    int rc = 0;
    if (d->has_emr_subnet) {
        bool any = false;
        for (size_t i = 0; i < d->n_segs; i++) {
            struct em_segment *s = &d->segs[i];
            if (s->net.prefix >= d->emr_subnet.prefix && em_cidr_contains(&d->emr_subnet, s->net.family, s->net.addr))
                s->emr = any = true;
        }
        if (!any) {
            struct em_segment *s = seg_for(d, &d->emr_subnet, &rc);
            if (s) s->emr = true;
        }
        return rc;
    }
    /* the seed's segment: the first seed given as an address, else the first device */
    unsigned char a[16];
    int fam = 0;
    for (size_t i = 0; i < d->n_seeds && !fam; i++) fam = em_addr_parse(d->seeds[i], a);
    if (!fam && d->n_devs && strcmp(d->mode, "snmp") == 0) fam = em_addr_parse(d->devs[0].queried, a);
    struct em_segment *s = fam ? seg_holding(d, fam, a) : NULL;
    if (s) s->emr = true;
    return 0;
}

/* ---- the chain from the EMR segment ---- */

/* Node numbering: segments, then devices ("dev-N" = N-1), then neighbours ("nbr-N"). */
struct graph {
    size_t n_nodes;
    size_t *head, *next, *to; const char **port;  /* adjacency lists (edge arrays) */
    size_t n_edges;
};

static long node_of(const struct em_disc *d, const char *id)
{
    char *end;
    if (strncmp(id, "dev-", 4) == 0) {
        unsigned long v = strtoul(id + 4, &end, 10);
        if (!*end && v >= 1 && v <= d->n_devs) return (long)(d->n_segs + v - 1);
    } else if (strncmp(id, "nbr-", 4) == 0) {
        unsigned long v = strtoul(id + 4, &end, 10);
        if (!*end && v >= 1 && v <= d->n_nbrs) return (long)(d->n_segs + d->n_devs + v - 1);
    }
    return -1;
}

static int edge(struct graph *g, size_t a, size_t b, const char *port)
{
    size_t e = g->n_edges++;
    g->to[e] = b; g->port[e] = port; g->next[e] = g->head[a]; g->head[a] = e;
    return 0;
}

static const char *label(const struct em_disc *d, size_t v)
{
    if (v < d->n_segs) return d->segs[v].prefix;
    v -= d->n_segs;
    if (v < d->n_devs) return d->devs[v].sys_name[0] ? d->devs[v].sys_name : d->devs[v].id;
    const struct em_nbr *n = &d->nbrs[v - d->n_devs];
    if (n->sys_name[0]) return n->sys_name;
    return n->mac[0] ? n->mac : n->id;
}

/* BFS from every EMR segment; prev[v] is the node before v, prev_port the port left. */
static int bfs(const struct em_disc *d, struct graph *g, size_t *prev, const char **prev_port)
{
    size_t *q = malloc(g->n_nodes * sizeof *q), qh = 0, qt = 0;
    if (!q) return EM_ERR_NOMEM;
    for (size_t v = 0; v < g->n_nodes; v++) prev[v] = (size_t)-1;
    for (size_t s = 0; s < d->n_segs; s++) if (d->segs[s].emr) { prev[s] = s; q[qt++] = s; }
    while (qh < qt) {
        size_t u = q[qh++];
        for (size_t e = g->head[u]; e != (size_t)-1; e = g->next[e]) {
            size_t v = g->to[e];
            if (prev[v] != (size_t)-1) continue;
            prev[v] = u; prev_port[v] = g->port[e];
            q[qt++] = v;
        }
    }
    free(q);
    return 0;
}

static const char *chain(struct em_disc *d, const size_t *prev, const char **prev_port, size_t v)
{
    if (prev[v] == (size_t)-1) return "";
    size_t path[64], n = 0;
    for (size_t u = v; n < 64; u = prev[u]) {
        path[n++] = u;
        if (prev[u] == u) break;
    }
    char buf[2048];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = n; i-- > 0 && o < sizeof buf - 1;) {
        size_t u = path[i];
        const char *port = i > 0 ? prev_port[path[i - 1]] : NULL;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%s%s%s%s", i + 1 < n ? " → " : "", label(d, u),
                              u < d->n_segs && d->segs[u].emr ? " (EMR)" : "",
                              port && *port ? " [" : "", port && *port ? port : "", port && *port ? "]" : "");
        if (o >= sizeof buf) o = sizeof buf - 1;
    }
    return em_pool_str(d->pool, buf);
}

static int add_out(struct em_disc *d, const char *dev, const char *why, const char *ch, bool global)
{
    for (size_t i = 0; i < d->n_outs; i++) if (strcmp(d->outs[i].dev, dev) == 0) return 0;
    struct em_path_out *o = em_vec_push((void **)&d->outs, &d->n_outs, sizeof *o);
    if (!o) return EM_ERR_NOMEM;
    o->dev = dev; o->why = why; o->chain = ch; o->global = global;
    return 0;
}

/* Why device x leads out ("" if it does not); *global when it reaches a global address. */
static const char *leads_out(struct em_pool *p, const struct em_dev *x, bool *global)
{
    *global = false;
    for (size_t k = 0; k < x->n_addrs; k++)
        if (x->addrs[k].global) { *global = true; return em_pool_printf(p, "global address %s", x->addrs[k].text); }
    for (size_t k = 0; k < x->n_next_hops; k++)
        if (x->next_hops[k].global) { *global = true; return em_pool_printf(p, "default route via %s", x->next_hops[k].text); }
    for (size_t k = 0; k < x->n_routes; k++)
        if (em_addr_is_global(x->routes[k].family, x->routes[k].nh)) {
            *global = true;
            return em_pool_printf(p, "route %s/%d via %s", x->routes[k].dest_text, x->routes[k].prefix, x->routes[k].nh_text);
        }
    for (size_t k = 0; k < x->n_ifs; k++) {
        const char *kind = em_if_wan_kind(x->ifs[k].type);
        if (kind && x->ifs[k].oper == 1)
            return em_pool_printf(p, "%s interface %s", kind, x->ifs[k].name[0] ? x->ifs[k].name : x->ifs[k].descr);
    }
    return "";
}

/* For an endpoint no link reaches from the EMR segment but whose address lies in it:
 * "10.66.0.0/24 (EMR) → 00:a0:de:… (on sw [port])", else "". */
static const char *in_emr(struct em_disc *d, const struct em_nbr *n)
{
    for (size_t s = 0; n->segment && s < d->n_segs; s++) {
        if (!d->segs[s].emr || strcmp(d->segs[s].id, n->segment) != 0) continue;
        long v = node_of(d, n->seen_by);
        const char *by = v >= 0 ? label(d, (size_t)v) : n->seen_by;
        if (!*by) return em_pool_printf(d->pool, "%s (EMR) → %s", d->segs[s].prefix, label(d, d->n_segs + d->n_devs + (size_t)(n - d->nbrs)));
        return em_pool_printf(d->pool, "%s (EMR) → %s (on %s [%s])", d->segs[s].prefix,
                              label(d, d->n_segs + d->n_devs + (size_t)(n - d->nbrs)), by, n->local_port);
    }
    return "";
}

static int paths_out(struct em_disc *d)
{
    struct graph g = {0};
    size_t n_members = 0;
    for (size_t s = 0; s < d->n_segs; s++) n_members += d->segs[s].n_m;
    g.n_nodes = d->n_segs + d->n_devs + d->n_nbrs;
    size_t max_edges = 2 * (n_members + d->n_links) + 1;
    g.head = malloc((g.n_nodes + 1) * sizeof *g.head);
    g.next = malloc(max_edges * sizeof *g.next);
    g.to = malloc(max_edges * sizeof *g.to);
    g.port = malloc(max_edges * sizeof *g.port);
    size_t *prev = malloc((g.n_nodes + 1) * sizeof *prev);
    const char **prev_port = calloc(g.n_nodes + 1, sizeof *prev_port);
    int rc = 0;
    if (!g.head || !g.next || !g.to || !g.port || !prev || !prev_port) { rc = EM_ERR_NOMEM; goto out; }
    for (size_t v = 0; v < g.n_nodes; v++) g.head[v] = (size_t)-1;
    for (size_t s = 0; s < d->n_segs; s++)
        for (size_t k = 0; k < d->segs[s].n_m; k++) {
            long v = node_of(d, d->segs[s].m[k].dev);
            /* endpoints are reached through the port that learned them, not the subnet */
            if (v < 0 || (size_t)v >= d->n_segs + d->n_devs) continue;
            edge(&g, s, (size_t)v, "");
            edge(&g, (size_t)v, s, d->segs[s].m[k].ifname);
        }
    for (size_t i = 0; i < d->n_links; i++) {
        long a = node_of(d, d->links[i].a_dev), b = node_of(d, d->links[i].b_dev);
        if (a < 0 || b < 0) continue;
        /* a port seen in a per-VLAN table is named with its VLAN: "Gi1/0/7, VLAN 20" */
        edge(&g, (size_t)a, (size_t)b, d->links[i].vlan && *d->links[i].a_port
             ? em_pool_printf(d->pool, "%s, VLAN %ld", d->links[i].a_port, d->links[i].vlan) : d->links[i].a_port);
        edge(&g, (size_t)b, (size_t)a, d->links[i].b_port);
    }
    if ((rc = bfs(d, &g, prev, prev_port)) != 0) goto out;
    for (size_t i = 0; i < d->n_devs && rc == 0; i++) {
        bool global;
        const char *why = leads_out(d->pool, &d->devs[i], &global);
        if (*why) rc = add_out(d, d->devs[i].id, why, chain(d, prev, prev_port, d->n_segs + i), global);
    }
    for (size_t i = 0; i < d->n_nbrs && rc == 0; i++) {
        const struct em_nbr *n = &d->nbrs[i];
        bool global = false;
        for (size_t k = 0; k < n->n_addrs; k++) global = global || n->addrs[k].global;
        if (!n->router_maker && !global) continue;
        const char *why = n->router_maker ? em_pool_printf(d->pool, "made by %s, a router maker", n->maker)
                                          : em_pool_printf(d->pool, "global address %s", n->addrs[0].text);
        const char *ch = chain(d, prev, prev_port, d->n_segs + d->n_devs + i);
        if (!*ch) ch = in_emr(d, n);
        rc = add_out(d, n->id, why, ch, global);
    }
out:
    free(g.head); free(g.next); free(g.to); free(g.port); free(prev); free(prev_port);
    return rc;
}

int em_disc_segments(struct em_disc *d)
{
    int rc = 0;
    /* the --emr-subnet segment first, so endpoints with an address in it join it even
       when no queried device has an interface there */
    if (d->has_emr_subnet) seg_for(d, &d->emr_subnet, &rc);
    if (rc == 0) rc = build(d);
    if (rc == 0) rc = mark_emr(d);
    if (rc == 0) rc = paths_out(d);
    return rc;
}

void em_disc_set_emr_subnet(struct em_disc *d, const struct em_cidr *c)
{
    d->has_emr_subnet = true;
    d->emr_subnet = *c;
}

void em_disc_set_data_dir(struct em_disc *d, const char *dir)
{
    g_free(d->makers_path);
    d->makers_path = dir ? g_build_filename(dir, "router-makers.tsv", NULL) : NULL;
}
