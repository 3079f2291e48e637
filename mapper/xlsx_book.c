/* xlsx_book.c — the small parts read when a workbook is opened: xl/workbook.xml (sheet
 * names, hidden state, the 1904 date system), its relationships (which zip entry holds
 * each sheet, the shared strings and the styles; targets resolved inside the package),
 * the shared-string table (one arena + offsets) and styles.xml (which cell styles show a
 * date). All through xmlTextReader over xlsx_part.c's parts. Interface: xlsx_int.h. */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NAME_MAX_BYTES 1024  /* sheet names, relationship ids and targets */
#define RELS_MAX 65536       /* relationships in workbook.xml.rels */

struct rel {
    char *id;
    char *target;   /* resolved zip entry name */
    char *outside;  /* the target as written when it leaves the package (target NULL) */
    int kind;       /* REL_SHEET, REL_SST, REL_STYLES, REL_OTHER */
};
enum { REL_OTHER, REL_SHEET, REL_SST, REL_STYLES };

/* Resolves a relationship target against the folder of workbook.xml ("xl/"):
 * "/xl/worksheets/sheet1.xml", "worksheets/sheet1.xml", "../xl/worksheets/s.xml".
 * Returns a new string (caller frees) or NULL when it leaves the package root. */
static char *resolve_target(const char *base, const char *target)
{
    size_t bl = strlen(base), tl = strlen(target);
    char *in = malloc(bl + tl + 2);
    if (!in) return NULL;
    if (target[0] == '/') {
        memcpy(in, target + 1, tl);
        in[tl - 1] = '\0';
    } else {
        memcpy(in, base, bl);
        memcpy(in + bl, target, tl + 1);
    }
    char *out = malloc(strlen(in) + 1);
    if (!out) {
        free(in);
        return NULL;
    }
    size_t o = 0;
    const char *s = in;
    while (*s) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            /* skip */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            if (o == 0) {
                free(in);
                free(out);
                return NULL;
            }
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;  /* the slash */
        } else {
            if (o > 0) out[o++] = '/';
            memcpy(out + o, s, n);
            o += n;
        }
        s += n;
        if (*s == '/') s++;
    }
    out[o] = '\0';
    free(in);
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* s ends with suffix. */
static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Frees n relationships and the array. */
static void free_rels(struct rel *rels, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rels[i].id);
        free(rels[i].target);
        free(rels[i].outside);
    }
    free(rels);
}

/* Reads xl/_rels/workbook.xml.rels into *out (caller frees with free_rels), *nout of
 * them; none when the part is missing. 0 or rc < 0 with err filled. */
static int read_rels(struct em_xlsx *x, struct rel **out, size_t *nout, struct em_err *err)
{
    const char *name = "xl/_rels/workbook.xml.rels";
    struct part p;
    struct rel *rels = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    *nout = 0;
    int rc = em_xl_part_open(&p, x, name, NULL, err);
    if (rc == 1) return 0;  /* no relationships: sheets cannot be found, said later */
    if (rc < 0) return rc;
    char id[NAME_MAX_BYTES], type[NAME_MAX_BYTES], target[NAME_MAX_BYTES], mode[32];
    struct want w[] = {
        {"Id", false, id, sizeof id, 0, false},
        {"Type", false, type, sizeof type, 0, false},
        {"Target", false, target, sizeof target, 0, false},
        {"TargetMode", false, mode, sizeof mode, 0, false},
    };
    while ((rc = em_xl_part_next(&p, 0, err)) == 1) {
        if (!em_xl_is_start(&p) || !em_xl_eq(em_xl_lname(&p), "Relationship")) continue;
        em_xl_get_attrs(&p, w, 4);
        if (!w[0].found || !w[2].found || w[0].len >= sizeof id || w[2].len >= sizeof target ||
            w[2].len == 0)
            continue;
        if (w[3].found && strcmp(mode, "External") == 0) continue;
        if (n >= RELS_MAX) {
            rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                            em_tr("%s の関連付けが多すぎます（上限 %d）",
                               "%s has too many relationships (limit %d)"), name, RELS_MAX);
            break;
        }
        if (em_xl_grow((void **)&rels, &cap, n + 1, sizeof *rels) != 0) {
            rc = em_xl_nomem(x, NULL, err);
            break;
        }
        struct rel *r = &rels[n];
        r->id = em_xl_dupn(id, strlen(id));
        r->target = resolve_target("xl/", target);
        r->outside = r->target ? NULL : em_xl_dupn(target, strlen(target));
        r->kind = ends_with(type, "/worksheet") || ends_with(type, "/chartsheet") ||
                          ends_with(type, "/dialogsheet") || ends_with(type, "/xlMacrosheet")
                      ? REL_SHEET
                  : ends_with(type, "/sharedStrings") ? REL_SST
                  : ends_with(type, "/styles")        ? REL_STYLES
                                                       : REL_OTHER;
        if (!r->id || (!r->target && !r->outside)) {
            free(r->id);
            free(r->target);
            free(r->outside);
            rc = em_xl_nomem(x, NULL, err);
            break;
        }
        n++;
    }
    em_xl_part_close(&p);
    if (rc < 0) {
        free_rels(rels, n);
        return rc;
    }
    *out = rels;
    *nout = n;
    return 0;
}

