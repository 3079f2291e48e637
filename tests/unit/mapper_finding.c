/* mapper_finding.c — a finding's message stored as template + arguments (mapper/finding.c)
 * reads back byte for byte as the message formatted whole did before: vsnprintf into
 * EM_MSG_MAX bytes, a cut character removed, invalid UTF-8 repaired. Every printf
 * conversion the rules could use, long and odd arguments, and the memory promises:
 * a repeated message costs no pool bytes, a repeated long argument is stored once. */
#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mapper/finding_int.h"
#include "mapper/model.h"
#include "mapper/norm.h"
#include "tests/unit/t.h"
#include "tests/unit/finding_ref.h"

static struct em_model *m;

/* Adds a finding with fmt and its arguments, checks its message against old_format
 * and whether it was packed as a template (want_template) or kept as text. */
#define SAME(want_template, fmt, ...)                                                          \
    do {                                                                                       \
        char *want_ = old_format(fmt, __VA_ARGS__);                                            \
        T_EQ_INT(em_model_add_finding(m, "X-TEST", EM_SEV_INFO, NULL, NULL, NULL, fmt, __VA_ARGS__), 0); \
        const struct em_finding *f_ = &m->findings[m->n_findings - 1];                         \
        char b_[EM_MSG_MAX];                                                                   \
        const char *got_ = em_finding_msg(f_, b_);                                             \
        int ok_ = strcmp(got_, want_) == 0;                                                    \
        int kind_ = (unsigned char)f_->packed_msg[0];                                          \
        if (!ok_) T_FAIL("%s:%d: %s gives \"%.200s\", want \"%.200s\"", __FILE__, __LINE__, fmt, got_, want_); \
        g_free(want_);                                                                         \
        T_EQ_INT(kind_, (want_template) ? EM_PACK_TEMPLATE : EM_PACK_LITERAL);                 \
    } while (0)

static void setup(void)
{
    em_model_free(m);
    m = em_model_new();
    T_ASSERT(m);
}

static void t_conversions(void)
{
    setup();
    SAME(1, "%s", "装置「rt-000001」");
    SAME(1, "100%% 確認 %s%%", "済");
    SAME(1, "%d %i %u %x %X %o", -42, 7, 4000000000u, 255, 255, 8);
    SAME(1, "[%5d|%-5d|%05d|%+d|% d|%#x|%#o]", 42, 42, 42, 42, 42, 255, 8);
    SAME(1, "[%*d|%-*d|%.*s|%*.*f]", 6, 42, 6, 42, 3, "abcdef", 9, 2, 3.14159);
    SAME(1, "%zu %zd %ld %lu %lld %llu", (size_t)123456789012, (ptrdiff_t)-5, -7L, 7UL, -8LL, 18446744073709551615ULL);
    SAME(1, "%hhd %hhu %hd %hu %jd %ju %td", (signed char)-3, (unsigned char)250, (short)-300, (unsigned short)60000,
         (intmax_t)-9, (uintmax_t)9, (ptrdiff_t)-11);
    SAME(1, "%f %e %E %g %G %a %.3f %10.2e", 1.5, 12345.678, 0.000123, 1e-10, 1e20, 1.0, 2.0 / 3, 6.02e23);
    SAME(1, "%Lf %Lg", (long double)1.25, (long double)1e300);
    SAME(1, "%c%c%c", 'a', '%', '-');
    SAME(1, "%lc %ls", (wint_t)L'x', L"wide");
    SAME(1, "%p %p", (void *)m, (void *)NULL);
    SAME(1, "%10s|%-10s|%.2s|%s", "右", "左", "abc", "");
    SAME(1, "no conversions at all: 回線No%s", "");
    SAME(1, "%s%s%s", "", "", "");                         /* empty arguments */
    SAME(1, "%d行目 と %d行目", 3, 5);
    /* no arguments at all: the template alone, %% read back as one % */
    T_EQ_INT(em_model_add_finding(m, "X-TEST", EM_SEV_INFO, NULL, NULL, NULL, "plain 100%% text"), 0);
    const struct em_finding *f = &m->findings[m->n_findings - 1];
    char b[EM_MSG_MAX];
    T_EQ_STR(em_finding_msg(f, b), "plain 100% text");
    T_EQ_INT((unsigned char)f->packed_msg[0], EM_PACK_TEMPLATE);
}

