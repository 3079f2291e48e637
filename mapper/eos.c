/* eos.c — OS end-of-support table (data/os-eos.tsv) and its matcher.
 * OS names are compared as word sequences: text is folded (full width to ASCII,
 * lower case) and cut into words at spaces, punctuation and letter/digit boundaries,
 * so "Windows10Pro 22H2", "WIN10 pro 22h2" and "Ｗｉｎｄｏｗｓ １０ Pro" give the same
 * words. A pattern is a list of terms that must all be present, each a word sequence
 * with '|' between alternatives; '!' in front of a term forbids it. */
#include "mapper/eos.h"
#include "mapper/date.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "mapper/textenc.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_BYTES (1L * 1024 * 1024)
#define MAX_WORDS_TEXT 1024   /* bytes of " w1 w2 ... " kept for one OS text or term */
#define MAX_FIELDS     16

struct term {
    int neg;
    char **alts; size_t n_alts;   /* each " w1 w2 " (leading and trailing space) */
    int *alt_words;               /* words per alternative */
};

struct eos_row {
    char *pattern, *product, *end;
    struct term *terms; size_t n_terms;
    long row;
};

struct em_eos {
    struct eos_row *rows; size_t n, cap;
};


/* Character classes for word cutting. */
enum { K_SEP, K_ALPHA, K_DIGIT, K_OTHER };

/* Cuts text into " w1 w2 ... wn " in buf; returns the number of words. Words longer
 * than the buffer allows are cut; the result always fits and is NUL-terminated. */
static int words(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    int count = 0, prev = K_SEP;
    if (size < 3) { if (size) buf[0] = '\0'; return 0; }
    buf[n++] = ' ';
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        const unsigned char *start = s;
        uint32_t cp;
        s += em_utf8_next(s, &cp);
        if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;   /* full width to ASCII */
        int k;
        if (cp < 0x80) k = isalpha((int)cp) ? K_ALPHA : isdigit((int)cp) ? K_DIGIT : K_SEP;
        else if (cp == 0x3000 || (cp >= 0x3001 && cp <= 0x303F) || cp == 0x30FB
                 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0xFFFD)
            k = K_SEP;                                     /* spaces, 、。「」・ and the like */
        else k = K_OTHER;
        if (k == K_SEP) { prev = K_SEP; continue; }
        if (k != prev) {                                   /* a new word starts */
            if (buf[n - 1] != ' ') {
                if (n + 2 >= size) break;
                buf[n++] = ' ';
            }
            count++;
        }
        if (cp < 0x80) {
            if (n + 2 >= size) break;
            buf[n++] = (char)tolower((int)cp);
        } else {
            size_t len = (size_t)(s - start);
            if (n + len + 1 >= size) break;
            memcpy(buf + n, start, len);
            n += len;
        }
        prev = k;
    }
    if (buf[n - 1] != ' ') buf[n++] = ' ';
    buf[n] = '\0';
    return count;
}

void em_eos_free(struct em_eos *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->n; i++) {
        struct eos_row *r = &e->rows[i];
        for (size_t t = 0; t < r->n_terms; t++) {
            for (size_t k = 0; k < r->terms[t].n_alts; k++) free(r->terms[t].alts[k]);
            free(r->terms[t].alts);
            free(r->terms[t].alt_words);
        }
        free(r->terms);
        free(r->pattern);
        free(r->product);
        free(r->end);
    }
    free(e->rows);
    free(e);
}

static int valid_date(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)d[i])) return 0;
    int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int mon = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
    return em_date_valid(year, mon, day);   /* a real calendar day: not 2026-02-31 */
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

static char *dup(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);
    if (c) memcpy(c, s, n + 1);
    return c;
}

