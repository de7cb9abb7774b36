"""mkdocs hook (site/mkdocs.yml `hooks:`): per-row tables skip Markdown and the search parser.

pages.py writes every per-row table (an institution's per-criterion scores, findings and
per-occupation facilities, an occupation's institutions, the institution list) as one raw HTML
block that starts with `<div class="beian-rows…" data-search-exclude>` and holds no other <div>;
its cells are escaped already. Those blocks are most of the portal's HTML, and mkdocs spent most
of its time on them for nothing: Python-Markdown's md_in_html parsed them only to pass them
through, and material's search plugin parsed them only to drop them (data-search-exclude).

So before Markdown runs, this hook swaps each block for an HTML comment placeholder, and after
the page is rendered it puts the block back. The published page is the same; the search index is
the same (the blocks were excluded anyway). Filing text cannot forge a block or a placeholder:
every `<` from a filing is an entity by then. Loaded by path, so no package imports.
"""
from __future__ import annotations

import re

_BLOCK = re.compile(r'^<div class="beian-rows[^"\n]*" data-search-exclude>\n.*?^</div>$', re.S | re.M)
_PLACEHOLDER = "<!--beian-rows-{}-->"
_STASH = "_beian_rows"


def on_page_markdown(markdown, page, config, files):
    blocks: list[str] = []

    def stash(match: re.Match) -> str:
        blocks.append(match.group(0))
        return _PLACEHOLDER.format(len(blocks) - 1)

    if 'class="beian-rows' in markdown:
        markdown = _BLOCK.sub(stash, markdown)
    setattr(page, _STASH, blocks)
    return markdown


def on_post_page(output, page, config):
    blocks = getattr(page, _STASH, None)
    if blocks:
        for number, block in enumerate(blocks):
            output = output.replace(_PLACEHOLDER.format(number), block, 1)
        setattr(page, _STASH, None)
    return output
