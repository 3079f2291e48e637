/* advisory.c — the firmware advisory table: loading data/firmware-advisories.tsv,
 * parsing firmware versions as they are written in survey sheets, and matching a
 * declared device (maker, model, firmware) against the affected version ranges. */
#include "mapper/advisory.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/textenc.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_BYTES  (4L * 1024 * 1024)  /* the shipped table is a few KiB */
#define MAX_FIELDS      16
#define MAX_TEXT        1024                /* folded text examined by the parsers */
#define MAX_NUM_DIGITS  9                   /* a version part fits an int */

enum range_kind { R_RANGE, R_LE, R_LT, R_GE, R_GT, R_PREFIX, R_EXACT };

struct range {
    enum range_kind kind;
    int lo[4], nlo;
    int hi[4], nhi;
    int hi_exclusive;
};

struct adv {
    struct em_advisory pub;     /* first: out pointers point here */
    char *maker_key;            /* normalised maker ("" = any) */
    struct range *ranges; size_t n_ranges;
    char **pats; size_t n_pats; /* normalised model globs */
};

/* A maker spelling: its canonical name, or (reseller) a carrier/reseller name written in
 * the maker cell of rented equipment, which says nothing about the maker. */
struct alias { char *key; const char *canonical; int reseller; };

struct em_advisories {
    struct adv *advs; size_t n, cap;
    struct alias *aliases; size_t n_al, cap_al;
    char **owned; size_t n_owned, cap_owned;   /* every string handed out */
};

/* ---- text folding -------------------------------------------------------------- */


/* Full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic space to space. */
static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
    if (cp == 0x3000) return ' ';
    return cp;
}

/* Appends the UTF-8 encoding of cp to buf (size-limited); returns new length. */
static size_t put_utf8(char *buf, size_t n, size_t size, uint32_t cp)
{
    char tmp[6];
    size_t len = (size_t)g_unichar_to_utf8(cp, tmp);
    if (n + len >= size) return n;   /* truncate at a character boundary */
    memcpy(buf + n, tmp, len);
    return n + len;
}

/* Folds text to ASCII for the version parser: full-width forms become ASCII, every
 * other non-ASCII character becomes one '\x01' (a separator). */
static void fold_ascii(const char *text, char *buf, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0;
    while (*s && n + 1 < size) {
        uint32_t cp;
        s += em_utf8_next(s, &cp);
        cp = fold_cp(cp);
        buf[n++] = cp < 0x80 ? (char)cp : '\x01';
    }
    buf[n] = '\0';
}

char *em_model_normalise(const char *model, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0) return buf;
    const unsigned char *s = (const unsigned char *)(model ? model : "");
    while (*s) {
        uint32_t cp;
        s += em_utf8_next(s, &cp);
        cp = fold_cp(cp);
        if (cp == ' ' || cp == '\t' || cp == '-' || cp == '_' || cp == 0x30FC /* ー */
            || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFF70)
            continue;
        if (cp < 0x80) cp = (uint32_t)tolower((int)cp);
        size_t m = put_utf8(buf, n, size, cp);
        if (m == n) break;
        n = m;
    }
    buf[n] = '\0';
    return buf;
}

/* Maker key: like a model, plus '.', ',', '・', '(', ')' dropped and company
 * suffixes removed, so "Fortinet, Inc." and "ヤマハ株式会社" meet their aliases. */
static void maker_key(const char *maker, char *buf, size_t size)
{
    char tmp[512];
    em_model_normalise(maker, tmp, sizeof tmp);
    static const char *const drop[] = {
        "株式会社", "有限会社", "(株)", "(有)", "㈱", "・", ".", ",", "(", ")", "（", "）",
    };
    /* remove every occurrence of the dropped pieces */
    size_t n = 0;
    for (const char *p = tmp; *p && n + 1 < size;) {
        int hit = 0;
        for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) {
            size_t l = strlen(drop[i]);
            if (strncmp(p, drop[i], l) == 0) { p += l; hit = 1; break; }
        }
        if (!hit) buf[n++] = *p++;
    }
    buf[n] = '\0';
    static const char *const suffix[] = { "corporation", "corp", "coltd", "ltd", "inc", "kk" };
    for (int again = 1; again;) {
        again = 0;
        for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            size_t l = strlen(suffix[i]);
            if (n > l && strcmp(buf + n - l, suffix[i]) == 0) {
                n -= l; buf[n] = '\0'; again = 1;
            }
        }
    }
}

