/* json.c — model → JSON, streamed straight to the output: no document tree, so a
 * 100,000-row model is written in constant extra memory. The layout is the one json-c
 * prints with PRETTY|SPACED (two-space indent, "key": value), so outputs stay
 * diffable and identical to earlier ones; diff.c reads it back with json-c. */
#include "mapper/json.h"
#include "mapper/evidence.h"
#include "mapper/json_jw.h"
#include "mapper/json_par.h"
#include "mapper/wbuf.h"

#include "mapper/about.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/norm.h"

/* A value the redaction hook may replace (kind: "ip", "fqdn", "host"). */
static void sensitive(struct jw *w, const char *k, size_t kn, const char *kind, const char *s)
{
    if (s && *s && w->redact) {
        const char *r = w->redact(w->rctx, kind, s);
        if (r) s = r;
    }
    em_jw_str(w, k, kn, s);
}

static void tri_bool(struct jw *w, const char *k, size_t kn, enum em_tri t)
{
    if (t == EM_TRI_UNKNOWN) klit(w, k, kn, "null", 4);
    else kbool(w, k, kn, t == EM_TRI_YES);
}

static void opt_str(struct jw *w, const char *k, size_t kn, const char *v)
{
    if (v) em_jw_str(w, k, kn, v);
    else klit(w, k, kn, "null", 4);
}

static void int_list(struct jw *w, const char *k, size_t kn, const int *v, size_t n)
{
    kopen(w, k, kn, '[');
    for (size_t i = 0; i < n; i++) int_(w, v[i]);
    close_(w, ']');
}

static void extras(struct jw *w, const struct em_attr *a, size_t n)
{
    KO("extra", '{');
    for (size_t i = 0; i < n; i++) {
        em_jw_key(w, a[i].key);
        str(w, a[i].value);
    }
    close_(w, '}');
}

/* "normalized": the compared form (NFKC, trimmed) of each value whose shown form (as
 * written) differs from it; {} when none does (records.md "Values as written"). */
static void normalized(struct jw *w, const struct jkey *keys, const char *const *vals, size_t n)
{
    KO("normalized", '{');
    for (size_t i = 0; i < n; i++) {
        const char *v = vals[i];
        if (!v || !*v) continue;
        int ascii = 1;
        for (const char *q = v; *q && ascii; q++)
            if ((unsigned char)*q >= 0x80) ascii = 0;
        if (ascii) continue;   /* ASCII is its own NFKC (and is already trimmed) */
        size_t slot = w->nf ? nf_slot(w->nf, v) : 0;
        const char *t = w->nf ? w->nf->val[slot] : NULL;
        char *tmp = NULL;   /* a form not kept in the cache */
        if (!t) {
            char *nf = g_utf8_normalize(v, -1, G_NORMALIZE_NFKC);
            if (!nf) continue;
            g_strstrip(nf);
            if (strcmp(nf, v) == 0) {
                g_free(nf);
                t = v;
            } else {
                t = nf;
            }
            if (w->nf && strlen(v) <= NF_CACHE_LEN && w->nf->n < NF_CACHE_MAX) {
                w->nf->key[slot] = v;   /* the cache owns nf */
                w->nf->val[slot] = t;
                w->nf->n++;
            } else if (t != v) {
                tmp = nf;
            }
        }
        if (t != v) em_jw_str(w, keys[i].k, keys[i].n, t);
        g_free(tmp);
    }
    close_(w, '}');
}

