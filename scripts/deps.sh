#!/bin/sh
# Installs the Debian packages a make target needs, when missing:
#   scripts/deps.sh build    compile edgemap, its man pages and completion (make, make install)
#   scripts/deps.sh demo     build + what `make demo` runs with (Graphviz plugins, CJK fonts)
#   scripts/deps.sh check    demo + every test tool (sanitizers, SNMP daemon, PDF tools, .deb tools)
# As root: apt-get update + install. Otherwise: names the missing packages and stops,
# except for the optional tools (chromium, lldpd, nmap), which are skipped with a note —
# the tests that need them say "skip".
set -eu

target=${1:-check}
BUILD_PKGS="build-essential pkg-config libxml2-dev libzip-dev libglib2.0-dev libjson-c-dev
libgraphviz-dev libcairo2-dev libfontconfig-dev libsnmp-dev libxlsxwriter-dev lowdown bash-completion
libsqlite3-dev libpq-dev"
DEMO_PKGS="graphviz fonts-noto-cjk fontconfig ieee-data"
CHECK_PKGS="clang libclang-rt-14-dev snmp snmpd iproute2 python3
python3-openpyxl poppler-utils xxd time libxml2-utils unzip procps psmisc man-db groff-base
dpkg-dev debhelper fakeroot lintian libreoffice-calc-nogui strace
sqlite3 postgresql"
OPTIONAL_PKGS="chromium lldpd nmap"

case $target in
    build) want="$BUILD_PKGS"; optional="" ;;
    demo) want="$BUILD_PKGS $DEMO_PKGS"; optional="" ;;
    check) want="$BUILD_PKGS $DEMO_PKGS $CHECK_PKGS"; optional="$OPTIONAL_PKGS" ;;
    *) echo "usage: scripts/deps.sh build|demo|check" >&2; exit 2 ;;
esac

missing_of() {
    out=""
    for p in "$@"; do
        st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$st" in
            *"install ok installed"*) ;;
            *) out="$out $p" ;;
        esac
    done
    echo "$out"
}
# shellcheck disable=SC2086
missing=$(missing_of $want)
# shellcheck disable=SC2086
missing_opt=$(missing_of $optional)
[ -z "$missing$missing_opt" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    if [ -n "$missing_opt" ]; then
        echo "edgemap: optional tools missing:$missing_opt (the tests that use them will say skip);" >&2
        echo "edgemap: to have them: sudo apt-get install$missing_opt" >&2
    fi
    [ -z "$missing" ] && exit 0
    echo "edgemap: these Debian packages are needed for '$target':$missing" >&2
    echo "edgemap: install them as root: apt-get install$missing" >&2
    exit 1
fi
missing="$missing$missing_opt"
echo "edgemap: installing for '$target':$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the package scripts from starting system snmpd/lldpd:
# the tests start their own instances and must never share state with a system one.
prc=/usr/sbin/policy-rc.d
made_prc=0
if [ ! -e "$prc" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$prc"; chmod 755 "$prc"; made_prc=1
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || rc=$?
[ "$made_prc" = 1 ] && rm -f "$prc"
exit "${rc:-0}"
