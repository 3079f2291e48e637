#!/bin/bash
# CLI: every workbook book/ writes, opened by a real spreadsheet application —
# LibreOffice Calc headless converts each sheet to CSV (one soffice start for all
# files: it starts slowly). A workbook it cannot open gives no CSV; the CSVs must hold
# what we wrote (headers, marks, dates, list sheet, links' sheet).
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
PY=${EM_OPENPYXL_PYTHON:-/usr/bin/python3}
SOFFICE=$(command -v soffice || command -v libreoffice || true)
if [ -z "$SOFFICE" ]; then
    echo "skip - LibreOffice opens our workbooks: soffice not installed (libreoffice-calc-nogui, scripts/deps.sh)"
    exit 0
fi
H=$ROOT/samples/hospital.xlsx
mkdir -p "$T/in" "$T/out"
"$EDGEMAP" template -o "$T/in/tmpl-ja.xlsx" --survey-date 2026-11-25 2>/dev/null
"$EDGEMAP" template --lang en -o "$T/in/tmpl-en.xlsx" 2>/dev/null
"$EDGEMAP" annotate "$H" -o "$T/in/annotated.xlsx" 2>/dev/null
"$EDGEMAP" annotate "$H" --party "メディカルシステムサービス" -o "$T/in/party.xlsx" 2>/dev/null
"$EDGEMAP" annotate "$H" --redact -o "$T/in/redacted.xlsx" 2>/dev/null
"$EDGEMAP" annotate "$ROOT/samples/clinic.csv" -o "$T/in/clinic.xlsx" 2>/dev/null
if "$PY" -c 'import openpyxl' 2>/dev/null; then
    "$PY" "$ROOT/tests/tools/book_fill.py" "$T/in/tmpl-ja.xlsx" "$T/in/filled.xlsx" >/dev/null 2>&1
    "$EDGEMAP" annotate "$T/in/filled.xlsx" -o "$T/in/ann-filled.xlsx" 2>/dev/null
fi
# our own reader first: every workbook reads cleanly
DUMP=$ROOT/$BUILD/tests/tools/xlsx_dump
if [ -x "$DUMP" ]; then
    bad=""
    for f in "$T"/in/*.xlsx; do "$DUMP" -q "$f" >/dev/null 2>&1 || bad="$bad $(basename "$f")"; done
    if [ -z "$bad" ]; then ok "our reader reads every generated workbook"; else no "our reader reads every generated workbook" "$bad"; fi
else
    echo "skip - our reader reads every generated workbook: $DUMP not built (make tests)"
fi
# one start: every file, every sheet (the last token of the filter options: -1 = all sheets)
(cd "$T/in" && timeout -k 10 300 "$SOFFICE" "-env:UserInstallation=file://$T/profile" --headless --norestore \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
    --outdir "$T/out" ./*.xlsx) >"$T/lo.out" 2>&1
lo_rc=$?
for f in "$T"/in/*.xlsx; do
    b=$(basename "$f" .xlsx)
    n=$(ls "$T/out" | grep -c "^$b-")
    if [ "$n" -ge 2 ]; then ok "LibreOffice opens $b.xlsx ($n sheets)"
    else no "LibreOffice opens $b.xlsx" "rc=$lo_rc, $(grep -i -e error -e "$b" "$T/lo.out" | head -c 400)"; fi
done
if grep -qi "error" "$T/lo.out"; then no "LibreOffice reports no error" "$(grep -i error "$T/lo.out" | head -c 400)"
else ok "LibreOffice reports no error"; fi
# the CSVs hold quoted line breaks: read them as CSV, not line by line
if python3 - "$T/out" > "$T/py" 2>&1 <<'PY'
import csv, os, sys
d = sys.argv[1]
def rows(name):
    with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))
t = rows("tmpl-ja-回線・機器情報記入シート.csv")
assert t[4][9] == "通信形態" and t[4][17] == "装置①" and t[5][17] == "装置の種類", t[4][:20]
assert any("インターネットVPN" in r for r in rows("tmpl-ja-選択肢.csv"))
PY
then ok "LibreOffice: template header rows and the list sheet"
else no "LibreOffice: template header rows and the list sheet" "$(tail -c 300 "$T/py")"; fi
if python3 - "$T/out" > "$T/py" 2>&1 <<'PY'
import csv, os, sys
rows = list(csv.reader(open(os.path.join(sys.argv[1], "tmpl-ja-基本情報記入シート.csv"), encoding="utf-8", newline="")))
assert ["調査日", "2026/11/25"] == rows[6][:2], rows[6]
PY
then ok "LibreOffice: 調査日 is a date shown yyyy/mm/dd"
else no "LibreOffice: 調査日 is a date shown yyyy/mm/dd" "$(tail -c 300 "$T/py")"; fi
if python3 - "$T/out" > "$T/py" 2>&1 <<'PY'
import csv, os, sys
d = sys.argv[1]
rec = list(csv.reader(open(os.path.join(d, "annotated-回線・機器情報記入シート.csv"), encoding="utf-8", newline="")))
assert rec[18][12] == "✖ 192.168.1.1", rec[18][:13]
lst = list(csv.reader(open(os.path.join(d, "annotated-指摘一覧.csv"), encoding="utf-8", newline="")))
assert any(r[2] == "E-IP-NOT-GLOBAL" and r[9] == "→ 回線・機器情報記入シート!M19" for r in lst), lst[10:12]
PY
then ok "LibreOffice: annotated mark at M19 and the list with its link text"
else no "LibreOffice: annotated mark at M19 and the list with its link text" "$(tail -c 300 "$T/py")"; fi
if ! cat "$T"/out/redacted-* | grep -q "203.0.113.10" && ! cat "$T"/out/party-* | grep -q "mch-rt01"; then ok "LibreOffice: redacted and party copies hold nothing they should not"
else no "LibreOffice: redacted and party copies hold nothing they should not" "found"; fi
if ! cat "$T"/out/* | grep -q "P@ssw0rd-SAMPLE"; then ok "LibreOffice: no password anywhere"; else no "LibreOffice: no password anywhere" "found"; fi
