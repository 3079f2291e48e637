#!/bin/bash
# import.sh — the import benchmark: a 100,000-row survey workbook (bench/gen_survey.c,
# libxlsxwriter, shared strings, two-row grouped header, merged 回線No) read in the same
# run by
#   (a) edgemap: `edgemap check --format json FILE >/dev/null` (the whole pipeline:
#       reader, records builder, rules, JSON), and the xlsx reader alone
#       (tests/tools/xlsx_dump -q: every sheet, every row, merges applied);
#   (b) /usr/bin/python3 with Debian's openpyxl, read-only mode, every row's values;
#   (c) the floors for the reader: bench/sax_bare.c, libxml2's SAX2 push parser with
#       empty callbacks over the survey sheet's XML, in one thread,
#       sax:    inflated beforehand (unzip -p: no inflate, no CRC in the measure), and
#       saxzip: read from the zip entry with libzip's zip_fread (one inflate + CRC, as
#               any reader of the workbook must do once).
# Wall time and CPU time (user + system), each the best of BENCH_RUNS runs (the
# machine is shared, so wall time alone can mislead), and peak RSS (GNU time %M, the
# largest) of each, the ratios, and the verdict against the targets (issue 11 item 8):
# check >= 10x faster than openpyxl with peak RSS <= 160 MB; the reader within 2x of a
# bare SAX2 parse, against both floors of (c), wall and CPU.
#   bench/import.sh [BUILD]        ROWS=100000 BENCH_RUNS=3
#   BENCH_WHAT="sax saxzip reader" bench/import.sh   only those (default: all five)
#   BENCH_BEFORE=/path/to/old/xlsx_dump bench/import.sh   also times that reader ("before",
#        alternated with the others in the same run) for before/after figures
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
BUILD=${1:-${BUILD:-build}}
ROWS=${ROWS:-100000}
RUNS=${BENCH_RUNS:-3}
OUT=$ROOT/$BUILD/bench
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null 2>&1 || { echo "import.sh: $1 is missing ($2)"; exit 2; }; }
need pkg-config "apt-get install pkg-config"
[ -x /usr/bin/time ] || { echo "import.sh: /usr/bin/time is missing (apt-get install time)"; exit 2; }
pkg-config --exists xlsxwriter || { echo "import.sh: libxlsxwriter-dev is missing"; exit 2; }

# the generator and the reader tool
if [ ! -x "$OUT/gen_survey" ] || [ bench/gen_survey.c -nt "$OUT/gen_survey" ]; then
    ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra $(pkg-config --cflags xlsxwriter) \
        -o "$OUT/gen_survey" bench/gen_survey.c $(pkg-config --libs xlsxwriter) || exit 2
fi
if [ ! -x "$OUT/sax_bare" ] || [ bench/sax_bare.c -nt "$OUT/sax_bare" ]; then
    ${CC:-cc} -std=c11 -O2 -Wall -Wextra $(pkg-config --cflags libxml-2.0 libzip) \
        -o "$OUT/sax_bare" bench/sax_bare.c $(pkg-config --libs libxml-2.0 libzip) || exit 2
fi
make -s BUILD="$BUILD" "$BUILD/edgemap" "$BUILD/tests/tools/xlsx_dump" || exit 2
DUMP=$ROOT/$BUILD/tests/tools/xlsx_dump
EDGEMAP=$ROOT/$BUILD/edgemap

BOOK=$OUT/survey-$ROWS.xlsx
if [ ! -s "$BOOK" ] || [ "$OUT/gen_survey" -nt "$BOOK" ]; then
    echo "generating $BOOK ($ROWS rows) ..."
    "$OUT/gen_survey" "$BOOK" "$ROWS" || exit 2
fi

WHAT=" ${BENCH_WHAT:-sax saxzip reader check openpyxl} "
wanted() { [[ "$WHAT" == *" $1 "* ]]; }

# measure LABEL CMD... : one run; keeps the best wall time, the best CPU time and the
# largest peak RSS of LABEL. The runs are alternated (round r of every command, then
# round r + 1), so a burst of load from the other users hits all of them alike.
declare -A WALL RSS CPU
measure() {
    local label=$1; shift
    wanted "$label" || return 0
    local t m u sy rc c
    /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/stderr.txt"
    rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "$label: exit status $rc: $(head -c 300 "$OUT/stderr.txt")"
        return 1
    fi
    read -r t m u sy < <(tail -n 1 "$OUT/time.txt")
    c=$(awk -v u="$u" -v s="$sy" 'BEGIN{printf "%.2f", u + s}')
    if [ -z "${WALL[$label]:-}" ] || awk -v a="$t" -v b="${WALL[$label]}" 'BEGIN{exit !(a<b)}'; then
        WALL[$label]=$t
    fi
    if [ -z "${CPU[$label]:-}" ] || awk -v a="$c" -v b="${CPU[$label]}" 'BEGIN{exit !(a<b)}'; then
        CPU[$label]=$c
    fi
    [ "$m" -gt "${RSS[$label]:-0}" ] && RSS[$label]=$m
    return 0
}

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo "machine: $cpu, $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GB", $2/1048576}' /proc/meminfo); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "libxml2 $(pkg-config --modversion libxml-2.0), libzip $(pkg-config --modversion libzip), python3 $(/usr/bin/python3 -c 'import sys; print(sys.version.split()[0])'), openpyxl $(/usr/bin/python3 -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null)"
echo "workbook: $BOOK, $(stat -c %s "$BOOK") bytes; $(unzip -l "$BOOK" 2>/dev/null | awk '/worksheets\/sheet2.xml/{printf "survey sheet XML %d bytes", $1}')"
echo "best of $RUNS alternated runs (wall and CPU each); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

