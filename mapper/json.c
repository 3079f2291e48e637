/* json.c — model → JSON, streamed straight to the output: no document tree, so a
 * 100,000-row model is written in constant extra memory. The layout is the one json-c
 * prints with PRETTY|SPACED (two-space indent, "key": value), so outputs stay
 * diffable and identical to earlier ones; diff.c reads it back with json-c. */
#include "mapper/json.h"
#include "mapper/evidence.h"
#include "mapper/wbuf.h"

#include "mapper/about.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "mapper/norm.h"

struct jw {
    struct em_wbuf *f;   /* buffered: one fwrite per 64 KiB, not one fputc per byte */
    int depth;
    bool first[64];      /* no member written yet at this depth */
    bool key_pending;    /* a key was written: the value follows on the same line */
    em_redact_fn redact;
    void *rctx;
    /* "normalized" forms already computed, by value pointer: values are pool strings,
       interned up to 64 bytes, so the same carrier or maker comes back as the same
       pointer; value: the NFKC form (g_free), or the value itself when it is its own */
    GHashTable *nf;
};

#define NF_CACHE_LEN 64
#define NF_CACHE_MAX 16384

static void indent(struct jw *w)
{
    /* two spaces a level, in one write (depth stays below 64) */
    static const char spaces[] = "                                                                "
                                 "                                                                ";
    int n = w->depth > 0 ? w->depth : 0;
    if ((size_t)n * 2 > sizeof spaces - 1) n = (int)((sizeof spaces - 1) / 2);
    em_wbuf_write(w->f, spaces, (size_t)n * 2);
}

/* Separator and indentation before a value (array element) or a key. */
static void before(struct jw *w)
{
    if (w->key_pending) {
        w->key_pending = false;
        return;
    }
    if (w->depth == 0) return;
    em_wbuf_puts(w->f, w->first[w->depth] ? "\n" : ",\n");
    w->first[w->depth] = false;
    indent(w);
}

/* em_utf8_next()'s length of the character at q (1: not valid UTF-8), with the
 * three-byte sequences of Japanese text decided here without a call. */
static inline size_t utf8_len(const unsigned char *q)
{
    if (q[0] >= 0xE0 && q[0] <= 0xEF && (q[1] & 0xC0) == 0x80 && (q[2] & 0xC0) == 0x80) {
        uint32_t cp = (uint32_t)(q[0] & 0x0F) << 12 | (uint32_t)(q[1] & 0x3F) << 6 | (uint32_t)(q[2] & 0x3F);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return 3;   /* not overlong, not a surrogate */
    }
    uint32_t cp;
    return em_utf8_next(q, &cp);
}

static void raw_string(struct jw *w, const char *s)
{
    struct em_wbuf *f = w->f;
    em_wbuf_putc(f, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        const unsigned char *q = p;  /* a run that needs no escape: one copy */
        for (;;) {
            if (*q >= 0x20 && *q < 0x7F && *q != '"' && *q != '\\') {
                q++;
            } else if (*q >= 0x80 && *q != 0xC2) {  /* a whole valid UTF-8 character */
                size_t k = utf8_len(q);
                if (k == 1) break;
                q += k;
            } else {
                break;
            }
        }
        if (q > p) {
            em_wbuf_write(f, (const char *)p, (size_t)(q - p));
            p = q;
            if (!*p) break;
        }
        switch (*p) {
        case '"': em_wbuf_puts(f, "\\\""); break;
        case '\\': em_wbuf_puts(f, "\\\\"); break;
        case '\b': em_wbuf_puts(f, "\\b"); break;
        case '\f': em_wbuf_puts(f, "\\f"); break;
        case '\n': em_wbuf_puts(f, "\\n"); break;
        case '\r': em_wbuf_puts(f, "\\r"); break;
        case '\t': em_wbuf_puts(f, "\\t"); break;
        default:
            /* C0 must be escaped; DEL and C1 (U+0080-U+009F, UTF-8 C2 80-9F) may not,
             * but are, so a JSON shown in a terminal never carries ESC/CSI */
            if (*p < 0x20 || *p == 0x7F) em_wbuf_printf(f, "\\u%04x", *p);
            else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) em_wbuf_printf(f, "\\u%04x", *++p);
            else if (*p < 0x80) em_wbuf_putc(f, (char)*p);
            else {
                /* whole characters only: a byte that starts no valid UTF-8 sequence
                   (a cut or a legacy encoding) becomes U+FFFD, never a broken document */
                uint32_t cp;
                size_t k = em_utf8_next(p, &cp);
                if (k == 1) em_wbuf_write(f, "\xEF\xBF\xBD", 3);
                else em_wbuf_write(f, (const char *)p, k);
                p += k - 1;
            }
        }
    }
    em_wbuf_putc(f, '"');
}