/* ---- versions ------------------------------------------------------------------ */

/* Reads 1..MAX_NUM_DIGITS digits at s[*i]; -1 if there are none or too many. */
static int read_num(const char *s, size_t *i)
{
    size_t j = *i; int v = 0, d = 0;
    while (isdigit((unsigned char)s[j])) {
        if (++d > MAX_NUM_DIGITS) return -1;
        v = v * 10 + (s[j] - '0');
        j++;
    }
    if (d == 0) return -1;
    *i = j;
    return v;
}

int em_version_parse(const char *text, int parts[4])
{
    for (int k = 0; k < 4; k++) parts[k] = 0;
    if (!text) return 0;
    char b[MAX_TEXT];
    fold_ascii(text, b, sizeof b);
    for (size_t i = 0; b[i]; i++) {
        if (!isdigit((unsigned char)b[i]) || (i > 0 && isdigit((unsigned char)b[i - 1])))
            continue;
        size_t j = i;
        int v[4] = {0, 0, 0, 0}, n = 0, used_r = 0;
        int x = read_num(b, &j);
        if (x < 0) {                     /* absurdly long digit run: skip it */
            while (isdigit((unsigned char)b[i + 1])) i++;
            continue;
        }
        v[n++] = x;
        for (;;) {
            int is_dot = b[j] == '.' && isdigit((unsigned char)b[j + 1]);
            int is_r = (b[j] == 'R' || b[j] == 'r') && n >= 2 && !used_r
                       && isdigit((unsigned char)b[j + 1]);
            if (!is_dot && !is_r) break;
            size_t k = j + 1;
            x = read_num(b, &k);
            if (x < 0) break;
            j = k;
            if (is_r) used_r = 1;
            if (n < 4) v[n++] = x;
        }
        if (n < 2) {                     /* "60F", "build0231": not a version */
            while (isdigit((unsigned char)b[i + 1])) i++;
            continue;
        }
        if (n < 4 && b[j] >= 'a' && b[j] <= 'z' && !isalnum((unsigned char)b[j + 1]))
            v[n++] = b[j] - 'a' + 1;     /* Cisco "17.9.4a" comes after 17.9.4 */
        for (int k = 0; k < 4; k++) parts[k] = v[k];
        return n;
    }
    return 0;
}

