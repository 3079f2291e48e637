#!/bin/bash
# CLI: --accept FILE on check, render, targets and annotate — accepted findings stay
# visible (text, JSON "accepted", HTML report, annotated workbook) but no longer count
# for the exit status; a stale entry is W-ACCEPT-STALE; a bad file is exit 2 with its
# line and column.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
PY=${EM_OPENPYXL_PYTHON:-/usr/bin/python3}

# a clinic with one error (a private "global" address) and the carrier-NAT LTE warning
cat > "$T/c.csv" <<'CSV'
回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,装置①_装置の種類,装置①_メーカー,装置①_機種名,備考
1,インターネット,あり,固定IP,192.168.1.1,あり,ルーター,NEC,UNIVERGE IX2215,装置①実機確認実施
2,インターネットVPN,なし,,,あり,ルーター,NEC,UNIVERGE IX2215,装置①実機確認実施
CSV
printf 'code\tline_no\trow\treason\taccepted_by\tdate\n# 2026-11 survey\nE-IP-NOT-GLOBAL\t1\t\t検証用のNAT配下（事業者確認済み）\t調査チーム\t2026-11-26\nW-GLOBAL-IP-EXPECTED\t2\t3\tキャリアNATのLTE回線、グローバルIPなし\t\t\n' > "$T/acc.tsv"

"$EDGEMAP" check "$T/c.csv" >/dev/null 2>&1; rc=$?
if [ "$rc" -eq 1 ]; then ok "without --accept: exit 1"; else no "without --accept: exit 1" "rc=$rc"; fi
"$EDGEMAP" check "$T/c.csv" --accept "$T/acc.tsv" >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && grep -q "E-IP-NOT-GLOBAL \[承認済み\]" "$T/out" && grep -q "承認済み: 検証用のNAT配下（事業者確認済み）（調査チーム, 2026-11-26）" "$T/out" \
   && grep -q "承認済み 2件" "$T/out"; then ok "check --accept: exit 0, findings still shown as 承認済み with the reason"
else no "check --accept: exit 0, findings still shown as 承認済み with the reason" "rc=$rc $(cat "$T/out" "$T/err" | head -c 600)"; fi
"$EDGEMAP" check --lang en "$T/c.csv" --accept "$T/acc.tsv" >"$T/out" 2>&1
if grep -q "\[accepted\]" "$T/out" && grep -q "accepted: キャリアNAT" "$T/out"; then ok "check --accept --lang en"; else no "check --accept --lang en" "$(head -c 400 "$T/out")"; fi
"$EDGEMAP" check --format json "$T/c.csv" --accept "$T/acc.tsv" >"$T/j.json" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && python3 - "$T/j.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["code"]: x for x in d["findings"]}
a = f["E-IP-NOT-GLOBAL"]["accepted"]
assert a["reason"] == "検証用のNAT配下（事業者確認済み）" and a["accepted_by"] == "調査チーム" and a["date"] == "2026-11-26", a
assert a["entry_line"] == 3, a
assert f["W-GLOBAL-IP-EXPECTED"]["accepted"]["reason"].startswith("キャリアNAT")
assert all(k in f["E-IP-NOT-GLOBAL"] for k in ("code", "severity", "row", "column", "message"))
PY
then ok "check --format json: additive \"accepted\" key"; else no "check --format json: additive \"accepted\" key" "rc=$rc"; fi

# render: HTML report marks it; exit 0
"$EDGEMAP" render "$T/c.csv" --accept "$T/acc.tsv" -o "$T/r.html" -o "$T/r.json" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && grep -q 'class="accepted">承認済み' "$T/r.html" && grep -q "検証用のNAT配下" "$T/r.html" && grep -q '"accepted"' "$T/r.json"; then
    ok "render --accept: report shows 承認済み and the reason, exit 0"
else no "render --accept: report shows 承認済み and the reason, exit 0" "rc=$rc $(head -c 300 "$T/err")"; fi
"$EDGEMAP" targets "$T/c.csv" --accept "$T/acc.tsv" -o "$T/t.csv" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ]; then ok "targets --accept: exit 0"; else no "targets --accept: exit 0" "rc=$rc $(head -c 300 "$T/err")"; fi

