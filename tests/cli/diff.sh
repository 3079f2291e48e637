#!/bin/bash
# CLI: `edgemap diff OLD NEW` between two surveys (records or model JSON).
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
no() { echo "not ok - $1: $2"; }
H='回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,電子カルテ接続,回線事業者,回線サービス名,装置①_装置の種類,装置①_ホスト名,装置①_メーカー,装置①_機種名,装置①_ファームウェアバージョン,備考'
printf '%s\r\n1,インターネット,あり,固定IP,203.0.113.10,あり,NTT東日本,フレッツ光ネクスト,ファイアウォール/UTM,fg1,Fortinet,FortiGate-60F,FortiOS 6.0.4,装置①実機確認実施\r\n2,閉域網,なし,,,なし,KDDI,WVS,ルーター,rt2,NEC,IX2215,10.8.21,装置①実機確認実施\r\n' "$H" > "$T/old.csv"
printf '%s\r\n1,インターネット,あり,固定IP,203.0.113.10,あり,NTT東日本,フレッツ光クロス,ファイアウォール/UTM,fg1,Fortinet,FortiGate-60F,FortiOS 7.4.4,装置①実機確認実施\r\n3,電話回線のみ,なし,,,なし,NTT東日本,加入電話,モデム,,,,,\r\n' "$H" > "$T/new.csv"

"$EDGEMAP" diff "$T/old.csv" "$T/old.csv" > "$T/same.txt"; rc=$?
[ "$rc" -eq 0 ] && grep -q "変更はありません" "$T/same.txt" && ok "identical surveys: exit 0, no changes" || no "identical surveys" "exit $rc $(cat "$T/same.txt")"

"$EDGEMAP" diff --format json "$T/old.csv" "$T/new.csv" > "$T/d.json"; rc=$?
[ "$rc" -eq 1 ] && ok "changed surveys: exit 1" || no "changed surveys: exit 1" "exit $rc"
check() { # name python-assertion over c (list of changes)
    if python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['changes']; $2" "$T/d.json" 2>"$T/py.err"; then ok "$1"; else no "$1" "$(tail -c 400 "$T/py.err")"; fi
}
check "firmware change of the same device (by host name)" 'assert any(x["kind"]=="device" and x["field"]=="firmware" and x["old"]=="FortiOS 6.0.4" and x["new"]=="FortiOS 7.4.4" for x in c), c'
check "vulnerability finding resolved" 'assert any(x["kind"]=="finding" and x["op"]=="removed" and x["key"].startswith("H-VULN-FIRMWARE@1") for x in c), c'
check "line 2 removed, line 3 added" 'assert any(x["kind"]=="line" and x["op"]=="removed" and x["key"]=="2" for x in c) and any(x["kind"]=="line" and x["op"]=="added" and x["key"]=="3" for x in c), c'
check "line 1 service changed" 'assert any(x["kind"]=="line" and x["key"]=="1" and x["field"]=="service" and x["new"]=="フレッツ光クロス" for x in c), c'
check "no spurious change on the unchanged path" 'assert not any(x["kind"]=="path" and x["key"]=="1/internet" for x in c), c'

# a model JSON on one side, records on the other
"$EDGEMAP" check --format json "$T/old.csv" > "$T/old.json"
"$EDGEMAP" diff "$T/old.json" "$T/old.csv" > /dev/null; rc=$?
[ "$rc" -eq 0 ] && ok "model JSON vs the same records: no changes" || no "model JSON vs the same records" "exit $rc"
echo '{"schema":"other/1"}' > "$T/other.json"
"$EDGEMAP" diff "$T/other.json" "$T/old.csv" > /dev/null 2> "$T/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "other.json" "$T/err" && ok "foreign JSON: exit 2 naming the file" || no "foreign JSON" "exit $rc $(cat "$T/err")"
echo '{"schema": "edgemap/1", "lines": [' > "$T/trunc.json"
"$EDGEMAP" diff "$T/trunc.json" "$T/old.csv" > /dev/null 2> "$T/err"; rc=$?
[ "$rc" -eq 2 ] && ok "truncated JSON: exit 2" || no "truncated JSON" "exit $rc"
"$EDGEMAP" diff "$T/old.csv" > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] && ok "one argument: usage, exit 2" || no "one argument" "exit $rc"
"$EDGEMAP" diff --lang en "$T/old.csv" "$T/new.csv" > "$T/en.txt"
grep -q "resolved" "$T/en.txt" && grep -q "firmware" "$T/en.txt" && ok "--lang en text report" || no "--lang en text report" "$(head -c 300 "$T/en.txt")"
