#!/bin/bash
# render_inferred.sh — a link inferred from forwarding/ARP tables is drawn as inferred:
# one DISC.json with an LLDP link (seen from both ends) and an FDB-inferred one. The
# inferred link is orange dashed with 未申告（推定） and the tooltip's 推定（MACアドレス表・
# ARP表から）; the LLDP link stays orange bold 未申告; the legend explains the mark; the
# model JSON says "inferred" on each edge; the draw.io export keeps style and label.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v python3 >/dev/null || { echo "skip - inferred: python3 missing"; exit 0; }
T=$(mktemp -d /tmp/em-inferred.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/d.json" <<'JSON'
{"schema": "edgemap-discovery/1", "mode": "snmp", "scopes": ["10.0.0.0/24"], "seeds": ["10.0.0.2"],
 "devices": [
  {"id": "dev-1", "sys_name": "rtx-main", "queried": "10.0.0.1",
   "addresses": [{"address": "10.0.0.1", "family": "ipv4", "global": false}], "default_next_hops": []},
  {"id": "dev-2", "sys_name": "core-sw", "queried": "10.0.0.2",
   "addresses": [{"address": "10.0.0.2", "family": "ipv4", "global": false}], "default_next_hops": []}],
 "links": [
  {"local": {"device": "dev-2", "port": "ge1"}, "remote": {"device": "dev-1", "port": "lan1"},
   "evidence": "both", "source": "lldp", "confidence": "high"},
  {"local": {"device": "dev-2", "port": "ge7"}, "remote": {"device": "nbr-1", "port": ""},
   "evidence": "inferred", "source": "fdb", "confidence": "inferred"}],
 "neighbors_not_queried": [
  {"id": "nbr-1", "source": "fdb", "confidence": "inferred", "mac": "00:a0:de:77:00:50",
   "maker": "YAMAHA CORPORATION", "router_maker": false, "seen_by": "dev-2", "local_port": "ge7",
   "addresses": [{"address": "10.0.0.50", "family": "ipv4", "global": false}]}],
 "errors": [], "timings": {}}
JSON
S=$ROOT/tests/cli/data/render_small.csv
for lang in ja en; do
    "$EDGEMAP" render "$S" --discovered "$T/d.json" --lang $lang \
        -o "$T/m.dot" -o "$T/m.svg" -o "$T/m.json" -o "$T/m.drawio" >/dev/null 2>"$T/err"
    rc=$?
    if [ $rc -gt 1 ]; then echo "not ok - inferred ($lang): render exit $rc: $(head -c 300 "$T/err")"; continue; fi
    python3 - "$T" "$lang" <<'PY'
import json, re, sys, xml.etree.ElementTree as ET
t, lang = sys.argv[1:3]
ja = lang == 'ja'
fails = []
def check(ok, what):
    if not ok: fails.append(what)
dot = open(t + '/m.dot', encoding='utf-8').read()
def edge(a, b):
    m = re.search(r'"%s" -> "%s"\s*\[(.*?)\];' % (re.escape(a), re.escape(b)), dot, re.S)
    return m.group(1) if m else ''
inf = edge('disc-dev-2', 'disc-nbr-1')
lldp = edge('disc-dev-2', 'dev-1-1')
word_inf = '未申告（推定）' if ja else 'undeclared (inferred)'
tip_inf = '推定（MACアドレス表・ARP表から）' if ja else 'inferred from forwarding/ARP tables'
check(inf, 'inferred edge drawn')
check('style=dashed' in inf and '#e07000' in inf, 'inferred edge orange dashed: %r' % inf[:200])
check(word_inf in inf, 'inferred edge xlabel %s' % word_inf)
check(tip_inf in inf, 'inferred edge tooltip says %s' % tip_inf)
check('core-sw' in inf, 'inferred edge tooltip names the switch')
check(lldp and 'style=bold' in lldp and 'dashed' not in lldp, 'LLDP edge bold, not dashed: %r' % lldp[:200])
check(tip_inf not in lldp and word_inf not in lldp, 'LLDP edge not marked inferred')
legend = 'MACアドレス表・ARP表から推定した未申告の接続' if ja else 'undeclared link inferred from forwarding/ARP tables'
check(legend in dot, 'legend entry for the inferred mark')
svg = ET.parse(t + '/m.svg').getroot()          # well-formed
svgtext = open(t + '/m.svg', encoding='utf-8').read()
check(word_inf in svgtext and legend in svgtext, 'SVG carries the mark and its legend')
m = json.load(open(t + '/m.json', encoding='utf-8'))
by = {e['id']: e for e in m['edges']}
check(all('inferred' in e for e in m['edges']), 'every edge has "inferred"')
check(by.get('e-disc-dev-2--disc-nbr-1', {}).get('inferred') is True, 'model JSON: FDB link inferred true')
check(by.get('e-disc-dev-2--dev-1-1', {}).get('inferred') is False, 'model JSON: LLDP link inferred false')
keys = list(by.get('e-disc-dev-2--disc-nbr-1', {}).keys())
check('discovered' in keys and keys.index('inferred') == keys.index('discovered') + 1, 'inferred right after discovered: %s' % keys)
cells = {o.get('id'): o for o in ET.parse(t + '/m.drawio').getroot().iter('object')}
o = cells.get('e-disc-dev-2--disc-nbr-1')
check(o is not None and o.get('label') == word_inf, 'draw.io link labelled %s' % word_inf)
check(o is not None and 'dashed=1' in o.find('mxCell').get('style', ''), 'draw.io link dashed')
o = cells.get('e-disc-dev-2--dev-1-1')
check(o is not None and 'dashed=1' not in o.find('mxCell').get('style', ''), 'draw.io LLDP link solid')
if fails: print('not ok - inferred (%s): %s' % (lang, '; '.join(fails)))
else: print('ok - inferred (%s): FDB link orange dashed 未申告（推定）, LLDP link bold, legend, JSON, draw.io' % lang)
PY
done
# no discovery, or discovery without an inferred link: no inferred mark in the legend
"$EDGEMAP" render "$S" -o "$T/plain.dot" >/dev/null 2>&1
if grep -q 'ARP表から推定' "$T/plain.dot"; then echo "not ok - inferred: legend lists the mark on a map without it"
else echo "ok - inferred: legend lists the mark only when used"; fi
