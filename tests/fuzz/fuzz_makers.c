/* fuzz_makers.c — libFuzzer target: the router-makers list (data/router-makers.tsv,
 * read by snmp/oui.c's em_oui_load with the IEEE registry; snmp/oui.c is one of snmp/'s
 * pure files, so no net-snmp). The input up to its first NUL byte is the makers list;
 * what follows a NUL is the registry (oui.txt or oui.csv lines), else a small fixed
 * registry in oui.txt form is used. Both go through memory files
 * (tests/fuzz/fuzz_file.h). The loader never fails on bad text (a bad list flags no
 * maker); lookups of a few MACs and of the input's first bytes must answer a maker
 * that is in the registry, or NULL for unknown, multicast and locally administered
 * addresses, never crash or leak. Seeds: tests/fuzz/corpus/makers/. */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz_file.h"

#include <stdbool.h>

#include "snmp/oui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char registry[] =
    "OUI/MA-L                                                    Organization\r\n"
    "company_id                                                  Organization\r\n"
    "                                                            Address\r\n"
    "\r\n"
    "00-A0-DE   (hex)\t\tYAMAHA CORPORATION\r\n"
    "00A0DE     (base 16)\t\tYAMAHA CORPORATION\r\n"
    "\t\t\t\tNakazawa-cho 10-1\r\n"
    "\r\n"
    "00-09-0F   (hex)\t\tFortinet, Inc.\r\n"
    "00-1E-13   (hex)\t\tCisco Systems, Inc\r\n"
    "00-60-B9   (hex)\t\tNEC Platforms, Ltd\r\n"
    "F0-9F-C2   (hex)\t\tUbiquiti Inc\r\n"
    "3C-22-FB   (hex)\t\tApple, Inc.\r\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t mlen = nul ? (size_t)(nul - data) : size;
    const char *makers = fuzz_path_at(0, data, mlen);
    const char *reg = nul ? fuzz_path_at(1, nul + 1, size - mlen - 1)
                          : fuzz_path_at(1, (const uint8_t *)registry, sizeof registry - 1);
    const char *why = "unset";
    struct em_oui *o = em_oui_load(reg, makers, &why);
    if (!o) abort();                    /* only on allocation failure */
    if (why) abort();                   /* the registry was there */
    static const unsigned char macs[][6] = {
        {0x00, 0xA0, 0xDE, 0x01, 0x02, 0x03}, {0x00, 0x09, 0x0F, 0xAA, 0xBB, 0xCC},
        {0x00, 0x1E, 0x13, 0x00, 0x00, 0x01}, {0x00, 0x60, 0xB9, 0x10, 0x20, 0x30},
        {0xF0, 0x9F, 0xC2, 0x11, 0x22, 0x33}, {0x3C, 0x22, 0xFB, 0x44, 0x55, 0x66},
        {0x01, 0x00, 0x5E, 0x00, 0x00, 0x01}, {0x02, 0xA0, 0xDE, 0x01, 0x02, 0x03},
        {0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    };
    for (size_t i = 0; i < sizeof macs / sizeof macs[0] + 1; i++) {
        unsigned char m[6] = {0};
        if (i < sizeof macs / sizeof macs[0]) memcpy(m, macs[i], 6);
        else memcpy(m, data, size < 6 ? size : 6);
        bool router = true;
        const char *org = em_oui_maker(o, m, &router);
        if (!org && router) abort();
        if (org && (!org[0] || (m[0] & 0x03) || em_oui_count(o) == 0)) abort();
        if (!nul && i >= 6 && i < sizeof macs / sizeof macs[0] && org) abort();
        if (em_oui_maker(o, m, NULL) != org) abort();
    }
    if (!nul && em_oui_count(o) != 6) abort();
    em_oui_free(o);
    return 0;
}
