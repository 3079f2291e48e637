/* eos.h — operating-system end of support (for W-TERMINAL): a table of OS name
 * patterns and vendor end-of-support dates (data/os-eos.tsv), matched against OS
 * names as hospitals write them ("Windows10 Pro 22H2", "Win10", "Windows Server 2012 R2
 * Standard", full-width text). The table is UTF-8, or CP932 as Excel saves it
 * (mapper/textenc.h). */
#ifndef EM_EOS_H
#define EM_EOS_H

#include "mapper/err.h"

struct em_eos;

/* Reads the table. Returns a new table (caller frees with em_eos_free()), or NULL with
 * err filled (file, row, column named) when the file cannot be read or a row is
 * malformed. Format: data/README.md. */
struct em_eos *em_eos_load(const char *path, struct em_err *err);
/* Frees the table. NULL is a no-op. */
void em_eos_free(struct em_eos *e);

/* Looks os up. 1 = past end of support on date (YYYY-MM-DD; the end date itself is the
 * last supported day), with *product and *end_date (owned by e) filled;
 * 0 = supported on that date, or not known (no row matches, blank os, bad date).
 * product and end_date may be NULL. The most specific matching row wins (the one
 * naming most words: "Windows 10 Enterprise LTSC 2019" before plain "Windows 10"). */
int em_eos_check(const struct em_eos *e, const char *os, const char *date,
                 const char **product, const char **end_date);

/* Like em_eos_check() but tells what row matched whatever the date: 1 and *product,
 * *end_date filled when a row matches, 0 when none does. */
int em_eos_lookup(const struct em_eos *e, const char *os, const char **product,
                  const char **end_date);

#endif
