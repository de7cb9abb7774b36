"""A supervision form as printed paper: one A4 PDF per form, blank or filled from a record.

The layout follows the published form as far as its data says: title, header table, item rows with one box
per option (“25-30人标准考场12分 ☐” on the Nanchang points form), section points, 综合评定, 一票否决项 and
异常情况记录 boxes, the section's on-site outcome, remark and 意见 fields, the feedback area, 注, signatures,
faults of the original as a footnote (“印刷原样：…”) and the source. Points the transcription lost are a
visible “原文缺失” row, never invented items. Boxes come from the package's own box font (bundle/fonts.py:
the CJK fonts have no ☐ ☑).

Filled: ☑ on the chosen option, ☐ on the others, “未作答” where nothing was chosen; the header filled from the
record, the register, profile.yaml and plan.yaml (filled.py). A filled record names its supervisor: the page
footer says 部门内部资料. Every value from a record reaches the page through jinja2 autoescaping.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .answers import ItemAnswer
from .filled import FilledRecord
from .model import Form, Item, Section

TEMPLATE = "form.html.j2"
UNANSWERED = "未作答"
DEPARTMENT_ONLY = "部门内部资料"
BLANK_DATE = "　　年　　月　　日"


@dataclass(frozen=True)
class Box:
    label: str          # as printed beside the box
    ticked: bool = False


@dataclass(frozen=True)
class Row:
    """One item row of the table, with the row spans of its section and group cells (0: covered above)."""
    item: Item
    boxes: tuple[Box, ...]
    section: Section
    section_span: int
    group_span: int
    awarded: str = ""   # a points form's points scored (filled)
    note: str = ""      # 未作答, or an answer that is not an option


@dataclass(frozen=True)
class Remark:
    called: str
    text: str


def _boxes(item: Item, answer: ItemAnswer | None) -> tuple[Box, ...]:
    chosen = answer.answer if answer and answer.valid else None
    boxes = [Box(o.shown, o.label == chosen) for o in item.options]
    if item.full_marks_for:
        boxes.append(Box(f"（{item.full_marks_for}此项满分）", item.full_marks_for == chosen))
    return tuple(boxes)


def _note(answer: ItemAnswer | None) -> str:
    if answer is None:
        return ""
    if answer.answer is None:
        return UNANSWERED
    return "" if answer.valid else f"所填“{answer.answer}”不是表上的选项"


def rows(form: Form, filled: FilledRecord | None = None) -> list[Row]:
    answers = {a.item.id: a for a in filled.result.answers} if filled else {}
    found = []
    for section in form.sections:
        first_in_section = True
        for group in section.groups:
            for index, item in enumerate(group.items):
                answer = answers.get(item.id)
                awarded = "" if answer is None or answer.points is None else str(answer.points)
                found.append(Row(item, _boxes(item, answer), section,
                                 len(section.items) if first_in_section else 0,
                                 len(group.items) if index == 0 else 0, awarded, _note(answer)))
                first_in_section = False
    return found


def _ticks(options, chosen) -> list[Box]:
    return [Box(label, key in chosen) for key, label in options]


def _remarks(form: Form, filled: FilledRecord | None) -> list[Remark]:
    if not filled:
        return []
    remarks = filled.mapping("remarks")
    found = [Remark(item.called, remarks[item.id]) for item in form.items if remarks.get(item.id)]
    return found + [Remark(f"编号 {key}", text) for key, text in remarks.items() if text and not form.item(key)]


def _sheet(form: Form, filled: FilledRecord | None) -> dict:
    """Everything the template prints besides the item rows: boxes ticked or not, filled texts."""
    ratings = filled.mapping("ratings") if filled else {}
    outcomes = filled.mapping("outcomes") if filled else {}
    vetoes, anomalies = (filled.ids("vetoes"), filled.ids("anomalies")) if filled else (set(), set())
    return {
        "ratings": {s.id: _ticks([(r, r) for r in form.ratings], {ratings.get(s.id)}) for s in form.sections if s.rated},
        "outcomes": {s.id: _ticks([(o[0], o[1]) for o in s.outcome.options], {outcomes.get(s.id)})
                     for s in form.sections if s.outcome},
        "vetoes": _ticks([(v.id, v.text) for v in form.vetoes], vetoes),
        "anomalies": _ticks([(a.id, a.text) for a in form.anomalies], anomalies),
        "other_anomalies": filled.value("other_anomalies") if filled else "",
        "remarks": _remarks(form, filled),
        "opinions": [(label, filled.mapping("opinions").get(key, "") if filled else "") for key, label in form.opinions],
        "feedback": filled.value("feedback") if filled else "",
        "signed": _signed(filled),
    }


def _signed(filled: FilledRecord | None) -> str:
    from ..bundle.data import cn_date

    signed = filled.value("signed") if filled else ""
    return cn_date(signed) if signed else BLANK_DATE


def _doc_info(form: Form, filled: FilledRecord | None, version):
    """Document properties: the department that issued the form is the author; a filled record's properties
    name the institution folder and session, never the supervisor."""
    from ..bundle.docinfo import doc_info
    from ..engine import evaluation_date

    if filled:
        subject = f"{form.title}：督导记录（{DEPARTMENT_ONLY}）"
        words = ("督导记录", form.id, form.jurisdiction, filled.institution, filled.plan)
    else:
        subject = f"{form.title}（空白表）"
        words = ("空白记录表", form.id, form.jurisdiction)
    issuer = re.split(r"[（(]", form.issuer, maxsplit=1)[0].strip()  # without the transcription's remarks
    return doc_info(issuer or form.issuer, subject, words, version, evaluation_date())


def _footer(filled: FilledRecord | None, version) -> str:
    """The page footer: a filled record is the department's own paper and shows the record's version only
    (no public address); a blank form shows the version of the form's data (rules/forms/)."""
    if filled:
        return f"{DEPARTMENT_ONLY} · 记录版本 {version.label}"
    return f"表式版本 {version.label}"


