/* schema.c — the store's tables, versioned. Migration N takes the schema from version
 * N-1 to N in one transaction and records N in schema_version; a store at an older
 * version is brought up to date when opened, a newer one is refused. The SQL is the
 * portable subset both SQLite and PostgreSQL run unchanged: TEXT / INTEGER / BIGINT,
 * composite primary keys of natural values (round name, hospital id, index), no
 * generated ids, so analysts can join the tables in sqlite3, psql or DuckDB alike.
 * docs/fleet.md describes every table. */
#include "fleet/fleet.h"

#include <stdio.h>
#include <string.h>

#include "mapper/lang.h"

/* Per-hospital tables share the key (round, hospital_id); a hospital's round is replaced
 * by deleting every row with that key and inserting the new ones, in one transaction. */
static const char *const migration_1[] = {
    "CREATE TABLE rounds (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
    "CREATE TABLE hospitals (id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL,"
    "  id_source TEXT NOT NULL, first_seen TEXT NOT NULL)",
    "CREATE TABLE submissions (round TEXT NOT NULL, hospital_id TEXT NOT NULL, folder TEXT NOT NULL,"
    "  path TEXT NOT NULL, content_hash TEXT NOT NULL, ingested_at TEXT NOT NULL, run_id TEXT NOT NULL,"
    "  site_name TEXT NOT NULL, address TEXT NOT NULL, beds TEXT NOT NULL, contact TEXT NOT NULL,"
    "  survey_date TEXT NOT NULL, n_lines INTEGER NOT NULL, n_paths INTEGER NOT NULL,"
    "  n_devices INTEGER NOT NULL, n_findings INTEGER NOT NULL, n_errors INTEGER NOT NULL,"
    "  n_warnings INTEGER NOT NULL, n_services INTEGER NOT NULL,"
    "  PRIMARY KEY (round, hospital_id))",
    "CREATE INDEX submissions_folder ON submissions (round, folder)",
    "CREATE TABLE source_files (round TEXT NOT NULL, hospital_id TEXT NOT NULL, name TEXT NOT NULL,"
    "  kind TEXT NOT NULL, sha256 TEXT NOT NULL, bytes BIGINT NOT NULL,"
    "  PRIMARY KEY (round, hospital_id, name))",
    "CREATE TABLE lines (round TEXT NOT NULL, hospital_id TEXT NOT NULL, line_idx INTEGER NOT NULL,"
    "  line_id TEXT NOT NULL, line_no TEXT NOT NULL, carrier TEXT NOT NULL, service TEXT NOT NULL,"
    "  ctu_location TEXT NOT NULL, contract_holder TEXT NOT NULL,"
    "  PRIMARY KEY (round, hospital_id, line_idx))",
    "CREATE TABLE paths (round TEXT NOT NULL, hospital_id TEXT NOT NULL, path_idx INTEGER NOT NULL,"
    "  line_idx INTEGER NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL, row_no INTEGER NOT NULL,"
    "  comm_type TEXT NOT NULL, purpose TEXT NOT NULL, system TEXT NOT NULL, remote_party TEXT NOT NULL,"
    "  party_key TEXT NOT NULL, company TEXT NOT NULL, emr_link TEXT NOT NULL, global_ip TEXT NOT NULL,"
    "  ip_kind TEXT NOT NULL, fqdn TEXT NOT NULL, scan_scope TEXT NOT NULL, scan_reason TEXT NOT NULL,"
    "  scan_requested INTEGER NOT NULL, dev1_idx INTEGER, dev2_idx INTEGER,"
    "  PRIMARY KEY (round, hospital_id, path_idx))",
    "CREATE INDEX paths_company ON paths (round, company)",
    "CREATE TABLE devices (round TEXT NOT NULL, hospital_id TEXT NOT NULL, dev_idx INTEGER NOT NULL,"
    "  dev_id TEXT NOT NULL, type TEXT NOT NULL, maker TEXT NOT NULL, model TEXT NOT NULL,"
    "  firmware TEXT NOT NULL, hostname TEXT NOT NULL, mgmt_ip TEXT NOT NULL, location TEXT NOT NULL,"
    "  rental TEXT NOT NULL, verified INTEGER NOT NULL, source TEXT NOT NULL, line_no TEXT NOT NULL,"
    "  cves TEXT NOT NULL, PRIMARY KEY (round, hospital_id, dev_idx))",
    "CREATE TABLE parties (round TEXT NOT NULL, hospital_id TEXT NOT NULL, party_key TEXT NOT NULL,"
    "  name TEXT NOT NULL, company TEXT NOT NULL, maintenance INTEGER NOT NULL,"
    "  n_paths INTEGER NOT NULL, internet INTEGER NOT NULL, internet_vpn INTEGER NOT NULL,"
    "  closed INTEGER NOT NULL, phone INTEGER NOT NULL, emr INTEGER NOT NULL, isp INTEGER NOT NULL,"
    "  PRIMARY KEY (round, hospital_id, party_key))",
    "CREATE INDEX parties_company ON parties (round, company)",
    "CREATE TABLE findings (round TEXT NOT NULL, hospital_id TEXT NOT NULL, finding_idx INTEGER NOT NULL,"
    "  code TEXT NOT NULL, severity TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL,"
    "  row_no INTEGER NOT NULL, col TEXT NOT NULL, line_no TEXT NOT NULL, message TEXT NOT NULL,"
    "  PRIMARY KEY (round, hospital_id, finding_idx))",
    "CREATE TABLE scan_services (round TEXT NOT NULL, hospital_id TEXT NOT NULL, svc_idx INTEGER NOT NULL,"
    "  address TEXT NOT NULL, proto TEXT NOT NULL, port INTEGER NOT NULL, state TEXT NOT NULL,"
    "  name TEXT NOT NULL, product TEXT NOT NULL, version TEXT NOT NULL, file TEXT NOT NULL,"
    "  severity TEXT NOT NULL, declared INTEGER NOT NULL, PRIMARY KEY (round, hospital_id, svc_idx))",
    "CREATE TABLE discovery (round TEXT NOT NULL, hospital_id TEXT NOT NULL, dev_idx INTEGER NOT NULL,"
    "  disc_id TEXT NOT NULL, source TEXT NOT NULL, addresses TEXT NOT NULL,"
    "  PRIMARY KEY (round, hospital_id, dev_idx))",
    "CREATE TABLE failures (round TEXT NOT NULL, folder TEXT NOT NULL, path TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL, file TEXT NOT NULL, message TEXT NOT NULL, run_id TEXT NOT NULL,"
    "  at TEXT NOT NULL, PRIMARY KEY (round, folder))",
    "CREATE TABLE ingest_runs (id TEXT PRIMARY KEY, round TEXT NOT NULL, started_at TEXT NOT NULL,"
    "  finished_at TEXT, host TEXT NOT NULL, jobs INTEGER NOT NULL, status TEXT NOT NULL,"
    "  n_folders INTEGER NOT NULL, n_ingested INTEGER NOT NULL, n_unchanged INTEGER NOT NULL,"
    "  n_failed INTEGER NOT NULL)",
    "CREATE TABLE ingest_errors (run_id TEXT NOT NULL, folder TEXT NOT NULL, file TEXT NOT NULL,"
    "  message TEXT NOT NULL, PRIMARY KEY (run_id, folder))",
    "CREATE TABLE advisory_evals (id TEXT PRIMARY KEY, evaluated_at TEXT NOT NULL,"
    "  data_sha256 TEXT NOT NULL, n_advisories INTEGER NOT NULL, n_devices INTEGER NOT NULL,"
    "  n_hits INTEGER NOT NULL, n_new INTEGER NOT NULL)",
    "CREATE TABLE advisory_hits (eval_id TEXT NOT NULL, round TEXT NOT NULL, hospital_id TEXT NOT NULL,"
    "  dev_idx INTEGER NOT NULL, cve TEXT NOT NULL, maker TEXT NOT NULL, model TEXT NOT NULL,"
    "  firmware TEXT NOT NULL, fixed TEXT NOT NULL, url TEXT NOT NULL, is_new INTEGER NOT NULL,"
    "  PRIMARY KEY (eval_id, hospital_id, dev_idx, cve))",
    NULL,
};

