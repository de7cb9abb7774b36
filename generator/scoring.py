"""Scoring modes: from a criterion and what its check observed, to points and a status.

Pure functions, no I/O. A status is one of:
  met       满分 / 通过 (veto) / 加分 (bonus)
  partial   部分得分
  unmet     不得分 / 无此项 (bonus)
  pending   等待专家判定; `potential` is the most the reviewer could still award
  vetoed    否决项不通过
  reviewed  专家已判定 (set by the engine when a decision is applied)
"""
from __future__ import annotations

from dataclasses import dataclass

from .checks import CREDIT, DEFICIENCY, REVIEW
from .sheet import Criterion

STATUS_LABELS = {
    "met": "符合", "partial": "部分符合", "unmet": "不符合", "pending": "待专家判定",
    "vetoed": "否决", "reviewed": "专家已评",
}


@dataclass(frozen=True)
class Outcome:
    status: str
    awarded: float
    potential: float   # what the criterion could reach once pending judgment is settled


def _counts(observations) -> tuple[int, int, bool]:
    deficiencies = sum(1 for o in observations if o.kind == DEFICIENCY)
    credits = sum(1 for o in observations if o.kind == CREDIT)
    review = any(o.kind == REVIEW for o in observations)
    return deficiencies, credits, review


def _decided(points: float, maximum: float) -> Outcome:
    if points >= maximum:
        return Outcome("met", maximum, maximum)
    if points <= 0:
        return Outcome("unmet", 0, 0)
    return Outcome("partial", points, points)


def all_or_nothing(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    if deficiencies:
        return Outcome("unmet", 0, 0)
    return Outcome("pending", 0, criterion.max) if review else Outcome("met", criterion.max, criterion.max)


def deduction(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    points = max(0, criterion.max - criterion.per * deficiencies)
    if review and points > 0:
        return Outcome("pending", 0, points)
    return _decided(points, criterion.max)


def per_item(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    points = min(criterion.max, criterion.per * credits)
    if review and points > 0:
        return Outcome("pending", 0, points)
    return _decided(points, criterion.max)


def discretion(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    if deficiencies and criterion.zero_if_deficient:
        return Outcome("unmet", 0, 0)
    return Outcome("pending", 0, criterion.max)


def veto(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    if deficiencies:
        return Outcome("vetoed", 0, 0)
    return Outcome("pending", 0, 0) if review else Outcome("met", 0, 0)


def bonus(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    if not credits:
        return Outcome("unmet", 0, 0)
    if review:
        return Outcome("pending", 0, criterion.points)
    return Outcome("met", criterion.points, criterion.points)


def condition(criterion: Criterion, deficiencies: int, credits: int, review: bool) -> Outcome:
    """A condition of a conditions rule set: met or unmet, no points; pending when only a person can tell."""
    if deficiencies:
        return Outcome("unmet", 0, 0)
    return Outcome("pending", 0, 0) if review else Outcome("met", 0, 0)


MODES = {
    "all_or_nothing": all_or_nothing,
    "deduction": deduction,
    "per_item": per_item,
    "discretion": discretion,
    "veto": veto,
    "bonus": bonus,
    "condition": condition,
}


def score(criterion: Criterion, observations) -> Outcome:
    return MODES[criterion.mode](criterion, *_counts(observations))


def effect_text(criterion: Criterion) -> str:
    """How one deficiency of this criterion costs points, for finding messages."""
    if criterion.mode == "deduction":
        return f"扣 {criterion.per} 分"
    if criterion.mode == "veto":
        return "否决项"
    if criterion.mode == "condition":
        return "不符合条件"
    if criterion.mode == "all_or_nothing":
        return "本项不得分"
    if criterion.mode == "discretion" and criterion.zero_if_deficient:
        return "本项不得分"
    return ""
