/* visible.c — text from inputs made safe for outputs: control characters and broken
 * UTF-8 made visible for terminals, valid UTF-8 for JSON writers, C1 escaped in JSON. */
#include "mapper/visible.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t em_utf8_seq_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80) return 1;
    size_t len;
    unsigned min, cp;
    if ((s[0] & 0xE0) == 0xC0) { len = 2; min = 0x80; cp = s[0] & 0x1F; }
    else if ((s[0] & 0xF0) == 0xE0) { len = 3; min = 0x800; cp = s[0] & 0x0F; }
    else if ((s[0] & 0xF8) == 0xF0) { len = 4; min = 0x10000; cp = s[0] & 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

int em_fput_visible(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    while (p < end) {
        size_t l = em_utf8_seq_len(p, (size_t)(end - p));
        bool c0 = l == 1 && ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F);
        bool c1 = l == 2 && p[0] == 0xC2 && p[1] <= 0x9F;
        if (l && !c0 && !c1) {
            p += l;
            continue;
        }
        if (p > run && fwrite(run, 1, (size_t)(p - run), f) != (size_t)(p - run)) return EOF;
        if (c1) fprintf(f, "\\u%04X", p[1]);
        else fprintf(f, "\\x%02X", *p);
        p += l ? l : 1;
        run = p;
    }
    if (p > run && fwrite(run, 1, (size_t)(p - run), f) != (size_t)(p - run)) return EOF;
    return ferror(f) ? EOF : 0;
}

char *em_visible(const char *s, size_t n)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) return NULL;
    int rc = em_fput_visible(f, s, n);
    if (fclose(f) != 0 || rc != 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *em_utf8_valid(const char *s)
{
    if (!s) s = "";
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1);   /* each bad byte becomes 3 */
    if (!out) return NULL;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t k = 0;
    while (p < end) {
        size_t l = em_utf8_seq_len(p, (size_t)(end - p));
        if (l) {
            memcpy(out + k, p, l);
            k += l;
            p += l;
        } else {
            memcpy(out + k, "\xEF\xBF\xBD", 3);
            k += 3;
            p++;
        }
    }
    out[k] = '\0';
    return out;
}

int em_fput_json_text(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    while (p < end) {
        bool c1 = p[0] == 0xC2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9F;
        if (!c1 && p[0] != 0x7F) {
            p++;
            continue;
        }
        if (p > run && fwrite(run, 1, (size_t)(p - run), f) != (size_t)(p - run)) return EOF;
        fprintf(f, "\\u%04x", c1 ? p[1] : p[0]);
        p += c1 ? 2 : 1;
        run = p;
    }
    if (p > run && fwrite(run, 1, (size_t)(p - run), f) != (size_t)(p - run)) return EOF;
    return ferror(f) ? EOF : 0;
}
