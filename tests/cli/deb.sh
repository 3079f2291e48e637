#!/bin/bash
# deb.sh — the Debian package: `dpkg-buildpackage -us -uc -b` on a copy of the tree (the
# repository is never dirtied), lintian without errors, Depends from shlibs, then
# `dpkg -i` into a throw-away root (its own dpkg database), the demo run with that
# root's binary and its compiled-in /usr/share/edgemap (an overlay in a private mount
# namespace: the host's /usr/share is not touched), and `dpkg -r` leaving nothing.
# Heavy (a full build): it runs once per `make check`, in the plain build only.
set -u
: "${ROOT:?}" "${BUILD:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
skip() { echo "skip - $1: $2"; }
case $BUILD in *san*) skip "deb package" "built once per make check, in the plain build dir"; exit 0 ;; esac
for t in dpkg-buildpackage dh lintian fakeroot; do
    command -v $t >/dev/null || { skip "deb package" "$t missing (scripts/deps.sh check installs it)"; exit 0; }
done
T=$(mktemp -d /tmp/em-deb.XXXXXX)
cleanup() { rm -rf "$T"; }
trap cleanup EXIT

# --- a copy of the tree: tracked and new files, no build output ---------------------------
mkdir "$T/src"
before=$(git -C "$ROOT" status --porcelain 2>/dev/null)
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf - 2>/dev/null) | tar xf - -C "$T/src"
else
    (cd "$ROOT" && tar cf - --exclude='./build*' --exclude=./edgemap --exclude=./out --exclude=./debian/build .) | tar xf - -C "$T/src"
fi
[ -f "$T/src/debian/control" ] && ok "tree copied to $T/src" || { nok "copy" "no debian/control"; exit 0; }

# --- build ---------------------------------------------------------------------------
(cd "$T/src" && DEB_BUILD_OPTIONS="parallel=2" nice dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
rc=$?
deb=$(ls "$T"/edgemap_*.deb 2>/dev/null | head -1)
[ $rc -eq 0 ] && [ -n "$deb" ] && ok "dpkg-buildpackage -us -uc -b builds $(basename "$deb")" \
    || { nok "dpkg-buildpackage" "exit $rc: $(tail -15 "$T/build.log")"; exit 0; }
after=$(git -C "$ROOT" status --porcelain 2>/dev/null)
[ "$before" = "$after" ] && [ ! -e "$ROOT/debian/build" ] && [ ! -e "$ROOT/debian/edgemap" ] \
    && ok "the repository is not dirtied" || nok "repository dirtied" "$(diff <(echo "$before") <(echo "$after"))"

# --- lintian, contents, dependencies -------------------------------------------------------
lintian --no-tag-display-limit "$deb" >"$T/lintian" 2>&1
ne=$(grep -c '^E:' "$T/lintian"); nw=$(grep -c '^W:' "$T/lintian")
[ "$ne" -eq 0 ] && ok "lintian: no errors ($nw warnings)" || nok "lintian errors" "$(grep '^E:' "$T/lintian" | head -10 | tr '\n' ';')"
grep '^W:' "$T/lintian" | head -5 | sed 's/^/# /'
dpkg-deb -c "$deb" > "$T/contents"
for f in ./usr/bin/edgemap ./usr/share/edgemap/firmware-advisories.tsv ./usr/share/edgemap/os-eos.tsv \
         ./usr/share/man/man1/edgemap.1.gz ./usr/share/man/man1/edgemap-render.1.gz ./usr/share/man/ja/man1/edgemap.1.gz \
         ./usr/share/bash-completion/completions/edgemap ./usr/share/doc/edgemap/copyright; do
    grep -q " $f\$" "$T/contents" && ok "package holds $f" || nok "package holds $f" "missing"
done
dep=$(dpkg-deb -f "$deb" Depends)
miss=""
for lib in libxml2 libzip libglib2.0 libjson-c libgvc libcairo2 libsnmp libxlsxwriter libsqlite3 libpq5 fonts-noto-cjk; do
    case $dep in *"$lib"*) ;; *) miss="$miss $lib" ;; esac
