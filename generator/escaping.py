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
