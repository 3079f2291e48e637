#!/bin/bash
# snmp_quirks.sh — a real snmpd (in its own network namespace, so its native ARP and
# route tables are empty) serving, through `override`, the CDP, forwarding-table and
# ARP shapes discovery-notes.md (4)/(5) collected from the field:
#   - CDP: an NX-OS device id "host.domain(SERIAL)" with address 0.0.0.0 ("not
#     manageable") and capabilities as words; an IOS neighbour outside the scope;
#   - BRIDGE-MIB dot1dTpFdbTable with the 7-sub-id MAC index (a leading length 6) and
#     dot1dBasePortIfIndex mapping bridge port 5 to ifIndex 7;
#   - no ipNetToPhysicalTable rows, only the deprecated ipNetToMediaTable.
# The crawl must decode each and find the YAMAHA box on the port, with its address.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name: assertion failed: $*"; fi; }
[ "$(id -u)" -eq 0 ] || { echo "skip - snmp quirks: needs root (network namespace)"; exit 0; }
[ -r /usr/share/ieee-data/oui.txt ] || { echo "skip - snmp quirks: ieee-data missing (scripts/deps.sh)"; exit 0; }
T=$(mktemp -d)
chmod 755 "$T"
NS=em13q$$
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; ip netns del "$NS" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM
[ -n "${EM_QUIRKS_KEEP:-}" ] && trap 'cp "$T/d.json" "$T/facts" "$EM_QUIRKS_KEEP"/; cleanup' EXIT
ip netns add "$NS" || { echo "skip - snmp quirks: cannot create a network namespace"; exit 0; }
ip netns exec "$NS" ip link set lo up
COMM=quirk-Ro-$$
C=.1.3.6.1.4.1.9.9.23.1.2.1.1
cat >"$T/snmpd.conf" <<CONF
agentaddress udp:127.0.0.1:161
rocommunity $COMM 127.0.0.1
sysname nexus-sw
dontLogTCPWrappersConnects yes
override .1.3.6.1.2.1.31.1.1.1.1.7 octet_str "Ethernet1/7"
override .1.3.6.1.2.1.31.1.1.1.1.8 octet_str "Ethernet1/8"
override .1.3.6.1.2.1.31.1.1.1.1.9 octet_str "Ethernet1/9"
override $C.3.8.1 integer 1
override $C.4.8.1 octet_str 0x00000000
override $C.6.8.1 octet_str "nx-core.example.jp(FDO12345ABC)"
override $C.7.8.1 octet_str "Ethernet2/1"
override $C.8.8.1 octet_str "N9K-C93180YC-EX"
override $C.9.8.1 octet_str "R S I"
override $C.3.9.3 integer 1
override $C.4.9.3 octet_str 0xc6336409
override $C.5.9.3 octet_str "Cisco IOS Software, ISR Software"
override $C.6.9.3 octet_str "wan-rt"
override $C.7.9.3 octet_str "GigabitEthernet0/0/0"
override $C.8.9.3 octet_str "cisco ISR4331/K9"
override $C.9.9.3 octet_str 0x00000001
override .1.3.6.1.2.1.17.1.4.1.2.5 integer 7
override .1.3.6.1.2.1.17.4.3.1.2.6.0.160.222.1.2.3 integer 5
override .1.3.6.1.2.1.17.4.3.1.3.6.0.160.222.1.2.3 integer 3
override .1.3.6.1.2.1.4.22.1.2.7.10.66.0.50 octet_str 0x00a0de010203
override .1.3.6.1.2.1.4.22.1.4.7.10.66.0.50 integer 3
CONF
mkdir -p "$T/persist"
SNMP_PERSISTENT_DIR=$T/persist MIBS="" MIBDIRS=/nonexistent ip netns exec "$NS" /usr/sbin/snmpd -f -Lf "$T/snmpd.log" \
    -I -smux,mteTrigger,mteTriggerConf -C -c "$T/snmpd.conf" -p "$T/snmpd.pid" &
PID=$!
for i in $(seq 1 40); do
    ip netns exec "$NS" snmpget -v2c -c "$COMM" -t 0.3 -r 0 -On 127.0.0.1 .1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
    sleep 0.25
done
EDGEMAP_SNMP_COMMUNITY=$COMM ip netns exec "$NS" "$EDGEMAP" discover --seed 127.0.0.1 --scope 127.0.0.1/32 \
    --emr-subnet 10.66.0.0/24 --no-progress -o "$T/d.json" 2>"$T/err"
check "discover exits 0" [ $? -eq 0 ]
python3 - "$T/d.json" >"$T/facts" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
x = d["devices"][0]
for c in x["cdp_neighbors"]:
    print("cdp", c["local_port"], c["sys_name"], c["device_port"], c["platform"], ",".join(c["capabilities"]),
          ",".join(a["address"] for a in c["management_addresses"]))
for f in x["fdb"]:
    print("fdb", f["mac"], f["port"], f["bridge_port"], f["status"])
for a in x["arp"]:
    print("arp", a["address"], a["mac"], a["interface"])
for n in d["neighbors_not_queried"]:
    print("nbr", n["source"], n["sys_name"] or n.get("mac"), n["reason"], n.get("maker", ""), n["local_port"],
          ",".join(a["address"] for a in n["addresses"]))
for p in d["paths_out"]:
    print("out", p["chain"])
PY
F=$T/facts
check "NX-OS device id without its serial, 0.0.0.0 dropped, capabilities from words" \
    grep -qxF "cdp Ethernet1/8 nx-core.example.jp Ethernet2/1 N9K-C93180YC-EX bridge,router " "$F"
check "IOS neighbour with its platform and address" \
    grep -qxF "cdp Ethernet1/9 wan-rt GigabitEthernet0/0/0 cisco ISR4331/K9 router 198.51.100.9" "$F"
check "CDP neighbour without an address: seen, not queried (no_address)" \
    grep -qxF "nbr cdp nx-core.example.jp no_address  Ethernet1/8 " "$F"
check "CDP neighbour outside the scope: seen, not queried (out_of_scope)" \
    grep -qxF "nbr cdp wan-rt out_of_scope  Ethernet1/9 198.51.100.9" "$F"
check "7-sub-id MAC index, bridge port 5 mapped to ifIndex 7" \
    grep -qxF "fdb 00:a0:de:01:02:03 Ethernet1/7 5 learned" "$F"
check "ARP from ipNetToMediaTable when ipNetToPhysicalTable is empty" \
    grep -qxF "arp 10.66.0.50 00:a0:de:01:02:03 Ethernet1/7" "$F"
check "the YAMAHA box on Ethernet1/7 with its address" \
    grep -qxF "nbr fdb 00:a0:de:01:02:03 endpoint YAMAHA CORPORATION Ethernet1/7 10.66.0.50" "$F"
check "its path from the EMR segment (its address is in it; the switch is not)" \
    grep -qxF "out 10.66.0.0/24 (EMR) → 00:a0:de:01:02:03 (on nexus-sw [Ethernet1/7])" "$F"
exit 0
