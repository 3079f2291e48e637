/* advise.c — advisories across the fleet: every stored device of each hospital's
 * latest round (or of one round) against the advisory table given, the evaluation
 * recorded (advisory_evals, advisory_hits), and the hits that are new since the
 * previous evaluation written as the notification list. A device/CVE pair counts as
 * new when the previous evaluation did not already hold the same hospital, maker,
 * model, firmware and CVE — so the list on the day a new advisory appears names only
 * the hospitals that advisory hits, and a hospital that updated and then fell behind
 * again is named again. */
#include "fleet/fleet.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapper/advisory.h"
#include "mapper/lang.h"

struct hit {
    char *round, *hid, *dev_idx, *cve, *maker, *model, *firmware, *fixed, *url, *line_no, *dev_id, *type;
    bool is_new;
};

static void hit_free(gpointer p)
{
    struct hit *h = p;
    g_free(h->round), g_free(h->hid), g_free(h->dev_idx), g_free(h->cve), g_free(h->maker), g_free(h->model);
    g_free(h->firmware), g_free(h->fixed), g_free(h->url), g_free(h->line_no), g_free(h->dev_id), g_free(h->type);
    g_free(h);
}

static char *hit_key(const char *hid, const char *maker, const char *model, const char *fw, const char *cve)
{
    return g_strjoin("\x1f", hid, maker, model, fw, cve, NULL);
}

/* CSV field: always quoted; a leading = + - @ is neutralised for spreadsheets. */
static void csv_field(struct em_fbuf *b, const char *s, bool last)
{
    em_fbuf_str(b, "\"");
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@') em_fbuf_str(b, "'");
    for (; *s; s++) {
        if (*s == '"') em_fbuf_str(b, "\"\"");
        else if ((unsigned char)*s < 0x20 && *s != '\n') em_fbuf_str(b, " ");
        else em_fbuf_add(b, s, 1);
    }
    em_fbuf_str(b, last ? "\"\r\n" : "\",");
}

/* Matches of one (maker, model, firmware), cached: few distinct versions, many devices. */
struct match { size_t n; const struct em_advisory *a[16]; };

static const struct match *matches(GHashTable *cache, const struct em_advisories *adv, const char *maker,
                                   const char *model, const char *fw)
{
    char *k = g_strjoin("\x1f", maker, model, fw, NULL);
    struct match *m = g_hash_table_lookup(cache, k);
    if (m) {
        g_free(k);
        return m;
    }
    m = g_new0(struct match, 1);
    size_t n = em_advisories_match(adv, maker, model, fw, m->a, 16);
    m->n = n > 16 ? 16 : n;
    g_hash_table_insert(cache, k, m);
    return m;
}

static int insert_hits(struct em_db *db, const char *eval_id, GPtrArray *hits, struct em_err *err)
{
    enum { PER = 60, NC = 11 };
    GString *sql = g_string_new("INSERT INTO advisory_hits (eval_id, round, hospital_id, dev_idx, cve, maker, model,"
                                " firmware, fixed, url, is_new) VALUES ");
    for (int r = 0; r < PER; r++) g_string_append(sql, r ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)");
    struct em_db_stmt *full = em_db_prepare(db, sql->str, err);
    g_string_free(sql, TRUE);
    if (!full) return EM_DB_ERROR;
    int rc = 0;
    for (guint done = 0; rc >= 0 && done < hits->len;) {
        guint rows = hits->len - done >= PER ? PER : hits->len - done;
        struct em_db_stmt *st = full;
        if (rows < PER) {
            GString *s = g_string_new("INSERT INTO advisory_hits (eval_id, round, hospital_id, dev_idx, cve, maker,"
                                      " model, firmware, fixed, url, is_new) VALUES ");
            for (guint r = 0; r < rows; r++) g_string_append(s, r ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)");
            st = em_db_prepare(db, s->str, err);
            g_string_free(s, TRUE);
            if (!st) {
                rc = EM_DB_ERROR;
                break;
            }
        }
        int c = 1;
        for (guint r = 0; r < rows; r++) {
            const struct hit *h = hits->pdata[done + r];
            const char *v[NC] = {eval_id, h->round, h->hid, h->dev_idx, h->cve, h->maker, h->model, h->firmware,
                                 h->fixed, h->url, h->is_new ? "1" : "0"};
            for (int k = 0; k < NC; k++) em_db_bind_text(st, c++, v[k]);
        }
        rc = em_db_step(st, err);
        if (st != full) em_db_finalize(st);
        else em_db_reset(st);
        done += rows;
    }
    em_db_finalize(full);
    return rc;
}

