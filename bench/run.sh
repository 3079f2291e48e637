#!/bin/bash
# run.sh — `make bench`: every benchmark in sequence; results go into
# docs/PERFORMANCE.md by hand. Add a line per benchmark script below.
#   bench/run.sh            (BUILD=build by default)
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
rc=0

echo "== import (bench/import.sh) =="
bench/import.sh "$BUILD" || rc=1

echo "== commands (bench/commands.sh) =="
bench/commands.sh "$BUILD" || rc=1

echo "== discover (bench/discover.sh) =="
bench/discover.sh "$BUILD" || rc=1

echo "== fleet (bench/fleet.sh) =="
bench/fleet.sh "$BUILD" || rc=1

exit $rc
