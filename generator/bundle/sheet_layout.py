"""How the project's workbooks look on screen and on paper, and what they say about themselves.

Every sheet prints on landscape A4, fitted to the page width (as many pages down as it needs), with its
header row repeated on each page, the sheet name above and “第 n 页 / 共 m 页” below; on screen the header
stays frozen and carries an autofilter. Column widths follow the text (a Chinese character is two units
wide). The document properties name the workbook's owner (never “openpyxl”) and carry the evaluation
date, and the file is written with that date in every zip entry, so the same data gives the same bytes.

openpyxl is imported inside the functions: this module is loaded only when a workbook is written.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

FOOTER = "第 &P 页 / 共 &N 页"
SHEET_NAME_FIELD = "&A"
NARROWEST, WIDEST = 6, 40       # column widths, in Excel's units (about one Latin digit each)
HEADER_LINE = 8                 # a header may wrap: it asks for no more than this many units per line
PADDING = 2
LINE_HEIGHT = 1.35          # points of row height per point of font size, per line of text
PAGE_WIDTH = 200            # a table wider than this (in width units) prints too small on landscape A4
FORM_WIDTH = 140            # about the landscape A4 width at 100 %


@dataclass(frozen=True)
class Table:
    """A table on a sheet: its header row, last row and columns (1-based, inclusive)."""
    header_row: int
    last_row: int
    last_col: int
    first_col: int = 1

    @property
    def ref(self) -> str:
        from openpyxl.utils import get_column_letter

        return (f"{get_column_letter(self.first_col)}{self.header_row}:"
                f"{get_column_letter(self.last_col)}{max(self.last_row, self.header_row)}")


@dataclass(frozen=True)
class DocumentInfo:
    """The workbook's document properties: AUTHOR is who the workbook is about or who keeps it; CREATED and
    MODIFIED are ISO dates or date-times from the data, as the PDFs take them (docinfo.version_dates)."""
    title: str
    subject: str
    author: str
    created: str
    modified: str
    keywords: str = ""
    description: str = ""

    @classmethod
    def of_version(cls, title: str, subject: str, author: str, version, today: dt.date, **more) -> "DocumentInfo":
        """Dated like the PDFs: the commit the data comes from, or TODAY (the evaluation date) when uncommitted."""
        from .docinfo import version_dates

        created, modified = version_dates(version, today)
        return cls(title, subject, author, created, modified, **more)


def moment(text: str) -> dt.datetime:
    """An ISO date or date-time as the naive UTC time openpyxl writes into the document properties."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def display_width(text: str) -> int:
    """Width of one line in Excel units: two for a wide (CJK, full-width) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widest_line(value) -> int:
    if value is None:
        return 0
    return max((display_width(line) for line in str(value).split("\n")), default=0)


def fit_columns(ws, table: Table, widest: dict[int, int] | None = None, page: int = 0, fill: bool = False) -> None:
    """Set each table column's width from its longest line, within NARROWEST..WIDEST (or the column's own
    cap in WIDEST by column number); longer text wraps. Merged title cells above the table do not count.
    PAGE: the total width the table should not exceed (each column gives up the same share of its width
    above one that still holds a wrapped header); with FILL, a narrower table is widened to PAGE."""
    from openpyxl.utils import get_column_letter

    caps = widest or {}
    widths = {}
    for col in range(table.first_col, table.last_col + 1):
        header = _widest_line(ws.cell(row=table.header_row, column=col).value)
        body = max((_widest_line(ws.cell(row=row, column=col).value)
                    for row in range(table.header_row + 1, table.last_row + 1)), default=0)
        width = max(body, min(header, HEADER_LINE)) + PADDING
        widths[col] = max(NARROWEST, min(width, caps.get(col, WIDEST)))
    floor = HEADER_LINE + PADDING
    total = sum(widths.values())
    if page and total > page:  # every column gives up the same share of its width beyond the floor
        spare = sum(max(0, w - floor) for w in widths.values())
        keep = max(0.0, 1 - (total - page) / spare) if spare else 1.0
        widths = {col: w if w <= floor else floor + int((w - floor) * keep) for col, w in widths.items()}
    total = sum(widths.values())
    if page and fill and total < page:
        widths = {col: width * page // total for col, width in widths.items()}
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _column_width(ws, col: int) -> float:
    from openpyxl.utils import get_column_letter

    return ws.column_dimensions[get_column_letter(col)].width or 8.43  # Excel's default


def fit_rows(ws, first_row: int, last_row: int) -> None:
    """Set each row's height from its wrapped text: Excel and LibreOffice keep the stored height of a row
    openpyxl writes, so a row left alone shows one line and hides the rest. Cells merged across columns
    wrap over the merged width; cells merged down several rows are left to their rows."""
    spans = {}
    tall = set()
    for merged in ws.merged_cells.ranges:
        if merged.min_row != merged.max_row:
            tall.update((r, c) for r in range(merged.min_row, merged.max_row + 1)
                        for c in range(merged.min_col, merged.max_col + 1))
        else:
            spans[(merged.min_row, merged.min_col)] = range(merged.min_col, merged.max_col + 1)
    for row in range(first_row, last_row + 1):
        height = 0.0
        for cell in ws[row]:
            if cell.value is None or (row, cell.column) in tall:
                continue
            size = float(cell.font.sz or 11) if cell.font else 11.0
            width = sum(_column_width(ws, c) for c in spans.get((row, cell.column), [cell.column]))
            room = max(1.0, (width - 1) * 11 / size)
            lines = sum(max(1, -(-display_width(line) // int(room))) for line in str(cell.value).split("\n"))
            height = max(height, lines * size * LINE_HEIGHT + 4)
        if height:
            ws.row_dimensions[row].height = round(height, 1)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # a lone & starts a header code (&P, &A …)


def set_print_layout(ws, table: Table, freeze: str, owner: str = "") -> None:
    """Landscape A4 fitted to the width, the table's header row repeated on each page, frozen panes at
    FREEZE (the first cell that scrolls), an autofilter over the table; OWNER heads each page on the left."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # 0: as many pages down as the rows need
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{table.header_row}:{table.header_row}"
    ws.auto_filter.ref = table.ref
    ws.freeze_panes = freeze
    if owner:
        ws.oddHeader.left.text = _header_text(owner)
    ws.oddHeader.center.text = SHEET_NAME_FIELD
    ws.oddFooter.center.text = FOOTER


