"""The 10-working-day plan deadline (seed 004 第五部分 四、认定流程管理“认定计划”三) as a user would count it:
提交日不计入, the first exam day not either, 调休 weekend days are working days, holidays are not."""
import datetime as dt

import chinese_calendar
import pytest

from generator.workdays import (is_working_day, latest_on_time_submission, published_years, unpublished_text,
                                working_days_between)

D = dt.date


def test_library_holds_the_2026_schedule_these_tests_rely_on():
    # State Council 2026 放假安排 as the library has it: 春节 2月15日–23日, 2月14日（周六）和 2月28日（周六）上班；
    # 国庆节 10月1日–7日, 9月20日（周日）和 10月10日（周六）上班.
    for day in (D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)):
        assert day.weekday() >= 5 and chinese_calendar.is_workday(day)
    for day in (D(2026, 2, 16), D(2026, 2, 23), D(2026, 10, 1), D(2026, 10, 7)):
        assert day.weekday() < 5 and not chinese_calendar.is_workday(day)


def test_adjusted_saturday_counts_and_holiday_weekday_does_not():
    assert is_working_day(D(2026, 2, 14)) is True       # 调休上班的周六
    assert is_working_day(D(2026, 9, 20)) is True       # 调休上班的周日
    assert is_working_day(D(2026, 2, 16)) is False      # 春节假期中的周一
    assert is_working_day(D(2026, 10, 6)) is False      # 国庆假期中的周二
    assert is_working_day(D(2026, 12, 5)) is False      # 普通周六
    assert is_working_day(D(2026, 12, 7)) is True       # 普通周一


def test_spring_festival_2026_span():
    # Submitted Friday 6 Feb, exam Monday 2 Mar: 9–13 Feb (5) + Sat 14 Feb (调休) + 24–27 Feb (4) + Sat 28 Feb (调休).
    days = working_days_between(D(2026, 2, 6), D(2026, 3, 2))
    assert days.count == 11
    assert days.adjusted_workdays == (D(2026, 2, 14), D(2026, 2, 28))
    assert [d for d, _ in days.holidays] == [D(2026, 2, d) for d in range(15, 24)]
    assert {name for _, name in days.holidays} == {"春节"}
    # Without the two 调休 Saturdays the plan would look late; with them it is on time.
    assert latest_on_time_submission(D(2026, 3, 2)) == D(2026, 2, 9)
    assert working_days_between(D(2026, 2, 9), D(2026, 3, 2)).count == 10
    assert working_days_between(D(2026, 2, 10), D(2026, 3, 2)).at_least() is False


def test_national_day_2026_span():
    # Submitted Friday 18 Sep, exam Tuesday 13 Oct: 21–24 Sep (4) + Sun 20 Sep (调休) + 28–30 Sep (3)
    # + 8–9 Oct (2) + Sat 10 Oct (调休) + Mon 12 Oct (1) = 12; 中秋 25–27 Sep and 国庆 1–7 Oct are off.
    days = working_days_between(D(2026, 9, 18), D(2026, 10, 13))
    assert days.count == 12
    assert days.adjusted_workdays == (D(2026, 9, 20), D(2026, 10, 10))
    assert (D(2026, 10, 1), "国庆节") in days.holidays and (D(2026, 9, 25), "中秋") in days.holidays
    assert D(2026, 10, 8) not in {d for d, _ in days.holidays}   # 10月8日 is a working day again


def test_plain_fortnight_submission_day_not_counted():
    # Two Mondays two weeks apart with no holiday between: 1 June → 15 June 2026.
    monday, exam = D(2026, 6, 1), D(2026, 6, 15)
    assert monday.weekday() == 0 and exam.weekday() == 0
    late = working_days_between(monday, exam)
    assert late.count == 9 and late.at_least() is False          # 提交日（周一）不计入：6月2日–12日 只有 9 天
    assert late.holidays == () and late.adjusted_workdays == ()
    on_time = working_days_between(D(2026, 5, 29), exam)            # 上一个周五提交
    assert on_time.count == 10 and on_time.at_least() is True
    # The latest submission by the rule is the Sunday before: the weekend is not counted either way.
    assert latest_on_time_submission(exam) == D(2026, 5, 31)


def test_2025_national_day():
    # 2025: 国庆、中秋 10月1日–8日 off, Sun 28 Sep and Sat 11 Oct working.
    days = working_days_between(D(2025, 9, 26), D(2025, 10, 15))
    assert days.adjusted_workdays == (D(2025, 9, 28), D(2025, 10, 11))
    assert days.count == 1 + 2 + 2 + 1 + 2    # Sun 28 + 29–30 Sep + Thu 9–Fri 10 Oct + Sat 11 Oct + 13–14 Oct
    assert latest_on_time_submission(D(2025, 10, 15)) == D(2025, 9, 24)


def test_empty_span_has_no_working_days():
    assert working_days_between(D(2026, 6, 1), D(2026, 6, 2)).count == 0
    assert working_days_between(D(2026, 6, 10), D(2026, 6, 1)).count == 0


def _first_unpublished_year() -> int:
    year = max(published_years()) + 1
    with pytest.raises(NotImplementedError):   # the library itself refuses the year
        chinese_calendar.is_workday(D(year, 3, 2))
    return year


def test_unpublished_year_is_said_not_guessed():
    year = _first_unpublished_year()
    assert is_working_day(D(year, 3, 2)) is None
    days = working_days_between(D(year - 1, 12, 18), D(year, 1, 15))
    assert days.count is None and days.at_least() is None
    assert days.unpublished_years == (year,)
    assert days.unpublished_text == f"{year} 年的放假安排尚未收录"
    assert latest_on_time_submission(D(year, 1, 20)) is None
    # A span inside the published years names none.
    assert working_days_between(D(year - 1, 3, 1), D(year - 1, 3, 20)).unpublished_text == ""


def test_published_years_come_from_the_library():
    years = published_years()
    assert 2025 in years and 2026 in years
    assert all(chinese_calendar.is_workday(D(y, 6, 1)) in (True, False) for y in years)
    assert unpublished_text((2027, 2028)) == "2027、2028 年的放假安排尚未收录"


def test_required_must_be_positive():
    with pytest.raises(ValueError):
        latest_on_time_submission(D(2026, 6, 15), required=0)
