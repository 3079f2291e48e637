/* date.c — dates as people type them into a survey workbook, in one place: the text is
 * NFKC-normalised (full-width digits and punctuation become ASCII), then read as an
 * Excel serial, 西暦 (2026-11-05, 2026/11/5, 2026.11.5, 2026年11月5日, 20261105) or
 * 和暦 (令和8年11月5日, R8.11.5, H31/4/30, 令和元年), and checked against the calendar. */
#include "mapper/date.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DATE_TEXT_MAX 128   /* longer text is not a date */

bool em_date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

bool em_date_from_serial(long serial, bool date1904, struct em_date *out)
{
    long z;
    if (date1904) {
        if (serial < 0 || serial > 2957003) return false;
        z = serial - 24107;                      /* days from 1970-01-01 */
    } else {
        if (serial < 1 || serial > 2958465 || serial == 60) return false;  /* 60: 1900-02-29 */
        z = serial >= 61 ? serial - 25569 : serial - 25568;
    }
    /* civil date from days since 1970-01-01 (H. Hinnant's algorithm) */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    out->d = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->m = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->y = (int)(yoe + era * 400 + (out->m <= 2));
    return em_date_valid(out->y, out->m, out->d);
}

char *em_date_format(const struct em_date *d, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d-%02d", d->y, d->m, d->d);
    return buf;
}

struct em_date em_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return (struct em_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

/* ---- the scanner over NFKC text ---- */

static void skip_spaces(const char **p)
{
    while (**p == ' ' || **p == '\t') (*p)++;
}

/* Up to max ASCII digits; returns the count read (0: none), value in *v. */
static int number(const char **p, int max, long *v)
{
    int n = 0;
    *v = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    if (**p >= '0' && **p <= '9') return 0;   /* too many digits */
    return n;
}

static bool lit(const char **p, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(*p, s, n) != 0) return false;
    *p += n;
    return true;
}

/* What may follow a date: nothing, a closing dot, a weekday in brackets, a time of
 * day ("00:00:00", "T09:30", "9:30:00.000"). */
static bool tail_ok(const char *p)
{
    if (*p == '.') p++;
    skip_spaces(&p);
    if (*p == '(') {                      /* (木) / (Thu) */
        const char *e = strchr(p, ')');
        if (!e || e - p > 16) return false;
        p = e + 1;
        skip_spaces(&p);
    }
    if (!*p) return true;
    if (*p == 'T' || *p == 't') p++;
    long h, mi, sec;
    if (!number(&p, 2, &h) || *p++ != ':' || number(&p, 2, &mi) != 2 || h > 23 || mi > 59) return false;
    if (*p == ':') {
        p++;
        if (number(&p, 2, &sec) != 2 || sec > 60) return false;
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9') p++;
        }
    }
    skip_spaces(&p);
    return *p == '\0';
}

/* Month and day after the year and its separator: "11.5", "11月5日". */
static bool month_day(const char **p, char sep, struct em_date *d)
{
    long m, dd;
    skip_spaces(p);
    if (!number(p, 2, &m)) return false;
    skip_spaces(p);
    if (sep == 'J') {
        if (!lit(p, "月")) return false;
    } else if (**p == sep) (*p)++;
    else return false;
    skip_spaces(p);
    if (!number(p, 2, &dd)) return false;
    skip_spaces(p);
    if (sep == 'J' && !lit(p, "日")) return false;
    d->m = (int)m;
    d->d = (int)dd;
    return true;
}

/* The separator after a year: '-', '/', '.', or 'J' for 年. 0: none. */
static char year_sep(const char **p)
{
    skip_spaces(p);
    if (lit(p, "年")) return 'J';
    if (**p == '-' || **p == '/' || **p == '.') return *(*p)++;
    return 0;
}

