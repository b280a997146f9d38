#!/usr/bin/env bash
# The main job: set up, build (release) and render the typesetting specimen.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product caredocs
mkdir -p out
.build/release/caredocs fonts check >/dev/null || { .build/release/caredocs fonts check; exit 1; }
.build/release/caredocs specimen --output out/specimen.pdf
echo "specimen: $(pwd)/out/specimen.pdf"
