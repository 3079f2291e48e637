#!/bin/bash
# build_dirs.sh — BUILD= is honoured by every make target: `make check BUILD=x` builds
# only in x and x-san and tests those; demo, fuzz, bench, install and clean use x too.
# Checked on make's dry run (-n), so nothing is built.
set -u
: "${ROOT:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
cd "$ROOT" || exit 2
X=tmp-bd-$$
dry() { make -n --no-print-directory BUILD=$X "$@" 2>&1; }

out=$(dry check)
objs=$(echo "$out" | grep -oE ' -o [^ ]+' | awk '{print $2}' | sort -u)
bad=$(echo "$objs" | grep -vE "^($X|$X-san)/" | head -5)
[ -n "$objs" ] && [ -z "$bad" ] && ok "make check BUILD=x: every object and program goes to x/ or x-san/" \
    || nok "make check BUILD=x outputs" "elsewhere: $bad"
echo "$objs" | grep -q "^$X-san/edgemap$" && echo "$objs" | grep -q "^$X/edgemap$" \
    && ok "make check BUILD=x links x/edgemap and x-san/edgemap" || nok "check links" "$(echo "$objs" | grep edgemap)"
echo "$out" | grep -q "tests/run.sh $X $X-san\$" && ok "make check BUILD=x tests x and x-san only" \
    || nok "check runs" "$(echo "$out" | grep run.sh)"
echo "$out" | grep -q -- '-fsanitize=address' && echo "$out" | grep -- '-fsanitize=address' | grep -qv -- "-o $X-san/" \
    && nok "sanitizer objects" "a sanitizer compile writes outside $X-san" || ok "sanitizer objects only in x-san"
out=$(dry test)
echo "$out" | grep -q "tests/run.sh $X\$" && ok "make test BUILD=x tests x" || nok "make test" "$(echo "$out" | grep run.sh)"
out=$(dry demo)
echo "$out" | grep -q "EDGEMAP=$ROOT/$X/edgemap scripts/demo.sh" && ok "make demo BUILD=x runs x/edgemap" || nok "make demo" "$(echo "$out" | grep demo.sh)"
out=$(dry fuzz)
echo "$out" | grep -q "FUZZ_BUILD=$X-fuzz" && ok "make fuzz BUILD=x builds in x-fuzz" || nok "make fuzz" "$(echo "$out" | head -2)"
out=$(dry bench)
echo "$out" | grep -q "BUILD=$X bench/run.sh" && ok "make bench BUILD=x" || nok "make bench" "$(echo "$out" | grep bench/run)"
out=$(dry clean)
echo "$out" | grep -q "rm -rf $X $X-san $X-fuzz" && ! echo "$out" | grep -q 'rm -f edgemap' && ok "make clean BUILD=x removes x* only" \
    || nok "make clean" "$out"
out=$(dry install DESTDIR=/nonexistent)
echo "$out" | grep -q "install -m 755 $X/edgemap" && ok "make install BUILD=x installs x/edgemap" || nok "make install" "$(echo "$out" | grep 'install -m 755')"
out=$(make -n --no-print-directory SANITIZE=1 tests 2>&1 | grep -oE ' -o [^ ]+' | awk '{print $2}' | grep -v '^build-san/' | head -3)
[ -z "$out" ] && ok "make SANITIZE=1 (default BUILD) still builds in build-san" || nok "SANITIZE=1 default" "$out"
rm -rf "$X" "$X-san"
