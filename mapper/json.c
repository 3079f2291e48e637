/* json.c — model → JSON with json-c (object keys keep insertion order, so the
 * output is stable and diffable). */
#include "mapper/json.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
    em_redact_fn redact;
    void *rctx;
};

static json_object *str(const char *s) { return json_object_new_string(s ? s : ""); }

static json_object *sensitive(const struct ctx *c, const char *kind, const char *s)
{
    if (s && *s && c->redact) {
        const char *r = c->redact(c->rctx, kind, s);
        if (r) return json_object_new_string(r);
    }
    return str(s);
}

static void put(json_object *o, const char *k, json_object *v) { json_object_object_add(o, k, v); }

static json_object *tri_bool(enum em_tri t)
{
    return t == EM_TRI_UNKNOWN ? NULL : json_object_new_boolean(t == EM_TRI_YES);
}

static json_object *int_list(const int *v, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n; i++) json_object_array_add(a, json_object_new_int(v[i]));
    return a;
}

static json_object *extras(const struct em_attr *a, size_t n)
{
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < n; i++) put(o, a[i].key, str(a[i].value));
    return o;
}

static json_object *path_json(const struct ctx *c, const struct em_model *m, const struct em_path *p)
{
    json_object *o = json_object_new_object();
    put(o, "row", json_object_new_int(p->src.row));
    put(o, "comm_type", p->comm_type == EM_COMM_UNSET ? NULL : str(em_comm_type_name(p->comm_type)));
    put(o, "purpose", str(p->purpose));
    put(o, "system", str(p->system));
    put(o, "remote_party", str(p->remote_party));
    put(o, "emr_link", str(em_tri_name(p->emr_link)));
    put(o, "global_ip", sensitive(c, "ip", p->global_ip));
    put(o, "ip_kind", em_ip_kind_name(p->ip_kind) ? str(em_ip_kind_name(p->ip_kind)) : NULL);
    put(o, "fqdn", sensitive(c, "fqdn", p->fqdn));
    put(o, "scan_scope", str(p->scan == EM_SCAN_IN ? "in" : "out"));
    put(o, "scan_reason", str(em_scan_reason_name(p->scan)));
    put(o, "scan_requested", json_object_new_boolean(p->scan_requested));
    /* extra keys */
    put(o, "global_ip_use", str(em_tri_name(p->global_ip_use)));
    put(o, "provider_name", str(p->provider_name));
    put(o, "provider_plan", str(p->provider_plan));
    json_object *devs = json_object_new_array();
    for (int s = 0; s < 2; s++)
        json_object_array_add(devs, p->dev[s] == EM_NONE ? NULL : str(m->devices[p->dev[s]].id));
    put(o, "devices", devs);
    put(o, "remarks", str(p->remarks));
    put(o, "extra", extras(p->extra, p->n_extra));
    return o;
}

