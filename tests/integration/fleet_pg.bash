# fleet_pg.bash — sourced by the fleet integration tests: a throw-away PostgreSQL
# server in a temporary directory (initdb + pg_ctl as an unprivileged user), on its own
# port on 127.0.0.1 and a Unix socket in that directory, stopped by its PID at exit.
#   pg_start DIR     sets PG_URL (postgresql://...) or returns 1 (PG_WHY says why)
#   pg_stop          stops the server started by pg_start (by PID) and removes nothing
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_PID=""
PG_DIR=""

pg_as() { # run as the server's owner
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

pg_start() {
    PG_DIR=$1
    PG_WHY=""
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then PG_WHY="PostgreSQL server binaries not installed"; return 1; fi
    if [ "$(id -u)" -eq 0 ]; then
        if id postgres >/dev/null 2>&1; then PG_USER=postgres; else PG_USER=nobody; fi
    else
        PG_USER=$(id -un)
    fi
    mkdir -p "$PG_DIR" && chmod 755 "$PG_DIR" && chmod o+x "$(dirname "$PG_DIR")"
    [ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$PG_DIR"
    pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U survey -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { PG_WHY="initdb failed: $(tail -n 3 "$PG_DIR/initdb.log")"; return 1; }
    # a port of our own: derived from the PID, moved on when taken
    local port=$((20000 + ($$ * 7) % 20000)) try
    for try in 1 2 3 4 5 6 7 8; do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        port=$((port + 1))
    done
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=40" start >/dev/null 2>&1 \
        || { PG_WHY="pg_ctl start failed: $(tail -n 3 "$PG_DIR/server.log" 2>/dev/null)"; return 1; }
    PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    PG_PORT=$port
    pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U survey survey >/dev/null 2>&1 \
        || { PG_WHY="createdb failed"; pg_stop; return 1; }
    PG_URL="postgresql://survey@127.0.0.1:$port/survey"
    return 0
}

# psql against the test server, unaligned, no headers
pg_sql() { "$PG_BIN/psql" -X -q -A -t -h 127.0.0.1 -p "$PG_PORT" -U survey -d "${PG_DB:-survey}" -c "$1"; }

pg_stop() {
    [ -n "$PG_PID" ] || return 0
    kill -TERM "$PG_PID" 2>/dev/null
    local i
    for i in $(seq 1 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PG_PID" 2>/dev/null
    PG_PID=""
}
