#!/bin/bash
# fleet.sh — the national survey at scale: N generated hospitals (default 8,000)
# ingested into SQLite and into PostgreSQL (a throw-away server in a temp dir), the
# national report, the advisories re-evaluation, and the batch render of a sample of
# hospitals beside `dot -Tsvg` + `dot -Tpdf` on the same DOT graphs, run in the same
# way (the same number of parallel processes). Wall time and peak RSS (the largest
# single process, GNU time) of every step. Run it under nice on a shared machine:
#   nice -n 19 bench/fleet.sh [BUILD] [N] [RENDER_SAMPLE] [JOBS]
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
N=${2:-8000}
SAMPLE=${3:-200}
JOBS=${4:-$(nproc)}
EDGEMAP=$PWD/$BUILD/edgemap
GEN=$PWD/$BUILD/tests/tools/fleet_gen
for x in "$EDGEMAP" "$GEN"; do [ -x "$x" ] || { echo "fleet.sh: $x missing (make tests)" >&2; exit 2; }; done
command -v /usr/bin/time >/dev/null || { echo "fleet.sh: GNU time missing (apt-get install time)" >&2; exit 2; }
. tests/integration/fleet_pg.bash
W=$(mktemp -d /tmp/fleet_bench.XXXXXX)
trap 'pg_stop; rm -rf "$W"' EXIT

# CPU seconds the PostgreSQL server (postmaster and its reaped backends) has used
pg_cpu() {
    [ -n "${PG_PID:-}" ] && [ -r "/proc/$PG_PID/stat" ] || { echo 0; return; }
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13 + $14 + $15) / hz }' "/proc/$PG_PID/stat"
}

# step NAME CMD...: runs CMD, prints wall time, CPU time (user + sys of the command and
# its workers; + the PostgreSQL server's when one runs) and peak RSS (largest process).
# On a shared machine the wall time depends on everyone's load; the CPU time does not.
step() {
    local name=$1; shift
    local pg0 pg1
    pg0=$(pg_cpu)
    /usr/bin/time -f '%e %U %S %M' -o "$W/time" "$@" >"$W/out" 2>"$W/err"
    local rc=$?
    # the server reaps the command's backend shortly after it disconnects
    [ -n "${PG_PID:-}" ] && sleep 1
    pg1=$(pg_cpu)
    read -r wall usr sys rss <"$W/time" 2>/dev/null || { wall=?; usr=0; sys=0; rss=0; }
    [ "$rc" -le 1 ] || { echo "$name: failed (rc=$rc): $(tail -n 3 "$W/err")"; }
    local cpu srv
    cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    srv=$(awk -v a="$pg0" -v b="$pg1" 'BEGIN { d = b - a; if (d > 0.05) printf " + server %.1f", d }')
    printf '%-44s %8s s wall  %6s s CPU%s  %5d MB peak RSS\n' "$name" "$wall" "$cpu" "$srv" $((rss / 1024))
    LAST=$wall
    LAST_CPU=$cpu
}

echo "fleet bench: N=$N hospitals, jobs=$JOBS, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
step "generate $N hospitals" "$GEN" "$W/h" "$N" 1
echo "  $(du -sh "$W/h" | cut -f1) on disk, $(ls "$W"/h/*/survey.xlsx | wc -l) xlsx, $(ls "$W"/h/*/survey.csv | wc -l) CP932 CSV"
# the folder list goes through xargs-free argv: 8,000 paths fit the kernel's limit
mapfile -t FOLDERS < <(ls -d "$W"/h/*/)

step "ingest SQLite" "$EDGEMAP" fleet ingest --db "$W/s.db" --round 2026 --jobs "$JOBS" "${FOLDERS[@]}"
tail -n 1 "$W/err"
sqlite3 "$W/s.db" "SELECT 'rows: ' || (SELECT COUNT(*) FROM lines) || ' lines, ' || (SELECT COUNT(*) FROM paths) || ' paths, ' || (SELECT COUNT(*) FROM devices) || ' devices, ' || (SELECT COUNT(*) FROM findings) || ' findings'"
echo "  store: $(du -h "$W/s.db" | cut -f1)"
step "re-ingest SQLite (unchanged)" "$EDGEMAP" fleet ingest --db "$W/s.db" --round 2026 --jobs "$JOBS" "${FOLDERS[@]}"
step "report SQLite (html+json+xlsx)" "$EDGEMAP" fleet report --db "$W/s.db" --round 2026 -o "$W/n.html" -o "$W/n.json" -o "$W/n.xlsx"
step "advisories SQLite (first evaluation)" "$EDGEMAP" fleet advisories --db "$W/s.db" -o "$W/a1.csv"
step "advisories SQLite (re-evaluation)" "$EDGEMAP" fleet advisories --db "$W/s.db" -o "$W/a2.csv"

if pg_start "$W/pg"; then
    step "ingest PostgreSQL" "$EDGEMAP" fleet ingest --db "$PG_URL" --round 2026 --jobs "$JOBS" "${FOLDERS[@]}"
    tail -n 1 "$W/err"
    step "report PostgreSQL (html+json+xlsx)" "$EDGEMAP" fleet report --db "$PG_URL" --round 2026 -o "$W/p.html" -o "$W/p.json" -o "$W/p.xlsx"
    step "advisories PostgreSQL (first evaluation)" "$EDGEMAP" fleet advisories --db "$PG_URL" -o "$W/p1.csv"
    step "advisories PostgreSQL (re-evaluation)" "$EDGEMAP" fleet advisories --db "$PG_URL" -o "$W/p2.csv"
    cmp -s "$W/n.json" "$W/p.json" && echo "  national JSON identical on SQLite and PostgreSQL" || echo "  national JSON DIFFERS between SQLite and PostgreSQL"
    pg_stop
else
    echo "PostgreSQL: skipped ($PG_WHY)"
fi

# batch render of a sample, beside dot on the same DOT graphs
"$EDGEMAP" fleet ingest --db "$W/s.db" --round sample --jobs "$JOBS" "${FOLDERS[@]:0:$SAMPLE}" >/dev/null 2>&1
"$EDGEMAP" fleet render --db "$W/s.db" --round sample -o "$W/dot" --format dot --jobs "$JOBS" >/dev/null 2>&1
step "render $SAMPLE hospitals (svg+pdf)" "$EDGEMAP" fleet render --db "$W/s.db" --round sample -o "$W/r" --format svg,pdf --jobs "$JOBS"
rw=$LAST rc_=$LAST_CPU
dotrun() { ls "$W"/dot/*/diagram.dot | xargs -P "$JOBS" -I{} sh -c 'dot -Tsvg "{}" -o "{}.svg" 2>/dev/null; dot -Tpdf "{}" -o "{}.pdf" 2>/dev/null'; }
export -f dotrun 2>/dev/null
step "dot -Tsvg + dot -Tpdf, same DOT, $JOBS at a time" bash -c "$(declare -f dotrun); W=$W JOBS=$JOBS; dotrun"
dw=$LAST dc=$LAST_CPU
awk -v a="$rw" -v b="$dw" -v c="$rc_" -v d="$dc" 'BEGIN { if (b > 0 && d > 0) printf "render / dot: %.2f wall, %.2f CPU (target <= 1.30)\n", a / b, c / d }'
awk -v a="$rw" -v n="$SAMPLE" -v N="$N" 'BEGIN { if (n > 0) printf "  extrapolated: %d hospitals in %.0f s\n", N, a / n * N }'
