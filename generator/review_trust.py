"""Whether a reviewer's decision may count: who made it, when, and whether it still fits the data.

The engine applies a decision only when trust_problem() finds nothing (the reviewer is in the
register and covers the institution's region, the date lies between the application and the
evaluation date, reviewer and reason are not blank), and check_inputs() finds its recorded
`inputs` digest still equal to the criterion's inputs (generator/review_inputs.py). A refused
decision is an error finding and does not count; the filing stays valid, because only that
judgment is void, not the institution's data.
"""
from __future__ import annotations

import datetime as dt

from .filing import Filing, Ref
from .findings import Finding
from .review_inputs import inputs_digest
from .escaping import is_blank

from .reviewers import Register, covers
from .sheet import Criterion, Sheet

STALE_LABEL = "评审后资料有变动，需重新判定"
# What a reviewer writes in a decision; `beian review-template` leaves all of them blank.
def decision_summary(decision: dict) -> str:
    verdict = decision.get("outcome") or f"{decision.get('points')} 分"
    return f"{decision.get('reviewer')}，{decision.get('date')}，{verdict}"


def trust_problem(filing: Filing, sheet: Sheet, criterion: Criterion, index: int, decision: dict,
                  today: dt.date, register: Register) -> Finding | None:
    """Why a well-formed decision does not count: nobody accountable made it, or not then."""
    file = filing.file_of("reviews")
    line = lambda key: filing.line_of(Ref("reviews", ("decisions", index, key)))  # noqa: E731
    label = f"`{criterion.id}`（{criterion.title}）"
    for key, what in (("reviewer", "评审人"), ("reason", "理由")):
        if is_blank(decision.get(key)):
            return Finding("review-blank", "error", f"{label} 的评审意见{what}是空白（只有空格或不可见字符），不计分。",
                           file, line(key), None, f"写明{what}；理由须说明给分或扣分的依据。")
    reviewer = register.by_name(decision["reviewer"])
    if reviewer is None:
        return Finding("review-unregistered", "error",
                       f"{label} 的评审人“{decision['reviewer']}”不在评审人名册 rules/reviewers.yaml 中，这条评审意见不计分。",
                       file, line("reviewer"), None,
                       "评审意见只能由名册中的评审人填写（按括号前的姓名匹配）；新评审人须先由人社部门加入名册。")
    city = filing.get("profile", "institution", "city")
    if not covers(reviewer, city, sheet.jurisdiction):
        return Finding("review-unregistered", "error",
                       f"{label} 的评审人 {reviewer.name} 在名册中只能评审 {'、'.join(reviewer.jurisdictions)} 的机构，"
                       f"本机构所在地为 {city or '（未填）'}，这条评审意见不计分。",
                       file, line("reviewer"), None, "请由名册中负责本地区的评审人重新评审。")
    try:
        date = dt.date.fromisoformat(str(decision.get("date")))
    except ValueError:
        return None  # the schema reports a malformed date
    if date > today:
        return Finding("review-date", "error", f"{label} 的评审日期 {date} 晚于评估日期 {today}，这条评审意见不计分。",
                       file, line("date"), None, "写实际评审的日期。")
    try:
        applied = dt.date.fromisoformat(str(filing.get("profile", "application", "date")))
    except ValueError:
        return None
    if date < applied:
        return Finding("review-date", "error",
                       f"{label} 的评审日期 {date} 早于备案申请日期 {applied}（profile.yaml application.date），"
                       "评审的不是本次申请的资料，不计分。", file, line("date"), None,
                       "对本次申请的资料重新评审，写评审当天的日期。")
    return None


def _set_aside(result, decision: dict) -> None:
    """A decision on inputs that have since changed no longer counts: the criterion waits for a
    reviewer again, up to what the program allows now. A veto the data shows stays a veto."""
    machine = result.machine
    result.stale = decision
    if machine.status != "vetoed":
        result.status, result.awarded, result.potential = "pending", 0, machine.potential


def check_inputs(filing: Filing, result, index: int, decision: dict) -> list[Finding]:
    """Compare the decision's recorded `inputs` with the criterion's inputs now; set it aside on RESULT when stale."""
    criterion = result.criterion
    file, line = filing.file_of("reviews"), filing.line_of(Ref("reviews", ("decisions", index)))
    recorded = decision.get("inputs")
    digest = inputs_digest(filing, result.observations)
    if recorded is None:
        # Older registers have no digests: the decision still counts, with a warning, so they keep working.
        return [Finding("review-inputs-missing", "warning",
                        f"`{criterion.id}`（{criterion.title}）的评审意见没有记录评审时的资料摘要 inputs，"
                        "无法发现评审后资料是否有变动。", file, line, None,
                        f"评审人确认资料与评审时一致后，补写 inputs: {digest}（`beian review-template` 输出的摘要）。")]
    if str(recorded) != digest:
        _set_aside(result, decision)
        return [Finding("review-stale", "warning",
                        f"`{criterion.id}`（{criterion.title}）：{STALE_LABEL}；原评审（{decision_summary(decision)}）不再计分。",
                        file, line, None, "请评审人对照现在的资料重新判定（`beian review-template` 列出待判定条目和新的摘要）。")]
    return []