/* "the workbook points to a part outside the package": a relationship target such as
 * "../../etc/passwd" (path traversal), never written by Excel. */
int em_xl_outside_error(struct em_xlsx *x, const char *sheet, const char *target,
                        struct em_err *err)
{
    return em_err_set(err, EM_ERR_FORMAT, x->name, sheet, 0, NULL,
                      em_tr("ブックがパッケージ（.xlsx ファイル）の外の部品を指しています: %s",
                         "the workbook points to a part outside the package (the .xlsx file): %s"),
                      target);
}

/* Finds the zip entries of the sheets (by relationship id), the shared strings and the
 * styles through xl/_rels/workbook.xml.rels; the last two default to their usual names.
 * 0 or rc < 0 with err filled. */
static int link_parts(struct em_xlsx *x, struct em_err *err)
{
    int rc;
    struct rel *rels;
    size_t nrels;
    rc = read_rels(x, &rels, &nrels, err);
    if (rc < 0) return rc;
    for (size_t i = 0; i < x->nsheets; i++) {
        for (size_t k = 0; k < nrels; k++) {
            if (rels[k].kind == REL_SHEET && strcmp(rels[k].id, x->sheets[i].rid) == 0) {
                /* a target outside the package is said when the sheet is read */
                x->sheets[i].part = rels[k].target;
                x->sheets[i].outside = rels[k].outside;
                rels[k].target = rels[k].outside = NULL;
                break;
            }
        }
    }
    for (size_t k = 0; k < nrels; k++) {
        if ((rels[k].kind == REL_SST || rels[k].kind == REL_STYLES) && rels[k].outside) {
            rc = em_xl_outside_error(x, NULL, rels[k].outside, err);
            free_rels(rels, nrels);
            return rc;
        }
        if (rels[k].kind == REL_SST && rels[k].target && !x->sst_part) {
            x->sst_part = rels[k].target;
            rels[k].target = NULL;
        } else if (rels[k].kind == REL_STYLES && rels[k].target && !x->styles_part) {
            x->styles_part = rels[k].target;
            rels[k].target = NULL;
        }
    }
    free_rels(rels, nrels);
    if (!x->sst_part) {
        x->sst_part = em_xl_dupn("xl/sharedStrings.xml", strlen("xl/sharedStrings.xml"));
        if (!x->sst_part) return em_xl_nomem(x, NULL, err);
    }
    if (!x->styles_part) {
        x->styles_part = em_xl_dupn("xl/styles.xml", strlen("xl/styles.xml"));
        if (!x->styles_part) return em_xl_nomem(x, NULL, err);
    }
    return 0;
}

