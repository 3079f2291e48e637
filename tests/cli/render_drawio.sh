#!/bin/bash
# render_drawio.sh — the editable export and the positions that survive a round.
#  1. `-o map.drawio` on the samples and on a two-band hospital: well-formed XML
#     (xmllint, libxml2) with the structure draw.io needs (tests/tools/drawio_check.py:
#     mxfile > diagram > mxGraphModel > root, cells 0 and 1, unique ids, every parent,
#     source and target exists, geometry on every vertex, containers enclose their
#     children, node objects carry id/kind/line No/source rows, plain labels, marks).
#  2. Re-read the way --layout does: rendering again with --layout of an untouched
#     export puts every node back where it was.
#  3. A user moves nodes (a script edits the geometry, as draw.io would) and adds a row
#     to the sheet: with --layout the moved nodes stay where they were put — in the
#     .drawio and in the SVG of the same run — and the new line is placed without
#     overlapping any node.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
for tool in xmllint python3; do
    command -v $tool >/dev/null || { echo "skip - render drawio: $tool missing"; exit 0; }
done
T=$(mktemp -d /tmp/em-render-drawio.XXXXXX)
trap 'rm -rf "$T"' EXIT
CHECK="python3 $ROOT/tests/tools/drawio_check.py"

check_file() {   # name file
    if ! xmllint --noout "$2" 2>"$T/xmlerr"; then
        echo "not ok - $1: not well-formed XML: $(head -c 300 "$T/xmlerr")"
        return
    fi
    echo "ok - $1: well-formed XML (libxml2)"
    $CHECK check "$2" | sed "s/^\(ok\|not ok\) - drawio:/\1 - $1:/"
}

"$EDGEMAP" render "$ROOT/samples/hospital.xlsx" -o "$T/h.drawio" -o "$T/h.svg" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -gt 1 ] || [ ! -s "$T/h.drawio" ]; then
    echo "not ok - drawio hospital: exit $rc: $(head -c 300 "$T/err")"
else
    check_file "drawio hospital" "$T/h.drawio"
fi
GEN=$ROOT/$BUILD/tests/tools/render_gen
if [ -x "$GEN" ]; then
    "$GEN" -l 40 2 "$T/g.csv"
    "$EDGEMAP" render "$T/g.csv" -o "$T/g.drawio" >/dev/null 2>"$T/err"
    n=$(grep -c 'kind="site"' "$T/g.drawio")
    if [ "$n" -ge 2 ]; then echo "ok - drawio 40 lines: one hospital box per band ($n)"
    else echo "not ok - drawio 40 lines: $n hospital boxes, expected one per band"; fi
    check_file "drawio 40 lines" "$T/g.drawio"
fi

# 2. untouched export given back: every node where it was
"$EDGEMAP" render "$ROOT/samples/hospital.xlsx" --layout "$T/h.drawio" -o "$T/h2.drawio" >/dev/null 2>"$T/err"
$CHECK positions "$T/h.drawio" | sort >"$T/p1"
$CHECK positions "$T/h2.drawio" | sort >"$T/p2"
python3 - "$T/p1" "$T/p2" <<'PY'
import sys
a = {l.split()[0]: list(map(float, l.split()[1:3])) for l in open(sys.argv[1])}
b = {l.split()[0]: list(map(float, l.split()[1:3])) for l in open(sys.argv[2])}
off = [k for k in a if k not in b or abs(a[k][0] - b[k][0]) > 1.0 or abs(a[k][1] - b[k][1]) > 1.0]
if a and not off:
    print("ok - drawio round trip: all %d nodes back where they were with --layout" % len(a))
else:
    print("not ok - drawio round trip: %d of %d nodes moved: %s" % (len(off), len(a), off[:5]))
PY

# 3. moved by hand, one row added
cp "$ROOT/samples/clinic.csv" "$T/c.csv"
"$EDGEMAP" render "$T/c.csv" -o "$T/c.drawio" >/dev/null 2>"$T/err"
$CHECK move "$T/c.drawio" "$T/moved.drawio" line-1 -40 160 dev-1-1 60 140 emr 80 -60
printf '%s\r\n' '9,なし,調査希望なし,インターネット接続,予約システム,,クリニック,NTT東日本,フレッツ光ネクスト,インターネット,なし,,,,,,1F 受付,ルーター,yoyaku-rt,192.168.9.1,ヤマハ,RTX1300,いいえ,Rev.23.00.01,1F 受付,,,,,,,,,' | iconv -f UTF-8 -t CP932 >>"$T/c.csv"   # the sample is CP932, as Excel writes it
"$EDGEMAP" render "$T/c.csv" --layout "$T/moved.drawio" -o "$T/c2.drawio" -o "$T/c2.svg" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -gt 1 ] || [ ! -s "$T/c2.drawio" ]; then
    echo "not ok - drawio --layout: exit $rc: $(head -c 300 "$T/err")"
    exit 0
