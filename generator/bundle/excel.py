"""Excel sheets (pandas + openpyxl): the 汇总表 of all institutions, the 评价机构信息与认定范围清单
of one, and the way back from a 认定范围清单 to scope.yaml.

No cell is ever a live formula: a value starting with = + - @ or a tab is stored as text.
The 认定范围清单 sheet has the columns of the seed form; a second sheet “认定范围明细” carries the
rest of scope.yaml (专业、题库、教材、评价规范…), so YAML → xlsx → YAML loses nothing. A sheet that
has only the form (as institutions already keep it) imports too, with just the form's fields.
"""
from __future__ import annotations

import re
from pathlib import Path

SCOPE_SHEET = "认定范围清单"
DETAIL_SHEET = "认定范围明细"
NOTES_SHEET = "说明"
SCOPE_TITLE = "评价机构信息与认定范围清单"
SUMMARY_TITLE = "河南省院校类职业技能等级认定机构汇总表"
SCOPE_COLUMNS = ["职业名称", "职业编号", "工种/职业方向", "级别", "评价标准"]
HEADER_ALIASES = {"职业名称": "name", "职业编号": "code", "职业编码": "code", "工种/职业方向": "job", "工种名称": "job",
                  "工种": "job", "级别": "levels", "等级": "levels", "评价标准": "basis"}
DETAIL_COLUMNS = ["职业编号", "职业名称", "本次变化", "对应专业", "评价标准（全称）", "已备有国家职业技能标准",
                  "评价规范名称", "评价规范覆盖等级", "评价规范评审日期", "评价规范评审专家", "评价规范文件",
                  "理论知识题库", "操作技能题库", "试题数量", "题库来源", "题库承诺", "教材（书名｜类别｜出版单位，每行一本）"]
BASIS_FROM_TEXT = {"国标": "国家职业技能标准", "国家标准": "国家职业技能标准", "国家职业技能标准": "国家职业技能标准",
                   "评价规范": "评价规范", "自主开发评价规范": "评价规范", "自主开发的评价规范": "评价规范"}
BASIS_TO_TEXT = {"国家职业技能标准": "国家标准", "评价规范": "评价规范"}
CODE = re.compile(r"^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}\Z")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
MODELINE = "# yaml-language-server: $schema=../../schemas/scope.schema.json\n"


class ScopeImportError(Exception):
    """A malformed 认定范围清单; the message names the sheet, row and column."""


# ----------------------------------------------------------------------------- writing helpers
def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def redact_cells(ws) -> None:
    """No personal number, full or masked, in any cell: the workbooks are published as downloads."""
    from ..personal import redact

    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cleaned = redact(cell.value)
                if cleaned is not cell.value:
                    cell.value = cleaned


def harden(ws) -> int:
    """Store every string cell as text, so =cmd|… , +1, -1, @SUM(…) never become formulas. Returns the count."""
    count = 0
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and (cell.data_type == "f" or cell.value.startswith(DANGEROUS_START)):
                value = cell.value
                cell.value = None
                cell._value = value  # bypass openpyxl's "starts with = → formula" guess
                cell.data_type = "s"
                count += 1
    return count