int em_version_cmp(const int a[4], int na, const int b[4], int nb)
{
    for (int i = 0; i < 4; i++) {
        int x = i < na ? a[i] : 0, y = i < nb ? b[i] : 0;
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

static int range_has(const struct range *r, const int v[4], int n)
{
    switch (r->kind) {
    case R_RANGE:
        if (em_version_cmp(v, n, r->lo, r->nlo) < 0) return 0;
        return r->hi_exclusive ? em_version_cmp(v, n, r->hi, r->nhi) < 0
                               : em_version_cmp(v, n, r->hi, r->nhi) <= 0;
    case R_LE: return em_version_cmp(v, n, r->hi, r->nhi) <= 0;
    case R_LT: return em_version_cmp(v, n, r->hi, r->nhi) < 0;
    case R_GE: return em_version_cmp(v, n, r->lo, r->nlo) >= 0;
    case R_GT: return em_version_cmp(v, n, r->lo, r->nlo) > 0;
    case R_EXACT: return em_version_cmp(v, n, r->lo, r->nlo) == 0;
    case R_PREFIX:
        for (int i = 0; i < r->nlo; i++)
            if ((i < n ? v[i] : 0) != r->lo[i]) return 0;
        return 1;
    }
    return 0;
}

/* ---- the set ------------------------------------------------------------------- */

static char *own(struct em_advisories *a, const char *s, size_t len)
{
    if (a->n_owned == a->cap_owned) {
        size_t cap = a->cap_owned ? a->cap_owned * 2 : 64;
        char **p = realloc(a->owned, cap * sizeof *p);
        if (!p) return NULL;
        a->owned = p; a->cap_owned = cap;
    }
    char *c = malloc(len + 1);
    if (!c) return NULL;
    memcpy(c, s, len);
    c[len] = '\0';
    a->owned[a->n_owned++] = c;
    return c;
}

static char *own_str(struct em_advisories *a, const char *s) { return own(a, s, strlen(s)); }

void em_advisories_free(struct em_advisories *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->advs[i].ranges);
        free(a->advs[i].pats);
        free(a->advs[i].pub.cves);
    }
    for (size_t i = 0; i < a->n_owned; i++) free(a->owned[i]);
    free(a->owned);
    free(a->advs);
    free(a->aliases);
    free(a);
}

size_t em_advisories_count(const struct em_advisories *a) { return a ? a->n : 0; }

static int add_alias(struct em_advisories *a, const char *alias, const char *canonical, int reseller)
{
    char key[512];
    maker_key(alias, key, sizeof key);
    if (!key[0]) return 0;
    for (size_t i = 0; i < a->n_al; i++)
        if (strcmp(a->aliases[i].key, key) == 0) return 0;   /* first one wins */
    if (a->n_al == a->cap_al) {
        size_t cap = a->cap_al ? a->cap_al * 2 : 32;
        struct alias *p = realloc(a->aliases, cap * sizeof *p);
        if (!p) return -1;
        a->aliases = p; a->cap_al = cap;
    }
    char *k = own_str(a, key);
    if (!k) return -1;
    a->aliases[a->n_al].key = k;
    a->aliases[a->n_al].canonical = canonical;
    a->aliases[a->n_al].reseller = reseller;
    a->n_al++;
    return 0;
}

const char *em_maker_canonical(const struct em_advisories *a, const char *maker)
{
    if (!a || !maker) return maker;
    char key[512];
    maker_key(maker, key, sizeof key);
    if (!key[0]) return maker;
    for (size_t i = 0; i < a->n_al; i++)
        if (strcmp(a->aliases[i].key, key) == 0)
            return a->aliases[i].reseller ? maker : a->aliases[i].canonical;
    return maker;
}

/* Is key (a maker_key) a reseller's name? */
static int is_reseller(const struct em_advisories *a, const char *key)
{
    for (size_t i = 0; i < a->n_al; i++)
        if (a->aliases[i].reseller && strcmp(a->aliases[i].key, key) == 0) return 1;
    return 0;
}

/* ---- loading ------------------------------------------------------------------- */

struct loader {
    struct em_advisories *a;
    const char *path;
    struct em_err *err;
    long row;
};

#define LOAD_FAIL(L, col, ...) \
    em_err_set((L)->err, EM_ERR_FORMAT, (L)->path, "", (L)->row, (col), __VA_ARGS__)

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* A bound written in the data file ("6.0.4", "Rev.15.02.09", "9.0R3.4"). */
static int parse_bound(struct loader *L, const char *text, int v[4], int *n)
{
    *n = em_version_parse(text, v);
    if (*n == 0)
        return LOAD_FAIL(L, "affected",
                         em_tr("「%s」はバージョンとして読めません（例: 6.0.4, Rev.15.02.09）",
                               "'%s' is not a version (e.g. 6.0.4, Rev.15.02.09)"), text);
    return 0;
}

