#!/bin/bash
# help.sh — every command answers --help, `edgemap help CMD`, --version and bad usage
# the same way (usage on stdout + exit 0; usage errors on stderr + exit 2), in the
# language chosen by --lang or the locale; every command has a man page in en and ja.
set -u
: "${EDGEMAP:?}" "${ROOT:?}" "${BUILD:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
T=$(mktemp -d /tmp/em-help.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2
run() { # runs edgemap with args; sets rc, out ($T/o), err ($T/e)
    "$EDGEMAP" "$@" >"$T/o" 2>"$T/e"; rc=$?
}
unset LANGUAGE
export LC_ALL= LC_MESSAGES= LANG=C.UTF-8

cmds=$("$EDGEMAP" help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
[ "$(echo "$cmds" | wc -w)" -ge 7 ] && ok "edgemap help lists the commands" || nok "edgemap help" "$cmds"
for c in $cmds; do
    for h in --help -h; do
        run "$c" $h
        if [ $rc -eq 0 ] && [ -s "$T/o" ] && [ ! -s "$T/e" ] && grep -q "edgemap $c" "$T/o"; then ok "$c $h: usage on stdout, exit 0"
        else nok "$c $h" "exit $rc, stdout $(wc -c <"$T/o") bytes, stderr: $(head -2 "$T/e")"; fi
    done
    cp "$T/o" "$T/usage"
    run help "$c"
    [ $rc -eq 0 ] && cmp -s "$T/o" "$T/usage" && ok "help $c = $c --help" || nok "help $c" "exit $rc or different text"
    run "$c" --no-such-option
    if [ $rc -eq 2 ] && [ ! -s "$T/o" ] && grep -q "edgemap $c" "$T/e"; then ok "$c bad option: stderr, exit 2"
    else nok "$c bad option" "exit $rc, stdout $(wc -c <"$T/o") bytes, stderr: $(head -2 "$T/e")"; fi
    # the usage is translated: English has no Japanese, Japanese has some
    run "$c" --help --lang en
    if grep -qP '[\x{3040}-\x{30ff}\x{4e00}-\x{9fff}]' "$T/o"; then nok "$c usage in English" "$(grep -P '[\x{3040}-\x{30ff}\x{4e00}-\x{9fff}]' "$T/o" | head -2)"
    else ok "$c usage in English has no Japanese"; fi
    run "$c" --help --lang ja
    grep -q '使い方' "$T/o" && ok "$c usage in Japanese" || nok "$c usage in Japanese" "$(head -1 "$T/o")"
    # a man page per command, in both languages
    for l in en ja; do
        [ -f "man/$l/edgemap-$c.1.md" ] && [ -f "$BUILD/man/$l/edgemap-$c.1" ] && ok "man/$l edgemap-$c(1)" \
            || nok "man/$l edgemap-$c(1)" "man/$l/edgemap-$c.1.md or $BUILD/man/$l/edgemap-$c.1 missing"
    done
done
# the reported bugs
run diff --help
[ $rc -eq 0 ] && grep -q 'edgemap diff' "$T/o" && ok "diff --help exits 0 (was 'unknown option', 2)" || nok "diff --help" "exit $rc"
run check --help
[ $rc -eq 0 ] && [ -s "$T/o" ] && [ ! -s "$T/e" ] && ok "check --help on stdout (was stderr)" || nok "check --help" "exit $rc"
run check --format xml samples/clinic.csv
if [ $rc -eq 2 ] && grep -q 'text か json' "$T/e" && ! grep -q 'must be' "$T/e"; then ok "--format error in Japanese in ja mode"
else nok "--format error in Japanese" "exit $rc: $(cat "$T/e")"; fi
run
[ $rc -eq 2 ] && [ ! -s "$T/o" ] && [ -s "$T/e" ] && ok "no command: usage error" || nok "no command" "exit $rc"
run nosuch
[ $rc -eq 2 ] && grep -q "nosuch" "$T/e" && ok "unknown command: usage error naming it" || nok "unknown command" "exit $rc"
run help nosuch
[ $rc -eq 2 ] && ok "help of an unknown command: exit 2" || nok "help nosuch" "exit $rc"
run check
[ $rc -eq 2 ] && grep -q '使い方' "$T/e" && ok "check without files: usage on stderr, exit 2" || nok "check without files" "exit $rc"

# --version / version
for v in --version version "check --version"; do
    # shellcheck disable=SC2086
    run $v
    miss=""
    for want in '^edgemap [0-9]' 'firmware-advisories.tsv *[0-9]{4}\.[0-9]+\.[0-9]+ [0-9]{4}-[0-9]{2}-[0-9]{2}' \
                'os-eos.tsv *[0-9]{4}\.' 'libxml2 *[0-9]+\.[0-9]+' 'libzip *[0-9]+\.' 'Graphviz *[0-9]+\.' \
                'cairo *[0-9]+\.' 'net-snmp *[0-9]+\.' 'libxlsxwriter *[0-9]+\.' 'SQLite *[0-9]+\.' 'libpq *[0-9]+\.'; do
        grep -Eq "$want" "$T/o" || miss="$miss [$want]"
    done
    [ $rc -eq 0 ] && [ -z "$miss" ] && ok "edgemap $v: program, data and library versions" || nok "edgemap $v" "exit $rc, missing:$miss"
done
# which place the data came from: the build tree's binary uses the tree's data/
run version
grep -q "^データ: $ROOT/data（ソースツリー）\$" "$T/o" && ok "version: the build tree's binary uses the tree's data" || nok "version data origin" "$(sed -n 2p "$T/o")"
EDGEMAP_DATA=$ROOT/data "$EDGEMAP" version >"$T/o" 2>&1
grep -q "^データ: $ROOT/data（EDGEMAP_DATA）\$" "$T/o" && ok "version: EDGEMAP_DATA before the tree" || nok "EDGEMAP_DATA origin" "$(sed -n 2p "$T/o")"
EDGEMAP_DATA=/nonexistent "$EDGEMAP" version --data "$ROOT/data" >"$T/o" 2>&1
grep -q "^データ: $ROOT/data（--data）\$" "$T/o" && ok "version: --data before EDGEMAP_DATA" || nok "--data origin" "$(sed -n 2p "$T/o")"
run version --data "$T/none"
[ $rc -eq 0 ] && grep -q "$T/none" "$T/o" && grep -q 'EDGEMAP_DATA' "$T/o" && ok "version says where data was not found" \
    || nok "version --data missing" "exit $rc: $(cat "$T/o")"

# language: --lang, else LC_ALL > LC_MESSAGES > LANG when ja/en, else Japanese
lang_of() { # env assignments... ; prints ja or en from the usage heading
    env LC_ALL= LC_MESSAGES= LANG= "$@" "$EDGEMAP" help check 2>&1 | head -1 | grep -q '^usage:' && echo en || echo ja
}
expect_lang() { # want name env...
    local want=$1 name=$2; shift 2
    local got; got=$(lang_of "$@")
    [ "$got" = "$want" ] && ok "language $name -> $want" || nok "language $name" "got $got, want $want"
}
expect_lang ja "LANG=ja_JP.UTF-8" LANG=ja_JP.UTF-8
expect_lang en "LANG=en_US.UTF-8" LANG=en_US.UTF-8
expect_lang en "LANG=en_GB" LANG=en_GB
expect_lang ja "LANG=C" LANG=C
expect_lang ja "LANG=POSIX" LANG=POSIX
expect_lang ja "LANG=C.UTF-8" LANG=C.UTF-8
expect_lang ja "LANG=fr_FR.UTF-8" LANG=fr_FR.UTF-8
expect_lang ja "nothing set" LC_CTYPE=en_US.UTF-8
expect_lang en "LC_ALL=en over LANG=ja" LC_ALL=en_US.UTF-8 LANG=ja_JP.UTF-8
expect_lang ja "LC_ALL=C over LANG=en" LC_ALL=C LANG=en_US.UTF-8
expect_lang en "LC_MESSAGES=en over LANG=ja" LC_MESSAGES=en_US.UTF-8 LANG=ja_JP.UTF-8
expect_lang ja "LC_ALL=ja over LC_MESSAGES=en" LC_ALL=ja_JP.UTF-8 LC_MESSAGES=en_US.UTF-8
got=$(LANG=ja_JP.UTF-8 "$EDGEMAP" help check --lang en | head -1)
case $got in usage:*) ok "--lang en over a Japanese locale" ;; *) nok "--lang en over LANG=ja" "$got" ;; esac
got=$(LANG=en_US.UTF-8 "$EDGEMAP" check --lang ja --format xml x.csv 2>&1)
case $got in *"text か json"*) ok "--lang ja over an English locale (usage error too)" ;; *) nok "--lang ja over LANG=en" "$got" ;; esac
got=$(LANG=en_US.UTF-8 "$EDGEMAP" check samples/clinic.csv 2>&1)
case $got in *"total:"*) ok "English locale: findings in English" ;; *) nok "English findings" "$(echo "$got" | tail -1)" ;; esac

