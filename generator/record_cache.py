"""A content-addressed cache of `beian check` records, so an unchanged institution is not judged again.

An institution's record (report.filing_record with its sessions) is a pure function of:
  - every file under the institution's folder (its filing, sessions, evidence), by content;
  - the code and data that judge it: generator/, rules/ (sheets, reference data, jurisdictions, the
    reviewers register) and schemas/, by content; the Python version; the versions of the libraries
    whose answers enter a record (chinesecalendar's holiday table, the YAML and schema validators);
  - the evaluation date (BEIAN_TODAY or today), the folder as named on the command line and the working
    directory (findings name files relative to it).
An institution's key also takes the department registers (institution_inputs): its sessions' supervision
records are judged against the dispatches and the supervisors' terms.
A department register's record (department/<jurisdiction>/) is keyed the same way, plus every institution's
profile.yaml and every session's plan.yaml, against which its dispatches are judged (register_inputs).
The key is a SHA-256 over all of these, so a changed byte anywhere means a new key, never a stale hit.
Entries live outside the repository (generator/cache.py: $BEIAN_CACHE_DIR, else ~/.cache/beian), each
holds its full key, and one that cannot be read, does not parse, or carries another key is ignored and
rebuilt: the cache is never trusted over the data. Runs that judge with substituted files (a PR's
reviews.yaml from its base, see pr/reviews.py) bypass it. BEIAN_NO_CACHE=1 (or `beian check --no-cache`)
switches it off.

This module and what it imports stay light (no engine, checks, YAML or schemas): a warm `beian check`
hashes files, reads one JSON file per institution and renders, which is what keeps checking an institution
with twenty sessions close to the cost of starting Python.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable

FORMAT = 1  # bump when the entry layout changes
CODE_FOLDERS = ("generator", "rules", "schemas")
# Files at the project root that judge an institution too: beian.yaml names the registry's jurisdiction.
CODE_FILES = ("beian.yaml",)
SKIPPED_DIRS = {"__pycache__", ".git", ".beian-cache"}
# Libraries whose answers are part of a record: a new holiday table or validator release means new keys.
LIBRARIES = ("chinese_calendar", "yaml", "fastjsonschema", "jsonschema")

_code_digest: str | None = None


def enabled() -> bool:
    return os.environ.get("BEIAN_NO_CACHE", "") in ("", "0")


# Files up to this size enter the key by content; larger ones (scanned evidence) by size and modification time,
# so that a check never reads a 50 MB scan just to find out that nothing changed. A changed scan gets a new
# modification time, which is a new key: the trade costs at most a needless re-check, never a stale answer.
CONTENT_LIMIT = 1 << 20


def _entries(root: Path):
    """Every entry under root in a stable order, without following symbolic links."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
            if not name.endswith((".pyc", ".tmp")):
                yield Path(folder) / name


def _fingerprint(path: Path) -> bytes:
    """What of one entry enters the key. Only regular files are read: a FIFO, a device or a socket in a
    filing folder (which the checks refuse) must not block or flood the key computation."""
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            return b"link:" + os.readlink(path).encode("utf-8", "surrogateescape")
        if not stat.S_ISREG(info.st_mode):
            return f"special:{stat.S_IFMT(info.st_mode)}".encode()
        if info.st_size > CONTENT_LIMIT:
            return f"large:{info.st_size}:{info.st_mtime_ns}".encode()
        return b"file:" + path.read_bytes()
    except OSError as error:  # unreadable: the checks will say so; the key still differs from a readable file
        return f"unreadable:{error.errno}".encode()


def _add_tree(digest, root: Path) -> None:
    for path in _entries(root):
        data = _fingerprint(path)
        digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(len(data).to_bytes(8, "little") + data)


@lru_cache(maxsize=None)  # asked by both the stat signature and the content digest
def _library_versions() -> str:
    """name=its installed distribution folders (name-1.2.3.dist-info carries the version), found without
    importing the library."""
    import importlib.util

    parts = []
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin:
            parts.append(f"{name}=absent")
            continue
        origin = Path(spec.origin)
        wanted = name.replace("_", "").lower()
        try:
            dists = sorted(e for e in os.listdir(origin.parent.parent)
                           if e.endswith(".dist-info") and e.split("-")[0].replace("_", "").lower() in (wanted, "py" + wanted))
        except OSError:
            dists = []
        parts.append(f"{name}={','.join(dists) or origin.stat().st_size}")
    return ";".join(parts)


def _judging_folders(project_root: Path) -> list[tuple[str, Path]]:
    """The folders whose files judge an institution: the running package and the rules and schemas it ships,
    then the repository's own (overrides, or in a source checkout the same folders, taken once)."""
    from .paths import DEFAULTS_ROOT, PACKAGE_DIR

    found: dict[str, str] = {}
    for label, folder in (("package", PACKAGE_DIR), ("packaged rules", DEFAULTS_ROOT / "rules"),
                          ("packaged schemas", DEFAULTS_ROOT / "schemas"),
                          *((name, project_root / name) for name in CODE_FOLDERS)):
        found.setdefault(os.path.realpath(folder), label)
    return [(label, Path(folder)) for folder, label in found.items()]


