/* header.c — the records sheet's header: the column vocabulary of records.md
 * ("Columns": Japanese headers, English keys, 装置①/装置② groups over one or two header
 * rows) and the column map built from it. The loader (records.c) finds the header rows
 * and reads the data rows through the map. Interface: records_int.h. */
#include "mapper/records_int.h"

#include <stdio.h>
#include <string.h>

#include "mapper/norm.h"
#include "mapper/sheet.h"

#define KEYBUF 512

/* ---- header vocabulary (records.md "Columns") ---- */

struct field_def {
    enum em_field f;
    const char *key;          /* English key, accepted as an alias */
    const char *names[4];     /* Japanese headers (compared after NFKC/compact) */
};

static const struct field_def base_fields[] = {
    {F_LINE_NO, "line_no", {"回線No", "回線No.", "回線番号", NULL}},
    {F_EMR_LINK, "emr_link", {"電子カルテシステムの所属するネットワークとの接続", "電子カルテ接続",
                              "電子カルテシステムの所属ネットワークとの接続", NULL}},
    {F_SCAN_REQUEST, "scan_request", {"脆弱性診断(調査希望)", "脆弱性診断", "調査希望", NULL}},
    {F_PURPOSE, "purpose", {"回線の用途", "用途", NULL}},
    {F_SYSTEM, "system", {"システム名", NULL}},
    {F_REMOTE_PARTY, "remote_party", {"接続先", NULL}},
    {F_CONTRACT_HOLDER, "contract_holder", {"回線契約者", NULL}},
    {F_CARRIER, "carrier", {"回線事業者", NULL}},
    {F_SERVICE, "service", {"回線サービス名", NULL}},
    {F_COMM_TYPE, "comm_type", {"通信形態", NULL}},
    {F_GLOBAL_IP_USE, "global_ip_use", {"グローバルIP利用", NULL}},
    {F_IP_KIND, "ip_kind", {"固定IP/動的IP", NULL}},
    {F_GLOBAL_IP, "global_ip", {"グローバルIPアドレス", NULL}},
    {F_FQDN, "fqdn", {"FQDN", NULL}},
    {F_PROVIDER_NAME, "provider_name", {"プロバイダ名", NULL}},
    {F_PROVIDER_PLAN, "provider_plan", {"プロバイダ品目", NULL}},
    {F_CTU_LOCATION, "ctu_location", {"回線終端装置設置場所", NULL}},
    {F_REMARKS, "remarks", {"備考", NULL}},
};

/* Device fields, in enum order from F_DEV1_TYPE / F_DEV2_TYPE. */
static const struct field_def dev_fields[] = {
    {0, "type", {"装置の種類", NULL}},
    {0, "hostname", {"ホスト名", NULL}},
    {0, "mgmt_ip", {"管理IPアドレス", NULL}},
    {0, "maker", {"メーカー", NULL}},
    {0, "model", {"機種名", NULL}},
    {0, "rental", {"レンタル装置", NULL}},
    {0, "firmware", {"ファームウェアバージョン", NULL}},
    {0, "location", {"設置場所", NULL}},
};
#define N_DEV_FIELDS (sizeof dev_fields / sizeof dev_fields[0])

/* compact: a compact key; name: a vocabulary literal (its key is computed once). */
bool em_hdr_is(const char *compact, const char *name)
{
    return strcmp(compact, em_norm_key(name)) == 0;
}

bool em_hdr_secret(const char *compact)
{
    return strstr(compact, "パスワード") != NULL || strstr(compact, "password") != NULL;
}

/* A plain (ungrouped) header: base field, or dev field with an explicit group prefix
 * ("装置①_メーカー", "装置① メーカー", "装置①・メーカー", "装置①メーカー", "dev1_maker"). */
static int match_plain(const char *compact)
{
    for (size_t i = 0; i < sizeof base_fields / sizeof base_fields[0]; i++) {
        if (strcmp(compact, base_fields[i].key) == 0) return base_fields[i].f;
        for (int k = 0; k < 4 && base_fields[i].names[k]; k++)
            if (em_hdr_is(compact, base_fields[i].names[k])) return base_fields[i].f;
    }
    for (int g = 1; g <= 2; g++) {
        char pre[32];
        snprintf(pre, sizeof pre, "%s", em_norm_key(g == 1 ? "装置①" : "装置②"));
        size_t pl = strlen(pre);
        char ek[16];
        snprintf(ek, sizeof ek, "dev%d_", g);
        int base = g == 1 ? F_DEV1_TYPE : F_DEV2_TYPE;
        for (size_t i = 0; i < N_DEV_FIELDS; i++) {
            char full[64];
            snprintf(full, sizeof full, "%s%s", ek, dev_fields[i].key);
            if (strcmp(compact, full) == 0) return base + (int)i;
        }
        if (strncmp(compact, pre, pl) != 0) continue;
        const char *rest = compact + pl;
        if (*rest == '_' || *rest == '-') rest++;
        else if (strncmp(rest, "・", strlen("・")) == 0) rest += strlen("・");
        for (size_t i = 0; i < N_DEV_FIELDS; i++)
            if (em_hdr_is(rest, dev_fields[i].names[0])) return base + (int)i;
    }
    return F_EXTRA;
}

