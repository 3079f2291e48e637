#!/bin/bash
# CLI: survey truth (records.md "One row = one line", "Several files are one survey", 調査日)
# on workbooks written the way vendors write them: a two-row header with merged 装置①/②
# group cells, 回線No merged down the rows of a PPPoE multi-session line, 調査日 typed as
# an Excel date (1900 and 1904 systems) or as text in every common spelling.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }

PY=python3
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' 2>/dev/null; then PY=$p; break; fi
done
if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    echo "skip - survey truth workbooks: python3-openpyxl is not installed (scripts/deps.sh installs it)"
    exit 0
fi

# book.py OUT DATE KIND [1904]: KIND text = 調査日 typed as text; date = an Excel date cell;
# serial = a bare number in a General cell; none = no 調査日 row
cat > "$T/book.py" <<'EOF'
import sys, datetime, openpyxl
from openpyxl.styles import Alignment
out, date, kind = sys.argv[1], sys.argv[2], sys.argv[3]
wb = openpyxl.Workbook()
if len(sys.argv) > 4: wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
ws = wb.active; ws.title = "基本情報記入シート"
ws.append(["医療機関名", "テスト病院"])
if kind == "text": ws.append(["調査日", date])
elif kind == "date":
    ws.append(["調査日", datetime.datetime.strptime(date, "%Y-%m-%d")]); ws["B2"].number_format = "yyyy/m/d"
elif kind == "serial": ws.append(["調査日", int(date)])
r = wb.create_sheet("回線・機器情報記入シート")
r.append(["回線・機器情報記入シート"])
top = ["回線No", "通信形態", "グローバルIP利用", "固定IP/動的IP", "グローバルIPアドレス", "電子カルテ接続",
       "回線事業者", "回線サービス名", "回線終端装置設置場所", "システム名", "装置①", None, None, None, "装置②", None, None, None, "備考"]
sub = [None] * 10 + ["装置の種類", "メーカー", "機種名", "ファームウェア\nバージョン"] * 2 + [None]
r.append(top); r.append(sub)
for c in range(1, 11): r.merge_cells(start_row=2, end_row=3, start_column=c, end_column=c)
r.merge_cells("K2:N2"); r.merge_cells("O2:R2"); r.merge_cells("S2:S3")
r.append(["1", "インターネット", "あり", "固定IP", "203.0.113.10", "あり", "NTT東日本", "フレッツ光ネクスト", "本館1F", "電子カルテ",
          "ONU", "NEC", "GE-PON", None, "ルーター", "ヤマハ", "RTX1210", "Rev.14.01.38", "装置②実機確認実施"])
r.append([None, "インターネットVPN", "あり", "固定IP", "203.0.113.11", "あり", None, None, None, "電子カルテ",
          None, None, None, None, "ファイアウォール/UTM", "Fortinet", "FortiGate-60E", "FortiOS 6.0.4", "装置②実機確認実施"])
for c in (1, 7, 8, 9, 11, 12, 13):
    r.merge_cells(start_row=4, end_row=5, start_column=c, end_column=c)
t = wb.create_sheet("調査端末情報記入シート")
t.append(["端末名", "OS", "ウイルス対策ソフト", "バージョン", "USB閉塞", "所属システム"])
t.append(["EMR-PC-015", "Windows10 Pro 22H2", "Trend Micro Apex One", "14.0", "あり", "電子カルテ"])
wb.save(out)
EOF

json() { "$EDGEMAP" check --format json "$@" 2>"$T/err"; }

# ---- PPPoE multi-session line: both routers, FortiOS 6.0.4 reported ----
"$PY" "$T/book.py" "$T/pppoe.xlsx" 2025-06-01 date
json "$T/pppoe.xlsx" > "$T/p.json"
if python3 - "$T/p.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["lines"]) == 1 and len(d["lines"][0]["paths"]) == 2, d["lines"]
models = sorted(x["model"] for x in d["devices"])
assert models == ["FortiGate-60E", "GE-PON", "RTX1210"], models
fg = [x for x in d["devices"] if x["model"] == "FortiGate-60E"][0]
assert "CVE-2018-13379" in fg["cves"], fg
v = [f for f in d["findings"] if f["code"] == "H-VULN-FIRMWARE" and f["row"] == 5]
assert v, d["findings"]
p = d["lines"][0]["paths"]
assert p[0]["devices"][0] == p[1]["devices"][0] and p[0]["devices"][1] != p[1]["devices"][1], p
EOF
then ok "PPPoE line (merged 回線No, two-row header): both routers kept, FortiOS 6.0.4 reported on row 5"
else no "PPPoE line" "$(head -c 600 "$T/p.json")"; fi

"$EDGEMAP" render "$T/pppoe.xlsx" -o "$T/p.svg" 2>/dev/null
if grep -q "FortiGate" "$T/p.svg" && grep -q "RTX1210" "$T/p.svg"; then ok "diagram draws both routers of the line"
else no "diagram draws both routers" "$(grep -c '<g' "$T/p.svg")"; fi

