#!/bin/bash
# fleet_ingest.sh — `edgemap fleet ingest` on 30 generated hospitals: a failing folder
# recorded while the batch goes on, re-ingest of unchanged folders changes nothing, a
# changed folder replaces its hospital, SIGKILL at random moments leaves every hospital
# fully in or fully out (SQLite and PostgreSQL), and two ingests at once against one
# PostgreSQL server lose and duplicate nothing. The PostgreSQL server is started once,
# in a temporary directory, on its own port, and stopped by its PID.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
EDGEMAP=${EDGEMAP:-$ROOT/$BUILD/edgemap}
GEN=$ROOT/$BUILD/tests/tools/fleet_gen
. "$ROOT/tests/integration/fleet_pg.bash"
T=$(mktemp -d /tmp/fleet_ingest.XXXXXX)
trap 'pg_stop; rm -rf "$T"' EXIT
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }

[ -x "$GEN" ] || { echo "not ok - generator: $GEN missing (make tests)"; exit 1; }
"$GEN" "$T/h" 30 7 || { echo "not ok - generator failed"; exit 1; }
mkdir -p "$T/h/broken" && printf 'not a workbook' > "$T/h/broken/survey.xlsx"
FOLDERS=$(ls -d "$T"/h/*/)

# every submission's counts equal the rows stored for it, and no row lacks its submission
consistency_sql="SELECT
 (SELECT COUNT(*) FROM submissions s WHERE
    n_lines <> (SELECT COUNT(*) FROM lines x WHERE x.round = s.round AND x.hospital_id = s.hospital_id)
 OR n_paths <> (SELECT COUNT(*) FROM paths x WHERE x.round = s.round AND x.hospital_id = s.hospital_id)
 OR n_devices <> (SELECT COUNT(*) FROM devices x WHERE x.round = s.round AND x.hospital_id = s.hospital_id)
 OR n_findings <> (SELECT COUNT(*) FROM findings x WHERE x.round = s.round AND x.hospital_id = s.hospital_id)
 OR (SELECT COUNT(*) FROM source_files x WHERE x.round = s.round AND x.hospital_id = s.hospital_id) = 0)
 + (SELECT COUNT(*) FROM paths x WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.round = x.round AND s.hospital_id = x.hospital_id))
 + (SELECT COUNT(*) FROM devices x WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.round = x.round AND s.hospital_id = x.hospital_id))
 + (SELECT COUNT(*) FROM findings x WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.round = x.round AND s.hospital_id = x.hospital_id))"
# what must be equal between two stores holding the same survey
dump_sql="SELECT hospital_id || '|' || content_hash || '|' || n_lines || '|' || n_paths || '|' || n_devices || '|' || n_findings FROM submissions ORDER BY hospital_id"
dump_paths_sql="SELECT hospital_id || '|' || path_idx || '|' || comm_type || '|' || remote_party || '|' || company || '|' || COALESCE(dev2_idx, -1) FROM paths ORDER BY hospital_id, path_idx"
sq() { sqlite3 "$1" "$2"; }

# 1. a full ingest: 30 in, the broken folder recorded, exit 1 (a folder failed)
"$EDGEMAP" fleet ingest --db "$T/ref.db" --round 2026 --jobs 2 $FOLDERS >"$T/out" 2>"$T/err"
rc=$?
n=$(sq "$T/ref.db" "SELECT COUNT(*) FROM submissions")
f=$(sq "$T/ref.db" "SELECT folder || ': ' || message FROM failures")
if [ "$rc" = 1 ] && [ "$n" = 30 ] && grep -q 'broken' <<<"$f" && grep -q 'ZIP' <<<"$f" \
   && grep -q '取り込み 30、変更なし 0、失敗 1' "$T/err"; then ok "ingest: 30 hospitals in, the broken workbook recorded with its error, batch went on"
else nok "ingest" "rc=$rc n=$n failures=[$f] $(cat "$T/err")"; fi
c=$(sq "$T/ref.db" "$consistency_sql")
[ "$c" = 0 ] && ok "ingest: every hospital's counts match its rows" || nok "ingest consistency" "$c bad"
e=$(sq "$T/ref.db" "SELECT COUNT(*) FROM ingest_errors e JOIN ingest_runs r ON r.id = e.run_id WHERE r.status = 'done' AND e.folder = 'broken'")
[ "$e" = 1 ] && ok "ingest: the run and its error recorded" || nok "ingest_runs/ingest_errors" "$e"

# two hospitals whose folders share a name (pref-a/h00001, pref-b/h00001) are both kept
mkdir -p "$T/pa" "$T/pb" && cp -r "$T/h/h00001" "$T/pa/" && cp -r "$T/h/h00002" "$T/pb/h00001"
"$EDGEMAP" fleet ingest --db "$T/same.db" --round 2026 --jobs 2 "$T/pa/h00001" "$T/pb/h00001" >/dev/null 2>&1
"$EDGEMAP" fleet ingest --db "$T/same.db" --round 2026 --jobs 1 "$T/pb/h00001" >/dev/null 2>&1
n=$(sq "$T/same.db" "SELECT COUNT(*) FROM submissions")
[ "$n" = 2 ] && ok "ingest: two hospitals in folders of the same name are both kept" || nok "same folder name" "n=$n"

# 2. unchanged folders: nothing changes (same dump, same ingest times)
before=$(sq "$T/ref.db" "SELECT hospital_id || ingested_at FROM submissions ORDER BY 1" | md5sum)
sleep 1.1
"$EDGEMAP" fleet ingest --db "$T/ref.db" --round 2026 --jobs 2 $FOLDERS >/dev/null 2>"$T/err"
after=$(sq "$T/ref.db" "SELECT hospital_id || ingested_at FROM submissions ORDER BY 1" | md5sum)
if [ "$before" = "$after" ] && grep -q '取り込み 0、変更なし 30、失敗 1' "$T/err"; then ok "re-ingest: unchanged folders change nothing"
else nok "re-ingest unchanged" "$(cat "$T/err")"; fi

# 3. a changed folder replaces that hospital's round, and nothing else: a CSV hospital
#    (its id from hospital-id.txt) updates a firmware; an xlsx hospital's folder now holds
#    a hospital of another name (its 医療機関名 corrected): the old one goes
cp -r "$T/h" "$T/h2"
"$EDGEMAP" fleet ingest --db "$T/ref2.db" --round 2026 --jobs 2 $(ls -d "$T"/h2/*/) >/dev/null 2>&1
csvh=$(dirname "$(ls "$T"/h2/*/hospital-id.txt | head -n 1)")
iconv -f CP932 -t UTF-8 "$csvh/survey.csv" | sed 's/Rev\.15\.02\.09/Rev.15.02.30/g; s/FortiOS 7\.0\.12/FortiOS 7.4.4/g; s/10\.7\.16/10.7.21/g' \
    | iconv -f UTF-8 -t CP932 >"$T/x.csv" && mv "$T/x.csv" "$csvh/survey.csv"