fi
$CHECK positions "$T/moved.drawio" >"$T/want"
$CHECK positions "$T/c2.drawio" >"$T/got"
python3 - "$T/want" "$T/got" "$T/c2.svg" <<'PY'
import re, sys, xml.etree.ElementTree as ET
want = {l.split()[0]: list(map(float, l.split()[1:])) for l in open(sys.argv[1])}
got = {l.split()[0]: list(map(float, l.split()[1:])) for l in open(sys.argv[2])}
moved = ['line-1', 'dev-1-1', 'emr']
off = [k for k in moved if k not in got or abs(want[k][0] - got[k][0]) > 1.0 or abs(want[k][1] - got[k][1]) > 1.0]
if off:
    print("not ok - drawio --layout: moved nodes not kept: %s" % ['%s want %s got %s' % (k, want.get(k), got.get(k)) for k in off])
else:
    print("ok - drawio --layout: the 3 moved nodes stayed where they were put")
new = [k for k in got if k not in want]
if 'line-9' not in new:
    print("not ok - drawio --layout: the new line-9 is missing (new nodes: %s)" % new)
else:
    x, y, w, h = got['line-9']
    hit = [k for k, (x2, y2, w2, h2) in got.items() if k != 'line-9'
           and abs(x - x2) < (w + w2) / 2 and abs(y - y2) < (h + h2) / 2]
    if hit:
        print("not ok - drawio --layout: new line-9 overlaps %s" % hit)
    else:
        print("ok - drawio --layout: new nodes %s placed, line-9 overlapping none of %d nodes" % (new, len(got) - 1))
# the SVG of the same run: node centres relative to emr match the .drawio
ns = {'s': 'http://www.w3.org/2000/svg'}
centre = {}
for g in ET.parse(sys.argv[3]).getroot().iter('{http://www.w3.org/2000/svg}g'):
    if g.get('class') != 'node':
        continue
    xs, ys = [], []
    for el in g.iter():
        tag = el.tag.split('}')[1]
        if tag == 'polygon':
            for pt in el.get('points').split():
                a, b = pt.split(',')
                xs.append(float(a)); ys.append(float(b))
        elif tag == 'path':
            nums = list(map(float, re.findall(r'-?\d+(?:\.\d+)?', el.get('d'))))
            xs += nums[0::2]; ys += nums[1::2]
        elif tag == 'ellipse':
            xs.append(float(el.get('cx'))); ys.append(float(el.get('cy')))
    if xs:
        centre[g.get('id')] = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
bad = []
for k in ['line-1', 'dev-1-1', 'line-9']:
    if k not in centre or 'emr' not in centre:
        bad.append(k + ' missing')
        continue
    dx_svg, dy_svg = centre[k][0] - centre['emr'][0], centre[k][1] - centre['emr'][1]
    dx_d, dy_d = got[k][0] - got['emr'][0], got[k][1] - got['emr'][1]
    if abs(dx_svg - dx_d) > 2.0 or abs(dy_svg - dy_d) > 2.0:
        bad.append('%s svg (%.0f,%.0f) drawio (%.0f,%.0f)' % (k, dx_svg, dy_svg, dx_d, dy_d))
print(("not ok - drawio --layout: the SVG of the run disagrees: %s" % bad) if bad else
      "ok - drawio --layout: the SVG of the same run has the same positions")
PY

# a compressed or foreign file: a clear error, exit 2
printf '<mxfile><diagram id="x">7ZZNb5tAEIZ/jY+RDItx</diagram></mxfile>' >"$T/z.drawio"
"$EDGEMAP" render "$T/c.csv" --layout "$T/z.drawio" -o "$T/z.svg" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'z.drawio' "$T/err" && grep -q '圧縮' "$T/err" && [ ! -e "$T/z.svg" ]; then
    echo "ok - drawio --layout: a compressed file is refused (exit 2, names the file, says how to save it)"
else
    echo "not ok - drawio --layout: compressed file: exit $rc: $(head -c 300 "$T/err")"
fi
