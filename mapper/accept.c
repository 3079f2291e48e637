/* accept.c — the accepted-findings file (--accept): parsing with line/column errors,
 * matching against the model's findings, stale entries as W-ACCEPT-STALE. */
#include "mapper/accept.h"
#include "mapper/codes.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/file.h"
#include "mapper/lang.h"
#include "mapper/norm.h"

enum { A_CODE, A_LINE_NO, A_ROW, A_REASON, A_BY, A_DATE, A_NFIELDS };
static const char *const field_names[A_NFIELDS] = {"code", "line_no", "row", "reason", "accepted_by", "date"};

struct entry {
    char *f[A_NFIELDS];
    char line_key[128];   /* compact form of line_no, "" = any */
    long row;             /* 0 = any */
    int line;             /* line of the file */
    bool used;
};

struct em_accept {
    char *path;
    struct entry *e;
    size_t n;
};

void em_accept_free(struct em_accept *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n; i++)
        for (int k = 0; k < A_NFIELDS; k++) g_free(a->e[i].f[k]);
    g_free(a->e);
    g_free(a->path);
    g_free(a);
}

size_t em_accept_count(const struct em_accept *a)
{
    return a ? a->n : 0;
}

/* The end of the entry that starts at s: the '\n' that ends it, or the NUL ending the
 * text. A '\n' inside a quoted field (Excel writes a cell with Alt+Enter so) does not
 * end it; a quote opens a field only as its first character, as split_fields reads it.
 * *breaks gets the number of '\n' inside quotes (lines of the file the entry spans
 * beyond its first); *open is set when the text ends inside a quoted field. */
static char *entry_end(char *s, int *breaks, bool *open)
{
    bool field_start = true, quoted = false;
    *breaks = 0;
    for (char *p = s;; p++) {
        if (*p == '\0') {
            *open = quoted;
            return p;
        }
        if (quoted) {
            if (*p == '"' && p[1] == '"') p++;
            else if (*p == '"') quoted = false;
            else if (*p == '\n') (*breaks)++;
            continue;
        }
        if (*p == '\n') {
            *open = false;
            return p;
        }
        quoted = field_start && *p == '"';
        field_start = *p == '\t';
    }
}

/* Splits one line at tabs into at most max fields (Excel's quoting undone: a field in
 * double quotes, "" inside for one quote). Returns the number of fields, or max + 1
 * when there are more. Each field is g_strdup'ed and trimmed. */
static int split_fields(const char *line, char **out, int max)
{
    int n = 0;
    const char *p = line;
    for (;;) {
        GString *f = g_string_new(NULL);
        if (*p == '"') {
            p++;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    g_string_append_c(f, '"');
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else if (*p == '\r' && p[1] == '\n') {
                    p++;   /* a line break inside the cell: LF, as Excel writes it */
                } else {
                    g_string_append_c(f, *p++);
                }
            }
            while (*p && *p != '\t') g_string_append_c(f, *p++);
        } else {
            while (*p && *p != '\t') g_string_append_c(f, *p++);
        }
        char *s = g_string_free(f, FALSE);
        g_strstrip(s);
        if (n < max) out[n] = s;
        else g_free(s);
        n++;
        if (*p != '\t') break;
        p++;
    }
    return n > max ? max + 1 : n;
}

static bool is_code(const char *s)
{
    /* E-..., W-..., H-...: letter, '-', then letters, digits and '-' */
    if (!g_ascii_isalpha(s[0]) || s[1] != '-' || !s[2]) return false;
    for (const char *p = s + 2; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '-') return false;
    return true;
}

static bool real_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !g_ascii_isdigit(s[i])) return false;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
    return g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* The file as UTF-8: kept as is when valid (BOM dropped), else converted from CP932.
 * Returns a g_malloc'd string or NULL. */
static char *as_utf8(const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (g_utf8_validate(data, (gssize)len, NULL)) return g_strndup(data, len);
    return g_convert(data, (gssize)len, "UTF-8", "CP932", NULL, NULL, NULL);
}

static int bad(struct em_err *err, const char *path, int line, int field, const char *msg)
{
    return em_err_set(err, EM_ERR_FORMAT, path, NULL, line, field >= 0 ? field_names[field] : NULL, "%s", msg);
}

