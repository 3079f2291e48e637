/* outset.h — the one output writer of the program: the files of one run, written as a
 * set (spec/cli.md). Every output goes to a short-named temp file in its target's
 * folder and is renamed into place only when every output of the run succeeded; on
 * any failure every temp is removed and every existing file is left as it was.
 *
 *   em_outset_new → em_outset_input (each input) → em_outset_add (each output, checked
 *   at once: missing folder, an input given as output) → em_outset_put / _open+_close
 *   (each content) → em_outset_commit → em_outset_free
 *
 * Target rules: a regular file (or a new name) is replaced by rename; a symlink to a
 * regular file replaces the file it points to, never the link; a device, FIFO or socket
 * (or a symlink to one: /dev/null, /dev/full, /dev/stdout) is written through at commit
 * time, before any rename, so its write error (ENOSPC of /dev/full) still cancels the
 * set. An output that is the same file (device and inode) as an input is refused. */
#ifndef EM_OUTSET_H
#define EM_OUTSET_H
#include <stddef.h>
#include <stdio.h>

#include "mapper/err.h"

struct em_outset;

/* A new empty set (caller frees with em_outset_free). NULL when out of memory. */
struct em_outset *em_outset_new(void);

/* Removes every temp not yet committed, frees everything. NULL is a no-op. */
void em_outset_free(struct em_outset *s);

/* Declares path an input of the run, so no output may be that file. A path that does
 * not exist (or is not a regular file: a pipe, /dev/stdin) is ignored. Returns 0. */
int em_outset_input(struct em_outset *s, const char *path);

/* Adds the output path (as the user gave it; messages use it) and checks it: its
 * folder exists, it is not a directory, not an input, not already in the set.
 * Returns the output's index (0, 1, …), or a negative enum em_rc with err filled. */
int em_outset_add(struct em_outset *s, const char *path, struct em_err *err);

size_t em_outset_count(const struct em_outset *s);
/* The path of output i as given to em_outset_add (owned by the set). */
const char *em_outset_path(const struct em_outset *s, size_t i);

/* Writes data[0..len) as the whole content of output i (into its temp, or kept in
 * memory for a written-through target). Returns 0 or a negative enum em_rc with err
 * filled (the path named). */
int em_outset_put(struct em_outset *s, size_t i, const void *data, size_t len, struct em_err *err);

/* Streaming form of em_outset_put: a stream for output i's content (owned by the set:
 * do not fclose it); em_outset_close finishes it and reports any write error. */
FILE *em_outset_open(struct em_outset *s, size_t i, struct em_err *err);
int em_outset_close(struct em_outset *s, size_t i, struct em_err *err);

/* For writers that only take a file name (libxlsxwriter): a fresh empty temp file for
 * output i's content (owned by the set; in the target's folder, or in $TMPDIR for a
 * written-through target). The writer fills it and closes it, then calls
 * em_outset_temp_done. Returns the temp's path, or NULL with err filled. */
const char *em_outset_temp(struct em_outset *s, size_t i, struct em_err *err);
int em_outset_temp_done(struct em_outset *s, size_t i, struct em_err *err);

/* Commits the set: every output must have been written. Writes the written-through
 * targets, then renames every temp into place. Returns 0, or a negative enum em_rc
 * with err filled; then no temp remains and no replaced file was touched. */
int em_outset_commit(struct em_outset *s, struct em_err *err);

#endif
