"""One institution's bundle as a PDF, through the render cache (pdf_cache.py) over the renderer (render.py).

Kept apart from render.py so that the cache, which calls the renderer, and the bundle, which calls the cache,
do not import each other."""
from __future__ import annotations

import time
from pathlib import Path

from .data import Context, build_context
from .pdf_cache import cached_pdf
from .render import bundle_html


def render_bundle(directory: str | Path, out_dir: str | Path, public: bool = False, name: str | None = None,
                  context: Context | None = None) -> dict:
    """The institution's bundle <slug>.pdf (CONTEXT: the institution already read, to share it with the
    session plans that `beian bundle` prints beside it, see command.py and plan.py)."""
    started = time.perf_counter()
    c = context or build_context(Path(directory))
    target = Path(out_dir) / f"{name or c.filing.slug}.pdf"
    info = cached_pdf(bundle_html(c, public), c.filing.root, target, public=public)  # "cached": not rendered again
    seconds = time.perf_counter() - started
    return {"slug": c.filing.slug, "path": str(target), "seconds": seconds, "valid": c.record["valid"], **info}
