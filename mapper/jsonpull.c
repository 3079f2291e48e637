/* jsonpull.c — the pull JSON reader of jsonpull.h: a byte source (memory or a stream
 * read in 64 KiB chunks), a container stack with one grammar state per level, and a
 * capped text buffer for the current key/string/number. Nothing else is kept. */
#include "mapper/jsonpull.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

enum st {
    S_TOP,         /* expect the top-level value */
    S_DONE,        /* top-level value read: only whitespace may follow */
    S_OBJ_FIRST,   /* after '{': key or '}' */
    S_OBJ_KEY,     /* after ',' in an object: key */
    S_OBJ_COLON,   /* after a key: ':' */
    S_OBJ_VALUE,   /* after ':': value */
    S_OBJ_NEXT,    /* after a member: ',' or '}' */
    S_ARR_FIRST,   /* after '[': value or ']' */
    S_ARR_VALUE,   /* after ',' in an array: value */
    S_ARR_NEXT,    /* after an element: ',' or ']' */
};

struct em_jp {
    const unsigned char *mem; size_t mem_len, mem_pos;   /* memory source */
    FILE *f; unsigned char *chunk; size_t c_len, c_pos;  /* stream source */
    bool eof;
    size_t bytes, max_bytes;
    long line, tok_line;
    int max_depth, depth;
    unsigned char *stack;          /* enum st per level; [0] is the top level */
    char *text; size_t t_len, max_str; bool cut;
    enum em_jp_err err;
    enum em_jp_tok last;           /* sticky END/ERROR */
};

static struct em_jp *jp_new(size_t max_bytes, int max_depth, size_t max_str)
{
    struct em_jp *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    if (max_depth < 1) max_depth = 1;
    p->stack = calloc((size_t)max_depth + 1, 1);
    p->text = malloc(max_str + 8);
    if (!p->stack || !p->text) { em_jp_free(p); return NULL; }
    p->max_bytes = max_bytes;
    p->max_depth = max_depth;
    p->max_str = max_str;
    p->line = p->tok_line = 1;
    p->stack[0] = S_TOP;
    p->last = EM_JP_OBJ;   /* anything but END/ERROR */
    return p;
}

struct em_jp *em_jp_new_mem(const char *buf, size_t len, size_t max_bytes, int max_depth, size_t max_str)
{
    struct em_jp *p = jp_new(max_bytes, max_depth, max_str);
    if (!p) return NULL;
    p->mem = (const unsigned char *)buf;
    p->mem_len = len;
    return p;
}

struct em_jp *em_jp_new_file(FILE *f, size_t max_bytes, int max_depth, size_t max_str)
{
    struct em_jp *p = jp_new(max_bytes, max_depth, max_str);
    if (!p) return NULL;
    p->f = f;
    p->chunk = malloc(CHUNK);
    if (!p->chunk) { em_jp_free(p); return NULL; }
    return p;
}

void em_jp_free(struct em_jp *p)
{
    if (!p) return;
    free(p->stack);
    free(p->text);
    free(p->chunk);
    free(p);
}

static enum em_jp_tok fail(struct em_jp *p, enum em_jp_err e)
{
    if (!p->err) p->err = e;
    p->last = EM_JP_ERROR;
    return EM_JP_ERROR;
}

/* The next byte without consuming it; -1 at the end (or on an error: p->err set). */
static int peek(struct em_jp *p)
{
    if (p->mem) return p->mem_pos < p->mem_len ? p->mem[p->mem_pos] : -1;
    if (p->c_pos < p->c_len) return p->chunk[p->c_pos];
    if (!p->f || p->eof) return -1;
    p->c_len = fread(p->chunk, 1, CHUNK, p->f);
    p->c_pos = 0;
    if (p->c_len == 0) {
        p->eof = true;
        if (ferror(p->f)) p->err = EM_JP_EIO;
        return -1;
    }
    return p->chunk[0];
}

static int get(struct em_jp *p)
{
    int c = peek(p);
    if (c < 0) return -1;
    if (p->bytes >= p->max_bytes) { p->err = EM_JP_EBIG; return -1; }
    p->bytes++;
    if (p->mem) p->mem_pos++; else p->c_pos++;
    if (c == '\n') p->line++;
    return c;
}

static int skip_ws(struct em_jp *p)
{
    for (;;) {
        int c = peek(p);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { if (get(p) < 0) return -1; continue; }
        return c;
    }
}

static void put(struct em_jp *p, unsigned char c)
{
    if (p->t_len < p->max_str) p->text[p->t_len++] = (char)c;
    else p->cut = true;
}

