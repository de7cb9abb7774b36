"""session-staffing on the sample sessions: only SY2027-01 (one 监考 in 机房301, two 内督) falls short."""
from __future__ import annotations

import datetime as dt

from conftest import ROOT
from generator.engine import evaluate_sessions
from generator.filing import load_filing

RULE = "session-staffing"


def test_samples_only_the_understaffed_plan_fails():
    filing = load_filing(ROOT / "institutions/songyue-jishi", ROOT)
    results = {r.filing.root.name: r for r in evaluate_sessions(filing, ROOT, today=dt.date(2026, 11, 23))}
    statuses = {name: next(c.status for c in r.criteria if c.criterion.id == RULE) for name, r in results.items()}
    assert statuses == {"SY2026-06": "met", "SY2026-10": "met", "SY2026-11": "met", "SY2026-12": "met",
                        "SY2027-01": "unmet"}
    messages = [f.message for f in results["SY2027-01"].findings if f.rule == RULE]
    assert len(messages) == 2, messages
    assert any("只有 2 名内部督导人员" in m for m in messages), messages
    assert any("机房301" in m and "只安排了 1 名监考（贾明远）" in m for m in messages), messages
