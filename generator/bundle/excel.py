"""Excel sheets (pandas + openpyxl): the 汇总表 of all institutions, the 评价机构信息与认定范围清单
of one, and the way back from a 认定范围清单 (.xlsx, .xls or .ods, read by python-calamine once
workbook_guard.py has found it safe) to scope.yaml. How they print: sheet_layout.py.

No cell is ever a live formula: a value starting with = + - @ or a tab is stored as text.
The 认定范围清单 sheet has the columns of the seed form; a second sheet “认定范围明细” carries the
rest of scope.yaml (专业、题库、教材、评价规范…), so YAML → xlsx → YAML loses nothing. A sheet that
has only the form (as institutions already keep it) imports too, with just the form's fields.
"""
from __future__ import annotations

import re
from pathlib import Path

from .sheet_layout import FORM_WIDTH, PAGE_WIDTH, DocumentInfo, Table, lay_out, save_workbook

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


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        return value != value  # NaN
    except (TypeError, ValueError):
        return False


def put_frame(ws, frame, header_row: int = 1) -> Table:
    """Write FRAME's header at HEADER_ROW and its rows below; the table it makes."""
    for col, header in enumerate(frame.columns, start=1):
        ws.cell(row=header_row, column=col, value=header)
    for offset, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for col, value in enumerate(values, start=1):
            if not _blank(value):
                ws.cell(row=header_row + offset, column=col, value=value)
    return Table(header_row, header_row + len(frame), len(frame.columns))


def _finish(book) -> None:
    for sheet in book.worksheets:
        redact_cells(sheet)
        harden(sheet)


def _institution_block(ws, c) -> None:
    """Rows 1-8 of the 认定范围清单 above the table, laid out as on the seed's form."""
    from openpyxl.styles import Alignment, Font

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
            cell = ws.cell(row=row, column=col, value=printable(str(value)))
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.font = Font(bold=col in (1, 3))
    for ref in ("A1:E1", "B2:E2", "D3:E3", "B4:E4", "D5:E5", "D6:E6", "B7:E7", "A8:E8"):
        ws.merge_cells(ref)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A8"].alignment = Alignment(horizontal="center")


def _merge_occupations(ws, c, first_row: int) -> None:
    """The name and code cells of an occupation merged over its 工种 rows, as on the paper form."""
    row_index = first_row
    for row in c.scope_rows():
        if row["first"] and row["span"] > 1:
            for col in ("A", "B"):
                ws.merge_cells(f"{col}{row_index}:{col}{row_index + row['span'] - 1}")
        row_index += 1


def write_scope_workbook(c, target: Path) -> Path:
    import pandas as pd
    from openpyxl import Workbook

    form, detail = scope_frames(c)
    start = 9  # header row of the table (1-based), below the institution block as in the seed
    book = Workbook()
    ws = book.active
    ws.title = SCOPE_SHEET
    table = put_frame(ws, form, start)
    detail_ws = book.create_sheet(DETAIL_SHEET)
    detail_table = put_frame(detail_ws, detail)
    notes = pd.DataFrame([
        ["备有《国家职业分类大典》", _yes_no(c.g("scope", "catalogue_held"))],
        ["机构", c.name],
        ["数据版本（git）", c.commit],
        ["生成日期", c.today.isoformat()],
        ["用途", "“认定范围清单”为报送格式；“认定范围明细”保存 scope.yaml 其余字段，用 beian import-scope 可还原 scope.yaml。"],
    ], columns=["项目", "内容"], dtype=object)
    notes_ws = book.create_sheet(NOTES_SHEET)
    notes_table = put_frame(notes_ws, _printable_frame(notes))
    _institution_block(ws, c)
    _merge_occupations(ws, c, start + 1)
    owner = printable(c.name)
    lay_out(ws, table, freeze=f"A{start + 1}", owner=owner, page=FORM_WIDTH, fill=True, from_row=1)
    lay_out(detail_ws, detail_table, freeze="C2", owner=owner, widest={len(DETAIL_COLUMNS): 36}, page=PAGE_WIDTH)
    lay_out(notes_ws, notes_table, freeze="A2", owner=owner, widest={2: 100}, page=FORM_WIDTH, fill=True)
    _finish(book)
    info = DocumentInfo.of_version(f"{SCOPE_TITLE}（{owner}）", f"{owner}的职业技能等级认定范围", owner, c.version,
                                   c.today, keywords="职业技能等级认定；认定范围；备案",
                                   description=f"由 beian sheets 从 scope.yaml 生成；数据版本（git）{c.commit}。")
    return save_workbook(book, target, info)


# ----------------------------------------------------------------------------- 汇总表
SUMMARY_WIDTH = 250  # 23 columns: wider than a scope sheet, printed smaller, so rows stay a few lines high
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


