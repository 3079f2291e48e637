/* redact.c — --redact: global IPs, FQDNs, host names and input file names become stable
 * placeholders (IP-1, FQDN-1, HOST-1, INPUT-1.xlsx in order of first appearance) in the model itself, so every
 * output made from it afterwards (svg, pdf, png, dot, json, html, csv) is redacted alike. */
#include <ctype.h>
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "render/buf.h"
#include "render/render.h"

/* original -> placeholder for every name seen, and what free text is scanned for.
 * Originals made of word characters only (IPs, FQDNs, most host names) can only match a
 * whole run of word characters, so free text asks the table once per word; the others
 * (file paths, host names in Japanese or with spaces) are tried at each place where one
 * of their first bytes stands, by each of their lengths, longest first. Both are linear
 * in the text (a 100,000-row survey was quadratic: every name against every byte). */
struct map {
    GHashTable *ph;            /* original -> placeholder, both pool strings */
    size_t *lens;              /* distinct lengths of the other originals, longest first */
    size_t n_lens, cap_lens;
    unsigned char first[32];   /* bit set: the first byte of one of the others shorter than 3 */
    unsigned char first3[8192];/* bit set: a hash of the first 3 bytes of one of the others */
    size_t max_word;           /* the longest word-only original */
    char *tmp; size_t cap_tmp; /* scratch: a piece of text, NUL-terminated, to look up */
    int n_ip, n_fqdn, n_host, n_input;
    bool oom;
};

static bool blank(const char *s) { return !s || !*s; }

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* A 16-bit hash of the 3 bytes at s (a place where one of the other originals may
 * start: its first character, in Japanese the whole first character). */
static unsigned hash3(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t v = (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
    return (unsigned)((v * 2654435761u) >> 16);
}

/* Whether one of the other originals may start at p (end: the end of the text). */
static bool may_start(const struct map *mp, const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (mp->first[c >> 3] & (1u << (c & 7))) return true;
    if (end - p < 3) return false;
    unsigned h = hash3(p);
    return mp->first3[h >> 3] & (1u << (h & 7));
}

static bool init_map(struct map *mp)
{
    memset(mp, 0, sizeof *mp);
    mp->ph = g_hash_table_new(g_str_hash, g_str_equal);
    return mp->ph != NULL;
}

static void free_map(struct map *mp)
{
    if (mp->ph) g_hash_table_destroy(mp->ph);
    free(mp->lens);
    free(mp->tmp);
}

static const char *lookup(struct map *mp, const char *s)
{
    return g_hash_table_lookup(mp->ph, s);
}

/* Enters orig (a pool string) -> ph and what scrub() needs to find orig in text. */
static void enter(struct map *mp, const char *orig, const char *ph)
{
    g_hash_table_insert(mp->ph, (gpointer)orig, (gpointer)ph);
    size_t len = strlen(orig);
    bool word = true;
    for (size_t i = 0; i < len && word; i++) word = word_char(orig[i]);
    if (word) {
        if (len > mp->max_word) mp->max_word = len;
        return;
    }
    if (len < 3) {
        unsigned char c = (unsigned char)orig[0];
        mp->first[c >> 3] |= (unsigned char)(1u << (c & 7));
    } else {
        unsigned h = hash3(orig);
        mp->first3[h >> 3] |= (unsigned char)(1u << (h & 7));
    }
    size_t k = 0;
    while (k < mp->n_lens && mp->lens[k] > len) k++;
    if (k < mp->n_lens && mp->lens[k] == len) return;
    if (mp->n_lens == mp->cap_lens) {
        size_t nc = mp->cap_lens ? mp->cap_lens * 2 : 16;
        size_t *nl = realloc(mp->lens, nc * sizeof *nl);
        if (!nl) { mp->oom = true; return; }
        mp->lens = nl;
        mp->cap_lens = nc;
    }
    memmove(mp->lens + k + 1, mp->lens + k, (mp->n_lens - k) * sizeof *mp->lens);
    mp->lens[k] = len;
    mp->n_lens++;
}

/* The placeholder of text[0..len) if it is an original, else NULL. */
static const char *lookup_n(struct map *mp, const char *text, size_t len)
{
    if (len + 1 > mp->cap_tmp) {
        size_t nc = len + 1 > 256 ? len + 1 : 256;
        char *nt = realloc(mp->tmp, nc);
        if (!nt) { mp->oom = true; return NULL; }
        mp->tmp = nt;
        mp->cap_tmp = nc;
    }
    memcpy(mp->tmp, text, len);
    mp->tmp[len] = '\0';
    return lookup(mp, mp->tmp);
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

/* The longest original at p (a word start; text ends at end) followed by a non-word
 * character or the end: its placeholder, its length in *len; NULL if none. */
static const char *original_at(struct map *mp, const char *p, const char *end, size_t *len)
{
    const char *ph = NULL;
    size_t run = 0;
    while (p + run < end && word_char(p[run])) run++;
    if (run && run <= mp->max_word && (ph = lookup_n(mp, p, run))) *len = run;
    if (!mp->n_lens || !may_start(mp, p, end)) return ph;
    for (size_t k = 0; k < mp->n_lens && mp->lens[k] > (ph ? *len : 0); k++) {
        size_t l = mp->lens[k];
        if (l > (size_t)(end - p) || (p + l < end && word_char(p[l]))) continue;
        const char *h = lookup_n(mp, p, l);
        if (h) {
            *len = l;
            return h;
        }
    }
    return ph;
}

/* Rewrites free text into b: every IPv4 address and every known original (with word
 * boundaries) replaced by its placeholder. Returns true when anything was replaced. */
static bool scrub_into(struct em_model *m, struct map *mp, const char *s, struct em_buf *b)
{
    const char *p = s, *end = s + strlen(s);
    bool changed = false;
    while (p < end) {
        size_t n = ipv4_at(p, s);
        if (n) {
            char ip[16];
            memcpy(ip, p, n);
            ip[n] = '\0';
            em_buf_puts(b, name(m, mp, ip, "IP"));
            p += n;
            changed = true;
            continue;
        }
        if (!(p > s && word_char(p[-1]))) {
            size_t len = 0;
            const char *ph = original_at(mp, p, end, &len);
            if (ph) {
                em_buf_puts(b, ph);
                p += len;
                changed = true;
                continue;
            }
        }
        /* a run of word characters that starts no match: copied whole (no match can
           start inside it, the place before is a word character) */
        const char *q = p + 1;
        while (q < end && word_char(*p) && word_char(*q)) q++;
        em_buf_add(b, p, (size_t)(q - p));
        p = q;
    }
    return changed;
}

/* scrub_into() as a pool string (s itself when nothing changed). */
static const char *scrub(struct em_model *m, struct map *mp, const char *s)
{
    if (blank(s)) return s;
    struct em_buf b = {0};
    const char *r = s;
    if (scrub_into(m, mp, s, &b) && !b.failed) {
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
    struct em_buf b = {0};
    for (size_t i = 0; i < m->n_findings; i++) {
        struct em_finding *f = &m->findings[i];
        const char *msg = em_finding_msg(f, mb);
        if (blank(msg)) continue;
        b.len = 0;
        if (scrub_into(m, mp, msg, &b) && !b.failed && em_finding_set_message(m, f, em_buf_cstr(&b)) != 0)
            mp->oom = true;
        if (b.failed) mp->oom = true;
    }
    em_buf_free(&b);
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
