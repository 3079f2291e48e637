/* json_par.h — a big array of the model JSON formatted by two threads (mapper/json.c):
 * the array's elements are cut into chunks; the calling thread formats the even chunks
 * straight into the output, a second thread the odd ones into memory, which the calling
 * thread writes out in order. The bytes are the same as one thread's, whatever the
 * chunking. Memory is bounded: at most EM_JPAR_SLOTS chunks wait in memory, each up to
 * EM_JPAR_CAP bytes; a chunk that grows past that is written by the second thread
 * itself once every chunk before it is out. Implemented in json_par.c. */
#ifndef EM_JSON_PAR_H
#define EM_JSON_PAR_H
#include <stddef.h>

#include "mapper/wbuf.h"

#define EM_JPAR_SLOTS 2
#define EM_JPAR_CAP (1024u * 1024u)

/* Formats elements [from, to) of the array into b, with the writer state of `thread`
 * (0: the calling thread, 1: the second one; each thread has its own, so nothing the
 * formatter touches is shared but read-only data). */
typedef void (*em_jpar_fmt)(void *ctx, int thread, struct em_wbuf *b, size_t from, size_t to);

/* Formats the n elements of an array in chunks of `chunk` elements, as described above,
 * into out. Returns 0 when done (write and allocation failures are left in out->err),
 * or -1 when the second thread could not be started: then nothing was written and the
 * caller formats the array alone. */
int em_jpar_run(struct em_wbuf *out, size_t n, size_t chunk, em_jpar_fmt fmt, void *ctx);

/* A big array is formatted by two threads when it has at least this many chunks (a
 * survey of a few hundred rows and more; a hospital's usual few dozen stay on one). */
#define EM_JSON_PAR_MIN_CHUNKS 4

/* For tests and measurements (json.c): a big array is formatted by two threads when it
 * has at least min_chunks chunks (SIZE_MAX: never; the default EM_JSON_PAR_MIN_CHUNKS),
 * its chunks chunk_div times smaller than the default (1). Not to be called while a
 * model is being written. */
void em_json_par_set(size_t min_chunks, size_t chunk_div);

#endif