static void path_json(struct jw *w, const struct em_model *m, const struct em_path *p)
{
    open_(w, '{');
    KI("row", p->src.row);
    KSM("file", p->src.file, MEMO_FILE);
    KSM("sheet", p->src.sheet, MEMO_SHEET);
    opt_str(w, K("comm_type"), p->comm_type == EM_COMM_UNSET ? NULL : em_comm_type_name(p->comm_type));
    KSC("purpose", p->purpose);
    KSC("system", p->system);
    KSC("remote_party", p->remote_party);
    KSC("emr_link", em_tri_name(p->emr_link));
    sensitive(w, K("global_ip"), "ip", p->global_ip);
    opt_str(w, K("ip_kind"), em_ip_kind_name(p->ip_kind));
    sensitive(w, K("fqdn"), "fqdn", p->fqdn);
    KS("scan_scope", p->scan == EM_SCAN_IN ? "in" : "out");
    KSC("scan_reason", em_scan_reason_name(p->scan));
    KB("scan_requested", p->scan_requested);
    /* extra keys */
    KSC("global_ip_use", em_tri_name(p->global_ip_use));
    KSC("provider_name", p->provider_name);
    KSC("provider_plan", p->provider_plan);
    KO("devices", '[');
    for (int s = 0; s < 2; s++) {
        if (p->dev[s] == EM_NONE) null_(w);
        else em_jw_str_cached(w, NULL, 0, m->devices[p->dev[s]].id);
    }
    close_(w, ']');
    KS("remarks", p->remarks);
    /* what the row itself wrote in 装置① / 装置② (the device it names may hold other
       spellings or values from other rows): nothing declared is lost from the model */
    KO("declared", '[');
    for (int s = 0; s < 2; s++) {
        const struct em_decl *d = &p->decl[s];
        const char *v[] = {d->type, d->hostname, d->mgmt_ip, d->maker, d->model, d->rental, d->firmware, d->location};
        int any = 0;
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            if (v[i] && *v[i]) any = 1;
        if (!any) {
            null_(w);
            continue;
        }
        open_(w, '{');
        KSC("type", d->type);
        sensitive(w, K("hostname"), "host", d->hostname);
        KSC("mgmt_ip", d->mgmt_ip);
        KSC("maker", d->maker);
        KSC("model", d->model);
        KSC("rental", d->rental);
        KSC("firmware", d->firmware);
        KSC("location", d->location);
        close_(w, '}');
    }
    close_(w, ']');
    {
        static const struct jkey k[] = {JK("purpose"), JK("system"), JK("remote_party"), JK("remarks"), JK("provider_name"),
                                        JK("provider_plan"), JK("carrier"), JK("service"), JK("ctu_location")};
        const char *v[] = {p->purpose, p->system, p->remote_party, p->remarks, p->provider_name,
                           p->provider_plan, p->carrier, p->service, p->ctu_location};
        normalized(w, k, v, sizeof k / sizeof k[0]);
    }
    extras(w, p->extra, p->n_extra);
    KB("scanned", p->scanned);
    KB("scan_up", p->scan_up);
    close_(w, '}');
}

static void terminal_fields(struct jw *w, const struct em_terminal *t)
{
    sensitive(w, K("name"), "host", t->name);
    KS("os", t->os);
    KS("antivirus", t->antivirus);
    KS("antivirus_version", t->av_version);
    tri_bool(w, K("usb_blocked"), t->usb_blocked);
}

/* "generator": what produced this model (mapper/about.h), when the CLI filled it in. */
static void generator(struct jw *w)
{
    if (em_about_count() == 0) return;
    KO("generator", '{');
    for (int kind = EM_ABOUT_PROGRAM; kind <= EM_ABOUT_LIBRARY; kind++) {
        if (kind == EM_ABOUT_DATA) {
            KO("data", '[');
        } else if (kind == EM_ABOUT_LIBRARY) {
            KO("libraries", '{');
        }
        for (size_t i = 0; i < em_about_count(); i++) {
            const struct em_about_item *it = em_about_item(i);
            if ((int)it->kind != kind) continue;
            if (kind == EM_ABOUT_DATA) {
                open_(w, '{');
                KS("file", it->name);
                KS("version", it->version);
                KS("date", it->date);
                close_(w, '}');
            } else {
                em_jw_key(w, it->name);
                str(w, it->version);
            }
        }
        if (kind == EM_ABOUT_DATA) close_(w, ']');
        else if (kind == EM_ABOUT_LIBRARY) close_(w, '}');
    }
    close_(w, '}');
}

/* The big arrays, in chunks of this many elements (about 100 KiB of JSON each on the
 * 100,000-row book), formatted by two threads when there are at least 4 chunks. */
#define JPAR_LINES 32
#define JPAR_DEVICES 128
#define JPAR_EDGES 256
#define JPAR_FINDINGS 192
static size_t par_min_chunks = EM_JSON_PAR_MIN_CHUNKS, par_chunk_div = 1;