def summary_keeper(on) -> str:
    """Who keeps the register the 汇总表 lists: the authority of the jurisdiction this registry serves."""
    from ..jurisdiction import JurisdictionError, load_jurisdiction
    from ..registry import RegistryError, home_jurisdiction

    try:
        return str(load_jurisdiction(home_jurisdiction()).fact("authority", on))
    except (JurisdictionError, RegistryError, KeyError, ValueError):
        return "职业技能等级认定机构备案登记册"


def write_summary_workbook(rows: list[list], target: Path) -> Path:
    """The 汇总表 from summary_row() of each institution, in the order given."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..clock import evaluation_date
    from ..paths import INSTITUTIONS_DIR
    from ..data_version import data_version

    frame = summary_frame(rows)
    book = Workbook()
    ws = book.active
    ws.title = "汇总表"
    table = put_frame(ws, frame, 2)
    ws.cell(row=1, column=1, value=SUMMARY_TITLE)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SUMMARY_COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    today = evaluation_date()
    keeper = summary_keeper(today)
    lay_out(ws, table, freeze="C3", owner=keeper, page=SUMMARY_WIDTH, from_row=1,
            widest={SUMMARY_COLUMNS.index("认定职业（工种）") + 1: 40, SUMMARY_COLUMNS.index("评估结论") + 1: 24})
    _finish(book)
    info = DocumentInfo.of_version(SUMMARY_TITLE, f"职业技能等级认定机构备案情况（{len(rows)} 个机构）", keeper,
                                   data_version(INSTITUTIONS_DIR), today, keywords="职业技能等级认定；备案；汇总表",
                                   description="由 beian sheets 从各机构的备案文件生成。")
    return save_workbook(book, target, info)


# ----------------------------------------------------------------------------- import
def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
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


def _grid(book, sheet: str) -> list[list]:
    """The sheet's cells from A1, every row as long as the longest (calamine gives "" for an empty cell)."""
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def import_scope(path: str | Path) -> dict:
    """The scope.yaml data held in a 认定范围清单 workbook (.xlsx, .xls or .ods); ScopeImportError naming
    row and column otherwise. The file is checked for size and bombs before any parser reads it."""
    from .workbook_guard import KIND_NAMES, SAVE_AS, WorkbookRefused, check_workbook

    path = Path(path)
    if not path.exists():
        raise ScopeImportError(f"找不到文件：{path}")
    if not path.is_file():
        raise ScopeImportError(f"{path} 不是文件（可能是文件夹），请给出 .xlsx、.xls 或 .ods 文件的路径。")
    try:
        kind = check_workbook(path)
    except WorkbookRefused as exc:
        raise ScopeImportError(str(exc)) from None
    try:
        return _import_scope(path)
    except ScopeImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a damaged workbook makes calamine raise
        raise ScopeImportError(f"{path.name} 无法读取：文件可能已损坏、设置了密码，或不是正常保存的{KIND_NAMES[kind]}"
                               f"（{type(exc).__name__}）。{SAVE_AS}") from None


def _import_scope(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return _scope_from(book, path.name)
    finally:
        book.close()


def _scope_from(book, file_name: str) -> dict:
    names = book.sheet_names
    if not names:
        raise ScopeImportError(f"{file_name} 中没有工作表。")
    sheet = SCOPE_SHEET if SCOPE_SHEET in names else names[0]
    grid = _grid(book, sheet)
    width = len(grid[0]) if grid else 0
    header_row = None
    columns: dict[str, int] = {}
    for r in range(len(grid)):
        cells = [_text(v).strip() for v in grid[r]]
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
        cell = {key: _text(grid[r][i]) if i < width else "" for key, i in columns.items()}
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
        _merge_detail(book, occupations)
    if NOTES_SHEET in names:
        notes = _grid(book, NOTES_SHEET)
        for r in range(1, len(notes)):
            if len(notes[r]) > 1 and _text(notes[r][0]) == "备有《国家职业分类大典》":
                value = _bool(_text(notes[r][1]), _where(NOTES_SHEET, r + 1, 2, "内容"))
                if value is not None:
                    data["catalogue_held"] = value
    return {"occupations": [_ordered(o) for o in occupations], **{k: v for k, v in data.items() if k != "occupations"}}


def _merge_detail(book, occupations: list[dict]) -> None:
    grid = _grid(book, DETAIL_SHEET)
    header = [_text(v).strip() for v in grid[0]] if grid else []
    index = {name: header.index(name) for name in DETAIL_COLUMNS if name in header}
    if "职业编号" not in index:
        raise ScopeImportError(f"“{DETAIL_SHEET}”工作表第 1 行缺少“职业编号”列。")
    by_code = {o["code"]: o for o in occupations}
    for r in range(1, len(grid)):
        row = {name: _text(grid[r][i]) for name, i in index.items()}
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
