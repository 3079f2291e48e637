/* fleet.h — the national survey: every hospital's survey in one store (SQLite file or
 * PostgreSQL), ingested in parallel, and what the programme asks of it: the national
 * report, vendor hubs, advisories across the fleet, round-to-round differences.
 * Sees mapper/'s public headers only; the database libraries stay in fleet/db_*.c.
 * Design: docs/design-fleet.md; tables and queries: docs/fleet.md. */
#ifndef EM_FLEET_H
#define EM_FLEET_H
#include <stdbool.h>
#include <stddef.h>

#include "fleet/db.h"
#include "mapper/err.h"
#include "mapper/model.h"

/* ---- growable byte buffer (frames between processes, report text) ---- */
struct em_fbuf { char *data; size_t len, cap; };
/* Appends; 0 or -1 (no memory; the buffer keeps what it had). */
int em_fbuf_add(struct em_fbuf *b, const void *p, size_t n);
int em_fbuf_str(struct em_fbuf *b, const char *s);
int em_fbuf_printf(struct em_fbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void em_fbuf_free(struct em_fbuf *b);

/* ---- schema (schema.c) ---- */
/* Brings the store to the current schema version (creating it when empty). 0 or
 * negative with err filled; a store newer than this program is refused. */
int em_fleet_migrate(struct em_db *db, struct em_err *err);
int em_fleet_schema_version(void);

/* ---- opening (store.c): em_db_open + em_fleet_migrate ---- */
struct em_db *em_fleet_open(const char *url, struct em_err *err);

/* ---- worker pool (pool.c) ----
 * n long-lived worker processes forked at em_fleet_pool_new(); each runs fn(ctx, job,
 * len, reply) per job and sends the reply back. A worker that dies (crash, per-job
 * deadline) is replaced and its job answered with an empty reply and *crashed set. */
typedef int (*em_fleet_work_fn)(void *ctx, const char *job, size_t len, struct em_fbuf *reply);
/* Called in the parent for each finished job, in completion order. reply is valid
 * during the call; why is "" or what killed the worker. Return non-zero to stop. */
typedef int (*em_fleet_done_fn)(void *ctx, size_t job, const char *reply, size_t len, const char *why);
struct em_fleet_pool;
/* Forks n workers (1..64); job_timeout_s > 0 kills a worker stuck on one job. NULL with
 * err filled on failure. Free with em_fleet_pool_free(). */
struct em_fleet_pool *em_fleet_pool_new(int n, em_fleet_work_fn fn, void *ctx, unsigned job_timeout_s,
                                        struct em_err *err);
/* Runs jobs[0..n) (each a NUL-terminated string) over the workers and calls done for
 * each. Returns 0, or the first non-zero done returned, or -1 with err filled. */
int em_fleet_pool_run(struct em_fleet_pool *p, const char *const *jobs, size_t n, em_fleet_done_fn done,
                      void *ctx, struct em_err *err);
/* Closes the workers' pipes and waits for them. NULL is a no-op. */
void em_fleet_pool_free(struct em_fleet_pool *p);

/* ---- ingest (ingest.c, store.c) ---- */
struct em_fleet_ingest_opts {
    const char *round;        /* e.g. "2026" (required) */
    int jobs;                 /* worker processes, 1..64 */
    const char *data_dir;     /* advisory / end-of-support data (resolved by cmd/, never NULL) */
    const char *survey_date;  /* --survey-date for hospitals without a readable 調査日 */
    bool force;               /* re-ingest even when the content hash is unchanged */
    bool progress;            /* progress line on stderr (a TTY) */
};
struct em_fleet_ingest_stats {
    size_t folders, ingested, unchanged, failed, retries;
    char run_id[128];
};
/* Ingests each folder (one hospital each) into the round: parse and check in worker
 * processes, one transaction per hospital written here. A folder that cannot be read
 * is recorded in failures/ingest_errors and the batch goes on. Returns 0 (even with
 * failed folders; see stats), or negative with err filled when the store fails. */
int em_fleet_ingest(const char *url, const char *const *folders, size_t n, const struct em_fleet_ingest_opts *o,
                    struct em_fleet_ingest_stats *st, struct em_err *err);

/* Reads one hospital folder into a finished model exactly as `edgemap check` would
 * (records files in name order, then DISC.json, then nmap XML files), listing the
 * files it used. On failure returns negative with err naming file, sheet, row. */
struct em_fleet_folder {
    char id[72];              /* from hospital-id.txt, "" when none */
    char **records, **scans, *discovered;   /* full paths, malloc'd */
    size_t n_records, n_scans;
    char **all; size_t n_all; /* every input (incl. hospital-id.txt), name order */
};
int em_fleet_folder_scan(const char *dir, struct em_fleet_folder *f, struct em_err *err);
void em_fleet_folder_free(struct em_fleet_folder *f);
int em_fleet_folder_load(const struct em_fleet_folder *f, const char *data_dir, const char *survey_date,
                         struct em_model **out, struct em_err *err);
/* SHA-256 (hex) over the folder's inputs: each file's name and content hash. */
int em_fleet_folder_hash(const struct em_fleet_folder *f, char hex[65], struct em_err *err);
/* The same, also filling each input's SHA-256 (sha[i]) and size (bytes[i]). */
int em_fleet_folder_hashes(const struct em_fleet_folder *f, char hex[65], char (*sha)[65], long long *bytes,
                           struct em_err *err);

/* The hospital's stable id: explicit (hospital-id.txt) when given, else "h-" and 16 hex
 * of SHA-256 over the compact 医療機関名 and 所在地, else "d-" over the folder name. */
void em_fleet_hospital_id(const struct em_model *m, const char *explicit_id, const char *folder,
                          char out[72], const char **source);

/* The company a remote party belongs to (vendor hubs): the party name without legal
 * forms (株式会社, (株), Inc. …) and without the site after the company (… データセンター,
 * … 保守センター, … DC, 支店, 営業所 …, or after a space), compact-normalised. The one
 * place fleet/ groups parties: when mapper/ gains the vendor review's company key
 * (em_party_company), this function calls it instead. */
void em_fleet_company(const char *party, char *buf, size_t size);
/* Whether a remote party is the row's ISP rather than a vendor: the same company as
 * the row's プロバイダ名 (provider may be NULL), or a name saying ISP / プロバイダ. */
bool em_fleet_is_isp(const char *party, const char *provider);
/* The compact comparison key of a party name. */
void em_fleet_party_key(const char *party, char *buf, size_t size);

/* Packs a finished model into a frame for the store (worker side). */
struct em_fleet_meta {
    const char *hospital_id, *id_source, *folder, *path, *content_hash;
    const struct em_fleet_folder *files;
    char (*file_sha)[65];     /* per files->all entry */
    const long long *file_bytes;
};
int em_fleet_pack_model(const struct em_model *m, const struct em_fleet_meta *meta, struct em_fbuf *out);
int em_fleet_pack_failure(const char *folder, const char *path, const char *hash, const char *file,
                          const char *message, struct em_fbuf *out);
int em_fleet_pack_unchanged(const char *folder, struct em_fbuf *out);
/* The parent's side: statements prepared once per store connection. */
struct em_fleet_writer;
struct em_fleet_writer *em_fleet_writer_new(struct em_db *db, const char *round, const char *run_id, bool force);
void em_fleet_writer_free(struct em_fleet_writer *w);   /* NULL is a no-op */
/* Writes one packed frame in its own transaction (retrying conflicts). *outcome:
 * 'i' ingested, 'u' unchanged, 'f' failure recorded. 0 or negative with err. */
int em_fleet_store_frame(struct em_fleet_writer *w, const char *frame, size_t len, char *outcome,
                         unsigned *retries, struct em_err *err);

/* ---- report (report.c) ---- */
enum em_fleet_fmt { EM_FLEET_HTML, EM_FLEET_JSON, EM_FLEET_TEXT = EM_FLEET_HTML };
struct em_fleet_report_opts {
    const char *round;
    const char *hospital_link;  /* printf pattern for a hospital's report, "%s" = id;
                                   default "%s/report.html" (fleet render's layout) */
    int hub_min;                /* closed-network hub: reached by at least this many (default 2) */
};
/* Writes the national report for the round into out. 0 or negative with err. */
int em_fleet_report(struct em_db *db, const struct em_fleet_report_opts *o, enum em_fleet_fmt fmt,
                    struct em_fbuf *out, struct em_err *err);

/* One table of a report or list, in the current language, for writers that are not
 * fleet's own (the xlsx through book/). Valid during the callback only. */
struct em_fleet_table {
    const char *key;            /* stable: "summary", "forms", "vendors", "notify" ... */
    const char *sheet;          /* a short name (<= 31 characters) for a sheet tab */
    const char *title, *note;   /* note may be NULL */
    size_t ncols, nrows;
    const char *const *header;
    const bool *numeric;        /* per column: the cells are whole numbers */
    char *const *cells;         /* nrows * ncols, row-major */
};
typedef int (*em_fleet_table_fn)(void *ctx, const struct em_fleet_table *t);
/* Every requested form of the report from one pass of queries: HTML into html, JSON
 * into json, tables to fn; each may be NULL. */
int em_fleet_report_all(struct em_db *db, const struct em_fleet_report_opts *o, struct em_fbuf *html,
                        struct em_fbuf *json, em_fleet_table_fn fn, void *ctx, struct em_err *err);
/* The same report as tables, one callback per section in report order (summary
 * first); a non-zero return stops with that value. */
int em_fleet_report_tables(struct em_db *db, const struct em_fleet_report_opts *o, em_fleet_table_fn fn,
                           void *ctx, struct em_err *err);

/* ---- advisories across the fleet (advise.c) ---- */
struct em_fleet_advise_stats { size_t devices, hits, new_hits, hospitals_new; char eval_id[128]; };
/* Evaluates every device of each hospital's latest round (or of o_round when given)
 * against data_dir/firmware-advisories.tsv, records the evaluation and writes the CSV
 * of hits new since the previous evaluation (UTF-8 with BOM, CRLF) into csv. */
int em_fleet_advise(struct em_db *db, const char *data_dir, const char *o_round, struct em_fbuf *csv,
                    struct em_fleet_advise_stats *st, struct em_err *err);
/* The same, also handing the notification list to fn as a table (key "notify"). */
int em_fleet_advise_tables(struct em_db *db, const char *data_dir, const char *o_round, struct em_fbuf *csv,
                           em_fleet_table_fn fn, void *ctx, struct em_fleet_advise_stats *st, struct em_err *err);

/* ---- rounds (diff.c) ---- */
int em_fleet_diff(struct em_db *db, const char *round_a, const char *round_b, enum em_fleet_fmt fmt,
                  struct em_fbuf *out, struct em_err *err);

/* ---- batch render support: the stored source files of each hospital of a round ---- */
struct em_fleet_hosp { char *id, *name, *path, *hash, *survey_date; };
/* Lists the round's hospitals (id order) with their folder and content hash.
 * *out is malloc'd (free with em_fleet_hosps_free). */
int em_fleet_hospitals(struct em_db *db, const char *round, struct em_fleet_hosp **out, size_t *n,
                       struct em_err *err);
void em_fleet_hosps_free(struct em_fleet_hosp *h, size_t n);

/* Now as "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void em_fleet_now(char buf[32]);

#endif
