/* db.c — the backend-neutral half of the store interface: picks SQLite or PostgreSQL
 * by the URL, forwards to the backend's table, and the one-shot query helpers. */
#include "fleet/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct em_db *em_db_open(const char *url, struct em_err *err)
{
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return em_db_pg_open(url, err);
    return em_db_sqlite_open(url, err);
}

void em_db_close(struct em_db *db)
{
    if (db) db->ops->close(db);
}

const char *em_db_kind(const struct em_db *db) { return db->ops->kind; }

int em_db_exec(struct em_db *db, const char *sql, struct em_err *err) { return db->ops->exec(db, sql, err); }

struct em_db_stmt *em_db_prepare(struct em_db *db, const char *sql, struct em_err *err)
{
    return db->ops->prepare(db, sql, err);
}

int em_db_bind_text(struct em_db_stmt *st, int i, const char *v) { return st->db->ops->bind_text(st, i, v); }
int em_db_bind_int(struct em_db_stmt *st, int i, long long v) { return st->db->ops->bind_int(st, i, v); }
int em_db_step(struct em_db_stmt *st, struct em_err *err) { return st->db->ops->step(st, err); }
const char *em_db_col_text(struct em_db_stmt *st, int c) { return st->db->ops->col_text(st, c); }
long long em_db_col_int(struct em_db_stmt *st, int c) { return st->db->ops->col_int(st, c); }
void em_db_reset(struct em_db_stmt *st) { st->db->ops->reset(st); }

void em_db_finalize(struct em_db_stmt *st)
{
    if (st) st->db->ops->finalize(st);
}

int em_db_begin(struct em_db *db, struct em_err *err)
{
    /* SQLite: take the write lock at once, so two writers wait on the busy timeout
     * instead of failing when a read lock would have to be upgraded */
    int rc = em_db_exec(db, strcmp(db->ops->kind, "sqlite") == 0 ? "BEGIN IMMEDIATE" : "BEGIN", err);
    if (rc == 0) db->in_tx = true;
    return rc;
}

int em_db_commit(struct em_db *db, struct em_err *err)
{
    int rc = em_db_exec(db, "COMMIT", err);
    if (rc != 0) em_db_rollback(db);
    db->in_tx = false;
    return rc;
}

void em_db_rollback(struct em_db *db)
{
    struct em_err e = {0};
    em_db_exec(db, "ROLLBACK", &e);
    db->in_tx = false;
}

/* Prepares sql and binds the NULL-terminated text arguments of ap. */
static struct em_db_stmt *prep_va(struct em_db *db, struct em_err *err, const char *sql, va_list ap)
{
    struct em_db_stmt *st = em_db_prepare(db, sql, err);
    if (!st) return NULL;
    const char *v;
    for (int i = 1; i <= 32 && (v = va_arg(ap, const char *)) != NULL; i++) {
        /* "\x01" marks an explicit SQL NULL among the text arguments */
        if (em_db_bind_text(st, i, strcmp(v, "\x01") == 0 ? NULL : v) != 0) {
            em_db_finalize(st);
            em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory");
            return NULL;
        }
    }
    return st;
}

int em_db_run(struct em_db *db, struct em_err *err, const char *sql, ...)
{
    va_list ap;
    va_start(ap, sql);
    struct em_db_stmt *st = prep_va(db, err, sql, ap);
    va_end(ap);
    if (!st) return EM_DB_ERROR;
    int rc;
    while ((rc = em_db_step(st, err)) == EM_DB_ROW) {}
    em_db_finalize(st);
    return rc;
}

int em_db_query_int(struct em_db *db, long long *out, struct em_err *err, const char *sql, ...)
{
    va_list ap;
    va_start(ap, sql);
    struct em_db_stmt *st = prep_va(db, err, sql, ap);
    va_end(ap);
    if (!st) return EM_DB_ERROR;
    int rc = em_db_step(st, err);
    if (rc == EM_DB_ROW) {
        *out = em_db_col_int(st, 0);
        while ((rc = em_db_step(st, err)) == EM_DB_ROW) {}
    }
    em_db_finalize(st);
    return rc;
}

int em_db_query_text(struct em_db *db, char *buf, size_t size, struct em_err *err, const char *sql, ...)
{
    va_list ap;
    va_start(ap, sql);
    struct em_db_stmt *st = prep_va(db, err, sql, ap);
    va_end(ap);
    if (!st) return EM_DB_ERROR;
    int rc = em_db_step(st, err);
    if (rc == EM_DB_ROW) {
        const char *v = em_db_col_text(st, 0);
        snprintf(buf, size, "%s", v ? v : "");
        while ((rc = em_db_step(st, err)) == EM_DB_ROW) {}
    }
    em_db_finalize(st);
    return rc;
}
