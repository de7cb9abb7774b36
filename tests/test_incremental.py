"""增量备案 is checked against its materials list and the conditions for each added occupation, not as a
second 100-point evaluation (seed 004 第一部分 六、申请材料; 第三部分 五、增量备案回执 “审核”).

The materials list per 备案类别 is data (rules/filing-categories.yaml) and so is the rule set each category
uses; the rule set names its decision policy. These tests read what a user sees: the check report, its
exit code, the JSON, the public wording, the rule data's own validation.
"""
from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASE, ROOT, check_json, run_beian
from filing_patch import apply_edits
from generator.categories import _data, category_problems, filed_occupations, required_files
from generator.decision import decision_label
from generator.public_state import public_result
from generator.sheet import get_sheet, load_sheet_data
from generator.sheet_schema import sheet_problems

INCREMENTAL = {"variant": "incremental"}
POINTS = re.compile(r"总得分|合格线|\d+\s*分")


@pytest.fixture
def incremental(tmp_path: Path) -> Path:
    """The base filing as a 增量备案 (tests/fixtures/variants/incremental.yaml): no scheme.yaml, no certificate.yaml."""
    folder = tmp_path / "qinglan-zengliang"
    shutil.copytree(BASE, folder)
    apply_edits(folder, INCREMENTAL)
    return folder


def _decide_sites(folder: Path, outcome: str = "符合") -> None:
    (folder / "reviews.yaml").write_text(
        "decisions:\n  - criterion: incremental-sites\n    outcome: " + outcome + "\n"
        "    reason: 电工、西点实训室设备数量性能满足考核需要\n    reviewer: 赵文涛（专家组组长）\n    date: \"2026-04-01\"\n",
        encoding="utf-8")


def test_incremental_filing_without_scheme_is_valid_and_judged_by_conditions(incremental):
    assert not (incremental / "scheme.yaml").exists() and not (incremental / "certificate.yaml").exists()
    _decide_sites(incremental)
    result = run_beian("check", str(incremental))
    assert result.returncode == 0, result.stdout
    assert "结论：增量备案审核：具备条件" in result.stdout
    assert "审核条件 4 项：符合 4 项" in result.stdout
    assert "原有备案（初次备案）评估得分 88 分（2024-06-18）" in result.stdout
    assert "file-missing" not in result.stdout and "总得分" not in result.stdout


def test_missing_examiners_for_a_new_occupation_make_it_ineligible(incremental):
    apply_edits(incremental, {"remove": {"personnel.yaml": ["examiners.8", "examiners.7"]}})  # 电工 keeps one
    _decide_sites(incremental)
    result = run_beian("check", str(incremental))
    assert result.returncode == 1
    assert "结论：增量备案审核：不具备" in result.stdout
    assert "不符合：新增职业的考评人员" in result.stdout
    assert re.search(r"scope\.yaml:\d+: 警告 \[incremental-examiners\] 6-31-01-03 电工 只有 1 名具备任职条件的相关职业考评员"
                     r"（陈建军）；每一职业最少 3 名考评员，还差 2 名", result.stdout), result.stdout


def test_json_has_the_policy_the_conditions_and_the_earlier_score_never_points(incremental):
    code, payload = check_json(incremental)
    [record] = payload["filings"]
    assert code == 0  # pending_review: the sites condition waits for a person
    assert (record["policy"], record["sheet"], record["decision"]) == ("conditions", "henan-2022-incremental", "pending_review")
    assert record["decision_label"] == "增量备案审核：待判定" and record["decision_title"] == "增量备案审核"
    assert {k: record[k] for k in ("score", "base_score", "bonus", "max_score", "pending_points", "threshold")} == \
        dict.fromkeys(("score", "base_score", "bonus", "max_score", "pending_points", "threshold"))
    assert (record["existing_score"], record["existing_date"]) == (88, "2024-06-18")
    assert [(c["rule"], c["status"]) for c in record["conditions"]] == [
        ("incremental-materials", "met"), ("incremental-examiners", "met"), ("incremental-sites", "pending"),
        ("incremental-basis", "met")]
    assert all(c["max"] is None or c["max"] == 0 for c in record["criteria"])
    assert not record["vetoes"]


