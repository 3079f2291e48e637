/* mapper_accept.c — the accepted-findings file: header, comments, CP932, quoting,
 * errors with line and column, matching (blank = any), stale entries, and the
 * exit-status count leaving accepted findings out. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mapper/accept.h"
#include "mapper/lang.h"
#include "mapper/norm.h"
#include "tests/unit/t.h"

/* a finding's message, in a buffer that lives to the end of the enclosing block */
#define MSG(f) em_finding_msg((f), (char[EM_MSG_MAX]){0})

static char *write_tmp(const char *text, gssize len)
{
    char *path = NULL;
    int fd = g_file_open_tmp("accept-XXXXXX.tsv", &path, NULL);
    if (fd < 0) T_FAIL("no temp file");
    close(fd);
    if (!g_file_set_contents(path, text, len, NULL)) T_FAIL("cannot write %s", path);
    return path;
}

#define HEADER "code\tline_no\trow\treason\taccepted_by\tdate\n"

/* A model with three findings: two W-GLOBAL-IP-EXPECTED (lines 7 and 8), one error. */
static struct em_model *model3(void)
{
    struct em_model *m = em_model_new();
    struct em_src a = {"s.xlsx", "回線・機器情報記入シート", 15};
    struct em_src b = {"s.xlsx", "回線・機器情報記入シート", 16};
    struct em_src c = {"s.xlsx", "回線・機器情報記入シート", 19};
    em_model_add_finding(m, "W-GLOBAL-IP-EXPECTED", EM_SEV_WARNING, &a, "グローバルIP利用", "7", "LTE");
    em_model_add_finding(m, "W-GLOBAL-IP-EXPECTED", EM_SEV_WARNING, &b, "グローバルIP利用", "8", "LTE");
    em_model_add_finding(m, "E-IP-NOT-GLOBAL", EM_SEV_ERROR, &c, "グローバルIPアドレス", "10", "private");
    return m;
}

static void t_match_and_count(void)
{
    char *p = write_tmp("# accepted by the survey team\n" HEADER
                        "W-GLOBAL-IP-EXPECTED\t7\t\tキャリアNATのLTE回線\t調査チーム 佐藤\t2026-11-26\n"
                        "e-ip-not-global\t\t19\t保守業者の検証機\t\t\n", -1);
    struct em_err err = {0};
    struct em_accept *a = em_accept_load(p, &err);
    if (!a) T_FAIL("%s line %ld col %s: %s", err.file, err.row, err.column, err.msg);
    T_EQ_INT(em_accept_count(a), 2);
    struct em_model *m = model3();
    T_EQ_INT(em_model_count(m, EM_SEV_ERROR), 1);
    T_EQ_INT(em_accept_apply(m, a, &err), 0);
    T_ASSERT(m->findings[0].accepted);
    T_EQ_STR(m->findings[0].accepted->reason, "キャリアNATのLTE回線");
    T_EQ_STR(m->findings[0].accepted->by, "調査チーム 佐藤");
    T_EQ_INT(m->findings[0].accepted->entry_line, 3);
    T_ASSERT(!m->findings[1].accepted);   /* line 8 is not line 7 */
    T_ASSERT(m->findings[2].accepted);    /* blank line_no: any line; the code in any case */
    T_EQ_INT(m->n_findings, 3);           /* nothing stale */
    T_EQ_INT(em_model_count(m, EM_SEV_ERROR), 0);     /* accepted: not counted */
    T_EQ_INT(em_model_count(m, EM_SEV_WARNING), 1);
    T_EQ_INT(em_model_count_accepted(m), 2);
    em_model_free(m);
    em_accept_free(a);
    g_unlink(p);
    g_free(p);
}

