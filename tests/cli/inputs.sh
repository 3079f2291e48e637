#!/bin/bash
# inputs.sh — inputs given as pipes are read once and give the same result as the
# file (records CSV and xlsx, nmap XML, DISC.json, both sides of diff), and `diff`
# refuses what is past its caps with a clear exit-2 message in bounded memory
# (/dev/zero, a 1 GiB file: peak RSS measured with /usr/bin/time, under 256 MB).
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d /tmp/em-inputs.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
# same_check NAME A B: two outputs of `check` print the same, the names of the inputs
# (the first line, the list of sources) left out
same_check() {
    local name=$1 a=$2 b=$3
    local norm="1d; s|$SCAN|SRC|; s|$T/disc.json|SRC|; s|/dev/fd/[0-9]*|SRC|; s|/dev/stdin|SRC|"
    [ "$(sed "$norm" "$a")" = "$(sed "$norm" "$b")" ] && [ -s "$a" ] && ok "$name" || nok "$name" "outputs differ"
}

CSV=samples/clinic.csv
XLSX=samples/hospital.xlsx
SCAN=samples/scan/hospital-nmap.xml

# --- records through a pipe: read once, same result ---------------------------------
"$EDGEMAP" check "$CSV" > "$T/file.txt" 2>&1; rf=$?
"$EDGEMAP" check <(cat "$CSV") > "$T/pipe.txt" 2>&1; rp=$?
[ $rf = $rp ] && same_check "check <(cat survey.csv) = check survey.csv (exit $rp)" "$T/file.txt" "$T/pipe.txt" \
    || nok "check <(cat survey.csv)" "exit $rp vs $rf: $(head -3 "$T/pipe.txt")"
"$EDGEMAP" check /dev/stdin < "$CSV" > "$T/stdin.txt" 2>&1; rs=$?
[ $rf = $rs ] && same_check "check /dev/stdin < survey.csv" "$T/file.txt" "$T/stdin.txt" || nok "check /dev/stdin csv" "exit $rs"
cat "$CSV" | "$EDGEMAP" check /dev/stdin > "$T/stdin2.txt" 2>&1; rs=$?
[ $rf = $rs ] && same_check "cat survey.csv | check /dev/stdin" "$T/file.txt" "$T/stdin2.txt" || nok "check pipe csv" "exit $rs"
"$EDGEMAP" check "$XLSX" > "$T/xf.txt" 2>&1; rf=$?
cat "$XLSX" | "$EDGEMAP" check /dev/stdin > "$T/xp.txt" 2>&1; rp=$?
[ $rf = $rp ] && same_check "xlsx through a pipe (buffered up to the cap)" "$T/xf.txt" "$T/xp.txt" \
    || nok "xlsx pipe" "exit $rp: $(head -3 "$T/xp.txt")"
"$EDGEMAP" check --format json "$CSV" 2>/dev/null | sed 's|"file": "[^"]*"|"file": ""|; /"sources"/,/]/d' > "$T/jf"
"$EDGEMAP" check --format json <(cat "$CSV") 2>/dev/null | sed 's|"file": "[^"]*"|"file": ""|; /"sources"/,/]/d' > "$T/jp"
n=$(grep -c '"code"' "$T/jp")
[ "$n" -ge 1 ] && [ "$n" = "$(grep -c '"code"' "$T/jf")" ] && ok "check --format json from a pipe: same findings ($n)" \
    || nok "json from pipe" "findings $n vs $(grep -c '"code"' "$T/jf")"

"$EDGEMAP" annotate --lang en <(cat "$CSV") -o "$T/ann.xlsx" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 2 ] && grep -q "reads the records twice" "$T/err" && [ ! -e "$T/ann.xlsx" ] \
    && ok "annotate from a pipe: refused clearly (it would read it twice)" || nok "annotate pipe" "exit $rc: $(cat "$T/err")"

# --- scan and discovery through pipes ------------------------------------------------
"$EDGEMAP" check "$XLSX" --scan "$SCAN" > "$T/sf.txt" 2>&1; rf=$?
"$EDGEMAP" check "$XLSX" --scan <(cat "$SCAN") > "$T/sp.txt" 2>&1; rp=$?
[ $rf = $rp ] && same_check "--scan <(cat nmap.xml) = --scan nmap.xml" "$T/sf.txt" "$T/sp.txt" || nok "--scan pipe" "exit $rp"
"$EDGEMAP" discover --from-walk samples/walks -o "$T/disc.json" 2>/dev/null
"$EDGEMAP" check "$XLSX" --discovered "$T/disc.json" > "$T/df.txt" 2>&1; rf=$?
cat "$T/disc.json" | "$EDGEMAP" check "$XLSX" --discovered /dev/stdin > "$T/dp.txt" 2>&1; rp=$?
[ $rf = $rp ] && same_check "--discovered /dev/stdin = --discovered DISC.json" "$T/df.txt" "$T/dp.txt" || nok "--discovered pipe" "exit $rp"

