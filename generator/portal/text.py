"""Making filing text safe to publish: escaping for Markdown/HTML, and no ID numbers at all.

Every string that comes from a filing goes through `md()` (Markdown text, table
cells, headings) or `attr()` (HTML attribute values). mkdocs passes raw HTML in
Markdown straight through, so `<script>` in a school's name must become entities
before Markdown ever sees it; Markdown's own syntax characters become entities too,
so a name cannot turn into a link, emphasis, a table column or an attribute list.
"""
from __future__ import annotations

from ..escaping import markdown_text
from ..identifiers import has_id_number, remove_id_numbers

# Published files carry no ID number at all, not even a masked one (see identifiers.py).
scrub = remove_id_numbers
contains_id = has_id_number


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


def front_matter_title(value, **meta: str) -> str:
    """A page-title front matter line. mkdocs turns a page's title into HTML without escaping it
    (the <title> element, the header), so it gets a look-alike text with no markup characters.
    META: further front matter keys with program-made values (e.g. feed: the page's Atom feed)."""
    import json

    extra = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
    return "---\ntitle: " + json.dumps(plain(value).translate(_TITLE), ensure_ascii=False) + "\n" + extra + "---\n\n"


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