static void t_stale(void)
{
    char *p = write_tmp(HEADER "W-DYNAMIC-IP\t3\t11\t当日確認済み\t\t\n", -1);
    struct em_err err = {0};
    struct em_accept *a = em_accept_load(p, &err);
    T_ASSERT(a);
    struct em_model *m = model3();
    T_EQ_INT(em_accept_apply(m, a, &err), 0);
    T_EQ_INT(m->n_findings, 4);
    const struct em_finding *f = &m->findings[3];
    T_EQ_STR(f->code, "W-ACCEPT-STALE");
    T_EQ_INT(f->severity, EM_SEV_WARNING);
    T_EQ_STR(f->file, p);
    T_EQ_INT(f->row, 2);
    T_ASSERT(strstr(MSG(f), "W-DYNAMIC-IP"));
    T_ASSERT(strstr(MSG(f), "11行目"));
    em_model_free(m);
    em_accept_free(a);
    g_unlink(p);
    g_free(p);
}

static void t_cp932_crlf_quotes_bom(void)
{
    const char *utf8 = "code\tline_no\trow\treason\taccepted_by\tdate\r\n"
                       "W-GLOBAL-IP-EXPECTED\t8\t\t\"理由に \"\"引用\"\" とタブ\t入り\"\t\t\r\n";
    gsize n = 0;
    char *sj = g_convert(utf8, -1, "CP932", "UTF-8", NULL, &n, NULL);
    T_ASSERT(sj);
    char *p = write_tmp(sj, (gssize)n);
    struct em_err err = {0};
    struct em_accept *a = em_accept_load(p, &err);
    if (!a) T_FAIL("%s", err.msg);
    struct em_model *m = model3();
    T_EQ_INT(em_accept_apply(m, a, &err), 0);
    T_ASSERT(m->findings[1].accepted);
    T_EQ_STR(m->findings[1].accepted->reason, "理由に \"引用\" とタブ\t入り");
    em_model_free(m);
    em_accept_free(a);
    g_unlink(p);
    g_free(p);
    g_free(sj);
    /* a UTF-8 BOM before the header, as Notepad writes it */
    p = write_tmp("\xEF\xBB\xBF" HEADER "E-IP-SYNTAX\t\t\t理由\t\t\n", -1);
    a = em_accept_load(p, &err);
    T_ASSERT(a);
    em_accept_free(a);
    g_unlink(p);
    g_free(p);
}

/* Loads text, expects failure at line with column col ("" = none) and msg part. */
static void expect_bad(const char *text, long line, const char *col, const char *part)
{
    char *p = write_tmp(text, -1);
    struct em_err err = {0};
    struct em_accept *a = em_accept_load(p, &err);
    if (a) T_FAIL("accepted bad file: %s", text);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_EQ_STR(err.file, p);
    T_EQ_INT(err.row, line);
    T_EQ_STR(err.column, col);
    if (!strstr(err.msg, part)) T_FAIL("message '%s' lacks '%s'", err.msg, part);
    g_unlink(p);
    g_free(p);
}

static void t_errors(void)
{
    em_lang_set(EM_LANG_JA);
    expect_bad("", 0, "", "見出し");
    expect_bad("# only a comment\n", 0, "", "見出し");
    expect_bad("code\trow\treason\n", 1, "", "見出し");
    expect_bad(HEADER "W-X\t1\t2\t3\t4\t5\t6\n", 2, "", "列が多すぎ");
    expect_bad(HEADER "\t1\t\t理由\t\t\n", 2, "code", "空");
    expect_bad(HEADER "グローバルIP\t1\t\t理由\t\t\n", 2, "code", "指摘コード");
    expect_bad(HEADER "W-DYNAMIC-IP\t1\tx12\t理由\t\t\n", 2, "row", "行番号");
    expect_bad(HEADER "W-DYNAMIC-IP\t1\t0\t理由\t\t\n", 2, "row", "行番号");
    expect_bad(HEADER "\n# ok\nW-DYNAMIC-IP\t1\t3\t\t\t\n", 4, "reason", "理由");
    expect_bad(HEADER "W-DYNAMIC-IP\t1\t3\t理由\t\t2026-02-30\n", 2, "date", "日付");
    em_lang_set(EM_LANG_EN);
    expect_bad(HEADER "W-DYNAMIC-IP\t1\t3\treason\t\t26/11/2026\n", 2, "date", "real date");
    em_lang_set(EM_LANG_JA);
    /* not text; not a file */
    char *p = write_tmp("code\0\tx", 8);
    struct em_err err = {0};
    T_ASSERT(!em_accept_load(p, &err));
    g_unlink(p);
    g_free(p);
    em_err_clear(&err);
    T_ASSERT(!em_accept_load("/nonexistent/accept.tsv", &err));
    T_EQ_STR(err.file, "/nonexistent/accept.tsv");
}

