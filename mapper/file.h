/* file.h — reading a whole input file (scan results, discovery results) with a size
 * cap and a message that says which input it was. */
#ifndef EM_FILE_H
#define EM_FILE_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/err.h"

/* Reads the file at path, at most max bytes: a regular file is refused by its size
 * before anything is read; a pipe, /dev/stdin or a device is read once, in chunks, and
 * refused one byte past max. what names its role in messages, already localised (e.g.
 * em_tr("スキャン結果", "scan result")). Returns a malloc'd buffer, NUL-terminated after
 * *len bytes (caller frees), or NULL with err filled (EM_ERR_IO, EM_ERR_LIMIT or
 * EM_ERR_NOMEM). */
char *em_file_read(const char *path, size_t max, const char *what, size_t *len, struct em_err *err);

/* True when path is something that can be read only once (a pipe, /dev/stdin, a
 * device): a reader that would open it twice (sniffing, then parsing) must read it
 * whole with em_file_read instead. */
bool em_file_is_stream(const char *path);

#endif
