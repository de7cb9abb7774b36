"""A value is blank when nothing visible is left once spaces (U+3000 too) and invisible characters
go; the quick answer from its first character must agree with the full one for every mix."""
from __future__ import annotations

import itertools

from generator.escaping import is_blank, without_invisible

CHARACTERS = " \u3000\t\n\r\u200b\ufeff\u00ad\u200e\u180ea中\x00\x1c\x85\u2028"


def test_quick_answer_agrees_with_stripping_every_short_mix():
    for size in range(4):
        for letters in itertools.product(CHARACTERS, repeat=size):
            value = "".join(letters)
            assert is_blank(value) == (not without_invisible(value)), repr(value)


def test_none_and_non_text():
    assert is_blank(None)
    assert not is_blank(0)
    assert is_blank("\u3000\u200b ")
    assert not is_blank("\u200b备案")
