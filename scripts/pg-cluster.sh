#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-cluster.sh start DIR   -> initdb + start on a free port; prints shell exports
#   scripts/pg-cluster.sh stop DIR    -> stop the server and remove DIR
#
# The cluster has a superuser `postgres` (used only by tests to create/drop databases) and
# a role `wimm` that is NOT a superuser and owns the database `wimm`, as the app must run in
# production (PostgreSQL 15+ lets only the owner create tables in `public`).
# When PostgreSQL is missing and we are root, it is installed from Debian's packages.
set -euo pipefail

cmd=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_postgres() {
  if pg_bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" = 0 ]; then
    echo "[PG] PostgreSQL not found: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  pg_bindir >/dev/null || { echo "[PG] PostgreSQL server binaries missing (apt-get install postgresql)" >&2; exit 1; }
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

case "$cmd" in
  start)
    ensure_postgres
    bin=$(pg_bindir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    # fsync off: a test cluster trades durability for speed; never do this in production.
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2
    as_postgres "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
CREATE ROLE wimm LOGIN PASSWORD 'wimm' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE wimm OWNER wimm;
SQL
    echo "export WIMM_PG_DIR='$dir'"
    echo "export WIMM_PG_PORT='$port'"
    echo "export WIMM_PG_ADMIN_URL='postgresql://postgres@127.0.0.1:$port/postgres'"
    echo "export WIMM_PG_URL='postgresql://wimm:wimm@127.0.0.1:$port/wimm'"
    ;;
  stop)
    bin=$(pg_bindir || true)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
