#!/bin/bash
# fleet_report.sh — what the programme asks of the store, on 30 generated hospitals
# (SQLite): the national report (HTML self-contained with inline SVG, JSON, ja/en)
# agreeing with `edgemap check` on each hospital, vendor and closed-network hubs, the
# advisory notification list (first evaluation, nothing new on a second one, only the
# hospitals a newly added advisory hits), the round-to-round diff, the batch render,
# and clear refusals of bad usage.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
EDGEMAP=${EDGEMAP:-$ROOT/$BUILD/edgemap}
GEN=$ROOT/$BUILD/tests/tools/fleet_gen
T=$(mktemp -d /tmp/fleet_report.XXXXXX)
trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
DB=$T/s.db
[ -x "$GEN" ] || { echo "not ok - generator: $GEN missing (make tests)"; exit 1; }
"$GEN" "$T/h" 30 5 || { echo "not ok - generator failed"; exit 1; }
"$EDGEMAP" fleet ingest --db "$DB" --round 2025 --jobs 2 "$T"/h/*/ 2>"$T/ingest.err" \
    || { echo "not ok - ingest: $(cat "$T/ingest.err")"; exit 1; }
py() { python3 -c "$@"; }

# --- report
"$EDGEMAP" fleet report --db "$DB" --round 2025 -o "$T/n.html" -o "$T/n.json" 2>"$T/err"
rc=$?
if [ "$rc" = 0 ] && [ -s "$T/n.html" ] && py "import json; json.load(open('$T/n.json'))" 2>/dev/null; then
    ok "report: HTML and JSON written"
else nok "report" "rc=$rc $(cat "$T/err")"; fi

# each hospital's numbers as `edgemap check` gives them on its folder
bad=0
for d in "$T"/h/h00001 "$T"/h/h00002 "$T"/h/h00003 "$T"/h/h00004; do
    f=$(ls "$d"/survey.* | head -n 1)
    "$EDGEMAP" check --format json "$f" >"$T/m.json" 2>/dev/null
    folder=$(basename "$d")
    r=$(py "
import json
m = json.load(open('$T/m.json')); n = json.load(open('$T/n.json'))
h = [x for x in n['hospitals'] if x['folder'] == '$folder'][0]
errs = sum(1 for f in m['findings'] if f['severity'] == 'error')
vul = sum(1 for d in m['devices'] if d.get('cves'))
print('ok' if (h['lines'], h['devices'], h['errors'], h['vulnerable']) == (len(m['lines']), len(m['devices']), errs, vul) else
      'got %s want %s' % ((h['lines'], h['devices'], h['errors'], h['vulnerable']), (len(m['lines']), len(m['devices']), errs, vul)))")
    [ "$r" = ok ] || { bad=$((bad + 1)); echo "$folder: $r"; }
done
[ "$bad" = 0 ] && ok "report: per-hospital lines, devices, errors, vulnerable devices equal edgemap check's" || nok "report vs check" "$bad differ"

r=$(py "
import json
n = json.load(open('$T/n.json'))
s = n['summary']
assert s['hospitals'] == 30 and s['failed'] == 0, s
assert s['lines'] == sum(h['lines'] for h in n['hospitals']), 'lines'
assert sum(f['paths'] for f in n['forms']) == s['paths'], 'forms'
assert s['vulnerable_devices'] == sum(h['vulnerable'] for h in n['hospitals']), 'vulnerable'
assert s['scan_targets'] == sum(h['scan_targets'] for h in n['hospitals']), 'scan'
v = n['vendors']; assert v and v[0]['hospitals'] >= v[-1]['hospitals'], 'vendors order'
assert all(x['hospitals'] >= max(x['internet'], x['internet_vpn'], x['closed'], x['phone'], x['emr']) for x in v), 'vendor counts'
hubs = n['closed_hubs']; assert hubs and all(x['hospitals'] >= 2 for x in hubs), 'hubs'
assert any(x['exposed'] for x in hubs), 'no exposed hub'
# a company is flagged exactly when it has Internet or Internet-VPN paths somewhere
exposed = {x['company'] for x in v if x['internet'] or x['internet_vpn']}
assert all(bool(x['exposed']) == (x['company'] in exposed) for x in hubs), 'flag'
d = n['devices']; assert any(x['cves'] for x in d), 'devices cves'
print('ok')" 2>&1)
[ "$r" = ok ] && ok "report: totals add up; vendor hubs ordered; closed-network hubs flagged exactly when the company is Internet-exposed" \
    || nok "report content" "$r"

if grep -q '<svg' "$T/n.html" && ! grep -Eq '(src|href)="https?:' "$T/n.html" && grep -q '閉域網ハブ' "$T/n.html" \
   && grep -q 'href="h-[0-9a-f]*/report.html"' "$T/n.html" && grep -q 'href="JP-[0-9]*/report.html"' "$T/n.html"; then
    ok "report: HTML self-contained, inline SVG charts, Japanese, per-hospital links"
