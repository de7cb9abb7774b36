"""The rules a dispatch of 外督 must keep, as pure functions shared by the checks (generator/checks/
supervision_dispatch.py, which judge dispatches made by hand) and `beian dispatch` (which proposes them).

- `rules_for(jurisdiction, day)`: what the jurisdiction stipulates on DAY (group size, 专项督导 group, rotation,
  roles to avoid, age limits), read through `stipulated`; a fact it does not publish asks nothing.
- `obstacles(supervisor, days, session, rules)`: why one supervisor may not supervise one session on those days.
- `rotation_breaches(services, rules)` and `one_place_clashes(services)`: the rules between visits.

Every reason is a Chinese sentence naming the supervisor and citing the source, for findings and the dispatcher's
explanations alike.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .facts import source_of, stipulated
from .model import DISQUALIFIED, IN_SERVICE, SPECIAL, SessionRoles, Supervisor

# When a jurisdiction sets no group size, a visit still needs someone: one 外督 is the least that is a visit.
LEAST_GROUP = 1
# 002 第十六条 / 001 第十二条 / 000 第八条（八）: the general avoidance principle every roster shares.
GENERAL_AVOIDANCE = "不能参加可能影响其客观公正督导的工作"

# Obstacle kinds: which check reports them and how the dispatcher counts exclusions.
STATUS, TERM, AGE, EXPERIENCE = "资格状态", "聘期", "年龄", "任职条件"
ROLE, OWN_STAFF, CONFLICT = "兼任本场次工作", "本机构人员", "申报回避"
ELIGIBILITY_KINDS = (STATUS, TERM, AGE, EXPERIENCE)
AVOIDANCE_KINDS = (ROLE, OWN_STAFF, CONFLICT)


@dataclass(frozen=True)
class DispatchRules:
    """What one jurisdiction asks of a dispatch (None / empty: not stipulated)."""
    jurisdiction: str = ""                   # the jurisdiction's name, for messages (“河南省”)
    group_size: int = LEAST_GROUP
    group_size_stipulated: bool = False
    group_size_source: str = ""
    special_group_min: int | None = None
    special_group_source: str = ""
    max_consecutive: int | None = None
    within_days: int | None = None
    rotation_source: str = ""
    avoidance_roles: tuple[str, ...] = ()
    avoidance_source: str = ""
    age_limits: dict | None = None
    age_source: str = ""
    experience: dict | None = None

    def needed(self, visit_type: str) -> int:
        """How many serving 外督 a visit of this type needs at the least."""
        if visit_type == SPECIAL and self.special_group_min:
            return max(self.group_size, self.special_group_min)
        return self.group_size

    def size_basis(self, visit_type: str) -> str:
        """Where the number of `needed` comes from, in words."""
        if visit_type == SPECIAL and self.special_group_min and self.special_group_min >= self.group_size:
            return f"专项督导小组原则上 {self.special_group_min} 名及以上（{self.special_group_source}）"
        if self.group_size_stipulated:
            return f"每次督导至少 {self.group_size} 人（{self.group_size_source}）"
        return f"{self.jurisdiction or '本辖区'}未规定每次督导的最少人数，按至少 {LEAST_GROUP} 人计"


def rules_for(jurisdiction, day: dt.date) -> DispatchRules:
    """The dispatch rules of JURISDICTION (a generator.jurisdiction.Jurisdiction, or None) on DAY."""
    size = stipulated(jurisdiction, "external_per_visit", day)
    rotation = stipulated(jurisdiction, "rotation", day) or {}
    return DispatchRules(
        jurisdiction=getattr(jurisdiction, "name", "") or "",
        group_size=int(size) if size else LEAST_GROUP, group_size_stipulated=bool(size),
        group_size_source=source_of(jurisdiction, "external_per_visit"),
        special_group_min=stipulated(jurisdiction, "special_group_min", day),
        special_group_source=source_of(jurisdiction, "special_group_min"),
        max_consecutive=rotation.get("max_consecutive"), within_days=rotation.get("within_days"),
        rotation_source=source_of(jurisdiction, "rotation"),
        avoidance_roles=tuple(stipulated(jurisdiction, "avoidance_roles", day) or ()),
        avoidance_source=source_of(jurisdiction, "avoidance_roles"),
        age_limits=stipulated(jurisdiction, "supervisor_age_limits", day),
        age_source=source_of(jurisdiction, "supervisor_age_limits"),
        experience=stipulated(jurisdiction, "supervisor_experience", day))


@dataclass(frozen=True)
class Obstacle:
    """Why a supervisor may not supervise a session. `certain` False: the register cannot settle it (the
    dispatcher still leaves him out; the check asks a reviewer)."""
    kind: str
    message: str
    certain: bool = True


def _status(supervisor: Supervisor, days: tuple[dt.date, ...], today: dt.date | None) -> Obstacle | None:
    if supervisor.disqualified_on and days and supervisor.disqualified_on > days[-1]:
        return None  # disqualified after the visit: he was in service when he went
    over = today is not None and days and days[-1] < today and not supervisor.disqualified_on
    if over:
        return None  # a past visit: today's status (e.g. 暂停委派) says nothing of the status then
    if supervisor.blacklisted:
        return Obstacle(STATUS, f"{supervisor.label}已取消资格并列入黑名单，不得委派")
    if supervisor.status != IN_SERVICE:
        since = f"（{supervisor.disqualified_on}）" if supervisor.status == DISQUALIFIED and supervisor.disqualified_on else ""
        return Obstacle(STATUS, f"{supervisor.label}资格状态为“{supervisor.status}”{since}，不得委派")
    return None


def _term(supervisor: Supervisor, days: tuple[dt.date, ...]) -> Obstacle | None:
    if not supervisor.term_start or not supervisor.term_end:
        return Obstacle(TERM, f"{supervisor.label}未写聘期，无法确认督导日在聘期内")
    for day in days:
        if day > supervisor.term_end:
            return Obstacle(TERM, f"{supervisor.label}聘期 {supervisor.term_end} 届满，督导日 {day}（届满自动解聘）")
        if day < supervisor.term_start:
            return Obstacle(TERM, f"{supervisor.label}聘期自 {supervisor.term_start} 起，督导日 {day} 尚未受聘")
    return None


def _age(supervisor: Supervisor, days: tuple[dt.date, ...], rules: DispatchRules) -> Obstacle | None:
    """The register-eligibility reasoning on the visit's year: the register holds the birth year only."""
    limits = rules.age_limits
    if not limits or not days:
        return None
    if not supervisor.sex or not supervisor.birth_year:
        return Obstacle(AGE, f"{supervisor.label}未写性别或出生年份，无法核对年龄上限（{rules.age_source}）", certain=False)
    limit = limits.get(supervisor.sex)
    if limit is None:
        return None
    year = days[-1].year
    age = supervisor.age_in(year)
    if age > limit + 1:
        return Obstacle(AGE, f"{supervisor.label}{year} 年满 {age} 周岁，超过{supervisor.sex}性督导员 {limit} 周岁的上限"
                             f"（{rules.age_source}）")
    if age == limit + 1:
        return Obstacle(AGE, f"{supervisor.label}{year} 年满 {age} 周岁：督导日若在生日之后即超过{supervisor.sex}性督导员 "
                             f"{limit} 周岁的上限，名册只有出生年份，须核对出生月日", certain=False)
    return None


