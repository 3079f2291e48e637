#!/bin/bash
# commands.sh — peak memory of every command on a big survey (issue 12 item 2: every
# command on every input within 256 MB): the 100,000-row workbook of bench/import.sh
# (bench/gen_survey.c) given to check, targets, render in each output format, annotate
# and diff, one run each. Prints each command's exit status, CPU time (user + system),
# peak RSS as GNU time reports it (%M: the largest of the process and the children it
# waited for, e.g. render's layout child) and the verdict against 256 MB.
#   bench/commands.sh [BUILD]        ROWS=100000
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
BUILD=${1:-${BUILD:-build}}
ROWS=${ROWS:-100000}
OUT=$ROOT/$BUILD/bench
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "commands.sh: /usr/bin/time is missing (apt-get install time)"; exit 2; }
pkg-config --exists xlsxwriter || { echo "commands.sh: libxlsxwriter-dev is missing"; exit 2; }
if [ ! -x "$OUT/gen_survey" ] || [ bench/gen_survey.c -nt "$OUT/gen_survey" ]; then
    ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra $(pkg-config --cflags xlsxwriter) \
        -o "$OUT/gen_survey" bench/gen_survey.c $(pkg-config --libs xlsxwriter) || exit 2
fi
make -s BUILD="$BUILD" "$BUILD/edgemap" || exit 2
EDGEMAP=$ROOT/$BUILD/edgemap
BOOK=$OUT/survey-$ROWS.xlsx
if [ ! -s "$BOOK" ] || [ "$OUT/gen_survey" -nt "$BOOK" ]; then
    echo "generating $BOOK ($ROWS rows) ..."
    "$OUT/gen_survey" "$BOOK" "$ROWS" || exit 2
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cp "$BOOK" "$W/other.xlsx"

echo "workbook: $BOOK ($ROWS rows); $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %5s %9s %10s  %s\n' command exit "cpu(u+s)" "peak RSS" "<= 256 MB"
# run LABEL ARGS... : one run of edgemap ARGS (outputs into the temp folder)
run() {
    local label=$1; shift
    /usr/bin/time -f '%x %U %S %M' -o "$W/time" "$EDGEMAP" "$@" --data "$ROOT/data" >/dev/null 2>"$W/err" </dev/null
    local rc u s m
    read -r rc u s m < <(tail -n 1 "$W/time")
    awk -v l="$label" -v rc="$rc" -v u="$u" -v s="$s" -v m="$m" 'BEGIN{
        printf "%-34s %5s %8.2fs %8.1f MB  %s\n", l, rc, u + s, m / 1024, (m <= 256 * 1024 ? "met" : "MISSED") }'
    [ "$rc" -le 1 ] || echo "    ($(head -n 1 "$W/err"))"
    rm -f "$W"/out.*
}
run "check --format json" check --format json "$BOOK"
run "check (text)" check "$BOOK"
run "targets -o t.csv" targets "$BOOK" -o "$W/out.csv"
for f in svg pdf png dot csv json html drawio; do
    run "render -o map.$f" render "$BOOK" -o "$W/out.$f"
done
# --redact rewrites every name in every free text and message (quadratic before
# 2026-11-30 late: 37.6 s at 2,000 rows, hours at 100,000)
run "render --redact -o map.pdf" render --redact "$BOOK" -o "$W/out.pdf"
run "annotate -o a.xlsx" annotate "$BOOK" -o "$W/out.xlsx"
run "diff BOOK COPY" diff "$BOOK" "$W/other.xlsx"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
