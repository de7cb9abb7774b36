"""The register's numbers, counted once: the home page's 概况 and 备案状态 tables, the state chart, the build's
summary line and the institution list all read them from register_counts(), so no two places can disagree.

Two different questions get two different numbers, each said in words: how many institutions are 已备案 (their
public state, the same word as on their page and in the list), and how many may certify some occupation today,
which also counts a 增量备案 under review: its 原有 occupations stay covered by the 备案号 it already holds.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..public_state import APPROVED, INVALID, STATES, effective_state
from .model import CODE_RE, EXPIRY_WARNING_DAYS, approved_items


def state_label(entry: dict) -> str:
    """The institution's public state (public_state.py): one word for the page, the list, the chart and the counts."""
    return effective_state(entry, bool(entry.get("approved")))


def item_levels(item: dict) -> list[int]:
    """Every level a scope item covers, its job types' included, highest first (1 = 一级/高级技师)."""
    levels = set(item["levels"])
    for job in item["job_types"]:
        levels.update(job["levels"])
    return sorted(levels, reverse=True)


@dataclass(frozen=True)
class RegisterCounts:
    institutions: int
    by_state: tuple[tuple[str, int], ...]   # (state, institutions) in STATES order, then 文件无效; states with none left out
    certifying: int                         # institutions that may certify at least one occupation today
    approved_occupations: int               # occupations some institution may certify today
    applied_occupations: int                # occupations named in any filing, approved or not
    levels: tuple[tuple[int, int], ...]     # (level, institution × occupation pairs) that may be certified today
    expiring: int                           # 已备案 filings whose term ends within EXPIRY_WARNING_DAYS
    # Institutions that may certify but are not 已备案: a 增量备案 under review whose existing 备案号 is in force.
    certifying_under_review: int

    def state(self, label: str) -> int:
        return dict(self.by_state).get(label, 0)

    @property
    def approved(self) -> int:
        """Institutions whose state is 已备案: the same number as the 备案状态 table and the list's filter."""
        return self.state(APPROVED)


def register_counts(entries: list[dict], applied_occupations: int) -> RegisterCounts:
    states = Counter(state_label(e) for e in entries)
    certifying = [e for e in entries if approved_items(e)]
    codes = {i["code"] for e in certifying for i in approved_items(e) if CODE_RE.match(i["code"])}
    levels = Counter(level for e in certifying for i in approved_items(e) for level in item_levels(i))
    expiring = sum(1 for e in certifying if e.get("approved") and e.get("days_left") is not None
                   and e["days_left"] <= EXPIRY_WARNING_DAYS)
    return RegisterCounts(
        institutions=len(entries),
        by_state=tuple((label, states[label]) for label in (*STATES, INVALID) if states.get(label)),
        certifying=len(certifying), approved_occupations=len(codes), applied_occupations=applied_occupations,
        levels=tuple(sorted(levels.items(), reverse=True)), expiring=expiring,
        certifying_under_review=sum(1 for e in certifying if state_label(e) != APPROVED))
