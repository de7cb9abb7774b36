"""Content-addressed caches of the build's per-institution stages besides `beian check` records: the portal's
entries (portal/model.py) and the printable downloads (bundle/public.py, bundle/command.py).

A stage's key starts from the institution's record key (record_cache.record_key: every file in the folder,
the department registers it is judged against, the code/rules/schemas digest, the evaluation date, the
folder as named and the working directory) and adds what else changes the stage's result: the stage's
name and format, and PARTS given by the caller (the portal address, the data's git version, the renderer
and its fonts, ...). A different anything is a different key, never a stale hit.

Two kinds of entry, both under generator/cache.py cache_dir() / "stages" (outside the repository, shared
by CI through actions/cache), each written whole under a temporary name and then renamed:
  - values (read_value / write_value): a line of JSON holding the full key and the SHA-256 of the payload,
    then the payload, zlib-compressed: the value in a tagged JSON (dates, tuples, non-string keys, this
    package's dataclasses) that must give back an equal value, else it is not stored at all;
  - files (store_files / fetch_files): a manifest naming each file's SHA-256, the bytes kept once by that
    digest; a fetched file is hashed again before it is copied out.
Anything that cannot be read, does not parse, carries another key, or whose bytes do not hash to what its
entry says is ignored and made again: the cache is never trusted over the data. No pickle: a cache shared
between machines must not be able to run code. BEIAN_NO_CACHE=1 switches it off (record_cache.enabled).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import zlib
from pathlib import Path

from .record_cache import add_sized, enabled

_OWN = __name__.rpartition(".")[0] + "."  # "generator.": the only package whose record types an entry may name
FORMAT = 2  # bump when an entry's layout or the tagged encoding changes
__all__ = ["enabled", "stage_key", "read_value", "write_value", "store_files", "fetch_files", "dumps", "loads"]


class Unencodable(TypeError):
    """A value the tagged JSON cannot carry exactly: such a value is simply not cached."""


def _encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return {"$float": repr(value)}
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if not cls.__module__.startswith(_OWN) or any(not f.init for f in dataclasses.fields(value)):
            raise Unencodable(cls.__qualname__)
        return {"$dataclass": [f"{cls.__module__}:{cls.__qualname__}",
                               {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}]}
    if isinstance(value, dict):
        if all(type(k) is str and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise Unencodable(type(value).__name__)


def _tagged(value: dict):
    """json's object_hook: a tagged object back to its value (called for every object, innermost first)."""
    if len(value) != 1:
        return value
    (tag, inner), = value.items()
    if tag == "$date":
        return dt.date.fromisoformat(inner)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(inner)
    if tag == "$tuple":
        return tuple(inner)
    if tag == "$float":
        return float(inner)
    if tag == "$dict":
        return {_hashable(k): v for k, v in inner}
    if tag == "$dataclass":
        return _dataclass(inner[0])(**inner[1])
    return value


def _hashable(key):
    """A dict key that went through JSON: a list that was a tuple's content is a tuple already (the hook)."""
    if isinstance(key, list):
        raise ValueError("a list cannot be a key")
    return key


def _dataclass(name: str):
    """The record type NAME (“module:Qualname”), only ever one of this package's own dataclasses: an entry
    from elsewhere can name no other class."""
    import importlib

    module, _, qualname = str(name).partition(":")
    if not module.startswith(_OWN) or "." in qualname:
        raise ValueError(f"not a record type: {name}")
    cls = getattr(importlib.import_module(module), qualname)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"not a record type: {name}")
    return cls


