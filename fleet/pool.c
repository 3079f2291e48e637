/* pool.c — long-lived worker processes fed over pipes. The parent forks them once
 * (after its own initialisation, so every worker inherits loaded fonts, plugins and
 * data), hands out one job at a time to whichever worker is idle, and reads replies
 * with poll(). A frame is a 4-byte length and the bytes. A worker that dies or
 * overruns its per-job deadline is replaced; its job is answered as failed. When the
 * parent dies (even by SIGKILL) the workers read EOF and exit. */
#include "fleet/fleet.h"
#include "mapper/lang.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_FRAME (512u << 20)

int em_fbuf_add(struct em_fbuf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int em_fbuf_str(struct em_fbuf *b, const char *s) { return em_fbuf_add(b, s, strlen(s)); }

int em_fbuf_printf(struct em_fbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    if ((size_t)n < sizeof small) return em_fbuf_add(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = em_fbuf_add(b, big, (size_t)n);
    free(big);
    return rc;
}

void em_fbuf_free(struct em_fbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *p, size_t n)
{
    char *s = p;
    while (n) {
        ssize_t r = read(fd, s, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        s += r;
        n -= (size_t)r;
    }
    return 0;
}

static int send_frame(int fd, const void *p, size_t n)
{
    uint32_t len = (uint32_t)n;
    return write_all(fd, &len, 4) || write_all(fd, p, n) ? -1 : 0;
}

/* Reads a frame into b (replacing its content). -1 on EOF or error. */
static int recv_frame(int fd, struct em_fbuf *b)
{
    uint32_t len;
    if (read_all(fd, &len, 4) != 0 || len > MAX_FRAME) return -1;
    b->len = 0;
    if (em_fbuf_add(b, NULL, 0) != 0) return -1;
    if (b->cap < (size_t)len + 1) {
        char *d = realloc(b->data, (size_t)len + 1);
        if (!d) return -1;
        b->data = d;
        b->cap = (size_t)len + 1;
    }
    if (read_all(fd, b->data, len) != 0) return -1;
    b->len = len;
    b->data[len] = '\0';
    return 0;
}

struct worker { pid_t pid; int to, from; long job; };
struct em_fleet_pool {
    int n;
    struct worker w[64];
    em_fleet_work_fn fn;
    void *ctx;
    unsigned timeout;
};

static void worker_main(struct em_fleet_pool *p, int in, int out)
{
    struct em_fbuf job = {0}, reply = {0};
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_IGN);   /* Ctrl-C stops the parent; workers finish on EOF */
    while (recv_frame(in, &job) == 0) {
        reply.len = 0;
        em_fbuf_add(&reply, NULL, 0);
        if (p->timeout) alarm(p->timeout);
        p->fn(p->ctx, job.data, job.len, &reply);
        alarm(0);
        if (send_frame(out, reply.data, reply.len) != 0) break;
    }
    _exit(0);
}

static int spawn(struct em_fleet_pool *p, int i, struct em_err *err)
{
    int a[2], b[2];
    if (pipe(a) != 0) return em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("パイプを作れません: %s", "pipe: %s"), strerror(errno));
    if (pipe(b) != 0) {
        close(a[0]);
        close(a[1]);
        return em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("パイプを作れません: %s", "pipe: %s"), strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(a[0]), close(a[1]), close(b[0]), close(b[1]);
        return em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("プロセスを作れません: %s", "fork: %s"), strerror(errno));
    }
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        for (int k = 0; k < p->n; k++)   /* the other workers' pipes are not ours */
            if (k != i && p->w[k].pid > 0) close(p->w[k].to), close(p->w[k].from);
        worker_main(p, a[0], b[1]);
    }
    close(a[0]);
    close(b[1]);
    p->w[i] = (struct worker){pid, a[1], b[0], -1};
    return 0;
}

struct em_fleet_pool *em_fleet_pool_new(int n, em_fleet_work_fn fn, void *ctx, unsigned job_timeout_s,
                                        struct em_err *err)
{
    if (n < 1 || n > 64) {
        em_err_set(err, EM_ERR_USAGE, "", "", 0, "", "%s", em_tr("--jobs は 1 から 64 です", "--jobs must be 1..64"));
        return NULL;
    }
    struct em_fleet_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->fn = fn;
    p->ctx = ctx;
    p->timeout = job_timeout_s;
    signal(SIGPIPE, SIG_IGN);   /* a dead worker shows as a write error, not a signal */
    for (int i = 0; i < n; i++) {
        p->n = i;
        if (spawn(p, i, err) != 0) {
            p->n = i;
            em_fleet_pool_free(p);
            return NULL;
        }
    }
    p->n = n;
    return p;
}

/* Reaps a dead worker and says why it died ("signal 9", "exit 3"). */
static void reap(struct worker *w, char *why, size_t size)
{
    int status = 0;
    close(w->to);
    close(w->from);
    if (waitpid(w->pid, &status, 0) < 0) status = 0;
    if (WIFSIGNALED(status))
        snprintf(why, size, WTERMSIG(status) == SIGALRM ? "deadline (signal %d)" : "signal %d", WTERMSIG(status));
    else
        snprintf(why, size, "exit %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    w->pid = -1;
}

int em_fleet_pool_run(struct em_fleet_pool *p, const char *const *jobs, size_t n, em_fleet_done_fn done,
                      void *ctx, struct em_err *err)
{
    size_t next = 0, finished = 0;
    struct em_fbuf reply = {0};
    int rc = 0;
    while (finished < n && rc == 0) {
        for (int i = 0; i < p->n && next < n; i++) {
            if (p->w[i].job >= 0) continue;
            if (send_frame(p->w[i].to, jobs[next], strlen(jobs[next])) != 0) {
                char why[64];
                reap(&p->w[i], why, sizeof why);
                if ((rc = spawn(p, i, err)) != 0) break;
                continue;
            }
            p->w[i].job = (long)next++;
        }
        if (rc) break;
        struct pollfd fds[64];
        for (int i = 0; i < p->n; i++) fds[i] = (struct pollfd){p->w[i].job >= 0 ? p->w[i].from : -1, POLLIN, 0};
        int r = poll(fds, (nfds_t)p->n, -1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            rc = em_err_set(err, EM_ERR_IO, "", "", 0, "", em_tr("poll に失敗しました: %s", "poll: %s"), strerror(errno));
            break;
        }
        for (int i = 0; i < p->n && rc == 0; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            size_t job = (size_t)p->w[i].job;
            p->w[i].job = -1;
            finished++;
            if (recv_frame(p->w[i].from, &reply) == 0) {
                rc = done(ctx, job, reply.data, reply.len, "");
            } else {
                char why[64];
                reap(&p->w[i], why, sizeof why);
                rc = done(ctx, job, "", 0, why);
                if (rc == 0) rc = spawn(p, i, err);
            }
        }
    }
    em_fbuf_free(&reply);
    return rc;
}

void em_fleet_pool_free(struct em_fleet_pool *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++) {
        if (p->w[i].pid <= 0) continue;
        close(p->w[i].to);   /* EOF: the worker exits */
        close(p->w[i].from);
    }
    for (int i = 0; i < p->n; i++)
        if (p->w[i].pid > 0) waitpid(p->w[i].pid, NULL, 0);
    free(p);
}
