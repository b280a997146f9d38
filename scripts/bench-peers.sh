#!/usr/bin/env bash
# CareDocs beside Typst on the letter the mailroom sends: the enrollment letter with its
# 19-language tagline page, JSON in → PDF bytes out, warm, in en es ar km zh, on this machine in
# one run (Typst 0.15.1 renders the same letter and taglines: ../shared/bench/peers,
# `--peers typst-taglines`). Then one cold `caredocs render` beside Typst's cold compile.
#   scripts/bench-peers.sh            # N=50 Typst letters per language, 100 CareDocs renders per case
#   N=100 scripts/bench-peers.sh
# Prints a Markdown table: median ms of each, CareDocs ÷ Typst (the target is ≤ 0.25).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
PEERS_DIR=${PEERS_DIR:-../shared/bench/peers}
export PEERS_WORK=${PEERS_WORK:-${TMPDIR:-/tmp}/caredocs-bench-peers}
[ -x "$PEERS_DIR/run.sh" ] || { echo "bench-peers: $PEERS_DIR/run.sh not found (set PEERS_DIR)" >&2; exit 1; }
swift build -c release --product caredocs >&2
BIN=.build/release/caredocs
work=$(mktemp -d "${TMPDIR:-/tmp}/caredocs-bench-peers.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$BIN" bench documents --letters-only --iterations 100 >"$work/ours.md"
"$PEERS_DIR/run.sh" --peers typst-taglines --langs en,es,ar,km,zh --n "$N" >"$work/peers.log" 2>&1 \
  || { cat "$work/peers.log" >&2; exit 1; }

# Cold: a new process rendering one letter (median of 5 wall times).
record=Tests/CaresDocumentsTests/Records/shared-examples/rivera-enrollment.json
cold=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  "$BIN" render enrollment-letter "$record" -o "$work/cold.pdf" --date 2026-11-23 >/dev/null
  cold+=($(( ($(date +%s%N) - t0) / 1000000 )))
done
cold_ms=$(printf '%s\n' "${cold[@]}" | sort -n | sed -n 3p)

python3 - "$work/ours.md" "$PEERS_WORK/out/results.tsv" "$cold_ms" <<'PY'
import csv, sys
ours = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 4 and cells[0].startswith("enrollment letter "):
        ours[cells[0].split()[-1]] = float(cells[2])
typst, typst_cold = {}, []
for row in csv.DictReader(open(sys.argv[2]), delimiter="\t"):
    if row["peer"] == "typst-taglines" and row["status"] == "ok":
        typst[row["lang"]] = float(row["warm_median_ms"])
        typst_cold.append(float(row["cold_wall_s"]) * 1000)
print("| letter + tagline page, JSON → PDF | CareDocs ms | Typst ms | CareDocs ÷ Typst | target ≤ 0.25 |")
print("|---|---|---|---|---|")
for lang, ours_lang in [("en", "en"), ("es", "es"), ("ar", "ar"), ("km", "km"), ("zh", "zh-Hant")]:
    if lang in typst and ours_lang in ours:
        ratio = ours[ours_lang] / typst[lang]
        name = lang if lang == ours_lang else f"{lang} (CareDocs {ours_lang})"
        print(f"| {name} | {ours[ours_lang]:.2f} | {typst[lang]:.1f} | {ratio:.2f} | {'met' if ratio <= 0.25 else 'not met'} |")
if typst_cold:
    typst_cold.sort()
    print()
    print("| cold start, one letter (new process) | CareDocs ms | Typst ms (median over languages) |")
    print("|---|---|---|")
    print(f"| `caredocs render` / Typst cold compile | {sys.argv[3]} | {typst_cold[len(typst_cold) // 2]:.0f} |")
PY
