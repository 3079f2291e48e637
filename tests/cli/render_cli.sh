#!/bin/bash
# render_cli.sh — `edgemap render` and `edgemap targets` end to end on the samples:
# every format, the SVG parsed (xmllint), the PDF checked (pdffonts, pdftotext,
# pdfinfo), PNG sizes, the HTML report opened in headless Chromium, --redact across
# every output, --lang en, and all-or-nothing writes.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d /tmp/em-render-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
skip() { echo "skip - $1: $2"; }
check() { # name condition-command... (runs it; ok when it succeeds)
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$name"; else nok "$name" "failed: $*"; fi
}

IN=samples/hospital.xlsx
[ -f "$IN" ] || IN=tests/cli/data/render_small.csv

# --- one run, every format --------------------------------------------------------
"$EDGEMAP" render "$IN" --survey-date 2026-11-20 -o "$T/m.svg" -o "$T/m.pdf" -o "$T/m.png" \
    -o "$T/m.dot" -o "$T/m.json" -o "$T/r.html" -o "$T/t.csv" 2>"$T/err"
rc=$?
if [ $rc -le 1 ]; then ok "render all formats exit $rc"; else nok "render all formats" "exit $rc: $(head -3 "$T/err")"; fi
for f in m.svg m.pdf m.png m.dot m.json r.html t.csv; do
    check "render wrote $f" test -s "$T/$f"
done
check "no temp files left" bash -c "! ls -A '$T' | grep -qE '\\.tmp\\.|^\\.edgemap-'"

# --- SVG ---------------------------------------------------------------------------
check "svg is well-formed XML" xmllint --noout "$T/m.svg"
x() { xmllint --xpath "$1" "$T/m.svg" 2>/dev/null; }
n=$(x "count(//*[local-name()='g'][@id='line-1'][@class='node'])")
[ "$n" = 1 ] && ok "svg node id line-1" || nok "svg node id line-1" "count $n"
n=$(x "count(//*[local-name()='g'][@class='edge'][starts-with(@id,'e-')])")
[ "${n:-0}" -ge 10 ] && ok "svg edges carry model ids ($n)" || nok "svg edge ids" "count $n"
n=$(x "count(//*[local-name()='g'][@id='site'][@class='cluster'])")
[ "$n" = 1 ] && ok "svg hospital boundary cluster" || nok "svg cluster" "count $n"
n=$(x "count(//*[local-name()='a'][contains(@*[local-name()='title'],'出典')])")
[ "${n:-0}" -ge 10 ] && ok "svg tooltips name their source rows ($n)" || nok "svg tooltips" "count $n"
for s in 診断対象 凡例 医療機関 重要資産 インターネット; do
    n=$(x "count(//*[local-name()='text'][contains(.,'$s')])")
    [ "${n:-0}" -ge 1 ] && ok "svg text $s" || nok "svg text $s" "not found"
done
grep -q 'font-family="Noto Sans CJK JP,IPAexGothic,Hiragino Sans,Yu Gothic,Meiryo,sans-serif"' "$T/m.svg" \
    && ok "svg font-family fallback list" || nok "svg font-family fallback list" "missing"

# --- PDF ---------------------------------------------------------------------------
if command -v pdffonts >/dev/null; then
    pdffonts "$T/m.pdf" > "$T/fonts" 2>&1
    if grep -E 'NotoSansCJK' "$T/fonts" | grep -qE ' yes +yes +yes'; then ok "pdf embeds Noto Sans CJK"
    else nok "pdf embeds Noto Sans CJK" "$(cat "$T/fonts")"; fi
    pdftotext "$T/m.pdf" "$T/m.txt"
    for s in 診断対象 凡例 構成図; do
        grep -q "$s" "$T/m.txt" && ok "pdf text $s" || nok "pdf text $s" "not in pdftotext output"
    done
    pdfinfo "$T/m.pdf" | grep -q 'Page size: *1190.55 x 841.89 pts (A3)' && ok "pdf page is A3 landscape" \
        || nok "pdf page is A3 landscape" "$(pdfinfo "$T/m.pdf" | grep 'Page size')"
else
    skip "pdf checks" "poppler-utils not installed"
fi

