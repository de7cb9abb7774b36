"""The register as `beian build` holds it: a small summary of each institution, its full entry only where needed.

A portal entry (model.py) is some 90 KB: the check record with every criterion and finding, and the institution's
own downloads (extras). The pages about the whole register (the list, the occupation pages, the counts and charts,
register.json/csv, the calendars, the feeds of all) read a few of its fields; only the institution's own page and
files read the rest. So a build holds a summary per institution (the entry without HEAVY fields, a few KB) and
reads the full entry only for a page that must be rendered again.

The build index keeps the summaries from one build to the next: folder → [entry key, summary as tagged JSON,
derived texts] (derived: the institution's own rows of the register-wide files, made from its entry and page name,
see Register.derived), as plain JSON text (json's own speed both ways: 5,000 institutions are some 30 MB), in
SHARDS stage-cache values by a hash of the folder (stage_cache.py: each written whole, checked by its SHA-256 and
its key), so that one changed institution rewrites one shard, not the whole index. A folder whose entry key (model.entry_key: its files by content, the code, the date, ...) is the one in the index costs the key
(its files' stat, record_cache.folder_digest) and decoding its summary; its entry is not read at all. Any other
folder's entry is read from the stage cache or made, and its summary taken from it. A shard that cannot be read
or is another's is ignored whole, as is an item filed in a shard its folder does not hash to; a summary that does not decode, or names another folder, is ignored for that
folder: the full entry is read instead, never a summary trusted over the data.

Render keys follow from this: an institution's page and files depend on its entry, which its entry key stands
for, and on what the build adds to it (ADDED: its page name, git history, downloads), so a page's key is made
without the full entry (before, each build pickled all 5,000 entries to hash them).
"""
from __future__ import annotations

import hashlib
import json
from functools import partial
from pathlib import Path
from typing import Callable

from .model import ENTRY_FORMAT, function_name, cached_entry, entry_key, paged, stored_entry

# Read by the institution's own pages only; the calendar and the feed of all are put together from texts kept per
# institution (portal/build.py write_sessions), so a summary needs no sessions (some 40 KB for five of them).
HEAVY = ("criteria", "findings", "pending", "todo", "commitments", "extras", "sessions")
ADDED = ("page", "history", "downloads")  # what the build adds to an entry after it is made (or read from the cache)
INDEX_STAGE = "portal-index"
INDEX_FORMAT = 2  # bump when a summary's fields change

# full entries a build keeps at once (the last read): an institution's page and files are made one after the other
# (build.py), its session pages in a pass of their own that reads it once more
RECENT = 64
_KNOWN: dict[str, str] = {}  # folder → its entry key in the index; forked workers inherit it (see probe)


def summary_of(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in HEAVY}


class Register:
    """ENTRIES: one per institution, paged and sorted (model.paged); summaries when the stage cache is on, else
    full entries. full(entry) and files(entry) give what the institution's own page and files need."""

    def __init__(self, entries: list[dict], keys: dict[str, str], full: dict[str, dict], now, extras, internal,
                 index: dict | None = None, known: dict | None = None, index_key: str = ""):
        self.entries = entries
        self._keys, self._full = keys, full
        self._recent: dict[str, dict] = {}  # full entries read lately, oldest first (_base)
        self._now, self._extras, self._internal = now, extras, internal
        self._index, self._known, self._index_key = index, known, index_key  # no index without the stage cache

    def derived(self, entry: dict, name: str, make: Callable[[], str]) -> str:
        """The text MAKE makes from ENTRY (its summary and page name only): from the index when the last build made
        it for the same entry key and page name, else made now (and kept by save)."""
        if self._index is None or entry["folder"] not in self._index:
            return make()
        texts = self._index[entry["folder"]][2]
        made = texts.get(name)
        if made is None or made[0] != entry["page"]:
            made = texts[name] = (entry["page"], make())
        return made[1]

    def save(self) -> None:
        """Keep the summaries and derived texts for the next build (when any differ from what the index held)."""
        from ..stage_cache import write_value

        if self._index is None:
            return
        shards: dict[int, dict] = {}
        for folder, (key, text, texts) in self._index.items():
            shards.setdefault(_shard(folder), {})[folder] = [key, text, {name: list(made) for name, made in texts.items()}]
        changed = {_shard(folder) for folder in self._index.keys() | self._known.keys()
                   if self._index.get(folder) != self._known.get(folder)}
        for shard in sorted(changed):
            write_value(INDEX_STAGE, _shard_key(self._index_key, shard),
                        json.dumps(shards.get(shard, {}), ensure_ascii=False, separators=(",", ":")))

    def key(self, entry: dict) -> str | None:
        """The entry key of ENTRY's institution (None without the stage cache)."""
        return self._keys.get(entry["folder"])

    def _base(self, entry: dict) -> dict:
        """ENTRY's full entry: held (no stage cache), or read from the stage cache, the last RECENT kept."""
        folder = entry["folder"]
        base = self._full.get(folder) or self._recent.get(folder)
        if base is None:
            key = self.key(entry)
            base = stored_entry(folder, key) if key else None
            if base is None:  # gone from the cache since: made again
                base, _ = cached_entry(folder, self._now, self._extras, self._internal, key=key)
            self._recent[folder] = base
            if len(self._recent) > RECENT:
                del self._recent[next(iter(self._recent))]
        return base

    def full(self, entry: dict) -> dict:
        """ENTRY with the fields its summary leaves out (not its extras: see files), as the page renders it."""
        return {**{k: v for k, v in self._base(entry).items() if k != "extras"}, **entry}

    def files(self, entry: dict) -> dict:
        """ENTRY's extras (the per-institution files made in the workers)."""
        return self._base(entry)["extras"]


