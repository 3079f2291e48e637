/* drawio.h — node positions read back from a draw.io (diagrams.net) file the user
 * edited: what `--layout FILE.drawio` gives the next render. Implemented by drawio.c
 * (libxml2's streaming reader; mapper/ is libxml2's home). */
#ifndef EM_DRAWIO_H
#define EM_DRAWIO_H
#include <stddef.h>

#include "mapper/err.h"

/* Caps on a file we did not write ourselves. */
#define EM_DRAWIO_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define EM_DRAWIO_MAX_CELLS 200000
#define EM_DRAWIO_MAX_DEPTH 64

/* One shape of the file: its cell id (for a node edgemap wrote, the node's id in every
 * output, e.g. "line-3", "dev-3-1"), its centre in absolute coordinates (points, origin
 * top left, y down: container offsets added) and its size. */
struct em_drawio_pos {
    char *id;
    double x, y, w, h;
};

/* Reads every vertex of the uncompressed draw.io file at path into *out (n entries,
 * em_drawio_free them). A compressed diagram, an XML error, an entity declaration or
 * a cap exceeded is an error naming the file and the line. Returns 0 or a negative
 * enum em_rc with err filled. */
int em_drawio_read(const char *path, struct em_drawio_pos **out, size_t *n, struct em_err *err);

/* The same on data[0..len) already read (path names it in messages). */
int em_drawio_read_mem(const char *path, const char *data, size_t len, struct em_drawio_pos **out, size_t *n,
                       struct em_err *err);

void em_drawio_free(struct em_drawio_pos *p, size_t n);

#endif
