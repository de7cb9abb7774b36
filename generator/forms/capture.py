"""A supervision form laid out for phone capture (ODK Collect / KoboToolbox): the one list of fields.

The XLSForm export (xlsform.py) writes these fields as survey rows; the submission import (submissions.py)
reads a CSV export back through the same fields. Each field says where its value goes in a record
(schemas/record.schema.json) and, for a choice, which record value each choice name stands for, so the
names on the phone and the words in the YAML cannot drift apart.

XLSForm names must be XML names: item ids such as "11-2" or "1" become item_11_2 and item_1 through
`field_name`, the only place a record key becomes a field name.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .model import Form, FormError, Item, Section

# Bumped when the layout below changes, so a rebuilt workbook gets a new version even if the form file did not.
LAYOUT_VERSION = "1"

ROLES = ("外督", "内督")
ROLE_NAMES = {"外督": "external", "内督": "internal"}
VISIBILITY = (("internal", "部门内部"), ("public", "公开"))
FORM_ID_FIELD = "beian_form"   # a calculate field carrying the form id into every submission

# What the import reads per field kind; structure rows (groups, notes) carry no value.
VALUE_KINDS = ("text", "date", "time", "select_one", "select_multiple", "calculate")


@dataclass(frozen=True)
class Choice:
    name: str    # the value in the XForm and in the CSV export
    label: str   # shown on the phone, as printed beside the box
    value: str   # written to the record


@dataclass(frozen=True)
class Field:
    name: str
    kind: str                       # text, date, time, select_one, select_multiple, note, calculate,
    label: str = ""                 # begin_group, end_group
    target: tuple[str, ...] = ()    # where the value goes in the record: ("card",), ("answers", "11-2") …
    choices: tuple[Choice, ...] = ()
    list_name: str = ""
    required: bool = False
    relevant: str = ""
    hint: str = ""
    default: str = ""
    calculation: str = ""
    constraint: str = ""
    constraint_message: str = ""

    @property
    def carries_value(self) -> bool:
        return self.kind in VALUE_KINDS

    def choice_value(self, name: str) -> str | None:
        """The record value of a choice given by its name (or, as Kobo's label exports write it, its label)."""
        for choice in self.choices:
            if name in (choice.name, choice.label, choice.value):
                return choice.value
        return None


def field_name(prefix: str, key: str) -> str:
    """The XLSForm name of a record key: field_name("item", "11-2") == "item_11_2"."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", key):
        raise FormError(f"编号“{key}”不能用作 XLSForm 字段名：只能含字母、数字、-、_ 和 .。")
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', key)}"


def choice_name(key: str) -> str:
    """A record id (veto, anomaly, outcome option) as a choice name: no spaces, no hyphens."""
    return field_name("c", key)[2:]


def form_version(form: Form) -> str:
    """A stable version for the XLSForm settings: the form file's content and the layout, hashed."""
    content = form.path.read_bytes() if form.path else form.id.encode()
    return hashlib.sha256(content + b"\0" + LAYOUT_VERSION.encode()).hexdigest()[:12]


def instance_name() -> str:
    """How ODK Central and Collect name one submission: institution, plan number and card."""
    return "concat(${institution}, ' ', ${plan_number}, ' ', ${card})"


def _header_label(form: Form, source: str, fallback: str) -> str:
    return next((h.label for h in form.header if h.source == source), fallback)


def _regex(pattern: re.Pattern) -> str:
    """A Python `\\Z`-anchored pattern as an XPath regex()."""
    return pattern.pattern.replace("\\Z", "$")


def _identifying_fields(form: Form) -> list[Field]:
    from ..scaffold import SLUG
    from ..session_scaffold import PLAN_NUMBER

    card_fallback = "外督员证卡编号" if form.subject == "supervisor" else "督导员证卡编号"
    fields = [
        Field("institution", "text", "评价机构（备案文件夹名，例如 songyue-jishi）", ("institution",), required=True,
              constraint=f"regex(., '{_regex(SLUG)}')",
              constraint_message="只能用小写字母、数字和连字符，即 institutions/ 下的文件夹名。"),
        Field("plan_number", "text", _header_label(form, "record.plan_number", "评价计划编号"), ("plan_number",),
              required=True, constraint=f"regex(., '{_regex(PLAN_NUMBER)}')",
              constraint_message="评价计划编号只含字母、数字和连字符，4-40 个字符。"),
        Field("card", "text", _header_label(form, "record.card", card_fallback), ("card",), required=True,
              constraint="string-length(.) >= 3 and string-length(.) <= 40 and not(contains(., '/'))"
                         " and not(contains(., ' '))",
              constraint_message="证卡编号 3-40 个字符，不含空格和斜杠。"),
    ]
    if set(ROLES) <= set(form.supervisor_roles):
        fields.append(Field("role", "select_one", "督导员类别", ("role",), required=True, list_name="role",
                            choices=tuple(Choice(ROLE_NAMES[r], r, r) for r in ROLES)))
    fields.append(Field("date", "date", _header_label(form, "record.date", "督导日期"), ("date",), required=True,
                        default="today()"))
    fields.append(Field("arrived", "time", _header_label(form, "record.arrived", "进场时间"), ("arrived",)))
    fields.append(Field("departed", "time", _header_label(form, "record.departed", "离场时间"), ("departed",)))
    fields.extend(Field(field_name("header", h.id), "text", h.label, ("header", h.id))
                  for h in form.header if h.source == "record.header")
    return fields


def _checkbox_field(name: str, label: str, boxes) -> Field:
    return Field(name, "select_multiple", label, (name,), list_name=name,
                 choices=tuple(Choice(choice_name(b.id), b.text, b.id) for b in boxes))


def _item_label(item: Item) -> str:
    text = f"{item.number} {item.text}" if item.number else item.text
    return f"{text}（{item.points} 分）" if item.points else text


def _item_fields(form: Form, item: Item, list_name: str) -> list[Field]:
    choices = tuple(Choice(f"o{n}", option.shown, option.label) for n, option in enumerate(item.options, 1))
    if item.full_marks_for:
        choices += (Choice("full_marks", f"{item.full_marks_for}（此项满分）", item.full_marks_for),)
    answer = field_name("item", item.id)
    compliant = [c.name for c in choices if item.level(c.value) == "good"]
    where = f"第 {item.number.rstrip('.')} 项" if item.number else f"“{item.text}”"
    remark_word = form.remarks_field or "说明"
    return [
        Field(answer, "select_one", _item_label(item), ("answers", item.id), choices, list_name, required=True),
        Field(field_name("remark", item.id), "text", f"{where}的{remark_word}", ("remarks", item.id),
              required=form.remarks_required,
              relevant=" and ".join(f"${{{answer}}} != '{name}'" for name in compliant),
              hint=form.remarks_note),
    ]


def _section_fields(form: Form, section: Section, lists: dict) -> list[Field]:
    title = f"{section.title}（{section.points} 分）" if section.points else section.title
    fields = [Field(field_name("sec", section.id), "begin_group", title)]
    for number, group in enumerate(section.groups, 1):
        if group.title:
            fields.append(Field(field_name("grp", f"{section.id}_{number}"), "note", group.title))
        for item in group.items:
            # Items printed with the same options share one choice list, as on paper.
            key = tuple((o.label, o.shown) for o in item.options) + (item.full_marks_for,)
            list_name = lists.setdefault(key, f"options_{len(lists) + 1}")
            fields.extend(_item_fields(form, item, list_name))
    if section.rated:
        fields.append(Field(field_name("rating", section.id), "select_one", f"{section.title}：综合评定",
                            ("ratings", section.id), required=True, list_name="ratings",
                            choices=tuple(Choice(f"r{n}", word, word) for n, word in enumerate(form.ratings, 1))))
    if section.outcome:
        fields.append(Field(field_name("outcome", section.id), "select_one", section.outcome.text,
                            ("outcomes", section.id), required=True, list_name=field_name("outcome", section.id),
                            choices=tuple(Choice(choice_name(i), label, i) for i, label, _ in section.outcome.options)))
    fields.append(Field(field_name("sec", section.id), "end_group"))
    return fields


def capture_fields(form: Form) -> tuple[Field, ...]:
    """Every survey row of the form's XLSForm, in order, each knowing its place in a record."""
    fields = [Field(FORM_ID_FIELD, "calculate", target=("form",), calculation=f"'{form.id}'")]
    if form.scored:
        fields.append(Field("total_note", "note", form.total_words, hint=form.missing_note))
    fields.extend(Field(field_name("numbering_note", str(n)), "note", fault)
                  for n, fault in enumerate(form.numbering_faults, 1))
    fields.extend(_identifying_fields(form))
    if form.vetoes:
        fields.append(_checkbox_field("vetoes", "一票否决项（勾选发生的）", form.vetoes))
    lists: dict = {}
    for section in form.sections:
        fields.extend(_section_fields(form, section, lists))
    if form.anomalies:
        fields.append(_checkbox_field("anomalies", "异常情况记录（勾选发生的）", form.anomalies))
    if form.other_anomalies:
        fields.append(Field("other_anomalies", "text", form.other_anomalies, ("other_anomalies",)))
    fields.extend(Field(field_name("opinion", key), "text", label, ("opinions", key)) for key, label in form.opinions)
    if form.feedback_label:
        fields.append(Field("feedback", "text", form.feedback_label, ("feedback",), required=True,
                            hint="请写明：" + "；".join(form.feedback_topics) if form.feedback_topics else ""))
    signed = f"{form.signature}日期" if form.signature else "填报日期"
    fields.append(Field("signed", "date", signed, ("signed",)))
    fields.append(Field("visibility", "select_one", "公开范围", ("visibility",), required=True, list_name="visibility",
                        default="internal", choices=tuple(Choice(n, w, w) for n, w in VISIBILITY)))
    _check_unique(form, fields)
    return tuple(fields)


def _check_unique(form: Form, fields: list[Field]) -> None:
    seen: set[str] = set()
    for field in fields:
        if field.kind == "end_group":
            continue
        if field.name in seen:
            raise FormError(f"{form.id}：两个编号都成为 XLSForm 字段名 {field.name}，请改用不同的编号。")
        seen.add(field.name)
