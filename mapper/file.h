/* file.h — reading a whole input file (scan results, discovery results) with a size
 * cap and a message that says which input it was. */
#ifndef EM_FILE_H
#define EM_FILE_H
#include <stddef.h>

#include "mapper/err.h"

/* Reads the regular file at path, at most max bytes. what names its role in messages,
 * already localised (e.g. em_tr("スキャン結果", "scan result")). Returns a malloc'd buffer,
 * NUL-terminated after *len bytes (caller frees), or NULL with err filled
 * (EM_ERR_IO, EM_ERR_LIMIT or EM_ERR_NOMEM). */
char *em_file_read(const char *path, size_t max, const char *what, size_t *len, struct em_err *err);

#endif
