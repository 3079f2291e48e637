/* redact.c — --redact: global IPs, FQDNs, host names and input file names become stable
 * placeholders (IP-1, FQDN-1, HOST-1, INPUT-1.xlsx in order of first appearance) in the model itself, so every
 * output made from it afterwards (svg, pdf, png, dot, json, html, csv) is redacted alike. */
#include <ctype.h>
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "mapper/scrub.h"
#include "render/render.h"

/* original -> placeholder for every name seen (the text engine: mapper/scrub.h). */
struct map {
    struct em_scrub *sc;
    int n_ip, n_fqdn, n_host, n_input;
    bool oom;
};

static bool blank(const char *s) { return !s || !*s; }

static bool init_map(struct map *mp)
{
    memset(mp, 0, sizeof *mp);
    mp->sc = em_scrub_new();
    return mp->sc != NULL;
}

static void free_map(struct map *mp)
{
    em_scrub_free(mp->sc);
}

static const char *lookup(struct map *mp, const char *s)
{
    return em_scrub_lookup(mp->sc, s);
}

/* Enters orig (a pool string) -> ph. */
static void enter(struct map *mp, const char *orig, const char *ph)
{
    if (!em_scrub_enter(mp->sc, orig, ph)) mp->oom = true;
}

/* Returns the placeholder of s, adding one of kind ("IP", "FQDN", "HOST") if new. */
static const char *name(struct em_model *m, struct map *mp, const char *s, const char *kind)
{
    if (blank(s)) return s;
    const char *ph = lookup(mp, s);
    if (ph) return ph;
    int *ctr = kind[0] == 'I' ? &mp->n_ip : kind[0] == 'F' ? &mp->n_fqdn : &mp->n_host;
    ph = em_pool_printf(m->pool, "%s-%d", kind, ++*ctr);
    const char *orig = em_pool_str(m->pool, s);
    if (!ph || !orig) { mp->oom = true; return s; }
    enter(mp, orig, ph);
    return ph;
}

/* Maps orig to ph (both copied into the model's pool). */
static void add(struct em_model *m, struct map *mp, const char *orig, const char *ph)
{
    const char *o = em_pool_str(m->pool, orig);
    if (!o) { mp->oom = true; return; }
    enter(mp, o, ph);
}

/* The placeholder of an input file name: INPUT-n plus its extension (the kind of file
 * says nothing about the hospital; its folder and name may). The name without its
 * folder is mapped too, for messages that quote only that. */
static const char *input_name(struct em_model *m, struct map *mp, const char *path)
{
    if (blank(path)) return path;
    const char *ph = lookup(mp, path);
    if (ph) return ph;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *ext = strrchr(base, '.');
    if (!ext || strlen(ext) > 6) ext = "";
    ph = em_pool_printf(m->pool, "INPUT-%d%s", ++mp->n_input, ext);
    if (!ph) { mp->oom = true; return path; }
    add(m, mp, path, ph);
    if (base != path && *base && !lookup(mp, base)) add(m, mp, base, ph);
    return ph;
}

/* Every input file name in the model: the records in command-line order, then the
 * scan files (findings name the DISC.json and scan files too). */
static void redact_inputs(struct em_model *m, struct map *mp)
{
    for (size_t i = 0; i < m->n_sources; i++) m->sources[i] = input_name(m, mp, m->sources[i]);
    for (size_t i = 0; i < m->n_paths; i++) m->paths[i].src.file = input_name(m, mp, m->paths[i].src.file);
    for (size_t i = 0; i < m->n_devices; i++) {
        m->devices[i].src.file = input_name(m, mp, m->devices[i].src.file);
        for (size_t k = 0; k < m->devices[i].n_srcs; k++)   /* every file that names it */
            m->devices[i].srcs[k].file = input_name(m, mp, m->devices[i].srcs[k].file);
    }
    for (size_t i = 0; i < m->n_terminals; i++) m->terminals[i].src.file = input_name(m, mp, m->terminals[i].src.file);
    for (size_t i = 0; i < m->n_scan_hosts; i++) m->scan_hosts[i].file = input_name(m, mp, m->scan_hosts[i].file);
    for (size_t i = 0; i < m->n_services; i++) m->services[i].file = input_name(m, mp, m->services[i].file);
    for (size_t i = 0; i < m->n_findings; i++) m->findings[i].file = input_name(m, mp, m->findings[i].file);
}

