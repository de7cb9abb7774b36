"""The built portal as a person sees it: strict mkdocs build, served on 127.0.0.1, opened in headless Chromium.

The site is built once per module from the sample institutions plus a copy of the base filing
whose name is `<script>alert(1)</script>`. Chromium tests are skipped when Debian's chromium is
not installed (`apt-get install -y chromium`); screenshots go to pytest's tmp dir, never into git.
"""
from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

import browser
from conftest import TODAY
from test_portal_pages import SAMPLES, make_evil

os.environ.setdefault("BEIAN_TODAY", TODAY)
pytest.importorskip("mkdocs")
pytest.importorskip("material")

from generator.portal import build as portal  # noqa: E402
from generator.portal.text import contains_id  # noqa: E402
from generator.published import markup_text  # noqa: E402

CHROMIUM = browser.CHROMIUM
SITE_URL = "https://beian.example.cn/portal/"  # published under a path, as on GitHub Pages


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("portal")
    evil = make_evil(tmp)
    out = tmp / "out"
    stats = portal.build_portal(SAMPLES + [evil], docs=tmp / "docs", out=out, strict=True, downloads=True,
                                site_url=SITE_URL)
    return {"out": out, "stats": stats}


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def _target(out: Path, page: Path, href: str) -> Path | None:
    """The file an internal link points to, or None for external links and pure anchors."""
    parsed = urllib.parse.urlsplit(href)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return None
    path = urllib.parse.unquote(parsed.path)
    prefix = urllib.parse.urlsplit(SITE_URL).path
    if path.startswith(prefix):  # 404.html links from the site's root, wherever it is shown
        path = "/" + path[len(prefix):]
    base = out if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def test_strict_build_has_every_page(site):
    out, stats = site["out"], site["stats"]
    assert stats["institutions"] == 6
    for rel in ("index.html", "institutions/index.html", "institutions/songyue-jishi/index.html",
                "institutions/evil-school/index.html", "occupations/index.html", "occupations/6-18-01-01/index.html",
                "rules/index.html", "rules/henan-2022/scope-occupations/index.html", "guide/index.html",
                "data/index.html", "data/register.csv", "data/register.json", "badges/songyue-jishi.svg",
                "search/search_index.json"):
        assert (out / rel).is_file(), rel
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in home and "备案状态" in home
    rule = (out / "rules" / "henan-2022" / "basis-question-bank" / "index.html").read_text(encoding="utf-8")
    assert "<title>题库（卷库）（basis-question-bank） - " in rule  # its Chinese heading, not the file name


def test_every_internal_link_and_asset_resolves_and_nothing_is_third_party(site):
    out = site["out"]
    broken, external_assets = [], []
    pages = list(out.rglob("*.html"))
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.links + parser.assets:
            target = _target(out, page, href)
            if target is not None and not target.exists():
                broken.append(f"{page.relative_to(out)} → {href}")
        own = urllib.parse.urlsplit(SITE_URL).netloc  # canonical links name the portal's own address
        external_assets += [a for a in parser.assets if urllib.parse.urlsplit(a).netloc not in ("", own)]
    assert len(pages) > 90
    assert broken == []
    assert external_assets == []  # fonts, scripts, styles and pictures are all served by the site itself
    everything = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "fonts.googleapis" not in everything and "fonts.gstatic" not in everything


