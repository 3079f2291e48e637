/* fuzz_cdp.c — libFuzzer target: CISCO-CDP-MIB cdpCacheTable (snmp/cdp.c) with the
 * interface names it joins to, then links and neighbours. Harness: fuzz_table.h.
 * Seeds: tests/fuzz/corpus/cdp/. */
static const char *const PREFIXES[] = {
    "1.3.6.1.4.1.9.9.23.1.2.1.1.3", "1.3.6.1.4.1.9.9.23.1.2.1.1.4", "1.3.6.1.4.1.9.9.23.1.2.1.1.5",
    "1.3.6.1.4.1.9.9.23.1.2.1.1.6", "1.3.6.1.4.1.9.9.23.1.2.1.1.7", "1.3.6.1.4.1.9.9.23.1.2.1.1.8",
    "1.3.6.1.4.1.9.9.23.1.2.1.1.9", "1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.1",
};
#include "tests/fuzz/fuzz_table.h"
