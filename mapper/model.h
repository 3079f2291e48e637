/* model.h — the survey model: physical lines, their paths (one per sheet row),
 * devices, internal segments, terminals, the edges of the chain, and findings.
 * Plain C types only: no library type crosses this header, so render/ and snmp/
 * see nothing but these structs. Every string lives in the model's pool.
 *
 * Ownership: the model owns everything reachable from it; free with em_model_free().
 * Arrays grow by em_model_add_*(), which return an index (or -1 on allocation failure);
 * pointers into the arrays are invalidated by the next add of the same kind. */
#ifndef EM_MODEL_H
#define EM_MODEL_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "mapper/pool.h"

#define EM_NONE ((size_t)-1)

enum em_comm_type {          /* 通信形態 */
    EM_COMM_UNSET = 0,       /* blank or not one of the four (E-COMM-TYPE) */
    EM_COMM_INTERNET,        /* インターネット */
    EM_COMM_INTERNET_VPN,    /* インターネットVPN */
    EM_COMM_CLOSED,          /* 閉域網 */
    EM_COMM_PHONE,           /* 電話回線のみ */
};

enum em_tri { EM_TRI_UNKNOWN = 0, EM_TRI_YES, EM_TRI_NO };  /* あり/なし, はい/いいえ, blank */

enum em_ip_kind { EM_IP_KIND_NONE = 0, EM_IP_KIND_FIXED, EM_IP_KIND_DYNAMIC };

enum em_dev_type {           /* 装置の種類 */
    EM_DEV_UNSET = 0,        /* blank */
    EM_DEV_ROUTER,           /* ルーター */
    EM_DEV_UTM,              /* ファイアウォール/UTM */
    EM_DEV_ONU,              /* ONU */
    EM_DEV_MODEM,            /* モデム */
    EM_DEV_HGW,              /* ホームゲートウェイ */
    EM_DEV_VPN,              /* VPN装置 */
    EM_DEV_L3SWITCH,         /* L3スイッチ */
    EM_DEV_OTHER,            /* その他 or free text */
};

enum em_severity { EM_SEV_INFO = 0, EM_SEV_WARNING, EM_SEV_ERROR };

enum em_source { EM_SRC_DECLARED = 1, EM_SRC_DISCOVERED = 2, EM_SRC_BOTH = 3 };

enum em_scan_reason {        /* why a path is out of scan scope */
    EM_SCAN_IN = 0,          /* in scope */
    EM_SCAN_OUT_CLOSED,      /* 診断対象外（閉域網） */
    EM_SCAN_OUT_PHONE,       /* 診断対象外（電話回線） */
    EM_SCAN_OUT_NO_GLOBAL_IP,/* 診断対象外（グローバルIPなし） */
    EM_SCAN_OUT_NO_ADDRESS,  /* fixed IP declared but no address given (E-FIXED-IP-MISSING) */
    EM_SCAN_OUT_UNKNOWN,     /* 通信形態 unknown: cannot decide */
};

/* An unknown column's value, kept for tooltips and JSON. */
struct em_attr { const char *key; const char *value; };

/* Where a record came from. */
struct em_src { const char *file; const char *sheet; int row; };

/* One row of the records sheet: one communication form on one physical line.
 * Fields are ordered pointers first, then the enums, then the bools, so no padding
 * sits between them: a 100,000-row book holds 100,000 of these (set them by name). */
struct em_path {
    struct em_src src;
    size_t line;                 /* index into model->lines */
    size_t dev[2];               /* 装置① / 装置② indices into model->devices, EM_NONE if blank */
    const char *comm_type_raw;   /* as written ("" if blank) */
    const char *purpose, *system, *remote_party;
    const char *global_ip;       /* normalised (half-width), "" if blank */
    const char *fqdn, *provider_name, *provider_plan, *remarks;
    struct em_attr *extra; size_t n_extra;
    const char *col_global_ip;   /* header text of its グローバルIPアドレス column (NULL: none) */
    /* the device cells as this row wrote them, per slot (normalised, "" if blank):
       what the row declared, whatever device it was merged into */
    struct em_decl { const char *type, *hostname, *mgmt_ip, *maker, *model, *rental,
                     *firmware, *location; } decl[2];
    /* the physical-line columns as this row wrote them (normalised, "" if blank) */
    const char *carrier, *service, *ctu_location;
    enum em_comm_type comm_type;
    enum em_tri emr_link;        /* 電子カルテ接続 */
    enum em_tri global_ip_use;   /* グローバルIP利用 */
    enum em_ip_kind ip_kind;
    enum em_scan_reason scan;    /* EM_SCAN_IN when in scope */
    bool scan_requested;         /* 調査希望あり */
    bool verified[2];            /* 備考: 装置①/②実機確認実施 */
    bool emr_unknown_explained;  /* 備考: 接続は不明 */
    bool scanned;                /* a scan file listed one of its addresses (mapper/scan.c) */
    bool scan_up;                /* ... and that address answered */
};

