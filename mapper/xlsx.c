/* xlsx.c — the xlsx reader's public face (mapper/xlsx.h): opening a workbook from a
 * file or memory (an OLE file — encrypted workbook or old .xls — and a non-zip are told
 * apart and worded for the user), the sheet list, closing. The work is done by
 * xlsx_part.c (zip entries under the caps), xlsx_book.c (workbook, relationships,
 * shared strings, styles), xlsx_merge.c (merged ranges) and xlsx_sheet.c (the rows, on
 * libxml2's SAX2 parser). Why it is built this way, and every cap: docs/design-xlsx.md. */
#include "mapper/xlsx_int.h"
#include "mapper/lang.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* True when ascii appears in d[0..n) as UTF-16LE (an OLE directory entry name). */
static bool has_utf16(const unsigned char *d, size_t n, const char *ascii)
{
    size_t k = strlen(ascii);
    for (size_t i = 0; i + 2 * k <= n; i++) {
        size_t j = 0;
        while (j < k && d[i + 2 * j] == (unsigned char)ascii[j] && d[i + 2 * j + 1] == 0) j++;
        if (j == k) return true;
    }
    return false;
}

/* An OLE compound file: a password-protected xlsx (EncryptedPackage stream) or an old
 * .xls. head holds the first bytes of the file (as many as were read). */
static int ole_error(const char *name, const unsigned char *head, size_t n, struct em_err *err)
{
    if (has_utf16(head, n, "EncryptedPackage") || has_utf16(head, n, "EncryptionInfo"))
        return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                          em_tr("パスワード付きのブックは読めません。Excelでパスワードを解除して .xlsx で保存し直してください",
                             "password-protected workbooks cannot be read; remove the password in "
                             "Excel and save it again as .xlsx"));
    if (has_utf16(head, n, "Workbook") || has_utf16(head, n, "Book"))
        return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                          em_tr("古い形式（.xls）のブックです。Excelで「Excel ブック (*.xlsx)」として保存し直してください",
                             "this is an old-format (.xls) workbook; save it again in Excel as "
                             "\"Excel Workbook (*.xlsx)\""));
    return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                      em_tr("パスワード付きのブック、または古い形式（.xls）のファイルです。パスワード付きのブックは読めません。"
                         "パスワードを解除して .xlsx で保存し直してください",
                         "this is a password-protected workbook or an old-format (.xls) file; "
                         "password-protected workbooks cannot be read: remove the password and "
                         "save it again as .xlsx"));
}

/* Fills err: the file cannot be read as a zip. Returns the rc. */
static int not_zip(const char *name, struct em_err *err)
{
    return em_err_set(err, EM_ERR_FORMAT, name, NULL, 0, NULL, "%s",
                      em_tr("ZIPとして読めません（.xlsx ではないか、ファイルが壊れています）",
                         "cannot be read as a zip file (not an .xlsx, or the file is damaged)"));
}

#define ZIP_ENTRIES_MAX 100000  /* Excel writes tens of entries; thousands with many images */

/* qsort order of entry names, ignoring case (as parts are looked up). */
static int cmp_name(const void *a, const void *b)
{
    return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Two entries with the same name (ignoring case, as parts are looked up) make the
 * workbook ambiguous — one reader sees one, another the other: refused as damaged
 * or tampered with. Also caps the number of entries. 0 or rc < 0. */
static int check_entries(struct em_xlsx *x, struct em_err *err)
{
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    if (n < 0) n = 0;
    if (n > ZIP_ENTRIES_MAX)
        return em_err_set(err, EM_ERR_LIMIT, x->name, NULL, 0, NULL,
                          em_tr("ZIPの中のファイルが多すぎます（%lld 個、上限 %d 個）",
                             "the zip holds too many files (%lld, limit %d)"),
                          (long long)n, ZIP_ENTRIES_MAX);
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) return em_xl_nomem(x, NULL, err);
    size_t k = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *nm = zip_get_name(x->zip, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        if (nm) names[k++] = nm;
    }
    qsort(names, k, sizeof *names, cmp_name);
    int rc = 0;
    for (size_t i = 1; i < k && rc == 0; i++)
        if (strcasecmp(names[i - 1], names[i]) == 0)
            rc = em_err_set(err, EM_ERR_FORMAT, x->name, NULL, 0, NULL,
                            em_tr("ZIPの中に同じ名前の部品 %s が2つあります。ファイルが壊れているか、書き換えられています",
                               "the zip holds two entries named %s: the file is damaged or has been "
                               "altered"), names[i]);
    free(names);
    return rc;
}

/* Checks the entries and reads the parts of an opened zip; returns x, or NULL
 * with err filled (x is closed then). */