def test_initial_filing_of_the_same_school_keeps_the_100_point_sheet():
    _, payload = check_json(BASE)
    [record] = payload["filings"]
    assert (record["policy"], record["sheet"], record["threshold"], record["max_score"]) == ("points", "henan-2022", 65, 100)
    assert record["conditions"] == [] and isinstance(record["score"], (int, float))


def test_markdown_and_github_reports_of_a_conditions_result(incremental):
    markdown = run_beian("check", str(incremental), "-f", "markdown").stdout
    assert "**结论：⏳ 增量备案审核：待判定**" in markdown
    assert "| 新增职业的考核场所与设施设备 `incremental-sites` | 待专家判定 |" in markdown
    assert "原有备案（初次备案）评估得分 88 分（2024-06-18）；本次不按百分制评分" in markdown
    assert "合格线" not in markdown and "/100" not in markdown
    github = run_beian("check", str(incremental), "-f", "github").stdout
    assert "增量备案审核：待判定，审核条件 4 项：符合 3 项，待判定 1 项；原有备案（初次备案）评估得分 88 分" in github
    assert "总得分" not in github


# --- the materials list and the rule sets are data --------------------------------------------

def test_category_data_is_sound_and_follows_the_seed():
    assert category_problems(_data()) == []
    materials = {m["id"]: set(m["required_for"]) for m in _data()["materials"]}
    # 六、申请材料: 申请函、工作方案、评审专家意见 只写“初次备案”; the rest both
    assert {k for k, v in materials.items() if v == {"初次备案"}} == {"application-letter", "work-scheme", "expert-opinion"}
    assert all(v == {"初次备案", "增量备案"} for k, v in materials.items()
               if k not in ("application-letter", "work-scheme", "expert-opinion"))
    assert required_files("增量备案") == {"profile", "scope", "policies", "personnel", "sites"}
    assert required_files("初次备案") == required_files(None) == \
        {"profile", "scope", "scheme", "policies", "personnel", "sites", "certificate"}


def test_profile_schema_offers_exactly_the_categories_of_the_data():
    schema = json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8"))
    enum = schema["properties"]["application"]["properties"]["category"]["enum"]
    assert enum == [c["name"] for c in _data()["categories"]]


def test_category_validation_catches_broken_data():
    data = copy.deepcopy(_data())
    data["materials"][2]["files"].append("schem")
    data["categories"][1]["rule_sets"]["henan-2022"] = "henan-2099-incremental"
    data["materials"][0]["required_for"] = ["首次备案"]
    problems = "\n".join(category_problems(data))
    assert "文件 schem 不是备案文件" in problems
    assert "规则集 henan-2099-incremental 不存在" in problems
    assert "类别 首次备案 不在 categories 中" in problems


def test_applied_for_occupations_follow_the_category_data(incremental):
    from generator.filing import load_filing

    filing = load_filing(incremental, ROOT)
    assert [e["name"] for _, e in filed_occupations(filing)] == ["电工", "西式面点师"]
    initial = load_filing(BASE, ROOT)
    assert len(filed_occupations(initial)) == 4


def test_conditions_rule_set_is_accepted_and_broken_ones_are_refused():
    conditions = load_sheet_data(get_sheet("henan-2022-incremental").path).data
    points = load_sheet_data(get_sheet("henan-2022").path).data
    assert sheet_problems(conditions) == [] and sheet_problems(points) == []

    scored = copy.deepcopy(conditions)
    scored["threshold"] = 65
    scored["criteria"][1]["max"] = 2
    scored["criteria"][2]["mode"] = "all_or_nothing"
    problems = "\n".join(sheet_problems(scored))
    assert "判定方式 conditions 的规则集不能有 threshold" in problems
    assert "incremental-examiners：计分方式 condition 不能有 max" in problems
    assert "incremental-sites：条件规则集只能用计分方式 condition" in problems

    untitled = copy.deepcopy(conditions)
    del untitled["decision_title"]
    assert "判定方式 conditions 的规则集须有 decision_title" in "\n".join(sheet_problems(untitled))

    mixed = copy.deepcopy(points)
    mixed["criteria"][0]["mode"] = "condition"
    assert any("判定方式 points 的规则集不能用计分方式 condition" in p for p in sheet_problems(mixed))
    bare = copy.deepcopy(points)
    del bare["threshold"]
    assert "判定方式 points 的规则集须有 threshold" in "\n".join(sheet_problems(bare))
    unknown = copy.deepcopy(conditions)
    unknown["policy"] = "vibes"
    assert sheet_problems(unknown)[0].startswith("结构错误")


