"""A rendered PDF keyed by what the renderer consumes, not by the day it was asked for.

Rendering (weasyprint, HTML → PDF) is nearly all of a printout's cost: about 5 CPU-seconds a PDF, 28 CPU-hours
for 20,000 institutions. The downloads' own keys (public.download_key, command.bundle_key) hold the evaluation
date and the whole code digest, so a new day or any commit would render every PDF again. Here the render is
keyed by its real inputs instead (pdf_key):
  - the HTML string (made cheaply by jinja): every printed word, the document properties (docinfo, as <meta>
    elements), the QR link, the data version and any printed date are in it, so whatever the reader sees
    differs, so does the key — a printed 生成日期 makes each day a miss, correctly;
  - every file the renderer may read: the folder it may fetch from (record_cache.folder_digest, contents only,
    no date) and the bundle assets (CSS, symbol font) — fetcher.py refuses everything else;
  - the folder's path (base URL) and whether it is the public copy (what the leak scan refused);
  - the renderer: render_key.render_fingerprint (weasyprint and friends, the CJK fonts), the PDF variant, and
    the code that renders, fetches and scans for personal numbers (a stricter scan must not be skipped by an
    old entry).
Entries are stage_cache files: their bytes are hashed again before they are copied out, and only PDFs that were
read back free of personal numbers (render.write_pdf) are ever stored, never one that missed a resource for
lack of time (fetcher.timed_out): that is the one input not in the key.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ..record_cache import add_sized, add_tree, folder_digest

PDF_STAGE = "pdf-render"
FORMAT = 1
# The modules that turn HTML into a stored PDF: render.write_pdf, what it may read, what it refuses to publish.
RENDER_CODE = ("bundle/render.py", "bundle/fetcher.py", "published.py", "personal.py", "escaping.py")
SCAN_LIBRARIES = ("pypdf",)


@lru_cache(maxsize=None)
def renderer_digest() -> str:
    """The renderer's libraries and fonts, the code of the render and the scan, and the assets: once per process."""
    from .fetcher import ASSETS_DIR
    from .render import PDF_VARIANT
    from .render_key import library_version, render_fingerprint

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"beian-pdf-renderer {FORMAT}".encode())
    add_sized(digest, render_fingerprint().encode("utf-8", "surrogateescape"))
    add_sized(digest, f"variant={PDF_VARIANT}".encode())
    for name in SCAN_LIBRARIES:
        add_sized(digest, f"{name}={library_version(name)}".encode())
    for name in RENDER_CODE:
        add_sized(digest, name.encode() + b"\0" + (package / name).read_bytes())
    add_tree(digest, ASSETS_DIR)
    return digest.hexdigest()


def pdf_key(html: str, base: Path, public: bool) -> str:
    """The key of the PDF rendered from HTML with files fetched from BASE (see the module's docstring)."""
    base = Path(base).resolve()
    digest = hashlib.sha256(f"beian-pdf {FORMAT}".encode())
    for part in (renderer_digest(), f"public={bool(public)}", str(base), folder_digest(base), html):
        add_sized(digest, part.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def keepable(info: dict) -> bool:
    """Whether a rendered PDF (write_pdf's INFO) may be cached: not when a resource was refused for lack of time."""
    from .fetcher import timed_out

    return not any(timed_out(str(message)) for message in info.get("refused") or ())


def cached_pdf(html: str, base: Path, target: Path, public: bool = False) -> dict:
    """render.write_pdf's result ({"pages", "refused"}) and "cached": whether the bytes came from the cache.
    A miss renders (which may raise LeakError, storing nothing) and keeps the PDF for the next time."""
    from ..stage_cache import enabled, fetch_files, store_files
    from . import render  # looked up at call time: tests count renders by replacing render.write_pdf

    key = pdf_key(html, base, public) if enabled() else None
    if key:
        meta = fetch_files(PDF_STAGE, key, Path(target).parent, {"pdf": Path(target).name})
        if isinstance(meta, dict) and isinstance(meta.get("pages"), int) and isinstance(meta.get("refused"), list):
            return {"pages": meta["pages"], "refused": [str(r) for r in meta["refused"]], "cached": True}
    info = render.write_pdf(html, base, target, public=public)
    if key and keepable(info):
        store_files(PDF_STAGE, key, {"pdf": Path(target)}, {"pages": info["pages"], "refused": list(info["refused"])})
    return {**info, "cached": False}