# --- PNG ---------------------------------------------------------------------------
read -r w h frac < <(python3 tests/tools/png_stats.py "$T/m.png" 2>/dev/null || echo 0 0 0)
if [ "$w" -ge 200 ] && [ "$w" -le 4961 ] && [ "$h" -ge 100 ] && [ "$h" -le 3508 ]; then ok "png size sane (${w}x${h})"
else nok "png size sane" "${w}x${h}"; fi
awk -v f="$frac" 'BEGIN{exit !(f > 0.005)}' && ok "png not blank ($frac)" || nok "png not blank" "$frac"

# --- HTML report in headless Chromium ------------------------------------------------
check "html report has no external resource" bash -c "! grep -qiE '(src|href)=\"(https?:)?//|@import|url\\(' '$T/r.html'"
for s in 'id="lines"' 'id="targets"' '<svg' 'ベンダー保守の確認' '@media print'; do
    grep -q "$s" "$T/r.html" && ok "html has $s" || nok "html has $s" "missing"
done
if command -v chromium >/dev/null; then
    prof=$(mktemp -d "$T/chrome.XXXXXX")
    timeout -k 5 90 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$prof" \
        --screenshot="$T/shot.png" --window-size=1600,1200 "file://$T/r.html" >"$T/chrome.log" 2>&1
    read -r w h frac < <(python3 tests/tools/png_stats.py "$T/shot.png" 2>/dev/null || echo 0 0 0)
    if [ "$w" = 1600 ] && [ "$h" = 1200 ] && awk -v f="$frac" 'BEGIN{exit !(f > 0.01)}'; then
        ok "html report renders in chromium (non-white $frac)"
    else
        nok "html report renders in chromium" "screenshot ${w}x${h} non-white $frac: $(tail -2 "$T/chrome.log")"
    fi
else
    skip "html report in chromium" "chromium not installed"
fi

# --- targets -------------------------------------------------------------------------
"$EDGEMAP" targets "$IN" > "$T/stdout.csv" 2>/dev/null
rc=$?
[ $rc -le 1 ] && ok "targets to stdout exit $rc" || nok "targets to stdout" "exit $rc"
head -c 3 "$T/stdout.csv" | od -An -tx1 | grep -q 'ef bb bf' && ok "targets csv has a BOM" || nok "targets csv BOM" "missing"
lines=$(wc -l < "$T/stdout.csv"); crlf=$(grep -c $'\r$' "$T/stdout.csv")
[ "$lines" -ge 2 ] && [ "$lines" = "$crlf" ] && ok "targets csv CRLF ($lines records)" || nok "targets csv CRLF" "$lines lines, $crlf CRLF"
cmp -s "$T/stdout.csv" "$T/t.csv" && ok "targets stdout = render -o .csv" || nok "targets stdout = render -o .csv" "differ"
"$EDGEMAP" targets "$IN" -o "$T/t2.csv" 2>/dev/null
cmp -s "$T/stdout.csv" "$T/t2.csv" && ok "targets -o file" || nok "targets -o file" "differs from stdout"

# --- --redact ------------------------------------------------------------------------
ips=$(tail -n +2 "$T/stdout.csv" | cut -d, -f2 | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | sort -u)
fqdns=$(tail -n +2 "$T/stdout.csv" | cut -d, -f3 | grep -E '\.' | sort -u)
if [ -z "$ips" ]; then
    skip "redact" "no global IP in $IN"
else
    "$EDGEMAP" render "$IN" --redact -o "$T/r.svg" -o "$T/r.pdf" -o "$T/r.dot" -o "$T/r.json" \
        -o "$T/rr.html" -o "$T/r.csv" 2>/dev/null
    pdftotext "$T/r.pdf" "$T/r.txt" 2>/dev/null
    "$EDGEMAP" targets "$IN" --redact > "$T/r2.csv" 2>/dev/null
    leak=""
    for v in $ips $fqdns; do
        for f in r.svg r.txt r.dot r.json rr.html r.csv r2.csv; do
            grep -qF "$v" "$T/$f" && leak="$leak $v@$f"
        done
    done
    [ -z "$leak" ] && ok "redact removes global IPs and FQDNs from every output" || nok "redact" "leaked:$leak"
    grep -q 'IP-1' "$T/r.csv" && grep -qE 'IP(-|&#45;)1' "$T/r.svg" && grep -q 'IP-1' "$T/r.json" \
        && ok "redact placeholders IP-n present" || nok "redact placeholders" "IP-1 missing"
    # every host name and management IP in the model JSON, the devices' and the cells as
    # each row wrote them ("declared"), is a placeholder (the rows' cells leaked before)
    bad=$(grep -oE '"(hostname|mgmt_ip)": "[^"]+"' "$T/r.json" | grep -vE '": "(HOST|IP)-[0-9]+"$' | sort -u | head -3)
    n=$(grep -cE '"hostname": "HOST-[0-9]+"' "$T/r.json")
    [ -z "$bad" ] && [ "$n" -gt 0 ] && ok "redact: every host name and management IP in the JSON, declared cells too ($n)" \
        || nok "redact host names" "left as written: $bad"
