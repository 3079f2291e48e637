/* fleet_pool.c — the worker pool: every job answered once, in any order; a worker that
 * crashes or overruns its deadline is replaced and its job reported with why; large
 * replies cross the pipe whole. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet/fleet.h"
#include "tests/unit/t.h"

/* "echo X" replies X; "big N" replies N bytes; "crash" dies; "hang" sleeps past the deadline */
static int work(void *ctx, const char *job, size_t len, struct em_fbuf *reply)
{
    (void)ctx;
    (void)len;
    if (strncmp(job, "echo ", 5) == 0) return em_fbuf_str(reply, job + 5);
    if (strncmp(job, "big ", 4) == 0) {
        size_t n = strtoul(job + 4, NULL, 10);
        for (size_t i = 0; i < n; i++) em_fbuf_add(reply, "abcdefghij" + i % 10, 1);
        return 0;
    }
    if (strcmp(job, "crash") == 0) raise(SIGSEGV);
    if (strcmp(job, "hang") == 0) sleep(30);
    return 0;
}

struct seen { int n; int got[16]; char why[16][64]; size_t len[16]; char first[16][8]; };

static int done(void *ctx, size_t job, const char *reply, size_t len, const char *why)
{
    struct seen *s = ctx;
    s->n++;
    s->got[job]++;
    s->len[job] = len;
    snprintf(s->why[job], sizeof s->why[job], "%s", why);
    snprintf(s->first[job], sizeof s->first[job], "%.7s", reply);
    return 0;
}

static void t_all_answered(void)
{
    struct em_err err = {0};
    struct em_fleet_pool *p = em_fleet_pool_new(3, work, NULL, 0, &err);
    T_ASSERT(p);
    const char *jobs[] = {"echo a", "echo b", "big 3000000", "echo c", "echo d", "echo e", "echo f"};
    struct seen s = {0};
    T_EQ_INT(em_fleet_pool_run(p, jobs, 7, done, &s, &err), 0);
    T_EQ_INT(s.n, 7);
    for (int i = 0; i < 7; i++) T_EQ_INT(s.got[i], 1);
    T_EQ_STR(s.first[1], "b");
    T_EQ_INT(s.len[2], 3000000);
    /* the pool runs a second batch with the same workers */
    s = (struct seen){0};
    T_EQ_INT(em_fleet_pool_run(p, jobs, 2, done, &s, &err), 0);
    T_EQ_INT(s.n, 2);
    em_fleet_pool_free(p);
}

static void t_crash_and_deadline(void)
{
    struct em_err err = {0};
    struct em_fleet_pool *p = em_fleet_pool_new(2, work, NULL, 1, &err);
    T_ASSERT(p);
    const char *jobs[] = {"echo a", "crash", "echo b", "hang", "echo c", "crash", "echo d"};
    struct seen s = {0};
    T_EQ_INT(em_fleet_pool_run(p, jobs, 7, done, &s, &err), 0);
    T_EQ_INT(s.n, 7);
    T_ASSERT(s.why[1][0] != '\0');   /* "signal 11", or "exit 1" when ASan catches the crash */
    T_ASSERT(strstr(s.why[3], "deadline") != NULL);
    T_EQ_STR(s.why[6], "");
    T_EQ_STR(s.first[6], "d");   /* replaced workers go on working */
    em_fleet_pool_free(p);
}

static const struct t_case cases[] = {
    {"pool: every job answered once, large replies whole, workers reused", t_all_answered},
    {"pool: a crash and an overrun are reported and the worker replaced", t_crash_and_deadline},
};
T_MAIN(cases)
