"""session-examiners on the sample sessions: every examiner and every person the plans name is the institution's.

SY2026-12 has an 电工 二级 (技师) theory module examined by 彭丽君 alone, a 高级考评员 with a 副高级 title in
电工: the 技师 level is examined by a qualified senior examiner, as 工作规则第六条 asks."""
from __future__ import annotations

import datetime as dt

from conftest import ROOT
from generator.checks.personnel import examiner_grade
from generator.engine import evaluate_sessions
from generator.filing import load_filing

RULE = "session-examiners"


def test_samples_pass():
    filing = load_filing(ROOT / "institutions/songyue-jishi", ROOT)
    results = evaluate_sessions(filing, ROOT, today=dt.date(2026, 11, 23))
    assert len(results) == 5
    for result in results:
        criterion = next(c for c in result.criteria if c.criterion.id == RULE)
        assert criterion.status == "met", [f.message for f in result.findings if f.rule == RULE]


def test_the_technician_module_of_the_clean_sample_is_examined_by_a_senior_examiner():
    filing = load_filing(ROOT / "institutions/songyue-jishi", ROOT)
    session = next(s for s in (ROOT / "institutions/songyue-jishi/sessions").iterdir() if s.name == "SY2026-12")
    from generator.filing import load_session

    plan = load_session(session, ROOT)
    level_two = [o for o in plan.items("plan", "occupations") if o.get("level") == 2]
    assert level_two and level_two[0]["modules"][0]["examiners"] == ["彭丽君"]
    person = next(p for p in filing.items("personnel", "examiners") if p.get("name") == "彭丽君")
    assert examiner_grade(person) == "高级考评员"
