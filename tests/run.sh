#!/bin/bash
# The test runner: runs every unit-test program, CLI test and integration test once per
# build directory given (build = plain, build-san = ASan+UBSan) and ends with the line
# "N passed, N failed, N skipped".
#
# Protocol for every test (program or script): print one line per case,
#   ok - NAME            passed
#   not ok - NAME: WHY   failed
#   skip - NAME: WHY     could not run here (a clear reason)
# Anything else it prints is shown only when the test fails or exits non-zero.
# Scripts are tests/cli/*.sh and tests/integration/*.sh; they get the edgemap binary in
# $EDGEMAP, the build directory in $BUILD and the project root in $ROOT.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
export ROOT
# one locale for every test: messages are Japanese unless a test asks otherwise
# (edgemap follows LC_ALL > LC_MESSAGES > LANG; C.UTF-8 means Japanese)
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG
pass=0 fail=0 skip=0
declare -a failures=()

run_one() { # label command...
    local label=$1; shift
    local out rc
    out=$(mktemp)
    timeout -k 10 "${EM_TEST_TIMEOUT:-900}" "$@" >"$out" 2>&1
    rc=$?
    local p f s
    p=$(grep -c '^ok - ' "$out"); f=$(grep -c '^not ok - ' "$out"); s=$(grep -c '^skip - ' "$out")
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        fail=$((fail + 1)); f=1
        echo "not ok - $label: exited with status $rc"
    fi
    if [ "$f" -ne 0 ]; then
        failures+=("$label")
        echo "--- $label (exit $rc) ---"
        tail -n 60 "$out"
        echo "---"
    else
        grep '^skip - ' "$out" | sed "s|^|[$label] |"
        printf '%-50s %3d ok\n' "$label" "$p"
    fi
    rm -f "$out"
}

for b in "$@"; do
    if [ ! -d "$b" ]; then echo "no build directory $b (run make tests)"; exit 2; fi
    export BUILD=$b
    export EDGEMAP=$ROOT/$b/edgemap
    case $b in
        *san*)
            # fast unwinding: a leak's stack stops at the first library frame (Debian's
            # libraries have no frame pointers), see tests/lsan.supp. For a full stack
            # when debugging a report add fast_unwind_on_malloc=0 (about 2x slower; the
            # layout-deadline tests then miss their deadlines).
            export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
            export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
            export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0 ;;
        *) unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS ;;
    esac
    echo "== $b =="
    for t in "$b"/tests/mapper_* "$b"/tests/render_* "$b"/tests/snmp_* "$b"/tests/book_*; do
        [ -x "$t" ] || continue
        case $t in *.d|*.o) continue ;; esac
        run_one "$b:unit/$(basename "$t")" "$t"
    done
    for t in tests/cli/*.sh tests/integration/*.sh; do
        [ -f "$t" ] || continue
        run_one "$b:${t#tests/}" bash "$t"
    done
done
if [ "${#failures[@]}" -ne 0 ]; then
    echo "failed: ${failures[*]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
