"""Who a session plan names and on which days, and who the institution's personnel lists hold.

One reading of the plan's people (考场负责人, 内督, 考务, 监考, 考评员, 回避申报人) for every place that needs
them: session-examiners checks that each is the institution's own, and the portal withholds their names.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import parse_date

# personnel.yaml's lists and what the handbook calls their members
PERSONNEL_GROUPS = {"staff": "工作人员", "experts": "专家", "examiners": "考评员", "supervisors": "内部质量督导人员"}


@dataclass(frozen=True)
class Named:
    role: str                # 考场负责人, 内部督导人员, 考务工作人员, 监考员, 考评员, 回避申报人
    name: str
    path: tuple              # where plan.yaml names them
    group: str | None = None  # the personnel list the role requires, where it requires one


def _name(value) -> str:
    return str(value).strip() if value is not None and not isinstance(value, (dict, list)) else ""


def venue_people(session) -> list[Named]:
    """Everyone a plan's 考点 name: leader, 内督, 考务 and each room's 监考."""
    found = []
    for v, venue in enumerate(session.items("plan", "venues")):
        if not isinstance(venue, dict):
            continue
        found.append(Named("考场负责人", _name(venue.get("leader")), ("venues", v, "leader")))
        found += [Named("内部督导人员", _name(n), ("venues", v, "supervisors", k), "supervisors")
                  for k, n in enumerate(venue.get("supervisors") or [])]
        found += [Named("考务工作人员", _name(n), ("venues", v, "affairs", k)) for k, n in enumerate(venue.get("affairs") or [])]
        for r, room in enumerate(venue.get("rooms") or []):
            if isinstance(room, dict):
                found += [Named("监考员", _name(n), ("venues", v, "rooms", r, "invigilators", k))
                          for k, n in enumerate(room.get("invigilators") or [])]
    return [person for person in found if person.name]


def plan_people(session) -> list[Named]:
    """venue_people, then every module's 考评员 and every 回避申报人."""
    found = venue_people(session)
    for i, occupation in enumerate(session.items("plan", "occupations")):
        for j, module in enumerate((occupation.get("modules") or []) if isinstance(occupation, dict) else []):
            if isinstance(module, dict):
                found += [Named("考评员", _name(n), ("occupations", i, "modules", j, "examiners", k), "examiners")
                          for k, n in enumerate(module.get("examiners") or [])]
    found += [Named("回避申报人", _name(a.get("person")), ("avoidance", a_index, "person"))
              for a_index, a in enumerate(session.items("plan", "avoidance")) if isinstance(a, dict)]
    return [person for person in found if person.name]


def personnel_by_name(filing) -> dict[str, dict[str, list[dict]]]:
    """name → personnel list → the listings of that name in it."""
    people: dict[str, dict[str, list[dict]]] = {}
    for group in PERSONNEL_GROUPS:
        for person in filing.items("personnel", group):
            if isinstance(person, dict) and _name(person.get("name")):
                people.setdefault(_name(person["name"]), {}).setdefault(group, []).append(person)
    return people


def exam_days(session) -> list[tuple[dt.date, tuple]]:
    """(day, where it is written) for every module date of the plan, in order."""
    days = []
    for i, occupation in enumerate(session.items("plan", "occupations")):
        for j, module in enumerate(occupation.get("modules") or [] if isinstance(occupation, dict) else []):
            day = parse_date(module.get("date")) if isinstance(module, dict) else None
            if day:
                days.append((day, ("occupations", i, "modules", j, "date")))
    return sorted(days)