# annotate: the cell says ✔ and its comment 承認済み
"$EDGEMAP" annotate "$T/c.csv" --accept "$T/acc.tsv" -o "$T/a.xlsx" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 0 ] && "$PY" - "$T/a.xlsx" > "$T/py" 2>&1 <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
c = wb["c"]["E2"]
assert c.value == "✔ 192.168.1.1", c.value
assert "承認済み: 検証用のNAT配下" in c.comment.text and "E-IP-NOT-GLOBAL" in c.comment.text, c.comment.text
rows = [r for r in wb["指摘一覧"].iter_rows(min_row=11, values_only=True) if r[2]]
acc = {r[2]: r[3] for r in rows}
assert acc["E-IP-NOT-GLOBAL"].startswith("承認済み: 検証用のNAT配下"), acc
summary = wb["指摘一覧"]["C5"].value
assert "承認済み 2件" in summary and "エラー 0件" in summary, summary
PY
then ok "annotate --accept: ✔ on the cell, 承認済み in comment and list, exit 0"
else no "annotate --accept: ✔ on the cell, 承認済み in comment and list, exit 0" "rc=$rc $(tail -c 400 "$T/py") $(head -c 200 "$T/err")"; fi

# stale entry: a warning naming the accept file line; exit status unchanged
printf 'code\tline_no\trow\treason\taccepted_by\tdate\n# fixed since\n\nW-DYNAMIC-IP\t9\t\t当日確認\t\t\n' > "$T/stale.tsv"
"$EDGEMAP" check "$T/c.csv" --accept "$T/stale.tsv" >"$T/out" 2>&1; rc=$?
if [ "$rc" -eq 1 ] && grep -q "W-ACCEPT-STALE" "$T/out" && grep -q "stale.tsv" "$T/out" && grep -q "4行目 W-DYNAMIC-IP" "$T/out"; then
    ok "stale entry: W-ACCEPT-STALE with the accept file and its line; exit still counts the open error"
else no "stale entry: W-ACCEPT-STALE with the accept file and its line; exit still counts the open error" "rc=$rc $(head -c 500 "$T/out")"; fi

# CP932, as Excel saves tab-separated text
iconv -f UTF-8 -t CP932 "$T/acc.tsv" > "$T/sjis.tsv"
"$EDGEMAP" check "$T/c.csv" --accept "$T/sjis.tsv" >"$T/out" 2>&1; rc=$?
if [ "$rc" -eq 0 ] && grep -q "キャリアNATのLTE回線" "$T/out"; then ok "CP932 accept file"; else no "CP932 accept file" "rc=$rc"; fi

# bad files: exit 2, file, line and column
printf 'code\tline_no\trow\treason\taccepted_by\tdate\nW-DYNAMIC-IP\t1\tthree\t理由\t\t\n' > "$T/bad.tsv"
"$EDGEMAP" check "$T/c.csv" --accept "$T/bad.tsv" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q "bad.tsv" "$T/err" && grep -q "2行目" "$T/err" && grep -q "列「row」" "$T/err"; then
    ok "bad accept file: exit 2 with file, line and column"
else no "bad accept file: exit 2 with file, line and column" "rc=$rc $(head -c 300 "$T/err")"; fi
printf 'code,line_no,row,reason\n' > "$T/csvhdr.tsv"
"$EDGEMAP" check --lang en "$T/c.csv" --accept "$T/csvhdr.tsv" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q "row 1" "$T/err" && grep -q "header" "$T/err"; then ok "accept file without the TSV header: exit 2"
else no "accept file without the TSV header: exit 2" "rc=$rc $(head -c 300 "$T/err")"; fi
"$EDGEMAP" check "$T/c.csv" --accept "$T/missing.tsv" >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ] && grep -q "missing.tsv" "$T/err"; then ok "missing accept file: exit 2"; else no "missing accept file: exit 2" "rc=$rc"; fi
"$EDGEMAP" check "$T/c.csv" --accept >/dev/null 2>"$T/err"; rc=$?
if [ "$rc" -eq 2 ]; then ok "--accept without a file: exit 2"; else no "--accept without a file: exit 2" "rc=$rc"; fi

# a reason typed with Alt+Enter (a quoted cell over two lines): the text report keeps its
# second line indented under the first
printf 'code\tline_no\trow\treason\taccepted_by\tdate\r\nW-DYNAMIC-IP\t\t\t"一行目\r\n二行目"\t佐藤\t2026-11-30\r\n' > "$T/ml.tsv"
"$EDGEMAP" check "$ROOT/samples/hospital.xlsx" --accept "$T/ml.tsv" >"$T/out" 2>"$T/err"
if grep -q '^      承認済み: 一行目$' "$T/out" && grep -q '^        二行目（佐藤, 2026-11-30）$' "$T/out"; then
    ok "accepted reason over two lines: the second indented in the text report"
else no "accepted reason over two lines: the second indented in the text report" "$(grep -A1 '一行目' "$T/out" | head -3)"; fi
