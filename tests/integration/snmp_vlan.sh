#!/bin/bash
# snmp_vlan.sh — Cisco per-VLAN forwarding tables. A fake Catalyst (snmp_fakeagent.py
# walk mode: sysObjectID under 1.3.6.1.4.1.9, vtpVlanState VLANs 1, 20, 30 suspended,
# 1002-1005) answers BRIDGE-MIB for VLAN 1 with the plain community and for VLAN 20 with
# community@20; a vendor's LTE router (a YAMAHA MAC) sits alone on Gi1/0/7 in VLAN 20,
# with LLDP and CDP off. It must be found, with its VLAN, by the live crawl and by
# --from-walk on the same dumps; reserved and suspended VLANs are never asked for; a
# non-Cisco agent gets no per-VLAN request; --max-vlans caps and says so.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
W=$ROOT/tests/integration/snmp_vlan/walks
T=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT INT TERM
check() { local name=$1; shift; if "$@"; then echo "ok - $name"; else echo "not ok - $name: assertion failed: $*"; fi; }
[ -r /usr/share/ieee-data/oui.txt ] || { echo "skip - snmp vlan: ieee-data missing (scripts/deps.sh)"; exit 0; }
command -v python3 >/dev/null || { echo "skip - snmp vlan: python3 missing"; exit 0; }
. "$ROOT/tests/integration/snmp_fixture.bash"   # for fx_pick_port only
PORT=${SNMP_VLAN_PORT:-$(fx_pick_port 127.0.0.71 127.0.0.72 127.0.0.73 127.0.0.74)}
COMM=vlan-Comm-7q

# agent ADDR WALKFILE NAME: a fake agent serving WALKFILE (and its @VLAN siblings)
agent() {
    python3 "$ROOT/tests/integration/snmp_fakeagent.py" "$1" "$PORT" walk "$COMM" "$T/ready.$3" "$2" "$T/log.$3" 2>>"$T/agents.err" &
    PIDS+=($!)
}
mkdir -p "$T/many"
cp "$W/dept-cat@20.walk" "$T/many/cat@20.walk"
# the same switch listing VLANs 20-25: only VLAN 20 answers
{ cat "$W/dept-cat.walk"; for v in 21 22 23 24 25; do echo ".1.3.6.1.4.1.9.9.46.1.3.1.1.2.1.$v = INTEGER: operational(1)"; done; } >"$T/many/cat.walk"
agent 127.0.0.71 "$W/dept-cat.walk" cat
agent 127.0.0.72 "$ROOT/tests/integration/snmp_lab/walks/dept-sw.walk" linux
agent 127.0.0.73 "$T/many/cat.walk" many
# a Cisco switch answering Q-BRIDGE-MIB (every VLAN in one table): no per-VLAN reads
mkdir -p "$T/q"
cp "$W/dept-cat@20.walk" "$T/q/cq@20.walk"
{ cat "$W/dept-cat.walk"; echo ".1.3.6.1.2.1.17.7.1.2.2.1.2.20.0.160.222.120.0.80 = INTEGER: 7"; } >"$T/q/cq.walk"
agent 127.0.0.74 "$T/q/cq.walk" q
for _ in $(seq 1 100); do [ "$(ls "$T"/ready.* 2>/dev/null | wc -l)" -eq 4 ] && break; sleep 0.1; done
check "4 fake agents listening" [ "$(ls "$T"/ready.* 2>/dev/null | wc -l)" -eq 4 ]

facts() {   # DISC.json -> one line per fact
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
name = {x["id"]: x["sys_name"] for x in d["devices"]}
for x in d["devices"]:
    print("vlans", x["sys_name"], ",".join(str(v) for v in x.get("fdb_vlans", [])))
    for f in x["fdb"]:
        print("fdb", x["sys_name"], f["mac"], f["port"], f.get("vlan", 0))
for n in d["neighbors_not_queried"]:
    print("nbr", n["source"], n.get("mac", ""), n.get("maker", ""), name.get(n["seen_by"], "?"), n["local_port"],
          n.get("vlan", 0), ",".join(a["address"] for a in n["addresses"]), n["confidence"])
for e in d["errors"]:
    print("err", e["address"], e["kind"], e["message"])
for t in d["timings"]["agents"]:
    print("time", t["address"], t["status"], t["requests"])
PY
}

EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --lang en --scope 127.0.0.71/32 --scope 127.0.0.72/32 \
    --seed 127.0.0.71 --seed 127.0.0.72 --port "$PORT" --timeout 500 --retries 1 --no-progress -o "$T/d.json" 2>"$T/err"
