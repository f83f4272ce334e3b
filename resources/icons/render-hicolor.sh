#!/usr/bin/env bash
# Renders the launcher icon's PNG sizes (hicolor/<N>x<N>/apps/torchlab.png) from
# torchlab.svg. The PNGs are committed: a build needs no SVG renderer, and the
# package holds the same bytes on every machine. Run again after editing the SVG.
#
#   resources/icons/render-hicolor.sh     (needs rsvg-convert: librsvg2-bin)
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256 512; do
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" torchlab.svg -o "hicolor/${size}x${size}/apps/torchlab.png"
done