/* A distinct value one physical-line column of a line was given, and the first row
 * that gave it (records.c; E-LINE-CONFLICT names that row). field: 0 carrier,
 * 1 service, 2 ctu_location. */
struct em_line_value { int field; const char *value; const char *key; struct em_src src; };

/* A physical line: the rows sharing one 回線No. */
struct em_line {
    const char *line_no;         /* as written; for a blank 回線No, "" (see implicit) */
    bool implicit;               /* 回線No was blank: this row is its own line */
    const char *id;              /* stable id: "line-<no>" or "line-r<row>" */
    const char *carrier, *service, *ctu_location, *contract_holder;
    size_t *paths; size_t n_paths;      /* indices into model->paths, in row order */
    size_t *devices; size_t n_devices;  /* every device any of its paths names */
    /* the values its rows gave, for E-LINE-CONFLICT while rows are read (lines.c; capped
       per column; malloc'd; freed and NULL once em_model_finish has run) */
    struct em_line_value *seen; size_t n_seen;
};

/* A device (装置). Declared devices come from the sheet; discovery adds others.
 * Ordered like em_path (pointers, enums and ints, bools): no padding between fields. */
struct em_device {
    const char *id;              /* stable id: "dev-<line>-<slot>" of its first mention */
    const char *type_raw;
    const char *hostname, *mgmt_ip, *maker, *model, *firmware, *location;
    struct em_src src;           /* first row that names it */
    int *rows; size_t n_rows;    /* every row that names it */
    struct em_src *srcs; size_t n_srcs;  /* every (file, sheet, row) that names it, in order */
    const char **cves; size_t n_cves;   /* known-vulnerable firmware (H-VULN-FIRMWARE) */
    const char *advisory_url;    /* first matching advisory, or NULL */
    const char *col_firmware;    /* header text of its firmware column, for findings */
    const char *line_no;         /* 回線No of its first row, for findings */
    const char *col_mgmt_ip;     /* header text of its 管理IPアドレス column (NULL: none) */
    const char *disc_id;         /* the DISC.json device id it was matched to, or NULL */
    const char **addresses; size_t n_addresses;  /* addresses discovery saw on it */
    const char *mac;             /* the MAC discovery learned it by (FDB/ARP endpoint), NULL if none */
    enum em_dev_type type;
    enum em_tri rental;
    enum em_source source;
    int slot;                    /* 1 or 2: the column group it was declared in first */
    bool verified;               /* firmware confirmed on the device (実機確認実施) */
    bool fw_checked;             /* its firmware was run against the advisories */
    bool disc_unverified;        /* H-UNVERIFIED-LINE reported for it: discovery could have
                                  * seen it (mapper/evidence.h) and did not (diagram: 未確認) */
    bool disc_flagged;           /* discovery reported H-UNDOCUMENTED-PATH for it: the diagram
                                  * never folds it into an aggregate (render/graph_plan.c) */
};

/* An internal segment: the network behind a line's devices, named by システム名. */
struct em_segment {
    const char *id;              /* "seg-<hash>" */
    const char *name;            /* システム名 as written (first spelling) */
    bool emr;                    /* the 電子カルテ system (important asset) */
    size_t *terminals; size_t n_terminals;
};

/* A surveyed terminal (調査端末情報記入シート). */
struct em_terminal {
    struct em_src src;
    const char *name, *os, *antivirus, *av_version, *system;
    enum em_tri usb_blocked;
    size_t segment;              /* EM_NONE if its system matches no segment */
    const char *col_os, *col_antivirus, *col_usb;  /* header texts, for findings */
};

enum em_node_kind {
    EM_NODE_NET_INTERNET, EM_NODE_NET_CLOSED, EM_NODE_NET_PHONE, EM_NODE_PARTY,
    EM_NODE_LINE, EM_NODE_DEVICE, EM_NODE_SEGMENT, EM_NODE_EMR,
};

/* An outside network or remote party (clouds and parties left of the lines). */
struct em_outside {
    const char *id;              /* "net-internet", "net-phone", "net-closed-<hash>", "party-<hash>" */
    enum em_node_kind kind;      /* NET_* or PARTY */
    const char *name;            /* インターネット / carrier+service / remote party */
    bool maintenance;            /* a remote-maintenance party (保守回線) */
};

