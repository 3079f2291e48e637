#!/bin/bash
# controls.sh — control characters and formulas from hostile records (raw ESC, BEL,
# DEL, C1 in a CSV; _x001B_ escapes in an xlsx; cells starting with = + - @) through
# every output: SVG stays well-formed XML (xmllint), JSON stays valid (json.load) with
# controls escaped, DOT/HTML/CSV carry no raw control, the targets CSV neutralises
# formulas with a leading apostrophe, and `check` / `diff` text shows them visibly.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d /tmp/em-controls.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
# raw FILE: prints the control characters (but TAB LF CR) found in a UTF-8 file
raw() {
    python3 -c '
import sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
bad = sorted({hex(ord(c)) for c in t if (ord(c) < 0x20 and c not in "\t\n\r") or 0x7f <= ord(c) <= 0x9f})
print(" ".join(bad))' "$1"
}
clean() { # name file
    local r; r=$(raw "$2")
    [ -s "$2" ] && [ -z "$r" ] && ok "$1: no raw control character" || nok "$1" "raw controls: ${r:-empty file}"
}

python3 tests/tools/hostile_text.py tests/cli/data/render_small.csv samples/clinic-clean.xlsx "$T" \
    || { nok "hostile fixtures" "generator failed"; exit 0; }
grep -q $'\x1b' "$T/hostile.csv" && ok "fixture: the CSV carries raw ESC" || nok "fixture csv" "no ESC"
unzip -p "$T/hostile.xlsx" xl/sharedStrings.xml | grep -q '_x001B_' && ok "fixture: the xlsx carries _x001B_" \
    || nok "fixture xlsx" "no _x001B_"

for src in csv xlsx; do
    in="$T/hostile.$src"
    "$EDGEMAP" render "$in" -o "$T/$src.svg" -o "$T/$src.dot" -o "$T/$src.json" -o "$T/$src.html" \
        -o "$T/$src.csv" >/dev/null 2>"$T/err"; rc=$?
    [ $rc -le 1 ] && ok "$src: render every format (exit $rc)" || nok "$src: render" "exit $rc: $(head -3 "$T/err")"
    xmllint --noout "$T/$src.svg" 2>"$T/xerr" && ok "$src: SVG is well-formed XML" || nok "$src: SVG" "$(head -3 "$T/xerr")"
    clean "$src: SVG" "$T/$src.svg"
    clean "$src: DOT" "$T/$src.dot"
    clean "$src: HTML" "$T/$src.html"
    clean "$src: targets CSV" "$T/$src.csv"
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/$src.json" 2>"$T/jerr" \
        && ok "$src: model JSON parses" || nok "$src: JSON" "$(tail -1 "$T/jerr")"
    clean "$src: model JSON" "$T/$src.json"
    grep -q '\\u001b' "$T/$src.json" && ok "$src: ESC in JSON escaped as \\u001b" || nok "$src: JSON escape" "no \\u001b"
    "$EDGEMAP" check --format json "$in" > "$T/$src.check.json" 2>/dev/null
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/$src.check.json" && clean "$src: check --format json" "$T/$src.check.json" \
        || nok "$src: check --format json" "not JSON"
    "$EDGEMAP" check "$in" > "$T/$src.check.txt" 2>&1
    clean "$src: check text" "$T/$src.check.txt"
    grep -q '\\x1B' "$T/$src.check.txt" && ok "$src: check shows ESC as \\x1B" || nok "$src: check visible" "no \\x1B"
done

# --- formulas in the targets CSV -----------------------------------------------------------
c="$T/csv.csv"
grep -q "'-2+3+cmd|' /C calc'!A0" "$c" && ok "targets CSV: a cell starting with - is neutralised" || nok "csv -" "$(sed -n 2p "$c")"
grep -q "'+1" "$c" && ok "targets CSV: + neutralised" || nok "csv +" "missing"
grep -q "'@SUM(1)" "$c" && ok "targets CSV: @ neutralised" || nok "csv @" "missing"
grep -q "\"'=HYPERLINK" "$c" && ok "targets CSV: = neutralised (inside quotes)" || nok "csv =" "missing"
grep -q "'-1+cmd" "$T/xlsx.csv" && ok "targets CSV from xlsx: - neutralised" || nok "xlsx csv -" "missing"
"$EDGEMAP" targets "$T/hostile.csv" > "$T/t.csv" 2>/dev/null
cmp -s "$T/t.csv" "$c" && ok "targets to stdout = render .csv" || nok "targets stdout" "differs"

# --- diff text -------------------------------------------------------------------------------
"$EDGEMAP" diff tests/cli/data/render_small.csv "$T/hostile.csv" > "$T/d1.txt" 2>&1
clean "diff text (CSV)" "$T/d1.txt"
grep -q '\\x1B\]0;pwned\\x07' "$T/d1.txt" && grep -q '\\u009B' "$T/d1.txt" \
    && ok "diff shows ESC, BEL and C1 visibly" || nok "diff visible" "$(grep -m1 pwned "$T/d1.txt")"
"$EDGEMAP" diff samples/clinic-clean.xlsx "$T/hostile.xlsx" > "$T/d2.txt" 2>&1
clean "diff text (xlsx)" "$T/d2.txt"
"$EDGEMAP" diff --format json samples/clinic-clean.xlsx "$T/hostile.xlsx" > "$T/d3.json" 2>&1
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/d3.json" && clean "diff --format json" "$T/d3.json" \
    || nok "diff json" "not JSON"

# --- DISC.json: a device's sysName with invalid UTF-8, ESC and C1 ----------------------------
mkdir -p "$T/walks"
sed 's/^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = .*/.1.3.6.1.2.1.1.5.0 = Hex-STRING: 65 64 FF FE 1B 5B 33 31 6D C2 9B 80 67 65/' \
    samples/walks/edge-sw.walk > "$T/walks/edge-sw.walk"
"$EDGEMAP" discover --from-walk "$T/walks" -o "$T/disc.json" 2>/dev/null
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))   # strict UTF-8
n = [x["sys_name"] for x in d["devices"]]
assert n == ["ed\ufffd\ufffd\x1b[31m\x9b\ufffdge"], n' "$T/disc.json" 2>"$T/perr" \
    && ok "DISC.json: invalid UTF-8 in sysName replaced, controls escaped, valid JSON" || nok "DISC.json utf-8" "$(tail -1 "$T/perr")"
clean "DISC.json" "$T/disc.json"
"$EDGEMAP" check samples/hospital.xlsx --discovered "$T/disc.json" > "$T/dc.txt" 2>&1
clean "check --discovered with a hostile sysName" "$T/dc.txt"
"$EDGEMAP" render samples/hospital.xlsx --discovered "$T/disc.json" -o "$T/disc.svg" -o "$T/disc.html" >/dev/null 2>&1
xmllint --noout "$T/disc.svg" 2>/dev/null && clean "render --discovered with a hostile sysName: SVG well-formed" "$T/disc.svg" \
    || nok "render --discovered hostile" "SVG not well-formed"
clean "render --discovered with a hostile sysName: HTML" "$T/disc.html"
exit 0
