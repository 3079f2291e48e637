#!/bin/bash
# render_page.sh — the page: a small clinic fills the A3 page up to the text ceiling
# (smallest text at least 12 pt, no text above 18 pt, the drawing over half the page
# height), and 電子カルテ系 is the anchor: every arrow into it ends at one point (one
# arrowhead), its border heavier and its box taller than any other node.
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
for tool in pdftotext python3; do
    command -v $tool >/dev/null || { echo "skip - render page: $tool missing"; exit 0; }
done
T=$(mktemp -d /tmp/em-render-page.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$EDGEMAP" render "$ROOT/samples/clinic.csv" -o "$T/c.pdf" -o "$T/c.svg" >/dev/null 2>"$T/err"
pdftotext -bbox-layout "$T/c.pdf" "$T/c.bbox" 2>/dev/null
python3 - "$T/c.bbox" "$T/c.svg" <<'PY'
import re, sys, xml.etree.ElementTree as ET
words = [tuple(map(float, m.groups())) for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)"', open(sys.argv[1]).read())]
sizes = sorted((y1 - y0) / 1.448 for x0, y0, x1, y1 in words)
top, bottom = min(w[1] for w in words), max(w[3] for w in words)
body = sizes[len(sizes) // 2]   # labels are 12 pt before scaling; the title is bigger
if sizes[0] >= 12 and body <= 18.05 and bottom - top > 841.89 / 2:
    print('ok - render page: small clinic fills the page: text %.1f pt (labels %.1f pt), %.0f of 842 pt high' % (sizes[0], body, bottom - top))
else:
    print('not ok - render page: small clinic: smallest %.1f pt, labels %.1f pt, %.0f pt high (want >= 12, <= 18, > half the page)' % (sizes[0], body, bottom - top))
S = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[2]).getroot()
ends, heights, emr_w = set(), {}, None
for g in root.iter(S + 'g'):
    t = g.find(S + 'title')
    title = ''.join(t.itertext()) if t is not None else ''
    if g.get('class') == 'edge' and title.endswith('->emr'):
        for poly in g.iter(S + 'polygon'):
            pts = [tuple(map(float, p.split(','))) for p in poly.get('points').split()]
            tip = min(pts, key=lambda p: -p[0])   # the arrow points right
            ends.add((round(tip[0]), round(tip[1])))
    if g.get('class') == 'node':
        ys = []
        for e in g.iter():
            if e.tag in (S + 'path', S + 'polygon'):
                ys += [float(v) for v in re.findall(r'-?\d+\.?\d*', e.get('d') or e.get('points') or '')][1::2]
            if e.tag in (S + 'path', S + 'polygon') and g.get('id') == 'emr':
                emr_w = e.get('stroke-width')
        if ys: heights[g.get('id')] = max(ys) - min(ys)
tallest = max(v for k, v in heights.items() if k != 'emr')
if len(ends) == 1 and heights.get('emr', 0) > tallest and emr_w and float(emr_w) >= 3:
    print('ok - render page: 電子カルテ系 is the anchor: one arrowhead point, tallest box, border 3')
else:
    print('not ok - render page: 電子カルテ系: %d arrow ends %s, height %.0f vs tallest other %.0f, border %s' % (len(ends), sorted(ends)[:4], heights.get('emr', 0), tallest, emr_w))
PY