check_ok=0
if wanted check; then
    "$EDGEMAP" check --format json "$BOOK" >"$OUT/check.json" 2>"$OUT/stderr.txt"
    rc=$?
    if [ "$rc" -le 1 ] && head -c 200 "$OUT/check.json" | grep -q '"schema"'; then check_ok=1; fi
    rm -f "$OUT/check.json"
fi

SHEET_XML=$OUT/survey-$ROWS.sheet2.xml
if [ ! -s "$SHEET_XML" ] || [ "$BOOK" -nt "$SHEET_XML" ]; then
    unzip -p "$BOOK" xl/worksheets/sheet2.xml >"$SHEET_XML" || exit 2
fi
[ -n "${BENCH_BEFORE:-}" ] && WHAT="$WHAT before "
have_openpyxl=0
if wanted openpyxl; then
    if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
        have_openpyxl=1
    else
        echo "openpyxl is missing (apt-get install python3-openpyxl): no baseline"
    fi
fi
for ((round = 0; round < RUNS; round++)); do
    measure sax "$OUT/sax_bare" "$SHEET_XML" || exit 1
    measure saxzip "$OUT/sax_bare" "$BOOK" xl/worksheets/sheet2.xml || exit 1
    measure reader "$DUMP" -q "$BOOK" || exit 1
    if [ -n "${BENCH_BEFORE:-}" ]; then
        measure before "$BENCH_BEFORE" -q "$BOOK" || exit 1
    fi
    if [ "$check_ok" = 1 ]; then
        measure check "$EDGEMAP" check --format json "$BOOK" || exit 1
    fi
    if [ "$have_openpyxl" = 1 ]; then
        measure openpyxl /usr/bin/python3 bench/openpyxl_read.py "$BOOK" || exit 1
    fi
done

row() { # label description
    [ -n "${WALL[$1]:-}" ] || return 0
    local ratio="-"
    if [ -n "${WALL[openpyxl]:-}" ]; then
        ratio=$(awk -v o="${WALL[openpyxl]}" -v w="${WALL[$1]}" 'BEGIN{ if (w > 0) printf "%.1fx", o / w; else print "-" }')
    fi
    printf '%-10s %-52s %8.2f s %8.2f s %9.1f MB  %s\n' "$1" "$2" "${WALL[$1]}" "${CPU[$1]}" \
        "$(awk -v k="${RSS[$1]}" 'BEGIN{printf "%.1f", k / 1024}')" "$ratio"
}
printf '%-10s %-52s %10s %10s %12s  %s\n' what command wall "cpu(u+s)" "peak RSS" "vs openpyxl"
row reader "xlsx_dump -q (xlsx reader alone, all sheets)"
row before "BENCH_BEFORE's xlsx_dump -q (the reader before)"
row check "edgemap check --format json >/dev/null"
row openpyxl "python3 openpyxl read_only, every row's values"
row sax "bare libxml2 SAX2 over the inflated survey sheet"
row saxzip "bare libxml2 SAX2 over the sheet's zip entry (libzip)"
[ "$check_ok" = 1 ] || ! wanted check || echo "check     edgemap check does not work in this build: not measured"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "${WALL[check]:-}" ] && [ -n "${WALL[openpyxl]:-}" ]; then
    awk -v o="${WALL[openpyxl]}" -v w="${WALL[check]}" -v k="${RSS[check]}" 'BEGIN{
        r = (w > 0) ? o / w : 0
        printf "check: speed target (>= 10x openpyxl) %s (%.1fx); memory target (<= 160 MB) %s (%.1f MB)\n",
            (r >= 10 ? "met" : "MISSED"), r, (k <= 160 * 1024 ? "met" : "MISSED"), k / 1024 }'
fi
# reader against one floor: the verdict for wall and for CPU separately
for base in sax saxzip; do
    [ -n "${WALL[reader]:-}" ] && [ -n "${WALL[$base]:-}" ] || continue
    awk -v b="$base" -v s="${WALL[$base]}" -v w="${WALL[reader]}" -v sc="${CPU[$base]}" -v wc="${CPU[reader]}" 'BEGIN{
        r = (s > 0) ? w / s : 0; rc = (sc > 0) ? wc / sc : 0
        what = (b == "sax") ? "bare SAX2 over the inflated sheet" : "bare SAX2 from the zip entry"
        printf "reader vs %-6s target (within 2x of %s): wall %.2fx %s, cpu %.2fx %s\n", b, what,
            r, (r <= 2 ? "met" : "MISSED"), rc, (rc <= 2 ? "met" : "MISSED") }'
done
exit 0