def test_rules_command_lists_the_conditions_without_points():
    text = run_beian("rules", "henan-2022-incremental").stdout
    assert "增量备案审核：4 项条件，全部符合即具备条件，任一不符合即不具备；不计分" in text
    assert "incremental-examiners" in text and "合计" not in text
    sheets = json.loads(run_beian("rules", "-f", "json").stdout)["sheets"]
    by_id = {s["id"]: s for s in sheets}
    assert [s["id"] for s in sheets] == ["henan-2022", "henan-2022-incremental", "henan-2022-session", "supervision-record",
                                           "supervision-register"]
    assert (by_id["henan-2022-incremental"]["policy"], by_id["henan-2022-incremental"]["threshold"]) == ("conditions", None)
    assert run_beian("rules", "--validate").returncode == 0


# --- public wording ----------------------------------------------------------------------------

DECISION = re.compile(r"合格(?!线)|具备备案条件")


@pytest.mark.parametrize("state, decision, headline, colour", [
    ("已提交", "eligible", "自评 增量备案审核：具备条件 · 待审核", "#1565c0"),
    ("草稿", "pending_review", "草稿 · 自评 增量备案审核：待判定", "#9e9e9e"),
    ("已提交", "ineligible", "自评 增量备案审核：不具备 · 待审核", "#c62828"),
    ("已备案", "eligible", "已备案 · 增量备案审核：具备条件", "#2e7d32"),
    ("已撤销", "eligible", "备案已撤销", "#c62828"),
])
def test_public_words_of_a_conditions_result(state, decision, headline, colour):
    record = {"valid": True, "state": state, "policy": "conditions", "decision": decision, "decision_title": "增量备案审核",
              "decision_label": decision_label(get_sheet("henan-2022-incremental"), decision),
              "score": None, "pending_points": None, "vetoes": [], "valid_until": "2029-01-01"}
    result = public_result(record, approved=state == "已备案")
    assert (result.headline, result.colour, result.scored, result.pending_note) == (headline, colour, False, "")
    assert not DECISION.search(result.headline + result.conclusion) and not POINTS.search(result.headline)


def test_review_template_asks_for_an_outcome_of_the_waiting_condition(incremental):
    text = run_beian("review-template", str(incremental)).stdout
    assert "待专家判定 1 项" in text
    assert "  - criterion: incremental-sites\n    outcome:     # 符合 或 不符合\n" in text
    assert "points:" not in text


def test_an_invalid_incremental_filing_shows_the_verdict_the_rest_would_get_never_a_score(incremental):
    """One pass for a 增量备案 too: a date typo makes the filing invalid, and the check still says what the
    conditions would conclude once it is fixed — a verdict, no 暂估得分."""
    _decide_sites(incremental)
    profile = incremental / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    date = re.search(r"^  date: ['\"]?(\d{4})-\d{2}-(\d{2})['\"]?$", text, re.M)
    profile.write_text(text.replace(date.group(0), f'  date: "{date.group(1)}-13-{date.group(2)}"', 1), encoding="utf-8")
    result = run_beian("check", str(incremental))
    assert "结论：备案文件无效" in result.stdout
    assert "暂估结论：增量备案审核：具备条件（改正上述错误后才是正式结论）" in result.stdout, result.stdout
    assert "暂估得分" not in result.stdout
    [record] = json.loads(run_beian("check", str(incremental), "-f", "json").stdout)["filings"]
    assert record["provisional_score"] is None and "score" not in record["provisional"]
