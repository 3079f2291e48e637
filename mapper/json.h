/* json.h — the model as JSON (spec/cli.md "Model JSON", schema edgemap/1).
 * Stable keys, enums in English; extra keys may be added, listed keys never change. */
#ifndef EM_JSON_H
#define EM_JSON_H
#include <stdio.h>

#include "mapper/model.h"

/* A redaction hook: returns the text to write instead of a sensitive value (global
 * IP, FQDN, host name), or NULL to write the value itself. kind is "ip", "fqdn" or
 * "host". render/ passes its --redact map; check passes NULL. */
typedef const char *(*em_redact_fn)(void *ctx, const char *kind, const char *value);

/* Writes the model as pretty-printed UTF-8 JSON to f. Returns 0, or -1 on a write
 * or allocation failure. */
int em_model_write_json(FILE *f, const struct em_model *m, em_redact_fn redact, void *ctx);

/* The same into a malloc'd NUL-terminated string; caller frees. NULL on failure. */
char *em_model_json_string(const struct em_model *m, em_redact_fn redact, void *ctx);

#endif
