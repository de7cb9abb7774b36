"""Sessions (认定计划) go through the same loader and validity rules as filings: a session's bad input
is reported with its file and line, never a traceback, and never leaks a personal number."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import BASE, FIXTURES, check_json
from filing_patch import apply_edits
from generator.kinds import kind, kind_of

PLAN = "T2026-12"


def _institution(tmp_path: Path) -> Path:
    folder = tmp_path / "institutions" / "qinglan"
    shutil.copytree(BASE, folder)
    apply_edits(folder, {"variant": "filed"})
    shutil.copytree(FIXTURES / "base-session", folder / "sessions" / PLAN)
    return folder


def _session(records: dict) -> dict:
    (filing,) = records["filings"]
    (session,) = filing["sessions"]
    return session


def test_folder_kinds_come_from_path_patterns():
    assert kind_of("institutions/songyue-jishi").id == "filing"
    assert kind_of("institutions/songyue-jishi/sessions/SY2026-12").id == "session"
    assert kind_of("institutions/songyue-jishi/evidence") is None
    assert kind("session").subfolder == "sessions"


def test_clean_session_is_reported_under_its_institution(tmp_path):
    code, records = check_json(_institution(tmp_path))
    session = _session(records)
    assert (session["plan_number"], session["valid"], session["decision"]) == (PLAN, True, "eligible")
    assert session["decision_label"] == "认定计划：符合要求"
    assert session["first_day"] == "2026-12-08" and session["candidates"] == 4
    assert session["upcoming"] is True


def test_full_id_number_in_a_plan_is_refused_and_never_shown(tmp_path):
    folder = _institution(tmp_path)
    plan = folder / "sessions" / PLAN / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("title: 2026年12月", "title: 410102199001011234 2026年12月"),
                    encoding="utf-8")
    code, records = check_json(folder)
    session = _session(records)
    assert code == 1 or not session["valid"]
    assert session["valid"] is False
    assert any(f["rule"] == "id-number-unmasked" and f["file"].endswith("plan.yaml") and f["line"] == 4
               for f in session["findings"])
    assert "410102199001011234" not in str(records)


def test_roster_row_with_a_name_is_refused_with_its_line(tmp_path):
    folder = _institution(tmp_path)
    roster = folder / "sessions" / PLAN / "roster.yaml"
    text = roster.read_text(encoding="utf-8").replace('{number: "002",', '{number: "002", name: 张三,')
    roster.write_text(text, encoding="utf-8")
    session = _session(check_json(folder)[1])
    assert session["valid"] is False
    problems = [f for f in session["findings"] if f["file"].endswith("roster.yaml")]
    assert problems and problems[0]["line"] == 5, problems


def test_missing_plan_and_unknown_file_are_named(tmp_path):
    folder = _institution(tmp_path)
    session_folder = folder / "sessions" / PLAN
    (session_folder / "plan.yaml").rename(session_folder / "plam.yaml")
    session = _session(check_json(folder)[1])
    rules = {(f["rule"], Path(f["file"]).name) for f in session["findings"]}
    assert ("file-missing", "plan.yaml") in rules
    assert ("unknown-file", "plam.yaml") in rules
    assert session["valid"] is False


def test_template_prompt_and_future_submission_are_errors(tmp_path):
    folder = _institution(tmp_path)
    plan = folder / "sessions" / PLAN / "plan.yaml"
    text = plan.read_text(encoding="utf-8").replace('submitted: "2026-11-10"', 'submitted: "2026-11-30"')
    plan.write_text(text.replace("address: 开封市鼓楼区青岚路8号", "address: （请填写考点地址）"), encoding="utf-8")
    session = _session(check_json(folder)[1])
    rules = {f["rule"] for f in session["findings"] if f["severity"] == "error"}
    assert {"date-future", "text-placeholder"} <= rules


def test_a_broken_session_does_not_change_the_filing_verdict(tmp_path):
    folder = _institution(tmp_path)
    before = check_json(folder)[1]["filings"][0]
    (folder / "sessions" / PLAN / "plan.yaml").write_text("plan_number: [\n", encoding="utf-8")
    after = check_json(folder)[1]["filings"][0]
    assert (after["decision"], after["score"]) == (before["decision"], before["score"])
    assert after["sessions"][0]["valid"] is False
    assert any(f["rule"] == "yaml-syntax" for f in after["sessions"][0]["findings"])
