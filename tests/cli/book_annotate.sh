#!/bin/bash
# CLI: `edgemap annotate` — the sample hospital's records with every finding on its
# cell, checked by openpyxl (comments, fills, marks, list, hyperlinks to the right
# cells) and by our own reader (values as written, row numbers kept, no password
# value); --party, --redact, CSV input, several files, exit status and errors.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
PY=${EM_OPENPYXL_PYTHON:-/usr/bin/python3}
H=$ROOT/samples/hospital.xlsx
DUMP=$ROOT/$BUILD/tests/tools/xlsx_dump

"$EDGEMAP" annotate "$H" -o "$T/a.xlsx" >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -eq 1 ] && [ -s "$T/a.xlsx" ]; then ok "annotate hospital: exit 1 (errors), writes the workbook"
else no "annotate hospital: exit 1 (errors), writes the workbook" "rc=$rc $(head -c 300 "$T/err")"; fi
"$EDGEMAP" check --format json "$H" > "$T/h.json"

# our own reader: same rows, same columns, values as written, marks on finding cells
if [ -x "$DUMP" ]; then
    "$DUMP" "$H" > "$T/orig.txt"; "$DUMP" "$T/a.xlsx" > "$T/ann.txt"
    if "$PY" - "$T/orig.txt" "$T/ann.txt" > "$T/py" 2>&1 <<'PY'
import re, sys
def sheets(path):
    out, cur = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^sheet \d+ "(.*)"', line)
        if m:
            cur = m.group(1); out[cur] = set()
        elif cur is not None and "\t" in line:
            row, *cells = line.split("\t")
            out[cur].update(f"{row}:{c}" for c in cells)
    return out
o, a = sheets(sys.argv[1]), sheets(sys.argv[2])
ro, ra = o["回線・機器情報記入シート"], a["回線・機器情報記入シート"]
strip = lambda s: re.sub(r"^(\d+:[A-Z]+=)[✖▲ⓘ✔] ?", r"\1", s)
ra = {strip(x) for x in ra}
missing = [x for x in ro if x not in ra and "P@ss" not in x]
assert not missing, missing[:5]
assert any(x.startswith("19:M=") and "192.168.1.1" in x for x in a["回線・機器情報記入シート"])
assert not any("P@ssw0rd" in x for x in ra)
assert list(a)[0] == "指摘一覧", list(a)
PY
    then ok "our reader: every cell of the original at its row and column, values as written"
    else no "our reader: every cell of the original at its row and column, values as written" "$(tail -c 500 "$T/py") $(head -5 "$T/ann.txt")"; fi
else
    echo "skip - our reader: $DUMP not built (make tests)"
fi
if unzip -p "$T/a.xlsx" | grep -q -e 'P@ssw0rd-SAMPLE' -e 'admin-sample'; then no "no password value anywhere in the zip" "found"
else ok "no password value anywhere in the zip"; fi

if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    echo "skip - annotate: openpyxl checks: python3-openpyxl not installed (scripts/deps.sh)"
else
    "$PY" "$ROOT/tests/tools/book_inspect.py" annotate "$T/a.xlsx" "$T/h.json"
    # --party: the PACS vendor's line only (named with another company spelling)
    "$EDGEMAP" annotate "$H" --party "メディカルシステムサービス(株)" -o "$T/p.xlsx" 2>"$T/err"
    "$PY" "$ROOT/tests/tools/book_inspect.py" annotate "$T/p.xlsx" "$T/h.json" party | sed 's/- annotate/- annotate --party/'
    if "$PY" - "$T/p.xlsx" > "$T/py" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["回線・機器情報記入シート"]
text = [str(c.value) for row in ws.iter_rows(min_row=7) for c in row if c.value is not None]
assert any("FortiOS 6.0.4" in t for t in text), text[:10]
for other in ("mch-rt01", "OCN", "みなとデータセンター", "192.168.1.1", "ミナト精算"):
    assert not any(other in t for t in text), other
assert ws.row_dimensions[7].hidden and not ws.row_dimensions[11].hidden
codes = [r[2] for r in wb["指摘一覧"].iter_rows(min_row=11, values_only=True) if r[2]]
assert sorted(codes) == ["H-VULN-FIRMWARE", "W-DYNAMIC-IP", "W-FIRMWARE-UNVERIFIED"], codes
PY
    then ok "annotate --party: only that vendor's row and findings, other rows hidden and empty"
    else no "annotate --party: only that vendor's row and findings, other rows hidden and empty" "$(tail -c 500 "$T/py")"; fi
    "$EDGEMAP" annotate "$H" --redact -o "$T/r.xlsx" 2>"$T/err"
    if ! unzip -p "$T/r.xlsx" | grep -q -e '203\.0\.113\.10' -e 'mch-rt01' -e 'mch-gw\.example\.jp' -e '192\.168\.10\.1' \
       && unzip -p "$T/r.xlsx" | grep -q 'IP-1'; then ok "annotate --redact: addresses, FQDNs, host names replaced everywhere"
    else no "annotate --redact: addresses, FQDNs, host names replaced everywhere" "$(unzip -p "$T/r.xlsx" | grep -o -e '203\.0\.113\.10' -e 'mch-rt01' | head -3)"; fi
fi

