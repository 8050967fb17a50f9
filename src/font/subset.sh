#!/bin/sh
# Regenerates DejaVuSans-subset.ttf, the font the plots are measured (SVG) and drawn
# (PNG) with, so that neither depends on the fonts of the machine that draws them.
# Needs fonttools (`pip install fonttools`) and DejaVu Sans 2.37 (Debian's
# fonts-dejavu-core). The subset keeps printable ASCII and the few symbols the
# plots' labels use (′ ″ ∂ − · ± ∞ ² and Greek letters).
set -eu
cd "$(dirname "$0")"
pyftsubset /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
    --unicodes='U+0020-007E,U+00B1,U+00B2,U+00B7,U+0391-03C9,U+2032,U+2033,U+2202,U+2212,U+221E' \
    --no-hinting --layout-features='' --name-IDs='*' --name-legacy \
    --output-file=DejaVuSans-subset.ttf
