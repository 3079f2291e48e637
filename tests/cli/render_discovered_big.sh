#!/bin/bash
# render_discovered_big.sh — a discovered map of 10,000 endpoints behind 40 switches (an
# FDB/ARP-heavy crawl, tests/tools/disc_gen.py) is drawn aggregated: one node
# 端末 N台（sw-k 経由） per switch. Asserted: peak RSS within 256 MB (1 GB under
# sanitizers), the SVG well-formed, the eight flagged endpoints (global address, route
# out, router maker: H-UNDOCUMENTED-PATH) drawn by name with 外部経路あり, the aggregates'
# counts adding up to exactly the endpoints not drawn singly, far fewer nodes in the DOT,
# and every device still in the model JSON and every finding in `check`. Then the small
# cases that must NOT aggregate (8 endpoints behind a switch, EDGEMAP_GROUP_ENDPOINTS=0)
# and the threshold override that makes them aggregate; 20,000 discovered devices without
# any link drawn as one node but the one with a global address. No wall-clock assertion.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v python3 >/dev/null || { echo "skip - discovered big: python3 missing"; exit 0; }
TIMEBIN=/usr/bin/time
[ -x "$TIMEBIN" ] || { echo "skip - discovered big: /usr/bin/time is missing (apt-get install time)"; exit 0; }
T=$(mktemp -d /tmp/em-disc-big.XXXXXX)
trap 'rm -rf "$T"' EXIT
GEN=$ROOT/tests/tools/disc_gen.py
S=$ROOT/tests/cli/data/render_small.csv
case $BUILD in *san*) max_kb=$((1024 * 1024)) ;; *) max_kb=$((256 * 1024)) ;; esac

python3 "$GEN" 40 10000 1 "$T/big.json" >"$T/big.txt" || { echo "not ok - discovered big: generator failed"; exit 0; }

# ---- the 10,000 case, Japanese and English
for lang in ja en; do
    timeout -k 5 300 "$TIMEBIN" -v -o "$T/time" "$EDGEMAP" render "$S" --discovered "$T/big.json" --lang $lang \
        -o "$T/m.svg" -o "$T/m.dot" -o "$T/m.json" >/dev/null 2>"$T/err" </dev/null
    rc=$?
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
    case $kb in ''|*[!0-9]*) kb=0 ;; esac
    if [ $rc -gt 1 ]; then
        echo "not ok - discovered big ($lang): render exit $rc: $(head -c 300 "$T/err")"
        continue
    fi
    if [ "$kb" -gt "$max_kb" ] || [ "$kb" -eq 0 ]; then
        echo "not ok - discovered big ($lang): peak RSS ${kb} KB, over $((max_kb / 1024)) MB"
    else
        echo "ok - discovered big ($lang): peak RSS $((kb / 1024)) MB within $((max_kb / 1024)) MB"
    fi
    if command -v xmllint >/dev/null; then
        if xmllint --noout "$T/m.svg" 2>"$T/xl"; then echo "ok - discovered big ($lang): SVG well-formed (xmllint)"
        else echo "not ok - discovered big ($lang): SVG not well-formed: $(head -c 200 "$T/xl")"; fi
    fi
    [ $lang = ja ] && "$EDGEMAP" check "$S" --discovered "$T/big.json" --format json >"$T/check.json" 2>/dev/null
    python3 - "$T" "$lang" <<'PY'
import json, re, sys, xml.etree.ElementTree as ET
t, lang = sys.argv[1:3]
ja = lang == 'ja'
per = {}
flagged = []
for line in open(t + '/big.txt'):
    w = line.split()
    if w[0] == 'flagged': flagged = w[1:]
    else: per[w[0]] = int(w[1])
total = sum(per.values())
ns = '{http://www.w3.org/2000/svg}'
svg = ET.parse(t + '/m.svg').getroot()
nodes = {}
for g in svg.iter(ns + 'g'):
    if g.get('class') == 'node':
        nodes[g.get('id')] = ' '.join(x.text or '' for x in g.iter(ns + 'text'))
fails = []
# the flagged endpoints: drawn singly, by name, with the way-out mark
way = '外部経路あり' if ja else 'Way out'
for name in flagged:
    hit = [i for i, txt in nodes.items() if name in txt]
    if not hit: fails.append('%s not drawn' % name)
    elif not any(way in nodes[i] for i in hit): fails.append('%s drawn without %s' % (name, way))
