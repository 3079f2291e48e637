#!/bin/bash
# snmp_crawl.sh — discover against real snmpd instances on 127.0.0.11-15 serving a
# small hospital's LLDP-MIB (see snmp_fixture.bash): loop, a device reached twice,
# an out-of-scope neighbour with a UDP witness that must receive nothing, SNMPv3 on
# one agent, credentials never in outputs, config permission and argv checks.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
command -v snmpd >/dev/null 2>&1 || [ -x /usr/sbin/snmpd ] || { echo "skip - snmp_crawl: snmpd not installed"; exit 0; }
T=$(mktemp -d)
. "$ROOT/tests/integration/snmp_fixture.bash"
cleanup() { fx_stop; rm -rf "$T"; }
trap cleanup EXIT INT TERM

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "assertion failed: $*"; fi; }

fx_build
if ! fx_start; then nok "snmpd fixture" "agents did not come up"; tail -n 5 "$T"/*.log; exit 1; fi
ok "snmpd fixture: 4 agents on 127.0.0.11-15"
fx_listen 127.0.0.20 "$SNMP_PORT" "$T/witness"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/witness" ] && break; sleep 0.1; done

cat >"$T/survey.conf" <<CONF
# test credentials
[default]
version = 2c
community = $FX_COMMUNITY

[scope 127.0.0.13/32]
version = 3
user = $FX_V3USER
level = authPriv
auth = SHA-256
auth_pass = $FX_V3AUTH
priv = AES
priv_pass = $FX_V3PRIV
CONF
chmod 600 "$T/survey.conf"

COMMON=(--scope 127.0.0.8/29 --port "$SNMP_PORT" --timeout 400 --retries 0)
"$EDGEMAP" discover --snmp-config "$T/survey.conf" --seed 127.0.0.11 --seed 127.0.0.14 --seed 127.0.0.15 \
    "${COMMON[@]}" -o "$T/disc.json" >"$T/out" 2>"$T/err"
rc=$?
check "crawl exits 0" [ "$rc" -eq 0 ]
check "summary line on stderr" grep -q 'edgemap discover: 4 devices' "$T/err"
check "no progress line when stderr is not a terminal" bash -c "! grep -q \$'\\r' '$T/err'"
check "one warning line per agent problem on stderr" grep -q '127.0.0.9: unreachable' "$T/err"

py() { python3 - "$T/disc.json" "$@"; }
py <<'PY' >"$T/facts" 2>&1 || true
import json, sys
d = json.load(open(sys.argv[1]))
names = sorted(x["sys_name"] for x in d["devices"])
print("schema", d["schema"])
print("devices", ",".join(names))
for x in d["devices"]:
    print("dev", x["sys_name"], x["chassis_id"], x["queried"], "+".join(sorted(x["also_reached_at"])))
    for a in x["addresses"]:
        if a["address"] == "127.0.0.1": print("loopback_global", a["global"])
ids = {x["id"]: x["sys_name"] for x in d["devices"]}
ids.update({n["id"]: n["sys_name"] for n in d["neighbors_not_queried"]})
for l in d["links"]:
    a = (ids[l["local"]["device"]], l["local"]["port"]); b = (ids[l["remote"]["device"]], l["remote"]["port"])
    a, b = sorted([a, b])
    print("link", "%s:%s" % a, "%s:%s" % b, l["evidence"])
for n in d["neighbors_not_queried"]:
    print("nbr", n["sys_name"], n["reason"], n["seen_by"] and ids[n["seen_by"]], n["local_port"])
print("errors", ",".join(sorted(e["kind"] + "@" + e["address"] for e in d["errors"])))
print("statuses", ",".join(sorted(t["address"] + "=" + t["status"] for t in d["timings"]["agents"])))
PY
f() { grep -qxF "$1" "$T/facts"; }
check "schema edgemap-discovery/1" f "schema edgemap-discovery/1"
check "each device exactly once (loop, reached twice)" f "devices core-sw,dist-a,dist-b,edge-sw"
check "edge-sw reached at two addresses is one device" grep -Eq '^dev edge-sw 02:00:00:00:00:14 127\.0\.0\.1[45] 127\.0\.0\.1[45]$' "$T/facts"
check "SNMPv3 authPriv agent read (dist-b)" f "dev dist-b 02:00:00:00:00:13 127.0.0.13 "
check "link core-dist-a both ends" f "link core-sw:ge1/0/1 dist-a:ge0/49 both"
check "link core-dist-b both ends" f "link core-sw:ge1/0/2 dist-b:ge0/49 both"
check "loop link dist-a-dist-b both ends" f "link dist-a:ge0/50 dist-b:ge0/50 both"
check "link dist-a-edge (timeMark differs in manAddr rows)" f "link dist-a:ge0/1 edge-sw:ge0/24 both"
check "link dist-b-edge" f "link dist-b:ge0/2 edge-sw:ge0/23 both"
check "exactly 9 links" [ "$(grep -c '^link ' "$T/facts")" -eq 9 ]
check "isp-rtr seen, not queried: out_of_scope" f "nbr isp-rtr out_of_scope core-sw ge1/0/3"
check "ward-ap-3 seen, not queried: no_address" f "nbr ward-ap-3 no_address core-sw ge1/0/4"
check "address-less neighbour's sysName not looked up without --resolve" f "nbr localhost no_address core-sw ge1/0/5"
check "xray-printer seen, not queried: unreachable" f "nbr xray-printer unreachable dist-b ge0/3"
check "per-agent error for the dead address" f "errors unreachable@127.0.0.9"
check "per-agent status: ok, one duplicate (reached twice), one unreachable" grep -Eqx 'statuses 127\.0\.0\.11=ok,127\.0\.0\.12=ok,127\.0\.0\.13=ok,(127\.0\.0\.14=ok,127\.0\.0\.15=duplicate|127\.0\.0\.14=duplicate,127\.0\.0\.15=ok),127\.0\.0\.9=unreachable' "$T/facts"
check "loopback address not global" f "loopback_global False"
check "no packet reached the out-of-scope 127.0.0.20" [ "$(cat "$T/witness")" = 0 ]
leak=""
for s in "$FX_COMMUNITY" "$FX_V3AUTH" "$FX_V3PRIV"; do
    grep -qF -- "$s" "$T/disc.json" "$T/out" "$T/err" && leak=yes
done
check "secrets (community, v3 passphrases) not in DISC.json, stdout or stderr" [ -z "$leak" ]
check "multi-line sysDescr read" python3 -c "
import json; d=json.load(open('$T/disc.json'))
assert [x['sys_descr'] for x in d['devices'] if x['sys_name']=='core-sw']==['Core switch\\nfirmware 1.2.3']"

# community from the environment; the v3-only agent then does not answer
EDGEMAP_SNMP_COMMUNITY=$FX_COMMUNITY "$EDGEMAP" discover --seed 127.0.0.11 "${COMMON[@]}" -o "$T/env.json" 2>"$T/env.err"
rc=$?
check "EDGEMAP_SNMP_COMMUNITY crawl exits 0" [ "$rc" -eq 0 ]
check "v3-only agent unreachable with a v2c community" python3 -c "
import json,sys; d=json.load(open('$T/env.json'))
assert sorted(x['sys_name'] for x in d['devices'])==['core-sw','dist-a','edge-sw'], d['devices']
assert any(n['sys_name']=='dist-b' and n['reason']=='unreachable' for n in d['neighbors_not_queried'])"
check "community not in env-run outputs" bash -c "! grep -qF -- '$FX_COMMUNITY' '$T/env.json' '$T/env.err'"

# --no-resolve: the address-less neighbour's name is not looked up
"$EDGEMAP" discover --snmp-config "$T/survey.conf" --seed 127.0.0.11 --max-hops 1 --no-resolve "${COMMON[@]}" -o "$T/nr.json" 2>/dev/null
check "--no-resolve: name-only neighbour stays no_address" python3 -c "
import json; d=json.load(open('$T/nr.json'))
assert [n['reason'] for n in d['neighbors_not_queried'] if n['sys_name']=='localhost']==['no_address'], d['neighbors_not_queried']"

# --max-hops 1: the seed's neighbours are read, theirs are only "seen"
"$EDGEMAP" discover --snmp-config "$T/survey.conf" --seed 127.0.0.11 --max-hops 1 "${COMMON[@]}" -o "$T/hops.json" 2>/dev/null
check "--max-hops 1 stops after one hop (edge-sw: hop_limit)" python3 -c "
import json; d=json.load(open('$T/hops.json'))
assert sorted(x['sys_name'] for x in d['devices'])==['core-sw','dist-a','dist-b'], d['devices']
assert [n['reason'] for n in d['neighbors_not_queried'] if n['sys_name']=='edge-sw']==['hop_limit'], d['neighbors_not_queried']"

# progress on a terminal (script(1) gives the run a pty)
if command -v script >/dev/null 2>&1; then
    EDGEMAP_SNMP_COMMUNITY=$FX_COMMUNITY script -qec "'$EDGEMAP' discover --lang en --seed 127.0.0.11 --scope 127.0.0.8/29 --port $SNMP_PORT --timeout 400 --retries 0 -o '$T/tty.json'" /dev/null >"$T/tty.out" 2>&1
    check "progress (done / in flight / queued, elapsed) on a terminal" grep -Eq 'done [0-9]+, in flight [0-9]+, queued [0-9]+, [0-9.]+ s' "$T/tty.out"
else
    echo "skip - progress on a terminal: script(1) not installed"
fi

# IPv6: edge-sw also answers on [::1]; the scope ::1/128 allows only that address,
# so its IPv4 neighbours stay "seen, not queried: out_of_scope"
EDGEMAP_SNMP_COMMUNITY=$FX_COMMUNITY "$EDGEMAP" discover --seed ::1 --scope ::1/128 --port "$SNMP_PORT" \
    --timeout 400 --retries 0 -o "$T/v6.json" 2>"$T/v6.err"
check "IPv6 seed and scope: exit 0" [ $? -eq 0 ]
check "IPv6: device read over udp6, neighbours out of scope" python3 -c "
import json; d=json.load(open('$T/v6.json'))
assert [(x['sys_name'], x['queried']) for x in d['devices']]==[('edge-sw','::1')], d['devices']
assert sorted((n['sys_name'], n['reason']) for n in d['neighbors_not_queried'])==[('dist-a','out_of_scope'),('dist-b','out_of_scope')]"

# a seed given as a name that resolves outside the scope (localhost -> 127.0.0.1)
EDGEMAP_SNMP_COMMUNITY=$FX_COMMUNITY "$EDGEMAP" discover --seed localhost "${COMMON[@]}" -o "$T/lh.json" 2>"$T/lh.err"
check "seed name resolving outside the scope is exit 2" [ $? -eq 2 ]
check "that message names the seed" grep -q 'localhost' "$T/lh.err"

# a seed outside the scope: usage error, nothing sent, existing output untouched
echo '{"keep":1}' >"$T/keep.json"
EDGEMAP_SNMP_COMMUNITY=$FX_COMMUNITY "$EDGEMAP" discover --seed 127.0.0.20 "${COMMON[@]}" -o "$T/keep.json" 2>"$T/scope.err"
rc=$?
check "seed outside scope is exit 2" [ "$rc" -eq 2 ]
check "seed outside scope message names the seed" grep -q '127.0.0.20' "$T/scope.err"
check "existing output untouched on failure" grep -qxF '{"keep":1}' "$T/keep.json"
check "still no packet at the out-of-scope address" [ "$(cat "$T/witness")" = 0 ]

# SNMPv3 against silent hosts: the engine-id discovery runs inside the select loop, so
# three silent v3 addresses (2 s each: 1000 ms x 2 tries) cost ~2 s together, not 6 s,
# and do not delay the live v3 agent
fx_listen 127.0.0.8 "$SNMP_PORT" "$T/silent8"; fx_listen 127.0.0.10 "$SNMP_PORT" "$T/silent10"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/silent8" ] && [ -s "$T/silent10" ] && break; sleep 0.1; done
fx_listen 127.0.0.9 "$SNMP_PORT" "$T/silent9"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/silent9" ] && break; sleep 0.1; done
sed -n '/^\[scope 127.0.0.13/,$p' "$T/survey.conf" | sed 's/^\[scope .*/[default]/' >"$T/v3.conf"
chmod 600 "$T/v3.conf"
s0=$(date +%s%N)
"$EDGEMAP" discover --snmp-config "$T/v3.conf" --seed 127.0.0.13 --seed 127.0.0.8 --seed 127.0.0.9 --seed 127.0.0.10 \
    --max-hops 0 --scope 127.0.0.8/29 --port "$SNMP_PORT" --timeout 1000 --retries 1 -o "$T/v3.json" 2>"$T/v3.err"
