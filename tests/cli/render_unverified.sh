#!/bin/bash
# render_unverified.sh — the diagram's 未確認 and the H-UNVERIFIED-LINE finding name the
# same devices (one rule, mapper/evidence.h): discovery from the sample walk dumps, once
# as written and once with its scope widened to every address. Never 未確認: modems,
# ONUs, phones, mobile (LTE/5G) routers, devices only on closed networks or phone lines.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v python3 >/dev/null || { echo "skip - unverified: python3 missing"; exit 0; }
T=$(mktemp -d /tmp/em-unverified.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$EDGEMAP" discover --from-walk "$ROOT/samples/walks" -o "$T/d.json" >/dev/null 2>"$T/err" ||
    { echo "not ok - unverified: discover --from-walk failed: $(head -c 300 "$T/err")"; exit 0; }
python3 - "$T/d.json" "$T/wide.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['scopes'] = ['0.0.0.0/0']
json.dump(d, open(sys.argv[2], 'w'))
PY
for disc in d wide; do
    "$EDGEMAP" check "$ROOT/samples/hospital.xlsx" --discovered "$T/$disc.json" --format json >"$T/f.json" 2>/dev/null
    "$EDGEMAP" render "$ROOT/samples/hospital.xlsx" --discovered "$T/$disc.json" -o "$T/m.drawio" -o "$T/m.json" >/dev/null 2>"$T/err"
    python3 - "$T/f.json" "$T/m.drawio" "$T/m.json" "$disc" <<'PY'
import json, sys, xml.etree.ElementTree as ET
findings, drawio, model, name = sys.argv[1:5]
reported = sorted((f['line_no'], f['row']) for f in json.load(open(findings))['findings'] if f['code'] == 'H-UNVERIFIED-LINE')
devs = {d['id']: d for d in json.load(open(model))['devices']}
marked = []
for o in ET.parse(drawio).getroot().iter('object'):
    if '未確認（探索' in (o.get('label') or ''):
        rows = [int(r) for r in (o.get('source_rows') or '0').split(',')]
        line = (o.get('line_no') or '').split(',')[0].strip()
        marked.append((line, rows[0], o.get('edgemap_id')))
got = sorted((l, r) for l, r, _ in marked)
bad = []
for l, r, i in marked:
    d = devs.get(i, {})
    if d.get('type') in ('onu', 'modem', 'hgw'):
        bad.append('%s (%s) marked 未確認' % (i, d.get('type')))
if got != reported or bad:
    print('not ok - unverified (%s scope): diagram 未確認 %s, H-UNVERIFIED-LINE %s %s' % (name, got, reported, bad))
else:
    print('ok - unverified (%s scope): diagram and H-UNVERIFIED-LINE agree on %d devices' % (name, len(got)))
PY
done
