"""回避: who must keep away from what in one session.

- seed 004 第六部分 答疑 4, seed 000 第八条（八）, seed 002 第十六条: a 内部督导员 may be an examiner elsewhere,
  but never in the session he supervises (“同一场次的督导员不能担任考评员”).
- seed 004 第五部分“考评员回避制度”三: whoever declares a relative or a pupil among the candidates (plan.yaml
  `avoidance:`) must not examine them: “不监考、不评卷、不评分”. A candidate's modules follow from the roster row
  (occupation, 工种, level) → the plan's occupation entry → its modules and their examiners and rooms.
"""
from __future__ import annotations

from . import check, deficiency, needs_review
from ..context import CheckContext


def _text(value) -> str | None:
    return str(value) if value is not None else None


def plan_entries_for(session, row: dict) -> list[tuple[int, dict]]:
    """(index, entry) of the plan's occupation entries a roster row is entered for: same code and level, and
    the same 工种 where both name one (a row or an entry without 工种 matches any)."""
    found = []
    for index, entry in enumerate(session.items("plan", "occupations")):
        if not isinstance(entry, dict):
            continue
        if _text(entry.get("code")) != _text(row.get("occupation")) or entry.get("level") != row.get("level"):
            continue
        mine, theirs = row.get("work_type"), entry.get("work_type")
        if mine and theirs and mine != theirs:
            continue
        found.append((index, entry))
    return found


def occupation_label(entry: dict, level_names: dict | None = None) -> str:
    work_type = entry.get("work_type")
    level = entry.get("level")
    level_text = (level_names or {}).get(level, f"{level} 级") if level is not None else "等级未填"
    return f"{entry.get('name') or entry.get('code') or entry.get('occupation')}" + (f"（{work_type}）" if work_type else "") + \
        f" {level_text}"


def _modules(entry: dict) -> list[tuple[int, dict]]:
    return [(j, m) for j, m in enumerate(entry.get("modules") or []) if isinstance(m, dict)]


def _names(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


@check("session_avoidance.no_conflict")
def no_conflict(ctx: CheckContext):
    session, levels = ctx.subject, ctx.reference.level_names
    yield from _supervisors_not_examiners(session, levels)
    yield from _declared_avoidance(session, levels)


def _supervisors_not_examiners(session, levels):
    supervisors = {}
    for v, venue in enumerate(session.items("plan", "venues")):
        if isinstance(venue, dict):
            for name in _names(venue.get("supervisors")):
                supervisors.setdefault(name, venue.get("name") or f"第 {v + 1} 个考点")
    examined: dict[str, list] = {}
    for i, entry in enumerate(session.items("plan", "occupations")):
        if not isinstance(entry, dict):
            continue
        for j, module in _modules(entry):
            for name in _names(module.get("examiners")):
                if name in supervisors:
                    examined.setdefault(name, []).append((i, j, f"{occupation_label(entry, levels)}“{module.get('name')}”"))
    for name, places in examined.items():
        i, j, _ = places[0]
        listed = "、".join(label for _, _, label in places)
        yield deficiency(f"{name} 是{supervisors[name]}的内部督导员，又担任本场次 {listed} 的考评人员；"
                         "同一场次的督导员不能担任考评员。",
                         session.at("plan", "occupations", i, "modules", j, "examiners"),
                         f"另选考评员替下 {name}，或把 {name} 从本场次的内部督导员中换下。")


def _declared_avoidance(session, levels):
    declarations = [(i, d) for i, d in enumerate(session.items("plan", "avoidance")) if isinstance(d, dict)]
    if not declarations:
        return
    if "roster" not in session.docs:
        yield needs_review("计划中有回避申报，但没有考生名册（roster.yaml），无法核对申报人是否考评了所涉考生；"
                           "请提交名册，或由审核人员核对。", session.at("plan", "avoidance"))
        return
    rows = {}
    for row in session.items("roster", "candidates"):
        if isinstance(row, dict) and row.get("number") is not None:
            rows.setdefault(str(row["number"]), row)
    rooms = _invigilators(session)
    for i, declaration in declarations:
        person, reason = declaration.get("person"), declaration.get("reason") or "回避"
        for k, number in enumerate(declaration.get("candidates") or []):
            number = str(number)
            row = rows.get(number)
            where = session.at("plan", "avoidance", i, "candidates", k)
            if row is None:
                yield deficiency(f"{person} 的回避申报涉及考号 {number}，名册（roster.yaml）中没有这名考生，"
                                 "无法核对回避是否落实。", where,
                                 "核对考号：写错的改为名册中的考号；考生已不参加本次认定的，从申报中删去。")
                continue
            for index, entry in plan_entries_for(session, row):
                label = occupation_label(entry, levels)
                for j, module in _modules(entry):
                    module_where = session.at("plan", "occupations", index, "modules", j)
                    if person in _names(module.get("examiners")):
                        yield deficiency(f"{person} 申报回避考生 {number}（{reason}），却是该考生所考 {label}"
                                         f"“{module.get('name')}”的考评人员；回避者不监考、不评卷、不评分。",
                                         session.at("plan", "occupations", index, "modules", j, "examiners"),
                                         f"为该模块另选考评员替下 {person}。")
                    watched = [room for room in _names(module.get("rooms"))
                               if person in rooms.get((module.get("venue"), room), ())]
                    if not watched:
                        continue
                    if len(watched) == len(_names(module.get("rooms"))):
                        yield deficiency(f"{person} 申报回避考生 {number}（{reason}），却是该考生所考 {label}"
                                         f"“{module.get('name')}”考场 {'、'.join(watched)} 的监考人员；回避者不监考。",
                                         module_where, f"换一名监考员替下 {person}。")
                    else:
                        yield needs_review(f"{person} 申报回避考生 {number}（{reason}），又在 {label}“{module.get('name')}”"
                                           f"的考场 {'、'.join(watched)} 监考；须把该考生编排在 {person} 不监考的考场，"
                                           "由审核人员对照考场编排核对。", module_where)


def _invigilators(session) -> dict[tuple, list[str]]:
    """(venue name, room id) → the room's invigilators."""
    found = {}
    for venue in session.items("plan", "venues"):
        if not isinstance(venue, dict):
            continue
        for room in venue.get("rooms") or []:
            if isinstance(room, dict):
                found[(venue.get("name"), room.get("id"))] = _names(room.get("invigilators"))
    return found
