/* records.c — survey records into the model. Finds the records sheet and its header
 * (one row, or two rows with 装置①/装置② group labels), maps columns by header text,
 * normalises values, and builds lines, paths and devices row by row as the readers
 * stream them, running the per-row rules of records.md on the way (rules.c).
 * Also reads 基本情報記入シート (site) and 調査端末情報記入シート (terminals); never
 * opens the password sheet and never keeps a password column. */
#include "mapper/records.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapper/csv.h"
#include "mapper/file.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/records_int.h"
#include "mapper/vcache.h"
#include "mapper/xlsx.h"

#define HEADER_SEARCH_ROWS 20
#define KEYBUF 512

/* ---- ids ---- */

/* An id-safe form of a line No: ASCII letters, digits, '-' and '_' kept; anything
 * else (Japanese, spaces) makes it "x<hash>" so ids stay stable and ASCII. */
static void id_part(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);
    int ok = n > 0 && n < 40;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            ok = 0;
    }
    if (ok) snprintf(out, size, "%s", s);
    else snprintf(out, size, "x%08lx", em_hash32(s));
}

/* ---- loader state ---- */

enum sheet_kind { SK_RECORDS, SK_SITE, SK_TERMINALS };

struct loader {
    struct em_model *m;
    const char *file;         /* pool */
    const char *sheet;        /* pool; "" for CSV */
    size_t source;            /* index in m->sources */
    enum sheet_kind kind;
    int state;                /* 0 searching header, 1 maybe sub-header, 2 data */
    /* the header row kept until we know whether a second header row follows */
    char **upper; size_t n_upper;
    char **prev; size_t n_prev;   /* the row above, in case it holds the group labels */
    struct em_colmap map;     /* the header's columns (header.c) */
    struct em_index *ix;      /* lines and devices of every file read so far */
    /* Cell texts repeat a lot (pull-downs, carriers, makers): their normalised and
       compact forms are computed once (mapper/vcache.h: fixed size, short texts only). */
    struct em_vcache *norm_cache;     /* raw text -> pool value */
    struct em_vcache *disp_cache;     /* raw text -> pool value as written */
    struct em_kcache *compact_cache;  /* pool value (interned pointer) -> compact key */
    struct em_err *err;
};

/* 4,096 slots a cache (~0.3 MB for texts, ~0.5 MB for compact keys). Values up to
 * EM_VCACHE_TEXT_MAX (64) bytes are interned by the pool (pool.h), so a cached value's
 * address is its identity, as em_kcache needs. */
#define CACHE_BITS 12

static void free_cells(char ***cells, size_t *n)
{
    for (size_t i = 0; i < *n; i++) g_free((*cells)[i]);
    g_free(*cells);
    *cells = NULL;
    *n = 0;
}

static void free_upper(struct loader *L)
{
    free_cells(&L->upper, &L->n_upper);
    free_cells(&L->prev, &L->n_prev);
}

/* Copies a row's cells into a column-indexed array of strings (NULL for blanks). */
static void keep_row(const struct em_row *r, char ***cells, size_t *n)
{
    free_cells(cells, n);
    int ncols = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->cells[i].col + 1 > ncols) ncols = r->cells[i].col + 1;
    *cells = g_new0(char *, (size_t)ncols + 1);
    *n = (size_t)ncols;
    for (size_t i = 0; i < r->n; i++) (*cells)[r->cells[i].col] = g_strndup(r->cells[i].text, r->cells[i].len);
}

/* The column map from the kept header row and lower (may be NULL): 0, or the rc of a
 * no-memory error filled in L->err. */
static int build_map(struct loader *L, const struct em_row *lower)
{
    if (em_hdr_build_map(&L->map, L->m->pool, L->upper, L->n_upper, lower) == 0) return 0;
    return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, lower ? lower->row : 0, NULL, "out of memory");
}

/* ---- rows into the model ---- */

/* hay_key: a stored value's compact key (em_norm_compact); needle: a vocabulary literal. */
static int contains_norm(const char *hay_key, const char *needle)
{
    if (!*hay_key) return 0;
    const char *n = em_norm_key(needle);
    return *n && strstr(hay_key, n) != NULL;
}

