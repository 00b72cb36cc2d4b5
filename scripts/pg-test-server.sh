#!/usr/bin/env bash
# A PostgreSQL 15 server for the tests, in a directory of its own:
#   scripts/pg-test-server.sh start DIR   # initdb + pg_ctl start, then prints nothing
#   scripts/pg-test-server.sh stop DIR    # stops it and removes DIR
# It listens on a Unix socket in DIR only (no TCP), trusts local connections
# (nobody else can reach the socket: DIR is private), and has two roles:
# zielwerk_admin (the superuser, which creates and drops the tests'
# databases) and zielwerk_app (what zielwerk connects as: no superuser, so
# row-level security binds it). As root the server runs as the user
# postgres (runuser): PostgreSQL refuses to run as root. ctest runs start as
# the fixture's setup and stop as its cleanup, so the server stops when the
# tests end, whether they pass or not (tests/CMakeLists.txt).
set -euo pipefail
action="${1:?usage: pg-test-server.sh start|stop DIR}"
dir="${2:?usage: pg-test-server.sh start|stop DIR}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$bin/initdb" ]] || { echo "pg-test-server: PostgreSQL is not installed (scripts/packages.sh)" >&2; exit 1; }

as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$action" in
  start)
    stop  # a server a killed run left behind
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U zielwerk_admin --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=60" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    # Root reaches the socket anyway; other test users need the directory.
    if [[ "$(id -u)" -eq 0 ]]; then chmod 711 "$dir"; fi
    "$bin/psql" -X -q -h "$dir" -U zielwerk_admin -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE zielwerk_app LOGIN CREATEROLE" >/dev/null
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: pg-test-server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
