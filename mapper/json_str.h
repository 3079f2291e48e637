/* json_str.h — the model JSON's string escaper (mapper/json.c), inline because it runs
 * for every value of a 500 MB document: runs of plain ASCII are tested and copied eight
 * bytes at a time, three-byte UTF-8 characters (Japanese text) are validated without a
 * call, and the output goes straight into the wbuf with one room check per string (or
 * per 4 KiB piece of a long one). The rules (what is escaped, how):
 *   " \ and the C0 controls \b \f \n \r \t as two-character escapes, other C0 and DEL
 *   as \u00xx; C1 (U+0080-U+009F, UTF-8 C2 80-9F) as \u00xx too, so a JSON shown in a
 *   terminal never carries ESC/CSI; valid UTF-8 characters as they are; every byte
 *   that starts no valid UTF-8 sequence (a cut, an overlong form, a surrogate, a
 *   legacy encoding) as U+FFFD, so the document is always valid UTF-8.
 * tests/unit/mapper_json.c holds these rules against the escaper they replaced, over
 * every byte value and every cut and invalid sequence. */
#ifndef EM_JSON_STR_H
#define EM_JSON_STR_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mapper/norm.h"
#include "mapper/wbuf.h"

/* A long string is escaped in pieces of this many input bytes (a piece takes at most
 * 6 output bytes per input byte, well within the wbuf). */
#define EM_JS_PIECE 4096u

/* Whether one of the eight bytes of x must not be copied as it is: below 0x20, 0x7F
 * or above, '"' or '\\'. Exact as a yes/no (the borrows and carries of the SWAR tests
 * only arise next to a byte that is itself such a byte). */
static inline uint64_t em_js_special8(uint64_t x)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), high = UINT64_C(0x8080808080808080);
    uint64_t lt = (x - ones * 0x20) & ~x;       /* a byte below 0x20 */
    uint64_t q = x ^ (ones * 0x22);             /* '"' */
    uint64_t bs = x ^ (ones * 0x5C);            /* '\\' */
    q = (q - ones) & ~q;
    bs = (bs - ones) & ~bs;
    return (lt | q | bs | (x + ones) | x) & high;  /* x + 1: DEL; x: 0x80 and above */
}

/* The length of the valid UTF-8 character at p (p[0] >= 0x80), or 1 when p starts no
 * valid sequence: em_utf8_next()'s answer, with the three-byte characters of Japanese
 * text decided here without a call. */
static inline size_t em_js_utf8_len(const unsigned char *p)
{
    if (p[0] >= 0xE0 && p[0] <= 0xEF && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        uint32_t cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return 3;   /* not overlong, not a surrogate */
    }
    uint32_t cp;
    return em_utf8_next(p, &cp);
}

/* Whether p starts a valid three-byte UTF-8 character (U+0800-U+FFFF but the
 * surrogates): em_js_utf8_len(p) == 3, in fewer steps. */
static inline bool em_js_valid3(const unsigned char *p)
{
    unsigned c = p[0];
    if ((c & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return false;
    if (c == 0xE0) return p[1] >= 0xA0;   /* below: overlong */
    if (c == 0xED) return p[1] < 0xA0;    /* above: a surrogate */
    return true;
}

/* The escape of the byte (or C1 character) at p that is not copied as it is: writes it
 * at o and returns the end; *pp moves past what it stood for. */
static inline char *em_js_escape_one(char *o, const unsigned char **pp)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = *pp;
    unsigned c = *p;
    char e = 0;
    switch (c) {
    case '"': e = '"'; break;
    case '\\': e = '\\'; break;
    case '\b': e = 'b'; break;
    case '\f': e = 'f'; break;
    case '\n': e = 'n'; break;
    case '\r': e = 'r'; break;
    case '\t': e = 't'; break;
    default: break;
    }
    if (e) {
        o[0] = '\\';
        o[1] = e;
        *pp = p + 1;
        return o + 2;
    }
    if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) c = *++p;   /* C1: its code point */
    else if (c >= 0x20 && c != 0x7F) c = 0;                    /* not a control */
    if (c) {
        memcpy(o, "\\u00", 4);
        o[4] = hex[c >> 4];
        o[5] = hex[c & 15];
        *pp = p + 1;
        return o + 6;
    }
    size_t k = em_js_utf8_len(p);   /* c >= 0x80: a whole character or U+FFFD */
    if (k == 1) memcpy(o, "\xEF\xBF\xBD", 3), o += 3;
    else memcpy(o, p, k), o += k;
    *pp = p + k;
    return o;
}

/* Escapes the characters that start in [*pp, stop) (the last one may end after stop)
 * into o, which has room for 6 * (stop - *pp) + 8 bytes; returns the end, *pp past the
 * last character written. */
static inline __attribute__((always_inline)) char *em_js_piece(char *o, const unsigned char **pp, const unsigned char *stop)
{
    const unsigned char *p = *pp;
    while (p < stop) {
        unsigned c = *p;
        if (em_js_valid3(p)) {   /* Japanese: the rest of its run of such characters */
            do {
                memcpy(o, p, 3);
                o += 3;
                p += 3;
            } while (p < stop && em_js_valid3(p));
        } else if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            /* plain ASCII: the rest of its run eight bytes at a time */
            *o++ = (char)c;
            p++;
            uint64_t x;
            while (stop - p >= 8 && (memcpy(&x, p, 8), !em_js_special8(x))) {
                memcpy(o, &x, 8);
                o += 8;
                p += 8;
            }
        } else {
            o = em_js_escape_one(o, &p);
        }
    }
    *pp = p;
    return o;
}

/* Appends s (NULL: "") as a JSON string, quotes included. */
static inline void em_json_str(struct em_wbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    const unsigned char *e = p + strlen((const char *)p);
    if ((size_t)(e - p) <= EM_JS_PIECE) {
        char *o = em_wbuf_room(b, 6 * (size_t)(e - p) + 10);
        *o++ = '"';
        o = em_js_piece(o, &p, e);
        *o++ = '"';
        em_wbuf_done(b, o);
        return;
    }
    em_wbuf_putc(b, '"');
    while (p < e) {
        size_t n = (size_t)(e - p) < EM_JS_PIECE ? (size_t)(e - p) : EM_JS_PIECE;
        char *o = em_wbuf_room(b, 6 * n + 8);
        o = em_js_piece(o, &p, p + n);
        em_wbuf_done(b, o);
    }
    em_wbuf_putc(b, '"');
}

#endif
