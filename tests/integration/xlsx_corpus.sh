#!/bin/bash
# xlsx_corpus.sh — the xlsx reader over every workbook of the shared corpus (742 files
# saved by Excel, ../shared/corpus/xlsx-excel): each sheet of each file must read
# cleanly or give a clean error (rc < 0 with a message); never a crash, a sanitizer
# report, a hang (timeout) or unbounded memory (peak RSS from GNU time), and nothing
# from libxml2 on stderr. One summary ok line, one not-ok line per bad file.
set -u
: "${ROOT:?}" "${BUILD:?}"
CORPUS=${XLSX_CORPUS:-$ROOT/../shared/corpus/xlsx-excel}
DUMP=$ROOT/$BUILD/tests/tools/xlsx_dump

if [ ! -d "$CORPUS" ]; then
    echo "skip - xlsx corpus: $CORPUS is absent"
    exit 0
fi
if [ ! -x "$DUMP" ]; then
    echo "not ok - xlsx corpus: $DUMP is not built (make tests)"
    exit 0
fi
TIMEBIN=/usr/bin/time
[ -x "$TIMEBIN" ] || TIMEBIN=""

# ASan reserves shadow memory and keeps freed blocks in quarantine: a looser bound.
case $BUILD in *san*) max_kb=$((512 * 1024)) ;; *) max_kb=$((64 * 1024)) ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=0 clean=0 errors=0 sheets=0 bad=0 peak=0
for f in "$CORPUS"/*.xlsx; do
    [ -f "$f" ] || continue
    files=$((files + 1))
    name=$(basename "$f")
    if [ -n "$TIMEBIN" ]; then
        timeout -k 5 30 "$TIMEBIN" -f %M -o "$tmp/rss" "$DUMP" -q "$f" >"$tmp/out" 2>"$tmp/err"
    else
        timeout -k 5 30 "$DUMP" -q "$f" >"$tmp/out" 2>"$tmp/err"
    fi
    rc=$?
    why=""
    case $rc in
        0) clean=$((clean + 1)) ;;
        1) if grep -q '^error: rc=-[0-9]' "$tmp/out"; then errors=$((errors + 1))
           else why="exit 1 without an error message"; fi ;;
        124|137) why="timed out after 30 s" ;;
        *) why="exit status $rc ($(grep -m1 -E 'ERROR|runtime error|error:' "$tmp/err" "$tmp/out" | head -c 200))" ;;
    esac
    if [ -z "$why" ] && [ -s "$tmp/err" ]; then
        why="wrote to stderr: $(head -c 200 "$tmp/err")"
    fi
    if [ -z "$why" ] && [ -n "$TIMEBIN" ]; then
        kb=$(tail -n 1 "$tmp/rss")
        case $kb in ''|*[!0-9]*) kb=0 ;; esac
        [ "$kb" -gt "$peak" ] && peak=$kb
        [ "$kb" -gt "$max_kb" ] && why="peak RSS ${kb} KB over ${max_kb} KB"
    fi
    sheets=$((sheets + $(grep -c '^sheet ' "$tmp/out")))
    if [ -n "$why" ]; then
        bad=$((bad + 1))
        echo "not ok - xlsx corpus $name: $why"
    fi
done

if [ "$files" -eq 0 ]; then
    echo "not ok - xlsx corpus: no .xlsx files in $CORPUS"
    exit 0
fi
if [ "$bad" -eq 0 ]; then
    echo "ok - xlsx corpus: $files files, $sheets sheets, $clean read cleanly, $errors clean errors, peak RSS ${peak} KB"
fi
# the corpus holds real Excel files: nearly all must read, not just fail cleanly
if [ "$clean" -lt $((files * 9 / 10)) ]; then
    echo "not ok - xlsx corpus: only $clean of $files files read cleanly"
fi
