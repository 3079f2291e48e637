/* mapper_advisory.c — firmware version parsing, the shipped advisory table
 * (data/firmware-advisories.tsv, read from the project root) and malformed tables. */
#include "mapper/advisory.h"
#include "mapper/lang.h"
#include "t.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DATA "data/firmware-advisories.tsv"

static void expect_version(const char *text, int n, int a, int b, int c, int d)
{
    int v[4];
    int got = em_version_parse(text, v);
    if (got != n || (n > 0 && (v[0] != a || v[1] != b || v[2] != c || v[3] != d)))
        T_FAIL("em_version_parse(\"%s\") = %d [%d.%d.%d.%d], want %d [%d.%d.%d.%d]",
               text, got, v[0], v[1], v[2], v[3], n, a, b, c, d);
}

static void t_version_forms(void)
{
    expect_version("FortiOS 6.0.4", 3, 6, 0, 4, 0);
    expect_version("v6.0.4,build0231 (GA)", 3, 6, 0, 4, 0);
    expect_version("6.0.4", 3, 6, 0, 4, 0);
    expect_version("Rev.15.02.09", 3, 15, 2, 9, 0);
    expect_version("Rev15.02.09", 3, 15, 2, 9, 0);
    expect_version("15.02.09", 3, 15, 2, 9, 0);
    expect_version("６．０．４", 3, 6, 0, 4, 0);                 /* full width */
    expect_version("ＦｏｒｔｉＯＳ　ｖ７．２．８", 3, 7, 2, 8, 0);
    expect_version("Rev．１４．０１．３３", 3, 14, 1, 33, 0);
    expect_version("FortiGate-60F v7.4.4 build2662", 3, 7, 4, 4, 0);  /* 60F is not a version */
    expect_version("9.0R3.4", 4, 9, 0, 3, 4);                      /* Pulse Connect Secure */
    expect_version("8.2R12", 3, 8, 2, 12, 0);
    expect_version("17.9.4a", 4, 17, 9, 4, 1);                     /* Cisco rebuild letter */
    expect_version("IOS XE 17.09.04", 3, 17, 9, 4, 0);
    expect_version("1.2.3.4.5", 4, 1, 2, 3, 4);                    /* more than 4: first 4 */
}

static void t_version_not(void)
{
    int v[4];
    T_EQ_INT(em_version_parse("", v), 0);
    T_EQ_INT(em_version_parse(NULL, v), 0);
    T_EQ_INT(em_version_parse("不明", v), 0);
    T_EQ_INT(em_version_parse("最新", v), 0);
    T_EQ_INT(em_version_parse("build0231", v), 0);
    T_EQ_INT(em_version_parse("60F", v), 0);
    T_EQ_INT(em_version_parse("12345678901234567890.1", v), 0);   /* no overflow */
    T_EQ_INT(v[0], 0);
}

static void t_version_cmp(void)
{
    int a[4], b[4];
    int na = em_version_parse("6.0.4", a), nb = em_version_parse("6.0.5", b);
    T_ASSERT(em_version_cmp(a, na, b, nb) < 0);
    T_ASSERT(em_version_cmp(b, nb, a, na) > 0);
    nb = em_version_parse("6.0.4.0", b);
    T_EQ_INT(em_version_cmp(a, na, b, nb), 0);                    /* missing parts are 0 */
    na = em_version_parse("6.0.10", a); nb = em_version_parse("6.0.9", b);
    T_ASSERT(em_version_cmp(a, na, b, nb) > 0);                   /* numeric, not text */
    na = em_version_parse("17.9.4a", a); nb = em_version_parse("17.9.4", b);
    T_ASSERT(em_version_cmp(a, na, b, nb) > 0);
}

static struct em_advisories *load(void)
{
    struct em_err err = {0};
    struct em_advisories *a = em_advisories_load(DATA, &err);
    if (!a) {
        char buf[1600];
        em_err_format(&err, buf, sizeof buf);
        T_FAIL("load %s: %.400s", DATA, buf);
    }
    return a;
}

