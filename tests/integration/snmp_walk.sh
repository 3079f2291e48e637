#!/bin/bash
# snmp_walk.sh — `discover --from-walk` on the dumps recorded with snmpbulkwalk -On from
# the test agents (samples/walks/; edge-sw's is LLDP-V2-MIB only): golden check of the
# key facts, and clear errors
# for dumps in another format.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "assertion failed: $*"; fi; }

"$EDGEMAP" discover --from-walk "$ROOT/samples/walks" -o "$T/w.json" 2>"$T/err"
check "from-walk exits 0" [ $? -eq 0 ]
python3 - "$T/w.json" >"$T/facts" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("schema", d["schema"], d["mode"])
ids = {x["id"]: x["sys_name"] for x in d["devices"]}
ids.update({n["id"]: n["sys_name"] for n in d["neighbors_not_queried"]})
for x in d["devices"]:
    print("dev", x["sys_name"], x["chassis_id"], x["chassis_id_subtype"], x["sys_object_id"], x["sys_location"])
    for a in x["addresses"]: print("addr", x["sys_name"], a["address"], a["global"])
    for a in x["default_next_hops"]: print("nh", x["sys_name"], a["address"])
    print("ifs", x["sys_name"], len(x["interfaces"]) > 0, any(i["oper_status"] == "up" for i in x["interfaces"]))
for l in d["links"]:
    a = (ids[l["local"]["device"]], l["local"]["port"]); b = (ids[l["remote"]["device"]], l["remote"]["port"])
    a, b = sorted([a, b])
    print("link", "%s:%s" % a, "%s:%s" % b, l["evidence"])
for n in d["neighbors_not_queried"]:
    print("nbr", n["sys_name"], n["reason"], ",".join(a["address"] for a in n["addresses"]))
print("errors", len(d["errors"]))
PY
cat >"$T/golden" <<'G'
schema edgemap-discovery/1 walk
dev core-sw 02:00:00:00:00:11 macAddress .1.3.6.1.4.1.8072.3.2.10 Main building 1F server room
dev dist-a 02:00:00:00:00:12 macAddress .1.3.6.1.4.1.8072.3.2.10 Ward building 2F
dev dist-b 02:00:00:00:00:13 macAddress .1.3.6.1.4.1.8072.3.2.10 Ward building 3F
dev edge-sw 02:00:00:00:00:14 macAddress .1.3.6.1.4.1.8072.3.2.10 Ward building 3F closet
link core-sw:ge1/0/1 dist-a:ge0/49 both
link core-sw:ge1/0/2 dist-b:ge0/49 both
link dist-a:ge0/50 dist-b:ge0/50 both
link dist-a:ge0/1 edge-sw:ge0/24 both
link dist-b:ge0/2 edge-sw:ge0/23 both
link core-sw:ge1/0/3 isp-rtr:wan0 one
link core-sw:ge1/0/4 ward-ap-3:eth0 one
link dist-b:ge0/3 xray-printer:port1 one
link core-sw:ge1/0/5 localhost:eth1 one
nbr isp-rtr no_walk 127.0.0.20
nbr ward-ap-3 no_address 
nbr localhost no_address 
nbr xray-printer no_walk 127.0.0.9
addr core-sw 127.0.0.1 False
addr core-sw ::1 False
addr core-sw 192.0.2.2 True
ifs core-sw True True
nh core-sw 192.0.2.1
errors 0
G
missing=$(grep -vxF -f "$T/facts" "$T/golden")
check "golden facts of the recorded walks" [ -z "$missing" ]
[ -n "$missing" ] && { echo "missing:"; echo "$missing"; cat "$T/facts"; }
check "exactly 4 devices and 9 links" [ "$(grep -c '^dev ' "$T/facts")/$(grep -c '^link ' "$T/facts")" = 4/9 ]
check "edge-sw's dump has LLDP-V2-MIB only and still links both ways" bash -c "grep -q '^.1.3.111.2.802.1.1.13.1.4.1.1' '$ROOT/samples/walks/edge-sw.walk' && ! grep -q '^.1.0.8802.1.1.2.1.4.1.1' '$ROOT/samples/walks/edge-sw.walk' && grep -qxF 'link dist-b:ge0/2 edge-sw:ge0/23 both' '$T/facts'"

# output without -On: clear error naming file and line, exit 2, output untouched
mkdir "$T/bad"
printf '.1.3.6.1.2.1.1.5.0 = STRING: "ok"\nSNMPv2-MIB::sysName.0 = STRING: core-sw\n' >"$T/bad/sw1.txt"
echo keep >"$T/keep.json"
"$EDGEMAP" discover --lang en --from-walk "$T/bad" -o "$T/keep.json" 2>"$T/bad.err"
check "non -On dump is exit 2" [ $? -eq 2 ]
check "error names file and line 2" grep -q "sw1.txt.*row 2" "$T/bad.err"
check "error says to use -On" grep -q -- "-On" "$T/bad.err"
check "existing output untouched" grep -qx keep "$T/keep.json"

# unterminated multi-line string
mkdir "$T/bad2"
printf '.1.3.6.1.2.1.1.1.0 = STRING: "two\nlines never closed\n' >"$T/bad2/sw.walk"
"$EDGEMAP" discover --lang en --from-walk "$T/bad2" -o "$T/x.json" 2>"$T/bad2.err"
check "unterminated string is exit 2 with a message" [ $? -eq 2 ]
check "unterminated string message" grep -q "not closed" "$T/bad2.err"

# empty directory
mkdir "$T/empty"
"$EDGEMAP" discover --from-walk "$T/empty" -o "$T/x.json" 2>/dev/null
check "empty walk directory is exit 2" [ $? -eq 2 ]
check "nothing written on errors" [ ! -e "$T/x.json" ]
# usage errors: exit 2 with a message, nothing sent, nothing written
u() { "$EDGEMAP" discover --lang en "$@" >/dev/null 2>"$T/u.err"; }
u --from-walk "$ROOT/samples/walks"; check "missing -o is exit 2" [ $? -eq 2 ]
u --from-walk "$ROOT/samples/walks" --seed 10.0.0.1 -o "$T/u.json"; check "--from-walk with --seed is exit 2" [ $? -eq 2 ]
u --seed 10.0.0.1 --scope 10.0.0.1/8 -o "$T/u.json"; check "--scope with host bits is exit 2" [ $? -eq 2 ]
check "bad --scope message names it" grep -q '10.0.0.1/8' "$T/u.err"
env -u EDGEMAP_SNMP_COMMUNITY "$EDGEMAP" discover --lang en --seed 10.0.0.1 --scope 10.0.0.0/8 -o "$T/u.json" 2>"$T/u.err"
check "no credentials is exit 2" [ $? -eq 2 ]
check "no-credentials message says how" grep -q 'EDGEMAP_SNMP_COMMUNITY' "$T/u.err"
u --seed 10.0.0.1 -o "$T/u.json"; check "no --scope is exit 2" [ $? -eq 2 ]
u --from-walk "$ROOT/samples/walks" --timeout 5 -o "$T/u.json"; check "out-of-range --timeout is exit 2" [ $? -eq 2 ]
u --auth-pass x --seed 10.0.0.1 --scope 10.0.0.0/8 -o "$T/u.json"; check "--auth-pass on argv refused" [ $? -eq 2 ]
check "usage errors wrote nothing" [ ! -e "$T/u.json" ]
exit 0