struct ipctx { struct em_model *m; struct map *mp; };

/* em_scrub_ip_fn: an address in free text gets the placeholder of that address. */
static const char *ip_in_text(void *ctx, const char *ip)
{
    struct ipctx *c = ctx;
    return name(c->m, c->mp, ip, "IP");
}

/* Rewrites free text: every IPv4 address and every known original (with word
 * boundaries) replaced by its placeholder. A g_malloc'd text, NULL when unchanged. */
static char *scrub_text(struct em_model *m, struct map *mp, const char *s)
{
    struct ipctx c = {m, mp};
    return em_scrub_text(mp->sc, s, ip_in_text, &c, &mp->oom);
}

/* scrub_text() as a pool string (s itself when nothing changed). */
static const char *scrub(struct em_model *m, struct map *mp, const char *s)
{
    if (blank(s)) return s;
    char *t = scrub_text(m, mp, s);
    if (!t) return s;
    const char *r = em_pool_str(m->pool, t);
    g_free(t);
    if (!r) {
        mp->oom = true;
        return s;
    }
    return r;
}

/* scrub() of every finding's message: expanded, rewritten as a whole (a name may sit
 * across an argument and the template), set back only where it changed. */
static void scrub_messages(struct em_model *m, struct map *mp)
{
    char mb[EM_MSG_MAX];
    for (size_t i = 0; i < m->n_findings; i++) {
        struct em_finding *f = &m->findings[i];
        const char *msg = em_finding_msg(f, mb);
        if (blank(msg)) continue;
        char *t = scrub_text(m, mp, msg);
        if (t && em_finding_set_message(m, f, t) != 0) mp->oom = true;
        g_free(t);
    }
}

/* Whether id (a DISC.json device id) is one edgemap discover writes: dev-N or nbr-N, a
 * counter with no name in it. */
static bool counter_id(const char *id)
{
    if (strncmp(id, "dev-", 4) != 0 && strncmp(id, "nbr-", 4) != 0) return false;
    const char *p = id + 4;
    if (!isdigit((unsigned char)*p)) return false;
    while (isdigit((unsigned char)*p)) p++;
    return *p == '\0';
}

/* A discovered device's id is "disc-" + its DISC.json id (or, without one, its name or
 * address: mapper/discovered.c), and a DISC.json that edgemap discover did not write may
 * use host names as ids. Every DISC.json id that is not a counter becomes host-N, the id
 * made from it disc-host-N (mapped like the names, so messages that quote it follow), and
 * the edges that name a device by it are rewritten. */
static void redact_disc_ids(struct em_model *m, struct map *mp)
{
    GHashTable *moved = g_hash_table_new(g_str_hash, g_str_equal);   /* old id -> new id */
    int n = 0;
    for (size_t i = 0; i < m->n_devices && !mp->oom; i++) {
        struct em_device *d = &m->devices[i];
        bool own_id = d->source == EM_SRC_DISCOVERED && strncmp(d->id, "disc-", 5) == 0;
        bool named = !blank(d->disc_id) && !counter_id(d->disc_id);
        if (!named && !(own_id && !counter_id(d->id + 5))) continue;
        const char *ndisc = em_pool_printf(m->pool, "host-%d", ++n);
        const char *nid = em_pool_printf(m->pool, "disc-host-%d", n);
        if (!ndisc || !nid) { mp->oom = true; break; }
        if (named) {
            if (!lookup(mp, d->disc_id)) enter(mp, d->disc_id, ndisc);
            d->disc_id = ndisc;
        }
        if (own_id) {
            g_hash_table_insert(moved, (gpointer)d->id, (gpointer)nid);
            if (!lookup(mp, d->id)) enter(mp, d->id, nid);
            d->id = nid;
        }
    }
    for (size_t i = 0; i < m->n_edges && g_hash_table_size(moved); i++) {
        struct em_edge *e = &m->edges[i];
        const char *f = g_hash_table_lookup(moved, e->from), *t = g_hash_table_lookup(moved, e->to);
        if (f) e->from = f;
        if (t) e->to = t;
    }
    g_hash_table_destroy(moved);
}

