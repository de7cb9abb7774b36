"""What is in the cache folder, and removing what nobody has used for some days (`beian cache`).

The caches (generator/cache.py, record_cache.py, stage_cache.py) only ever add files: every evaluation date
means new check records, every changed filing new pages and PDFs. Each file that is read from the cache has its
modification time set to now (cache.mark_used), so "unused for N days" is the modification time, and a PDF
reused every day for a year stays while yesterday's records go. Only files the caches write are listed or
removed, recognised by where they are and how they are named: BEIAN_CACHE_DIR may point at a folder that holds
other things too, and those are never touched.
"""
from __future__ import annotations

import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

# (area, pattern of the path relative to the cache folder), first match wins; the areas in the order shown.
AREAS = (
    ("check records", re.compile(r"records/[0-9a-f]{2}/[0-9a-f]{64}\.rec")),
    ("check output pieces", re.compile(r"records/[0-9a-f]{2}/[0-9a-f]{64}\.view")),
    ("folder digests", re.compile(r"records/stat/[0-9a-f]{40}\.bin")),
    ("code digests", re.compile(r"records/code-[0-9a-f]{64}\.txt")),
    ("stored files", re.compile(r"stages/blobs/[0-9a-f]{2}/[0-9a-f]{64}")),
    ("stage entries", re.compile(r"stages/[a-z0-9-]+/[0-9a-f]{2}/[0-9a-f]{64}\.json")),
    ("compiled rules and validators", re.compile(r"[a-z0-9_]+_[0-9a-f]{8}_[0-9]+\.bin")),
    ("files scanned clean", re.compile(r"scanned/[0-9a-f]{2}/[0-9a-f]{64}")),
)
AREA_WORDS = {"check records": "检查记录", "check output pieces": "检查输出片段", "folder digests": "文件夹摘要",
              "code digests": "程序摘要", "stored files": "PDF 与工作簿文件", "stage entries": "页面、下载与打印条目",
              "compiled rules and validators": "编译好的规则与校验器",
              "files scanned clean": "已查过没有个人号码的 PDF 与工作簿", "unfinished writes": "未写完的临时文件"}
# A temporary file (name.PID.tmp) of a write that was interrupted; one of a running write is younger than this.
STALE_TEMPORARY_SECONDS = 3600
_TEMPORARY = re.compile(r".+\.[0-9]+\.tmp")


@dataclass
class Area:
    files: int = 0
    size: int = 0


@dataclass
class Survey:
    """The cache's files by area; ENTRIES: (area, path, size, modification time) of every recognised file."""
    areas: dict[str, Area] = field(default_factory=dict)
    entries: list[tuple[str, str, int, float]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return sum(area.files for area in self.areas.values())

    @property
    def size(self) -> int:
        return sum(area.size for area in self.areas.values())


def area_of(relative: str) -> str | None:
    """The area of a path relative to the cache folder ('/'-separated), None when no cache writes such a file."""
    name = relative.rpartition("/")[2]
    if _TEMPORARY.fullmatch(name):
        return "unfinished writes"
    for area, pattern in AREAS:
        if pattern.fullmatch(relative):
            return area
    return None


def survey(root: Path) -> Survey:
    """Every file the caches wrote under ROOT (symbolic links are not followed, nor listed)."""
    found = Survey()
    base = os.fspath(root)
    for folder, dirs, files in os.walk(base, onerror=lambda error: None):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        relative_folder = os.path.relpath(folder, base).replace(os.sep, "/")
        for name in files:
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            area = area_of(relative)
            if area is None:
                continue
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):  # a link or anything else that is not a plain file: not ours
                continue
            entry = found.areas.setdefault(area, Area())
            entry.files += 1
            entry.size += info.st_size
            found.entries.append((area, path, info.st_size, info.st_mtime))
    return found


def prune(root: Path, days: float, now: float | None = None) -> tuple[Survey, Survey]:
    """Remove the cache files not used for DAYS days (and interrupted writes older than an hour); (removed, kept)."""
    now = time.time() if now is None else now
    removed, kept = Survey(), Survey()
    for area, path, size, modified in survey(root).entries:
        limit = STALE_TEMPORARY_SECONDS if area == "unfinished writes" else days * 86400
        target = kept
        if now - modified > limit:
            try:
                os.unlink(path)
                target = removed
            except OSError:
                pass
        entry = target.areas.setdefault(area, Area())
        entry.files += 1
        entry.size += size
        target.entries.append((area, path, size, modified))
    _remove_empty_folders(root)
    return removed, kept


def clear(root: Path) -> Survey:
    """Remove every file the caches wrote (what prune would remove at 0 days, unfinished writes included)."""
    removed, _ = prune(root, days=0, now=float("inf"))
    return removed


def _remove_empty_folders(root: Path) -> None:
    for sub in ("records", "stages", "scanned"):
        for folder, _, _ in sorted(os.walk(os.path.join(root, sub)), key=lambda item: -len(item[0])):
            try:
                os.rmdir(folder)  # only succeeds when empty
            except OSError:
                pass