/* Checks one data line's fields and fills e. Returns 0 or an error (err filled). */
static int entry_of(const char *path, int line, char **f, int nf, struct entry *e, struct em_err *err)
{
    for (int k = 0; k < A_NFIELDS; k++) e->f[k] = k < nf ? f[k] : g_strdup("");
    e->line = line;
    if (!*e->f[A_CODE]) return bad(err, path, line, A_CODE, em_tr("指摘コードが空です", "the finding code is empty"));
    for (char *p = e->f[A_CODE]; *p; p++) *p = g_ascii_toupper(*p);
    if (!is_code(e->f[A_CODE]))
        return bad(err, path, line, A_CODE, em_tr("指摘コードの形ではありません（例 W-GLOBAL-IP-EXPECTED）",
                                                  "not a finding code (e.g. W-GLOBAL-IP-EXPECTED)"));
    em_norm_compact(e->f[A_LINE_NO], strlen(e->f[A_LINE_NO]), e->line_key, sizeof e->line_key);
    e->row = 0;
    if (*e->f[A_ROW]) {
        char *end = NULL;
        long v = strtol(e->f[A_ROW], &end, 10);
        if (!end || *end || v < 1 || v > 1048576)
            return bad(err, path, line, A_ROW, em_tr("行番号は1以上の整数か空欄です", "row must be a whole number from 1, or blank"));
        e->row = v;
    }
    if (!*e->f[A_REASON])
        return bad(err, path, line, A_REASON, em_tr("承認の理由が空です", "the reason is empty"));
    if (*e->f[A_DATE] && !real_date(e->f[A_DATE]))
        return bad(err, path, line, A_DATE, em_tr("日付は YYYY-MM-DD の実在する日付か空欄です",
                                                  "date must be a real date YYYY-MM-DD, or blank"));
    return 0;
}

/* Parses the text (UTF-8) line by line into a. Returns 0 or an error. */
static int parse(struct em_accept *a, char *text, struct em_err *err)
{
    int line = 0;
    bool header = false;
    size_t cap = 0;
    char *save = text;
    while (save) {
        char *l = save;
        line++;
        /* a comment or blank line is one line of the file, whatever quotes it holds */
        char *t = l;
        while (*t == ' ') t++;
        size_t plen = strcspn(t, "\n");
        if (*t == '#' || strspn(t, "\t \r") == plen) {
            save = t[plen] ? t + plen + 1 : NULL;
            continue;
        }
        int breaks = 0;
        bool open = false;
        char *nl = entry_end(l, &breaks, &open);
        if (open)
            return bad(err, a->path, line, -1, em_tr("引用符（\"）で始まる欄が閉じていません（ファイルの終わりまで）",
                                                     "a field starting with a quote (\") is never closed (up to the end of the file)"));
        save = *nl ? nl + 1 : NULL;
        *nl = '\0';
        size_t len = strlen(l);
        if (len && l[len - 1] == '\r') l[--len] = '\0';
        char *f[A_NFIELDS] = {0};
        int nf = split_fields(l, f, A_NFIELDS);
        int rc = 0;
        if (!header) {
            for (int k = 0; k < A_NFIELDS && rc == 0; k++)
                if (nf != A_NFIELDS || g_ascii_strcasecmp(f[k], field_names[k]) != 0)
                    rc = bad(err, a->path, line, -1,
                             em_tr("1行目は見出し code<TAB>line_no<TAB>row<TAB>reason<TAB>accepted_by<TAB>date にしてください",
                                   "the first line must be the header code<TAB>line_no<TAB>row<TAB>reason<TAB>accepted_by<TAB>date"));
            header = true;
        } else if (nf > A_NFIELDS) {
            rc = bad(err, a->path, line, -1, em_tr("列が多すぎます（6列まで）", "too many fields (6 at most)"));
        } else if (a->n >= EM_ACCEPT_MAX_ENTRIES) {
            rc = em_err_set(err, EM_ERR_LIMIT, a->path, NULL, line, NULL, em_tr("承認が多すぎます（%d件まで）",
                            "too many entries (%d at most)"), EM_ACCEPT_MAX_ENTRIES);
        } else {
            if (a->n == cap) {
                cap = cap ? cap * 2 : 16;
                a->e = g_renew(struct entry, a->e, cap);
            }
            struct entry *e = &a->e[a->n];
            memset(e, 0, sizeof *e);
            a->n++;
            rc = entry_of(a->path, line, f, nf, e, err);
            for (int k = 0; k < A_NFIELDS; k++) f[k] = NULL;   /* now owned by e */
        }
        for (int k = 0; k < A_NFIELDS; k++) g_free(f[k]);
        if (rc != 0) return rc;
        line += breaks;   /* the lines a cell with line breaks spanned */
    }
    if (!header)
        return bad(err, a->path, 0, -1, em_tr("見出し行がありません（空のファイル）", "no header line (empty file)"));
    return 0;
}