int em_redact_model(struct em_model *m, struct em_err *err)
{
    struct map mp;
    if (!init_map(&mp)) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    /* placeholders in order of first appearance: the rows, then the devices */
    for (size_t i = 0; i < m->n_paths; i++) {
        struct em_path *p = &m->paths[i];
        p->global_ip = name(m, &mp, p->global_ip, "IP");
        p->fqdn = name(m, &mp, p->fqdn, "FQDN");
    }
    for (size_t i = 0; i < m->n_devices; i++) {
        struct em_device *d = &m->devices[i];
        d->hostname = name(m, &mp, d->hostname, "HOST");
        d->mgmt_ip = name(m, &mp, d->mgmt_ip, "IP");
    }
    for (size_t i = 0; i < m->n_terminals; i++)
        m->terminals[i].name = name(m, &mp, m->terminals[i].name, "HOST");
    /* addresses only scans and discovery saw (an undeclared responder, say) */
    for (size_t i = 0; i < m->n_devices; i++) {
        struct em_device *d = &m->devices[i];
        for (size_t k = 0; k < d->n_addresses; k++) d->addresses[k] = name(m, &mp, d->addresses[k], "IP");
    }
    for (size_t i = 0; i < m->n_scan_hosts; i++)
        m->scan_hosts[i].address = name(m, &mp, m->scan_hosts[i].address, "IP");
    for (size_t i = 0; i < m->n_services; i++)
        m->services[i].address = name(m, &mp, m->services[i].address, "IP");
    /* the device cells as each row wrote them (the JSON's "declared"): mostly the names
       above; a row that wrote another spelling or a namesake gets its own placeholder */
    for (size_t i = 0; i < m->n_paths; i++)
        for (int k = 0; k < 2; k++) {
            struct em_decl *dc = &m->paths[i].decl[k];
            dc->hostname = name(m, &mp, dc->hostname, "HOST");
            dc->mgmt_ip = name(m, &mp, dc->mgmt_ip, "IP");
        }
    redact_disc_ids(m, &mp);
    /* then every free text that may quote them */
    for (size_t i = 0; i < m->n_paths; i++) {
        struct em_path *p = &m->paths[i];
        p->remarks = scrub(m, &mp, p->remarks);
        p->purpose = scrub(m, &mp, p->purpose);
        p->remote_party = scrub(m, &mp, p->remote_party);
        for (size_t k = 0; k < p->n_extra; k++) p->extra[k].value = scrub(m, &mp, p->extra[k].value);
    }
    for (size_t i = 0; i < m->n_devices; i++) m->devices[i].location = scrub(m, &mp, m->devices[i].location);
    for (size_t i = 0; i < m->n_paths; i++)
        for (int k = 0; k < 2; k++) m->paths[i].decl[k].location = scrub(m, &mp, m->paths[i].decl[k].location);
    scrub_messages(m, &mp);
    for (size_t i = 0; i < m->site.n_extra; i++) m->site.extra[i].value = scrub(m, &mp, m->site.extra[i].value);
    for (size_t i = 0; i < m->n_outside; i++) m->outside[i].name = scrub(m, &mp, m->outside[i].name);
    bool oom = mp.oom;
    free_map(&mp);
    if (oom) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    return EM_OK;
}

int em_redact_inputs(struct em_model *m, struct em_err *err)
{
    struct map mp;
    if (!init_map(&mp)) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    redact_inputs(m, &mp);
    /* messages that quote an input (a scan or DISC.json named in a finding) */
    scrub_messages(m, &mp);
    bool oom = mp.oom;
    free_map(&mp);
    if (oom) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    return EM_OK;
}