static enum em_scan_reason scope_of(const struct em_path *p)
{
    switch (p->comm_type) {
    case EM_COMM_UNSET: return EM_SCAN_OUT_UNKNOWN;
    case EM_COMM_CLOSED: return EM_SCAN_OUT_CLOSED;
    case EM_COMM_PHONE: return EM_SCAN_OUT_PHONE;
    case EM_COMM_INTERNET:
    case EM_COMM_INTERNET_VPN: break;
    }
    if (p->global_ip_use != EM_TRI_YES) return EM_SCAN_OUT_NO_GLOBAL_IP;
    if (p->ip_kind == EM_IP_KIND_DYNAMIC) return EM_SCAN_IN;
    if (*p->global_ip && em_records_ip_list_ok(p->global_ip)) return EM_SCAN_IN;
    return EM_SCAN_OUT_NO_ADDRESS;
}

static const char *norm_cached(struct loader *L, const char *text, size_t len);
static const char *display_cached(struct loader *L, const char *text, size_t len, const char *norm);
static void compact_cached(struct loader *L, const char *val, char *out, size_t size);

/* Fields kept in their normalised form even for display: addresses and host names
 * (records.md: full-width digits and dots are normalised; they are matched against
 * scans and discovery), the FQDN (a host name). */
static bool norm_kept(int f)
{
    return f == F_GLOBAL_IP || f == F_FQDN || f == F_DEV1_MGMT_IP || f == F_DEV2_MGMT_IP ||
           f == F_DEV1_HOSTNAME || f == F_DEV2_HOSTNAME;
}