struct em_accept *em_accept_load(const char *path, struct em_err *err)
{
    size_t len = 0;
    char *raw = em_file_read(path, EM_ACCEPT_MAX_BYTES, em_tr("承認ファイル", "accept file"), &len, err);
    if (!raw) return NULL;
    if (memchr(raw, '\0', len)) {
        free(raw);
        bad(err, path, 0, -1, em_tr("テキストファイルではありません", "not a text file"));
        return NULL;
    }
    char *text = as_utf8(raw, len);
    free(raw);
    if (!text) {
        bad(err, path, 0, -1, em_tr("文字コードが UTF-8 でも CP932 (Shift_JIS) でもありません",
                                    "the text is neither UTF-8 nor CP932 (Shift_JIS)"));
        return NULL;
    }
    struct em_accept *a = g_new0(struct em_accept, 1);
    a->path = g_strdup(path);
    int rc = parse(a, text, err);
    g_free(text);
    if (rc != 0) {
        em_accept_free(a);
        return NULL;
    }
    return a;
}

/* ---- matching: the findings indexed, so each entry looks at its own only ---- */

/* The findings of one code (compared without case): sorted by (row, index) and by
 * (compact 回線No, index). An entry with a row looks up its row, one with a 回線No only
 * its line, one with neither takes every finding of the code still free (after which
 * none is: all_taken). Each entry costs a lookup and its matches, not every finding
 * (a 100,000-entry file against a 100,000-row book was 10^10 comparisons). */
struct bycode {
    size_t *by_row, *by_line;
    size_t n, cap;
    bool all_taken;
};

struct findex {
    const struct em_model *m;
    GHashTable *codes;          /* upper-case code (g_malloc) -> struct bycode (g_malloc) */
    const char **keys;          /* per finding: its compact 回線No (in chunk) */
    GStringChunk *chunk;
};

static gint cmp_row(gconstpointer a, gconstpointer b, gpointer ctx)
{
    const struct findex *x = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int ri = x->m->findings[i].row, rj = x->m->findings[j].row;
    if (ri != rj) return ri < rj ? -1 : 1;
    return i < j ? -1 : i > j;
}

static gint cmp_line(gconstpointer a, gconstpointer b, gpointer ctx)
{
    const struct findex *x = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(x->keys[i], x->keys[j]);
    if (c) return c;
    return i < j ? -1 : i > j;
}

static void bycode_free(gpointer p)
{
    struct bycode *c = p;
    g_free(c->by_row);
    g_free(c->by_line);
    g_free(c);
}

/* Indexes the first n findings of m. */
static void findex_build(struct findex *x, const struct em_model *m, size_t n)
{
    x->m = m;
    x->codes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, bycode_free);
    x->keys = g_new(const char *, n ? n : 1);
    x->chunk = g_string_chunk_new(4096);
    char key[128];
    for (size_t k = 0; k < n; k++) {
        const struct em_finding *f = &m->findings[k];
        em_norm_compact(f->line_no, strlen(f->line_no), key, sizeof key);
        x->keys[k] = g_string_chunk_insert_const(x->chunk, key);
        char *up = g_ascii_strup(f->code, -1);
        struct bycode *c = g_hash_table_lookup(x->codes, up);
        if (!c) {
            c = g_new0(struct bycode, 1);
            g_hash_table_insert(x->codes, up, c);
        } else {
            g_free(up);
        }
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 8;
            c->by_row = g_renew(size_t, c->by_row, c->cap);
        }
        c->by_row[c->n++] = k;
    }
    GHashTableIter it;
    gpointer kp, vp;
    g_hash_table_iter_init(&it, x->codes);
    while (g_hash_table_iter_next(&it, &kp, &vp)) {
        struct bycode *c = vp;
        c->by_line = g_memdup2(c->by_row, c->n * sizeof *c->by_row);
        g_qsort_with_data(c->by_row, (gint)c->n, sizeof *c->by_row, cmp_row, x);
        g_qsort_with_data(c->by_line, (gint)c->n, sizeof *c->by_line, cmp_line, x);
    }
}

