"""session-deadline when a year's holiday schedule is not published: said, never guessed.

A submission date may not lie after the evaluation date (rule date-future), so these cases cannot use the rule
fixtures' fixed evaluation date; they evaluate the base session on a day inside the unpublished year instead.
"""
from __future__ import annotations

import datetime as dt
import shutil

from conftest import BASE, FIXTURES, ROOT
from filing_patch import apply_edits
from generator.engine import evaluate_sessions
from generator.filing import load_filing
from generator.workdays import published_years

RULE = "session-deadline"


def _deadline(tmp_path, submitted: dt.date, first: dt.date, today: dt.date):
    folder = tmp_path / "case-school"
    shutil.copytree(BASE, folder)
    apply_edits(folder, {"variant": "filed"})
    session = folder / "sessions" / "T2026-12"
    shutil.copytree(FIXTURES / "base-session", session)
    apply_edits(session, {"set": {"plan.yaml": {
        "submitted": submitted.isoformat(), "occupations.0.modules.0.date": first.isoformat(),
        "occupations.0.modules.1.date": (first + dt.timedelta(days=1)).isoformat()}}})
    result = evaluate_sessions(load_filing(folder, ROOT), ROOT, today=today)[0]
    messages = [f"{f.rule} {f.severity} {f.message}" for f in result.findings]
    criterion = next(c for c in result.criteria if c.criterion.id == RULE)
    return criterion.status, [f.message for f in result.findings if f.rule == RULE], messages


def test_whole_span_in_an_unpublished_year_is_pending(tmp_path):
    assert 2031 not in published_years()
    status, findings, messages = _deadline(tmp_path, dt.date(2031, 1, 6), dt.date(2031, 2, 17), dt.date(2031, 1, 7))
    assert status == "pending", messages
    assert any("2031 年的放假安排尚未收录" in m and "不按普通周末推算" in m for m in findings), findings


def test_published_part_too_short_is_pending_and_says_how_many(tmp_path):
    # The last published year's 28 December to 12 January of the next: 3 working days are known, the rest is not.
    last = published_years()[-1]
    status, findings, messages = _deadline(tmp_path, dt.date(last, 12, 28), dt.date(last + 1, 1, 12),
                                           dt.date(last, 12, 29))
    assert status == "pending", messages
    assert any(f"{last + 1} 年的放假安排尚未收录" in m and "其中已公布年份内只有" in m for m in findings), findings


def test_published_part_long_enough_is_met_whatever_the_next_year_brings(tmp_path):
    last = published_years()[-1]
    status, findings, messages = _deadline(tmp_path, dt.date(last, 11, 2), dt.date(last + 1, 1, 12),
                                           dt.date(last, 11, 3))
    assert status == "met", messages
    assert not findings


def test_samples_only_the_late_plan_fails():
    # SY2026-10 was submitted on 28 September for 15 October, across National Day; SY2027-01 (January 2027, a year
    # the library may not have yet) has enough working days left in 2026 alone.
    filing = load_filing(ROOT / "institutions/songyue-jishi", ROOT)
    statuses = {r.filing.root.name: next(c.status for c in r.criteria if c.criterion.id == RULE)
                for r in evaluate_sessions(filing, ROOT, today=dt.date(2026, 11, 23))}
    assert statuses == {"SY2026-06": "met", "SY2026-10": "unmet", "SY2026-11": "met", "SY2026-12": "met",
                        "SY2027-01": "met"}
