#!/bin/bash
# CLI: `edgemap check` on broken or hostile input — exit 2 with a message naming the file
# (and sheet/row when known), never a crash; usage errors; --lang en.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
expect() { # name want_rc file_pattern cmd...
    local name=$1 want=$2 pat=$3; shift 3
    "$@" >"$T/out" 2>"$T/err"; local rc=$?
    if [ "$rc" -ne "$want" ]; then no "$name" "exit $rc, want $want; stderr: $(head -c 300 "$T/err")"; return; fi
    if [ -n "$pat" ] && ! grep -qF -- "$pat" "$T/err"; then no "$name" "stderr lacks '$pat': $(head -c 300 "$T/err")"; return; fi
    ok "$name"
}

expect "missing file: exit 2, names the file" 2 "$T/nope.xlsx" "$EDGEMAP" check "$T/nope.xlsx"
: > "$T/empty.csv"
expect "empty CSV: no header row" 2 "通信形態" "$EDGEMAP" check "$T/empty.csv"
printf 'PK\003\004garbage' > "$T/broken.xlsx"
expect "broken zip: exit 2, names the file" 2 "$T/broken.xlsx" "$EDGEMAP" check "$T/broken.xlsx"
printf '\320\317\021\340\241\261\032\341rest-of-ole' > "$T/locked.xlsx"
expect "password-protected / .xls (OLE): exit 2" 2 "$T/locked.xlsx" "$EDGEMAP" check "$T/locked.xlsx"
mkdir "$T/dir.csv"
expect "a directory: exit 2" 2 "$T/dir.csv" "$EDGEMAP" check "$T/dir.csv"
printf 'a,b\n"unclosed,1\n' > "$T/q.csv"
expect "unclosed quote: exit 2 with the row" 2 "2行目" "$EDGEMAP" check "$T/q.csv"
expect "unclosed quote in English" 2 "row 2" "$EDGEMAP" check --lang en "$T/q.csv"
expect "no arguments: usage, exit 2" 2 "使い方" "$EDGEMAP" check
expect "unknown option: exit 2" 2 "--bogus" "$EDGEMAP" check --bogus x.csv
expect "bad --format: exit 2" 2 "--format" "$EDGEMAP" check --format xml x.csv
expect "bad --lang: exit 2" 2 "--lang" "$EDGEMAP" check --lang fr x.csv
expect "unknown command: exit 2" 2 "不明なコマンド" "$EDGEMAP" frobnicate

# a clean file exits 0, an error finding exits 1
printf '回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続\r\n1,閉域網,なし,,,なし\r\n' > "$T/clean.csv"
expect "clean records: exit 0" 0 "" "$EDGEMAP" check "$T/clean.csv"
printf '回線No,通信形態,電子カルテ接続\r\n1,衛星,なし\r\n' > "$T/bad.csv"
expect "an error finding: exit 1" 1 "" "$EDGEMAP" check "$T/bad.csv"
if grep -q "E-COMM-TYPE" "$T/out" && grep -q "2行目" "$T/out"; then ok "text output names code and row"; else no "text output names code and row" "$(cat "$T/out")"; fi
"$EDGEMAP" check --format json "$T/bad.csv" > "$T/j.json"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["findings"][0]; assert d["schema"]=="edgemap/1"; assert (f["code"],f["row"],f["column"],f["severity"])==("E-COMM-TYPE",2,"通信形態","error"), f' "$T/j.json"; then
    ok "json: schema and finding fields"
else no "json: schema and finding fields" "$(head -c 400 "$T/j.json")"; fi
"$EDGEMAP" check --lang en "$T/bad.csv" > "$T/en.txt"
if grep -q "is not one of the choices" "$T/en.txt" && ! grep -q "行目" "$T/en.txt"; then ok "--lang en: English messages"; else no "--lang en: English messages" "$(head -c 300 "$T/en.txt")"; fi
