"""The bundled sample institutions: each one's final score and decision, as a reviewer would read them."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, check_json, run_beian
from lost_points import unexplained_losses

EXPECTED = {
    # slug: (score, base_score, bonus, pending_points, decision, vetoes)
    "songyue-jishi": (97, 93, 4, 0, "eligible", []),
    "zhongyuan-gaozhi": (68, 68, 0, 0, "eligible", []),
    "huanghe-zhongzhi": (46, 46, 0, 50, "ineligible", ["veto-archive"]),
    # 增量备案: checked against the incremental conditions, no 100-point score of its own (seed 004 §六)
    "funiu-keji": (None, None, None, None, "eligible", []),
    "tongbai-jigong": (33, 33, 0, 48, "pending_review", []),
}


@pytest.fixture(scope="module")
def report() -> dict:
    code, payload = check_json()
    return {"code": code, "filings": {f["institution"]: f for f in payload["filings"]}}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_sample_score_and_decision(report, slug):
    filing = report["filings"][slug]
    score, base, bonus, pending, decision, vetoes = EXPECTED[slug]
    assert filing["valid"] is True
    assert (filing["score"], filing["base_score"], filing["bonus"], filing["pending_points"]) == (score, base, bonus, pending)
    assert filing["decision"] == decision
    assert [v["rule"] for v in filing["vetoes"]] == vetoes


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_lost_point_of_a_sample_has_a_finding(report, slug):
    assert unexplained_losses(report["filings"][slug]) == []


def test_samples_cover_the_cases_the_register_needs(report):
    filings = report["filings"]
    assert set(filings) == set(EXPECTED)
    strong = filings["songyue-jishi"]
    assert strong["type"] == "技工院校" and strong["score"] >= 85 and strong["state"] == "已备案"
    assert 65 <= filings["zhongyuan-gaozhi"]["score"] <= 70 and filings["zhongyuan-gaozhi"]["type"] == "高等职业学校"
    assert filings["funiu-keji"]["category"] == "增量备案"
    assert filings["tongbai-jigong"]["decision"] == "pending_review"


def test_incremental_sample_is_a_conditions_result_with_its_earlier_score(report):
    funiu = report["filings"]["funiu-keji"]
    assert (funiu["policy"], funiu["sheet"], funiu["decision_label"]) == \
        ("conditions", "henan-2022-incremental", "增量备案审核：具备条件")
    assert (funiu["existing_score"], funiu["existing_date"]) == (91, "2024-05-22")
    assert [(c["rule"], c["met"]) for c in funiu["conditions"]] == [
        ("incremental-materials", True), ("incremental-examiners", True), ("incremental-sites", True),
        ("incremental-basis", True)]
    text = run_beian("check", "institutions/funiu-keji").stdout
    assert "结论：增量备案审核：具备条件" in text and "原有备案（初次备案）评估得分 91 分（2024-05-22）" in text
    assert "总得分" not in text and "96" not in text


def test_strong_sample_has_an_occupation_without_national_standard():
    scope = (ROOT / "institutions" / "songyue-jishi" / "scope.yaml").read_text(encoding="utf-8")
    assert "basis: 评价规范" in scope and len(re.findall(r"^  - code:", scope, re.M)) >= 5


def test_whole_register_exits_one_because_of_the_vetoed_sample(report):
    assert report["code"] == 1
    assert run_beian("check", "institutions/zhongyuan-gaozhi").returncode == 0


def test_sample_with_failing_sessions_exits_one_although_its_filing_passes(report):
    # songyue-jishi's filing is eligible, but three of its five sample sessions are unmet by design
    # (late plan, ineligible candidate, staffing gap): an unmet session fails the check like a veto.
    assert report["filings"]["songyue-jishi"]["decision"] == "eligible"
    result = run_beian("check", "institutions/songyue-jishi")
    assert result.returncode == 1
    assert "认定计划 5 个：2 个符合要求，3 个不符合要求" in result.stdout


def test_fully_reviewed_sample_shows_no_pending_notices(report):
    findings = report["filings"]["songyue-jishi"]["findings"]
    assert not [f for f in findings if "待专家判定" in f["message"]]


def test_no_full_id_numbers_anywhere_in_the_samples():
    pattern = re.compile(r"(?<!\d)[1-9]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)")
    leaks = [p for p in (ROOT / "institutions").rglob("*") if p.is_file() and pattern.search(p.read_text(encoding="utf-8", errors="ignore"))]
    assert not leaks