/* One edge of the chain outside → line → dev① → dev② → segment → EMR. */
/* An edge's id is not stored: it is always "e-<from>--<to>" (em_edge_id()). */
struct em_edge {
    const char *from, *to;       /* node ids */
    int *rows; size_t n_rows;    /* rows that produced it */
    int seen_ends;               /* discovery saw this link (LLDP): 2 from both ends, 1 from
                                  * one end, 0 not (mapper/discovered.c) */
    bool emr_unknown;            /* segment → EMR edge whose link is unknown (dotted) */
    bool out_of_scope;           /* outside → line edge of a closed/phone/no-IP path */
    bool discovered;             /* a link discovery saw (LLDP), not a sheet row */
    bool inferred;               /* discovered from forwarding/ARP tables, not a neighbour protocol (lower confidence) */
};

/* The id of the edge from → to, "e-<from>--<to>" (node ids come from cell text, so it
 * has no fixed bound): written into buf when it fits in size bytes, and buf returned;
 * otherwise into a malloc'd string. Free the result with em_edge_id_free(id, buf).
 * NULL on allocation failure. EM_EDGE_ID_BUF is a buf size that holds most ids. */
#define EM_EDGE_ID_BUF 256
char *em_edge_id_of(const char *from, const char *to, char *buf, size_t size);
/* em_edge_id_of(e->from, e->to, buf, size). */
char *em_edge_id(const struct em_edge *e, char *buf, size_t size);
/* Frees an id from em_edge_id*() unless it is buf; NULL is a no-op. */
void em_edge_id_free(char *id, const char *buf);

/* A finding the survey team accepted (--accept FILE, mapper/accept.c): still shown,
 * marked 承認済み with the reason, but not counted by em_model_count(). */
struct em_acceptance {
    const char *reason, *by, *date;  /* as written in the accept file ("" when blank) */
    const char *file;                /* the accept file */
    int entry_line;                  /* its line in that file */
};

struct em_finding {
    const char *code;            /* e.g. "E-IP-NOT-GLOBAL" */
    const char *file, *sheet;
    const char *column;          /* header text as written, "" if none */
    const char *line_no;         /* "" if none */
    /* the message (in the language chosen with em_lang_set()), packed as its template
       and arguments (mapper/finding.c): read it with em_finding_msg(), set it with
       em_finding_set_message() */
    const char *packed_msg;
    const struct em_acceptance *accepted;  /* NULL unless accepted (--accept) */
    enum em_severity severity;
    int row;                     /* 0 when not tied to a row */
};

/* A port a scan file reported on an address (mapper/scan.c). */
struct em_service {
    const char *address;         /* as the scan wrote it */
    const char *proto;           /* "tcp" | "udp" | "sctp" */
    int port;
    const char *state;           /* "open" | "open|filtered" */
    const char *name, *product, *version;  /* nmap's service guess, "" if none */
    const char *file;            /* the scan file */
    size_t path;                 /* first path declaring the address, EM_NONE if none */
    enum em_severity severity;   /* what its finding was (info for open|filtered) */
};

/* An address a scan file reported on (mapper/scan.c). */
struct em_scan_host {
    const char *address;
    bool up;                     /* answered (see docs/design-scan.md: -Pn is not an answer) */
    const char *file;            /* first scan file that listed it */
    size_t path;                 /* first path declaring it, EM_NONE if none */
};

struct em_site {
    const char *name;            /* 医療機関名 */
    const char *address;         /* 所在地 */
    const char *beds;            /* 病床数 */
    struct em_attr *extra; size_t n_extra;
};

struct em_model {
    struct em_pool *pool;
    struct em_site site;
    const char **sources; size_t n_sources;       /* input files, in order */
    const char *survey_date;                      /* YYYY-MM-DD the rules judged against */
    /* 調査日 of 基本情報記入シート as written ("" if none), where it is, and whether its
       workbook counts serials from 1904; em_model_finish() reads it (mapper/date.h) */
    const char *survey_date_text;
    struct em_src survey_date_src;
    const char *survey_date_col;
    bool survey_date_1904;
    struct em_path *paths; size_t n_paths, cap_paths;
    struct em_line *lines; size_t n_lines, cap_lines;
    struct em_device *devices; size_t n_devices, cap_devices;
    struct em_segment *segments; size_t n_segments, cap_segments;
    struct em_terminal *terminals; size_t n_terminals, cap_terminals;
    struct em_outside *outside; size_t n_outside, cap_outside;
    struct em_edge *edges; size_t n_edges, cap_edges;
    struct em_finding *findings; size_t n_findings, cap_findings;
    /* scan results; pool-backed arrays grown by mapper/scan.c (freed with the pool) */
    struct em_service *services; size_t n_services, cap_services;
    struct em_scan_host *scan_hosts; size_t n_scan_hosts, cap_scan_hosts;
    /* device id → index, built on first use by em_model_find_device() and rebuilt when
     * devices were added since; private to model.c (a GHashTable, freed with the model) */
    void *dev_index; size_t dev_index_n;
};