rc=$? took=$(( ($(date +%s%N) - s0) / 1000000 ))
check "v3 crawl with 3 silent hosts: exit 0" [ "$rc" -eq 0 ]
check "v3 silent hosts probed in parallel (took ${took} ms < 3500)" [ "$took" -lt 3500 ]
check "v3 live agent not delayed by the silent ones" python3 -c "
import json; d=json.load(open('$T/v3.json')); t={a['address']:a for a in d['timings']['agents']}
assert t['127.0.0.13']['status']=='ok' and t['127.0.0.13']['ms'] < 1000, t['127.0.0.13']
assert all(t[x]['status']=='unreachable' for x in ('127.0.0.8','127.0.0.9','127.0.0.10')), t"
check "each silent host got exactly the probe and its retry" [ "$(cat "$T/silent8")/$(cat "$T/silent9")/$(cat "$T/silent10")" = 2/2/2 ]

# wrong v3 passphrase: the agent's report ends that agent at once, named, no leak
sed "s/^auth_pass = .*/auth_pass = Wrong-Pass-9931/" "$T/survey.conf" >"$T/wrong.conf"
chmod 600 "$T/wrong.conf"
s0=$(date +%s)
"$EDGEMAP" discover --lang en --snmp-config "$T/wrong.conf" --seed 127.0.0.13 "${COMMON[@]}" -o "$T/wrong.json" 2>"$T/wrong.err"
rc=$? took=$(( $(date +%s) - s0 ))
check "wrong v3 passphrase: exit 0, finishes quickly" [ "$rc" -eq 0 -a "$took" -lt 10 ]
check "wrong v3 passphrase: agent status auth_failed, reason named" python3 -c "
import json; d=json.load(open('$T/wrong.json'))
assert [(a['address'], a['status']) for a in d['timings']['agents']]==[('127.0.0.13','auth_failed')], d['timings']
assert any(e['kind']=='security' and 'wrong digest' in e['message'] for e in d['errors']), d['errors']"
check "wrong v3 passphrase not echoed" bash -c "! grep -qF -- Wrong-Pass-9931 '$T/wrong.json' '$T/wrong.err'"