/* Does (maker, model, firmware) match an advisory naming cve? */
static int has_cve(const struct em_advisories *a, const char *maker, const char *model,
                   const char *fw, const char *cve)
{
    const struct em_advisory *out[32];
    size_t n = em_advisories_match(a, maker, model, fw, out, 32);
    for (size_t i = 0; i < n && i < 32; i++)
        for (size_t k = 0; k < out[i]->n_cves; k++)
            if (strcmp(out[i]->cves[k], cve) == 0) return 1;
    return 0;
}

static struct em_advisories *cur;
#define CHECK(maker, model, fw, cve, want) do { \
    int got_ = has_cve(cur, maker, model, fw, cve); \
    if (got_ != (want)) { em_advisories_free(cur); cur = NULL; \
        T_FAIL("%s / %s / %s: %s %s, want %s", maker ? maker : "(none)", model, fw, cve, \
               got_ ? "matched" : "did not match", (want) ? "a match" : "none"); } } while (0)

static void t_fortios_edges(void)
{
    cur = load();
    CHECK("Fortinet", "FortiGate-60F", "FortiOS 6.0.4", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FortiGate-60F", "6.0.5", "CVE-2018-13379", 0);
    CHECK("Fortinet", "FortiGate-60F", "6.0.0", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FortiGate-60F", "5.4.5", "CVE-2018-13379", 0);
    CHECK("Fortinet", "FortiGate-60F", "5.4.6", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FortiGate-60F", "5.4.12", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FortiGate-60F", "5.4.13", "CVE-2018-13379", 0);
    CHECK("Fortinet", "FortiGate-60F", "5.6.2", "CVE-2018-13379", 0);
    CHECK("Fortinet", "FortiGate-60F", "5.6.7", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FortiGate-60F", "6.2.0", "CVE-2018-13379", 0);
    CHECK("Fortinet", "FortiGate-100F", "v7.4.3,build2573 (GA)", "CVE-2024-21762", 0);
    CHECK("Fortinet", "FortiGate-100F", "7.4.2", "CVE-2024-21762", 1);
    CHECK("Fortinet", "FortiGate-100F", "6.0.18", "CVE-2024-21762", 1);   /* whole 6.0 branch */
    CHECK("Fortinet", "FortiGate-100F", "6.2.16", "CVE-2024-21762", 0);
    CHECK("Fortinet", "FortiGate-100F", "7.2.6", "CVE-2024-21762", 1);
    CHECK("Fortinet", "FortiGate-100F", "7.2.7", "CVE-2024-21762", 0);
    CHECK("Fortinet", "FortiGate-60F", "7.0.8", "CVE-2022-42475", 1);
    CHECK("Fortinet", "FortiGate-60F", "7.0.9", "CVE-2022-42475", 0);
    CHECK("Fortinet", "FortiGate-60F", "6.0.15", "CVE-2022-42475", 1);
    CHECK("Fortinet", "FortiGate-60F", "7.2.1", "CVE-2022-40684", 1);
    CHECK("Fortinet", "FortiGate-60F", "7.2.2", "CVE-2022-40684", 0);
    CHECK("Fortinet", "FortiGate-60F", "7.0.11", "CVE-2023-27997", 1);
    CHECK("Fortinet", "FortiGate-60F", "7.0.12", "CVE-2023-27997", 0);
    CHECK("Fortinet", "FortiGate-60F", "7.2.4", "CVE-2023-27997", 1);
    CHECK("Fortinet", "FortiGate-60F", "7.2.5", "CVE-2023-27997", 0);
    CHECK("Fortinet", "FortiGate-60F", "7.0.16", "CVE-2024-55591", 1);
    CHECK("Fortinet", "FortiGate-60F", "7.0.17", "CVE-2024-55591", 0);
    CHECK("Fortinet", "FortiGate-60F", "7.2.0", "CVE-2024-55591", 0);
    /* the sample's fixed units match nothing in the table */
    const struct em_advisory *out[4];
    T_EQ_INT(em_advisories_match(cur, "Fortinet", "FortiGate-60F", "7.2.8", out, 4), 0);
    T_EQ_INT(em_advisories_match(cur, "Fortinet", "FortiGate-100F", "FortiOS 7.4.4", out, 4), 0);
    /* 6.0.4 falls in several advisories; the count exceeds a small max */
    size_t n = em_advisories_match(cur, "Fortinet", "FortiGate-60F", "6.0.4", out, 2);
    T_ASSERT(n >= 4);
    T_ASSERT(out[0] != NULL && out[1] != NULL);
    T_EQ_INT(em_advisories_match(cur, "Fortinet", "FortiGate-60F", "6.0.4", NULL, 0), n);
    em_advisories_free(cur);
    cur = NULL;
}

static void t_yamaha_edges(void)
{
    cur = load();
    CHECK("YAMAHA", "RTX1210", "Rev.14.01.33", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "RTX1210", "Rev.14.01.34", "CVE-2020-5548", 0);
    CHECK("ヤマハ", "RTX1210", "Rev.14.01.20", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "RTX830", "Rev.15.02.09", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "RTX830", "Rev.15.02.10", "CVE-2020-5548", 0);
    CHECK("YAMAHA", "RTX830", "Rev15.02.03", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "NVR510", "Rev.15.01.14", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "NVR510", "Rev.15.01.15", "CVE-2020-5548", 0);
    CHECK("YAMAHA", "RTX1200", "Rev.10.01.76", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "RTX810", "Rev.11.01.34", "CVE-2020-5548", 0);
    CHECK("YAMAHA", "NVR700W", "Rev.15.00.15", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "FWX120", "Rev.11.03.27", "CVE-2020-5548", 1);
    /* RTX1210's bound is not RTX830's: the model must be exact */
    CHECK("YAMAHA", "RTX1220", "Rev.14.01.20", "CVE-2020-5548", 0);
    CHECK("YAMAHA", "RTX1210", "", "CVE-2020-5548", 0);
    CHECK("YAMAHA", "RTX1210", "不明", "CVE-2020-5548", 0);
    /* another maker with a YAMAHA model name: no */
    CHECK("NEC", "RTX1210", "Rev.14.01.33", "CVE-2020-5548", 0);
    em_advisories_free(cur);
    cur = NULL;
}

static void t_other_vendors(void)
{
    cur = load();
    CHECK("Pulse Secure", "PCS-5000", "9.0R3.3", "CVE-2019-11510", 1);
    CHECK("Pulse Secure", "PCS-5000", "9.0R3.4", "CVE-2019-11510", 0);     /* the fix */
    CHECK("Ivanti", "PSA3000", "8.2R12", "CVE-2019-11510", 1);
    CHECK("Pulse Secure", "PSA3000", "8.2R12.1", "CVE-2019-11510", 0);
    CHECK("Pulse Secure", "PSA3000", "8.3R1", "CVE-2019-11510", 1);
    CHECK("Pulse Secure", "PSA3000", "9.1R1", "CVE-2019-11510", 0);
    CHECK("Cisco", "ISR4331", "17.9.4", "CVE-2023-20198", 1);
    CHECK("シスコ", "ISR4331", "17.9.4a", "CVE-2023-20198", 0);
    CHECK("Cisco", "C1111-8P", "IOS XE 17.06.05", "CVE-2023-20198", 1);
    CHECK("Cisco", "C1111-8P", "17.6.6a", "CVE-2023-20198", 0);
    em_advisories_free(cur);
    cur = NULL;
}

static void t_maker_aliases(void)
{
    struct em_advisories *a = load();
    const char *cases[][2] = {
        { "ヤマハ", "YAMAHA" }, { "YAMAHA", "YAMAHA" }, { "Yamaha", "YAMAHA" },
        { "ヤマハ株式会社", "YAMAHA" }, { "ヤマハ（株）", "YAMAHA" }, { "ﾔﾏﾊ", "ﾔﾏﾊ" },
        { "Fortinet", "Fortinet" }, { "フォーティネット", "Fortinet" }, { "Fortinet, Inc.", "Fortinet" },
        { "ＦＯＲＴＩＮＥＴ", "Fortinet" }, { "NEC", "NEC" }, { "日本電気", "NEC" },
        { "日本電気株式会社", "NEC" }, { "Cisco", "Cisco" }, { "シスコ", "Cisco" },
        { "Cisco Systems, Inc.", "Cisco" }, { "YAMAHA Co.,Ltd.", "YAMAHA" },
        { "NTT東日本", "NTT東日本" },   /* a reseller: not a maker, returned unchanged */
        { "NEC Corporation", "NEC" }, { "Acme Networks", "Acme Networks" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = em_maker_canonical(a, cases[i][0]);
        if (!got || strcmp(got, cases[i][1]) != 0) {
            em_advisories_free(a);
            T_FAIL("em_maker_canonical(\"%s\") = \"%s\", want \"%s\"", cases[i][0],
                   got ? got : "(null)", cases[i][1]);
        }
    }
    const char *unknown = "Acme";
    T_ASSERT(em_maker_canonical(a, unknown) == unknown);      /* returned unchanged */
    T_ASSERT(em_maker_canonical(a, NULL) == NULL);
    T_ASSERT(em_maker_canonical(NULL, unknown) == unknown);
    em_advisories_free(a);
}

static void t_model_normalise(void)
{
    char b[64];
    T_EQ_STR(em_model_normalise("FortiGate-60F", b, sizeof b), "fortigate60f");
    T_EQ_STR(em_model_normalise("FortiGate 60F", b, sizeof b), "fortigate60f");
    T_EQ_STR(em_model_normalise("ＦｏｒｔｉＧａｔｅ－６０Ｆ", b, sizeof b), "fortigate60f");
    T_EQ_STR(em_model_normalise("UNIVERGE IX2215", b, sizeof b), "univergeix2215");
    T_EQ_STR(em_model_normalise("RTX1210", b, 4), "rtx");            /* truncates safely */
    cur = load();
    /* spellings of one FortiGate, with and without the maker cell */
    CHECK("Fortinet", "FortiGate 60F", "6.0.4", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FG-60F", "6.0.4", "CVE-2018-13379", 1);
    CHECK("フォーティネット", "fortigate60f", "6.0.4", "CVE-2018-13379", 1);
    CHECK(NULL, "FortiGate-60F", "6.0.4", "CVE-2018-13379", 1);
    CHECK("", "FG60F", "v6.0.4", "CVE-2018-13379", 1);
    CHECK("", "ＦｏｒｔｉＧａｔｅ－６０Ｆ", "６．０．４", "CVE-2018-13379", 1);
    CHECK("Fortinet", "FortiWiFi-60E", "6.0.4", "CVE-2018-13379", 1);
    CHECK(NULL, "RTX-1210", "Rev.14.01.33", "CVE-2020-5548", 1);
    CHECK(NULL, "IX2215", "10.1.16", "CVE-2018-13379", 0);
    CHECK("Fortinet", "", "6.0.4", "CVE-2018-13379", 0);             /* no model, no match */
    /* a model cell with more than the model in it */
    CHECK(NULL, "ヤマハ RTX1210", "Rev.14.01.33", "CVE-2020-5548", 1);
    CHECK("YAMAHA", "RTX1210（本体）", "Rev.14.01.33", "CVE-2020-5548", 1);
    CHECK("Fortinet", "FortiGate 60F / 2台冗長", "6.0.4", "CVE-2018-13379", 1);
    CHECK("YAMAHA", "RTX1210互換機", "Rev.14.01.33", "CVE-2020-5548", 0);
    /* a rental's maker cell naming the carrier: the model decides */
    CHECK("NTT東日本", "FortiGate-60F", "6.0.4", "CVE-2018-13379", 1);
    CHECK("ＮＴＴ東日本株式会社", "FG-60F", "6.0.4", "CVE-2018-13379", 1);
    CHECK("KDDI", "RTX1210", "Rev.14.01.33", "CVE-2020-5548", 1);
    em_advisories_free(cur);
    cur = NULL;
}

/* Writes text to a temp file and loads it; returns the error record. */
static struct em_err load_text(const char *text, int *ok)
{
    char path[] = "/tmp/em-adv-XXXXXX";
    struct em_err err = {0};
    int fd = mkstemp(path);
    if (fd < 0) T_FAIL("mkstemp failed");
    FILE *fp = fdopen(fd, "w");
    if (!fp) { close(fd); unlink(path); T_FAIL("fdopen failed"); }
    fputs(text, fp);
    fclose(fp);
    struct em_advisories *a = em_advisories_load(path, &err);
    *ok = a != NULL;
    em_advisories_free(a);
    unlink(path);
    return err;
}

#define HDR "maker\tmodel\taffected\tfixed\tcves\turl\tsummary\n"
#define URL "https://example.invalid/a"

static void expect_bad(const char *text, long row, const char *column, const char *msg_part)
{
    int ok;
    struct em_err err = load_text(text, &ok);
    if (ok) T_FAIL("loaded a malformed table (want an error at row %ld, column %s)", row, column);
    if (err.rc != EM_ERR_FORMAT || err.row != row || strcmp(err.column, column) != 0
        || (msg_part && !strstr(err.msg, msg_part)))
        T_FAIL("error rc %d row %ld column '%.40s' msg '%.200s', want row %ld column '%.40s' (%.40s)", err.rc,
               err.row, err.column, err.msg, row, column, msg_part ? msg_part : "");
}

static void t_malformed(void)
{
    em_lang_set(EM_LANG_EN);
    int ok;
    struct em_err err = load_text("# comment\n" HDR "Acme\tX*\t1.0.0-1.0.5\t1.0.6\tCVE-2020-0001\t" URL "\tok\n", &ok);
    T_ASSERT(ok);
    T_EQ_INT(err.rc, 0);
    expect_bad("# c\n" HDR "Acme\tX*\t1.0.0-banana\t\tCVE-2020-0001\t" URL "\ts\n", 3, "affected", "banana");
    expect_bad(HDR "Acme\tX*\t1.0.5-1.0.0\t\tCVE-2020-0001\t" URL "\ts\n", 2, "affected", "lower bound");
    expect_bad(HDR "Acme\tX*\t1.0.0\t\tCVE-20-1\t" URL "\ts\n", 2, "cves", "CVE-20-1");
    expect_bad(HDR "Acme\t\t1.0.0\t\tCVE-2020-0001\t" URL "\ts\n", 2, "model", "required");
    expect_bad(HDR "Acme\tX*\t1.0.0\t\tCVE-2020-0001\tftp://x\ts\n", 2, "url", "URL");
    expect_bad(HDR "Acme\tX*\t1.0.0,,2.0\t\tCVE-2020-0001\t" URL "\ts\n", 2, "affected", "empty");
    expect_bad(HDR "Acme\tX*\tx.*\t\tCVE-2020-0001\t" URL "\ts\n", 2, "affected", "branch");
    expect_bad("maker\tmodel\taffected\tfixed\tcves\turl\n", 1, "summary", "header");
    expect_bad(HDR "Acme\tX*\t1.0.0\t\tCVE-2020-0001\t" URL "\ts\n[frobs]\n", 3, "", "section");
    expect_bad(HDR "Acme\tX*\t1.0.0\t\tCVE-2020-0001\t" URL "\ts\n[aliases]\ncanonical\talias\nAcme\t\n",
               5, "alias", "required");
    expect_bad(HDR "Acme\tX*\t1.0.0\t\tCVE-2020-0001\t" URL "\ts\n[resellers]\nvendor\n", 4, "name", "header");
    expect_bad("# only comments\n", 0, "", "no advisory");
    err = load_text(HDR "Acme\tX*\t<=1.0.0\t\tCVE-2020-0001\t" URL "\ts\n\0junk", &ok);
    T_ASSERT(ok);   /* fputs stops at the NUL: the file is fine */
    struct em_err e2 = {0};
    T_ASSERT(em_advisories_load("/nonexistent/adv.tsv", &e2) == NULL);
    T_EQ_INT(e2.rc, EM_ERR_IO);
    T_ASSERT(strcmp(e2.file, "/nonexistent/adv.tsv") == 0);
    em_lang_set(EM_LANG_JA);
}

static void t_range_forms(void)
{
    int ok;
    char path[] = "/tmp/em-adv-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    T_ASSERT(fp != NULL);
    fputs("\xEF\xBB\xBF" HDR
          "Acme\tLE*\t<=2.0.3\t\tCVE-2020-1001\t" URL "\tle\r\n"
          "Acme\tLT*\t<2.0.3\t\tCVE-2020-1002\t" URL "\tlt\r\n"
          "Acme\tGE*\t>=2.0.3\t\tCVE-2020-1003\t" URL "\tge\r\n"
          "Acme\tGT*\t>2.0.3\t\tCVE-2020-1004\t" URL "\tgt\r\n"
          "Acme\tBR*\t2.0.*\t\tCVE-2020-1005\t" URL "\tbranch\r\n"
          "Acme\tEX*\t2.0.3\t\tCVE-2020-1006\t" URL "\texact\r\n"
          "Acme\tXR*\t2.0.0-<2.0.3\t\tCVE-2020-1007\t" URL "\texclusive\r\n"
          "\tANY*\t1.0.0-9.9.9\t\tCVE-2020-1008\t" URL "\tno maker in data\r\n"
          "[aliases]\ncanonical\talias\nAcme\tアクメ\n", fp);
    fclose(fp);
    struct em_err err = {0};
    cur = em_advisories_load(path, &err);
    unlink(path);
    T_ASSERT(cur != NULL);
    T_EQ_INT(em_advisories_count(cur), 8);
    CHECK("Acme", "LE1", "2.0.3", "CVE-2020-1001", 1);
    CHECK("Acme", "LE1", "2.0.4", "CVE-2020-1001", 0);
    CHECK("Acme", "LT1", "2.0.3", "CVE-2020-1002", 0);
    CHECK("Acme", "LT1", "2.0.2", "CVE-2020-1002", 1);
    CHECK("Acme", "GE1", "2.0.3", "CVE-2020-1003", 1);
    CHECK("Acme", "GE1", "2.0.2", "CVE-2020-1003", 0);
    CHECK("Acme", "GT1", "2.0.3", "CVE-2020-1004", 0);
    CHECK("アクメ", "GT1", "3.0", "CVE-2020-1004", 1);
    CHECK("Acme", "BR1", "2.0.99", "CVE-2020-1005", 1);
    CHECK("Acme", "BR1", "2.1.0", "CVE-2020-1005", 0);
    CHECK("Acme", "EX1", "2.0.3", "CVE-2020-1006", 1);
    CHECK("Acme", "EX1", "2.0.3.1", "CVE-2020-1006", 0);
    CHECK("Acme", "XR1", "2.0.2", "CVE-2020-1007", 1);
    CHECK("Acme", "XR1", "2.0.3", "CVE-2020-1007", 0);
    CHECK("Whoever", "ANY1", "2.0", "CVE-2020-1008", 1);
    em_advisories_free(cur);
    cur = NULL;
    (void)ok;
}

/* Garbage in: random bytes (invalid UTF-8, NULs cut short), very long text. Nothing
 * may crash or read out of bounds (run under ASan), and results stay in range. */
static void t_garbage(void)
{
    cur = load();
    unsigned x = 12345u;
    char buf[300];
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(round % 299);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            unsigned char c = (unsigned char)(x >> 16);
            /* bias towards digits, dots and multi-byte leads */
            if ((x >> 8) % 4 == 0) c = (unsigned char)("0123456789.R-a\xEF\xBC\x90"[(x >> 4) % 17]);
            buf[i] = c ? (char)c : '1';
        }
        buf[n] = '\0';
        int v[4];
        int k = em_version_parse(buf, v);
        T_ASSERT(k >= 0 && k <= 4);
        for (int i = 0; i < 4; i++) T_ASSERT(v[i] >= 0);
        char norm[64];
        em_model_normalise(buf, norm, sizeof norm);
        T_ASSERT(strlen(norm) < sizeof norm);
        (void)em_maker_canonical(cur, buf);
        (void)em_advisories_match(cur, buf, buf, buf, NULL, 0);
        (void)em_advisories_match(cur, NULL, "FortiGate-60F", buf, NULL, 0);
    }
    static char big[100001];
    memset(big, '9', sizeof big - 1);
    int v[4];
    T_EQ_INT(em_version_parse(big, v), 0);          /* one huge number: not a version */
    for (size_t i = 0; i + 2 < sizeof big - 1; i += 2) big[i + 1] = '.';
    T_EQ_INT(em_version_parse(big, v), 4);          /* 9.9.9.9... : the first four parts */
    T_EQ_INT(v[3], 9);
    em_advisories_free(cur);
    cur = NULL;
}

/* A table edited in Excel and saved as "テキスト (タブ区切り)" is CP932 with CRLF: it is
 * read as CP932, so its Japanese maker and summary come back as UTF-8 and match; bytes
 * that are neither UTF-8 nor CP932 are an error naming the file and the line. */
static void t_cp932_table(void)
{
    static const char cp932[] =
        "maker\tmodel\taffected\tfixed\tcves\turl\tsummary\r\n"
        "\x83\x84\x83\x7D\x83\x6E" "\tRTX1210\t<=Rev.14.01.33\t\tCVE-2020-5548\t" URL "\t"
        "\x83\x8B\x81\x5B\x83\x5E\x82\xCC\x83\x54\x81\x5B\x83\x72\x83\x58\x96\x57\x8A\x51" "\r\n";
    char path[] = "/tmp/em-adv-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) T_FAIL("mkstemp failed");
    if (write(fd, cp932, sizeof cp932 - 1) != (ssize_t)(sizeof cp932 - 1)) T_FAIL("write failed");
    close(fd);
    struct em_err err = {0};
    struct em_advisories *a = em_advisories_load(path, &err);
    unlink(path);
    if (!a) T_FAIL("CP932 table refused: row %ld: %s", err.row, err.msg);
    const struct em_advisory *out[2];
    size_t n = em_advisories_match(a, "ヤマハ", "RTX1210", "Rev.14.01.20", out, 2);
    if (n != 1) { em_advisories_free(a); T_FAIL("ヤマハ RTX1210 matched %zu advisories, want 1", n); }
    int same = strcmp(out[0]->maker, "ヤマハ") == 0 && strcmp(out[0]->summary, "ルータのサービス妨害") == 0;
    em_advisories_free(a);
    T_ASSERT(same);
    int ok;
    err = load_text(HDR "YAMAHA\tRTX1210\t<=Rev.14.01.33\t\tCVE-2020-5548\t" URL "\tDoS\n"
                        "YAMAHA\tRTX830\t<=Rev.15.02.09\t\tCVE-2020-5548\t" URL "\t\xFF\xFE\n", &ok);
    T_ASSERT(!ok);
    T_EQ_INT(err.rc, EM_ERR_FORMAT);
    T_EQ_INT(err.row, 3);
    T_ASSERT(strstr(err.msg, "CP932") != NULL);
}

static const struct t_case cases[] = {
    { "advisory/version_forms", t_version_forms },
    { "advisory/version_not_a_version", t_version_not },
    { "advisory/version_cmp", t_version_cmp },
    { "advisory/fortios_range_edges", t_fortios_edges },
    { "advisory/yamaha_cve_2020_5548_edges", t_yamaha_edges },
    { "advisory/pulse_and_cisco", t_other_vendors },
    { "advisory/maker_aliases", t_maker_aliases },
    { "advisory/model_normalisation", t_model_normalise },
    { "advisory/malformed_table_errors", t_malformed },
    { "advisory/range_forms", t_range_forms },
    { "advisory/garbage_input", t_garbage },
    { "advisory/cp932_table", t_cp932_table },
};
T_MAIN(cases)
