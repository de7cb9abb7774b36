"""The raw-HTML pieces every generated portal page is built from (tables, search-excluded blocks,
admonitions). Cells and titles must already be safe (text.md() or program labels): nothing is escaped here."""
from __future__ import annotations

HEADER = "<!-- 本页由 `beian build` 根据 institutions/ 与 rules/ 自动生成，请勿手工修改。 -->\n\n"


ROWS_CLASS = "beian-rows"


def html_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table as one raw HTML block. Cells must already be safe: md() text, program labels, numbers
    or links built here. Markdown passes the block through untouched, which is much faster than a
    Markdown table for hundreds of cells; links in it are site URLs (mkdocs does not rewrite raw HTML)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody>", "</table>"]


def rows_block(table: list[str], css: str = "", caption: str = "") -> list[str]:
    """A per-row table kept out of the search index. The block's exact shape (this opening tag on
    its own line, no inner <div>, `</div>` on its own line) lets the portal's mkdocs hook
    (search_hook.py) take it past Markdown and the search plugin's HTML parser untouched."""
    classes = f"{ROWS_CLASS} {css}".strip()
    opening = f'<div class="{classes}" data-search-exclude>'
    return ["", opening] + ([f"<p>{caption}</p>"] if caption else []) + table + ["</div>", ""]


def unsearched(title: str, level: int = 2) -> str:
    """A heading whose section stays out of the search index. An institution or occupation page
    is found through its title and its summary above the first heading, one search entry per page:
    at 5,000 institutions the browser then builds its index from about 5 MB instead of 32 MB."""
    return f"{'#' * level} {title} {{ data-search-exclude }}"


def notice(kind: str, title: str, body: str) -> list[str]:
    """An admonition box (material's look) kept out of search: its wording repeats on every page."""
    return [f'<div class="admonition {kind}" data-search-exclude markdown="1">',
            f'<p class="admonition-title">{title}</p>', "", body, "", "</div>", ""]
