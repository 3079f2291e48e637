/* db_pg.c — the store on a PostgreSQL server through libpq. The same SQL as SQLite:
 * '?' placeholders become $1..$n here. A statement runs unnamed the first time (one
 * round trip) and is prepared on the server when it runs again, so a per-row INSERT
 * costs one round trip. Rows come back in single-row mode, so a large SELECT never
 * sits in memory whole. Unique violations, serialization failures and deadlocks are
 * EM_DB_CONFLICT: the caller rolls back and retries. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/db.h"
#include "mapper/lang.h"

#define MAX_PARAMS 1024

struct pdb { struct em_db base; PGconn *c; unsigned next_name; };
struct pst {
    struct em_db_stmt base;
    char *sql;               /* with $n placeholders */
    int nparams;
    char *vals[MAX_PARAMS];
    char name[24];           /* server-side name once prepared, "" before */
    int runs;
    bool running;            /* results pending on the connection */
    PGresult *row;           /* the current single-row result */
};

static void nop_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int fail_res(PGresult *r, PGconn *c, struct em_err *err)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
    char m[900];
    snprintf(m, sizeof m, "%s", msg && *msg ? msg : PQerrorMessage(c));
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) m[--n] = '\0';
    em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("PostgreSQL のエラー: %s", "PostgreSQL: %s"), m);
    if (state && (strcmp(state, "23505") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        return EM_DB_CONFLICT;
    return EM_DB_ERROR;
}

static void p_close(struct em_db *db)
{
    struct pdb *d = (struct pdb *)db;
    PQfinish(d->c);
    free(d);
}

static int p_exec(struct em_db *db, const char *sql, struct em_err *err)
{
    struct pdb *d = (struct pdb *)db;
    PGresult *r = PQexec(d->c, sql);
    ExecStatusType s = PQresultStatus(r);
    int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? EM_DB_DONE : fail_res(r, d->c, err);
    PQclear(r);
    return rc;
}

/* '?' outside quotes becomes $n, '?N' becomes $N. Returns a malloc'd string, *n the count. */
static char *convert(const char *sql, int *n)
{
    size_t len = strlen(sql);
    char *out = malloc(len * 5 + 1);
    if (!out) return NULL;
    size_t o = 0;
    char q = 0;
    *n = 0;
    for (const char *s = sql; *s; s++) {
        if (q) {
            if (*s == q) q = 0;
            out[o++] = *s;
        } else if (*s == '\'' || *s == '"') {
            q = *s;
            out[o++] = *s;
        } else if (*s == '?' && s[1] >= '1' && s[1] <= '9') {   /* ?NNN: numbered, as SQLite */
            int k = 0;
            while (s[1] >= '0' && s[1] <= '9' && k < MAX_PARAMS) k = k * 10 + (*++s - '0');
            o += (size_t)snprintf(out + o, 6, "$%d", k);
            if (k > *n) *n = k;
        } else if (*s == '?' && *n < MAX_PARAMS) {
            o += (size_t)snprintf(out + o, 6, "$%d", ++*n);
        } else {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
    return out;
}

static struct em_db_stmt *p_prepare(struct em_db *db, const char *sql, struct em_err *err)
{
    struct pst *st = calloc(1, sizeof *st);
    if (st) st->sql = convert(sql, &st->nparams);
    if (!st || !st->sql) {
        free(st);
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory");
        return NULL;
    }
    st->base.db = db;
    return &st->base;
}

static int p_bind_text(struct em_db_stmt *s, int i, const char *v)
{
    struct pst *st = (struct pst *)s;
    if (i < 1 || i > st->nparams) return -1;
    free(st->vals[i - 1]);
    st->vals[i - 1] = NULL;
    if (v && !(st->vals[i - 1] = strdup(v))) return -1;
    return 0;
}

static int p_bind_int(struct em_db_stmt *s, int i, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    return p_bind_text(s, i, b);
}

/* Reads and drops every pending result of a running statement. */
static void drain(struct pst *st)
{
    PGconn *c = ((struct pdb *)st->base.db)->c;
    PQclear(st->row);
    st->row = NULL;
    if (!st->running) return;
    PGresult *r;
    while ((r = PQgetResult(c)) != NULL) PQclear(r);
    st->running = false;
}

static int p_step(struct em_db_stmt *s, struct em_err *err)
{
    struct pst *st = (struct pst *)s;
    struct pdb *d = (struct pdb *)s->db;
    PQclear(st->row);
    st->row = NULL;
    if (!st->running) {
        if (st->runs == 1 && !st->name[0]) {   /* second run: worth a server-side plan */
            char name[24];
            snprintf(name, sizeof name, "em%u", ++d->next_name);
            PGresult *r = PQprepare(d->c, name, st->sql, st->nparams, NULL);
            int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            int rc = ok ? 0 : fail_res(r, d->c, err);
            PQclear(r);
            if (!ok) return rc;
            memcpy(st->name, name, sizeof name);
        }
        const char *const *vals = (const char *const *)st->vals;
        int sent = st->name[0] ? PQsendQueryPrepared(d->c, st->name, st->nparams, vals, NULL, NULL, 0)
                               : PQsendQueryParams(d->c, st->sql, st->nparams, NULL, vals, NULL, NULL, 0);
        if (!sent) return fail_res(NULL, d->c, err);
        PQsetSingleRowMode(d->c);
        st->running = true;
        st->runs++;
    }
    PGresult *r = PQgetResult(d->c);
    ExecStatusType t = PQresultStatus(r);
    if (r && t == PGRES_SINGLE_TUPLE) {
        st->row = r;
        return EM_DB_ROW;
    }
    int rc = (!r || t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) ? EM_DB_DONE : fail_res(r, d->c, err);
    PQclear(r);
    drain(st);
    return rc;
}

static const char *p_col_text(struct em_db_stmt *s, int c)
{
    struct pst *st = (struct pst *)s;
    if (!st->row || c >= PQnfields(st->row) || PQgetisnull(st->row, 0, c)) return NULL;
    return PQgetvalue(st->row, 0, c);
}

static long long p_col_int(struct em_db_stmt *s, int c)
{
    const char *v = p_col_text(s, c);
    if (!v) return 0;
    if (strcmp(v, "t") == 0) return 1;
    return strtoll(v, NULL, 10);
}

static void p_reset(struct em_db_stmt *s)
{
    struct pst *st = (struct pst *)s;
    drain(st);
    for (int i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
    }
}

static void p_finalize(struct em_db_stmt *s)
{
    struct pst *st = (struct pst *)s;
    p_reset(s);
    if (st->name[0]) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
        PQclear(PQexec(((struct pdb *)s->db)->c, sql));
    }
    free(st->sql);
    free(st);
}

static const struct em_db_ops pg_ops = {
    "postgresql", p_close, p_exec, p_prepare, p_bind_text, p_bind_int, p_step, p_col_text, p_col_int, p_reset, p_finalize,
};

struct em_db *em_db_pg_open(const char *url, struct em_err *err)
{
    struct pdb *d = calloc(1, sizeof *d);
    if (!d) {
        em_err_set(err, EM_ERR_NOMEM, "", "", 0, "", "out of memory");
        return NULL;
    }
    d->base.ops = &pg_ops;
    d->c = PQconnectdb(url);
    if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
        /* the URL may hold a password: name only the server's answer, never the URL */
        char m[512];
        snprintf(m, sizeof m, "%s", d->c ? PQerrorMessage(d->c) : "out of memory");
        size_t n = strlen(m);
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) m[--n] = '\0';
        em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("PostgreSQL のエラー: %s", "PostgreSQL: %s"), m);
        PQfinish(d->c);
        free(d);
        return NULL;
    }
    PQsetNoticeProcessor(d->c, nop_notice, NULL);
    struct em_err e = {0};
    p_exec(&d->base, "SET client_min_messages = warning", &e);
    return &d->base;
}