def probe(directory: str, now, extras, internal: bool) -> tuple[str, dict | None, str | None, bool]:
    """(entry key, summary or None, the summary as index text or None, whether the entry came from a cache) of one
    folder, made in a worker: the full entry stays in the stage cache (cached_entry wrote it there), so the build
    process holds summaries only (a full entry is some 250 KB in memory: 5 GB at 20,000 institutions). None, None
    when the build index already holds the summary made under this key (_KNOWN, set by gather before the workers
    fork)."""
    key = entry_key(directory, now, extras, internal)
    if _KNOWN.get(directory) == key:
        return key, None, None, True
    entry, hit = cached_entry(directory, now, extras, internal, key=key)
    summary = summary_of(entry)
    return key, summary, _encoded(summary), hit


def _index_key(extras, internal: bool) -> str:
    """One index per kind of build (public or the department's, which extras): a build of other folders replaces
    its shards."""
    parts = f"beian-portal-index {INDEX_FORMAT}\0{ENTRY_FORMAT}\0internal={internal}\0{function_name(extras)}"
    return hashlib.sha256(parts.encode()).hexdigest()


SHARDS = 64


def _shard(folder: str) -> int:
    return hashlib.sha256(folder.encode("utf-8", "surrogateescape")).digest()[0] % SHARDS


def _shard_key(key: str, shard: int) -> str:
    return hashlib.sha256(f"{key}\0{shard}".encode()).hexdigest()


def _read_index(key: str) -> dict[str, tuple[str, str, dict]]:
    """folder → (entry key, summary text, {name: (page, derived text)}) of every well-formed item of the index."""
    from ..stage_cache import read_value

    found = {}
    for shard in range(SHARDS):
        try:
            stored = json.loads(read_value(INDEX_STAGE, _shard_key(key, shard)) or "{}")
        except (ValueError, TypeError):
            continue
        if not isinstance(stored, dict):
            continue
        found.update({folder: (item[0], item[1], {name: tuple(made) for name, made in item[2].items()})
                      for folder, item in stored.items()
                      if _shard(folder) == shard and isinstance(item, list) and len(item) == 3
                      and isinstance(item[0], str) and isinstance(item[1], str) and isinstance(item[2], dict)
                      and all(isinstance(made, list) and len(made) == 2 and all(isinstance(x, str) for x in made)
                              for made in item[2].values())})
    return found


def _decoded(text: str, folder: str) -> dict | None:
    from ..stage_cache import loads

    try:
        # a tagged value (a date, a tuple, a record type) is always an object opening with '{"$' (a string holding
        # those characters has its quote escaped): without one, json's plain decoding gives the same value, faster
        summary = loads(text) if '{"$' in text else json.loads(text)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, ImportError):
        return None
    if not (isinstance(summary, dict) and summary.get("folder") == folder and isinstance(summary.get("institution"), str)
            and isinstance(summary.get("scope"), list) and not any(k in summary for k in HEAVY)):
        return None
    return summary


def _encoded(summary: dict) -> str | None:
    """SUMMARY as tagged JSON, when it decodes to an equal value (else it is not kept)."""
    from ..stage_cache import Unencodable, dumps, loads

    try:
        text = dumps(summary)
    except (Unencodable, ValueError, TypeError):
        return None
    return text if loads(text) == summary else None


def gather(directories: list[Path], jobs: int = 0, extras=None, internal: bool = False,
           counts: dict | None = None) -> Register:
    """model.collect for a build: the institutions of DIRECTORIES as a Register. COUNTS: see model.all_entries."""
    from ..batch import stream_folders
    from ..engine import evaluation_date
    from ..stage_cache import enabled
    from .model import all_entries

    now = evaluation_date()
    paths = [str(d) for d in directories]
    if not enabled():
        entries = all_entries(paths, jobs, extras, internal, counts)  # nothing to read them back from: all held
        return Register(paged(entries), {}, {e["folder"]: e for e in entries}, now, extras, internal)
    from ..record_cache import code_digest

    code_digest()  # hashed once here, not in each forked worker
    global _KNOWN
    index_key = _index_key(extras, internal)
    known = _read_index(index_key)
    _KNOWN = {folder: item[0] for folder, item in known.items()}
    entries, keys, index = [], {}, {}
    hits = 0
    try:  # the results are taken as they come, the workers' full entries never gathered here
        for path, (key, summary, text, hit) in zip(paths, stream_folders(
                partial(probe, now=now, extras=extras, internal=internal), paths, jobs)):
            keys[path] = key
            if summary is None:
                summary = _decoded(known[path][1], path)
                if summary is not None:
                    index[path] = (key, known[path][1], dict(known[path][2]))
                else:  # the index's summary did not decode: the full entry after all
                    entry, hit = cached_entry(path, now, extras, internal, key=key)
                    summary = summary_of(entry)
                    text = _encoded(summary)
            if path not in index and text is not None:
                index[path] = (key, text, {})
            hits += hit
            entries.append(summary)
    finally:
        _KNOWN = {}
    if counts is not None:
        counts.update(cached=hits, made=len(paths) - hits)
    return Register(paged(entries), keys, {}, now, extras, internal, index, known, index_key)
