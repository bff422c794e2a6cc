#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests.
#   scripts/pg-throwaway.sh start   initdb in a temp dir, start on a free 127.0.0.1 port,
#                                   create databases tyopari_test and tyopari_e2e
#   scripts/pg-throwaway.sh url     print the base URL (no database name), e.g.
#                                   postgresql+psycopg://postgres@127.0.0.1:PORT/
#   scripts/pg-throwaway.sh stop    stop the server, remove the temp dir and state file
#   scripts/pg-throwaway.sh server-stop    stop the server only (pg_ctl -m fast), keep the data
#   scripts/pg-throwaway.sh server-start   start it again on the same port (the fault test)
# State (DIR and PORT) is kept in .pg-throwaway at the repo root (gitignored), or in the file
# PG_STATE names: a second cluster beside the first (the fault test stops its own server).
# As root the server runs as user postgres (initdb refuses root); otherwise as the caller.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${PG_STATE:-$ROOT/.pg-throwaway}"
DATABASES=(tyopari_test tyopari_e2e)

find_pg_bin() {
    if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
    d="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
    [ -x "$d/initdb" ] && { echo "$d"; return; }
    echo "pg-throwaway: cannot find PostgreSQL binaries (set PG_BIN)" >&2
    exit 1
}
PG_BIN="$(find_pg_bin)"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

read_state() {
    [ -f "$STATE" ] || { echo "pg-throwaway: not running (no $STATE)" >&2; return 1; }
    # shellcheck disable=SC1090
    . "$STATE"
    [ -n "${PG_DIR:-}" ] && [ -n "${PG_PORT:-}" ] || { echo "pg-throwaway: bad state file $STATE" >&2; return 1; }
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

server_start() {
    as_pg "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/log" -w -t 60 \
        -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
}

cmd_start() {
    if [ -f "$STATE" ]; then
        echo "pg-throwaway: state file $STATE exists; run '$0 stop' first" >&2
        exit 1
    fi
    local dir port
    dir="$(mktemp -d "${TMPDIR:-/tmp}/tyopari-pg.XXXXXX")"
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    # Record state at once so that 'stop' can clean up after a failed start.
    port="$(free_port)"
    printf 'PG_DIR=%q\nPG_PORT=%q\n' "$dir" "$port" > "$STATE"

    as_pg "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        echo "pg-throwaway: initdb failed:" >&2; cat "$dir/initdb.log" >&2; cmd_stop; exit 1; }
    server_start "$dir" "$port" || {
        echo "pg-throwaway: server failed to start:" >&2; cat "$dir/log" >&2 || true; cmd_stop; exit 1; }
    local db
    for db in "${DATABASES[@]}"; do
        as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
    done
    echo "pg-throwaway: started on 127.0.0.1:$port (dir $dir), databases: ${DATABASES[*]}" >&2
}

cmd_url() {
    read_state
    echo "postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/"
}

cmd_stop() {
    read_state || return 0
    if [ -d "$PG_DIR/data" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    case "$PG_DIR" in
        */tyopari-pg.*) rm -rf "$PG_DIR" ;;
        *) echo "pg-throwaway: not removing unexpected dir $PG_DIR" >&2 ;;
    esac
    rm -f "$STATE"
    echo "pg-throwaway: stopped" >&2
}

cmd_server_stop() {
    read_state
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null
}

cmd_server_start() {
    read_state
    server_start "$PG_DIR" "$PG_PORT"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    server-stop) cmd_server_stop ;;
    server-start) cmd_server_start ;;
    *) echo "usage: $0 start|stop|url|server-stop|server-start" >&2; exit 2 ;;
esac
