/* walkfile.c — reads `snmpwalk -On` / `snmpbulkwalk -On` output into varbinds.
 * Accepts STRING (quoted, possibly over several lines), Hex-STRING (possibly wrapped),
 * OID, INTEGER (with enum text "up(1)"), Timeticks, IpAddress, Counter32/64, Gauge32,
 * Unsigned32, Opaque, BITS, Network Address, NULL, "" and the end-of-walk notices.
 * Anything else — notably output without -On ("SNMPv2-MIB::sysName.0") — is an error
 * naming the file and line. Only the subtrees discovery decodes are kept; past
 * EM_VB_MAX of them reading goes on but keeps nothing more (out->full). Pure. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/lang.h"
#include "snmp/discover.h"
#include "snmp/dev.h"

#define LINE_MAX_BYTES 65536

struct rd { const char *p, *end; long line; };

/* next line without its newline; false at end */
static bool next_line(struct rd *r, const char **s, size_t *n)
{
    if (r->p >= r->end) return false;
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    const char *e = nl ? nl : r->end;
    *s = r->p;
    *n = (size_t)(e - r->p);
    if (*n && (*s)[*n - 1] == '\r') (*n)--;
    r->p = nl ? nl + 1 : r->end;
    r->line++;
    return true;
}

static int fmt_err(struct em_err *err, int rc, const char *name, long line, const char *what)
{
    return em_err_set(err, rc, name, "", line, "", "%s", what);
}

/* The number of parts of a numeric OID written as s[0..n) (".1.3.6…": digits and
 * dots only), 0 when it is not one. */
static size_t oid_parts(const char *s, size_t n)
{
    size_t parts = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '.') continue;
        if (s[k] < '0' || s[k] > '9') return 0;
        if (k == 0 || s[k - 1] == '.') parts++;
    }
    return parts;
}

static int too_many_parts(struct em_err *err, const char *name, long line, size_t parts)
{
    return em_err_set(err, EM_ERR_LIMIT, name, "", line, "",
                      em_tr("OID の要素が多すぎます（%zu 個、上限 %d 個）",
                            "the OID has too many parts (%zu, limit %d)"), parts, EM_OID_MAX);
}

static bool starts(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(s, lit, l) == 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* appends hex pairs "00 1A 2b" from s to buf; -1 on a non-hex token */
static int hex_bytes(const char *s, size_t n, unsigned char *buf, size_t *len, size_t cap)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
        if (i >= n) break;
        if (i + 1 >= n) return -1;
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0) return -1;
        if (i + 2 < n && s[i + 2] != ' ' && s[i + 2] != '\t') return -1;
        if (*len < cap) buf[(*len)++] = (unsigned char)(hi * 16 + lo);
        i += 2;
    }
    return 0;
}

static bool is_hex_line(const char *s, size_t n)
{
    unsigned char tmp[1];
    size_t l = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) if (!isspace((unsigned char)s[i])) any = true;
    return any && hex_bytes(s, n, tmp, &l, 0) == 0;
}

/* parses a signed or unsigned integer that may be wrapped as "text(5)" or "(5) 0:00" */
static int parse_num(const char *s, size_t n, int64_t *out)
{
    char buf[64];
    const char *lp = memchr(s, '(', n);
    if (lp) {
        const char *rp = memchr(lp, ')', n - (size_t)(lp - s));
        if (!rp) return -1;
        s = lp + 1; n = (size_t)(rp - lp - 1);
    } else {
        /* "1234 milli-seconds" / "5 octets": first token */
        size_t k = 0;
        while (k < n && s[k] != ' ') k++;
        n = k;
    }
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n); buf[n] = '\0';
    char *end;
    errno = 0;
    if (buf[0] == '-') {
        long long v = strtoll(buf, &end, 10);
        if (errno || *end) return -1;
        *out = v;
    } else {
        unsigned long long v = strtoull(buf, &end, 10);
        if (errno || *end || end == buf) return -1;
        *out = (int64_t)v;
    }
    return 0;
}

