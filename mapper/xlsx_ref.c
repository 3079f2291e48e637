/* xlsx_ref.c — column names, Excel's _xHHHH_ text escapes and serial date numbers:
 * pure functions the sheet pass and the merged-range pass share (the cell-reference
 * parsers are inline in xlsx_int.h). No I/O, no library. Interface: xlsx_int.h. */
#include "mapper/date.h"
#include "mapper/xlsx_int.h"

#include <stdio.h>
#include <string.h>

/* Column number (0-based) → "A".."XFD" (buf of at least 4 bytes). */
void em_xl_col_name(int c, char *buf)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int i = 0;
    while (n > 0 && i < 3) buf[i++] = tmp[--n];
    buf[i] = '\0';
}

/* The value of hex digit c, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Excel writes characters XML cannot carry (control characters: the CR of a pasted
 * CRLF is "_x000D_") as _xHHHH_, and a literal "_x" as "_x005F_x". Decodes them in
 * place (never longer); NUL is dropped, lone surrogates become U+FFFD. */
size_t em_xl_decode_x(char *s, size_t n)
{
    if (n < 7 || !memchr(s, '_', n)) return n;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        int h0, h1, h2, h3;
        if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_' &&
            (h0 = hexval(s[i + 2])) >= 0 && (h1 = hexval(s[i + 3])) >= 0 &&
            (h2 = hexval(s[i + 4])) >= 0 && (h3 = hexval(s[i + 5])) >= 0) {
            unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
            i += 7;
            if (cp == 0) continue;
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
            if (cp < 0x80) {
                s[o++] = (char)cp;
            } else if (cp < 0x800) {
                s[o++] = (char)(0xC0 | cp >> 6);
                s[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                s[o++] = (char)(0xE0 | cp >> 12);
                s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                s[o++] = (char)(0x80 | (cp & 0x3F));
            }
            continue;
        }
        s[o++] = s[i++];
    }
    return o;
}

/* Excel serial day number → "YYYY-MM-DD", "HH:MM:SS" or both (buf >= 20 bytes).
 * Returns false (and the number stays as written) outside 1900/1904-01-01 .. 9999. */
bool em_xl_serial_to_text(double v, bool d1904, char *buf, size_t size)
{
    if (!(v >= 0 && v < 2958466.0)) return false;
    long days = (long)v;
    long secs = (long)((v - (double)days) * 86400.0 + 0.5);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
        if (days > 2958465) return false;  /* past 9999-12-31 */
    }
    /* the date part through the one date parser (mapper/date.c) */
    struct em_date dt = {0, 0, 0};
    if ((days > 0 || d1904) && !em_date_from_serial(days, d1904, &dt)) return false;
    int y = dt.y, m = dt.m, d = dt.d;
    int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    if (y == 0) snprintf(buf, size, "%02d:%02d:%02d", hh, mm, ss);
    else if (secs == 0) snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    else snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mm, ss);
    return true;
}
