/* finding.c — a finding's message stored compactly (em_model_add_finding, model.c, packs
 * it here; the writers read it with em_finding_msg): the printf template
 * (a static string) and each argument as it was formatted, packed in one interned pool
 * block, expanded again when an output writes it. 176,000 findings of the 100,000-row
 * book hold 75,000 unique 410-byte messages; packed, they share the template and the
 * arguments that repeat. See docs/design-mapper.md "Finding messages". */
#include "mapper/finding_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <glib.h>

#include "mapper/norm.h"

/* A packed message is a NUL-free byte string (so the pool's C-string interning stores
 * equal ones once), starting with its kind:
 *   LITERAL  the text itself follows (cut, repaired or set messages; never expanded);
 *   TEMPLATE the template's address (uv), then one item per conversion of the template:
 *            uv(2 * len) and len bytes of the argument as formatted (short ones), or
 *            uv(1) and the address (uv) of an interned copy (longer ones).
 * uv: an unsigned number in base 127, low digit first, each byte digit + 1 (never 0),
 * bit 7 set on every byte but the last. */
enum { PACK_LITERAL = EM_PACK_LITERAL, PACK_TEMPLATE = EM_PACK_TEMPLATE };
/* longer arguments are interned and pointed to; 15 measured best on the 100k book against
   0, 7, 31 and 63 (a row "12345行目" inline costs 12 bytes, a pointer 8 plus its copy) */
#define INLINE_MAX 15
#define PACK_MAX 4096           /* a bigger packing (hundreds of conversions) is stored literal */

/* Appends v as uv to b[*n..cap); false when it does not fit. */
static bool put_uv(unsigned char *b, size_t *n, size_t cap, uintmax_t v)
{
    do {
        if (*n >= cap) return false;
        unsigned d = (unsigned)(v % 127);
        v /= 127;
        b[(*n)++] = (unsigned char)((d + 1) | (v ? 0x80 : 0));
    } while (v);
    return true;
}

/* Reads a uv at *p and moves *p past it. The packing is ours, so it is well formed. */
static uintmax_t get_uv(const unsigned char **p)
{
    uintmax_t v = 0, mul = 1;
    for (;;) {
        unsigned char c = *(*p)++;
        v += (uintmax_t)((c & 0x7f) - 1) * mul;
        if (!(c & 0x80)) return v;
        mul *= 127;
    }
}

/* One printf conversion as this file understands it. */
struct spec {
    int stars;                   /* '*' for width and/or precision: 0, 1 or 2 ints first */
    enum { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T, L_BIG } len;
    char conv;                   /* d i u x X o c s p f F e E g G a A, or '%' */
};

/* Parses the conversion at p (just past its '%'); returns the character after it, or
 * NULL for what is not handled here (%n, %m, positional %1$s, odd combinations): the
 * caller then stores the message as formatted text. */
static const char *parse_spec(const char *p, struct spec *s)
{
    s->stars = 0;
    s->len = L_NONE;
    if (*p == '%') {
        s->conv = '%';
        return p + 1;
    }
    while (*p && strchr("-+ #0'I", *p)) p++;
    if (*p == '*') {
        s->stars++;
        p++;
    } else {
        while (*p >= '0' && *p <= '9') p++;
        if (*p == '$') return NULL;
    }
    if (*p == '.') {
        p++;
        if (*p == '*') {
            s->stars++;
            p++;
        } else {
            while (*p >= '0' && *p <= '9') p++;
        }
    }
    switch (*p) {
    case 'h': s->len = p[1] == 'h' ? L_HH : L_H; p += p[1] == 'h' ? 2 : 1; break;
    case 'l': s->len = p[1] == 'l' ? L_LL : L_L; p += p[1] == 'l' ? 2 : 1; break;
    case 'q': s->len = L_LL; p++; break;
    case 'z': s->len = L_Z; p++; break;
    case 'j': s->len = L_J; p++; break;
    case 't': s->len = L_T; p++; break;
    case 'L': s->len = L_BIG; p++; break;
    default: break;
    }
    if (!*p || !strchr("diuxXocspfFeEgGaA", *p)) return NULL;
    s->conv = *p;
    bool is_float = strchr("fFeEgGaA", *p) != NULL;
    if (s->len == L_BIG && !is_float) return NULL;
    if (is_float && s->len != L_NONE && s->len != L_L && s->len != L_BIG) return NULL;
    if ((*p == 'c' || *p == 's') && s->len != L_NONE && s->len != L_L) return NULL;
    if (*p == 'p' && s->len != L_NONE) return NULL;
    return p + 1;
}