static json_object *model_json(const struct ctx *c, const struct em_model *m)
{
    json_object *root = json_object_new_object();
    put(root, "schema", str("edgemap/1"));

    json_object *site = json_object_new_object();
    put(site, "name", str(m->site.name));
    put(site, "address", str(m->site.address));
    put(site, "beds", str(m->site.beds));
    put(site, "survey_date", str(m->survey_date));
    put(site, "extra", extras(m->site.extra, m->site.n_extra));
    put(root, "site", site);

    json_object *src = json_object_new_array();
    for (size_t i = 0; i < m->n_sources; i++) json_object_array_add(src, str(m->sources[i]));
    put(root, "sources", src);

    json_object *lines = json_object_new_array();
    for (size_t i = 0; i < m->n_lines; i++) {
        const struct em_line *ln = &m->lines[i];
        json_object *o = json_object_new_object();
        put(o, "line_no", str(ln->line_no));
        put(o, "id", str(ln->id));
        json_object *rows = json_object_new_array();
        for (size_t k = 0; k < ln->n_paths; k++)
            json_object_array_add(rows, json_object_new_int(m->paths[ln->paths[k]].src.row));
        put(o, "rows", rows);
        put(o, "carrier", str(ln->carrier));
        put(o, "service", str(ln->service));
        put(o, "ctu_location", str(ln->ctu_location));
        put(o, "contract_holder", str(ln->contract_holder));
        json_object *devs = json_object_new_array();
        for (size_t k = 0; k < ln->n_devices; k++) json_object_array_add(devs, str(m->devices[ln->devices[k]].id));
        put(o, "devices", devs);
        json_object *paths = json_object_new_array();
        for (size_t k = 0; k < ln->n_paths; k++)
            json_object_array_add(paths, path_json(c, m, &m->paths[ln->paths[k]]));
        put(o, "paths", paths);
        if (ln->n_paths) {
            const struct em_src *s = &m->paths[ln->paths[0]].src;
            put(o, "file", str(s->file));
            put(o, "sheet", str(s->sheet));
        }
        json_object_array_add(lines, o);
    }
    put(root, "lines", lines);

    json_object *devices = json_object_new_array();
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *d = &m->devices[i];
        json_object *o = json_object_new_object();
        put(o, "id", str(d->id));
        put(o, "type", str(em_dev_type_name(d->type)));
        put(o, "maker", str(d->maker));
        put(o, "model", str(d->model));
        put(o, "firmware", str(d->firmware));
        put(o, "rental", tri_bool(d->rental));
        put(o, "location", str(d->location));
        put(o, "source", str(em_source_name(d->source)));
        put(o, "type_text", str(d->type_raw));
        put(o, "hostname", sensitive(c, "host", d->hostname));
        put(o, "mgmt_ip", str(d->mgmt_ip));
        put(o, "slot", json_object_new_int(d->slot));
        put(o, "firmware_verified", json_object_new_boolean(d->verified));
        json_object *cves = json_object_new_array();
        for (size_t k = 0; k < d->n_cves; k++) json_object_array_add(cves, str(d->cves[k]));
        put(o, "cves", cves);
        put(o, "advisory_url", d->advisory_url ? str(d->advisory_url) : NULL);
        put(o, "rows", int_list(d->rows, d->n_rows));
        json_object_array_add(devices, o);
    }
    put(root, "devices", devices);

    json_object *segs = json_object_new_array();
    for (size_t i = 0; i < m->n_segments; i++) {
        const struct em_segment *s = &m->segments[i];
        json_object *o = json_object_new_object();
        put(o, "id", str(s->id));
        put(o, "name", str(s->name));
        put(o, "emr", json_object_new_boolean(s->emr));
        json_object *terms = json_object_new_array();
        for (size_t k = 0; k < s->n_terminals; k++) {
            const struct em_terminal *t = &m->terminals[s->terminals[k]];
            json_object *to = json_object_new_object();
            put(to, "name", sensitive(c, "host", t->name));
            put(to, "os", str(t->os));
            put(to, "antivirus", str(t->antivirus));
            put(to, "antivirus_version", str(t->av_version));
            put(to, "usb_blocked", tri_bool(t->usb_blocked));
            put(to, "row", json_object_new_int(t->src.row));
            json_object_array_add(terms, to);
        }
        put(o, "terminals", terms);
        json_object_array_add(segs, o);
    }
    put(root, "segments", segs);

    json_object *outside = json_object_new_array();
    for (size_t i = 0; i < m->n_outside; i++) {
        const struct em_outside *n = &m->outside[i];
        static const char *kinds[] = {"internet", "closed", "phone", "party"};
        json_object *o = json_object_new_object();
        put(o, "id", str(n->id));
        put(o, "kind", str(n->kind <= EM_NODE_PARTY ? kinds[n->kind] : "other"));
        put(o, "name", str(n->name));
        put(o, "maintenance", json_object_new_boolean(n->maintenance));
        json_object_array_add(outside, o);
    }
    put(root, "networks", outside);

    json_object *edges = json_object_new_array();
    for (size_t i = 0; i < m->n_edges; i++) {
        const struct em_edge *e = &m->edges[i];
        json_object *o = json_object_new_object();
        put(o, "id", str(e->id));
        put(o, "from", str(e->from));
        put(o, "to", str(e->to));
        put(o, "emr_unknown", json_object_new_boolean(e->emr_unknown));
        put(o, "out_of_scope", json_object_new_boolean(e->out_of_scope));
        put(o, "rows", int_list(e->rows, e->n_rows));
        json_object_array_add(edges, o);
    }
    put(root, "edges", edges);

    json_object *terms = json_object_new_array();
    for (size_t i = 0; i < m->n_terminals; i++) {
        const struct em_terminal *t = &m->terminals[i];
        json_object *o = json_object_new_object();
        put(o, "name", sensitive(c, "host", t->name));
        put(o, "os", str(t->os));
        put(o, "antivirus", str(t->antivirus));
        put(o, "antivirus_version", str(t->av_version));
        put(o, "usb_blocked", tri_bool(t->usb_blocked));
        put(o, "system", str(t->system));
        put(o, "segment", t->segment == EM_NONE ? NULL : str(m->segments[t->segment].id));
        put(o, "file", str(t->src.file));
        put(o, "sheet", str(t->src.sheet));
        put(o, "row", json_object_new_int(t->src.row));
        json_object_array_add(terms, o);
    }
    put(root, "terminals", terms);

    json_object *findings = json_object_new_array();
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        json_object *o = json_object_new_object();
        put(o, "code", str(f->code));
        put(o, "severity", str(em_severity_name(f->severity)));
        put(o, "file", str(f->file));
        put(o, "sheet", str(f->sheet));
        put(o, "row", json_object_new_int(f->row));
        put(o, "column", str(f->column));
        put(o, "line_no", str(f->line_no));
        put(o, "message", str(f->message));
        json_object_array_add(findings, o);
    }
    put(root, "findings", findings);
    return root;
}

char *em_model_json_string(const struct em_model *m, em_redact_fn redact, void *rctx)
{
    struct ctx c = {redact, rctx};
    json_object *root = model_json(&c, m);
    if (!root) return NULL;
    const char *s = json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    char *r = s ? strdup(s) : NULL;
    json_object_put(root);
    return r;
}

int em_model_write_json(FILE *f, const struct em_model *m, em_redact_fn redact, void *rctx)
{
    char *s = em_model_json_string(m, redact, rctx);
    if (!s) return -1;
    size_t n = strlen(s);
    int rc = fwrite(s, 1, n, f) == n && fputc('\n', f) != EOF ? 0 : -1;
    free(s);
    return rc;
}
