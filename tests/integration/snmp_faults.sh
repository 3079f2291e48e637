#!/bin/bash
# snmp_faults.sh — agents that misbehave (snmp_fakeagent.py): non-increasing OIDs, an
# endless table, genErr answers, an oversized value, silence. The crawl must finish
# with what it has and one warning per agent, within bounded time.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
T=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "assertion failed: $*"; fi; }
. "$ROOT/tests/integration/snmp_fixture.bash"   # for fx_pick_port only
PORT=${SNMP_FAULT_PORT:-$(fx_pick_port 127.0.0.31 127.0.0.32 127.0.0.33 127.0.0.34 127.0.0.35 127.0.0.36 127.0.0.37)}
COMM=fault-Comm-55
i=31
for m in loop endless generr oversized silent toobig; do
    python3 "$ROOT/tests/integration/snmp_fakeagent.py" 127.0.0.$i "$PORT" $m "$COMM" "$T/ready.$m" 2>>"$T/agents.log" &
    PIDS+=($!)
    i=$((i + 1))
done
for _ in $(seq 1 100); do [ "$(ls "$T"/ready.* 2>/dev/null | wc -l)" -eq 6 ] && break; sleep 0.1; done
check "6 fake agents listening" [ "$(ls "$T"/ready.* 2>/dev/null | wc -l)" -eq 6 ]
start=$(date +%s)
EDGEMAP_SNMP_COMMUNITY=$COMM "$EDGEMAP" discover --lang en --scope 127.0.0.31/32 --scope 127.0.0.32/31 --scope 127.0.0.34/31 --scope 127.0.0.36/32 \
    --seed 127.0.0.31 --seed 127.0.0.32 --seed 127.0.0.33 --seed 127.0.0.34 --seed 127.0.0.35 --seed 127.0.0.36 \
    --port "$PORT" --timeout 300 --retries 1 --agent-deadline 20000 -o "$T/f.json" 2>"$T/err"
rc=$?
took=$(( $(date +%s) - start ))
check "crawl with broken agents exits 0" [ "$rc" -eq 0 ]
check "crawl with broken agents ends in bounded time (<30 s)" [ "$took" -lt 30 ]
python3 - "$T/f.json" >"$T/facts" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for x in d["devices"]:
    print("dev", x["sys_name"], x["queried"], len(x["sys_descr"]), len(x["interfaces"]))
for e in d["errors"]:
    print("err", e["address"], e["kind"])
for t in d["timings"]["agents"]:
    print("time", t["address"], t["status"])
PY
f() { grep -q "$1" "$T/facts"; }
check "non-increasing OIDs: warning" f "^err 127.0.0.31 oid_not_increasing$"
check "non-increasing OIDs: device kept, partial" f "^time 127.0.0.31 partial$"
check "non-increasing OIDs: row read before the loop kept" f "^dev fake-loop 127.0.0.31 0 1$"
check "endless table: row cap warning" f "^err 127.0.0.32 row_cap$"
check "endless table: device kept" f "^dev fake-endless 127.0.0.32 "
check "genErr agent: agent_error warning" f "^err 127.0.0.33 agent_error$"
check "genErr agent: no device invented" bash -c "! grep -q '^dev .* 127.0.0.33 ' '$T/facts'"
check "oversized value: warning" f "^err 127.0.0.34 oversized_value$"
check "oversized value: cut to 4096 bytes" f "^dev fake-oversized 127.0.0.34 4096 0$"
check "silent agent: unreachable" f "^err 127.0.0.35 unreachable$"
check "tooBig: requests shrink until they fit, table read whole" f "^dev fake-toobig 127.0.0.36 0 3$"
check "tooBig: no error, status ok" bash -c "grep -q '^time 127.0.0.36 ok$' '$T/facts' && ! grep -q '^err 127.0.0.36 ' '$T/facts'"
check "summary line" grep -q "edgemap discover: 4 devices" "$T/err"
grep -q fake-loop "$T/facts" && grep -q "time 127.0.0.31 partial" "$T/facts" || cat "$T/facts" "$T/err"
exit 0
