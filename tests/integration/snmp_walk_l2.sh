#!/bin/bash
# snmp_walk_l2.sh — `discover --from-walk` on the dumps recorded from the namespace lab
# (tests/integration/snmp_lab/walks/, recorded with EM_RECORD_WALKS by snmp_lab.sh):
# CDP cache, forwarding table and ARP read from dumps give the same answer as the live
# agents — the LTE router on dept-sw's port, its maker, the chain out of the EMR segment.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
W=$ROOT/tests/integration/snmp_lab/walks
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name: assertion failed: $*"; fi; }
[ -r /usr/share/ieee-data/oui.txt ] || { echo "skip - walk l2: ieee-data missing (scripts/deps.sh)"; exit 0; }

"$EDGEMAP" discover --from-walk "$W" --emr-subnet 10.77.0.0/24 -o "$T/d.json" 2>"$T/err"
check "from-walk on the lab dumps exits 0" [ $? -eq 0 ]
python3 - "$T/d.json" >"$T/facts" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
name = {x["id"]: x["sys_name"] for x in d["devices"]}
for x in d["devices"]:
    print("dev", x["sys_name"], len(x["lldp_neighbors"]), len(x["cdp_neighbors"]), len(x["fdb"]) > 0, len(x["arp"]) > 0)
for n in d["neighbors_not_queried"]:
    print("nbr", n["source"], n.get("mac", n["sys_name"]), n.get("maker", ""), name.get(n["seen_by"], "?"), n["local_port"],
          ",".join(a["address"] for a in n["addresses"]), n["confidence"])
for p in d["paths_out"]:
    print("out", p["chain"], p["global"])
PY
F=$T/facts
check "two devices: the router (ARP) and the switch (FDB, CDP), no LLDP" \
    bash -c "grep -qx 'dev core-rt 0 0 False True' '$F' && grep -qx 'dev dept-sw 0 1 True True' '$F'"
check "LTE router: FDB port, maker, ARP address" \
    grep -qx "nbr fdb 00:a0:de:77:00:50 YAMAHA CORPORATION dept-sw sw-lte 10.77.0.50 inferred" "$F"
check "cisco box from the CDP cache" grep -qx "nbr cdp cisco-box  dept-sw sw-cis 10.77.0.70 high" "$F"
check "chain out of the EMR segment" grep -qxF "out 10.77.0.0/24 (EMR) → dept-sw [sw-lte] → 00:a0:de:77:00:50 False" "$F"
"$EDGEMAP" discover --from-walk "$W" --emr-subnet 10.77.0.1/24 -o "$T/x.json" 2>"$T/err2"
check "--emr-subnet with host bits is exit 2" [ $? -eq 2 ]
exit 0
