/* store.c — a hospital's finished model as rows of the store. The worker packs the
 * model into a frame (table tag, then each column as length + bytes); the parent
 * writes a frame in one transaction: unchanged content is skipped, changed content
 * replaces every row of (round, hospital) — so a killed ingest leaves each hospital
 * fully in or fully out, and concurrent writers meet on the submissions primary key
 * and retry. Rows go in as multi-row INSERTs (portable, one round trip per batch). */
#include "fleet/fleet.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapper/lang.h"

enum tag { T_META, T_FAIL, T_UNCH, T_SOURCE, T_LINE, T_PATH, T_DEV, T_PARTY, T_FIND, T_SVC, T_DISC, T_N };

/* Per-hospital tables: name and columns after (round, hospital_id). */
static const struct table { const char *name, *cols; int n; } tables[T_N] = {
    [T_META] = {"submissions", "folder, path, content_hash, site_name, address, beds, contact, survey_date, n_lines,"
                " n_paths, n_devices, n_findings, n_errors, n_warnings, n_services", 15},
    [T_FAIL] = {"failures", "", 5},
    [T_UNCH] = {"", "", 1},
    [T_SOURCE] = {"source_files", "name, kind, sha256, bytes", 4},
    [T_LINE] = {"lines", "line_idx, line_id, line_no, carrier, service, ctu_location, contract_holder", 7},
    [T_PATH] = {"paths", "path_idx, line_idx, file, sheet, row_no, comm_type, purpose, system, remote_party,"
                " party_key, company, emr_link, global_ip, ip_kind, fqdn, scan_scope, scan_reason, scan_requested,"
                " dev1_idx, dev2_idx", 20},
    [T_DEV] = {"devices", "dev_idx, dev_id, type, maker, model, firmware, hostname, mgmt_ip, location, rental,"
               " verified, source, line_no, cves", 14},
    [T_PARTY] = {"parties", "party_key, name, company, maintenance, n_paths, internet, internet_vpn, closed, phone,"
                 " emr, isp", 11},
    [T_FIND] = {"findings", "finding_idx, code, severity, file, sheet, row_no, col, line_no, message", 9},
    [T_SVC] = {"scan_services", "svc_idx, address, proto, port, state, name, product, version, file, severity,"
               " declared", 11},
    [T_DISC] = {"discovery", "dev_idx, disc_id, source, addresses", 4},
};
/* the meta record carries hospital id, id source before the submission columns */
#define META_FIELDS (2 + 15)

/* ---- packing (worker side) ---- */

struct packer { struct em_fbuf *b; int err; };

static void put_tag(struct packer *p, enum tag t)
{
    unsigned char c = (unsigned char)t;
    p->err |= em_fbuf_add(p->b, &c, 1);
}

static void put(struct packer *p, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    p->err |= em_fbuf_add(p->b, &n, 4);
    if (s) p->err |= em_fbuf_add(p->b, s, (size_t)n + 1);   /* with its NUL: read in place */
}

static void put_int(struct packer *p, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    put(p, b);
}

static void put_idx(struct packer *p, size_t v)
{
    if (v == EM_NONE) put(p, NULL);
    else put_int(p, (long long)v);
}

static const char *nz(const char *s) { return s ? s : ""; }

/* 基本情報's contact entries (担当者, 連絡先, 電話, メール ...) as "key: value; ...". */
static char *contact_of(const struct em_model *m)
{
    static const char *const keys[] = {"担当", "連絡", "電話", "tel", "メール", "mail", "contact", "窓口"};
    GString *s = g_string_new("");
    for (size_t i = 0; i < m->site.n_extra; i++) {
        const struct em_attr *a = &m->site.extra[i];
        bool hit = false;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0] && !hit; k++) {
            gchar *low = g_ascii_strdown(a->key, -1);
            hit = strstr(low, keys[k]) != NULL;
            g_free(low);
        }
        if (!hit) continue;
        if (s->len) g_string_append(s, "; ");
        g_string_append_printf(s, "%s: %s", a->key, a->value);
    }
    return g_string_free(s, FALSE);
}

struct party_acc { const char *name; char company[256]; int n, internet, vpn, closed, phone, emr, maint, isp; };

