"""A content-addressed cache of `beian check` records, so an unchanged institution is not judged again.

An institution's record (report.filing_record with its sessions) is a pure function of:
  - every file under the institution's folder: its YAML documents (filing, sessions, records) by content, its
    attachments (evidence) by name and type, which is all the checks look at, or by content when the folder
    holds a reviews.yaml (a decision's digest covers the evidence it judged; DOCUMENT_SUFFIXES);
  - the code and data that judge it: generator/, rules/ (sheets, reference data, jurisdictions, the
    reviewers register) and schemas/, by content; the Python version; the versions of the libraries
    whose answers enter a record (chinesecalendar's holiday table, the YAML and schema validators);
  - the evaluation date (BEIAN_TODAY or today) and where the folder is: inside the repository its path
    from the repository root (records name files that way, filing.display_path), so a cache restored into
    another checkout path (CI's actions/cache) still hits; outside it, the folder as named on the command
    line and the working directory.
An institution's key also takes the department registers (institution_inputs): its sessions' supervision
records are judged against the dispatches and the supervisors' terms.
A department register's record (department/<jurisdiction>/) is keyed the same way, plus every institution's
profile.yaml and every session's plan.yaml, against which its dispatches are judged (register_inputs).
The key is a SHA-256 over all of these, so a changed byte anywhere means a new key, never a stale hit.

Reading every file of twenty thousand folders to hash them would cost more than the check saves, so a
folder's content digest is remembered under what its entries look like to stat (folder_digest, like git's
index; its docstring says what that trusts). Entries live outside the repository (generator/cache.py:
$BEIAN_CACHE_DIR, else ~/.cache/beian): records/<2 hex>/<key>.rec, the record marshalled behind its full key
and the payload's SHA-256; one that cannot be read, is truncated or damaged (digest), or carries another key
is ignored and rebuilt: the cache is never trusted over the data. What it does trust is the cache folder
itself, like the user's own files: anyone who can write there could as well edit the filings. Runs that
judge with substituted files (a PR's reviews.yaml from its base, see pr/reviews.py) bypass it.
BEIAN_NO_CACHE=1 (or `beian check --no-cache`) switches it off.

This module and what it imports stay light (no engine, checks, YAML or schemas): a warm `beian check`
stats files, reads one entry per institution and renders, which is what keeps checking an institution
with twenty sessions close to the cost of starting Python.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable

FORMAT = 2  # bump when the entry layout changes
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


def _fingerprint(path) -> bytes:
    """What of one entry enters the key. Only regular files are read: a FIFO, a device or a socket in a
    filing folder (which the checks refuse) must not block or flood the key computation."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            return b"link:" + os.fsencode(os.readlink(path))
        if not stat.S_ISREG(info.st_mode):
            return f"special:{stat.S_IFMT(info.st_mode)}".encode()
        if info.st_size > CONTENT_LIMIT:
            return f"large:{info.st_size}:{info.st_mtime_ns}".encode()
        with open(path, "rb") as handle:
            return b"file:" + handle.read()
    except OSError as error:  # unreadable: the checks will say so; the key still differs from a readable file
        return f"unreadable:{error.errno}".encode()


# The checks parse YAML documents and only look for every other file (an attachment named as evidence: lstat in
# checks/validity.py, never its bytes); tests/test_record_key_attachments.py holds them to that. Only a review
# decision reads attachments (review_inputs.py hashes the evidence it covers), so a folder holding a reviews.yaml
# keys its attachments by content too.
DOCUMENT_SUFFIXES = (".yaml", ".yml")
REVIEWS_FILE = "reviews.yaml"


def _attachment_fingerprint(path) -> bytes:
    """What of an attachment enters a record's key: that a regular file is there (a link or special file as
    _fingerprint says), not its bytes: a 20,000-institution check would otherwise read gigabytes of scans."""
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            return b"attachment"
    except OSError as error:
        return f"unreadable:{error.errno}".encode()
    return _fingerprint(path)


def add_sized(digest, data: bytes) -> None:
    """DATA into DIGEST behind its length: parts that run together (“ab” + “c”, “a” + “bc”) hash apart."""
    digest.update(len(data).to_bytes(8, "little") + data)


