#!/bin/bash
# diff_draw.sh — `edgemap diff OLD NEW -o changes.json -o changes.svg -o changes.pdf -o
# changes.html`: readable values (固定IP → 動的IP, not fixed → dynamic), each change once,
# scan targets entering and leaving with their addresses, and the drawing of both rounds
# in one layout: 追加 thick, 削除 grey dashed struck, 変更 old → new, a legend of them.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
command -v python3 >/dev/null || { echo "skip - diff draw: python3 missing"; exit 0; }
T=$(mktemp -d /tmp/em-diff-draw.XXXXXX)
trap 'rm -rf "$T"' EXIT
H='回線No,通信形態,グローバルIP利用,固定IP/動的IP,グローバルIPアドレス,脆弱性診断(調査希望),電子カルテ接続,回線事業者,回線サービス名,装置①_装置の種類,装置①_ホスト名,装置①_メーカー,装置①_機種名,装置①_ファームウェアバージョン,備考'
printf '%s\r\n1,インターネット,あり,固定IP,203.0.113.10,調査希望あり,あり,NTT東日本,フレッツ光ネクスト,ファイアウォール/UTM,fg1,Fortinet,FortiGate-60F,FortiOS 6.0.4,装置①実機確認実施\r\n1,インターネットVPN,あり,固定IP,203.0.113.10,調査希望あり,あり,NTT東日本,フレッツ光ネクスト,ファイアウォール/UTM,fg1,Fortinet,FortiGate-60F,FortiOS 6.0.4,装置①実機確認実施\r\n2,閉域網,なし,,,調査希望なし,なし,KDDI,WVS,ルーター,rt2,NEC,IX2215,10.8.21,装置①実機確認実施\r\n' "$H" >"$T/old.csv"
printf '%s\r\n1,インターネット,あり,動的IP,,調査希望あり,あり,NTT東日本,フレッツ光クロス,ファイアウォール/UTM,fg1,Fortinet,FortiGate-60F,FortiOS 7.4.4,装置①実機確認実施\r\n1,インターネットVPN,あり,動的IP,,調査希望あり,あり,NTT東日本,フレッツ光クロス,ファイアウォール/UTM,fg1,Fortinet,FortiGate-60F,FortiOS 7.4.4,装置①実機確認実施\r\n3,インターネット,あり,固定IP,198.51.100.7,調査希望あり,なし,NTT東日本,フレッツ光クロス,ルーター,rt3,YAMAHA,RTX830,Rev.15.02.31,装置①実機確認実施\r\n' "$H" >"$T/new.csv"
"$EDGEMAP" diff "$T/old.csv" "$T/new.csv" -o "$T/c.json" -o "$T/c.svg" -o "$T/c.html" -o "$T/c.pdf" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -ne 1 ] || [ ! -s "$T/c.json" ] || [ ! -s "$T/c.svg" ] || [ ! -s "$T/c.html" ] || [ ! -s "$T/c.pdf" ]; then
    echo "not ok - diff draw: exit $rc (want 1), outputs $(ls "$T"): $(head -c 300 "$T/err")"; exit 0
fi
echo "ok - diff draw: -o .json .svg .html .pdf written, exit 1 (changes)"
python3 - "$T/c.json" "$T/c.svg" "$T/c.html" <<'PY'
import json, re, sys, html as H, xml.etree.ElementTree as ET
c = json.load(open(sys.argv[1]))['changes']
def ok(cond, name, why=''):
    print(('ok - diff draw: ' if cond else 'not ok - diff draw: ') + name + ('' if cond else ': ' + why))
ok(any(x['field'] == 'ip_kind' and x['old'] == '固定IP' and x['new'] == '動的IP' for x in c),
   'values as written (固定IP → 動的IP)', str([x for x in c if x['field'] == 'ip_kind']))
ok(not any(x['new'] in ('dynamic', 'fixed', 'true', 'false') or x['old'].startswith('[') for x in c),
   'no raw enum or JSON array values', str(c))
tuples = [(x['kind'], x['op'], x['key'], x['field'], x['old'], x['new']) for x in c]
ok(len(tuples) == len(set(tuples)), 'each change once', str([t for t in tuples if tuples.count(t) > 1]))
tg = sorted((x['op'], x['key']) for x in c if x['kind'] == 'target')
ok(('removed', '1 203.0.113.10') in tg and ('added', '3 198.51.100.7') in tg and any(k.startswith('1 動的IP') for o, k in tg if o == 'added'),
   'scan targets entering and leaving the list, with addresses', str(tg))