/* Parses a pattern into r->terms. Returns 0, or -1 with err filled. */
static int parse_pattern(struct eos_row *r, const char *pattern, const char *path, long row,
                         struct em_err *err)
{
    char buf[1024];
    if (strlen(pattern) >= sizeof buf)
        return em_err_set(err, EM_ERR_FORMAT, path, "", row, "match", "%s",
                          em_tr("パターンが長すぎます", "pattern too long"));
    snprintf(buf, sizeof buf, "%s", pattern);
    size_t cap = 1;
    for (const char *p = buf; *p; p++) if (*p == ' ') cap++;
    r->terms = calloc(cap, sizeof *r->terms);
    if (!r->terms) return em_err_set(err, EM_ERR_NOMEM, path, "", row, "", "out of memory");
    int positive = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        struct term *t = &r->terms[r->n_terms++];
        if (*tok == '!') { t->neg = 1; tok++; } else positive++;
        size_t na = 1;
        for (const char *p = tok; *p; p++) if (*p == '|') na++;
        t->alts = calloc(na, sizeof *t->alts);
        t->alt_words = calloc(na, sizeof *t->alt_words);
        if (!t->alts || !t->alt_words)
            return em_err_set(err, EM_ERR_NOMEM, path, "", row, "", "out of memory");
        char *s2 = NULL;
        for (char *alt = strtok_r(tok, "|", &s2); alt; alt = strtok_r(NULL, "|", &s2)) {
            char w[MAX_WORDS_TEXT];
            int nw = words(alt, w, sizeof w);
            if (nw == 0) continue;
            if (!(t->alts[t->n_alts] = dup(w)))
                return em_err_set(err, EM_ERR_NOMEM, path, "", row, "", "out of memory");
            t->alt_words[t->n_alts++] = nw;
        }
        if (t->n_alts == 0)
            return em_err_set(err, EM_ERR_FORMAT, path, "", row, "match",
                              em_tr("「%s」に語がありません", "'%s' has no words"), tok);
    }
    if (positive == 0)
        return em_err_set(err, EM_ERR_FORMAT, path, "", row, "match", "%s",
                          em_tr("パターンには「!」の付かない語が少なくとも1つ必要です",
                             "a pattern needs at least one term without '!'"));
    return 0;
}

