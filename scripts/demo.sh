#!/usr/bin/env bash
# The main job on the embedded default (offline engine, no API key, no server): set up, then
# convert the French sample handout for the easy-to-read profile into out/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/inclusio convert samples/cours-photosynthese-fr.pdf --profile easy-read --out out/demo
.venv/bin/inclusio score samples/cours-photosynthese-fr.pdf
echo "demo: outputs in out/demo/ (EPUB, HTML, MP3 per section and full, report)"
