#!/bin/sh
# Installs the Debian packages edgemap needs to build, test and demo, when missing.
# As root: apt-get update + install. Otherwise: names the packages and stops.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libxml2-dev libzip-dev libglib2.0-dev libjson-c-dev
libgraphviz-dev graphviz libcairo2-dev fonts-noto-cjk fontconfig
libsnmp-dev snmp snmpd lldpd iproute2 nmap
libxlsxwriter-dev python3 python3-openpyxl
poppler-utils chromium xxd time libxml2-utils unzip procps psmisc
libreoffice-calc-nogui strace"

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "edgemap: these Debian packages are missing:$missing" >&2
    echo "edgemap: install them as root: apt-get install$missing" >&2
    exit 1
fi
echo "edgemap: installing:$missing" >&2
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
