#!/bin/bash
# hostile.sh — every reader against hostile input (issue 12 item 8): zip bombs, XXE and
# billion laughs in every workbook part, 10,000-deep XML, 100 MB cell texts, broken
# references and merges, traversal and symlink entries, encrypted and old-format files,
# a 1 GiB CSV line (streamed through a FIFO, never written to disk), a million CSV
# columns, hostile nmap XML, DISC.json, walk dumps, diff inputs and an SNMP config.
# Each case must exit 2 with a clear message (the expected English words are below),
# within 256 MB peak RSS (GNU time) and 60 s, with nothing from a sanitizer. The small
# inputs are committed in tests/hostile/corpus (made by tests/hostile/gen.py small);
# the big ones are made here in a temp dir (gen.py big) and deleted; under the
# sanitizer build only the small ones run (ASan's shadow memory inflates RSS, and the
# big ones take minutes there).
set -u
: "${ROOT:?}" "${BUILD:?}" "${EDGEMAP:?}"
C=$ROOT/tests/hostile/corpus
GEN=$ROOT/tests/hostile/gen.py
TIMEBIN=/usr/bin/time
if [ ! -x "$TIMEBIN" ]; then
    echo "skip - hostile inputs: /usr/bin/time is missing (apt-get install time)"
    exit 0
fi
case $BUILD in *san*) san=1; max_kb=$((1024 * 1024)) ;; *) san=0; max_kb=$((256 * 1024)) ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 600 "$C/snmp-swapped.conf" 2>/dev/null  # git does not keep the mode

# case NAME EXPECT [NOT] -- ARGS... : edgemap ARGS must exit 2, say EXPECT (a grep -E
# pattern) on stderr, not say NOT (when given, e.g. a secret), stay within max_kb.
# EXPECT "ANY" (bounded_): any clean end (exit 0, 1 or 2) within the same bounds.
bounded_() { case_ "$1" ANY -- "${@:2}"; }
case_() {
    local name=$1 expect=$2 not=""
    shift 2
    if [ "$1" != "--" ]; then not=$1; shift; fi
    shift
    timeout -k 5 60 "$TIMEBIN" -v -o "$tmp/time" "$EDGEMAP" "$1" --lang en "${@:2}" \
        >"$tmp/out" 2>"$tmp/err" </dev/null
    local rc=$? kb why=""
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time" 2>/dev/null)
    case $kb in ''|*[!0-9]*) kb=0 ;; esac
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then why="timed out after 60 s"
    elif grep -qE 'ERROR: AddressSanitizer|runtime error|LeakSanitizer' "$tmp/err"; then
        why="sanitizer: $(grep -m1 -E 'ERROR|runtime error' "$tmp/err")"
    elif [ "$expect" = ANY ] && [ "$rc" -gt 2 ]; then why="exit status $rc: $(head -c 200 "$tmp/err")"
    elif [ "$expect" != ANY ] && [ "$rc" -ne 2 ]; then why="exit status $rc, not 2: $(head -c 200 "$tmp/err")"
    elif [ "$expect" != ANY ] && ! grep -qE "$expect" "$tmp/err"; then why="message does not say /$expect/: $(head -c 300 "$tmp/err")"
    elif [ -n "$not" ] && grep -qF "$not" "$tmp/err"; then why="message quotes '$not': $(head -c 200 "$tmp/err")"
    elif [ "$kb" -gt "$max_kb" ]; then why="peak RSS ${kb} KB over $((max_kb / 1024)) MB"
    fi
    if [ -z "$why" ]; then echo "ok - hostile $name ($((kb / 1024)) MB)"
    else echo "not ok - hostile $name: $why"; fi
}

R=$C/records.csv
# ---- workbooks
case_ "zip bomb (60 MB of blanks, ~1000:1)" 'abnormal compression ratio' -- check "$C/zip-bomb.xlsx"
for p in workbook rels sst styles sheet; do
    case_ "XXE in the $p part" 'DOCTYPE declaration.*refused' -- check "$C/xxe-$p.xlsx"
    case_ "billion laughs in the $p part" 'DOCTYPE declaration.*refused' -- check "$C/laughs-$p.xlsx"
    case_ "10,000-deep XML in the $p part" 'nested too deeply \(limit 64' -- check "$C/deep-$p.xlsx"