/* Excel writes a cell with a line break (Alt+Enter) as one quoted field across lines,
 * the break inside as LF while rows end in CRLF. Such an entry is one entry: its
 * reason keeps the break, and the lines after it keep their numbers in messages. A
 * quote that is never closed is an error at the line where it opened. */
static void t_multiline_cell(void)
{
    const char *utf8 = "code\tline_no\trow\treason\taccepted_by\tdate\r\n"
                       "W-GLOBAL-IP-EXPECTED\t7\t15\t\"キャリアNATのLTE回線\n固定IPは契約していない\"\t佐藤\t2026-11-26\r\n"
                       "E-IP-NOT-GLOBAL\t\t\t\"検証機\r\n（保守業者）\"\t\"調査\nチーム\"\t\r\n";
    gsize n = 0;
    char *sj = g_convert(utf8, -1, "CP932", "UTF-8", NULL, &n, NULL);
    T_ASSERT(sj);
    char *p = write_tmp(sj, (gssize)n);
    struct em_err err = {0};
    struct em_accept *a = em_accept_load(p, &err);
    if (!a) T_FAIL("line %ld col %s: %s", err.row, err.column, err.msg);
    T_EQ_INT(em_accept_count(a), 2);
    struct em_model *m = model3();
    T_EQ_INT(em_accept_apply(m, a, &err), 0);
    T_EQ_INT(m->n_findings, 3);   /* nothing stale */
    T_ASSERT(m->findings[0].accepted);
    T_EQ_STR(m->findings[0].accepted->reason, "キャリアNATのLTE回線\n固定IPは契約していない");
    T_EQ_INT(m->findings[0].accepted->entry_line, 2);
    T_ASSERT(m->findings[2].accepted);
    T_EQ_STR(m->findings[2].accepted->reason, "検証機\n（保守業者）");
    T_EQ_STR(m->findings[2].accepted->by, "調査\nチーム");
    T_EQ_INT(m->findings[2].accepted->entry_line, 4);
    em_model_free(m);
    em_accept_free(a);
    g_unlink(p);
    g_free(p);
    g_free(sj);
    /* the line after a two-line cell is named by its own number */
    expect_bad(HEADER "W-DYNAMIC-IP\t1\t\t\"理由\n続き\"\t\t\nW-DYNAMIC-IP\t1\t\t理由\t\t2026-13-01\n",
               4, "date", "日付");
    /* a quote opened on line 2 and never closed */
    expect_bad(HEADER "W-DYNAMIC-IP\t1\t\t\"理由\t\t\nW-DYNAMIC-IP\t1\t\t理由\t\t\n", 2, "", "引用符");
    /* a quote inside a comment or inside an unquoted field opens nothing */
    p = write_tmp("# \"memo\n" HEADER "W-DYNAMIC-IP\t1\t\t15\" モニタ\t\t\n#\t\"\nW-DYNAMIC-IP\t2\t\tx\t\t\n", -1);
    a = em_accept_load(p, &err);
    if (!a) T_FAIL("line %ld: %s", err.row, err.msg);
    T_EQ_INT(em_accept_count(a), 2);
    em_accept_free(a);
    g_unlink(p);
    g_free(p);
}

/* Random findings and entries: the indexed matching accepts exactly what the plain
 * one did (every entry against every finding, in file order, the first entry that
 * matches a finding takes it) and reports the same entries stale. */
