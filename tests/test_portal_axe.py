"""axe-core finds no accessibility violation on any page type of the portal, at desktop and phone sizes.

Each page is checked as served, after material's scripts and the portal's own (tables.js, a11y.js) ran.
KNOWN_EXCLUSIONS lists violations inside mkdocs-material's own markup that the portal cannot fix, each
with its reason; it is empty: the two the theme had (an unnamed search dialog, dimmed header tabs) are
fixed in site/overrides/main.html and portal.css.
"""
from __future__ import annotations

import urllib.parse

import pytest

import browser
from axe_browser import AxeSite, axe_script
from portal_build import SITE_URL, build

pytest.importorskip("mkdocs")
pytest.importorskip("material")

# (rule id, CSS selector of the theme's element) → why it cannot be fixed here
KNOWN_EXCLUSIONS: dict[tuple[str, str], str] = {}

PAGES = {
    "首页": "/",
    "机构列表": "/institutions/",
    "机构页": "/institutions/songyue-jishi/",
    "含恶意名称的机构页": "/institutions/evil-school/",
    "职业页": "/occupations/6-18-01-01/",
    "职业列表": "/occupations/",
    "规则页": "/rules/henan-2022/scope-occupations/",
    "认定计划": "/sessions/songyue-jishi/",
    "认定日历": "/calendar/",
    "申报指南": "/guide/",
    "数据下载": "/data/",
    "404": "/404.html",
}
SIZES = {"desktop": "1400,900", "phone": "390,844"}


@pytest.fixture(scope="module")
def axe_site(tmp_path_factory):
    if not browser.CHROMIUM:
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    script = axe_script()
    if script is None:
        pytest.skip("axe-core not installed (scripts/setup: npm install --prefix .venv/node axe-core)")
    site = AxeSite(build(tmp_path_factory.mktemp("portal-axe")), script, urllib.parse.urlsplit(SITE_URL).path)
    yield site
    site.close()


def _unexcused(violations: list[dict]) -> list[str]:
    found = []
    for v in violations:
        for node in v["nodes"]:
            if (v["id"], " ".join(map(str, node["target"]))) not in KNOWN_EXCLUSIONS:
                found.append(f"{v['id']} ({v['impact']}): {v['help']} — {node['target']} {node['html'][:120]}")
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", PAGES)
def test_page_has_no_accessibility_violations(axe_site, tmp_path, kind, size):
    result = axe_site.check(PAGES[kind], tmp_path / "profile", SIZES[size])
    assert "error" not in result, result
    assert result["passes"] > 10  # axe really ran its rules on the page
    assert _unexcused(result["violations"]) == []


def test_links_in_text_are_underlined(axe_site, tmp_path):
    """Told apart from the text around them by more than colour (axe: link-in-text-block, checked above too)."""
    css = (axe_site.out / "assets" / "stylesheets" / "portal.css").read_text(encoding="utf-8")
    assert ".md-typeset a:not(.md-button):not(.headerlink) { text-decoration: underline;" in css
    page = (axe_site.out / "index.html").read_text(encoding="utf-8")
    assert 'role="dialog" aria-label="搜索本站"' in page and 'class="md-search__input"' in page
