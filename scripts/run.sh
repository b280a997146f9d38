#!/usr/bin/env bash
# The main job on the embedded default (SQLite): set up, build (release), import the example
# care records into the deadline queue (out/caredocs.sqlite), list what is due, render each
# record's documents in the family's language and in English, and the typesetting specimen.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product caredocs
mkdir -p out
C=.build/release/caredocs
$C fonts check >/dev/null || { $C fonts check; exit 1; }
$C locales check
DB=out/caredocs.sqlite
RECORDS=(Tests/CaresDocumentsTests/Records/shared-examples/*.json)
$C queue import --database "$DB" "${RECORDS[@]}"
$C queue list --database "$DB"
for r in "${RECORDS[@]}"; do
  name=$(basename "$r" .json)
  for kind in enrollment-letter termination-letter care-plan emergency-plan aftercare-plan ccm-notice; do
    # A kind the record has no content for is refused with the missing elements: shown, not fatal.
    if $C render "$kind" "$r" --bilingual --output "out/$name-$kind.pdf" >/dev/null 2>"out/$name-$kind.refused.txt"; then
      rm -f "out/$name-$kind.refused.txt"
      echo "rendered: out/$name-$kind.*.pdf"
    else
      echo "refused:  $name $kind ($(wc -l < "out/$name-$kind.refused.txt") missing elements, see out/$name-$kind.refused.txt)"
    fi
  done
done
$C specimen --output out/specimen.pdf >/dev/null
echo "specimen: $(pwd)/out/specimen.pdf"

# The service on the same database: start it, check it is ready, render a letter over HTTP with
# an API token, stop it (SIGTERM, graceful). `caredocs serve --database out/caredocs.sqlite`
# keeps it running; add people with `caredocs users add NAME --role coordinator|mailroom|ed|admin`.
TOKEN_NAME="run-sh-$(date +%s)"
TOKEN=$($C users token "$TOKEN_NAME" --role coordinator --database "$DB")
PORT=8080
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
$C serve --port "$PORT" --database "$DB" --data-dir out/data --log-level warning &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
curl -sf -H "Authorization: Bearer $TOKEN" -o out/http-enrollment-letter.pdf \
  "http://127.0.0.1:$PORT/v1/records/CR-2026-000117/documents/enrollment-letter" \
  && echo "service: rendered out/http-enrollment-letter.pdf over HTTP on port $PORT"
kill -TERM "$SERVER"; wait "$SERVER"
$C users revoke "$TOKEN_NAME" --database "$DB" >/dev/null
