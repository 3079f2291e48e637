/* accept.h — accepted findings (--accept FILE): the survey team's list of findings it
 * has accepted, with reasons. Accepted findings stay in the model and every output,
 * marked 承認済み, but em_model_count() no longer counts them (exit status). An entry
 * that matches no finding becomes a W-ACCEPT-STALE warning.
 *
 * File: TSV, UTF-8 (BOM allowed) or CP932 as Excel saves "テキスト (タブ区切り)"; CRLF or
 * LF; first non-comment line the header  code	line_no	row	reason	accepted_by	date;
 * lines starting with # are comments, blank lines are skipped; a blank line_no or row
 * matches any; fields may be quoted as Excel quotes them, and a quoted field may span
 * lines (a cell with a line break); a quote never closed is an error. */
#ifndef EM_ACCEPT_H
#define EM_ACCEPT_H
#include <stddef.h>

#include "mapper/err.h"
#include "mapper/model.h"

#define EM_ACCEPT_MAX_BYTES (4 * 1024 * 1024)
#define EM_ACCEPT_MAX_ENTRIES 100000

struct em_accept;

/* Reads and checks the accept file. Returns NULL with err filled (file, row = line
 * of the file, column = the field name, message) when it cannot be read or a line is
 * wrong. Caller frees with em_accept_free(). */
struct em_accept *em_accept_load(const char *path, struct em_err *err);
void em_accept_free(struct em_accept *a);   /* NULL is a no-op */

/* Number of entries read. */
size_t em_accept_count(const struct em_accept *a);

/* Marks every finding of m that an entry matches (code equal, line_no and row equal
 * when given) with the entry's acceptance (strings copied into m's pool), then adds a
 * W-ACCEPT-STALE warning for each entry that matched nothing. Call after every
 * finding is in (after em_model_finish, discovery and scans), before sorting. Returns
 * 0 or EM_ERR_NOMEM with err filled. */
int em_accept_apply(struct em_model *m, const struct em_accept *a, struct em_err *err);

#endif
