"""Certificate ranges across an institution's sessions (session-certificates): the sample SY2026-10 goes on
where SY2026-06 stopped in each (year, level) series; a range reused by another session is unmet, numbers
no session accounts for wait for a reviewer."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import ROOT
from generator.engine import evaluate_sessions
from generator.filing import load_filing

SAMPLE = ROOT / "institutions" / "songyue-jishi"
RULE = "session-certificates"


def _judged(folder: Path) -> dict:
    results = evaluate_sessions(load_filing(folder, ROOT), ROOT, today=dt.date(2026, 11, 23))
    return {r.filing.root.name: r for r in results}


def _rule(result):
    status = next(c.status for c in result.criteria if c.criterion.id == RULE)
    return status, [f.message for f in result.findings if f.rule == RULE]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "songyue-jishi"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_sample_sessions_continue_each_series_without_overlap():
    judged = _judged(SAMPLE)
    for name in ("SY2026-06", "SY2026-10"):
        assert _rule(judged[name]) == ("met", []), name


def test_a_range_another_session_used_is_unmet_in_both(tmp_path):
    folder = _copy(tmp_path)
    outcome = folder / "sessions" / "SY2026-10" / "outcome.yaml"
    # SY2026-10's 焊工 range moved back onto SY2026-06's last five numbers of the same series
    outcome.write_text(outcome.read_text(encoding="utf-8")
                       .replace("Y000041039012264000057", "Y000041039012264000052")
                       .replace("Y000041039012264000078", "Y000041039012264000073"), encoding="utf-8")
    judged = _judged(folder)
    status, messages = _rule(judged["SY2026-10"])
    assert status == "unmet"
    assert any("Y000041039012264000052 至 Y000041039012264000056 与认定计划 SY2026-06 的认定结果第 2 项重复使用" in m
               for m in messages), messages
    status, messages = _rule(judged["SY2026-06"])
    assert status == "unmet" and any("与认定计划 SY2026-10 的认定结果第 1 项重复使用" in m for m in messages), messages


def test_numbers_no_session_accounts_for_wait_for_a_reviewer(tmp_path):
    folder = _copy(tmp_path)
    # without SY2026-06's outcome, SY2026-10's ranges start in the middle of their series
    (folder / "sessions" / "SY2026-06" / "outcome.yaml").unlink()
    status, messages = _rule(_judged(folder)["SY2026-10"])
    assert status == "pending"
    assert any(m.startswith("证书编号 Y000041039012264000001 至 Y000041039012264000056 没有出现在本机构任何认定结果中")
               for m in messages), messages
    assert any(m.startswith("证书编号 Y000041039012263000001 至 Y000041039012263000026 没有出现") for m in messages), messages