# man pages: edgemap(1) in both languages, every page has its twin, renders without warnings
for l in en ja; do
    [ -f "$BUILD/man/$l/edgemap.1" ] && ok "man/$l edgemap(1)" || nok "man/$l edgemap(1)" "missing"
done
for f in man/en/*.md; do
    b=$(basename "$f")
    [ -f "man/ja/$b" ] && ok "man page $b in Japanese too" || nok "man page $b" "no man/ja/$b"
    [ "$b" = edgemap.1.md ] && continue
    if grep -q "\*\*${b%.1.md}\*\*(1)" man/en/edgemap.1.md && grep -q "\*\*${b%.1.md}\*\*(1)" man/ja/edgemap.1.md; then
        ok "edgemap(1) refers to ${b%.1.md}(1)"
    else nok "edgemap(1) refers to ${b%.1.md}(1)" "not in man/{en,ja}/edgemap.1.md"; fi
done
if command -v man >/dev/null; then
    warn=""
    for f in "$BUILD"/man/*/*.1; do
        w=$(man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
        [ -n "$w" ] && warn="$warn $f: $(echo "$w" | head -1)"
        lexgrog "$f" >/dev/null 2>&1 || warn="$warn $f: no whatis entry"
    done
    [ -z "$warn" ] && ok "man pages render without groff warnings, whatis entries parse" || nok "man warnings" "$warn"
fi