/* One item of the affected column: A-B, A-<B, <=B, <B, >=A, >A, 6.0.*, or A. */
static int parse_range(struct loader *L, char *item, struct range *r)
{
    memset(r, 0, sizeof *r);
    item = trim(item);
    size_t len = strlen(item);
    if (len == 0)
        return LOAD_FAIL(L, "affected", "%s",
                         em_tr("空の範囲があります（カンマが続いています）",
                               "empty range (two commas in a row)"));
    if (item[0] == '<' || item[0] == '>') {
        int le = item[1] == '=';
        const char *b = item + 1 + le;
        if (item[0] == '<') { r->kind = le ? R_LE : R_LT; return parse_bound(L, b, r->hi, &r->nhi); }
        r->kind = le ? R_GE : R_GT;
        return parse_bound(L, b, r->lo, &r->nlo);
    }
    if (len >= 2 && strcmp(item + len - 2, ".*") == 0) {
        r->kind = R_PREFIX;
        item[len - 2] = '\0';
        size_t i = 0;
        for (;;) {
            int x = read_num(item, &i);
            if (x < 0 || r->nlo == 4) break;
            r->lo[r->nlo++] = x;
            if (item[i] == '\0') return 0;
            if (item[i] != '.') break;
            i++;
        }
        item[len - 2] = '.';
        return LOAD_FAIL(L, "affected",
                         em_tr("「%s」は系列の指定として読めません（例: 6.0.*）",
                               "'%s' is not a branch (e.g. 6.0.*)"), item);
    }
    char *dash = strchr(item, '-');
    if (dash) {
        *dash = '\0';
        char *hi = trim(dash + 1);
        r->kind = R_RANGE;
        if (*hi == '<') { r->hi_exclusive = 1; hi++; }
        if (parse_bound(L, trim(item), r->lo, &r->nlo) < 0) return -1;
        if (parse_bound(L, hi, r->hi, &r->nhi) < 0) return -1;
        if (em_version_cmp(r->lo, r->nlo, r->hi, r->nhi) > 0)
            return LOAD_FAIL(L, "affected",
                             em_tr("範囲「%s-%s」の下限が上限より大きくなっています",
                                   "range '%s-%s' has its lower bound above its upper bound"),
                             trim(item), hi);
        return 0;
    }
    r->kind = R_EXACT;
    return parse_bound(L, item, r->lo, &r->nlo);
}

static int valid_cve(const char *s)
{
    if (strncmp(s, "CVE-", 4) != 0) return 0;
    s += 4;
    for (int i = 0; i < 4; i++) if (!isdigit((unsigned char)*s++)) return 0;
    if (*s++ != '-') return 0;
    int d = 0;
    while (isdigit((unsigned char)*s)) { s++; d++; }
    return *s == '\0' && d >= 4 && d <= 7;
}

enum { C_MAKER, C_MODEL, C_AFFECTED, C_FIXED, C_CVES, C_URL, C_SUMMARY, C_N };
static const char *const adv_cols[C_N] = {
    "maker", "model", "affected", "fixed", "cves", "url", "summary",
};
static const int adv_required[C_N] = { 0, 1, 1, 0, 1, 1, 1 };

