#!/bin/bash
# lsan_supp.sh — tests/lsan.supp names library functions, never whole libraries, so a
# leak of OURS through a GLib or cairo call is still reported: a throw-away program
# leaks a g_strdup() and a cairo surface and LSan must report both (under the runner's
# ASAN/LSAN options, fast or full unwinding), while Graphviz's own gvconfig leak stays
# suppressed.
set -u
: "${ROOT:?}" "${BUILD:?}"
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
skip() { echo "skip - $1: $2"; }
SUPP=$ROOT/tests/lsan.supp
bad=$(grep -nE '^[[:space:]]*leak:(.*\.so.*|lib[A-Za-z0-9_.+-]*)[[:space:]]*$' "$SUPP")
[ -z "$bad" ] && ok "lsan.supp names functions, no library" || nok "lsan.supp names a library" "$bad"
case $BUILD in *san*) ;; *) skip "deliberate leaks" "runs in the sanitizer build"; exit 0 ;; esac
command -v cc >/dev/null && pkg-config --exists glib-2.0 cairo libgvc || { skip "deliberate leaks" "no compiler or libraries"; exit 0; }
T=$(mktemp -d /tmp/em-lsan.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat > "$T/leak.c" <<'C'
#include <cairo.h>
#include <glib.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <string.h>
/* the last pointer goes through a global, so no stale stack slot keeps it reachable */
static void *kept;
/* our bug: the copy is dropped, never g_free()d */
static __attribute__((noinline)) void leak_through_glib(void)
{
    kept = g_strdup("a leak of ours through GLib");
    kept = NULL;
}
/* our bug: the surface is never destroyed */
static __attribute__((noinline)) void leak_through_cairo(void)
{
    kept = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 64, 64);
    kept = NULL;
}
int main(int argc, char **argv)
{
    /* Graphviz's configuration leak (not ours): must stay suppressed */
    GVC_t *gvc = gvContext();
    gvFreeContext(gvc);
    if (argc > 1 && strcmp(argv[1], "glib") == 0) leak_through_glib();
    if (argc > 1 && strcmp(argv[1], "cairo") == 0) leak_through_cairo();
    return 0;
}
C
# shellcheck disable=SC2046
if ! cc -g -O0 -fsanitize=address -fno-omit-frame-pointer -o "$T/leak" "$T/leak.c" \
        $(pkg-config --cflags --libs glib-2.0 cairo libgvc) 2>"$T/cc.err"; then
    nok "build the leaking program" "$(head -5 "$T/cc.err")"; exit 0
fi
: "${ASAN_OPTIONS:=detect_leaks=1:exitcode=99}"
export ASAN_OPTIONS LSAN_OPTIONS="suppressions=$SUPP:print_suppressions=0"
"$T/leak" none >"$T/out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "library-internal leak (gvconfig) is suppressed" || nok "gvconfig suppressed" "exit $rc: $(grep -A6 'leak of' "$T/out" | head -8)"
"$T/leak" glib >"$T/out" 2>&1; rc=$?
# the 28 bytes of the string, allocated by GLib's g_malloc (with full unwinding the
# stack goes on through g_strdup to leak_through_glib)
if [ $rc -ne 0 ] && grep -q 'LeakSanitizer' "$T/out" && grep -q 'leak of 28 byte' "$T/out" && grep -q 'g_malloc' "$T/out"; then
    ok "our leak through g_strdup is reported"
else nok "our GLib leak reported" "exit $rc: $(tail -5 "$T/out")"; fi
"$T/leak" cairo >"$T/out" 2>&1; rc=$?
# (cairo's internal frames have no symbol names: the library is shown instead)
if [ $rc -ne 0 ] && grep -q 'LeakSanitizer' "$T/out" && grep -q 'libcairo' "$T/out"; then
    ok "our leak through cairo_image_surface_create is reported"
else nok "our cairo leak reported" "exit $rc: $(tail -5 "$T/out")"; fi
