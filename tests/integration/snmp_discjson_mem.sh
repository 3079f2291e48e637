#!/bin/bash
# snmp_discjson_mem.sh — `check --discovered` on big and hostile DISC.json files made at
# test time (and deleted): peak RSS stays within 256 MB whatever the size, caps give a
# clear exit-2 message, a pipe is read once. Memory is measured with GNU time (%M);
# no timing is asserted. In the plain build only (ASan's shadow memory inflates RSS).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
EDGEMAP=${EDGEMAP:-$ROOT/build/edgemap}
case $BUILD in *san*) echo "skip - discjson memory: measured in the plain build (ASan inflates RSS)"; exit 0 ;; esac
[ -x /usr/bin/time ] || { echo "skip - discjson memory: GNU time missing (apt-get install time)"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
CSV=$ROOT/samples/clinic.csv
LIMIT_KB=$((256 * 1024))

gen() { python3 - "$T" <<'PY'
import json, sys, os
T = sys.argv[1]
def dev(i, ifs):
    return {"id": "dev-%d" % i, "sys_name": "sw%06d" % i, "sys_descr": "x" * 100,
            "queried": "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255), "also_reached_at": [],
            "interfaces": [{"if_index": k, "name": "ge%d" % k, "descr": "GigabitEthernet%d" % k, "type": 6,
                            "mac": "00:11:22:33:44:55", "oper_status": "up"} for k in range(ifs)],
            "addresses": [{"address": "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255), "family": "ipv4",
                           "global": False}], "default_next_hops": []}
def doc(path, n, ifs, links=0):
    with open(path, "w") as f:
        f.write('{"schema":"edgemap-discovery/1","mode":"snmp","scopes":["10.0.0.0/8"],"seeds":[],"devices":[')
        for i in range(n):
            f.write(("," if i else "") + json.dumps(dev(i, ifs)))
        f.write('],"links":[')
        for i in range(1, links):
            f.write(("," if i > 1 else "") + json.dumps({"local": {"device": "dev-%d" % i}, "remote": {"device": "dev-%d" % (i - 1)}, "evidence": "one"}))
        f.write('],"neighbors_not_queried":[]}')
doc(T + "/big.json", 6000, 24)                 # ~20 MB, few devices with many interfaces
doc(T + "/many.json", 150000, 0, 40000)       # 150,000 devices in one file
doc(T + "/toomany.json", 210000, 0)           # past the item cap
with open(T + "/string.json", "w") as f:      # one 100 MB string
    f.write('{"schema":"edgemap-discovery/1","devices":[{"id":"d","sys_descr":"')
    for _ in range(100): f.write("a" * (1 << 20))
    f.write('"}]}')
with open(T + "/deep.json", "w") as f:
    f.write('{"schema":"edgemap-discovery/1","x":' + "[" * 100000 + "]" * 100000 + "}")
PY
}
gen || { echo "not ok - discjson memory: generating the inputs failed"; exit 0; }
truncate -s 300M "$T/huge.json"

# run NAME WANT_RC FILE [GREP]: exit code, peak RSS, and a message naming the limit
run() {
    local name=$1 want=$2 file=$3 pat=${4:-}
    /usr/bin/time -f "%M" -o "$T/rss" "$EDGEMAP" check --lang en "$CSV" --discovered "$file" >"$T/out" 2>"$T/err"
    local rc=$? kb
    kb=$(tail -n 1 "$T/rss")
    if [ "$rc" -ne "$want" ]; then echo "not ok - $name: exit $rc, want $want: $(head -c 300 "$T/err")"; return; fi
    if [ "$kb" -gt "$LIMIT_KB" ]; then echo "not ok - $name: peak RSS ${kb} KB > 256 MB"; return; fi
    if [ -n "$pat" ] && ! grep -q -- "$pat" "$T/err"; then echo "not ok - $name: no '$pat' in: $(head -c 300 "$T/err")"; return; fi
    echo "ok - $name (peak RSS $((kb / 1024)) MB)"
}
# check exits 1 when findings are errors; what matters is that it read the file
run "20 MB DISC.json within 256 MB" 1 "$T/big.json"
run "150,000 devices within 256 MB" 1 "$T/many.json"
run "past the item cap: exit 2 naming the limit" 2 "$T/toomany.json" "limit 200000"
run "100 MB string within 256 MB" 1 "$T/string.json"
run "deep nesting refused" 2 "$T/deep.json" "nested too deep"
run "300 MB file refused before reading" 2 "$T/huge.json" "too large"
run "/dev/zero refused" 2 /dev/zero "not valid JSON"
mkfifo "$T/fifo"
cat "$T/big.json" >"$T/fifo" &
run "DISC.json from a pipe read once" 1 "$T/fifo"
wait