static int data_row(struct loader *L, const struct em_row *r)
{
    struct em_model *m = L->m;
    struct rowvals v;
    for (int f = 0; f < F_COUNT; f++) {
        v.val[f] = "";
        v.compact[f][0] = '\0';
    }
    struct em_attr *extra = NULL;
    size_t n_extra = 0, cap_extra = 0;
    int any = 0;
    for (size_t i = 0; i < r->n; i++) {
        int c = r->cells[i].col;
        if ((size_t)c >= L->map.n_cols) continue;
        int f = L->map.cols[c].field;
        if (f == F_SECRET || f == F_NONE) continue;
        /* norm: for matching and rules; shown: as written (records.md "Values as written") */
        const char *norm = norm_cached(L, r->cells[i].text, r->cells[i].len);
        if (!norm) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
        if (!*norm) continue;
        const char *val = norm_kept(f) ? norm : display_cached(L, r->cells[i].text, r->cells[i].len, norm);
        if (!val) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
        if (f == F_EXTRA) {
            if (!*L->map.cols[c].display) continue;
            if (n_extra == cap_extra) {
                size_t nc = cap_extra ? cap_extra * 2 : 4;
                struct em_attr *na = em_pool_alloc(m->pool, nc * sizeof *na);
                if (!na) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
                if (n_extra) memcpy(na, extra, n_extra * sizeof *na);
                extra = na;
                cap_extra = nc;
            }
            extra[n_extra].key = L->map.cols[c].display;
            extra[n_extra].value = val;
            n_extra++;
            any = 1;
            continue;
        }
        if (*v.val[f]) continue; /* the first column mapped to a field wins */
        v.val[f] = val;
        compact_cached(L, norm, v.compact[f], sizeof v.compact[f]);
        if (f != F_LINE_NO) any = 1;
    }
    if (!any) return 0; /* blank template row (perhaps pre-numbered) */

    /* 備考's compact key, once for the three phrases looked for in it */
    char remarks_key[4096] = "";
    if (*v.val[F_REMARKS]) em_norm_compact(v.val[F_REMARKS], strlen(v.val[F_REMARKS]), remarks_key, sizeof remarks_key);
    v.verified[0] = contains_norm(remarks_key, "装置①実機確認実施");
    v.verified[1] = contains_norm(remarks_key, "装置②実機確認実施");
    struct em_src src = {L->file, L->sheet, (int)r->row};

    /* the physical line */
    size_t line = EM_NONE;
    const char *lno = v.val[F_LINE_NO];
    char lkey[KEYBUF];
    snprintf(lkey, sizeof lkey, "%s", v.compact[F_LINE_NO]);
    line = em_index_line(L->ix, lkey);
    int new_line = line == EM_NONE;
    if (new_line) {
        line = em_model_add_line(m);
        if (line == EM_NONE) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
        struct em_line *ln = &m->lines[line];
        ln->line_no = lno;
        ln->implicit = !*lkey;
        char part[64], id[128];
        if (*lkey) id_part(lno, part, sizeof part);
        else snprintf(part, sizeof part, "r%ld", r->row);
        if (L->source > 0) snprintf(id, sizeof id, "line-f%zu-%s", L->source + 1, part);
        else snprintf(id, sizeof id, "line-%s", part);
        /* two line Nos can map to one id ("1" in two files does not, they are one line) */
        ln->id = em_index_unique_id(L->ix, m->pool, id);
        if (!ln->id) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
        ln->carrier = v.val[F_CARRIER];
        ln->service = v.val[F_SERVICE];
        ln->ctu_location = v.val[F_CTU_LOCATION];
        ln->contract_holder = v.val[F_CONTRACT_HOLDER];
        em_index_add_line(L->ix, lkey, line);
    } else {
        struct em_line *ln = &m->lines[line];
        if (!*ln->carrier) ln->carrier = v.val[F_CARRIER];
        if (!*ln->service) ln->service = v.val[F_SERVICE];
        if (!*ln->ctu_location) ln->ctu_location = v.val[F_CTU_LOCATION];
        if (!*ln->contract_holder) ln->contract_holder = v.val[F_CONTRACT_HOLDER];
    }
    if (em_lines_check_row(m, line, &v, &src, L->map.field_display) != 0)
        return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");

    size_t pi = em_model_add_path(m);
    if (pi == EM_NONE) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
    struct em_path *p = &m->paths[pi];
    p->src = src;
    p->line = line;
    p->comm_type_raw = v.val[F_COMM_TYPE];
    p->comm_type = em_rec_parse_comm(v.compact[F_COMM_TYPE]);
    p->purpose = v.val[F_PURPOSE];
    p->system = v.val[F_SYSTEM];
    p->remote_party = v.val[F_REMOTE_PARTY];
    p->emr_link = em_rec_parse_tri(v.compact[F_EMR_LINK]);
    p->global_ip_use = em_rec_parse_tri(v.compact[F_GLOBAL_IP_USE]);
    p->ip_kind = em_rec_parse_ip_kind(v.compact[F_IP_KIND]);
    p->global_ip = v.val[F_GLOBAL_IP];
    p->col_global_ip = L->map.field_display[F_GLOBAL_IP];
    p->fqdn = v.val[F_FQDN];
    p->provider_name = v.val[F_PROVIDER_NAME];
    p->provider_plan = v.val[F_PROVIDER_PLAN];
    p->remarks = v.val[F_REMARKS];
    for (int s = 0; s < 2; s++) {
        const char *const *d = &v.val[s == 0 ? F_DEV1_TYPE : F_DEV2_TYPE];
        p->decl[s] = (struct em_decl){d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]};
    }
    p->carrier = v.val[F_CARRIER];
    p->service = v.val[F_SERVICE];
    p->ctu_location = v.val[F_CTU_LOCATION];
    p->scan_requested = em_rec_parse_scan_request(v.compact[F_SCAN_REQUEST]);
    p->verified[0] = v.verified[0];
    p->verified[1] = v.verified[1];
    p->emr_unknown_explained = contains_norm(remarks_key, "接続は不明");
    p->extra = extra;
    p->n_extra = n_extra;
    p->scan = scope_of(p);
    if (em_model_push_index(m, &m->lines[line].paths, &m->lines[line].n_paths, pi) != 0)
        return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
    int nomem = 0;
    for (int s = 0; s < 2; s++)
        m->paths[pi].dev[s] = em_lines_device(m, L->ix, &v, line, s, &src, L->map.field_display, &nomem);
    if (nomem) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");

    struct em_rowctx rc = {m, &m->paths[pi], &m->lines[line], &v, L->map.field_display, new_line};
    if (em_rules_row(&rc) != 0)
        return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
    return 0;
}

/* ---- terminals and site sheets ---- */

enum { T_NAME, T_OS, T_AV, T_AV_VERSION, T_USB, T_SYSTEM, T_COUNT };
static const char *term_headers[T_COUNT][3] = {
    {"端末名", "端末", NULL}, {"OS", NULL, NULL}, {"ウイルス対策ソフト", "ウィルス対策ソフト", NULL},
    {"バージョン", "ウイルス対策ソフトバージョン", NULL}, {"USB閉塞", NULL, NULL},
    {"所属システム", "システム名", NULL},
};