def _style_table(ws, header_row: int, first_col: int, last_col: int, last_row: int, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in ws.iter_rows(min_row=header_row, max_row=last_row, min_col=first_col, max_col=last_col):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for cell in ws[header_row][first_col - 1:last_col]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(widths, start=first_col):
        ws.column_dimensions[_col_letter(i)].width = width


# Characters an .xlsx cannot hold (openpyxl raises IllegalCharacterError): C0 controls but tab and newline.
# A filing can carry them only as escapes in double quotes ("\x1b"), which `beian check` reports; the
# workbook shows them as their codes rather than failing.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable(value):
    """value, with characters a workbook cannot store written as \\xNN."""
    if isinstance(value, str) and _ILLEGAL.search(value):
        return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", value)
    return value


def _printable_frame(frame):
    return frame.map(printable) if hasattr(frame, "map") else frame.applymap(printable)


def _yes_no(value) -> str:
    return "" if value is None else ("是" if value else "否")


def _lines(values) -> str:
    return "\n".join(str(v) for v in values or [])


# ----------------------------------------------------------------------------- 认定范围清单
def scope_frames(c) -> tuple:
    """(form rows, detail rows) as DataFrames for one institution's scope."""
    import pandas as pd

    form = []
    for row in c.scope_rows():
        form.append([row["name"] if row["first"] else "", row["code"] if row["first"] else "", row["job"],
                     row["levels"], row["basis"]])
    detail = []
    for occ in c.filing.items("scope", "occupations"):
        if not isinstance(occ, dict):
            continue
        spec = occ.get("specification") or {}
        bank = occ.get("question_bank") or {}
        books = "\n".join("｜".join([str(b.get("title", "")), str(b.get("kind", "") or ""), str(b.get("publisher", "") or "")]).rstrip("｜")
                          for b in occ.get("textbooks") or [] if isinstance(b, dict))
        detail.append([occ.get("code", ""), occ.get("name", ""), occ.get("change", ""), _lines(occ.get("majors")),
                       occ.get("basis", ""), _yes_no(occ.get("standard_held")), spec.get("title", ""),
                       "、".join(str(v) for v in spec.get("levels") or []), str(spec.get("reviewed_on", "") or ""),
                       _lines(spec.get("reviewers")), str(spec.get("file", "") or ""),
                       _yes_no(bank.get("theory")), _yes_no(bank.get("practical")),
                       "" if bank.get("items") is None else bank.get("items"), bank.get("source", ""),
                       bank.get("commitment", ""), books])
    return (_printable_frame(pd.DataFrame(form, columns=SCOPE_COLUMNS, dtype=object)),
            _printable_frame(pd.DataFrame(detail, columns=DETAIL_COLUMNS, dtype=object)))


def write_scope_workbook(c, target: Path) -> Path:
    import pandas as pd
    from openpyxl.styles import Alignment, Font

    form, detail = scope_frames(c)
    start = 9  # header row of the table (1-based), below the institution block as in the seed
    target.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        form.to_excel(writer, sheet_name=SCOPE_SHEET, index=False, startrow=start - 1)
        detail.to_excel(writer, sheet_name=DETAIL_SHEET, index=False)
        notes = pd.DataFrame([
            ["备有《国家职业分类大典》", _yes_no(c.g("scope", "catalogue_held"))],
            ["机构", c.name],
            ["数据版本（git）", c.commit],
            ["生成日期", c.today.isoformat()],
            ["用途", "“认定范围清单”为报送格式；“认定范围明细”保存 scope.yaml 其余字段，用 beian import-scope 可还原 scope.yaml。"],
        ], columns=["项目", "内容"], dtype=object)
        _printable_frame(notes).to_excel(writer, sheet_name=NOTES_SHEET, index=False)
        ws = writer.book[SCOPE_SHEET]
        g = c.g
        block = [
            (1, [SCOPE_TITLE]),
            (2, ["机构名称", c.center_name]),
            (3, ["机构简称", g("profile", "center", "short_name", default=""), "备案号", g("profile", "status", "filing_number", default="")]),
            (4, ["机构类型", "院校"]),
            (5, ["联系人", g("profile", "contact", "name", default=""), "联系电话", g("profile", "contact", "office_phone", default="")]),
            (6, ["邮箱", g("profile", "institution", "email", default=""), "网址", g("profile", "institution", "website", default="")]),
            (7, ["地址", g("profile", "institution", "address", default="")]),
            (8, ["开展职业技能等级认定范围"]),
        ]
        for row, values in block:
            for col, value in enumerate(values, start=1):
                ws.cell(row=row, column=col, value=printable(str(value)))
        for ref in ("A1:E1", "B2:E2", "D3:E3", "B4:E4", "B7:E7", "A8:E8"):
            ws.merge_cells(ref)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws["A8"].font = Font(bold=True)
        ws["A8"].alignment = Alignment(horizontal="center")
        last = start + len(form)
        _style_table(ws, start, 1, 5, last, [22, 14, 22, 14, 12])
        for r in range(2, 8):
            ws.cell(row=r, column=1).font = Font(bold=True)
        # merge the name and code cells of an occupation over its 工种 rows, as on the paper form
        row_index = start + 1
        for row in c.scope_rows():
            if row["first"] and row["span"] > 1:
                for col in ("A", "B"):
                    ws.merge_cells(f"{col}{row_index}:{col}{row_index + row['span'] - 1}")
            row_index += 1
        ws.freeze_panes = f"A{start + 1}"
        _style_table(writer.book[DETAIL_SHEET], 1, 1, len(DETAIL_COLUMNS), len(detail) + 1,
                     [12, 18, 8, 22, 16, 10, 28, 10, 12, 20, 28, 8, 8, 8, 10, 20, 48])
        _style_table(writer.book[NOTES_SHEET], 1, 1, 2, 6, [24, 80])
        for sheet in writer.book.worksheets:
            redact_cells(sheet)
            harden(sheet)
    return target


# ----------------------------------------------------------------------------- 汇总表
SUMMARY_COLUMNS = ["序号", "学校名称", "认定机构名称", "学校类型", "学校性质", "所在市", "统一社会信用代码", "主管部门",
                   "备案申请类别", "备案状态", "备案号", "有效期起", "有效期止", "职业（工种）数量", "认定职业（工种）",
                   "法定代表人", "联系人", "联系电话", "邮箱", "技能等级认定工作网址", "技术评估得分", "评估结论", "数据版本"]


def summary_row(c) -> list:
    """One institution's row of the 汇总表, without its 序号 (plain values: it travels between processes)."""
    g = c.g
    occupations = [o for o in c.filing.items("scope", "occupations") if isinstance(o, dict)]
    start, end = c.validity()
    rec = c.record
    return [c.name, c.center_name, g("profile", "institution", "type", default=""),
            g("profile", "institution", "nature", default=""), g("profile", "institution", "city", default=""),
            g("profile", "institution", "credit_code", default=""), g("profile", "institution", "supervising_department", default=""),
            g("profile", "application", "category", default=""), _state(c),
            g("profile", "status", "filing_number", default=""), start, end, len(occupations),
            "、".join(f"{o.get('name', '')}（{o.get('code', '')}）" for o in occupations),
            g("profile", "representative", "name", default=""), g("profile", "contact", "name", default=""),
            g("profile", "contact", "office_phone", default=""), g("profile", "institution", "email", default=""),
            g("profile", "institution", "website", default=""),
            _score_cell(rec), _public_conclusion(c), c.commit]


def _score_cell(rec: dict):
    """The 技术评估得分: the score; for a conditions result (增量备案审核, no score) the record's earlier one."""
    if not rec["valid"]:
        return ""
    if rec["score"] is None:
        return "" if rec.get("existing_score") is None else f"{rec['existing_score']:g}（初次备案）"
    return rec["score"]


def _state(c) -> str:
    """The filed state, except that a 已备案 past its end date reads 已过期, as on the portal."""
    state = c.g("profile", "status", "state", default="")
    return c.public.state if c.public.state == "已过期" else state


def _public_conclusion(c) -> str:
    """The 汇总表 is published: 自评 until 已备案, the veto rather than points still open (public_state.py)."""
    result = c.public
    text = result.headline if c.record["valid"] else result.conclusion
    return f"{text}（{result.pending_note}）" if result.pending_note else text


def summary_frame(rows: list[list]):
    import pandas as pd

    return _printable_frame(pd.DataFrame([[i, *row] for i, row in enumerate(rows, start=1)], columns=SUMMARY_COLUMNS, dtype=object))


def write_summary_workbook(rows: list[list], target: Path) -> Path:
    """The 汇总表 from summary_row() of each institution, in the order given."""
    import pandas as pd
    from openpyxl.styles import Alignment, Font

    frame = summary_frame(rows)
    target.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="汇总表", index=False, startrow=1)
        ws = writer.book["汇总表"]
        ws.cell(row=1, column=1, value=SUMMARY_TITLE)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SUMMARY_COLUMNS))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        _style_table(ws, 2, 1, len(SUMMARY_COLUMNS), len(frame) + 2,
                     [6, 22, 30, 12, 8, 10, 22, 22, 10, 8, 16, 12, 12, 8, 50, 10, 10, 16, 26, 30, 10, 14, 14])
        ws.freeze_panes = "C3"
        redact_cells(ws)
        harden(ws)
    return target


