"""Decision policies: from a rule set's judged criteria to a filing's decision.

A rule set names its policy (`policy:` in rules/sheets/*.yaml, default "points"); the engine
looks it up here by that name and knows nothing else about it. Both policies decide
eligible / ineligible / pending_review, so exit codes, counts and the portal read one vocabulary;
what those words are called is the policy's (and, for conditions, the rule set's title).

  points      the 100-point sheet: base score + bonus against the pass mark, any failed veto
              is ineligible, points still pending may decide it (bonus_policy says how bonus counts)
  conditions  every condition met → eligible; any unmet → ineligible; otherwise, while any
              condition waits for a person's judgment → pending_review. No points at all.
  form        a supervision record: decided as conditions (does the record stand?), and the form it was
              filled on (rules/forms/) judged from its answers into result.form — score, levels, vetoes —
              shown beside the decision; the record's decision never turns on the session's score.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

POINTS_LABELS = {"eligible": "具备备案条件", "ineligible": "不具备备案条件", "pending_review": "待专家判定"}
CONDITIONS_LABELS = {"eligible": "具备条件", "ineligible": "不具备", "pending_review": "待判定"}


def decide_by_points(result) -> None:
    sheet = result.sheet
    scored = [c for c in result.criteria if not c.criterion.is_veto and not c.criterion.is_bonus]
    bonuses = [c for c in result.criteria if c.criterion.is_bonus]
    result.base_score = sum(c.awarded for c in scored)
    result.bonus = sum(c.awarded for c in bonuses)
    counted = result.base_score + (result.bonus if sheet.bonus_policy.get("counts_toward_threshold", True) else 0)
    cap = sheet.max_score if sheet.bonus_policy.get("cap_total_at_max", True) else float("inf")
    result.score = min(cap, counted)
    pending = sum(c.potential - c.awarded for c in result.criteria if c.status == "pending")
    result.pending_points = pending
    best = min(cap, counted + pending)
    if not result.valid or result.vetoes:
        result.decision = "ineligible"
    elif any(c.status == "pending" and c.criterion.is_veto for c in result.criteria):
        result.decision = "pending_review" if best >= sheet.threshold else "ineligible"
    elif result.score >= sheet.threshold:
        result.decision = "eligible"
    elif best >= sheet.threshold:
        result.decision = "pending_review"
    else:
        result.decision = "ineligible"


def decide_by_conditions(result) -> None:
    result.base_score = result.bonus = result.score = result.pending_points = 0
    statuses = [c.status for c in result.criteria]
    if not result.valid or "unmet" in statuses or "vetoed" in statuses:
        result.decision = "ineligible"
    elif "pending" in statuses:
        result.decision = "pending_review"
    else:
        result.decision = "eligible"


FORM_LABELS = {"eligible": "记录有效", "ineligible": "记录有问题", "pending_review": "待判定"}


def decide_by_form(result) -> None:
    decide_by_conditions(result)
    result.form = judged_form(result.filing)
    if result.form is not None and result.form.form.scored:
        result.score = result.base_score = result.form.score


def judged_form(record):
    """The FormResult of a loaded supervision record (a Filing of kind `supervision`); None when its form is unknown."""
    from .forms.answers import judge
    from .forms.model import get_form

    document = record.docs.get("record")
    data = document.data if document and isinstance(document.data, dict) else None
    form = get_form(str(data.get("form") or "")) if data else None
    return judge(form, data) if form else None


@dataclass(frozen=True)
class Policy:
    name: str
    decide: Callable[[object], None]
    labels: dict
    scored: bool  # whether the result has a score to show (points) or only a verdict (conditions)


POLICIES = {
    "points": Policy("points", decide_by_points, POINTS_LABELS, True),
    "conditions": Policy("conditions", decide_by_conditions, CONDITIONS_LABELS, False),
    "form": Policy("form", decide_by_form, FORM_LABELS, False),
}


def policy_of(sheet) -> Policy:
    return POLICIES[getattr(sheet, "policy", None) or "points"]


def decide(result) -> None:
    policy_of(result.sheet).decide(result)


def decision_label(sheet, decision: str) -> str:
    """What `beian check` calls a decision: “具备备案条件”, or “增量备案审核：具备条件” for a conditions set."""
    policy = policy_of(sheet)
    # a rule set may name its verdicts itself (a session's plan 符合要求 rather than 具备条件)
    label = (getattr(sheet, "decision_labels", None) or {}).get(decision) or policy.labels[decision]
    title = getattr(sheet, "decision_title", "") if sheet is not None else ""
    return f"{title}：{label}" if title and not policy.scored else label
