#!/usr/bin/env bash
# The whole test suite: set up, build, run every test (unit, PDF round trips, CJK sweep).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
