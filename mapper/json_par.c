/* json_par.c — the two-thread array formatter of json_par.h. The calling thread owns
 * the output; the second thread formats the odd chunks into slots of memory, and only
 * touches the output while the calling thread waits for exactly that chunk (a chunk
 * grown past EM_JPAR_CAP). Chunk c lives in slot (c / 2) % EM_JPAR_SLOTS, reused only
 * once the chunk before it in that slot is out. */
#include "mapper/json_par.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    char *buf;          /* malloc'd, grown up to EM_JPAR_CAP */
    size_t len, cap;
    size_t chunk;       /* the chunk in it (SIZE_MAX: none yet) */
    bool done;          /* the second thread finished that chunk */
    bool direct;        /* it grew past the cap: written to the output as it came */
};

struct jpar {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct em_wbuf *out;
    size_t n, chunk, n_chunks;
    size_t head;        /* every chunk before it is in the output */
    em_jpar_fmt fmt;
    void *ctx;
    struct slot slots[EM_JPAR_SLOTS];
    struct slot *cur;   /* the second thread's chunk, for its sink */
    size_t cur_chunk;
    bool failed;        /* the second thread lost bytes (allocation) */
};

/* The second thread's wbuf flushes here: into the chunk's slot, or, once the chunk is
 * over the cap, into the output as soon as every chunk before it is out. */
static int sink(void *ctx, const char *p, size_t n)
{
    struct jpar *j = ctx;
    struct slot *s = j->cur;
    if (!s->direct && s->len + n > EM_JPAR_CAP) {
        pthread_mutex_lock(&j->mu);
        while (j->head != j->cur_chunk) pthread_cond_wait(&j->cv, &j->mu);
        pthread_mutex_unlock(&j->mu);
        /* the calling thread now waits for this chunk and leaves the output to us */
        s->direct = true;
        em_wbuf_write(j->out, s->buf, s->len);
        s->len = 0;
    }
    if (s->direct) {
        em_wbuf_write(j->out, p, n);
        return 0;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 64 * 1024;
        while (cap < s->len + n) cap *= 2;
        if (cap > EM_JPAR_CAP) cap = EM_JPAR_CAP;
        char *nb = realloc(s->buf, cap);
        if (!nb) return -1;
        s->buf = nb;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

/* The elements [*from, *to) of chunk c. */
static void chunk_range(const struct jpar *j, size_t c, size_t *from, size_t *to)
{
    *from = c * j->chunk;
    *to = *from + j->chunk < j->n ? *from + j->chunk : j->n;
}

/* The second thread: the odd chunks, in order, each into its slot. */
static void *worker(void *arg)
{
    struct jpar *j = arg;
    struct em_wbuf *wb = malloc(sizeof *wb);
    for (size_t c = 1; c < j->n_chunks; c += 2) {
        struct slot *s = &j->slots[(c / 2) % EM_JPAR_SLOTS];
        pthread_mutex_lock(&j->mu);
        while (c >= j->head + 2 * EM_JPAR_SLOTS) pthread_cond_wait(&j->cv, &j->mu);
        s->chunk = c;
        s->done = false;
        s->direct = false;
        s->len = 0;
        j->cur = s;
        j->cur_chunk = c;
        pthread_mutex_unlock(&j->mu);
        bool lost = true;
        if (wb) {
            em_wbuf_init_sink(wb, sink, j);
            size_t from, to;
            chunk_range(j, c, &from, &to);
            j->fmt(j->ctx, 1, wb, from, to);
            lost = em_wbuf_flush(wb) != 0;
        }
        pthread_mutex_lock(&j->mu);
        if (lost) j->failed = true;
        s->done = true;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    }
    free(wb);
    return NULL;
}

/* Says every chunk before c is out. */
static void set_head(struct jpar *j, size_t c)
{
    pthread_mutex_lock(&j->mu);
    j->head = c;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

int em_jpar_run(struct em_wbuf *out, size_t n, size_t chunk, em_jpar_fmt fmt, void *ctx)
{
    if (chunk == 0) chunk = 1;
    struct jpar j = {.out = out, .n = n, .chunk = chunk, .n_chunks = (n + chunk - 1) / chunk, .fmt = fmt, .ctx = ctx};
    for (size_t i = 0; i < EM_JPAR_SLOTS; i++) j.slots[i].chunk = SIZE_MAX;
    if (pthread_mutex_init(&j.mu, NULL) != 0) return -1;
    if (pthread_cond_init(&j.cv, NULL) != 0) {
        pthread_mutex_destroy(&j.mu);
        return -1;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, worker, &j) != 0) {
        pthread_cond_destroy(&j.cv);
        pthread_mutex_destroy(&j.mu);
        return -1;
    }
    for (size_t c = 0; c < j.n_chunks; c++) {
        set_head(&j, c);
        if (c % 2 == 0) {   /* ours: straight into the output */
            size_t from, to;
            chunk_range(&j, c, &from, &to);
            fmt(ctx, 0, out, from, to);
            continue;
        }
        struct slot *s = &j.slots[(c / 2) % EM_JPAR_SLOTS];
        pthread_mutex_lock(&j.mu);
        while (!(s->chunk == c && s->done)) pthread_cond_wait(&j.cv, &j.mu);
        pthread_mutex_unlock(&j.mu);
        if (!s->direct) em_wbuf_write(out, s->buf, s->len);
    }
    pthread_join(t, NULL);
    pthread_cond_destroy(&j.cv);
    pthread_mutex_destroy(&j.mu);
    for (size_t i = 0; i < EM_JPAR_SLOTS; i++) free(j.slots[i].buf);
    if (j.failed) out->err = 1;
    return 0;
}