done
case_ "cell reference A0" "cell reference 'A0'" -- check "$C/ref-row0.xlsx"
case_ "cell reference B-1" "cell reference 'B-1'" -- check "$C/ref-negative.xlsx"
case_ "row number 0" "row number '0'" -- check "$C/row-zero.xlsx"
case_ "rows out of order" 'rows are out of order \(after row 2 comes row 1\)' -- check "$C/rows-backwards.xlsx"
case_ "merged range A0:B2" "merged range 'A0:B2'" -- check "$C/merge-row0.xlsx"
case_ "merged range over the whole sheet" 'too many cells in one row \(limit 1024\)' -- check "$C/merge-huge.xlsx"
case_ "shared-string index out of range" 'shared string that does not exist' -- check "$C/sst-index.xlsx"
case_ "column beyond XFD" 'too many columns \(limit 16384\)' -- check "$C/columns-beyond.xlsx"
case_ "relationship target ../../etc/passwd" 'points to a part outside the package.*etc/passwd' -- check "$C/rel-traversal.xlsx"
case_ "sheet entry that is a symlink" 'XML of xl/worksheets/sheet1.xml is broken' -- check "$C/symlink-sheet.xlsx"
case_ "zip-slip entry name" 'XML of xl/worksheets/sheet1.xml is broken' -- check "$C/zip-slip-entry.xlsx"
case_ "sheet whose CRC does not match" 'xl/worksheets/sheet1.xml inside the zip do not match its checksum \(CRC\)' -- check "$C/crc.xlsx"
case_ "two entries with one name" 'two entries named xl/worksheets/sheet1.xml' -- check "$C/duplicate-entry.xlsx"
case_ "zip-encrypted part" 'encrypted and cannot be read' -- check "$C/zip-encrypted.xlsx"
case_ "password-protected workbook (OLE)" 'password-protected workbooks cannot be read' -- check "$C/ole-encrypted.xlsx"
case_ "old .xls named .xlsx" 'old-format \(\.xls\) workbook' -- check "$C/old-format.xlsx"
case_ "not a zip" 'cannot be read as a zip' -- check "$C/not-a-zip.xlsx"
# ---- CSV
case_ "CSV: UTF-8 mark on CP932 text" 'starts with a UTF-8 mark \(BOM\) but is not UTF-8' -- check "$C/bom-cp932.csv"
case_ "CSV: UTF-16" 'UTF-16 text' -- check "$C/utf16.csv"
case_ "CSV: binary" 'binary data' -- check "$C/binary.csv"
case_ "CSV: unclosed quote" 'quoted field is not closed' -- check "$C/unclosed-quote.csv"
mkfifo "$tmp/line-1g.csv"
{ printf '回線No,通信形態\n1,'; head -c 1073741824 /dev/zero | tr '\0' a; } >"$tmp/line-1g.csv" 2>/dev/null &
feeder=$!
case_ "CSV: a 1 GiB line, streamed" 'too large \(limit 64 MiB\)' -- check "$tmp/line-1g.csv"
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null
# ---- nmap XML, DISC.json, walk dumps, diff, SNMP config
case_ "nmap XML with XXE" 'declares an XML entity' -- check "$R" --scan "$C/nmap-xxe.xml"
case_ "nmap XML with billion laughs" 'declares an XML entity' -- check "$R" --scan "$C/nmap-laughs.xml"
case_ "nmap XML 10,000 deep" 'nested too deeply' -- check "$R" --scan "$C/nmap-deep.xml"
case_ "nmap XML cut short" 'broken or cut short' -- check "$R" --scan "$C/nmap-truncated.xml"
case_ "DISC.json 10,000 deep" 'nest(ing|ed) too deep' -- check "$R" --discovered "$C/disc-deep.json"
case_ "DISC.json of another schema" 'not a result of edgemap discover' -- check "$R" --discovered "$C/disc-schema.json"
case_ "DISC.json cut short" 'cut short' -- check "$R" --discovered "$C/disc-truncated.json"
case_ "DISC.json with devices of the wrong type" 'devices' -- check "$R" --discovered "$C/disc-types.json"
case_ "walk dump OID of 215 parts" 'OID has too many parts \(215, limit 128\)' -- discover --from-walk "$C/walk-oid215" -o "$tmp/d.json"
case_ "walk dump line over 64 KiB" 'line too long' -- discover --from-walk "$C/walk-longline" -o "$tmp/d.json"
case_ "walk dump of binary bytes" 'snmpwalk -On output' -- discover --from-walk "$C/walk-binary" -o "$tmp/d.json"
case_ "diff: model JSON 10,000 deep" 'nesting too deep' -- diff "$C/diff-deep.json" "$C/diff-deep.json"
case_ "diff: paths that are not objects" 'diff-paths-not-object.json' -- diff "$C/diff-paths-not-object.json" "$C/diff-paths-not-object.json"
case_ "SNMP config with key and value swapped" 's3cretCommunity99|line 3|row 3' 's3cretCommunity99' -- \
    discover --seed 127.0.0.1 --scope 127.0.0.1/32 --snmp-config "$C/snmp-swapped.conf" -o "$tmp/d.json"

# ---- the big ones, made now and deleted (plain build only)
if [ "$san" = 1 ]; then
    echo "skip - hostile big inputs: run in the plain build only (ASan's shadow memory and speed)"
    exit 0
fi
if ! python3 "$GEN" big "$tmp/big" 2>"$tmp/gen.err"; then
    echo "not ok - hostile big inputs: gen.py failed: $(head -c 300 "$tmp/gen.err")"
    exit 0
fi
case_ "a 100 MB cell text (inline string)" 'cell text is too long \(limit 32768 bytes\)' -- check "$tmp/big/cell-100mb.xlsx"
case_ "a 100 MB shared string" 'a cell text is longer than the limit \(over 10 MB' -- check "$tmp/big/sst-100mb.xlsx"
case_ "CSV: a million columns" 'too many columns in one row \(limit 1024\)' -- check "$tmp/big/columns-1m.csv"
bounded_ "DISC.json of 20 MB (60,000 devices): bounded memory" check "$R" --discovered "$tmp/big/disc-20mb.json"