/* Formats one conversion spec (a copy of one conversion of a literal template, checked
 * by parse_spec) with its arguments taken from *ap into out[size]; printf's length.
 * The format is not a literal here by design: it is one piece of a literal. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int format_one(char *out, size_t size, const char *spec, const struct spec *s, va_list *ap)
{
    int w = 0, pr = 0;
    if (s->stars >= 1) w = va_arg(*ap, int);
    if (s->stars >= 2) pr = va_arg(*ap, int);
#define EMIT(T)                                                                              \
    do {                                                                                     \
        T v_ = va_arg(*ap, T);                                                               \
        return s->stars == 0 ? snprintf(out, size, spec, v_)                                 \
             : s->stars == 1 ? snprintf(out, size, spec, w, v_)                              \
                             : snprintf(out, size, spec, w, pr, v_);                         \
    } while (0)
    bool uns = s->conv != 'd' && s->conv != 'i';
    switch (s->conv) {
    case 'c':
        if (s->len == L_L) EMIT(wint_t);
        EMIT(int);
    case 's':
        if (s->len == L_L) EMIT(const wchar_t *);
        EMIT(const char *);
    case 'p':
        EMIT(void *);
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
        if (s->len == L_BIG) EMIT(long double);
        EMIT(double);
    default:
        break;
    }
    switch (s->len) {
    case L_L: if (uns) EMIT(unsigned long); EMIT(long);
    case L_LL: if (uns) EMIT(unsigned long long); EMIT(long long);
    case L_Z: if (uns) EMIT(size_t); EMIT(ptrdiff_t);
    case L_J: if (uns) EMIT(uintmax_t); EMIT(intmax_t);
    case L_T: EMIT(ptrdiff_t);
    default: if (uns) EMIT(unsigned); EMIT(int);   /* hh and h arrive promoted to int */
    }
#undef EMIT
}
#pragma GCC diagnostic pop

/* Expands a TEMPLATE packing (past its kind byte) into buf[EM_MSG_MAX]; the text's
 * length. A template packing always fits: only messages shorter than EM_MSG_MAX are
 * stored so (pack_template), and the bound is kept here all the same. */
static size_t expand(const unsigned char *p, char *buf)
{
    const char *fmt = (const char *)(uintptr_t)get_uv(&p);
    size_t n = 0;
    const size_t cap = EM_MSG_MAX - 1;
    while (*fmt && n < cap) {
        if (*fmt != '%') {   /* the template's text up to its next conversion, at once */
            const char *pc = strchr(fmt, '%');
            size_t lit = pc ? (size_t)(pc - fmt) : strlen(fmt);
            if (lit > cap - n) lit = cap - n;
            memcpy(buf + n, fmt, lit);
            n += lit;
            fmt += lit;
            continue;
        }
        struct spec s;
        const char *next = parse_spec(fmt + 1, &s);
        if (!next) break;                 /* not packed so (pack_template refuses it) */
        fmt = next;
        if (s.conv == '%') {
            buf[n++] = '%';
            continue;
        }
        if (!*p) break;                   /* not packed so either */
        uintmax_t h = get_uv(&p);
        const char *a;
        size_t len;
        if (h & 1) {
            a = (const char *)(uintptr_t)get_uv(&p);
            len = strlen(a);
        } else {
            a = (const char *)p;
            len = (size_t)(h / 2);
            p += len;
        }
        if (len > cap - n) len = cap - n;
        memcpy(buf + n, a, len);
        n += len;
    }
    buf[n] = '\0';
    return n;
}

