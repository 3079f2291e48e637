/* date.h — the one date parser: dates as people write them in a survey workbook
 * (records.md, 調査日): Excel serial numbers (1900 and 1904 systems), 西暦 with - / .
 * or 年月日, 和暦 令和/平成 with R/H abbreviations and 元年, full-width digits.
 * Only real calendar dates are dates: 2026-02-30 and 平成32年 are not. */
#ifndef EM_DATE_H
#define EM_DATE_H
#include <stdbool.h>
#include <stddef.h>

struct em_date { int y, m, d; };

/* Parses text (UTF-8, any width, surrounding spaces ignored). A bare number is an
 * Excel serial day in the workbook's system (date1904: the 1904 system); a time of
 * day after the date ("2026-11-05 00:00:00") and a weekday in brackets ("(木)") are
 * allowed. Returns true and fills *out for a real date in 1900..9999, else false. */
bool em_date_parse(const char *text, bool date1904, struct em_date *out);

/* True for a real calendar date (Gregorian, 1900..9999). */
bool em_date_valid(int y, int m, int d);

/* Excel serial day → date (1900 system with Excel's phantom 1900-02-29 skipped, or
 * the 1904 system). False outside 1..2958465 (1904: 0..2957003) or on day 60 (1900). */
bool em_date_from_serial(long serial, bool date1904, struct em_date *out);

/* "YYYY-MM-DD" into buf (at least 11 bytes); returns buf. */
char *em_date_format(const struct em_date *d, char *buf, size_t size);

/* Today's local date. */
struct em_date em_date_today(void);

#endif