# aggregates: count per switch, and they add up to the endpoints not drawn singly
agg = {}
for i, txt in nodes.items():
    if not i.startswith('eagg-'): continue
    m = re.search(r'端末 (\d+)台' if ja else r'(\d+) endpoints', txt)
    via = re.search(r'(sw-\d+)', txt)
    if not m or not via: fails.append('aggregate %s label %r' % (i, txt[:80])); continue
    agg[via.group(1)] = int(m.group(1))
singles = [i for i in nodes if i.startswith('disc-nbr-')]
if sum(agg.values()) != total - len(singles):
    fails.append('aggregates count %d, endpoints not drawn singly %d' % (sum(agg.values()), total - len(singles)))
big_sw = [s for s, n in per.items() if n > 8]
if sorted(agg) != sorted(big_sw):
    fails.append('aggregated switches %s, want those with more than 8 endpoints %s' % (sorted(agg), sorted(big_sw)))
small_sw = [s for s, n in per.items() if n <= 8]
if len(singles) != len(flagged) + sum(per[s] for s in small_sw):
    fails.append('%d endpoints drawn singly, want the %d flagged + %d behind small switches'
                 % (len(singles), len(flagged), sum(per[s] for s in small_sw)))
# the DOT has far fewer nodes than the model has devices
dot = open(t + '/m.dot', encoding='utf-8').read().replace('\\\n', '')   # agwrite wraps long strings with backslash-newline
dot_nodes = len([x for x in re.findall(r'^\s*"?([\w.-]+)"?\s*\[', dot, re.M) if x not in ('graph', 'node', 'edge')])
model = json.load(open(t + '/m.json', encoding='utf-8'))
nbr = [d for d in model['devices'] if d['id'].startswith('disc-nbr-')]
if len(nbr) != total: fails.append('model JSON lists %d endpoints, want %d' % (len(nbr), total))
if dot_nodes <= 0 or dot_nodes * 20 > len(model['devices']):
    fails.append('DOT has %d nodes for %d devices (want 20x fewer)' % (dot_nodes, len(model['devices'])))
legend = '探索がスイッチの先に見つけた端末' if ja else 'endpoints discovery found behind a switch, one node per switch'
if legend not in dot: fails.append('no legend entry for the aggregate')
# a tooltip lists 40 and says how many more
tips = re.findall(r'^\s*"eagg-[^"]*"\s*\[(.*?)\];', dot, re.S | re.M)
if len(tips) != len(agg) or not all(('ほか' if ja else 'and ') in x for x in tips):
    fails.append('aggregate tooltips do not say how many more')
if ja:
    check = json.load(open(t + '/check.json', encoding='utf-8'))
    und = [f for f in check['findings'] if f['code'] == 'H-UNDOCUMENTED-PATH']
    if len(und) < len(flagged): fails.append('check reports %d H-UNDOCUMENTED-PATH, want %d' % (len(und), len(flagged)))
if fails: print('not ok - discovered big (%s): %s' % (lang, '; '.join(fails[:6])))
else:
    print('ok - discovered big (%s): %d endpoints as %d aggregates + %d single, %d DOT nodes for %d devices, flagged drawn'
          % (lang, total, len(agg), len(singles), dot_nodes, len(model['devices'])))
PY
done

# ---- the same endpoints seen as LLDP/CDP neighbours (not walked): aggregated too, and
# then read 未申告 (not 推定) with a bold edge
sed 's/"evidence": "inferred"/"evidence": "one"/g' "$T/big.json" >"$T/lldp.json"
timeout -k 5 300 "$TIMEBIN" -v -o "$T/time" "$EDGEMAP" render "$S" --discovered "$T/lldp.json" -o "$T/l.dot" \
    >/dev/null 2>"$T/err" </dev/null
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
case $kb in ''|*[!0-9]*) kb=0 ;; esac
a=$(grep -cE '^[[:space:]]*"eagg-[^"]*"[[:space:]]*\[' "$T/l.dot")
if [ "$kb" -gt 0 ] && [ "$kb" -le "$max_kb" ] && [ "$a" -eq 39 ] && tr -d '\n\\' <"$T/l.dot" | grep -q 'LLDP/CDP で確認' &&
    ! grep -q '<b>未申告（推定）</b>' "$T/l.dot"; then
    echo "ok - discovered LLDP endpoints: 39 aggregates, 未申告 not 推定, $((kb / 1024)) MB"
else
    echo "not ok - discovered LLDP endpoints: $a aggregates, ${kb} KB: $(head -c 200 "$T/err")"
fi