def style_table(ws, table: Table) -> None:
    """Thin borders round every cell, wrapped text, a bold grey header row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows(min_row=table.header_row, max_row=table.last_row, min_col=table.first_col, max_col=table.last_col):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for cell in ws[table.header_row][table.first_col - 1:table.last_col]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def lay_out(ws, table: Table, *, freeze: str, owner: str, widest: dict[int, int] | None = None, page: int = 0,
            fill: bool = False, from_row: int | None = None) -> None:
    """A table made ready for screen and paper: styled, columns and rows fitted (rows from FROM_ROW, the
    header row by default), printed landscape with its header repeated (set_print_layout)."""
    style_table(ws, table)
    fit_columns(ws, table, widest, page=page, fill=fill)
    fit_rows(ws, table.header_row if from_row is None else from_row, table.last_row)
    set_print_layout(ws, table, freeze, owner)


def set_document_info(book, info: DocumentInfo) -> None:
    props = book.properties
    props.title = info.title
    props.subject = info.subject
    props.creator = info.author
    props.lastModifiedBy = info.author
    props.keywords = info.keywords or None
    props.description = info.description or None
    props.language = "zh-CN"
    props.created = moment(info.created)
    props.modified = moment(info.modified)


class _StampedZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, instead of the moment each was written."""

    stamp: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """openpyxl writes each worksheet to a temporary file and adds it with write(), which would take the
        file's modification time; it goes in through writestr instead."""
        self.writestr(str(arcname or filename), Path(filename).read_bytes(), compress_type, compresslevel)


def save_workbook(book, target: Path, info: DocumentInfo) -> Path:
    """Write BOOK to TARGET with INFO as its properties. openpyxl's own save stamps the wall clock into
    the properties and every zip entry; its writer is used directly so the bytes depend on the data only."""
    from openpyxl.writer.excel import ExcelWriter

    set_document_info(book, info)
    target.parent.mkdir(parents=True, exist_ok=True)
    archive = _StampedZip(target, "w", zipfile.ZIP_DEFLATED)
    when = moment(info.modified)
    archive.stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    ExcelWriter(book, archive).save()  # closes the archive
    return target
