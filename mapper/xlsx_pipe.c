/* xlsx_pipe.c — em_xlsx_read_sheet: the checks, the merged ranges, then the sheet pass
 * (xlsx_sheet.c) in the calling thread or split over two threads: a worker runs the
 * parse (the inflating thread, SAX2, cells, merged ranges) and copies each finished row
 * into a batch; the calling thread takes the batches from a bounded queue and hands
 * their rows to the caller's callback, in order. The callback, its context and the
 * caller's error record stay in the calling thread; the worker has its own error
 * record, merged at the end. Interface: mapper/xlsx.h, xlsx_int.h (em_xl_pipe_run);
 * design: docs/design-xlsx.md, "Two threads for the rows". */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t em_xl_pipe_rows = PIPE_ROWS;
/* the test hook's mode (em_xlsx_test_pipe below): 0 default, 1 one thread, 2 the worker,
 * 3 the worker's path as when pthread_create fails */
static int pipe_mode;

/* A batch text block starts at this size; one grown past PIPE_KEEP_BYTES (a row with
 * much text) is freed when the batch is reused, so idle batches stay small. */
#define PIPE_TEXT0 (16u * 1024u)
#define PIPE_KEEP_BYTES (1u * MiB)
/* cells per row a new batch has room for (a survey row has about 26) */
#define PIPE_CELLS0 32

/* One row of a batch: its cells are cells[first .. first + n). */
struct prow {
    long row;
    size_t first, n;
};

/* Rows copied out of the sheet pass. Cell texts point into text (never moved once a
 * row is in: a row that does not fit starts the next batch), into the handle's
 * shared-string table, or at the previous cell's copy. */
struct pbatch {
    struct pbatch *next;        /* free list */
    struct prow *rows;
    size_t nrows, caprows;
    struct em_cell *cells;
    size_t ncells, capcells;
    char *text;
    size_t tlen, tcap;
};

struct pipe {
    struct em_xlsx *x;
    const struct xl_sheet *s;
    struct part *p;
    long max_rows;
    size_t batch_rows;
    /* the worker's own */
    struct pbatch *cur;         /* being filled */
    struct em_err werr;         /* read by the caller's thread only after the join */
    int wrc;                    /* ditto */
    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t ready, room;
    struct pbatch *slot[PIPE_SLOTS];
    unsigned head, count;
    size_t queued;              /* text bytes of the queued batches */
    struct pbatch *free;
    bool done;                  /* the worker has posted its last batch */
    atomic_bool quit;           /* the caller wants no more rows (also read per row) */
};

/* Frees a batch and what it holds (NULL: nothing). */
static void batch_free(struct pbatch *b)
{
    if (!b) return;
    free(b->rows);
    free(b->cells);
    free(b->text);
    free(b);
}

/* An empty batch: one from the free list, or a new one. NULL when out of memory. */
static struct pbatch *batch_take(struct pipe *q)
{
    pthread_mutex_lock(&q->mu);
    struct pbatch *b = q->free;
    if (b) q->free = b->next;
    pthread_mutex_unlock(&q->mu);
    if (!b) b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->next = NULL;
    b->nrows = b->ncells = b->tlen = 0;
    return b;
}

/* Gives a delivered batch back to the worker (a big text block is dropped). */
static void batch_give(struct pipe *q, struct pbatch *b)
{
    if (b->tcap > PIPE_KEEP_BYTES) {
        free(b->text);
        b->text = NULL;
        b->tcap = 0;
    }
    pthread_mutex_lock(&q->mu);
    b->next = q->free;
    q->free = b;
    pthread_mutex_unlock(&q->mu);
}

/* Queues the worker's current batch, waiting while the queue is full (PIPE_SLOTS
 * batches, or PIPE_BYTES of text and at least one batch). 0, or -1 when the caller
 * has quit (the batch stays the worker's). */
