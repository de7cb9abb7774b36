"""The portal's 认定计划 pages, 认定日历 and iCalendar feeds (generator/portal/sessions.py, ics.py),
without running mkdocs."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil

import pytest

from conftest import BASE, FIXTURES, ROOT, TODAY
from filing_patch import apply_edits

os.environ.setdefault("BEIAN_TODAY", TODAY)

from generator.portal import build as portal  # noqa: E402
from generator.portal import ics, sessions  # noqa: E402
from generator.portal.model import collect  # noqa: E402

HOSTILE = "<script>alert(1)</script> [链接](javascript:x) {: onclick=y }"
SONGYUE = ROOT / "institutions" / "songyue-jishi"


def school(tmp_path, name, plan_edits=None, plan="T2026-12"):
    """The base filing, filed, with the base session as sessions/<plan> and PLAN_EDITS applied to it."""
    folder = tmp_path / name
    shutil.copytree(BASE, folder)
    apply_edits(folder, {"variant": "filed"})
    session = folder / "sessions" / plan
    shutil.copytree(FIXTURES / "base-session", session)
    if plan_edits:
        apply_edits(session, {"set": {"plan.yaml": plan_edits}})
    return folder


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sessions")
    hostile = school(tmp, "hostile-school", {"title": HOSTILE, "venues.0.name": "<b>考点</b>",
                                             "occupations.0.modules.0.venue": "<b>考点</b>",
                                             "occupations.0.modules.1.venue": "<b>考点</b>",
                                             "venues.0.address": "登封市 联系人手机 17712348091"})
    outside = school(tmp, "outside-school", {"occupations.0.code": "6-18-01-02", "occupations.0.name": "铣工"})
    return collect([SONGYUE, hostile, outside], jobs=1)


def by_slug(entries, slug):
    return next(e for e in entries if e["institution"] == slug)


# --- the 认定计划 page ---------------------------------------------------------------------------

def test_session_page_lists_each_session_with_its_decision_and_outcome(entries):
    page = sessions.sessions_page(by_slug(entries, "songyue-jishi"), set())
    for plan in ("SY2026-06", "SY2026-10", "SY2026-11", "SY2026-12", "SY2027-01"):
        assert f"## {plan} " in page
    assert page.index("## SY2027-01") < page.index("## SY2026-06")  # newest first
    section = page[page.index("## SY2026-12"):page.index("## SY2026-11")]
    assert "审核结论：符合要求" in section and "考试考核" in section and "2026-12-12、2026-12-13" in section
    assert "<td>6-18-01-01</td><td>车工</td><td>数控车床</td><td>三级/高级工</td><td>26</td>" in section
    past = page[page.index("## SY2026-06"):]
    assert "参考 90 人，合格 82 人" in past
    assert "Y000041039012264000001 – Y000041039012264000031" in past


def test_session_page_shows_an_unmet_rule_with_rule_file_and_line(entries):
    entry = by_slug(entries, "outside-school")
    page = sessions.sessions_page(entry, {"henan-2022-session/session-scope"})
    assert "审核结论：不符合要求" in page
    row = next(line for line in page.splitlines() if "不在本机构备案的认定范围内" in line)
    assert row.startswith("<tr><td>不符合</td>")
    assert '<a href="../../rules/henan-2022-session/session-scope/">session-scope</a>' in row
    assert re.search(r"sessions/T2026-12/plan\.yaml:\d+</td>", row)


def test_hostile_text_is_escaped_on_every_page(entries):
    entry = by_slug(entries, "hostile-school")
    page = sessions.sessions_page(entry, set())
    calendar = sessions.calendar_page(entries, dt.date(2026, 11, 23))
    for text in (page, calendar):
        assert "<script" not in text and "<b>" not in text and "](javascript" not in text and "{: onclick" not in text
    assert "&#60;script&#62;alert(1)&#60;/script&#62;" in page
    assert "&#60;b&#62;考点&#60;/b&#62;" in calendar


def test_no_personal_number_reaches_a_page_or_feed(entries):
    from generator.portal.text import contains_id

    entry = by_slug(entries, "hostile-school")
    for text in (sessions.sessions_page(entry, set()), sessions.institution_feed(entry, dt.date(2026, 11, 23))):
        whole = "".join(ics.unfold(text))  # a feed's lines joined; a page has no folds
        assert "登封市" in whole and not contains_id(whole) and "8091" not in whole


def test_findings_that_quote_a_person_are_published_without_the_name(entries):
    # SY2027-01 has one 监考 in 机房301: the finding stays, the invigilator's and 内督's names do not
    page = sessions.sessions_page(by_slug(entries, "songyue-jishi"), set())
    section = page[page.index("## SY2027-01"):page.index("## SY2026-12")]
    assert "审核结论：不符合要求" in section
    assert "只安排了 1 名监考（姓名略）" in section
    for name in ("贾明远", "薛红霞", "夏永健"):
        assert name not in page


def test_roster_findings_are_published_without_the_candidate_facts():
    session = {"sheet": "s", "conditions": [{"rule": "session-eligibility", "status": "unmet"}],
               "findings": [{"rule": "session-eligibility", "severity": "warning", "line": 12,
                             "message": "考生 032：中职非毕业学年，不能报三级",
                             "file": "institutions/x/sessions/P1/roster.yaml"}]}
    rows = sessions._finding_rows(session, set())
    assert rows == [["不符合", "session-eligibility", sessions.ROSTER_WITHHELD, "institutions/x/sessions/P1/roster.yaml:12"]]


def test_institution_page_links_to_its_sessions_and_home_to_the_calendar(entries):
    from generator.portal import pages

    entry = by_slug(entries, "songyue-jishi")
    page = pages.institution_page(entry, set(), set())
    assert "已提交认定计划 5 个" in page and "(../sessions/songyue-jishi.md)" in page
    from generator.portal.counts import register_counts

    assert "](calendar.md)" in pages.home_page(register_counts(entries, 0))


# --- the 认定日历 -------------------------------------------------------------------------------

def test_calendar_lists_only_exam_days_from_today_in_date_order(entries):
    today = dt.date(2026, 12, 6)
    rows = sessions.calendar_rows(entries, today)
    days = [row["day"] for row in rows]
    assert days == sorted(days) and days[0] == "2026-12-06"
    plans = {row["session"]["plan_number"] for row in rows}
    assert plans == {"SY2026-11", "SY2026-12", "SY2027-01", "T2026-12"}  # not SY2026-06, SY2026-10
    assert [row["session"]["plan_number"] for row in rows if row["day"] == "2026-12-06"] == ["SY2026-11"]
    assert len([row for row in rows if row["day"] == "2026-12-08"]) == 2  # T2026-12 in the two test schools
    assert sessions.calendar_rows(entries, dt.date(2026, 12, 8))[0]["day"] == "2026-12-08"
    page = sessions.calendar_page(entries, today)
    assert "SY2026-06" not in page and "SY2026-10" not in page and "2026-12-05" not in page
    assert page.index("2026-12-06") < page.index("2026-12-12") < page.index("2027-01-09")
    assert "[all.ics](calendar/all.ics)" in page
    assert "目前没有尚未举行的认定考试" in sessions.calendar_page(entries, dt.date(2030, 1, 1))


# --- the iCalendar feeds ------------------------------------------------------------------------

def parse(feed: str) -> list[dict]:
    """A small reader for what the writer promises: unfolded lines, components, properties."""
    assert feed.endswith("\r\n") and "\n" not in feed.replace("\r\n", "")
    for physical in feed.split("\r\n")[:-1]:
        assert len(physical.encode("utf-8")) <= 75, physical
    events, current, stack = [], None, []
    for line in ics.unfold(feed)[:-1]:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
        elif current is not None:
            key, *params = name.split(";")
            current[key] = (params, value)
    assert not stack
    return events


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_feed_parses_with_zone_times_and_escaped_text(entries):
    feed = sessions.institution_feed(by_slug(entries, "songyue-jishi"), dt.date(2026, 11, 23), "https://example.org/")
    assert feed.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n" in feed
    events = parse(feed)
    assert len(events) == 24  # every exam module of the five sessions, past ones included
    first = events[0]
    assert first["DTSTART"] == (["TZID=Asia/Shanghai"], "20260613T083000")
    assert first["DTEND"] == (["TZID=Asia/Shanghai"], "20260613T100000")
    assert first["DTSTAMP"] == ([], "20261123T000000Z")
    assert unescape(first["SUMMARY"][1]) == "职业技能等级认定：车工（数控车床）四级/中级工 理论知识（河南嵩岳技师学院）"
    assert unescape(first["LOCATION"][1]) == "本部考点，河南省洛阳市洛龙区嵩岳大道116号"
    assert "评价计划编号：SY2026-06\n" in unescape(first["DESCRIPTION"][1])
    assert first["URL"][1] == "https://example.org/sessions/songyue-jishi/#plan-sy2026-06"
    assert len({e["UID"][1] for e in events}) == len(events)


def test_hostile_text_in_a_feed_is_escaped_not_obeyed(entries):
    feed = sessions.institution_feed(by_slug(entries, "hostile-school"), dt.date(2026, 11, 23))
    events = parse(feed)
    description = events[0]["DESCRIPTION"][1]
    assert "认定计划：<script>alert(1)</script> [链接](javascript:x) {: onclick=y }" in unescape(description)
    assert ics.text("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert "\n" not in ics.text("x\r\nBEGIN:VEVENT") and "\r" not in ics.text("x\rEND:VCALENDAR")


def test_uids_stay_the_same_when_dates_times_or_other_sessions_change(entries, tmp_path):
    before = collect([school(tmp_path, "uid-school")], jobs=1)[0]
    moved = collect([school(tmp_path / "b", "uid-school", {"occupations.0.modules.0.date": "2026-12-10",
                                                           "occupations.0.modules.0.start": "14:00",
                                                           "occupations.0.modules.0.end": "15:30"})], jobs=1)[0]
    uids = {e["uid"] for e in sessions.events(before)}
    assert uids == {e["uid"] for e in sessions.events(moved)} and len(uids) == 2
    feed = parse(sessions.all_feed([before, by_slug(entries, "songyue-jishi")], dt.date(2026, 11, 23)))
    assert uids < {e["UID"][1] for e in feed}
    upcoming = {e["uid"] for e in sessions.events(by_slug(entries, "songyue-jishi")) if e["day"] >= dt.date(2026, 11, 23)}
    assert upcoming and upcoming < {e["UID"][1] for e in feed}


def test_fold_never_splits_a_character_and_keeps_short_lines():
    line = "SUMMARY:" + "认定" * 40 + "abc"
    parts = ics.fold(line)
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    assert ics.fold("VERSION:2.0") == ["VERSION:2.0"]


def test_module_without_times_is_an_all_day_event():
    lines = ics.event_lines({"uid": "u@x", "day": dt.date(2026, 12, 31), "start": ics.clock(510), "end": None,
                             "summary": "s"}, dt.date(2026, 11, 23))
    assert "DTSTART;VALUE=DATE:20261231" in lines and "DTEND;VALUE=DATE:20270101" in lines


# --- writing them -------------------------------------------------------------------------------

def test_generate_writes_pages_and_feeds_with_crlf(entries, tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    portal.write_sessions(entries, docs, set(), "")
    assert (docs / "calendar.md").is_file()
    assert (docs / "sessions" / "songyue-jishi.md").is_file()
    data = (docs / "calendar" / "institutions" / "songyue-jishi.ics").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") and data.startswith(b"BEGIN:VCALENDAR\r\n")
    everything = parse((docs / "calendar" / "all.ics").read_bytes().decode("utf-8"))
    # the feed of all: every institution's exams from the evaluation date on (the calendar page's window); the
    # institution's own feed keeps the past ones too
    days = [e["DTSTART"][1][:8] for e in everything]
    assert len(everything) == sum(1 for entry in entries for event in sessions.events(entry)
                                  if event["day"].isoformat() >= TODAY) and min(days) >= TODAY.replace("-", "")
    own = parse(data.decode("utf-8"))
    assert any(e["DTSTART"][1][:8] < TODAY.replace("-", "") for e in own)
