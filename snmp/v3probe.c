/* v3probe.c — the SNMPv3 engine-id discovery message (RFC 3414 §4) built and its
 * Report parsed by hand, so the crawler can discover engine ids inside its own select
 * loop: net-snmp does this synchronously inside snmp_sess_open/send, which would stall
 * every other agent for timeout × retries per dead v3 host. Pure: bytes in, bytes out;
 * the reply is untrusted and every length is checked. */
#include <stdbool.h>
#include <string.h>

#include "snmp/dev.h"

/* ---- writer: small bounded buffers, every part well under 128 bytes ---- */
struct wb { uint8_t b[200]; size_t n; bool bad; };

static void put(struct wb *w, const uint8_t *v, size_t n)
{
    if (w->bad || n > sizeof w->b - w->n) { w->bad = true; return; }
    if (n) memcpy(w->b + w->n, v, n);
    w->n += n;
}

/* tag + short-form length + contents (all our parts are < 128 bytes) */
static void tlv(struct wb *w, uint8_t tag, const uint8_t *v, size_t n)
{
    if (n >= 0x80) { w->bad = true; return; }
    uint8_t h[2] = {tag, (uint8_t)n};
    put(w, h, 2);
    put(w, v, n);
}

static void wrap(struct wb *w, uint8_t tag, const struct wb *inner)
{
    if (inner->bad) { w->bad = true; return; }
    tlv(w, tag, inner->b, inner->n);
}

static void int32(struct wb *w, int32_t v)
{
    uint32_t u = (uint32_t)v;
    uint8_t b[4] = {(uint8_t)(u >> 24), (uint8_t)(u >> 16), (uint8_t)(u >> 8), (uint8_t)u};
    size_t s = 0;   /* minimal two's complement */
    while (s < 3 && ((b[s] == 0 && !(b[s + 1] & 0x80)) || (b[s] == 0xff && (b[s + 1] & 0x80)))) s++;
    tlv(w, 0x02, b + s, 4 - s);
}

size_t em_v3probe_build(uint8_t *buf, size_t cap, int32_t msgid)
{
    struct wb vbl = {0}, pdu_in = {0}, scoped_in = {0}, sec_in = {0}, sec = {0}, glob_in = {0},
              body = {0}, msg = {0};
    /* GetRequest { reqid, 0, 0, {} } */
    int32(&pdu_in, msgid); int32(&pdu_in, 0); int32(&pdu_in, 0);
    wrap(&pdu_in, 0x30, &vbl);
    /* ScopedPDU { contextEngineID "", contextName "", pdu } */
    tlv(&scoped_in, 0x04, NULL, 0); tlv(&scoped_in, 0x04, NULL, 0);
    wrap(&scoped_in, 0xa0, &pdu_in);
    /* UsmSecurityParameters, all empty, inside an OCTET STRING */
    tlv(&sec_in, 0x04, NULL, 0); int32(&sec_in, 0); int32(&sec_in, 0);
    tlv(&sec_in, 0x04, NULL, 0); tlv(&sec_in, 0x04, NULL, 0); tlv(&sec_in, 0x04, NULL, 0);
    wrap(&sec, 0x30, &sec_in);
    /* HeaderData { msgID, msgMaxSize 65507, msgFlags reportable, USM (3) } */
    const uint8_t flags = 0x04;
    int32(&glob_in, msgid); int32(&glob_in, 65507); tlv(&glob_in, 0x04, &flags, 1); int32(&glob_in, 3);
    int32(&body, 3);
    wrap(&body, 0x30, &glob_in);
    wrap(&body, 0x04, &sec);
    wrap(&body, 0x30, &scoped_in);
    wrap(&msg, 0x30, &body);
    if (msg.bad || msg.n > cap) return 0;
    memcpy(buf, msg.b, msg.n);
    return msg.n;
}

/* ---- reader ---- */
struct rd { const uint8_t *p; size_t n; };

/* reads one TLV of tag at r; v/vn get the contents; 0 ok */
static int get(struct rd *r, uint8_t tag, const uint8_t **v, size_t *vn)
{
    if (r->n < 2 || r->p[0] != tag) return -1;
    size_t k = 1, len = r->p[k++];
    if (len & 0x80) {
        size_t nb = len & 0x7f;
        if (nb == 0 || nb > 3 || k + nb > r->n) return -1;
        len = 0;
        for (size_t i = 0; i < nb; i++) len = (len << 8) | r->p[k++];
    }
    if (len > r->n - k) return -1;
    *v = r->p + k; *vn = len;
    r->p += k + len; r->n -= k + len;
    return 0;
}

static int get_uint(struct rd *r, long *out)
{
    const uint8_t *v; size_t n;
    if (get(r, 0x02, &v, &n) != 0 || n == 0 || n > 5) return -1;
    if (v[0] & 0x80) return -1;        /* negative: not a valid msgID/boots/time */
    unsigned long x = 0;
    for (size_t i = 0; i < n; i++) x = (x << 8) | v[i];
    if (x > 0x7fffffffUL) return -1;
    *out = (long)x;
    return 0;
}

int em_v3probe_parse(const uint8_t *buf, size_t n, int32_t msgid, uint8_t *engine,
                     size_t *engine_len, long *boots, long *etime)
{
    struct rd r = {buf, n}, m, g, s, u;
    const uint8_t *v; size_t vn;
    long x;
    if (get(&r, 0x30, &v, &vn) != 0) return -1;
    m = (struct rd){v, vn};
    if (get_uint(&m, &x) != 0 || x != 3) return -1;
    if (get(&m, 0x30, &v, &vn) != 0) return -1;
    g = (struct rd){v, vn};
    if (get_uint(&g, &x) != 0 || x != (long)msgid) return -1;
    if (get(&m, 0x04, &v, &vn) != 0) return -1;
    s = (struct rd){v, vn};
    if (get(&s, 0x30, &v, &vn) != 0) return -1;
    u = (struct rd){v, vn};
    if (get(&u, 0x04, &v, &vn) != 0 || vn == 0 || vn > 32) return -1;
    memcpy(engine, v, vn);
    *engine_len = vn;
    if (get_uint(&u, boots) != 0 || get_uint(&u, etime) != 0) return -1;
    return 0;
}