/* A device field name under a group label: returns its index 0..7 or -1. */
int em_hdr_dev_field(const char *compact)
{
    for (size_t i = 0; i < N_DEV_FIELDS; i++) {
        if (strcmp(compact, dev_fields[i].key) == 0) return (int)i;
        if (em_hdr_is(compact, dev_fields[i].names[0])) return (int)i;
    }
    return -1;
}

/* 1 or 2 when the compact text is a group label 装置① / 装置②, else 0. */
static int hdr_group(const char *compact)
{
    if (em_hdr_is(compact, "装置①") || strcmp(compact, "dev1") == 0) return 1;
    if (em_hdr_is(compact, "装置②") || strcmp(compact, "dev2") == 0)
        return 2;
    return 0;
}

bool em_hdr_cells_have_group(char *const *cells, size_t n)
{
    char b[KEYBUF];
    for (size_t i = 0; i < n; i++)
        if (cells[i] && hdr_group(em_norm_compact(cells[i], strlen(cells[i]), b, sizeof b))) return 1;
    return 0;
}

const char *em_row_text(const struct em_row *r, int col)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->cells[i].col == col) return r->cells[i].text;
    return "";
}


/* Does this row hold a cell equal to name (e.g. 通信形態: the records header)? */
bool em_hdr_row_has(const struct em_row *r, const char *name)
{
    char b[KEYBUF];
    for (size_t i = 0; i < r->n; i++) {
        em_norm_compact(r->cells[i].text, r->cells[i].len, b, sizeof b);
        if (em_hdr_is(b, name)) return 1;
    }
    return 0;
}

static void set_col(struct em_colmap *map, struct em_pool *pool, int col, int field, const char *display)
{
    if ((size_t)col >= map->n_cols) return;
    map->cols[col].field = field;
    map->cols[col].display = em_pool_str(pool, display);
    if (field >= 0 && field < F_COUNT && map->field_col[field] < 0) {
        map->field_col[field] = col;
        map->field_display[field] = map->cols[col].display;
    }
}

void em_colmap_reset(struct em_colmap *map)
{
    map->cols = NULL;
    map->n_cols = 0;
    for (int f = 0; f < F_COUNT; f++) {
        map->field_col[f] = -1;
        map->field_display[f] = "";
    }
}

/* The map is built column by column: a group label (装置①/②) in the upper row carries
 * over the blank cells to its right (merged across), a device field name below it
 * makes that group's field; a plain header in either row is a field by itself. */
int em_hdr_build_map(struct em_colmap *map, struct em_pool *pool, char *const *upper, size_t n_upper,
                     const struct em_row *lower)
{
    int ncols = (int)n_upper;
    if (lower)
        for (size_t i = 0; i < lower->n; i++)
            if (lower->cells[i].col + 1 > ncols) ncols = lower->cells[i].col + 1;
    em_colmap_reset(map);
    struct em_colinfo *cols = em_pool_alloc(pool, sizeof *cols * (ncols ? (size_t)ncols : 1));
    if (!cols) return -1;
    map->cols = cols;
    map->n_cols = (size_t)ncols;
    int group = 0;             /* forward-filled 装置①/② group over blank upper cells */
    const char *group_text = "";
    char cu[KEYBUF], cl[KEYBUF];
    for (int c = 0; c < ncols; c++) {
        const char *up = (size_t)c < n_upper && upper[c] ? upper[c] : "";
        const char *lo = lower ? em_row_text(lower, c) : "";
        em_norm_compact(up, strlen(up), cu, sizeof cu);
        em_norm_compact(lo, strlen(lo), cl, sizeof cl);
        map->cols[c].field = F_NONE;
        map->cols[c].display = "";
        if (*cu) {
            group = hdr_group(cu);
            group_text = up;
        }
        if (em_hdr_secret(cu) || em_hdr_secret(cl)) {
            map->cols[c].field = F_SECRET;
            continue;
        }
        if (*cl) {
            int dv = em_hdr_dev_field(cl);
            if (group && dv >= 0) {
                char disp[512];
                const char *gt = em_norm_header_display(pool, group_text, strlen(group_text));
                const char *lt = em_norm_header_display(pool, lo, strlen(lo));
                snprintf(disp, sizeof disp, "%s %s", gt, lt);
                set_col(map, pool, c, (group == 1 ? F_DEV1_TYPE : F_DEV2_TYPE) + dv, disp);
                continue;
            }
            int f = match_plain(cl);
            if (f == F_EXTRA && *cu && !group) {
                /* a field name in the upper row with a note below it */
                int fu = match_plain(cu);
                if (fu != F_EXTRA) f = fu;
            }
            if (f != F_EXTRA || !*cu || group) {
                set_col(map, pool, c, f, em_norm_header_display(pool, lo, strlen(lo)));
                continue;
            }
        }
        if (*cu && !hdr_group(cu)) {
            set_col(map, pool, c, match_plain(cu), em_norm_header_display(pool, up, strlen(up)));
            group = 0;
        }
    }
    return 0;
}