# ---- 調査日 as people type it ----
check_date() { # name kind text want [1904]
    local name=$1 kind=$2 text=$3 want=$4; shift 4
    "$PY" "$T/book.py" "$T/d.xlsx" "$text" "$kind" "$@"
    json "$T/d.xlsx" > "$T/d.json"
    local got; got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["site"]["survey_date"], any(f["code"]=="W-SURVEY-DATE" for f in d["findings"]))' "$T/d.json" 2>&1)
    if [ "$got" = "$want False" ]; then ok "調査日 $name → $want"; else no "調査日 $name" "got $got, want $want"; fi
}
check_date "Excel date cell" date 2025-06-01 2025-06-01
check_date "Excel date cell, 1904 system" date 2025-06-01 2025-06-01 1904
check_date "bare serial, 1900 system" serial 45809 2025-06-01
check_date "bare serial, 1904 system" serial 44347 2025-06-01 1904
check_date "2025年6月1日" text "2025年6月1日" 2025-06-01
check_date "full-width ２０２５年６月１日" text "２０２５年６月１日" 2025-06-01
check_date "令和7年6月1日" text "令和7年6月1日" 2025-06-01
check_date "R7.6.1" text "R7.6.1" 2025-06-01
check_date "2025/6/1" text "2025/6/1" 2025-06-01

# the date decides the OS rule: Windows 10 22H2 ended 2025-10-14
"$PY" "$T/book.py" "$T/w.xlsx" "令和7年6月1日" text
json "$T/w.xlsx" > "$T/w.json"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not any(f["code"]=="W-TERMINAL" and "サポート" in f["message"] for f in d["findings"])' "$T/w.json"; then
    ok "令和7年6月1日: Windows 10 22H2 still supported on the survey date"
else no "W-TERMINAL judged on 調査日" "$(grep -o '"survey_date[^,]*' "$T/w.json")"; fi

# unreadable or impossible 調査日: W-SURVEY-DATE naming the date used instead
"$PY" "$T/book.py" "$T/b.xlsx" "2026年2月30日" text
"$EDGEMAP" check --format json --survey-date 2026-11-05 "$T/b.xlsx" > "$T/b.json" 2>/dev/null
if python3 - "$T/b.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["site"]["survey_date"] == "2026-11-05", d["site"]["survey_date"]
w = [f for f in d["findings"] if f["code"] == "W-SURVEY-DATE"]
assert len(w) == 1 and "2026年2月30日" in w[0]["message"] and "2026-11-05" in w[0]["message"], w
assert w[0]["sheet"] == "基本情報記入シート" and w[0]["row"] == 2 and w[0]["column"] == "調査日", w
EOF
then ok "impossible 調査日 2026年2月30日: W-SURVEY-DATE names the --survey-date used"
else no "W-SURVEY-DATE" "$(head -c 800 "$T/b.json")"; fi

"$EDGEMAP" check --format json "$T/b.xlsx" > "$T/b2.json" 2>/dev/null
if python3 -c 'import json,sys,datetime; d=json.load(open(sys.argv[1])); w=[f for f in d["findings"] if f["code"]=="W-SURVEY-DATE"]; assert w and d["site"]["survey_date"] in w[0]["message"] and ("今日" in w[0]["message"] or "EDGEMAP_SURVEY_DATE" in w[0]["message"])' "$T/b2.json"; then
    ok "impossible 調査日 without --survey-date: W-SURVEY-DATE says today's date was used"
else no "W-SURVEY-DATE today" "$(head -c 600 "$T/b2.json")"; fi

# ---- the model JSON is valid UTF-8 whatever 調査日 holds ----
"$PY" "$T/book.py" "$T/u.xlsx" "２０２６年１１月５日" text
if json "$T/u.xlsx" | python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))'; then
    ok "調査日 in full-width digits: model JSON is valid UTF-8"
else no "JSON UTF-8" "invalid"; fi

# ---- --survey-date must be a real date ----
for bad in 2026-13-45 2026-02-30 tomorrow 46331; do
    "$EDGEMAP" check --survey-date "$bad" "$T/pppoe.xlsx" >/dev/null 2>"$T/err"; rc=$?
    if [ "$rc" -eq 2 ] && grep -q "survey-date" "$T/err"; then ok "--survey-date $bad: exit 2"
    else no "--survey-date $bad" "exit $rc: $(head -c 200 "$T/err")"; fi
done

# ---- shown as written: 備考 (line breaks kept) and unknown columns in tooltips and the report ----
printf '%s\n' '回線No,通信形態,電子カルテ接続,回線事業者,回線サービス名,システム名,備考,月額費用' \
    '1,電話回線のみ,なし,NTT東日本,加入電話（アナログ）,医事会計,"装置②実機確認実施' '保守は㈱メディカル",５，０００円' > "$T/w.csv"