/* The TEMPLATE packing of fmt with ap into blk[PACK_MAX], its length, or 0 when this
 * message is not packed so (a conversion not handled here, a packing too big, no
 * memory). Long arguments are interned into p. ap is consumed. */
static size_t pack_template(struct em_pool *p, unsigned char *blk, const char *fmt, va_list ap)
{
    size_t n = 0;
    blk[n++] = PACK_TEMPLATE;
    if (!put_uv(blk, &n, PACK_MAX, (uintptr_t)fmt)) return 0;
    char arg[EM_MSG_MAX];
    va_list aq;
    va_copy(aq, ap);
    size_t r = 0;
    for (const char *f = fmt; *f;) {
        if (*f++ != '%') continue;
        struct spec s;
        const char *next = parse_spec(f, &s);
        if (!next) goto out;
        char one[32];
        if ((size_t)(next - f) + 2 > sizeof one) goto out;
        one[0] = '%';
        memcpy(one + 1, f, (size_t)(next - f));
        one[next - f + 1] = '\0';
        f = next;
        if (s.conv == '%') continue;
        const char *text = arg;
        int len;
        if (one[1] == 's' && !one[2]) {
            /* a plain %s, most of them: the string is its own text, no printf */
            text = va_arg(aq, const char *);
            size_t sl = text ? strlen(text) : 0;
            if (!text || sl >= sizeof arg) goto out;   /* NULL: printf's "(null)", kept as text */
            len = (int)sl;
        } else {
            len = format_one(arg, sizeof arg, one, &s, &aq);
        }
        /* longer than a whole message: the message was cut (the caller stores it literal) */
        if (len < 0 || (size_t)len >= sizeof arg || memchr(text, '\0', (size_t)len)) goto out;
        if (len <= INLINE_MAX) {
            if (!put_uv(blk, &n, PACK_MAX, (uintmax_t)len * 2) || PACK_MAX - n < (size_t)len) goto out;
            memcpy(blk + n, text, (size_t)len);
            n += (size_t)len;
        } else {
            const char *a = em_pool_intern(p, text, (size_t)len);
            if (!a || !put_uv(blk, &n, PACK_MAX, 1) || !put_uv(blk, &n, PACK_MAX, (uintptr_t)a)) goto out;
        }
    }
    if (n < PACK_MAX) r = n;
out:
    va_end(aq);
    return r;
}

/* The TEMPLATE packing of a template whose only conversions are plain %s and %% (most
 * of them), into blk[PACK_MAX]: its length, or 0 when the fast way does not apply (another
 * conversion, a NULL argument, a message of EM_MSG_MAX bytes or more, invalid UTF-8,
 * a packing too big, no memory) — the caller then takes the general way. For these
 * templates printf's text is the template with each %s replaced by its argument and
 * %% by %, which is what expand() rebuilds, so no printf and no check by expanding are
 * needed; the packing is byte for byte the one pack_template makes. ap is consumed. */
static size_t pack_plain(struct em_pool *p, unsigned char *blk, const char *fmt, va_list ap)
{
    size_t n = 0, total = 0;
    blk[n++] = PACK_TEMPLATE;
    if (!put_uv(blk, &n, PACK_MAX, (uintptr_t)fmt)) return 0;
    const char *f = fmt;
    for (;;) {
        const char *pc = strchr(f, '%');
        size_t lit = pc ? (size_t)(pc - f) : strlen(f);
        if (!g_utf8_validate(f, (gssize)lit, NULL)) return 0;
        total += lit;
        if (!pc) break;
        if (pc[1] == '%') {
            total++;
            f = pc + 2;
            continue;
        }
        if (pc[1] != 's') return 0;
        f = pc + 2;
        const char *a = va_arg(ap, const char *);
        if (!a) return 0;
        size_t len = strlen(a);
        total += len;
        if (total >= EM_MSG_MAX || !g_utf8_validate(a, (gssize)len, NULL)) return 0;
        if (len <= INLINE_MAX) {
            if (!put_uv(blk, &n, PACK_MAX, (uintmax_t)len * 2) || PACK_MAX - n < len) return 0;
            memcpy(blk + n, a, len);
            n += len;
        } else {
            const char *c = em_pool_intern(p, a, len);
            if (!c || !put_uv(blk, &n, PACK_MAX, 1) || !put_uv(blk, &n, PACK_MAX, (uintptr_t)c)) return 0;
        }
    }
    return total < EM_MSG_MAX && n < PACK_MAX ? n : 0;
}

