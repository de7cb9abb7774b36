"""A session's occupations against the institution's approved scope and 备案 validity.

seed 004 第三部分 五 备案回执: the department approves “××等××个评价职业（工种）” for 3 years; an
assessment outside that scope, or on a day the 备案 is not in force, is not the registered institution's.
"""
from __future__ import annotations

import datetime as dt

from . import check, deficiency
from ..context import CheckContext
from ..plan_people import exam_days  # noqa: F401 - re-exported: the session checks read the days from here


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def approved_levels(filing, code: str, work_type: str | None) -> set[int] | None:
    """The levels the filing's scope approves for an occupation (and 工种), or None when it is not in
    scope. An occupation still being added by a 增量备案 (change: 新增) is not approved yet."""
    incremental = filing.get("profile", "application", "category") == "增量备案"
    for entry in filing.items("scope", "occupations"):
        if not isinstance(entry, dict) or str(entry.get("code")) != code:
            continue
        if incremental and entry.get("change") == "新增":
            return None
        job_types = [j for j in entry.get("job_types") or [] if isinstance(j, dict)]
        if job_types:
            match = next((j for j in job_types if j.get("name") == work_type), None)
            return {int(v) for v in match.get("levels") or [] if isinstance(v, int)} if match else None
        return {int(v) for v in entry.get("levels") or [] if isinstance(v, int)}
    return None


@check("session_scope.within_scope")
def within_scope(ctx: CheckContext):
    session, filing = ctx.subject, ctx.filing
    for index, occupation in enumerate(session.items("plan", "occupations")):
        if not isinstance(occupation, dict):
            continue
        code, level, work_type = str(occupation.get("code")), occupation.get("level"), occupation.get("work_type")
        label = f"{occupation.get('name') or code}" + (f"（{work_type}）" if work_type else "")
        levels = approved_levels(filing, code, work_type)
        where = session.at("plan", "occupations", index)
        if levels is None:
            yield deficiency(f"{label}（{code}）不在本机构备案的认定范围内（{filing.file_of('scope')}），不能组织认定。", where,
                             "只安排备案范围内的职业（工种）；新增职业须先办理增量备案。")
        elif level not in levels:
            allowed = "、".join(str(v) for v in sorted(levels, reverse=True))
            yield deficiency(f"{label} 的等级 {level} 不在备案范围内（备案等级：{allowed}）。",
                             session.at("plan", "occupations", index, "level"))
    status = filing.section("profile", "status")
    state = status.get("state")
    start, end = _date(status.get("valid_from")), _date(status.get("valid_until"))
    days = exam_days(session)
    if state != "已备案":
        yield deficiency(f"机构备案状态为“{state or '未填写'}”，不是“已备案”：备案有效之前（或撤销、过期之后）不能组织认定。",
                         session.at("plan"), "取得备案回执后再安排认定计划。")
        return
    outside = [(day, path) for day, path in days if not (start and end and start <= day <= end)]
    if outside:
        day, path = outside[0]
        listed = "、".join(sorted({d.isoformat() for d, _ in outside}))
        yield deficiency(f"认定日 {listed} 不在备案有效期（{start} 至 {end}）内。", session.at("plan", *path),
                         "备案到期前办理延续，或把认定安排在有效期内。")