check "crawl of a Catalyst and a Linux switch exits 0" [ $? -eq 0 ]
facts "$T/d.json" >"$T/f" 2>&1
F=$T/f
check "LTE router found in VLAN 20: port, maker, ARP address, inferred" \
    grep -qx "nbr fdb 00:a0:de:78:00:50 YAMAHA CORPORATION dept-cat Gi1/0/7 20 10.78.0.50 inferred" "$F"
check "VLAN 1's endpoint keeps VLAN 1" grep -qx "nbr fdb 00:50:56:78:00:21 VMware, Inc. dept-cat Gi1/0/5 1 10.78.0.21 inferred" "$F"
check "7-byte MAC index (leading length 6) decoded in the VLAN 20 table" grep -qx "fdb dept-cat 00:50:56:78:00:08 Gi1/0/8 20" "$F"
check "trunk port learning MACs of both VLANs is no endpoint" bash -c "! grep -q '^nbr .* Gi1/0/48 ' '$F'"
check "the VLANs read are listed on the device" grep -qx "vlans dept-cat 1,20" "$F"
check "Catalyst asked with the plain community and community@20 only" \
    bash -c "sort -u '$T/log.cat' | tr '\n' ' ' | grep -qx '$COMM $COMM@20 '"
check "reserved VLANs 1002-1005 and suspended VLAN 30 never queried" bash -c "! grep -qE '@(100[2-5]|30|1)\$' '$T/log.cat'"
check "non-Cisco agent: no per-VLAN request" bash -c "sort -u '$T/log.linux' | tr '\n' ' ' | grep -qx '$COMM '"
check "no agent errors" bash -c "! grep -q '^err ' '$F'"
check "Catalyst: one more request than its plain walk (the VLAN 20 table)" grep -qx "time 127.0.0.71 ok 3" "$F"
grep -q "00:a0:de:78:00:50" "$F" || cat "$F" "$T/err" "$T/agents.err"

# the survey declares one line elsewhere: the LTE router is undocumented
cat >"$T/survey.csv" <<'CSV'
回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,装置①_装置の種類,装置①_ホスト名,装置①_管理IPアドレス,装置①_メーカー,装置①_機種名
1,インターネット,あり,固定IP,203.0.113.10,なし,ルーター,rt01,192.168.1.1,YAMAHA,RTX830
CSV
"$EDGEMAP" check --lang en "$T/survey.csv" --discovered "$T/d.json" >"$T/check.out" 2>&1
check "check --discovered: H-UNDOCUMENTED-PATH names switch, port, VLAN, maker and MAC" \
    grep -q "switch dept-cat port Gi1/0/7 (VLAN 20) has a device made by YAMAHA CORPORATION.*(MAC 00:a0:de:78:00:50, 10.78.0.50)" "$T/check.out"
"$EDGEMAP" check --lang ja "$T/survey.csv" --discovered "$T/d.json" >"$T/check.ja" 2>&1
check "the Japanese finding carries the VLAN too" grep -q "スイッチ dept-cat のポート Gi1/0/7 (VLAN 20) に" "$T/check.ja"

# offline: the same dumps through --from-walk give the same endpoints
"$EDGEMAP" discover --lang en --from-walk "$W" --emr-subnet 10.78.0.0/24 -o "$T/w.json" 2>"$T/werr"
check "--from-walk on the per-VLAN dumps exits 0" [ $? -eq 0 ]
facts "$T/w.json" >"$T/fw" 2>&1
check "--from-walk: the same endpoints and VLANs as the live crawl" \
    bash -c "diff <(grep -E '^(nbr|fdb|vlans) .*dept-cat' '$F' | sort) <(grep -E '^(nbr|fdb|vlans) ' '$T/fw' | sort)"
check "--from-walk: the path out of the EMR segment names the port's VLAN" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if [p["chain"] for p in d["paths_out"]]==["10.78.0.0/24 (EMR) → dept-cat [Gi1/0/7, VLAN 20] → 00:a0:de:78:00:50"] and any(l.get("vlan")==20 and l["local"]["port"]=="Gi1/0/7" for l in d["links"]) else 1)' "$T/w.json"
mkdir -p "$T/orphan"; cp "$W/dept-cat@20.walk" "$T/orphan/gone@20.walk"; cp "$W/dept-cat.walk" "$T/orphan/"
"$EDGEMAP" discover --lang en --from-walk "$T/orphan" -o "$T/o.json" 2>/dev/null
check "--from-walk: a per-VLAN dump without its plain dump is reported, not guessed" \
    bash -c "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if [e[\"address\"] for e in d[\"errors\"] if e[\"kind\"]==\"vlan_walk_orphan\"]==[\"gone@20.walk\"] else 1)' '$T/o.json'"

