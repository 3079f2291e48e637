/* book_writer.c — the general workbook writer of book/, read back with our own xlsx
 * reader: cells, dates, merges, hidden sheets, sticky errors that leave no file;
 * party matching; the template and the annotated copy of a records CSV. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "book/book.h"
#include "book/grid.h"
#include "mapper/lang.h"
#include "mapper/outset.h"
#include "mapper/records.h"
#include "mapper/xlsx.h"
#include "tests/unit/t.h"

static char *tmpdir;

/* The book writes into an output set (mapper/outset.h); these open a one-file set for
 * path and commit it when the book is closed, as cmd/ does. */
static struct em_outset *cur_set;

static struct em_outset *set_for(const char *path, struct em_err *err)
{
    em_outset_free(cur_set);
    cur_set = em_outset_new();
    return cur_set && em_outset_add(cur_set, path, err) == 0 ? cur_set : NULL;
}

static int commit_set(int rc, struct em_err *err)
{
    if (rc == 0) rc = em_outset_commit(cur_set, err);
    em_outset_free(cur_set);
    cur_set = NULL;
    return rc;
}

static struct em_book *book_new(const char *path, struct em_err *err)
{
    struct em_outset *s = set_for(path, err);
    return s ? em_book_new(s, 0, err) : NULL;
}

static int book_close(struct em_book *b, struct em_err *err)
{
    return commit_set(em_book_close(b, err), err);
}

static int annotate_to(const struct em_model *m, const char *path, const struct em_book_annotate_opts *o,
                       size_t *kept, struct em_err *err)
{
    struct em_outset *s = set_for(path, err);
    return commit_set(s ? em_book_annotate(m, s, 0, o, kept, err) : EM_ERR_IO, err);
}

static int template_to(const char *path, const struct em_book_template_opts *o, struct em_err *err)
{
    struct em_outset *s = set_for(path, err);
    return commit_set(s ? em_book_template(s, 0, o, err) : EM_ERR_IO, err);
}

static char *tpath(const char *name)
{
    if (!tmpdir) tmpdir = g_dir_make_tmp("book_writer-XXXXXX", NULL);
    return g_build_filename(tmpdir, name, NULL);
}

/* Collects "A1=text" lines of one sheet. */
static int collect(void *ctx, const struct em_row *r, struct em_err *err)
{
    (void)err;
    GString *s = ctx;
    for (size_t i = 0; i < r->n; i++) {
        char cn[8];
        g_string_append_printf(s, "%s%ld=%s\n", em_book_col_name(r->cells[i].col, cn, sizeof cn), r->row, r->cells[i].text);
    }
    return 0;
}

static GString *dump_sheet(const char *path, const char *sheet)
{
    struct em_err err = {0};
    struct em_xlsx *x = em_xlsx_open(path, &err);
    if (!x) T_FAIL("cannot reopen %s: %s", path, err.msg);
    GString *s = g_string_new(NULL);
    size_t n = em_xlsx_sheet_count(x), i = 0;
    while (i < n && strcmp(em_xlsx_sheet_name(x, i), sheet) != 0) i++;
    if (i == n) {
        em_xlsx_close(x);
        T_FAIL("no sheet %s in %s", sheet, path);
    }
    em_xlsx_read_sheet(x, i, 0, collect, s, &err);
    em_xlsx_close(x);
    return s;
}