static void pack_parties(struct packer *p, const struct em_model *m)
{
    GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GPtrArray *order = g_ptr_array_new();
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *x = &m->paths[i];
        if (!x->remote_party || !*x->remote_party) continue;
        char key[512];
        em_fleet_party_key(x->remote_party, key, sizeof key);
        struct party_acc *a = g_hash_table_lookup(h, key);
        if (!a) {
            a = g_new0(struct party_acc, 1);
            a->name = x->remote_party;
            em_fleet_company(x->remote_party, a->company, sizeof a->company);
            for (size_t o = 0; o < m->n_outside; o++)
                if (m->outside[o].kind == EM_NODE_PARTY && strcmp(m->outside[o].name, x->remote_party) == 0)
                    a->maint |= m->outside[o].maintenance;
            char *k = g_strdup(key);
            g_hash_table_insert(h, k, a);
            g_ptr_array_add(order, k);
        }
        a->n++;
        a->internet |= x->comm_type == EM_COMM_INTERNET;
        a->vpn |= x->comm_type == EM_COMM_INTERNET_VPN;
        a->closed |= x->comm_type == EM_COMM_CLOSED;
        a->phone |= x->comm_type == EM_COMM_PHONE;
        a->emr |= x->emr_link == EM_TRI_YES;
        a->isp |= em_fleet_is_isp(x->remote_party, x->provider_name);
    }
    for (guint i = 0; i < order->len; i++) {
        const char *k = order->pdata[i];
        const struct party_acc *a = g_hash_table_lookup(h, k);
        put_tag(p, T_PARTY);
        put(p, k), put(p, a->name), put(p, a->company), put_int(p, a->maint), put_int(p, a->n);
        put_int(p, a->internet), put_int(p, a->vpn), put_int(p, a->closed), put_int(p, a->phone), put_int(p, a->emr);
        put_int(p, a->isp);
    }
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(h);
}

static void pack_paths(struct packer *p, const struct em_model *m)
{
    for (size_t i = 0; i < m->n_paths; i++) {
        const struct em_path *x = &m->paths[i];
        char key[512] = "", company[256] = "";
        if (x->remote_party && *x->remote_party) {
            em_fleet_party_key(x->remote_party, key, sizeof key);
            em_fleet_company(x->remote_party, company, sizeof company);
        }
        const char *ipk = em_ip_kind_name(x->ip_kind);
        put_tag(p, T_PATH);
        put_int(p, (long long)i), put_idx(p, x->line), put(p, nz(x->src.file)), put(p, nz(x->src.sheet));
        put_int(p, x->src.row), put(p, em_comm_type_name(x->comm_type)), put(p, nz(x->purpose));
        put(p, nz(x->system)), put(p, nz(x->remote_party)), put(p, key), put(p, company);
        put(p, em_tri_name(x->emr_link)), put(p, nz(x->global_ip)), put(p, ipk ? ipk : ""), put(p, nz(x->fqdn));
        put(p, x->scan == EM_SCAN_IN ? "in" : "out"), put(p, em_scan_reason_name(x->scan));
        put_int(p, x->scan_requested), put_idx(p, x->dev[0]), put_idx(p, x->dev[1]);
    }
}

static void pack_devices(struct packer *p, const struct em_model *m)
{
    for (size_t i = 0; i < m->n_devices; i++) {
        const struct em_device *d = &m->devices[i];
        GString *cves = g_string_new("");
        for (size_t k = 0; k < d->n_cves; k++) g_string_append_printf(cves, "%s%s", k ? " " : "", d->cves[k]);
        put_tag(p, T_DEV);
        put_int(p, (long long)i), put(p, nz(d->id)), put(p, em_dev_type_name(d->type)), put(p, nz(d->maker));
        put(p, nz(d->model)), put(p, nz(d->firmware)), put(p, nz(d->hostname)), put(p, nz(d->mgmt_ip));
        put(p, nz(d->location)), put(p, em_tri_name(d->rental)), put_int(p, d->verified);
        put(p, em_source_name(d->source)), put(p, nz(d->line_no)), put(p, cves->str);
        g_string_free(cves, TRUE);
        if (d->source != EM_SRC_DECLARED) {
            GString *a = g_string_new("");
            for (size_t k = 0; k < d->n_addresses; k++) g_string_append_printf(a, "%s%s", k ? " " : "", d->addresses[k]);
            put_tag(p, T_DISC);
            put_int(p, (long long)i), put(p, nz(d->disc_id)), put(p, em_source_name(d->source)), put(p, a->str);
            g_string_free(a, TRUE);
        }
    }
}

