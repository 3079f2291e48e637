/* db_sqlite.c — the store on an SQLite file: WAL journal (readers never block the one
 * writer), a busy timeout so two processes on one file wait instead of failing, and
 * constraint / busy errors reported as EM_DB_CONFLICT for the caller to retry. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/db.h"
#include "mapper/lang.h"

struct sdb { struct em_db base; sqlite3 *h; };
struct sst { struct em_db_stmt base; sqlite3_stmt *s; bool started; };

static int fail(sqlite3 *h, int rc, struct em_err *err, const char *what)
{
    int ext = sqlite3_extended_errcode(h);
    em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("SQLite のエラー: %s: %s", "SQLite: %s: %s"), what, sqlite3_errmsg(h));
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED || ext == SQLITE_CONSTRAINT_UNIQUE ||
        ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return EM_DB_CONFLICT;
    return EM_DB_ERROR;
}

static void s_close(struct em_db *db)
{
    struct sdb *d = (struct sdb *)db;
    sqlite3_close_v2(d->h);
    free(d);
}

static int s_exec(struct em_db *db, const char *sql, struct em_err *err)
{
    struct sdb *d = (struct sdb *)db;
    int rc = sqlite3_exec(d->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? EM_DB_DONE : fail(d->h, rc, err, sql);
}

static const struct em_db_ops sqlite_ops;

static struct em_db_stmt *s_prepare(struct em_db *db, const char *sql, struct em_err *err)
{
    struct sdb *d = (struct sdb *)db;
    struct sst *st = calloc(1, sizeof *st);
    if (!st) {
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory");
        return NULL;
    }
    int rc = sqlite3_prepare_v2(d->h, sql, -1, &st->s, NULL);
    if (rc != SQLITE_OK) {
        fail(d->h, rc, err, sql);
        free(st);
        return NULL;
    }
    st->base.db = db;
    return &st->base;
}

static int s_bind_text(struct em_db_stmt *s, int i, const char *v)
{
    struct sst *st = (struct sst *)s;
    int rc = v ? sqlite3_bind_text(st->s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->s, i);
    return rc == SQLITE_OK ? 0 : -1;
}

static int s_bind_int(struct em_db_stmt *s, int i, long long v)
{
    struct sst *st = (struct sst *)s;
    return sqlite3_bind_int64(st->s, i, v) == SQLITE_OK ? 0 : -1;
}

static int s_step(struct em_db_stmt *s, struct em_err *err)
{
    struct sst *st = (struct sst *)s;
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW) return EM_DB_ROW;
    if (rc == SQLITE_DONE) return EM_DB_DONE;
    return fail(((struct sdb *)s->db)->h, rc, err, sqlite3_sql(st->s));
}

static const char *s_col_text(struct em_db_stmt *s, int c)
{
    return (const char *)sqlite3_column_text(((struct sst *)s)->s, c);
}

static long long s_col_int(struct em_db_stmt *s, int c) { return sqlite3_column_int64(((struct sst *)s)->s, c); }

static void s_reset(struct em_db_stmt *s)
{
    struct sst *st = (struct sst *)s;
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
}

static void s_finalize(struct em_db_stmt *s)
{
    struct sst *st = (struct sst *)s;
    sqlite3_finalize(st->s);
    free(st);
}

static const struct em_db_ops sqlite_ops = {
    "sqlite", s_close, s_exec, s_prepare, s_bind_text, s_bind_int, s_step, s_col_text, s_col_int, s_reset, s_finalize,
};

struct em_db *em_db_sqlite_open(const char *path, struct em_err *err)
{
    struct sdb *d = calloc(1, sizeof *d);
    if (!d) {
        em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory");
        return NULL;
    }
    d->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        em_err_set(err, EM_ERR_IO, path, "", 0, "", "SQLite: %s", d->h ? sqlite3_errmsg(d->h) : em_tr("開けません", "cannot open"));
        sqlite3_close_v2(d->h);
        free(d);
        return NULL;
    }
    sqlite3_busy_timeout(d->h, 60000);
    /* WAL + synchronous=NORMAL: a committed hospital survives a killed process (the
     * WAL is replayed on open); only an OS crash may lose the last commits. */
    struct em_err e = {0};
    if (s_exec(&d->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;"
                        " PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536", &e) != 0) {
        em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s", e.msg);
        s_close(&d->base);
        return NULL;
    }
    return &d->base;
}