void em_json_par_set(size_t min_chunks, size_t chunk_div)
{
    par_min_chunks = min_chunks;
    par_chunk_div = chunk_div ? chunk_div : 1;
}

struct par_ctx {
    struct jw *w[2];     /* the calling thread's state, the second thread's */
    const struct em_model *m;
    void (*elem)(struct jw *, const struct em_model *, size_t);
    int depth;           /* the array's elements' depth */
};

/* em_jpar_fmt: elements [from, to) with the state of `thread`, as if every element
 * before them had been written by it (the separator of element 0 is "\n", the
 * others' ",\n"). */
static void par_fmt(void *ctx, int thread, struct em_wbuf *b, size_t from, size_t to)
{
    struct par_ctx *c = ctx;
    struct jw *w = c->w[thread];
    w->f = b;
    w->depth = c->depth;
    w->first[c->depth] = from == 0;
    w->key_pending = false;
    for (size_t i = from; i < to; i++) c->elem(w, c->m, i);
}

/* The n elements of an open array, elem() each: by two threads when it pays (json_par.h),
 * else here. */
static void array(struct jw *w, const struct em_model *m, size_t n, size_t chunk,
                  void (*elem)(struct jw *, const struct em_model *, size_t))
{
    chunk /= par_chunk_div;
    if (chunk == 0) chunk = 1;
    bool two = w->par && n / chunk >= par_min_chunks;
    if (two && !w->peer) {
        w->peer = calloc(1, sizeof *w->peer);
        if (w->peer) em_jw_caches(w->peer);
    }
    if (two && w->peer) {
        struct em_wbuf *out = w->f;
        struct par_ctx c = {.w = {w, w->peer}, .m = m, .elem = elem, .depth = w->depth};
        if (em_jpar_run(out, n, chunk, par_fmt, &c) == 0) {
            w->f = out;
            w->depth = c.depth;
            w->first[c.depth] = n == 0;
            w->key_pending = false;
            return;
        }
    }
    for (size_t i = 0; i < n; i++) elem(w, m, i);
}

/* lines[i]: the line, its rows, devices and paths. */
static void line_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_line *ln = &m->lines[i];
    open_(w, '{');
    KS("line_no", ln->line_no);
    KS("id", ln->id);
    KO("rows", '[');
    for (size_t k = 0; k < ln->n_paths; k++) int_(w, m->paths[ln->paths[k]].src.row);
    close_(w, ']');
    KSC("carrier", ln->carrier);
    KSC("service", ln->service);
    KSC("ctu_location", ln->ctu_location);
    KSC("contract_holder", ln->contract_holder);
    {
        static const struct jkey k[] = {JK("line_no"), JK("carrier"), JK("service"), JK("ctu_location"), JK("contract_holder")};
        const char *v[] = {ln->line_no, ln->carrier, ln->service, ln->ctu_location, ln->contract_holder};
        normalized(w, k, v, sizeof k / sizeof k[0]);
    }
    KO("devices", '[');
    for (size_t k = 0; k < ln->n_devices; k++) em_jw_str_cached(w, NULL, 0, m->devices[ln->devices[k]].id);
    close_(w, ']');
    KO("paths", '[');
    for (size_t k = 0; k < ln->n_paths; k++) path_json(w, m, &m->paths[ln->paths[k]]);
    close_(w, ']');
    if (ln->n_paths) {
        const struct em_src *s = &m->paths[ln->paths[0]].src;
        KSM("file", s->file, MEMO_FILE);
        KSM("sheet", s->sheet, MEMO_SHEET);
    }
    close_(w, '}');
}

