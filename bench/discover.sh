#!/bin/bash
# discover.sh — discovery benchmark: N snmpd agents (default 50) in a tree 3 hops deep
# (1 + 3 + 12 + 34), each serving LLDP-MIB rows for its parent and children through
# `override`, every packet delayed by DELAY_MS/2 each way (RTT = DELAY_MS, default 20).
# Compares, in the same run:
#   edgemap discover from the root   vs   a sequential snmpbulkwalk loop over the same
#   agents (addresses known in advance, the same subtrees)   vs   the ideal
#   (levels × round trips per agent × RTT).
# The delay: this machine's kernel has no qdiscs at all (`tc qdisc add dev lo root
# netem delay 20ms` -> "Specified qdisc kind is unknown"), so tc netem cannot be used
# and a userspace UDP delay relay (one asyncio process) holds each datagram DELAY_MS/2
# in each direction. Agents: with NETNS=1 (the default when root and `ip netns` work)
# each snmpd runs in its own network namespace behind a veth pair (10.251.k.2, host side
# 10.251.k.1); with NETNS=0 they listen on 127.0.2.k. edgemap and the loop both talk to
# the relay on 127.0.3.k, which forwards to the agent.
#   bench/discover.sh [BUILD]          BUILD defaults to build
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
BUILD=${1:-${BUILD:-build}}
EDGEMAP=$ROOT/$BUILD/edgemap
N=${N:-50}
DELAY_MS=${DELAY_MS:-20}
PORT=${PORT:-$((20000 + $$ % 30000))}
COMM=bench-ro-$$
[ -x "$EDGEMAP" ] || { echo "build first: make BUILD=$BUILD" >&2; exit 2; }
T=$(mktemp -d)
PIDS=()
TAG=eb$$
if [ -z "${NETNS:-}" ]; then
    NETNS=0
    if [ "$(id -u)" = 0 ] && ip netns add "${TAG}probe" 2>/dev/null; then ip netns del "${TAG}probe"; NETNS=1; fi
fi
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    if [ "$NETNS" = 1 ]; then for ((k = 1; k < N + 1; k++)); do ip netns del "$TAG-$k" 2>/dev/null; done; fi
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

# tree: node 1 is the root; children of node k are given by a BFS layout 1 -> 3 -> 12 -> 34
parent=()
levels=(1 3 12 34)
next=2; prev_start=1; prev_n=1; lvl_of=([1]=0)
for l in 1 2 3; do
    want=${levels[$l]}
    for ((j = 0; j < want && next <= N; j++)); do
        p=$((prev_start + j % prev_n)); parent[$next]=$p; lvl_of[$next]=$l; next=$((next + 1))
    done
    prev_start=$((next - want)); prev_n=$want
done
[ "$next" -gt "$N" ] || { echo "N=$N is more than the 50-node tree" >&2; exit 2; }

real() { if [ "$NETNS" = 1 ]; then echo "10.251.$1.2"; else echo "127.0.2.$1"; fi; }   # where snmpd listens
pub() { echo "127.0.3.$1"; }    # what LLDP advertises and edgemap queries (behind the delay)
LR=.1.0.8802.1.1.2.1.4.1.1; LM=.1.0.8802.1.1.2.1.4.2.1.3; LL=.1.0.8802.1.1.2.1.3
rem() { # conf port peer
    local f=$1 p=$2 k=$3 i=0.$2.1
    printf 'override %s.4.%s integer 4\noverride %s.5.%s octet_str 0x0200000100%02x\n' $LR $i $LR $i "$k"
    printf 'override %s.6.%s integer 5\noverride %s.7.%s octet_str "p%s"\n' $LR $i $LR $i "$p"
    printf 'override %s.9.%s octet_str "bsw-%s"\noverride %s.%s.1.4.%s integer 2\n' $LR $i "$k" $LM $i "$(pub "$k")"
}
for ((k = 1; k < N + 1; k++)); do
    f=$T/a$k.conf
    {
        echo "agentaddress udp:$(real $k):$PORT"
        echo "rocommunity $COMM 127.0.0.0/8"
        echo "rocommunity $COMM 10.251.0.0/16"
        echo "sysname bsw-$k"
        printf 'override %s.1.0 integer 4\noverride %s.2.0 octet_str 0x0200000100%02x\n' $LL $LL "$k"
        [ -n "${parent[$k]:-}" ] && rem "$f" 100 "${parent[$k]}"
        for ((c = 2; c < N + 1; c++)); do [ "${parent[$c]:-}" = "$k" ] && rem "$f" "$c" "$c"; done
    } >"$f"
    mkdir -p "$T/p$k"
    if [ "$NETNS" = 1 ]; then
        ns=$TAG-$k
        ip netns add "$ns"
        ip netns exec "$ns" ip link set lo up
        ip link add "$TAG-h$k" type veth peer name "$TAG-n$k" netns "$ns"
        ip addr add "10.251.$k.1/24" dev "$TAG-h$k"; ip link set "$TAG-h$k" up
        ip netns exec "$ns" ip addr add "10.251.$k.2/24" dev "$TAG-n$k"
        ip netns exec "$ns" ip link set "$TAG-n$k" up
        ip netns exec "$ns" env SNMP_PERSISTENT_DIR="$T/p$k" MIBS="" /usr/sbin/snmpd -f -Lf "$T/a$k.log" \
            -I -smux,mteTrigger,mteTriggerConf -C -c "$f" -p "$T/a$k.pid" &
    else
        SNMP_PERSISTENT_DIR=$T/p$k MIBS="" /usr/sbin/snmpd -f -Lf "$T/a$k.log" -I -smux,mteTrigger,mteTriggerConf \
            -C -c "$f" -p "$T/a$k.pid" &
    fi
    PIDS+=($!)
