/* advise.c — advisories across the fleet: every stored device of each hospital's
 * latest round (or of one round) against the advisory table given, the evaluation
 * recorded (advisory_evals, advisory_hits), and the hits that are new since the
 * previous evaluation written as the notification list. A device/CVE pair counts as
 * new when the previous evaluation did not already hold the same hospital, maker,
 * model, firmware and CVE — so the list on the day a new advisory appears names only
 * the hospitals that advisory hits, and a hospital that updated and then fell behind
 * again is named again.
 *
 * Memory does not grow with the fleet: only the distinct (maker, model, firmware)
 * triples are matched here (a few hundred); they go into a temporary table and the
 * store joins them to the devices, marks what is new and hands back the list. */
#include "fleet/fleet.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapper/advisory.h"
#include "mapper/lang.h"

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

/* The devices evaluated: each hospital's latest round, or the round asked for (?1). */
#define LATEST(round_expr)                                                                              \
    "JOIN (SELECT hospital_id, " round_expr " AS round FROM submissions GROUP BY hospital_id) l"        \
    " ON l.hospital_id = d.hospital_id AND l.round = d.round"

/* Matches every distinct (maker, model, firmware) and stores the matches in the
 * temporary table fleet_match. *devices gets the number of devices evaluated. */
static int match_all(struct em_db *db, const struct em_advisories *adv, const char *from, const char *round,
                     long long *devices, struct em_err *err)
{
    int rc = em_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS fleet_match (maker TEXT NOT NULL, model TEXT NOT NULL,"
                            " firmware TEXT NOT NULL, cve TEXT NOT NULL, fixed TEXT NOT NULL, url TEXT NOT NULL)", err);
    if (rc >= 0) rc = em_db_exec(db, "DELETE FROM fleet_match", err);
    if (rc < 0) return rc;
    char *sql = g_strdup_printf("SELECT d.maker, d.model, d.firmware, COUNT(*) FROM devices d %s WHERE d.model <> ''"
                                " GROUP BY d.maker, d.model, d.firmware", from);
    struct em_db_stmt *st = em_db_prepare(db, sql, err);
    g_free(sql);
    if (!st) return EM_DB_ERROR;
    if (round) em_db_bind_text(st, 1, round);
    /* the triples are read whole before inserting: one statement at a time per connection */
    GPtrArray *hits = g_ptr_array_new_with_free_func(g_free);
    *devices = 0;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
        const char *maker = em_db_col_text(st, 0), *model = em_db_col_text(st, 1), *fw = em_db_col_text(st, 2);
        *devices += em_db_col_int(st, 3);
        const struct em_advisory *a[16];
        size_t n = em_advisories_match(adv, maker, model, fw, a, 16);
        for (size_t i = 0; i < n && i < 16; i++)
            for (size_t c = 0; c < a[i]->n_cves; c++) {
                g_ptr_array_add(hits, g_strdup(maker));
                g_ptr_array_add(hits, g_strdup(model));
                g_ptr_array_add(hits, g_strdup(fw));
                g_ptr_array_add(hits, g_strdup(a[i]->cves[c]));
                g_ptr_array_add(hits, g_strdup(a[i]->fixed ? a[i]->fixed : ""));
                g_ptr_array_add(hits, g_strdup(a[i]->url ? a[i]->url : ""));
            }
    }
    em_db_finalize(st);
    for (guint i = 0; rc >= 0 && i + 5 < hits->len; i += 6) {
        char **h = (char **)hits->pdata + i;
        rc = em_db_run(db, err, "INSERT INTO fleet_match (maker, model, firmware, cve, fixed, url) VALUES (?,?,?,?,?,?)",
                       h[0], h[1], h[2], h[3], h[4], h[5], NULL);
    }
    g_ptr_array_free(hits, TRUE);
    return rc < 0 ? rc : 0;
}

/* The new hits with their hospitals' name (or folder), address and contact, as CSV
 * into csv and as a table to fn (when given). */
