"""Every problem of the register's dispatches (dispatches.yaml), by rule: what the `dispatch-*` checks report and
what `beian dispatch` shows beside a hand-made visit. Pure: register, sessions, rules and the evaluation date in,
Problem records out (generator/supervision/dispatch_rules.py holds the rules themselves)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dispatch_rules import (ELIGIBILITY_KINDS, DispatchRules, Service, obstacles,
                             one_place_clashes, rotation_breaches, rotation_text, visit_days)
from .model import SPECIAL, Register, SessionRoles, Visit

DEFICIENCY, REVIEW, NOTE = "deficiency", "review", "note"
ON_SITE = "现场督导"
# 002 第二十条: “超过200人的认定计划可增加外督员” (optional: a note, never a requirement)
MORE_SUPERVISORS_ABOVE = 200


@dataclass(frozen=True)
class Problem:
    rule: str                 # criterion id: dispatch-session, dispatch-size, ...
    kind: str                 # deficiency / review / note
    message: str
    visit: int                # index in dispatches.yaml `visits`
    path: tuple               # where in dispatches.yaml
    hint: str | None = None


def _card_path(visit: Visit, card: str) -> tuple:
    index = next((a.index for a in visit.assignments if a.card == card), None)
    return ("visits", visit.index, "supervisors", index, "card") if index is not None else ("visits", visit.index)


def services_of(register: Register, sessions: dict[str, SessionRoles]) -> list[Service]:
    """The register's visits as Services (key: the visit's index), with the cards that serve."""
    return [Service(visit.index, visit.session, visit.institution, visit_days(visit.dates, sessions.get(visit.session)),
                    frozenset(a.card for a in visit.serving if a.card), visit.made or dt.date.min)
            for visit in register.visits]


def _session_problems(visit: Visit, session: SessionRoles | None, days) -> list[Problem]:
    if session is None:
        return [Problem("dispatch-session", DEFICIENCY, f"委派的认定计划 {visit.session} 不存在"
                        f"（没有 institutions/{visit.institution}/sessions/{visit.session.split('/', 1)[-1]}/plan.yaml）",
                        visit.index, ("visits", visit.index, "session"),
                        "写“机构文件夹名/计划文件夹名”，例如 songyue-jishi/SY2026-12。")]
    found = []
    if visit.type == ON_SITE:
        for k, day in enumerate(visit.dates):
            if day not in session.days:
                exam = "、".join(str(d) for d in session.days) or "（计划未写考试日）"
                found.append(Problem("dispatch-session", DEFICIENCY, f"委派 {visit.session} 的现场督导日 {day} 不是该计划的考试日"
                                     f"（{exam}）", visit.index, ("visits", visit.index, "dates", k),
                                     "现场督导在考试日到场；不写 dates 即为全部考试日。"))
    if visit.made and days and visit.made >= days[0]:
        found.append(Problem("dispatch-session", DEFICIENCY, f"委派 {visit.session} 的日期 {visit.made} 不在督导日 {days[0]} 之前",
                             visit.index, ("visits", visit.index, "made"), "委派须在督导日之前作出（督导日前不让机构知道）。"))
    return found


def _size_problems(visit: Visit, session: SessionRoles | None, rules: DispatchRules) -> list[Problem]:
    needed, serving = rules.needed(visit.type), len(visit.serving)
    at = ("visits", visit.index, "supervisors")
    refused = len(visit.assignments) - serving
    counted = f"委派 {visit.session} 的{visit.type}有 {serving} 名外督到场" + (f"（另有 {refused} 名拒绝，不计入）" if refused else "")
    if serving < needed:
        special_only = visit.type == SPECIAL and serving >= rules.group_size
        kind = REVIEW if special_only else DEFICIENCY  # 001 第十八条 says 原则上: fewer needs a reason, judged by a reviewer
        return [Problem("dispatch-size", kind, f"{counted}，少于{rules.size_basis(visit.type)}", visit.index, at,
                        "补派外督（beian dispatch 可提出人选）。")]
    if session is not None and rules.group_size_stipulated and session.candidates > MORE_SUPERVISORS_ABOVE:
        return [Problem("dispatch-size", NOTE, f"{visit.session} 有 {session.candidates} 名考生，超过 {MORE_SUPERVISORS_ABOVE} 人的"
                        f"认定计划可增加外督员（{rules.group_size_source}）", visit.index, at)]
    return []


def _person_problems(visit: Visit, session, days, register: Register, rules: DispatchRules, today) -> list[Problem]:
    found = []
    for assignment in visit.serving:
        supervisor = register.supervisor(assignment.card)
        if supervisor is None:
            continue  # register-identity reports a card the register does not hold
        at = ("visits", visit.index, "supervisors", assignment.index, "card")
        for obstacle in obstacles(supervisor, days, session, rules, today):
            rule = "dispatch-eligible" if obstacle.kind in ELIGIBILITY_KINDS else "dispatch-avoidance"
            found.append(Problem(rule, DEFICIENCY if obstacle.certain else REVIEW,
                                 f"委派 {visit.session}：{obstacle.message}", visit.index, at,
                                 "改派名册中符合条件的外督（beian dispatch 可提出人选）。"))
    return found


def _name(register: Register, card: str) -> str:
    supervisor = register.supervisor(card)
    return supervisor.label if supervisor else card


def _between_visits(register: Register, services: list[Service], rules: DispatchRules) -> list[Problem]:
    by_index = {v.index: v for v in register.visits}
    found = []
    for breach in rotation_breaches(services, rules):
        last = by_index[breach.run[-1].key]
        plans = "、".join(s.session.split("/", 1)[-1] for s in breach.run)
        found.append(Problem("dispatch-rotation", DEFICIENCY,
                             f"{_name(register, breach.card)}连续 {len(breach.run)} 次督导 {last.institution}（{plans}）："
                             f"超出轮换规定，{rotation_text(rules)}", last.index, _card_path(last, breach.card),
                             "本次改派其他外督，让该机构的督导员轮换。"))
    for card, day, earlier, later in one_place_clashes(services):
        visit = by_index[later.key]
        found.append(Problem("dispatch-one-place", DEFICIENCY,
                             f"{_name(register, card)}在 {day} 同时被委派到 {earlier.session} 和 {later.session}",
                             visit.index, _card_path(visit, card), "一人一天只能在一处督导：改派其中一次。"))
    return found


def judge(register: Register, sessions: dict[str, SessionRoles], rules: DispatchRules, today: dt.date) -> list[Problem]:
    """Every problem of every visit of REGISTER, in the order of the visits and then of the rules between them."""
    found: list[Problem] = []
    for visit in register.visits:
        session = sessions.get(visit.session)
        days = visit_days(visit.dates, session)
        found += _session_problems(visit, session, days)
        found += _size_problems(visit, session, rules)
        found += _person_problems(visit, session, days, register, rules, today)
    return found + _between_visits(register, services_of(register, sessions), rules)