static int terminal_row(struct loader *L, const struct em_row *r)
{
    struct em_model *m = L->m;
    const char *f[T_COUNT];
    int any = 0;
    for (int k = 0; k < T_COUNT; k++) {
        f[k] = "";
        int c = L->map.field_col[k];
        if (c < 0) continue;
        const char *t = em_row_text(r, c);
        /* shown as written; the OS stays normalised: the end-of-support table matches
           its words (data/os-eos.tsv) */
        f[k] = k == T_OS ? em_norm_value(m->pool, t, strlen(t)) : em_norm_display(m->pool, t, strlen(t));
        if (!f[k]) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
        if (*f[k]) any = 1;
    }
    if (!any || !*f[T_NAME]) return 0;
    size_t ti = em_model_add_terminal(m);
    if (ti == EM_NONE) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
    struct em_terminal *t = &m->terminals[ti];
    t->src = (struct em_src){L->file, L->sheet, (int)r->row};
    t->name = f[T_NAME];
    t->os = f[T_OS];
    t->antivirus = f[T_AV];
    t->av_version = f[T_AV_VERSION];
    char b[KEYBUF];
    t->usb_blocked = em_rec_parse_tri(em_norm_compact(f[T_USB], strlen(f[T_USB]), b, sizeof b));
    t->system = f[T_SYSTEM];
    t->segment = EM_NONE;
    t->col_os = L->map.field_display[T_OS];
    t->col_antivirus = L->map.field_display[T_AV];
    t->col_usb = L->map.field_display[T_USB];
    return 0;
}

static int site_row(struct loader *L, const struct em_row *r)
{
    struct em_model *m = L->m;
    if (r->n < 2) return 0;
    const char *key = em_norm_value(m->pool, r->cells[0].text, r->cells[0].len);
    const char *val = em_norm_display(m->pool, r->cells[1].text, r->cells[1].len);
    if (!key || !val) return em_err_set(L->err, EM_ERR_NOMEM, L->file, L->sheet, r->row, NULL, "out of memory");
    char k[KEYBUF];
    em_norm_compact(key, strlen(key), k, sizeof k);
    if (em_hdr_secret(k) || !*val) return 0;
    if (em_hdr_is(k, "医療機関名") || em_hdr_is(k, "病院名") || em_hdr_is(k, "施設名")) {
        if (!*m->site.name) m->site.name = val;
    } else if (em_hdr_is(k, "所在地") || em_hdr_is(k, "住所")) {
        m->site.address = val;
    } else if (em_hdr_is(k, "病床数")) {
        m->site.beds = val;
    } else {
        if (em_hdr_is(k, "調査日") || em_hdr_is(k, "調査実施日") || em_hdr_is(k, "現地調査日")) {
            /* kept as written: em_model_finish() reads it with the one date parser */
            if (!*m->survey_date_text) {
                m->survey_date_text = em_norm_display(m->pool, r->cells[1].text, r->cells[1].len);
                m->survey_date_src = (struct em_src){L->file, L->sheet, (int)r->row};
                m->survey_date_col = em_norm_header_display(m->pool, r->cells[0].text, r->cells[0].len);
                m->survey_date_1904 = r->date1904;
            }
        }
        struct em_attr *na = em_pool_alloc(m->pool, (m->site.n_extra + 1) * sizeof *na);
        if (!na) return -1;
        if (m->site.n_extra) memcpy(na, m->site.extra, m->site.n_extra * sizeof *na);
        na[m->site.n_extra].key = key;
        na[m->site.n_extra].value = val;
        m->site.extra = na;
        m->site.n_extra++;
    }
    return 0;
}

/* ---- the row callback ---- */