struct em_eos *em_eos_load(const char *path, struct em_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        em_err_set(err, EM_ERR_IO, path, "", 0, "", em_tr("開けません: %s", "cannot open: %s"),
                   strerror(errno));
        return NULL;
    }
    char *text = malloc((size_t)MAX_FILE_BYTES + 1);
    if (!text) { fclose(fp); em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory"); return NULL; }
    size_t len = fread(text, 1, (size_t)MAX_FILE_BYTES + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || len > (size_t)MAX_FILE_BYTES || memchr(text, '\0', len)) {
        free(text);
        if (bad) em_err_set(err, EM_ERR_IO, path, "", 0, "", "%s", em_tr("読み込めません", "read error"));
        else if (len > (size_t)MAX_FILE_BYTES)
            em_err_set(err, EM_ERR_LIMIT, path, "", 0, "", "%s", em_tr("ファイルが大きすぎます", "file too large"));
        else em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s", em_tr("テキストファイルではありません", "not a text file"));
        return NULL;
    }
    text[len] = '\0';
    text = em_text_utf8(text, len, path, err);   /* Excel saves the table as CP932 */
    if (!text) return NULL;
    struct em_eos *e = calloc(1, sizeof *e);
    if (!e) { free(text); em_err_set(err, EM_ERR_NOMEM, path, "", 0, "", "out of memory"); return NULL; }
    static const char *const cols[] = { "match", "product", "end_of_support" };
    int idx[3] = { -1, -1, -1 }, have_header = 0, rc = 0;
    long row = 0;
    char *p = text;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) p += 3;
    while (*p && rc == 0) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        char *line = p;
        p = nl ? nl + 1 : p + strlen(p);
        row++;
        size_t l = strlen(line);
        if (l > 0 && line[l - 1] == '\r') line[--l] = '\0';
        char *t = trim(line);
        if (*t == '\0' || *t == '#') continue;
        char *f[MAX_FIELDS];
        int nf = 0;
        for (char *q = line;;) {
            char *tab = strchr(q, '\t');
            if (tab) *tab = '\0';
            if (nf < MAX_FIELDS) f[nf++] = trim(q);
            if (!tab) break;
            q = tab + 1;
        }
        if (!have_header) {
            have_header = 1;
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < nf; k++) if (strcmp(f[k], cols[c]) == 0) idx[c] = k;
                if (idx[c] < 0) {
                    rc = em_err_set(err, EM_ERR_FORMAT, path, "", row, cols[c],
                                    em_tr("見出し行に列「%s」がありません", "header row lacks column '%s'"),
                                    cols[c]);
                    break;
                }
            }
            continue;
        }
        const char *v[3];
        for (int c = 0; c < 3; c++) {
            v[c] = idx[c] < nf ? f[idx[c]] : "";
            if (!v[c][0]) {
                rc = em_err_set(err, EM_ERR_FORMAT, path, "", row, cols[c], "%s",
                                em_tr("この列は必須ですが空です", "this column is required but empty"));
                break;
            }
        }
        if (rc) break;
        if (!valid_date(v[2])) {
            rc = em_err_set(err, EM_ERR_FORMAT, path, "", row, "end_of_support",
                            em_tr("「%s」は日付（YYYY-MM-DD）ではありません", "'%s' is not a date (YYYY-MM-DD)"),
                            v[2]);
            break;
        }
        if (e->n == e->cap) {
            size_t cap = e->cap ? e->cap * 2 : 64;
            struct eos_row *nr = realloc(e->rows, cap * sizeof *nr);
            if (!nr) { rc = em_err_set(err, EM_ERR_NOMEM, path, "", row, "", "out of memory"); break; }
            e->rows = nr; e->cap = cap;
        }
        struct eos_row *r = &e->rows[e->n++];
        memset(r, 0, sizeof *r);
        r->row = row;
        if (!(r->pattern = dup(v[0])) || !(r->product = dup(v[1])) || !(r->end = dup(v[2]))) {
            rc = em_err_set(err, EM_ERR_NOMEM, path, "", row, "", "out of memory");
            break;
        }
        rc = parse_pattern(r, v[0], path, row, err);
    }
    free(text);
    if (rc == 0 && e->n == 0)
        rc = em_err_set(err, EM_ERR_FORMAT, path, "", 0, "", "%s",
                        em_tr("サポート期限の行が1件もありません", "no end-of-support rows"));
    if (rc < 0) { em_eos_free(e); return NULL; }
    return e;
}

/* Specificity of r for the word text w: -1 when it does not match, else the number
 * of words its positive terms matched with. */
static int row_score(const struct eos_row *r, const char *w)
{
    int score = 0;
    for (size_t t = 0; t < r->n_terms; t++) {
        const struct term *term = &r->terms[t];
        int best = -1;
        for (size_t k = 0; k < term->n_alts; k++)
            if (strstr(w, term->alts[k]) && term->alt_words[k] > best) best = term->alt_words[k];
        if (term->neg) { if (best >= 0) return -1; }
        else { if (best < 0) return -1; score += best; }
    }
    return score;
}

int em_eos_lookup(const struct em_eos *e, const char *os, const char **product,
                  const char **end_date)
{
    if (!e || !os) return 0;
    char w[MAX_WORDS_TEXT];
    if (words(os, w, sizeof w) == 0) return 0;
    const struct eos_row *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < e->n; i++) {
        int s = row_score(&e->rows[i], w);
        if (s > best_score) { best_score = s; best = &e->rows[i]; }
    }
    if (!best) return 0;
    if (product) *product = best->product;
    if (end_date) *end_date = best->end;
    return 1;
}

int em_eos_check(const struct em_eos *e, const char *os, const char *date,
                 const char **product, const char **end_date)
{
    if (!valid_date(date)) return 0;
    const char *p = NULL, *d = NULL;
    if (!em_eos_lookup(e, os, &p, &d)) return 0;
    if (strcmp(date, d) <= 0) return 0;
    if (product) *product = p;
    if (end_date) *end_date = d;
    return 1;
}
