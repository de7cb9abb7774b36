"""A supervision form as typed records: read from rules/forms/<id>.yaml, trusted as shipped.

The files are validated by form_schema.py (`beian rules --validate` and the tests), not on every check run,
as the rule sheets are. Nothing here knows a particular form: the print, the XLSForm, the scorer and the
checks all read these records.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import rules_files


# How a form judges what was ticked (its `judging`):
#   points    each option carries points, the record's score is their sum (南昌)
#   levels    each item has ordered options, first compliant, last failing (广东 附件4)
#   ratings   levels per item and a 综合评定 per section ticked by the supervisor, vetoes on top (广东 附件3)
#   yes_no    是 / 否 per item (北京 附件3)
#   feedback  the institution's free-text feedback about a supervisor (广东 附件5, 北京 附件4)
JUDGING = ("points", "levels", "ratings", "yes_no", "feedback")
JUDGING_LABELS = {"points": "打分", "levels": "分级勾选", "ratings": "分级勾选与综合评定", "yes_no": "是否勾选",
                  "feedback": "情况反馈"}
# Where a printed header field takes its value from (the print and the completed form fill them in).
HEADER_SOURCES = ("record.card", "record.plan_number", "record.date", "record.arrived", "record.departed",
                  "record.header", "supervisor.name", "supervisor.employer", "register.department",
                  "institution.name", "plan.title", "plan.method", "result.score")


@dataclass(frozen=True)
class Option:
    label: str
    points: int | None = None

    @property
    def shown(self) -> str:
        """As printed beside the box: “25-30人标准考场12分” on a points form, the word alone otherwise."""
        return f"{self.label}{self.points}分" if self.points is not None else self.label


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    options: tuple[Option, ...]
    number: str = ""          # as printed (“11.”), when the form numbers its rows
    points: int = 0           # a points form's item maximum
    full_marks_for: str = ""  # the answer that scores full marks whatever the options (“机考”)
    section: str = ""
    group: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options) + ((self.full_marks_for,) if self.full_marks_for else ())

    def level(self, answer: str) -> str:
        """good / partial / bad: the first printed option complies, the last fails, any between is partial."""
        if answer == self.full_marks_for or answer == self.options[0].label:
            return "good"
        return "bad" if answer == self.options[-1].label else "partial"

    def points_for(self, answer: str) -> int:
        if answer == self.full_marks_for:
            return self.points
        return next((o.points or 0 for o in self.options if o.label == answer), 0)

    @property
    def called(self) -> str:
        """How findings name the item: “第 11. 项（评价现场秩序情况）” or ““理论考场””."""
        return f"第 {self.number} 项（{self.text}）" if self.number else f"“{self.text}”"


@dataclass(frozen=True)
class Group:
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class SectionOutcome:
    """What the supervisor did about a section that fell short, as the form prints it (南昌 考场布置 → 终止考试)."""
    text: str
    options: tuple[tuple[str, str, bool], ...]  # (id, label, ends the exam)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    groups: tuple[Group, ...]
    points: int = 0
    rated: bool = False  # the supervisor ticks a 综合评定 for it
    outcome: SectionOutcome | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)


@dataclass(frozen=True)
class Deadline:
    days: int
    working: bool
    source: str

    @property
    def words(self) -> str:
        return f"{self.days} 个工作日" if self.working else f"{self.days} 天"

    def due(self, day: dt.date) -> dt.date | None:
        """The last day a record of a supervision on DAY may be signed: the N-th working day after it (None when
        a year on the way has no published holiday schedule), or the N-th calendar day."""
        if not self.working:
            return day + dt.timedelta(days=self.days)
        from ..workdays import working_day_deadline

        return working_day_deadline(day, self.days)


@dataclass(frozen=True)
class Checkbox:
    id: str
    text: str


@dataclass(frozen=True)
class HeaderField:
    id: str
    label: str
    source: str


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    short_title: str
    jurisdiction: str
    issuer: str
    document: str
    article: str
    source: str
    effective: str
    filled_by: str                  # supervisor | institution
    supervisor_roles: tuple[str, ...]
    subject: str                    # session (about the assessment) | supervisor (feedback about a 外督)
    judging: str
    header: tuple[HeaderField, ...]
    sections: tuple[Section, ...] = ()
    applies_to: tuple[str, ...] = ()
    after_session: bool = False      # supervised from the materials after the exam days
    feedback_form: str = ""          # the institution's feedback form about each supervisor who filled this
    deadline: Deadline | None = None
    remarks_required: bool = False
    remarks_field: str = ""
    remarks_note: str = ""
    ratings: tuple[str, ...] = ()
    vetoes: tuple[Checkbox, ...] = ()
    anomalies: tuple[Checkbox, ...] = ()
    other_anomalies: str = ""
    opinions: tuple[tuple[str, str], ...] = ()  # (id, label) of the free-text 意见 fields
    feedback_label: str = ""
    feedback_topics: tuple[str, ...] = ()
    max_score: int = 0
    missing_points: int = 0
    missing_note: str = ""
    numbering_faults: tuple[str, ...] = ()
    transcription_faults: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    signature: str = ""
    signature_dated: bool = True
    countersign: str = ""
    path: Path | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def known_points(self) -> int:
        return sum(item.points for item in self.items)

    @property
    def total_words(self) -> str:
        """“满分 100，其中 20 分条目原文缺失” where the transcription lost items; “满分 80” otherwise."""
        if self.missing_points:
            return f"满分 {self.max_score}，其中 {self.missing_points} 分条目原文缺失"
        return f"满分 {self.max_score}"

    @property
    def scored(self) -> bool:
        return self.judging == "points"

    @property
    def outcomes(self) -> tuple[tuple[str, str, bool], ...]:
        return tuple(option for section in self.sections if section.outcome for option in section.outcome.options)


class FormError(Exception):
    pass


def form_files() -> list[Path]:
    return rules_files("forms")


def _text(value) -> str:
    return str(value).strip() if value is not None else ""


def _item(raw: dict, section: str, group: str) -> Item:
    options = tuple(Option(_text(o)) if not isinstance(o, dict) else Option(_text(o["label"]), o.get("points"))
                    for o in raw["options"])
    return Item(str(raw["id"]), _text(raw["text"]), options, _text(raw.get("number")), raw.get("points") or 0,
                _text(raw.get("full_marks_for")), section, group)


def _section(raw: dict) -> Section:
    groups = tuple(Group(_text(g.get("title")), tuple(_item(i, raw["id"], _text(g.get("title"))) for i in g["items"]))
                   for g in raw["groups"])
    outcome = raw.get("outcome")
    return Section(raw["id"], _text(raw["title"]), groups, raw.get("points") or 0, bool(raw.get("rated")),
                   SectionOutcome(_text(outcome["text"]), tuple((o["id"], _text(o["label"]), bool(o.get("terminates")))
                                                                 for o in outcome["options"])) if outcome else None)


def form_from(data: dict, path: Path | None = None) -> Form:
    """A form from its YAML data (trusted: form_schema.py validates the shipped files)."""
    deadline, remarks, missing = data.get("deadline"), data.get("remarks") or {}, data.get("missing") or {}
    feedback, signature = data.get("feedback") or {}, data.get("signature") or {}
    return Form(
        id=data["id"], title=_text(data["title"]), short_title=_text(data.get("short_title") or data["title"]),
        jurisdiction=data["jurisdiction"], issuer=_text(data.get("issuer")), document=_text(data.get("document")),
        article=_text(data.get("article")), source=_text(data.get("source")), effective=str(data.get("effective", "")),
        filled_by=data["filled_by"], supervisor_roles=tuple(data.get("supervisor_roles") or ()),
        subject=data.get("subject", "session"), judging=data["judging"],
        header=tuple(HeaderField(h["id"], _text(h["label"]), h["from"]) for h in data.get("header") or ()),
        sections=tuple(_section(s) for s in data.get("sections") or ()),
        applies_to=tuple(data.get("applies_to") or ()), after_session=bool(data.get("after_session")),
        feedback_form=data.get("feedback_form") or "",
        deadline=Deadline(deadline["days"], bool(deadline["working"]), _text(deadline.get("source"))) if deadline else None,
        remarks_required=bool(remarks.get("required")), remarks_field=_text(remarks.get("field")),
        remarks_note=_text(remarks.get("note")), ratings=tuple(data.get("ratings") or ()),
        vetoes=tuple(Checkbox(v["id"], _text(v["text"])) for v in data.get("vetoes") or ()),
        anomalies=tuple(Checkbox(a["id"], _text(a["text"])) for a in data.get("anomalies") or ()),
        other_anomalies=_text(data.get("other_anomalies")),
        opinions=tuple((o["id"], _text(o["label"])) for o in data.get("opinions") or ()),
        feedback_label=_text(feedback.get("label")), feedback_topics=tuple(feedback.get("topics") or ()),
        max_score=data.get("max_score") or 0, missing_points=missing.get("points") or 0,
        missing_note=_text(missing.get("note")), numbering_faults=tuple(data.get("numbering_faults") or ()),
        transcription_faults=tuple(data.get("transcription_faults") or ()), notes=tuple(data.get("notes") or ()),
        signature=_text(signature.get("label")), signature_dated=bool(signature.get("date", True)),
        countersign=_text(signature.get("countersign")), path=path,
    )


def _load(path: Path) -> dict:
    from ..yamlload import YamlSyntaxError, load_yaml_file_cached

    try:
        return load_yaml_file_cached(path).data
    except YamlSyntaxError as exc:
        raise FormError(f"{path.name}: {exc.problem.message}") from None


@lru_cache(maxsize=None)
def all_forms() -> dict[str, Form]:
    return {form.id: form for form in (form_from(_load(path), path) for path in form_files())}


def get_form(form_id: str) -> Form | None:
    return all_forms().get(str(form_id))