static void t_index_against_plain(void)
{
    static const char *codes[] = {"W-GLOBAL-IP-EXPECTED", "E-IP-NOT-GLOBAL", "W-DYNAMIC-IP"};
    static const char *entry_codes[] = {"W-GLOBAL-IP-EXPECTED", "e-ip-not-global", "W-DYNAMIC-IP", "W-ACCEPT-STALE"};
    static const char *lines[] = {"L-1", "l-1", "Ｌ－１", "L-2", "3", ""};
    GRand *r = g_rand_new_with_seed(5);
    char nk[128], ek[128];
    for (int round = 0; round < 60; round++) {
        struct em_model *m = em_model_new();
        int nf = g_rand_int_range(r, 0, 60);
        for (int i = 0; i < nf; i++) {
            struct em_src src = {"s.xlsx", "回線・機器情報記入シート", g_rand_int_range(r, 0, 6)};
            em_model_add_finding(m, codes[g_rand_int_range(r, 0, 3)], EM_SEV_WARNING, &src, "c",
                                 lines[g_rand_int_range(r, 0, 6)], "f%d", i);
        }
        GString *t = g_string_new(HEADER);
        size_t ne = (size_t)g_rand_int_range(r, 1, 30);
        for (size_t i = 0; i < ne; i++) {
            int row = g_rand_int_range(r, 0, 6);
            char rowtxt[16] = "";
            if (row) g_snprintf(rowtxt, sizeof rowtxt, "%d", row);
            g_string_append_printf(t, "%s\t%s\t%s\treason %zu\t\t\n", entry_codes[g_rand_int_range(r, 0, 4)],
                                   lines[g_rand_int_range(r, 0, 6)], rowtxt, i);
        }
        char *p = write_tmp(t->str, -1);
        struct em_err err = {0};
        struct em_accept *a = em_accept_load(p, &err);
        if (!a) T_FAIL("%s line %ld col %s: %s", err.file, err.row, err.column, err.msg);
        /* the plain matching, on the file's own lines (entry k is line k + 2) */
        size_t n0 = m->n_findings;
        int *want = g_new0(int, n0 + 1);
        bool *used = g_new0(bool, ne);
        gchar **lns = g_strsplit(t->str, "\n", -1);
        for (size_t e = 0; e < ne; e++) {
            gchar **f = g_strsplit(lns[e + 1], "\t", -1);
            long row = *f[2] ? atol(f[2]) : 0;
            em_norm_compact(f[1], strlen(f[1]), ek, sizeof ek);
            for (size_t k = 0; k < n0; k++) {
                const struct em_finding *x = &m->findings[k];
                em_norm_compact(x->line_no, strlen(x->line_no), nk, sizeof nk);
                if (want[k] || g_ascii_strcasecmp(f[0], x->code) != 0 || (row && row != x->row) ||
                    (*ek && strcmp(nk, ek) != 0))
                    continue;
                want[k] = (int)e + 2;
                used[e] = true;
            }
            g_strfreev(f);
        }
        T_EQ_INT(em_accept_apply(m, a, &err), 0);
        for (size_t k = 0; k < n0; k++) {
            int got = m->findings[k].accepted ? m->findings[k].accepted->entry_line : 0;
            if (got != want[k]) T_FAIL("round %d, finding %zu: accepted by line %d, the plain matching says %d", round, k, got, want[k]);
        }
        size_t stale = n0;
        for (size_t e = 0; e < ne; e++) {
            if (used[e]) continue;
            if (stale >= m->n_findings || m->findings[stale].row != (int)e + 2)
                T_FAIL("round %d: entry on line %zu should be stale", round, e + 2);
            stale++;
        }
        T_EQ_INT(m->n_findings, stale);
        g_strfreev(lns);
        g_free(want);
        g_free(used);
        em_accept_free(a);
        em_model_free(m);
        g_unlink(p);
        g_free(p);
        g_string_free(t, TRUE);
    }
    g_rand_free(r);
}

static const struct t_case cases[] = {
    {"entries match by code, line_no, row; accepted do not count", t_match_and_count},
    {"an entry that matches nothing is W-ACCEPT-STALE", t_stale},
    {"CP932, CRLF, Excel quoting, BOM", t_cp932_crlf_quotes_bom},
    {"bad files: line and column named", t_errors},
    {"a cell with a line break (Excel quoting across lines)", t_multiline_cell},
    {"indexed matching accepts what every entry against every finding did", t_index_against_plain},
};
T_MAIN(cases)
