#!/bin/bash
# install.sh — `make install` / `make uninstall` (GNU PREFIX, DESTDIR, DATADIR, MANDIR,
# COMPLETIONSDIR): the installed binary runs every command from another directory with
# only the installed data (it never finds the build tree's data/), the man pages and the
# completion work from the install, a DESTDIR staging install lands under DESTDIR, and
# uninstall leaves no file behind. The build directory is copied first, so only
# cmd/buildinfo.o (the compiled-in DATADIR) is rebuilt and $BUILD is not touched.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
T=$(mktemp -d /tmp/em-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
unset EDGEMAP_DATA
export LC_ALL= LC_MESSAGES= LANG=C.UTF-8

case $BUILD in
    *-san) B=$T/b-san; SAN="SANITIZE=1" ;;
    *) B=$T/b; SAN="" ;;
esac
cp -a "$ROOT/$BUILD" "$B"
mk() { make -C "$ROOT" --no-print-directory $SAN BUILD="$T/b" "$@" >>"$T/make.log" 2>&1; }

# --- install into a prefix of our own ---------------------------------------------
P=$T/usr
if mk PREFIX="$P" install; then ok "make install PREFIX=$P"; else nok "make install" "$(tail -5 "$T/make.log")"; exit 0; fi
EM=$P/bin/edgemap
for f in bin/edgemap share/edgemap/firmware-advisories.tsv share/edgemap/os-eos.tsv share/man/man1/edgemap.1 \
         share/man/man1/edgemap-check.1 share/man/ja/man1/edgemap.1 share/man/ja/man1/edgemap-render.1 \
         share/bash-completion/completions/edgemap; do
    [ -f "$P/$f" ] && ok "installed $f" || nok "installed $f" "missing"
done
cmp -s "$ROOT/$BUILD/edgemap" "$EM" && nok "installed binary has its own DATADIR" "identical to the build's" \
    || ok "installed binary is linked with the install's DATADIR"

# run everything from another directory, with the samples copied there
W=$T/work
mkdir -p "$W/walks"
cp "$ROOT/samples/hospital.xlsx" "$ROOT/samples/clinic.csv" "$ROOT/samples/scan/hospital-nmap.xml" "$W/"
cp "$ROOT/samples/walks/"*.walk "$W/walks/"
cd "$W" || exit 2
"$EM" version >"$T/v" 2>&1
grep -q "^データ: $P/share/edgemap（インストール先）\$" "$T/v" && grep -q 'firmware-advisories.tsv *2026' "$T/v" \
    && ok "version: the installed data directory and its versions" || nok "installed version" "$(head -3 "$T/v")"
grep -q "$ROOT" "$T/v" && nok "installed binary does not look at the build tree" "$(grep "$ROOT" "$T/v")" \
    || ok "installed binary does not look at the build tree"
runs() { # name expected-exit-max command...
    local name=$1 max=$2; shift 2
    "$@" >"$T/o" 2>"$T/e"; local rc=$?
    [ $rc -le "$max" ] && ok "installed: $name (exit $rc)" || nok "installed: $name" "exit $rc: $(head -3 "$T/e")"
}
runs "check" 1 "$EM" check hospital.xlsx clinic.csv
runs "check --format json" 1 "$EM" check --format json hospital.xlsx
runs "render every format" 1 "$EM" render hospital.xlsx --scan hospital-nmap.xml -o m.svg -o m.pdf -o m.png -o m.dot -o m.json -o r.html -o t.csv
for f in m.svg m.pdf m.png m.dot m.json r.html t.csv; do [ -s "$f" ] || nok "installed render wrote $f" "missing"; done
runs "targets" 1 "$EM" targets hospital.xlsx -o targets.csv
runs "discover --from-walk" 0 "$EM" discover --from-walk walks -o disc.json
# the router-maker list comes from the installed data directory (not the build tree)
if [ -r /usr/share/ieee-data/oui.txt ]; then
    cp -r "$ROOT/tests/integration/snmp_lab/walks" "$W/walks-l2"
    runs "discover --from-walk (lab dumps)" 0 "$EM" discover --from-walk walks-l2 -o disc-l2.json
    if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(n.get("router_maker") for n in d["neighbors_not_queried"]) else 1)' disc-l2.json; then
        ok "installed: router-maker list found in the installed data directory"
    else
        nok "installed: router-maker list found in the installed data directory" "no neighbour flagged router_maker"
    fi
fi
runs "render --discovered" 1 "$EM" render hospital.xlsx --discovered disc.json -o d.json
runs "diff" 1 "$EM" diff m.json hospital.xlsx
mkdir -p "$W/fleet/h1" && cp hospital.xlsx "$W/fleet/h1/"
runs "fleet ingest" 0 "$EM" fleet ingest --db "$W/fleet.sqlite" --round 2026 --jobs 1 "$W/fleet/h1"
runs "fleet advisories (installed data)" 1 "$EM" fleet advisories --db "$W/fleet.sqlite" -o notify.csv
grep -q 'CVE-' notify.csv 2>/dev/null && ok "installed: fleet advisories found the installed advisory data" \
    || nok "installed fleet advisories" "$(head -3 notify.csv 2>&1)"
runs "help" 0 "$EM" help render
runs "--version" 0 "$EM" --version

