#!/bin/bash
# import_mem.sh — the memory the model of a big survey takes (issue 11 item 8, issue 12
# item 2), without any timing: a 20,000-row survey workbook made by bench/gen_survey.c
# (the import benchmark's generator, at a fifth of its size) is read by `check --format
# json`, `check` (text) and `targets`, and each run's peak RSS (GNU time) must stay within
#     BASE_KB + PER_ROW_B x rows
# BASE_KB covers the program, its libraries and the xlsx reader (a 2,000-row book peaks at
# ~22 MB); PER_ROW_B is what a row may cost in the model (lines, paths, devices, edges,
# findings, their strings) and in each command's output path. Measured on 2026-11-30
# (late): 46 MB for all three at 20,000 rows (1.1 KB a row; 153 MB at 100,000 rows, the
# import target of 160 MB met, docs/PERFORMANCE.md); 62-63 MB the same morning, 80 MB for
# json/targets and 97 MB for text (held whole) before that: bounds those levels fail.
# Skipped under the sanitizer build (ASan's shadow memory inflates RSS) and without
# libxlsxwriter's headers (the generator needs them).
set -u
: "${ROOT:?}" "${BUILD:?}" "${EDGEMAP:?}"
ROWS=20000
BASE_KB=$((24 * 1024))
PER_ROW_B=1700
max_kb=$((BASE_KB + ROWS * PER_ROW_B / 1024))

case $BUILD in *san*) echo "skip - import memory: sanitizer build (RSS is not comparable)"; exit 0 ;; esac
[ -x /usr/bin/time ] || { echo "skip - import memory: /usr/bin/time is missing (apt-get install time)"; exit 0; }
if ! pkg-config --exists xlsxwriter 2>/dev/null; then
    echo "skip - import memory: libxlsxwriter-dev is missing (the generator needs it)"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! ${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 $(pkg-config --cflags xlsxwriter) \
        -o "$tmp/gen_survey" "$ROOT/bench/gen_survey.c" $(pkg-config --libs xlsxwriter) 2>"$tmp/cc.err"; then
    echo "not ok - import memory: bench/gen_survey.c does not build: $(head -c 300 "$tmp/cc.err")"
    exit 0
fi
if ! "$tmp/gen_survey" "$tmp/survey.xlsx" "$ROWS" >/dev/null 2>"$tmp/gen.err"; then
    echo "not ok - import memory: the generator failed: $(head -c 300 "$tmp/gen.err")"
    exit 0
fi

# run NAME ARGS... : edgemap ARGS must end normally (0 or 1: the generated survey has
# errors on purpose) within max_kb, and write something.
run() {
    local name=$1
    shift
    # (timeout: a guard against a hang, not a measure; each takes seconds)
    timeout -k 5 900 /usr/bin/time -f '%M' -o "$tmp/time" "$EDGEMAP" "$@" --data "$ROOT/data" --lang en \
        >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$? kb why=""
    kb=$(tail -n 1 "$tmp/time")
    case $kb in ''|*[!0-9]*) kb=0 ;; esac
    if [ "$rc" -gt 1 ]; then why="exit status $rc: $(head -c 300 "$tmp/err")"
    elif [ "$kb" -eq 0 ]; then why="no peak RSS from /usr/bin/time"
    elif [ "$kb" -gt "$max_kb" ]; then why="peak RSS ${kb} KB over the bound of ${max_kb} KB for $ROWS rows"
    elif [ ! -s "$tmp/out" ] && [ ! -s "$tmp/targets.csv" ]; then why="wrote nothing"
    fi
    if [ -z "$why" ]; then echo "ok - import memory: $name on $ROWS rows ($((kb / 1024)) MB, bound $((max_kb / 1024)) MB)"
    else echo "not ok - import memory: $name: $why"; fi
}

