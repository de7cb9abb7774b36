"""The department's view of the supervision records (institutions/<slug>/sessions/<plan>/supervision/): which
institutions the supervisors found most wrong with, which records came late, and which are missing. Pure data
from the records `beian check` makes (report.supervision_record) and the register's visits (overview.VisitView);
department-only: read by the internal portal (portal/internal_records.py), never by the public build.

The ranking puts the worst institution first, comparing in this order (each a sum over all its records; the
next one only breaks a tie):
  1. 一票否决项 ticked (广东 附件3);
  2. sessions terminated on the spot (南昌 表: an outcome that ends the exam);
  3. answers at the form's worst level (不符合, 不一致, 否 …);
  4. answers at a middle level (部分符合, 存在不足 …);
then by institution name. Scores are not compared: only the Nanchang form has points, and of its 100 the
transcription kept 80 (20 points of items are missing), so a score is shown with those words, never ranked.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..dates import parse_date

DEADLINE_RULE, FEEDBACK_RULE = "record-deadline", "record-feedback"
UNMET = "unmet"


@dataclass(frozen=True)
class LowestScore:
    score: int
    known_max: int
    total_words: str          # “满分 100，其中 20 分条目原文缺失”

    @property
    def words(self) -> str:
        return f"{self.score}（已知条目满分 {self.known_max}；{self.total_words}）"


@dataclass(frozen=True)
class InstitutionRank:
    """One institution's supervision findings, summed over the records of all its sessions."""
    institution: str          # folder slug
    name: str
    page: str                 # its portal page name
    records: int
    with_problems: int        # records with an answer below the form's first option
    vetoes: int
    terminated: int           # sessions with a record that ended the exam
    bad: int
    partial: int
    not_valid: int            # records whose own verdict is not 记录有效
    lowest: LowestScore | None

    @property
    def order(self) -> tuple:
        return (-self.vetoes, -self.terminated, -self.bad, -self.partial, self.name, self.institution)


def _result(record: dict) -> dict:
    return record.get("form_result") or {}


def _counts(record: dict) -> dict:
    return _result(record).get("counts") or {}


def sessions_with_records(entry: dict) -> list[dict]:
    return [s for s in entry.get("sessions") or [] if s.get("records")]


def institution_rank(entry: dict) -> InstitutionRank:
    sessions = sessions_with_records(entry)
    records = [r for s in sessions for r in s["records"]]
    scored = [_result(r) for r in records if isinstance(_result(r).get("score"), int)]
    low = min(scored, key=lambda r: r["score"]) if scored else None
    return InstitutionRank(
        institution=entry["institution"], name=str(entry.get("name") or entry["institution"]), page=entry["page"],
        records=len(records),
        with_problems=sum(1 for r in records if _counts(r).get("partial") or _counts(r).get("bad")),
        vetoes=sum(len(_result(r).get("vetoes") or []) for r in records),
        terminated=sum(1 for s in sessions if any(_result(r).get("terminated") for r in s["records"])),
        bad=sum(_counts(r).get("bad", 0) for r in records),
        partial=sum(_counts(r).get("partial", 0) for r in records),
        not_valid=sum(1 for r in records if r.get("decision") != "eligible"),
        lowest=LowestScore(low["score"], low["known_max"], low["total_words"]) if low else None)


def ranking(entries: list[dict]) -> list[InstitutionRank]:
    """Every institution that has supervision records, worst first (the order in the module docstring)."""
    return sorted((institution_rank(e) for e in entries if sessions_with_records(e)), key=lambda r: r.order)


def unmet(record: dict, rule: str) -> dict | None:
    return next((c for c in record.get("conditions") or [] if c.get("rule") == rule and c.get("status") == UNMET), None)


@dataclass(frozen=True)
class LateRecord:
    entry: dict
    session: dict
    record: dict
    due: dt.date | None       # None: the form's deadline could not be counted (the reason says why)
    signed: dt.date | None
    reason: str

    @property
    def days_late(self) -> int | None:
        return (self.signed - self.due).days if self.due and self.signed else None


def late_records(entries: list[dict]) -> list[LateRecord]:
    """Records whose condition record-deadline is unmet, by institution, plan and date."""
    from ..forms.model import get_form

    found = []
    for entry in entries:
        for session in sessions_with_records(entry):
            for record in session["records"]:
                condition = unmet(record, DEADLINE_RULE)
                if condition is None:
                    continue
                form, day = get_form(str(record.get("form") or "")), parse_date(record.get("date"))
                due = form.deadline.due(day) if form and form.deadline and day else None
                found.append(LateRecord(entry, session, record, due, parse_date(record.get("signed")),
                                        str(condition.get("reason") or "")))
    return found


def missing_feedback(entries: list[dict]) -> list[tuple[dict, dict, dict, str]]:
    """(entry, session, 外督's record, reason) for every record whose condition record-feedback is unmet."""
    return [(entry, session, record, str(condition.get("reason") or ""))
            for entry in entries for session in sessions_with_records(entry) for record in session["records"]
            for condition in [unmet(record, FEEDBACK_RULE)] if condition]


@dataclass(frozen=True)
class MissingRecord:
    """A 外督 sent to a session that is over, with no record of his own in its supervision/ folder."""
    view: object              # overview.VisitView
    card: str


def supervision_folder(project_root: Path, session_key: str) -> Path:
    """The supervision/ folder of the session "<institution slug>/<plan folder>"."""
    from ..kinds import kind as kind_named

    institution, plan = session_key.split("/", 1) if "/" in session_key else (session_key, "")
    sessions = kind_named("session").subfolder or "sessions"
    return project_root / "institutions" / institution / sessions / plan / (kind_named("supervision").subfolder or "supervision")


def has_own_record(folder: Path, card: str) -> bool:
    """Whether FOLDER holds a file <form>-<CARD>.yaml of a form a supervisor fills (the institution's feedback
    form about him, named with his card too, is not his record)."""
    from ..forms.model import all_forms

    try:
        names = {p.name for p in folder.iterdir() if p.is_file()}
    except OSError:
        return False
    return any(f"{form.id}-{card}.yaml" in names for form in all_forms().values() if form.filled_by == "supervisor")


def missing_records(views: list, project_root: Path, today: dt.date) -> list[MissingRecord]:
    """For every visit whose days are all before TODAY, each 外督 who serves (accepted, or never answered: the
    department still expects him) and has no record of his own in the session's supervision/ folder."""
    found = []
    for view in views:
        if not view.days or max(view.days) >= today:
            continue
        folder = supervision_folder(project_root, view.visit.session)
        found += [MissingRecord(view, a.card) for a in view.visit.serving if not has_own_record(folder, a.card)]
    return found


def name_internal_supervisors(records: list[dict], filing) -> list[dict]:
    """RECORDS with "supervisor_name" set where the card is one of the institution's 内督 cards (personnel.yaml);
    a 外督's name comes from the department's register (portal/internal_records.py)."""
    from .load import internal_cards

    names = {card: str(person.get("name") or "") for card, person in internal_cards(filing).items()}
    for record in records:
        record["supervisor_name"] = names.get(str(record.get("card") or ""), "")
    return records