/* The new hits with their hospitals' name (or folder), address and contact, as CSV
 * into csv and as a table to fn (when given). */
static int write_list(struct em_db *db, GPtrArray *hits, struct em_fbuf *csv, em_fleet_table_fn fn, void *ctx,
                      size_t *hospitals, struct em_err *err)
{
    enum { NC = 14 };
    static const char *const ja[NC] = {"医療機関ID", "医療機関名", "所在地", "連絡先", "回", "回線No", "装置ID", "装置の種類",
                                       "メーカー", "機種名", "ファームウェア", "CVE", "修正版", "アドバイザリ"};
    static const char *const en[NC] = {"hospital id", "hospital", "address", "contact", "round", "line No", "device id",
                                       "device type", "maker", "model", "firmware", "CVE", "fixed in", "advisory"};
    const char *const *header = em_lang_get() == EM_LANG_EN ? en : ja;
    em_fbuf_str(csv, "\xEF\xBB\xBF");
    for (int i = 0; i < NC; i++) csv_field(csv, header[i], i == NC - 1);
    struct em_db_stmt *st = em_db_prepare(db, "SELECT site_name, address, contact, folder FROM submissions"
                                              " WHERE round = ? AND hospital_id = ?", err);
    if (!st) return EM_DB_ERROR;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *cells = g_ptr_array_new_with_free_func(g_free);
    int rc = 0;
    for (guint i = 0; i < hits->len && rc >= 0; i++) {
        const struct hit *h = hits->pdata[i];
        if (!h->is_new) continue;
        g_hash_table_add(seen, h->hid);
        em_db_bind_text(st, 1, h->round);
        em_db_bind_text(st, 2, h->hid);
        char *name = NULL, *addr = NULL, *contact = NULL;
        if ((rc = em_db_step(st, err)) == EM_DB_ROW) {
            const char *n = em_db_col_text(st, 0);
            name = g_strdup(n && *n ? n : em_db_col_text(st, 3));
            addr = g_strdup(em_db_col_text(st, 1));
            contact = g_strdup(em_db_col_text(st, 2));
        }
        em_db_reset(st);
        const char *f[NC] = {h->hid, name ? name : "", addr ? addr : "", contact ? contact : "", h->round, h->line_no,
                             h->dev_id, h->type, h->maker, h->model, h->firmware, h->cve, h->fixed, h->url};
        for (int k = 0; k < NC; k++) {
            csv_field(csv, f[k], k == NC - 1);
            g_ptr_array_add(cells, g_strdup(f[k]));
        }
        g_free(name), g_free(addr), g_free(contact);
    }
    *hospitals = g_hash_table_size(seen);
    g_hash_table_destroy(seen);
    em_db_finalize(st);
    if (rc > 0) rc = 0;   /* the last look-up's row */
    if (rc >= 0 && fn) {
        static const bool numeric[NC] = {false};
        struct em_fleet_table t = {"notify", em_tr("通知リスト", "notify"),
                                   em_tr("新たに該当した医療機関（前回の評価以降）", "Hospitals newly affected since the previous evaluation"),
                                   NULL, NC, cells->len / NC, header, numeric, (char *const *)cells->pdata};
        if (fn(ctx, &t) != 0) {
            em_err_set(err, EM_ERR_IO, "", "", 0, "", "%s", em_tr("通知リストを書けません", "cannot write the notification list"));
            rc = EM_DB_ERROR;
        }
    }
    g_ptr_array_free(cells, TRUE);
    return rc;
}

