/* xlsx_feed.c — inflating a sheet's zip entry in a second thread, a bounded ring of
 * chunks ahead of the SAX2 parser (xlsx_sheet.c). The thread touches only the part's zip
 * entry and read counters, never libxml2 or the handle. Interface: xlsx_int.h. */
#include "mapper/xlsx_int.h"

#include <stdlib.h>
#include <string.h>

/* One chunk from the zip entry, with the DOCTYPE sniffing; -1 on any error. */
static int feed_read(struct part *p, char *buf, size_t size)
{
    int n = em_xl_part_raw_read(p, buf, size);
    if (n > 0 && p->prolog != PRO_DONE) em_xl_sniff_prolog(p, buf, (size_t)n);
    return p->ioerr ? -1 : n;
}

/* The inflating thread: fills free slots of the ring until the end, an error or quit. */
static void *feed_main(void *arg)
{
    struct feeder *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (f->count == FEED_SLOTS && !f->quit) pthread_cond_wait(&f->room, &f->mu);
        bool quit = f->quit;
        unsigned slot = (f->head + f->count) % FEED_SLOTS;
        pthread_mutex_unlock(&f->mu);
        if (quit) break;
        /* buf[slot] is not visible to the parser until count grows */
        int n = feed_read(f->p, f->buf[slot], f->size);
        pthread_mutex_lock(&f->mu);
        f->len[slot] = n;
        f->count++;
        pthread_cond_signal(&f->ready);
        pthread_mutex_unlock(&f->mu);
        if (n <= 0) break;
    }
    return NULL;
}

/* Returns 0 or -1 (out of memory). */
int em_xl_feed_start(struct feeder *f, struct part *p, size_t size)
{
    memset(f, 0, sizeof *f);
    f->p = p;
    f->size = size;
    for (int i = 0; i < FEED_SLOTS; i++) {
        f->buf[i] = malloc(size);
        if (!f->buf[i]) {
            for (int k = 0; k < i; k++) free(f->buf[k]);
            return -1;
        }
    }
#ifdef EM_XLSX_NO_FEED_THREAD  /* defined only to measure the thread's worth */
    goto sync;
#endif
    if (pthread_mutex_init(&f->mu, NULL) != 0) goto sync;
    if (pthread_cond_init(&f->ready, NULL) != 0) {
        pthread_mutex_destroy(&f->mu);
        goto sync;
    }
    if (pthread_cond_init(&f->room, NULL) != 0) {
        pthread_cond_destroy(&f->ready);
        pthread_mutex_destroy(&f->mu);
        goto sync;
    }
    if (pthread_create(&f->th, NULL, feed_main, f) != 0) {
        pthread_cond_destroy(&f->room);
        pthread_cond_destroy(&f->ready);
        pthread_mutex_destroy(&f->mu);
        goto sync;
    }
    f->threaded = true;
    return 0;
sync:
    f->threaded = false;
    return 0;
}

/* The next chunk (*data valid until the next call): its length, 0 at the end, -1 on
 * an error. Not to be called again after 0 or -1. */
int em_xl_feed_get(struct feeder *f, const char **data)
{
    if (!f->threaded) {
        *data = f->buf[0];
        return feed_read(f->p, f->buf[0], f->size);
    }
    pthread_mutex_lock(&f->mu);
    if (f->held) {
        f->head = (f->head + 1) % FEED_SLOTS;
        f->count--;
        f->held = false;
        pthread_cond_signal(&f->room);
    }
    while (f->count == 0) pthread_cond_wait(&f->ready, &f->mu);
    f->held = true;
    *data = f->buf[f->head];
    int n = f->len[f->head];
    pthread_mutex_unlock(&f->mu);
    return n;
}

/* Stops and joins the thread (after this the part's fields are the caller's again)
 * and frees the chunks. */
void em_xl_feed_stop(struct feeder *f)
{
    if (f->threaded) {
        pthread_mutex_lock(&f->mu);
        f->quit = true;
        pthread_cond_signal(&f->room);
        pthread_mutex_unlock(&f->mu);
        pthread_join(f->th, NULL);
        pthread_cond_destroy(&f->room);
        pthread_cond_destroy(&f->ready);
        pthread_mutex_destroy(&f->mu);
        f->threaded = false;
    }
    for (int i = 0; i < FEED_SLOTS; i++) free(f->buf[i]);
}