static void findex_free(struct findex *x)
{
    g_hash_table_destroy(x->codes);
    g_free(x->keys);
    g_string_chunk_free(x->chunk);
}

/* The first place in v[0..n) whose finding's row (by_row) or line key (by_line) is not
 * below the entry's. */
static size_t lower_bound(const struct findex *x, const size_t *v, size_t n, const struct entry *e, bool by_row)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = by_row ? (x->m->findings[v[mid]].row < e->row ? -1 : 0) : strcmp(x->keys[v[mid]], e->line_key);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Marks every free finding entry e matches with its acceptance (made at the first).
 * 0, or -1 on no memory. */
static int accept_entry(struct em_model *m, const struct em_accept *a, const struct findex *x, struct entry *e)
{
    char *up = g_ascii_strup(e->f[A_CODE], -1);
    struct bycode *c = g_hash_table_lookup(x->codes, up);
    g_free(up);
    if (!c || c->all_taken) return 0;
    bool by_row = e->row != 0;
    const size_t *v = by_row ? c->by_row : c->by_line;
    size_t from = 0;
    if (by_row || *e->line_key) from = lower_bound(x, v, c->n, e, by_row);
    struct em_acceptance *acc = NULL;
    for (size_t k = from; k < c->n; k++) {
        struct em_finding *f = &m->findings[v[k]];
        if (by_row && f->row != e->row) break;
        if (*e->line_key && strcmp(x->keys[v[k]], e->line_key) != 0) {
            if (by_row) continue;
            break;
        }
        if (f->accepted) continue;
        if (!acc) {
            acc = em_pool_alloc(m->pool, sizeof *acc);
            if (!acc) return -1;
            acc->reason = em_pool_str(m->pool, e->f[A_REASON]);
            acc->by = em_pool_str(m->pool, e->f[A_BY]);
            acc->date = em_pool_str(m->pool, e->f[A_DATE]);
            acc->file = em_pool_str(m->pool, a->path);
            acc->entry_line = e->line;
        }
        f->accepted = acc;
        e->used = true;
    }
    if (!by_row && !*e->line_key) c->all_taken = true;
    return 0;
}

int em_accept_apply(struct em_model *m, const struct em_accept *a, struct em_err *err)
{
    if (!a) return 0;
    struct findex x;
    findex_build(&x, m, m->n_findings);   /* stale warnings added below are not matched */
    for (size_t i = 0; i < a->n; i++)
        if (accept_entry(m, a, &x, &a->e[i]) != 0) {
            findex_free(&x);
            return em_err_set(err, EM_ERR_NOMEM, a->path, NULL, a->e[i].line, NULL, "out of memory");
        }
    findex_free(&x);
    for (size_t i = 0; i < a->n; i++) {
        const struct entry *e = &a->e[i];
        if (e->used) continue;
        struct em_src src = {a->path, "", e->line};
        char where[256] = "", rowtxt[32] = "";
        if (e->row) g_snprintf(rowtxt, sizeof rowtxt, em_tr("%ld行目", "row %ld"), e->row);
        if (*e->f[A_LINE_NO] || e->row)
            g_snprintf(where, sizeof where, em_tr("（回線No %s %s）", " (line No %s %s)"),
                       *e->f[A_LINE_NO] ? e->f[A_LINE_NO] : em_tr("すべて", "any"),
                       e->row ? rowtxt : em_tr("全行", "any row"));
        if (em_model_add(m, EM_W_ACCEPT_STALE, &src, "code", e->f[A_LINE_NO],
                                 em_tr("承認ファイルの%d行目 %s%s に当たる指摘がありません。直した結果なら、この行を承認ファイルから消してください。",
                                       "line %d of the accept file, %s%s, matches no finding. If the sheet was fixed, delete the line from the accept file."),
                                 e->line, e->f[A_CODE], where) != 0)
            return em_err_set(err, EM_ERR_NOMEM, a->path, NULL, e->line, NULL, "out of memory");
    }
    return 0;
}
