"""A small on-disk cache of marshalled values, so each start does not redo fixed work.

Used for the compiled schema validators and the parsed rule and reference YAML.
Each entry stores its full key and is used only when the key matches, so a
stale or foreign file is simply rebuilt. Losing the cache only costs time.
"""
from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path:
    base = os.environ.get("BEIAN_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "beian"


def mark_used(path) -> None:
    """Note that a cache file was just used (its modification time set to now): `beian cache prune` removes the
    files nobody has used for some days, and must not remove one that every run reads (a PDF kept for months)."""
    try:
        os.utime(path)
    except OSError:
        pass  # read-only cache: it still works, only pruning may remove a file in use, which costs time


def cached(kind: str, key: str, build: Callable[[], Any], encode=marshal.dumps, decode=marshal.loads) -> Any:
    """The value for key, built once and then read back from disk."""
    full_key = f"{key}|{sys.implementation.cache_tag}"
    path = cache_dir() / f"{kind}_{zlib.crc32(full_key.encode()):08x}_{len(full_key)}.bin"
    try:
        stored_key, payload = marshal.loads(path.read_bytes())
        if stored_key == full_key:
            mark_used(path)
            return decode(payload)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((full_key, encode(value))))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass  # read-only home: still works, only slower
    return value