# ----------------------------------------------------------------------------- import
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    text = str(value)
    return "" if not text.strip() else text  # kept as written: a leading tab or space is data


def _where(sheet: str, row: int, col: int, header: str) -> str:
    return f"“{sheet}”工作表第 {row} 行、{_col_letter(col)} 列（{header}）"


def _levels(text: str, where: str) -> list[int]:
    parts = [p for p in re.split(r"[、,，.．;；/\s]+", text) if p]
    levels = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 5:
            raise ScopeImportError(f"{where}：“{text}”不是等级代码，应写 1-5 的数字，例如“4、3、2”。")
        if int(part) in levels:
            raise ScopeImportError(f"{where}：等级 {part} 重复。")
        levels.append(int(part))
    return levels


def _bool(text: str, where: str):
    if text == "":
        return None
    if text in ("是", "有", "√", "TRUE", "True", "true"):
        return True
    if text in ("否", "无", "×", "FALSE", "False", "false"):
        return False
    raise ScopeImportError(f"{where}：“{text}”应填“是”或“否”。")


def _grid(path: Path, sheet: str):
    import pandas as pd

    return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")


# Limits checked on the zip directory and the sheets' XML before anything parses the workbook, so a
# zip bomb or a sheet with a cell at XFD1048576 is refused at once. A real 认定范围清单 is a few KB.
MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 200
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_MEMBER_UNCOMPRESSED = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]*)([0-9]*)"')
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.decode("ascii"):
        number = number * 26 + ord(ch) - 64
    return number


