/* Unit tests for the one date parser (mapper/date.c): a table of spellings people type
 * into 調査日, each with the date it means, or "" when it is not a real date. */
#include "mapper/date.h"
#include "t.h"

struct row { const char *text; bool d1904; const char *want; };

static const struct row table[] = {
    /* 西暦 */
    {"2026-11-05", false, "2026-11-05"},
    {"2026-11-5", false, "2026-11-05"},
    {"2026/11/5", false, "2026-11-05"},
    {"2026/11/05", false, "2026-11-05"},
    {"2026.11.5", false, "2026-11-05"},
    {"2026年11月5日", false, "2026-11-05"},
    {"2026年 11月 5日", false, "2026-11-05"},
    {"2026 年 11 月 5 日", false, "2026-11-05"},
    {"2026年11月5日(木)", false, "2026-11-05"},
    {"2026年11月5日（木）", false, "2026-11-05"},
    {"  2026/11/5  ", false, "2026-11-05"},
    {"2026-11-05 00:00:00", false, "2026-11-05"},
    {"2026-11-05T09:30", false, "2026-11-05"},
    {"20261105", false, "2026-11-05"},
    {"2024-02-29", false, "2024-02-29"},
    {"2000-02-29", false, "2000-02-29"},
    /* full-width */
    {"２０２６年１１月５日", false, "2026-11-05"},
    {"２０２６／１１／５", false, "2026-11-05"},
    {"２０２６．１１．５", false, "2026-11-05"},
    {"２０２６－１１－０５", false, "2026-11-05"},
    {"2026−11−05", false, "2026-11-05"},       /* U+2212 minus */
    {"\xe3\x80\x80" "2026/11/5" "\xe3\x80\x80", false, "2026-11-05"},  /* ideographic spaces */
    /* 和暦 */
    {"令和8年11月5日", false, "2026-11-05"},
    {"令和８年１１月５日", false, "2026-11-05"},
    {"令和 8年 11月 5日", false, "2026-11-05"},
    {"R8.11.5", false, "2026-11-05"},
    {"R8/11/5", false, "2026-11-05"},
    {"R08.11.05", false, "2026-11-05"},
    {"r8.11.5", false, "2026-11-05"},
    {"Ｒ８．１１．５", false, "2026-11-05"},
    {"R8-11-5", false, "2026-11-05"},
    {"令和元年5月1日", false, "2019-05-01"},
    {"\xe3\x8b\xbf" "8年11月5日", false, "2026-11-05"},     /* ㋿ (one-character 令和) */
    {"平成31年4月30日", false, "2019-04-30"},
    {"H31.4.30", false, "2019-04-30"},
    {"H30/12/1", false, "2018-12-01"},
    {"平成元年1月8日", false, "1989-01-08"},
    {"\xe3\x8d\xbb" "30年1月1日", false, "2018-01-01"},     /* ㍻ */
    /* Excel serials */
    {"46331", false, "2026-11-05"},
    {"46331.5", false, "2026-11-05"},
    {"44869", true, "2026-11-05"},           /* the 1904 system: 1462 days fewer */
    {"61", false, "1900-03-01"},
    {"59", false, "1900-02-28"},
    {"1", false, "1900-01-01"},
    {"0", true, "1904-01-01"},
    /* not dates */
    {"", false, ""},
    {"未定", false, ""},
    {"2026-02-30", false, ""},
    {"2026-13-01", false, ""},
    {"2026/11/31", false, ""},
    {"2025-02-29", false, ""},
    {"1900-02-29", false, ""},
    {"60", false, ""},                       /* Excel's phantom 1900-02-29 */
    {"平成32年1月1日", false, ""},            /* 平成 ended 2019-04-30 */
    {"平成31年5月1日", false, ""},
    {"令和1年4月30日", false, ""},            /* 令和 began 2019-05-01 */
    {"令和8年11月", false, ""},
    {"2026年11月", false, ""},
    {"2026/11", false, ""},
    {"26/11/5", false, ""},
    {"2026-11/5", false, ""},
    {"2026.11.5 頃", false, ""},
    {"20261305", false, ""},
    {"2026110", false, ""},                  /* seven digits: a typo, not a serial */
    {"R8.11.5.", false, "2026-11-05"},       /* a closing dot */
    {"R8.11.5.1", false, ""},
    {"2026-11-05 25:00", false, ""},
    {"X8.11.5", false, ""},
    {"0", false, ""},
    {"-5", false, ""},
};

static void t_table(void)
{
    size_t n = sizeof table / sizeof table[0];
    T_ASSERT(n >= 40);
    for (size_t i = 0; i < n; i++) {
        struct em_date d;
        bool ok = em_date_parse(table[i].text, table[i].d1904, &d);
        char got[16] = "";
        if (ok) em_date_format(&d, got, sizeof got);
        if (strcmp(got, table[i].want) != 0)
            T_FAIL("\"%s\"%s: got \"%s\", want \"%s\"", table[i].text, table[i].d1904 ? " (1904)" : "", got,
                   table[i].want);
    }
}

static void t_serial_round_trip(void)
{
    /* every day from 1900-03-01 for 300 years: serial → date → next serial is the next day */
    struct em_date prev, d;
    T_ASSERT(em_date_from_serial(61, false, &prev));
    for (long s = 62; s < 61 + 365L * 300; s++) {
        T_ASSERT(em_date_from_serial(s, false, &d));
        T_ASSERT(em_date_valid(d.y, d.m, d.d));
        long a = prev.y * 10000L + prev.m * 100 + prev.d, b = d.y * 10000L + d.m * 100 + d.d;
        if (b <= a) T_FAIL("serial %ld: %04d-%02d-%02d after %04d-%02d-%02d", s, d.y, d.m, d.d, prev.y, prev.m, prev.d);
        prev = d;
    }
    T_ASSERT(!em_date_parse(NULL, false, &d));
}

static const struct t_case cases[] = {
    {"date: table of spellings (西暦, 和暦, full-width, serials, impossible dates)", t_table},
    {"date: serials count day by day", t_serial_round_trip},
};
T_MAIN(cases)
