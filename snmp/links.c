/* links.c — the result container: devices deduplicated by identity (chassis id, else
 * sysName, else engine id), neighbours not queried, and links built from LLDP rows
 * with their evidence ("both" when each end lists the other, "one" otherwise). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snmp/disc_int.h"

struct em_disc *em_disc_new(void)
{
    struct em_disc *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->pool = em_pool_new();
    if (!d->pool) { free(d); return NULL; }
    d->mode = "snmp";
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(d->started, sizeof d->started, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return d;
}

void em_disc_free(struct em_disc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n_devs; i++) em_dev_clear(&d->devs[i]);
    for (size_t i = 0; i < d->n_nbrs; i++) free(d->nbrs[i].addrs);
    for (size_t i = 0; i < d->n_segs; i++) free(d->segs[i].m);
    free(d->segs); free(d->outs);
    em_oui_free(d->oui);
    free(d->makers_path);  /* g_build_filename: g_free is free here (GLib >= 2.46) */
    free(d->devs); free(d->keys); free(d->nbrs); free(d->links); free(d->errs);
    free(d->times); free(d->reasons); free(d->scopes); free(d->seeds);
    em_pool_free(d->pool);
    free(d);
}

size_t em_disc_n_errors(const struct em_disc *d) { return d->n_errs; }

int em_disc_error(const struct em_disc *d, size_t i, const char **address,
                  const char **kind, const char **message)
{
    if (i >= d->n_errs) return -1;
    *address = d->errs[i].address;
    *kind = d->errs[i].kind;
    *message = d->errs[i].message;
    return 0;
}

#define GROW(arr, n, cap) (((n) < (cap)) ? 0 : grow((void **)&(arr), &(cap), sizeof *(arr)))
static int grow(void **arr, size_t *cap, size_t elem)
{
    size_t nc = *cap ? *cap * 2 : 8;
    void *np = realloc(*arr, nc * elem);
    if (!np) return EM_ERR_NOMEM;
    *arr = np; *cap = nc;
    return 0;
}

int em_disc_add_err(struct em_disc *d, const char *address, const char *device,
                    const char *kind, const char *message)
{
    if (d->n_errs >= 100000) return 0;
    if (GROW(d->errs, d->n_errs, d->cap_errs)) return EM_ERR_NOMEM;
    struct em_agent_err *e = &d->errs[d->n_errs++];
    e->address = em_pool_str(d->pool, address ? address : "");
    e->device = device ? em_pool_str(d->pool, device) : NULL;
    e->kind = em_pool_str(d->pool, kind);
    e->message = em_pool_str(d->pool, message);
    return 0;
}

long em_disc_find_key(const struct em_disc *d, const char *key)
{
    if (!key) return -1;
    for (size_t i = 0; i < d->n_keys; i++)
        if (strcmp(d->keys[i].key, key) == 0) return (long)d->keys[i].dev;
    return -1;
}

int em_disc_map_key(struct em_disc *d, const char *key, size_t dev)
{
    if (!key || em_disc_find_key(d, key) >= 0) return 0;
    if (GROW(d->keys, d->n_keys, d->cap_keys)) return EM_ERR_NOMEM;
    d->keys[d->n_keys].key = em_pool_str(d->pool, key);
    d->keys[d->n_keys].dev = dev;
    d->n_keys++;
    return 0;
}

long em_disc_add_dev(struct em_disc *d, struct em_dev *dev)
{
    const char *key = em_dev_key(d->pool, dev);
    /* "same sysName + chassis" is covered by the chassis key; a device without LLDP is
     * matched by sysName+engine id only when both agree, so two unnamed boxes stay two */
    long hit = em_disc_find_key(d, key);
    if (hit >= 0) {
        struct em_dev *o = &d->devs[hit];
        const char **na = realloc(o->aliases, (o->n_aliases + 1) * sizeof *na);
        if (na) { o->aliases = na; o->aliases[o->n_aliases++] = dev->queried; }
        em_dev_clear(dev);
        return hit;
    }
    if (GROW(d->devs, d->n_devs, d->cap_devs)) { em_dev_clear(dev); return -1; }
    size_t idx = d->n_devs++;
    d->devs[idx] = *dev;
    memset(dev, 0, sizeof *dev);
    d->devs[idx].id = em_pool_printf(d->pool, "dev-%zu", idx + 1);
    if (key) em_disc_map_key(d, key, idx);
    /* a neighbour row naming it by sysName only must find it too */
    struct em_dev *nd = &d->devs[idx];
    if (nd->sys_name[0]) em_disc_map_key(d, em_pool_printf(d->pool, "n:%s", nd->sys_name), idx);
    return (long)idx;
}

