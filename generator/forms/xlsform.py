"""`beian xlsform`: each supervision form as an XLSForm workbook for ODK Collect / KoboToolbox.

The rows come from capture.py (the same fields the submission import reads back); this module only lays them
out in the three sheets XLSForm asks for and, when pyxform is installed, converts the workbook to an XForm to
prove it loads. openpyxl and pyxform are imported when a workbook is written or checked, never by `check`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .capture import Field, capture_fields, form_version, instance_name
from .model import Form

LANGUAGE = "中文 (zh)"
SURVEY_COLUMNS = ("type", "name", f"label::{LANGUAGE}", f"hint::{LANGUAGE}", "required",
                  f"required_message::{LANGUAGE}", "relevant", "constraint", f"constraint_message::{LANGUAGE}",
                  "calculation", "default")
CHOICES_COLUMNS = ("list_name", "name", f"label::{LANGUAGE}")
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language", "instance_name")
REQUIRED_MESSAGE = "此项必填。"


@dataclass(frozen=True)
class Conversion:
    """What pyxform made of a workbook: errors (the form will not load) and warnings."""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _type(field: Field) -> str:
    if field.kind in ("select_one", "select_multiple"):
        return f"{field.kind} {field.list_name}"
    return field.kind.replace("_", " ")


def survey_row(field: Field) -> tuple[str, ...]:
    return (_type(field), field.name, field.label, field.hint, "yes" if field.required else "",
            REQUIRED_MESSAGE if field.required else "", field.relevant, field.constraint, field.constraint_message,
            field.calculation, field.default)


def choice_rows(fields: tuple[Field, ...]) -> list[tuple[str, str, str]]:
    """Each choice list once, in the order the survey first uses it."""
    rows, written = [], set()
    for field in fields:
        if field.choices and field.list_name not in written:
            written.add(field.list_name)
            rows.extend((field.list_name, choice.name, choice.label) for choice in field.choices)
    return rows


def write_workbook(form: Form, folder: Path) -> Path:
    """Write FOLDER/<form id>.xlsx and return its path."""
    from openpyxl import Workbook

    fields = capture_fields(form)
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    for field in fields:
        survey.append(survey_row(field))
    choices = book.create_sheet("choices")
    choices.append(CHOICES_COLUMNS)
    for row in choice_rows(fields):
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    settings.append((form.title, form.id, form_version(form), LANGUAGE, instance_name()))
    for sheet, widths in ((survey, (22, 22, 60, 30)), (choices, (16, 14, 50))):
        for column, width in zip("ABCD", widths):
            sheet.column_dimensions[column].width = width
    return _save(book, form, folder / f"{form.id}.xlsx")


def _save(book, form: Form, path: Path) -> Path:
    """Printable like the project's other workbooks (landscape A4, header row on each page, filter), with
    the form's issuer as author and dated like the printed form (the commit of its rules file)."""
    import re

    from ..data_version import data_version
    from ..bundle.sheet_layout import DocumentInfo, Table, save_workbook, set_print_layout
    from ..clock import evaluation_date

    issuer = re.split(r"[（(]", form.issuer, maxsplit=1)[0].strip() or form.issuer  # as the printed form names it
    for sheet in book.worksheets:
        set_print_layout(sheet, Table(1, sheet.max_row, sheet.max_column), "A2", issuer)
    version = data_version(form.path) if form.path else None
    info = DocumentInfo.of_version(f"{form.title}（XLSForm 采集表）", "ODK Collect / KoboToolbox 督导记录采集表", issuer,
                                   version, evaluation_date(),
                                   description=f"由 beian xlsform 从 rules/forms/{form.id}.yaml 生成。")
    return save_workbook(book, path, info)


def pyxform_available() -> bool:
    try:
        import pyxform  # noqa: F401
    except ImportError:
        return False
    return True


def convert(path: Path) -> Conversion:
    """Convert the workbook with pyxform, without the Java-based ODK Validate (validate=False)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert as pyxform_convert

    warnings: list[str] = []
    try:
        pyxform_convert(xlsform=str(path), warnings=warnings, validate=False)
    except PyXFormError as exc:
        return Conversion((str(exc),), tuple(warnings))
    return Conversion((), tuple(warnings))