def dumps(value) -> str:
    """VALUE as tagged JSON; Unencodable when it holds a type the encoding does not know."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes):
    return json.loads(text, object_hook=_tagged)


def stage_key(stage: str, folder: Path, *parts: str) -> str:
    """The key of STAGE's result for the institution FOLDER, given PARTS (strings) besides the folder's record key."""
    from .clock import evaluation_date
    from .paths import PROJECT_ROOT
    from .record_cache import institution_inputs, record_key

    digest = hashlib.sha256(f"beian-stage {FORMAT}\0{stage}\0".encode())
    # attachments by content: a printout may embed a scan, a page may link it (a check only looks for it)
    digest.update(record_key(Path(folder), evaluation_date().isoformat(), institution_inputs(PROJECT_ROOT),
                             attachments_by_name=False).encode())
    for part in parts:
        add_sized(digest, str(part).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _root() -> Path:
    from .cache import cache_dir

    return cache_dir() / "stages"


def _value_path(stage: str, key: str) -> Path:
    return _root() / stage / key[:2] / f"{key}.json"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_value(stage: str, key: str):
    """The value stored under KEY, or None when there is none that can be trusted."""
    from .cache import mark_used

    try:
        path = _value_path(stage, key)
        header, _, payload = path.read_bytes().partition(b"\n")
        entry = json.loads(header)
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("stage") == stage
                and entry.get("key") == key and entry.get("sha256") == _sha(payload)):
            return None
        value = loads(zlib.decompress(payload))
        mark_used(path)
        return value
    except (OSError, ValueError, TypeError, AttributeError, KeyError, IndexError, ImportError, UnicodeError, zlib.error):
        return None


def write_value(stage: str, key: str, value) -> bool:
    """Store VALUE under KEY when its tagged JSON gives back an equal value; whether it was stored.
    The entry is one line of JSON naming the key and the payload's SHA-256, then the payload, compressed
    (an entry of the portal is about 90 KB of JSON, 13 KB compressed: what CI's cache uploads and downloads)."""
    try:
        text = dumps(value).encode("utf-8")
        if loads(text) != value:
            return False
        payload = zlib.compress(text, 1)
        header = json.dumps({"format": FORMAT, "stage": stage, "key": key, "sha256": _sha(payload)})
        _write_atomic(_value_path(stage, key), header.encode("ascii") + b"\n" + payload)
        return True
    except (OSError, ValueError, TypeError):
        return False  # a cache that cannot be written only costs time


def _blob_path(digest: str) -> Path:
    return _root() / "blobs" / digest[:2] / digest


def store_files(stage: str, key: str, files: dict[str, Path], meta=None) -> bool:
    """Keep the bytes of FILES (name → path of a finished file) and META (a value, as for write_value) under KEY."""
    from .cache import mark_used

    try:
        digests = {}
        for name, path in files.items():
            data = Path(path).read_bytes()
            digest = digests[name] = _sha(data)
            blob = _blob_path(digest)
            if not (blob.is_file() and blob.stat().st_size == len(data)):
                _write_atomic(blob, data)
            else:
                mark_used(blob)  # kept by a new entry: not to be pruned as unused
        return write_value(stage, key, {"files": digests, "meta": meta})
    except OSError:
        return False


def fetch_files(stage: str, key: str, out: Path, names: dict[str, str] | None = None):
    """Copy the files stored under KEY into OUT (NAMES: stored name → name to write, default the same) and
    return their META; None, with nothing written, when any file is missing or does not hash to its digest."""
    entry = read_value(stage, key)
    if not (isinstance(entry, dict) and isinstance(entry.get("files"), dict)):
        return None
    names = names or {}
    found = []
    for name, digest in entry["files"].items():
        if not (isinstance(name, str) and isinstance(digest, str) and len(digest) == 64) or "/" in name or name in ("", ".", ".."):
            return None
        try:
            data = _blob_path(digest).read_bytes()
        except OSError:
            return None
        from .cache import mark_used

        mark_used(_blob_path(digest))
        if _sha(data) != digest:  # corrupt or replaced: made again, and the next store writes it anew
            try:
                _blob_path(digest).unlink()
            except OSError:
                pass
            return None
        found.append((names.get(name, name), data))
    try:
        for name, data in found:
            _write_atomic(Path(out) / name, data)
    except OSError:
        return None
    return entry.get("meta")


def clear() -> None:
    """Remove every stage entry (tests)."""
    shutil.rmtree(_root(), ignore_errors=True)