int em_disc_set_reason(struct em_disc *d, const char *key, const char *reason)
{
    for (size_t i = 0; i < d->n_reasons; i++)
        if (strcmp(d->reasons[i].key, key) == 0) return 0;
    if (GROW(d->reasons, d->n_reasons, d->cap_reasons)) return EM_ERR_NOMEM;
    d->reasons[d->n_reasons].key = em_pool_str(d->pool, key);
    d->reasons[d->n_reasons].reason = reason;
    d->n_reasons++;
    return 0;
}

bool em_disc_has_reason(const struct em_disc *d, const char *key)
{
    for (size_t i = 0; i < d->n_reasons; i++)
        if (strcmp(d->reasons[i].key, key) == 0) return true;
    return false;
}

static const char *reason_for(const struct em_disc *d, const char *key, const char *def)
{
    for (size_t i = 0; i < d->n_reasons; i++)
        if (strcmp(d->reasons[i].key, key) == 0) return d->reasons[i].reason;
    return def;
}

long em_disc_rem_target(const struct em_disc *d, struct em_pool *p, const struct em_neighbor *r)
{
    long t = em_disc_find_key(d, em_rem_key(p, r));
    if (t >= 0 || !r->sys_name[0]) return t;
    /* by name only when one side has no chassis id to go by: two switches that both
     * kept the factory name are still two switches */
    t = em_disc_find_key(d, em_pool_printf(p, "n:%s", r->sys_name));
    if (t >= 0 && r->chassis[0] && d->devs[t].chassis[0]) return -1;
    return t;
}

/* the device or neighbour a remote row points at */
static long rem_target_dev(const struct em_disc *d, struct em_pool *p, const struct em_neighbor *r)
{
    return em_disc_rem_target(d, p, r);
}

int em_disc_add_link(struct em_disc *d, const char *a_dev, const char *a_port, const char *b_dev,
                     const char *b_port, const char *evidence, int source)
{
    /* LLDP and CDP on the same port, or each end seen from the other, is one link */
    for (size_t i = 0; i < d->n_links; i++) {
        const struct em_link *l = &d->links[i];
        if ((strcmp(l->a_dev, a_dev) == 0 && strcmp(l->b_dev, b_dev) == 0 && strcmp(l->a_port, a_port) == 0) ||
            (strcmp(l->a_dev, b_dev) == 0 && strcmp(l->b_dev, a_dev) == 0 && strcmp(l->b_port, a_port) == 0))
            return 0;
    }
    return em_disc_push_link(d, a_dev, a_port, b_dev, b_port, evidence, source);
}

int em_disc_push_link(struct em_disc *d, const char *a_dev, const char *a_port, const char *b_dev,
                      const char *b_port, const char *evidence, int source)
{
    struct em_link *l = em_vec_push((void **)&d->links, &d->n_links, sizeof *l);
    if (!l) return EM_ERR_NOMEM;
    l->a_dev = a_dev; l->a_port = a_port; l->b_dev = b_dev; l->b_port = b_port;
    l->evidence = evidence;
    l->source = source;
    return 0;
}

struct em_nbr *em_disc_new_nbr(struct em_disc *d, const char *key)
{
    struct em_nbr *nb = em_vec_push((void **)&d->nbrs, &d->n_nbrs, sizeof *nb);
    if (!nb) return NULL;
    nb->id = em_pool_printf(d->pool, "nbr-%zu", d->n_nbrs);
    nb->key = key;
    nb->chassis = nb->sys_name = nb->sys_desc = nb->platform = nb->mac = nb->maker = "";
    nb->seen_by = nb->local_port = nb->remote_port = nb->reason = "";
    return nb;
}

/* The not-queried neighbour for row r (made on first sight). NULL: no key, or no memory
 * (*rc set). */