# data missing: the error names every place, even with the build tree's data next door
mv "$P/share/edgemap" "$T/moved-data"
"$EM" check clinic.csv >"$T/o" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q -- '--data' "$T/e" && grep -q 'EDGEMAP_DATA' "$T/e" && grep -q "$P/share/edgemap" "$T/e"; then
    ok "data missing: exit 2, the message names --data, EDGEMAP_DATA and $P/share/edgemap"
else nok "data missing message" "exit $rc: $(cat "$T/e")"; fi
EDGEMAP_DATA=$T/moved-data "$EM" check clinic.csv >/dev/null 2>"$T/e"; rc=$?
[ $rc -le 1 ] && ok "EDGEMAP_DATA finds moved data" || nok "EDGEMAP_DATA" "exit $rc: $(cat "$T/e")"
EDGEMAP_DATA=$T/nowhere "$EM" check --data "$T/moved-data" clinic.csv >/dev/null 2>"$T/e"; rc=$?
[ $rc -le 1 ] && ok "--data comes before EDGEMAP_DATA" || nok "--data over EDGEMAP_DATA" "exit $rc: $(cat "$T/e")"
EDGEMAP_DATA=$T/nowhere "$EM" check clinic.csv >/dev/null 2>"$T/e"; rc=$?
[ $rc -eq 2 ] && grep -q "$T/nowhere" "$T/e" && grep -q 'EDGEMAP_DATA' "$T/e" && ok "a wrong EDGEMAP_DATA is named in the error" \
    || nok "wrong EDGEMAP_DATA" "exit $rc: $(cat "$T/e")"
mv "$T/moved-data" "$P/share/edgemap"

# man pages and completion from the install
if command -v man >/dev/null; then
    MANPATH=$P/share/man man -P cat edgemap-check 2>/dev/null | grep -q 'edgemap-check' && ok "man edgemap-check from the install" \
        || nok "man edgemap-check" "not found under $P/share/man"
    LANGUAGE= LC_ALL=C.UTF-8 MANPATH=$P/share/man man -L ja -P cat edgemap 2>/dev/null | grep -q '医療機関' \
        && ok "man -L ja edgemap: the Japanese page" || nok "man -L ja edgemap" "Japanese page not found"
fi
got=$(bash -c 'source "$1"; COMP_WORDS=(edgemap ren); COMP_CWORD=1; _edgemap; echo "${COMPREPLY[*]}"' _ "$P/share/bash-completion/completions/edgemap")
[ "$got" = render ] && ok "installed completion completes commands" || nok "installed completion" "got '$got'"
cd "$T" || exit 2

# uninstall leaves nothing
if mk PREFIX="$P" uninstall; then ok "make uninstall"; else nok "make uninstall" "$(tail -3 "$T/make.log")"; fi
left=$(find "$P" -type f -o -type l)
[ -z "$left" ] && ok "uninstall removed every installed file" || nok "uninstall leftovers" "$left"

# --- DESTDIR staging with the GNU variables ------------------------------------------
S=$T/stage
if mk PREFIX=/usr DESTDIR="$S" install; then ok "make install DESTDIR (PREFIX=/usr)"; else nok "DESTDIR install" "$(tail -5 "$T/make.log")"; fi
for f in usr/bin/edgemap usr/share/edgemap/os-eos.tsv usr/share/man/man1/edgemap-diff.1 usr/share/man/ja/man1/edgemap-diff.1 \
         usr/share/bash-completion/completions/edgemap; do
    [ -f "$S/$f" ] && ok "staged $f" || nok "staged $f" "missing"
done
"$S/usr/bin/edgemap" version >"$T/v" 2>&1
grep -q '^data: /usr/share/edgemap\|^データ: /usr/share/edgemap' "$T/v" && ok "staged binary has DATADIR=/usr/share/edgemap compiled in" \
    || nok "staged DATADIR" "$(sed -n 2p "$T/v")"
(cd "$W" && EDGEMAP_DATA=$S/usr/share/edgemap "$S/usr/bin/edgemap" check clinic.csv >/dev/null 2>"$T/e"); rc=$?
[ $rc -le 1 ] && ok "staged binary runs with EDGEMAP_DATA" || nok "staged run" "exit $rc: $(cat "$T/e")"
mk BINDIR=/opt/em/bin DATADIR=/opt/em/data MANDIR=/opt/em/man COMPLETIONSDIR=/opt/em/compl DESTDIR="$S" install
for f in opt/em/bin/edgemap opt/em/data/firmware-advisories.tsv opt/em/man/man1/edgemap.1 opt/em/man/ja/man1/edgemap.1 opt/em/compl/edgemap; do
    [ -f "$S/$f" ] && ok "BINDIR/DATADIR/MANDIR/COMPLETIONSDIR: $f" || nok "custom dirs: $f" "missing"
done
mk PREFIX=/usr DESTDIR="$S" uninstall
mk BINDIR=/opt/em/bin DATADIR=/opt/em/data MANDIR=/opt/em/man COMPLETIONSDIR=/opt/em/compl DESTDIR="$S" uninstall
left=$(find "$S" -type f -o -type l)
[ -z "$left" ] && ok "DESTDIR uninstall removed every file" || nok "DESTDIR uninstall leftovers" "$left"