# ---- a crawl that read no neighbour table: 20,000 devices with no link at all, one node
python3 - "$T/unlinked.json" <<'PY'
import json, sys
devs = [{"id": "dev-%d" % i, "sys_name": "host%d" % i, "queried": "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255),
         "addresses": [{"address": "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255), "family": "ipv4", "global": False}],
         "default_next_hops": []} for i in range(1, 20001)]
devs[7]["addresses"].append({"address": "203.0.113.77", "family": "ipv4", "global": True})   # host8: a way out
json.dump({"schema": "edgemap-discovery/1", "mode": "snmp", "scopes": [], "seeds": [], "devices": devs, "links": [],
           "neighbors_not_queried": [], "errors": [], "timings": {}}, open(sys.argv[1], "w"))
PY
timeout -k 5 300 "$TIMEBIN" -v -o "$T/time" "$EDGEMAP" render "$S" --discovered "$T/unlinked.json" -o "$T/u.dot" -o "$T/u.svg" \
    >/dev/null 2>"$T/err" </dev/null
rc=$?
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time")
case $kb in ''|*[!0-9]*) kb=0 ;; esac
label=$(tr -d '\n' <"$T/u.dot" | grep -o '"eagg-unlinked"[[:space:]]*\[[^]]*' | grep -o '装置 [0-9]*台' | head -1)
single=$(grep -cE '^[[:space:]]*"disc-dev-[0-9]+"[[:space:]]*\[' "$T/u.dot")
if [ $rc -le 1 ] && [ "$kb" -gt 0 ] && [ "$kb" -le "$max_kb" ] && [ "$label" = "装置 19999台" ] && [ "$single" -eq 1 ] &&
    grep -q '"disc-dev-8"' "$T/u.dot" && xmllint --noout "$T/u.svg" 2>/dev/null; then
    echo "ok - discovered unlinked: 20,000 devices with no link as one node of 19999 + host8 (global) single, $((kb / 1024)) MB"
else
    echo "not ok - discovered unlinked: exit $rc, ${kb} KB, label '$label', $single drawn singly: $(head -c 200 "$T/err")"
fi

# ---- small maps stay as they are: 8 endpoints behind sw-1 (the threshold), 3 behind sw-2
count_nodes() {   # FILE PREFIX: nodes whose id starts with PREFIX in the DOT
    grep -cE "^[[:space:]]*\"$2[^\"]*\"[[:space:]]*\[" "$1"
}
python3 "$GEN" 2 11 3 "$T/small.json" >/dev/null
"$EDGEMAP" render "$S" --discovered "$T/small.json" -o "$T/s.dot" >/dev/null 2>&1
a=$(count_nodes "$T/s.dot" eagg-); n=$(count_nodes "$T/s.dot" disc-nbr-)
if [ "$a" -eq 0 ] && [ "$n" -eq 11 ]; then echo "ok - discovered small: 8 + 3 endpoints drawn singly, no aggregate"
else echo "not ok - discovered small: $a aggregates, $n endpoints drawn singly (want 0, 11)"; fi
# the threshold is overridable: with 2, sw-1's 7 (its flagged one stays) and sw-2's 3 are aggregated
EDGEMAP_GROUP_ENDPOINTS=2 "$EDGEMAP" render "$S" --discovered "$T/small.json" -o "$T/s2.dot" >/dev/null 2>&1
EDGEMAP_GROUP_ENDPOINTS=2 "$EDGEMAP" render "$S" --discovered "$T/small.json" -o "$T/s2.drawio" >/dev/null 2>&1
a=$(count_nodes "$T/s2.dot" eagg-)
k=$(grep -c 'kind="endpoints"' "$T/s2.drawio")
if [ "$a" -eq 2 ] && [ "$k" -eq 2 ]; then echo "ok - discovered small: EDGEMAP_GROUP_ENDPOINTS=2 aggregates both switches (draw.io: kind endpoints)"
else echo "not ok - discovered small: EDGEMAP_GROUP_ENDPOINTS=2 gave $a aggregates ($k in draw.io), want 2"; fi
python3 "$GEN" 3 300 4 "$T/mid.json" >/dev/null
EDGEMAP_GROUP_ENDPOINTS=0 "$EDGEMAP" render "$S" --discovered "$T/mid.json" -o "$T/m0.dot" >/dev/null 2>&1
a=$(count_nodes "$T/m0.dot" eagg-); n=$(count_nodes "$T/m0.dot" disc-nbr-)
if [ "$a" -eq 0 ] && [ "$n" -eq 300 ]; then echo "ok - discovered: EDGEMAP_GROUP_ENDPOINTS=0 draws all 300 endpoints"
else echo "not ok - discovered: EDGEMAP_GROUP_ENDPOINTS=0 gave $a aggregates, $n endpoints (want 0, 300)"; fi
