"""Feedback a school needs in one run (issue 10, items 12, 13 and 15), read from `beian check` output.

12: every lost point is explained (basis-standards shows its arithmetic on the line);
13: one pass over a broken filing: every file's errors, a provisional score, no artefacts of a
    file that did not load, missing evidence and a saved review template do not hide the score;
15: the check ends with a to-do list sorted by the points each fix regains.
"""
from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASE, ROOT, check_json, run_beian
from filing_patch import apply_edits
from test_samples import EXPECTED

SAMPLES = ROOT / "institutions"
UNSCORED_WITHOUT_PERSONNEL = {"scheme-framework", "org-implementing-body", "org-supervision-group",
                              "staff-qualifications", "staff-examiner-count"}


def copy_of(source: Path, tmp_path: Path, name: str | None = None) -> Path:
    folder = tmp_path / (name or source.name)
    shutil.copytree(source, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def block_of(text: str, heading: str) -> list[str]:
    """The lines of a report from `heading` to the blank line that ends the institution's block."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if heading in line)
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start + 1:end]


# --- 12: every lost point explained -----------------------------------------------------------

def test_a_missing_standard_costs_one_point_and_the_finding_shows_the_arithmetic(tmp_path):
    folder = copy_of(BASE, tmp_path, "two-occupations")
    apply_edits(folder, {"remove": {"scope.yaml": ["occupations.3", "occupations.2"]},
                         "set": {"scope.yaml": {"occupations.1.standard_held": False}}})
    out = run_beian("check", str(folder)).stdout
    assert re.search(r"two-occupations/scope\.yaml:\d+: 警告 \[basis-standards\] 4-03-02-01 中式烹调师 未声明备有国家职业技能标准文本"
                     r"（standard_held: true）。评价依据已备 2 项 / 需 3 项（《国家职业分类大典》1 项 \+ 2 个申请职业各 1 份"
                     r"国家职业技能标准或评价规范），每缺 1 项扣 1 分，现得 4 分；补齐所缺 1 项可得 5 分（扣 1 分）", out), out
    assert re.search(r"\d+\. 补齐 评价依据（basis-standards）可得 1 分：\S*two-occupations/scope\.yaml:\d+", out), out

    # Holding the standard, the two-occupation school has full marks (the old per-document count gave it 3).
    apply_edits(folder, {"set": {"scope.yaml": {"occupations.1.standard_held": True}}})
    _, payload = check_json(folder)
    [basis] = [c for c in payload["filings"][0]["criteria"] if c["id"] == "basis-standards"]
    assert (basis["awarded"], basis["max"], basis["status"]) == (5, 5, "met")


# --- 13: one pass -----------------------------------------------------------------------------

def broken_zhongyuan(tmp_path: Path) -> Path:
    """The sample that just passes, with a syntax error in personnel.yaml (and a full ID number in its text),
    an impossible date in policies.yaml and a missing evidence file referenced from scheme.yaml."""
    folder = copy_of(SAMPLES / "zhongyuan-gaozhi", tmp_path)
    personnel = folder / "personnel.yaml"
    replace_in(personnel, "  - name: 裴小军\n", "  - name 裴小军: x: [\n")
    full_id = "410105" + "19800101" + "4464"
    replace_in(personnel, "# 郑州圃田职业技术学院：人员队伍\n", f"# 郑州圃田职业技术学院：人员队伍 {full_id}\n")
    replace_in(folder / "policies.yaml", '    date: "2026-07-01"\n', '    date: "2026-02-30"\n')
    (folder / "evidence" / "证书样本.md").unlink()
    return folder


def test_errors_in_every_file_and_the_provisional_score_in_one_run(tmp_path):
    folder = broken_zhongyuan(tmp_path)
    result = run_beian("check", str(folder))
    out = result.stdout
    assert result.returncode == 1
    assert "结论：备案文件无效，请先改正以下错误" in out
    for pattern in (r"personnel\.yaml:5: 错误 \[yaml-syntax\]",
                    r"personnel\.yaml:2: 错误 \[id-number-unmasked\] 发现完整身份证号 4101\*+",
                    r"policies\.yaml:\d+: 错误 \[date-invalid\] .*2026-02-30 在日历上不存在",
                    r"certificate\.yaml:\d+: 错误 \[evidence-missing\] 证明材料“evidence/证书样本\.md”不存在",
                    # the criteria of the files that did load are checked too
                    r"scope\.yaml:\d+: 警告 \[basis-standards\] 未声明备有《国家职业分类大典》",
                    r"scheme\.yaml:\d+: 警告 \[funding\] 没有保障经费来源的文件"):
        assert re.search(pattern, out), f"{pattern}\n{out}"
    assert re.search(r"^  暂估得分 \d+（改正上述错误后才是正式评分）$", out, re.M), out
    # personnel.yaml did not parse: what reads it is not scored, and says so, instead of “no examiners”
    for rule in UNSCORED_WITHOUT_PERSONNEL:
        assert f"[{rule}]" not in out, out
    assert re.search(r"· 因 \S*personnel\.yaml 中的错误，5 项未评分（满分共 18 分）", out), out
    assert "19800101" not in out  # the full number is never repeated

    _, payload = check_json(folder)
    [record] = payload["filings"]
    assert (record["valid"], record["decision"], record["score"]) == (False, "ineligible", 0)
    assert record["decision_label"] == "备案文件无效，无法评分"
    assert record["provisional_score"] == record["provisional"]["score"] > 0
    assert {u["rule"] for u in record["provisional"]["unscored"]} == UNSCORED_WITHOUT_PERSONNEL
    assert all(u["files"][0].endswith("personnel.yaml") for u in record["provisional"]["unscored"])
    assert not {f["rule"] for f in record["findings"]} & UNSCORED_WITHOUT_PERSONNEL


def test_a_value_of_the_wrong_type_leaves_only_the_criteria_reading_it_unscored(tmp_path):
    folder = copy_of(BASE, tmp_path, "wrong-type")
    apply_edits(folder, {"set": {"scope.yaml": {"occupations.0.question_bank": "有"}}})
    result = run_beian("check", str(folder))
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert re.search(r"scope\.yaml:\d+: 错误 \[schema\] `occupations\[1\]\.question_bank`", result.stdout), result.stdout
    assert "[basis-question-bank]" not in result.stdout  # no “既没有理论和技能题库” for a value it could not read
    _, payload = check_json(folder)
    [record] = payload["filings"]
    unscored = {u["rule"] for u in record["provisional"]["unscored"]}
    assert "basis-question-bank" in unscored and "veto-archive" not in unscored  # sites.yaml is fine
    assert record["provisional_score"] > 0


def test_missing_evidence_keeps_the_score_visible_as_provisional(tmp_path):
    folder = copy_of(SAMPLES / "zhongyuan-gaozhi", tmp_path)
    (folder / "evidence" / "证书样本.md").unlink()
    out = run_beian("check", str(folder)).stdout
    score = EXPECTED["zhongyuan-gaozhi"][0]
    assert re.search(r"certificate\.yaml:\d+: 错误 \[evidence-missing\]", out), out
    assert f"  暂估得分 {score}（改正上述错误后才是正式评分）\n" in out
    _, payload = check_json(folder)
    assert (payload["filings"][0]["valid"], payload["filings"][0]["provisional_score"]) == (False, score)
    markdown = run_beian("check", str(folder), "-f", "markdown").stdout
    assert "| ⛔ 文件无效 | – | – | – | – |" in markdown  # the summary row shows no score
    assert f"暂估得分 {score}（改正上述错误后才是正式评分）" in markdown


def test_a_saved_review_template_is_still_pending_not_a_hundred_errors(tmp_path):
    folder = copy_of(SAMPLES / "tongbai-jigong", tmp_path)
    template = run_beian("review-template", str(folder))
    assert template.returncode == 0
    (folder / "reviews.yaml").write_text(template.stdout, encoding="utf-8")
    result = run_beian("check", str(folder))
    assert result.returncode == 0, result.stdout  # still only waiting for the panel
    assert ": 错误 [" not in result.stdout
    score, _, _, pending, decision, _ = EXPECTED["tongbai-jigong"]
    _, payload = check_json(folder, extra=("-v",))
    [record] = payload["filings"]
    assert (record["valid"], record["score"], record["pending_points"], record["decision"]) == (True, score, pending, decision)
    blank = [f for f in record["findings"] if f["rule"] == "review-blank"]
    assert [(f["severity"], f["message"]) for f in blank] == [
        ("notice", f"reviews.yaml 中还有 {len(record['pending'])} 条评审意见未填写（得分或结论、理由、评审人、日期都空着），"
                   "这些条目仍待专家判定。")]


def test_an_invalid_filing_is_never_shown_with_a_score_as_if_final(tmp_path):
    from generator.portal import pages
    from generator.portal.model import collect

    folder = copy_of(SAMPLES / "tongbai-jigong", tmp_path)
    replace_in(folder / "sites.yaml", "\n", "\n: [\n")
    github = run_beian("check", str(folder), "-f", "github").stdout
    assert "备案文件无效，无法评分" in github and "暂估" not in github
    [entry] = collect([folder], jobs=1)
    page = pages.institution_page(entry, set(), set())
    assert "备案文件无效" in page and "暂估" not in page and "自评总得分" not in page
    assert pages.score_text(entry) == "—"
    assert "待办（草稿）" in page and "1. 先改正 " in page  # a draft still gets its to-do list


# --- 15: the to-do list -----------------------------------------------------------------------

def test_check_ends_with_gains_sorted_by_points_then_pending_judgment():
    out = run_beian("check", "institutions/tongbai-jigong").stdout
    todo = block_of(out, "待办（先改错误和否决项，再按可得分数从高到低）：")
    gains = [re.fullmatch(r"    \d+\. 补齐 (\S+)（([a-z-]+)）(?:后最多)?可得 (\d+) 分(?:，由专家判定)?：(.+)", line) for line in todo[:-1]]
    assert all(gains), todo
    points = [int(g.group(3)) for g in gains]
    assert points == sorted(points, reverse=True) and points[0] == 3
    assert all(re.search(r"institutions/tongbai-jigong/\w+\.yaml:\d+", g.group(4)) for g in gains)
    _, payload = check_json("institutions/tongbai-jigong")
    [record] = payload["filings"]
    pending = f"待专家判定 {EXPECTED['tongbai-jigong'][3]} 分（{len(record['pending'])} 项，由专家组评审决定，不是可补的分）"
    assert todo[-1] == f"    · {pending}"
    assert out.split("\n\n")[0].rstrip().endswith(todo[-1])  # the list ends the institution's block

    markdown = run_beian("check", "institutions/tongbai-jigong", "-f", "markdown").stdout
    assert "### 待办（先改错误和否决项，再按可得分数从高到低）" in markdown
    assert f"1. {gains[0].group(0).strip()[3:]}" in markdown
    items = record["todo"]
    assert [i["points"] for i in items if i["kind"] == "gain"] == points
    assert items[-1]["kind"] == "pending" and items[-1]["points"] == EXPECTED["tongbai-jigong"][3]


def test_vetoes_come_first():
    out = run_beian("check", "institutions/huanghe-zhongzhi").stdout
    todo = block_of(out, "待办（")
    assert todo[0] == "    1. 先消除否决项：档案管理场所设施（veto-archive）：institutions/huanghe-zhongzhi/sites.yaml:13"
    assert todo[-1] == "    · 待专家判定 23 项（已有否决项，先消除否决项）"


def test_the_gain_is_what_the_fix_earns(tmp_path):
    folder = copy_of(SAMPLES / "zhongyuan-gaozhi", tmp_path)
    _, before = check_json(folder)
    [gain] = [i for i in before["filings"][0]["todo"] if i["rule"] == "basis-standards"]
    assert gain["text"] == "补齐 评价依据（basis-standards）可得 1 分" and gain["certain"] is True
    replace_in(folder / "scope.yaml", "catalogue_held: false", "catalogue_held: true")
    _, after = check_json(folder)
    assert after["filings"][0]["score"] == before["filings"][0]["score"] + gain["points"]
    assert not [i for i in after["filings"][0]["todo"] if i["rule"] == "basis-standards"]


def test_a_drafts_portal_page_shows_the_todo_list_escaped():
    from generator.portal import pages
    from generator.portal.model import collect

    entries = {e["institution"]: e for e in collect([SAMPLES / "tongbai-jigong", SAMPLES / "zhongyuan-gaozhi"], jobs=1)}
    draft, submitted = entries["tongbai-jigong"], entries["zhongyuan-gaozhi"]
    page = pages.institution_page(draft, set(), set())
    assert "## 待办（草稿） { data-search-exclude }" in page
    assert "1. 补齐 专门实施机构与专职人员（org-implementing-body）可得 3 分：" in page
    assert f"- 待专家判定 {EXPECTED['tongbai-jigong'][3]} 分（{len(draft['pending'])} 项，由专家组评审决定，不是可补的分）" in page
    assert "待办" not in pages.institution_page(submitted, set(), set())  # only drafts show it

    evil = copy.deepcopy(draft)
    evil["todo"][0]["text"] = "<script>alert(1)</script> [x](javascript:alert(1))"
    evil["todo"][0]["locations"] = ["<img src=x onerror=alert(2)>"]
    page = pages.institution_page(evil, set(), set())
    assert "<script" not in page and "<img src=x" not in page and "](javascript" not in page


def test_a_typo_in_profile_yaml_does_not_hide_the_score_of_the_other_files(tmp_path):
    """profile.yaml names the sheet; when it does not parse, its own `sheet:` line still says which one, so
    the other files are scored provisionally. Reviews wait (who may judge which region is in the profile):
    no reviewer is reported as unregistered because the city could not be read."""
    folder = copy_of(SAMPLES / "zhongyuan-gaozhi", tmp_path)
    replace_in(folder / "profile.yaml", "  nature: 公办", "  nature：公办")
    output = run_beian("check", str(folder)).stdout
    assert "结论：备案文件无效" in output
    assert re.search(r"profile\.yaml:\d+: 错误 \[yaml-syntax\] .*中文冒号", output), output
    assert re.search(r"暂估得分 \d+（改正上述错误后才是正式评分）", output), output
    assert "review-unregistered" not in output
    assert re.search(r"因 .*profile\.yaml.* 中的错误，\d+ 项未评分", output), output
    # the criteria that do not read the profile still report, e.g. a missing 人才培养方案 in scheme.yaml
    assert "[basic-overview]" in output
