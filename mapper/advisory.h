/* advisory.h — known-vulnerable firmware (H-VULN-FIRMWARE): a curated table of vendor
 * advisories (data/firmware-advisories.tsv), maker aliases, and the parsing of firmware
 * versions as vendors and hospitals write them. The table is UTF-8, or CP932 as Excel
 * saves it (mapper/textenc.h). */
#ifndef EM_ADVISORY_H
#define EM_ADVISORY_H
#include <stddef.h>

#include "mapper/err.h"

/* One advisory row; every string and array is owned by the set it came from. */
struct em_advisory {
    const char *maker;          /* canonical maker: "Fortinet", "YAMAHA", ... */
    const char *model_pattern;  /* glob(s) as written in the data file, alternatives
                                   separated by '|': "FortiGate*|FG*"; compared
                                   case-insensitively ignoring spaces and hyphens */
    const char **cves; size_t n_cves;
    const char *fixed;          /* human text of fixed versions, e.g. "6.0.5 / 5.6.8 / 5.4.13" */
    const char *url;            /* vendor advisory URL */
    const char *summary;        /* one line, English */
    const char *affected;       /* affected ranges as written in the data file */
    long row;                   /* line of the data file (for messages) */
};

struct em_advisories;

/* Reads the advisory table. Returns a new set (caller frees with em_advisories_free()),
 * or NULL with err filled (file, row and column named) when the file cannot be read or a
 * row is malformed. The file format is described in data/README.md. */
struct em_advisories *em_advisories_load(const char *path, struct em_err *err);
/* Frees the set and every string it owns. NULL is a no-op. */
void em_advisories_free(struct em_advisories *a);

/* Number of advisory rows in the set (0 for NULL). */
size_t em_advisories_count(const struct em_advisories *a);

/* All advisories whose maker, model and affected version ranges match. maker may be
 * NULL or blank, or a carrier/reseller listed in the [resellers] section (rented
 * equipment often names NTT東日本 as maker): the model alone decides then.
 * A maker that is given must be the advisory's maker after em_maker_canonical().
 * Returns the number of matches (may exceed max; at most max pointers are written to
 * out, which may be NULL when max is 0). Blank model or unparseable firmware: 0.
 * The pointers are owned by a. */
size_t em_advisories_match(const struct em_advisories *a, const char *maker, const char *model,
                           const char *firmware, const struct em_advisory **out, size_t max);

/* Parses a firmware version as vendors write it into up to 4 numeric parts:
 * "FortiOS 6.0.4", "v6.0.4,build0231 (GA)", "6.0.4", "Rev.15.02.09", "Rev15.02.09",
 * "15.02.09", full-width "６．０．４", Pulse "9.0R3.4" (9,0,3,4), Cisco "17.9.4a"
 * (a trailing single letter is one more part: a=1, b=2 ...).
 * Only a dotted number counts ("6.0.4", not "build0231" or "60F").
 * Returns the number of parts (0 = not a version); parts beyond the count are set to 0. */
int em_version_parse(const char *text, int parts[4]);
/* Compares two parsed versions; missing parts count as 0. <0, 0, >0 like strcmp. */
int em_version_cmp(const int a[4], int na, const int b[4], int nb);

/* Canonical maker for an alias ("ヤマハ", "Yamaha", "ヤマハ株式会社" -> "YAMAHA"), from the
 * [aliases] section of the data file; compared ignoring case, width, spaces and company
 * suffixes (株式会社, Inc., Corporation ...). Unknown makers (and a NULL set) are
 * returned unchanged. The result is owned by a, or is maker itself. */
const char *em_maker_canonical(const struct em_advisories *a, const char *maker);

/* Normalises a model name for comparison into buf: full-width ASCII folded, ASCII
 * lower-cased, spaces, hyphens, underscores and long-vowel/dash marks removed
 * ("FortiGate-60F" and "ＦｏｒｔｉＧａｔｅ 60F" both give "fortigate60f").
 * Always NUL-terminates (truncates to size-1). Returns buf. */
char *em_model_normalise(const char *model, char *buf, size_t size);

#endif
