/* mapper_eos.c — OS end-of-support lookups against the shipped table
 * (data/os-eos.tsv, read from the project root), as hospitals write OS names. */
#include "mapper/eos.h"
#include "mapper/lang.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DATA "data/os-eos.tsv"

static struct em_eos *cur;

static struct em_eos *load(void)
{
    struct em_err err = {0};
    struct em_eos *e = em_eos_load(DATA, &err);
    if (!e) {
        char buf[1600];
        em_err_format(&err, buf, sizeof buf);
        T_FAIL("load %s: %.400s", DATA, buf);
    }
    return e;
}

/* os on date: want past (1/0), and when a row should match, its end date. */
static void expect(const char *os, const char *date, int want, const char *want_end)
{
    const char *product = NULL, *end = NULL;
    int got = em_eos_check(cur, os, date, &product, &end);
    const char *lp = NULL, *le = NULL;
    int known = em_eos_lookup(cur, os, &lp, &le);
    if (got != want || (want_end && (!known || strcmp(le, want_end) != 0))
        || (!want_end && known)) {
        em_eos_free(cur);
        cur = NULL;
        T_FAIL("\"%s\" on %s: past=%d (row %s, end %s), want past=%d end %s", os, date, got,
               known ? lp : "none", known ? le : "-", want, want_end ? want_end : "none");
    }
    if (got && (!product || !end || strcmp(end, want_end) != 0)) {
        em_eos_free(cur);
        cur = NULL;
        T_FAIL("\"%s\": product/end_date not filled", os);
    }
}

static void t_windows10(void)
{
    cur = load();
    expect("Windows10 Pro 22H2", "2026-11-25", 1, "2025-10-14");
    expect("Windows10 Pro 22H2", "2025-10-14", 0, "2025-10-14");   /* last supported day */
    expect("Windows10 Pro 22H2", "2025-10-15", 1, "2025-10-14");
    expect("Windows 10 Pro 22H2", "2025-01-01", 0, "2025-10-14");
    expect("Win10", "2026-11-25", 1, "2025-10-14");
    expect("WIN10 Pro", "2024-12-31", 0, "2025-10-14");
    expect("Ｗｉｎｄｏｗｓ１０　Ｐｒｏ　２２Ｈ２", "2026-11-25", 1, "2025-10-14");
    expect("Windows 10 Pro 21H2", "2023-07-01", 1, "2023-06-13");
    expect("Windows 10 Enterprise 21H2", "2023-07-01", 0, "2024-06-11");
    expect("Windows 10 Pro Education 21H2", "2023-07-01", 1, "2023-06-13");
    expect("Windows 10 Enterprise 1809", "2021-01-01", 0, "2021-05-11");
    expect("Windows 10 Home 1909", "2021-06-01", 1, "2021-05-11");
    T_ASSERT(em_eos_check(cur, "Windows10 Pro 22H2", "2026-11-25", NULL, NULL) == 1);
    em_eos_free(cur);
    cur = NULL;
}

static void t_ltsc(void)
{
    cur = load();
    expect("Windows 10 Enterprise LTSC 2019", "2026-11-25", 0, "2029-01-09");
    expect("Windows 10 Enterprise LTSC 2019", "2029-01-10", 1, "2029-01-09");
    expect("Windows10 IoT Enterprise LTSC 2021", "2030-01-01", 0, "2032-01-13");
    expect("Windows 10 Enterprise LTSC 2021", "2027-01-12", 0, "2027-01-12");
    expect("Windows 10 Enterprise LTSC 2021", "2027-01-13", 1, "2027-01-12");
    expect("Windows 10 Enterprise 2016 LTSB", "2026-11-25", 1, "2026-10-13");
    expect("Win10 LTSB2016", "2026-10-13", 0, "2026-10-13");
    expect("Windows 10 LTSB 2015", "2026-11-25", 1, "2025-10-14");
    expect("Windows 10 LTSC", "2026-11-25", 0, NULL);          /* which LTSC? unknown */
    expect("Windows 10 Enterprise LTSC 21H2", "2027-01-13", 1, "2027-01-12");
    expect("Windows 10 IoT Enterprise LTSC (21H2)", "2027-01-13", 0, "2032-01-13");
    expect("Windows 10 LTSC 1809", "2026-11-25", 0, "2029-01-09");
    expect("Windows 10 Enterprise LTSB 1607", "2026-11-25", 1, "2026-10-13");
    expect("Windows 11 IoT Enterprise LTSC 2024", "2033-01-01", 0, "2034-10-10");
    em_eos_free(cur);
    cur = NULL;
}

static void t_windows11(void)
{
    cur = load();
    expect("Windows 11 Pro 23H2", "2026-11-25", 1, "2025-11-11");
    expect("Windows 11 Enterprise 23H2", "2026-11-10", 0, "2026-11-10");
    expect("Windows 11 Enterprise 23H2", "2026-11-25", 1, "2026-11-10");
    expect("Windows 11 Pro 24H2", "2026-10-13", 0, "2026-10-13");
    expect("Windows11 Pro 24H2", "2026-11-25", 1, "2026-10-13");
    expect("Windows 11 Education 24H2", "2026-11-25", 0, "2027-10-12");
    expect("Windows 11 Home 22H2", "2024-10-09", 1, "2024-10-08");
    expect("Windows 11 Pro", "2026-11-25", 0, NULL);           /* release not written */
    em_eos_free(cur);
    cur = NULL;
}