static void t_cells_roundtrip(void)
{
    char *p = tpath("cells.xlsx");
    struct em_err err = {0};
    struct em_book *b = book_new(p, &err);
    T_ASSERT(b);
    const char *h[] = {"コード", "内容"};
    struct em_book_sheet *s = em_book_add_sheet(b, "一覧", h, 2);
    T_ASSERT(s);
    T_EQ_INT(em_book_text(s, 1, 0, "E-IP-SYNTAX", EM_BS_ERROR), 0);
    T_EQ_INT(em_book_text(s, 1, 1, "全角ＩＰ　と\n改行", EM_BS_PLAIN), 0);
    T_EQ_INT(em_book_number(s, 2, 0, 17, EM_BS_PLAIN), 0);
    const char *row[] = {"W-DYNAMIC-IP", NULL, "動的IP"};
    T_EQ_INT(em_book_row(s, 6, row, 3, em_book_severity_style(EM_SEV_WARNING)), 0);
    T_EQ_INT(em_book_date(s, 3, 0, 2026, 11, 25), 0);
    T_EQ_INT(em_book_merge(s, 4, 0, 5, 1, "装置①", EM_BS_GROUP), 0);
    T_EQ_INT(em_book_comment(s, 1, 0, "✖ エラー", NULL), 0);
    struct em_book_sheet *h2 = em_book_add_sheet(b, "隠し", NULL, 0);
    T_ASSERT(h2);
    em_book_hide(h2);
    T_EQ_INT(em_book_link(h2, 0, 0, "一覧", 1, 0, "→ A2"), 0);
    T_EQ_INT(book_close(b, &err), 0);
    GString *d = dump_sheet(p, "一覧");
    T_ASSERT(strstr(d->str, "A2=E-IP-SYNTAX\n"));
    T_ASSERT(strstr(d->str, "B2=全角ＩＰ　と\n改行\n"));
    T_ASSERT(strstr(d->str, "A3=17\n"));
    T_ASSERT(strstr(d->str, "A7=W-DYNAMIC-IP\n") && strstr(d->str, "C7=動的IP\n") && !strstr(d->str, "B7="));
    T_ASSERT(strstr(d->str, "A4=2026-11-25\n"));   /* a date cell reads as a date */
    T_ASSERT(strstr(d->str, "A5=装置①\n") && strstr(d->str, "B6=装置①\n"));   /* merged */
    g_string_free(d, TRUE);
    struct em_xlsx *x = em_xlsx_open(p, &err);
    T_ASSERT(x);
    T_ASSERT(em_xlsx_sheet_hidden(x, 1));
    em_xlsx_close(x);
    g_free(p);
}

static void t_error_leaves_nothing(void)
{
    char *p = tpath("bad.xlsx");
    struct em_err err = {0};
    struct em_book *b = book_new(p, &err);
    T_ASSERT(b);
    T_ASSERT(em_book_add_sheet(b, "a/b:c*?", NULL, 0) == NULL);   /* refused sheet name */
    struct em_book_sheet *s = em_book_add_sheet(b, "ok", NULL, 0);
    T_ASSERT(s == NULL);   /* sticky: nothing more after the first failure */
    T_ASSERT(book_close(b, &err) != 0);
    T_ASSERT(err.msg[0] != '\0');
    T_ASSERT(!g_file_test(p, G_FILE_TEST_EXISTS));
    /* and the directory holds no temporary file either */
    GDir *dir = g_dir_open(tmpdir, 0, NULL);
    const char *n;
    while ((n = g_dir_read_name(dir)) != NULL) T_ASSERT(strncmp(n, ".edgemap-", 9) != 0);
    g_dir_close(dir);
    g_free(p);
}

static void t_existing_file_kept_on_failure(void)
{
    char *p = tpath("keep.xlsx");
    T_ASSERT(g_file_set_contents(p, "old", 3, NULL));
    struct em_err err = {0};
    struct em_book *b = book_new(p, &err);
    T_ASSERT(b);
    struct em_book_sheet *s = em_book_add_sheet(b, "x", NULL, 0);
    T_ASSERT(s);
    T_ASSERT(em_book_text(s, 2000000, 0, "beyond the last row", EM_BS_PLAIN) != 0);
    T_ASSERT(book_close(b, &err) != 0);
    gchar *c = NULL;
    T_ASSERT(g_file_get_contents(p, &c, NULL, NULL));
    T_EQ_STR(c, "old");
    g_free(c);
    g_free(p);
}

static void t_unwritable_dir(void)
{
    struct em_err err = {0};
    T_ASSERT(book_new("/nonexistent-dir/x.xlsx", &err) == NULL);
    T_ASSERT(strstr(err.file, "/nonexistent-dir/x.xlsx"));
}

static void t_validation_message_capped(void)
{
    char *p = tpath("dv.xlsx");
    struct em_err err = {0};
    struct em_book *b = book_new(p, &err);
    struct em_book_sheet *s = em_book_add_sheet(b, "v", NULL, 0);
    GString *longmsg = g_string_new(NULL);
    for (int i = 0; i < 300; i++) g_string_append(longmsg, "あ");
    /* 300 characters and a 40-character title: cut, not refused */
    T_EQ_INT(em_book_validation(s, 0, 10, 0, NULL, "とても長い見出しとても長い見出しとても長い見出しとても長い見出しとても長い", longmsg->str,
                                false), 0);
    T_EQ_INT(book_close(b, &err), 0);
    g_string_free(longmsg, TRUE);
    g_free(p);
}

