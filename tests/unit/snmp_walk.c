/* snmp_walk.c — the walk-dump reader: every value type snmpwalk -On prints, wrapped
 * Hex-STRINGs, multi-line strings, end-of-walk notices, and errors with line numbers. */
#include "tests/unit/t.h"

#include "mapper/lang.h"
#include "snmp/dev.h"

static int parse(const char *s, struct em_vblist *l, struct em_err *e)
{
    em_err_clear(e);
    return em_walk_parse(s, strlen(s), "sw.walk", l, e);
}

static void all_types(void)
{
    const char *dump =
        ".1.3.6.1.2.1.1.5.0 = STRING: \"core-sw\"\r\n"
        ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.9.1.1208\n"
        ".1.3.6.1.2.1.1.3.0 = Timeticks: (2345) 0:00:23.45\n"
        ".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: up(1)\n"
        ".1.3.6.1.2.1.2.2.1.7.1 = INTEGER: -3\n"
        ".1.3.6.1.2.1.2.2.1.10.1 = Counter32: 123456\n"
        ".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 1000000000\n"
        ".1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 18446744073709551615\n"
        ".1.3.6.1.2.1.4.20.1.3.10.0.0.1 = IpAddress: 255.255.255.0\n"
        ".1.3.6.1.2.1.2.2.1.6.1 = Hex-STRING: 00 1A 2B 3C 4D 5E \n"
        ".1.3.6.1.2.1.1.1.0 = STRING: \"line one\n"
        "line \\\"two\\\"\"\n"
        ".1.0.8802.1.1.2.1.4.1.1.10.0.1.1 = Hex-STRING: 41 42 43 44 45 46 47 48 49 4A 4B 4C 4D 4E 4F 50 \n"
        "51 52 \n"
        ".1.3.6.1.2.1.1.4.0 = \"\"\n"
        ".1.3.6.1.2.1.1.9.0 = NULL\n"
        ".1.0.8802.1.1.2.1.4.1.1.12.0.1.1 = BITS: 28 00 bridge(2) router(4) \n"
        "\n"
        ".1.3.6.1.2.1.1.99 = No more variables left in this MIB View (It is past the end of the MIB tree)\n";
    struct em_vblist l = {0};
    struct em_err e;
    if (parse(dump, &l, &e) != 0) T_FAIL("line %ld: %s", e.row, e.msg);
    T_EQ_INT(l.n, 15);
    T_EQ_STR((const char *)l.v[0].val, "core-sw");
    T_EQ_INT(l.v[1].type, EM_VB_OID); T_EQ_STR((const char *)l.v[1].val, ".1.3.6.1.4.1.9.1.1208");
    T_EQ_INT(l.v[2].type, EM_VB_UINT); T_EQ_INT(l.v[2].num, 2345);
    T_EQ_INT(l.v[3].type, EM_VB_INT); T_EQ_INT(l.v[3].num, 1);
    T_EQ_INT(l.v[4].num, -3);
    T_EQ_INT(l.v[5].num, 123456);
    T_EQ_INT(l.v[6].num, 1000000000);
    T_EQ_INT((uint64_t)l.v[7].num, 18446744073709551615ULL);
    T_EQ_INT(l.v[8].type, EM_VB_IPADDR); T_EQ_INT(l.v[8].val_len, 4); T_EQ_INT(l.v[8].val[2], 255);
    T_EQ_INT(l.v[9].val_len, 6); T_EQ_INT(l.v[9].val[1], 0x1a);
    T_EQ_STR((const char *)l.v[10].val, "line one\nline \"two\"");
    T_EQ_INT(l.v[11].val_len, 18); T_EQ_INT(l.v[11].val[17], 'R');
    T_EQ_INT(l.v[12].val_len, 0);
    T_EQ_INT(l.v[13].type, EM_VB_NULL);
    T_EQ_INT(l.v[14].val_len, 2); T_EQ_INT(l.v[14].val[0], 0x28);
    em_vblist_free(&l);
}

