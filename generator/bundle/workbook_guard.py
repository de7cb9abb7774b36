"""What a workbook given to `beian import-scope` is, and whether it is safe to hand to a parser.

Accepted: Excel 2007+ (.xlsx), Excel 97-2003 (.xls) and OpenDocument (.ods), told apart by their bytes,
not their names. Everything is refused before any spreadsheet parser runs, from the container alone:
a file over MAX_WORKBOOK_BYTES; a zip with too many parts or parts that inflate too far (a zip bomb); a
sheet whose declared size, cell references, repeated rows or columns (.ods) or cell records (.xls)
reach past MAX_ROWS × MAX_COLUMNS, or whose sheets together hold more than MAX_CELLS; a password; a
zip or OLE file that is no spreadsheet. A real 认定范围清单 is a few KB and a few dozen rows.

Only the standard library and olefile (the reader of .xls containers, no spreadsheet parser) are used.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELLS = MAX_ROWS * MAX_COLUMNS   # all sheets together: a parser builds every sheet's grid

KIND_NAMES = {"xlsx": "Excel 工作簿（.xlsx）", "xls": "旧版 Excel 工作簿（.xls）", "ods": "OpenDocument 表格（.ods）"}
SAVE_AS = "请在 Excel、WPS 或 LibreOffice 中“另存为”Excel 工作簿（*.xlsx）后再导入。"

_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]*)([0-9]*)"')
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,7})"')


class WorkbookRefused(Exception):
    """The file is not a spreadsheet import-scope reads, or is too big to read safely (message in Chinese)."""


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def _too_big(name: str, where: str, rows: int, columns: int) -> WorkbookRefused:
    return WorkbookRefused(f"{name} 的工作表（{where}）有 {rows} 行、{columns} 列，超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列的上限，"
                           "不像认定范围清单，已拒绝读取。请删除多余的行列（或空白但有格式的单元格）后另存。")


def _too_many_cells(name: str, cells: int) -> WorkbookRefused:
    return WorkbookRefused(f"{name} 的各工作表合计约 {cells} 个单元格，超过 {MAX_CELLS} 个的上限，不像认定范围清单，已拒绝读取。"
                           "请只保留认定范围清单的工作表后另存。")


class _Extent:
    """Rows and columns of each sheet seen so far, refused as soon as one or all together are too big."""

    def __init__(self, name: str):
        self.name = name
        self.cells = 0

    def sheet(self, where: str, rows: int, columns: int) -> None:
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise _too_big(self.name, where, rows, columns)
        self.cells += rows * columns
        if self.cells > MAX_CELLS:
            raise _too_many_cells(self.name, self.cells)


# ----------------------------------------------------------------------------- .xlsx
def _check_xlsx_sheet(extent: _Extent, part: str, xml: bytes) -> None:
    """Rows and columns from the declared <dimension> and from every cell and row reference."""
    rows = columns = 0
    declared = _DIMENSION.search(xml[:4096])
    if declared:
        columns = _column_number(declared.group(1)) if declared.group(1) else 0
        rows = int(declared.group(2)) if declared.group(2) else 0
    for letters, number in _CELL_REF.findall(xml):
        columns = max(columns, _column_number(letters))
        rows = max(rows, int(number))
    for number in _ROW_REF.findall(xml):
        rows = max(rows, int(number))
    extent.sheet(part, rows, columns)


# ----------------------------------------------------------------------------- .ods
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(elem, local: str) -> str | None:
    for key, value in elem.attrib.items():
        if _local(key) == local:
            return value
    return None


def _repeat(elem, local: str) -> int:
    value = _attribute(elem, local)
    return int(value) if value and value.isdigit() else 1


def _has_content(cell) -> bool:
    return _attribute(cell, "value-type") is not None or len(cell) > 0


def _check_ods_content(extent: _Extent, xml: bytes) -> None:
    """The extent of each table's cells that hold something, repeats counted: LibreOffice writes the empty
    rest of a sheet as one row repeated a million times, which is harmless; a row or cell with content
    repeated that often is a bomb."""
    from xml.etree.ElementTree import ParseError, iterparse

    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        raise WorkbookRefused(f"{extent.name} 的 content.xml 含有 DTD 或实体声明，正常的表格文件不会有，已拒绝读取。")
    table, row, rows, columns = "", 0, 0, 0
    try:
        for event, elem in iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = _local(elem.tag)
            if event == "start":
                if tag == "table":
                    table, row, rows, columns = _attribute(elem, "name") or "", 0, 0, 0
                continue
            if tag == "table-row":
                repeat, column, filled = _repeat(elem, "number-rows-repeated"), 0, False
                for cell in elem:
                    if _local(cell.tag) not in ("table-cell", "covered-table-cell"):
                        continue
                    column += _repeat(cell, "number-columns-repeated")
                    if _has_content(cell):
                        filled, columns = True, max(columns, column)
                if filled:
                    rows = row + repeat
                row += repeat
                if rows > MAX_ROWS or columns > MAX_COLUMNS:
                    raise _too_big(extent.name, f"“{table}”", rows, columns)
                elem.clear()
            elif tag == "table":
                extent.sheet(f"“{table}”", rows, columns)
                elem.clear()
    except ParseError as exc:
        raise WorkbookRefused(f"{extent.name} 的内容已损坏（content.xml：{exc}），无法作为 OpenDocument 表格读取。"
                              f"{SAVE_AS}") from None


# ----------------------------------------------------------------------------- .xls
_BOF, _FILEPASS, _DIMENSIONS = 0x0809, 0x002F, 0x0200
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0205, 0x0204, 0x00D6}  # row, column first
_MULTI_CELL_RECORDS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column … last column


def _check_biff(extent: _Extent, data: bytes) -> None:
    """Walk the BIFF records of the Workbook stream: a password (FILEPASS) is refused, and each sheet's
    declared dimensions and cell positions count towards the limits."""
    pos, sheet, rows, columns = 0, 0, 0, 0

    def close() -> None:
        extent.sheet(f"第 {max(sheet - 1, 0)} 个", rows, columns)  # substream 1 is the workbook globals

    while pos + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, pos)
        body = pos + 4
        if kind == _BOF:
            close()
            sheet, rows, columns = sheet + 1, 0, 0
        elif kind == _FILEPASS:
            raise WorkbookRefused(f"{extent.name} 设置了打开密码，无法读取：请取消密码后另存，再导入。")
        elif kind == _DIMENSIONS and length >= 12:
            last_row, last_col = struct.unpack_from("<I", data, body + 4)[0], struct.unpack_from("<H", data, body + 10)[0]
            rows, columns = max(rows, last_row), max(columns, last_col)
        elif kind in _CELL_RECORDS and length >= 4:
            r, c = struct.unpack_from("<HH", data, body)
            rows, columns = max(rows, r + 1), max(columns, c + 1)
        elif kind in _MULTI_CELL_RECORDS and length >= 6:
            r = struct.unpack_from("<H", data, body)[0]
            c = struct.unpack_from("<H", data, body + length - 2)[0]
            rows, columns = max(rows, r + 1), max(columns, c + 1)
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            close()
        pos = body + length
    close()


def _check_xls(path: Path, name: str) -> None:
    import olefile

    damaged = (f"{name} 看起来是旧版 Excel（.xls），但文件已损坏，无法读取。{SAVE_AS}")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
                raise WorkbookRefused(f"{name} 是设置了打开密码的 Excel 工作簿，无法读取：请取消密码后另存，再导入。")
            stream = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
            if stream is None:
                raise WorkbookRefused(f"{name} 不是 Excel 表格（可能是 Word 文档 .doc 等其他 Office 文件）。{SAVE_AS}")
            if ole.get_size(stream) > MAX_WORKBOOK_BYTES:
                raise WorkbookRefused(f"{name} 的工作簿数据声称有 {ole.get_size(stream)} 字节，超过上限，已拒绝读取。")
            data = ole.openstream(stream).read()
    except WorkbookRefused:
        raise
    except Exception:  # noqa: BLE001 - olefile raises OSError and assorted errors on a damaged container
        raise WorkbookRefused(damaged) from None
    _check_biff(_Extent(name), data)


# ----------------------------------------------------------------------------- zip containers
def _check_zip(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as book:
        members = book.infolist()
        if len(members) > MAX_MEMBERS:
            raise WorkbookRefused(f"{name} 内部有 {len(members)} 个部件，超过 {MAX_MEMBERS} 个，不像认定范围清单，已拒绝读取。")
        names = {m.filename for m in members}
        total = sum(m.file_size for m in members)
        biggest = max(members, key=lambda m: m.file_size, default=None)
        if biggest is not None and (total > MAX_UNCOMPRESSED or biggest.file_size > MAX_MEMBER_UNCOMPRESSED):
            raise WorkbookRefused(f"{name} 解压后过大（共 {total / 1024 / 1024:.0f} MB，其中 {biggest.filename} "
                                  f"{biggest.file_size / 1024 / 1024:.0f} MB），可能是损坏或恶意构造的文件，已拒绝读取。")
        for member in members:  # the declared sizes are checked above; reading proves they are true
            with book.open(member) as part:
                while part.read(1 << 20):
                    pass
        extent = _Extent(name)
        if "mimetype" in names:
            mimetype = book.read("mimetype")[:100].strip()
            if mimetype == _ODS_MIMETYPE:
                if "content.xml" not in names:
                    raise WorkbookRefused(f"{name} 是 OpenDocument 表格（.ods），但缺少 content.xml，文件已损坏。{SAVE_AS}")
                _check_ods_content(extent, book.read("content.xml"))
                return "ods"
            if b"opendocument" in mimetype:
                raise WorkbookRefused(f"{name} 是 OpenDocument 文件但不是表格（{mimetype.decode('ascii', 'replace')}），"
                                      f"例如文字文档。{SAVE_AS}")
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused(f"{name} 是压缩包但不是 Excel 工作簿（缺少 xl/workbook.xml），例如 Word 文档或 zip 文件。")
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_xlsx_sheet(extent, member.filename, book.read(member))
        return "xlsx"


def check_workbook(path: Path) -> str:
    """The kind of the spreadsheet at PATH ("xlsx", "xls" or "ods"), once it is known safe to parse;
    WorkbookRefused, with the reason and the fix in Chinese, otherwise."""
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        from ..textfile import os_reason

        raise WorkbookRefused(f"无法读取 {name}：{os_reason(exc)}。") from None
    if not head.startswith((_OLE_MAGIC, b"PK")):
        raise WorkbookRefused(f"{name} 不是有效的 Excel 工作簿（.xlsx、.xls）或 OpenDocument 表格（.ods），"
                              f"可能是 CSV、网页或其他格式的文件。{SAVE_AS}")
    if size > MAX_WORKBOOK_BYTES:
        raise WorkbookRefused(f"{name} 过大（{size / 1024 / 1024:.1f} MB）：认定范围清单通常只有几十 KB，"
                              f"上限 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB。请只保留认定范围清单的工作表。")
    if head.startswith(_OLE_MAGIC):
        _check_xls(path, name)
        return "xls"
    try:
        return _check_zip(path, name)
    except zipfile.BadZipFile as exc:
        raise WorkbookRefused(f"{name} 已损坏，无法作为 Excel 工作簿（.xlsx）或 .ods 表格打开（{exc}）。"
                              "请重新导出或另存一份。") from None
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise WorkbookRefused(f"{name} 已损坏或使用了不支持的压缩方式，无法读取（{type(exc).__name__}）。"
                              "请重新导出或另存一份。") from None