else nok "report HTML" "missing svg/links/Japanese or external references"; fi
"$EDGEMAP" fleet report --db "$DB" --round 2025 --lang en -o "$T/en.html" --link 'out/%s/report.html' 2>/dev/null
grep -q 'Closed-network hubs' "$T/en.html" && grep -q 'href="out/JP-[0-9]*/report.html"' "$T/en.html" && ! grep -q '閉域網ハブ' "$T/en.html" \
    && ok "report: --lang en and --link" || nok "report en" "no English headings or links"

# the workbook, through book/, read back with openpyxl (a reader other than ours)
"$EDGEMAP" fleet report --db "$DB" --round 2025 -o "$T/n.xlsx" 2>"$T/err"
r=$(/usr/bin/python3 -c "
import json, openpyxl
wb = openpyxl.load_workbook('$T/n.xlsx'); n = json.load(open('$T/n.json'))
assert wb.sheetnames[0] == '概要' and '閉域網ハブ' in wb.sheetnames and '医療機関' in wb.sheetnames, wb.sheetnames
h = wb['医療機関']
assert h.max_row - 1 == len(n['hospitals']), (h.max_row, len(n['hospitals']))
ids = sorted(r[0].value for r in h.iter_rows(min_row=2)); assert ids == sorted(x['id'] for x in n['hospitals'])
assert [c.value for c in wb['概要'][2]] == ['調査済み医療機関', 30], [c.value for c in wb['概要'][2]]
assert wb['閉域網ハブ'].max_row - 1 == len(n['closed_hubs'])
print('ok')" 2>&1)
[ "$r" = ok ] && ok "report: xlsx through book/ holds the same tables (openpyxl)" || nok "report xlsx" "$r $(cat "$T/err")"

# --- advisories
"$EDGEMAP" fleet advisories --db "$DB" -o "$T/a1.csv" 2>"$T/a1.err"
rc1=$?
"$EDGEMAP" fleet advisories --db "$DB" -o "$T/a2.csv" 2>"$T/a2.err"
rc2=$?
n1=$(($(wc -l <"$T/a1.csv") - 1)); n2=$(($(wc -l <"$T/a2.csv") - 1))
want=$(sqlite3 "$DB" "SELECT COUNT(*) FROM devices WHERE cves <> ''")
nc=$(grep -c '連絡先: 0' "$T/a1.csv")
if [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$n1" -ge "$want" ] && [ "$want" -gt 0 ] && [ "$n2" = 0 ] && [ "$nc" -gt 0 ] \
   && head -c 3 "$T/a1.csv" | xxd -p | grep -q efbbbf; then
    ok "advisories: first evaluation lists every hit ($n1, contact from 基本情報), the second nothing new"
else nok "advisories" "rc=$rc1/$rc2 n1=$n1 want>=$want n2=$n2 contacts=$nc $(cat "$T/a1.err")"; fi
cp -r "$ROOT/data" "$T/data2"
printf 'NEC\tUNIVERGE IX2215|IX2215\t10.7.0-10.7.20\t10.7.21\tCVE-2099-0001\thttps://jpn.nec.com/security-info/test\tTest advisory added for the fleet test\n' >"$T/adv"
# the new row goes into the [advisories] section (before [aliases])
awk -v add="$(cat "$T/adv")" '/^\[aliases\]/ && !done { print add; print ""; done = 1 } { print }' "$ROOT/data/firmware-advisories.tsv" >"$T/data2/firmware-advisories.tsv"
"$EDGEMAP" fleet advisories --db "$DB" --data "$T/data2" -o "$T/a3.csv" 2>"$T/a3.err"
cp "$DB" "$T/copy.db"   # the same evaluation once more on a copy, into CSV and xlsx
sqlite3 "$T/copy.db" "DELETE FROM advisory_hits WHERE eval_id = (SELECT MAX(id) FROM advisory_evals); DELETE FROM advisory_evals WHERE id = (SELECT MAX(id) FROM advisory_evals)"
"$EDGEMAP" fleet advisories --db "$T/copy.db" --data "$T/data2" -o "$T/a4.csv" -o "$T/a4.xlsx" 2>/dev/null
cmp -s "$T/a3.csv" "$T/a4.csv" || nok "advisories copy" "the same evaluation gave another CSV"
hit=$(tail -n +2 "$T/a3.csv" | cut -d, -f1 | sort -u | wc -l)
want=$(sqlite3 "$DB" "SELECT COUNT(DISTINCT hospital_id) FROM devices WHERE model = 'UNIVERGE IX2215' AND firmware = '10.7.16'")
others=$(tail -n +2 "$T/a3.csv" | grep -vc 'CVE-2099-0001')
if [ "$hit" = "$want" ] && [ "$want" -gt 0 ] && [ "$others" = 0 ] && grep -q '10.7.21' "$T/a3.csv"; then
    ok "advisories: a newly added advisory lists exactly the $want hospitals it hits, with the fixed version"
else nok "advisories new data" "hospitals=$hit want=$want others=$others $(cat "$T/a3.err")"; fi
r=$(/usr/bin/python3 -c "
import openpyxl
ws = openpyxl.load_workbook('$T/a4.xlsx').active
assert ws.title == '通知リスト', ws.title
assert ws.max_row == $(wc -l <"$T/a3.csv"), ws.max_row
assert all(r[11].value == 'CVE-2099-0001' for r in ws.iter_rows(min_row=2))
print('ok')" 2>&1)
[ "$r" = ok ] && ok "advisories: -o notify.xlsx holds the same list as the CSV (openpyxl)" || nok "advisories xlsx" "$r"
e=$(sqlite3 "$DB" "SELECT COUNT(*) || '/' || SUM(n_new) FROM advisory_evals")
[ "${e%/*}" = 3 ] && ok "advisories: each evaluation recorded ($e new hits)" || nok "advisory_evals" "$e"

# --- rounds: a firmware update, a hospital gone, one new
cp -r "$T/h" "$T/r2"
csvh=$(grep -l . "$T"/r2/*/hospital-id.txt | head -n 1 | xargs dirname)
csvid=$(head -n 1 "$csvh/hospital-id.txt")
iconv -f CP932 -t UTF-8 "$csvh/survey.csv" | sed 's/Rev\.15\.02\.09/Rev.15.02.30/g; s/Rev\.14\.01\.33/Rev.14.01.42/g; s/FortiOS 7\.0\.12/FortiOS 7.4.4/g; s/FortiOS 6\.4\.8/FortiOS 7.4.4/g; s/9\.0R3\.1/9.1R18.1/g' \
    | iconv -f UTF-8 -t CP932 >"$T/x.csv" && mv "$T/x.csv" "$csvh/survey.csv"
gone=$(ls -d "$T"/r2/*/ | while read -r d; do [ -f "$d/hospital-id.txt" ] || { echo "$d"; break; }; done)
gone_id=$(sqlite3 "$DB" "SELECT hospital_id FROM submissions WHERE folder = '$(basename "$gone")'")
rm -rf "$gone"
"$GEN" "$T/new" 1 77 >/dev/null && mv "$T/new/h00001" "$T/r2/hnew"
"$EDGEMAP" fleet ingest --db "$DB" --round 2026 --jobs 2 "$T"/r2/*/ 2>/dev/null
"$EDGEMAP" fleet diff --db "$DB" --round 2025 --round 2026 -o "$T/d.json" 2>"$T/err"
rc=$?
r=$(py "
import json
d = json.load(open('$T/d.json')); n = d['national']
assert len(n['hospitals_joined']) == 1 and len(n['hospitals_left']) == 1, n
assert n['hospitals_left'][0].startswith('$gone_id'), n['hospitals_left']
hs = {h['hospital_id']: h for h in d['hospitals']}
assert '$csvid' in hs and hs['$csvid']['vulnerable_fixed'], hs.get('$csvid')
assert not hs['$csvid']['vulnerable_new'] and not hs['$csvid']['lines_added'], hs['$csvid']
assert all(h['hospital_id'] == '$csvid' for h in d['hospitals']), [h['hospital_id'] for h in d['hospitals']]
assert n['vulnerable_fixed'] == len(hs['$csvid']['vulnerable_fixed'])
print('ok')" 2>&1)
[ "$rc" = 0 ] && [ "$r" = ok ] && ok "diff: the hospital that updated its firmware shows fixed devices; the hospital gone and the new one named; nothing else changed" \
    || nok "diff" "rc=$rc $r $(cat "$T/err")"
"$EDGEMAP" fleet diff --db "$DB" --round 2025 --round 2026 >"$T/d.txt" 2>/dev/null
grep -q "$csvid" "$T/d.txt" && grep -q '解消' "$T/d.txt" && ok "diff: text listing on stdout" || nok "diff text" "$(head -5 "$T/d.txt")"

# --- batch render (8 hospitals of a small round keep this quick)
mkdir -p "$T/small" && cp -r "$T"/h/h0000[1-8] "$T/small/"
"$EDGEMAP" fleet ingest --db "$DB" --round small --jobs 2 "$T"/small/*/ 2>/dev/null
"$EDGEMAP" fleet render --db "$DB" --round small -o "$T/out" --jobs 2 --format svg,html,csv 2>"$T/err"
rc=$?
nd=$(ls "$T/out" | wc -l)
nsvg=$(grep -l '<svg' "$T"/out/*/diagram.svg 2>/dev/null | wc -l)
nhtml=$(ls "$T"/out/*/report.html 2>/dev/null | wc -l)
ids=$(sqlite3 "$DB" "SELECT hospital_id FROM submissions WHERE round = 'small' ORDER BY 1" | tr '\n' ' ')
if [ "$rc" = 0 ] && [ "$nd" = 8 ] && [ "$nsvg" = 8 ] && [ "$nhtml" = 8 ] && [ "$(ls "$T/out" | tr '\n' ' ')" = "$ids" ]; then
    ok "render: every hospital's diagram, report and targets in OUT/<hospital id>/"
else nok "render" "rc=$rc dirs=$nd svg=$nsvg html=$nhtml $(cat "$T/err")"; fi
# fonts and plugins load once per batch (em_render_warm), not in each hospital's
# layout child: fontconfig's main configuration file is read once however many
# hospitals are drawn (strace counts the opens of every process of the run)
if command -v strace >/dev/null; then
    rm -rf "$T/outf"
    strace -f -qq -e trace=openat,open -o "$T/ftrace" "$EDGEMAP" fleet render --db "$DB" --round small -o "$T/outf" \
        --jobs 2 --format svg,pdf 2>/dev/null
    nconf=$(grep -c '"/etc/fonts/fonts.conf"' "$T/ftrace")
    npdf=$(ls "$T"/outf/*/diagram.pdf 2>/dev/null | wc -l)
    [ "$npdf" = 8 ] && [ "$nconf" -ge 1 ] && [ "$nconf" -le 1 ] \
        && ok "render: fontconfig loaded once for 8 hospitals (the workers and layout children inherit it)" \
        || nok "render fonts once" "fonts.conf opened $nconf times for $npdf drawings"
else
    echo "skip - render: fonts loaded once: strace not installed"
fi
echo "changed" >>"$T/small/h00002/hospital-id.txt" 2>/dev/null || printf 'x' >>"$(ls "$T"/small/h00002/survey.* | head -n 1)"
rm -rf "$T/out2"
"$EDGEMAP" fleet render --db "$DB" --round small -o "$T/out2" --jobs 2 --format svg 2>"$T/err"
rc=$?
if [ "$rc" = 1 ] && [ "$(ls "$T/out2" | wc -l)" = 7 ] && grep -q '取り込み後にフォルダの内容が変わっています' "$T/err"; then
    ok "render: a folder changed since ingest is refused by name, the others drawn"
else nok "render changed folder" "rc=$rc $(cat "$T/err")"; fi

# --- scans and discovery stored as `edgemap check` merges them
mkdir -p "$T/sd/hosp"
cp "$ROOT/samples/hospital.xlsx" "$ROOT/samples/scan/hospital-nmap.xml" "$T/sd/hosp/"
"$EDGEMAP" discover --from-walk "$ROOT/samples/walks" -o "$T/sd/hosp/DISC.json" >/dev/null 2>&1
"$EDGEMAP" fleet ingest --db "$T/sd.db" --round 1 "$T/sd/hosp" >/dev/null 2>"$T/err"
"$EDGEMAP" check --format json --discovered "$T/sd/hosp/DISC.json" --scan "$T/sd/hosp/hospital-nmap.xml" \
    "$T/sd/hosp/hospital.xlsx" >"$T/sd.json" 2>/dev/null
r=$(py "
import json, sqlite3
m = json.load(open('$T/sd.json')); db = sqlite3.connect('$T/sd.db')
q = lambda s: db.execute(s).fetchone()[0]
disc = sum(1 for d in m['devices'] if d.get('source') in ('discovered', 'both'))
kinds = sorted(r[0] for r in db.execute('SELECT kind FROM source_files'))
assert kinds == ['discovery', 'records', 'scan'], kinds
assert q('SELECT COUNT(*) FROM discovery') == disc > 0, (q('SELECT COUNT(*) FROM discovery'), disc)
assert q('SELECT COUNT(*) FROM findings') == len(m['findings']), (q('SELECT COUNT(*) FROM findings'), len(m['findings']))
assert q('SELECT COUNT(*) FROM scan_services') > 0
assert q(\"SELECT COUNT(*) FROM findings WHERE code = 'H-OPEN-SERVICE'\") == sum(1 for f in m['findings'] if f['code'] == 'H-OPEN-SERVICE') > 0
print('ok')" 2>&1)
[ "$r" = ok ] && ok "ingest: nmap services, discovery evidence and their findings stored as check merges them" \
    || nok "scans/discovery" "$r $(cat "$T/err")"

# --- refusals
"$EDGEMAP" fleet report --db "$DB" --round 1999 -o "$T/x.html" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q '1999' "$T/err" && [ ! -e "$T/x.html" ] && ok "refusal: unknown round named, nothing written" || nok "unknown round" "rc=$rc"
"$EDGEMAP" fleet report --round 2025 -o "$T/x.html" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q -- '--db' "$T/err" && ok "refusal: --db missing" || nok "--db missing" "rc=$rc"
"$EDGEMAP" fleet frobnicate --db "$DB" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q 'frobnicate' "$T/err" && ok "refusal: unknown sub-command" || nok "unknown sub-command" "rc=$rc"
"$EDGEMAP" fleet report --db "$DB" --round 2025 -o "$T/x.pdf" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && [ ! -e "$T/x.pdf" ] && ok "refusal: unknown report format" || nok "report format" "rc=$rc"
"$EDGEMAP" fleet ingest --db "$T/ro/none/x.db" --round 2025 "$T"/h/h00001 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && grep -q 'x.db' "$T/err" && ok "refusal: a store that cannot be opened is named" || nok "bad store" "rc=$rc $(cat "$T/err")"
