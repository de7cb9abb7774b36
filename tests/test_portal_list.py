"""The institution list and an institution page as a visitor uses them: 结论 and 得分 first, filters that
change the rows shown (in headless Chromium), section subtotals and each expert's reason shown once."""
from __future__ import annotations

import html
import json
import re
import urllib.parse

import pytest
import yaml

import browser
from conftest import ROOT
from portal_build import build

pytest.importorskip("mkdocs")
pytest.importorskip("material")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build(tmp_path_factory.mktemp("portal-list"))


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _rows(page: str, block_class: str) -> list[list[str]]:
    block = page.split(f'<div class="beian-rows {block_class}"', 1)[1].split("</table>", 1)[0]
    return [[_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block, re.S)]


def test_list_shows_conclusion_and_score_first_and_every_institution_without_scripts(out):
    page = (out / "institutions" / "index.html").read_text(encoding="utf-8")
    header, *rows = _rows(page, "beian-sortable beian-register")
    assert header[:3] == ["公示结论", "得分", "机构名称"]
    assert len(rows) == 6
    songyue = next(r for r in rows if r[2] == "河南嵩岳技师学院")
    assert songyue[:2] == ["已备案", "97"]
    # the filters are there for scripts to show; without them the full table is the page
    assert re.search(r'<form class="beian-filters" hidden', page)
    # the table has the page's whole width: no navigation sidebar beside it
    assert re.search(r'<div class="md-sidebar md-sidebar--primary"[^>]*data-md-type="navigation" hidden>', page)


def _shown(served, tmp_path, query: str) -> list[str]:
    dom = browser.chromium(f"{served.base}/institutions/?{query}", tmp_path / "profile")
    rows = re.findall(r"<tr( [^>]*)>(.*?)</tr>", dom, re.S)
    return [_text(re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)[2]) for attrs, cells in rows
            if "data-state" in attrs and "hidden" not in attrs]


@pytest.fixture(scope="module")
def served(out):
    if not browser.CHROMIUM:
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    site = browser.Site(out)
    yield site
    site.close()


@pytest.mark.parametrize("filters, expected", [
    ({}, {"河南嵩岳技师学院", "郑州圃田职业技术学院", "新乡市黄河湾职业中等专业学校", "驻马店桐柏山技工学校",
          "南阳伏牛山科技学院", "<script>alert(1)</script>"}),
    ({"state": "已备案"}, {"河南嵩岳技师学院"}),
    ({"city": "郑州市"}, {"郑州圃田职业技术学院"}),
    ({"type": "技工院校", "state": "草稿"}, {"驻马店桐柏山技工学校"}),
    ({"band": "90,"}, {"河南嵩岳技师学院", "南阳伏牛山科技学院"}),   # 97, and 91 as the 增量备案's earlier score
    ({"band": ",65"}, {"新乡市黄河湾职业中等专业学校", "驻马店桐柏山技工学校", "<script>alert(1)</script>"}),
    ({"text": "Y000041039012"}, {"河南嵩岳技师学院"}),
    ({"state": "已备案", "city": "郑州市"}, set()),
])
def test_filters_change_the_rows_shown_in_chromium(served, tmp_path, filters, expected):
    shown = set(_shown(served, tmp_path, urllib.parse.urlencode(filters)))
    if not filters:
        assert expected <= shown and len(shown) == 6
    else:
        assert shown == expected


def _section_sums(record: dict) -> dict[str, tuple[int, int]]:
    sums: dict[str, list[int]] = {}
    for c in record["criteria"]:
        if not c["veto"]:
            pair = sums.setdefault(c["section"], [0, 0])
            pair[0] += c["awarded"]
            pair[1] += c["max"]
    return {k: tuple(v) for k, v in sums.items()}


def test_section_subtotals_are_the_sums_of_the_sheet_sections(out):
    record = json.loads((out / "data" / "institutions" / "songyue-jishi.json").read_text(encoding="utf-8"))
    page = (out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8")
    header, *rows = _rows(page, "beian-subtotals")
    assert header == ["评分表部分", "得分 / 满分", "说明"]
    shown = {r[0]: r[1] for r in rows}
    sums = _section_sums(record)
    sheet = yaml.safe_load((ROOT / "rules" / "sheets" / "henan-2022.yaml").read_text(encoding="utf-8"))
    for section in sheet["sections"]:
        name = section["name"]
        if name not in sums:  # veto items only
            assert shown[name] == "不计分"
            continue
        awarded, most = sums[name]
        plus = "+" if name == "优先项目" else ""
        assert shown[name] == f"{plus}{awarded} / {plus}{most}", name
        if not plus:
            assert most == section["points"], name  # the sheet's own section total
    base = sum(a for name, (a, _) in sums.items() if name != "优先项目")
    assert base == record["base_score"]
    # near the top: the subtotals come before the 基本信息 table
    assert page.index("各部分得分") < page.index('id="基本信息"')


def test_an_experts_reason_is_shown_once(out):
    record = json.loads((out / "data" / "institutions" / "songyue-jishi.json").read_text(encoding="utf-8"))
    page = html.unescape((out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8"))
    reviewed = [c for c in record["criteria"] if c["review"] and c["review"].get("reason")]
    assert len(reviewed) > 10
    for c in reviewed:
        assert page.count(c["review"]["reason"]) == 1, c["id"]
        assert "专家意见：" + c["review"]["reason"] in page
