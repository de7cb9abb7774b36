"""import-scope reads a 认定范围清单 saved as .xlsx, .xls or .ods (LibreOffice, WPS and old Excel save these)
to the same scope.yaml, names row and column of a mistake in any of them, and refuses workbook bombs —
a sheet that inflates to gigabytes, a row or cell repeated a million times, a corner cell at the end of
the grid — with a Chinese message before any spreadsheet parser sees the file."""
from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_beian

pytest.importorskip("python_calamine")
openpyxl = pytest.importorskip("openpyxl")

INSTITUTIONS = ROOT / "institutions"
SAMPLES = sorted(p.name for p in INSTITUTIONS.iterdir() if p.is_dir())
SCOPE = "评价机构信息与认定范围清单.xlsx"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) 未安装；scripts/setup 会安装 libreoffice-calc-nogui")


@pytest.fixture(scope="module")
def sheets(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sheets")
    result = run_beian("sheets", *SAMPLES, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _save_as(paths: list[Path], kind: str, folder: Path) -> list[Path]:
    """PATHS converted by LibreOffice to KIND ("ods" or "xls"), as a user's “另存为” would."""
    profile = folder / "lo-profile"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", kind,
                             "--outdir", str(folder), *map(str, paths)], capture_output=True, text=True, timeout=300)
    converted = [folder / f"{p.stem}.{kind}" for p in paths]
    assert all(p.is_file() for p in converted), result.stdout + result.stderr
    return converted


