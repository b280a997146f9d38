#!/usr/bin/env bash
# Installs what CareDocs needs on Debian 12 (idempotent, quick when all is there):
# system libraries and tools from apt, then the CJK fonts built from fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  pkg-config libcairo2-dev libharfbuzz-dev libfribidi-dev libfreetype-dev libicu-dev zlib1g-dev libdeflate-dev
  fonts-noto-cjk python3-fonttools poppler-utils qpdf
  libsqlite3-dev postgresql
  chromium chromium-driver wrk curl
  translate-toolkit
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The CJK faces, desubroutinized for Cairo 1.16 (see docs/ARCHITECTURE.md). Debian's python3
# has python3-fonttools; fall back to whatever python3 has fontTools.
PY=/usr/bin/python3
if ! "$PY" -c "import fontTools" 2>/dev/null; then PY=python3; fi
if ! "$PY" -c "import fontTools" 2>/dev/null; then pip install --quiet fonttools; fi
"$PY" scripts/build-cjk-fonts.py Fonts/generated

# The browser tests drive Debian's chromium with PyPI's selenium, check the served OpenAPI
# document with openapi-spec-validator, and fuzz the API with schemathesis (all pinned).
if ! python3 -c "import selenium, sys, openapi_spec_validator, schemathesis; sys.exit(0 if (selenium.__version__, schemathesis.__version__) == ('4.51.0', '4.32.5') else 1)" 2>/dev/null; then
  python3 -m pip install --quiet "selenium==4.51.0" "openapi-spec-validator==0.7.1" "schemathesis==4.32.5"
fi

# The browser walk checks every page with axe-core's WCAG 2.1 A/AA rules (issue 12) through
# PyPI's axe-selenium-python, which ships axe-core itself (pinned).
if ! python3 -c "import axe_selenium_python, sys; from importlib.metadata import version; sys.exit(0 if version('axe-selenium-python') == '2.1.6' else 1)" 2>/dev/null; then
  python3 -m pip install --quiet "axe-selenium-python==2.1.6"
fi

# The PDF/UA-1 checks (issue 14) run PyPI's pdfua, a pikepdf-based checker of the
# machine-checkable subset of PDF/UA-1 (pinned; it pulls pikepdf in).
if ! python3 -c "import pdfua, sys; sys.exit(0 if pdfua.__version__ == '0.1.3' else 1)" 2>/dev/null; then
  python3 -m pip install --quiet "pdfua==0.1.3"
fi
