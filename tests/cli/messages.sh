#!/bin/bash
# messages.sh — every user-facing message goes through em_tr() with a Japanese and an
# English text (tests/tools/untranslated.py scans the sources); the scanner itself is
# checked on planted mistakes, so this test can fail.
set -u
: "${ROOT:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
T=$(mktemp -d /tmp/em-messages.XXXXXX)
trap 'rm -rf "$T"' EXIT
SCAN=$ROOT/tests/tools/untranslated.py

mkdir -p "$T/mod"
cat > "$T/mod/bad.c" <<'C'
static int f(struct em_err *err, const char *p)
{
    fprintf(stderr, "edgemap: cannot open %s\n", p);
    fputs("usage: edgemap thing FILE\n", stderr);
    fprintf(stderr, "%s\n", em_tr("同じ", "same words"));
    em_tr("file not found", "file not found");
    em_cmd_usage_error("thing", "give a file");
    return em_err_set(err, EM_ERR_IO, p, "", 0, "", "read failed: %s", p);
}
C
cat > "$T/mod/good.c" <<'C'
static int g(struct em_err *err, const char *p)
{
    fprintf(stderr, "edgemap thing: %s: %s\n", p, em_tr("開けません", "cannot open"));
    fprintf(stdout, "plain output is not a message\n");
    em_cmd_usage_error("thing", "%s", em_tr("ファイルを指定してください", "give a file"));
    em_tr("FQDN", "FQDN");
    return em_err_set(err, EM_ERR_NOMEM, p, "", 0, "", "out of memory");
}
C
python3 "$SCAN" "$T" > "$T/out"
n=$(grep -c 'bad.c' "$T/out")
[ "$n" -eq 5 ] && ok "scanner finds the 5 planted untranslated messages" || nok "scanner self-test" "found $n: $(cat "$T/out")"
grep -q 'good.c' "$T/out" && nok "scanner leaves translated messages alone" "$(grep good.c "$T/out")" \
    || ok "scanner leaves translated messages alone"

if python3 "$SCAN" "$ROOT" > "$T/real"; then ok "no untranslated message in the sources"
else nok "untranslated messages" "$(head -20 "$T/real" | tr '\n' ';')"; fi