def _import(path: Path) -> dict:
    result = run_beian("import-scope", str(path))
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def _original(slug: str) -> dict:
    return yaml.safe_load((INSTITUTIONS / slug / "scope.yaml").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the three formats
@needs_office
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_every_sample_comes_back_the_same_from_ods_and_xls(kind, sheets, tmp_path):
    from generator.bundle.excel import import_scope

    books = [sheets / f"{slug}-{SCOPE}" for slug in SAMPLES]
    for slug, converted in zip(SAMPLES, _save_as(books, kind, tmp_path)):
        assert import_scope(converted) == _original(slug), (slug, kind)
    assert _import(converted) == _original(SAMPLES[-1])  # and through the command, as YAML


@needs_office
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_mistake_in_ods_or_xls_names_row_and_column(kind, tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "认定范围清单"
    ws.append(["职业名称", "职业编号", "工种/职业方向", "级别", "评价标准"])
    ws.append(["车工", "6-18-01-01", "", "4、3", "国家标准"])
    ws.append(["焊工", "6-18-02", "", "4", "国家标准"])
    ws.append(["电工", "6-31-01-03", "", "6", "国家标准"])
    source = tmp_path / "scope.xlsx"
    book.save(source)
    converted = _save_as([source], kind, tmp_path)[0]
    result = run_beian("import-scope", str(converted))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "第 3 行、B 列" in result.stderr and "6-18-02" in result.stderr, result.stderr


# ----------------------------------------------------------------------------- bombs
def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _inflating(chunk: bytes, times: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of CHUNK repeated TIMES, built without holding the whole: one flushed block repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return block * times + packer.flush(), crc, len(chunk) * times


def _raw_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> Path:
    """A zip written by hand, each member's deflated bytes, CRC and declared size as given (sizes under 4 GB)."""
    body, directory = bytearray(), bytearray()
    for name, (data, crc, size) in members.items():
        encoded, offset = name.encode(), len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        body += encoded + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(data), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    path.write_bytes(bytes(body + directory + end))
    return path


def _small_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "认定范围清单"
    ws.append(["职业名称", "职业编号", "工种/职业方向", "级别", "评价标准"])
    ws.append(["车工", "6-18-01-01", "", "4、3", "国家标准"])
    book.save(path)
    return path


def _gigabyte_sheet(path: Path, declared: int | None = None) -> Path:
    """A workbook whose sheet is 1 MB in the file and 1 GB once inflated; DECLARED: the size the zip claims."""
    with zipfile.ZipFile(_small_workbook(path)) as good:
        members = {name: _deflated(good.read(name)) for name in good.namelist()}
    data, crc, size = _inflating(b" " * (1 << 20), 1024)
    members["xl/worksheets/sheet1.xml"] = (data, crc, size if declared is None else declared)
    return _raw_zip(path, members)


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
            '<office:body><office:spreadsheet>')
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def _cell(text: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{times}><text:p>{text}</text:p></table:table-cell>'


def _row(cells: str, repeat: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{times}>{cells}</table:table-row>"


def _table(name: str, rows: str) -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


def _ods(path: Path, tables: str, head: str = ODS_HEAD) -> Path:
    header = _row("".join(_cell(h) for h in ["职业名称", "职业编号", "工种/职业方向", "级别", "评价标准"]))
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", head + tables.replace("{header}", header) + ODS_TAIL, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def _sane_ods(path: Path) -> Path:
    return _ods(path, _table("认定范围清单", "{header}" + _row(_cell("车工") + _cell("6-18-01-01") + _cell("") + _cell("4、3"))))


BOMBS = {
    # name: (maker, file suffix, fragment of the refusal)
    "xlsx-inflates-to-1-GB": (_gigabyte_sheet, ".xlsx", "解压后过大"),
    "xlsx-lies-about-its-size": (lambda p: _gigabyte_sheet(p, declared=4096), ".xlsx", "已损坏"),
    "ods-row-repeated-a-million-times": (lambda p: _ods(p, _table("认定范围清单", "{header}" + _row(_cell("车工"), 1_000_000))),
                                         ".ods", "1000001 行"),
    "ods-cell-repeated-across-the-sheet": (lambda p: _ods(p, _table("认定范围清单", "{header}" + _row(_cell("车工", 16384)))),
                                           ".ods", "16384 列"),
    "ods-content-after-a-million-empty-rows": (
        lambda p: _ods(p, _table("认定范围清单", "{header}" + _row("<table:table-cell/>", 1_048_000) + _row(_cell("车工")))),
        ".ods", "1048002 行"),
    "ods-many-sheets-together": (
        lambda p: _ods(p, "".join(_table(f"表{i}", _row(_cell("x", 50), 4000)) for i in range(40))), ".ods", "合计"),
    "ods-entity-expansion": (
        lambda p: _ods(p, _table("认定范围清单", "{header}" + _row(_cell("&a;"))),
                       head=ODS_HEAD.replace("<office:document-content", '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><office:document-content', 1)),
        ".ods", "实体"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_workbook_bombs_are_refused_with_a_chinese_message(name, tmp_path):
    make, suffix, fragment = BOMBS[name]
    path = make(tmp_path / f"{name}{suffix}")
    result = run_beian("import-scope", str(path))
    assert result.returncode == 1, result.stdout[-500:] + result.stderr
    assert fragment in result.stderr and CHINESE.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bombs_are_refused_before_any_parser_runs(tmp_path, monkeypatch):
    from generator.bundle import excel

    def never(*args, **kwargs):
        raise AssertionError("the workbook reached the spreadsheet parser")

    monkeypatch.setattr(excel, "_import_scope", never)
    for name, (make, suffix, _) in BOMBS.items():
        with pytest.raises(excel.ScopeImportError):
            excel.import_scope(make(tmp_path / f"{name}{suffix}"))


def test_sane_ods_made_by_hand_imports(tmp_path):
    """The bombs above differ from a readable .ods only in their repeats: the same maker gives a workbook that imports."""
    assert _import(_sane_ods(tmp_path / "ok.ods")) == {"occupations": [{"code": "6-18-01-01", "name": "车工", "levels": [4, 3]}]}


@needs_office
def test_xls_with_a_cell_at_the_end_of_the_grid_is_refused(tmp_path):
    """A 5 KB .xls with one cell at IV65536: calamine would build a 65536 × 256 grid; the BIFF records tell first."""
    from generator.bundle import excel

    source = _small_workbook(tmp_path / "corner.xlsx")
    book = openpyxl.load_workbook(source)
    book.active["IV65536"] = "x"
    book.save(source)
    corner = _save_as([source], "xls", tmp_path)[0]
    result = run_beian("import-scope", str(corner))
    assert result.returncode == 1 and "65536 行、256 列" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_damaged_xls_and_ods_are_named_as_such(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 1024)
    ods = _ods(tmp_path / "broken.ods", "<table:table")
    for path, fragment in ((xls, "旧版 Excel（.xls）"), (ods, "OpenDocument")):
        result = run_beian("import-scope", str(path))
        assert result.returncode == 1 and fragment in result.stderr and "Traceback" not in result.stderr, result.stderr
