"""`beian import-submissions`: an ODK Central / KoboToolbox CSV export turned into supervision record files.

Each CSV row becomes institutions/<slug>/sessions/<plan>/supervision/<form>-<card>.yaml, read through the same
fields the XLSForm was written from (capture.py), so a choice name on the phone becomes the printed option word
in the record. A row with a problem is named by row and column and skipped; the others are written. Nothing is
overwritten: a record already there is left alone (and said so). A full 身份证号 or mobile number anywhere in a
row refuses the row, and the message shows only its masked form.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import personal
from ..dates import parse_date
from ..escaping import terminal_text
from .capture import FORM_ID_FIELD, VISIBILITY, Field, capture_fields
from .model import Form

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
SCHEMA_LINE = "# yaml-language-server: $schema=../../../../../schemas/record.schema.json"
# The order of a record's keys, as schemas/record.schema.json documents them.
RECORD_KEYS = ("form", "card", "role", "plan_number", "date", "arrived", "departed", "header", "answers", "remarks",
               "opinions", "ratings", "vetoes", "anomalies", "other_anomalies", "outcomes", "feedback", "signed",
               "visibility")
# Kobo writes group paths before a name (rooms/item_1), ODK Central joins them with "-" (sec_rooms-item_1).
_GROUP_SEPARATORS = re.compile(r"[/\-.]")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Submissions the reviewer turned down: not records.
_REJECTED = {"ReviewState": "rejected", "_validation_status": "validation_status_not_approved"}


class SubmissionsError(Exception):
    """The file as a whole cannot be imported (too large, not UTF-8, a required column missing)."""


@dataclass
class Table:
    name: str
    headers: list[str]
    rows: list[list[str]]   # rows[0] is the spreadsheet's row 2


@dataclass
class RowOutcome:
    row: int
    status: str                    # written | unchanged | exists | skipped | error
    path: Path | None = None
    problems: list[str] = field(default_factory=list)


def read_table(path: Path) -> Table:
    from ..textfile import TextFileError, decode_bytes, os_reason

    name = terminal_text(path.name)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise SubmissionsError(f"{name} 过大（{size / 1024 / 1024:.1f} MB），上限 {MAX_CSV_BYTES // 1024 // 1024} MB；"
                                   "请按日期或表单分批导出。")
        text = decode_bytes(path.read_bytes())
    except OSError as exc:
        raise SubmissionsError(f"无法读取 {name}：{os_reason(exc)}。") from None
    except TextFileError as exc:
        raise SubmissionsError(f"{name}：{exc.message}{exc.hint or ''}") from None
    first_line = text.split("\n", 1)[0]
    # KoboToolbox may separate with ";" (field names hold neither ";" nor ",").
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SubmissionsError(f"{name} 不是可读的 CSV 文件：{exc}。") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise SubmissionsError(f"{name} 是空的：没有标题行。")
    if len(table) - 1 > MAX_ROWS:
        raise SubmissionsError(f"{name} 有 {len(table) - 1} 行记录，超过一次导入 {MAX_ROWS} 行的上限；请分批导出。")
    return Table(name, [h.strip() for h in table[0]], table[1:])


def _bare_name(header: str) -> str:
    return _GROUP_SEPARATORS.split(header)[-1]


def column_map(table: Table, fields: tuple[Field, ...]) -> dict[str, int]:
    """Field name → column index; a header is the bare field name or the name after its group path."""
    wanted = {f.name for f in fields if f.carries_value}
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = header if header in wanted else _bare_name(header)
        if name not in wanted:
            continue
        if name in columns:
            raise SubmissionsError(f"{table.name}：“{terminal_text(table.headers[columns[name]])}”和"
                                   f"“{terminal_text(header)}”两列都是字段 {name}。")
        columns[name] = index
    missing = [f.name for f in fields if f.carries_value and f.required and not f.relevant and f.name not in columns]
    if missing:
        raise SubmissionsError(f"{table.name} 缺少列：{'、'.join(missing)}。请确认导出的是这张表的提交，且列名是字段名"
                               "（KoboToolbox 导出时选“XML 值和标题”，不要选“标签”）。")
    return columns


@dataclass
class _Row:
    """One CSV row being read: its cells by field name, and what went wrong, by column."""
    table: Table
    number: int
    cells: list[str]
    columns: dict[str, int]
    problems: list[str] = field(default_factory=list)
    faulty: set[str] = field(default_factory=set)   # the fields already named in a problem

    def header_of(self, name: str) -> str:
        return terminal_text(self.table.headers[self.columns[name]]) if name in self.columns else name

    def value(self, name: str) -> str:
        index = self.columns.get(name)
        return self.cells[index].strip() if index is not None and index < len(self.cells) else ""

    def problem(self, name: str, message: str) -> None:
        self.faulty.add(name)
        self.problems.append(f"{self.table.name} 第 {self.number} 行 {self.header_of(name)} 列：{message}")


def personal_number_problems(table: Table, number: int, cells: list[str]) -> list[str]:
    """A full ID or mobile number in any cell refuses the row; only the masked form is shown."""
    problems = []
    for index, cell in enumerate(cells):
        for hit in personal.find(cell):
            header = terminal_text(table.headers[index]) if index < len(table.headers) else f"第 {index + 1}"
            problems.append(f"{table.name} 第 {number} 行 {header} 列：含完整的{hit.label}（{hit.masked}），此行不导入。"
                            "督导记录不写身份证号和手机号，请在 ODK Central / KoboToolbox 中删去后重新导出。")
    return problems


def _parsed(row: _Row, field_: Field, raw: str):
    """The record value of one non-empty cell, or None after noting the problem."""
    shown = terminal_text(raw)
    if field_.kind == "date":
        if _DATE.match(raw) and parse_date(raw):
            return raw
        row.problem(field_.name, f"“{shown}”不是日期，应为 YYYY-MM-DD。")
    elif field_.kind == "time":
        found = _TIME.match(raw)
        if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
            return f"{int(found.group(1)):02d}:{found.group(2)}"
        row.problem(field_.name, f"“{shown}”不是时间，应为 时:分，例如 07:50。")
    elif field_.kind == "select_one":
        value = field_.choice_value(raw)
        if value is not None:
            return value
        row.problem(field_.name, f"“{shown}”不是这一项的选项；可选：{_choices_words(field_)}。")
    elif field_.kind == "select_multiple":
        values = [field_.choice_value(name) for name in raw.split()]
        unknown = [name for name, value in zip(raw.split(), values) if value is None]
        if not unknown:
            return list(dict.fromkeys(values))
        row.problem(field_.name, f"“{terminal_text(' '.join(unknown))}”不是这一项的选项；可选：{_choices_words(field_)}。")
    else:
        return raw
    return None


def _choices_words(field_: Field) -> str:
    return "、".join(f"{c.name}（{c.label}）" for c in field_.choices)


def _put(record: dict, target: tuple[str, ...], value) -> None:
    if len(target) == 1:
        record[target[0]] = value
    else:
        record.setdefault(target[0], {})[target[1]] = value


def record_from_row(form: Form, fields: tuple[Field, ...], row: _Row) -> tuple[dict, str]:
    """The record a row holds and the institution folder it names; problems go to row.problems."""
    given_form = row.value(FORM_ID_FIELD)
    if given_form and given_form != form.id:
        row.problem(FORM_ID_FIELD, f"这一行是表 {terminal_text(given_form)} 的提交，不是 {form.id}。")
    record: dict = {"form": form.id}
    for field_ in fields:
        if not field_.carries_value or field_.name == FORM_ID_FIELD:
            continue
        raw = row.value(field_.name)
        if not raw:
            if field_.required and not field_.relevant:
                row.problem(field_.name, "必填，但是空的。")
            continue
        value = _parsed(row, field_, raw)
        if value is not None:
            _put(record, field_.target, value)
    slug = record.pop("institution", "")
    if form.vetoes:
        record.setdefault("vetoes", [])
    if form.anomalies:
        record.setdefault("anomalies", [])
    record.setdefault("visibility", VISIBILITY[0][1])
    _schema_problems(record, fields, row)
    return {key: record[key] for key in RECORD_KEYS if key in record}, slug


def _schema_problems(record: dict, fields: tuple[Field, ...], row: _Row) -> None:
    """What schemas/record.schema.json says of the record, named by the column the value came from."""
    from ..schema import describe_error, schema_errors

    for error in schema_errors("record", record):
        path = tuple(str(part) for part in error.absolute_path)
        if error.validator == "required":
            path += tuple(error.message.split("'")[1:2])
        source = next((f.name for f in fields if f.target and path[:len(f.target)] == f.target), path[0] if path else "")
        if source in row.faulty:
            continue
        if error.validator == "minLength" and error.instance:
            row.problem(source, f"“{terminal_text(error.instance)}”太短，至少 {error.validator_value} 个字符。")
        else:
            row.problem(source, describe_error("record", error)[0])


def _session_folder(root: Path, slug: str, record: dict, row: _Row) -> Path | None:
    """The session folder the row names, inside ROOT/institutions and existing; None after noting why not."""
    from ..scaffold import SLUG
    from ..session_scaffold import PLAN_NUMBER

    plan = record.get("plan_number", "")
    if not slug or not plan:
        return None
    if not SLUG.match(slug):
        row.problem("institution", f"“{terminal_text(slug)}”不是机构文件夹名（小写字母、数字和连字符）。")
        return None
    if not PLAN_NUMBER.match(plan):
        row.problem("plan_number", f"“{terminal_text(plan)}”不是评价计划编号（字母、数字和连字符，4-40 个字符）。")
        return None
    institutions = (root / "institutions").resolve()
    folder = (institutions / slug / "sessions" / plan).resolve()
    if not folder.is_relative_to(institutions):
        row.problem("plan_number", "认定计划文件夹在 institutions/ 之外，不导入。")
        return None
    if not folder.is_dir():
        where = "plan_number" if (institutions / slug).is_dir() else "institution"
        row.problem(where, f"认定计划文件夹 institutions/{slug}/sessions/{plan}/ 不存在；"
                           "先用 beian new-session 建好认定计划，或检查机构文件夹名和评价计划编号。")
        return None
    return folder


def _record_text(record: dict, table: Table, number: int) -> str:
    import yaml

    class RecordDumper(yaml.SafeDumper):
        """Dates and times in double quotes, as the schema's example writes them; several lines as a block."""

    def text(dumper, value: str):
        style = '"' if re.fullmatch(r"[0-9][0-9:-]*", value) else "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    RecordDumper.add_representer(str, text)
    origin = personal.mask_text(table.name).replace("\n", " ")
    body = yaml.dump(record, Dumper=RecordDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000)
    return f"{SCHEMA_LINE}\n# 由 {origin} 第 {number} 行导入（beian import-submissions）\n{body}"


