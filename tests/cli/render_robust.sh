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
# a big map stays on a printable page: aggregated, PNG within A3 at 300 dpi, PDF one A3 page
"$GEN" 2000 7 "$T/big.csv"
start=$(date +%s)
timeout -k 5 300 "$EDGEMAP" render "$T/big.csv" -o "$T/big.png" -o "$T/big.pdf" -o "$T/big.dot" >/dev/null 2>"$T/err"
rc=$?
el=$(( $(date +%s) - start ))
nodes=$(grep -cE '^[[:space:]]+("[^"]+"|[A-Za-z0-9_]+)[[:space:]]+\[' "$T/big.dot" 2>/dev/null)
read -r w h _ < <(python3 "$ROOT/tests/tools/png_stats.py" "$T/big.png" 2>/dev/null || echo 0 0 0)
if [ $rc -le 1 ] && [ "${nodes:-0}" -gt 10 ] && [ "${nodes:-0}" -lt 200 ] && [ "$w" -le 4961 ] && [ "$h" -le 3508 ] && [ "$w" -gt 0 ] \
    && pdfinfo "$T/big.pdf" | grep -q 'Pages: *1$' && pdfinfo "$T/big.pdf" | grep -q '(A3)'; then
    echo "ok - 2,000-device map aggregated to $nodes nodes, PNG ${w}x${h}, one A3 PDF page (${el}s)"
else
    echo "not ok - 2,000-device map: exit $rc, $nodes nodes, PNG ${w}x${h}: $(head -c 300 "$T/err")"
fi
rm -f "$T"/big.*
# a map with zero lines and one with a single phone line are valid too
printf '回線No,通信形態\r\n' > "$T/empty.csv"
timeout -k 5 60 "$EDGEMAP" render "$T/empty.csv" -o "$T/e.svg" >/dev/null 2>&1; rc=$?
[ $rc -le 1 ] && xmllint --noout "$T/e.svg" 2>/dev/null && echo "ok - empty records render" || echo "not ok - empty records render: exit $rc"
exit 0
