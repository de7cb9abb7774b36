"""The workbooks on paper: LibreOffice prints the 认定范围清单 with every column on the page width and
the header row on every page, on no more pages than its rows need; page setup, print titles, frozen
panes, autofilter and document properties read back with openpyxl."""
from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, run_beian

openpyxl = pytest.importorskip("openpyxl")
from openpyxl.utils import get_column_letter  # noqa: E402

INSTITUTIONS = ROOT / "institutions"
SAMPLES = sorted(p.name for p in INSTITUTIONS.iterdir() if p.is_dir())
SUMMARY = "河南省院校类职业技能等级认定机构汇总表.xlsx"
SCOPE = "评价机构信息与认定范围清单.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice (soffice) 或 pdftotext 未安装；scripts/setup 会安装 libreoffice-calc-nogui 和 poppler-utils")

A4_LANDSCAPE_HEIGHT = 595.0   # points
SLACK = 40.0                  # points of each page the header and footer may take beyond the margins


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sheets")
    result = run_beian("sheets", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def big_scope(tmp_path_factory) -> tuple[Path, dict]:
    """A copy of a sample whose scope lists 60 occupations of two 工种 each: a multi-page 认定范围清单."""
    root = tmp_path_factory.mktemp("big")
    school = root / "big-school"
    shutil.copytree(INSTITUTIONS / "songyue-jishi", school)
    occupations = [{"code": f"6-{18 + i // 30:02d}-{1 + i % 30:02d}-01", "name": f"测试职业第{i + 1}号",
                    "job_types": [{"name": f"方向甲{i + 1}", "levels": [5, 4, 3]}, {"name": f"方向乙{i + 1}", "levels": [3, 2]}],
                    "basis": "国家职业技能标准"} for i in range(60)]
    scope = {"occupations": occupations, "catalogue_held": True}
    (school / "scope.yaml").write_text(yaml.safe_dump(scope, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = root / "out"
    result = run_beian("sheets", str(school), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / f"big-school-{SCOPE}", scope


def _print(xlsx: Path, folder: Path) -> Path:
    """XLSX printed to PDF by LibreOffice, with a profile of its own (another soffice may be running)."""
    profile = folder / "lo-profile"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(folder), str(xlsx)], capture_output=True, text=True, timeout=240)
    pdf = folder / (xlsx.stem + ".pdf")
    assert pdf.is_file(), result.stdout + result.stderr
    return pdf


def _pages(pdf: Path) -> list[str]:
    """Each page's text, in the order LibreOffice wrote it (a wrapped header's lines stay together)."""
    count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                                 check=True).stdout.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, count + 1)]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _most_pages(ws) -> int:
    """The most pages a sheet may print on: its rows' stored heights over a landscape A4 page less its margins,
    the repeated header row and some room for header and footer. Fitting to the width only shrinks a page."""
    margins = (ws.page_margins.top + ws.page_margins.bottom) * 72
    header_row = _title_row(ws)
    height = lambda r: ws.row_dimensions[r].height or 15  # noqa: E731
    body = A4_LANDSCAPE_HEIGHT - margins - SLACK - height(header_row)
    total = sum(height(r) for r in range(1, ws.max_row + 1))
    return max(1, math.ceil(total / body))


def _title_row(ws) -> int:
    """The row printed at the top of every page (openpyxl reads “$9:$9” back for rows 9 to 9)."""
    first, last = ws.print_title_rows.replace("$", "").split(":")
    assert first == last, ws.print_title_rows
    return int(first)


def _header_texts(ws) -> list[str]:
    header_row = _title_row(ws)
    return [str(c.value) for c in ws[header_row] if c.value is not None]


# ----------------------------------------------------------------------------- LibreOffice
@needs_office
@pytest.mark.parametrize("slug", SAMPLES)
def test_scope_list_prints_every_column_on_few_pages(slug, sheets, tmp_path):
    path = sheets / f"{slug}-{SCOPE}"
    book = openpyxl.load_workbook(path)
    pages = _pages(_print(path, tmp_path))
    most = sum(_most_pages(ws) for ws in book.worksheets)
    assert len(book.worksheets) <= len(pages) <= most, (len(pages), most)
    first = _squeezed(pages[0])
    for header in _header_texts(book["认定范围清单"]):
        assert _squeezed(header) in first, (header, pages[0][:400])
    for ws in book.worksheets:  # each sheet's page shows all its columns: none is cut off to the right
        page = next(_squeezed(p) for p in pages if ws.title in p.splitlines()[0])
        assert all(_squeezed(h) in page for h in _header_texts(ws)), ws.title
    assert "第 1 页 / 共" in pages[0]


@needs_office
def test_long_scope_list_repeats_its_header_on_every_page(big_scope, tmp_path):
    path, scope = big_scope
    book = openpyxl.load_workbook(path)
    form = book["认定范围清单"]
    pages = _pages(_print(path, tmp_path))
    form_pages = [p for p in pages if "认定范围清单" in p.splitlines()[0]]
    assert 2 <= len(form_pages) <= _most_pages(form), (len(form_pages), _most_pages(form))
    for page in form_pages:
        squeezed = _squeezed(page)
        assert all(_squeezed(h) in squeezed for h in _header_texts(form)), page[:300]
    printed = _squeezed("".join(form_pages))
    assert all(occ["code"] in printed and occ["job_types"][1]["name"] in printed for occ in scope["occupations"])