static int on_row(void *ctx, const struct em_row *r, struct em_err *err)
{
    struct loader *L = ctx;
    (void)err;
    if (L->kind == SK_SITE) return site_row(L, r);
    if (L->kind == SK_TERMINALS) {
        if (L->state == 0) {
            if (r->row > HEADER_SEARCH_ROWS) return 1;
            if (!em_hdr_row_has(r, "端末名") && !em_hdr_row_has(r, "端末")) return 0;
            char b[KEYBUF];
            for (int k = 0; k < T_COUNT; k++) L->map.field_col[k] = -1, L->map.field_display[k] = "";
            for (size_t i = 0; i < r->n; i++) {
                em_norm_compact(r->cells[i].text, r->cells[i].len, b, sizeof b);
                for (int k = 0; k < T_COUNT; k++)
                    for (int a = 0; a < 3 && term_headers[k][a]; a++)
                        if (L->map.field_col[k] < 0 && em_hdr_is(b, term_headers[k][a])) {
                            L->map.field_col[k] = r->cells[i].col;
                            L->map.field_display[k] = em_norm_header_display(L->m->pool, r->cells[i].text, r->cells[i].len);
                        }
            }
            L->state = 2;
            return 0;
        }
        return terminal_row(L, r);
    }
    /* records sheet */
    if (L->state == 0) {
        if (r->row > HEADER_SEARCH_ROWS) return 1;
        if (!em_hdr_row_has(r, "通信形態") && !em_hdr_row_has(r, "comm_type")) {
            keep_row(r, &L->prev, &L->n_prev);
            return 0;
        }
        if (L->prev && em_hdr_cells_have_group(L->prev, L->n_prev)) {
            /* group labels in the row above, field names (with 通信形態) in this one */
            int sub = 0;
            char b[KEYBUF];
            for (size_t i = 0; i < r->n && !sub; i++)
                if (em_hdr_dev_field(em_norm_compact(r->cells[i].text, r->cells[i].len, b, sizeof b)) >= 0) sub = 1;
            if (sub) {
                free_cells(&L->upper, &L->n_upper);
                L->upper = L->prev;
                L->n_upper = L->n_prev;
                L->prev = NULL;
                L->n_prev = 0;
                /* the upper row's plain headers (merged vertically) reappear below */
                int rc = build_map(L, r);
                free_upper(L);
                L->state = 2;
                return rc;
            }
        }
        keep_row(r, &L->upper, &L->n_upper);
        L->state = 1;
        return 0;
    }
    if (L->state == 1) {
        /* a second header row holds device field names under 装置①/② */
        int sub = 0;
        char b[KEYBUF];
        for (size_t i = 0; i < r->n && !sub; i++) {
            em_norm_compact(r->cells[i].text, r->cells[i].len, b, sizeof b);
            if (em_hdr_dev_field(b) >= 0) sub = 1;
        }
        int upper_groups = em_hdr_cells_have_group(L->upper, L->n_upper);
        L->state = 2;
        if (sub && upper_groups) {
            int rc = build_map(L, r);
            free_upper(L);
            return rc;
        }
        int rc = build_map(L, NULL);
        free_upper(L);
        return rc < 0 ? rc : data_row(L, r);
    }
    return data_row(L, r);
}

/* ---- files and sheets ---- */

static int is_named(const char *sheet, const char *name)
{
    char a[KEYBUF];
    em_norm_compact(sheet, strlen(sheet), a, sizeof a);
    return em_hdr_is(a, name);
}

static int is_secret_sheet(const char *sheet)
{
    char a[KEYBUF];
    em_norm_compact(sheet, strlen(sheet), a, sizeof a);
    return em_hdr_secret(a);
}

static int init_loader(struct loader *L, struct em_model *m, const char *file, size_t source,
                       struct em_err *err)
{
    memset(L, 0, sizeof *L);
    L->m = m;
    L->file = em_pool_str(m->pool, file);
    L->sheet = "";
    L->source = source;
    L->err = err;
    L->ix = em_index_new(m);
    L->norm_cache = em_vcache_new(CACHE_BITS);
    L->disp_cache = em_vcache_new(CACHE_BITS);
    L->compact_cache = em_kcache_new(CACHE_BITS);
    em_colmap_reset(&L->map);
    return L->file && L->norm_cache && L->disp_cache && L->compact_cache ? 0 : -1;
}

static void reset_sheet(struct loader *L, const char *sheet, enum sheet_kind kind)
{
    free_upper(L);
    L->sheet = em_pool_str(L->m->pool, sheet);
    L->kind = kind;
    L->state = 0;
    L->map.n_cols = 0;
    L->map.cols = NULL;
}

static void done_loader(struct loader *L)
{
    free_upper(L);
    em_index_free(L->ix);
    em_vcache_free(L->norm_cache);
    em_vcache_free(L->disp_cache);
    em_kcache_free(L->compact_cache);
}