run "check --format json" check --format json "$tmp/survey.xlsx"
# the JSON must be whole: the last line closes the document
tail -c 2 "$tmp/out" | grep -q '}' || echo "not ok - import memory: check --format json: the JSON is cut short"
run "check (text)" check "$tmp/survey.xlsx"
grep -q '^total: ' "$tmp/out" || echo "not ok - import memory: check (text): no total line at the end"
# an accept file of one entry per line (each entry looked up, not run against every
# finding: that was 10^9 comparisons here)
{ printf 'code\tline_no\trow\treason\taccepted_by\tdate\n'
  for ((i = 1; i <= ROWS; i++)); do printf 'W-FIRMWARE-UNVERIFIED\tL-%06d\t\tchecked\tsurvey team\t2026-11-30\n' "$i"; done
} >"$tmp/accept.tsv"
# (its own bound: the entries, half of them stale findings, cost up to 1.5 KB each on
# top of the rows; 68 MB measured before the lookup and after it)
max_kb_all=$max_kb max_kb=$((max_kb + ROWS * 1500 / 1024))
run "check --accept (an entry a line)" check --accept "$tmp/accept.tsv" "$tmp/survey.xlsx"
max_kb=$max_kb_all
grep -q 'accepted' "$tmp/out" || echo "not ok - import memory: check --accept: nothing accepted"
run "targets" targets "$tmp/survey.xlsx" -o "$tmp/targets.csv"
# render's model JSON and HTML report are streamed into their files, not built whole in
# memory first (at 100,000 rows: 769 and 403 MB before, 236 and 252 MB after)
run "render -o map.json" render "$tmp/survey.xlsx" -o "$tmp/map.json"
[ -s "$tmp/map.json" ] && tail -c 2 "$tmp/map.json" | grep -q '}' || echo "not ok - import memory: render -o map.json: the JSON is missing or cut short"
# (the report also lays the diagram out: its own bound, 2 KB a row; 51 MB measured, the
# report held whole took 112 MB)
max_kb_all=$max_kb max_kb=$((BASE_KB + ROWS * 2000 / 1024))
run "render -o report.html" render "$tmp/survey.xlsx" -o "$tmp/report.html"
max_kb=$((BASE_KB + ROWS * 3000 / 1024))
# the layout child gives back the model it inherited before it lays out and draws: the
# drawing's peak is the parent's model or the child's layout, not both (3 KB a row: the
# cairo PDF surface of a 20,000-row drawing; 76-79 MB measured;
# 114 MB when the child kept the model, at 100,000 rows 236 MB instead of 280 MB)
run "render -o map.pdf" render "$tmp/survey.xlsx" -o "$tmp/map.pdf"
head -c 5 "$tmp/map.pdf" 2>/dev/null | grep -q '%PDF-' || echo "not ok - import memory: render -o map.pdf wrote no PDF"
# --redact rewrites every name in every text (was quadratic: 37.6 s at 2,000 rows, and
# this case ran for hours; 2 s now; 2 KB a row, 57 MB measured)
max_kb=$((BASE_KB + ROWS * 2000 / 1024))
run "render --redact -o map.json" render --redact "$tmp/survey.xlsx" -o "$tmp/map.json"
grep -q '"HOST-1"' "$tmp/map.json" 2>/dev/null && ! grep -q 'rt-000001' "$tmp/map.json" \
    || echo "not ok - import memory: render --redact: host names not replaced"
max_kb=$max_kb_all
grep -q '</html>' "$tmp/report.html" 2>/dev/null || echo "not ok - import memory: render -o report.html: the report is missing or cut short"

# annotate copies the records with their comments (libxlsxwriter holds the whole copy
# until it closes the workbook): at its cap of 20,000 rows (EM_ANNOTATE_MAX_ROWS) it must
# stay within 256 MB (210 MB measured); one row more is refused with exit 2 before
# anything is copied, naming the limit, and leaves no output behind
max_kb=$((256 * 1024))
run "annotate (at its row cap)" annotate "$tmp/survey.xlsx" -o "$tmp/a.xlsx"
[ -s "$tmp/a.xlsx" ] || echo "not ok - import memory: annotate wrote no workbook"
# annotate --redact scrubs every copied cell (was quadratic, as render's was: 22 s at
# 2,000 rows, about 40 minutes here; 6 s now, 208 MB)
run "annotate --redact (at its row cap)" annotate --redact "$tmp/survey.xlsx" -o "$tmp/ar.xlsx"
unzip -p "$tmp/ar.xlsx" 2>/dev/null | grep -q 'HOST-1' && ! unzip -p "$tmp/ar.xlsx" | grep -q 'rt-000001' \
    || echo "not ok - import memory: annotate --redact: host names not replaced"
if "$tmp/gen_survey" "$tmp/over.xlsx" $((ROWS + 1)) >/dev/null 2>&1; then
    rm -f "$tmp/b.xlsx"
    /usr/bin/time -f '%M' -o "$tmp/time" "$EDGEMAP" annotate "$tmp/over.xlsx" -o "$tmp/b.xlsx" --data "$ROOT/data" \
        --lang en >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$? kb=$(tail -n 1 "$tmp/time")
    if [ "$rc" = 2 ] && grep -q "20001 rows, more than annotate can copy with its findings (20000 rows)" "$tmp/err" \
        && [ ! -e "$tmp/b.xlsx" ] && [ "${kb:-0}" -le "$max_kb" ]; then
        echo "ok - import memory: annotate refuses 20,001 rows by name of the limit, exit 2, no output ($((kb / 1024)) MB)"
    else
        echo "not ok - import memory: annotate past its cap: rc=$rc kb=$kb $(head -c 300 "$tmp/err")"
    fi
else
    echo "not ok - import memory: the generator failed for $((ROWS + 1)) rows"
fi