int em_walk_parse(const char *buf, size_t len, const char *name, struct em_vblist *out,
                  struct em_err *err)
{
    struct rd r = {buf, buf + len, 0};
    const char *s;
    size_t n;
    unsigned char val[EM_VB_VALUE_MAX];
    while (next_line(&r, &s, &n)) {
        if (n > LINE_MAX_BYTES)
            return fmt_err(err, EM_ERR_LIMIT, name, r.line, "line too long (over 64 KiB)");
        size_t i = 0;
        while (i < n && isspace((unsigned char)s[i])) i++;
        if (i == n) continue;   /* blank line */
        if (s[i] == '#') continue;
        long line = r.line;
        /* OID */
        const char *eq = NULL;
        for (size_t k = i; k + 2 < n; k++)
            if (s[k] == ' ' && s[k + 1] == '=' && (s[k + 2] == ' ')) { eq = s + k; break; }
        if (!eq && n >= 2 && s[n - 1] == '=' && s[n - 2] == ' ') eq = s + n - 2;
        if (!eq || s[i] != '.' || i + 1 >= n || !isdigit((unsigned char)s[i + 1])) {
            if (eq && !(s[i] == '.'))
                return fmt_err(err, EM_ERR_FORMAT, name, line,
                    em_tr("数値 OID の形式ではありません。snmpbulkwalk -On で記録してください (SNMPv2-MIB::sysName.0 のような MIB 名の出力です)",
                          "not numeric-OID output: record the walk with snmpbulkwalk -On (got a MIB name such as SNMPv2-MIB::sysName.0)"));
            return fmt_err(err, EM_ERR_FORMAT, name, line,
                em_tr("「.1.3.6… = 型: 値」(snmpwalk -On の出力) の形式ではありません",
                      "expected '.1.3.6… = TYPE: value' (snmpwalk -On output)"));
        }
        char oidtxt[EM_OID_MAX * 11 + 2];
        size_t ol = (size_t)(eq - (s + i));
        if (oid_parts(s + i, ol) > EM_OID_MAX) return too_many_parts(err, name, line, oid_parts(s + i, ol));
        if (ol >= sizeof oidtxt) return fmt_err(err, EM_ERR_LIMIT, name, line, "OID too long");
        memcpy(oidtxt, s + i, ol); oidtxt[ol] = '\0';
        uint32_t oid[EM_OID_MAX];
        int on = em_oid_parse(oidtxt, oid, EM_OID_MAX);
        if (on <= 0)
            return fmt_err(err, EM_ERR_FORMAT, name, line,
                "the OID is not numeric: record the walk with snmpbulkwalk -On");
        const char *v = eq + 2;
        size_t vn = n - (size_t)(v - s);
        while (vn && *v == ' ') { v++; vn--; }
        int type = 0;
        int64_t num = 0;
        size_t vl = 0;
        if (vn == 0 || (vn == 2 && v[0] == '"' && v[1] == '"')) {
            type = EM_VB_OCTETS;       /* `= ""` : empty string without a type */
        } else if (vn == 4 && memcmp(v, "NULL", 4) == 0) {
            type = EM_VB_NULL;
        } else if (starts(v, vn, "No Such Object") || starts(v, vn, "No Such Instance") ||
                   starts(v, vn, "No more variables")) {
            continue;
        } else {
            /* "Wrong Type (should be X): TYPE: value" */
            if (starts(v, vn, "Wrong Type")) {
                const char *c = memchr(v, ':', vn);
                if (!c) return fmt_err(err, EM_ERR_FORMAT, name, line, "cannot read the value");
                vn -= (size_t)(c + 1 - v); v = c + 1;
                while (vn && *v == ' ') { v++; vn--; }
            }
            const char *colon = memchr(v, ':', vn);
            if (!colon) return fmt_err(err, EM_ERR_FORMAT, name, line, "missing 'TYPE:' before the value");
            size_t tl = (size_t)(colon - v);
            const char *x = colon + 1;
            size_t xn = vn - tl - 1;
            if (xn && *x == ' ') { x++; xn--; }
#define T(lit) (tl == strlen(lit) && memcmp(v, lit, tl) == 0)
            if (T("STRING")) {
                type = EM_VB_OCTETS;
                if (xn && x[0] == '"') {
                    /* quoted, may continue over lines until an unescaped closing quote */
                    bool closed = false;
                    const char *q = x + 1;
                    size_t qn = xn - 1;
                    for (;;) {
                        for (size_t k = 0; k < qn; k++) {
                            if (q[k] == '\\' && k + 1 < qn) { if (vl < sizeof val) val[vl++] = (unsigned char)q[k + 1]; k++; continue; }
                            if (q[k] == '"') { closed = true; break; }
                            if (vl < sizeof val) val[vl++] = (unsigned char)q[k];
                        }
                        if (closed) break;
                        if (!next_line(&r, &q, &qn))
                            return fmt_err(err, EM_ERR_FORMAT, name, line, em_tr("文字列の値が閉じられないままファイルが終わりました (\" がありません)", "string value not closed by '\"' before the end of the file"));
                        if (qn > LINE_MAX_BYTES) return fmt_err(err, EM_ERR_LIMIT, name, r.line, "line too long");
                        if (vl < sizeof val) val[vl++] = '\n';
                    }
                } else {
                    vl = xn < sizeof val ? xn : sizeof val;
                    memcpy(val, x, vl);
                }
            } else if (T("Hex-STRING") || T("BITS") || T("Opaque")) {
                type = EM_VB_OCTETS;
                if (T("BITS")) {
                    /* "BITS: 28 00 bridge(2) router(4)": keep the leading hex pairs */
                    size_t k = 0;
                    while (k + 1 < xn && isxdigit((unsigned char)x[k]) && isxdigit((unsigned char)x[k + 1]) &&
                           (k + 2 == xn || x[k + 2] == ' ')) {
                        if (vl < sizeof val) val[vl++] = (unsigned char)(hexval((unsigned char)x[k]) * 16 + hexval((unsigned char)x[k + 1]));
                        k += 3;
                    }
                } else {
                    if (T("Opaque") && starts(x, xn, "Hex-STRING:")) { x += 11; xn -= 11; }
                    if (T("Opaque") && !is_hex_line(x, xn)) {
                        /* "Opaque: Float: 1.5" (UCD-SNMP): kept as its text */
                        vl = xn < sizeof val ? xn : sizeof val;
                        memcpy(val, x, vl);
                        goto add;
                    }
                    if (hex_bytes(x, xn, val, &vl, sizeof val) != 0)
                        return fmt_err(err, EM_ERR_FORMAT, name, line, "Hex-STRING value is not hex bytes");
                    /* wrapped dumps continue on lines holding only hex pairs */
                    for (;;) {
                        struct rd save = r;
                        const char *q; size_t qn;
                        if (!next_line(&r, &q, &qn)) break;
                        if (qn && q[0] == '.') { r = save; break; }
                        if (!is_hex_line(q, qn)) { r = save; break; }
                        hex_bytes(q, qn, val, &vl, sizeof val);
                    }
                }
            } else if (T("OID")) {
                type = EM_VB_OID;
                uint32_t tmp[EM_OID_MAX];
                size_t k = xn;
                while (k && x[k - 1] == ' ') k--;
                char ob[EM_OID_MAX * 11 + 2];
                if (k >= sizeof ob) return fmt_err(err, EM_ERR_LIMIT, name, line, "OID value too long");
                memcpy(ob, x, k); ob[k] = '\0';
                if (em_oid_parse(ob, tmp, EM_OID_MAX) <= 0)
                    return fmt_err(err, EM_ERR_FORMAT, name, line,
                        "OID value is not numeric: record the walk with snmpbulkwalk -On");
                vl = k; memcpy(val, ob, k);
            } else if (T("INTEGER")) {
                type = EM_VB_INT;
                if (parse_num(x, xn, &num) != 0) return fmt_err(err, EM_ERR_FORMAT, name, line, "INTEGER value is not a number");
            } else if (T("Timeticks") || T("Counter32") || T("Gauge32") || T("Counter64") ||
                       T("Unsigned32") || T("UInteger32")) {
                type = EM_VB_UINT;
                if (parse_num(x, xn, &num) != 0) return fmt_err(err, EM_ERR_FORMAT, name, line, "numeric value expected");
            } else if (T("IpAddress") || T("Network Address")) {
                type = EM_VB_IPADDR;
                char ab[64];
                size_t k = xn < sizeof ab - 1 ? xn : sizeof ab - 1;
                memcpy(ab, x, k); ab[k] = '\0';
                while (k && ab[k - 1] == ' ') ab[--k] = '\0';
                unsigned char a[16];
                if (T("Network Address")) {   /* "0A:01:00:01" */
                    vl = 0;
                    for (size_t j = 0; j < k; j++) if (ab[j] == ':') ab[j] = ' ';
                    if (hex_bytes(ab, k, val, &vl, 4) != 0 || vl != 4)
                        return fmt_err(err, EM_ERR_FORMAT, name, line, "bad network address");
                } else {
                    if (em_addr_parse(ab, a) != 4)
                        return fmt_err(err, EM_ERR_FORMAT, name, line, "bad IpAddress");
                    memcpy(val, a, 4); vl = 4;
                }
            } else if (T("NULL") || T("Null")) {
                type = EM_VB_NULL;
            } else {
                return fmt_err(err, EM_ERR_FORMAT, name, line, "unknown value type");
            }
#undef T
        }
add:
        /* a full walk of a big router holds much more than discovery reads: keep only
         * the subtrees the decoder uses; past the cap, stop keeping (out->full) */
        if (!em_dev_wanted(oid, (size_t)on) || out->full) continue;
        if (em_vblist_add(out, oid, (size_t)on, type, num, val, vl) != 0 && !out->full)
            return em_err_set(err, EM_ERR_NOMEM, name, "", line, "", "out of memory");
    }
    return 0;
}
