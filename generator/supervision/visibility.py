"""What of the department's supervision data the public portal may show: past visits marked 公开, as a line
on their session — never a person.

Everything under department/ is department-only unless a visit says `visibility: 公开`, and even then:

- a visit appears only once every day of it is before the evaluation date. 双随机 means the institution must
  not know in advance that, or when, supervisors come; a dispatch published before the exam would tell it.
- it appears without names or card numbers: “外部质量督导：2026-06-13 至 2026-06-14 现场督导，外督 2 名”.
  Supervisors may not publish supervision records themselves (001 第十条（三）“不得擅自公开督导情况记录（结果）”;
  issue 12 calls it 第九条（三）, the transcription numbers it 第十条), so whether a supervision took place is
  the department's to publish, and who did it is not needed by the public at all.

A register (supervisors.yaml) marked `visibility: 公开` still publishes no one: the register holds people's
names, card numbers, birth years and employers (personal information that a 公开 flag on the whole file would
publish wholesale), a published card number beside a name is what a forged card needs, and a public list of
the pool tells an institution whom to expect and whom to approach, which 双随机 is meant to prevent. The flag
is kept (the schema accepts it) and means nothing to the public build; the internal build shows it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .model import PUBLIC, Register, SessionRoles, Visit


@dataclass(frozen=True)
class PublicVisit:
    """A past visit marked 公开, as the public may see it: when, what kind, how many supervisors."""
    session: str          # "<institution slug>/<plan folder>"
    type: str
    first: dt.date
    last: dt.date
    supervisors: int      # the ones who went (a refusal does not count)

    @property
    def words(self) -> str:
        days = self.first.isoformat() if self.first == self.last else f"{self.first.isoformat()} 至 {self.last.isoformat()}"
        return f"{days} {self.type}，外督 {self.supervisors} 名"


def visit_days(visit: Visit, sessions: dict[str, SessionRoles]) -> tuple[dt.date, ...]:
    """The days of a visit: as written, else its session's exam days; () when neither is known."""
    from .dispatch_rules import visit_days as days_of

    return days_of(visit.dates, sessions.get(visit.session))


def is_published(visit: Visit, days: tuple[dt.date, ...], today: dt.date) -> bool:
    """Marked 公开 and over: every day before TODAY. A visit without known days is never published."""
    return visit.visibility == PUBLIC and bool(days) and max(days) < today


def published_visits(register: Register, sessions: dict[str, SessionRoles], today: dt.date) -> list[PublicVisit]:
    found = []
    for visit in register.visits:
        days = visit_days(visit, sessions)
        if is_published(visit, days, today):
            found.append(PublicVisit(visit.session, visit.type, min(days), max(days), len(visit.serving)))
    return found


def project_root_of(folder: Path) -> Path:
    """department/<jurisdiction>/ → the project it belongs to (whose institutions/ its visits name)."""
    return folder.resolve().parent.parent


def public_visits(register_folders: list[Path], today: dt.date) -> dict[str, list[PublicVisit]]:
    """Every published visit of every register, by session key, in day order."""
    from ..filing import load_register
    from .load import register_of, sessions_index

    by_session: dict[str, list[PublicVisit]] = {}
    for folder in register_folders:
        root = project_root_of(folder)
        register = register_of(load_register(folder, root))
        named = frozenset(visit.session for visit in register.visits)
        for visit in published_visits(register, sessions_index(root, named), today):
            by_session.setdefault(visit.session, []).append(visit)
    for visits in by_session.values():
        visits.sort(key=lambda v: (v.first, v.last, v.type))
    return by_session