/* The interned LITERAL packing of text, or NULL on allocation failure. */
static const char *pack_literal(struct em_pool *p, const char *text)
{
    size_t len = strlen(text);
    char small[512];
    char *b = len + 1 <= sizeof small ? small : malloc(len + 1);
    if (!b) return NULL;
    b[0] = PACK_LITERAL;
    memcpy(b + 1, text, len);
    const char *r = em_pool_intern(p, b, len + 1);
    if (b != small) free(b);
    return r;
}

/* The packed message of fmt with ap, interned in p; NULL on allocation failure.
 * Expanded, it is exactly what the message was before packing: vsnprintf into
 * EM_MSG_MAX bytes, a cut character removed, invalid UTF-8 repaired. Messages that
 * needed neither and pack back to the same text are stored as template + arguments;
 * the rest as their text (checked here, so a template this file misreads costs memory,
 * never a wrong message). */
const char *em_finding_pack(struct em_pool *p, const char *fmt, va_list ap)
{
    unsigned char quick[PACK_MAX + 1];
    va_list aq;
    va_copy(aq, ap);
    size_t qn = pack_plain(p, quick, fmt, aq);
    va_end(aq);
    if (qn) {
        quick[qn] = '\0';
        return em_pool_intern(p, (const char *)quick, qn);
    }
    char buf[EM_MSG_MAX];
    buf[0] = '\0';
    va_copy(aq, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, aq);
    va_end(aq);
    if (n >= 0 && (size_t)n < sizeof buf && strlen(buf) == (size_t)n && g_utf8_validate(buf, n, NULL)) {
        unsigned char blk[PACK_MAX + 1];
        size_t len = pack_template(p, blk, fmt, ap);
        if (len) {
            blk[len] = '\0';
            char back[EM_MSG_MAX];
            if (expand(blk + 1, back) == (size_t)n && memcmp(back, buf, (size_t)n) == 0)
                return em_pool_intern(p, (const char *)blk, len);
        }
    }
    /* a long cell quoted in a message may be cut: end on a whole character, and repair
       any earlier cut (a value cut into a smaller buffer before it got here) */
    em_utf8_trim_cut(buf);
    char *fixed = g_utf8_validate(buf, -1, NULL) ? NULL : g_utf8_make_valid(buf, -1);
    const char *r = pack_literal(p, fixed ? fixed : buf);
    g_free(fixed);
    return r;
}

const char *em_finding_msg(const struct em_finding *f, char *buf)
{
    const unsigned char *b = (const unsigned char *)f->packed_msg;
    if (!b || !*b) return "";
    if (*b == PACK_LITERAL) return (const char *)b + 1;
    expand(b + 1, buf);
    return buf;
}

size_t em_finding_message(const struct em_finding *f, char *buf, size_t size)
{
    char tmp[EM_MSG_MAX];
    const char *s = em_finding_msg(f, tmp);
    size_t n = strlen(s);
    if (size) {
        size_t k = n < size ? n : size - 1;
        memmove(buf, s, k);
        buf[k] = '\0';
    }
    return n;
}

int em_finding_set_message(struct em_model *m, struct em_finding *f, const char *text)
{
    const char *r = pack_literal(m->pool, text ? text : "");
    if (!r) return -1;
    f->packed_msg = r;
    return 0;
}