/* 2: a folder's earlier hospital is found by the folder's path */
static const char *const migration_2[] = {
    "CREATE INDEX submissions_path ON submissions (round, path)",
    NULL,
};

static const char *const *const migrations[] = {migration_1, migration_2};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int em_fleet_schema_version(void) { return N_MIGRATIONS; }

/* One attempt: read the version, apply what is missing, each step in a transaction.
 * Two processes migrating at once: the loser's CREATE/INSERT conflicts and it retries. */
static int migrate_once(struct em_db *db, struct em_err *err)
{
    int rc = em_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err);
    if (rc != 0) return rc;
    for (;;) {
        long long v = 0;
        if ((rc = em_db_query_int(db, &v, err, "SELECT MAX(version) FROM schema_version", NULL)) < 0) return rc;
        if (v > N_MIGRATIONS)
            { em_err_set(err, EM_ERR_FORMAT, "", "", 0, "",
                              em_tr("データベースのスキーマ版 %lld はこの edgemap（%d まで対応）より新しいものです",
                                    "the store's schema version %lld is newer than this edgemap knows (up to %d)"),
                              v, N_MIGRATIONS); return EM_DB_ERROR; }
        if (v == N_MIGRATIONS) return EM_DB_DONE;
        if ((rc = em_db_begin(db, err)) != 0) return rc;
        char ver[24];
        snprintf(ver, sizeof ver, "%lld", v + 1);
        long long again = 0;
        rc = em_db_query_int(db, &again, err, "SELECT COUNT(*) FROM schema_version WHERE version = ?", ver, NULL);
        for (size_t k = 0; rc >= 0 && again == 0 && migrations[v][k]; k++) rc = em_db_exec(db, migrations[v][k], err);
        if (rc >= 0 && again == 0) rc = em_db_run(db, err, "INSERT INTO schema_version (version) VALUES (?)", ver, NULL);
        if (rc < 0) {
            em_db_rollback(db);
            return rc;
        }
        if ((rc = em_db_commit(db, err)) != 0) return rc;
    }
}

int em_fleet_migrate(struct em_db *db, struct em_err *err)
{
    int rc = EM_DB_ERROR;
    for (int attempt = 0; attempt < 8; attempt++) {
        struct em_err e = {0};
        rc = migrate_once(db, &e);
        if (rc >= 0) return 0;
        /* a concurrent migration (duplicate table / type) shows as an error here: retry
         * a few times, then report the last one */
        *err = e;
    }
    return rc;
}