xl=$(ls -d "$T"/h2/h0*/ | while read -r d; do [ -f "$d/survey.xlsx" ] && { echo "${d%/}"; break; }; done)
old_id=$(sq "$T/ref2.db" "SELECT hospital_id FROM submissions WHERE folder = '$(basename "$xl")'")
"$GEN" "$T/g" 1 99 >/dev/null && rm -f "$xl"/* && cp "$T"/g/h00001/* "$xl"/
"$EDGEMAP" fleet ingest --db "$T/ref2.db" --round 2026 --jobs 2 $(ls -d "$T"/h2/*/) >/dev/null 2>"$T/err"
n=$(sq "$T/ref2.db" "SELECT COUNT(*) FROM submissions")
gone=$(sq "$T/ref2.db" "SELECT COUNT(*) FROM submissions WHERE hospital_id = '$old_id'")
c=$(sq "$T/ref2.db" "$consistency_sql")
if grep -q '取り込み 2、変更なし 28' "$T/err" && [ "$n" = 30 ] && [ "$gone" = 0 ] && [ "$c" = 0 ]; then
    ok "re-ingest: changed folders replace their hospital (also when its name changed), nothing else"
else nok "changed folder" "n=$n gone=$gone c=$c $(cat "$T/err")"; fi

# 4. SIGKILL at random moments (SQLite): consistent after each kill, complete after a rerun
bad=0 partial=0
for i in 1 2 3 4 5 6; do
    rm -f "$T/k.db" "$T/k.db-wal" "$T/k.db-shm"
    for k in 1 2 3; do
        "$EDGEMAP" fleet ingest --db "$T/k.db" --round 2026 --jobs 2 $FOLDERS >/dev/null 2>&1 &
        pid=$!
        sleep "0.$(printf '%02d' $(( (RANDOM % 30) + 1 )))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        [ -f "$T/k.db" ] || continue
        # killed before the schema's transaction committed: an empty store, consistent
        [ -z "$(sq "$T/k.db" "SELECT name FROM sqlite_master WHERE name = 'submissions'")" ] && continue
        c=$(sq "$T/k.db" "$consistency_sql" 2>&1)
        [ "$c" = 0 ] || { bad=$((bad + 1)); echo "after kill $i.$k: $c"; }
        n=$(sq "$T/k.db" "SELECT COUNT(*) FROM submissions" 2>/dev/null)
        [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 30 ] && partial=$((partial + 1))
    done
    "$EDGEMAP" fleet ingest --db "$T/k.db" --round 2026 --jobs 2 $FOLDERS >/dev/null 2>&1
    if [ "$(sq "$T/k.db" "$dump_sql")" != "$(sq "$T/ref.db" "$dump_sql")" ]; then bad=$((bad + 1)); echo "rerun $i differs"; fi
done
[ "$bad" = 0 ] && ok "SIGKILL (SQLite, 18 random kills, $partial mid-batch): every hospital fully in or out; a rerun completes the store" \
    || nok "SIGKILL SQLite" "$bad inconsistent"

# 5. PostgreSQL: the same ingest, kills, and two ingests at once
if ! pg_start "$T/pg"; then
    echo "skip - PostgreSQL: $PG_WHY"
    exit 0
