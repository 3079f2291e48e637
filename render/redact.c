/* redact.c — --redact: global IPs, FQDNs, host names and input file names become stable
 * placeholders (IP-1, FQDN-1, HOST-1, INPUT-1.xlsx in order of first appearance) in the model itself, so every
 * output made from it afterwards (svg, pdf, png, dot, json, html, csv) is redacted alike. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "render/buf.h"
#include "render/render.h"

struct ent { const char *orig, *ph; };
struct map {
    struct ent *e;
    size_t n, cap;
    int n_ip, n_fqdn, n_host, n_input;
    bool oom;
};

static bool blank(const char *s) { return !s || !*s; }

static const char *lookup(struct map *mp, const char *s)
{
    for (size_t i = 0; i < mp->n; i++)
        if (strcmp(mp->e[i].orig, s) == 0) return mp->e[i].ph;
    return NULL;
}

/* Returns the placeholder of s, adding one of kind ("IP", "FQDN", "HOST") if new. */
static const char *name(struct em_model *m, struct map *mp, const char *s, const char *kind)
{
    if (blank(s)) return s;
    const char *ph = lookup(mp, s);
    if (ph) return ph;
    if (mp->n == mp->cap) {
        size_t nc = mp->cap ? mp->cap * 2 : 32;
        struct ent *ne = realloc(mp->e, nc * sizeof *ne);
        if (!ne) { mp->oom = true; return s; }
        mp->e = ne;
        mp->cap = nc;
    }
    int *ctr = kind[0] == 'I' ? &mp->n_ip : kind[0] == 'F' ? &mp->n_fqdn : &mp->n_host;
    ph = em_pool_printf(m->pool, "%s-%d", kind, ++*ctr);
    const char *orig = em_pool_str(m->pool, s);
    if (!ph || !orig) { mp->oom = true; return s; }
    mp->e[mp->n++] = (struct ent){orig, ph};
    return ph;
}

/* Maps orig to ph (both copied into the model's pool). */
static void add(struct em_model *m, struct map *mp, const char *orig, const char *ph)
{
    if (mp->n == mp->cap) {
        size_t nc = mp->cap ? mp->cap * 2 : 32;
        struct ent *ne = realloc(mp->e, nc * sizeof *ne);
        if (!ne) { mp->oom = true; return; }
        mp->e = ne;
        mp->cap = nc;
    }
    const char *o = em_pool_str(m->pool, orig);
    if (!o) { mp->oom = true; return; }
    mp->e[mp->n++] = (struct ent){o, ph};
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

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* Length of a dotted-quad IPv4 address at s (0 if none), with word boundaries. */
static size_t ipv4_at(const char *s, const char *start)
{
    if (s > start && word_char(s[-1])) return 0;
    const char *p = s;
    for (int part = 0; part < 4; part++) {
        int digits = 0, v = 0;
        while (isdigit((unsigned char)*p) && digits < 4) { v = v * 10 + (*p - '0'); p++; digits++; }
        if (digits == 0 || digits > 3 || v > 255) return 0;
        if (part < 3) {
            if (*p != '.') return 0;
            p++;
        }
    }
    if (word_char(*p) && !(*p == '.' && !word_char(p[1]))) return 0;
    return (size_t)(p - s);
}

/* Rewrites free text: every IPv4 address and every known original (with word
 * boundaries) replaced by its placeholder. */
static const char *scrub(struct em_model *m, struct map *mp, const char *s)
{
    if (blank(s)) return s;
    struct em_buf b = {0};
    const char *p = s;
    bool changed = false;
    while (*p) {
        size_t n = ipv4_at(p, s);
        if (n) {
            char ip[16];
            memcpy(ip, p, n);
            ip[n] = '\0';
            em_buf_puts(&b, name(m, mp, ip, "IP"));
            p += n;
            changed = true;
            continue;
        }
        bool hit = false;
        if (!(p > s && word_char(p[-1]))) {
            size_t best = 0;
            const char *ph = NULL;
            for (size_t i = 0; i < mp->n; i++) {
                size_t ol = strlen(mp->e[i].orig);
                if (ol > best && strncmp(p, mp->e[i].orig, ol) == 0 && !word_char(p[ol])) {
                    best = ol;
                    ph = mp->e[i].ph;
                }
            }
            if (ph) {
                em_buf_puts(&b, ph);
                p += best;
                hit = changed = true;
            }
        }
        if (!hit) em_buf_add(&b, p++, 1);
    }
    const char *r = s;
    if (changed && !b.failed) {
        r = em_pool_str(m->pool, em_buf_cstr(&b));
        if (!r) { mp->oom = true; r = s; }
    }
    if (b.failed) mp->oom = true;
    em_buf_free(&b);
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
        const char *r = scrub(m, mp, msg);
        if (r != msg && em_finding_set_message(m, f, r) != 0) mp->oom = true;
    }
}

int em_redact_model(struct em_model *m, struct em_err *err)
{
    struct map mp = {0};
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
    /* then every free text that may quote them */
    for (size_t i = 0; i < m->n_paths; i++) {
        struct em_path *p = &m->paths[i];
        p->remarks = scrub(m, &mp, p->remarks);
        p->purpose = scrub(m, &mp, p->purpose);
        p->remote_party = scrub(m, &mp, p->remote_party);
        for (size_t k = 0; k < p->n_extra; k++) p->extra[k].value = scrub(m, &mp, p->extra[k].value);
    }
    for (size_t i = 0; i < m->n_devices; i++) m->devices[i].location = scrub(m, &mp, m->devices[i].location);
    scrub_messages(m, &mp);
    for (size_t i = 0; i < m->site.n_extra; i++) m->site.extra[i].value = scrub(m, &mp, m->site.extra[i].value);
    for (size_t i = 0; i < m->n_outside; i++) m->outside[i].name = scrub(m, &mp, m->outside[i].name);
    bool oom = mp.oom;
    free(mp.e);
    if (oom) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    return EM_OK;
}

int em_redact_inputs(struct em_model *m, struct em_err *err)
{
    struct map mp = {0};
    redact_inputs(m, &mp);
    /* messages that quote an input (a scan or DISC.json named in a finding) */
    scrub_messages(m, &mp);
    bool oom = mp.oom;
    free(mp.e);
    if (oom) return em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "%s", em_tr("メモリ不足", "out of memory"));
    return EM_OK;
}
