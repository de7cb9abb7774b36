#!/usr/bin/env python3
"""Make generator/bundle/assets/fonts/BeianBoxSymbols.ttf: the check-box glyphs (☐ ☑ ☒) of DejaVu Sans and
nothing else, renamed "Beian Box Symbols" as the Bitstream Vera licence asks of a modified font.

Printed forms and bundles take these glyphs from this file (@font-face), never from the machine's fonts,
so every computer prints the same boxes. The CJK fonts have none of them. Run once when the glyph list
changes; needs fontTools (installed with weasyprint) and DejaVu Sans (Debian: fonts-dejavu-core).

    python scripts/make-box-font.py [/path/to/DejaVuSans.ttf]
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TARGET = Path(__file__).resolve().parent.parent / "generator" / "bundle" / "assets" / "fonts" / "BeianBoxSymbols.ttf"
GLYPHS = " ☐☑☒"
FAMILY, POSTSCRIPT = "Beian Box Symbols", "BeianBoxSymbols"
KEPT_NAMES = (0, 1, 2, 3, 4, 5, 6, 13, 14)  # copyright, names, version, licence and its URL


def main(source: Path) -> None:
    options = subset.Options()
    options.name_IDs = list(KEPT_NAMES)
    options.layout_features = []
    options.hinting = False
    options.drop_tables += ["FFTM"]
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in GLYPHS])
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID in (3, 6):
            record.string = POSTSCRIPT
    font["head"].created = font["head"].modified = 0  # the same bytes on every run
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(TARGET))
    print(f"{TARGET}：{TARGET.stat().st_size} 字节，字形 {GLYPHS.strip()}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