fi
"$EDGEMAP" fleet ingest --db "$PG_URL" --round 2026 --jobs 2 $FOLDERS >/dev/null 2>&1
if [ "$(pg_sql "$dump_sql")" = "$(sq "$T/ref.db" "$dump_sql")" ] && [ "$(pg_sql "$dump_paths_sql")" = "$(sq "$T/ref.db" "$dump_paths_sql")" ]; then
    ok "PostgreSQL: the same schema and rows as SQLite"
else nok "PostgreSQL ingest" "dump differs from SQLite"; fi
# the same SQL answers the same on both: report, advisories (twice), diff
cp "$T/ref.db" "$T/ref3.db"
for db in "$T/ref3.db" "$PG_URL"; do
    k=$([ "$db" = "$PG_URL" ] && echo pg || echo sq)
    "$EDGEMAP" fleet report --db "$db" --round 2026 -o "$T/r.$k.json" 2>>"$T/x.err"
    "$EDGEMAP" fleet advisories --db "$db" -o "$T/a1.$k.csv" 2>>"$T/x.err"
    "$EDGEMAP" fleet advisories --db "$db" -o "$T/a2.$k.csv" 2>>"$T/x.err"
    "$EDGEMAP" fleet advisories --db "$db" --round 2026 -o "$T/a3.$k.csv" 2>>"$T/x.err"
done
if cmp -s "$T/r.sq.json" "$T/r.pg.json" && cmp -s "$T/a1.sq.csv" "$T/a1.pg.csv" && cmp -s "$T/a2.sq.csv" "$T/a2.pg.csv" \
   && cmp -s "$T/a3.sq.csv" "$T/a3.pg.csv" && [ "$(wc -l <"$T/a1.pg.csv")" -gt 10 ] && [ "$(wc -l <"$T/a2.pg.csv")" = 1 ]; then
    ok "PostgreSQL: report and advisories identical to SQLite's"
else nok "PostgreSQL report/advisories" "outputs differ: $(cat "$T/x.err" | tail -n 3)"; fi

bad=0
for db in k1 k2 k3; do
    pg_sql "CREATE DATABASE $db" >/dev/null
    url="postgresql://survey@127.0.0.1:$PG_PORT/$db"
    for k in 1 2; do
        "$EDGEMAP" fleet ingest --db "$url" --round 2026 --jobs 2 $FOLDERS >/dev/null 2>&1 &
        pid=$!
        sleep "0.$(printf '%02d' $(( (RANDOM % 40) + 5 )))"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        c=$(PG_DB=$db pg_sql "$consistency_sql" 2>&1)
        # killed before the schema's transaction committed: an empty store, consistent
        grep -q 'relation "submissions" does not exist' <<<"$c" && c=0
        [ "$c" = 0 ] || { bad=$((bad + 1)); echo "pg kill $db.$k: $c"; }
    done
    "$EDGEMAP" fleet ingest --db "$url" --round 2026 --jobs 2 $FOLDERS >/dev/null 2>&1
    [ "$(PG_DB=$db pg_sql "$dump_sql")" = "$(sq "$T/ref.db" "$dump_sql")" ] || { bad=$((bad + 1)); echo "pg rerun $db differs"; }
done
[ "$bad" = 0 ] && ok "SIGKILL (PostgreSQL, 6 random kills): every hospital fully in or out; a rerun completes the store" \
    || nok "SIGKILL PostgreSQL" "$bad inconsistent"

# two ingests at once, the folders in opposite orders, into a fresh database
pg_sql "CREATE DATABASE twin" >/dev/null
url="postgresql://survey@127.0.0.1:$PG_PORT/twin"
"$EDGEMAP" fleet ingest --db "$url" --round 2026 --jobs 2 $FOLDERS >"$T/a.out" 2>"$T/a.err" &
a=$!
"$EDGEMAP" fleet ingest --db "$url" --round 2026 --jobs 2 $(ls -dr "$T"/h/*/) >"$T/b.out" 2>"$T/b.err" &
b=$!
wait "$a"; ra=$?
wait "$b"; rb=$?
ia=$(grep -o '取り込み [0-9]*' "$T/a.err" | grep -o '[0-9]*'); ib=$(grep -o '取り込み [0-9]*' "$T/b.err" | grep -o '[0-9]*')
c=$(PG_DB=twin pg_sql "$consistency_sql")
if [ "$ra" = 1 ] && [ "$rb" = 1 ] && [ "$c" = 0 ] && [ "$((ia + ib))" -ge 30 ] \
   && [ "$(PG_DB=twin pg_sql "$dump_sql")" = "$(sq "$T/ref.db" "$dump_sql")" ] \
   && [ "$(PG_DB=twin pg_sql "$dump_paths_sql")" = "$(sq "$T/ref.db" "$dump_paths_sql")" ] \
   && [ "$(PG_DB=twin pg_sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'done'")" = 2 ]; then
    ok "PostgreSQL: two ingests at once lose and duplicate nothing (ingested $ia + $ib)"
else
    nok "PostgreSQL concurrent" "ra=$ra rb=$rb c=$c ia=$ia ib=$ib $(cat "$T/a.err" "$T/b.err")"
fi
