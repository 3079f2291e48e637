#!/bin/bash
# deps.sh — scripts/deps.sh asks only for what the target needs (build < demo < check)
# and, when not root, skips the optional tools (chromium, lldpd, nmap) with a note
# instead of failing. dpkg-query is replaced by a fake that reports $FAKE_MISSING as
# not installed; the script runs as nobody, so it can never install anything here.
set -u
: "${ROOT:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
skip() { echo "skip - $1: $2"; }
command -v setpriv >/dev/null || { skip "deps.sh" "setpriv (util-linux) missing"; exit 0; }
[ "$(id -u)" -eq 0 ] || { skip "deps.sh as nobody" "needs root to switch to nobody"; exit 0; }
T=$(mktemp -d /tmp/em-deps.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
cp "$ROOT/scripts/deps.sh" "$T/deps.sh"
cat > "$T/dpkg-query" <<'SH'
#!/bin/sh
pkg=$(eval echo "\${$#}")
for m in $FAKE_MISSING; do [ "$m" = "$pkg" ] && exit 1; done
printf 'install ok installed'
SH
chmod 755 "$T/dpkg-query" "$T/deps.sh"
run() { # missing-packages target
    env -i PATH="$T:/usr/bin:/bin" FAKE_MISSING="$1" setpriv --reuid=65534 --regid=65534 --clear-groups \
        sh "$T/deps.sh" "$2" >"$T/out" 2>&1
    rc=$?
}
run "" check
[ $rc -eq 0 ] && [ ! -s "$T/out" ] && ok "nothing missing: silent, exit 0" || nok "nothing missing" "exit $rc: $(cat "$T/out")"
run "chromium nmap" check
[ $rc -eq 0 ] && grep -q 'chromium' "$T/out" && grep -q 'nmap' "$T/out" && grep -q skip "$T/out" \
    && ok "not root, optional tools missing: a note, exit 0" || nok "optional tools" "exit $rc: $(cat "$T/out")"
run "lowdown chromium" build
[ $rc -eq 1 ] && grep -q 'lowdown' "$T/out" && ! grep -q chromium "$T/out" \
    && ok "build: a missing build package fails naming it (optional tools not asked for)" || nok "build missing" "exit $rc: $(cat "$T/out")"
run "clang poppler-utils lintian" build
[ $rc -eq 0 ] && ok "build does not need the test tools" || nok "build vs check tools" "exit $rc: $(cat "$T/out")"
run "clang poppler-utils" demo
[ $rc -eq 0 ] && ok "demo does not need the test tools" || nok "demo vs check tools" "exit $rc: $(cat "$T/out")"
run "fonts-noto-cjk" demo
[ $rc -eq 1 ] && grep -q 'fonts-noto-cjk' "$T/out" && ok "demo needs the CJK fonts" || nok "demo fonts" "exit $rc: $(cat "$T/out")"
run "clang" check
[ $rc -eq 1 ] && grep -q 'clang' "$T/out" && ok "check needs clang" || nok "check clang" "exit $rc: $(cat "$T/out")"
run "" nonsense
[ $rc -eq 2 ] && ok "unknown target: exit 2" || nok "unknown target" "exit $rc"