/* em_norm_value() through the cache. */
static const char *norm_cached(struct loader *L, const char *text, size_t len)
{
    const char *v = em_vcache_get(L->norm_cache, text, len);
    if (v) return v;
    v = em_norm_value(L->m->pool, text, len);
    em_vcache_put(L->norm_cache, text, len, v);
    return v;
}

/* em_norm_display() through the cache; norm is the cell's em_norm_value(). ASCII
 * without line breaks needs no work: its NFKC form is the text itself. */
static const char *display_cached(struct loader *L, const char *text, size_t len, const char *norm)
{
    int plain = 1;
    for (size_t i = 0; i < len && plain; i++)
        if ((unsigned char)text[i] >= 0x80 || text[i] == '\r') plain = 0;
    if (plain) return norm;
    const char *v = em_vcache_get(L->disp_cache, text, len);
    if (v) return v;
    v = em_norm_display(L->m->pool, text, len);
    em_vcache_put(L->disp_cache, text, len, v);
    return v;
}

/* The compact key of a normalised value, through the cache (out: size bytes). Only
 * values short enough to be interned are cached: their address is their identity. */
static void compact_cached(struct loader *L, const char *val, char *out, size_t size)
{
    size_t len = strlen(val);
    if (len > EM_VCACHE_TEXT_MAX) {
        em_norm_compact_nfkc(val, len, out, size);
        return;
    }
    if (em_kcache_get(L->compact_cache, val, out, size)) return;
    em_norm_compact_nfkc(val, len, out, size);
    em_kcache_put(L->compact_cache, val, out);
}

static int no_header(struct loader *L, const char *sheet)
{
    return em_err_set(L->err, EM_ERR_NOSHEET, L->file, sheet, 0, NULL,
                      em_tr("見出し行が見つかりません（先頭%d行に「通信形態」の列がありません）",
                            "no header row (no 通信形態 column in the first %d rows)"),
                      HEADER_SEARCH_ROWS);
}

/* Stops the header search as soon as the header row is seen. */
static int probe_row(void *ctx, const struct em_row *r, struct em_err *err)
{
    (void)err;
    int *found = ctx;
    if (em_hdr_row_has(r, "通信形態") || em_hdr_row_has(r, "comm_type")) {
        *found = 1;
        return 1;
    }
    return 0;
}

/* data NULL: the workbook is read from path; else from data[0..len) (path names it). */
static int load_xlsx(struct loader *L, const char *path, const char *data, size_t len)
{
    struct em_xlsx *x = data ? em_xlsx_open_mem(path, data, len, L->err) : em_xlsx_open(path, L->err);
    if (!x) return L->err && L->err->rc ? L->err->rc : EM_ERR_FORMAT;
    int rc = 0;
    size_t n = em_xlsx_sheet_count(x);
    size_t rec = EM_NONE;
    for (size_t i = 0; i < n && rec == EM_NONE; i++)
        if (is_named(em_xlsx_sheet_name(x, i), "回線・機器情報記入シート")) rec = i;
    for (size_t i = 0; i < n && rec == EM_NONE; i++) {
        const char *name = em_xlsx_sheet_name(x, i);
        if (is_secret_sheet(name)) continue;
        int found = 0;
        struct em_err perr = {0};
        int prc = em_xlsx_read_sheet(x, i, HEADER_SEARCH_ROWS, probe_row, &found, &perr);
        if (prc < 0 && perr.rc == EM_ERR_NOMEM) {
            *L->err = perr;
            em_xlsx_close(x);
            return prc;
        }
        if (found) rec = i;
    }
    if (rec == EM_NONE) {
        rc = em_err_set(L->err, EM_ERR_NOSHEET, path, NULL, 0, NULL,
                        em_tr("回線・機器情報記入シートが見つかりません（「通信形態」の見出しがあるシートがありません）",
                              "no records sheet (回線・機器情報記入シート, or a sheet with a 通信形態 header)"));
        em_xlsx_close(x);
        return rc;
    }
    /* site and terminals first, so titles and terminal findings are in place */
    for (size_t i = 0; i < n && rc >= 0; i++) {
        const char *name = em_xlsx_sheet_name(x, i);
        if (i == rec || is_secret_sheet(name)) continue;
        if (is_named(name, "基本情報記入シート")) {
            reset_sheet(L, name, SK_SITE);
            rc = em_xlsx_read_sheet(x, i, 200, on_row, L, L->err);
        } else if (is_named(name, "調査端末情報記入シート")) {
            reset_sheet(L, name, SK_TERMINALS);
            rc = em_xlsx_read_sheet(x, i, 0, on_row, L, L->err);
        }
    }
    if (rc >= 0) {
        reset_sheet(L, em_xlsx_sheet_name(x, rec), SK_RECORDS);
        rc = em_xlsx_read_sheet(x, rec, 0, on_row, L, L->err);
        if (rc >= 0 && L->state == 0) rc = no_header(L, em_xlsx_sheet_name(x, rec));
        else if (rc >= 0 && L->state == 1) {
            rc = build_map(L, NULL); /* header was the last row: no records */
            L->state = 2;
        }
    }
    em_xlsx_close(x);
    return rc < 0 ? rc : 0;
}

