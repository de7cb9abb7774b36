"""The people a plan names are the institution's: examiners qualified for what they examine.

The qualification of an examiner for an occupation is the filing's (generator/checks/personnel.py `standing`: the
申请表's “①相关职业②中级职称或高级工 / 高级职称或高级技师”, related = same occupation or 小类); a session only asks
it of the occupations the examiner actually examines, and, for 技师/高级技师 modules, of a 高级考评员
(工作规则第六条). Everyone else named in the plan must at least be in personnel.yaml.
"""
from __future__ import annotations

from pathlib import PurePath

from . import check, deficiency, needs_review
from ..context import CheckContext
from ..plan_people import PERSONNEL_GROUPS, personnel_by_name, venue_people
from .personnel import (MISSING, RELATED, SENIOR, UNCERTAIN, UNRELATED, UNQUALIFIED, appointment_gaps,
                        examiner_grade, examiner_occupations, standing)

_RANK = {RELATED: 0, UNCERTAIN: 1, MISSING: 2, UNRELATED: 3, UNQUALIFIED: 4}


def _where_listed(groups: dict) -> str:
    return "、".join(PERSONNEL_GROUPS[g] for g in PERSONNEL_GROUPS if g in groups)


def _best(listings: list[dict], code: str, grade: str | None, reference):
    """(person, standing) of the listing that stands best for CODE at GRADE (its own grade when None)."""
    judged = [(p, standing(p, code, grade or examiner_grade(p), reference)) for p in listings]
    return min(judged, key=lambda pair: _RANK.get(pair[1].status, 9)) if judged else (None, None)


def _examiner(name, code, label, listings, reference, at):
    """The findings for one examiner examining one occupation."""
    appointed = [p for p in listings if code in examiner_occupations(p)]
    if not appointed:
        codes = "、".join(dict.fromkeys(c for p in listings for c in examiner_occupations(p))) or "无"
        yield deficiency(f"考评员 {name} 在 personnel.yaml 中不是 {label}（{code}）的考评员（所聘考评职业：{codes}），"
                         f"不能考评该职业。", at, "改派该职业的考评员，或先在 personnel.yaml 中聘其为该职业考评员（须具备任职条件）。")
        return
    person, found = _best(appointed, code, None, reference)
    grade = examiner_grade(person)
    if found.status == RELATED:
        gaps = appointment_gaps(person)
        if gaps:
            yield deficiency(f"{grade} {name}{'、'.join(gaps)}（personnel.yaml appointment），不能安排考评。", at,
                             "签订聘用协议、颁发聘书后在 personnel.yaml 中记录。")
        return
    if found.status in (UNCERTAIN, MISSING):
        yield needs_review(f"{grade} {name} 考评 {label}（{code}）：{found.why}；是否相关由专家判定。", at)
    elif person.get("exceptional"):
        yield needs_review(f"{grade} {name} 按破格聘任（{person['exceptional']}），对 {label}（{code}）：{found.why}；"
                           f"是否符合破格条件由专家判定。", at)
    else:
        yield deficiency(f"{grade} {name} 不具备考评 {label}（{code}）的条件：{found.why}。", at,
                         "改派具备条件的相关职业考评员。")


def _senior_for_module(names, code, label, level, people, reference, at, senior_from):
    """A 技师/高级技师 module needs a 高级考评员 qualified and related for the occupation among its examiners."""
    if not isinstance(level, int) or level > senior_from:
        return
    seniors = [(name, p) for name in names for p in people.get(name, {}).get("examiners", [])
               if examiner_grade(p) == SENIOR and code in examiner_occupations(p)]
    standings = [(name, standing(p, code, SENIOR, reference)) for name, p in seniors]
    if any(s.status == RELATED for _, s in standings):
        return
    wanted = f"{label} {reference.level_names.get(level, level)} 的考试须由高级考评员考评（工作规则第六条：技师、高级技师等级认定由高级考评员考评）"
    pending = [(name, s) for name, s in standings if s.status in (UNCERTAIN, MISSING)]
    if pending:
        yield needs_review(f"{wanted}；高级考评员{'；'.join(f'{n}：{s.why}' for n, s in pending)}，是否相关由专家判定。", at)
    else:
        listed = "、".join(names) or "无"
        yield deficiency(f"{wanted}，本模块考评人员（{listed}）中没有具备条件的该职业高级考评员。", at,
                         "为本模块安排至少 1 名该职业的高级考评员。")


@check("session_examiners.examiners_qualified")
def examiners_qualified(ctx: CheckContext):
    session, reference = ctx.subject, ctx.reference
    senior_from = ctx.params.get("senior_examiner_from_level", 2)
    people = personnel_by_name(ctx.filing)
    personnel = PurePath(ctx.filing.file_of("personnel")).name  # the file name: the folder is the institution's
    seen: set[tuple[str, str]] = set()
    for i, occupation in enumerate(session.items("plan", "occupations")):
        if not isinstance(occupation, dict):
            continue
        code, level = str(occupation.get("code")), occupation.get("level")
        label = f"{occupation.get('name') or code}" + (f"（{occupation['work_type']}）" if occupation.get("work_type") else "")
        for j, module in enumerate(occupation.get("modules") or []):
            if not isinstance(module, dict):
                continue
            names = [str(n).strip() for n in module.get("examiners") or [] if n]
            for k, name in enumerate(names):
                if (name, code) in seen:
                    continue  # one finding per examiner and occupation, at the first module naming them
                seen.add((name, code))
                at = session.at("plan", "occupations", i, "modules", j, "examiners", k)
                groups = people.get(name, {})
                if "examiners" not in groups:
                    elsewhere = f"（列为{_where_listed(groups)}）" if groups else ""
                    yield deficiency(f"考评员 {name} 不在本机构的考评人员队伍（{personnel} examiners）中{elsewhere}，"
                                     f"不能担任考评人员。", at, "改派本机构聘任的考评员，或先聘任并在 personnel.yaml 中登记。")
                    continue
                yield from _examiner(name, code, label, groups["examiners"], reference, at)
            yield from _senior_for_module(names, code, label, level, people, reference,
                                          session.at("plan", "occupations", i, "modules", j), senior_from)

    # Everyone else the plan names must be the institution's own people.
    for person in venue_people(session):
        groups = people.get(person.name, {})
        at = session.at("plan", *person.path)
        if not groups:
            yield deficiency(f"{person.role} {person.name} 不在本机构的人员名单（{personnel}）中。", at,
                             "安排本机构的人员，或先在 personnel.yaml 中登记。")
        elif person.group and person.group not in groups:
            yield deficiency(f"{person.role} {person.name} 不在内部质量监督人员队伍（{personnel} {person.group}）中"
                             f"（列为{_where_listed(groups)}）。",
                             at, "安排本机构聘任的内部督导人员，或先在 personnel.yaml 的 supervisors 中登记。")