# without per-VLAN reads the LTE router stays hidden (the gap this closes)
: >"$T/log.cat"
EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --lang en --scope 127.0.0.71/32 --seed 127.0.0.71 --port "$PORT" \
    --timeout 500 --max-vlans 0 --no-progress -o "$T/n.json" 2>/dev/null
facts "$T/n.json" >"$T/fn" 2>&1
check "--max-vlans 0: no per-VLAN request" bash -c "! grep -q '@' '$T/log.cat'"
check "--max-vlans 0: the router is only an ARP sighting, its switch port unknown" \
    bash -c "! grep -q '^nbr fdb 00:a0:de:78:00:50' '$T/fn' && grep -q '^nbr arp 00:a0:de:78:00:50 YAMAHA CORPORATION dept-cat Vl1 0 ' '$T/fn'"

# six operational VLANs besides 1, only VLAN 20 answers; --max-vlans 4 caps the list
EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --lang en --scope 127.0.0.73/32 --seed 127.0.0.73 --port "$PORT" \
    --timeout 200 --retries 0 --max-vlans 4 --no-progress -o "$T/m.json" 2>/dev/null
check "capped crawl exits 0" [ $? -eq 0 ]
facts "$T/m.json" >"$T/fm" 2>&1
check "cap reported: 7 operational VLANs, 5 read" grep -q "^err 127.0.0.73 vlan_cap 7 operational VLANs: the forwarding tables of the first 5 were read" "$T/fm"
check "unanswered VLANs reported, then the rest given up after two misses" \
    bash -c "grep -q '^err 127.0.0.73 vlan_unread VLAN 21: no answer with community@21' '$T/fm' && grep -q '^err 127.0.0.73 vlan_unread VLAN 22: ' '$T/fm' && grep -q '^err 127.0.0.73 vlan_unread 1 more VLANs not read' '$T/fm'"
check "VLANs past the cap and after the misses never asked" \
    bash -c "sort -u '$T/log.many' | tr '\n' ' ' | grep -qx '$COMM $COMM@20 $COMM@21 $COMM@22 '"
check "what VLAN 20 gave is kept" grep -q "^nbr fdb 00:a0:de:78:00:50 .* 20 " "$T/fm"
check "device marked partial" grep -q "^time 127.0.0.73 partial " "$T/fm"

EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --lang en --scope 127.0.0.74/32 --seed 127.0.0.74 --port "$PORT" \
    --timeout 500 --no-progress -o "$T/q.json" 2>/dev/null
check "Cisco with Q-BRIDGE rows: no per-VLAN request" bash -c "sort -u '$T/log.q' | tr '\n' ' ' | grep -qx '$COMM '"

# SNMPv3: the VLAN is the context (vlan-20), the plain walk the empty context
printf '[default]\nversion = 3\nuser = ro-vlan\nlevel = noAuthNoPriv\n' >"$T/v3.conf"
chmod 600 "$T/v3.conf"
: >"$T/log.cat"; : >"$T/log.many"
"$EDGEMAP" discover --lang en --snmp-config "$T/v3.conf" --scope 127.0.0.71/32 --seed 127.0.0.71 --port "$PORT" \
    --timeout 500 --no-progress -o "$T/v3.json" 2>/dev/null
check "v3 crawl exits 0" [ $? -eq 0 ]
facts "$T/v3.json" >"$T/f3" 2>&1
check "v3: LTE router found in VLAN 20 through context vlan-20" \
    grep -qx "nbr fdb 00:a0:de:78:00:50 YAMAHA CORPORATION dept-cat Gi1/0/7 20 10.78.0.50 inferred" "$T/f3"
check "v3: contexts asked are the empty one and vlan-20 only" bash -c "sort -u '$T/log.cat' | tr '\n' ' ' | grep -qx 'ctx: ctx:vlan-20 '"
"$EDGEMAP" discover --lang en --snmp-config "$T/v3.conf" --scope 127.0.0.73/32 --seed 127.0.0.73 --port "$PORT" \
    --timeout 500 --max-vlans 3 --no-progress -o "$T/v3m.json" 2>/dev/null
facts "$T/v3m.json" >"$T/f3m" 2>&1
check "v3: an unknown context's report ends that VLAN only, named in errors" \
    bash -c "grep -q '^err 127.0.0.73 vlan_unread VLAN 21: refused (SNMPv3 report: unknown context?) with SNMPv3 context vlan-21' '$T/f3m' && grep -q '^nbr fdb 00:a0:de:78:00:50 .* 20 ' '$T/f3m'"
exit 0
