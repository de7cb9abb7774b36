"""The department's view of one register: each supervisor's term, workload and history, each visit with the
findings of the register's check that are about it. Pure data from model.py records (department-only: read
by the internal portal, portal/internal.py, never by the public build).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from .model import DISQUALIFIED, IN_SERVICE, Assignment, Register, SessionRoles, Supervisor, Visit
from .visibility import is_published, visit_days

EXPIRY_NOTICE_DAYS = 90  # issue 12: flag the terms that end within 90 days


@dataclass(frozen=True)
class VisitView:
    """One visit as the department reads it."""
    visit: Visit
    days: tuple[dt.date, ...]
    institution_name: str      # "" when the session is unknown
    plan_number: str
    published: bool            # shown on the public portal now (公开 and past)
    findings: tuple[dict, ...] = ()

    @property
    def first(self) -> dt.date | None:
        return self.days[0] if self.days else None

    @property
    def when(self) -> dt.date | None:
        """The day the visit counts on: its first day, else the day it was made."""
        return self.first or self.visit.made


@dataclass(frozen=True)
class Served:
    """One line of a supervisor's history: the visit and the supervisor's answer to it."""
    view: VisitView
    assignment: Assignment


@dataclass(frozen=True)
class SupervisorView:
    supervisor: Supervisor
    days_left: int | None                 # until the term's last day; negative once it has ended
    history: tuple[Served, ...]           # every visit naming the supervisor, latest first
    this_year: int                        # visits served (not refused) in the evaluation date's year
    total: int                            # visits served in all
    last_visit: dt.date | None            # latest served visit day before or on the evaluation date
    upcoming: int                         # served visits still to come
    institutions: tuple[tuple[str, int], ...]  # institution (name or slug) → visits served, most first

    @property
    def expiry(self) -> str:
        """'' / '90 天内届满' / '已届满', for the term; a disqualified supervisor's term no longer matters."""
        if self.days_left is None or self.supervisor.status == DISQUALIFIED:
            return ""
        if self.days_left < 0:
            return "已届满"
        return f"{EXPIRY_NOTICE_DAYS} 天内届满" if self.days_left <= EXPIRY_NOTICE_DAYS else ""


def _visit_ranges(visits: tuple[Visit, ...], line_of) -> list[tuple[Visit, int, int]]:
    """(visit, first line, line after it) in dispatches.yaml: a visit's block runs to the next visit's start."""
    starts = [(visit, line_of(visit.index)) for visit in visits]
    starts = sorted(((v, line) for v, line in starts if line), key=lambda pair: pair[1])
    return [(visit, line, starts[i + 1][1] if i + 1 < len(starts) else 10 ** 9)
            for i, (visit, line) in enumerate(starts)]


def findings_by_visit(visits: tuple[Visit, ...], findings: list[dict], dispatches_file: str, line_of) -> dict[int, list[dict]]:
    """Visit index → the check findings located inside that visit's entry of dispatches.yaml.
    LINE_OF(visit index) is the line the entry starts on (None when unknown)."""
    found: dict[int, list[dict]] = {}
    for visit, first, after in _visit_ranges(visits, line_of):
        for finding in findings:
            line = finding.get("line")
            if finding.get("file") == dispatches_file and isinstance(line, int) and first <= line < after:
                found.setdefault(visit.index, []).append(finding)
    return found


def visit_views(register: Register, sessions: dict[str, SessionRoles], today: dt.date,
                findings: dict[int, list[dict]] | None = None) -> list[VisitView]:
    """Every visit of the register, latest first."""
    views = []
    for visit in register.visits:
        roles = sessions.get(visit.session)
        days = visit_days(visit, sessions)
        views.append(VisitView(visit, days, roles.institution_name if roles else "",
                               roles.plan_number if roles else visit.session.rsplit("/", 1)[-1],
                               is_published(visit, days, today), tuple((findings or {}).get(visit.index, ()))))
    views.sort(key=lambda v: (v.when or dt.date.min, v.visit.index), reverse=True)
    return views


def supervisor_views(register: Register, views: list[VisitView], today: dt.date) -> list[SupervisorView]:
    """Every supervisor of the register, in the register's order."""
    out = []
    for supervisor in register.supervisors:
        history = tuple(Served(view, a) for view in views for a in view.visit.assignments if a.card == supervisor.card)
        served = [s.view for s in history if s.assignment.serves]
        past = [v.when for v in served if v.when and v.when <= today]
        places = Counter(v.institution_name or v.visit.institution for v in served)
        out.append(SupervisorView(
            supervisor=supervisor,
            days_left=(supervisor.term_end - today).days if supervisor.term_end else None,
            history=history,
            this_year=sum(1 for v in served if v.when and v.when.year == today.year),
            total=len(served),
            last_visit=max(past) if past else None,
            upcoming=sum(1 for v in served if v.when and v.when > today),
            institutions=tuple(sorted(places.items(), key=lambda pair: (-pair[1], pair[0])))))
    return out


def printable(supervisor: Supervisor, today: dt.date) -> bool:
    """Whether a card is printed for the supervisor: in service (在聘) and in term today. A suspended supervisor
    (暂停委派) is not sent out, and a disqualified one's card is withdrawn: neither gets a new card."""
    return supervisor.status == IN_SERVICE and supervisor.in_term(today)