static void t_odd_arguments(void)
{
    setup();
    /* control characters, including the separator a text encoding would have used */
    SAME(1, "[%s][%s]", "\x1f\x01\x02\x7f", "a\x1f" "b\x1e" "c\x01\x02\x03\x04\x05\x06\x07\x08\t\n\r end of a long cell");
    SAME(1, "%s|%s", "\xc2\x80", "\xef\xbf\xbf");           /* U+0080, U+FFFF */
    /* a long argument that still fits: pointed to, not inline */
    char mid[1500];
    memset(mid, 'y', sizeof mid - 1);
    mid[sizeof mid - 1] = '\0';
    SAME(1, "<%s>", mid);
    /* longer than a whole message (> 4 KB): the message is cut, kept as its text */
    char big[5000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    SAME(0, "<%s>", big);
    SAME(0, "%s%s", mid, mid);                              /* cut by the sum */
    /* cut inside a character: the cut is removed as before */
    char jp[3000] = "";
    for (int i = 0; i < 900; i++) g_strlcat(jp, "日", sizeof jp);
    SAME(0, "x%s", jp);
    /* invalid UTF-8 (a cell cut before it got here) is repaired as before */
    SAME(0, "[%s]", "ab\xe6\x97");
    SAME(0, "%.4s", "日本語");                               /* precision cuts a character */
    /* a NUL from %c ends the message where vsnprintf's did */
    SAME(0, "a%cb%s", 0, "after");
}

/* A message that repeats costs no pool byte; one that shares a long argument shares it. */
static void t_dedup(void)
{
    setup();
    struct em_src src = {"book.xlsx", "回線・機器情報記入シート", 3};
    T_EQ_INT(em_model_add_finding(m, "W-FIRMWARE-UNVERIFIED", EM_SEV_INFO, &src, "装置② ファームウェアバージョン", "L-1",
                                  "装置%s（%s）のファームウェア「%s」は実機で確認されていません。備考に「装置%s実機確認実施」と記入してください",
                                  "②", "ヤマハ RTX1210", "Rev.14.01.19", "②"), 0);
    size_t before = em_pool_bytes(m->pool);
    for (int i = 0; i < 1000; i++) {
        src.row = 4 + i;
        T_EQ_INT(em_model_add_finding(m, "W-FIRMWARE-UNVERIFIED", EM_SEV_INFO, &src, "装置② ファームウェアバージョン", "L-1",
                                      "装置%s（%s）のファームウェア「%s」は実機で確認されていません。備考に「装置%s実機確認実施」と記入してください",
                                      "②", "ヤマハ RTX1210", "Rev.14.01.19", "②"), 0);
    }
    T_EQ_INT(em_pool_bytes(m->pool), before);
    T_ASSERT(m->findings[0].packed_msg == m->findings[1000].packed_msg);
    /* a 1,000-byte difference list shared by 1,000 findings that differ in their rows */
    char diffs[1000];
    memset(diffs, 'd', sizeof diffs - 1);
    diffs[sizeof diffs - 1] = '\0';
    T_EQ_INT(em_model_add_finding(m, "E-DEVICE-CONFLICT", EM_SEV_ERROR, &src, "", "", "%s: %d行目 / %d行目 %s",
                                  "rt-1", 1, 2, diffs), 0);
    before = em_pool_bytes(m->pool);
    for (int i = 0; i < 1000; i++)
        T_EQ_INT(em_model_add_finding(m, "E-DEVICE-CONFLICT", EM_SEV_ERROR, &src, "", "", "%s: %d行目 / %d行目 %s",
                                      "rt-1", 3 + i, 4 + i, diffs), 0);
    /* each block: a kind byte, the template's address and two inline rows, one pointer:
       well under 64 bytes a finding, where a copy of each message would be over 1,000 */
    T_ASSERT(em_pool_bytes(m->pool) - before < 1000 * 64 + 2 * 65536);
    char b[EM_MSG_MAX];
    char *want = g_strconcat("rt-1: 1002行目 / 1003行目 ", diffs, NULL);
    int same = strcmp(em_finding_msg(&m->findings[m->n_findings - 1], b), want) == 0;
    g_free(want);
    T_ASSERT(same);
}

/* em_finding_set_message: any text, taken as it is; em_finding_message: snprintf-like. */
static void t_set_and_read(void)
{
    setup();
    T_EQ_INT(em_model_add_finding(m, "X", EM_SEV_INFO, NULL, NULL, NULL, "%s は %d%%", "IP-1", 50), 0);
    struct em_finding *f = &m->findings[0];
    char small[6];
    T_EQ_INT(em_finding_message(f, small, sizeof small), strlen("IP-1 は 50%"));
    T_EQ_STR(small, "IP-1 ");
    T_EQ_INT(em_finding_message(f, NULL, 0), strlen("IP-1 は 50%"));
    /* longer than EM_MSG_MAX, with printf's own characters: never formatted again */
    GString *t = g_string_new(NULL);
    for (int i = 0; i < 600; i++) g_string_append(t, "%s%d%n ");
    T_EQ_INT(em_finding_set_message(m, f, t->str), 0);
    char b[EM_MSG_MAX];
    T_EQ_STR(em_finding_msg(f, b), t->str);
    T_EQ_INT(em_finding_message(f, b, sizeof b), t->len);
    T_EQ_INT(strlen(b), sizeof b - 1);
    T_EQ_INT(em_finding_set_message(m, f, ""), 0);
    T_EQ_STR(em_finding_msg(f, b), "");
    g_string_free(t, TRUE);
    /* a zeroed finding (never given a message) reads as "" */
    struct em_finding z = {0};
    T_EQ_STR(em_finding_msg(&z, b), "");
}

static void t_done(void)
{
    em_model_free(m);
    m = NULL;
}

static const struct t_case cases[] = {
    {"finding message: every conversion reads back as vsnprintf wrote it", t_conversions},
    {"finding message: control characters, long, cut and invalid arguments", t_odd_arguments},
    {"finding message: a repeated message or long argument is stored once", t_dedup},
    {"finding message: set as text, read snprintf-like", t_set_and_read},
    {"finding message: model freed", t_done},
};
T_MAIN(cases)
