"""One filled record judged against its form: pure, no I/O.

`judge(form, record)` reads the record's answers (a dict as loaded from the record YAML) and returns what the
form makes of them: per item the answer, its level and points; the score of a points form out of the points
the transcription kept; the 综合评定 per section; the vetoes and anomalies ticked; the on-site outcome. What
is missing or not an option is listed, never guessed: an unanswered item scores nothing and is named.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Checkbox, Form, Item

LEVEL_WORDS = {"good": "符合", "partial": "部分符合", "bad": "不符合"}


@dataclass(frozen=True)
class ItemAnswer:
    item: Item
    answer: str | None        # as written; None when the item was not answered
    valid: bool               # one of the item's options
    level: str | None         # good / partial / bad for a valid answer
    points: int | None        # a points form's points for a valid answer
    remark: str | None

    @property
    def problem(self) -> bool:
        """A finding of the supervisor's: an answer below the compliant one."""
        return self.valid and self.level in ("partial", "bad")


@dataclass(frozen=True)
class FormResult:
    form: Form
    answers: tuple[ItemAnswer, ...]
    ratings: dict = field(default_factory=dict)          # section id → rating word, as ticked
    vetoes: tuple[Checkbox, ...] = ()                    # the 一票否决项 ticked
    anomalies: tuple[Checkbox, ...] = ()
    outcomes: tuple[tuple[str, str, str, bool], ...] = ()  # (section id, option id, label, ends the exam)
    unknown_keys: tuple[tuple[str, str], ...] = ()        # (record field, key) naming nothing on the form

    @property
    def unanswered(self) -> tuple[Item, ...]:
        return tuple(a.item for a in self.answers if a.answer is None)

    @property
    def invalid(self) -> tuple[ItemAnswer, ...]:
        return tuple(a for a in self.answers if a.answer is not None and not a.valid)

    @property
    def problems(self) -> tuple[ItemAnswer, ...]:
        return tuple(a for a in self.answers if a.problem)

    @property
    def score(self) -> int | None:
        """A points form's score over the items answered validly; None for a form without points."""
        if not self.form.scored:
            return None
        return sum(a.points or 0 for a in self.answers if a.valid)

    @property
    def known_max(self) -> int:
        return self.form.known_points

    @property
    def terminated(self) -> bool:
        return any(ends for *_, ends in self.outcomes)

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.invalid

    def counts(self) -> dict[str, int]:
        counted = {level: 0 for level in LEVEL_WORDS}
        for answer in self.answers:
            if answer.valid:
                counted[answer.level] += 1
        return counted

    @property
    def summary(self) -> str:
        """One line every output shows: the score or the tally, the vetoes, what is unanswered."""
        form, parts = self.form, []
        if form.scored:
            parts.append(f"得分 {self.score}（已知条目满分 {self.known_max}；{form.total_words}）")
        elif form.judging == "yes_no":
            counts = self.counts()
            parts.append(f"{len(self.answers)} 项：是 {counts['good']} 项，否 {counts['bad']} 项")
        elif form.judging in ("levels", "ratings"):
            counts = self.counts()
            tally = "，".join(f"{LEVEL_WORDS[level]} {n} 项" for level, n in counts.items() if n)
            parts.append(f"{len(self.answers)} 项" + (f"：{tally}" if tally else ""))
        else:
            parts.append("情况反馈")
        if self.ratings:
            titles = {s.id: s.title for s in form.sections}
            parts.append("综合评定：" + "，".join(f"{titles.get(k, k)} {v}" for k, v in self.ratings.items()))
        if self.vetoes:
            parts.append(f"一票否决 {len(self.vetoes)} 项")
        if self.terminated:
            parts.append("终止考试")
        if self.unanswered:
            parts.append(f"未作答 {len(self.unanswered)} 项")
        if self.invalid:
            parts.append(f"选项无效 {len(self.invalid)} 项")
        return "；".join(parts)


def _mapping(record: dict, key: str) -> dict[str, object]:
    """A record field keyed by item or section id; YAML reads `1:` as a number, the form's ids are text."""
    value = record.get(key)
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _ids(record: dict, key: str) -> list[str]:
    value = record.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def _answer(item: Item, written, remark, scored: bool) -> ItemAnswer:
    if written is None or (isinstance(written, str) and not written.strip()):
        return ItemAnswer(item, None, False, None, None, remark)
    answer = str(written).strip()
    valid = answer in item.labels
    return ItemAnswer(item, answer, valid, item.level(answer) if valid else None,
                      item.points_for(answer) if valid and scored else None, remark)


def judge(form: Form, record: dict) -> FormResult:
    answers, remarks = _mapping(record, "answers"), _mapping(record, "remarks")
    judged = tuple(_answer(item, answers.get(item.id), _text(remarks.get(item.id)), form.scored) for item in form.items)
    item_ids = {item.id for item in form.items}
    sections = {section.id: section for section in form.sections}
    unknown = [("answers", k) for k in answers if k not in item_ids] + \
              [("remarks", k) for k in remarks if k not in item_ids]
    ratings = {}
    for section_id, rating in _mapping(record, "ratings").items():
        if section_id in sections and sections[section_id].rated:
            ratings[section_id] = str(rating)
        else:
            unknown.append(("ratings", section_id))
    vetoes = {v.id: v for v in form.vetoes}
    anomalies = {a.id: a for a in form.anomalies}
    unknown += [("vetoes", v) for v in _ids(record, "vetoes") if v not in vetoes]
    unknown += [("anomalies", a) for a in _ids(record, "anomalies") if a not in anomalies]
    outcomes = []
    for section_id, option_id in _mapping(record, "outcomes").items():
        section = sections.get(section_id)
        option = next((o for o in section.outcome.options if o[0] == str(option_id)), None) \
            if section and section.outcome else None
        if option is None:
            unknown.append(("outcomes", section_id))
        else:
            outcomes.append((section_id, *option))
    return FormResult(form, judged, ratings,
                      tuple(vetoes[v] for v in _ids(record, "vetoes") if v in vetoes),
                      tuple(anomalies[a] for a in _ids(record, "anomalies") if a in anomalies),
                      tuple(outcomes), tuple(unknown))


def _text(value) -> str | None:
    return str(value).strip() or None if value is not None else None