def experience_problem(supervisor: Supervisor, required: dict) -> str | None:
    """Why SUPERVISOR lacks the experience the jurisdiction REQUIRED (supervisor_experience), or None."""
    management_ok = bool(required.get("management_qualifies")) and supervisor.management_work is True
    years = supervisor.years_in_assessment
    if management_ok or (years is not None and years >= required["min_years"]):
        return None
    routes = (f"从事评价管理工作或{required.get('of') or '评价工作'} {required['min_years']} 年以上"
              if required.get("management_qualifies") else f"{required.get('of') or '评价工作'} {required['min_years']} 年以上")
    if years is None and supervisor.management_work is None:
        return f"{supervisor.label}未写明是否从事评价管理工作（management_work）和评价工作年限（years_in_assessment），无法核对任职条件（{routes}）"
    have = f"评价工作 {years} 年" if years is not None else "未写评价工作年限"
    return f"{supervisor.label}{have}，不具备任职条件（{routes}）"


def _role(supervisor: Supervisor, session: SessionRoles, rules: DispatchRules) -> Obstacle | None:
    role = session.role_of(supervisor.name)
    if role is None:
        return None
    where = session.plan_number
    if role in rules.avoidance_roles:
        return Obstacle(ROLE, f"{supervisor.label}是认定计划 {where} 的{role}（按姓名核对），不得兼任同场次{role.removesuffix('员')}工作"
                              f"（{rules.avoidance_source}）")
    return Obstacle(ROLE, f"{supervisor.label}在认定计划 {where} 中任{role}（按姓名核对）：回避制度要求督导员"
                          f"{GENERAL_AVOIDANCE}")


