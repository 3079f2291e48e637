/* textenc.h — the encoding of a text file people edit by hand (the data tables under
 * --data): UTF-8 as written, or CP932 as Excel saves "テキスト (タブ区切り)". */
#ifndef EM_TEXTENC_H
#define EM_TEXTENC_H
#include <stddef.h>

#include "mapper/err.h"

/* Takes text (malloc'd, len bytes, NUL-terminated at len, no NUL inside) read from
 * path. Returns it unchanged when it is valid UTF-8; else its conversion from CP932 (a
 * new malloc'd, NUL-terminated string; text is freed); else NULL with err filled
 * (EM_ERR_FORMAT naming path and the line of the first byte that is neither, or
 * EM_ERR_NOMEM) and text freed. The caller frees the result with free(). */
char *em_text_utf8(char *text, size_t len, const char *path, struct em_err *err);

#endif