static int batch_post(struct pipe *q)
{
    struct pbatch *b = q->cur;
    pthread_mutex_lock(&q->mu);
    while ((q->count == PIPE_SLOTS || (q->count > 0 && q->queued + b->tlen > PIPE_BYTES)) &&
           !atomic_load(&q->quit))
        pthread_cond_wait(&q->room, &q->mu);
    if (atomic_load(&q->quit)) {
        pthread_mutex_unlock(&q->mu);
        return -1;
    }
    q->slot[(q->head + q->count) % PIPE_SLOTS] = b;
    q->count++;
    q->queued += b->tlen;
    q->cur = NULL;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* Whether text t lies in the handle's shared-string table (which does not change
 * while a sheet is read): such cells keep their pointer. */
static bool in_sst(const struct em_xlsx *x, const char *t)
{
    return x->ss && (uintptr_t)t - (uintptr_t)x->ss < x->ss_len;
}

/* Bytes of text row needs in a batch: each text outside the shared strings, with its
 * NUL, once per run of cells sharing it (a merged range across columns). */
static size_t row_text_bytes(const struct pipe *q, const struct em_row *row)
{
    size_t need = 0;
    for (size_t k = 0; k < row->n; k++) {
        const char *t = row->cells[k].text;
        if (in_sst(q->x, t) || (k > 0 && t == row->cells[k - 1].text)) continue;
        need += row->cells[k].len + 1;
    }
    return need;
}

/* The worker's row callback (the em_row_fn of its em_xl_sheet_pass): copies row into
 * the current batch, queueing the batch first when it is full or the row's text does
 * not fit. 0, 1 when the caller has quit (the pass stops), or rc < 0 (out of memory,
 * err filled). */
static int pipe_push(void *ctx, const struct em_row *row, struct em_err *err)
{
    struct pipe *q = ctx;
    if (atomic_load_explicit(&q->quit, memory_order_relaxed)) return 1;
    size_t need = row_text_bytes(q, row);
    struct pbatch *b = q->cur;
    if (b && b->nrows > 0 && (b->nrows >= q->batch_rows || need > b->tcap - b->tlen)) {
        if (batch_post(q) != 0) return 1;
        b = NULL;
    }
    if (!b) b = q->cur = batch_take(q);
    if (!b) return em_xl_nomem(q->x, q->s->name, err);
    /* the text block grows only while the batch is empty (a row that does not fit
     * starts a new batch above): no pointer into it yet */
    size_t want = b->tlen + need < PIPE_TEXT0 ? PIPE_TEXT0 : b->tlen + need;
    if (em_xl_grow((void **)&b->text, &b->tcap, want, 1) != 0 ||
        em_xl_grow((void **)&b->rows, &b->caprows, b->nrows + 1, sizeof *b->rows) != 0 ||
        em_xl_grow((void **)&b->cells, &b->capcells, b->ncells + row->n, sizeof *b->cells) != 0)
        return em_xl_nomem(q->x, q->s->name, err);
    struct em_cell *out = b->cells + b->ncells;
    for (size_t k = 0; k < row->n; k++) {
        const struct em_cell *c = &row->cells[k];
        out[k] = *c;
        if (in_sst(q->x, c->text)) continue;
        if (k > 0 && c->text == row->cells[k - 1].text) {
            out[k].text = out[k - 1].text;
            continue;
        }
        char *t = b->text + b->tlen;
        memcpy(t, c->text, c->len);
        t[c->len] = '\0';
        b->tlen += c->len + 1;
        out[k].text = t;
    }
    b->rows[b->nrows++] = (struct prow){row->row, b->ncells, row->n};
    b->ncells += row->n;
    return 0;
}

/* libxml2's generic errors in the worker: silent (the structured handler and the
 * parser's serror record them on the part, as in the calling thread). */