def _refuse_unsafe_workbook(path: Path) -> None:
    """Raise ScopeImportError for anything but a plain .xlsx of sane size, before openpyxl reads it."""
    import zipfile

    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        from ..textfile import os_reason

        raise ScopeImportError(f"无法读取 {name}：{os_reason(exc)}。") from None
    if head.startswith(_OLE_MAGIC):
        raise ScopeImportError(f"{name} 是旧版 Excel（.xls）或加了密码的工作簿，只能导入 .xlsx："
                               "请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx），不要设置密码。")
    if not head.startswith(b"PK"):
        raise ScopeImportError(f"{name} 不是有效的 Excel 工作簿（.xlsx），可能是 CSV、网页或其他格式的文件；"
                               "请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）。")
    if size > MAX_WORKBOOK_BYTES:
        raise ScopeImportError(f"{name} 过大（{size / 1024 / 1024:.1f} MB）：认定范围清单通常只有几十 KB，"
                               f"上限 {MAX_WORKBOOK_BYTES // 1024 // 1024} MB。请只保留认定范围清单的工作表。")
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            if len(members) > MAX_MEMBERS:
                raise ScopeImportError(f"{name} 内部有 {len(members)} 个部件，超过 {MAX_MEMBERS} 个，不像认定范围清单，已拒绝读取。")
            names = {m.filename for m in members}
            if "mimetype" in names and b"opendocument" in book.read("mimetype")[:100]:
                raise ScopeImportError(f"{name} 是 OpenDocument 表格（.ods，WPS/LibreOffice），只能导入 .xlsx："
                                       "请“另存为”Excel 工作簿（*.xlsx）。")
            if "xl/workbook.xml" not in names:
                raise ScopeImportError(f"{name} 是压缩包但不是 Excel 工作簿（缺少 xl/workbook.xml），例如 Word 文档或 zip 文件。")
            total = sum(m.file_size for m in members)
            biggest = max(members, key=lambda m: m.file_size)
            if total > MAX_UNCOMPRESSED or biggest.file_size > MAX_MEMBER_UNCOMPRESSED:
                raise ScopeImportError(f"{name} 解压后过大（共 {total / 1024 / 1024:.0f} MB，其中 {biggest.filename} "
                                       f"{biggest.file_size / 1024 / 1024:.0f} MB），可能是损坏或恶意构造的文件，已拒绝读取。")
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    _refuse_huge_sheet(name, member.filename, book.read(member))
    except zipfile.BadZipFile as exc:
        raise ScopeImportError(f"{name} 已损坏，无法作为 Excel 工作簿（.xlsx）打开（{exc}）。请重新导出或另存一份。") from None
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise ScopeImportError(f"{name} 已损坏或使用了不支持的压缩方式，无法读取（{type(exc).__name__}）。"
                               "请重新导出或另存一份。") from None


def _refuse_huge_sheet(name: str, part: str, xml: bytes) -> None:
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
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise ScopeImportError(f"{name} 的工作表（{part}）有 {rows} 行、{columns} 列，超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列的上限，"
                               "不像认定范围清单，已拒绝读取。请删除多余的行列（或空白但有格式的单元格）后另存。")


def import_scope(path: str | Path) -> dict:
    """The scope.yaml data held in a 认定范围清单 workbook; ScopeImportError naming row and column otherwise."""
    path = Path(path)
    if not path.exists():
        raise ScopeImportError(f"找不到文件：{path}")
    if not path.is_file():
        raise ScopeImportError(f"{path} 不是文件（可能是文件夹），请给出 .xlsx 文件的路径。")
    _refuse_unsafe_workbook(path)
    try:
        return _import_scope(path)
    except ScopeImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged workbook makes openpyxl/pandas raise
        raise ScopeImportError(f"{path.name} 无法读取，文件可能已损坏或不是正常保存的 Excel 工作簿"
                               f"（{type(exc).__name__}）。请在 Excel 或 WPS 中打开后重新“另存为”.xlsx。") from None


