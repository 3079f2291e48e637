#!/bin/bash
# generator.sh — every report says what produced it: the model JSON's "generator", the
# HTML report's footer and the PDF's Creator carry the same facts as `edgemap version`
# (edgemap's version, the data files' versions and dates, the libraries' versions).
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
T=$(mktemp -d /tmp/em-generator.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2
ver=$("$EDGEMAP" version | sed -n 's/^edgemap //p')
"$EDGEMAP" render tests/cli/data/render_small.csv -o "$T/m.json" -o "$T/r.html" -o "$T/m.pdf" 2>/dev/null
python3 - "$T/m.json" "$ver" <<'PY' && ok "model JSON: generator = edgemap, data and library versions" || nok "model JSON generator" "see above"
import json, sys
g = json.load(open(sys.argv[1]))["generator"]
assert g["edgemap"] == sys.argv[2], g["edgemap"]
files = {d["file"]: d for d in g["data"]}
for f in ("firmware-advisories.tsv", "os-eos.tsv"):
    assert files[f]["version"] and len(files[f]["date"]) == 10, files
for lib in ("libxml2", "libzip", "GLib", "json-c", "Graphviz", "cairo", "net-snmp", "libxlsxwriter", "SQLite", "libpq"):
    assert g["libraries"][lib][0].isdigit(), (lib, g["libraries"])
PY
"$EDGEMAP" check --format json tests/cli/data/render_small.csv > "$T/c.json"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["generator"]["edgemap"]' "$T/c.json" \
    && ok "check --format json carries the generator too" || nok "check json generator" "missing"
foot=$(grep -o '<footer class="generator">[^<]*</footer>' "$T/r.html")
case $foot in *"edgemap $ver"*firmware-advisories.tsv*Graphviz*cairo*net-snmp*) ok "HTML report footer names edgemap, data and libraries" ;;
    *) nok "HTML footer" "$foot" ;; esac
if command -v pdfinfo >/dev/null; then
    c=$(pdfinfo "$T/m.pdf" | sed -n 's/^Creator: *//p')
    case $c in "edgemap $ver"*os-eos.tsv*libxml2*cairo*) ok "PDF Creator names edgemap, data and libraries" ;; *) nok "PDF Creator" "$c" ;; esac
fi
