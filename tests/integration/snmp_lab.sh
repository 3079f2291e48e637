#!/bin/bash
# snmp_lab.sh — discovery where LLDP is off: network namespaces joined by a Linux bridge
# (the department switch), real snmpd agents, real frames.
#
#   core-rt (10.77.0.1, snmpd: real ARP and routes) ─┐
#   lte-rt  (10.77.0.50, MAC 00:a0:de:… = YAMAHA,     ├─ br0 in dept-sw (10.77.0.11,
#            default route out through wwan0)          │   snmpd: real IF-MIB, the kernel FDB
#   pc      (10.77.0.60, locally administered MAC)     │   via `pass` as Q-BRIDGE-MIB, CDP
#   cisco   (10.77.0.70, Cisco OUI, lldpd -cc sends    │   cache from lldpd -c via `pass`
#            CDP frames; no SNMP)                     ─┘   as CISCO-CDP-MIB)
#
# The crawler runs inside core-rt (no packet leaves the lab). It must find the LTE
# router by FDB + ARP + OUI with no LLDP anywhere, report it with switch, port, MAC,
# maker and the chain from the EMR segment, and the switch's CDP view of the cisco box
# must agree with its forwarding table. EM_RECORD_WALKS=DIR records the agents' walks.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
LAB=$ROOT/tests/integration/snmp_lab
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "assertion failed: $*"; fi; }

[ "$(id -u)" -eq 0 ] || { echo "skip - snmp lab: needs root (network namespaces)"; exit 0; }
for c in ip bridge snmpd lldpd lldpcli python3 snmpbulkwalk; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || { echo "skip - snmp lab: $c missing (scripts/deps.sh)"; exit 0; }
done
[ -r /usr/share/ieee-data/oui.txt ] || { echo "skip - snmp lab: ieee-data missing (scripts/deps.sh)"; exit 0; }

T=$(mktemp -d)
chmod 755 "$T"
P=em13$$            # namespace prefix, unique per run
NS="${P}sw ${P}rt ${P}lte ${P}pc ${P}cis"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    # the daemons started through `ip netns exec` in a function run in a subshell
    # whose PID is what $! holds, and lldpd forks its privilege-separated child: end
    # every process still inside our namespaces, then the namespaces
    for n in $NS; do
        local left
        left=$(ip netns pids "$n" 2>/dev/null)
        [ -n "$left" ] && kill $left 2>/dev/null
    done
    sleep 0.3
    for n in $NS; do
        left=$(ip netns pids "$n" 2>/dev/null)
        [ -n "$left" ] && kill -9 $left 2>/dev/null
    done
    for n in $NS; do ip netns del "$n" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
COMM=lab-Ro-$$
export EDGEMAP_SNMP_COMMUNITY=$COMM

x() { ip netns exec "$@"; }
for n in $NS; do ip netns add "$n" || { echo "skip - snmp lab: cannot create network namespaces"; exit 0; }; done
x ${P}sw ip link add br0 type bridge
x ${P}sw ip link set br0 address 02:00:00:77:00:11
x ${P}sw ip addr add 10.77.0.11/24 dev br0
x ${P}sw ip link set br0 up
x ${P}sw ip link set lo up
# port ID host MAC ADDRESS
for spec in "rt 02:00:00:77:00:01 10.77.0.1" "lte 00:a0:de:77:00:50 10.77.0.50" \
            "pc 02:00:00:77:00:60 10.77.0.60" "cis 00:00:0c:77:00:70 10.77.0.70"; do
    set -- $spec
    ip link add "v$P$1" type veth peer name "w$P$1" || exit 2
    ip link set "v$P$1" netns ${P}sw
    ip link set "w$P$1" netns "$P$1"
    x ${P}sw ip link set "v$P$1" name "sw-$1"
    x ${P}sw ip link set "sw-$1" master br0 up
    x "$P$1" ip link set "w$P$1" name eth0
    x "$P$1" ip link set eth0 address "$2"
    x "$P$1" ip addr add "$3/24" dev eth0
    x "$P$1" ip link set eth0 up
    x "$P$1" ip link set lo up
done
x ${P}rt ip route add default via 10.77.0.254
# the LTE router: its way out is a cellular interface with a carrier address
x ${P}lte ip link add wwan0 type veth peer name wwan0c
x ${P}lte ip addr add 198.51.100.2/30 dev wwan0
x ${P}lte ip link set wwan0c up
x ${P}lte ip link set wwan0 up
x ${P}lte ip route add default via 198.51.100.1

