#!/bin/bash
# outputs.sh — the outputs-as-a-set contract (spec/cli.md) through every writer
# (render, targets, discover): an input is never an output, a failed run replaces
# nothing, devices/FIFOs/symlinks to them are written through, a symlink to a file
# replaces the file, long names work, a missing folder has its own message.
# Device cases need root (they write to /dev/null, /dev/full, /dev/stdout).
set -u
: "${EDGEMAP:?}" "${ROOT:?}"
T=$(mktemp -d /tmp/em-outputs.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$ROOT" || exit 2

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
expect() { # name condition-command...
    local name=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$name"; else nok "$name" "failed: $*"; fi
}
kind() { stat -c %F "$1" 2>/dev/null; }
no_temps() { ! ls -A "$T" | grep -q '^\.edgemap-'; }

IN=tests/cli/data/render_small.csv
cp "$IN" "$T/s.csv"
cp "$T/s.csv" "$T/s.orig"

# --- an input is never an output ----------------------------------------------------
"$EDGEMAP" render "$T/s.csv" --lang en -o "$T/s.csv" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "input file cannot be an output" "$T/err" && cmp -s "$T/s.csv" "$T/s.orig" \
    && ok "render s.csv -o s.csv refused, survey intact" || nok "render s.csv -o s.csv" "exit $rc: $(cat "$T/err")"
ln -s s.csv "$T/alias.csv"
"$EDGEMAP" targets "$T/s.csv" -o "$T/alias.csv" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && cmp -s "$T/s.csv" "$T/s.orig" && [ -L "$T/alias.csv" ] \
    && ok "targets -o symlink-to-input refused" || nok "targets -o symlink-to-input" "exit $rc: $(cat "$T/err")"
ln "$T/s.csv" "$T/hard.csv"
"$EDGEMAP" render "$T/s.csv" -o "$T/x.json" -o "$T/hard.csv" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && cmp -s "$T/s.csv" "$T/s.orig" && [ ! -e "$T/x.json" ] \
    && ok "hard link to input refused, nothing written" || nok "hard link to input" "exit $rc"
rm -f "$T/hard.csv"
printf 'community public\n' > "$T/snmp.conf"; chmod 600 "$T/snmp.conf"
cp "$T/snmp.conf" "$T/snmp.orig"
"$EDGEMAP" discover --seed 127.0.0.1 --scope 127.0.0.0/8 --snmp-config "$T/snmp.conf" -o "$T/snmp.conf" \
    >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && cmp -s "$T/snmp.conf" "$T/snmp.orig" && ok "discover -o its own --snmp-config refused" \
    || nok "discover -o snmp-config" "exit $rc: $(cat "$T/err")"

# --- all or none -------------------------------------------------------------------
echo "old map" > "$T/map.json"
"$EDGEMAP" render "$T/s.csv" --lang en -o "$T/map.json" -o "$T/no/dir/r.html" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "old map" "$T/map.json" && grep -q "output folder does not exist: $T/no/dir" "$T/err" \
    && ok "missing folder: exit 2, own message, map.json untouched" || nok "missing folder" "exit $rc: $(cat "$T/err")"
"$EDGEMAP" render "$T/s.csv" -o "$T/no/r.dot" >/dev/null 2>"$T/err"
grep -q "出力先のフォルダがありません" "$T/err" && ok "missing folder message in Japanese" || nok "missing folder ja" "$(cat "$T/err")"
ln -sf /dev/full "$T/full.dot"
"$EDGEMAP" render "$T/s.csv" --lang en -o "$T/map.json" -o "$T/t.csv" -o "$T/full.dot" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "old map" "$T/map.json" && [ ! -e "$T/t.csv" ] && grep -qi "no space" "$T/err" \
    && [ "$(kind /dev/full)" = "character special file" ] && [ -L "$T/full.dot" ] \
    && ok "/dev/full (via symlink) fails the set: ENOSPC reported, nothing replaced" \
    || nok "/dev/full set" "exit $rc: $(cat "$T/err")"
expect "no temp files left after failures" no_temps

# --- devices written through, never replaced (root) ----------------------------------
if [ "$(id -u)" = 0 ]; then
    "$EDGEMAP" targets "$T/s.csv" -o /dev/null >/dev/null 2>"$T/err"; rc=$?
    [ $rc -le 1 ] && [ "$(kind /dev/null)" = "character special file" ] \
        && ok "targets -o /dev/null as root: still a device" || nok "-o /dev/null" "exit $rc, $(kind /dev/null)"
    "$EDGEMAP" targets "$T/s.csv" -o /dev/full >/dev/null 2>"$T/err"; rc=$?
    [ $rc = 2 ] && [ "$(kind /dev/full)" = "character special file" ] \
        && ok "targets -o /dev/full as root: exit 2, still a device" || nok "-o /dev/full" "exit $rc"
    "$EDGEMAP" discover --from-walk samples/walks -o /dev/null 2>"$T/err"; rc=$?
    [ $rc = 0 ] && [ "$(kind /dev/null)" = "character special file" ] \
        && ok "discover -o /dev/null as root: still a device" || nok "discover -o /dev/null" "exit $rc"
    "$EDGEMAP" targets "$T/s.csv" -o /dev/stdout 2>"$T/err" | cat > "$T/piped.csv"
    "$EDGEMAP" targets "$T/s.csv" > "$T/direct.csv" 2>/dev/null
    cmp -s "$T/piped.csv" "$T/direct.csv" && [ -L /dev/stdout ] \
        && ok "-o /dev/stdout into a pipe: same bytes, /dev/stdout still a symlink" || nok "-o /dev/stdout pipe" "differs"
    "$EDGEMAP" targets "$T/s.csv" -o /dev/stdout > "$T/redir.csv" 2>"$T/err"
    cmp -s "$T/redir.csv" "$T/direct.csv" && [ -L /dev/stdout ] \
        && ok "-o /dev/stdout redirected to a file" || nok "-o /dev/stdout > file" "differs"
    echo "first line" > "$T/app.csv"
    ino=$(stat -c %i "$T/app.csv")
    "$EDGEMAP" targets "$T/s.csv" -o /dev/stdout >> "$T/app.csv" 2>"$T/err"
    [ "$(head -1 "$T/app.csv")" = "first line" ] && [ "$(stat -c %i "$T/app.csv")" = "$ino" ] \
        && [ "$(tail -n +2 "$T/app.csv")" = "$(cat "$T/direct.csv")" ] \
        && ok "-o /dev/stdout >> file: appended to the shell's file, not replaced" || nok "-o /dev/stdout >> file" "$(head -2 "$T/app.csv")"
    "$EDGEMAP" discover --from-walk samples/walks -o /dev/stdout 2>/dev/null | python3 -c 'import json,sys; json.load(sys.stdin)' \
        && ok "discover -o /dev/stdout: valid JSON on the pipe" || nok "discover -o /dev/stdout" "not JSON"
else
    echo "skip - device outputs: not root"
fi

# --- FIFO: written through ----------------------------------------------------------
mkfifo "$T/fifo.csv"
timeout 20 cat "$T/fifo.csv" > "$T/fromfifo.csv" &
reader=$!
timeout 20 "$EDGEMAP" targets "$T/s.csv" -o "$T/fifo.csv" >/dev/null 2>"$T/err"; rc=$?
wait $reader
"$EDGEMAP" targets "$T/s.csv" > "$T/direct.csv" 2>/dev/null
[ $rc -le 1 ] && cmp -s "$T/fromfifo.csv" "$T/direct.csv" && [ "$(kind "$T/fifo.csv")" = fifo ] \
    && ok "FIFO output written through, still a FIFO" || nok "FIFO output" "exit $rc"

# --- symlinks to regular files: the target is replaced, the link stays ----------------
echo old > "$T/mine.json"; chmod 640 "$T/mine.json"
if [ "$(id -u)" = 0 ]; then chown 1234:1234 "$T/mine.json"; fi
"$EDGEMAP" render "$T/s.csv" -o "$T/mine.json" >/dev/null 2>&1
[ "$(stat -c %a "$T/mine.json")" = 640 ] && { [ "$(id -u)" != 0 ] || [ "$(stat -c %u:%g "$T/mine.json")" = 1234:1234 ]; } \
    && ok "a replaced file keeps its permissions (and owner, as root)" || nok "mode/owner" "$(stat -c '%a %u:%g' "$T/mine.json")"
echo old > "$T/real.json"
ln -s real.json "$T/link.json"
"$EDGEMAP" render "$T/s.csv" -o "$T/link.json" >/dev/null 2>"$T/err"; rc=$?
[ $rc -le 1 ] && [ -L "$T/link.json" ] && grep -q '"schema"' "$T/real.json" \
    && ok "symlink to a file: target replaced, link kept" || nok "symlink to file" "exit $rc: $(cat "$T/err")"
ln -s /dev/null "$T/null.svg"
"$EDGEMAP" render "$T/s.csv" -o "$T/null.svg" -o "$T/n.json" >/dev/null 2>"$T/err"; rc=$?
[ $rc -le 1 ] && [ -L "$T/null.svg" ] && [ -s "$T/n.json" ] \
    && ok "symlink to /dev/null as .svg: written through" || nok "symlink to /dev/null" "exit $rc: $(cat "$T/err")"

# --- a legal long name (248 characters) ------------------------------------------------
long=$(printf 'a%.0s' $(seq 1 243)).json
"$EDGEMAP" render "$T/s.csv" -o "$T/$long" >/dev/null 2>"$T/err"; rc=$?
[ $rc -le 1 ] && [ -s "$T/$long" ] && ok "248-character output name" || nok "long name" "exit $rc: $(cat "$T/err")"

# --- workbooks (template, annotate) through the same writer ---------------------------------
cp samples/clinic-clean.xlsx "$T/c.xlsx"; cp "$T/c.xlsx" "$T/c.orig"
"$EDGEMAP" annotate --lang en "$T/c.xlsx" -o "$T/c.xlsx" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && cmp -s "$T/c.xlsx" "$T/c.orig" && grep -q "input file cannot be an output" "$T/err" \
    && ok "annotate c.xlsx -o c.xlsx refused" || nok "annotate onto input" "exit $rc: $(cat "$T/err")"
echo "accepted" > "$T/acc.tsv"
"$EDGEMAP" annotate "$T/c.xlsx" --accept "$T/acc.tsv" -o "$T/acc.tsv" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -qx accepted "$T/acc.tsv" && ok "annotate -o its own --accept file refused" || nok "annotate -o accept" "exit $rc"
"$EDGEMAP" template --lang en -o "$T/none/t.xlsx" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "output folder does not exist" "$T/err" && ok "template: missing folder message" || nok "template missing folder" "exit $rc: $(cat "$T/err")"
longx=$(printf 'b%.0s' $(seq 1 243)).xlsx
"$EDGEMAP" template -o "$T/$longx" 2>"$T/err"; rc=$?
[ $rc = 0 ] && unzip -l "$T/$longx" >/dev/null 2>&1 && ok "template: 248-character name" || nok "template long name" "exit $rc: $(cat "$T/err")"
if [ "$(id -u)" = 0 ]; then
    "$EDGEMAP" template -o /dev/null 2>"$T/err"; rc=$?
    [ $rc = 0 ] && [ "$(kind /dev/null)" = "character special file" ] && ok "template -o /dev/null: still a device" || nok "template /dev/null" "exit $rc"
    "$EDGEMAP" template -o /dev/stdout 2>/dev/null > "$T/tpl.xlsx"
    unzip -l "$T/tpl.xlsx" >/dev/null 2>&1 && ok "template -o /dev/stdout > file: a workbook" || nok "template /dev/stdout" "not a zip"
fi

# --- the same output twice, a folder as output ------------------------------------------
"$EDGEMAP" render "$T/s.csv" -o "$T/d.json" -o "$T/d.json" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] && ok "the same output twice refused" || nok "same output twice" "exit $rc"
"$EDGEMAP" discover --from-walk samples/walks -o "$T" 2>"$T/err"; rc=$?
[ $rc = 2 ] && [ -d "$T" ] && ok "a folder as output refused" || nok "folder as output" "exit $rc"
expect "no temp files left" no_temps
exit 0