/* devices[i]. */
static void device_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_device *d = &m->devices[i];
    open_(w, '{');
    KSC("id", d->id);
    KSC("type", em_dev_type_name(d->type));
    KSC("maker", d->maker);
    KSC("model", d->model);
    KSC("firmware", d->firmware);
    tri_bool(w, K("rental"), d->rental);
    KSC("location", d->location);
    {
        static const struct jkey k[] = {JK("maker"), JK("model"), JK("firmware"), JK("location"), JK("type_text")};
        const char *v[] = {d->maker, d->model, d->firmware, d->location, d->type_raw};
        normalized(w, k, v, sizeof k / sizeof k[0]);
    }
    KSC("source", em_source_name(d->source));
    KSC("type_text", d->type_raw);
    sensitive(w, K("hostname"), "host", d->hostname);
    KSC("mgmt_ip", d->mgmt_ip);
    KI("slot", d->slot);
    KB("firmware_verified", d->verified);
    KO("cves", '[');
    for (size_t k = 0; k < d->n_cves; k++) str(w, d->cves[k]);
    close_(w, ']');
    opt_str(w, K("advisory_url"), d->advisory_url);
    int_list(w, K("rows"), d->rows, d->n_rows);
    KO("sources", '[');   /* every row naming it, in every file */
    for (size_t k = 0; k < d->n_srcs; k++) {
        open_(w, '{');
        KSM("file", d->srcs[k].file, MEMO_FILE);
        KSM("sheet", d->srcs[k].sheet, MEMO_SHEET);
        KI("row", d->srcs[k].row);
        close_(w, '}');
    }
    close_(w, ']');
    opt_str(w, K("disc_id"), d->disc_id);
    KSC("evidence", em_device_evidence(d));
    KO("addresses", '[');
    for (size_t k = 0; k < d->n_addresses; k++) {
        if (w->redact && w->redact(w->rctx, "ip", d->addresses[k]))
            str(w, w->redact(w->rctx, "ip", d->addresses[k]));
        else
            str(w, d->addresses[k]);
    }
    close_(w, ']');
    close_(w, '}');
}

/* edges[i]. */
static void edge_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_edge *e = &m->edges[i];
    open_(w, '{');
    char ib[EM_EDGE_ID_BUF], *id = em_edge_id(e, ib, sizeof ib);
    if (!id) w->f->err = 1;   /* out of memory: reported as a failed write */
    KS("id", id);
    em_edge_id_free(id, ib);
    KSC("from", e->from);
    KSC("to", e->to);
    KB("emr_unknown", e->emr_unknown);
    KB("out_of_scope", e->out_of_scope);
    int_list(w, K("rows"), e->rows, e->n_rows);
    KB("discovered", e->discovered);
    KB("inferred", e->inferred);
    KSC("evidence", em_edge_evidence(m, e));
    close_(w, '}');
}

/* findings[i], its message expanded (mapper/finding.c). */
static void finding_json(struct jw *w, const struct em_model *m, size_t i)
{
    const struct em_finding *f = &m->findings[i];
    char mb[EM_MSG_MAX];   /* the message is expanded here, once */
    open_(w, '{');
    KSC("code", f->code);
    KSC("severity", em_severity_name(f->severity));
    KSM("file", f->file, MEMO_FILE);
    KSM("sheet", f->sheet, MEMO_SHEET);
    KI("row", f->row);
    KSC("column", f->column);
    KSC("line_no", f->line_no);
    KS("message", em_finding_msg(f, mb));
    if (f->accepted) {   /* additive: --accept (mapper/accept.c) */
        KO("accepted", '{');
        KS("reason", f->accepted->reason);
        KS("accepted_by", f->accepted->by);
        KS("date", f->accepted->date);
        KS("file", f->accepted->file);
        KI("entry_line", f->accepted->entry_line);
        close_(w, '}');
    }
    close_(w, '}');
}

