#!/bin/bash
# CLI: --scan (nmap XML) and --discovered (DISC.json) on check and render: the H-*
# findings reach the user's output; bad files are exit 2 naming the file.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
cd "$ROOT" || exit 2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
SCAN=samples/scan/hospital-nmap.xml

"$EDGEMAP" check --format json samples/hospital.xlsx --scan "$SCAN" > "$T/s.json"; rc=$?
[ "$rc" -eq 1 ] && ok "check --scan: exit 1" || no "check --scan: exit 1" "exit $rc"
if python3 - "$T/s.json" <<'PY'
import json,sys
d=json.load(open(sys.argv[1]))
f=[(x["code"],x["severity"],x["row"],x["column"],x["line_no"]) for x in d["findings"] if x["code"].startswith("H-") and x["code"]!="H-VULN-FIRMWARE"]
want={("H-UNDECLARED-REACHABLE","error",0,"",""),("H-OPEN-SERVICE","error",7,"グローバルIPアドレス","1"),("H-OPEN-SERVICE","warning",9,"グローバルIPアドレス","2")}
assert want <= set(f), f
assert sum(1 for x in f if x[0]=="H-OPEN-SERVICE" and x[2]==7)==2, f
assert len(d["sources"])==2
PY
then ok "check --scan: H-OPEN-SERVICE and H-UNDECLARED-REACHABLE at the declaring rows"; else no "check --scan findings" "see above"; fi

"$EDGEMAP" check samples/hospital.xlsx --scan "$SCAN" --scan "$SCAN" --format json > "$T/s2.json"
if python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["findings"]; b=json.load(open(sys.argv[2]))["findings"]; assert len(a)==len(b), (len(a),len(b))' "$T/s.json" "$T/s2.json"; then
    ok "the same scan twice adds nothing"; else no "the same scan twice adds nothing" "finding counts differ"; fi

"$EDGEMAP" check samples/hospital.xlsx --scan "$T/missing.xml" > /dev/null 2> "$T/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "missing.xml" "$T/err" && ok "missing scan file: exit 2 naming it" || no "missing scan file" "exit $rc: $(cat "$T/err")"
printf '<?xml version="1.0"?><nmaprun><host><address addr="203.0.113.10"' > "$T/cut.xml"
"$EDGEMAP" check samples/hospital.xlsx --scan "$T/cut.xml" > /dev/null 2> "$T/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "cut.xml" "$T/err" && ok "truncated scan file: exit 2 naming it" || no "truncated scan file" "exit $rc: $(cat "$T/err")"
"$EDGEMAP" check samples/hospital.xlsx --scan > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "--scan without a file: usage error" || no "--scan without a file" "exit $rc"

"$EDGEMAP" discover --from-walk samples/walks -o "$T/disc.json" 2>/dev/null
"$EDGEMAP" check --format json samples/hospital.xlsx --discovered "$T/disc.json" > "$T/d.json"; rc=$?
if [ "$rc" -eq 1 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(x["source"]=="discovered" for x in d["devices"]); assert any(f["code"]=="H-UNDOCUMENTED-PATH" for f in d["findings"])' "$T/d.json"; then
    ok "check --discovered: discovered devices and H-UNDOCUMENTED-PATH"
else no "check --discovered" "exit $rc"; fi
echo '{"schema":"edgemap/1"}' > "$T/notdisc.json"
"$EDGEMAP" check samples/hospital.xlsx --discovered "$T/notdisc.json" > /dev/null 2> "$T/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "notdisc.json" "$T/err" && ok "wrong DISC.json schema: exit 2 naming it" || no "wrong DISC.json schema" "exit $rc: $(cat "$T/err")"

"$EDGEMAP" render samples/hospital.xlsx --scan "$SCAN" --discovered "$T/disc.json" -o "$T/m.svg" -o "$T/m.json" 2> "$T/err"; rc=$?
if [ "$rc" -eq 1 ] && [ -s "$T/m.svg" ] && grep -q "H-OPEN-SERVICE" "$T/m.json"; then ok "render accepts --scan and --discovered"; else no "render --scan --discovered" "exit $rc: $(head -c 300 "$T/err")"; fi

# --redact covers what only the scan and discovery saw (an undeclared responder)
"$EDGEMAP" render samples/hospital.xlsx --redact --scan "$SCAN" --discovered "$T/disc.json" \
    -o "$T/r.json" -o "$T/r.svg" -o "$T/r.html" 2> "$T/err"
if grep -l -E '203\.0\.113\.(99|10)\b|198\.51\.100\.20|192\.0\.2\.2\b' "$T/r.json" "$T/r.svg" "$T/r.html" > "$T/leaks"; then
    no "--redact with --scan/--discovered leaves no address" "$(cat "$T/leaks")"
else ok "--redact with --scan/--discovered leaves no address"; fi
