#!/bin/bash
# CLI: `edgemap template` — the blank workbook checked by openpyxl (sheets, merged
# group labels, pull-downs from the hidden list sheet, input messages, widths, panes,
# the 調査日 date cell, no password content), --lang en, and the round trip: the
# template filled by a script as a vendor's Excel would save it reads back with no
# header problem and exactly the planted findings. LibreOffice: tests/cli/book_soffice.sh.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
PY=${EM_OPENPYXL_PYTHON:-/usr/bin/python3}

"$EDGEMAP" template -o "$T/t.xlsx" >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && [ -s "$T/t.xlsx" ] && [ ! -s "$T/out" ]; then ok "template: exit 0, writes the file"
else no "template: exit 0, writes the file" "rc=$rc $(head -c 300 "$T/err")"; fi

# our own reader: the blank template is a records workbook with no rows and no finding
"$EDGEMAP" check --format json "$T/t.xlsx" >"$T/t.json" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && tr -d ' \n' < "$T/t.json" | grep -q '"lines":\[\]' && tr -d ' \n' < "$T/t.json" | grep -q '"findings":\[\]'; then
    ok "template: our reader finds the header, no rows, no finding"
else no "template: our reader finds the header, no rows, no finding" "rc=$rc $(head -c 300 "$T/err")"; fi

"$EDGEMAP" template -o "$T/d.xlsx" --survey-date 2026-11-25 --site "みなと中央病院" 2>"$T/err"
if "$EDGEMAP" check --format json "$T/d.xlsx" | grep -q '"survey_date": "2026-11-25"'; then ok "template --survey-date: a date cell our reader reads as the date"
else no "template --survey-date: a date cell our reader reads as the date" "$(head -c 300 "$T/err")"; fi

if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    echo "skip - template: openpyxl checks: python3-openpyxl not installed (scripts/deps.sh)"
else
    "$PY" "$ROOT/tests/tools/book_inspect.py" template "$T/t.xlsx" ja
    "$EDGEMAP" template --lang en -o "$T/en.xlsx" 2>"$T/err"
    "$PY" "$ROOT/tests/tools/book_inspect.py" template "$T/en.xlsx" en | sed 's/- template: /- template --lang en: /'
    # round trip: filled as a vendor would, read back
    if "$PY" "$ROOT/tests/tools/book_fill.py" "$T/t.xlsx" "$T/filled.xlsx" >"$T/planted" 2>"$T/err"; then
        "$EDGEMAP" check --format json "$T/filled.xlsx" >"$T/f.json" 2>"$T/err"; rc=$?
        if "$PY" - "$T/f.json" "$T/planted" "$rc" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((f["code"], f["row"]) for f in d["findings"])
want = sorted((l.split("\t")[0], int(l.split("\t")[1])) for l in open(sys.argv[2]).read().split("\n") if l)
assert got == want, (got, want)
assert sys.argv[3] == "1", "exit status " + sys.argv[3]
assert d["site"]["name"] == "テスト記念病院", d["site"]
assert d["site"]["survey_date"] == "2026-11-25", d["site"]
assert len(d["lines"]) == 5, len(d["lines"])
cols = {(f["code"], f["column"]) for f in d["findings"]}
assert ("E-IP-KIND-MISSING", "固定IP/動的IP") in cols and ("E-DEV2-TYPE", "装置② 装置の種類") in cols, cols
PY
        then ok "round trip: filled template reads back with exactly the planted findings"
        else no "round trip: filled template reads back with exactly the planted findings" "$(tail -c 600 "$T/py")"; fi
    else
        no "round trip: fill the template with openpyxl" "$(tail -c 400 "$T/err")"
    fi
fi

# usage and errors
"$EDGEMAP" template >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "-o" "$T/err"; then ok "template without -o: exit 2, says -o"; else no "template without -o: exit 2, says -o" "rc=$rc"; fi
"$EDGEMAP" template -o "$T/x.xlsx" --lang fr >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && [ ! -e "$T/x.xlsx" ]; then ok "template --lang fr: exit 2, nothing written"; else no "template --lang fr: exit 2, nothing written" "rc=$rc"; fi
"$EDGEMAP" template -o "$T/x.xlsx" --survey-date 2026-02-30 >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ]; then ok "template --survey-date not a real date: exit 2"; else no "template --survey-date not a real date: exit 2" "rc=$rc"; fi
"$EDGEMAP" template -o "$T/no/such/dir/x.xlsx" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q "no/such/dir/x.xlsx" "$T/err"; then ok "template into a missing directory: exit 2, names the file"
else no "template into a missing directory: exit 2, names the file" "rc=$rc $(head -c 300 "$T/err")"; fi
printf 'keep' > "$T/keep.xlsx"; chmod 444 "$T/keep.xlsx"
"$EDGEMAP" template -o "$T/keep.xlsx" >/dev/null 2>&1
if [ -s "$T/keep.xlsx" ] && ! grep -q keep "$T/keep.xlsx"; then ok "template replaces an existing file whole"
else no "template replaces an existing file whole" "$(head -c 20 "$T/keep.xlsx")"; fi
