"""The built portal as a person sees it: strict mkdocs build, served on 127.0.0.1, opened in headless Chromium.

The site is built once per module from the sample institutions plus a copy of the base filing
whose name is `<script>alert(1)</script>`. Chromium tests are skipped when Debian's chromium is
not installed (`apt-get install -y chromium`); screenshots go to pytest's tmp dir, never into git.
"""
from __future__ import annotations

import functools
import html.parser
import json
import os
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from test_portal_pages import EVIL_NAME, SAMPLES, make_evil

os.environ.setdefault("BEIAN_TODAY", TODAY)
pytest.importorskip("mkdocs")
pytest.importorskip("material")

from generator.portal import build as portal  # noqa: E402
from generator.portal.text import contains_id  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("portal")
    evil = make_evil(tmp)
    out = tmp / "out"
    stats = portal.build_portal(SAMPLES + [evil], docs=tmp / "docs", out=out, strict=True, jobs=1)
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
        external_assets += [a for a in parser.assets if urllib.parse.urlsplit(a).netloc]
    assert len(pages) > 90
    assert broken == []
    assert external_assets == []  # fonts, scripts, styles and pictures are all served by the site itself
    everything = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "fonts.googleapis" not in everything and "fonts.gstatic" not in everything


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
    assert portal.scan_for_ids(site["out"]) == []
    for path in site["out"].rglob("*.html"):
        assert not contains_id(path.read_text(encoding="utf-8"))


def test_search_index_has_chinese_words_and_leaves_out_row_tables(site):
    index = json.loads((site["out"] / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    docs = [{k: str(v).replace("\u200b", "") for k, v in d.items()} for d in index["docs"]]  # jieba's word breaks
    raw = json.dumps(index, ensure_ascii=False)
    assert "保育师" in raw and "车工" in raw  # occupation names are indexed as whole words
    chegong = [d["location"] for d in docs if "车工" in d["title"] + d["text"]]
    assert any(loc.startswith("occupations/6-18-01-01/") for loc in chegong)
    assert any(loc.startswith("institutions/songyue-jishi/") for loc in chegong)
    baoyu = [d["location"] for d in docs if "保育师" in d["title"] + d["text"]]
    assert any(loc.startswith("occupations/4-10-01-03/") for loc in baoyu)
    institution_text = "".join(d["text"] for d in docs if d["location"].startswith("institutions/songyue-jishi/"))
    assert "认定中心" in institution_text
    assert "依据" not in institution_text and "scope.yaml" not in institution_text  # per-criterion table excluded


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

PROBE = """<img src="/__hold" alt="" style="display:none"><script>
(function () {
  var started = Date.now();
  function report() {
    var items = Array.prototype.map.call(document.querySelectorAll(".md-search-result__item a"),
      function (a) { return a.getAttribute("href") + " " + a.textContent.replace(/\\s+/g, " ").slice(0, 60); });
    if (items.length || Date.now() - started > 15000) {
      fetch("/__result", {method: "POST", body: JSON.stringify(items)});
    } else { setTimeout(report, 200); }
  }
  if (location.search.indexOf("q=") !== -1) setTimeout(report, 200);
})();
</script>"""


def _server(out: Path):
    state = {"result": None, "event": threading.Event()}

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/__hold"):
                # holds the page's load event (and so --dump-dom) until the search probe has reported
                state["event"].wait(20)
                self.send_response(204)
                self.end_headers()
                return
            if "q=" in self.path:
                page = out / "index.html"
                body = page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>").encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            state["result"] = json.loads(self.rfile.read(length) or b"[]")
            state["event"].set()
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


@pytest.fixture(scope="module")
def served(site):
    if not CHROMIUM:
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    server, state = _server(site["out"])
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()


def chromium(url: str, tmp: Path, screenshot: Path | None = None, timeout: int = 90) -> str:
    profile = tmp / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               "--window-size=1280,1600"]
    if screenshot:
        subprocess.run(command + [f"--screenshot={screenshot}", url], capture_output=True, timeout=timeout)
    result = subprocess.run(command + ["--dump-dom", url], capture_output=True, text=True, timeout=timeout)
    return result.stdout


@pytest.mark.parametrize("path, expected", [
    ("/", ["职业技能等级认定机构备案公示", "备案状态", "评估得分分布"]),
    ("/institutions/", ["河南嵩岳技师学院", "筛选"]),
    ("/institutions/songyue-jishi/", ["河南嵩岳技师学院", "已备案认定范围", "车工", "逐项得分"]),
    ("/institutions/evil-school/", ["<script>alert(1)</script>", "申请的认定范围"]),
    ("/occupations/6-18-01-01/", ["车工（6-18-01-01）", "已备案的认定机构", "河南嵩岳技师学院"]),
])
def test_pages_render_in_chromium(served, tmp_path, path, expected):
    base, _ = served
    shot = tmp_path / "page.png"
    dom = chromium(base + path, tmp_path, screenshot=shot)
    assert "<html" in dom, dom[:500]
    text = re.sub(r"<[^>]+>", "", dom)
    import html as html_module

    text = html_module.unescape(text)
    for word in expected:
        assert word in text, (path, word)
    assert "<script>alert(1)</script>" not in dom  # shown as text, never as an element
    assert shot.is_file() and shot.stat().st_size > 10_000
    if path == "/institutions/":
        assert 'class="beian-filter"' in dom  # the table script ran: filter box inserted


@pytest.mark.parametrize("query, expected", [
    ("车工", ["occupations/6-18-01-01/", "institutions/songyue-jishi/"]),
    ("保育师", ["occupations/4-10-01-03/", "institutions/huanghe-zhongzhi/"]),
])
def test_chinese_search_in_chromium(served, tmp_path, query, expected):
    base, state = served
    state["event"].clear()
    state["result"] = None
    start = time.perf_counter()
    chromium(base + "/?q=" + urllib.parse.quote(query), tmp_path)
    assert state["result"], "search gave no results"
    hrefs = " ".join(state["result"])
    for target in expected:
        assert target in hrefs, (query, target, state["result"])
    assert time.perf_counter() - start < 30