def obstacles(supervisor: Supervisor, days: tuple[dt.date, ...], session: SessionRoles | None, rules: DispatchRules,
              today: dt.date | None = None) -> list[Obstacle]:
    """Every reason SUPERVISOR may not supervise SESSION on DAYS (sorted), in the order status, term, age,
    experience, role, own staff, declared conflict. TODAY, when given, spares past visits today's status."""
    found = [_status(supervisor, days, today), _term(supervisor, days), _age(supervisor, days, rules)]
    lacking = experience_problem(supervisor, rules.experience) if rules.experience else None
    found.append(Obstacle(EXPERIENCE, lacking) if lacking else None)
    if session is not None:
        found.append(_role(supervisor, session, rules))
        if supervisor.employer and supervisor.employer == session.institution_name:
            found.append(Obstacle(OWN_STAFF, f"{supervisor.label}的工作单位是被督导机构{session.institution_name}本身，"
                                             f"应当回避（{GENERAL_AVOIDANCE}）"))
        if session.institution in supervisor.conflicts:
            found.append(Obstacle(CONFLICT, f"{supervisor.label}申报了与 {session.institution} 的利害关系，应当回避"))
    return [o for o in found if o is not None]


def visit_days(dates: tuple[dt.date, ...], session: SessionRoles | None) -> tuple[dt.date, ...]:
    """A visit's days: its own dates when written, else its session's exam days (sorted)."""
    return tuple(sorted(dates)) if dates else (session.days if session is not None else ())


@dataclass(frozen=True)
class Service:
    """One supervised occasion reduced to what the rules between visits need: which session (the occasion of
    the rotation rule), on which days, by whom. `key` tells the caller which visit it is."""
    key: object
    session: str
    institution: str
    days: tuple[dt.date, ...]
    cards: frozenset[str]
    order: dt.date = dt.date.min    # when the days are unknown: the date the visit was made

    @property
    def first(self) -> dt.date:
        return self.days[0] if self.days else self.order


@dataclass(frozen=True)
class RotationBreach:
    card: str
    run: tuple[Service, ...]      # the max_consecutive+1 successive occasions, the breach at the last


def occasions(services: Iterable[Service]) -> dict[str, list[tuple[dt.date, str, set[str], list[Service]]]]:
    """Per institution, its supervised sessions in date order: (first day, session, serving cards, visits).
    Two visits to one session are one occasion (a re-dispatch, not a second supervision)."""
    by_session: dict[str, list[Service]] = {}
    for service in services:
        by_session.setdefault(service.session, []).append(service)
    found: dict[str, list] = {}
    for session, visits in by_session.items():
        cards = set().union(*(v.cards for v in visits))
        first = min(v.first for v in visits)
        found.setdefault(visits[0].institution, []).append((first, session, cards, visits))
    for sequence in found.values():
        sequence.sort(key=lambda o: (o[0], o[1]))
    return found


def _window_holds(first: dt.date, last: dt.date, rules: DispatchRules) -> bool:
    return rules.within_days is None or (last - first).days <= rules.within_days


def rotation_breaches(services: Iterable[Service], rules: DispatchRules) -> list[RotationBreach]:
    """The same supervisor serving in max_consecutive+1 successive supervised sessions of one institution (all
    within `within_days` of the first when the rule has a window): a breach at the last of them."""
    limit = rules.max_consecutive
    if not limit:
        return []
    breaches = []
    for sequence in occasions(services).values():
        for card in sorted(set().union(*(o[2] for o in sequence))):
            run: list = []
            for occasion in sequence:
                run = run + [occasion] if card in occasion[2] else []
                if len(run) > limit and _window_holds(run[-limit - 1][0], run[-1][0], rules):
                    breaches.append(RotationBreach(card, tuple(next(v for v in o[3] if card in v.cards)
                                                                 for o in run[-limit - 1:])))
    return breaches


def rotation_text(rules: DispatchRules) -> str:
    window = f"{rules.within_days} 天之内" if rules.within_days else ""
    return f"{window}同一外督连续督导同一机构至多 {rules.max_consecutive} 次（{rules.rotation_source}）"


def one_place_clashes(services: Iterable[Service]) -> list[tuple[str, dt.date, Service, Service]]:
    """A supervisor serving two visits to different sessions that share a day: (card, day, earlier, later)."""
    seen: dict[tuple[str, dt.date], Service] = {}
    clashes = []
    for service in sorted(services, key=lambda s: (s.first, str(s.key))):
        for card in sorted(service.cards):
            for day in service.days:
                other = seen.get((card, day))
                if other is not None and other.session != service.session:
                    clashes.append((card, day, other, service))
                    break
                seen[(card, day)] = service
    return clashes