# the cells as each row wrote them: a host name spelled another way (case, full-width
# letters, full-width digits in an address) and a remark quoting it are replaced too
printf 'line_no,comm_type,global_ip_use,ip_kind,global_ip,dev1_type,dev1_hostname,dev1_mgmt_ip,remarks\r\n1,インターネット,あり,固定IP,203.0.113.50,ルーター,mch-rt09,10.9.9.1,\r\n1,インターネット,あり,固定IP,203.0.113.50,ルーター,MCH-RT09,10.9.9.1,MCH-RT09 は実機確認済\r\n1,インターネット,あり,固定IP,203.0.113.50,ルーター,ｍｃｈ－ｒｔ０９,１０.９.９.１,\r\n' >"$T/spell.csv"
"$EDGEMAP" annotate --redact "$T/spell.csv" -o "$T/spell.xlsx" 2>"$T/err"
if [ -x "$DUMP" ] && [ -s "$T/spell.xlsx" ]; then
    left=$("$DUMP" "$T/spell.xlsx" | grep -oi -e 'mch-rt09' -e 'ｍｃｈ－ｒｔ０９' -e '10\.9\.9\.1' -e '１０.９.９.１' -e '203\.0\.113\.50' | sort -u | tr '\n' ' ')
    if [ -z "$left" ] && "$DUMP" "$T/spell.xlsx" | grep -q 'HOST-2 は実機確認済'; then
        ok "annotate --redact: every spelling of a host name and address in the cells, and in remarks"
    else no "annotate --redact: every spelling of a host name and address in the cells, and in remarks" "left: $left"; fi
else no "annotate --redact: every spelling of a host name and address in the cells, and in remarks" "no workbook: $(head -c 300 "$T/err")"; fi

# scan findings: on the cell of the row that declares the address; an undeclared
# responder (no cell) listed with the scan file as its evidence
"$EDGEMAP" annotate "$H" --scan "$ROOT/samples/scan/hospital-nmap.xml" -o "$T/s.xlsx" 2>"$T/err"
if "$PY" - "$T/s.xlsx" > "$T/py" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = [r for r in wb["指摘一覧"].iter_rows(min_row=11) if r[2].value]
op = [r for r in rows if r[2].value == "H-OPEN-SERVICE"]
assert op and all(r[9].hyperlink and r[9].hyperlink.location.endswith("!M%d" % r[5].value) for r in op), [(r[5].value, r[9].value) for r in op]
assert "H-OPEN-SERVICE" in wb["回線・機器情報記入シート"]["M7"].comment.text
und = [r for r in rows if r[2].value == "H-UNDECLARED-REACHABLE"]
assert und and und[0][9].hyperlink is None and "hospital-nmap.xml" in und[0][9].value, [r[9].value for r in und]
PY
then ok "annotate --scan: open services on the declaring cell, undeclared responders listed with the scan file"
else no "annotate --scan: open services on the declaring cell, undeclared responders listed with the scan file" "$(tail -c 400 "$T/py")"; fi

# CSV (CP932) and two files in one run: one sheet each
"$EDGEMAP" annotate "$ROOT/samples/clinic.csv" "$ROOT/samples/clinic-clean.xlsx" -o "$T/two.xlsx" 2>"$T/err"; rc=$?
if [ "$rc" -eq 1 ] && "$PY" - "$T/two.xlsx" > "$T/py" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["指摘一覧", "clinic", "回線・機器情報記入シート"], wb.sheetnames
ws = wb["clinic"]
assert ws["J1"].value == "通信形態" and ws.freeze_panes == "B2", (ws["J1"].value, ws.freeze_panes)
assert any(c.comment for row in ws.iter_rows() for c in row)
PY
then ok "annotate CSV + xlsx: one sheet per file, CSV header kept"
else no "annotate CSV + xlsx: one sheet per file, CSV header kept" "rc=$rc $(tail -c 400 "$T/py") $(head -c 200 "$T/err")"; fi

"$EDGEMAP" annotate "$ROOT/samples/clinic-clean.xlsx" -o "$T/clean.xlsx" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ]; then ok "annotate a clean workbook: exit 0"; else no "annotate a clean workbook: exit 0" "rc=$rc"; fi

# errors: nothing written, inputs never overwritten
"$EDGEMAP" annotate "$H" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ]; then ok "annotate without -o: exit 2"; else no "annotate without -o: exit 2" "rc=$rc"; fi
"$EDGEMAP" annotate "$H" -o "$T/a.csv" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$T/a.csv" ]; then ok "annotate -o not .xlsx: exit 2"; else no "annotate -o not .xlsx: exit 2" "rc=$rc"; fi
cp "$H" "$T/in.xlsx"; sum=$(md5sum < "$T/in.xlsx")
"$EDGEMAP" annotate "$T/in.xlsx" -o "$T/in.xlsx" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && [ "$(md5sum < "$T/in.xlsx")" = "$sum" ]; then ok "annotate onto its input: refused, input untouched"
else no "annotate onto its input: refused, input untouched" "rc=$rc"; fi
printf 'PK\003\004garbage' > "$T/broken.xlsx"
"$EDGEMAP" annotate "$T/broken.xlsx" -o "$T/b.xlsx" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$T/b.xlsx" ] && grep -q broken.xlsx "$T/err"; then ok "annotate a broken file: exit 2, names it, writes nothing"
else no "annotate a broken file: exit 2, names it, writes nothing" "rc=$rc $(head -c 200 "$T/err")"; fi
"$EDGEMAP" annotate "$H" --party "存在しない業者" -o "$T/none.xlsx" >/dev/null 2>"$T/err"
if grep -q "存在しない業者" "$T/err"; then ok "annotate --party with no rows: says so"; else no "annotate --party with no rows: says so" "$(head -c 200 "$T/err")"; fi