def add_tree(digest, root: Path, attachments_by_name: bool = False) -> None:
    """Every file under ROOT into DIGEST: its relative path, then its fingerprint (contents, or size and time;
    with ATTACHMENTS_BY_NAME, an attachment's name and type only)."""
    entries = list(_walk(os.fspath(root)))
    if attachments_by_name and any(name.rpartition("/")[2] == REVIEWS_FILE for name, _ in entries):
        attachments_by_name = False
    for name, entry in entries:
        if attachments_by_name and not name.endswith(DOCUMENT_SUFFIXES):
            data = _attachment_fingerprint(entry.path)
        else:
            data = _fingerprint(entry.path)
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        add_sized(digest, data)


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
        add_tree(digest, folder)
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
            from .cache import mark_used

            mark_used(memo)
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


def _walk(root: str, prefix: str = ""):
    """(relative path, DirEntry) for every entry under root, in a stable order, without following symbolic
    links; os.scandir with str paths, because a check of twenty thousand folders stats almost a million entries."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = prefix + entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            if entry.name not in SKIPPED_DIRS:
                yield from _walk(entry.path, name + "/")
        elif not entry.name.endswith((".pyc", ".tmp")):
            yield name, entry


def _stat_lines(root: str) -> list[tuple]:
    """(name, type, size, mtime and ctime in ns, inode, device) of every file _walk yields, in the same order,
    or (name, "unreadable", errno): a folder's stat signature. Plain loops over os.scandir (folders known by
    their directory entry, one lstat per file) without generators or sort keys: on an unchanged register
    this is most of a warm check."""
    lines: list[tuple] = []
    append = lines.append

    def visit(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = {entry.name: entry for entry in listing}
        except OSError:
            return
        for name in sorted(entries):
            entry = entries[name]
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if name not in SKIPPED_DIRS:
                    visit(entry.path, prefix + name + "/")
            elif not name.endswith((".pyc", ".tmp")):
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError as error:
                    append((prefix + name, "unreadable", error.errno))
                    continue
                append((prefix + name, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                        info.st_dev))

    visit(root, "")
    return lines


# An entry changed less than this long before its folder was hashed may be written again within the same
# timestamp tick: such a folder's stat memo is not stored (git's "racily clean" index entries, same remedy).
RACY_NS = 2_000_000_000


_ROOTS: dict[tuple, str] = {}


def _records_root() -> str:
    """cache_dir()/records as a string, worked out once per cache location: a warm check of 20,000 institutions
    names three cache files for each, and building Path objects for them was a tenth of its time."""
    where = (os.environ.get("BEIAN_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))
    root = _ROOTS.get(where)
    if root is None:
        from .cache import cache_dir

        root = _ROOTS[where] = os.path.join(cache_dir(), "records")
    return root


def _memo_path(real: str) -> str:
    name = hashlib.sha256(real.encode('utf-8', 'surrogateescape')).hexdigest()[:40]
    return f"{_records_root()}{os.sep}stat{os.sep}{name}.bin"


def folder_digest(folder: Path, real: str | None = None, attachments_by_name: bool = False) -> str:
    """The digest of every file under folder by content (add_tree), remembered beside the cache under what
    the folder's entries look like to stat (name, type, size, mtime and ctime in ns, inode, device), like
    git's index: while every entry stats the same, the files are not read again; any change to any entry
    (a write, a rename, a copy, a touch, a new or removed file) and the whole folder is hashed again.

    Trust model: the memo is trusted only on this machine for files whose stat is unchanged. Editing a file
    changes its ctime, which user programs cannot set back, so an edit that keeps every stat field equal
    would need root (a changed clock or raw disk writes); anyone with that can change the files anyway.
    Entries changed within RACY_NS of hashing are not remembered (a write in the same clock tick would look
    unchanged). A memo restored on another machine or checkout (inodes, ctimes, device differ) misses and
    costs one hashing, never a stale answer. BEIAN_CACHE_TRUST_STAT=0 hashes contents every time.
    ATTACHMENTS_BY_NAME: what judges a record (see DOCUMENT_SUFFIXES), not every byte (what a PDF may embed)."""
    import marshal
    import time

    root = os.fspath(folder)
    real = real or os.path.realpath(root)  # REAL: the caller's os.path.realpath(folder), when it has it
    lines = _stat_lines(root)
    signature = hashlib.sha256(marshal.dumps(lines)).digest()
    use_memo = enabled() and os.environ.get("BEIAN_CACHE_TRUST_STAT", "") not in ("0", "no", "false")
    label = real + ("\0judged" if attachments_by_name else "")  # the two digests of a folder are remembered apart
    memo = _memo_path(label) if use_memo else None
    if memo is not None:
        try:
            with open(memo, "rb") as handle:
                stored = marshal.loads(handle.read())
            if (isinstance(stored, tuple) and len(stored) == 4 and stored[0] == FORMAT and stored[1] == label
                    and stored[2] == signature and isinstance(stored[3], str) and len(stored[3]) == 64):
                from .cache import mark_used

                mark_used(memo)
                return stored[3]
        except (OSError, ValueError, EOFError, TypeError):
            pass
    digest = hashlib.sha256(b"folder judged" if attachments_by_name else b"folder")
    add_tree(digest, folder, attachments_by_name)
    value = digest.hexdigest()
    newest = max((max(line[3], line[4]) for line in lines if len(line) == 7), default=0)
    if memo is not None and newest < time.time_ns() - RACY_NS:
        _store(memo, marshal.dumps((FORMAT, label, signature, value)))
    return value


def _store(path: str, data: bytes) -> None:
    """Written whole or not at all (a temporary file renamed over it), so a reader never sees half an entry."""
    try:
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


_inputs_digests: dict[tuple, str] = {}
# One run of many folders (batch.stream_folders) takes the registers as they are when it starts, as a snapshot:
# stat-ing them again for each of 20,000 institutions was a tenth of a warm check. Outside a run (a single
# call, a long-lived process between runs) they are looked at every time.
_run: object | None = None
_run_inputs: dict[tuple, tuple[object, str]] = {}


def start_run() -> object:
    global _run
    _run = object()
    return _run


def end_run(run: object) -> None:
    global _run
    if _run is run:
        _run = None


def _inputs_digest(also: tuple[Path, ...]) -> str:
    """The files every institution is also judged against (the department registers): hashed once per process
    while they stat the same (size, mtime and ctime in ns, inode), again as soon as one is written."""
    if _run is not None:
        seen = _run_inputs.get(also)
        if seen is not None and seen[0] is _run:
            return seen[1]
        value = _inputs_digest_now(also)
        _run_inputs[also] = (_run, value)
        return value
    return _inputs_digest_now(also)


def _inputs_digest_now(also: tuple[Path, ...]) -> str:
    stats = []
    for path in also:
        try:
            info = os.stat(path)
            stats.append((info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
        except OSError:
            stats.append(None)
    memo = (also, tuple(stats))
    if memo not in _inputs_digests:
        from .paths import PROJECT_ROOT

        digest = hashlib.sha256()
        for path in also:  # named from the repository root: the key does not depend on where the checkout is
            name = os.path.relpath(path, PROJECT_ROOT)
            digest.update(f"\0{name}\0".encode("utf-8", "surrogateescape") + _fingerprint(path))
        _inputs_digests[memo] = digest.hexdigest()
    return _inputs_digests[memo]


@lru_cache(maxsize=None)
def _real_project_root() -> str:
    from .paths import PROJECT_ROOT

    return os.path.realpath(PROJECT_ROOT)


def _placement(folder: Path, real: str) -> str:
    """How the folder is named in its record. Inside the repository a record names files relative to the
    repository root (filing.display_path), so the key takes that relative path and not where the checkout
    lives: a cache restored by CI into another checkout path still hits. Outside it, files are named as
    the folder was given, so the key takes that name and the working directory."""
    try:
        inside = Path(real).relative_to(_real_project_root()).as_posix()
        return f"project:{inside}:{os.path.islink(folder)}"
    except ValueError:
        return f"outside:{os.getcwd()}\0{folder}"


def record_key(folder: Path, today: str, also: tuple[Path, ...] = (), attachments_by_name: bool = True) -> str:
    """ALSO: other files the record depends on (a register's dispatches are judged against sessions' plans).
    ATTACHMENTS_BY_NAME=False for what may carry an attachment's bytes (a PDF embedding a scan: stage_cache)."""
    real = os.path.realpath(folder)
    contents = folder_digest(folder, real, attachments_by_name) if os.path.isdir(folder) else "absent"
    digest = hashlib.sha256(f"{code_digest()}|{today}|{_placement(folder, real)}|{contents}|{_inputs_digest(also)}"
                            .encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


# An entry: MAGIC, the 64-character key, the SHA-256 of the payload, then the payload (the record, marshalled:
# several times faster to read than JSON). The payload is decoded only when its digest matches, so a truncated
# or damaged file is rejected before marshal sees it; the key check rejects an entry written for other inputs.
MAGIC = b"beianrc" + bytes([FORMAT])
RECORD_KINDS = ("filing", "register")
VIEW_KIND = "view"  # what is made of a record (cached_view), in .view files beside the .rec ones


def _entry_path(key: str, kinds: tuple[str, ...] = RECORD_KINDS) -> str:
    return f"{_records_root()}{os.sep}{key[:2]}{os.sep}{key}{'.view' if kinds == (VIEW_KIND,) else '.rec'}"


def _read(key: str, kinds: tuple[str, ...] = RECORD_KINDS) -> dict | None:
    import marshal

    path = _entry_path(key, kinds)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head = len(MAGIC) + 64 + 32
    if (len(data) <= head or data[:len(MAGIC)] != MAGIC or data[len(MAGIC):len(MAGIC) + 64] != key.encode("ascii")
            or hashlib.sha256(data[head:]).digest() != data[head - 32:head]):
        return None  # foreign, truncated or damaged: rebuilt, never trusted
    try:
        record = marshal.loads(data[head:])
    except (ValueError, EOFError, TypeError):
        return None
    if not (isinstance(record, dict) and record.get("kind") in kinds):
        return None
    from .cache import mark_used

    mark_used(path)
    return record


def _write(key: str, record: dict, kinds: tuple[str, ...] = RECORD_KINDS) -> None:
    import marshal

    try:
        payload = marshal.dumps(record)
    except ValueError:  # something marshal cannot hold: not cached
        return
    _store(_entry_path(key, kinds), MAGIC + key.encode("ascii") + hashlib.sha256(payload).digest() + payload)


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


_registers_seen: dict[tuple, tuple[Path, ...]] = {}


def institution_inputs(project_root: Path) -> tuple[Path, ...]:
    """What an institution is judged against besides its own folder: the department registers (its sessions'
    supervision records are checked against the dispatches and the supervisors' terms), in a stable order.
    Listed once per process while the department folder stats the same (a new register changes its mtime)."""
    from .paths import REGISTERS_FOLDER

    folder = project_root / REGISTERS_FOLDER
    try:
        info = os.stat(folder)
    except OSError:
        return ()
    memo = (folder, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    if memo not in _registers_seen:
        try:
            registers = sorted(Path(e.path) for e in os.scandir(folder) if e.is_dir())
        except OSError:
            registers = []
        _registers_seen[memo] = tuple(f / name for f in registers for name in ("supervisors.yaml", "dispatches.yaml"))
    return _registers_seen[memo]


def _record(key: str, build: Callable[[], dict]) -> dict:
    record = _read(key)
    if record is None:
        record = build()
        _write(key, record)
    return record


def cached_record(folder: Path, build: Callable[[], dict], also: tuple[Path, ...] = ()) -> dict:
    """The folder's record from the cache when nothing that judges it has changed, else built and stored."""
    if not enabled():
        return build()
    from .clock import evaluation_date

    return _record(record_key(folder, evaluation_date().isoformat(), also), build)


def cached_view(folder: Path, build: Callable[[], dict], also: tuple[Path, ...], name: str,
                make: Callable[[dict], object]):
    """make(record) for the folder's record, itself stored beside the record under NAME (which says everything
    besides the record that make depends on, e.g. the output format). A warm `beian check` reads the few
    kilobytes of its output piece instead of decoding the record and rendering it again: at 20,000
    institutions that was a third of the run. A view marshal cannot hold is simply not stored."""
    if not enabled():
        return make(build())
    from .clock import evaluation_date

    key = record_key(folder, evaluation_date().isoformat(), also)
    view_key = hashlib.sha256(f"{key}\0view\0{name}".encode("utf-8", "surrogateescape")).hexdigest()
    stored = _read(view_key, (VIEW_KIND,))
    if stored is not None:
        from .cache import mark_used

        mark_used(_entry_path(key))  # the record the piece was made of is still in use (another format needs it)
        return stored["value"]
    value = make(_record(key, build))
    _write(view_key, {"kind": VIEW_KIND, "value": value}, (VIEW_KIND,))
    return value