@needs_office
def test_summary_prints_on_landscape_pages(sheets, tmp_path):
    book = openpyxl.load_workbook(sheets / SUMMARY)
    pages = _pages(_print(sheets / SUMMARY, tmp_path))
    assert 1 <= len(pages) <= _most_pages(book.active)
    assert all(_squeezed(h) in _squeezed(pages[0]) for h in _header_texts(book.active))


# ----------------------------------------------------------------------------- read back with openpyxl
def _workbooks(sheets: Path) -> list[Path]:
    return sorted(sheets.glob("*.xlsx"))


def test_every_sheet_has_print_setup(sheets):
    for path in _workbooks(sheets):
        for ws in openpyxl.load_workbook(path).worksheets:
            where = f"{path.name}/{ws.title}"
            setup = ws.page_setup
            assert setup.orientation == "landscape" and int(setup.paperSize) == int(ws.PAPERSIZE_A4), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, where
            header_row = _title_row(ws)
            assert ws[header_row][0].value and ws[header_row][0].font.bold, where
            # the filter spans the whole table, from its header row to its last row and column
            assert ws.auto_filter.ref == f"A{header_row}:{get_column_letter(ws.max_column)}{ws.max_row}", where
            frozen = ws.freeze_panes
            assert frozen and int("".join(ch for ch in frozen if ch.isdigit())) == header_row + 1, where
            assert "&A" in ws.oddHeader.center.text and ws.oddFooter.center.text == "第 &P 页 / 共 &N 页", where


def test_columns_are_wide_enough_for_short_chinese_text(sheets):
    """A column narrower than its header (up to 4 characters a line) or an occupation code cuts them on paper."""
    for path in _workbooks(sheets):
        for ws in openpyxl.load_workbook(path).worksheets:
            header_row = _title_row(ws)
            for column in range(1, ws.max_column + 1):
                letter = get_column_letter(column)
                width = ws.column_dimensions[letter].width
                codes = [str(ws.cell(row=r, column=column).value) for r in range(header_row + 1, ws.max_row + 1)
                         if str(ws.cell(row=r, column=column).value or "").count("-") == 3]
                header = str(ws.cell(row=header_row, column=column).value or "")
                shortest = min(sum(2 if ord(ch) > 0x2E7F else 1 for ch in header), 8)  # 4 Chinese characters a line
                assert width >= shortest, (path.name, ws.title, letter, width)
                assert all(width >= len(code) for code in codes), (path.name, ws.title, letter, width)


def test_rows_are_tall_enough_for_wrapped_text(sheets):
    """A row holding three lines (three 对应专业 or 教材) must be taller than one holding one."""
    book = openpyxl.load_workbook(sheets / f"songyue-jishi-{SCOPE}")
    detail = book["认定范围明细"]
    books_column = detail.max_column
    heights = {r: detail.row_dimensions[r].height for r in range(2, detail.max_row + 1)}
    lines = {r: str(detail.cell(row=r, column=books_column).value or "").count("\n") + 1 for r in heights}
    most = max(lines, key=lines.get)
    assert lines[most] >= 3 and heights[most] >= 3 * 11 * 1.2, (lines[most], heights[most])


def _dated_like_the_pdfs(folder: Path) -> tuple[dt.datetime, dt.datetime]:
    """(created, modified) as the PDFs printed from FOLDER carry them: the data's commit, or the evaluation date."""
    from generator.bundle.data import data_version
    from generator.bundle.docinfo import version_dates

    return tuple(_utc(text) for text in version_dates(data_version(folder), dt.date.fromisoformat(TODAY)))


def _utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value.astimezone(dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value


def test_properties_name_the_institution_not_openpyxl(sheets):
    for slug in SAMPLES:
        props = openpyxl.load_workbook(sheets / f"{slug}-{SCOPE}").properties
        school = yaml.safe_load((INSTITUTIONS / slug / "profile.yaml").read_text(encoding="utf-8"))["institution"]["name"]
        assert props.creator == school and props.lastModifiedBy == school, props.creator
        assert school in props.title and "认定范围清单" in props.title and props.subject
        assert (props.created, props.modified) == _dated_like_the_pdfs(INSTITUTIONS / slug)


def test_summary_properties_name_the_register(sheets):
    from generator.jurisdiction import fact

    props = openpyxl.load_workbook(sheets / SUMMARY).properties
    assert props.creator == fact("authority", dt.date.fromisoformat(TODAY)) != "openpyxl"
    assert props.title == SUMMARY.removesuffix(".xlsx") and props.subject
    assert (props.created, props.modified) == _dated_like_the_pdfs(INSTITUTIONS)


def test_workbooks_are_stamped_with_the_data_date_only(sheets):
    """No wall-clock time inside: every zip entry carries the properties' modified time, so a rerun gives the same bytes."""
    for path in _workbooks(sheets):
        modified = openpyxl.load_workbook(path).properties.modified
        with zipfile.ZipFile(path) as archive:
            stamps = {info.date_time for info in archive.infolist()}
        expected = (modified.year, modified.month, modified.day, modified.hour, modified.minute, modified.second // 2 * 2)
        assert stamps == {expected}, (path.name, stamps, expected)


def test_same_data_gives_the_same_bytes(sheets, tmp_path):
    again = tmp_path / "again"
    result = run_beian("sheets", SAMPLES[0], "--out", str(again))
    assert result.returncode == 0, result.stderr
    name = f"{SAMPLES[0]}-{SCOPE}"
    assert (again / name).read_bytes() == (sheets / name).read_bytes()
