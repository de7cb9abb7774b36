"""Review decisions in a pull request: what changed in reviews.yaml, and whether it may count.

A change to an institution's reviews.yaml is not a data improvement: it is a reviewer's
judgment, and only a registered reviewer may make it. So `beian diff` reports such changes
first and apart from data changes, and when the PR's author (a GitHub login the workflow
passes with --author) is not in the register of the BASE revision, every reviews.yaml the PR
touches, and the register itself, are scored as they are at BASE: the changed decisions do not
count in the scores reported. The BASE register decides, so a PR cannot make its own author
a reviewer. (The merge itself is guarded by CODEOWNERS; this keeps the report honest.)
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..review_entries import is_unfilled
from ..reviewers import REGISTER_FILE, Register, parse_register, person_name
from .changes import GitError, changed_files, git, treeish

REGISTER_PATH = f"rules/{REGISTER_FILE}"
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(\[bot\])?$")


def reviews_path(slug: str) -> str:
    return f"institutions/{slug}/reviews.yaml"


def shown_login(author: str) -> str:
    """The login as safe text; anything that is not a GitHub login is cut down to its safe characters."""
    return author if LOGIN.match(author) else re.sub(r"[^A-Za-z0-9\-\[\]]", "", author)[:40] or "（无效账号）"


def author_registered(author: str | None, register: Register) -> bool | None:
    """None when no author was given (a local run): changes count, and are still reported first."""
    if not author or not author.strip():
        return None
    return register.by_login(author.strip()) is not None


# --- reading decisions ------------------------------------------------------------------------

def _load(text: str | None):
    from ..yamlload import read_data

    return read_data(text) if text is not None else None


def decisions_of(text: str | None) -> dict[str, dict]:
    """criterion → decision in a reviews.yaml text; {} when absent or unreadable. A template entry
    not filled in yet is no decision (review_trust.is_unfilled)."""
    data = _load(text)
    items = data.get("decisions") if isinstance(data, dict) else None
    return {str(d["criterion"]): d for d in items if isinstance(d, dict) and d.get("criterion") and not is_unfilled(d)} \
        if isinstance(items, list) else {}


def read_text(path: Path) -> str | None:
    """A file of an exported tree as text; None when it is absent or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def register_in(tree: Path) -> Register:
    return parse_register(_load(read_text(tree / REGISTER_PATH)))


def _verdict(decision: dict) -> str:
    if decision.get("outcome") is not None:
        return str(decision["outcome"])
    points = decision.get("points")
    return f"{points:g}" if isinstance(points, (int, float)) else str(points)


def decision_changes(before_text: str | None, after_text: str | None, titles: dict[str, str]) -> list[dict]:
    """Added, removed and changed decisions between two reviews.yaml texts, in criterion order of the file."""
    before, after = decisions_of(before_text), decisions_of(after_text)
    changes = []
    for criterion in list(after) + [c for c in before if c not in after]:
        old, new = before.get(criterion), after.get(criterion)
        if old == new:
            continue
        kind = "added" if old is None else ("removed" if new is None else "changed")
        changes.append({"criterion": criterion, "title": titles.get(criterion, criterion), "kind": kind,
                        "before": _verdict(old) if old else None, "after": _verdict(new) if new else None,
                        "reviewer_before": person_name(old.get("reviewer", "")) if old else None,
                        "reviewer_after": person_name(new.get("reviewer", "")) if new else None})
    if not changes and before_text != after_text:
        changes.append({"criterion": None, "title": "reviews.yaml", "kind": "other", "before": None, "after": None,
                        "reviewer_before": None, "reviewer_after": None})
    return changes


def change_text(change: dict) -> str:
    """'题库（卷库） 3 → 10，评审人 钱丽华'"""
    title, kind = change["title"], change["kind"]
    reviewer = change["reviewer_after"] or change["reviewer_before"] or "未写"
    if change["reviewer_before"] and change["reviewer_after"] and change["reviewer_before"] != change["reviewer_after"]:
        reviewer = f"{change['reviewer_before']} → {change['reviewer_after']}"
    if kind == "added":
        return f"{title} 新增 {change['after']}，评审人 {reviewer}"
    if kind == "removed":
        return f"{title} 删除（原为 {change['before']}），评审人 {reviewer}"
    if kind == "other":
        return "reviews.yaml 中评审意见以外的内容有改动"
    if change["before"] != change["after"]:
        return f"{title} {change['before']} → {change['after']}，评审人 {reviewer}"
    return f"{title} 理由、日期或资料摘要有改动，评审人 {reviewer}"


# --- holding back changes an unregistered author made ----------------------------------------

def restore_base_reviews(base_tree: Path, head_tree: Path, slugs: list[str], register: bool) -> None:
    """In HEAD_TREE (a scratch copy), put back BASE's reviews.yaml of SLUGS (and register)."""
    for relative in [reviews_path(s) for s in slugs] + ([REGISTER_PATH] if register else []):
        source, target = base_tree / relative, head_tree / relative
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        elif target.exists():
            target.unlink()


@dataclass
class HeldBack:
    """Review changes since BASE that do not count, for `beian check --changed-since BASE --author LOGIN`."""

    author: str
    reviews: dict[str, str | None] = field(default_factory=dict)  # slug → BASE's reviews.yaml text (None: none)
    register: Register | None = None                              # BASE's register, when the PR changed it

    def note(self, record: dict) -> None:
        """Say in the record's findings why its reviews.yaml changes are not counted."""
        if record["institution"] not in self.reviews:
            return
        record["findings"].insert(0, {
            "rule": "review-unregistered", "severity": "error",
            "message": f"PR 提交人 {shown_login(self.author)} 不在评审人名册中，本 PR 对评审意见的修改不计入本次得分"
                       "（按基准版本的 reviews.yaml 评分）。",
            "file": f"{record['path']}/reviews.yaml", "line": None,
            "hint": "评审意见须由名册中的评审人提交或批准（.github/CODEOWNERS）。"})


def _show(root: Path, commit: str, path: str) -> str | None:
    try:
        return git(root, "show", treeish(root, commit, path))
    except GitError:
        return None


def held_back(root: Path, ref: str, author: str | None) -> HeldBack | None:
    """What to score as at REF because AUTHOR is not in REF's register; None when everything counts."""
    changes = changed_files(root, ref)
    register = parse_register(_load(_show(root, changes.base, REGISTER_PATH)))
    if author_registered(author, register) is not False:
        return None
    held = HeldBack(author.strip())
    for slug in changes.institutions:
        if reviews_path(slug) in changes.files:
            held.reviews[slug] = _show(root, changes.base, reviews_path(slug))
    if REGISTER_PATH in changes.files:
        held.register = register
    return held
