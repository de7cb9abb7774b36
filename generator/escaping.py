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


# C0 controls but tab, DEL, C1 controls, and the bidirectional controls: a terminal would obey them
# (colours, cursor moves, clearing the screen, reordering), so they are printed as their codes.
_TERMINAL = {code: f"\\x{code:02x}" for code in [*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0)]}
_TERMINAL.update({code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]})
_TERMINAL[ord("\n")] = "\\n"


def terminal_text(value) -> str:
    """Text for a terminal or a log: every control character shown escaped (\\x1b), never sent raw."""
    return str(value).translate(_TERMINAL)


_INVISIBLE = dict(_TERMINAL)
_INVISIBLE.update({code: f"\\u{code:04x}" for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x3000)})


def visible_text(value) -> str:
    """terminal_text, and zero-width and ideographic spaces shown as codes too: for examples that are about them."""
    return str(value).translate(_INVISIBLE)
