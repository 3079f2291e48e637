/* fuzz_route.c — libFuzzer target: default and static routes (snmp/route.c:
 * inetCidrRouteTable, ipCidrRouteTable, ipRouteNextHop), interface types (WAN
 * signals) and addresses, then paths out of the EMR segment. Harness: fuzz_table.h.
 * Seeds: tests/fuzz/corpus/route/. */
static const char *const PREFIXES[] = {
    "1.3.6.1.2.1.4.24.7.1.7", "1.3.6.1.2.1.4.24.7.1.9", "1.3.6.1.2.1.4.24.4.1.4", "1.3.6.1.2.1.4.24.4.1.7",
    "1.3.6.1.2.1.4.21.1.7", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.8", "1.3.6.1.2.1.4.34.1.3",
    "1.3.6.1.2.1.4.34.1.5",
};
#include "tests/fuzz/fuzz_table.h"
