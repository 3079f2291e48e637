#!/bin/bash
# render_scope_marks.sh — the diagram's 診断対象 marks agree with `edgemap targets` on every
# sample: each row of the target list has a device marked 診断対象 (solid red border) on
# its line carrying its address (or 動的IP); each device so marked stands for a row of the
# list; a device marked 診断対象（調査希望なし） (red dashed) carries no address of the list.
# Read from the .drawio export (plain labels, line Nos and styles per node).
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v python3 >/dev/null || { echo "skip - scope marks: python3 missing"; exit 0; }
T=$(mktemp -d /tmp/em-scope-marks.XXXXXX)
trap 'rm -rf "$T"' EXIT
inputs=$(ls "$ROOT"/samples/*.xlsx "$ROOT"/samples/*.csv)
GEN=$ROOT/$BUILD/tests/tools/render_gen
[ -x "$GEN" ] && "$GEN" -l 30 3 "$T/gen30.csv" && inputs="$inputs $T/gen30.csv"
for f in $inputs; do
    name=$(basename "$f")
    "$EDGEMAP" render "$f" -o "$T/m.drawio" >/dev/null 2>"$T/err"
    rc=$?
    "$EDGEMAP" targets "$f" -o "$T/t.csv" >/dev/null 2>>"$T/err"
    if [ $rc -gt 1 ] || [ ! -s "$T/m.drawio" ] || [ ! -s "$T/t.csv" ]; then
        echo "not ok - scope marks $name: render/targets failed: $(head -c 300 "$T/err")"
        continue
    fi
    python3 - "$T/m.drawio" "$T/t.csv" "$name" <<'PY'
import csv, sys, xml.etree.ElementTree as ET
drawio, targets, name = sys.argv[1:4]
rows = list(csv.reader(open(targets, encoding='utf-8-sig', newline='')))[1:]
want = []   # (line No, [addresses])
for r in rows:
    addr = [a for a in (r[1], r[2]) if a]
    addr = ['動的IP' if a.startswith('動的IP') else a for a in addr]
    want.append((r[0], addr))
solid, dashed = [], []
for o in ET.parse(drawio).getroot().iter('object'):
    label = o.get('label') or ''
    cell = o.find('mxCell')
    style = cell.get('style') or '' if cell is not None else ''
    lines = [l.strip() for l in (o.get('line_no') or '').split(',') if l.strip()]
    text = label.split('\n')
    for i, l in enumerate(text):
        if l.startswith('診断対象（調査希望なし）'):
            dashed.append((o.get('id'), lines, label, style))
        elif l.startswith('診断対象') and not l.startswith('診断対象外'):
            solid.append((o.get('id'), lines, label, style))
bad = []
for line, addr in want:
    if not any(line in ls and all(a in lab for a in addr) for _, ls, lab, _ in solid):
        bad.append('target row line %s %s has no 診断対象 device showing it' % (line, addr))
for nid, ls, lab, st in solid:
    if not any(line in ls for line, _ in want):
        bad.append('%s marked 診断対象 but none of its lines %s is on the target list' % (nid, ls))
    if 'strokeColor=#c00000' not in st or 'dashed=1' in st:
        bad.append('%s: 診断対象 without a solid red border' % nid)
listed = {a for _, addr in want for a in addr if a != '動的IP'}
for nid, ls, lab, st in dashed:
    if any(a in lab for a in listed):
        bad.append('%s marked 調査希望なし but shows an address of the target list' % nid)
    if 'strokeColor=#c00000' not in st or 'dashed=1' not in st:
        bad.append('%s: 調査希望なし without a red dashed border' % nid)
if bad:
    print('not ok - scope marks %s: %s' % (name, '; '.join(bad[:4])))
else:
    print('ok - scope marks %s: %d target rows, %d devices 診断対象, %d 調査希望なし agree with targets'
          % (name, len(want), len(solid), len(dashed)))
PY
done
