/* diff.h — what changed between two surveys of one hospital: lines, paths, devices
 * and findings added, removed or changed. Both sides are model JSON (schema
 * edgemap/1), either read from a file or made from records by the caller. */
#ifndef EM_DIFF_H
#define EM_DIFF_H
#include <stddef.h>

#include "mapper/err.h"

enum em_diff_op { EM_DIFF_ADDED, EM_DIFF_REMOVED, EM_DIFF_CHANGED };

struct em_change {
    const char *kind;   /* "site", "line", "path", "device", "finding", "target" (a scan
                         * target entering / leaving the list: key "<line No> <address>") */
    enum em_diff_op op;
    const char *key;    /* e.g. "3" (line No), "3/internet" (path), "dev-3-2", "H-VULN-FIRMWARE@3/列" */
    const char *label;  /* human label of the thing (line No, device model, finding message) */
    const char *field;  /* changed field ("" for added/removed) */
    const char *old_value, *new_value;  /* "" when absent; as a reader writes them, in the
                                         * chosen language (固定IP, not "fixed") */
};

struct em_diff {
    struct em_change *changes;
    size_t n;
    void *priv;         /* owns the strings */
};

/* Compares two model JSON texts. Returns a new diff (free with em_diff_free()) or NULL
 * with err filled (old_name/new_name name the inputs in messages). */
struct em_diff *em_diff_models(const char *old_json, const char *old_name, const char *new_json,
                               const char *new_name, struct em_err *err);
void em_diff_free(struct em_diff *d);   /* NULL is a no-op */

/* Localised names of fields and operations for the text report. */
const char *em_diff_op_label(enum em_diff_op op);
const char *em_diff_field_label(const char *field);

#endif
