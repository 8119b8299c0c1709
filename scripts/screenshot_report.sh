#!/usr/bin/env bash
# Renders report.html of a run in headless Chromium and saves a PNG screenshot,
# to check by eye what a CX leader sees. Installs Chromium from the
# distribution's packages if it is missing (needs root and the package
# registry; not part of CI).
#
#   scripts/screenshot_report.sh [OUTPUT_DIR] [PNG]
#   default: output/hybrid-metro-tier2  →  output/hybrid-metro-tier2/report.png
set -euo pipefail
out="${1:-output/hybrid-metro-tier2}"
png="${2:-$out/report.png}"
if [ ! -f "$out/report.html" ]; then
  echo "no $out/report.html: run e.g. cargo run --release -- run scenarios/hybrid_metro_tier2.toml first" >&2
  exit 2
fi
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# The flags keep Chromium off the network (the report has no external references).
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1280,4800 \
  --screenshot="$png" "file://$(realpath "$out/report.html")" 2>/dev/null
echo "wrote $png"