def _pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_institution_pages_link_their_public_pdf_and_excel(site):
    out = site["out"]
    page = (out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/songyue-jishi.pdf"' in page and "公开版" in page
    assert 'href="../../downloads/songyue-jishi-scope.xlsx"' in page
    assert SITE_URL + "badges/songyue-jishi.svg" in page  # embed snippet for other sites
    data = (out / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../downloads/summary.xlsx"' in data
    text = _pdf_text(out / "downloads" / "songyue-jishi.pdf")
    assert "河南嵩岳技师学院" in text and "备案申请表" in text and "公开版：已略去身份证号和手机号码" in text
    assert "工作人员情况" in text and text.count("身份证号") == 1  # only in the note: the ID columns are gone
    assert not contains_id(text)
    import openpyxl

    book = openpyxl.load_workbook(out / "downloads" / "summary.xlsx")
    names = [row[1] for row in book.active.iter_rows(min_row=3, values_only=True)]
    assert "河南嵩岳技师学院" in names and len(names) == 6
    scope = openpyxl.load_workbook(out / "downloads" / "songyue-jishi-scope.xlsx")
    assert "车工" in str([c.value for row in scope.worksheets[0].iter_rows() for c in row])


def test_public_pdf_drops_id_numbers_typed_anywhere(tmp_path):
    """An ID number in a free-text field (here a staff member's duty) does not reach the public PDF."""
    from generator.bundle.public import institution_downloads

    folder = tmp_path / "leaky"
    shutil.copytree(SAMPLES[0], folder)
    personnel = folder / "personnel.yaml"
    text = personnel.read_text(encoding="utf-8")
    duty = re.search(r"^(\s+duty: )(.+)$", text, re.M)
    assert duty, "the sample lists a duty"
    personnel.write_text(text.replace(duty.group(0), duty.group(1) + "负责档案 410102********1234", 1), encoding="utf-8")
    result = institution_downloads((str(folder), str(tmp_path / "out"), "leaky"))
    assert "error" not in result, result
    pdf = _pdf_text(tmp_path / "out" / "leaky.pdf")
    assert "负责档案" in pdf and "410102" not in pdf


def test_filing_strings_render_as_text(site):
    out = site["out"]
    page = (out / "institutions" / "evil-school" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"(&lt;|&#60;)script(&gt;|&#62;)alert\(1\)(&lt;|&#60;)/script(&gt;|&#62;)", page)
    assert 'href="javascript' not in page and "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")
    for path in out.rglob("*"):
        if path.suffix in (".html", ".svg", ".xml") or path.name == "search_index.json":
            text = path.read_text(encoding="utf-8")
            assert "<script>alert(1)" not in text and "<img src=x" not in text, path


def test_no_id_numbers_anywhere(site):
    from generator.published import scan_tree

    scanned, leaks = scan_tree(site["out"], masked=True)
    assert leaks == [] and scanned > 50
    for path in site["out"].rglob("*.html"):  # what a reader sees, attribute values included
        assert not contains_id(markup_text(path.read_text(encoding="utf-8"))), path


def test_search_index_is_one_plain_entry_per_institution_and_occupation(site):
    index = json.loads((site["out"] / "search" / "search_index.json").read_text(encoding="utf-8"))
    raw = json.dumps(index, ensure_ascii=False)
    assert "\u200b" not in raw  # no word breaks: the portal's worker matches substrings
    docs = index["docs"]
    songyue = [d for d in docs if d["location"].startswith("institutions/songyue-jishi/")]
    assert [d["location"] for d in songyue] == ["institutions/songyue-jishi/"]  # its sections stay out
    text = songyue[0]["text"]
    for word in ("技工院校", "洛阳市", "Y000041039012", "认定中心", "车工", "数控车床"):
        assert word in text, word
    assert "依据" not in text and "scope.yaml" not in text and "下列认定范围是申请内容" not in text
    chegong = [d["location"] for d in docs if d["location"].startswith("occupations/6-18-01-01/")]
    assert chegong == ["occupations/6-18-01-01/"]
    # institutions and occupations add one entry each; the rest are the rule pages (a few sections each: 126 rules),
    # the jurisdiction pages, the seven supervision form pages (about 11 entries each) and the guide
    assert len(docs) < 600


def test_pages_use_the_portal_search_worker(site):
    out = site["out"]
    worker = out / "assets" / "javascripts" / "search-worker.js"
    assert worker.is_file()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'settings.search = "assets/javascripts/search-worker.js"' in home
    page = (out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8")
    assert 'settings.search = "../../assets/javascripts/search-worker.js"' in page


def test_row_tables_are_published_whole_but_not_indexed(site):
    """Per-row tables skip Markdown and the search parser (search_hook.py) yet appear on the page."""
    out = site["out"]
    page = (out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8")
    assert "<!--beian-rows" not in page and page.count('<div class="beian-rows" data-search-exclude>') >= 2
    assert '<a href="../../rules/henan-2022/scope-occupations/">' in page  # per-criterion table, linked
    occupation = (out / "occupations" / "6-18-01-01" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../institutions/songyue-jishi/">河南嵩岳技师学院</a>' in occupation
    listing = (out / "institutions" / "index.html").read_text(encoding="utf-8")
    assert "<!--beian-rows" not in listing and '<a href="songyue-jishi/">河南嵩岳技师学院</a>' in listing
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    occupation_text = "".join(d["text"] for d in index["docs"] if d["location"].startswith("occupations/6-18-01-01/"))
    assert "嵩岳" not in occupation_text.replace("\u200b", "")  # holder rows are not indexed


# --- headless Chromium ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(site):
    if not CHROMIUM:
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    served_site = browser.Site(site["out"])
    yield served_site
    served_site.close()


@pytest.mark.parametrize("path, expected", [
    ("/", ["职业技能等级认定机构备案公示", "备案状态", "评估得分分布"]),
    ("/institutions/", ["河南嵩岳技师学院", "筛选"]),
    ("/institutions/songyue-jishi/", ["河南嵩岳技师学院", "已备案认定范围", "车工", "逐项得分"]),
    ("/institutions/evil-school/", ["<script>alert(1)</script>", "申请的认定范围"]),
    ("/occupations/6-18-01-01/", ["车工（6-18-01-01）", "已备案的认定机构", "河南嵩岳技师学院"]),
])
def test_pages_render_in_chromium(served, tmp_path, path, expected):
    shot = tmp_path / "page.png"
    dom = browser.chromium(served.base + path, tmp_path / "profile", screenshot=shot)
    assert "<html" in dom, dom[:500]
    text = re.sub(r"<[^>]+>", "", dom)
    import html as html_module

    text = html_module.unescape(text)
    for word in expected:
        assert word in text, (path, word)
    assert "<script>alert(1)</script>" not in dom  # shown as text, never as an element
    assert shot.is_file() and shot.stat().st_size > 10_000
    if path == "/institutions/":
        # the table script ran: the list's filters are shown (they stay hidden without it)
        assert re.search(r'<form class="beian-filters"(?![^>]*hidden)[^>]*>', dom)


@pytest.mark.parametrize("query, expected", [
    ("车工", ["occupations/6-18-01-01/", "institutions/songyue-jishi/"]),
    ("保育师", ["occupations/4-10-01-03/", "institutions/huanghe-zhongzhi/"]),
    ("嵩岳技师学院", ["institutions/songyue-jishi/"]),      # a whole name, as people type it
    ("河南嵩岳技师学院", ["institutions/songyue-jishi/"]),
    ("数控车床", ["institutions/songyue-jishi/"]),          # a 工种 of the scope
    ("洛阳 车工", ["institutions/songyue-jishi/"]),         # every word must match
    ("Y000041039012", ["institutions/songyue-jishi/"]),     # 备案号
])
def test_chinese_search_in_chromium(served, tmp_path, query, expected):
    result = browser.search(served, query, tmp_path / "profile")
    assert result["items"], f"search for {query} gave no results"
    hrefs = " ".join(result["items"])
    for target in expected:
        assert target in hrefs, (query, target, result["items"])


def test_search_results_show_filing_text_as_text(served, tmp_path):
    result = browser.search(served, "<script>", tmp_path / "profile")
    assert any("institutions/evil-school/" in item for item in result["items"]), result
    # textContent: had the name become an element, its tags would not be in the text a person reads
    assert any("<script>alert(1)</script>" in item for item in result["items"])


def test_search_finds_nothing_for_unknown_words(served, tmp_path):
    result = browser.search(served, "没有这个职业", tmp_path / "profile")
    # the worker answered "none" (a broken worker would leave the box at 正在初始化搜索引擎)
    assert result["items"] == [] and "没有找到" in result["meta"], result
