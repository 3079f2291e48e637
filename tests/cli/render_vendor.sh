#!/bin/bash
# render_vendor.sh — vendors grouped by company and drawn on their path. One company
# written three ways (株式会社メディビュー / （株）メディビュー リモート保守センター /
# メディビュー株式会社 保守窓口) on lines 1, 2 and 4, and the ISP of line 3 named as its
# 接続先: the diagram has one party node for the company (the spellings in its tooltip)
# joined to lines 1, 2 and 4 (vendor chain edges), none for the ISP; the report's vendor
# review has one section for the company listing its three lines and none for the ISP.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v python3 >/dev/null || { echo "skip - render vendor: python3 missing"; exit 0; }
T=$(mktemp -d /tmp/em-render-vendor.XXXXXX)
trap 'rm -rf "$T"' EXIT
head -1 "$ROOT/samples/clinic.csv" | iconv -f CP932 -t UTF-8 >"$T/v.csv"
cat >>"$T/v.csv" <<'CSV'
1,あり,調査希望あり,リモート保守,電子カルテ,株式会社メディビュー,クリニック,NTT東日本,フレッツ光クロス,インターネットVPN,あり,固定IP,192.0.2.10,,OCN,OCN光,1F 事務室,ルーター,rt1,192.168.1.1,ヤマハ,RTX830,いいえ,Rev.15.02.09,1F 事務室,,,,,,,,,
2,あり,調査希望あり,リモート保守,PACS,（株）メディビュー リモート保守センター,クリニック,NTT東日本,フレッツ光ネクスト,インターネットVPN,あり,固定IP,192.0.2.20,,OCN,OCN光,2F 放射線科,ルーター,rt2,192.168.2.1,ヤマハ,RTX1210,いいえ,Rev.14.01.42,2F 放射線科,,,,,,,,,
3,あり,調査希望あり,インターネット接続,電子カルテ,OCN,クリニック,NTT東日本,フレッツ光クロス,インターネット,あり,固定IP,192.0.2.30,,OCN,OCN光,1F 事務室,ルーター,rt3,192.168.3.1,ヤマハ,RTX830,いいえ,Rev.15.02.09,1F 事務室,,,,,,,,,
4,なし,調査希望なし,リモート保守,検査,メディビュー株式会社 保守窓口,クリニック,NTTドコモ,モバイル回線,インターネットVPN,なし,,,,,,3F 検査室,ルーター,rt4,192.168.4.1,NEC,UNIVERGE IX2106,いいえ,10.7.16,3F 検査室,,,,,,,,,
CSV
"$EDGEMAP" render "$T/v.csv" -o "$T/v.svg" -o "$T/v.html" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -gt 1 ] || [ ! -s "$T/v.svg" ] || [ ! -s "$T/v.html" ]; then
    echo "not ok - render vendor: exit $rc: $(head -c 300 "$T/err")"; exit 0
fi
python3 - "$T/v.svg" "$T/v.html" <<'PY'
import re, sys, html, unicodedata, xml.etree.ElementTree as ET
svg = ET.parse(sys.argv[1]).getroot()
S = '{http://www.w3.org/2000/svg}'
nodes, edges = {}, []
for g in svg.iter(S + 'g'):
    title = ''.join(g.find(S + 'title').itertext()) if g.find(S + 'title') is not None else ''
    tip = ' '.join(a.get('{http://www.w3.org/1999/xlink}title') or '' for a in g.iter(S + 'a'))
    text = ''.join(t for x in g.iter(S + 'text') for t in x.itertext())
    if g.get('class') == 'node':
        nodes[g.get('id')] = (text, tip)
    elif g.get('class') == 'edge':
        edges.append(g.get('id'))
parties = {k: v for k, v in nodes.items() if k.startswith('party-')}
medi = [k for k, (text, tip) in parties.items() if 'メディビュー' in text]
isp = [k for k, (text, tip) in parties.items() if 'OCN' in text]
ok = True
if len(medi) != 1:
    print('not ok - render vendor: %d party nodes for メディビュー (want 1): %s' % (len(medi), medi)); ok = False
else:
    tip = parties[medi[0]][1]
    nf = lambda s: unicodedata.normalize('NFKC', s)   # the model keeps text NFKC-normalised
    if not all(nf(s) in nf(tip) for s in ('株式会社メディビュー', '（株）メディビュー リモート保守センター', 'メディビュー株式会社 保守窓口')):
        print('not ok - render vendor: the spellings are not all in the tooltip: %r' % tip[:300]); ok = False
    chain = sorted(e for e in edges if e.startswith('v-' + medi[0] + '--'))
    if chain != ['v-%s--line-%d' % (medi[0], n) for n in (1, 2, 4)]:
        print('not ok - render vendor: vendor chain edges %s, want lines 1, 2, 4' % chain); ok = False
if isp:
    print('not ok - render vendor: the ISP is drawn as a vendor: %s' % isp); ok = False
if ok:
    print('ok - render vendor: one node for the company (3 spellings in its tooltip), joined to lines 1, 2, 4; no ISP vendor')
doc = open(sys.argv[2], encoding='utf-8').read()
sec = doc[doc.find('ベンダー保守の確認'):]
heads = [html.unescape(h) for h in re.findall(r'<h3>(.*?)</h3>', sec)]
medi_h = [h for h in heads if 'メディビュー' in h]
if len(medi_h) != 1 or any('OCN' in h for h in heads):
    print('not ok - render vendor: report sections %s (want one メディビュー, no OCN)' % heads)
else:
    body = sec[sec.find('<h3>' + html.escape(medi_h[0], quote=False)):]
    body = body[:body.find('</table>')]
    lines = re.findall(r'<tr><td>(\d+)</td>', body)
    if sorted(lines) != ['1', '2', '4'] or '表記' not in body:
        print('not ok - render vendor: the company section lists lines %s (want 1, 2, 4) and its spellings' % lines)
    else:
        print('ok - render vendor: report has one section for the company with lines 1, 2, 4 and its spellings; none for the ISP')
PY
