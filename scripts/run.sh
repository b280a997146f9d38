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
