"""Department-only data stays out of the public portal (issue 12 item 4), and the department's own build
(`beian build --internal`) shows it.

A small project in tmp: a copy of songyue-jishi and of department/henan, whose dispatches are changed so that
one past visit is 公开 (SY2026-06), one future visit is 公开 (SY2026-12: 双随机, must stay hidden), the others
department-only, one visit names a card the register lacks (a finding inside dispatches.yaml), one supervisor's
name is markup, and the register itself says `visibility: 公开` (which still publishes no one).
The public build includes the downloads (PDF, Excel) of that one institution, ~10 s.
"""
from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, run_beian
from filing_patch import apply_edits

os.environ.setdefault("BEIAN_TODAY", TODAY)
pytest.importorskip("mkdocs")

from generator.portal import build as portal  # noqa: E402

HOSTILE = "<b>钱多多</b>"
PAST_PUBLIC = "外部质量督导：2026-06-13 至 2026-06-14 现场督导，外督 2 名"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("visibility")
    school = tmp / "institutions" / "songyue-jishi"
    shutil.copytree(ROOT / "institutions" / "songyue-jishi", school)
    register = tmp / "department" / "henan"
    shutil.copytree(ROOT / "department" / "henan", register)
    apply_edits(register, {
        "set": {"supervisors.yaml": {"visibility": "公开"},
                "dispatches.yaml": {"visits.3.visibility": "公开"}},  # SY2026-12, exam days 2026-12-12/13
        "append": {"supervisors.yaml": {"supervisors": {
                       "card": "豫督外2026009", "name": HOSTILE, "issued_by": "河南省职业技能鉴定指导中心",
                       "term": {"from": "2026-03-01", "until": "2029-02-28"}, "sex": "男", "birth_year": 1980,
                       "employer": "郑州市职业技能鉴定中心", "management_work": True, "years_in_assessment": 9}},
                   "dispatches.yaml": {"visits": {
                       "session": "songyue-jishi/SY2026-10", "type": "专项督导", "made": "2026-10-12",
                       "method": "人工指派", "seed": 77001234, "dates": ["2026-10-16"],
                       "supervisors": [{"card": "豫督外2026009"}, {"card": "豫督外2031777"}]}}}})
    return {"root": tmp, "school": school, "register": register}


def _build(project, name: str, **options) -> Path:
    out = project["root"] / name
    portal.build_portal([project["school"]], docs=project["root"] / f"{name}-docs", out=out, strict=True,
                        jobs=1, registers=[project["register"]], site_url="https://beian.example.cn/", **options)
    return out


@pytest.fixture(scope="module")
def public_site(project):
    return _build(project, "public", downloads=True)


@pytest.fixture(scope="module")
def internal_site(project):
    return _build(project, "internal", internal=True)