static int add_advisory(struct loader *L, char **f, int nf, const int *idx)
{
    struct em_advisories *a = L->a;
    const char *v[C_N];
    for (int c = 0; c < C_N; c++) {
        v[c] = idx[c] < nf ? f[idx[c]] : "";
        if (adv_required[c] && !v[c][0])
            return LOAD_FAIL(L, adv_cols[c], "%s", em_tr("この列は必須ですが空です",
                                                         "this column is required but empty"));
    }
    if (strncmp(v[C_URL], "https://", 8) != 0 && strncmp(v[C_URL], "http://", 7) != 0)
        return LOAD_FAIL(L, "url", em_tr("「%s」はURLではありません", "'%s' is not a URL"), v[C_URL]);

    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 32;
        struct adv *p = realloc(a->advs, cap * sizeof *p);
        if (!p) return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");
        a->advs = p; a->cap = cap;
    }
    struct adv *d = &a->advs[a->n];
    memset(d, 0, sizeof *d);
    a->n++;                              /* counted now so em_advisories_free sees it */
    d->pub.row = L->row;
    if (!(d->pub.maker = own_str(a, v[C_MAKER])) || !(d->pub.model_pattern = own_str(a, v[C_MODEL]))
        || !(d->pub.fixed = own_str(a, v[C_FIXED])) || !(d->pub.url = own_str(a, v[C_URL]))
        || !(d->pub.summary = own_str(a, v[C_SUMMARY]))
        || !(d->pub.affected = own_str(a, v[C_AFFECTED])))
        return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");
    char key[512];
    maker_key(v[C_MAKER], key, sizeof key);
    if (!(d->maker_key = own_str(a, key)))
        return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");
    if (d->pub.maker[0] && add_alias(a, d->pub.maker, d->pub.maker, 0) < 0)
        return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");

    /* split a writable copy of each list column */
    char buf[4096];
    size_t cnt;
    const char *lists[3] = { v[C_MODEL], v[C_AFFECTED], v[C_CVES] };
    const char seps[3] = { '|', ',', ',' };
    for (int li = 0; li < 3; li++) {
        if (strlen(lists[li]) >= sizeof buf)
            return LOAD_FAIL(L, adv_cols[li == 0 ? C_MODEL : li == 1 ? C_AFFECTED : C_CVES], "%s",
                             em_tr("値が長すぎます", "value too long"));
        snprintf(buf, sizeof buf, "%s", lists[li]);
        cnt = 1;
        for (const char *p = buf; *p; p++) if (*p == seps[li]) cnt++;
        void *arr = calloc(cnt, li == 0 ? sizeof(char *) : li == 1 ? sizeof(struct range)
                                                                  : sizeof(char *));
        if (!arr) return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");
        if (li == 0) d->pats = arr; else if (li == 1) d->ranges = arr; else d->pub.cves = arr;
        char *save = buf;
        for (size_t k = 0; k < cnt; k++) {
            char *end = strchr(save, seps[li]);
            if (end) *end = '\0';
            char *item = save;
            save = end ? end + 1 : save + strlen(save);
            if (li == 0) {
                item = trim(item);
                char norm[512];
                em_model_normalise(item, norm, sizeof norm);
                if (!norm[0])
                    return LOAD_FAIL(L, "model", "%s", em_tr("機種名のパターンが空です",
                                                             "empty model pattern"));
                if (!(d->pats[d->n_pats++] = own_str(a, norm)))
                    return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");
            } else if (li == 1) {
                if (parse_range(L, item, &d->ranges[d->n_ranges]) < 0) return -1;
                d->n_ranges++;
            } else {
                item = trim(item);
                if (!valid_cve(item))
                    return LOAD_FAIL(L, "cves",
                                     em_tr("「%s」はCVE番号ではありません（例: CVE-2018-13379）",
                                           "'%s' is not a CVE id (e.g. CVE-2018-13379)"), item);
                if (!(d->pub.cves[d->pub.n_cves++] = own_str(a, item)))
                    return em_err_set(L->err, EM_ERR_NOMEM, L->path, "", L->row, "", "out of memory");
            }
        }
    }
    return 0;
}

static int split_tabs(char *line, char **f)
{
    int n = 0;
    for (char *p = line;;) {
        char *t = strchr(p, '\t');
        if (t) *t = '\0';
        if (n < MAX_FIELDS) f[n++] = trim(p);
        if (!t) break;
        p = t + 1;
    }
    return n;
}