static void model_json(struct jw *w, const struct em_model *m)
{
    open_(w, '{');
    KS("schema", "edgemap/1");
    generator(w);

    KO("site", '{');
    KS("name", m->site.name);
    KS("address", m->site.address);
    KS("beds", m->site.beds);
    KS("survey_date", m->survey_date);
    extras(w, m->site.extra, m->site.n_extra);
    close_(w, '}');

    KO("sources", '[');
    for (size_t i = 0; i < m->n_sources; i++) str(w, m->sources[i]);
    close_(w, ']');

    KO("lines", '[');
    array(w, m, m->n_lines, JPAR_LINES, line_json);
    close_(w, ']');

    KO("devices", '[');
    array(w, m, m->n_devices, JPAR_DEVICES, device_json);
    close_(w, ']');

    KO("segments", '[');
    for (size_t i = 0; i < m->n_segments; i++) {
        const struct em_segment *s = &m->segments[i];
        open_(w, '{');
        KS("id", s->id);
        KS("name", s->name);
        KB("emr", s->emr);
        KO("terminals", '[');
        for (size_t k = 0; k < s->n_terminals; k++) {
            const struct em_terminal *t = &m->terminals[s->terminals[k]];
            open_(w, '{');
            terminal_fields(w, t);
            KI("row", t->src.row);
            close_(w, '}');
        }
        close_(w, ']');
        close_(w, '}');
    }
    close_(w, ']');

    KO("networks", '[');
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *n = &m->outside[i];
        static const char *kinds[] = {"internet", "closed", "phone", "party"};
        open_(w, '{');
        KS("id", n->id);
        KS("kind", n->kind <= EM_NODE_PARTY ? kinds[n->kind] : "other");
        KS("name", n->name);
        KB("maintenance", n->maintenance);
        close_(w, '}');
    }
    close_(w, ']');

    KO("edges", '[');
    /* em_edge_evidence looks devices up in the model's index, which is built on first
       use: built here, before a second thread may read it */
    em_model_find_device(m, "");
    array(w, m, m->n_edges, JPAR_EDGES, edge_json);
    close_(w, ']');

    KO("terminals", '[');
    for (size_t i = 0; i < m->n_terminals; i++) {
        const struct em_terminal *t = &m->terminals[i];
        open_(w, '{');
        terminal_fields(w, t);
        KS("system", t->system);
        opt_str(w, K("segment"), t->segment == EM_NONE ? NULL : m->segments[t->segment].id);
        KSM("file", t->src.file, MEMO_FILE);
        KSM("sheet", t->src.sheet, MEMO_SHEET);
        KI("row", t->src.row);
        close_(w, '}');
    }
    close_(w, ']');

    KO("scan_hosts", '[');
    for (size_t i = 0; i < m->n_scan_hosts; i++) {
        const struct em_scan_host *h = &m->scan_hosts[i];
        open_(w, '{');
        sensitive(w, K("address"), "ip", h->address);
        KB("up", h->up);
        KS("file", h->file);
        KI("row", h->path == EM_NONE ? 0 : m->paths[h->path].src.row);
        close_(w, '}');
    }
    close_(w, ']');

    KO("services", '[');
    for (size_t i = 0; i < m->n_services; i++) {
        const struct em_service *sv = &m->services[i];
        open_(w, '{');
        sensitive(w, K("address"), "ip", sv->address);
        KS("proto", sv->proto);
        KI("port", sv->port);
        KS("state", sv->state);
        KS("name", sv->name);
        KS("product", sv->product);
        KS("version", sv->version);
        KS("file", sv->file);
        KI("row", sv->path == EM_NONE ? 0 : m->paths[sv->path].src.row);
        KS("line_no", sv->path == EM_NONE ? "" : m->lines[m->paths[sv->path].line].line_no);
        KS("severity", em_severity_name(sv->severity));
        close_(w, '}');
    }
    close_(w, ']');

    KO("findings", '[');
    array(w, m, m->n_findings, JPAR_FINDINGS, finding_json);
    close_(w, ']');
    close_(w, '}');
}

int em_model_write_json(FILE *f, const struct em_model *m, em_redact_fn redact, void *rctx)
{
    struct em_wbuf *b = malloc(sizeof *b);
    if (!b) return -1;
    em_wbuf_init(b, f);
    struct jw w = {.f = b, .redact = redact, .rctx = rctx, .par = !redact};
    em_jw_caches(&w);
    model_json(&w, m);
    em_jw_free(&w);
    em_wbuf_putc(b, '\n');
    int rc = em_wbuf_flush(b);
    free(b);
    return rc != 0 || ferror(f) ? -1 : 0;
}

char *em_model_json_string(const struct em_model *m, em_redact_fn redact, void *rctx)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    struct em_wbuf *b = malloc(sizeof *b);
    if (!b) {
        fclose(f);
        free(buf);
        return NULL;
    }
    em_wbuf_init(b, f);
    struct jw w = {.f = b, .redact = redact, .rctx = rctx, .par = !redact};
    em_jw_caches(&w);
    model_json(&w, m);
    em_jw_free(&w);
    int bad = em_wbuf_flush(b) != 0 || ferror(f);
    free(b);
    if (fclose(f) != 0 || bad) {
        free(buf);
        return NULL;
    }
    return buf;
}
