"""A session's venues, rooms and people, counted against the handbook's numbers.

seed 004 第五部分 四“考务人员安排”三：“每个考点应设考场负责人 1 名，内部督导人员 3 名，考务工作人员 2 名”；
五：“每 30 人的标准考场应配备监考员 2 人”；七：“每个职业（工种）至少有 3 名考评人员参加考评，每个考试模块配备
考评人员不少于 1 名”；“考场编排”一、三：按报名人数选择考场，理论考试“每个考场应具备30个考试作为”（标准考场）.
The numbers are the rule's params (rules/sheets/henan-2022-session.yaml); the readings where the seed is silent
(rooms above 30, rooms shared in time, what “职业（工种）” groups) are stated there and in the functions below.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from itertools import combinations

from . import check, deficiency
from ..context import CheckContext

THEORY, SKILL = "理论", "技能"
CAPACITY = {THEORY: ("seats", "座位"), SKILL: ("stations", "工位")}
WHOLE_DAY = (0, 24 * 60)
MAX_SUBSET = 10  # rooms shared in time by more modules than this: only the whole group and each module are checked


def _minutes(text) -> int | None:
    try:
        hours, minutes = str(text).split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        return None


@dataclass
class Sitting:
    """One exam module as it occupies rooms: who, when, where."""
    label: str
    candidates: int
    day: dt.date
    span: tuple[int, int]
    rooms: tuple[tuple[int, int], ...]  # (venue index, room index)
    path: tuple
    when: str

    def overlaps(self, other: "Sitting") -> bool:
        return self.day == other.day and self.span[0] < other.span[1] and other.span[0] < self.span[1]


def _label(occupation: dict) -> str:
    work_type = occupation.get("work_type")
    return f"{occupation.get('name') or occupation.get('code')}" + (f"（{work_type}）" if work_type else "")


def _room_text(venues, key) -> str:
    return str(venues[key[0]]["rooms"][key[1]].get("id"))


def _capacity(room: dict) -> int | None:
    value = room.get(CAPACITY.get(room.get("kind"), ("seats", ""))[0])
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _venues(session) -> list[dict]:
    return [v if isinstance(v, dict) else {} for v in session.items("plan", "venues")]


def _sittings(session, venues):
    """The modules with their rooms resolved, and findings for modules whose venue or rooms are not in the plan."""
    sittings, problems = [], []
    by_name = {v.get("name"): i for i, v in enumerate(venues)}
    for i, occupation in enumerate(session.items("plan", "occupations")):
        if not isinstance(occupation, dict):
            continue
        candidates = occupation.get("candidates") if isinstance(occupation.get("candidates"), int) else 0
        for j, module in enumerate(occupation.get("modules") or []):
            if not isinstance(module, dict):
                continue
            path = ("occupations", i, "modules", j)
            label = f"{_label(occupation)} {occupation.get('level')} 级 {module.get('name')}"
            name = module.get("venue")
            if name is None and len(venues) == 1:
                name = venues[0].get("name")  # one venue: a module need not repeat its name
            if name not in by_name:
                problems.append(deficiency(f"{label} 的考点“{name or '未填写'}”不在计划的考点（venues）中，无法核对考场容量和人员。",
                                           session.at("plan", *path), "在 venue 写上 venues 中的考点名称。"))
                continue
            v = by_name[name]
            ids = {str(room.get("id")): r for r, room in enumerate(venues[v].get("rooms") or []) if isinstance(room, dict)}
            unknown = [str(room) for room in module.get("rooms") or [] if str(room) not in ids]
            if unknown:
                problems.append(deficiency(f"{label} 的考场 {'、'.join(unknown)} 不在考点 {name} 的考场（rooms）中。",
                                           session.at("plan", *path, "rooms"), "在 rooms 写上该考点 rooms 中的考场编号。"))
            rooms = tuple((v, ids[str(room)]) for room in module.get("rooms") or [] if str(room) in ids)
            try:
                day = dt.date.fromisoformat(str(module.get("date")))
            except ValueError:
                continue
            start, end = _minutes(module.get("start")), _minutes(module.get("end"))
            span = (start, end) if start is not None and end is not None and start < end else WHOLE_DAY
            when = f"{day.isoformat()}" + (f" {module.get('start')}–{module.get('end')}" if span != WHOLE_DAY else "")
            if not rooms:
                if not unknown:
                    problems.append(deficiency(f"{label} 没有安排考场（rooms），无法核对座位或工位是否够用。",
                                               session.at("plan", *path), "写明本模块使用的考场编号。"))
                continue
            sittings.append(Sitting(label, candidates, day, span, rooms, path, when))
    return sittings, problems


def _groups(sittings: list[Sitting]) -> list[list[Sitting]]:
    """Modules linked by sharing a room at overlapping times (connected components)."""
    groups: list[list[Sitting]] = []
    for sitting in sittings:
        linked = [g for g in groups if any(s.overlaps(sitting) and set(s.rooms) & set(sitting.rooms) for s in g)]
        merged = [sitting] + [s for g in linked for s in g]
        groups = [g for g in groups if g not in linked] + [merged]
    return groups


def _capacity_findings(session, venues, sittings):
    """Every set of modules sitting at the same time must fit into the rooms they use together (Hall's condition:
    the modules' candidates can then be spread over their rooms); the smallest sets that do not fit are reported."""
    for group in _groups(sittings):
        group.sort(key=lambda s: s.path)
        sizes = range(1, len(group) + 1) if len(group) <= MAX_SUBSET else (1, len(group))
        failing: list[frozenset] = []
        for size in sizes:
            for subset in combinations(range(len(group)), size):
                members = frozenset(subset)
                if any(f <= members for f in failing):
                    continue
                chosen = [group[k] for k in subset]
                if not all(a.overlaps(b) for a, b in combinations(chosen, 2)):
                    continue  # not all in the rooms at one moment (pairwise overlapping intervals share a moment)
                rooms = sorted({key for s in chosen for key in s.rooms})
                capacities = [_capacity(venues[v]["rooms"][r]) for v, r in rooms]
                if any(c is None for c in capacities):
                    continue  # reported once per room below
                seats, people = sum(capacities), sum(s.candidates for s in chosen)
                if people <= seats:
                    continue
                failing.append(members)
                units = "/".join(dict.fromkeys(CAPACITY.get(venues[v]["rooms"][r].get("kind"), ("", "座位"))[1]
                                               for v, r in rooms))
                room_text = "、".join(_room_text(venues, key) for key in rooms)
                first = chosen[0]
                if size == 1:
                    text = f"{first.label}（{first.when}）有 {people} 名考生，考场 {room_text} 只有 {seats} 个{units}"
                else:
                    who = "、".join(f"{s.label}（{s.candidates} 人，{s.when}）" for s in chosen)
                    text = f"同时在考场 {room_text} 考试的 {who}共 {people} 名考生，这些考场合计只有 {seats} 个{units}"
                yield deficiency(f"{text}：座位和工位不得少于同时参加考试的人数。", session.at("plan", *first.path),
                                 "增加考场或工位，或把模块错开时间、分批安排。")
    for v, venue in enumerate(venues):
        for r, room in enumerate(venue.get("rooms") or []):
            if isinstance(room, dict) and any((v, r) in s.rooms for s in sittings) and _capacity(room) is None:
                field, unit = CAPACITY.get(room.get("kind"), ("seats", "座位"))
                yield deficiency(f"{room.get('kind') or ''}考场 {room.get('id')} 没有写{unit}数（{field}），无法核对是否够用。",
                                 session.at("plan", "venues", v, "rooms", r), f"写明本次可用的{unit}数 {field}。")


def _occupancy(room_key, room: dict, sittings) -> int:
    """The most candidates in a room at once: the modules using it at overlapping times, at most its seats
    (a module spread over several rooms puts no more in one room than it seats)."""
    using = [s for s in sittings if room_key in s.rooms]
    peak = 0
    for sitting in using:
        together = sum(s.candidates for s in using if s is sitting or s.overlaps(sitting))
        seats = _capacity(room)
        peak = max(peak, min(together, seats) if seats is not None else together)
    return peak


def _names(values) -> list[str]:
    return [str(v) for v in values or [] if v]


@check("session_staffing.staffed")
def staffed(ctx: CheckContext):
    session, params = ctx.subject, ctx.params
    leaders = params.get("leaders_per_venue", 1)
    supervisors = params.get("supervisors_per_venue", 3)
    affairs = params.get("affairs_per_venue", 2)
    per_room = params.get("invigilators_per_standard_room", 2)
    standard = params.get("standard_room_seats", 30)
    per_occupation = params.get("examiners_per_occupation", 3)
    per_module = params.get("examiners_per_module", 1)
    venues = _venues(session)
    has_modules = any(isinstance(o, dict) and o.get("modules") for o in session.items("plan", "occupations"))
    if not venues and has_modules:
        yield deficiency("计划安排了考试模块，但没有写考点（venues）：考点的考场负责人、内部督导、考务人员和考场无从核对。",
                         session.at("plan"), "写明考点、考场和考务人员（直接认定不组织考试，可不写考点和考试模块）。")

    # 考务人员安排 三: per venue
    for v, venue in enumerate(venues):
        name = venue.get("name") or f"第 {v + 1} 个考点"
        where = session.at("plan", "venues", v)
        if leaders and not venue.get("leader"):
            yield deficiency(f"考点 {name} 没有写考场负责人（leader）：每个考点应设考场负责人 {leaders} 名。", where,
                             "写明考场负责人（personnel.yaml 中的姓名）。")
        for key, wanted, title in (("supervisors", supervisors, "内部督导人员"), ("affairs", affairs, "考务工作人员")):
            people = _names(venue.get(key))
            if len(people) < wanted:
                listed = f"（{'、'.join(people)}）" if people else ""
                yield deficiency(f"考点 {name} 只有 {len(people)} 名{title}{listed}：每个考点应设{title} {wanted} 名，还差 "
                                 f"{wanted - len(people)} 名。", session.at("plan", "venues", v, key) if people else where,
                                 f"在 {key} 中补足{title}（personnel.yaml 中的姓名）。")

    sittings, problems = _sittings(session, venues)
    yield from problems
    yield from _capacity_findings(session, venues, sittings)

    # 考务人员安排 五: invigilators per theory room, by the candidates sitting in it at once
    for v, venue in enumerate(venues):
        for r, room in enumerate(venue.get("rooms") or []):
            if not isinstance(room, dict) or room.get("kind") != THEORY:
                continue
            peak = _occupancy((v, r), room, sittings)
            if peak <= 0:
                continue
            wanted = per_room * math.ceil(peak / standard)
            people = _names(room.get("invigilators"))
            if len(people) < wanted:
                basis = (f"每 {standard} 人的标准考场应配备监考员 {per_room} 人" if wanted == per_room else
                         f"每 {standard} 人配备监考员 {per_room} 人，{peak} 人须 {wanted} 人")
                listed = f"（{'、'.join(people)}）" if people else ""
                at = session.at("plan", "venues", v, "rooms", r, "invigilators") if people else \
                    session.at("plan", "venues", v, "rooms", r)
                yield deficiency(f"理论考场 {room.get('id')}（{venue.get('name')}）同时最多有 {peak} 名考生，只安排了 {len(people)} 名监考"
                                 f"{listed}：{basis}。", at, f"在 invigilators 中补足监考员，共 {wanted} 名。")

    # 考务人员安排 七: examiners per occupation（工种） and per module
    by_occupation: dict[tuple, dict] = {}
    for i, occupation in enumerate(session.items("plan", "occupations")):
        if not isinstance(occupation, dict) or not occupation.get("modules"):
            continue
        key = (str(occupation.get("code")), occupation.get("work_type"))
        entry = by_occupation.setdefault(key, {"label": _label(occupation), "index": i, "people": {}})
        for j, module in enumerate(occupation.get("modules") or []):
            if not isinstance(module, dict):
                continue
            people = _names(module.get("examiners"))
            entry["people"].update(dict.fromkeys(people))
            if len(people) < per_module:
                yield deficiency(f"{_label(occupation)} {occupation.get('level')} 级 {module.get('name')} 没有安排考评人员："
                                 f"每个考试模块配备考评人员不少于 {per_module} 名。",
                                 session.at("plan", "occupations", i, "modules", j),
                                 "在 examiners 中写明本模块的考评员（personnel.yaml 中的姓名）。")
    for (code, _), entry in by_occupation.items():
        people = list(entry["people"])
        if len(people) < per_occupation:
            listed = f"（{'、'.join(people)}）" if people else ""
            yield deficiency(f"{entry['label']}（{code}）只有 {len(people)} 名考评人员参加考评{listed}：每个职业（工种）至少有 "
                             f"{per_occupation} 名考评人员参加考评，还差 {per_occupation - len(people)} 名。",
                             session.at("plan", "occupations", entry["index"]),
                             "在该职业各考试模块的 examiners 中补足考评员。")