static void errors(void)
{
    struct em_vblist l = {0};
    struct em_err e;
    em_lang_set(EM_LANG_EN);
    T_EQ_INT(parse(".1.3.6.1.2.1.1.5.0 = STRING: \"a\"\nSNMPv2-MIB::sysName.0 = STRING: b\n", &l, &e), EM_ERR_FORMAT);
    T_EQ_INT(e.row, 2);
    T_EQ_STR(e.file, "sw.walk");
    T_ASSERT(strstr(e.msg, "-On") != NULL);
    em_vblist_free(&l);
    T_EQ_INT(parse("iso.3.6.1.2.1.1.5.0 = STRING: \"a\"\n", &l, &e), EM_ERR_FORMAT);
    T_EQ_INT(e.row, 1);
    em_vblist_free(&l);
    T_EQ_INT(parse(".1.3.6.1.2.1.1.5.0 = STRING: \"never closed\nmore\n", &l, &e), EM_ERR_FORMAT);
    T_EQ_INT(e.row, 1);
    em_vblist_free(&l);
    T_EQ_INT(parse(".1.3.6.1.2.1.1.5.0 = Bogus: 1\n", &l, &e), EM_ERR_FORMAT);
    em_vblist_free(&l);
    T_EQ_INT(parse(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: up\n", &l, &e), EM_ERR_FORMAT);
    em_vblist_free(&l);
    T_EQ_INT(parse(".1.3.6.1.2.1.4.20.1.3.1 = IpAddress: 300.1.1.1\n", &l, &e), EM_ERR_FORMAT);
    em_vblist_free(&l);
    T_EQ_INT(parse(".1.3.6.1.2.1.1.2.0 = OID: SNMPv2-SMI::enterprises.9\n", &l, &e), EM_ERR_FORMAT);
    em_vblist_free(&l);
    T_EQ_INT(parse(".1.3.6.1.99999999999.1 = INTEGER: 1\n", &l, &e), EM_ERR_FORMAT);
    em_vblist_free(&l);
    /* an OID of 215 parts (short and long numbers): said as too many parts, with the cap */
    static char big[215 * 11 + 64];
    for (int pass = 0; pass < 2; pass++) {
        size_t o = 0;
        for (int k = 0; k < 215; k++)
            o += (size_t)snprintf(big + o, sizeof big - o, ".%s", pass ? "4294967295" : "1");
        snprintf(big + o, sizeof big - o, " = INTEGER: 1\n");
        T_EQ_INT(parse(big, &l, &e), EM_ERR_LIMIT);
        T_EQ_INT(e.row, 1);
        if (!strstr(e.msg, "the OID has too many parts (215, limit 128)")) T_FAIL("pass %d: %s", pass, e.msg);
        em_vblist_free(&l);
    }
    em_lang_set(EM_LANG_JA);
}

static void filter_and_opaque(void)
{
    const char *dump =
        ".1.3.6.1.4.1.2021.10.1.6.1 = Opaque: Float: 0.150000\n"      /* not kept */
        ".1.3.6.1.2.1.25.1.1.0 = Timeticks: (1) 0:00:00.01\n"          /* not kept */
        ".1.3.6.1.2.1.1.5.0 = STRING: \"kept\"\n"
        ".1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1 = INTEGER: 2\n";
    struct em_vblist l = {0};
    struct em_err e;
    T_EQ_INT(parse(dump, &l, &e), 0);
    T_EQ_INT(l.n, 2);
    T_EQ_STR((const char *)l.v[0].val, "kept");
    T_ASSERT(!l.full);
    em_vblist_free(&l);
}

static void oversized(void)
{
    static char big[EM_VB_VALUE_MAX * 3];
    strcpy(big, ".1.3.6.1.2.1.1.1.0 = STRING: \"");
    size_t n = strlen(big);
    memset(big + n, 'x', EM_VB_VALUE_MAX * 2);
    big[n + EM_VB_VALUE_MAX * 2] = '"';
    big[n + EM_VB_VALUE_MAX * 2 + 1] = '\0';
    struct em_vblist l = {0};
    struct em_err e;
    T_EQ_INT(parse(big, &l, &e), 0);
    T_EQ_INT(l.n, 1);
    T_EQ_INT(l.v[0].val_len, EM_VB_VALUE_MAX);
    em_vblist_free(&l);
}

static void oid_helpers(void)
{
    uint32_t o[EM_OID_MAX];
    T_EQ_INT(em_oid_parse(".1.3.6.1", o, EM_OID_MAX), 4);
    T_EQ_INT(em_oid_parse("1.3", o, EM_OID_MAX), 2);
    T_EQ_INT(em_oid_parse("1..3", o, EM_OID_MAX), -1);
    T_EQ_INT(em_oid_parse("1.3.", o, EM_OID_MAX), -1);
    T_EQ_INT(em_oid_parse("", o, EM_OID_MAX), -1);
    T_EQ_INT(em_oid_parse("1.3", o, 1), -1);
    uint32_t a[] = {1, 3, 6}, b[] = {1, 3, 6, 1}, c[] = {1, 4};
    T_EQ_INT(em_oid_cmp(a, 3, b, 4), -1);
    T_EQ_INT(em_oid_cmp(c, 2, b, 4), 1);
    T_EQ_INT(em_oid_cmp(a, 3, a, 3), 0);
    T_ASSERT(em_oid_has_prefix(b, 4, a, 3));
    T_ASSERT(!em_oid_has_prefix(a, 3, b, 4));
}

static const struct t_case cases[] = {
    {"walk: every value type, wrapped Hex-STRING, multi-line STRING, notices", all_types},
    {"walk: errors name the line (non -On, unclosed string, bad types)", errors},
    {"walk: oversized value is cut to the cap", oversized},
    {"walk: only discovery's subtrees kept; Opaque Float accepted", filter_and_opaque},
    {"walk: OID parse/compare helpers", oid_helpers},
};
T_MAIN(cases)
