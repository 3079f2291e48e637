#!/bin/bash
# render_robust.sh — renders generated topologies (random sizes, shared devices, cross
# links, several paths per line) and checks that every run ends (a time cap in the
# harness, not a speed assertion), never crashes, and writes well-formed outputs.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
GEN=$ROOT/$BUILD/tests/tools/render_gen
if [ ! -x "$GEN" ]; then echo "skip - render robustness: $GEN not built"; exit 0; fi
T=$(mktemp -d /tmp/em-render-robust.XXXXXX)
trap 'rm -rf "$T"' EXIT
seed=${EM_ROBUST_SEED:-$(( $(date +%s) % 100000 ))}
echo "# seed $seed (EM_ROBUST_SEED=$seed to repeat)"
RANDOM=$seed
for i in 1 2 3 4 5 6; do
    n=$(( 1 + RANDOM % 250 ))
    s=$(( seed + i ))
    "$GEN" "$n" "$s" "$T/g.csv" || { echo "not ok - generate $n/$s"; continue; }
    start=$(date +%s)
    EDGEMAP_LAYOUT_TIMEOUT=60 timeout -k 5 200 "$EDGEMAP" render "$T/g.csv" -o "$T/g.svg" -o "$T/g.pdf" \
        -o "$T/g.html" -o "$T/g.dot" >/dev/null 2>"$T/err"
    rc=$?
    el=$(( $(date +%s) - start ))
    if [ $rc -le 1 ] && xmllint --noout "$T/g.svg" 2>/dev/null && [ -s "$T/g.pdf" ] && [ -s "$T/g.html" ]; then
        echo "ok - generated map of ~$n devices (seed $s) rendered in ${el}s"
    else
        echo "not ok - generated map of ~$n devices (seed $s): exit $rc after ${el}s: $(head -c 300 "$T/err")"
    fi
    rm -f "$T"/g.*
done
# a map with zero lines and one with a single phone line are valid too
printf '回線No,通信形態\r\n' > "$T/empty.csv"
timeout -k 5 60 "$EDGEMAP" render "$T/empty.csv" -o "$T/e.svg" >/dev/null 2>&1; rc=$?
[ $rc -le 1 ] && xmllint --noout "$T/e.svg" 2>/dev/null && echo "ok - empty records render" || echo "not ok - empty records render: exit $rc"
exit 0