static void put_utf8(struct em_jp *p, unsigned long cp)
{
    if (cp < 0x80) put(p, (unsigned char)cp);
    else if (cp < 0x800) { put(p, (unsigned char)(0xc0 | (cp >> 6))); put(p, (unsigned char)(0x80 | (cp & 0x3f))); }
    else if (cp < 0x10000) {
        put(p, (unsigned char)(0xe0 | (cp >> 12)));
        put(p, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
        put(p, (unsigned char)(0x80 | (cp & 0x3f)));
    } else {
        put(p, (unsigned char)(0xf0 | (cp >> 18)));
        put(p, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
        put(p, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
        put(p, (unsigned char)(0x80 | (cp & 0x3f)));
    }
}

static long hex4(struct em_jp *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int c = get(p);
        if (c >= '0' && c <= '9') v = v * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v = v * 16 + (c - 'A' + 10);
        else return -1;
    }
    return v;
}

/* Reads a string whose '"' is next. 0 ok, -1 error (p->err set). */
static int read_string(struct em_jp *p)
{
    p->t_len = 0;
    p->cut = false;
    get(p);   /* the quote */
    for (;;) {
        int c = get(p);
        if (c < 0) { if (!p->err) p->err = EM_JP_ETRUNC; return -1; }
        if (c == '"') break;
        if (c < 0x20) { p->err = EM_JP_ESYNTAX; return -1; }
        if (c != '\\') { put(p, (unsigned char)c); continue; }
        c = get(p);
        switch (c) {
        case '"': case '\\': case '/': put(p, (unsigned char)c); break;
        case 'b': put(p, '\b'); break;
        case 'f': put(p, '\f'); break;
        case 'n': put(p, '\n'); break;
        case 'r': put(p, '\r'); break;
        case 't': put(p, '\t'); break;
        case 'u': {
            long cp = hex4(p);
            if (cp < 0) { if (!p->err) p->err = EM_JP_ESYNTAX; return -1; }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                /* a high surrogate must be followed by \u and a low one */
                long lo = -1;
                if (get(p) == '\\' && get(p) == 'u') lo = hex4(p);
                if (lo < 0xdc00 || lo > 0xdfff) { if (!p->err) p->err = EM_JP_ESYNTAX; return -1; }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                cp = 0xfffd;   /* a lone low surrogate: replaced */
            }
            put_utf8(p, (unsigned long)cp);
            break;
        }
        default:
            if (c < 0 && !p->err) p->err = EM_JP_ETRUNC;
            else if (!p->err) p->err = EM_JP_ESYNTAX;
            return -1;
        }
    }
    p->text[p->t_len] = '\0';
    return 0;
}

static bool digit(int c) { return c >= '0' && c <= '9'; }

static int digits(struct em_jp *p)
{
    if (!digit(peek(p))) return -1;
    while (digit(peek(p))) put(p, (unsigned char)get(p));
    return 0;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int read_number(struct em_jp *p)
{
    p->t_len = 0;
    p->cut = false;
    if (peek(p) == '-') put(p, (unsigned char)get(p));
    if (peek(p) == '0') put(p, (unsigned char)get(p));
    else if (digits(p) != 0) return -1;
    if (peek(p) == '.') { put(p, (unsigned char)get(p)); if (digits(p) != 0) return -1; }
    if (peek(p) == 'e' || peek(p) == 'E') {
        put(p, (unsigned char)get(p));
        if (peek(p) == '+' || peek(p) == '-') put(p, (unsigned char)get(p));
        if (digits(p) != 0) return -1;
    }
    p->text[p->t_len] = '\0';
    return 0;
}

static int literal(struct em_jp *p, const char *word)
{
    for (const char *w = word; *w; w++) {
        int c = get(p);
        if (c < 0 && !p->err) p->err = EM_JP_ETRUNC;
        if (c != *w) return -1;
    }
    return 0;
}

/* The state a level moves to once a value inside it is complete. */
static void after_value(struct em_jp *p)
{
    unsigned char *s = &p->stack[p->depth];
    if (*s == S_TOP) *s = S_DONE;
    else if (*s == S_OBJ_VALUE) *s = S_OBJ_NEXT;
    else *s = S_ARR_NEXT;
}

static enum em_jp_tok value(struct em_jp *p, int c)
{
    if (c == '{' || c == '[') {
        if (p->depth >= p->max_depth) return fail(p, EM_JP_EDEPTH);
        get(p);
        p->stack[++p->depth] = c == '{' ? S_OBJ_FIRST : S_ARR_FIRST;
        return c == '{' ? EM_JP_OBJ : EM_JP_ARR;
    }
    enum em_jp_tok t;
    if (c == '"') { if (read_string(p) != 0) return fail(p, p->err ? p->err : EM_JP_ESYNTAX); t = EM_JP_STR; }
    else if (c == '-' || digit(c)) { if (read_number(p) != 0) return fail(p, p->err ? p->err : EM_JP_ESYNTAX); t = EM_JP_NUM; }
    else if (c == 't') { if (literal(p, "true")) return fail(p, p->err ? p->err : EM_JP_ESYNTAX); t = EM_JP_TRUE; }
    else if (c == 'f') { if (literal(p, "false")) return fail(p, p->err ? p->err : EM_JP_ESYNTAX); t = EM_JP_FALSE; }
    else if (c == 'n') { if (literal(p, "null")) return fail(p, p->err ? p->err : EM_JP_ESYNTAX); t = EM_JP_NULL; }
    else return fail(p, EM_JP_ESYNTAX);
    after_value(p);
    return t;
}

static enum em_jp_tok close_level(struct em_jp *p, int c)
{
    get(p);
    p->depth--;
    after_value(p);
    return c == '}' ? EM_JP_OBJ_END : EM_JP_ARR_END;
}

enum em_jp_tok em_jp_next(struct em_jp *p)
{
    if (p->last == EM_JP_ERROR || p->last == EM_JP_END) return p->last;
    for (;;) {
        int c = skip_ws(p);
        p->tok_line = p->line;
        if (p->err) return fail(p, p->err);
        enum st s = (enum st)p->stack[p->depth];
        if (c < 0) {
            if (s == S_DONE) { p->last = EM_JP_END; return EM_JP_END; }
            return fail(p, EM_JP_ETRUNC);
        }
        switch (s) {
        case S_DONE:
            return fail(p, EM_JP_ETRAIL);
        case S_TOP: case S_OBJ_VALUE: case S_ARR_VALUE:
            return value(p, c);
        case S_ARR_FIRST:
            if (c == ']') return close_level(p, c);
            return value(p, c);
        case S_OBJ_FIRST: case S_OBJ_KEY:
            if (c == '}' && s == S_OBJ_FIRST) return close_level(p, c);
            if (c != '"') return fail(p, EM_JP_ESYNTAX);
            if (read_string(p) != 0) return fail(p, p->err ? p->err : EM_JP_ESYNTAX);
            p->stack[p->depth] = S_OBJ_COLON;
            return EM_JP_KEY;
        case S_OBJ_COLON:
            if (c != ':') return fail(p, EM_JP_ESYNTAX);
            get(p);
            p->stack[p->depth] = S_OBJ_VALUE;
            continue;
        case S_OBJ_NEXT: case S_ARR_NEXT:
            if (c == ',') { get(p); p->stack[p->depth] = s == S_OBJ_NEXT ? S_OBJ_KEY : S_ARR_VALUE; continue; }
            if ((c == '}' && s == S_OBJ_NEXT) || (c == ']' && s == S_ARR_NEXT)) return close_level(p, c);
            return fail(p, EM_JP_ESYNTAX);
        }
        return fail(p, EM_JP_ESYNTAX);
    }
}

int em_jp_skip(struct em_jp *p, enum em_jp_tok tok)
{
    if (tok == EM_JP_ERROR) return -1;
    if (tok != EM_JP_OBJ && tok != EM_JP_ARR) return 0;
    int depth = 1;
    while (depth > 0) {
        enum em_jp_tok t = em_jp_next(p);
        if (t == EM_JP_ERROR || t == EM_JP_END) return -1;
        if (t == EM_JP_OBJ || t == EM_JP_ARR) depth++;
        else if (t == EM_JP_OBJ_END || t == EM_JP_ARR_END) depth--;
    }
    return 0;
}

const char *em_jp_text(const struct em_jp *p, size_t *len)
{
    if (len) *len = p->t_len;
    return p->text;
}

bool em_jp_cut(const struct em_jp *p) { return p->cut; }
enum em_jp_err em_jp_error(const struct em_jp *p) { return p->err; }
long em_jp_line(const struct em_jp *p) { return p->tok_line; }
size_t em_jp_bytes(const struct em_jp *p) { return p->bytes; }

const char *em_jp_error_desc(const struct em_jp *p)
{
    switch (p->err) {
    case EM_JP_OK: return "no error";
    case EM_JP_ESYNTAX: return "unexpected character";
    case EM_JP_ETRUNC: return "unexpected end of data";
    case EM_JP_EDEPTH: return "nested too deep";
    case EM_JP_EBIG: return "too large";
    case EM_JP_EIO: return "read error";
    case EM_JP_ETRAIL: return "extra data after the JSON";
    }
    return "error";
}
