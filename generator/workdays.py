"""Working days (工作日) under the State Council holiday schedule, for the plan deadline.

Seed 004 第五部分 四、认定流程管理“认定计划”三：“认定工作开展前 10 个工作日向省（市）职业技能鉴定中心
报送认定实施计划”; the sample scheme (第四部分 七、工作方案 四（四）上报认定计划) says the same: “提前 10 个
工作日……提交本次认定的申请”.

How the days are counted (the seed does not say, so this is our reading, stated once here):

- The submission day itself is not counted. 民法典 第二百零一条：“按照年、月、日、小时计算期间的，开始的当日
  不计入，自下一日开始计算。” A plan handed in on a Friday afternoon gives the centre no working time that day.
- The first exam day is not counted either: the 10 days are *before* 认定工作开展, so they are the working days
  strictly after the submission date and strictly before the first exam day.
- The plan is on time when that count is at least 10.
- A working day is what the State Council's annual 放假安排 makes one: Monday–Friday that is not a holiday, plus
  the 调休 Saturdays and Sundays declared working days. The schedule comes from the maintained library
  `chinesecalendar` (`chinese_calendar.is_workday`), not from a table of our own.

A year whose schedule the library does not have (the State Council publishes the next year's schedule in
November or December; the library follows some days later) is never guessed: the count is None and the year is
named in `unpublished_years`, so that callers say “2027 年的放假安排尚未收录” instead of counting weekends only.
"Unpublished" is whatever makes the library raise NotImplementedError, so a newer library release extends the
range without a change here.

`chinese_calendar` is imported inside the functions, not at module level: `import chinese_calendar` takes about
6.5 ms (`python -X importtime -c "import chinese_calendar"`, cumulative 6.5 ms, chinesecalendar 1.11.0, measured
2026-12-01), which `beian check` pays only when a check actually asks about working days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

REQUIRED_DAYS = 10  # seed 004 第五部分 四、认定流程管理“认定计划”三


@dataclass(frozen=True)
class WorkingDays:
    """The working days strictly between two dates, with what a reader needs to check the count.

    `count` is None when a year in the span has no published schedule (`unpublished_years` names it).
    `holidays` are the statutory holiday dates in the span with the holiday's Chinese name (weekend days inside a
    holiday block included, as the 放假安排 lists them); `adjusted_workdays` are the 调休 Saturdays and Sundays
    in the span that are working days."""
    count: int | None
    unpublished_years: tuple[int, ...] = ()
    holidays: tuple[tuple[dt.date, str], ...] = ()
    adjusted_workdays: tuple[dt.date, ...] = ()

    def at_least(self, required: int = REQUIRED_DAYS) -> bool | None:
        """Whether the span holds `required` working days; None when it cannot be known."""
        return None if self.count is None else self.count >= required

    @property
    def unpublished_text(self) -> str:
        """What a finding says instead of a count: “2027 年的放假安排尚未收录”; "" when every year is known."""
        return unpublished_text(self.unpublished_years)


def unpublished_text(years) -> str:
    return f"{'、'.join(str(y) for y in years)} 年的放假安排尚未收录" if years else ""


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a date too; its time of day must not make two equal days compare unequal.
    return dt.date(day.year, day.month, day.day)


# Cached: each library call scans the whole holiday table for its date range (min/max over ~700 dates), and the
# sessions of one institution ask about the same weeks over and over (20 sessions: 1,800 asks, 170 distinct days).
@lru_cache(maxsize=4096)
def _day_facts(day: dt.date) -> tuple[bool, str | None] | None:
    """(is a working day, holiday name in Chinese or None) for one day; None when its year is not published."""
    import chinese_calendar

    try:
        working = chinese_calendar.is_workday(day)
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    if name is not None:
        try:
            name = chinese_calendar.Holiday(name).chinese
        except ValueError:  # a holiday the library names but does not list in its enum: keep its own name
            pass
    return working, name


def is_working_day(day: dt.date) -> bool | None:
    """Whether `day` is a working day (调休 weekend days included); None when its year is not published."""
    facts = _day_facts(_as_date(day))
    return None if facts is None else facts[0]


def published_years() -> tuple[int, ...]:
    """The years whose holiday schedule the installed library has, oldest first (asked of the library)."""
    import chinese_calendar

    listed = sorted({day.year for day in chinese_calendar.holidays})
    if not listed:
        return ()
    # The library's holiday table gives the candidates; each is confirmed by asking is_workday itself, so a
    # year the library would refuse is never reported as published.
    return tuple(year for year in range(listed[0], listed[-1] + 1) if is_working_day(dt.date(year, 1, 1)) is not None)


def working_days_between(start: dt.date, end: dt.date) -> WorkingDays:
    """The working days strictly after `start` and strictly before `end` (both ends excluded).

    For a plan: start = the submission date, end = the first exam day. An empty span (end at most one day after
    start) has 0 working days."""
    start, end = _as_date(start), _as_date(end)
    count, unpublished, holidays, adjusted = 0, set(), [], []
    day = start + dt.timedelta(days=1)
    while day < end:
        facts = _day_facts(day)
        if facts is None:
            unpublished.add(day.year)
            # The whole year is missing: skip to its end instead of asking 365 times.
            day = dt.date(day.year + 1, 1, 1)
            continue
        working, name = facts
        if working:
            count += 1
            if day.weekday() >= 5:
                adjusted.append(day)
        elif name is not None:
            holidays.append((day, name))
        day += dt.timedelta(days=1)
    return WorkingDays(None if unpublished else count, tuple(sorted(unpublished)), tuple(holidays), tuple(adjusted))


def latest_on_time_submission(first_day: dt.date, required: int = REQUIRED_DAYS) -> dt.date | None:
    """The last date on which a plan for an exam starting `first_day` is still on time; None when unknown.

    Counting back from the day before `first_day`, the `required`-th working day must lie after the submission
    date, so the answer is the calendar day before it. That day may itself be a weekend or holiday (the
    submission day is not counted, whatever it is); a caller that wants an office day walks back further."""
    if required < 1:
        raise ValueError(f"required must be at least 1, not {required}")
    first_day = _as_date(first_day)
    found, day = 0, first_day
    while found < required:
        day -= dt.timedelta(days=1)
        working = is_working_day(day)
        if working is None:
            return None
        found += working
    return day - dt.timedelta(days=1)


def working_day_deadline(day: dt.date, count: int) -> dt.date | None:
    """The `count`-th working day after `day` (`day` itself not counted): the last day of a “within N working
    days after” limit (001 第二十条, 002 附件3 注 2). None when a year on the way is not published."""
    day, found = _as_date(day), 0
    while found < count:
        day += dt.timedelta(days=1)
        working = is_working_day(day)
        if working is None:
            return None
        found += working
    return day