# --- a pipe past the cap is refused, not read without end -------------------------------
/usr/bin/time -v "$EDGEMAP" check --lang en /dev/zero > /dev/null 2> "$T/err"; rc=$?
rss=$(awk '/Maximum resident/ {print $6}' "$T/err")
[ $rc = 2 ] && grep -q "too large (limit 64 MiB)" "$T/err" && [ "${rss:-999999}" -lt 262144 ] \
    && ok "check /dev/zero: exit 2, limit named, peak RSS ${rss} KiB" || nok "check /dev/zero" "exit $rc rss $rss: $(head -2 "$T/err")"

# --- diff: both sides through pipes ----------------------------------------------------
"$EDGEMAP" diff "$CSV" "$XLSX" > "$T/d1.txt" 2>&1; r1=$?
"$EDGEMAP" diff <(cat "$CSV") <(cat "$XLSX") > "$T/d2.txt" 2>&1; r2=$?
[ $r1 = $r2 ] && cmp -s "$T/d1.txt" "$T/d2.txt" && [ $r1 = 1 ] && ok "diff <(records) <(xlsx) = diff of the files" \
    || nok "diff pipes" "exit $r2 vs $r1"
"$EDGEMAP" check --format json "$CSV" > "$T/old.json" 2>/dev/null
"$EDGEMAP" diff /dev/stdin "$CSV" < "$T/old.json" > "$T/d3.txt" 2>&1; r3=$?
[ $r3 = 0 ] && ok "diff /dev/stdin (model JSON) against its records: no change" || nok "diff stdin json" "exit $r3: $(head -2 "$T/d3.txt")"

# --- diff: bounded memory, clear refusals ------------------------------------------------
rss_of() { awk '/Maximum resident/ {print $6}' "$1"; }
/usr/bin/time -v "$EDGEMAP" diff --lang en /dev/zero "$CSV" > /dev/null 2> "$T/err"; rc=$?
rss=$(rss_of "$T/err")
[ $rc = 2 ] && grep -q "too large" "$T/err" && [ "${rss:-999999}" -lt 262144 ] \
    && ok "diff /dev/zero: exit 2 'too large', peak RSS ${rss} KiB" || nok "diff /dev/zero" "exit $rc rss $rss: $(head -2 "$T/err")"
truncate -s 1G "$T/big.csv"
/usr/bin/time -v "$EDGEMAP" diff --lang en "$T/big.csv" "$CSV" > /dev/null 2> "$T/err"; rc=$?
rss=$(rss_of "$T/err")
[ $rc = 2 ] && grep -q "too large to compare (limit 16 MiB)" "$T/err" && [ "${rss:-999999}" -lt 262144 ] \
    && ok "diff 1 GiB CSV: exit 2 before reading it, peak RSS ${rss} KiB" || nok "diff 1 GiB" "exit $rc rss $rss: $(head -2 "$T/err")"
{ printf '{"schema": "edgemap/1", "pad": "'; head -c 1073741824 /dev/zero | tr '\0' 'a'; printf '"}'; } > "$T/big.json"
/usr/bin/time -v "$EDGEMAP" diff --lang en "$CSV" "$T/big.json" > /dev/null 2> "$T/err"; rc=$?
rss=$(rss_of "$T/err")
[ $rc = 2 ] && grep -q "model JSON file is too large (limit 8 MiB)" "$T/err" && [ "${rss:-999999}" -lt 262144 ] \
    && ok "diff 1 GiB model JSON: exit 2, peak RSS ${rss} KiB" || nok "diff 1 GiB json" "exit $rc rss $rss: $(head -2 "$T/err")"
rm -f "$T/big.json" "$T/big.csv"
"$BUILD/tests/tools/render_gen" -l 5000 1 "$T/many.csv" 2>/dev/null
/usr/bin/time -v "$EDGEMAP" diff --lang en "$T/many.csv" "$CSV" > /dev/null 2> "$T/err"; rc=$?
rss=$(rss_of "$T/err")
[ $rc = 2 ] && grep -q "model of the records is too large to compare (limit 8 MiB)" "$T/err" && [ "${rss:-999999}" -lt 262144 ] \
    && ok "diff of 5,000 lines: model past the cap refused, peak RSS ${rss} KiB" || nok "diff 5000 lines" "exit $rc rss $rss: $(head -2 "$T/err")"
exit 0
