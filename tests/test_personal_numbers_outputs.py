"""No personal number leaves the repo: `check` reports it masked in every format, and every
publishing command (build, bundle, sheets, the public downloads) writes it nowhere, scans what it
wrote, and refuses — exit 1, the file and the place named — when something slipped through."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_beian
from generator import personal

ID = "411402-19650712-001X"          # checksum-valid, fictional; typed with hyphens
ID_SPACED = "411402 1990 0315 202X"
MOBILE = "+86 177 1234 8091"
MASKED_ID = "4114**********001X"


def _full_numbers(text: str) -> list[str]:
    return [hit.masked for hit in personal.find(text)]


def _set_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def leaky(base_copy: Path) -> Path:
    """The base filing with numbers typed the ways people type them, in a value, a duty, a comment,
    an id_number field, a field checked against a list, a file name and reviews.yaml."""
    _set_line(base_copy / "profile.yaml", "  name: 田志远\n", f"  name: 王建国（身份证{ID}）\n")
    _set_line(base_copy / "profile.yaml", "  state: 已提交\n", "  state: 已提交  # 联系人手机 " + MOBILE + "\n")
    _set_line(base_copy / "personnel.yaml", "    duty: 全面督导\n", f"    duty: 全面督导，身份证 {ID_SPACED}\n")
    personnel = (base_copy / "personnel.yaml").read_text(encoding="utf-8")
    first_id = re.search(r"id_number: (\S+)", personnel).group(1)
    _set_line(base_copy / "personnel.yaml", f"id_number: {first_id}", 'id_number: "41140219650712001X"')
    _set_line(base_copy / "profile.yaml", "  nature: 公办\n", "  nature: \"17712348091\"\n")
    (base_copy / "evidence" / "王建国身份证41140219650712001X.pdf").write_bytes(b"%PDF-1.4\n")
    (base_copy / "reviews.yaml").write_text(
        "decisions:\n  - criterion: basis-question-bank\n    points: 10\n    reason: >\n"
        "      题库由 411402\n      19650712001X 审定\n    reviewer: 王某（专家组组长）\n    date: \"2026-04-01\"\n",
        encoding="utf-8")
    return base_copy


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "github", "sarif"])
def test_check_reports_every_number_masked_in_every_format(leaky, fmt):
    result = run_beian("check", str(leaky), "-f", fmt, env={"GITHUB_STEP_SUMMARY": ""})
    output = html.unescape(result.stdout + result.stderr)  # Markdown writes * as &#42;
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert _full_numbers(output) == [], "a full number was echoed"
    assert MASKED_ID in output and "177****8091" in output


def test_check_names_file_and_line_of_each_number(leaky):
    result = run_beian("check", str(leaky), "-f", "json")
    findings = json.loads(result.stdout)["filings"][0]["findings"]
    places = {(Path(f["file"]).name, f["line"]) for f in findings if f["rule"] in ("id-number-unmasked", "mobile-unmasked")}
    profile = (leaky / "profile.yaml").read_text(encoding="utf-8").splitlines()
    line_of = {key: next(i for i, line in enumerate(profile, 1) if key in line) for key in ("王建国", "联系人手机", "nature")}
    assert ("profile.yaml", line_of["王建国"]) in places                 # a value, with hyphens
    assert ("profile.yaml", line_of["联系人手机"]) in places             # a comment, +86 and spaces
    assert ("profile.yaml", line_of["nature"]) in places                 # a field checked against a list
    assert ("reviews.yaml", 5) in places                                  # broken over two folded lines
    assert any(name == f"王建国身份证{MASKED_ID}.pdf" and line is None for name, line in places)  # a file name
    personnel_lines = {line for name, line in places if name == "personnel.yaml"}
    assert len(personnel_lines) == 2                                      # the id_number field and the duty
    # the schema's own complaint about the id_number field is not a second, unmasked, report
    assert not [f for f in findings if f["rule"] == "schema" and "id_number" in f["message"]]


def test_check_leaves_the_files_untouched(leaky):
    before = {p: p.read_bytes() for p in leaky.rglob("*") if p.is_file()}
    run_beian("check", str(leaky))
    assert before == {p: p.read_bytes() for p in leaky.rglob("*") if p.is_file()}


def test_masked_numbers_where_the_schema_asks_for_them_pass(base_copy):
    personnel = (base_copy / "personnel.yaml").read_text(encoding="utf-8")
    first_id = re.search(r"id_number: (\S+)", personnel).group(1)
    _set_line(base_copy / "personnel.yaml", f"id_number: {first_id}", "id_number: 4102●●●●●●●●●●2018")
    _set_line(base_copy / "profile.yaml", "  mobile: 177****8091\n", "  mobile: 177××××8091\n")
    result = run_beian("check", str(base_copy), "-f", "json")
    findings = json.loads(result.stdout)["filings"][0]["findings"]
    assert not [f for f in findings if f["severity"] == "error"], findings


# --- publishing -----------------------------------------------------------------------------------

def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_bundle_and_public_download_print_numbers_masked_or_not_at_all(leaky, tmp_path):
    result = run_beian("bundle", str(leaky), "-o", str(tmp_path / "bundles"))
    assert result.returncode == 0, result.stdout + result.stderr
    department = _pdf_text(tmp_path / "bundles" / f"{leaky.name}.pdf")
    assert "王建国" in department and _full_numbers(department) == []
    assert MASKED_ID in department.replace("\n", "")  # the department's copy keeps masked numbers

    from generator.bundle.public import institution_downloads

    public = institution_downloads((str(leaky), str(tmp_path / "public"), "leaky"))
    assert "error" not in public, public
    text = _pdf_text(tmp_path / "public" / "leaky.pdf")
    assert "王建国" in text and personal.find(text, masked=True) == []


def test_sheets_write_no_number_and_say_what_they_scanned(leaky, tmp_path):
    result = run_beian("sheets", str(leaky), "-o", str(tmp_path / "sheets"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已读 2 个工作簿" in result.stdout
    from openpyxl import load_workbook

    cells = [str(c.value) for path in (tmp_path / "sheets").glob("*.xlsx")
             for row in load_workbook(path).active.iter_rows() for c in row if c.value is not None]
    assert any("王建国（身份证（身份证号不公开））" in c for c in cells), cells
    assert personal.find("\n".join(cells), masked=True) == []


def test_a_pdf_that_would_leak_is_not_written(tmp_path):
    from generator.bundle.render import write_pdf
    from generator.published import LeakError

    target = tmp_path / "out.pdf"
    with pytest.raises(LeakError) as caught:
        write_pdf(f"<p>身份证 {ID}</p>", tmp_path, target)
    assert "out.pdf（第 1 页）" in str(caught.value) and MASKED_ID in str(caught.value)
    assert _full_numbers(str(caught.value)) == []
    assert not target.exists() and not list(tmp_path.glob("*.part*"))
    with pytest.raises(LeakError):  # public: masked numbers are refused too
        write_pdf("<p>身份证 410102********123X</p>", tmp_path, target, public=True)
    write_pdf("<p>身份证 410102********123X</p>", tmp_path, target)  # the department's copy may hold it
    assert target.exists()


def test_a_leaking_workbook_is_deleted_and_its_cell_named(tmp_path):
    from openpyxl import Workbook

    from generator.published import remove_leaking

    path = tmp_path / "汇总表.xlsx"
    book = Workbook()
    book.active.title = "汇总表"
    book.active["C4"] = f"联系人 {MOBILE}"
    book.save(path)
    leaks = remove_leaking([path])
    assert [str(leak) for leak in leaks] == [f"{path.as_posix()}（工作表“汇总表”单元格 C4）：手机号 177****8091"]
    assert not path.exists()


@pytest.mark.parametrize("suffix, content, place", [
    (".html", "<table><tr><td>张三</td>\n<td title=\"411402 1965 0712 001X\">x</td></tr></table>", "第 2 行"),
    (".html", "<p>身份证&#x34;11402196507120 01X</p>", "第 1 行"),
    (".json", '{"name": "张三 177-1234-8091"}', "第 1 行"),
    (".csv", "name,note\n张三,410102********123X\n", "第 2 行"),
    (".svg", "<svg><text x=\"1\">138****5678</text><path d=\"M1 3 8 1 2 3 4 5 6 7 8\"/></svg>", "第 1 行"),
])
def test_the_scan_reads_each_kind_of_output_as_a_reader_sees_it(tmp_path, suffix, content, place):
    from generator.published import scan_tree

    (tmp_path / ("page" + suffix)).write_text(content, encoding="utf-8")
    scanned, leaks = scan_tree(tmp_path)
    assert scanned == 1 and [leak.place for leak in leaks] == [place]


def test_neighbouring_cells_and_drawings_are_not_joined_into_numbers(tmp_path):
    from generator.published import scan_tree

    (tmp_path / "a.html").write_text(
        "<td>138</td><td>1234</td><td>5678</td><svg><path d=\"M1 3 8 1 2 3 4 5 6 7 8\"/></svg>", encoding="utf-8")
    assert scan_tree(tmp_path) == (1, [])


def test_a_scan_of_nothing_fails(tmp_path):
    from generator.published import NothingScanned, remove_leaking, scan_tree

    with pytest.raises(NothingScanned):
        scan_tree(tmp_path / "missing")
    with pytest.raises(NothingScanned):
        scan_tree(tmp_path)  # exists, holds nothing to read
    with pytest.raises(NothingScanned):
        remove_leaking([tmp_path / "never-written.xlsx"])


def test_build_leaves_numbers_out_and_counts_what_it_scanned(leaky, tmp_path):
    result = run_beian("build", str(leaky), "--no-downloads", "--out", str(tmp_path / "out"),
                       "--docs-dir", str(tmp_path / "docs"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"个人号码检查：已读 \d+ 个输出文件", result.stdout)
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "out").rglob("*")
                           if p.suffix in (".html", ".json", ".csv", ".xml"))
    assert "王建国" in everything and "（身份证号不公开）" in everything
    from generator.published import scan_tree

    assert scan_tree(tmp_path / "out")[1] == []


def test_build_refuses_to_publish_what_slipped_through(base_copy, tmp_path, monkeypatch, capsys):
    """Whatever wrote it, a number in the built site fails the build and the site is removed."""
    from generator import cli
    from generator.portal import build as portal

    real_build_site = portal.build_site

    def build_site_then_leak(docs, out, strict=True, site_url="", **options):
        seconds = real_build_site(docs, out, strict, site_url, **options)
        (out / "leak.html").write_text(f"<p>{ID}</p>", encoding="utf-8")
        return seconds

    monkeypatch.setattr(portal, "build_site", build_site_then_leak)
    code = cli.main(["build", str(base_copy), "--no-downloads", "--out", str(tmp_path / "out"),
                     "--docs-dir", str(tmp_path / "docs"), "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "leak.html（第 1 行）：身份证号 4114**********001X" in err and _full_numbers(err) == []
    assert not (tmp_path / "out").exists()


def test_no_full_number_is_committed_to_the_repository():
    """The samples, rules, schemas and docs in git hold no full number; test code and the rule
    fixtures that exist to prove the detector works are the only places one may appear."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    exempt = ("tests/",)
    offenders = []
    for name in files:
        if name.startswith(exempt) or not name.endswith((".yaml", ".yml", ".md", ".json", ".html", ".j2", ".csv")):
            continue
        text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {masked}" for masked in _full_numbers(text)]
    assert offenders == []
