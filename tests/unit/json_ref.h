/* json_ref.h — the model JSON's string escaper as it was before the fast one
 * (mapper/json.c raw_string at 453427e), kept as the reference that
 * tests/unit/mapper_json.c and tests/fuzz/fuzz_json_str.c hold mapper/json_str.h to. */
#ifndef EM_JSON_REF_H
#define EM_JSON_REF_H
#include <stdint.h>

#include "mapper/norm.h"
#include "mapper/wbuf.h"

/* Unchanged but for its name and its first argument. */
static size_t ref_utf8_len(const unsigned char *q)
{
    if (q[0] >= 0xE0 && q[0] <= 0xEF && (q[1] & 0xC0) == 0x80 && (q[2] & 0xC0) == 0x80) {
        uint32_t cp = (uint32_t)(q[0] & 0x0F) << 12 | (uint32_t)(q[1] & 0x3F) << 6 | (uint32_t)(q[2] & 0x3F);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return 3;
    }
    uint32_t cp;
    return em_utf8_next(q, &cp);
}

static void ref_str(struct em_wbuf *f, const char *s)
{
    em_wbuf_putc(f, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        const unsigned char *q = p;
        for (;;) {
            if (*q >= 0x20 && *q < 0x7F && *q != '"' && *q != '\\') {
                q++;
            } else if (*q >= 0x80 && *q != 0xC2) {
                size_t k = ref_utf8_len(q);
                if (k == 1) break;
                q += k;
            } else {
                break;
            }
        }
        if (q > p) {
            em_wbuf_write(f, (const char *)p, (size_t)(q - p));
            p = q;
            if (!*p) break;
        }
        switch (*p) {
        case '"': em_wbuf_puts(f, "\\\""); break;
        case '\\': em_wbuf_puts(f, "\\\\"); break;
        case '\b': em_wbuf_puts(f, "\\b"); break;
        case '\f': em_wbuf_puts(f, "\\f"); break;
        case '\n': em_wbuf_puts(f, "\\n"); break;
        case '\r': em_wbuf_puts(f, "\\r"); break;
        case '\t': em_wbuf_puts(f, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7F) em_wbuf_printf(f, "\\u%04x", *p);
            else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) em_wbuf_printf(f, "\\u%04x", *++p);
            else if (*p < 0x80) em_wbuf_putc(f, (char)*p);
            else {
                uint32_t cp;
                size_t k = em_utf8_next(p, &cp);
                if (k == 1) em_wbuf_write(f, "\xEF\xBF\xBD", 3);
                else em_wbuf_write(f, (const char *)p, k);
                p += k - 1;
            }
        }
    }
    em_wbuf_putc(f, '"');
}

#endif
