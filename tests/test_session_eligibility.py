"""The sample sessions against the roster and avoidance rules: SY2026-11's row 032 (a 技工院校 中级工班 pupil
entered for 三级 under 过程化考核) is the only ineligible row, found at its own line; every other sample passes."""
from __future__ import annotations

import datetime as dt

from conftest import ROOT
from generator.engine import evaluate_sessions
from generator.filing import load_filing

SAMPLE = ROOT / "institutions" / "songyue-jishi"


def _judged() -> dict:
    results = evaluate_sessions(load_filing(SAMPLE, ROOT), ROOT, today=dt.date(2026, 11, 23))
    return {r.filing.root.name: r for r in results}


def _status(result, rule: str) -> str:
    return next(c.status for c in result.criteria if c.criterion.id == rule)


def test_only_row_032_of_sy2026_11_is_ineligible():
    judged = _judged()
    findings = [f for f in judged["SY2026-11"].findings if f.rule == "session-eligibility"]
    assert _status(judged["SY2026-11"], "session-eligibility") == "unmet"
    assert [(f.file.rsplit("/", 1)[-1], f.line) for f in findings] == [("roster.yaml", 36)]
    assert findings[0].message.startswith("考生 032（过程化考核：技工院校中级工班学生）报考 三级/高级工")
    for name, result in judged.items():
        if name != "SY2026-11":
            assert _status(result, "session-eligibility") == "met", name


def test_samples_keep_supervisors_and_declared_examiners_apart():
    # SY2026-12 declares 江海涛's avoidance of two 数控车床 pupils he does not examine
    for name, result in _judged().items():
        assert _status(result, "session-avoidance") == "met", name
