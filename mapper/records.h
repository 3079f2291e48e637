/* records.h — survey records (workbook or CSV) into the model: header matching,
 * value normalisation, lines/paths/devices, scan scope, and the record rules. */
#ifndef EM_RECORDS_H
#define EM_RECORDS_H

#include "mapper/err.h"
#include "mapper/model.h"

/* Reads one records file (.xlsx or .csv, by content, not only extension) into m and
 * runs the per-file rules (findings go into m->findings). Call it once per file, then
 * em_model_finish(). Returns 0, or a negative enum em_rc with err filled when the file
 * cannot be read at all (the model may then hold part of it and should be dropped). */
int em_records_load(struct em_model *m, const char *path, struct em_err *err);

/* The cap on records read from a pipe or /dev/stdin (read whole, once): an xlsx or CSV
 * past it is refused with a message naming the limit. */
#define EM_RECORDS_STREAM_MAX ((size_t)64 * 1024 * 1024)

/* As em_records_load, from data[0..len) already read (name: the file name for
 * messages and the model's sources). The caller keeps data. */
int em_records_load_mem(struct em_model *m, const char *name, const char *data, size_t len,
                        struct em_err *err);

/* After all files: builds segments, outside networks, edges, runs the model-wide
 * rules (firmware advisories, terminals), and sorts findings. data_dir is where
 * firmware advisories and end-of-support dates live; the caller decides it (the CLI's
 * search order is in cmd/common.c) and NULL is an error: mapper never guesses where
 * its data is. Returns 0, or a negative enum em_rc with err filled (e.g. a
 * broken data file). */
int em_model_finish(struct em_model *m, const char *data_dir, struct em_err *err);


#endif