static void t_older_and_server(void)
{
    cur = load();
    expect("Windows 7 Professional SP1", "2020-01-14", 0, "2020-01-14");
    expect("Windows7", "2020-01-15", 1, "2020-01-14");
    expect("Windows 8.1 Pro", "2023-01-11", 1, "2023-01-10");
    expect("Windows 8.1 Pro", "2022-12-31", 0, "2023-01-10");
    expect("Windows XP", "2026-11-25", 1, "2014-04-08");
    expect("Windows Embedded Standard 7", "2021-01-01", 1, "2020-10-13");
    expect("Windows Server 2008 R2 Standard", "2020-01-15", 1, "2020-01-14");
    expect("Windows Server 2012 R2 Standard", "2023-10-10", 0, "2023-10-10");
    expect("Windows Server 2012 R2 Standard", "2026-11-25", 1, "2023-10-10");
    expect("WindowsServer2012R2", "2026-11-25", 1, "2023-10-10");
    expect("Win2012R2", "2026-11-25", 1, "2023-10-10");
    expect("WinSvr2019 Std", "2029-01-10", 1, "2029-01-09");
    expect("Windows Server 2016 Standard", "2026-11-25", 0, "2027-01-12");
    expect("Windows Server 2016 Standard", "2027-01-13", 1, "2027-01-12");
    expect("Windows Server 2019 Datacenter", "2026-11-25", 0, "2029-01-09");
    expect("Ｗｉｎｄｏｗｓ　Ｓｅｒｖｅｒ　２０２２", "2031-10-15", 1, "2031-10-14");
    expect("CentOS 7.9", "2026-11-25", 1, "2024-06-30");
    em_eos_free(cur);
    cur = NULL;
}

static void t_unknown_inputs(void)
{
    cur = load();
    expect("macOS Sonoma", "2026-11-25", 0, NULL);
    expect("", "2026-11-25", 0, NULL);
    expect("不明", "2026-11-25", 0, NULL);
    expect("Windows", "2026-11-25", 0, NULL);
    const char *p = "unchanged";
    T_EQ_INT(em_eos_check(cur, "Windows 7", "2026/11/25", &p, NULL), 0);   /* bad date */
    T_EQ_STR(p, "unchanged");
    T_EQ_INT(em_eos_check(cur, "Windows 7", "", NULL, NULL), 0);
    T_EQ_INT(em_eos_check(cur, NULL, "2026-11-25", NULL, NULL), 0);
    T_EQ_INT(em_eos_check(NULL, "Windows 7", "2026-11-25", NULL, NULL), 0);
    em_eos_free(cur);
    cur = NULL;
    em_eos_free(NULL);
}

static struct em_err load_text(const char *text, int *ok)
{
    char path[] = "/tmp/em-eos-XXXXXX";
    struct em_err err = {0};
    int fd = mkstemp(path);
    if (fd < 0) T_FAIL("mkstemp failed");
    FILE *fp = fdopen(fd, "w");
    if (!fp) { close(fd); unlink(path); T_FAIL("fdopen failed"); }
    fputs(text, fp);
    fclose(fp);
    struct em_eos *e = em_eos_load(path, &err);
    *ok = e != NULL;
    em_eos_free(e);
    unlink(path);
    return err;
}

static void expect_bad(const char *text, long row, const char *column)
{
    int ok;
    struct em_err err = load_text(text, &ok);
    if (ok) T_FAIL("loaded a malformed table (want an error at row %ld)", row);
    if (err.rc != EM_ERR_FORMAT || err.row != row || strcmp(err.column, column) != 0)
        T_FAIL("error rc %d row %ld column '%.40s' (%.200s), want row %ld column '%.40s'", err.rc, err.row,
               err.column, err.msg, row, column);
}

#define HDR "match\tproduct\tend_of_support\tnote\n"

static void t_malformed(void)
{
    int ok;
    struct em_err err = load_text("# c\n" HDR "foo1\tFoo 1\t2020-01-01\t\n", &ok);
    T_ASSERT(ok);
    T_EQ_INT(err.rc, 0);
    err = load_text(HDR "foo1\tFoo 1\t2024-02-29\n", &ok);   /* a leap day is a day */
    T_ASSERT(ok);
    expect_bad(HDR "foo1\tFoo 1\t2020/01/01\n", 2, "end_of_support");
    expect_bad(HDR "foo1\tFoo 1\t2020-13-01\n", 2, "end_of_support");
    expect_bad(HDR "foo1\tFoo 1\t2026-02-31\n", 2, "end_of_support");   /* no such day */
    expect_bad(HDR "foo1\tFoo 1\t2025-02-29\n", 2, "end_of_support");   /* not a leap year */
    expect_bad(HDR "foo1\t\t2020-01-01\n", 2, "product");
    expect_bad(HDR "# x\n!foo\tFoo\t2020-01-01\n", 3, "match");
    expect_bad(HDR "||\tFoo\t2020-01-01\n", 2, "match");
    expect_bad("match\tproduct\n", 1, "end_of_support");
    expect_bad("# nothing\n", 0, "");
    struct em_err e2 = {0};
    T_ASSERT(em_eos_load("/nonexistent/os.tsv", &e2) == NULL);
    T_EQ_INT(e2.rc, EM_ERR_IO);
}

