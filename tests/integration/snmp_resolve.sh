#!/bin/bash
# snmp_resolve.sh — names learned from neighbours (an LLDP sysName without a management
# address) are looked up only with --resolve, and then only at the DNS server allowed:
# --resolver ADDR (a tiny DNS responder on 127.0.12.53 here), or a system nameserver
# inside --scope; otherwise the run is refused before any packet. Uses the snmpd
# fixture of snmp_crawl.sh (ward-ap-3 and localhost advertise no address).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || { echo "skip - snmp_resolve: snmpd not installed"; exit 0; }
T=$(mktemp -d)
. "$ROOT/tests/integration/snmp_fixture.bash"
DNS_PID=
cleanup() { fx_stop; [ -n "$DNS_PID" ] && kill "$DNS_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "assertion failed: $*"; fi; }

DNS_ADDR=127.0.12.53
DNS_PORT=$(fx_pick_port $DNS_ADDR)
fx_build
if ! fx_start; then nok "snmpd fixture" "agents did not come up"; exit 1; fi
# ward-ap-3 -> 127.0.0.10 (in scope, nobody answers SNMP there); localhost -> NXDOMAIN
python3 "$ROOT/tests/tools/dns_responder.py" $DNS_ADDR "$DNS_PORT" "$T/dns.log" 120 ward-ap-3=127.0.0.10 &
DNS_PID=$!
for _ in $(seq 1 50); do [ -e "$T/dns.log" ] && break; sleep 0.1; done
fx_listen 127.0.0.20 "$SNMP_PORT" "$T/witness"

export EDGEMAP_SNMP_COMMUNITY=$FX_COMMUNITY
COMMON=(--seed 127.0.0.11 --max-hops 1 --scope 127.0.0.8/29 --port "$SNMP_PORT" --timeout 400 --retries 0)
reason() { # FILE NAME: the neighbour's reason
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(",".join(n["reason"] for n in d["neighbors_not_queried"] if n["sys_name"] == sys.argv[2]))' "$1" "$2"
}

# --- default: no lookup at all ---------------------------------------------------------
if command -v strace >/dev/null; then
    strace -f -qq -e trace=connect,sendto,sendmsg -o "$T/trace" "$EDGEMAP" discover "${COMMON[@]}" -o "$T/def.json" 2>/dev/null
else
    "$EDGEMAP" discover "${COMMON[@]}" -o "$T/def.json" 2>/dev/null
fi
check "default run exits 0" [ -s "$T/def.json" ]
check "default: name-only neighbour ward-ap-3 not looked up (no_address)" [ "$(reason "$T/def.json" ward-ap-3)" = no_address ]
check "default: name-only neighbour localhost not looked up (no_address)" [ "$(reason "$T/def.json" localhost)" = no_address ]
if [ -e "$T/trace" ]; then
    check "default: no packet to any DNS port (strace)" bash -c "! grep -q 'htons(53)' '$T/trace'"
else
    echo "skip - default: no DNS packet: strace not installed"
fi
"$EDGEMAP" discover "${COMMON[@]}" --no-resolve -o "$T/nr.json" 2>/dev/null
check "--no-resolve still accepted (the default)" [ "$(reason "$T/nr.json" ward-ap-3)" = no_address ]
check "the responder was asked nothing so far" [ ! -s "$T/dns.log" ]

# --- --resolve with an explicit resolver ----------------------------------------------------
"$EDGEMAP" discover "${COMMON[@]}" --resolve --resolver "$DNS_ADDR:$DNS_PORT" -o "$T/res.json" 2>"$T/err"
check "--resolver run exits 0" [ $? -eq 0 ]
check "the responder was asked for ward-ap-3" grep -qx "ward-ap-3 A" "$T/dns.log"
check "the responder was asked for localhost" grep -qx "localhost A" "$T/dns.log"
check "ward-ap-3 resolved into the scope and queried (unreachable there)" [ "$(reason "$T/res.json" ward-ap-3)" = unreachable ]
check "localhost: NXDOMAIN, so no_address (no hosts-file lookup)" [ "$(reason "$T/res.json" localhost)" = no_address ]
check "only names learned from neighbours were asked" bash -c "! grep -vE '^(ward-ap-3|localhost) (A|AAAA)\$' '$T/dns.log'"
: > "$T/dns.log"
"$EDGEMAP" discover "${COMMON[@]}" --resolver "$DNS_ADDR:$DNS_PORT" -o "$T/res2.json" 2>/dev/null
check "--resolver alone implies --resolve" [ "$(reason "$T/res2.json" ward-ap-3)" = unreachable ]

# --- --resolve without --resolver: the system's nameservers must be inside the scope ----------
sysns=$(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)
if [ -n "$sysns" ] && ! python3 -c 'import ipaddress,sys; sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network("127.0.0.8/29") else 1)' "$sysns"; then
    : > "$T/dns.log"
    "$EDGEMAP" discover --lang en "${COMMON[@]}" --resolve -o "$T/sys.json" 2>"$T/err"; rc=$?
    check "--resolve with the system's DNS outside the scope: exit 2" [ $rc -eq 2 ]
    check "... saying which servers and what to do" grep -q "DNS servers ($sysns.*) are outside --scope.*--resolver ADDR" "$T/err"
    check "... before any packet (no output, witness silent)" bash -c "[ ! -e '$T/sys.json' ] && [ \"\$(cat '$T/witness')\" = 0 ]"
else
    echo "skip - --resolve with an out-of-scope system resolver: this machine has none"
fi
"$EDGEMAP" discover "${COMMON[@]}" --resolver not-an-address -o "$T/bad.json" 2>"$T/err"
check "--resolver with a name: exit 2" [ $? -eq 2 ]
check "no packet reached the out-of-scope 127.0.0.20" [ "$(cat "$T/witness")" = 0 ]