fi

# a DISC.json that edgemap discover did not write may name its devices by host name or
# address: the ids made from them ("disc-<id>") must not carry those into redacted outputs
if [ -d "$ROOT/samples/walks" ] && "$EDGEMAP" discover --from-walk "$ROOT/samples/walks" -o "$T/d.json" 2>/dev/null; then
    sed -e 's/"dev-1"/"core-sw"/g; s/"dev-2"/"dist-a"/g; s/"nbr-1"/"203.0.113.77"/g' "$T/d.json" >"$T/dh.json"
    "$EDGEMAP" render "$IN" --discovered "$T/dh.json" --redact -o "$T/dh.svg" -o "$T/dh.json.out.json" \
        -o "$T/dh.html" 2>/dev/null
    leak=$(grep -oE 'core-sw|dist-a|203\.0\.113\.77' "$T/dh.svg" "$T/dh.json.out.json" "$T/dh.html" | sort -u | head -3 | tr '\n' ' ')
    grep -q '"disc_id": "host-1"' "$T/dh.json.out.json" && [ -z "$leak" ] \
        && ok "redact: DISC.json ids made of host names and addresses become host-n" \
        || nok "redact DISC.json ids" "leaked: ${leak:-no host-1 id}"
else
    skip "redact DISC.json ids" "discover --from-walk samples/walks failed"
fi

# --- --lang en -----------------------------------------------------------------------
"$EDGEMAP" render "$IN" --lang en -o "$T/en.svg" 2>/dev/null
grep -q 'Scan target' "$T/en.svg" && ! grep -q '凡例' "$T/en.svg" && ok "--lang en labels" || nok "--lang en labels" "Japanese legend or no English"

# --- errors and all-or-nothing writes -----------------------------------------------------
"$EDGEMAP" render "$IN" -o "$T/x.docx" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ ! -e "$T/x.docx" ] && ok "unknown extension: exit 2, nothing written" || nok "unknown extension" "exit $rc"
"$EDGEMAP" render "$IN" 2>/dev/null; rc=$?
[ $rc = 2 ] && ok "render without -o: exit 2" || nok "render without -o" "exit $rc"
"$EDGEMAP" render /nonexistent.xlsx -o "$T/y.svg" 2>/dev/null; rc=$?
[ $rc = 2 ] && [ ! -e "$T/y.svg" ] && ok "unreadable input: exit 2, nothing written" || nok "unreadable input" "exit $rc"
echo "old" > "$T/keep.pdf"
"$EDGEMAP" render "$IN" -o "$T/keep.svg" -o "$T/nodir/x.pdf" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q 'nodir/x.pdf' "$T/err" && ok "unwritable output: exit 2 naming the file" || nok "unwritable output" "exit $rc: $(cat "$T/err")"
EDGEMAP_TEST_LAYOUT=crash:full,crash:flat,crash:grid "$EDGEMAP" render "$IN" -o "$T/keep.pdf" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$T/keep.pdf")" = old ] && ok "failed layout leaves the existing file untouched" \
    || nok "failed layout leaves the existing file" "exit $rc, content $(head -c 20 "$T/keep.pdf")"

# --- the layout deadline: a hanging layout is killed and the fallback used -----------------
start=$(date +%s)
EDGEMAP_LAYOUT_TIMEOUT=2 EDGEMAP_TEST_LAYOUT=hang:full timeout -k 5 60 "$EDGEMAP" render "$IN" -o "$T/h.svg" 2>"$T/err"; rc=$?
el=$(( $(date +%s) - start ))
if [ $rc -le 1 ] && [ -s "$T/h.svg" ] && grep -q 'dot' "$T/err" && [ $el -lt 40 ]; then ok "hanging layout killed after the deadline, fallback used (${el}s)"
else nok "hanging layout deadline" "exit $rc after ${el}s: $(cat "$T/err")"; fi
exit 0
