/* fuzz_fdb.c — libFuzzer target: BRIDGE-MIB / Q-BRIDGE-MIB forwarding tables and the
 * bridge-port map (snmp/fdb.c), interface MACs and ARP, then the inference of links
 * and endpoints (snmp/infer.c) and segments; Cisco VLAN lists and per-VLAN reads
 * (snmp/vlan.c). Harness: fuzz_table.h.
 * Seeds: tests/fuzz/corpus/fdb/. */
static const char *const PREFIXES[] = {
    "1.3.6.1.2.1.17.1.4.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.3",
    "1.3.6.1.2.1.17.4.3.1.2", "1.3.6.1.2.1.17.4.3.1.3", "1.3.6.1.2.1.2.2.1.6",
    "1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.4.35.1.4", "1.3.6.1.2.1.1",
    "1.3.6.1.4.1.9.9.46.1.3.1.1.2",   /* vtpVlanState (Cisco per-VLAN tables) */
};
#include "tests/fuzz/fuzz_table.h"