def _write(folder: Path, record: dict, table: Table, outcome: RowOutcome) -> None:
    from ..textfile import os_reason
    from ..yamlload import read_data

    target = folder / "supervision" / f"{record['form']}-{record['card']}.yaml"
    outcome.path = target
    try:
        target.parent.mkdir(exist_ok=True)
        with target.open("x", encoding="utf-8", newline="\n") as out:
            out.write(_record_text(record, table, outcome.row))
        outcome.status = "written"
        return
    except FileExistsError:
        pass
    except OSError as exc:
        outcome.status = "error"
        outcome.problems.append(f"{table.name} 第 {outcome.row} 行：无法写入 {target}：{os_reason(exc)}。")
        return
    try:
        existing = read_data(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        existing = None
    outcome.status = "unchanged" if existing == record else "exists"


def import_submissions(table: Table, root: Path, form: Form) -> list[RowOutcome]:
    """Import every row of the table as a record under ROOT; SubmissionsError when its columns do not fit."""
    fields = capture_fields(form)
    columns = column_map(table, fields)
    outcomes = []
    for number, cells in enumerate(table.rows, start=2):
        outcome = RowOutcome(number, "error")
        outcomes.append(outcome)
        outcome.problems = personal_number_problems(table, number, cells)
        if outcome.problems:
            continue
        if any(_cell(table, cells, column) == value for column, value in _REJECTED.items()):
            outcome.status = "skipped"
            continue
        row = _Row(table, number, cells, columns)
        record, slug = record_from_row(form, fields, row)
        folder = _session_folder(root, slug, record, row)
        outcome.problems = row.problems
        if folder is not None and not row.problems:
            _write(folder, record, table, outcome)
    return outcomes


def _cell(table: Table, cells: list[str], header: str) -> str:
    index = table.headers.index(header) if header in table.headers else None
    return cells[index].strip() if index is not None and index < len(cells) else ""


def form_named_in(table: Table) -> str | None:
    """The form id the export carries in its beian_form column (the first row that has one)."""
    index = next((i for i, h in enumerate(table.headers) if FORM_ID_FIELD in (h, _bare_name(h))), None)
    if index is None:
        return None
    return next((row[index].strip() for row in table.rows if index < len(row) and row[index].strip()), None)
