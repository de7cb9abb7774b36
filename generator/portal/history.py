"""Each institution's versions, from git history: which commits changed its folder, when, and which parts.

One `git log --name-only` per folder that holds institutions (normally just institutions/), never one
git call per institution: at 1,500 institutions that would be 1,500 processes. Nothing from a commit
but its hash, its date and the files it touched is read: author names, e-mail addresses and messages
are people's words and stay out of the portal (a message may name anyone).

A shallow clone (CI checks out one commit by default) has only part of the history: its oldest
commit looks as if it created every file. The section then says the history is incomplete instead
of presenting that commit as the institution's first version. Without git, or for a folder outside
any repository, there is no history and the page says so.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..version_link import short_commit, version_anchor

# What a change to each part of a filing folder means, in the words of the filing's own pages.
PART_WORDS = {
    "profile.yaml": "基本情况", "scope.yaml": "认定范围", "personnel.yaml": "人员", "sites.yaml": "场地设施设备",
    "scheme.yaml": "实施方案", "policies.yaml": "制度", "certificate.yaml": "证书样式",
    "reviews.yaml": "专家评审意见", "evidence": "证明材料", "sessions": "认定计划",
}
OTHER_PART = "其他文件"

_RECORD, _FIELD = "\x1e", "\x1f"


@dataclass(frozen=True)
class Version:
    commit: str               # the full hash
    date: str                 # committer date, ISO 8601 with offset
    parts: tuple[str, ...]    # PART_WORDS of what the commit changed in this folder, in PART_WORDS order

    @property
    def short(self) -> str:
        return short_commit(self.commit)

    @property
    def anchor(self) -> str:
        # the anchor the QR codes on printouts link to (generator/version_link.py): one scheme for both
        return version_anchor(self.commit)


@dataclass
class FolderHistory:
    """The versions of one institution's folder, newest first. `tracked`: the folder lies in a git
    repository that could be read; `shallow`: that repository is a shallow clone (history cut off);
    `modified`: the folder has changes not yet committed (the page shows more than its newest version)."""
    tracked: bool = False
    shallow: bool = False
    modified: bool = False
    versions: list[Version] = field(default_factory=list)


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), "-c", "core.quotePath=false", *args],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def part_of(path_in_folder: str) -> str:
    """The plain words for a path inside an institution's folder ('scope.yaml', 'sessions/SY1/plan.yaml')."""
    return PART_WORDS.get(path_in_folder.split("/", 1)[0], OTHER_PART)


def _ordered(parts: set[str]) -> tuple[str, ...]:
    order = list(dict.fromkeys([*PART_WORDS.values(), OTHER_PART]))
    return tuple(sorted(parts, key=order.index))


def parse_log(text: str) -> dict[str, list[Version]]:
    """`git log --relative --name-only --format=<RS>%H<US>%cI` run in the folder of institutions →
    folder name → its versions, newest first (git's order)."""
    touched: dict[str, list[Version]] = {}
    for record in text.split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        commit, _, date = head.strip().partition(_FIELD)
        parts: dict[str, set[str]] = {}
        for name in names.splitlines():
            name = name.strip()
            if len(name) > 1 and name[0] == name[-1] == '"':  # a name git still quoted (control characters)
                name = name[1:-1]
            folder, slash, rest = name.partition("/")
            if folder and slash:
                parts.setdefault(folder, set()).add(part_of(rest))
        for folder, words in parts.items():
            touched.setdefault(folder, []).append(Version(commit, date, _ordered(words)))
    return touched


def _dirty_folders(parent: Path, prefix: str) -> set[str]:
    """Names of the folders under PARENT with uncommitted changes (paths in `status` are from the repository root)."""
    out = _git(parent, "status", "--porcelain", "-z", "--untracked-files=all", "--", ".")
    folders = set()
    for item in (out or "").split("\0"):
        path = item[3:] if len(item) > 3 and item[2] == " " else ""
        if path.startswith(prefix):
            folder, slash, _ = path[len(prefix):].partition("/")
            if slash:
                folders.add(folder)
    return folders


def read_parent(parent: Path) -> tuple[bool, dict[str, list[Version]], set[str]] | None:
    """(shallow, versions by folder name, folders with uncommitted changes) of every folder under
    PARENT, from one log and one status; None when PARENT is not in a git repository (or git is missing)."""
    facts = _git(parent, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if facts is None:
        return None
    lines = facts.splitlines()
    shallow = bool(lines) and lines[0].strip() == "true"
    prefix = lines[1].strip() if len(lines) > 1 else ""
    log = _git(parent, "log", "--relative", "--name-only", f"--format={_RECORD}%H{_FIELD}%cI", "--", ".")
    if log is None:  # a repository without any commit yet
        return shallow, {}, set()
    return shallow, parse_log(log), _dirty_folders(parent, prefix)


def histories(folders: list[Path]) -> dict[str, FolderHistory]:
    """str(folder) → its FolderHistory, for every folder given; one git log per distinct parent folder."""
    by_parent: dict[Path, list[Path]] = {}
    for folder in folders:
        by_parent.setdefault(Path(folder).resolve().parent, []).append(Path(folder))
    result: dict[str, FolderHistory] = {}
    for parent, members in by_parent.items():
        read = read_parent(parent) if parent.is_dir() else None
        for folder in members:
            if read is None:
                result[str(folder)] = FolderHistory()
                continue
            shallow, versions, dirty = read
            name = Path(folder).resolve().name
            result[str(folder)] = FolderHistory(True, shallow, name in dirty, list(versions.get(name, [])))
    return result
