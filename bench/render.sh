#!/bin/bash
# render.sh — rendering benchmark: generated maps of 50, 500, 2,000 and 5,000 devices
# (tests/tools/render_gen.c: shared core firewalls, cross links, 1-3 paths per line).
# For each: edgemap's total time for `render MAP.csv -o MAP.svg` (read, model, graph,
# layout and drawing in the child, write) against `dot -Tsvg` on the DOT edgemap itself
# emits for that map (`-o MAP.dot`, the graph before layout), in the same run, best of
# 3 wall-clock times, plus peak RSS (GNU time %M; edgemap's includes its layout child).
#   bench/render.sh [BUILD]          (BUILD=build by default)
# Prints a Markdown table; copy it into docs/PERFORMANCE.md ("Render") by hand.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-${BUILD:-build}}
EM=$BUILD/edgemap
GEN=$BUILD/tests/tools/render_gen
if [ ! -x "$EM" ] || [ ! -x "$GEN" ]; then
    echo "bench/render.sh: build first: make BUILD=$BUILD tests" >&2
    exit 2
fi
GTIME=/usr/bin/time
[ -x "$GTIME" ] || { echo "bench/render.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
T=$(mktemp -d /tmp/em-bench-render.XXXXXX)
trap 'rm -rf "$T"' EXIT
SIZES=${RENDER_BENCH_SIZES:-"50 500 2000 5000"}
MODES=${RENDER_BENCH_MODES:-"aggregated full"}
# the layout deadline is for users; here we measure the layout itself, not a fallback
export EDGEMAP_LAYOUT_TIMEOUT=${EDGEMAP_LAYOUT_TIMEOUT:-3600}

# best_of3 OUTVAR_TIME OUTVAR_RSS command... : min wall time (s) and max RSS (KB)
best_of3() {
    local tv=$1 rv=$2; shift 2
    local best="" rss=0 i t r
    for i in 1 2 3; do
        "$GTIME" -f "%e %M" -o "$T/time" "$@" >/dev/null 2>"$T/stderr"
        read -r t r < <(tail -n 1 "$T/time")
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$t; fi
        [ "$r" -gt "$rss" ] && rss=$r
    done
    printf -v "$tv" '%s' "$best"
    printf -v "$rv" '%s' "$rss"
}

# Two passes: the default (maps above 60 lines are aggregated, so the DOT is small),
# and EDGEMAP_GROUP_LINES=0 (every line and device drawn: the layout-bound case).
echo "| mode | devices | lines | nodes drawn | edgemap render (svg) | dot -Tsvg on its DOT | ratio | edgemap peak RSS | dot peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|"
for mode in $MODES; do
if [ $mode = full ]; then export EDGEMAP_GROUP_LINES=0; else unset EDGEMAP_GROUP_LINES; fi
for n in $SIZES; do
    "$GEN" "$n" 1 "$T/m$n.csv" || exit 2
    "$EM" render "$T/m$n.csv" -o "$T/m$n.dot" -o "$T/m$n.json" >/dev/null 2>&1
    [ -s "$T/m$n.dot" ] || { echo "bench/render.sh: no DOT for $n" >&2; exit 2; }
    lines=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["lines"]))' "$T/m$n.json")
    devs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["devices"]))' "$T/m$n.json")
    nodes=$(grep -cE '^[[:space:]]+("[^"]+"|[A-Za-z0-9_]+)[[:space:]]+\[' "$T/m$n.dot")
    best_of3 et er "$EM" render "$T/m$n.csv" -o "$T/m$n.svg"
    if grep -q 'layout' "$T/stderr"; then echo "bench/render.sh: $n devices: a layout fallback was used: $(head -c 200 "$T/stderr")" >&2; fi
    best_of3 dt dr dot -Tsvg "$T/m$n.dot" -o "$T/d$n.svg"
    ratio=$(awk -v a="$et" -v b="$dt" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '| %s | %s | %s | %s | %s s | %s s | %s× | %.1f MB | %.1f MB |\n' "$mode" "$devs" "$lines" "$nodes" "$et" "$dt" "$ratio" \
        "$(awk -v k="$er" 'BEGIN{print k/1024}')" "$(awk -v k="$dr" 'BEGIN{print k/1024}')"
done
done
