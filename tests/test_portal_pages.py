"""Portal page generation and escaping, without running mkdocs (fast)."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import BASE, ROOT, TODAY, run_beian

os.environ.setdefault("BEIAN_TODAY", TODAY)

from generator.portal.counts import register_counts  # noqa: E402
from generator.portal import build as portal  # noqa: E402
from generator.portal import pages  # noqa: E402
from generator.portal.model import collect, occupation_index  # noqa: E402
from generator.portal.text import contains_id, csv_cell, md, scrub  # noqa: E402

SAMPLES = sorted(p for p in (ROOT / "institutions").iterdir() if p.is_dir())
EVIL_NAME = "<script>alert(1)</script>"
EVIL_CENTER = "[点我](javascript:alert(1)) **粗体** | 多一列 {: onclick=x } <img src=x onerror=alert(2)>"


def make_evil(parent: Path) -> Path:
    folder = parent / "evil-school"
    shutil.copytree(BASE, folder)
    profile = folder / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    text = text.replace("  name: 河南青岚技工学校\n", f"  name: {json.dumps(EVIL_NAME)}\n", 1)
    text = text.replace("  name: 河南青岚技工学校职业技能等级认定中心\n", f"  name: {json.dumps(EVIL_CENTER, ensure_ascii=False)}\n", 1)
    assert EVIL_NAME in text and "点我" in text
    profile.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def entries(tmp_path_factory):
    evil = make_evil(tmp_path_factory.mktemp("evil"))
    return collect(SAMPLES + [evil], jobs=1)


def by_slug(entries, slug):
    return next(e for e in entries if e["institution"] == slug)


# --- escaping and privacy helpers -------------------------------------------------------------

def test_md_turns_html_and_markdown_into_text():
    out = md(EVIL_NAME)
    assert "<" not in out and ">" not in out and "&#60;script&#62;" in out
    out = md(EVIL_CENTER)
    for ch in "[]*|{}<>":
        assert ch not in out
    assert md("a\nb\r\tc") == "a b  c"
    assert md(None) == "" and md(["车工", "焊工"]) == "车工、焊工"


def test_scrub_removes_full_and_masked_id_numbers_but_not_other_codes():
    for text in ("410102********123X", "410102199001011234", "身份证 410311********751X。", "410102＊＊＊＊＊＊＊＊1234"):
        assert contains_id(text), text
        assert not contains_id(scrub(text))
        assert "（身份证号不公开）" in scrub(text)
    for text in ("177****1868", "手机 177-1234-8091", "+86 177 1234 8091"):  # mobiles, masked or not, neither
        assert contains_id(text), text
        assert "（手机号不公开）" in scrub(text) and not contains_id(scrub(text))
    for text in ("12410300MB0D71953W", "Y000041039012", "0379-65186001", "KP-410300-2024-0001",
                 "6-18-01-01", "豫人社函〔2025〕163号"):
        assert not contains_id(text), text


def test_csv_cell_defuses_spreadsheet_formulas():
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("+1") == "'+1" and csv_cell("河南") == "河南"


# --- page generation --------------------------------------------------------------------------

def test_institution_page_escapes_every_filing_string(entries):
    evil = by_slug(entries, "evil-school")
    text = pages.institution_page(evil, set(), set())
    assert EVIL_NAME not in text and "<script" not in text and "<img src=x" not in text
    assert "&#60;script&#62;alert(1)&#60;/script&#62;" in text
    assert text.startswith('---\ntitle: "＜script＞alert(1)＜/script＞"\n---\n')  # mkdocs does not escape titles
    assert "](javascript" not in text and "**粗体**" not in text
    listing = pages.institutions_index(entries)
    assert "<script" not in listing and "&#60;script&#62;" in listing
    assert '<a href="evil-school/">&#60;script&#62;alert(1)&#60;/script&#62;</a>' in listing
    assert '<div class="beian-rows beian-sortable beian-register" data-search-exclude>' in listing
    for table_page in (text, listing):  # raw HTML cells: no filing markup survives anywhere in them
        assert "](javascript" not in table_page and "onerror=alert" not in table_page and "<img src=x" not in table_page


def test_institution_page_shows_score_breakdown_scope_and_downloads(entries):
    songyue = by_slug(entries, "songyue-jishi")
    index = occupation_index(entries)
    text = pages.institution_page(songyue, set(index), {"henan-2022/scope-occupations"})
    assert pages.HEADER.strip() in text.splitlines()[:8]
    assert "# 河南嵩岳技师学院" in text and '<div class="admonition success" data-search-exclude markdown="1">' in text
    assert "## 已备案认定范围" in text and "[6-18-01-01](../occupations/6-18-01-01.md) | 车工 | 数控车床" in text
    assert f"总得分 **{songyue['score']}** 分" in text
    # per-row tables are raw HTML (much faster to build than Markdown tables), so links are site URLs
    assert '<a href="../../rules/henan-2022/scope-occupations/">' in text
    assert "](../data/institutions/songyue-jishi.json)" in text and "](../badges/songyue-jishi.svg)" in text
    assert "考评员 22 人" in text
    # per-row tables are kept out of the search index
    assert text.count("data-search-exclude") >= 2
    assert text.count('<div class="beian-rows" data-search-exclude>') >= 2


def test_only_approved_scope_is_labelled_approved(entries):
    for slug, state in (("zhongyuan-gaozhi", "已提交"), ("tongbai-jigong", "草稿")):
        entry = by_slug(entries, slug)
        assert not entry["approved"]
        text = pages.institution_page(entry, set(), set())
        assert "已备案认定范围" not in text
        assert f"## 申请的认定范围（{state}，不是已备案范围）" in text
        assert f'<p class="admonition-title">{state}</p>' in text
    index = occupation_index(entries)
    chegong = pages.occupation_page(index["6-18-01-01"])
    approved, _, pending = chegong.partition("## 申请中或未生效")
    assert "河南嵩岳技师学院" in approved
    # the base fixture (state 已提交) also lists 车工: it must appear only as pending
    assert "evil-school" not in approved
    assert '<tr><td><a href="../../institutions/evil-school/">&#60;script&#62;alert(1)&#60;/script&#62;</a></td>' \
           "<td>开封市</td><td>已提交</td>" in pending


def test_incremental_filing_keeps_its_existing_scope_approved(entries):
    funiu = by_slug(entries, "funiu-keji")  # 增量备案, 已提交, holds 备案号 Y000041139005
    assert not funiu["approved"]
    approved = {i["name"] for i in funiu["scope"] if i["approved"]}
    applied = {i["name"] for i in funiu["scope"] if not i["approved"]}
    assert approved == {"电工", "汽车维修工"}  # change: 原有
    assert "网络与信息安全管理员" in applied    # change: 新增
    text = pages.institution_page(funiu, set(occupation_index(entries)), set())
    existing, _, new = text.partition("## 本次增量申请的认定范围（已提交，不是已备案范围）")
    assert "## 已备案认定范围" in existing and "按备案号 Y000041139005 开展认定" in existing
    assert "| 电工 |" in existing and "网络与信息安全管理员" not in existing.split("## 已备案认定范围")[1]
    assert "| 网络与信息安全管理员 |" in new
    electrician = pages.occupation_page(occupation_index(entries)["6-31-01-03"])
    listed, _, pending = electrician.partition("## 申请中或未生效")
    assert "南阳伏牛山科技学院" in listed and "南阳伏牛山科技学院" not in pending


def test_incremental_page_shows_conditions_and_earlier_score_not_points(entries):
    funiu = by_slug(entries, "funiu-keji")
    text = pages.institution_page(funiu, set(occupation_index(entries)), set())
    conclusion = text.split("## 评估结论", 1)[1].split("\n## ", 1)[0]
    assert "**自评 增量备案审核：具备条件 · 待审核**" in conclusion and "不按百分制评分" in conclusion
    assert "原有备案（初次备案）的评估得分为 **91** 分（2024-05-22）" in conclusion
    for title in ("增量备案申请材料", "新增职业的考评人员", "新增职业的考核场所与设施设备", "新增职业的评价依据"):
        assert f"- {title}：符合" in conclusion
    assert "96 分" not in text and "总得分" not in text and "合格线" not in text
    assert "## 逐项审核条件" in text and "## 逐项得分" not in text
    row = next(line for line in pages.institutions_index(entries).splitlines() if 'href="funiu-keji/"' in line)
    assert "<td>91（初次备案）</td>" in row and "<td>自评 增量备案审核：具备条件 · 待审核</td>" in row
    record = json.loads(portal.institution_json(funiu))
    assert (record["policy"], record["score"], record["existing_score"]) == ("conditions", None, 91)
    assert [c["rule"] for c in record["conditions"]][:2] == ["incremental-materials", "incremental-examiners"]


@pytest.mark.parametrize("state, until, in_force", [
    ("已提交", None, True), ("草稿", "2030-01-01", True),
    ("已提交", "2020-01-01", False),   # the existing filing has expired
    ("已撤销", None, False), ("已过期", None, False)])
def test_existing_scope_of_an_incremental_filing_only_while_in_force(state, until, in_force):
    import datetime as dt

    from generator.portal.model import mark_approved_scope

    entry = {"approved": False, "valid": True, "category": "增量备案", "filing_number": "Y000041139005",
             "state": state, "scope": [{"change": "原有"}, {"change": "新增"}]}
    mark_approved_scope(entry, dt.date.fromisoformat(until) if until else None, dt.date(2026, 11, 23))
    assert [i["approved"] for i in entry["scope"]] == [in_force, False]
    entry.update(category="初次备案")
    mark_approved_scope(entry, None, dt.date(2026, 11, 23))
    assert [i["approved"] for i in entry["scope"]] == [False, False]


def test_occupation_pages_group_by_major_group(entries):
    index = occupation_index(entries)
    assert index["6-18-01-01"]["name"] == "车工"
    listing = pages.occupations_index(index)
    assert "## 第6大类" in listing and "[6-18-01-01 车工](6-18-01-01.md)" in listing
    page = pages.occupation_page(index["6-18-01-01"])
    assert page.splitlines()[:5] == ["---", 'title: "车工（6-18-01-01）"', "---", "", "# 车工（6-18-01-01）"]
    assert '<a href="../../institutions/songyue-jishi/">' in page
    assert '<div class="beian-rows" data-search-exclude>' in page  # holder rows stay out of the search index


def test_home_page_counts_and_charts(entries):
    index = occupation_index(entries)
    text = pages.home_page(register_counts(entries, len(index)))
    # songyue-jishi is 已备案, as the 备案状态 table says; funiu-keji's 原有 occupations stay in force during its
    # 增量备案 (state 已提交), which the home page counts on a row of its own instead of as 已备案
    assert f"| 机构 | {len(entries)} |" in text and "| 已备案机构 | 1 |" in text and "| 已备案 | 1 |" in text
    assert "| 增量备案审核中、原有职业仍可认定的机构 | 1 |" in text
    for chart in ("states", "scores", "cities"):
        assert f"assets/charts/{chart}.svg" in text
    # a 增量备案 is checked by conditions and has no score of its own: it is not in the score chart
    assert sum(count for _, count in pages.score_bars(entries)) == \
        sum(1 for e in entries if e["valid"] and e["policy"] == "points")


def test_generate_writes_pages_data_and_badges_without_people(entries, tmp_path):
    evil = make_evil(tmp_path)
    docs = tmp_path / "docs"
    stats = portal.generate(SAMPLES + [evil], docs, jobs=1)
    assert stats["institutions"] == 6 and stats["rule_pages"] > 40
    for rel in ("index.md", "institutions/index.md", "institutions/songyue-jishi.md", "occupations/index.md",
                "occupations/6-18-01-01.md", "rules/index.md", "guide.md", "data.md", "data/register.csv",
                "data/register.json", "data/institutions/songyue-jishi.json", "badges/songyue-jishi.svg",
                "assets/charts/scores.svg", "assets/javascripts/tables.js"):
        assert (docs / rel).is_file(), rel
    from generator.published import scan_tree

    assert scan_tree(docs, masked=True)[1] == []
    everything = "\n".join(p.read_text(encoding="utf-8") for p in docs.rglob("*")  # hidden: beian's list, unpublished
                           if p.suffix in (".md", ".json", ".csv", ".svg") and "rules" not in p.parts
                           and not p.name.startswith("."))
    # people are counted, never listed: examiners', experts' and contacts' names are not published
    for person in ("常德胜", "毛建新", "贾明远", "邹丽萍", "程立新"):
        assert person not in everything, person
    assert "id_number" not in everything and "mobile" not in everything
    # pages and pictures show the name as text; the CSV/JSON downloads keep the data as it is
    for path in docs.rglob("*"):
        if path.suffix in (".md", ".svg", ".html"):
            assert "<script>alert" not in path.read_text(encoding="utf-8"), path


def test_register_downloads(tmp_path):
    docs = tmp_path / "docs"
    portal.generate(SAMPLES, docs, jobs=1)
    raw = (docs / "data" / "register.csv").read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert len(rows) == 5
    songyue = next(r for r in rows if r["institution"] == "songyue-jishi")
    assert songyue["state"] == "已备案" and songyue["approved"] == "True" and "6-18-01-01 车工" in songyue["occupations"]
    assert songyue["approved_occupations"] == songyue["occupations"]
    funiu = next(r for r in rows if r["institution"] == "funiu-keji")
    assert "电工" in funiu["approved_occupations"] and "网络与信息安全管理员" not in funiu["approved_occupations"]
    assert "网络与信息安全管理员" in funiu["occupations"]
    data = json.loads((docs / "data" / "register.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and len(data["institutions"]) == 5
    one = json.loads((docs / "data" / "institutions" / "huanghe-zhongzhi.json").read_text(encoding="utf-8"))
    assert one["decision"] == "ineligible" and one["vetoes"] and one["criteria"] and one["scope"]


def test_badge_is_well_formed_svg(entries):
    for entry in entries:
        svg = portal.badge_for(entry)
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
    songyue = by_slug(entries, "songyue-jishi")
    assert f">已备案 · {songyue['score']} 分</text>" in portal.badge_for(songyue)


def test_build_and_serve_commands_exist_and_check_stays_light():
    result = run_beian("build", "--help")
    assert result.returncode == 0 and "--strict" in result.stdout
    assert run_beian("serve", "--help").returncode == 0
    env = dict(os.environ, BEIAN_TODAY=TODAY)
    probe = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "check", "institutions/songyue-jishi"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in probe.stderr.splitlines() if "|" in line}
    assert not imported & {"mkdocs", "jinja2", "markdown", "pandas", "material"}


def test_build_refuses_a_site_url_that_is_not_a_web_address():
    result = run_beian("build", "--no-downloads", "--site-url", "javascript:alert(1)//")
    assert result.returncode == 2 and "不是 http(s) 网址" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_scope_is_never_headed_as_approved(entries):
    draft = dict(by_slug(entries, "tongbai-jigong"), scope=[])
    text = pages.institution_page(draft, set(), set())
    assert "## 已备案认定范围" not in text
    assert "## 申请的认定范围（草稿，不是已备案范围）" in text and "（未填写认定范围）" in text
