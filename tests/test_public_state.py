"""Honest public state: until a filing is 已备案, every public surface shows its score as a 自评 result
awaiting review, never as the department's decision; a failed veto is shown as the veto, never as
points still to win. Checked as a reader sees it: badge text and colour, portal pages, the register,
the PDF cover read back with pdftotext, the 汇总表 cells, the check reports."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BASE, ROOT, TODAY, run_beian
from filing_patch import apply_edits

os.environ.setdefault("BEIAN_TODAY", TODAY)

from generator.portal import build as portal  # noqa: E402
from generator.portal import pages  # noqa: E402
from generator.portal.model import collect  # noqa: E402

FILED = {"status.filing_number": "Y000041029001", "status.valid_from": "2025-06-16", "status.valid_until": "2028-06-15"}
OLD = {"status.filing_number": "Y000041029001", "status.valid_from": "2022-06-16", "status.valid_until": "2025-06-15"}
# The base fixture scores 59 with 47 points waiting for reviewers (decision pending_review).
CASES = {
    "submitted": {},
    "draft": {"set": {"profile.yaml": {"status.state": "草稿"}}},
    "filed": {"set": {"profile.yaml": {"status.state": "已备案", **FILED}}},
    "expired": {"set": {"profile.yaml": {"status.state": "已过期", **OLD}}},
    "revoked": {"set": {"profile.yaml": {"status.state": "已撤销", "status.revoked_reason": "机构申请撤销", **FILED}}},
    "vetoed": {"set": {"sites.yaml": {"archive_room.electronic_years": 3}}},
    "invalid": {"set": {"profile.yaml": {"institution.credit_code": "12410200MB1C427560"}}},
}
VETO = "否决项：档案管理场所设施"
DISCLAIMER = "评分为程序自评结果，以人社部门审核为准"
# (badge text, badge colour) as a visitor sees them
BADGES = {
    "submitted": ("自评 59 分 · 待审核", "#1565c0"),
    "draft": ("草稿 · 自评 59 分", "#9e9e9e"),
    "filed": ("已备案 · 59 分", "#2e7d32"),
    "expired": ("备案已过期", "#ef6c00"),
    "revoked": ("备案已撤销", "#c62828"),
    "vetoed": (f"自评 {VETO} · 待审核", "#c62828"),
    "invalid": ("文件无效", "#616161"),
}
DECISION = re.compile(r"合格(?!线)|具备备案条件")  # 合格 / 不合格 / 具备 / 不具备, but 合格线 is a fact
POTENTIAL = re.compile(r"另有\s*[\d.]+\s*分\s*待\s*专\s*家\s*判\s*定|最多还可得")


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    parent = tmp_path_factory.mktemp("states")
    made = {}
    for name, case in CASES.items():
        folder = parent / f"qinglan-{name}"
        shutil.copytree(BASE, folder)
        apply_edits(folder, case)
        made[name] = folder
    return made


@pytest.fixture(scope="module")
def entries(folders) -> dict[str, dict]:
    found = {e["institution"].removeprefix("qinglan-"): e for e in collect(list(folders.values()), jobs=1)}
    for name, entry in found.items():  # the cases are what they claim to be
        assert entry["valid"] == (name != "invalid"), (name, [f["message"] for f in entry["findings"]
                                                              if f["severity"] == "error"])
        assert bool(entry["vetoes"]) == (name == "vetoed"), name
    return found


def badge_seen(svg: str) -> tuple[str, str]:
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    fill = root.findall("s:rect", ns)[1].get("fill")
    return texts[1], fill


# --- badge ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(CASES))
def test_badge_text_and_colour_by_state(entries, name):
    text, colour = badge_seen(portal.badge_for(entries[name]))
    assert (text, colour) == BADGES[name]
    assert not DECISION.search(text)


def test_sample_badges():
    found = {e["institution"]: e for e in collect(sorted(p for p in (ROOT / "institutions").iterdir() if p.is_dir()), jobs=1)}
    seen = {slug: badge_seen(portal.badge_for(e))[0] for slug, e in found.items()}
    assert seen == {"songyue-jishi": "已备案 · 97 分", "zhongyuan-gaozhi": "自评 68 分 · 待审核",
                    "funiu-keji": "自评 增量备案审核：具备条件 · 待审核", "tongbai-jigong": "草稿 · 自评 33 分",
                    "huanghe-zhongzhi": f"自评 {VETO} · 待审核"}


# --- portal pages and register -------------------------------------------------------------------

def conclusion_of(page: str) -> str:
    """The 评估结论 section of an institution page, up to the next heading."""
    return page.split("## 评估结论", 1)[1].split("\n## ", 1)[0]


PAGE_HEADLINES = {
    "submitted": "**自评 59 分 · 待审核**：自评总得分 **59** 分",
    "draft": "**草稿 · 自评 59 分**：自评总得分 **59** 分",
    "filed": "**已备案 · 59 分**：总得分 **59** 分",
    "expired": "**备案已过期**：自评总得分 **59** 分",
    "revoked": "**备案已撤销**：自评总得分 **59** 分",
    "vetoed": f"**自评 {VETO} · 待审核**：自评总得分",
    "invalid": "**文件无效，无法评分**。",
}


@pytest.mark.parametrize("name", list(CASES))
def test_institution_page_wording_by_state(entries, name):
    page = pages.institution_page(entries[name], set(), set())
    section = conclusion_of(page)
    assert PAGE_HEADLINES[name] in section
    assert not DECISION.search(section)
    assert (DISCLAIMER in section) == (name not in ("filed", "invalid"))
    if name in ("submitted", "draft", "filed"):
        assert "另有 47 分待专家判定。" in section and "### 待专家判定" in page
    else:  # a failed veto or an invalid filing: no points left to win
        assert not POTENTIAL.search(page) and "### 待专家判定" not in page


def test_institutions_list_and_home_page_wording(entries):
    listing = pages.institutions_index(list(entries.values()))
    rows = {name: next(line for line in listing.splitlines() if f'href="qinglan-{name}/"' in line) for name in CASES}
    expected = {"submitted": "自评 · 待审核", "draft": "草稿 · 自评", "filed": "已备案", "expired": "备案已过期",
                "revoked": "备案已撤销", "vetoed": f"自评 {VETO} · 待审核", "invalid": "文件无效，无法评分"}
    for name, row in rows.items():
        assert re.match(r"<tr[^>]*><td>(.*?)</td>", row).group(1) == expected[name], row  # the first column
        assert not DECISION.search(row), row
    assert "<th>公示结论</th>" in listing and DISCLAIMER in listing
    from generator.portal.counts import register_counts

    home = pages.home_page(register_counts(list(entries.values()), 0))
    assert "| 已备案机构 | 1 |" in home and "不是人社部门的审核结论" in home
    assert "| 已提交 | 2 |" in home and "| 文件无效 | 1 |" in home


def test_register_and_institution_json_carry_the_public_words(entries):
    rows = portal.register_rows([dict(e, page=e["institution"]) for e in entries.values()])
    table = {r["institution"].removeprefix("qinglan-"): r
             for r in csv.DictReader(io.StringIO(portal.register_csv(rows).lstrip("\ufeff")))}
    for name, (badge, _) in BADGES.items():
        assert table[name]["result"] == badge
    one = json.loads(portal.institution_json(entries["vetoed"]))
    assert one["decision_label"] == f"自评 {VETO} · 待审核" and one["result"] == f"自评 {VETO} · 待审核"
    submitted = json.loads(portal.institution_json(entries["submitted"]))
    assert submitted["decision_label"] == "自评 · 待审核"
    for record in (one, submitted):
        assert not DECISION.search(record["decision_label"] + record["result"])


# --- PDF cover and score sheet -------------------------------------------------------------------

needs_pdf = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


COVERS = {  # what the cover says about the score, and the score sheet's total row
    "submitted": ("自评59分·待审核（基础53+加分6），另有47分待专家判定", "申请材料·" + DISCLAIMER),
    "draft": ("草稿·自评59分（基础53+加分6），另有47分待专家判定", "申请材料·" + DISCLAIMER),
    "filed": ("已备案·59分（基础53+加分6），另有47分待专家判定", None),
    "expired": ("备案已过期（自评总得分59分=基础53+加分6）", "备案已过期·" + DISCLAIMER),
    "vetoed": (f"自评{VETO}·待审核（自评总得分", "申请材料·" + DISCLAIMER),
    "invalid": ("文件无效，无法评分", "申请材料·备案文件无效，无法评分"),
}


@needs_pdf
@pytest.mark.parametrize("name", list(COVERS))
def test_pdf_cover_and_total_row_by_state(folders, name, tmp_path):
    pytest.importorskip("weasyprint")
    from generator.bundle.bundle_pdf import render_bundle

    pdf = Path(render_bundle(folders[name], tmp_path, public=True)["path"])
    read = lambda *pages: flat(subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True,  # noqa: E731
                                              text=True, check=True).stdout)
    cover, everything = read("-f", "1", "-l", "1"), read()
    score, note = COVERS[name]
    assert score in cover
    if note:
        assert note in cover
    else:
        assert "申请材料·" not in cover and DISCLAIMER not in everything
    assert not DECISION.search(cover)
    total = everything.split("合计（", 1)[1].split("注：", 1)[0]
    assert not DECISION.search(total), total
    if name in ("vetoed", "invalid"):
        assert not POTENTIAL.search(everything)
    if name == "vetoed":
        assert f"自评{VETO}·待审核" in total


# --- 汇总表 -----------------------------------------------------------------------------------------

def test_summary_workbook_cells_by_state(folders, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("pandas")
    from generator.bundle.data import build_context
    from generator.bundle.excel import SUMMARY_COLUMNS, summary_row, write_summary_workbook

    names = list(CASES)
    path = write_summary_workbook([summary_row(build_context(folders[n])) for n in names], tmp_path / "summary.xlsx")
    sheet = openpyxl.load_workbook(path)["汇总表"]
    column = SUMMARY_COLUMNS.index("评估结论") + 1
    cells = {name: sheet.cell(row=3 + i, column=column).value for i, name in enumerate(names)}
    assert cells == {
        "submitted": "自评 59 分 · 待审核（另有 47 分待专家判定）",
        "draft": "草稿 · 自评 59 分（另有 47 分待专家判定）",
        "filed": "已备案 · 59 分（另有 47 分待专家判定）",
        "expired": "备案已过期", "revoked": "备案已撤销",
        "vetoed": f"自评 {VETO} · 待审核", "invalid": "文件无效，无法评分"}


# --- check reports ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_reports_never_offer_points_after_a_failed_veto(folders, fmt):
    result = run_beian("check", str(folders["vetoed"]), "--format", fmt)
    assert "Traceback" not in result.stderr
    assert "档案管理场所设施" in result.stdout and not POTENTIAL.search(result.stdout), result.stdout
    without = run_beian("check", str(folders["submitted"]), "--format", fmt)
    assert "47" in without.stdout  # the points still open are reported when no veto failed
