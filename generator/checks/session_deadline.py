"""The plan's submission deadline: N working days before the first exam day.

seed 004 第五部分 四、认定流程管理“认定计划”三：“认定工作开展前 10 个工作日向省（市）职业技能鉴定中心报送认定
实施计划”. N is the jurisdiction fact `plan_deadline_working_days` on the first exam day; how the days are counted
(both ends excluded, holidays and 调休 from the State Council schedule) is generator/workdays.py's docstring.

A year whose holiday schedule is not yet published is never guessed. The working days of the published part of
the span are a lower bound, though (days of an unknown year can only add working days): when that part alone
holds N, the plan is on time whatever the next year's schedule says; otherwise a person must judge.
"""
from __future__ import annotations

import datetime as dt

from . import check, deficiency, needs_review
from ..context import CheckContext
from .session_scope import _date, exam_days

WEEKDAYS = "一二三四五六日"


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _required(ctx: CheckContext, first_day: dt.date) -> int:
    from .. import workdays

    if ctx.jurisdiction is None:  # a filing outside any jurisdiction file: the handbook's number
        return workdays.REQUIRED_DAYS
    return int(ctx.jurisdiction.fact("plan_deadline_working_days", first_day))


def _holiday_text(span) -> str:
    """“国庆节 10月1日至10月7日放假；10月10日（星期六）调休上班” for the days in a span."""
    blocks: list[list] = []  # [name, first, last]
    for day, name in span.holidays:
        if blocks and blocks[-1][0] == name and (day - blocks[-1][2]).days == 1:
            blocks[-1][2] = day
        else:
            blocks.append([name, day, day])
    parts = [f"{name} {_day(a)}" + (f"至{_day(b)}" if b != a else "") + "放假" for name, a, b in blocks]
    parts += [f"{_day(d)}（星期{WEEKDAYS[d.weekday()]}）调休上班" for d in span.adjusted_workdays]
    return "；".join(parts)


def _latest_text(first_day: dt.date, required: int) -> str:
    """The latest on-time submission date, and the last working day on or before it when it is not one."""
    from .. import workdays

    latest = workdays.latest_on_time_submission(first_day, required)
    if latest is None:
        return ""
    text = f"最迟应在 {latest.isoformat()}（星期{WEEKDAYS[latest.weekday()]}）报送"
    office, steps = latest, 0
    while workdays.is_working_day(office) is False and steps < 40:
        office -= dt.timedelta(days=1)
        steps += 1
    if office != latest and workdays.is_working_day(office):
        text += f"，该日不是工作日，须在工作日报送的，最迟为 {office.isoformat()}"
    return text


@check("session_deadline.submitted_in_time")
def submitted_in_time(ctx: CheckContext):
    from .. import workdays

    session = ctx.subject
    days = exam_days(session)
    if not days:
        yield needs_review("计划中没有考试日期（occupations.modules.date），无法核对是否在认定工作开展前按时报送；"
                           "请写明各考试模块的日期，或由审核人员按认定开展日期核对。", session.at("plan", "occupations"))
        return
    first_day, first_path = days[0]
    from ..jurisdiction import JurisdictionError

    try:
        required = _required(ctx, first_day)
    except JurisdictionError as error:  # a first exam day before the handbook's rule applies: no number to use
        yield needs_review(f"{error}无法核对报送期限，由审核人员按当时的规定核对。", session.at("plan", *first_path))
        return
    first_at = session.at("plan", *first_path)
    submitted = _date(session.get("plan", "submitted")) if session.get("plan", "submitted") else None
    if submitted is None:
        latest = _latest_text(first_day, required)
        yield deficiency(f"计划未写报送日期（submitted），无法证明已在首个考试日 {first_day.isoformat()} 前 {required} 个工作日报送"
                         f"{'；' + latest if latest else ''}。", session.at("plan"),
                         "报送鉴定指导中心后填写 submitted: \"YYYY-MM-DD\"。")
        return
    where = session.at("plan", "submitted")
    span = workdays.working_days_between(submitted, first_day)
    if span.count is None:
        first_unknown = span.unpublished_years[0]
        known = None
        if submitted.year < first_unknown:
            known = workdays.working_days_between(submitted, dt.date(first_unknown, 1, 1))
            if known.count is not None and known.count >= required:
                return  # the published part alone holds enough working days: on time whatever follows
        counted = (f"其中已公布年份内只有 {known.count} 个工作日，" if known is not None and known.count is not None else "")
        yield needs_review(f"{span.unpublished_text}，无法计算报送日 {submitted.isoformat()} 至首个考试日 {first_day.isoformat()} "
                           f"之间的工作日（{counted}须有 {required} 个）；不按普通周末推算。国务院公布放假安排、日历库"
                           f"（chinesecalendar）更新后重新检查，或由审核人员按公布的放假安排核对。", where, (where, first_at))
        return
    if span.count >= required:
        return
    if submitted >= first_day:
        yield deficiency(f"报送日 {submitted.isoformat()} 不早于首个考试日 {first_day.isoformat()}：认定实施计划须在认定工作开展前 "
                         f"{required} 个工作日报送{'，' + _latest_text(first_day, required) if _latest_text(first_day, required) else ''}。",
                         where, f"推迟考试日期，使报送日之后、首个考试日之前至少有 {required} 个工作日。")
        return
    holidays = _holiday_text(span)
    latest = _latest_text(first_day, required)
    text = (f"报送日 {submitted.isoformat()} 至首个考试日 {first_day.isoformat()} 之间只有 {span.count} 个工作日"
            f"（两端不计），少于认定工作开展前 {required} 个工作日")
    if holidays:
        text += f"；其间{holidays}"
    if latest:
        text += f"；按时报送{latest}"
    yield deficiency(text + "。", where, f"推迟考试日期，使报送日之后、首个考试日之前至少有 {required} 个工作日。")
