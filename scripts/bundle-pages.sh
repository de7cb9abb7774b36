#!/bin/sh
# Page images of one bundle for a person to look at: out/pages/<slug>/page-NN.png (ignored by git).
#   scripts/bundle-pages.sh [SLUG] [DPI]      default: songyue-jishi, 60 dpi
set -eu
slug="${1:-songyue-jishi}"
dpi="${2:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v pdftoppm >/dev/null || { echo "需要 pdftoppm：sudo apt-get install poppler-utils" >&2; exit 2; }
beian="$root/.venv/bin/beian"; [ -x "$beian" ] || beian=beian
"$beian" bundle "$slug" --out "$root/out/bundles"
mkdir -p "$root/out/pages/$slug"
rm -f "$root/out/pages/$slug"/page-*.png
pdftoppm -r "$dpi" -png "$root/out/bundles/$slug.pdf" "$root/out/pages/$slug/page"
echo "$(ls "$root/out/pages/$slug" | wc -l) 页图片：$root/out/pages/$slug/"