static void open_(struct jw *w, char c)
{
    before(w);
    em_wbuf_putc(w->f, c);
    if (w->depth < 63) w->depth++;
    w->first[w->depth] = true;
}

static void close_(struct jw *w, char c)
{
    em_wbuf_putc(w->f, '\n');
    w->depth--;
    indent(w);
    em_wbuf_putc(w->f, c);
}

static void key(struct jw *w, const char *k)
{
    before(w);
    raw_string(w, k);
    em_wbuf_write(w->f, ": ", 2);
    w->key_pending = true;
}

static void str(struct jw *w, const char *s)
{
    before(w);
    raw_string(w, s);
}

static void null_(struct jw *w)
{
    before(w);
    em_wbuf_puts(w->f, "null");
}

static void bool_(struct jw *w, bool b)
{
    before(w);
    em_wbuf_puts(w->f, b ? "true" : "false");
}

static void int_(struct jw *w, long v)
{
    before(w);
    em_wbuf_long(w->f, v);
}

#define KS(k, v) (key(w, k), str(w, v))
#define KB(k, v) (key(w, k), bool_(w, v))
#define KI(k, v) (key(w, k), int_(w, v))

static void sensitive(struct jw *w, const char *k, const char *kind, const char *s)
{
    key(w, k);
    if (s && *s && w->redact) {
        const char *r = w->redact(w->rctx, kind, s);
        if (r) {
            str(w, r);
            return;
        }
    }
    str(w, s);
}

static void tri_bool(struct jw *w, const char *k, enum em_tri t)
{
    key(w, k);
    if (t == EM_TRI_UNKNOWN) null_(w);
    else bool_(w, t == EM_TRI_YES);
}

static void opt_str(struct jw *w, const char *k, const char *v)
{
    key(w, k);
    if (v) str(w, v);
    else null_(w);
}

static void int_list(struct jw *w, const char *k, const int *v, size_t n)
{
    key(w, k);
    open_(w, '[');
    for (size_t i = 0; i < n; i++) int_(w, v[i]);
    close_(w, ']');
}

static void extras(struct jw *w, const struct em_attr *a, size_t n)
{
    key(w, "extra");
    open_(w, '{');
    for (size_t i = 0; i < n; i++) KS(a[i].key, a[i].value);
    close_(w, '}');
}

/* "normalized": the compared form (NFKC, trimmed) of each value whose shown form (as
 * written) differs from it; {} when none does (records.md "Values as written"). */
static void normalized(struct jw *w, const char *const *keys, const char *const *vals, size_t n)
{
    key(w, "normalized");
    open_(w, '{');
    for (size_t i = 0; i < n; i++) {
        const char *v = vals[i];
        if (!v || !*v) continue;
        int ascii = 1;
        for (const char *q = v; *q && ascii; q++)
            if ((unsigned char)*q >= 0x80) ascii = 0;
        if (ascii) continue;   /* ASCII is its own NFKC (and is already trimmed) */
        const char *t = w->nf ? g_hash_table_lookup(w->nf, v) : NULL;
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
            if (w->nf && strlen(v) <= NF_CACHE_LEN && g_hash_table_size(w->nf) < NF_CACHE_MAX)
                g_hash_table_insert(w->nf, (gpointer)v, (gpointer)t);  /* the cache owns nf */
            else if (t != v)
                tmp = nf;
        }
        if (t != v) KS(keys[i], t);
        g_free(tmp);
    }
    close_(w, '}');
}

