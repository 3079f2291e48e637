/* records_int.h — what records.c and rules.c share inside mapper/ (not public). */
#ifndef EM_RECORDS_INT_H
#define EM_RECORDS_INT_H
#include <stdbool.h>

#include "mapper/model.h"

/* Record fields, records.md "Columns". Device fields: 8 per group, in this order:
 * type, hostname, mgmt_ip, maker, model, rental, firmware, location. */
enum em_field {
    F_SECRET = -3,  /* a password column: never read */
    F_EXTRA = -2,   /* unknown column: kept as an extra attribute */
    F_NONE = -1,
    F_LINE_NO = 0, F_EMR_LINK, F_SCAN_REQUEST, F_PURPOSE, F_SYSTEM, F_REMOTE_PARTY,
    F_CONTRACT_HOLDER, F_CARRIER, F_SERVICE, F_COMM_TYPE, F_GLOBAL_IP_USE, F_IP_KIND,
    F_GLOBAL_IP, F_FQDN, F_PROVIDER_NAME, F_PROVIDER_PLAN, F_CTU_LOCATION, F_REMARKS,
    F_DEV1_TYPE, F_DEV1_HOSTNAME, F_DEV1_MGMT_IP, F_DEV1_MAKER, F_DEV1_MODEL, F_DEV1_RENTAL,
    F_DEV1_FIRMWARE, F_DEV1_LOCATION,
    F_DEV2_TYPE, F_DEV2_HOSTNAME, F_DEV2_MGMT_IP, F_DEV2_MAKER, F_DEV2_MODEL, F_DEV2_RENTAL,
    F_DEV2_FIRMWARE, F_DEV2_LOCATION,
    F_COUNT
};

/* ---- header.c: the records header's vocabulary and the column map ---- */

struct em_row;
struct em_colinfo {
    int field;                /* enum em_field, F_EXTRA or F_SECRET (or T_* on 調査端末) */
    const char *display;      /* header text as written (one line, pool) */
};
/* Which column holds which field: cols by column index (pool, n_cols of them), and per
 * field its first column (-1: absent) and header text ("" when absent). */
struct em_colmap {
    struct em_colinfo *cols;
    size_t n_cols;
    const char *field_display[F_COUNT];
    int field_col[F_COUNT];
};
/* No columns, every field absent. */
void em_colmap_reset(struct em_colmap *map);
/* Builds map from the header row (upper: texts by column, NULL for blanks) and, when
 * present, the row of device field names below it (lower, may be NULL); the column
 * array comes from pool. 0, or -1 on no memory (map then reset: no columns). */
int em_hdr_build_map(struct em_colmap *map, struct em_pool *pool, char *const *upper, size_t n_upper,
                     const struct em_row *lower);
/* compact: a compact key (em_norm_compact); name: a vocabulary literal. */
bool em_hdr_is(const char *compact, const char *name);
/* A password column or sheet (パスワード, password): never read. */
bool em_hdr_secret(const char *compact);
/* A device field name (装置の種類 … 設置場所, or its English key): 0..7, else -1. */
int em_hdr_dev_field(const char *compact);
/* Does any of the texts (NULL for blanks) hold a group label 装置① / 装置②? */
bool em_hdr_cells_have_group(char *const *cells, size_t n);
/* Does the row hold a cell equal to name (compared as compact keys)? */
bool em_hdr_row_has(const struct em_row *r, const char *name);
/* The row's text in column col, "" when the cell is absent. */
const char *em_row_text(const struct em_row *r, int col);

/* One row's values: normalised (NFKC, trimmed; "" when blank) and compact keys. */
struct rowvals {
    const char *val[F_COUNT];
    char compact[F_COUNT][128];
    bool verified[2];
};

/* What the per-row rules see. */
struct em_rowctx {
    struct em_model *m;
    struct em_path *path;
    struct em_line *line;
    const struct rowvals *v;
    const char *const *col;   /* header text as written per field ("" if absent) */
    bool new_line;            /* first row of its line */
};

/* Per-row rules (E-*, W-* of records.md that one row decides). 0 ok, -1 no memory. */
int em_rules_row(const struct em_rowctx *c);

/* Pull-down values (vocab.c): compact key in, parsed value out; unknown text is
 * UNSET / UNKNOWN / NONE (装置の種類: OTHER, blank: UNSET). */
enum em_comm_type em_rec_parse_comm(const char *compact);
enum em_tri em_rec_parse_tri(const char *compact);
bool em_rec_parse_scan_request(const char *compact);
enum em_ip_kind em_rec_parse_ip_kind(const char *compact);
enum em_dev_type em_rec_parse_dev_type(const char *compact);

/* ---- lines.c: rows into lines and devices across every file of one survey ---- */

/* Lookups over what the model already holds (lines by 回線No, devices by host name and
 * management IP, ids in use), so the next file joins the same lines and devices.
 * em_index_new() never fails (GLib aborts on no memory); free with em_index_free(). */
struct em_index;
struct em_index *em_index_new(const struct em_model *m);
void em_index_free(struct em_index *ix);
/* The line of a compact 回線No key, or EM_NONE; remember a new one. */
size_t em_index_line(const struct em_index *ix, const char *key);
void em_index_add_line(struct em_index *ix, const char *key, size_t line);
/* want, or want-2, want-3 ... whichever is unused; copied into the pool (not interned:
 * ids are unique). NULL: no memory. */
const char *em_index_unique_id(struct em_index *ix, struct em_pool *pool, const char *want);

/* E-LINE-CONFLICT for a row joining a line: one finding per earlier row that gave a
 * different carrier / service / ctu_location, naming every differing column.
 * Records the row's values on the line. 0 ok, -1 no memory. */
/* Frees every line's seen values (E-LINE-CONFLICT's memory of the rows read): called by
 * em_model_finish, after which no more rows are read. */
void em_lines_forget_seen(struct em_model *m);
int em_lines_check_row(struct em_model *m, size_t line, const struct rowvals *v,
                       const struct em_src *src, const char *const *col);

/* The device a row's slot (0: 装置①, 1: 装置②) names on a line: an existing one by the
 * merge rule of records.md, else a new one; E-DEVICE-CONFLICT when they disagree.
 * EM_NONE when the slot is blank, or with *nomem set on allocation failure. */
size_t em_lines_device(struct em_model *m, struct em_index *ix, const struct rowvals *v,
                       size_t line, int slot, const struct em_src *src, const char *const *col,
                       int *nomem);

/* ---- after every file (finish.c) ---- */
struct em_advisories;
struct em_eos;
/* The chain's segments, outside networks and edges (chain.c). 0 ok, -1 no memory. */
int em_model_build_graph(struct em_model *m);
/* H-VULN-FIRMWARE / W-FIRMWARE-UNVERIFIED over declared devices; every declared
 * firmware is run against adv (fw_checked). 0 ok, -1 no memory. */
int em_rules_devices(struct em_model *m, const struct em_advisories *adv);
/* W-TERMINAL over surveyed terminals, judged on m->survey_date. 0 ok, -1 no memory. */
int em_rules_terminals(struct em_model *m, const struct em_eos *eos);

/* True when every address in a list ("a, b" / "a、b" / one per line) is a valid
 * global address (CIDR blocks allowed). */
bool em_records_ip_list_ok(const char *list);

#endif