/* Reads the whole file (capped) into a NUL-terminated UTF-8 buffer the caller frees. */
static char *slurp(const char *path, struct em_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("開けません: %s", "cannot open: %s"),
                   strerror(errno));
        return NULL;
    }
    char *buf = malloc((size_t)MAX_FILE_BYTES + 1);
    if (!buf) { fclose(fp); em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory"); return NULL; }
    size_t n = fread(buf, 1, (size_t)MAX_FILE_BYTES + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s", em_tr("読み込めません", "read error"));
        return NULL;
    }
    if (n > (size_t)MAX_FILE_BYTES) {
        free(buf);
        em_err_set(err, EM_ERR_LIMIT, path, "", 0, "", em_tr("ファイルが大きすぎます（上限 %ld バイト）",
                   "file too large (limit %ld bytes)"), MAX_FILE_BYTES);
        return NULL;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                   em_tr("テキストファイルではありません", "not a text file"));
        return NULL;
    }
    return em_text_utf8(buf, n, path, err);   /* Excel saves the table as CP932 */
}

struct em_advisories *em_advisories_load(const char *path, struct em_err *err)
{
    char *text = slurp(path, err);
    if (!text) return NULL;
    struct em_advisories *a = calloc(1, sizeof *a);
    if (!a) { free(text); em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory"); return NULL; }
    struct loader L = { a, path, err, 0 };
    enum { S_ADV, S_ALIAS, S_RESELLER } section = S_ADV;
    int have_header = 0;
    int idx[C_N];
    int al_canon = -1, al_alias = -1, rs_name = -1;
    int rc = 0;
    char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    while (*p && rc == 0) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        char *line = p;
        p = nl ? nl + 1 : p + strlen(p);
        L.row++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
        char *t = trim(line);
        if (*t == '\0' || *t == '#') continue;
        if (*t == '[') {
            if (strcmp(t, "[advisories]") == 0) section = S_ADV;
            else if (strcmp(t, "[aliases]") == 0) section = S_ALIAS;
            else if (strcmp(t, "[resellers]") == 0) section = S_RESELLER;
            else { rc = LOAD_FAIL(&L, "", em_tr("不明なセクション %s（[advisories], [aliases], [resellers]）",
                                                 "unknown section %s (expected [advisories], [aliases] or [resellers])"), t);
                   break; }
            have_header = 0;
            continue;
        }
        char *f[MAX_FIELDS];
        int nf = split_tabs(line, f);
        if (!have_header) {
            have_header = 1;
            if (section == S_ADV) {
                for (int c = 0; c < C_N; c++) {
                    idx[c] = -1;
                    for (int k = 0; k < nf; k++) if (strcmp(f[k], adv_cols[c]) == 0) idx[c] = k;
                    if (idx[c] < 0) {
                        rc = LOAD_FAIL(&L, adv_cols[c],
                                       em_tr("見出し行に列「%s」がありません", "header row lacks column '%s'"),
                                       adv_cols[c]);
                        break;
                    }
                }
            } else if (section == S_RESELLER) {
                rs_name = -1;
                for (int k = 0; k < nf; k++) if (strcmp(f[k], "name") == 0) rs_name = k;
                if (rs_name < 0)
                    rc = LOAD_FAIL(&L, "name", em_tr("見出し行に列「%s」がありません", "header row lacks column '%s'"),
                                   "name");
            } else {
                al_canon = al_alias = -1;
                for (int k = 0; k < nf; k++) {
                    if (strcmp(f[k], "canonical") == 0) al_canon = k;
                    if (strcmp(f[k], "alias") == 0) al_alias = k;
                }
                if (al_canon < 0 || al_alias < 0)
                    rc = LOAD_FAIL(&L, al_canon < 0 ? "canonical" : "alias",
                                   em_tr("見出し行に列「%s」がありません", "header row lacks column '%s'"),
                                   al_canon < 0 ? "canonical" : "alias");
            }
            continue;
        }
        if (section == S_ADV) {
            rc = add_advisory(&L, f, nf, idx);
        } else if (section == S_RESELLER) {
            const char *name = rs_name < nf ? f[rs_name] : "";
            if (!name[0]) {
                rc = LOAD_FAIL(&L, "name", "%s", em_tr("この列は必須ですが空です", "this column is required but empty"));
                break;
            }
            if (add_alias(a, name, "", 1) < 0)
                rc = em_err_set(err, EM_ERR_NOMEM, path, "", L.row, "", "out of memory");
        } else {
            const char *canon = al_canon < nf ? f[al_canon] : "";
            const char *alias = al_alias < nf ? f[al_alias] : "";
            if (!canon[0] || !alias[0]) {
                rc = LOAD_FAIL(&L, !canon[0] ? "canonical" : "alias", "%s",
                               em_tr("この列は必須ですが空です", "this column is required but empty"));
                break;
            }
            /* reuse the canonical string already owned when there is one */
            const char *c = em_maker_canonical(a, canon);
            if ((c == canon && !(c = own_str(a, canon)))
                || add_alias(a, canon, c, 0) < 0 || add_alias(a, alias, c, 0) < 0)
                rc = em_err_set(err, EM_ERR_NOMEM, path, "", L.row, "", "out of memory");
        }
    }
    free(text);
    if (rc == 0 && a->n == 0)
        rc = em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                        em_tr("脆弱性情報が1件もありません", "no advisory rows"));
    if (rc < 0) { em_advisories_free(a); return NULL; }
    return a;
}

