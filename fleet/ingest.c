/* ingest.c — many hospital folders into the store. Workers (forked before the store is
 * opened) scan, hash, parse and check one folder each and send back a packed frame;
 * this process writes each frame in its own transaction, so the store only ever holds
 * whole hospitals, and records the run (ingest_runs, ingest_errors). */
#include "fleet/fleet.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mapper/lang.h"

struct wctx { const struct em_fleet_ingest_opts *o; };

/* The folder's key: its last path component. */
static char *folder_key(const char *path)
{
    char *p = g_strdup(path);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') p[--n] = '\0';
    char *base = g_path_get_basename(p);
    g_free(p);
    return base;
}

static void fail_frame(const char *folder, const char *path, const char *hash, const struct em_err *e,
                       struct em_fbuf *reply)
{
    char msg[2048];
    em_err_format(e, msg, sizeof msg);
    reply->len = 0;
    em_fleet_pack_failure(folder, path, hash, e->file, msg, reply);
}

/* Worker: job is "PATH\x1fKNOWN-HASH". */
static int work(void *ctx, const char *job, size_t len, struct em_fbuf *reply)
{
    const struct wctx *w = ctx;
    (void)len;
    const char *sep = strchr(job, '\x1f');
    char *path = g_strndup(job, sep ? (size_t)(sep - job) : strlen(job));
    const char *known = sep ? sep + 1 : "";
    char *folder = folder_key(path);
    struct em_fleet_folder f;
    struct em_err err = {0};
    char hash[65] = "";
    if (em_fleet_folder_scan(path, &f, &err) != 0) {
        fail_frame(folder, path, "", &err, reply);
        goto out;
    }
    char (*sha)[65] = calloc(f.n_all ? f.n_all : 1, sizeof *sha);
    long long *bytes = calloc(f.n_all ? f.n_all : 1, sizeof *bytes);
    if (!sha || !bytes) {
        em_err_set(&err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
        fail_frame(folder, path, "", &err, reply);
    } else if (em_fleet_folder_hashes(&f, hash, sha, bytes, &err) != 0) {
        fail_frame(folder, path, "", &err, reply);
    } else if (*known && strcmp(known, hash) == 0 && !w->o->force) {
        em_fleet_pack_unchanged(folder, reply);
    } else {
        struct em_model *m = NULL;
        if (em_fleet_folder_load(&f, w->o->data_dir, w->o->survey_date, &m, &err) != 0) {
            fail_frame(folder, path, hash, &err, reply);
        } else {
            char hid[72];
            const char *src = "";
            em_fleet_hospital_id(m, f.id, folder, hid, &src);
            struct em_fleet_meta meta = {hid, src, folder, path, hash, &f, sha, bytes};
            if (em_fleet_pack_model(m, &meta, reply) != 0) {
                em_err_set(&err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
                fail_frame(folder, path, hash, &err, reply);
            }
            em_model_free(m);
        }
    }
    free(sha);
    free(bytes);
    em_fleet_folder_free(&f);
out:
    g_free(folder);
    g_free(path);
    return 0;
}

struct pctx {
    const struct em_fleet_ingest_opts *o;
    struct em_fleet_writer *w;
    struct em_fleet_ingest_stats *st;
    const char *const *folders;
    struct em_err *err;
    double last;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(struct pctx *p, bool last)
{
    if (!p->o->progress) return;
    double t = now_s();
    if (!last && t - p->last < 0.2) return;
    p->last = t;
    size_t done = p->st->ingested + p->st->unchanged + p->st->failed;
    fprintf(stderr, em_tr("\r取り込み中 %zu/%zu（取り込み %zu、変更なし %zu、失敗 %zu）", "\ringesting %zu/%zu (ingested %zu, unchanged %zu, failed %zu)"),
            done, p->st->folders, p->st->ingested, p->st->unchanged, p->st->failed);
    if (last) fputc('\n', stderr);
    fflush(stderr);
}

static int done(void *ctx, size_t job, const char *reply, size_t len, const char *why)
{
    struct pctx *p = ctx;
    char outcome = 0;
    unsigned retries = 0;
    int rc;
    if (*why) {
        /* the worker died on this folder (a crash, or the per-folder deadline) */
        struct em_fbuf b = {0};
        char *folder = folder_key(p->folders[job]);
        char msg[256];
        snprintf(msg, sizeof msg, em_tr("読み込み中に処理が停止しました（%s）", "the worker stopped while reading it (%s)"), why);
        em_fleet_pack_failure(folder, p->folders[job], "", "", msg, &b);
        rc = em_fleet_store_frame(p->w, b.data, b.len, &outcome, &retries, p->err);
        em_fbuf_free(&b);
        g_free(folder);
    } else {
        rc = em_fleet_store_frame(p->w, reply, len, &outcome, &retries, p->err);
    }
    p->st->retries += retries;
    if (rc != 0) return rc;
    if (outcome == 'i') p->st->ingested++;
    else if (outcome == 'u') p->st->unchanged++;
    else p->st->failed++;
    progress(p, false);
    return 0;
}

/* folder -> content hash of what the round holds, so unchanged folders are not parsed */
static int load_known(struct em_db *db, const char *round, GHashTable *known, struct em_err *err)
{
    struct em_db_stmt *st = em_db_prepare(db, "SELECT folder, content_hash FROM submissions WHERE round = ?", err);
    if (!st) return EM_DB_ERROR;
    em_db_bind_text(st, 1, round);
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW)
        g_hash_table_insert(known, g_strdup(em_db_col_text(st, 0)), g_strdup(em_db_col_text(st, 1)));
    em_db_finalize(st);
    return rc < 0 ? rc : 0;
}

int em_fleet_ingest(const char *url, const char *const *folders, size_t n, const struct em_fleet_ingest_opts *o,
                    struct em_fleet_ingest_stats *st, struct em_err *err)
{
    memset(st, 0, sizeof *st);
    st->folders = n;
    char host[48] = "";
    gethostname(host, sizeof host - 1);
    char now[32];
    em_fleet_now(now);
    snprintf(st->run_id, sizeof st->run_id, "%s-%s-%ld-%08x", now, host, (long)getpid(), g_random_int());

    struct wctx wc = {o};
    struct em_fleet_pool *pool = em_fleet_pool_new(o->jobs, work, &wc, 600, err);
    if (!pool) return EM_DB_ERROR;
    struct em_db *db = em_fleet_open(url, err);
    if (!db) {
        em_fleet_pool_free(pool);
        return EM_DB_ERROR;
    }
    GHashTable *known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    char jobs_s[16];
    snprintf(jobs_s, sizeof jobs_s, "%d", o->jobs);
    int rc = load_known(db, o->round, known, err);
    if (rc == 0)
        rc = em_db_run(db, err,
                       "INSERT INTO ingest_runs (id, round, started_at, host, jobs, status, n_folders, n_ingested,"
                       " n_unchanged, n_failed) VALUES (?, ?, ?, ?, ?, 'running', 0, 0, 0, 0)",
                       st->run_id, o->round, now, host, jobs_s, NULL);
    char **jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!jobs) { em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory"); rc = EM_DB_ERROR; }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *key = folder_key(folders[i]);
        const char *k = o->force ? NULL : g_hash_table_lookup(known, key);
        jobs[i] = g_strdup_printf("%s\x1f%s", folders[i], k ? k : "");
        g_free(key);
    }
    struct em_fleet_writer *w = rc == 0 ? em_fleet_writer_new(db, o->round, st->run_id, o->force) : NULL;
    if (rc == 0 && !w) { em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory"); rc = EM_DB_ERROR; }
    if (rc == 0) {
        struct pctx pc = {o, w, st, folders, err, 0};
        rc = em_fleet_pool_run(pool, (const char *const *)jobs, n, done, &pc, err);
        progress(&pc, true);
    }
    em_fleet_writer_free(w);
    em_fleet_pool_free(pool);
    for (size_t i = 0; jobs && i < n; i++) g_free(jobs[i]);
    free(jobs);
    g_hash_table_destroy(known);
    /* the run's record says how it ended; a killed run stays 'running' */
    char fin[32], a[24], b[24], c[24], d[24];
    em_fleet_now(fin);
    snprintf(a, sizeof a, "%zu", st->folders);
    snprintf(b, sizeof b, "%zu", st->ingested);
    snprintf(c, sizeof c, "%zu", st->unchanged);
    snprintf(d, sizeof d, "%zu", st->failed);
    struct em_err e2 = {0};
    em_db_run(db, rc == 0 ? err : &e2,
              "UPDATE ingest_runs SET finished_at = ?, status = ?, n_folders = ?, n_ingested = ?, n_unchanged = ?,"
              " n_failed = ? WHERE id = ?", fin, rc == 0 ? "done" : "failed", a, b, c, d, st->run_id, NULL);
    em_db_close(db);
    return rc;
}
