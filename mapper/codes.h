/* codes.h — the finding codes of records.md "Rules and finding codes", defined once:
 * code, severity, scope (what a finding of it is about), and the check in Japanese and
 * English. Rules add findings through em_model_add() so a code's severity lives here
 * and nowhere else; codes whose severity depends on the case (H-OPEN-SERVICE by port,
 * H-UNDOCUMENTED-PATH by address) use em_model_add_finding() with em_code()->code.
 * tests/unit/mapper_codes.c holds this table and records.md's to each other. */
#ifndef EM_CODES_H
#define EM_CODES_H
#include <stdbool.h>
#include <stddef.h>

#include "mapper/model.h"

enum em_code {
    EM_E_COMM_TYPE, EM_E_IP_KIND_MISSING, EM_E_FIXED_IP_MISSING, EM_E_IP_SYNTAX,
    EM_E_IP_NOT_GLOBAL, EM_E_DEV2_TYPE, EM_E_LINE_CONFLICT, EM_E_DEVICE_CONFLICT,
    EM_W_SURVEY_DATE, EM_W_EMR_UNKNOWN, EM_W_GLOBAL_IP_EXPECTED, EM_W_NOT_NEEDED,
    EM_W_PROVIDER_MISSING, EM_W_FQDN_SYNTAX, EM_W_DYNAMIC_IP, EM_W_FIRMWARE_UNVERIFIED,
    EM_W_TERMINAL, EM_H_VULN_FIRMWARE, EM_H_UNDOCUMENTED_PATH, EM_H_UNVERIFIED_LINE,
    EM_H_OPEN_SERVICE, EM_H_UNDECLARED_REACHABLE,
    EM_W_ACCEPT_STALE,   /* not a records rule: the --accept file (mapper/accept.c) */
    EM_CODE_COUNT
};

enum em_code_scope {
    EM_SCOPE_ROW,       /* one row of the records sheet */
    EM_SCOPE_LINE,      /* rows of one line (in one file or several) */
    EM_SCOPE_DEVICE,    /* a declared device */
    EM_SCOPE_SITE,      /* the survey as a whole (基本情報記入シート) */
    EM_SCOPE_TERMINAL,  /* a surveyed terminal */
    EM_SCOPE_DISCOVERY, /* discovery (DISC.json) against the records */
    EM_SCOPE_SCAN,      /* a scan file against the records */
    EM_SCOPE_ACCEPT,    /* an entry of the accepted-findings file (--accept) */
};

struct em_code_def {
    const char *code;             /* "E-COMM-TYPE" */
    enum em_severity severity;    /* records.md's severity (the usual one when it varies) */
    enum em_code_scope scope;
    const char *check_ja, *check_en;
    bool records_md;              /* listed in records.md's table (else a tool code, guide) */
};

/* The definition of a code; c must be < EM_CODE_COUNT. Static storage. */
const struct em_code_def *em_code(enum em_code c);
/* The definition of a code by name, or NULL when no such code exists. */
const struct em_code_def *em_code_find(const char *code);
/* "row", "line", ... (for JSON and tests). */
const char *em_code_scope_name(enum em_code_scope s);

/* em_model_add_finding() with the code's name and severity from the table. */
int em_model_add(struct em_model *m, enum em_code c, const struct em_src *src, const char *column,
                 const char *line_no, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