int em_fleet_pack_model(const struct em_model *m, const struct em_fleet_meta *meta, struct em_fbuf *out)
{
    struct packer p = {out, 0};
    char *contact = contact_of(m);
    size_t nsvc = m->n_services;
    put_tag(&p, T_META);
    put(&p, meta->hospital_id), put(&p, meta->id_source), put(&p, meta->folder), put(&p, meta->path);
    put(&p, meta->content_hash), put(&p, nz(m->site.name)), put(&p, nz(m->site.address)), put(&p, nz(m->site.beds));
    put(&p, contact), put(&p, nz(m->survey_date)), put_int(&p, (long long)m->n_lines);
    put_int(&p, (long long)m->n_paths), put_int(&p, (long long)m->n_devices), put_int(&p, (long long)m->n_findings);
    put_int(&p, (long long)em_model_count(m, EM_SEV_ERROR)), put_int(&p, (long long)em_model_count(m, EM_SEV_WARNING));
    put_int(&p, (long long)nsvc);
    g_free(contact);
    for (size_t i = 0; i < meta->files->n_all; i++) {
        const char *f = meta->files->all[i];
        const char *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
        const char *kind = "records";
        if (f == meta->files->discovered) kind = "discovery";
        for (size_t k = 0; k < meta->files->n_scans; k++)
            if (f == meta->files->scans[k]) kind = "scan";
        if (g_ascii_strcasecmp(base, "hospital-id.txt") == 0) kind = "id";
        put_tag(&p, T_SOURCE);
        put(&p, base), put(&p, kind), put(&p, meta->file_sha[i]), put_int(&p, meta->file_bytes[i]);
    }
    for (size_t i = 0; i < m->n_lines; i++) {
        const struct em_line *l = &m->lines[i];
        put_tag(&p, T_LINE);
        put_int(&p, (long long)i), put(&p, nz(l->id)), put(&p, nz(l->line_no)), put(&p, nz(l->carrier));
        put(&p, nz(l->service)), put(&p, nz(l->ctu_location)), put(&p, nz(l->contract_holder));
    }
    pack_paths(&p, m);
    pack_devices(&p, m);
    pack_parties(&p, m);
    char mb[EM_MSG_MAX];
    for (size_t i = 0; i < m->n_findings; i++) {
        const struct em_finding *f = &m->findings[i];
        put_tag(&p, T_FIND);
        put_int(&p, (long long)i), put(&p, f->code), put(&p, em_severity_name(f->severity)), put(&p, nz(f->file));
        put(&p, nz(f->sheet)), put_int(&p, f->row), put(&p, nz(f->column)), put(&p, nz(f->line_no));
        put(&p, em_finding_msg(f, mb));
    }
    for (size_t i = 0; i < nsvc; i++) {
        const struct em_service *s = &m->services[i];
        put_tag(&p, T_SVC);
        put_int(&p, (long long)i), put(&p, nz(s->address)), put(&p, nz(s->proto)), put_int(&p, s->port);
        put(&p, nz(s->state)), put(&p, nz(s->name)), put(&p, nz(s->product)), put(&p, nz(s->version));
        put(&p, nz(s->file)), put(&p, em_severity_name(s->severity)), put_int(&p, s->path != EM_NONE);
    }
    return p.err ? -1 : 0;
}

int em_fleet_pack_failure(const char *folder, const char *path, const char *hash, const char *file,
                          const char *message, struct em_fbuf *out)
{
    struct packer p = {out, 0};
    put_tag(&p, T_FAIL);
    put(&p, folder), put(&p, path), put(&p, hash), put(&p, file), put(&p, message);
    return p.err ? -1 : 0;
}

int em_fleet_pack_unchanged(const char *folder, struct em_fbuf *out)
{
    struct packer p = {out, 0};
    put_tag(&p, T_UNCH);
    put(&p, folder);
    return p.err ? -1 : 0;
}

/* ---- writing (parent side) ---- */

#define BATCH_PARAMS 900   /* below SQLite's historic 999-variable limit */

struct em_fleet_writer {
    struct em_db *db;
    char *round, *run_id;
    bool force;
    bool round_done;                 /* the rounds row is known to be committed */
    struct em_db_stmt *batch[T_N];   /* full-batch INSERT per table, prepared once */
    int batch_rows[T_N];
};

struct em_fleet_writer *em_fleet_writer_new(struct em_db *db, const char *round, const char *run_id, bool force)
{
    struct em_fleet_writer *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->db = db;
    w->round = strdup(round);
    w->run_id = strdup(run_id);
    w->force = force;
    if (!w->round || !w->run_id) {
        em_fleet_writer_free(w);
        return NULL;
    }
    for (int t = 0; t < T_N; t++) w->batch_rows[t] = BATCH_PARAMS / (tables[t].n + 2);
    return w;
}