static int load_csv(struct loader *L, const char *path, const char *data, size_t len)
{
    reset_sheet(L, "", SK_RECORDS);
    int rc = data ? em_csv_read_mem(path, data, len, on_row, L, L->err) : em_csv_read(path, on_row, L, L->err);
    if (rc < 0) return rc;
    if (L->state == 0) return no_header(L, NULL);
    if (L->state == 1) {
        rc = build_map(L, NULL);
        L->state = 2;
    }
    return rc < 0 ? rc : 0;
}

/* The one loader: data NULL reads path (sniffed by its first bytes, then opened again
 * by the reader); data given is the whole file already read once (a pipe). */
static int load_any(struct em_model *m, const char *path, const char *data, size_t len, struct em_err *err)
{
    unsigned char magic[8] = {0};
    size_t got;
    if (data) {
        got = len < sizeof magic ? len : sizeof magic;
        memcpy(magic, data, got);
    } else {
        FILE *f = fopen(path, "rb");
        if (!f)
            return em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                              em_tr("ファイルを開けません", "cannot open the file"));
        got = fread(magic, 1, sizeof magic, f);
        fclose(f);
    }
    size_t src = m->n_sources;
    const char **ns = realloc(m->sources, (src + 1) * sizeof *ns);
    if (!ns) return em_err_set(err, EM_ERR_NOMEM, path, NULL, 0, NULL, "out of memory");
    m->sources = ns;
    m->sources[src] = em_pool_str(m->pool, path);
    m->n_sources++;

    struct loader L;
    if (init_loader(&L, m, path, src, err) != 0) return EM_ERR_NOMEM;
    int rc;
    size_t plen = strlen(path);
    int is_zip = got >= 4 && magic[0] == 'P' && magic[1] == 'K';
    int is_ole = got >= 4 && magic[0] == 0xD0 && magic[1] == 0xCF && magic[2] == 0x11 && magic[3] == 0xE0;
    int ext_xlsx = plen >= 5 && (g_ascii_strcasecmp(path + plen - 5, ".xlsx") == 0 ||
                                 g_ascii_strcasecmp(path + plen - 5, ".xlsm") == 0);
    if (is_zip || is_ole || ext_xlsx) rc = load_xlsx(&L, path, data, len);
    else rc = load_csv(&L, path, data, len);
    done_loader(&L);
    return rc;
}

int em_records_load(struct em_model *m, const char *path, struct em_err *err)
{
    /* a pipe (check <(cat survey.csv)) or /dev/stdin can be read only once: read it
     * whole, within the cap, and parse from memory */
    if (em_file_is_stream(path)) {
        size_t len = 0;
        char *data = em_file_read(path, EM_RECORDS_STREAM_MAX, em_tr("記入シート", "records"), &len, err);
        if (!data) return err && err->rc ? err->rc : EM_ERR_IO;
        int rc = load_any(m, path, data, len, err);
        free(data);
        return rc;
    }
    return load_any(m, path, NULL, 0, err);
}

int em_records_load_mem(struct em_model *m, const char *name, const char *data, size_t len, struct em_err *err)
{
    if (!data) return em_err_set(err, EM_ERR_USAGE, name, NULL, 0, NULL, "%s", em_tr("データがありません", "no data"));
    return load_any(m, name, data, len, err);
}