def _import_scope(path: Path) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        names = book.sheetnames
    finally:
        book.close()
    if not names:
        raise ScopeImportError(f"{path.name} 中没有工作表。")
    sheet = SCOPE_SHEET if SCOPE_SHEET in names else names[0]
    grid = _grid(path, sheet)
    header_row = None
    columns: dict[str, int] = {}
    for r in range(len(grid)):
        cells = [_text(v).strip() for v in grid.iloc[r]]
        mapped = {HEADER_ALIASES[v]: i for i, v in enumerate(cells) if v in HEADER_ALIASES}
        if {"name", "code", "levels"} <= set(mapped):
            header_row, columns = r, mapped
            break
    if header_row is None:
        raise ScopeImportError(f"“{sheet}”工作表中找不到表头行：需要“职业名称”“职业编号”“级别”几列"
                               "（可选“工种/职业方向”“评价标准”）。")
    headers = {v: k for k, v in HEADER_ALIASES.items() if k in SCOPE_COLUMNS}
    occupations: list[dict] = []
    current = None
    for r in range(header_row + 1, len(grid)):
        excel_row = r + 1
        cell = {key: _text(grid.iat[r, i]) if i < grid.shape[1] else "" for key, i in columns.items()}
        for key in ("code", "levels", "basis"):
            cell[key] = cell.get(key, "").strip()
        if not any(cell.values()):
            continue
        where = lambda key: _where(sheet, excel_row, columns[key] + 1, headers.get(key, key))  # noqa: E731
        if cell["code"] or cell["name"]:
            code, name = cell["code"], cell["name"]
            if CODE.match(name) and not CODE.match(code):  # the seed's sample rows put the code under 职业名称
                code, name = name, code
            if not CODE.match(code):
                raise ScopeImportError(f"{where('code')}：“{code}”不是职业编码，格式应为 X-XX-XX-XX，例如 6-18-01-01。")
            if not name:
                raise ScopeImportError(f"{where('name')}：缺少职业名称。")
            if any(o["code"] == code for o in occupations):
                raise ScopeImportError(f"{where('code')}：职业 {code} 重复出现；同一职业的工种请写在紧接着的行里，职业名称和编号留空。")
            current = {"code": code, "name": name}
            occupations.append(current)
        elif current is None:
            raise ScopeImportError(f"{where('name')}：第一行数据缺少职业名称和职业编号。")
        levels = _levels(cell["levels"], where("levels")) if cell["levels"] else None
        if cell.get("job"):
            if levels is None:
                raise ScopeImportError(f"{where('levels')}：工种“{cell['job']}”缺少级别。")
            current.setdefault("job_types", []).append({"name": cell["job"], "levels": levels})
        elif levels is not None:
            if "levels" in current:
                raise ScopeImportError(f"{where('levels')}：职业“{current['name']}”已经写过不分工种的级别；工种行请填写“工种/职业方向”。")
            current["levels"] = levels
        if cell.get("basis"):
            basis = BASIS_FROM_TEXT.get(cell["basis"])
            if basis is None:
                raise ScopeImportError(f"{where('basis')}：“{cell['basis']}”应为“国家标准”或“评价规范”。")
            if current.get("basis", basis) != basis:
                raise ScopeImportError(f"{where('basis')}：同一职业的评价标准前后不一致。")
            current["basis"] = basis
    if not occupations:
        raise ScopeImportError(f"“{sheet}”工作表的表头下没有职业。")
    data: dict = {"occupations": occupations}
    if DETAIL_SHEET in names:
        _merge_detail(path, occupations)
    if NOTES_SHEET in names:
        notes = _grid(path, NOTES_SHEET)
        for r in range(1, len(notes)):
            if _text(notes.iat[r, 0]) == "备有《国家职业分类大典》":
                value = _bool(_text(notes.iat[r, 1]), _where(NOTES_SHEET, r + 1, 2, "内容"))
                if value is not None:
                    data["catalogue_held"] = value
    return {"occupations": [_ordered(o) for o in occupations], **{k: v for k, v in data.items() if k != "occupations"}}