static void t_specificity(void)
{
    char path[] = "/tmp/em-eos-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    T_ASSERT(fp != NULL);
    fputs(HDR "foo\tFoo\t2020-01-01\n" "foo 2 pro\tFoo 2 Pro\t2030-01-01\n"
          "foo 2\tFoo 2\t2021-01-01\n" "foo !bar\tFoo not bar\t2019-01-01\n", fp);
    fclose(fp);
    struct em_err err = {0};
    cur = em_eos_load(path, &err);
    unlink(path);
    T_ASSERT(cur != NULL);
    expect("FOO 2 Pro", "2025-01-01", 0, "2030-01-01");   /* 3 words beat 2 and 1 */
    expect("foo2", "2025-01-01", 1, "2021-01-01");
    expect("foo bar", "2025-01-01", 1, "2020-01-01");     /* '!bar' row excluded */
    expect("foo", "2025-01-01", 1, "2020-01-01");         /* equal score: first row */
    expect("food", "2025-01-01", 0, NULL);                /* words, not substrings */
    em_eos_free(cur);
    cur = NULL;
}

/* Garbage in: random bytes and very long text; no crash, no out-of-bounds read. */
static void t_garbage(void)
{
    cur = load();
    unsigned x = 777u;
    char buf[300];
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(round % 299);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            unsigned char c = (unsigned char)(x >> 16);
            if ((x >> 8) % 3 == 0) c = (unsigned char)("Windows 10LTSC2019Server R2\xE3\x80\x80"[(x >> 4) % 30]);
            buf[i] = c ? (char)c : 'x';
        }
        buf[n] = '\0';
        const char *p = NULL, *d = NULL;
        int r = em_eos_check(cur, buf, "2026-11-25", &p, &d);
        T_ASSERT(r == 0 || (r == 1 && p && d));
        (void)em_eos_check(cur, "Windows 7", buf, NULL, NULL);
    }
    static char big[200001];
    for (size_t i = 0; i < sizeof big - 1; i++) big[i] = "Windows 7 "[i % 10];
    T_EQ_INT(em_eos_check(cur, big, "2026-11-25", NULL, NULL), 1);   /* cut, still matched */
    em_eos_free(cur);
    cur = NULL;
}

/* A table saved by Excel as CP932 (CRLF) is read as CP932: its Japanese product name
 * comes back as UTF-8 and its Japanese words match; bytes that are neither UTF-8 nor
 * CP932 are an error naming the file and the line. */
static void t_cp932_table(void)
{
    static const char cp932[] =
        "match\tproduct\tend_of_support\r\n"
        "\x83\x45\x83\x42\x83\x93\x83\x68\x83\x45\x83\x59\x82\x56" "\tWindows 7 (" "\x83\x54\x83\x7C\x81\x5B\x83\x67\x8F\x49\x97\xB9" ")\t2020-01-14\r\n";
    char path[] = "/tmp/em-eos-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) T_FAIL("mkstemp failed");
    if (write(fd, cp932, sizeof cp932 - 1) != (ssize_t)(sizeof cp932 - 1)) T_FAIL("write failed");
    close(fd);
    struct em_err err = {0};
    struct em_eos *e = em_eos_load(path, &err);
    unlink(path);
    if (!e) T_FAIL("CP932 table refused: row %ld: %s", err.row, err.msg);
    const char *product = NULL, *end = NULL;
    int past = em_eos_check(e, "ウィンドウズ７ Pro", "2026-12-01", &product, &end);
    int same = past == 1 && product && strcmp(product, "Windows 7 (サポート終了)") == 0;
    em_eos_free(e);
    T_ASSERT(same);
    int ok;
    err = load_text(HDR "windows7\tWindows 7\t2020-01-14\t\n# \xFF\xFE\n", &ok);
    T_ASSERT(!ok);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_EQ_INT(err.row, 3);
    T_ASSERT(strstr(err.msg, "CP932") != NULL);
}

static const struct t_case cases[] = {
    { "eos/windows10_releases", t_windows10 },
    { "eos/ltsc_before_plain_windows10", t_ltsc },
    { "eos/windows11_editions", t_windows11 },
    { "eos/older_windows_and_server", t_older_and_server },
    { "eos/unknown_inputs", t_unknown_inputs },
    { "eos/malformed_table_errors", t_malformed },
    { "eos/most_specific_row_wins", t_specificity },
    { "eos/garbage_input", t_garbage },
    { "eos/cp932_table", t_cp932_table },
};
T_MAIN(cases)
