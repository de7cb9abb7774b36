"""What the public is told about a filing's score: one vocabulary for the badge, the portal pages,
the PDF cover and score sheet, the 汇总表 and the register.

The score is the program's evaluation of the institution's own filing. Until the 人社部门 has
decided (profile.yaml status.state 已备案, in force), it is a self-check (自评) awaiting review,
never a decision: no “合格” or “具备备案条件” on a public surface. Once decided it is shown as
已备案. A failed veto item is shown as the veto, never as points still to win, and an invalid
filing has no score at all. `beian check` (a tool for staff) keeps its decision words.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

APPROVED, SUBMITTED, DRAFT, EXPIRED, REVOKED = STATES = ("已备案", "已提交", "草稿", "已过期", "已撤销")
INVALID = "文件无效"
UNKNOWN = "未知"

SELF_CHECK = "自评"
AWAITING = "待审核"
DISCLAIMER = "评分为程序自评结果，以人社部门审核为准"
# the state words where a score is never shown: the filing is no longer in force
STATE_WORDS = {EXPIRED: "备案已过期", REVOKED: "备案已撤销"}

STATE_COLOURS = {APPROVED: "#2e7d32", SUBMITTED: "#1565c0", DRAFT: "#9e9e9e", EXPIRED: "#ef6c00",
                 REVOKED: "#c62828", INVALID: "#616161", UNKNOWN: "#616161"}
VETO_COLOUR = "#c62828"


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def in_force(record: dict, today: dt.date) -> bool:
    """Approved by the department and not yet expired: the only case the score is a decided one."""
    until = as_date(record.get("valid_until"))
    return (record.get("state") == APPROVED and bool(record.get("valid", False))
            and (until is None or until >= today))


def effective_state(record: dict, approved: bool) -> str:
    """The state as the public should read it: 已备案 past its end date is 已过期."""
    if not record.get("valid", False):
        return INVALID
    state = str(record.get("state") or "")
    if state == APPROVED and not approved:
        return EXPIRED
    return state if state in STATES else UNKNOWN


def _points(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def veto_text(vetoes: list[dict]) -> str:
    """“否决项：<title>”, the first title only when there are several (the pages list them all)."""
    titles = [str(v.get("title") or v.get("rule") or "") for v in vetoes]
    more = f" 等 {len(titles)} 项" if len(titles) > 1 else ""
    return f"否决项：{titles[0]}{more}"


@dataclass(frozen=True)
class PublicResult:
    state: str          # effective_state(): one of STATES, 文件无效 or 未知
    decided: bool       # 已备案 and in force: the department's decision
    headline: str       # with the score, e.g. “自评 93 分 · 待审核”; the badge and the cover say this
    conclusion: str     # the same without the score, for a table's 结论 column
    score_words: str    # “自评 93 分” / “93 分” / “否决项：…”, or "" when no score is shown
    pending_note: str   # “另有 N 分待专家判定”, only without a veto on a valid filing
    cover_note: str     # the PDF cover's line saying what the document is ("" once decided)
    colour: str
    vetoed: bool = False  # a veto item failed: the score words are the veto, not points
    scored: bool = True   # False for a conditions result (增量备案审核): the words are its verdict, no points


def public_result(record: dict, approved: bool) -> PublicResult:
    """The public wording of one check record (report.filing_record, or a portal entry built on it).
    `approved`: in_force() of the record, as the portal already computed it.

    A points result shows its score (or its failed veto); a conditions result (增量备案审核) shows its
    verdict in the same place and the same vocabulary, never a score (it has none)."""
    state = effective_state(record, approved)
    if state == INVALID:
        return PublicResult(state, False, "文件无效", "文件无效，无法评分", "", "", "申请材料 · 备案文件无效，无法评分",
                            STATE_COLOURS[INVALID])
    decided = state == APPROVED
    scored = record.get("policy") != "conditions"
    vetoes = (record.get("vetoes") or []) if scored else []
    if not scored:
        shown, failed = str(record.get("decision_label") or ""), record.get("decision") == "ineligible"
    else:
        shown, failed = (veto_text(vetoes) if vetoes else f"{_points(record['score'])} 分"), bool(vetoes)
    score_words = shown if decided else f"{SELF_CHECK} {shown}"
    pending = record.get("pending_points") or 0
    pending_note = f"另有 {_points(pending)} 分待专家判定" if scored and pending and not vetoes else ""
    colour = VETO_COLOUR if failed and state in (SUBMITTED, DRAFT, UNKNOWN) else STATE_COLOURS[state]
    if decided:
        return PublicResult(state, True, f"{APPROVED} · {score_words}", APPROVED, score_words, pending_note, "", colour,
                            bool(vetoes), scored)
    if state in STATE_WORDS:  # no longer in force: say so, and no score that could read as a pass
        words = STATE_WORDS[state]
        return PublicResult(state, False, words, words, "", "", f"{words} · {DISCLAIMER}", colour, bool(vetoes), scored)
    # a table's 结论 column leaves the points out; a verdict is the conclusion itself
    summary = f"{SELF_CHECK}{f' {veto_text(vetoes)}' if vetoes else ''}" if scored else score_words
    if state == DRAFT:
        headline, conclusion = f"{DRAFT} · {score_words}", f"{DRAFT} · {summary}"
    elif state == SUBMITTED:
        headline, conclusion = f"{score_words} · {AWAITING}", f"{summary} · {AWAITING}"
    else:
        headline, conclusion = f"状态未知 · {score_words}", f"状态未知 · {summary}"
    return PublicResult(state, False, headline, conclusion, score_words, pending_note, f"申请材料 · {DISCLAIMER}", colour,
                        bool(vetoes), scored)