static void path_json(struct jw *w, const struct em_model *m, const struct em_path *p)
{
    open_(w, '{');
    KI("row", p->src.row);
    KS("file", p->src.file);
    KS("sheet", p->src.sheet);
    opt_str(w, "comm_type", p->comm_type == EM_COMM_UNSET ? NULL : em_comm_type_name(p->comm_type));
    KS("purpose", p->purpose);
    KS("system", p->system);
    KS("remote_party", p->remote_party);
    KS("emr_link", em_tri_name(p->emr_link));
    sensitive(w, "global_ip", "ip", p->global_ip);
    opt_str(w, "ip_kind", em_ip_kind_name(p->ip_kind));
    sensitive(w, "fqdn", "fqdn", p->fqdn);
    KS("scan_scope", p->scan == EM_SCAN_IN ? "in" : "out");
    KS("scan_reason", em_scan_reason_name(p->scan));
    KB("scan_requested", p->scan_requested);
    /* extra keys */
    KS("global_ip_use", em_tri_name(p->global_ip_use));
    KS("provider_name", p->provider_name);
    KS("provider_plan", p->provider_plan);
    key(w, "devices");
    open_(w, '[');
    for (int s = 0; s < 2; s++) {
        if (p->dev[s] == EM_NONE) null_(w);
        else str(w, m->devices[p->dev[s]].id);
    }
    close_(w, ']');
    KS("remarks", p->remarks);
    /* what the row itself wrote in 装置① / 装置② (the device it names may hold other
       spellings or values from other rows): nothing declared is lost from the model */
    key(w, "declared");
    open_(w, '[');
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
        KS("type", d->type);
        sensitive(w, "hostname", "host", d->hostname);
        KS("mgmt_ip", d->mgmt_ip);
        KS("maker", d->maker);
        KS("model", d->model);
        KS("rental", d->rental);
        KS("firmware", d->firmware);
        KS("location", d->location);
        close_(w, '}');
    }
    close_(w, ']');
    {
        static const char *const k[] = {"purpose", "system", "remote_party", "remarks", "provider_name",
                                        "provider_plan", "carrier", "service", "ctu_location"};
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
    sensitive(w, "name", "host", t->name);
    KS("os", t->os);
    KS("antivirus", t->antivirus);
    KS("antivirus_version", t->av_version);
    tri_bool(w, "usb_blocked", t->usb_blocked);
}

/* "generator": what produced this model (mapper/about.h), when the CLI filled it in. */
static void generator(struct jw *w)
{
    if (em_about_count() == 0) return;
    key(w, "generator");
    open_(w, '{');
    for (int kind = EM_ABOUT_PROGRAM; kind <= EM_ABOUT_LIBRARY; kind++) {
        if (kind == EM_ABOUT_DATA) {
            key(w, "data");
            open_(w, '[');
        } else if (kind == EM_ABOUT_LIBRARY) {
            key(w, "libraries");
            open_(w, '{');
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
                KS(it->name, it->version);
            }
        }
        if (kind == EM_ABOUT_DATA) close_(w, ']');
        else if (kind == EM_ABOUT_LIBRARY) close_(w, '}');
    }
    close_(w, '}');
}

