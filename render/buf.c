/* buf.c — growable text buffer with a cap, and the HTML and CSV escapers. */
#include "render/buf.h"
#include "mapper/visible.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(struct em_buf *b, size_t extra)
{
    if (b->failed) return false;
    if (b->sink && b->len && b->len + extra + 1 > EM_BUF_CHUNK && em_buf_flush(b) != 0) return false;
    if (extra > EM_BUF_MAX - b->len - 1) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return true;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < need) nc = nc > EM_BUF_MAX / 2 ? EM_BUF_MAX : nc * 2;
    char *np = realloc(b->p, nc);
    if (!np) {
        b->failed = true;
        return false;
    }
    b->p = np;
    b->cap = nc;
    return true;
}

void em_buf_add(struct em_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n)) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* A control character of the valid sequence s[0..l): C0 but TAB, LF and CR (illegal in
 * XML 1.0, ESC and BEL drive terminals), DEL, and C1 (U+0080-U+009F: CSI, NEL …).
 * They come from cells (_x001B_ in xlsx, raw bytes in CSV) and from devices. */
static bool is_control(const unsigned char *s, size_t l)
{
    if (l == 1) return (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r') || s[0] == 0x7F;
    return l == 2 && s[0] == 0xC2 && s[1] <= 0x9F;
}

void em_buf_add_utf8(struct em_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    while (p < end) {
        size_t l = em_utf8_seq_len(p, (size_t)(end - p));
        if (l && !is_control(p, l)) {
            p += l;
            continue;
        }
        em_buf_add(b, (const char *)run, (size_t)(p - run));
        em_buf_add(b, "\xEF\xBF\xBD", 3);   /* U+FFFD */
        p += l ? l : 1;
        run = p;
    }
    em_buf_add(b, (const char *)run, (size_t)(p - run));
}

void em_buf_puts(struct em_buf *b, const char *s)
{
    if (s) em_buf_add(b, s, strlen(s));
}

void em_buf_vprintf(struct em_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !reserve(b, (size_t)n)) {
        b->failed = true;
        return;
    }
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void em_buf_printf(struct em_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    em_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void em_buf_html(struct em_buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            /* control characters other than tab/newline are not allowed in XML 1.0 */
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n') rep = " ";
            break;
        }
        if (rep) {
            em_buf_add_utf8(b, run, (size_t)(s - run));
            em_buf_puts(b, rep);
            run = s + 1;
        }
    }
    em_buf_add_utf8(b, run, (size_t)(s - run));
}

void em_buf_csv(struct em_buf *b, const char *s)
{
    if (!s) s = "";
    /* a cell starting with = + - @ TAB or CR is a formula (or becomes one) in Excel and
     * LibreOffice: a leading apostrophe makes it text (OWASP "CSV injection") */
    const char *lead = *s && strchr("=+-@\t\r", *s) ? "'" : "";
    if (!strpbrk(s, ",\"\r\n")) {
        em_buf_puts(b, lead);
        em_buf_add_utf8(b, s, strlen(s));
        return;
    }
    em_buf_add(b, "\"", 1);
    em_buf_puts(b, lead);
    const char *run = s;
    for (const char *q = s; *q; q++)
        if (*q == '"') {
            em_buf_add_utf8(b, run, (size_t)(q + 1 - run));
            em_buf_add(b, "\"", 1);
            run = q + 1;
        }
    em_buf_add_utf8(b, run, strlen(run));
    em_buf_add(b, "\"", 1);
}

const char *em_buf_cstr(struct em_buf *b)
{
    if (!b->p) return "";
    return b->p;
}

void em_buf_free(struct em_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

int em_buf_flush(struct em_buf *b)
{
    if (!b->failed && b->sink && b->len) {
        if (fwrite(b->p, 1, b->len, b->sink) != b->len) b->failed = true;
        b->len = 0;
        if (b->p) b->p[0] = '\0';
    }
    return b->failed ? -1 : 0;
}
