#!/bin/bash
# snmp_netns.sh — real LLDP frames and real agents: three network namespaces joined by
# veth pairs (a -- b -- c), each running snmpd (master agentx, socket in the temp dir)
# and lldpd exporting LLDP-MIB to it over AgentX. edgemap runs inside namespace a with
# a as the seed and must find b and c through LLDP management addresses.
# Skips (with the reason) where namespaces cannot be made (not root, no ip netns).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
skip() { echo "skip - snmp_netns: $1"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
command -v lldpd >/dev/null 2>&1 || [ -x /usr/sbin/lldpd ] || skip "lldpd not installed"
[ -x /usr/sbin/snmpd ] || skip "snmpd not installed"
TAG=em$$
ip netns add "${TAG}probe" 2>/dev/null || skip "ip netns add failed (no CAP_SYS_ADMIN / netns support)"
ip netns del "${TAG}probe"

T=$(mktemp -d)
chmod 755 "$T"
PIDS=()
NS=("${TAG}a" "${TAG}b" "${TAG}c")
MADE_RUN_LLDPD=0
cleanup() {
    local p n
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    # the daemons started through `ip netns exec` in a function run in a subshell
    # whose PID is what $! holds, and lldpd forks its privilege-separated child: end
    # every process still inside our namespaces, then the namespaces
    for n in "${NS[@]}"; do
        local left
        left=$(ip netns pids "$n" 2>/dev/null)
        [ -n "$left" ] && kill $left 2>/dev/null
    done
    sleep 0.3
    for n in "${NS[@]}"; do
        left=$(ip netns pids "$n" 2>/dev/null)
        [ -n "$left" ] && kill -9 $left 2>/dev/null
    done
    for n in "${NS[@]}"; do ip netns del "$n" 2>/dev/null; done
    [ "$MADE_RUN_LLDPD" = 1 ] && rm -rf /run/lldpd
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "assertion failed: $*"; fi; }
# lldpd's privilege separation chroots to /run/lldpd
[ -d /run/lldpd ] || { mkdir -p /run/lldpd && MADE_RUN_LLDPD=1; }

COMM=netns-Ro-4411
X() { ip netns exec "$@"; }
for n in "${NS[@]}"; do ip netns add "$n"; X "$n" ip link set lo up; done
ip link add "${TAG}ab" netns "${NS[0]}" type veth peer name "${TAG}ba" netns "${NS[1]}"
ip link add "${TAG}bc" netns "${NS[1]}" type veth peer name "${TAG}cb" netns "${NS[2]}"
X "${NS[0]}" ip addr add 10.199.1.1/24 dev "${TAG}ab"
X "${NS[1]}" ip addr add 10.199.1.2/24 dev "${TAG}ba"
X "${NS[1]}" ip addr add 10.199.2.2/24 dev "${TAG}bc"
X "${NS[2]}" ip addr add 10.199.2.3/24 dev "${TAG}cb"
X "${NS[0]}" ip link set "${TAG}ab" up
X "${NS[1]}" ip link set "${TAG}ba" up
X "${NS[1]}" ip link set "${TAG}bc" up
X "${NS[2]}" ip link set "${TAG}cb" up
X "${NS[1]}" sysctl -qw net.ipv4.ip_forward=1
X "${NS[0]}" ip route add default via 10.199.1.2
X "${NS[2]}" ip route add default via 10.199.2.2

i=0
for n in "${NS[@]}"; do
    name=nsw-$i
    mkdir -p "$T/$name"
    cat >"$T/$name/snmpd.conf" <<CONF
agentaddress udp:161
rocommunity $COMM 10.199.0.0/16
sysname $name
syslocation netns test $name
master agentx
agentXSocket $T/$name/agentx.sock
agentXPerms 0660 0770
CONF
    : >"$T/$name/lldpd.conf"
    # started directly (not through a shell function) so $! is the daemon itself
    ip netns exec "$n" env SNMP_PERSISTENT_DIR="$T/$name" MIBS="" /usr/sbin/snmpd -f -Lf "$T/$name/snmpd.log" \
        -I -smux,mteTrigger,mteTriggerConf -C -c "$T/$name/snmpd.conf" -p "$T/$name/snmpd.pid" &
    PIDS+=($!)
    i=$((i + 1))
done
for _ in $(seq 1 50); do
    [ -S "$T/nsw-0/agentx.sock" ] && [ -S "$T/nsw-1/agentx.sock" ] && [ -S "$T/nsw-2/agentx.sock" ] && break
    sleep 0.1
done
i=0
for n in "${NS[@]}"; do
    name=nsw-$i
    ip netns exec "$n" /usr/sbin/lldpd -d -x -X "$T/$name/agentx.sock" -u "$T/$name/lldpd.ctl" -O "$T/$name/lldpd.conf" \
        -m 10.199.* -S "$name" >"$T/$name/lldpd.log" 2>&1 &
    PIDS+=($!)
    i=$((i + 1))
done
sleep 1
i=0
for n in "${NS[@]}"; do
    X "$n" lldpcli -u "$T/nsw-$i/lldpd.ctl" configure lldp tx-interval 1 >/dev/null 2>&1
    X "$n" lldpcli -u "$T/nsw-$i/lldpd.ctl" configure system hostname "nsw-$i" >/dev/null 2>&1
    i=$((i + 1))
done
# wait for LLDP-MIB to show the neighbours over AgentX (b sees two)
got=0
for _ in $(seq 1 60); do
    n=$(X "${NS[1]}" snmpbulkwalk -v2c -c "$COMM" -On -t 0.5 -r 0 10.199.1.2 .1.0.8802.1.1.2.1.4.1.1.9 2>/dev/null | grep -c STRING)
    [ "$n" -ge 2 ] && { got=1; break; }
    sleep 0.5
done
if [ "$got" != 1 ]; then
    nok "lldpd neighbours visible in LLDP-MIB over AgentX" "b's lldpRemSysName has <2 rows"
    tail -n 5 "$T"/nsw-*/lldpd.log "$T"/nsw-*/snmpd.log
    exit 0
fi
ok "lldpd neighbours visible in LLDP-MIB over AgentX"

X "${NS[0]}" env EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --seed 10.199.1.1 --scope 10.199.0.0/16 \
    --timeout 1000 --retries 1 -o "$T/ns.json" 2>"$T/ns.err"
rc=$?
check "discover inside namespace a exits 0" [ "$rc" -eq 0 ]
python3 - "$T/ns.json" >"$T/facts" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = {x["id"]: x["sys_name"] for x in d["devices"]}
print("devices", ",".join(sorted(ids.values())))
for l in d["links"]:
    if l["remote"]["device"] in ids:
        a, b = sorted([ids[l["local"]["device"]], ids[l["remote"]["device"]]])
        print("link", a, b, l["evidence"])
for x in d["devices"]:
    print("chassis", x["sys_name"], x["chassis_id_subtype"], bool(x["chassis_id"]))
PY
f() { grep -qxF "$1" "$T/facts"; }
check "three devices found from one seed via LLDP" f "devices nsw-0,nsw-1,nsw-2"
check "link a-b seen from both ends" f "link nsw-0 nsw-1 both"
check "link b-c seen from both ends" f "link nsw-1 nsw-2 both"
check "chassis id from lldpd (MAC subtype)" f "chassis nsw-2 macAddress True"
grep -q 'devices nsw-0,nsw-1,nsw-2' "$T/facts" || cat "$T/facts" "$T/ns.err"
exit 0
