"""Remembering that a PDF or workbook was read back free of personal numbers, by its bytes.

Reading a PDF's text back (pypdf) is the dear part of the privacy scan: a public download is scanned when it is
rendered (bundle/render.py) and again when the site that holds it is assembled (published.scan_paths), and at
20,000 institutions the second pass alone would re-read 18 GB of PDFs page by page. A file scanned clean leaves
a marker in the cache named by the SHA-256 of what decided the answer: the file's bytes and type, whether masked
numbers count, the scanning code (personal.py, escaping.py, published.py, this module) and the versions of the
readers (pypdf, openpyxl). The same bytes under the same rules are then known clean without reading them again;
any change to any of these is another name, so a stricter detector scans everything again. Only clean answers
are remembered: a file with a leak is scanned (and reported) every time. A long text (the site's register-wide
pages and feeds) is remembered by its chunks instead (chunk_memo, published.text_chunks): the number search reads
some 15 MB a second, hashing hundreds, and such a file changes in a few chunks when one institution changes.
Short texts are not memoised: scanning them costs about what looking up a marker would. BEIAN_NO_CACHE=1 scans
everything.
Trust: like every cache here, the folder is trusted as the user's own files are (record_cache.py).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

MEMO_SUFFIXES = (".pdf", ".xlsx")
SCAN_CODE = ("personal.py", "escaping.py", "published.py", "scan_memo.py")
READERS = ("pypdf", "openpyxl")


@lru_cache(maxsize=4)
def scan_fingerprint(package: Path | None = None) -> str:
    """The scanning code (in PACKAGE, default this one) and the readers' versions (their installed metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    from .record_cache import add_sized

    digest = hashlib.sha256(b"beian scan memo 1")
    package = package or Path(__file__).resolve().parent
    for name in SCAN_CODE:
        data = (package / name).read_bytes()
        add_sized(digest, data)
    for reader in READERS:
        try:
            digest.update(f"\0{reader}={version(reader)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{reader} absent".encode())
    return digest.hexdigest()


def memo_path(path: Path, masked: bool) -> Path | None:
    """Where the marker for this file's current bytes lives; None when such files are not memoised, the cache
    is off or the file cannot be read (the scan itself will say so)."""
    suffix = path.suffix.lower()
    from .record_cache import enabled  # BEIAN_NO_CACHE, as every other cache reads it

    if suffix not in MEMO_SUFFIXES or not enabled():
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    from .cache import cache_dir

    key = hashlib.sha256(f"{scan_fingerprint()}\0{suffix}\0masked={masked}\0".encode() + data).hexdigest()
    return cache_dir() / "scanned" / key[:2] / key


def chunk_memo(chunk: str, suffix: str, masked: bool) -> Path | None:
    """Where the marker for one chunk of a long text lives (its text, the file's type, masked, the scanning code);
    None when the cache is off."""
    from .record_cache import enabled

    if not enabled():
        return None
    from .cache import cache_dir

    key = f"{scan_fingerprint()}\0chunk{suffix}\0masked={masked}\0{chunk}".encode("utf-8", "surrogatepass")
    name = hashlib.sha256(key).hexdigest()
    return cache_dir() / "scanned" / name[:2] / name


def known_clean(memo: Path | None) -> bool:
    if memo is None or not memo.is_file():
        return False
    from .cache import mark_used

    mark_used(memo)
    return True


def remember_clean(memo: Path | None) -> None:
    if memo is None:
        return
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.touch()
    except OSError:
        pass  # a cache that cannot be written only costs time