S = '{http://www.w3.org/2000/svg}'
nodes = {}
for g in ET.parse(sys.argv[2]).getroot().iter(S + 'g'):
    if g.get('class') == 'node':
        text = ''.join(t for x in g.iter(S + 'text') for t in x.itertext())
        shapes = [e for e in g.iter() if e.tag in (S + 'path', S + 'polygon', S + 'ellipse')]
        nodes[g.get('id')] = (text, ' '.join((e.get('stroke') or '') + ' ' + (e.get('stroke-dasharray') or '') + ' ' + (e.get('stroke-width') or '') for e in shapes))
l2, l3, l1 = nodes.get('line-2'), nodes.get('line-3'), nodes.get('line-1')
ok(l2 and '削除' in l2[0] and '#808080' in l2[1] and re.search(r'\d,\d', l2[1]), 'removed line 2: 削除, grey, dashed', str(l2))
ok(l3 and '追加' in l3[0] and ' 3' in l3[1], 'added line 3: 追加, thick', str(l3))
ok(l1 and '変更' in l1[0] and 'フレッツ光ネクスト → フレッツ光クロス' in l1[0], 'changed line 1: 変更 with old → new', str(l1))
svgtext = open(sys.argv[2], encoding='utf-8').read()
ok('line-through' in svgtext, 'removed text struck through')
legend = ''.join(t for g in ET.parse(sys.argv[2]).getroot().iter(S + 'g') if g.get('class') == 'graph' for x in g.iter(S + 'text') for t in x.itertext())
ok(all(w in svgtext for w in ('追加：', '削除：', '変更：')), 'legend names 追加, 削除, 変更')
doc = open(sys.argv[3], encoding='utf-8').read()
rows = len(re.findall(r'<tr class="(added|removed|changed)">', doc))
ok('<svg' in doc and rows == len(c), 'HTML: the drawing and one row per change (%d)' % rows, 'rows %d changes %d' % (rows, len(c)))
PY
if command -v pdftotext >/dev/null; then
    pdftotext "$T/c.pdf" - | grep -q '追加' && echo "ok - diff draw: PDF carries the marks" || echo "not ok - diff draw: PDF without 追加"
fi
# the drawn diff needs records on both sides
"$EDGEMAP" check --format json "$T/old.csv" >"$T/old.json"
"$EDGEMAP" diff "$T/old.json" "$T/new.csv" -o "$T/x.svg" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] && grep -q '記入シート' "$T/err" && [ ! -e "$T/x.svg" ]; then
    echo "ok - diff draw: a model JSON side cannot be drawn: exit 2 with the reason"
else
    echo "not ok - diff draw: JSON side: exit $rc $(head -c 200 "$T/err")"
fi
"$EDGEMAP" diff "$T/old.json" "$T/new.csv" -o "$T/x.json" >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && [ -s "$T/x.json" ] && echo "ok - diff draw: -o changes.json from a model JSON side" || echo "not ok - diff draw: JSON side .json: exit $rc"
# the drawn diff keeps hand-placed positions too (--layout, as render)
if "$EDGEMAP" diff "$T/old.csv" "$T/new.csv" -o "$T/d.drawio" >/dev/null 2>&1; [ -s "$T/d.drawio" ]; then
    python3 "$ROOT/tests/tools/drawio_check.py" move "$T/d.drawio" "$T/dm.drawio" line-3 0 120
    "$EDGEMAP" diff "$T/old.csv" "$T/new.csv" --layout "$T/dm.drawio" -o "$T/d2.drawio" >/dev/null 2>"$T/err"
    want=$(python3 "$ROOT/tests/tools/drawio_check.py" positions "$T/dm.drawio" | awk '$1=="line-3"{print $2, $3}')
    got=$(python3 "$ROOT/tests/tools/drawio_check.py" positions "$T/d2.drawio" | awk '$1=="line-3"{print $2, $3}')
    [ -n "$want" ] && [ "$want" = "$got" ] && echo "ok - diff draw: --layout keeps a moved node of the drawn diff ($got)" ||
        echo "not ok - diff draw: --layout: line-3 want '$want' got '$got' $(head -c 200 "$T/err")"
else
    echo "not ok - diff draw: -o .drawio failed"
fi