done
[ -z "$miss" ] && ok "Depends from shlibs names every library" || nok "Depends" "missing:$miss in '$dep'"

# --- dpkg -i into a throw-away root -----------------------------------------------------
R=$T/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
: > "$R/var/lib/dpkg/status"
dpkg --root="$R" --force-depends --force-not-root -i "$deb" >"$T/dpkg.log" 2>&1
rc=$?
[ $rc -eq 0 ] && [ -x "$R/usr/bin/edgemap" ] && ok "dpkg -i --root installs it" || { nok "dpkg -i --root" "exit $rc: $(tail -5 "$T/dpkg.log")"; exit 0; }
dpkg --root="$R" -s edgemap 2>/dev/null | grep -q '^Status: install ok installed' && ok "dpkg knows it installed" || nok "dpkg status" "not installed"
EM=$R/usr/bin/edgemap

# the demo with the package's binary, finding its data where the package put it
# (/usr/share/edgemap, compiled in): the root's /usr/share is overlaid on the host's,
# in a mount namespace of this test only
demo_in_ns() {
    unshare --mount --propagation private sh -c '
        mount -t overlay overlay -o "lowerdir=$1/usr/share:/usr/share" /usr/share || exit 97
        cd "$2" && EDGEMAP="$3" scripts/demo.sh && "$3" version' _ "$R" "$T/src" "$EM"
}
ns=0
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
    unset EDGEMAP_DATA
    ns=1
    env LC_ALL=C.UTF-8 bash -c "$(declare -f demo_in_ns); R='$R' T='$T' EM='$EM' demo_in_ns" >"$T/demo.log" 2>&1
    rc=$?
    if [ $rc -eq 97 ]; then
        ns=0
        skip "demo from the package's /usr/share/edgemap" "overlay mount not possible here"
        (cd "$T/src" && EDGEMAP_DATA=$R/usr/share/edgemap EDGEMAP=$EM scripts/demo.sh) >"$T/demo.log" 2>&1; rc=$?
    fi
else
    skip "demo from the package's /usr/share/edgemap" "needs root and unshare; using EDGEMAP_DATA"
    (cd "$T/src" && EDGEMAP_DATA=$R/usr/share/edgemap EDGEMAP=$EM scripts/demo.sh) >"$T/demo.log" 2>&1; rc=$?
fi
[ $rc -eq 0 ] && ok "make demo's script runs with the packaged binary" || nok "demo with the package" "exit $rc: $(tail -8 "$T/demo.log")"
for f in hospital.svg hospital.pdf hospital.png hospital-report.html hospital-targets.csv clinic-report.html; do
    [ -s "$T/src/out/$f" ] || nok "demo output $f" "missing"
done
if [ $ns -eq 1 ]; then
    grep -q '^データ: /usr/share/edgemap（インストール先）$' "$T/demo.log" && grep -q 'firmware-advisories.tsv *2026' "$T/demo.log" \
        && ok "the packaged binary used its compiled-in /usr/share/edgemap" || nok "packaged data dir" "$(grep -A2 '^データ' "$T/demo.log")"
fi
MANPATH=$R/usr/share/man man -P cat edgemap-render 2>/dev/null | grep -q 'edgemap-render' && ok "man edgemap-render from the package" \
    || nok "man from the package" "not found"

# --- dpkg -r leaves nothing ----------------------------------------------------------
dpkg --root="$R" --force-not-root -r edgemap >>"$T/dpkg.log" 2>&1
left=$(cd "$R" && find . -path ./var -prune -o \( -type f -o -type l \) -print)
[ -z "$left" ] && ok "dpkg -r removes every file" || nok "dpkg -r leftovers" "$left"
