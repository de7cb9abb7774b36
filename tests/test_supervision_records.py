"""The sample supervision records as `beian check` reports them: each under its session, with what its form
says (score, tallies, vetoes) and whether the record itself stands, with file and line for every problem; the
Nanchang form's 20 lost points said in every format; and a record is judged again when the register it is
checked against changes."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, check_json, run_beian

SAMPLE = "institutions/songyue-jishi"
SUPERVISION = f"{SAMPLE}/sessions/SY2026-06/supervision"
MISSING_WORDS = "满分 100，其中 20 分条目原文缺失"


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    code, payload = check_json(SAMPLE)
    assert code == 1  # sessions and records are unmet by design
    sessions = payload["filings"][0]["sessions"]
    return {r["name"]: r for s in sessions for r in s.get("records") or []}


def _unmet(record: dict) -> list[str]:
    return [c["rule"] for c in record["conditions"] if c["status"] == "unmet"]


def test_nine_sample_records_under_their_sessions(records):
    assert len(records) == 9
    assert {r["plan_number"] for r in records.values()} == {"SY2026-06", "SY2026-10"}
    clean = {name for name, r in records.items() if r["decision"] == "eligible"}
    assert clean == {"guangdong-a4-豫督外2024001", "guangdong-a5-豫督外2024001", "beijing-a3-materials-豫督外2024001",
                     "beijing-a4-豫督外2024001", "beijing-a4-豫督外2025004"}


def test_the_veto_on_the_wrong_form_and_its_missing_feedback(records):
    record = records["guangdong-a3-豫督外2024002"]
    assert [v["id"] for v in record["form_result"]["vetoes"]] == ["misconduct"]
    assert record["form_result"]["ratings"] == {"考场准备": "良好", "考试实施管理": "差", "阅卷评分（评审）": "差"}
    assert _unmet(record) == ["record-form", "record-feedback"]
    assert all(f["file"] == f"{SUPERVISION}/guangdong-a3-豫督外2024002.yaml" and f["line"] for f in record["findings"])


def test_the_late_record_says_by_how_much(records):
    record = records["beijing-a3-onsite-豫督外2025004"]
    assert _unmet(record) == ["record-deadline"]
    [finding] = record["findings"]
    assert "最迟 2026-10-23，签字日期 2026-10-30，晚了 7 天" in finding["message"]


def test_the_unanswered_item_scores_nothing_and_the_lost_20_points_are_unknown(records):
    record = records["nanchang-onsite-嵩岳内督2025001"]
    result = record["form_result"]
    assert (result["score"], result["known_max"], result["max_score"], result["missing_points"]) == (67, 80, 100, 20)
    assert result["unanswered"] == ["opening"] and result["total_words"] == MISSING_WORDS
    assert _unmet(record) == ["record-answers"]


def test_the_card_not_valid_on_the_day(records):
    record = records["nanchang-onsite-嵩岳内督2025004"]
    assert _unmet(record) == ["record-supervisor"]
    assert "有效期 2026-11-01 至 2029-10-31 不含督导日 2026-10-16" in record["findings"][0]["message"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_every_format_names_the_records_and_the_missing_points(fmt):
    out = run_beian("check", SAMPLE, "-f", fmt).stdout
    assert "督导记录 nanchang-onsite-嵩岳内督2025001" in out and MISSING_WORDS in out
    if fmt != "github":
        assert "督导记录 9 份：5 份记录有效，4 份记录有问题" in out
    if fmt == "github":
        assert f"::warning file={SUPERVISION}/guangdong-a3-豫督外2024002.yaml,line=" in out


def test_sarif_describes_the_record_rules():
    log = json.loads(run_beian("check", SAMPLE, "-f", "sarif").stdout)
    rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {"record-form", "record-answers", "record-deadline"} <= rules
    assert any(r["ruleId"] == "record-deadline" for r in log["runs"][0]["results"])


def test_a_change_to_the_register_changes_the_institutions_cache_key(tmp_path):
    from generator.record_cache import institution_inputs, record_key

    project = tmp_path / "project"
    shutil.copytree(ROOT / SAMPLE, project / SAMPLE)
    shutil.copytree(ROOT / "department" / "henan", project / "department" / "henan")
    before = record_key(project / SAMPLE, "2026-11-23", institution_inputs(project))
    dispatches = project / "department" / "henan" / "dispatches.yaml"
    dispatches.write_text(dispatches.read_text(encoding="utf-8").replace("豫督外2025004", "豫督外2025003"), encoding="utf-8")
    assert record_key(project / SAMPLE, "2026-11-23", institution_inputs(project)) != before


def test_a_record_named_yml_is_not_skipped_in_silence(tmp_path):
    from generator.filing import load_session

    session = tmp_path / "project" / SAMPLE / "sessions" / "SY2026-06"
    shutil.copytree(ROOT / SAMPLE / "sessions" / "SY2026-06", session)
    (session / "supervision" / "guangdong-a4-豫督外2024002.yml").write_text("form: guangdong-a4\n", encoding="utf-8")
    (session / "supervision" / "notes.txt").write_text("手记\n", encoding="utf-8")
    findings = {f.file.rsplit("/", 1)[-1]: f for f in load_session(session, tmp_path / "project").load_findings}
    assert findings["guangdong-a4-豫督外2024002.yml"].severity == "error"
    assert "是不是想命名为 guangdong-a4-豫督外2024002.yaml" in findings["guangdong-a4-豫督外2024002.yml"].hint
    assert findings["notes.txt"].rule == "unknown-file" and findings["notes.txt"].severity == "warning"