# config readable by others: refused, names the file, says chmod 600
chmod 644 "$T/survey.conf"
"$EDGEMAP" discover --lang en --snmp-config "$T/survey.conf" --seed 127.0.0.11 "${COMMON[@]}" -o "$T/x.json" 2>"$T/perm.err"
rc=$?
check "world-readable --snmp-config refused (exit 2)" [ "$rc" -eq 2 ]
check "permission message names file and chmod 600" grep -q "chmod 600 $T/survey.conf" "$T/perm.err"
check "permission refusal leaks no secret" bash -c "! grep -qF -- '$FX_COMMUNITY' '$T/perm.err'"
chmod 600 "$T/survey.conf"

# credentials on the command line are refused
"$EDGEMAP" discover --community "$FX_COMMUNITY" --seed 127.0.0.11 "${COMMON[@]}" -o "$T/x.json" 2>"$T/argv.err"
rc=$?
check "--community on argv refused (exit 2)" [ "$rc" -eq 2 ]
check "argv refusal does not echo the secret" bash -c "! grep -qF -- '$FX_COMMUNITY' '$T/argv.err'"
check "no output written when refused" [ ! -e "$T/x.json" ]

# the witness really counts: one datagram of our own must show up
python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('127.0.0.20', $SNMP_PORT))"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ "$(cat "$T/witness")" = 1 ] && break; sleep 0.1; done
check "out-of-scope witness counts datagrams (self-test)" [ "$(cat "$T/witness")" = 1 ]

