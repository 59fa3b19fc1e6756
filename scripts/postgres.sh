# Sourced by scripts/test.sh and the benchmarks: a throwaway PostgreSQL on 127.0.0.1, data in a temp dir.
#   postgres_start [port]  starts it and exports MESHDECK_TEST_PG_URL (database "meshdeck")
#   postgres_stop          stops it and removes its data
PG_BIN=/usr/lib/postgresql/15/bin

postgres_start() {
  local port=${1:-25432}
  # Another server on the port (a run not yet stopped): take the next free one.
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  # initdb refuses to run as root; the Debian package's postgres user owns the cluster.
  PG_DIR=$(mktemp -d /tmp/meshdeck-pg.XXXXXX)
  chown postgres "$PG_DIR"
  local as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  "${as_pg[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres meshdeck
  export MESHDECK_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/meshdeck"
  export PG_DIR
}

postgres_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  unset PG_DIR
}