/* 令和/平成 (R/H): era year → Western year, and the era's first and last day. */
static bool era_date(const char **p, struct em_date *d)
{
    int base;
    struct em_date from, to;
    if (lit(p, "令和") || lit(p, "R") || lit(p, "r")) {
        base = 2018;
        from = (struct em_date){2019, 5, 1};
        to = (struct em_date){9999, 12, 31};
    } else if (lit(p, "平成") || lit(p, "H") || lit(p, "h")) {
        base = 1988;
        from = (struct em_date){1989, 1, 8};
        to = (struct em_date){2019, 4, 30};
    } else {
        return false;
    }
    skip_spaces(p);
    long ey;
    if (lit(p, "元")) ey = 1;
    else if (!number(p, 2, &ey) || ey < 1) return false;
    char sep = year_sep(p);
    if (!sep || !month_day(p, sep, d)) return false;
    d->y = base + (int)ey;
    if (!em_date_valid(d->y, d->m, d->d)) return false;
    long v = d->y * 10000L + d->m * 100 + d->d;
    return v >= from.y * 10000L + from.m * 100 + from.d && v <= to.y * 10000L + to.m * 100 + to.d;
}

/* Folds dashes people type for '-' (U+2010..2015, U+2212, U+30FC is NOT one) after NFKC. */
static void fold_dashes(char *s)
{
    static const char *const dashes[] = {"\xe2\x80\x90", "\xe2\x80\x91", "\xe2\x80\x92", "\xe2\x80\x93",
                                         "\xe2\x80\x94", "\xe2\x80\x95", "\xe2\x88\x92"};
    for (size_t i = 0; i < sizeof dashes / sizeof dashes[0]; i++)
        for (char *q; (q = strstr(s, dashes[i])) != NULL;) {
            *q = '-';
            memmove(q + 1, q + 3, strlen(q + 3) + 1);
        }
}

static bool parse_norm(const char *s, bool date1904, struct em_date *out)
{
    const char *p = s;
    skip_spaces(&p);
    struct em_date d = {0, 0, 0};
    if (era_date(&p, &d)) {
        if (!tail_ok(p)) return false;
        *out = d;
        return true;
    }
    const char *start = p;
    long y;
    int nd = number(&p, 8, &y);
    if (nd == 0) return false;
    if (nd == 8 && tail_ok(p)) {                 /* 20261105 */
        d = (struct em_date){(int)(y / 10000), (int)(y / 100 % 100), (int)(y % 100)};
        if (!em_date_valid(d.y, d.m, d.d)) return false;
        *out = d;
        return true;
    }
    if (nd == 4) {
        char sep = year_sep(&p);
        if (sep && month_day(&p, sep, &d) && tail_ok(p)) {
            d.y = (int)y;
            if (!em_date_valid(d.y, d.m, d.d)) return false;
            *out = d;
            return true;
        }
    }
    /* a bare number: an Excel serial day (a fraction is the time of day); five digits
       at most (up to the year 2173), so a mistyped 20261105 is not the year 7447 */
    p = start;
    long serial;
    if (!number(&p, 5, &serial)) return false;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    skip_spaces(&p);
    if (*p) return false;
    return em_date_from_serial(serial, date1904, out);
}

bool em_date_parse(const char *text, bool date1904, struct em_date *out)
{
    if (!text) return false;
    size_t len = strlen(text);
    if (len == 0 || len > DATE_TEXT_MAX) return false;
    char *valid = g_utf8_make_valid(text, (gssize)len);
    char *n = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
    g_free(valid);
    if (!n) return false;
    fold_dashes(n);
    /* NFKC leaves U+3000 as a space (0x20); tabs and line breaks count as spaces too */
    for (char *q = n; *q; q++)
        if (*q == '\n' || *q == '\r') *q = ' ';
    size_t e = strlen(n);
    while (e > 0 && (n[e - 1] == ' ' || n[e - 1] == '\t')) n[--e] = '\0';
    bool ok = parse_norm(n, date1904, out);
    g_free(n);
    return ok;
}
