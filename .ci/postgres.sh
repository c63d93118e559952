# Sourced by .ci/run (and usable by hand): a throwaway PostgreSQL on 127.0.0.1:55432 with pgvector in
# template1, so every test database inherits it.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGPORT=${PGPORT:-55432}

start_postgres() {
  PGROOT=$(mktemp -d)
  chmod 755 "$PGROOT"
  chown postgres: "$PGROOT"
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w start -o \
    "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  if [ -f "$("$PGBIN/pg_config" --sharedir)/extension/vector.control" ]; then
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d template1 -qc "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
  fi
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE concord" >/dev/null
  export PGROOT
  export PG_URL="postgres://postgres@127.0.0.1:$PGPORT/concord"
  echo "PostgreSQL running: $PG_URL"
}

stop_postgres() {
  if [ -n "${PGROOT:-}" ] && [ -d "$PGROOT/data" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null || true
    rm -rf "$PGROOT"
  fi
}