int em_xl_read_workbook(struct em_xlsx *x, struct em_err *err)
{
    struct part p;
    int rc = em_xl_part_open(&p, x, "xl/workbook.xml", NULL, err);
    if (rc == 1)
        return em_err_set(err, EM_ERR_FORMAT, x->name, NULL, 0, NULL, "%s",
                          em_tr("ZIPファイルですが、Excelのブック（xl/workbook.xml）が入っていません",
                             "this is a zip file but not an Excel workbook (no xl/workbook.xml)"));
    if (rc < 0) return rc;
    char name[NAME_MAX_BYTES], rid[NAME_MAX_BYTES], state[32];
    struct want w[] = {
        {"name", false, name, sizeof name, 0, false},
        {"id", true, rid, sizeof rid, 0, false},
        {"state", false, state, sizeof state, 0, false},
    };
    size_t cap = 0;
    char d1904[16];
    struct want wpr[] = {{"date1904", false, d1904, sizeof d1904, 0, false}};
    while ((rc = em_xl_part_next(&p, 0, err)) == 1) {
        if (em_xl_is_start(&p) && em_xl_eq(em_xl_lname(&p), "workbookPr")) {
            em_xl_get_attrs(&p, wpr, 1);
            x->date1904 = wpr[0].found && (strcmp(d1904, "1") == 0 || strcmp(d1904, "true") == 0);
            continue;
        }
        if (!em_xl_is_start(&p) || !em_xl_eq(em_xl_lname(&p), "sheet")) continue;
        em_xl_get_attrs(&p, w, 3);
        if (!w[0].found) continue;
        if (w[0].len >= sizeof name || w[1].len >= sizeof rid) {
            rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL, "%s",
                            em_tr("シート名が長すぎます", "a sheet name is too long"));
            break;
        }
        if (x->nsheets >= em_xl_lim.sheets) {
            rc = em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                            em_tr("シートが多すぎます（上限 %zu）", "too many sheets (limit %zu)"),
                            em_xl_lim.sheets);
            break;
        }
        if (em_xl_grow((void **)&x->sheets, &cap, x->nsheets + 1, sizeof *x->sheets) != 0) {
            rc = em_xl_nomem(x, NULL, err);
            break;
        }
        struct xl_sheet *s = &x->sheets[x->nsheets];
        memset(s, 0, sizeof *s);
        s->name = em_xl_dupn(name, strlen(name));
        s->rid = em_xl_dupn(rid, strlen(rid));
        s->hidden = w[2].found && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
        x->nsheets++;
        if (!s->name || !s->rid) {
            rc = em_xl_nomem(x, NULL, err);
            break;
        }
    }
    em_xl_part_close(&p);
    if (rc < 0) return rc;
    return link_parts(x, err);
}

/* Ends the shared string that starts at ss[start] (decoded, NUL-terminated, offset
 * recorded; big: over the cell cap, kept empty and listed). 0, or -1 out of memory. */
static int sst_push(struct em_xlsx *x, size_t start, bool big)
{
    /* the string's bytes are ss[start..ss_len); terminate and record its offset */
    if (x->ss_len > start) x->ss_len = start + em_xl_decode_x(x->ss + start, x->ss_len - start);
    if (em_xl_grow((void **)&x->ss, &x->ss_cap, x->ss_len + 1, 1) != 0) return -1;
    x->ss[x->ss_len++] = '\0';
    if (em_xl_grow((void **)&x->ss_off, &x->ss_offcap, x->ss_n + 2, sizeof *x->ss_off) != 0)
        return -1;
    x->ss_off[x->ss_n] = (uint32_t)start;
    x->ss_off[x->ss_n + 1] = (uint32_t)x->ss_len;
    if (big) {
        if (em_xl_grow((void **)&x->ss_big, &x->ss_bigcap, x->ss_nbig + 1, sizeof *x->ss_big) != 0)
            return -1;
        x->ss_big[x->ss_nbig++] = (uint32_t)x->ss_n;
    }
    x->ss_n++;
    return 0;
}

/* Appends text v[0..l) to the string that starts at ss[start]; a string over the cell
 * cap is marked *big (kept empty). 0 or rc < 0 (total cap, memory). */
