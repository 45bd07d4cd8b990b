#!/usr/bin/env bash
# Makes docs/transcript.png, the README's picture of a converted transcript:
# builds chatlint, converts a transcript (by default the archive's seed) with
# `chatlint convert --to html` and takes a screenshot of the page with
# headless Chromium (Debian's `chromium`, and the Chinese font
# fonts-wqy-microhei, installed with apt-get when missing).
#
#   docs/screenshot.sh [TRANSCRIPT]        WIDTH=1100 HEIGHT=1400 by default
set -euo pipefail
cd "$(dirname "$0")/.."

source_file=${1:-../shared/corpus/seed/000_f4a706d2fca8dbb9.txt}
width=${WIDTH:-1100}
height=${HEIGHT:-1400}
out=docs/transcript.png

if [ ! -f "$source_file" ]; then
  echo "no transcript at $source_file (the seed is in ../shared/corpus beside the checkout)" >&2
  exit 1
fi

# Chromium, and a font with Chinese glyphs (the archive is Chinese; without
# one every character is drawn as an empty box).
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  $sudo apt-get update
  $sudo apt-get install -y chromium
  browser=$(command -v chromium)
fi
if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  $sudo apt-get install -y fonts-wqy-microhei || {
    $sudo apt-get update
    $sudo apt-get install -y fonts-wqy-microhei
  }
fi

# A debug build is enough for one file (the release profile's fat LTO takes minutes).
cargo build --quiet --bin chatlint
chatlint="${CARGO_TARGET_DIR:-target}/debug/chatlint"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$chatlint" convert --to html "$source_file" -o "$work/transcript.html"

# The light scheme (headless Chromium's default), one CSS pixel per pixel,
# five seconds of virtual time for the page to settle; a hung browser is
# stopped after two minutes.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --no-first-run --hide-scrollbars --force-device-scale-factor=1 \
  --user-data-dir="$work/profile" --virtual-time-budget=5000 \
  --window-size="$width,$height" --screenshot="$work/transcript.png" \
  "file://$work/transcript.html" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2
  exit 1
}
if [ ! -s "$work/transcript.png" ]; then
  cat "$work/chromium.log" >&2
  echo "chromium wrote no screenshot" >&2
  exit 1
fi
mv "$work/transcript.png" "$out"
echo "wrote $out (${width}x${height}) from $source_file"
