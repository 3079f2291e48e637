/* snmp_v3probe.c — the hand-built SNMPv3 discovery request and the Report parser
 * (a real snmpd 5.9.3 reply), including truncated and hostile replies. */
#include "tests/unit/t.h"

#include "snmp/dev.h"

/* snmpd's answer to em_v3probe_build(msgid 4242): Report, engine id 17 bytes, boots 1 */
static const uint8_t report[] =
    "\x30\x6d\x02\x01\x03\x30\x0f\x02\x02\x10\x92\x02\x03\x00\xff\xe3\x04\x01\x00\x02\x01\x03"
    "\x04\x21\x30\x1f\x04\x11\x80\x00\x1f\x88\x80\xec\xc9\x68\x72\xeb\x2b\x07\x6b\x00\x00\x00"
    "\x00\x02\x01\x01\x02\x01\x00\x04\x00\x04\x00\x04\x00\x30\x34\x04\x11\x80\x00\x1f\x88\x80"
    "\xec\xc9\x68\x72\xeb\x2b\x07\x6b\x00\x00\x00\x00\x04\x00\xa8\x1d\x02\x02\x10\x92\x02\x01"
    "\x00\x02\x01\x00\x30\x11\x30\x0f\x06\x0a\x2b\x06\x01\x06\x03\x0f\x01\x01\x04\x00\x41\x01\x03";

static void build(void)
{
    uint8_t b[256];
    size_t n = em_v3probe_build(b, sizeof b, 4242);
    static const uint8_t want[] =
        "\x30\x3a\x02\x01\x03\x30\x0f\x02\x02\x10\x92\x02\x03\x00\xff\xe3\x04\x01\x04\x02\x01\x03"
        "\x04\x10\x30\x0e\x04\x00\x02\x01\x00\x02\x01\x00\x04\x00\x04\x00\x04\x00\x30\x12\x04\x00"
        "\x04\x00\xa0\x0c\x02\x02\x10\x92\x02\x01\x00\x02\x01\x00\x30\x00";
    T_EQ_INT(n, sizeof want - 1);
    T_ASSERT(memcmp(b, want, n) == 0);
    T_EQ_INT(em_v3probe_build(b, 10, 4242), 0);            /* short buffer */
    T_ASSERT(em_v3probe_build(b, sizeof b, 0x7fffffff) > 0);
    T_ASSERT(em_v3probe_build(b, sizeof b, 128) > 0);       /* 0x80 needs a leading 0 byte */
    T_EQ_INT(b[8], 2); T_EQ_INT(b[9], 0); T_EQ_INT(b[10], 0x80);
}

static void parse(void)
{
    uint8_t e[32]; size_t el = 0; long boots = -1, t = -1;
    T_EQ_INT(em_v3probe_parse(report, sizeof report - 1, 4242, e, &el, &boots, &t), 0);
    T_EQ_INT(el, 17); T_EQ_INT(e[0], 0x80); T_EQ_INT(e[4], 0x80);
    T_EQ_INT(boots, 1); T_EQ_INT(t, 0);
    T_EQ_INT(em_v3probe_parse(report, sizeof report - 1, 4243, e, &el, &boots, &t), -1);  /* other msgID */
    for (size_t cut = 0; cut < 60; cut++)                    /* every truncation is refused */
        T_EQ_INT(em_v3probe_parse(report, cut, 4242, e, &el, &boots, &t), -1);
    uint8_t bad[sizeof report];
    memcpy(bad, report, sizeof report);
    bad[4] = 2;                                              /* version 2 */
    T_EQ_INT(em_v3probe_parse(bad, sizeof report - 1, 4242, e, &el, &boots, &t), -1);
    memcpy(bad, report, sizeof report);
    bad[27] = 0x40;                                          /* engine id longer than 32 */
    T_EQ_INT(em_v3probe_parse(bad, sizeof report - 1, 4242, e, &el, &boots, &t), -1);
    memcpy(bad, report, sizeof report);
    bad[1] = 0x84;                                           /* 4-byte length form */
    T_EQ_INT(em_v3probe_parse(bad, sizeof report - 1, 4242, e, &el, &boots, &t), -1);
    /* our own request has an empty engine id: not a usable answer */
    uint8_t req[256];
    size_t n = em_v3probe_build(req, sizeof req, 4242);
    T_EQ_INT(em_v3probe_parse(req, n, 4242, e, &el, &boots, &t), -1);
}

static const struct t_case cases[] = {
    {"v3probe: discovery request bytes (RFC 3414 §4)", build},
    {"v3probe: snmpd Report parsed; truncated/hostile replies refused", parse},
};
T_MAIN(cases)