/* New empty model; NULL on allocation failure. Free with em_model_free(). */
struct em_model *em_model_new(void);
void em_model_free(struct em_model *m);

/* Append a zeroed element; returns its index or EM_NONE on allocation failure. */
size_t em_model_add_path(struct em_model *m);
size_t em_model_add_line(struct em_model *m);
size_t em_model_add_device(struct em_model *m);
size_t em_model_add_segment(struct em_model *m);
size_t em_model_add_terminal(struct em_model *m);
size_t em_model_add_outside(struct em_model *m);
size_t em_model_add_edge(struct em_model *m);

/* Appends v to a pool-backed size_t / int / string list (*arr, *n). 0 ok, -1 no memory.
 * The lists are small (a line's paths, a device's rows), so they grow by doubling
 * inside the pool and the old block is simply left there. */
int em_model_push_index(struct em_model *m, size_t **arr, size_t *n, size_t v);
int em_model_push_int(struct em_model *m, int **arr, size_t *n, int v);
int em_model_push_str(struct em_model *m, const char ***arr, size_t *n, const char *v);
int em_model_push_src(struct em_model *m, struct em_src **arr, size_t *n, struct em_src v);

/* Adds a finding; its message is printf-formatted (cut to EM_MSG_MAX - 1 bytes) and
 * kept as fmt plus its arguments (mapper/finding.c), so fmt must outlive the model: a
 * string literal or em_tr() of two (-Wformat=2 refuses other templates). Strings may
 * be NULL (stored as ""). Returns 0, or -1 on allocation failure. */
int em_model_add_finding(struct em_model *m, const char *code, enum em_severity sev,
                         const struct em_src *src, const char *column, const char *line_no,
                         const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* em_model_add_finding() with the arguments as a va_list (the caller ends ap). */
int em_model_add_finding_va(struct em_model *m, const char *code, enum em_severity sev,
                            const struct em_src *src, const char *column, const char *line_no,
                            const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

/* A finding's message is at most EM_MSG_MAX - 1 bytes as em_model_add_finding() makes
 * it (a longer one is cut there); only em_finding_set_message() sets longer ones. */
#define EM_MSG_MAX 2048
/* f's message as a C string: either the model's own copy or buf (EM_MSG_MAX bytes,
 * the caller's) filled with it. Never NULL; valid until buf is reused or the model is
 * freed. No allocation: the writers call it once per finding. */
const char *em_finding_msg(const struct em_finding *f, char *buf);
/* f's message into buf[size], snprintf-like: cut to size - 1 bytes, NUL-terminated
 * when size > 0; returns the whole message's length. */
size_t em_finding_message(const struct em_finding *f, char *buf, size_t size);
/* Replaces f's message by text (copied into m's pool, any length, taken as it is: no
 * printf). 0, or -1 on allocation failure (f unchanged). */
int em_finding_set_message(struct em_model *m, struct em_finding *f, const char *text);

/* Index of the device whose id is id, or EM_NONE. O(1) after the first call (the
 * index is kept in the model, hence the cast of m inside: a cache, not a change of
 * the model's meaning). Device ids must not change once the device is added. */
size_t em_model_find_device(const struct em_model *m, const char *id);

/* Counts findings of a severity, leaving out accepted ones (they do not count for
 * the exit status; em_model_count_accepted() counts those). */
size_t em_model_count(const struct em_model *m, enum em_severity sev);
size_t em_model_count_accepted(const struct em_model *m);

/* Sorts findings by (file, line order, row, code) so every output lists them alike. */
void em_model_sort_findings(struct em_model *m);

/* JSON/text enum names: "internet", "yes", "fixed", "router", "error", "declared", ... */
const char *em_comm_type_name(enum em_comm_type t);
const char *em_tri_name(enum em_tri t);
const char *em_ip_kind_name(enum em_ip_kind k);     /* NULL for EM_IP_KIND_NONE */
const char *em_dev_type_name(enum em_dev_type t);
const char *em_severity_name(enum em_severity s);
const char *em_source_name(enum em_source s);
const char *em_scan_reason_name(enum em_scan_reason r);  /* "" when in scope */
/* Localised labels (em_lang_get()): 診断対象外（閉域網） / "out of scope (closed network)" ... */
const char *em_scan_reason_label(enum em_scan_reason r);
const char *em_dev_type_label(enum em_dev_type t);
const char *em_comm_type_label(enum em_comm_type t);

#endif
