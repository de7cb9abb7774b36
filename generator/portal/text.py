"""Making filing text safe to publish: escaping for Markdown/HTML, and no ID numbers at all.

Every string that comes from a filing goes through `md()` (Markdown text, table
cells, headings) or `attr()` (HTML attribute values). mkdocs passes raw HTML in
Markdown straight through, so `<script>` in a school's name must become entities
before Markdown ever sees it; Markdown's own syntax characters become entities too,
so a name cannot turn into a link, emphasis, a table column or an attribute list.
"""
from __future__ import annotations

import re

from ..escaping import markdown_text

# Full 18-digit ID numbers and their masked forms (410102********123X, also partly masked
# variants). The portal publishes neither: the check already rejects full numbers, and the
# issue forbids even masked ones on any page or in any download.
ID_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:[0-9]{8}|[0-9]{0,7}[*＊xX×]{2,8}[0-9]{0,7})[0-9]{3}[0-9Xx*](?![0-9A-Za-z])")
ID_PLACEHOLDER = "（身份证号不公开）"



def scrub(text: str) -> str:
    """Remove every ID number, full or masked."""
    return ID_PATTERN.sub(ID_PLACEHOLDER, text)


def contains_id(text: str) -> bool:
    return ID_PATTERN.search(text) is not None


def plain(value) -> str:
    """A filing value as one line of plain text ('' for None), ID numbers removed."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(plain(v) for v in value)
    return scrub(str(value)).strip()


def md(value) -> str:
    """Filing text for a Markdown page: rendered exactly as written, never as markup."""
    return markdown_text(plain(value))


_TITLE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", "\n": " ", "\r": " "})


def front_matter_title(value) -> str:
    """A page-title front matter line. mkdocs turns a page's title into HTML without escaping it
    (the <title> element, the header), so it gets a look-alike text with no markup characters."""
    import json

    return "---\ntitle: " + json.dumps(plain(value).translate(_TITLE), ensure_ascii=False) + "\n---\n\n"


def attr(value) -> str:
    """Filing text for an HTML attribute value in double quotes."""
    return md(value).replace('"', "&#34;").replace("'", "&#39;")


def scrub_data(value):
    """A JSON-like structure with ID numbers removed from every string (for downloads)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: scrub_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_data(v) for v in value]
    return value


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = plain(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