def tree_digest(project_root: Path) -> str:
    """The digest of the code and data that judge an institution in the repository at project_root."""
    digest = hashlib.sha256(f"beian-record-cache {FORMAT}|{sys.version}|{_library_versions()}".encode())
    for name, folder in _judging_folders(project_root):
        digest.update(f"\0{name}\0".encode())
        _add_tree(digest, folder)
    for name in CODE_FILES:
        digest.update(f"\0{name}\0".encode() + _fingerprint(project_root / name))
    return digest.hexdigest()


def _stat_signature(project_root: Path) -> str:
    """What the code folders look like to stat (path, size, mtime in ns): cheap, and it changes whenever a
    file is written, which is how Python itself decides that a .pyc is stale."""
    digest = hashlib.sha256(f"{sys.version}|{_library_versions()}".encode())

    def walk(folder: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS:
                    walk(entry.path)
            elif not entry.name.endswith((".pyc", ".tmp")):
                info = entry.stat(follow_symlinks=False)
                digest.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))

    for _, folder in _judging_folders(project_root):
        walk(str(folder))
    for name in CODE_FILES:
        try:
            info = os.stat(project_root / name)
            digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{name}\0absent\0".encode())
    return digest.hexdigest()


def code_digest() -> str:
    """tree_digest of this project, once per process. Reading and hashing every file costs about 8 ms, so the
    content digest is remembered beside the cache under the folders' stat signature; any write to any file
    changes the signature and the content is hashed again."""
    global _code_digest
    if _code_digest is None:
        from .cache import cache_dir
        from .paths import PROJECT_ROOT

        memo = cache_dir() / "records" / f"code-{_stat_signature(PROJECT_ROOT)}.txt"
        try:
            remembered = memo.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            remembered = ""
        if len(remembered) == 64 and all(c in "0123456789abcdef" for c in remembered):
            _code_digest = remembered
        else:
            _code_digest = tree_digest(PROJECT_ROOT)
            try:
                memo.parent.mkdir(parents=True, exist_ok=True)
                tmp = memo.with_name(f"{memo.name}.{os.getpid()}.tmp")
                tmp.write_text(_code_digest, encoding="ascii")
                os.replace(tmp, memo)
            except OSError:
                pass
    return _code_digest


def record_key(folder: Path, today: str, also: tuple[Path, ...] = ()) -> str:
    """ALSO: other files the record depends on (a register's dispatches are judged against sessions' plans)."""
    digest = hashlib.sha256(f"{code_digest()}|{today}|{os.getcwd()}|{folder}".encode("utf-8", "surrogateescape"))
    if folder.is_dir():
        _add_tree(digest, folder)
    for path in also:
        digest.update(f"\0{path}\0".encode("utf-8", "surrogateescape") + _fingerprint(path))
    return digest.hexdigest()


def _entry_path(key: str) -> Path:
    from .cache import cache_dir

    return cache_dir() / "records" / key[:2] / f"{key}.json"


def _read(key: str) -> dict | None:
    try:
        entry = json.loads(_entry_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or entry.get("format") != FORMAT:
        return None  # foreign, truncated or from another layout: rebuilt, never trusted
    record = entry.get("record")
    return record if isinstance(record, dict) and record.get("kind") in ("filing", "register") else None


def _write(key: str, record: dict) -> None:
    path = _entry_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "key": key, "record": record}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


def register_inputs(project_root: Path) -> tuple[Path, ...]:
    """What a department register is judged against besides its own folder: every institution's profile.yaml
    (its name, for 本机构人员) and every session's plan.yaml (people and days), in a stable order."""
    institutions = project_root / "institutions"
    try:
        folders = sorted(p for p in institutions.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return ()
    found = []
    for folder in folders:
        found.append(folder / "profile.yaml")
        try:
            found += sorted(p / "plan.yaml" for p in (folder / "sessions").iterdir() if p.is_dir())
        except OSError:
            pass
    return tuple(found)


def institution_inputs(project_root: Path) -> tuple[Path, ...]:
    """What an institution is judged against besides its own folder: the department registers (its sessions'
    supervision records are checked against the dispatches and the supervisors' terms), in a stable order."""
    from .paths import REGISTERS_FOLDER

    try:
        registers = sorted(p for p in (project_root / REGISTERS_FOLDER).iterdir() if p.is_dir())
    except OSError:
        return ()
    return tuple(folder / name for folder in registers for name in ("supervisors.yaml", "dispatches.yaml"))


def cached_record(folder: Path, build: Callable[[], dict], also: tuple[Path, ...] = ()) -> dict:
    """The folder's record from the cache when nothing that judges it has changed, else built and stored."""
    if not enabled():
        return build()
    from .clock import evaluation_date

    key = record_key(folder, evaluation_date().isoformat(), also)
    record = _read(key)
    if record is None:
        record = build()
        _write(key, record)
    return record