static struct em_nbr *nbr_for(struct em_disc *d, const struct em_dev *a, const struct em_neighbor *r,
                              const char *lport, const char *rport, const char *default_reason, int *rc)
{
    struct em_pool *p = d->pool;
    const char *key = em_rem_key(p, r);
    if (!key) return NULL;
    for (size_t n = 0; n < d->n_nbrs; n++) if (strcmp(d->nbrs[n].key, key) == 0) return &d->nbrs[n];
    struct em_nbr *nb = em_disc_new_nbr(d, key);
    if (!nb) { *rc = EM_ERR_NOMEM; return NULL; }
    nb->source = r->source;
    nb->ch_sub = r->ch_sub; nb->chassis = r->chassis;
    nb->sys_name = r->sys_name; nb->sys_desc = r->sys_desc; nb->platform = r->platform;
    nb->caps = r->caps_en ? r->caps_en : r->caps_sup;
    if (r->n_mgmt) {
        nb->addrs = malloc(r->n_mgmt * sizeof *nb->addrs);
        if (!nb->addrs) { *rc = EM_ERR_NOMEM; return NULL; }
        memcpy(nb->addrs, r->mgmt, r->n_mgmt * sizeof *nb->addrs);
        nb->n_addrs = r->n_mgmt;
    }
    nb->reason = reason_for(d, key, r->n_mgmt ? default_reason : "no_address");
    nb->seen_by = a->id; nb->local_port = lport; nb->remote_port = rport;
    return nb;
}

/* Links from one device's neighbour rows (LLDP, CDP). */
static int rows_to_links(struct em_disc *d, size_t i, const char *default_reason)
{
    struct em_pool *p = d->pool;
    struct em_dev *a = &d->devs[i];
    int rc = 0;
    for (size_t j = 0; j < a->n_rems && rc == 0; j++) {
        const struct em_neighbor *r = &a->rems[j];
        const char *lport = em_nb_local_port(p, a, r);
        const char *rport = em_rem_port_name(r);
        long t = rem_target_dev(d, p, r);
        const char *b_id, *evidence = "one", *b_port = rport;
        if (t >= 0) {
            if ((size_t)t == i) continue;   /* a device listing itself */
            struct em_dev *b = &d->devs[t];
            b_id = b->id;
            /* does b list a on the port a saw? match by LLDP port ids when known */
            for (size_t k = 0; k < b->n_rems; k++) {
                const struct em_neighbor *br = &b->rems[k];
                if (rem_target_dev(d, p, br) != (long)i) continue;
                const char *b_loc_id = br->source == EM_NB_CDP ? NULL : em_dev_port_id(b, br->port);
                const char *a_loc_id = r->source == EM_NB_CDP ? NULL : em_dev_port_id(a, r->port);
                bool b_ok = !b_loc_id || !r->port_id[0] || strcmp(b_loc_id, r->port_id) == 0;
                bool a_ok = !a_loc_id || !br->port_id[0] || strcmp(a_loc_id, br->port_id) == 0;
                if (a_ok && b_ok) { evidence = "both"; b_port = em_nb_local_port(p, b, br); break; }
            }
            /* seen from both sides: keep it once, from the lower index */
            if (strcmp(evidence, "both") == 0 && (size_t)t < i) continue;
        } else {
            struct em_nbr *nb = nbr_for(d, a, r, lport, rport, default_reason, &rc);
            if (!nb) continue;
            b_id = nb->id;
        }
        rc = em_disc_add_link(d, a->id, lport, b_id, b_port, evidence, r->source);
    }
    return rc;
}

int em_disc_finish(struct em_disc *d, const char *default_reason)
{
    int rc = 0;
    for (size_t i = 0; i < d->n_devs && rc == 0; i++) rc = rows_to_links(d, i, default_reason);
    if (rc == 0) rc = em_disc_infer(d);
    if (rc == 0) rc = em_disc_segments(d);
    return rc;
}

void em_disc_summary(const struct em_disc *d, char *buf, size_t size)
{
    snprintf(buf, size, "edgemap discover: %zu devices, %zu links, %zu neighbours not queried, %zu agent errors/warnings, %.1f s",
             d->n_devs, d->n_links, d->n_nbrs, d->n_errs, d->elapsed_s);
}