static void pipe_gerror(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* The worker: the sheet pass into batches, then its last batch and the result. */
static void *pipe_main(void *arg)
{
    struct pipe *q = arg;
    /* libxml2's error handlers are per thread: the same routing as em_xl_part_open_zip
     * set up in the calling thread */
    xmlSetStructuredErrorFunc(q->p, em_xl_part_serror);
    xmlSetGenericErrorFunc(q->p, pipe_gerror);
    int rc = em_xl_sheet_pass(q->x, q->s, q->p, q->max_rows, pipe_push, q, &q->werr);
    if (q->cur && q->cur->nrows > 0) batch_post(q);
    pthread_mutex_lock(&q->mu);
    q->wrc = rc;
    q->done = true;
    pthread_cond_signal(&q->ready);
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Hands the rows of batch b to fn in order, as deliver() in xlsx_sheet.c does. 0, or
 * fn's stop (1) or error (rc < 0, err worded when fn left it empty). */
static int deliver_batch(struct pipe *q, const struct pbatch *b, em_row_fn fn, void *ctx,
                         struct em_err *err)
{
    for (size_t i = 0; i < b->nrows; i++) {
        const struct prow *r = &b->rows[i];
        struct em_row row = {r->row, b->cells + r->first, r->n, q->x->date1904};
        int rc = fn(ctx, &row, err);
        if (rc < 0) {
            if (err && err->rc == 0)
                em_err_set(err, rc, q->x->name, q->s->name, r->row, NULL, "%s",
                           em_tr("行の処理に失敗しました", "processing the row failed"));
            return rc;
        }
        if (rc > 0) return 1;
    }
    return 0;
}

/* Tells the worker to stop (it sees quit at its next row or while waiting for room). */
static void pipe_quit(struct pipe *q)
{
    pthread_mutex_lock(&q->mu);
    atomic_store(&q->quit, true);
    pthread_cond_signal(&q->room);
    pthread_mutex_unlock(&q->mu);
}

/* The calling thread's side: batches in order until the worker is done or fn stops. */
static int pipe_consume(struct pipe *q, em_row_fn fn, void *ctx, struct em_err *err)
{
    struct pbatch *b = NULL;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (q->count == 0 && !q->done) pthread_cond_wait(&q->ready, &q->mu);
        if (q->count == 0) {
            pthread_mutex_unlock(&q->mu);
            return 0;
        }
        b = q->slot[q->head];
        q->head = (q->head + 1) % PIPE_SLOTS;
        q->count--;
        q->queued -= b->tlen;
        pthread_cond_signal(&q->room);
        pthread_mutex_unlock(&q->mu);
        int rc = deliver_batch(q, b, fn, ctx, err);
        batch_give(q, b);
        if (rc != 0) {
            pipe_quit(q);
            return rc;
        }
    }
}

/* Frees the batches left after the join (queued, current, free list). */
static void pipe_free(struct pipe *q)
{
    while (q->count > 0) {
        batch_free(q->slot[q->head]);
        q->head = (q->head + 1) % PIPE_SLOTS;
        q->count--;
    }
    batch_free(q->cur);
    while (q->free) {
        struct pbatch *b = q->free;
        q->free = b->next;
        batch_free(b);
    }
}

int em_xl_pipe_run(struct em_xlsx *x, const struct xl_sheet *s, struct part *p, long max_rows,
                   em_row_fn fn, void *ctx, struct em_err *err)
{
    struct pipe *q = calloc(1, sizeof *q);
    if (!q) return em_xl_sheet_pass(x, s, p, max_rows, fn, ctx, err);
    q->x = x;
    q->s = s;
    q->p = p;
    q->max_rows = max_rows;
    q->batch_rows = em_xl_pipe_rows ? em_xl_pipe_rows : PIPE_ROWS;
    atomic_init(&q->quit, false);
    em_err_clear(&q->werr);
    /* every batch the pipe can hold (the worker's, PIPE_SLOTS queued, the one being
     * delivered) is made here: memory of the calling thread's heap, which the caller
     * reuses after the read (a batch made by the worker would sit in the worker's) */
    for (int k = 0; k < PIPE_SLOTS + 2; k++) {
        struct pbatch *b = calloc(1, sizeof *b);
        if (!b) break;
        b->next = q->free;
        q->free = b;
        if (em_xl_grow((void **)&b->rows, &b->caprows, q->batch_rows, sizeof *b->rows) != 0 ||
            em_xl_grow((void **)&b->cells, &b->capcells, q->batch_rows * PIPE_CELLS0,
                       sizeof *b->cells) != 0 ||
            em_xl_grow((void **)&b->text, &b->tcap, PIPE_TEXT0, 1) != 0)
            break;  /* the worker grows what it needs, or says out of memory */
    }
    pthread_t th;
    bool mu = false, ready = false, room = false, started = false;
    mu = pthread_mutex_init(&q->mu, NULL) == 0;
    ready = mu && pthread_cond_init(&q->ready, NULL) == 0;
    room = ready && pthread_cond_init(&q->room, NULL) == 0;
    started = room && pipe_mode != 3 && pthread_create(&th, NULL, pipe_main, q) == 0;
    int rc;
    if (started) {
        rc = pipe_consume(q, fn, ctx, err);
        pthread_join(th, NULL);
        /* fn's stop or error wins; else the worker's result, its error record taken
         * as the synchronous pass would have written it (the first error wins) */
        if (rc == 0) {
            rc = q->wrc;
            if (q->werr.rc != 0 && err && err->rc == 0) *err = q->werr;
        }
    } else {
        rc = em_xl_sheet_pass(x, s, p, max_rows, fn, ctx, err);
    }
    if (room) pthread_cond_destroy(&q->room);
    if (ready) pthread_cond_destroy(&q->ready);
    if (mu) pthread_mutex_destroy(&q->mu);
    pipe_free(q);
    free(q);
    return rc;
}

/* Test hook, declared by the tests (tests/unit/mapper_xlsx.c) and tests/tools/xlsx_dump.c
 * (env EM_XLSX_PIPE): mode 1 reads every sheet in the calling thread, 2 every sheet
 * through the parsing thread (em_xl_pipe_run) even when the default would not, 3 every
 * sheet through em_xl_pipe_run as if the thread could not be created (the fallback), 0
 * the default; rows > 0 sets the rows per batch of the parsing thread (0: the default). */
void em_xlsx_test_pipe(int mode, size_t rows);
void em_xlsx_test_pipe(int mode, size_t rows)
{
    pipe_mode = mode;
    em_xl_pipe_rows = rows ? rows : PIPE_ROWS;
}

/* Whether the rows of part p go through the parsing thread: a whole sheet (max_rows 0)
 * of at least PIPE_MIN_BYTES of XML. A probe of the first rows (header search: 20,
 * site sheet: 200) and a small sheet are read in this thread: the thread would have
 * little to overlap. */
static bool use_pipe(const struct part *p, long max_rows)
{
    if (pipe_mode != 0) return pipe_mode >= 2;
    return max_rows == 0 && p->size >= PIPE_MIN_BYTES;
}

int em_xlsx_read_sheet(struct em_xlsx *x, size_t i, long max_rows, em_row_fn fn,
                       void *ctx, struct em_err *err)
{
    if (!x || !fn || i >= x->nsheets)
        return em_err_set(err, EM_ERR_USAGE, x ? x->name : "", NULL, 0, NULL, "%s",
                          em_tr("シートの指定が正しくありません", "no such sheet"));
    const struct xl_sheet *s = &x->sheets[i];
    if (!s->part && s->outside) return em_xl_outside_error(x, s->name, s->outside, err);
    if (!s->part)
        return em_err_set(err, EM_ERR_FORMAT, x->name, s->name, 0, NULL, "%s",
                          em_tr("シートの中身がブックの中に見つかりません（関連付けがありません）",
                             "the sheet's contents are missing from the workbook (no relationship)"));
    if (x->reading)
        return em_err_set(err, EM_ERR_USAGE, x->name, s->name, 0, NULL, "%s",
                          em_tr("シートの読み込み中に別のシートは読めません",
                             "a sheet cannot be read from inside another sheet's row callback"));
    int rc;
    if (!x->merges_valid || x->merges_sheet != i) {
        rc = em_xl_read_merges(x, i, err);
        if (rc < 0) return rc;
    }
    struct part p;
    rc = em_xl_part_open_zip(&p, x, s->part, s->name, err);  /* read_rows runs the parser */
    if (rc == 1)
        return em_err_set(err, EM_ERR_FORMAT, x->name, s->name, 0, NULL,
                          em_tr("シートの中身（%s）がブックの中に見つかりません",
                             "the sheet's contents (%s) are missing from the workbook"), s->part);
    if (rc < 0) return rc;
    x->reading = true;
    if (use_pipe(&p, max_rows)) rc = em_xl_pipe_run(x, s, &p, max_rows, fn, ctx, err);
    else rc = em_xl_sheet_pass(x, s, &p, max_rows, fn, ctx, err);
    x->reading = false;
    em_xl_part_close(&p);
    return rc;
}
