"""Which git version a piece of data is: the last commit that changed it, its date, and whether it has
changed since. Printouts stamp it (bundle, receipts, plans, forms, cards, workbooks) and the portal's
footer dates the register by it. Only git is run; nothing heavy is imported, so anything may ask.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import PROJECT_ROOT


@lru_cache(maxsize=None)
def git_root() -> Path | None:
    """The top folder of the git checkout the project is in; None without git or outside any checkout."""
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None


@dataclass(frozen=True)
class DataVersion:
    """The git version a printout is made from: the last commit that changed its data, and whether the data
    has changed since (then the paper matches no published version)."""
    label: str                 # as the footer prints it: “0123456789ab”, “0123456789ab+未提交修改”, “未提交” …
    commit: str = ""           # the full commit id; "" when the data is not committed or git is unavailable
    dirty: bool = False        # uncommitted changes in the data
    committed: str = ""        # the commit's date (ISO 8601 with its UTC offset), "" without a commit

    @property
    def short(self) -> str:
        from .version_link import short_commit

        return short_commit(self.commit)

    @property
    def published(self) -> bool:
        """Whether the portal can show exactly this version: committed, without later changes."""
        return bool(self.short) and not self.dirty


def data_version(path: Path) -> DataVersion:
    """The commit that last changed PATH (a folder: anything in it), with “+未提交修改” when it is dirty."""
    from .version_link import short_commit

    if git_root() is None:
        return DataVersion("未纳入 git")
    path = Path(path)
    folder, name = (path, ".") if path.is_dir() else (path.parent, path.name)
    try:
        log = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%H%x09%cI", "--", name],
                             capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--", name],
                               capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return DataVersion("未知")
    commit, _, date = (log.stdout.strip() if log.returncode == 0 else "").partition("\t")
    if not short_commit(commit):
        return DataVersion("未提交")
    changed = bool(dirty.stdout.strip())
    return DataVersion(short_commit(commit) + ("+未提交修改" if changed else ""), commit, changed, date)