static int sst_text(struct em_xlsx *x, const char *v, size_t l, size_t start, bool *big,
                    struct em_err *err)
{
    if (x->ss_len - start + l > EM_MAX_CELL_BYTES) {
        *big = true;
        return 0;
    }
    if (x->ss_len + l + 1 > em_xl_lim.sst_bytes || x->ss_len + l + 1 > UINT32_MAX)
        return em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                          em_tr("共有文字列の合計が大きすぎます（上限 %zu バイト）",
                             "the shared strings are too large in total (limit %zu bytes)"),
                          em_xl_lim.sst_bytes);
    if (em_xl_grow((void **)&x->ss, &x->ss_cap, x->ss_len + l + 1, 1) != 0)
        return em_xl_nomem(x, NULL, err);
    memcpy(x->ss + x->ss_len, v, l);
    x->ss_len += l;
    return 0;
}

/* The shared-string pass's state (SAX2 callbacks below). */
struct sst_rd {
    struct em_xlsx *x;
    bool in_si, in_t, big;
    int rph;
    size_t start;
};

/* <si> starts a string (count cap), <rPh> a phonetic run to skip, <t> a text. */
static void sst_start(struct xl_sax *sx, const xmlChar *n, int depth, const xmlChar **attrs,
                      int nattrs, bool empty)
{
    (void)depth;
    (void)attrs;
    (void)nattrs;
    struct sst_rd *r = sx->user;
    struct em_xlsx *x = r->x;
    if (em_xl_eq(n, "si") && !r->in_si) {
        if (x->ss_n >= em_xl_lim.sst_count) {
            em_xl_sax_stop(sx, em_err_set(sx->err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                                          em_tr("共有文字列が多すぎます（上限 %zu 個）",
                                             "too many shared strings (limit %zu)"),
                                          em_xl_lim.sst_count));
            return;
        }
        r->start = x->ss_len;
        r->big = false;
        r->in_t = false;
        r->rph = 0;
        if (!empty) r->in_si = true;
        else if (sst_push(x, r->start, false) != 0) em_xl_sax_stop(sx, em_xl_nomem(x, NULL, sx->err));
    } else if (r->in_si && em_xl_eq(n, "rPh") && !empty) {
        r->rph++;
    } else if (r->in_si && r->rph == 0 && em_xl_eq(n, "t") && !empty) {
        r->in_t = true;
    }
}

/* </si> ends the string (kept empty when over the cell cap). */
static void sst_end(struct xl_sax *sx, const xmlChar *n)
{
    struct sst_rd *r = sx->user;
    if (!r->in_si) return;
    if (em_xl_eq(n, "t")) {
        r->in_t = false;
    } else if (em_xl_eq(n, "rPh")) {
        if (r->rph > 0) r->rph--;
    } else if (em_xl_eq(n, "si")) {
        r->in_si = false;
        if (r->big) r->x->ss_len = r->start;
        if (sst_push(r->x, r->start, r->big) != 0) em_xl_sax_stop(sx, em_xl_nomem(r->x, NULL, sx->err));
    }
}

/* Text inside <t> (not in a phonetic run) is appended. */
static void sst_chars(struct xl_sax *sx, const char *v, size_t l)
{
    struct sst_rd *r = sx->user;
    if (!r->in_t || r->big) return;
    int rc = sst_text(r->x, v, l, r->start, &r->big, sx->err);
    if (rc < 0) em_xl_sax_stop(sx, rc);
}

/* Shared strings: <si> holds <t>, or rich-text runs <r><t>, whose texts are
 * concatenated; <rPh> phonetic runs (furigana) are skipped. The part can be large
 * (5.5 MB in the benchmark): it is read with SAX2 (xlsx_sax.c), not xmlTextReader. */
