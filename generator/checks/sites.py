"""场地设施设备 and 考核场所安全文明: rooms, archive, equipment, safety."""
from __future__ import annotations

from . import check, deficiency, needs_review, note
from ..context import CheckContext


@check("sites.office")
def office(ctx: CheckContext):
    filing = ctx.subject
    office = filing.section("sites", "office")
    if not office:
        yield deficiency("未填写评价机构办公场所（sites.office）。", filing.at("sites"))
        return
    if not office.get("area"):
        yield deficiency("办公场所未写面积。", filing.at("sites", "office"))
    if not office.get("equipment"):
        yield deficiency("未列出办公设备（sites.office.equipment）。", filing.at("sites", "office"))


@check("sites.archive")
def archive(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    room = filing.section("sites", "archive_room")
    if not room:
        yield deficiency("没有档案资料存放场所（sites.archive_room）。", filing.at("sites"))
        return
    paper, electronic = params.get("paper_years", 3), params.get("electronic_years", 5)
    if (room.get("paper_years") or 0) < paper:
        have = f"纸质材料保存年限 {room['paper_years']} 年" if room.get("paper_years") is not None else "未填写纸质材料保存年限"
        yield deficiency(f"{have}，要求至少 {paper} 年。",
                         filing.at("sites", "archive_room", "paper_years") if "paper_years" in room else filing.at("sites", "archive_room"))
    if (room.get("electronic_years") or 0) < electronic:
        have = f"电子材料保存年限 {room['electronic_years']} 年" if room.get("electronic_years") is not None else "未填写电子材料保存年限"
        yield deficiency(f"{have}，要求至少 {electronic} 年。",
                         filing.at("sites", "archive_room", "electronic_years") if "electronic_years" in room else filing.at("sites", "archive_room"))


@check("sites.theory_rooms")
def theory_rooms(ctx: CheckContext):
    filing = ctx.subject
    rooms = filing.items("sites", "theory_rooms")
    if not rooms:
        yield deficiency("未填写理论知识考场（sites.theory_rooms）。", filing.at("sites"))
        return
    for index, room in enumerate(rooms):
        missing = [label for key, label in (("area", "面积"), ("count", "数量")) if not room.get(key)]
        if missing:
            yield deficiency(f"理论考场“{room.get('location')}”未写{'、'.join(missing)}。", filing.at("sites", "theory_rooms", index))
        if room.get("video") is not True:
            yield deficiency(f"理论考场“{room.get('location')}”没有视频监控。", filing.at("sites", "theory_rooms", index))


def _scope_codes(filing) -> list[tuple[int, str, str]]:
    return [(i, e.get("code"), e.get("name")) for i, e in enumerate(filing.items("scope", "occupations")) if isinstance(e, dict)]


@check("sites.practical_sites")
def practical_sites(ctx: CheckContext):
    filing = ctx.subject
    sites = filing.items("sites", "practical_sites")
    equipment = {e.get("occupation") for e in filing.items("sites", "equipment") if isinstance(e, dict) and e.get("items")}
    by_occupation: dict[str, list[int]] = {}
    for index, site in enumerate(sites):
        by_occupation.setdefault(site.get("occupation"), []).append(index)
        missing = [label for key, label in (("area", "面积"),) if not site.get(key)]
        if missing:
            yield deficiency(f"技能考场“{site.get('location')}”未写{'、'.join(missing)}。", filing.at("sites", "practical_sites", index))
        if site.get("video") is not True:
            yield deficiency(f"技能考场“{site.get('location')}”没有视频监控。", filing.at("sites", "practical_sites", index))
    for index, code, name in _scope_codes(filing):
        if code not in by_occupation:
            yield deficiency(f"申请职业 {code} {name} 没有操作技能考核场所。", filing.at("scope", "occupations", index))
        elif code not in equipment:
            yield deficiency(f"申请职业 {code} {name} 的考核场所未列设备数量（sites.equipment）。", filing.at("scope", "occupations", index))


@check("sites.equipment")
def equipment(ctx: CheckContext):
    filing = ctx.subject
    lists = {e.get("occupation"): i for i, e in enumerate(filing.items("sites", "equipment")) if isinstance(e, dict)}
    for index, code, name in _scope_codes(filing):
        if code not in lists:
            yield deficiency(f"{code} {name} 没有设施设备清单；不能满足拟评价职业需要的，该职业（工种）不予备案。",
                             filing.at("scope", "occupations", index))
            continue
        items = filing.items("sites", "equipment", lists[code], "items")
        rented = sum(1 for item in items if item.get("ownership") == "租赁")
        if rented:
            yield note(f"{name} 的设备中有 {rented} 项为租赁，请准备租赁合同备查。", filing.at("sites", "equipment", lists[code]))
    yield needs_review("设施设备数量、性能是否满足各职业（工种）的考核需要，由专家酌情判定。", filing.at("sites", "equipment"))


@check("sites.safety")
def safety(ctx: CheckContext):
    filing = ctx.subject
    safety = filing.section("sites", "safety")
    where = filing.at("sites", "safety") if safety else filing.at("sites")
    labels = {"evacuation_signs": "紧急疏散指示等标识", "fire_equipment": "消防栓、灭火器等消防设施",
              "rules_posted": "用电、动火、设备使用等安全制度上墙"}
    for key, label in labels.items():
        if safety.get(key) is not True:
            yield note(f"资料中未确认“{label}”，现场考察时重点核查。", where)
    for index, hazard in enumerate(safety.get("hazards") or []):
        yield note(f"自报安全隐患：{hazard}", filing.at("sites", "safety", "hazards", index))
    yield needs_review("是否存在较大安全隐患须专家现场考察后判定（否决项），请在 reviews.yaml 记录“通过”或“否决”。", where)
