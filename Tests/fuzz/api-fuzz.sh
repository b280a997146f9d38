#!/usr/bin/env bash
# Schemathesis (PyPI) against a live `caredocs serve`, from the served /openapi.yaml: generated
# requests to every API route (batches excluded: each would start a batch process) as an admin
# token; the check is that the server never answers 5xx to any of them. Fixed seed: repeatable.
#   Tests/fuzz/api-fuzz.sh CAREDOCS_BINARY [MAX_EXAMPLES]
set -euo pipefail
BIN=$1
MAX=${2:-25}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/caredocs-fuzz.XXXXXX")
DB=$WORK/caredocs.sqlite
"$BIN" queue import --database "$DB" "$ROOT"/Tests/CaresDocumentsTests/Records/shared-examples/*.json >/dev/null
TOKEN=$("$BIN" users token fuzz --role admin --database "$DB")
PORT=18600
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
"$BIN" serve --port "$PORT" --database "$DB" --data-dir "$WORK/data" --workers 2 --log-level warning 2>"$WORK/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
python3 -m schemathesis.cli run "http://127.0.0.1:$PORT/openapi.yaml" --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" --checks not_a_server_error --max-examples "$MAX" --seed 20261123 \
  --exclude-path-regex batches --no-color 2>&1 | sed -n '/SUMMARY/,$p'
kill -0 $SERVER  # the server is still up