int em_xl_read_sst(struct em_xlsx *x, struct em_err *err)
{
    struct part p;
    int rc = em_xl_part_open_zip(&p, x, x->sst_part, NULL, err);
    if (rc == 1) return 0;  /* a workbook without strings */
    if (rc < 0) return rc;
    struct sst_rd r;
    memset(&r, 0, sizeof r);
    r.x = x;
    struct xl_sax sx;
    memset(&sx, 0, sizeof sx);
    sx.p = &p;
    sx.user = &r;
    sx.on_start = sst_start;
    sx.on_end = sst_end;
    sx.on_text = sst_chars;
    rc = em_xl_part_sax(&sx, err);
    em_xl_part_close(&p);
    return rc < 0 ? rc : 0;
}

/* ---- styles: which cell styles show a date ---------------------------------- */

#define XF_MAX 65536        /* Excel allows 64,000 cell formats */
#define NUMFMT_MAX 4096

/* Built-in number formats that are dates or times, including the Japanese ones
 * (27-36, 50-58: 和暦 and 年月日 formats of a Japanese Excel). */
static bool builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

/* A custom format code is a date/time when, outside quoted text, [brackets] and
 * backslash escapes, it uses y, m, d, h or s ("General" and "0.00E+00" do not). */
static bool code_is_date(const char *c)
{
    for (const char *p = c; *p; p++) {
        if (*p == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q) return false;
            p = q;
        } else if (*p == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q) return false;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1]) p++;
        } else if ((*p == 'G' || *p == 'g') && strncasecmp(p, "General", 7) == 0) {
            p += 6;
        } else {
            char l = (char)(*p | 0x20);
            if (l == 'y' || l == 'm' || l == 'd' || l == 'h' || l == 's') return true;
        }
    }
    return false;
}

int em_xl_read_styles(struct em_xlsx *x, struct em_err *err)
{
    struct part p;
    int rc = em_xl_part_open(&p, x, x->styles_part, NULL, err);
    if (rc == 1) return 0;  /* no styles: numbers stay numbers */
    if (rc < 0) return rc;
    long *custom = NULL;    /* custom format ids that are dates */
    size_t ncustom = 0, ccap = 0, xcap = 0;
    bool in_xfs = false;
    char id[32], code[256];
    struct want wfmt[] = {
        {"numFmtId", false, id, sizeof id, 0, false},
        {"formatCode", false, code, sizeof code, 0, false},
    };
    while ((rc = em_xl_part_next(&p, 0, err)) == 1) {
        if (em_xl_is_end(&p)) {
            if (em_xl_eq(em_xl_lname(&p), "cellXfs")) in_xfs = false;
            continue;
        }
        if (!em_xl_is_start(&p)) continue;
        const xmlChar *n = em_xl_lname(&p);
        if (em_xl_eq(n, "cellXfs")) {
            in_xfs = xmlTextReaderIsEmptyElement(p.r) != 1;
        } else if (em_xl_eq(n, "numFmt") && !in_xfs) {
            em_xl_get_attrs(&p, wfmt, 2);
            char *end;
            long v = strtol(id, &end, 10);
            if (!wfmt[0].found || end == id || *end || !wfmt[1].found || wfmt[1].len >= sizeof code)
                continue;
            if (!code_is_date(code) || ncustom >= NUMFMT_MAX) continue;
            if (em_xl_grow((void **)&custom, &ccap, ncustom + 1, sizeof *custom) != 0) {
                rc = em_xl_nomem(x, NULL, err);
                break;
            }
            custom[ncustom++] = v;
        } else if (em_xl_eq(n, "xf") && in_xfs) {
            if (x->nxf >= XF_MAX) continue;
            em_xl_get_attrs(&p, wfmt, 1);
            char *end;
            long v = wfmt[0].found ? strtol(id, &end, 10) : 0;
            bool date = false;
            if (wfmt[0].found && end != id && *end == '\0') {
                date = builtin_date(v);
                for (size_t k = 0; k < ncustom && !date; k++) date = custom[k] == v;
            }
            if (em_xl_grow((void **)&x->xf_date, &xcap, x->nxf + 1, 1) != 0) {
                rc = em_xl_nomem(x, NULL, err);
                break;
            }
            x->xf_date[x->nxf++] = date;
        }
    }
    em_xl_part_close(&p);
    free(custom);
    return rc < 0 ? rc : 0;
}
