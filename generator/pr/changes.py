"""What changed since a git revision: which institutions a pull request touches.

Only reads the repository (`git diff`, `git ls-files`, `git merge-base`); never
changes the working tree, the index or any ref.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# A change under any of these affects every filing's score, so every institution is checked.
GLOBAL_PREFIXES = ("rules/", "schemas/", "generator/")
INSTITUTIONS_PREFIX = "institutions/"


class GitError(Exception):
    """git is missing, the folder is not a repository, or a revision does not exist."""


def git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=120)
    except FileNotFoundError as exc:
        raise GitError("找不到 git 命令。") from exc
    if result.returncode != 0:
        raise GitError(result.stderr.strip() or f"git {' '.join(args)} 失败")
    return result.stdout


def treeish(root: Path, commit: str, path: str = "") -> str:
    """`commit:path` for git show / ls-tree / archive, with the path taken from the repository root
    even when beian runs in a subfolder of it."""
    prefix = git(root, "rev-parse", "--show-prefix").strip().rstrip("/")
    inner = "/".join(p for p in (prefix, path) if p)
    return f"{commit}:{inner}" if inner else commit


def resolve(root: Path, ref: str) -> str:
    """The commit a revision names; rejects option-like input before it reaches git."""
    if not ref or ref.startswith("-"):
        raise GitError(f"不是有效的 git 版本：{ref!r}")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except GitError:
        raise GitError(f"git 版本不存在：{ref}（浅克隆时请用 fetch-depth: 0 取全部历史）") from None


def merge_base(root: Path, base: str, head: str) -> str:
    """Where the branch left BASE, as GitHub compares a pull request; BASE itself if unrelated."""
    try:
        return git(root, "merge-base", base, head).strip() or base
    except GitError:
        return base


@dataclass
class Changes:
    base: str
    files: list[str] = field(default_factory=list)

    @property
    def global_change(self) -> list[str]:
        """Changed files that affect every institution."""
        return [f for f in self.files if f.startswith(GLOBAL_PREFIXES)]

    @property
    def institutions(self) -> list[str]:
        """Slugs of institutions with a changed, added or deleted file, sorted."""
        slugs = set()
        for name in self.files:
            if name.startswith(INSTITUTIONS_PREFIX):
                parts = name.split("/")
                if len(parts) >= 3 and parts[1] and not parts[1].startswith((".", "_")):
                    slugs.add(parts[1])
        return sorted(slugs)


def _own_change(path: str | None, children: list[str], files: list[str]) -> bool:
    """Whether FILES change something under PATH that is not one of its CHILDREN's own (paths from the project root)."""
    if not path:
        return False
    inside = lambda name, folder: name == folder or name.startswith(folder.rstrip("/") + "/")  # noqa: E731
    return any(inside(name, path) and not any(inside(name, child) for child in children if child) for name in files)


def answers_for(records: list[dict], files: list[str]):
    """Which results a change answers for (the subject filter for `cli.exit_code`): a filing whose own files
    changed, with all its sessions and their supervision records (they are judged against its people and
    scope); a session whose files changed, with its records; a supervision record or a department register
    whose file changed. A filing, session or record the change did not touch does not fail it, even when the
    change is to the rules or the code: that effect is `beian diff`'s to report."""
    counted: set[int] = set()
    for record in records:
        sessions = record.get("sessions") or ()
        filing = _own_change(record.get("path"), [s.get("path") for s in sessions], files)
        for session in sessions:
            items = session.get("records") or ()
            whole = filing or _own_change(session.get("path"), [r.get("path") for r in items], files)
            counted.update(id(item) for item in items if whole or item.get("path") in files)
            if whole:
                counted.add(id(session))
        if filing:
            counted.add(id(record))
    return lambda subject: id(subject) in counted


def changed_files(root: Path, ref: str, head: str | None = None) -> Changes:
    """Files changed between REF (its merge base with HEAD) and HEAD, or the working tree when head is None.

    Without head, uncommitted and untracked (not ignored) files count too, so a
    pre-push check sees what the author is about to push.
    """
    base_commit = resolve(root, ref)
    head_commit = resolve(root, head) if head else resolve(root, "HEAD")
    base = merge_base(root, base_commit, head_commit)
    args = ["diff", "--name-only", "--no-renames", "--relative", "-z", base]
    if head:
        args.append(head_commit)
    names = set(filter(None, git(root, *args).split("\0")))
    if not head:
        names.update(filter(None, git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0")))
    return Changes(base=base, files=sorted(names))


def changed_institution_dirs(root: Path, institutions_dir: Path, ref: str) -> tuple[list[Path], Changes]:
    """Institution folders to check for `beian check --changed-since REF` (deleted ones are left out)."""
    changes = changed_files(root, ref)
    if changes.global_change:
        slugs = sorted(p.name for p in institutions_dir.iterdir()
                       if p.is_dir() and not p.name.startswith((".", "_"))) if institutions_dir.is_dir() else []
    else:
        slugs = changes.institutions
    return [institutions_dir / s for s in slugs if (institutions_dir / s).is_dir()], changes
