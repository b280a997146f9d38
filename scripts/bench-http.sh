#!/usr/bin/env bash
# HTTP load run (Debian's wrk) against a local release `caredocs serve` on a fresh SQLite database
# with the example records and RECORDS (default 500) more, each of its own child (`caredocs bench
# records`): letter renders over HTTP, each of a record picked at random, and the ED lookup page.
# Prints wrk's latency distribution and the server's memory (server + render workers) before and
# after.
#   scripts/bench-http.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-30}
CONNECTIONS=${2:-8}
swift build -c release --product caredocs >/dev/null
BIN=$(swift build -c release --show-bin-path)/caredocs
WORK=$(mktemp -d "${TMPDIR:-/tmp}/caredocs-bench-http.XXXXXX")
DB=$WORK/caredocs.sqlite
RECORDS=${RECORDS:-500}
"$BIN" bench records --count "$RECORDS" --output "$WORK/records" >/dev/null
"$BIN" queue import --database "$DB" Tests/CaresDocumentsTests/Records/shared-examples/*.json "$WORK"/records/*.json >/dev/null
TOKEN=$("$BIN" users token bench-coordinator --role coordinator --database "$DB")
ED_TOKEN=$("$BIN" users token bench-ed --role ed --database "$DB")
PORT=18080
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
"$BIN" serve --port "$PORT" --database "$DB" --data-dir "$WORK/data" --workers "${WORKERS:-2}" --log-level warning 2>"$WORK/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done

rss() {  # server + workers, MiB
  local pids
  pids=$( (echo "$SERVER"; pgrep -P "$SERVER") | paste -sd, -)
  ps -o rss= -p "$pids" | awk '{s+=$1} END {printf "%.0f MiB (%d processes)", s/1024, NR}'
}
URL="http://127.0.0.1:$PORT/v1/records/CR-2026-000117/documents/enrollment-letter"
curl -sf -H "Authorization: Bearer $TOKEN" "$URL" -o "$WORK/check.pdf"
echo "memory at start: $(rss)"
echo "== enrollment letter over HTTP (one of $RECORDS children at random, distinct letter dates: every request renders), ${SECONDS_PER_RUN}s, $CONNECTIONS connections"
cat > "$WORK/dates.lua" <<LUA
-- every request the letter of a child picked at random, with a letter date not asked for before
-- (from 1990 on), so none is in the render cache and the paragraphs naming the child, the
-- guardian and the care manager are set anew, as in a mailroom's day
counter = 0
request = function()
  counter = counter + 1
  local day = os.date("!%Y-%m-%d", 631152000 + math.random(0, 2900000) * 86400)
  local record = string.format("CR-2026-%06d", 100000 + math.random(0, $RECORDS - 1))
  return wrk.format("GET", "/v1/records/" .. record .. "/documents/enrollment-letter?date=" .. day)
end
LUA
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $TOKEN" -s "$WORK/dates.lua" "$URL" | sed -n '/Latency Distribution/,$p'
echo "memory after: $(rss)"
echo "== the same letter again and again (render cache: record version, kind, language, date), ${SECONDS_PER_RUN}s, $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $TOKEN" "$URL" | sed -n '/Latency Distribution/,$p'
echo "memory after: $(rss)"
# An emergency plan opens only after a search matched it (minimum necessary): search first.
MEMBER_ID=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['member']['id'])" Tests/CaresDocumentsTests/Records/shared-examples/rivera-enrollment.json)
curl -sf -o /dev/null -H "Authorization: Bearer $ED_TOKEN" -X POST --data "memberId=$MEMBER_ID" "http://127.0.0.1:$PORT/ed" || true
ED_URL="http://127.0.0.1:$PORT/ed/members/CR-2026-000117"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ED_TOKEN" "$ED_URL")" = 200 ] \
  || { echo "bench-http: the ED page does not answer 200 after a search" >&2; exit 1; }
echo "== ED lookup page (/ed/members/ID), ${SECONDS_PER_RUN}s, $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $ED_TOKEN" "$ED_URL" | sed -n '/Latency Distribution/,$p'
echo "memory after: $(rss)"
echo "== ED lookup page (2 connections) while new letters load the server ($CONNECTIONS connections), ${SECONDS_PER_RUN}s"
wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -H "Authorization: Bearer $TOKEN" -s "$WORK/dates.lua" "$URL" >"$WORK/under-load-letters.txt" &
LOAD=$!
wrk -t1 -c2 -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $ED_TOKEN" "$ED_URL" | sed -n '/Latency Distribution/,$p'
wait $LOAD
echo "  letters meanwhile: $(grep -h 'Requests/sec' "$WORK/under-load-letters.txt")"
echo "memory at end: $(rss)"
if [ -n "${LONG_SECONDS:-}" ]; then
  echo "== long run: the ED page and the same letter, ${LONG_SECONDS}s, memory every 30 s"
  wrk -t1 -c4 -d"${LONG_SECONDS}s" -H "Authorization: Bearer $ED_TOKEN" "$ED_URL" > "$WORK/long-ed.txt" &
  wrk -t1 -c4 -d"${LONG_SECONDS}s" -H "Authorization: Bearer $TOKEN" "$URL" > "$WORK/long-letter.txt" &
  for _ in $(seq $((LONG_SECONDS / 30))); do sleep 30; echo "  memory: $(rss)"; done
  wait %2 %3 2>/dev/null || wait
  grep -h "requests in\|Non-2xx" "$WORK/long-ed.txt" "$WORK/long-letter.txt"
  echo "memory after the long run: $(rss)"
fi
