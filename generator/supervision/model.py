"""Typed records of the supervision side: the department's register of 外督, its dispatches, and what a
dispatch needs to know about a session (who examines and supervises there, on which days).

Read from a loaded folder of kind `register` (department/<jurisdiction>/) by generator/supervision/load.py;
the check functions and `beian dispatch` work on these records only, never on raw YAML, so both judge a
dispatch by the same rules. Every record keeps its index in its file, for findings with file and line.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ACCEPTED, REFUSED, UNANSWERED = "接受", "拒绝", "未答复"
IN_SERVICE, SUSPENDED, DISQUALIFIED = "在聘", "暂停委派", "取消资格"
PUBLIC, DEPARTMENT_ONLY = "公开", "部门内部"
SPECIAL = "专项督导"   # 001 第十八条: a 专项督导 group has its own minimum size


@dataclass(frozen=True)
class Supervisor:
    """One 外督 of the register (supervisors.yaml `supervisors[index]`)."""
    index: int
    card: str
    name: str
    term_start: dt.date | None
    term_end: dt.date | None
    issued_by: str = ""
    sex: str | None = None
    birth_year: int | None = None
    employer: str = ""
    management_work: bool | None = None
    years_in_assessment: int | None = None
    conflicts: tuple[str, ...] = ()          # institution slugs the supervisor declared a conflict with
    status: str = IN_SERVICE
    disqualified_on: dt.date | None = None
    blacklisted: bool = False

    @property
    def label(self) -> str:
        """How findings name a supervisor: name and card (the register is department-only data)."""
        return f"{self.name}（{self.card}）"

    def in_term(self, day: dt.date) -> bool:
        return bool(self.term_start and self.term_end and self.term_start <= day <= self.term_end)

    def age_in(self, year: int) -> int | None:
        """Age reached in YEAR (周岁 at the year's end): the register holds the birth year only, never a date."""
        return year - self.birth_year if self.birth_year else None


@dataclass(frozen=True)
class Assignment:
    """One supervisor named in a visit (`visits[visit].supervisors[index]`) and the answer given."""
    index: int
    card: str
    response: str = ACCEPTED
    reason: str = ""

    @property
    def serves(self) -> bool:
        """Whether the supervisor goes: a refusal does not count towards the group (an unanswered one does,
        as the department still expects him)."""
        return self.response != REFUSED


@dataclass(frozen=True)
class Visit:
    """One dispatch of 外督 to one session (dispatches.yaml `visits[index]`)."""
    index: int
    session: str                     # "<institution slug>/<plan folder>"
    made: dt.date | None
    assignments: tuple[Assignment, ...]
    type: str = "现场督导"
    dates: tuple[dt.date, ...] = ()  # as written; empty → the session's exam days
    method: str = "人工指派"
    seed: int | None = None
    visibility: str = DEPARTMENT_ONLY

    @property
    def institution(self) -> str:
        return self.session.split("/", 1)[0]

    @property
    def serving(self) -> tuple[Assignment, ...]:
        return tuple(a for a in self.assignments if a.serves)


@dataclass(frozen=True)
class SessionRoles:
    """What a dispatch must know of one session: its days and who holds which role in it (by name, as the
    plan names people), and the institution it belongs to."""
    key: str                          # "<institution slug>/<plan folder>"
    institution: str                  # slug
    institution_name: str
    plan_number: str
    days: tuple[dt.date, ...]
    candidates: int = 0
    examiners: frozenset[str] = frozenset()
    internal_supervisors: frozenset[str] = frozenset()
    staff: frozenset[str] = frozenset()   # everyone else the plan names (leaders, 考务, 监考)
    path: str = ""                        # display path of the session folder
    sheet: str = ""                       # the rule sheet the institution's profile names (its jurisdiction's)

    def role_of(self, name: str) -> str | None:
        """The session role a person of this name holds, in the words of the avoidance rules."""
        if name in self.internal_supervisors:
            return "内督"
        if name in self.examiners:
            return "考评员"
        if name in self.staff:
            return "考务人员"
        return None


@dataclass(frozen=True)
class Register:
    """One jurisdiction's register and dispatches (department/<jurisdiction>/)."""
    jurisdiction: str
    department: str
    visibility: str
    supervisors: tuple[Supervisor, ...]
    visits: tuple[Visit, ...] = ()
    _by_card: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for supervisor in self.supervisors:
            self._by_card.setdefault(supervisor.card, supervisor)

    def supervisor(self, card: str) -> Supervisor | None:
        return self._by_card.get(card)