void em_fleet_writer_free(struct em_fleet_writer *w)
{
    if (!w) return;
    for (int t = 0; t < T_N; t++) em_db_finalize(w->batch[t]);
    free(w->round);
    free(w->run_id);
    free(w);
}

/* A decoded frame: records as arrays of field pointers into the frame. */
struct rec { enum tag t; const char **f; };
struct frame { struct rec *r; size_t n; const char **fields; };

static int decode(const char *data, size_t len, struct frame *fr)
{
    /* count first, then fill: a frame is small enough to walk twice */
    size_t nrec = 0, nf = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t o = 0, ri = 0, fi = 0;
        while (o < len) {
            unsigned t = (unsigned char)data[o++];
            if (t >= T_N) return -1;
            if (pass) fr->r[ri] = (struct rec){(enum tag)t, fr->fields + fi};
            int want = t == T_META ? META_FIELDS : tables[t].n;
            for (int k = 0; k < want; k++) {
                uint32_t n;
                if (o + 4 > len) return -1;
                memcpy(&n, data + o, 4);
                o += 4;
                const char *s = NULL;
                if (n != UINT32_MAX) {
                    if (o + n + 1 > len || data[o + n] != '\0') return -1;
                    s = data + o;
                    o += (size_t)n + 1;
                }
                if (pass) fr->fields[fi] = s;
                fi++;
            }
            ri++;
        }
        if (!pass) {
            nrec = ri;
            nf = fi;
            fr->r = calloc(nrec ? nrec : 1, sizeof *fr->r);
            fr->fields = calloc(nf ? nf : 1, sizeof *fr->fields);
            if (!fr->r || !fr->fields) return -1;
        }
    }
    fr->n = nrec;
    return nrec ? 0 : -1;
}

static char *insert_sql(enum tag t, int rows)
{
    GString *s = g_string_new("");
    g_string_append_printf(s, "INSERT INTO %s (round, hospital_id, %s) VALUES ", tables[t].name, tables[t].cols);
    for (int r = 0; r < rows; r++) {
        g_string_append(s, r ? ",(" : "(");
        for (int k = 0; k < tables[t].n + 2; k++) g_string_append(s, k ? ",?" : "?");
        g_string_append(s, ")");
    }
    return g_string_free(s, FALSE);
}