static void model_json(struct jw *w, const struct em_model *m)
{
    open_(w, '{');
    KS("schema", "edgemap/1");
    generator(w);

    key(w, "site");
    open_(w, '{');
    KS("name", m->site.name);
    KS("address", m->site.address);
    KS("beds", m->site.beds);
    KS("survey_date", m->survey_date);
    extras(w, m->site.extra, m->site.n_extra);
    close_(w, '}');

    key(w, "sources");
    open_(w, '[');
    for (size_t i = 0; i < m->n_sources; i++) str(w, m->sources[i]);
    close_(w, ']');

    key(w, "lines");
    open_(w, '[');
    for (size_t i = 0; i < m->n_lines; i++) {
        const struct em_line *ln = &m->lines[i];
        open_(w, '{');
        KS("line_no", ln->line_no);
        KS("id", ln->id);
        key(w, "rows");
        open_(w, '[');
        for (size_t k = 0; k < ln->n_paths; k++) int_(w, m->paths[ln->paths[k]].src.row);
        close_(w, ']');
        KS("carrier", ln->carrier);
        KS("service", ln->service);
        KS("ctu_location", ln->ctu_location);
        KS("contract_holder", ln->contract_holder);
        {
            static const char *const k[] = {"line_no", "carrier", "service", "ctu_location", "contract_holder"};
            const char *v[] = {ln->line_no, ln->carrier, ln->service, ln->ctu_location, ln->contract_holder};
            normalized(w, k, v, sizeof k / sizeof k[0]);
        }
        key(w, "devices");
        open_(w, '[');
        for (size_t k = 0; k < ln->n_devices; k++) str(w, m->devices[ln->devices[k]].id);
        close_(w, ']');
        key(w, "paths");
        open_(w, '[');
        for (size_t k = 0; k < ln->n_paths; k++) path_json(w, m, &m->paths[ln->paths[k]]);
        close_(w, ']');
        if (ln->n_paths) {
            const struct em_src *s = &m->paths[ln->paths[0]].src;
            KS("file", s->file);
            KS("sheet", s->sheet);
        }
        close_(w, '}');
    }
    close_(w, ']');

    key(w, "devices");
    open_(w, '[');
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *d = &m->devices[i];
        open_(w, '{');
        KS("id", d->id);
        KS("type", em_dev_type_name(d->type));
        KS("maker", d->maker);
        KS("model", d->model);
        KS("firmware", d->firmware);
        tri_bool(w, "rental", d->rental);
        KS("location", d->location);
        {
            static const char *const k[] = {"maker", "model", "firmware", "location", "type_text"};
            const char *v[] = {d->maker, d->model, d->firmware, d->location, d->type_raw};
            normalized(w, k, v, sizeof k / sizeof k[0]);
        }
        KS("source", em_source_name(d->source));
        KS("type_text", d->type_raw);
        sensitive(w, "hostname", "host", d->hostname);
        KS("mgmt_ip", d->mgmt_ip);
        KI("slot", d->slot);
        KB("firmware_verified", d->verified);
        key(w, "cves");
        open_(w, '[');
        for (size_t k = 0; k < d->n_cves; k++) str(w, d->cves[k]);
        close_(w, ']');
        opt_str(w, "advisory_url", d->advisory_url);
        int_list(w, "rows", d->rows, d->n_rows);
        key(w, "sources");   /* every row naming it, in every file */
        open_(w, '[');
        for (size_t k = 0; k < d->n_srcs; k++) {
            open_(w, '{');
            KS("file", d->srcs[k].file);
            KS("sheet", d->srcs[k].sheet);
            KI("row", d->srcs[k].row);
            close_(w, '}');
        }
        close_(w, ']');
        opt_str(w, "disc_id", d->disc_id);
        KS("evidence", em_device_evidence(d));
        key(w, "addresses");
        open_(w, '[');
        for (size_t k = 0; k < d->n_addresses; k++) {
            if (w->redact && w->redact(w->rctx, "ip", d->addresses[k]))
                str(w, w->redact(w->rctx, "ip", d->addresses[k]));
            else
                str(w, d->addresses[k]);
        }
        close_(w, ']');
        close_(w, '}');
    }
    close_(w, ']');

    key(w, "segments");
    open_(w, '[');
    for (size_t i = 0; i < m->n_segments; i++) {
        const struct em_segment *s = &m->segments[i];
        open_(w, '{');
        KS("id", s->id);
        KS("name", s->name);
        KB("emr", s->emr);
        key(w, "terminals");
        open_(w, '[');
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

    key(w, "networks");
    open_(w, '[');
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

    key(w, "edges");
    open_(w, '[');
    for (size_t i = 0; i < m->n_edges; i++) {
        const struct em_edge *e = &m->edges[i];
        open_(w, '{');
        char ib[EM_EDGE_ID_BUF], *id = em_edge_id(e, ib, sizeof ib);
        if (!id) w->f->err = 1;   /* out of memory: reported as a failed write */
        KS("id", id);
        em_edge_id_free(id, ib);
        KS("from", e->from);
        KS("to", e->to);
        KB("emr_unknown", e->emr_unknown);
        KB("out_of_scope", e->out_of_scope);
        int_list(w, "rows", e->rows, e->n_rows);
        KB("discovered", e->discovered);
        KB("inferred", e->inferred);
        KS("evidence", em_edge_evidence(m, e));
        close_(w, '}');
    }
    close_(w, ']');

    key(w, "terminals");
    open_(w, '[');
    for (size_t i = 0; i < m->n_terminals; i++) {
        const struct em_terminal *t = &m->terminals[i];
        open_(w, '{');
        terminal_fields(w, t);
        KS("system", t->system);
        opt_str(w, "segment", t->segment == EM_NONE ? NULL : m->segments[t->segment].id);
        KS("file", t->src.file);
        KS("sheet", t->src.sheet);
        KI("row", t->src.row);
        close_(w, '}');
    }
    close_(w, ']');

    key(w, "scan_hosts");
    open_(w, '[');
    for (size_t i = 0; i < m->n_scan_hosts; i++) {
        const struct em_scan_host *h = &m->scan_hosts[i];
        open_(w, '{');
        sensitive(w, "address", "ip", h->address);
        KB("up", h->up);
        KS("file", h->file);
        KI("row", h->path == EM_NONE ? 0 : m->paths[h->path].src.row);
        close_(w, '}');
    }
    close_(w, ']');

    key(w, "services");
    open_(w, '[');
    for (size_t i = 0; i < m->n_services; i++) {
        const struct em_service *sv = &m->services[i];
        open_(w, '{');
        sensitive(w, "address", "ip", sv->address);
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

    key(w, "findings");
    open_(w, '[');
    char mb[EM_MSG_MAX];   /* a message is expanded here, once (mapper/finding.c) */
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        open_(w, '{');
        KS("code", f->code);
        KS("severity", em_severity_name(f->severity));
        KS("file", f->file);
        KS("sheet", f->sheet);
        KI("row", f->row);
        KS("column", f->column);
        KS("line_no", f->line_no);
        KS("message", em_finding_msg(f, mb));
        if (f->accepted) {   /* additive: --accept (mapper/accept.c) */
            key(w, "accepted");
            open_(w, '{');
            KS("reason", f->accepted->reason);
            KS("accepted_by", f->accepted->by);
            KS("date", f->accepted->date);
            KS("file", f->accepted->file);
            KI("entry_line", f->accepted->entry_line);
            close_(w, '}');
        }
        close_(w, '}');
    }
    close_(w, ']');
    close_(w, '}');
}

/* The writer's cache of "normalized" forms (struct jw); free with nf_cache_free(). */
static GHashTable *nf_cache_new(void)
{
    return g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void nf_free_value(gpointer k, gpointer v, gpointer unused)
{
    (void)unused;
    if (v != k) g_free(v);
}

static void nf_cache_free(GHashTable *nf)
{
    if (!nf) return;
    g_hash_table_foreach(nf, nf_free_value, NULL);
    g_hash_table_destroy(nf);
}

int em_model_write_json(FILE *f, const struct em_model *m, em_redact_fn redact, void *rctx)
{
    struct em_wbuf *b = malloc(sizeof *b);
    if (!b) return -1;
    em_wbuf_init(b, f);
    struct jw w = {.f = b, .redact = redact, .rctx = rctx, .nf = nf_cache_new()};
    model_json(&w, m);
    nf_cache_free(w.nf);
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
    struct jw w = {.f = b, .redact = redact, .rctx = rctx, .nf = nf_cache_new()};
    model_json(&w, m);
    nf_cache_free(w.nf);
    int bad = em_wbuf_flush(b) != 0 || ferror(f);
    free(b);
    if (fclose(f) != 0 || bad) {
        free(buf);
        return NULL;
    }
    return buf;
}