# agents
printf '#!/bin/sh\nexec python3 %s/bridge_pass.py br0 "$@"\n' "$LAB" >"$T/bridge.sh"
printf '#!/bin/sh\nexec python3 %s/cdp_pass.py %s/sw.sock "$@"\n' "$LAB" "$T" >"$T/cdp.sh"
chmod 755 "$T/bridge.sh" "$T/cdp.sh"
agent() { # NS NAME ADDR [extra conf lines]
    local ns=$1 name=$2 addr=$3; shift 3
    mkdir -p "$T/persist-$name"
    {
        echo "agentaddress udp:$addr:161"
        echo "rocommunity $COMM 10.77.0.0/24"
        echo "sysname $name"
        echo "syslocation lab $name"
        echo "dontLogTCPWrappersConnects yes"
        for l in "$@"; do echo "$l"; done
    } >"$T/$name.conf"
    SNMP_PERSISTENT_DIR=$T/persist-$name MIBS="" MIBDIRS=/nonexistent \
        ip netns exec "$ns" /usr/sbin/snmpd -f -Lf "$T/$name.log" -I -smux,mteTrigger,mteTriggerConf -C \
        -c "$T/$name.conf" -p "$T/$name.pid" &
    PIDS+=($!)
}
agent ${P}rt core-rt 10.77.0.1
agent ${P}sw dept-sw 10.77.0.11 "pass_persist .1.3.6.1.2.1.17 $T/bridge.sh" "pass_persist .1.3.6.1.4.1.9.9.23 $T/cdp.sh"
# CDP: the cisco box sends CDPv1 (-cc: even with no CDP peer); the switch only listens
mkdir -p /run/lldpd
printf 'configure lldp tx-interval 1\nconfigure system hostname cisco-box\nconfigure system description "Cisco IOS Software, C2960X Software"\nconfigure system platform "cisco WS-C2960X-48FPD-L"\n' >"$T/cis.lldpd.conf"
x ${P}cis lldpd -d -cc -u "$T/cis.sock" -m 10.77.0.70 -O "$T/cis.lldpd.conf" -I eth0 >"$T/cis.lldpd.log" 2>&1 &
PIDS+=($!)
x ${P}sw lldpd -d -r -c -u "$T/sw.sock" -O /dev/null -I 'sw-*' >"$T/sw.lldpd.log" 2>&1 &
PIDS+=($!)

# traffic: the router sends a datagram to everyone (ARP resolution: the answers fill
# its ARP table and teach the bridge where each MAC is)
for a in 10.77.0.11 10.77.0.50 10.77.0.60 10.77.0.70; do
    x ${P}rt bash -c "echo lab >/dev/udp/$a/9" 2>/dev/null
done
sleep 0.5
cdp=0
for i in $(seq 1 60); do
    if x ${P}sw lldpcli -u "$T/sw.sock" show neighbors 2>/dev/null | grep -q CDP; then cdp=1; break; fi
    sleep 0.5
done
check "lldpd in the switch namespace received CDP frames from the cisco box" [ $cdp = 1 ]
up=1
for a in 10.77.0.1 10.77.0.11; do
    for i in $(seq 1 40); do
        x ${P}rt snmpget -v2c -c "$COMM" -t 0.3 -r 0 -On "$a" .1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && continue 2
        sleep 0.25
    done
    up=0
done
check "both agents answer" [ $up = 1 ]

x ${P}rt "$EDGEMAP" discover --seed 10.77.0.1 --seed 10.77.0.11 --scope 10.77.0.0/24 --no-progress \
    -o "$T/DISC.json" 2>"$T/discover.err"
check "discover exits 0" [ $? -eq 0 ]

python3 - "$T/DISC.json" >"$T/facts" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
devs = {x["id"]: x for x in d["devices"]}
name = {x["id"]: x["sys_name"] for x in d["devices"]}
sw = next(x for x in d["devices"] if x["sys_name"] == "dept-sw")
rt = next(x for x in d["devices"] if x["sys_name"] == "core-rt")
print("lldp rows", sum(len(x["lldp_neighbors"]) for x in d["devices"]))
for c in sw["cdp_neighbors"]:
    print("cdp", c["local_port"], c["device_id"], c["device_port"], c["platform"], ",".join(a["address"] for a in c["management_addresses"]))
cis_fdb = [f["port"] for f in sw["fdb"] if f["mac"] == "00:00:0c:77:00:70"]
print("fdb cisco", ",".join(cis_fdb))
print("arp lte", ",".join(a["address"] for a in rt["arp"] if a["mac"] == "00:a0:de:77:00:50"))
for n in d["neighbors_not_queried"]:
    print("nbr", n.get("source"), n.get("mac", n["sys_name"]), n.get("maker", ""), n.get("router_maker", ""),
          name.get(n["seen_by"], "?"), n["local_port"], ",".join(a["address"] for a in n["addresses"]),
          n["reason"], n["confidence"])
for l in d["links"]:
    print("link", name.get(l["local"]["device"], l["local"]["device"]), l["local"]["port"],
          l["evidence"], l["source"], l["confidence"])
for s in d["segments"]:
    print("seg", s["prefix"], s["emr"])
for p in d["paths_out"]:
    print("out", p["chain"], p["global"])