static gint by_hospital(gconstpointer a, gconstpointer b)
{
    const struct hit *x = *(const struct hit *const *)a, *y = *(const struct hit *const *)b;
    int c = strcmp(x->hid, y->hid);
    if (c) return c;
    c = (int)(g_ascii_strtoll(x->dev_idx, NULL, 10) - g_ascii_strtoll(y->dev_idx, NULL, 10));
    return c ? c : strcmp(x->cve, y->cve);
}

int em_fleet_advise(struct em_db *db, const char *data_dir, const char *o_round, struct em_fbuf *csv,
                    struct em_fleet_advise_stats *stats, struct em_err *err)
{
    return em_fleet_advise_tables(db, data_dir, o_round, csv, NULL, NULL, stats, err);
}

int em_fleet_advise_tables(struct em_db *db, const char *data_dir, const char *o_round, struct em_fbuf *csv,
                           em_fleet_table_fn fn, void *ctx, struct em_fleet_advise_stats *stats, struct em_err *err)
{
    memset(stats, 0, sizeof *stats);
    char *path = g_build_filename(data_dir, "firmware-advisories.tsv", NULL);
    struct em_advisories *adv = em_advisories_load(path, err);
    gchar *contents = NULL;
    gsize clen = 0;
    char *data_sha = NULL;
    if (adv && g_file_get_contents(path, &contents, &clen, NULL))
        data_sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)contents, clen);
    g_free(contents);
    g_free(path);
    if (!adv) return EM_DB_ERROR;

    GHashTable *prev = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    GPtrArray *hits = g_ptr_array_new_with_free_func(hit_free);
    char prev_id[96] = "";
    int rc = em_db_query_text(db, prev_id, sizeof prev_id, err,
                              "SELECT id FROM advisory_evals ORDER BY id DESC LIMIT 1", NULL);
    struct em_db_stmt *st = NULL;
    if (rc >= 0 && *prev_id) {
        st = em_db_prepare(db, "SELECT hospital_id, maker, model, firmware, cve FROM advisory_hits WHERE eval_id = ?", err);
        if (!st) rc = EM_DB_ERROR;
        else {
            em_db_bind_text(st, 1, prev_id);
            while ((rc = em_db_step(st, err)) == EM_DB_ROW)
                g_hash_table_add(prev, hit_key(em_db_col_text(st, 0), em_db_col_text(st, 1), em_db_col_text(st, 2),
                                               em_db_col_text(st, 3), em_db_col_text(st, 4)));
            em_db_finalize(st);
        }
    }
    /* each hospital's latest round (or the round asked for) */
    if (rc >= 0) {
        st = em_db_prepare(db, o_round
                                   ? "SELECT d.round, d.hospital_id, d.dev_idx, d.maker, d.model, d.firmware, d.line_no,"
                                     " d.dev_id, d.type FROM devices d WHERE d.round = ? AND d.model <> ''"
                                   : "SELECT d.round, d.hospital_id, d.dev_idx, d.maker, d.model, d.firmware, d.line_no,"
                                     " d.dev_id, d.type FROM devices d JOIN (SELECT hospital_id, MAX(round) AS round"
                                     " FROM submissions GROUP BY hospital_id) l ON l.hospital_id = d.hospital_id"
                                     " AND l.round = d.round WHERE d.model <> ''",
                           err);
        if (!st) rc = EM_DB_ERROR;
    }
    if (rc >= 0) {
        if (o_round) em_db_bind_text(st, 1, o_round);
        while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
            stats->devices++;
            const char *maker = em_db_col_text(st, 3), *model = em_db_col_text(st, 4), *fw = em_db_col_text(st, 5);
            const struct match *m = matches(cache, adv, maker, model, fw);
            for (size_t i = 0; i < m->n; i++)
                for (size_t c = 0; c < m->a[i]->n_cves; c++) {
                    struct hit *h = g_new0(struct hit, 1);
                    h->round = g_strdup(em_db_col_text(st, 0));
                    h->hid = g_strdup(em_db_col_text(st, 1));
                    h->dev_idx = g_strdup(em_db_col_text(st, 2));
                    h->maker = g_strdup(maker), h->model = g_strdup(model), h->firmware = g_strdup(fw);
                    h->line_no = g_strdup(em_db_col_text(st, 6));
                    h->dev_id = g_strdup(em_db_col_text(st, 7));
                    h->type = g_strdup(em_db_col_text(st, 8));
                    h->cve = g_strdup(m->a[i]->cves[c]);
                    h->fixed = g_strdup(m->a[i]->fixed ? m->a[i]->fixed : "");
                    h->url = g_strdup(m->a[i]->url ? m->a[i]->url : "");
                    char *k = hit_key(h->hid, maker, model, fw, h->cve);
                    h->is_new = !g_hash_table_contains(prev, k);
                    g_free(k);
                    g_ptr_array_add(hits, h);
                }
        }
        em_db_finalize(st);
    }
    /* one device may match two advisories naming the same CVE: keep one row */
    g_ptr_array_sort(hits, by_hospital);
    for (guint i = 1; i < hits->len;) {
        const struct hit *a = hits->pdata[i - 1], *b = hits->pdata[i];
        if (strcmp(a->hid, b->hid) == 0 && strcmp(a->dev_idx, b->dev_idx) == 0 && strcmp(a->cve, b->cve) == 0)
            g_ptr_array_remove_index(hits, i);
        else i++;
    }
    for (guint i = 0; i < hits->len; i++) {
        stats->hits++;
        if (((struct hit *)hits->pdata[i])->is_new) stats->new_hits++;
    }
    char now[32], host[64] = "";
    em_fleet_now(now);
    gethostname(host, sizeof host - 1);
    /* ids sort in evaluation order: time, then a sequence number for the same second */
    long long seq = 0;
    if (rc >= 0) rc = em_db_query_int(db, &seq, err, "SELECT COUNT(*) FROM advisory_evals", NULL);
    snprintf(stats->eval_id, sizeof stats->eval_id, "%s-%06lld-%s-%ld", now, seq + 1, host, (long)getpid());
    if (rc >= 0) rc = write_list(db, hits, csv, fn, ctx, &stats->hospitals_new, err);
    if (rc >= 0) rc = em_db_begin(db, err);
    if (rc >= 0) {
        char na[24], nd[24], nh[24], nn[24];
        snprintf(na, sizeof na, "%zu", em_advisories_count(adv));
        snprintf(nd, sizeof nd, "%zu", stats->devices);
        snprintf(nh, sizeof nh, "%zu", stats->hits);
        snprintf(nn, sizeof nn, "%zu", stats->new_hits);
        rc = em_db_run(db, err, "INSERT INTO advisory_evals (id, evaluated_at, data_sha256, n_advisories, n_devices,"
                                " n_hits, n_new) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       stats->eval_id, now, data_sha ? data_sha : "", na, nd, nh, nn, NULL);
        if (rc >= 0) rc = insert_hits(db, stats->eval_id, hits, err);
        if (rc >= 0) rc = em_db_commit(db, err);
        else em_db_rollback(db);
    }
    g_free(data_sha);
    g_ptr_array_free(hits, TRUE);
    g_hash_table_destroy(cache);
    g_hash_table_destroy(prev);
    em_advisories_free(adv);
    return rc < 0 ? rc : 0;
}
