"""Filing text made safe for Markdown and HTML, shared by the PR report and the portal.

A filing may contain anything, including `<script>` or Markdown syntax. Every
character with a meaning in HTML or in the Markdown extensions we render
(tables, attribute lists, emphasis, emoji, footnotes) becomes a numeric entity,
which GitHub and mkdocs both show as the character itself, never as markup.
"""
from __future__ import annotations

_MARKDOWN_SPECIAL = "\\`*_{}[]#!|~^=<>&"
_TABLE = {ord(ch): f"&#{ord(ch)};" for ch in _MARKDOWN_SPECIAL}
_TABLE.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})


def markdown_text(value: str) -> str:
    """One line of text rendered exactly as written inside Markdown (also in table cells)."""
    return value.translate(_TABLE)


# Bidirectional controls: they reorder what a reader sees ("Trojan Source").
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
# Characters that print as nothing (zero-width spaces and joiners, word joiner, invisible operators,
# byte-order mark, Mongolian vowel separator, soft hyphen): editors hide them, pastes bring them in.
INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
_DROP_INVISIBLE = {ord(ch): None for ch in INVISIBLE + "\u200e\u200f"}


def without_invisible(value) -> str:
    """The text with invisible characters removed and outer whitespace (ideographic too) stripped."""
    return str(value).translate(_DROP_INVISIBLE).strip()


def is_blank(value) -> bool:
    """None, or text with nothing visible once spaces (U+3000 too) and invisible characters go."""
    if value is None:
        return True
    if type(value) is str and value:
        first = value[0]  # almost always visible: then nothing is blank, without copying the text
        if not first.isspace() and ord(first) not in _DROP_INVISIBLE:
            return False
    return not without_invisible(value)


# C0 controls but tab, DEL, C1 controls, and the bidirectional controls: a terminal would obey them
# (colours, cursor moves, clearing the screen, reordering), so they are printed as their codes.
_TERMINAL = {code: f"\\x{code:02x}" for code in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)]}
_TERMINAL.update({ord(ch): f"\\u{ord(ch):04x}" for ch in BIDI})
_TERMINAL[ord("\n")] = "\\n"


def terminal_text(value) -> str:
    """Text for a terminal or a log: every control character shown escaped (\\x1b), never sent raw."""
    return str(value).translate(_TERMINAL)


_SHOWN_AS_CODES = dict(_TERMINAL)
_SHOWN_AS_CODES.update({ord(ch): f"\\u{ord(ch):04x}" for ch in INVISIBLE + "\u3000"})


def visible_text(value) -> str:
    """terminal_text, and zero-width and ideographic spaces shown as codes too: for examples that are about them."""
    return str(value).translate(_SHOWN_AS_CODES)