static struct em_xlsx *finish_open(struct em_xlsx *x, struct em_err *err)
{
    int rc = check_entries(x, err);
    if (rc == 0) rc = em_xl_read_workbook(x, err);
    if (rc == 0) rc = em_xl_read_sst(x, err);
    if (rc == 0) rc = em_xl_read_styles(x, err);
    if (rc < 0) {
        em_xlsx_close(x);
        return NULL;
    }
    return x;
}

/* A new handle for the file called name (copied); NULL with err filled. */
static struct em_xlsx *new_handle(const char *name, struct em_err *err)
{
    struct em_xlsx *x = calloc(1, sizeof *x);
    if (x) x->name = em_xl_dupn(name, strlen(name));
    if (!x || !x->name) {
        free(x);
        em_xl_nomem(NULL, NULL, err);
        return NULL;
    }
    xmlInitParser();
    return x;
}

struct em_xlsx *em_xlsx_open(const char *path, struct em_err *err)
{
    if (!path) {
        em_err_set(err, EM_ERR_USAGE, "", NULL, 0, NULL, "%s",
                   em_tr("ファイル名がありません", "no file name"));
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                   em_tr("ファイルが開けません（%s）", "cannot open the file (%s)"), strerror(errno));
        return NULL;
    }
    /* enough of an OLE file to find its directory in small files */
    static const size_t head_max = 1u << 20;
    unsigned char *head = malloc(head_max);
    size_t n = head ? fread(head, 1, 8, f) : 0;
    if (head && ferror(f)) {
        int e = errno;
        fclose(f);
        free(head);
        em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                   em_tr("ファイルが読めません（%s）", "cannot read the file (%s)"), strerror(e));
        return NULL;
    }
    if (head && n == 8 && memcmp(head, ole_magic, 8) == 0) {
        n += fread(head + 8, 1, head_max - 8, f);
        /* a big file may keep its directory (the stream names) past the first MiB:
         * the header says where its first sector is; read 64 KiB from there instead */
        if (n == head_max && !has_utf16(head, n, "EncryptedPackage") &&
            !has_utf16(head, n, "Workbook")) {
            unsigned shift = (unsigned)head[0x1E] | (unsigned)head[0x1F] << 8;
            unsigned long sect = (unsigned long)head[0x30] | (unsigned long)head[0x31] << 8 |
                                 (unsigned long)head[0x32] << 16 | (unsigned long)head[0x33] << 24;
            if ((shift == 9 || shift == 12) && sect < 0xFFFFFFFAul &&
                fseek(f, (long)((sect + 1) << shift), SEEK_SET) == 0)
                n = fread(head, 1, 64 * 1024, f);
        }
        fclose(f);
        ole_error(path, head, n, err);
        free(head);
        return NULL;
    }
    fclose(f);
    free(head);
    if (n < 4) {
        not_zip(path, err);
        return NULL;
    }
    struct em_xlsx *x = new_handle(path, err);
    if (!x) return NULL;
    int zerr = 0;
    x->zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!x->zip) {
        if (zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ)
            em_err_set(err, EM_ERR_IO, path, NULL, 0, NULL,
                       em_tr("ファイルが開けません（%s）", "cannot open the file (%s)"),
                       strerror(errno));
        else
            not_zip(path, err);
        em_xlsx_close(x);
        return NULL;
    }
    return finish_open(x, err);
}

struct em_xlsx *em_xlsx_open_mem(const char *name, const void *data, size_t len,
                                 struct em_err *err)
{
    if (!name) name = "";
    if (!data && len > 0) {
        em_err_set(err, EM_ERR_USAGE, name, NULL, 0, NULL, "%s", em_tr("データがありません", "no data"));
        return NULL;
    }
    if (len >= 8 && memcmp(data, ole_magic, 8) == 0) {
        ole_error(name, data, len, err);
        return NULL;
    }
    if (len < 4) {
        not_zip(name, err);
        return NULL;
    }
    struct em_xlsx *x = new_handle(name, err);
    if (!x) return NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src) {
        x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!x->zip) zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (!x->zip) {
        not_zip(name, err);
        em_xlsx_close(x);
        return NULL;
    }
    return finish_open(x, err);
}

void em_xlsx_close(struct em_xlsx *x)
{
    if (!x) return;
    if (x->zip) zip_discard(x->zip);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].part);
        free(x->sheets[i].outside);
    }
    free(x->sheets);
    free(x->sst_part);
    free(x->styles_part);
    free(x->xf_date);
    free(x->ss);
    free(x->ss_off);
    free(x->ss_big);
    free(x->merges);
    free(x->name);
    free(x);
}

size_t em_xlsx_sheet_count(const struct em_xlsx *x) { return x ? x->nsheets : 0; }

const char *em_xlsx_sheet_name(const struct em_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].name : NULL;
}

bool em_xlsx_sheet_hidden(const struct em_xlsx *x, size_t i)
{
    return x && i < x->nsheets && x->sheets[i].hidden;
}