def form_html(form: Form, filled: FilledRecord | None = None) -> str:
    """The form as HTML for weasyprint: blank, or completed from FILLED."""
    from ..data_version import DataVersion, data_version
    from ..bundle.fonts import require_symbol_font
    from ..bundle.render import _font_names, environment

    require_symbol_font()
    source = filled.path if filled else form.path
    version = data_version(source) if source else DataVersion("未知")
    found = rows(form, filled)
    return environment().get_template(TEMPLATE).render(
        form=form, filled=filled, rows=found, sheet=_sheet(form, filled), fonts=_font_names(),
        grouped=any(g.title for s in form.sections for g in s.groups),
        numbered=any(r.item.number for r in found), footer=_footer(filled, version),
        unanswered=UNANSWERED, info=_doc_info(form, filled, version))


def blank_file_name(form: Form) -> str:
    return f"{form.id}.pdf"


def render_blank(form: Form, out_dir: Path) -> dict:
    """out_dir/<form-id>.pdf; {"path", "pages"}."""
    from ..bundle.render import write_pdf
    from ..paths import rules_file

    target = Path(out_dir) / blank_file_name(form)
    info = write_pdf(form_html(form), rules_file("forms"), target)
    return {"path": str(target), **info}


def filled_target(filled: FilledRecord, out_dir: Path) -> Path:
    """out_dir/<slug>/<plan>/<record-stem>.pdf; a record outside institutions/ directly in out_dir."""
    if filled.institution and filled.plan:
        return Path(out_dir) / filled.institution / filled.plan / f"{filled.path.stem}.pdf"
    return Path(out_dir) / f"{filled.path.stem}.pdf"


def render_filled(filled: FilledRecord, out_dir: Path) -> dict:
    from ..bundle.render import write_pdf

    target = filled_target(filled, out_dir)
    info = write_pdf(form_html(filled.form, filled), filled.path.parent, target)
    return {"path": str(target), **info}