PY
F=$T/facts
check "no LLDP row anywhere" grep -qx "lldp rows 0" "$F"
check "CDP cache: cisco-box on sw-cis with its port, platform and address" \
    grep -qx "cdp sw-cis cisco-box eth0 cisco WS-C2960X-48FPD-L 10.77.0.70" "$F"
check "the forwarding table learned the cisco box on the same port (FDB and CDP agree)" grep -qx "fdb cisco sw-cis" "$F"
check "the router's ARP table holds the LTE router" grep -qx "arp lte 10.77.0.50" "$F"
check "LTE router found by FDB + ARP + OUI: port, MAC, maker, address, inferred" \
    grep -qx "nbr fdb 00:a0:de:77:00:50 YAMAHA CORPORATION True dept-sw sw-lte 10.77.0.50 endpoint inferred" "$F"
check "the PC is an endpoint too, with no maker (locally administered MAC)" \
    grep -qx "nbr fdb 02:00:00:77:00:60  False dept-sw sw-pc 10.77.0.60 endpoint inferred" "$F"
check "the cisco box is seen by CDP, not queried (no FDB endpoint for it)" \
    grep -q "^nbr cdp cisco-box .* dept-sw sw-cis 10.77.0.70 .* high$" "$F"
check "inferred link switch -> router (its MAC alone on sw-rt)" grep -qx "link dept-sw sw-rt inferred fdb inferred" "$F"
check "the CDP link has high/medium confidence, not inferred" grep -q "^link dept-sw sw-cis one cdp medium$" "$F"
check "EMR segment is the seed's" grep -qx "seg 10.77.0.0/24 True" "$F"
check "path out from the EMR segment names switch and port" \
    grep -qx "out 10.77.0.0/24 (EMR) → dept-sw \[sw-lte\] → 00:a0:de:77:00:50 False" "$F"

# the survey declares one line on a router elsewhere: the LTE router is undocumented
cat >"$T/survey.csv" <<'CSV'
回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,装置①_装置の種類,装置①_ホスト名,装置①_管理IPアドレス,装置①_メーカー,装置①_機種名
1,インターネット,あり,固定IP,203.0.113.10,なし,ルーター,rt01,192.168.1.1,YAMAHA,RTX830
CSV
"$EDGEMAP" check --lang en "$T/survey.csv" --discovered "$T/DISC.json" >"$T/check.out" 2>&1
check "check reports H-UNDOCUMENTED-PATH for the LTE router (a warning: only the maker says so)" \
    grep -A1 -q "warning H-UNDOCUMENTED-PATH" "$T/check.out"
check "the finding names switch, port, maker, MAC and address" \
    grep -q "switch dept-sw port sw-lte has a device made by YAMAHA CORPORATION.*(MAC 00:a0:de:77:00:50, 10.77.0.50)" "$T/check.out"
check "the finding carries the path from the EMR segment" grep -q "path: 10.77.0.0/24 (EMR) → dept-sw \[sw-lte\]" "$T/check.out"
check "--emr-subnet moves the EMR segment" bash -c "ip netns exec ${P}rt '$EDGEMAP' discover --seed 10.77.0.1 \
    --scope 10.77.0.0/24 --emr-subnet 10.99.0.0/16 --no-progress -o '$T/d2.json' 2>/dev/null && \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=[x for x in d[\"segments\"] if x[\"emr\"]]; sys.exit(0 if [x[\"prefix\"] for x in s]==[\"10.99.0.0/16\"] else 1)' '$T/d2.json'"

if [ -n "${EM_RECORD_WALKS:-}" ]; then
    mkdir -p "$EM_RECORD_WALKS"
    for h in core-rt:10.77.0.1 dept-sw:10.77.0.11; do
        : >"$EM_RECORD_WALKS/${h%%:*}.walk"
        for sub in .1.3.6.1.2.1.1 .1.3.6.1.2.1.2 .1.3.6.1.2.1.31.1.1 .1.3.6.1.2.1.4 .1.3.6.1.2.1.17 \
                   .1.3.6.1.4.1.9.9.23 .1.3.6.1.6.3.10.2.1; do
            x ${P}rt snmpbulkwalk -v2c -c "$COMM" -On "${h#*:}" "$sub" 2>/dev/null | grep -v "No Such Object" \
                >>"$EM_RECORD_WALKS/${h%%:*}.walk"
        done
    done
fi
x ${P}rt ip neigh >"$T/neigh.txt" 2>&1
x ${P}sw lldpcli -u "$T/sw.sock" show neighbors details -f keyvalue >>"$T/neigh.txt" 2>&1
[ -n "${EM_LAB_KEEP:-}" ] && cp "$T/neigh.txt" "$T"/*.log "$F" "$T/DISC.json" "$T/check.out" "$EM_LAB_KEEP"/ 2>/dev/null
exit 0