static int write_list(struct em_db *db, const char *eval_id, struct em_fbuf *csv, em_fleet_table_fn fn, void *ctx,
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
    struct em_db_stmt *st = em_db_prepare(
        db, "SELECT h.hospital_id, CASE WHEN s.site_name <> '' THEN s.site_name ELSE s.folder END, s.address, s.contact,"
            " h.round, d.line_no, d.dev_id, d.type, h.maker, h.model, h.firmware, h.cve, h.fixed, h.url"
            " FROM advisory_hits h JOIN submissions s ON s.round = h.round AND s.hospital_id = h.hospital_id"
            " JOIN devices d ON d.round = h.round AND d.hospital_id = h.hospital_id AND d.dev_idx = h.dev_idx"
            " WHERE h.eval_id = ? AND h.is_new = 1 ORDER BY h.hospital_id, h.dev_idx, h.cve",
        err);
    if (!st) return EM_DB_ERROR;
    em_db_bind_text(st, 1, eval_id);
    GPtrArray *cells = fn ? g_ptr_array_new_with_free_func(g_free) : NULL;
    char last[80] = "";
    *hospitals = 0;
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {
        const char *hid = em_db_col_text(st, 0);
        if (strcmp(hid, last) != 0) {
            (*hospitals)++;
            snprintf(last, sizeof last, "%s", hid);
        }
        for (int k = 0; k < NC; k++) {
            const char *v = em_db_col_text(st, k);
            csv_field(csv, v ? v : "", k == NC - 1);
            if (cells) g_ptr_array_add(cells, g_strdup(v ? v : ""));
        }
    }
    em_db_finalize(st);
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
    if (cells) g_ptr_array_free(cells, TRUE);
    return rc < 0 ? rc : 0;
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

    const char *from = o_round ? LATEST("MAX(CASE WHEN round = ?1 THEN round END)") : LATEST("MAX(round)");
    char prev_id[160] = "", now[32], host[24] = "";
    long long seq = 0, devices = 0;
    em_fleet_now(now);
    gethostname(host, sizeof host - 1);
    int rc = em_db_query_text(db, prev_id, sizeof prev_id, err, "SELECT id FROM advisory_evals ORDER BY id DESC LIMIT 1",
                              NULL);
    /* ids sort in evaluation order: time, then a sequence number for the same second */
    if (rc >= 0) rc = em_db_query_int(db, &seq, err, "SELECT COUNT(*) FROM advisory_evals", NULL);
    snprintf(stats->eval_id, sizeof stats->eval_id, "%s-%06lld-%s-%ld", now, seq + 1, host, (long)getpid());
    if (rc >= 0) rc = em_db_begin(db, err);
    if (rc >= 0) rc = match_all(db, adv, from, o_round, &devices, err);
    char na[24];
    snprintf(na, sizeof na, "%zu", em_advisories_count(adv));
    if (rc >= 0)
        rc = em_db_run(db, err, "INSERT INTO advisory_evals (id, evaluated_at, data_sha256, n_advisories, n_devices,"
                                " n_hits, n_new) VALUES (?, ?, ?, ?, 0, 0, 0)",
                       stats->eval_id, now, data_sha ? data_sha : "", na, NULL);
    /* one row per device and CVE (two advisories may name the same CVE) */
    if (rc >= 0) {
        char *sql = g_strdup_printf(
            "INSERT INTO advisory_hits (eval_id, round, hospital_id, dev_idx, cve, maker, model, firmware, fixed, url,"
            " is_new) SELECT ?%d, d.round, d.hospital_id, d.dev_idx, m.cve, d.maker, d.model, d.firmware, MIN(m.fixed),"
            " MIN(m.url), 0 FROM devices d %s JOIN fleet_match m ON m.maker = d.maker AND m.model = d.model"
            " AND m.firmware = d.firmware WHERE d.model <> ''"
            " GROUP BY d.round, d.hospital_id, d.dev_idx, m.cve, d.maker, d.model, d.firmware",
            o_round ? 2 : 1, from);
        struct em_db_stmt *st = em_db_prepare(db, sql, err);
        g_free(sql);
        if (!st) rc = EM_DB_ERROR;
        else {
            if (o_round) em_db_bind_text(st, 1, o_round);
            em_db_bind_text(st, o_round ? 2 : 1, stats->eval_id);
            while ((rc = em_db_step(st, err)) == EM_DB_ROW) {}
            em_db_finalize(st);
        }
    }
    if (rc >= 0 && *prev_id)
        rc = em_db_run(db, err,
                       "UPDATE advisory_hits SET is_new = 1 WHERE eval_id = ?1 AND NOT EXISTS (SELECT 1 FROM advisory_hits p"
                       " WHERE p.eval_id = ?2 AND p.hospital_id = advisory_hits.hospital_id AND p.maker = advisory_hits.maker"
                       " AND p.model = advisory_hits.model AND p.firmware = advisory_hits.firmware AND p.cve = advisory_hits.cve)",
                       stats->eval_id, prev_id, NULL);
    else if (rc >= 0)
        rc = em_db_run(db, err, "UPDATE advisory_hits SET is_new = 1 WHERE eval_id = ?", stats->eval_id, NULL);
    long long hits = 0, fresh = 0;
    if (rc >= 0) rc = em_db_query_int(db, &hits, err, "SELECT COUNT(*) FROM advisory_hits WHERE eval_id = ?", stats->eval_id, NULL);
    if (rc >= 0)
        rc = em_db_query_int(db, &fresh, err, "SELECT COUNT(*) FROM advisory_hits WHERE eval_id = ? AND is_new = 1",
                             stats->eval_id, NULL);
    stats->devices = (size_t)devices;
    stats->hits = (size_t)hits;
    stats->new_hits = (size_t)fresh;
    if (rc >= 0) {
        char nd[24], nh[24], nn[24];
        snprintf(nd, sizeof nd, "%lld", devices);
        snprintf(nh, sizeof nh, "%lld", hits);
        snprintf(nn, sizeof nn, "%lld", fresh);
        rc = em_db_run(db, err, "UPDATE advisory_evals SET n_devices = ?, n_hits = ?, n_new = ? WHERE id = ?", nd, nh, nn,
                       stats->eval_id, NULL);
    }
    if (rc >= 0) rc = write_list(db, stats->eval_id, csv, fn, ctx, &stats->hospitals_new, err);
    if (rc >= 0) rc = em_db_commit(db, err);
    else em_db_rollback(db);
    g_free(data_sha);
    em_advisories_free(adv);
    return rc < 0 ? rc : 0;
}
