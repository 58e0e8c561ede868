#!/usr/bin/env bash
# Sourced by scripts/test.sh: a throwaway PostgreSQL cluster on loopback for the store tests.
# Installs Debian's postgresql when it is missing, runs initdb in a temporary folder (as the postgres user when we
# are root: the server refuses to run as root), listens on 127.0.0.1 only, and exports
# TRUNKLINE_TEST_PG_URL / _USER / _PASSWORD. pg_test_cluster_stop (set as an EXIT trap by the caller) removes it.

pg_test_cluster_start() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "test.sh: installing postgresql"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  PG_TEST_DIR="$(mktemp -d -t trunkline-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    chown postgres "$PG_TEST_DIR"
    as=(runuser -u postgres --)
  fi
  local password port
  password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s\n' "$password" > "$PG_TEST_DIR/pw"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR/pw"
  port=55432
  while (: < "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U trunkline --pwfile="$PG_TEST_DIR/pw" -A scram-sha-256 -E UTF8 >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEST_DIR/initdb.log"; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c max_connections=200 -c fsync=on" start >/dev/null \
    || { cat "$PG_TEST_DIR/server.log"; return 1; }
  PG_TEST_BIN="$bin"
  PGPASSWORD="$password" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U trunkline -d postgres -c "CREATE DATABASE trunkline_test" >/dev/null
  export TRUNKLINE_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$port/trunkline_test"
  export TRUNKLINE_TEST_PG_USER=trunkline
  export TRUNKLINE_TEST_PG_PASSWORD="$password"
  echo "test.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway, $PG_TEST_DIR)"
}

pg_test_cluster_stop() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  else
    "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TEST_DIR"
}