def _text(path: Path) -> str:
    """What a reader of PATH can see, whatever its format: entities decoded, JSON's \\u escapes too."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return html.unescape(" ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist()
                                          if n.endswith(".xml")))
    raw = path.read_bytes()
    if suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", "replace")
    if suffix == ".json":
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return html.unescape(text)


def _everything(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): _text(p) for p in sorted(site.rglob("*")) if p.is_file()
            and p.suffix.lower() in (".html", ".json", ".xml", ".gz", ".ics", ".csv", ".svg", ".txt", ".js", ".pdf", ".xlsx")}


def _secrets(institutions: Path | None = None, registers: str = "*") -> list[str]:
    """Every supervisor name and card number of the registers (REGISTERS: a glob of department/ folders; the tmp
    project copies department/henan only): the real ones and the tmp project's. With INSTITUTIONS: less the names
    an institution's own filing holds (the sample's 邱国华 is also songyue's external 考评员, and its public PDF
    names its 考评员: that is the institution's data, not the register's)."""
    found = set()
    for path in [*ROOT.glob(f"department/{registers}/supervisors.yaml")]:
        for person in yaml.safe_load(path.read_text(encoding="utf-8")).get("supervisors") or []:
            found.update(str(person[k]) for k in ("name", "card") if person.get(k))
    found |= {HOSTILE, "钱多多", "豫督外2026009", "豫督外2031777"}
    if institutions is not None:
        filed = "".join(p.read_text(encoding="utf-8") for p in institutions.rglob("*.yaml"))
        found = {secret for secret in found if secret not in filed}
    return sorted(found)


def _hidden_visits(register: Path) -> list[dict]:
    visits = yaml.safe_load((register / "dispatches.yaml").read_text(encoding="utf-8"))["visits"]
    return [v for v in visits if v["session"] != "songyue-jishi/SY2026-06"]


def test_public_build_shows_no_supervisor_and_no_hidden_visit(public_site, project):
    files = _everything(public_site)
    assert any(name.endswith(".pdf") for name in files) and any(name.endswith(".xlsx") for name in files)
    assert "sitemap.xml" in files and "search/search_index.json" in files and any(n.endswith(".ics") for n in files)
    secrets = _secrets(project["root"] / "institutions")
    assert len(secrets) > 20
    for secret in secrets:
        leaked = [name for name, text in files.items() if secret in text]
        assert not leaked, f"{secret} in {leaked}"
    # the one statement about supervision anywhere is the past 公开 visit's: no hidden visit's session and days
    statements = {line for text in files.values() for line in re.findall(r"外部质量督导：[^<\n\"]*", text)}
    assert statements == {PAST_PUBLIC}
    for visit in _hidden_visits(project["register"]):  # nor anything only a dispatch holds
        for value in (visit.get("seed"), visit["supervisors"][0].get("reason")):
            assert not value or not [n for n, t in files.items() if str(value) in t], value
    assert "robots" not in files["index.html"] and not (public_site / "internal").exists()


def test_past_public_visit_shows_without_names_on_its_session(public_site):
    page = _text(public_site / "sessions" / "songyue-jishi" / "index.html")
    section = page[page.index("SY2026-06"):]
    assert PAST_PUBLIC in section
    assert page.count("外部质量督导") == 1  # the future 公开 visit (SY2026-12) is not there


def test_internal_build_shows_everything_marked_and_noindexed(internal_site):
    pages = {name: text for name, text in _everything(internal_site).items() if name.startswith("internal/")
             and name.endswith(".html")}
    assert len(pages) == 4 + 13  # index, 督导记录, register, dispatches, one page per supervisor
    for name, text in pages.items():
        assert "部门内部资料，不得公开" in text, name
        assert '<meta name="robots" content="noindex, nofollow">' in text, name
    everything = "".join(pages.values())
    for secret in _secrets(registers="henan"):
        assert secret in everything, secret
    dispatches = pages["internal/henan/dispatches/index.html"]
    assert "2026-10-15 至 2026-10-16" in dispatches and "SY2026-10" in dispatches and "专项督导" in dispatches
    assert "公开（督导日后显示）" in dispatches and "已公开（不含姓名）" in dispatches
    assert "register-identity" in dispatches and "department/henan/dispatches.yaml:" in dispatches
    register = pages["internal/henan/index.html"]
    assert "90 天内届满" in register and "department/henan/dispatches.yaml:" in register
    assert (internal_site / "robots.txt").read_text(encoding="utf-8").strip().endswith("Disallow: /")


def test_internal_pages_escape_register_text(internal_site):
    raw = "".join(p.read_text(encoding="utf-8") for p in (internal_site / "internal").rglob("*.html"))
    assert HOSTILE not in raw and ("&lt;b&gt;钱多多" in raw or "&#60;b&#62;钱多多" in raw)


def test_supervisor_page_has_history_and_workload(internal_site):
    pages = [p for p in (internal_site / "internal" / "henan" / "supervisors").rglob("index.html")
             if "任国栋" in p.read_text(encoding="utf-8")]
    text = html.unescape(pages[0].read_text(encoding="utf-8"))
    for plan in ("SY2026-06", "SY2026-10", "SY2026-11", "SY2026-12"):
        assert plan in text
    assert "2026 年 4 次，累计 4 次" in text


def test_department_output_is_refused_inside_the_public_site():
    for args in (["build", "--internal", "--no-downloads", "--out", str(ROOT / "site" / "out" / "inside")],
                 ["build", "--internal", "--no-downloads", "--docs-dir", str(ROOT / "site" / "generated" / "x")],
                 ["cards", "--out", str(ROOT / "site" / "cards")]):
        result = run_beian(*args)
        assert result.returncode == 2 and "site/" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (ROOT / "site" / "cards").exists() and not (ROOT / "site" / "out" / "inside").exists()
