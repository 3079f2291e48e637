/* about.h — what produced an output: edgemap's version, the versions and dates of the
 * data it read (advisories, end of support) and the versions of the libraries at run
 * time. cmd/ fills the list once per run (each module adds its own libraries: see
 * em_mapper_about, em_render_about, em_snmp_about); the model JSON ("generator"), the
 * HTML report footer and the PDF metadata print it, so every report says what made it. */
#ifndef EM_ABOUT_H
#define EM_ABOUT_H
#include <stddef.h>

enum em_about_kind { EM_ABOUT_PROGRAM, EM_ABOUT_DATA, EM_ABOUT_LIBRARY };

struct em_about_item {
    enum em_about_kind kind;
    char name[48];      /* "edgemap", "firmware-advisories.tsv", "libxml2" */
    char version[64];   /* "0.3-12-gabc1234", "2026.11.1", "2.9.14"; "" if unknown */
    char date[16];      /* data: YYYY-MM-DD of the data version, else "" */
};

/* Adds one entry (copied, truncated to the field sizes); an entry of the same name
 * is replaced. At most 32 entries; more are ignored. */
void em_about_add(enum em_about_kind kind, const char *name, const char *version, const char *date);

/* The entries in the order added; valid until the next em_about_add/em_about_clear. */
size_t em_about_count(void);
const struct em_about_item *em_about_item(size_t i);
void em_about_clear(void);

/* One line for a report footer or a PDF creator field, e.g.
 * "edgemap 0.3 (firmware-advisories.tsv 2026.11.1 2026-11-25, os-eos.tsv …; libxml2 2.9.14, …)"
 * into buf (always NUL-terminated). Empty when nothing was added. */
void em_about_line(char *buf, size_t size);

/* Reads the data version of a data/ TSV file from its header comments
 * ("# data-version: V" and "# data-date: YYYY-MM-DD" within the first 40 lines) into
 * version/date (set to "" when absent). Returns 0, or -1 when the file cannot be read. */
int em_about_data_file(const char *path, char *version, size_t vsize, char *date, size_t dsize);

/* Adds mapper's libraries (libxml2, libzip, GLib, json-c) at their run-time versions. */
void em_mapper_about(void);

#endif