"$EDGEMAP" render "$T/w.csv" -o "$T/w.svg" -o "$T/w.html" 2>/dev/null
if grep -q "加入電話（アナログ）" "$T/w.svg" && grep -q "装置②実機確認実施" "$T/w.svg" && grep -q "保守は㈱メディカル" "$T/w.svg" \
   && grep -q "５，０００円" "$T/w.svg"; then ok "tooltips: values as written, 備考 and unknown columns"
else no "tooltips as written" "$(grep -o 'tooltip="[^"]*' "$T/w.svg" | head -5)"; fi
if grep -q "装置②実機確認実施<br>保守は㈱メディカル" "$T/w.html" && grep -q "月額費用: ５，０００円" "$T/w.html" \
   && grep -q "加入電話（アナログ）" "$T/w.html"; then ok "report line table: 備考 with its line break, unknown columns, as written"
else no "report as written" "$(grep -o '<table id="lines".*</table>' "$T/w.html" | head -c 800)"; fi

# ---- invariant over random workbooks (two-row header, 回線No merged down its rows) ----
# every non-empty device cell of every row reaches the model: the row's path names a
# device in that slot carrying its host name, model and firmware (records.md)
cat > "$T/rand.py" <<'EOF'
import sys, random, openpyxl
out, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "回線・機器情報記入シート"
fields = ["装置の種類", "ホスト名", "メーカー", "機種名", "ファームウェアバージョン", "設置場所"]
top = ["回線No", "通信形態", "回線事業者", "装置①"] + [None] * 5 + ["装置②"] + [None] * 5
ws.append(top); ws.append([None, None, None] + fields + fields)
for c in (1, 2, 3): ws.merge_cells(start_row=1, end_row=2, start_column=c, end_column=c)
ws.merge_cells("D1:I1"); ws.merge_cells("J1:O1")
pick = lambda v: rnd.choice(v)
r = 3
expect = {}
while r < 40:
    n = rnd.randint(1, 3); no = str(rnd.randint(1, 9))
    for k in range(n):
        row = [no if k == 0 else None, pick(["インターネット", "インターネットVPN", "閉域網"]), pick(["NTT東日本", "ＮＴＴ東日本", "KDDI"])]
        for s in range(2):
            if rnd.random() < .25: row += [None] * 6; continue
            row += [pick(["ルーター", "ファイアウォール/UTM", "ONU"]), pick([None, "rt1", "RT1", "fw-a", "ｒｔ２"]),
                    pick([None, "ヤマハ", "YAMAHA", "Fortinet"]), pick([None, "RTX1210", "FortiGate-60E", "ＲＴＸ８３０"]),
                    pick([None, "Rev.14.01.33", "FortiOS 6.0.4", "７．４．４"]), pick([None, "1F", "１Ｆ", "2F"])]
        ws.append(row)
        expect[r + k] = [row[3 + 6 * s: 9 + 6 * s] for s in range(2)]
    if n > 1: ws.merge_cells(start_row=r, end_row=r + n - 1, start_column=1, end_column=1)
    r += n
wb.save(out)
import json; json.dump(expect, open(out + ".expect.json", "w"), ensure_ascii=False)
EOF
bad=""
for seed in 1 2 3 4 5 6; do
    "$PY" "$T/rand.py" "$T/r.xlsx" "$seed"
    "$EDGEMAP" check --format json "$T/r.xlsx" > "$T/r.json" 2>/dev/null
    python3 - "$T/r.json" "$T/r.xlsx.expect.json" <<'EOF' || bad="$bad $seed"
import json, sys, unicodedata
d = json.load(open(sys.argv[1]))
expect = {int(k): v for k, v in json.load(open(sys.argv[2])).items()}
dev = {x["id"]: x for x in d["devices"]}
key = lambda s: "".join(unicodedata.normalize("NFKC", s or "").split()).lower()
rows = {p["row"]: p for l in d["lines"] for p in l["paths"]}
assert set(rows) == set(expect), (sorted(rows), sorted(expect))
for r, cells in expect.items():
    for s in range(2):
        want = dict(zip(("type", "hostname", "maker", "model", "firmware", "location"), cells[s]))
        decl = rows[r]["declared"][s]
        if not any(want.values()):
            assert decl is None, (r, s, decl); continue
        for f, v in want.items():
            assert key(decl[f]) == key(v), (r, s, f, decl[f], v)   # the row's cells, as read
for l in d["lines"]:
    for p in l["paths"]:
        for s, decl in enumerate(p["declared"]):
            if not decl: continue
            x = dev[p["devices"][s]]
            assert p["devices"][s] in l["devices"], (p["row"], s)
            for f in ("hostname", "model", "firmware"):
                assert not decl[f] or key(decl[f]) == key(x[f]), (p["row"], s, f, decl[f], x[f])
EOF
done
if [ -z "$bad" ]; then ok "random workbooks: every declared device cell reaches its row's device"
else no "random workbooks invariant" "seeds$bad"; fi
