#!/bin/bash
# snmp_fuzz.sh — builds fuzz_walk, fuzz_varbind, the per-decoder targets fuzz_cdp,
# fuzz_fdb, fuzz_arp, fuzz_route and the DISC.json reader fuzz_disc
# (tests/fuzz/fuzz.mk), replays their
# seed corpora and fuzzes each for a short bounded time (SNMP_FUZZ_SECONDS, default 8).
# Once per `make check` (in the plain build's turn): the targets carry their own
# ASan+UBSan. Without clang the seeds are replayed through tests/fuzz/replay.c.
set -u
: "${ROOT:?}" "${BUILD:?}"
cd "$ROOT" || exit 2
case $BUILD in *san*) echo "skip - snmp fuzz: runs in the plain build's turn (targets have their own sanitizers)"; exit 0 ;; esac
SECS=${SNMP_FUZZ_SECONDS:-8}
FB=$BUILD/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if ! command -v clang >/dev/null 2>&1; then
    if ! make -s -f tests/fuzz/fuzz.mk FUZZ_BUILD="$FB" snmp-replay snmp-l2-replay "$FB/replay_disc" >"$tmp/b.log" 2>&1; then
        echo "not ok - snmp fuzz replay build: $(tail -n 3 "$tmp/b.log" | tr '\n' ' ')"; exit 0
    fi
    for n in walk varbind cdp fdb arp route disc; do
        if "$FB/replay_$n" "tests/fuzz/corpus/$n" >"$tmp/o" 2>&1; then echo "ok - fuzz_$n seeds replayed (no clang)"
        else echo "not ok - fuzz_$n seed replay: $(grep -m1 -E 'ERROR|runtime error' "$tmp/o")"; fi
        echo "skip - fuzz_$n run: clang is not installed"
    done
    exit 0
fi
if ! make -s -j2 -f tests/fuzz/fuzz.mk FUZZ_BUILD="$FB" snmp snmp-l2 "$FB/fuzz_disc" >"$tmp/b.log" 2>&1; then
    echo "not ok - snmp fuzz build: $(grep -m3 -E 'error' "$tmp/b.log" | tr '\n' ' ')"; exit 0
fi
for n in walk varbind cdp fdb arp route disc; do
    mkdir -p "$tmp/new-$n"
    if (cd "$tmp" && timeout -k 5 $((SECS + 60)) "$ROOT/$FB/fuzz_$n" -runs=0 "$ROOT/tests/fuzz/corpus/$n") >"$tmp/r" 2>&1; then
        echo "ok - fuzz_$n: seed corpus replays clean"
    else
        echo "not ok - fuzz_$n seeds: $(grep -m1 -E 'ERROR|runtime error' "$tmp/r")"; tail -n 20 "$tmp/r"
    fi
    if (cd "$tmp" && timeout -k 5 $((SECS + 60)) "$ROOT/$FB/fuzz_$n" -max_total_time="$SECS" -max_len=8192 \
            "$tmp/new-$n" "$ROOT/tests/fuzz/corpus/$n") >"$tmp/f" 2>&1; then
        echo "ok - fuzz_$n: ${SECS}s of fuzzing without a crash ($(grep -o 'Done [0-9]* runs' "$tmp/f"))"
    else
        echo "not ok - fuzz_$n found a crash: $(grep -m1 -E 'ERROR|runtime error' "$tmp/f")"; tail -n 30 "$tmp/f"
    fi
done
exit 0
