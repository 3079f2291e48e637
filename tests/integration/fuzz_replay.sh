#!/bin/bash
# fuzz_replay.sh — builds the libFuzzer targets (tests/fuzz/fuzz.mk, into $BUILD/fuzz),
# replays the whole seed corpus through each (the 742 Excel workbooks plus
# tests/fuzz/corpus/xlsx for xlsx, tests/fuzz/corpus/xlsx_sheet for the sheet-XML and
# merged-range targets, tests/fuzz/corpus/NAME for csv, disc, diff, snmpconf, nmap, drawio,
# finding, accept, advisory, eos, makers and the snmp decoders walk, varbind, cdp, fdb,
# arp, route), then
# fuzzes each for a short bounded time.
# Without clang the seeds are replayed through tests/fuzz/replay.c built with cc
# (ASan+UBSan) and the fuzzing run is skipped. FUZZ_SECONDS sets the run (default 10).
set -u
: "${ROOT:?}" "${BUILD:?}"
cd "$ROOT" || exit 2
SECS=${FUZZ_SECONDS:-10}
FB=$BUILD/fuzz
XLSX_SEEDS=${XLSX_CORPUS:-$ROOT/../shared/corpus/xlsx-excel}
CSV_SEEDS=$ROOT/tests/fuzz/corpus/csv

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the fuzz binaries carry their own sanitizers; the runner's options are for build-san
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

seeds_for() { # name -> seed dirs that exist (the shared corpus may be absent)
    local d
    case $1 in
        xlsx) for d in "$XLSX_SEEDS" "$ROOT/tests/fuzz/corpus/xlsx"; do [ -d "$d" ] && echo "$d"; done ;;
        xlsx_sheet) [ -d "$ROOT/tests/fuzz/corpus/xlsx_sheet" ] && echo "$ROOT/tests/fuzz/corpus/xlsx_sheet" ;;
        csv) [ -d "$CSV_SEEDS" ] && echo "$CSV_SEEDS" ;;
        xlsx_merge) for d in "$ROOT/tests/fuzz/corpus/xlsx_sheet" "$ROOT/tests/fuzz/corpus/xlsx_merge"; do
                        [ -d "$d" ] && echo "$d"; done ;;
        disc|diff|snmpconf|nmap|drawio|finding|json_str|json_model|accept|advisory|eos|makers|walk|varbind|cdp|fdb|arp|route) [ -d "$ROOT/tests/fuzz/corpus/$1" ] && echo "$ROOT/tests/fuzz/corpus/$1" ;;
    esac
}
names="xlsx xlsx_sheet"
[ -f mapper/csv.c ] && names="$names csv"
# the DISC.json reader, the diff reader, the --snmp-config parser, and the
# merged-range scanner against the plain libxml2 pass (a differential target)
names="$names disc diff snmpconf xlsx_merge"
# the nmap XML reader (--scan) and the draw.io reader (--layout)
names="$names nmap drawio"
# packed finding messages against the plain vsnprintf (a differential target)
names="$names finding"
# the model JSON's string escaper against the one it replaced (differential)
names="$names json_str"
# the model JSON writer on any survey CSV: valid JSON, one thread = two
names="$names json_model"
# the text files users and the data directory hand in: --accept, the advisory and OS
# end-of-support tables, the router-makers list (each through a memory file)
names="$names accept advisory eos makers"
# the discovery decoders: snmpwalk dumps, varbinds, CDP, forwarding, ARP and route tables
names="$names walk varbind cdp fdb arp route"

if ! command -v clang >/dev/null 2>&1; then
    if ! make -s -f tests/fuzz/fuzz.mk FUZZ_BUILD="$FB" replay >"$tmp/build.log" 2>&1; then
        echo "not ok - fuzz replay build (cc): $(tail -n 5 "$tmp/build.log" | tr '\n' ' ')"
        exit 0
    fi
    for n in $names; do
        mapfile -t s < <(seeds_for "$n")
        if [ "${#s[@]}" -eq 0 ]; then echo "skip - fuzz_$n seeds: none found"; continue; fi
        if timeout -k 5 300 "$FB/replay_$n" "${s[@]}" >"$tmp/out" 2>&1; then
            echo "ok - fuzz_$n seeds replayed without libFuzzer: $(tail -n 1 "$tmp/out")"
        else
            echo "not ok - fuzz_$n seed replay: $(grep -m1 -E 'ERROR|runtime error' "$tmp/out")"
            tail -n 30 "$tmp/out"
        fi
        echo "skip - fuzz_$n run: clang is not installed (apt-get install clang libclang-rt-14-dev)"
    done
    exit 0
fi

if ! make -s -j2 -f tests/fuzz/fuzz.mk FUZZ_BUILD="$FB" >"$tmp/build.log" 2>&1; then
    echo "not ok - fuzz build: $(grep -m3 -E 'error|cannot' "$tmp/build.log" | tr '\n' ' ')"
    tail -n 20 "$tmp/build.log"
    exit 0
fi

for n in $names; do
    bin=$FB/fuzz_$n
    mapfile -t s < <(seeds_for "$n")
    if [ "${#s[@]}" -eq 0 ]; then
        echo "skip - fuzz_$n: no seed corpus found"
        continue
    fi
    nseeds=$(find "${s[@]}" -maxdepth 1 -type f | wc -l)
    mkdir -p "$tmp/$n-new" "$tmp/$n-art"
    # 1. every seed once (-runs=0); new units would go to the scratch dir, never the seeds
    if timeout -k 5 300 "$bin" -runs=0 -timeout=20 -rss_limit_mb=2048 \
           -artifact_prefix="$tmp/$n-art/" "$tmp/$n-new" "${s[@]}" >"$tmp/replay.log" 2>&1 &&
       grep -q 'Done ' "$tmp/replay.log"; then
        echo "ok - fuzz_$n replays $nseeds seeds"
    else
        echo "not ok - fuzz_$n seed replay: $(grep -m1 -E 'ERROR|runtime error|deadly|Timeout' "$tmp/replay.log")"
        tail -n 30 "$tmp/replay.log"
        continue
    fi
    # 2. a short bounded fuzzing run from those seeds
    if timeout -k 5 $((SECS + 120)) "$bin" -max_total_time="$SECS" -timeout=10 \
           -rss_limit_mb=2048 -max_len=400000 -artifact_prefix="$tmp/$n-art/" \
           "$tmp/$n-new" "${s[@]}" >"$tmp/fuzz.log" 2>&1; then
        execs=$(grep -m1 -oE 'Done [0-9]+ runs' "$tmp/fuzz.log")
        echo "ok - fuzz_$n ${SECS}s run: ${execs:-done}, no crash"
    else
        art=$(ls "$tmp/$n-art" 2>/dev/null | head -n 1)
        echo "not ok - fuzz_$n ${SECS}s run found a failure: $(grep -m1 -E 'ERROR|runtime error|deadly|Timeout' "$tmp/fuzz.log")"
        tail -n 40 "$tmp/fuzz.log"
        if [ -n "$art" ]; then
            mkdir -p "$ROOT/$FB/crashes"
            cp "$tmp/$n-art/$art" "$ROOT/$FB/crashes/"
            echo "(input kept in $FB/crashes/$art; rerun: $bin $FB/crashes/$art)"
        fi
    fi
done
