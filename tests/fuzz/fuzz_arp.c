/* fuzz_arp.c — libFuzzer target: IP-MIB ipNetToPhysicalTable / ipNetToMediaTable
 * (snmp/arp.c) with the addresses and prefixes that make segments. Harness:
 * fuzz_table.h. Seeds: tests/fuzz/corpus/arp/. */
static const char *const PREFIXES[] = {
    "1.3.6.1.2.1.4.35.1.4", "1.3.6.1.2.1.4.35.1.6", "1.3.6.1.2.1.4.22.1.2", "1.3.6.1.2.1.4.22.1.4",
    "1.3.6.1.2.1.4.34.1.3", "1.3.6.1.2.1.4.34.1.5", "1.3.6.1.2.1.4.20.1.3", "1.3.6.1.2.1.2.2.1.6",
};
#include "tests/fuzz/fuzz_table.h"