static void t_col_names(void)
{
    char b[8];
    T_EQ_STR(em_book_col_name(0, b, sizeof b), "A");
    T_EQ_STR(em_book_col_name(25, b, sizeof b), "Z");
    T_EQ_STR(em_book_col_name(26, b, sizeof b), "AA");
    T_EQ_STR(em_book_col_name(33, b, sizeof b), "AH");
    T_EQ_STR(em_book_col_name(16383, b, sizeof b), "XFD");
}

static void t_parse_date(void)
{
    int y, m, d;
    T_ASSERT(em_book_parse_date("2026-11-25", &y, &m, &d) && y == 2026 && m == 11 && d == 25);
    T_ASSERT(em_book_parse_date("2028-02-29", &y, &m, &d));
    T_ASSERT(!em_book_parse_date("2026-02-29", &y, &m, &d));
    T_ASSERT(!em_book_parse_date("2026-01- 1", &y, &m, &d));
    T_ASSERT(!em_book_parse_date("2026/11/25", &y, &m, &d));
    T_ASSERT(!em_book_parse_date("1999-12-31", &y, &m, &d));
    T_ASSERT(!em_book_parse_date(NULL, &y, &m, &d));
}

static void t_party_match(void)
{
    T_ASSERT(em_book_party_match("メディビュー株式会社", "メディビュー"));
    T_ASSERT(em_book_party_match("株式会社メディビュー", "メディビュー株式会社"));
    T_ASSERT(em_book_party_match("(株)メディビュー", "メディビュー"));
    T_ASSERT(em_book_party_match("㈱メディビュー", "メディビュー"));                 /* NFKC: ㈱ = (株) */
    T_ASSERT(em_book_party_match("ﾒﾃﾞｨﾋﾞｭｰ 株式会社", "メディビュー"));             /* half-width kana */
    T_ASSERT(em_book_party_match("電子カルテ保守（メディビュー）", "メディビュー"));
    T_ASSERT(em_book_party_match("Medi View Co., Ltd.", "mediview"));
    T_ASSERT(!em_book_party_match("病院", "メディビュー"));
    T_ASSERT(!em_book_party_match("メディカルシステムサービス株式会社", "メディビュー"));
    T_ASSERT(!em_book_party_match("株式会社", "株式会社"));   /* a designation alone names nobody */
    T_ASSERT(!em_book_party_match("", "メディビュー"));
}

static const char csv[] =
    "回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,接続先,回線契約者,パスワード,装置①_装置の種類,装置①_メーカー,備考\r\n"
    "1,インターネット,あり,固定IP,192.168.1.1,OCN,病院,secret-1,ルーター,NEC,装置①実機確認実施\r\n"
    "2,インターネット,あり,固定IP,203.0.113.9,保守,メディビュー株式会社,secret-2,ルーター,NEC,装置①実機確認実施\r\n";