/* Inserts recs[0..n) (all of tag t) for the hospital, in batches. */
static int insert_rows(struct em_fleet_writer *w, enum tag t, const char *hid, struct rec **recs, size_t n,
                       struct em_err *err)
{
    int per = w->batch_rows[t];
    size_t done = 0;
    while (done < n) {
        int rows = (n - done) >= (size_t)per ? per : (int)(n - done);
        struct em_db_stmt *st = NULL;
        bool own = false;
        if (rows == per) {
            if (!w->batch[t]) {
                char *sql = insert_sql(t, per);
                w->batch[t] = em_db_prepare(w->db, sql, err);
                g_free(sql);
                if (!w->batch[t]) return EM_DB_ERROR;
            }
            st = w->batch[t];
        } else {
            char *sql = insert_sql(t, rows);
            st = em_db_prepare(w->db, sql, err);
            g_free(sql);
            if (!st) return EM_DB_ERROR;
            own = true;
        }
        int col = 1, rc = 0;
        for (int r = 0; r < rows && rc == 0; r++) {
            const struct rec *x = recs[done + (size_t)r];
            rc |= em_db_bind_text(st, col++, w->round);
            rc |= em_db_bind_text(st, col++, hid);
            for (int k = 0; k < tables[t].n; k++) rc |= em_db_bind_text(st, col++, x->f[k]);
        }
        if (rc == 0) rc = em_db_step(st, err);
        else { em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory"); rc = EM_DB_ERROR; }
        if (own) em_db_finalize(st);
        else em_db_reset(st);
        if (rc < 0) return rc;
        done += (size_t)rows;
    }
    return 0;
}

static const char *const child_tables[] = {"source_files", "lines", "paths", "devices", "parties",
                                           "findings", "scan_services", "discovery"};

/* Deletes every row of (round, hospital). */
static int delete_hospital(struct em_fleet_writer *w, const char *hid, struct em_err *err)
{
    int rc = 0;
    for (size_t i = 0; i < sizeof child_tables / sizeof child_tables[0] && rc >= 0; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE round = ? AND hospital_id = ?", child_tables[i]);
        rc = em_db_run(w->db, err, sql, w->round, hid, NULL);
    }
    if (rc >= 0) rc = em_db_run(w->db, err, "DELETE FROM submissions WHERE round = ? AND hospital_id = ?", w->round, hid, NULL);
    return rc;
}

/* One attempt at writing a model frame. */
static int write_model(struct em_fleet_writer *w, struct frame *fr, char *outcome, struct em_err *err)
{
    const char **meta = fr->r[0].f;
    const char *hid = meta[0], *folder = meta[2], *hash = meta[4];
    char now[32];
    em_fleet_now(now);
    int rc = em_db_begin(w->db, err);
    if (rc < 0) return rc;
    char old[80] = "";
    rc = em_db_query_text(w->db, old, sizeof old, err,
                          "SELECT content_hash FROM submissions WHERE round = ? AND hospital_id = ?", w->round, hid, NULL);
    bool had = old[0] != '\0';
    if (rc >= 0 && !w->force && strcmp(old, hash) == 0) {
        em_db_rollback(w->db);
        *outcome = 'u';
        return 0;
    }
    /* the folder may have named another hospital before (its 医療機関名 corrected):
     * that hospital's rows of this round came from this very folder (same path, not
     * merely the same folder name: pref-a/001 and pref-b/001 are two hospitals) and go */
    if (rc >= 0) {
        struct em_db_stmt *st = em_db_prepare(w->db, "SELECT hospital_id FROM submissions WHERE round = ? AND path = ?"
                                                     " AND hospital_id <> ?", err);
        GPtrArray *gone = g_ptr_array_new_with_free_func(g_free);
        if (!st) rc = EM_DB_ERROR;
        else {
            em_db_bind_text(st, 1, w->round), em_db_bind_text(st, 2, meta[3]), em_db_bind_text(st, 3, hid);
            while ((rc = em_db_step(st, err)) == EM_DB_ROW) g_ptr_array_add(gone, g_strdup(em_db_col_text(st, 0)));
            em_db_finalize(st);
        }
        for (guint i = 0; rc >= 0 && i < gone->len; i++) rc = delete_hospital(w, gone->pdata[i], err);
        g_ptr_array_free(gone, TRUE);
    }
    /* a hospital new to the round has nothing to delete; should another writer commit
     * it meanwhile, the submission insert below conflicts and the retry deletes */
    if (rc >= 0 && had) rc = delete_hospital(w, hid, err);
    if (rc >= 0 && !w->round_done)
        rc = em_db_run(w->db, err, "INSERT INTO rounds (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                       w->round, now, NULL);
    if (rc >= 0)
        rc = em_db_run(w->db, err,
                       "INSERT INTO hospitals (id, name, address, id_source, first_seen) VALUES (?, ?, ?, ?, ?)"
                       " ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address",
                       hid, meta[5], meta[6], meta[1], now, NULL);
    /* the submission row first: a concurrent writer of the same hospital conflicts here */
    if (rc >= 0)
        rc = em_db_run(w->db, err,
                       "INSERT INTO submissions (round, hospital_id, folder, path, content_hash, ingested_at, run_id,"
                       " site_name, address, beds, contact, survey_date, n_lines, n_paths, n_devices, n_findings,"
                       " n_errors, n_warnings, n_services) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       w->round, hid, folder, meta[3], hash, now, w->run_id, meta[5], meta[6], meta[7], meta[8],
                       meta[9], meta[10], meta[11], meta[12], meta[13], meta[14], meta[15], meta[16], NULL);
    for (int t = T_SOURCE; rc >= 0 && t < T_N; t++) {
        struct rec **recs = malloc(fr->n * sizeof *recs);
        size_t n = 0;
        if (!recs) rc = EM_DB_ERROR;
        for (size_t i = 0; recs && i < fr->n; i++)
            if (fr->r[i].t == (enum tag)t) recs[n++] = &fr->r[i];
        if (recs && n) rc = insert_rows(w, (enum tag)t, hid, recs, n, err);
        free(recs);
    }
    if (rc >= 0) rc = em_db_run(w->db, err, "DELETE FROM failures WHERE round = ? AND folder = ?", w->round, folder, NULL);
    if (rc < 0) {
        em_db_rollback(w->db);
        return rc;
    }
    rc = em_db_commit(w->db, err);
    if (rc == 0) {
        *outcome = 'i';
        w->round_done = true;   /* the round's row is committed */
    }
    return rc;
}

static int write_failure(struct em_fleet_writer *w, struct frame *fr, char *outcome, struct em_err *err)
{
    const char **f = fr->r[0].f;   /* folder, path, hash, file, message */
    char now[32];
    em_fleet_now(now);
    int rc = em_db_begin(w->db, err);
    if (rc >= 0) rc = em_db_run(w->db, err, "DELETE FROM failures WHERE round = ? AND folder = ?", w->round, f[0], NULL);
    if (rc >= 0)
        rc = em_db_run(w->db, err,
                       "INSERT INTO failures (round, folder, path, content_hash, file, message, run_id, at)"
                       " VALUES (?,?,?,?,?,?,?,?)", w->round, f[0], f[1], f[2], f[3], f[4], w->run_id, now, NULL);
    if (rc >= 0)
        rc = em_db_run(w->db, err,
                       "INSERT INTO ingest_errors (run_id, folder, file, message) VALUES (?,?,?,?)"
                       " ON CONFLICT (run_id, folder) DO NOTHING", w->run_id, f[0], f[3], f[4], NULL);
    if (rc < 0) {
        em_db_rollback(w->db);
        return rc;
    }
    rc = em_db_commit(w->db, err);
    if (rc == 0) *outcome = 'f';
    return rc;
}

int em_fleet_store_frame(struct em_fleet_writer *w, const char *frame, size_t len, char *outcome, unsigned *retries,
                         struct em_err *err)
{
    struct frame fr = {0};
    if (decode(frame, len, &fr) != 0) {
        free(fr.r);
        free(fr.fields);
        { em_err_set(err, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("ワーカーからのデータが壊れています", "corrupt frame from a worker")); return EM_DB_ERROR; }
    }
    int rc = 0;
    for (unsigned attempt = 0;; attempt++) {
        struct em_err e = {0};
        switch (fr.r[0].t) {
        case T_META: rc = write_model(w, &fr, outcome, &e); break;
        case T_FAIL: rc = write_failure(w, &fr, outcome, &e); break;
        case T_UNCH: *outcome = 'u'; rc = 0; break;
        default: { em_err_set(&e, EM_ERR_FORMAT, "", "", 0, "", "%s", em_tr("データが壊れています", "corrupt frame")); rc = EM_DB_ERROR; } break;
        }
        if (rc != EM_DB_CONFLICT || attempt >= 50) {
            if (rc < 0) *err = e;
            break;
        }
        if (retries) (*retries)++;
        usleep(1000u * (unsigned)g_random_int_range(5, 50));
    }
    free(fr.r);
    free(fr.fields);
    return rc < 0 ? rc : 0;
}

struct em_db *em_fleet_open(const char *url, struct em_err *err)
{
    struct em_db *db = em_db_open(url, err);
    if (!db) return NULL;
    if (em_fleet_migrate(db, err) != 0) {
        em_db_close(db);
        return NULL;
    }
    return db;
}

int em_fleet_hospitals(struct em_db *db, const char *round, struct em_fleet_hosp **out, size_t *n, struct em_err *err)
{
    *out = NULL;
    *n = 0;
    struct em_db_stmt *st = em_db_prepare(db, "SELECT hospital_id, site_name, path, content_hash, survey_date FROM submissions"
                                              " WHERE round = ? ORDER BY hospital_id", err);
    if (!st) return EM_DB_ERROR;
    em_db_bind_text(st, 1, round);
    size_t cap = 0;
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            struct em_fleet_hosp *h = realloc(*out, cap * sizeof *h);
            if (!h) {
                rc = EM_DB_ERROR;
                break;
            }
            *out = h;
        }
        struct em_fleet_hosp *h = &(*out)[(*n)++];
        h->id = strdup(nz(em_db_col_text(st, 0)));
        h->name = strdup(nz(em_db_col_text(st, 1)));
        h->path = strdup(nz(em_db_col_text(st, 2)));
        h->hash = strdup(nz(em_db_col_text(st, 3)));
        h->survey_date = strdup(nz(em_db_col_text(st, 4)));
    }
    em_db_finalize(st);
    if (rc < 0) {
        em_fleet_hosps_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc < 0 ? rc : 0;
}

void em_fleet_hosps_free(struct em_fleet_hosp *h, size_t n)
{
    for (size_t i = 0; h && i < n; i++) {
        free(h[i].id);
        free(h[i].name);
        free(h[i].path);
        free(h[i].hash);
        free(h[i].survey_date);
    }
    free(h);
}
