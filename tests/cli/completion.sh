#!/bin/bash
# completion.sh — the bash completion script made from the command table
# ($BUILD/edgemap.bash, installed by make install): commands, options, option values
# and files by extension, checked by calling its completion function the way bash does.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
SCRIPT=$ROOT/$BUILD/edgemap.bash
[ -f "$SCRIPT" ] || { nok "completion script" "$SCRIPT missing (make all makes it)"; exit 0; }
T=$(mktemp -d /tmp/em-completion.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
touch hospital.xlsx vendor.CSV notes.txt model.json scan.xml
mkdir sub

# shellcheck disable=SC1090
source "$SCRIPT"
complete -p edgemap >/dev/null 2>&1 && ok "complete -F registered for edgemap" || nok "complete registered" "no complete -p edgemap"

comp() { # words... (the last one is being completed); prints the sorted replies
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _edgemap edgemap "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { # name expected words...
    local name=$1 want=$2; shift 2
    local got
    got=$(comp "$@")
    [ "$got" = "$want" ] && ok "$name" || nok "$name" "words '$*': got '$got', want '$want'"
}

cmds=$("$EDGEMAP" help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
expect "every command of 'edgemap help'" "$cmds" edgemap ""
expect "command prefix" "render" edgemap re
expect "top-level options" "--help --version" edgemap --
expect "check option prefix" "--format" edgemap check --fo
expect "--format values" "json text" edgemap check --format ""
expect "--lang values" "en" edgemap render x.xlsx --lang e
expect "records by extension (xlsx, CSV any case, dirs)" "hospital.xlsx sub vendor.CSV" edgemap check ""
expect "render -o: output extensions (.csv too)" "model.json sub vendor.CSV" edgemap render hospital.xlsx -o ""
expect "--scan: nmap XML" "scan.xml sub" edgemap check hospital.xlsx --scan ""
expect "--data: directories" "sub" edgemap check --data ""
expect "diff takes records or model JSON" "hospital.xlsx model.json sub vendor.CSV" edgemap diff ""
expect "help completes commands" "diff discover" edgemap help di
expect "discover options" "--scope --seed --snmp-config" edgemap discover --s
expect "--survey-date: free text" "" edgemap check --survey-date ""
# every option the usage lists is offered
for c in $cmds; do
    opts=$("$EDGEMAP" help "$c" | sed -n 's/^  \(-[-a-z]*\).*/\1/p' | grep -v '^-h$' | sort -u | tr '\n' ' ')
    got=" $(comp edgemap "$c" -) "
    miss=""
    for o in $opts; do case $got in *" $o "*) ;; *) miss="$miss $o" ;; esac; done
    [ -z "$miss" ] && ok "$c: every option of its usage completes" || nok "$c options" "missing:$miss"
done