# recording walk dumps for samples/walks (maintainers: SNMP_RECORD_WALKS=dir)
if [ -n "${SNMP_RECORD_WALKS:-}" ]; then
    mkdir -p "$SNMP_RECORD_WALKS"
    for a in 127.0.0.11:core-sw 127.0.0.12:dist-a 127.0.0.13:dist-b 127.0.0.14:edge-sw; do
        ip=${a%%:*} n=${a#*:}
        if [ "$n" = dist-b ]; then auth=(-v3 -l authPriv -u "$FX_V3USER" -a SHA-256 -A "$FX_V3AUTH" -x AES -X "$FX_V3PRIV")
        else auth=(-v2c -c "$FX_COMMUNITY"); fi
        for sub in .1.3.6.1.2.1.1 .1.3.6.1.2.1.2.2 .1.3.6.1.2.1.31.1.1.1.1 .1.3.6.1.2.1.4.20 .1.3.6.1.2.1.4.34 .1.3.6.1.2.1.4.24.7 .1.3.6.1.6.3.10.2.1.1 .1.0.8802.1.1.2 .1.3.111.2.802.1.1.13; do
            MIBS="" snmpbulkwalk "${auth[@]}" -On "$ip:$SNMP_PORT" "$sub"
        done >"$SNMP_RECORD_WALKS/$n.walk"
    done
fi
exit 0