/* ---- matching ------------------------------------------------------------------ */

/* Length of a word separator at p (spaces, brackets, slashes, commas in ASCII or full
 * width), 0 if p is not one. */
static size_t model_sep(const char *p)
{
    static const char *const seps[] = {
        " ", "\t", "(", ")", "[", "]", "/", ",", "　", "（", "）", "「", "」", "【", "】", "／", "，", "、",
    };
    for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
        size_t l = strlen(seps[i]);
        if (strncmp(p, seps[i], l) == 0) return l;
    }
    return 0;
}

size_t em_advisories_match(const struct em_advisories *a, const char *maker, const char *model,
                           const char *firmware, const struct em_advisory **out, size_t max)
{
    if (!a || !model || !firmware) return 0;
    char norm_model[512];
    em_model_normalise(model, norm_model, sizeof norm_model);
    if (!norm_model[0]) return 0;
    int v[4];
    int nv = em_version_parse(firmware, v);
    if (nv == 0) return 0;
    /* the model cell often carries more than the model ("ヤマハ RTX1210", "RTX1210（本体）"):
       its words are tried too */
    char wbuf[512], words[8][128];
    size_t n_words = 0;
    snprintf(wbuf, sizeof wbuf, "%s", model);
    for (char *p = wbuf; *p && n_words < 8;) {
        size_t sep = model_sep(p);
        if (sep) { p += sep; continue; }
        char *start = p;
        while (*p && !model_sep(p)) p++;
        char saved = *p;
        *p = '\0';
        em_model_normalise(start, words[n_words], sizeof words[0]);
        if (words[n_words][0] && strcmp(words[n_words], norm_model) != 0) n_words++;
        *p = saved;
    }
    char mk[512] = "";
    if (maker) {
        const char *c = em_maker_canonical(a, maker);
        maker_key(c, mk, sizeof mk);
        if (is_reseller(a, mk)) mk[0] = '\0';   /* a rental's carrier: the model decides */
    }
    size_t found = 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct adv *d = &a->advs[i];
        if (mk[0] && d->maker_key[0] && strcmp(mk, d->maker_key) != 0) continue;
        int model_ok = 0;
        for (size_t k = 0; k < d->n_pats && !model_ok; k++) {
            model_ok = fnmatch(d->pats[k], norm_model, 0) == 0;
            for (size_t w = 0; w < n_words && !model_ok; w++)
                model_ok = fnmatch(d->pats[k], words[w], 0) == 0;
        }
        if (!model_ok) continue;
        int in = 0;
        for (size_t k = 0; k < d->n_ranges && !in; k++) in = range_has(&d->ranges[k], v, nv);
        if (!in) continue;
        if (out && found < max) out[found] = &d->pub;
        found++;
    }
    return found;
}
