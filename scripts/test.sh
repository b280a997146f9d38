#!/usr/bin/env bash
# The whole test suite: set up, build, run every test (unit, PDF round trips, CJK sweep, the
# deadline queue on SQLite and on a throwaway PostgreSQL cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Formatting: swift format (in the toolchain) with .swift-format; any difference fails the run.
# `scripts/format.sh` rewrites the tree in place.
if ! swift format lint --strict --parallel --recursive Sources Tests Package.swift; then
  echo "test: the code is not formatted (run scripts/format.sh)" >&2
  exit 1
fi

swift build --build-tests

# A throwaway PostgreSQL cluster for the Deadlines tests: data under a mktemp folder, a local
# port from 55432 up, stopped and removed on exit. initdb refuses root, so as root the server
# runs as the `postgres` user (Debian's postgresql package creates it).
if [ -z "${CAREDOCS_TEST_POSTGRES_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PGBIN/initdb" ] || { echo "test: PostgreSQL server binaries not found (apt package postgresql)" >&2; exit 1; }
  PGPORT=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; do PGPORT=$((PGPORT + 1)); done
  PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/caredocs-pg.XXXXXX")
  RUNAS=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PGTMP"
    RUNAS=(runuser -u postgres --)
  fi
  stop_postgres() {
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
  }
  trap stop_postgres EXIT
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U caredocs --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; exit 1; }
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >/dev/null \
    || { cat "$PGTMP/server.log" >&2; exit 1; }
  export CAREDOCS_TEST_POSTGRES_URL="postgres://caredocs@127.0.0.1:$PGPORT/postgres?sslmode=disable"
  echo "test: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PGPORT (throwaway cluster)"
fi

# The connection tests time a live server against its idle and read timeouts (seconds): run
# alone, after the rest, so that 450 tests running beside them on 2 cores cannot stretch those
# seconds (they failed that way, never alone).
if [ $# -eq 0 ]; then
  swift test --skip-build --skip ConnectionTests
  swift test --skip-build --filter ConnectionTests
else
  swift test --skip-build "$@"
fi

# The real-browser walk through the coordinator, mailroom and ED flows against a live server
# (skipped when a test filter is given). Screenshots land in out/browser/screenshots.
# Then schemathesis sends generated requests to every API route of a live server: no 5xx.
if [ $# -eq 0 ]; then
  python3 Tests/browser/flows.py "$(swift build --show-bin-path)/caredocs" out/browser
  Tests/fuzz/api-fuzz.sh "$(swift build --show-bin-path)/caredocs"
fi