done

# delay: netem if available, else the relay
python3 - "$N" "$PORT" "$DELAY_MS" "$T/relay.ready" "$NETNS" <<'PY' &
import asyncio, sys
n, port, delay, ready = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 2000.0, sys.argv[4]
backend = (lambda k: "10.251.%d.2" % k) if sys.argv[5] == "1" else (lambda k: "127.0.2.%d" % k)
loop = None
class Back(asyncio.DatagramProtocol):
    def __init__(s, front, client): s.front, s.client = front, client
    def datagram_received(s, data, addr):
        loop.call_later(delay, s.front.sendto, data, s.client)
class Front(asyncio.DatagramProtocol):
    def __init__(s, k): s.k, s.backs = k, {}
    def connection_made(s, t): s.t = t
    def datagram_received(s, data, client):
        b = s.backs.get(client)
        if b is None:
            b = s.backs[client] = asyncio.ensure_future(loop.create_datagram_endpoint(
                lambda: Back(s.t, client), remote_addr=(backend(s.k), port)))
        async def go():
            bt, _ = await b
            await asyncio.sleep(delay)
            bt.sendto(data)
        asyncio.ensure_future(go())
async def main():
    global loop
    loop = asyncio.get_running_loop()
    for k in range(1, n + 1):
        await loop.create_datagram_endpoint(lambda k=k: Front(k), local_addr=("127.0.3.%d" % k, port))
    open(ready, "w").close()
    await asyncio.Event().wait()
asyncio.run(main())
PY
PIDS+=($!)
for _ in $(seq 1 100); do [ -e "$T/relay.ready" ] && break; sleep 0.1; done
# wait for the agents
for _ in $(seq 1 100); do
    up=0
    for ((k = 1; k < N + 1; k++)); do
        snmpget -v2c -c "$COMM" -t 0.3 -r 0 -On "$(real $k):$PORT" .1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && up=$((up + 1))
    done
    [ "$up" -eq "$N" ] && break
    sleep 0.3
done
echo "agents up: $up/$N ($([ "$NETNS" = 1 ] && echo "one network namespace each" || echo "on 127.0.2.x")), RTT through the relay: $DELAY_MS ms"
snmpget -v2c -c "$COMM" -t 1 -r 0 -On "$(pub 1):$PORT" .1.3.6.1.2.1.1.5.0 >/dev/null || { echo "relay not answering" >&2; exit 1; }

# 1) edgemap (best of 3)
best=999999
for r in 1 2 3; do
    s=$(date +%s%N)
    EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --seed "$(pub 1)" --scope 127.0.3.0/24 --port "$PORT" \
        --timeout 2000 --retries 1 --no-progress -o "$T/d.json" 2>"$T/d.err" || { cat "$T/d.err"; exit 1; }
    e=$(( ($(date +%s%N) - s) / 1000000 ))
    [ "$e" -lt "$best" ] && best=$e
done
read -r ndev maxreq medreq rtt < <(python3 -c "
import json,statistics; d=json.load(open('$T/d.json')); a=d['timings']['agents']; r=[x['requests'] for x in a]
print(len(d['devices']), max(r), int(statistics.median(r)), round(statistics.median(x['ms']/x['requests'] for x in a), 1))")
# 2) sequential snmpbulkwalk loop over the same agents and subtrees (LLDP, CDP, ARP,
#    forwarding tables and the route protocol column included, as edgemap reads them)
s=$(date +%s%N)
for ((k = 1; k < N + 1; k++)); do
    for sub in .1.3.6.1.2.1.1 .1.3.6.1.2.1.2.2 .1.3.6.1.2.1.31.1.1 .1.3.6.1.2.1.4.34 .1.3.6.1.2.1.4.20 .1.0.8802.1.1.2 \
               .1.3.6.1.4.1.9.9.23 .1.3.6.1.2.1.4.35 .1.3.6.1.2.1.4.22 .1.3.6.1.2.1.17 .1.3.6.1.2.1.4.24.7.1.9; do
        MIBS="" snmpbulkwalk -v2c -c "$COMM" -On -Cr20 -t 2 -r 1 "$(pub $k):$PORT" "$sub" >/dev/null 2>&1
    done
done
loop_ms=$(( ($(date +%s%N) - s) / 1000000 ))
ideal=$(( 4 * maxreq * DELAY_MS ))
echo "devices found: $ndev of $N (levels 4: 1+3+12+34)"
echo "edgemap discover (best of 3): ${best} ms   requests per agent: max $maxreq, median $medreq"
echo "observed time per request (median over agents): ${rtt} ms (nominal RTT ${DELAY_MS} ms)"
echo "sequential snmpbulkwalk loop:  ${loop_ms} ms"
echo "ideal (4 levels x $maxreq round trips x ${DELAY_MS} ms): ${ideal} ms"
python3 -c "print('speed-up vs loop: %.1fx   vs ideal: %.2fx' % ($loop_ms / $best, $best / $ideal))"
