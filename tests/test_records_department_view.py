"""The department's 督导记录 page (`beian build --internal`, issue 13 part 4): institutions ranked by what their
supervisors found, each session's records with names and verdicts, late and missing records, and each supervisor
page linking to his records.

A tmp project: beian.yaml, department/henan and three institutions. songyue-jishi is the sample, less one record
(SY2026-06 guangdong-a4 of 豫督外2024001: his record is now missing, though the institution's feedback form about
him, named with his card too, is still there). Two copies of it keep one record each: “安阳” (first by name) keeps
an answer at the middle level twice (partial), “濮阳” keeps two answers at the worst level (否). The pages are
generated only (no mkdocs): the tests read the Markdown the site is built from.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from filing_patch import apply_edits

os.environ.setdefault("BEIAN_TODAY", TODAY)
pytest.importorskip("mkdocs")

from generator.portal import build as portal  # noqa: E402

SAMPLE = ROOT / "institutions" / "songyue-jishi"
REMOVED = "sessions/SY2026-06/supervision/guangdong-a4-豫督外2024001.yaml"
NANCHANG_WORDS = "满分 100，其中 20 分条目原文缺失"
HOSTILE_NAME = "<b>安阳</b>职业技能评价中心"


def _copy_keeping(tmp: Path, folder: str, name: str, keep: str) -> Path:
    """A copy of the sample institution whose only supervision record is KEEP."""
    school = tmp / "institutions" / folder
    shutil.copytree(SAMPLE, school)
    for record in school.glob("sessions/*/supervision/*.yaml"):
        if record.relative_to(school).as_posix() != keep:
            record.unlink()
    apply_edits(school, {"set": {"profile.yaml": {"institution.name": name}}})
    return school


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("records-view")
    shutil.copy(ROOT / "beian.yaml", tmp / "beian.yaml")
    shutil.copytree(ROOT / "department" / "henan", tmp / "department" / "henan")
    songyue = tmp / "institutions" / "songyue-jishi"
    shutil.copytree(SAMPLE, songyue)
    (songyue / REMOVED).unlink()
    schools = [songyue,
               _copy_keeping(tmp, "anyang-copy", HOSTILE_NAME, REMOVED),
               _copy_keeping(tmp, "puyang-copy", "濮阳职业技能评价中心",
                             "sessions/SY2026-10/supervision/beijing-a3-onsite-豫督外2025004.yaml")]
    docs = tmp / "docs"
    portal.generate(schools, docs, jobs=1, registers=[tmp / "department" / "henan"], internal=True)
    return {p.relative_to(docs / "internal").as_posix(): p.read_text(encoding="utf-8")
            for p in (docs / "internal").rglob("*.md")}


def _section(page: str, title: str) -> str:
    start = page.index(title)
    following = page.find("\n## ", start + len(title))
    following = page.find("\n### ", start + len(title)) if title.startswith("###") else following
    return page[start:following if following > 0 else None]


def test_records_page_is_linked_marked_and_department_only(pages):
    assert "[督导记录](records.md)" in pages["index.md"]
    page = pages["records.md"]
    assert "部门内部资料，不得公开" in page and "robots: noindex, nofollow" in page


def test_ranking_puts_vetoes_then_worst_answers_then_middle_answers_first(pages):
    ranking = _section(pages["records.md"], "## 机构排序")
    rows = re.findall(r"<tr><td>(\d+)</td><td><a [^>]*>([^<]*(?:&[^<]*)*)</a></td><td>(\d+)</td><td>(\d+)</td>"
                      r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", ranking)
    names = [row[1] for row in rows]
    assert len(names) == 3
    assert names[0] == "河南嵩岳技师学院"          # the one veto ticked (广东 附件3)
    assert names[1] == "濮阳职业技能评价中心"       # two answers 否, none partial
    assert "安阳" in names[2]                       # two answers 部分一致: last, though first by name
    assert [int(row[4]) for row in rows] == [1, 0, 0]  # vetoes column
    assert [int(row[6]) for row in rows][1:] == [2, 0] and [int(row[7]) for row in rows][1:] == [0, 2]


def test_nanchang_scores_always_carry_the_missing_twenty_points(pages):
    page = pages["records.md"]
    ranking = _section(page, "## 机构排序")
    assert f"65（已知条目满分 80；{NANCHANG_WORDS}）" in ranking  # the lowest of 67 and 65
    scores = re.findall(r"得分 (\d+)([^<]*)", page) + re.findall(r"<td>(6[57])(（[^<]*)</td>", page)
    assert scores and all(NANCHANG_WORDS in rest for _, rest in scores), scores
    assert "失分" not in page.replace("也不算失分", "")  # the 20 unknown points are neither lost nor gained


def test_late_record_of_sy2026_10_with_due_date_and_days_late(pages):
    late = _section(pages["records.md"], "### 逾期提交的记录")
    rows = [row for row in late.split("<tr>") if "SY2026-10" in row]
    assert len(rows) == 2  # the sample's, and the 濮阳 copy's same record
    assert all("2026-10-16" in r and "2026-10-23" in r and "2026-10-30" in r and "7 天" in r for r in rows)
    assert all("李红梅" in r and "豫督外2025004" in r for r in rows)


def test_missing_record_when_a_dispatched_supervisor_filed_none(pages):
    missing = _section(pages["records.md"], "### 缺失的记录")
    rows = [row for row in missing.split("<tr>")[2:]]
    assert len(rows) == 1, missing
    assert "SY2026-06" in rows[0] and "任国栋" in rows[0] and "豫督外2024001" in rows[0]
    assert "2026-06-13 至 2026-06-14" in rows[0]
    # the copies' sessions were not dispatched (dispatches.yaml names songyue-jishi only): nothing missing there
    assert "安阳" not in missing and "濮阳" not in missing


def test_missing_feedback_form(pages):
    feedback = _section(pages["records.md"], "### 缺失的情况反馈表")
    assert "豫督外2024002" in feedback and "程晓燕" in feedback and "guangdong-a5-豫督外2024002.yaml" in feedback


def test_session_records_show_names_verdicts_and_unmet_conditions_at_file_and_line(pages):
    page = pages["records.md"]
    listed = page[page.index("## 各认定计划的记录"):]
    assert "蒋伟（内督）" in listed and "嵩岳内督2025004" in listed and "记录有问题" in listed and "记录有效" in listed
    assert re.search(r"<code>record-supervisor</code> 证卡 嵩岳内督2025004 的有效期[^<]*"
                     r"（[^（）<]*institutions/songyue-jishi/sessions/SY2026-10/supervision/nanchang-onsite-嵩岳内督2025004\.yaml:\d+）",
                     listed)
    assert "未作答 1 项" in listed and "一票否决 1 项" in listed


def test_supervisor_page_links_to_his_records(pages):
    [page] = [text for name, text in pages.items() if name.startswith("henan/supervisors/") and "# 李红梅" in text]
    section = page[page.index("## 督导记录表"):]
    anchors = re.findall(r'href="\.\./\.\./\.\./records/#(r-[0-9a-f]+)"', section)
    assert len(anchors) >= 3  # his record in songyue, the 濮阳 copy's, and songyue's feedback form about him
    for anchor in anchors:
        assert f'<a id="{anchor}"></a>' in pages["records.md"]


def test_records_page_escapes_filing_text(pages):
    page = pages["records.md"]
    assert "<b>安阳</b>" not in page and "安阳" in page