def _merge_detail(path: Path, occupations: list[dict]) -> None:
    grid = _grid(path, DETAIL_SHEET)
    header = [_text(v).strip() for v in grid.iloc[0]] if len(grid) else []
    index = {name: header.index(name) for name in DETAIL_COLUMNS if name in header}
    if "职业编号" not in index:
        raise ScopeImportError(f"“{DETAIL_SHEET}”工作表第 1 行缺少“职业编号”列。")
    by_code = {o["code"]: o for o in occupations}
    for r in range(1, len(grid)):
        row = {name: _text(grid.iat[r, i]) for name, i in index.items()}
        if not any(row.values()):
            continue
        row["职业编号"] = row.get("职业编号", "").strip()
        w = lambda name: _where(DETAIL_SHEET, r + 1, index[name] + 1, name)  # noqa: E731
        occ = by_code.get(row["职业编号"])
        if occ is None:
            raise ScopeImportError(f"{w('职业编号')}：职业“{row['职业编号']}”不在“{SCOPE_SHEET}”中。")
        get = lambda name: row.get(name, "")  # noqa: E731
        if get("本次变化"):
            if get("本次变化") not in ("新增", "原有"):
                raise ScopeImportError(f"{w('本次变化')}：应为“新增”或“原有”。")
            occ["change"] = get("本次变化")
        if get("对应专业"):
            occ["majors"] = get("对应专业").split("\n")
        if get("评价标准（全称）"):
            if get("评价标准（全称）") not in ("国家职业技能标准", "评价规范"):
                raise ScopeImportError(f"{w('评价标准（全称）')}：应为“国家职业技能标准”或“评价规范”。")
            occ["basis"] = get("评价标准（全称）")
        held = _bool(get("已备有国家职业技能标准"), w("已备有国家职业技能标准") if "已备有国家职业技能标准" in index else "")
        if held is not None:
            occ["standard_held"] = held
        spec = {}
        if get("评价规范名称"):
            spec["title"] = get("评价规范名称")
        if get("评价规范覆盖等级"):
            spec["levels"] = _levels(get("评价规范覆盖等级"), w("评价规范覆盖等级"))
        if get("评价规范评审日期"):
            spec["reviewed_on"] = get("评价规范评审日期")[:10]
        if get("评价规范评审专家"):
            spec["reviewers"] = get("评价规范评审专家").split("\n")
        if get("评价规范文件"):
            spec["file"] = get("评价规范文件")
        if spec:
            occ["specification"] = spec
        bank = {}
        for name, key in (("理论知识题库", "theory"), ("操作技能题库", "practical")):
            value = _bool(get(name), w(name) if name in index else "")
            if value is not None:
                bank[key] = value
        if get("试题数量"):
            if not get("试题数量").isdigit():
                raise ScopeImportError(f"{w('试题数量')}：“{get('试题数量')}”应为整数。")
            bank["items"] = int(get("试题数量"))
        for name, key in (("题库来源", "source"), ("题库承诺", "commitment")):
            if get(name):
                bank[key] = get(name)
        if bank:
            occ["question_bank"] = bank
        books_header = DETAIL_COLUMNS[-1]
        if get(books_header):
            books = []
            for line in get(books_header).split("\n"):
                if not line.strip():
                    continue
                parts = line.split("｜")
                book = {"title": parts[0]}
                if len(parts) > 1 and parts[1]:
                    if parts[1] not in ("教材", "校本教材"):
                        raise ScopeImportError(f"{w(books_header)}：教材类别“{parts[1]}”应为“教材”或“校本教材”。")
                    book["kind"] = parts[1]
                if len(parts) > 2 and parts[2]:
                    book["publisher"] = "｜".join(parts[2:])
                books.append(book)
            occ["textbooks"] = books


ORDER = ["code", "name", "change", "levels", "job_types", "majors", "basis", "specification", "standard_held",
         "question_bank", "textbooks"]


def _ordered(occ: dict) -> dict:
    return {k: occ[k] for k in ORDER if k in occ} | {k: v for k, v in occ.items() if k not in ORDER}


def scope_yaml(data: dict, source: str) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_list(dumper, value):  # [5, 4, 3] on one line, lists of mappings as blocks
        flow = all(not isinstance(v, (dict, list)) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(list, represent_list)
    body = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000, indent=2)
    return MODELINE + f"# 认定范围：由 beian import-scope 从 {source} 生成，请核对后提交\n\n" + body