static void t_annotate_csv(void)
{
    char *in = tpath("rec.csv"), *out = tpath("rec-ann.xlsx");
    T_ASSERT(g_file_set_contents(in, csv, -1, NULL));
    struct em_model *m = em_model_new();
    struct em_err err = {0};
    T_EQ_INT(em_records_load(m, in, &err), 0);
    T_EQ_INT(em_model_finish(m, "data", &err), 0);
    em_model_sort_findings(m);
    struct em_book_annotate_opts o = {.tool_version = "t", .data_version = "d"};
    size_t kept = 0;
    T_EQ_INT(annotate_to(m, out, &o, &kept, &err), 0);
    T_EQ_INT(kept, 2);
    GString *d = dump_sheet(out, "rec");
    T_ASSERT(strstr(d->str, "E2=✖ 192.168.1.1\n"));      /* the finding's cell, marked */
    T_ASSERT(strstr(d->str, "E3=203.0.113.9\n"));        /* values as written */
    T_ASSERT(strstr(d->str, "H1=パスワード\n"));          /* the header stays, ... */
    T_ASSERT(!strstr(d->str, "secret-"));                /* ... its values never */
    g_string_free(d, TRUE);
    GString *l = dump_sheet(out, "指摘一覧");
    T_ASSERT(strstr(l->str, "E-IP-NOT-GLOBAL"));
    T_ASSERT(strstr(l->str, "→ rec!E2"));
    g_string_free(l, TRUE);
    /* --party: only the vendor's row; the other row is hidden and empty */
    o.party = "メディビュー";
    T_EQ_INT(annotate_to(m, out, &o, &kept, &err), 0);
    T_EQ_INT(kept, 1);
    d = dump_sheet(out, "rec");
    T_ASSERT(!strstr(d->str, "192.168.1.1") && !strstr(d->str, "OCN"));
    T_ASSERT(strstr(d->str, "E3=203.0.113.9\n"));
    g_string_free(d, TRUE);
    l = dump_sheet(out, "指摘一覧");
    T_ASSERT(!strstr(l->str, "E-IP-NOT-GLOBAL"));   /* the other party's finding is not listed */
    g_string_free(l, TRUE);
    /* --redact: placeholders in the cells, other IPv4 text too */
    struct em_book_redaction r[] = {{"203.0.113.9", "IP-1"}};
    struct em_book_annotate_opts o2 = {.redact = r, .n_redact = 1, .redacting = true};
    T_EQ_INT(annotate_to(m, out, &o2, &kept, &err), 0);
    d = dump_sheet(out, "rec");
    T_ASSERT(strstr(d->str, "E3=IP-1\n"));
    T_ASSERT(strstr(d->str, "E2=✖ IP-2\n"));
    T_ASSERT(!strstr(d->str, "203.0.113.9") && !strstr(d->str, "192.168.1.1"));
    g_string_free(d, TRUE);
    em_model_free(m);
    g_free(in);
    g_free(out);
}

static void t_template_reads_back(void)
{
    char *p = tpath("template.xlsx");
    struct em_err err = {0};
    struct em_book_template_opts o = {.survey_date = "2026-11-25", .site_name = "テスト病院"};
    T_EQ_INT(template_to(p, &o, &err), 0);
    struct em_model *m = em_model_new();
    T_EQ_INT(em_records_load(m, p, &err), 0);
    T_EQ_INT(em_model_finish(m, "data", &err), 0);
    T_EQ_INT(m->n_paths, 0);             /* the 記入例 sheet is not read as records */
    T_EQ_INT(m->n_findings, 0);
    T_EQ_STR(m->survey_date, "2026-11-25");
    T_EQ_STR(m->site.name, "テスト病院");
    em_model_free(m);
    struct em_grid *g = em_grid_read(p, "回線・機器情報記入シート", &err);
    T_ASSERT(g);
    T_EQ_INT(g->header_row, 5);
    T_EQ_INT(g->last_header_row, 6);
    T_EQ_INT(em_grid_column(g, "装置② メーカー"), 28);   /* AC */
    T_EQ_INT(em_grid_column(g, "装置① メーカー"), 20);   /* U */
    T_EQ_INT(em_grid_column(g, "固定IP/動的IP"), 11);
    T_EQ_INT(em_grid_column(g, "回線終端装置 設置場所"), 16);
    em_grid_free(g);
    g_free(p);
}

static const struct t_case cases[] = {
    {"cells, dates, merges and hidden sheets read back", t_cells_roundtrip},
    {"a failed call leaves no file and no temporary", t_error_leaves_nothing},
    {"a failed write keeps the existing file", t_existing_file_kept_on_failure},
    {"unwritable directory: error names the file", t_unwritable_dir},
    {"long input messages are cut, not refused", t_validation_message_capped},
    {"column letters", t_col_names},
    {"strict dates", t_parse_date},
    {"party names match after normalisation", t_party_match},
    {"annotate a CSV: marks, passwords, --party, --redact", t_annotate_csv},
    {"template reads back empty; grid finds grouped columns", t_template_reads_back},
};

int main(void)
{
    int rc = t_run(cases, sizeof cases / sizeof cases[0]);
    if (tmpdir) {
        char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) rc = rc ? rc : 0;
        g_free(cmd);
    }
    return rc;
}
