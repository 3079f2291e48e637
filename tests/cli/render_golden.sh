#!/bin/bash
# render_golden.sh — golden tests for the samples: the model JSON (its spec/cli.md keys)
# and the DOT before layout (no coordinates, so they are stable across Graphviz versions). Run from the
# project root with a fixed survey date. After an intended change:
#   UPDATE_GOLDEN=1 EDGEMAP=./build/edgemap ROOT=$PWD bash tests/cli/render_golden.sh
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
cd "$ROOT" || exit 2
T=$(mktemp -d /tmp/em-render-golden.XXXXXX)
trap 'rm -rf "$T"' EXIT
for s in samples/hospital.xlsx samples/clinic.csv; do
    b=$(basename "${s%.*}")
    if [ ! -f "$s" ]; then echo "skip - golden $b: $s missing"; continue; fi
    "$EDGEMAP" render "$s" --survey-date 2026-11-20 -o "$T/$b.dot" -o "$T/$b.json" 2>"$T/err"
    rc=$?
    if [ $rc -gt 1 ]; then echo "not ok - golden $b: render exit $rc: $(head -3 "$T/err")"; continue; fi
    # the JSON golden holds only the keys spec/cli.md fixes (others may be added)
    python3 tests/tools/json_stable.py "$T/$b.json" > "$T/$b.stable.json" && mv "$T/$b.stable.json" "$T/$b.json"
    for ext in dot json; do
        g=tests/golden/render_$b.$ext
        if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then cp "$T/$b.$ext" "$g"; echo "ok - golden $b.$ext updated"; continue; fi
        if [ ! -f "$g" ]; then echo "not ok - golden $b.$ext: $g missing (UPDATE_GOLDEN=1 to create)"; continue; fi
        if cmp -s "$T/$b.$ext" "$g"; then echo "ok - golden $b.$ext"
        else
            echo "not ok - golden $b.$ext: differs from $g (UPDATE_GOLDEN=1 after an intended change)"
            diff -u "$g" "$T/$b.$ext" | head -40
        fi
    done
done
exit 0
