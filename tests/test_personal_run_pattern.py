"""The digit-run pattern of personal.py finds exactly the runs of its plainer form, a look-behind
before the first digit, on texts mixing digits of both widths, letters, separators and line breaks."""
from __future__ import annotations

import random
import re

from generator import personal

PLAIN = re.compile(rf"(?<![0-9０-９A-Za-z]){personal._DIGIT}(?:{personal._GAP}?{personal._DIGIT})*"
                   rf"(?:{personal._GAP}?[XxＸｘ])?(?![0-9０-９A-Za-z])")
PIECES = ["1", "3", "8", "0", "１", "３", "X", "x", "Ｘ", "a", "Z", "中", " ", "-", "\u3000", "\u200b",
          "\n", "\r\n", "  ", "：", "138", "0013", "4101", "."]


def test_same_runs_as_the_plain_pattern():
    rng = random.Random(20261123)
    for _ in range(20000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in personal._RUN.finditer(text)] == [m.span() for m in PLAIN.finditer(text)], repr(text)


def test_numbers_at_the_start_middle_and_end_of_a_text():
    for text in ("13812345678", "电话13812345678。", "a13812345678", "410101199001011234\n", "x１３８１２３４５６７８"):
        assert [m.span() for m in personal._RUN.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]
