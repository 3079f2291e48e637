/* db.h — the store's tiny backend interface: one SQL text (portable, '?' placeholders)
 * runs on SQLite (a file path) or PostgreSQL (a postgresql:// URL). Only fleet/db_*.c
 * include sqlite3.h / libpq-fe.h; everything above sees these functions alone.
 *
 * A statement is prepared once, bound, stepped (rows come back as text or integers),
 * reset and stepped again. Failures return a negative enum em_db_rc and fill an
 * em_err; EM_DB_CONFLICT means "another writer got there first" (unique violation,
 * serialization failure, deadlock, busy): roll back and retry the transaction. */
#ifndef EM_FLEET_DB_H
#define EM_FLEET_DB_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"

enum em_db_rc { EM_DB_DONE = 0, EM_DB_ROW = 1, EM_DB_ERROR = -1, EM_DB_CONFLICT = -2 };

struct em_db;
struct em_db_stmt;

/* Opens the store: "postgresql://..." or "postgres://..." through libpq, anything else
 * as an SQLite file (created when missing; WAL journal). NULL with err filled on
 * failure. Caller closes with em_db_close(). */
struct em_db *em_db_open(const char *url, struct em_err *err);
/* Closes the connection and frees it. NULL is a no-op. */
void em_db_close(struct em_db *db);
/* "sqlite" or "postgresql". */
const char *em_db_kind(const struct em_db *db);

/* Runs SQL without parameters (several statements separated by ';' allowed).
 * Returns EM_DB_DONE or a negative em_db_rc with err filled. */
int em_db_exec(struct em_db *db, const char *sql, struct em_err *err);

/* Prepares one statement with '?' placeholders (not inside quotes). NULL with err
 * filled on failure. Caller frees with em_db_finalize(). */
struct em_db_stmt *em_db_prepare(struct em_db *db, const char *sql, struct em_err *err);
/* Binds parameter i (1-based); text is copied, NULL binds SQL NULL. 0 or -1. */
int em_db_bind_text(struct em_db_stmt *st, int i, const char *v);
int em_db_bind_int(struct em_db_stmt *st, int i, long long v);
/* Runs the statement (first call) or advances to the next row: EM_DB_ROW with a row
 * readable by em_db_col_*, EM_DB_DONE when finished, negative on failure. */
int em_db_step(struct em_db_stmt *st, struct em_err *err);
/* Column c (0-based) of the current row: text (NULL for SQL NULL; valid until the next
 * step/reset), integer (0 for NULL). */
const char *em_db_col_text(struct em_db_stmt *st, int c);
long long em_db_col_int(struct em_db_stmt *st, int c);
/* Makes the statement ready to run again; bindings are cleared. */
void em_db_reset(struct em_db_stmt *st);
/* Frees the statement. NULL is a no-op. */
void em_db_finalize(struct em_db_stmt *st);

/* Transactions. begin/commit return EM_DB_DONE or negative (commit may report
 * EM_DB_CONFLICT); rollback never fails visibly. */
int em_db_begin(struct em_db *db, struct em_err *err);
int em_db_commit(struct em_db *db, struct em_err *err);
void em_db_rollback(struct em_db *db);

/* One-shot helpers: run sql with text parameters (NULL-terminated list, at most 32);
 * em_db_query_int stores the first column of the first row in *out (unchanged if no
 * row) and em_db_query_text copies it into buf (""/untouched when none). */
int em_db_run(struct em_db *db, struct em_err *err, const char *sql, ...);
int em_db_query_int(struct em_db *db, long long *out, struct em_err *err, const char *sql, ...);
int em_db_query_text(struct em_db *db, char *buf, size_t size, struct em_err *err, const char *sql, ...);

/* ---- for the backends (db_sqlite.c, db_pg.c) ---- */
struct em_db_ops {
    const char *kind;
    void (*close)(struct em_db *db);
    int (*exec)(struct em_db *db, const char *sql, struct em_err *err);
    struct em_db_stmt *(*prepare)(struct em_db *db, const char *sql, struct em_err *err);
    int (*bind_text)(struct em_db_stmt *st, int i, const char *v);
    int (*bind_int)(struct em_db_stmt *st, int i, long long v);
    int (*step)(struct em_db_stmt *st, struct em_err *err);
    const char *(*col_text)(struct em_db_stmt *st, int c);
    long long (*col_int)(struct em_db_stmt *st, int c);
    void (*reset)(struct em_db_stmt *st);
    void (*finalize)(struct em_db_stmt *st);
};
struct em_db { const struct em_db_ops *ops; bool in_tx; };
struct em_db_stmt { struct em_db *db; };

struct em_db *em_db_sqlite_open(const char *path, struct em_err *err);
struct em_db *em_db_pg_open(const char *url, struct em_err *err);

#endif
