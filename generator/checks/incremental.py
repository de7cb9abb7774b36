"""Conditions for each occupation a filing applies for (增量备案: the ones marked 新增).

Which scope items a filing applies for is its category's data (categories.filed_occupations),
not a category name here. Each condition is met, unmet, or waits for a person's judgment;
none of them carries points (the rule set's policy is "conditions", generator/decision.py).
"""
from __future__ import annotations

from . import check, deficiency, needs_review, note
from ..context import CheckContext
from . import personnel
from .basis import MIN_SPEC_REVIEWERS, standard_of
from ..categories import filed_occupations


def _label(entry: dict) -> str:
    return f"{entry.get('code')} {entry.get('name')}"


@check("incremental.examiners")
def examiners(ctx: CheckContext):
    # The same count as the 100-point sheet's staff-examiner-count, over the added occupations only.
    filing, ref, params = ctx.subject, ctx.reference, ctx.params
    yield from personnel.examiners_per_occupation(filing, ref, params, filed_occupations(filing))


@check("incremental.sites")
def sites(ctx: CheckContext):
    filing = ctx.subject
    practical = [(i, s) for i, s in enumerate(filing.items("sites", "practical_sites")) if isinstance(s, dict)]
    equipment = {e.get("occupation"): i for i, e in enumerate(filing.items("sites", "equipment"))
                 if isinstance(e, dict) and e.get("items")}
    checked = []
    for index, entry in filed_occupations(filing):
        where = filing.at("scope", "occupations", index)
        rooms = [(i, s) for i, s in practical if s.get("occupation") == entry.get("code")]
        if not rooms:
            yield deficiency(f"{_label(entry)} 没有操作技能考核场所（sites.practical_sites）。", where)
        for i, room in rooms:
            missing = [label for key, label in (("location", "地点"), ("area", "面积")) if not room.get(key)]
            if missing:
                yield deficiency(f"{_label(entry)} 的技能考场未写{'、'.join(missing)}。", filing.at("sites", "practical_sites", i))
            if room.get("video") is not True:
                yield deficiency(f"{_label(entry)} 的技能考场“{room.get('location')}”没有视频监控（申请表：考场要安装监控设备）。",
                                 filing.at("sites", "practical_sites", i))
        if entry.get("code") not in equipment:
            yield deficiency(f"{_label(entry)} 没有设施设备清单（sites.equipment）；不能满足拟评价职业需要的，该职业（工种）不予备案。",
                             where)
        else:
            checked.append(filing.at("sites", "equipment", equipment[entry.get("code")]))
        checked += [filing.at("sites", "practical_sites", i) for i, _ in rooms]
    if checked:
        yield needs_review("新增职业的考核场所和设施设备数量、性能是否满足考核需要，由审核人员查阅资料或现场核查后判定。",
                           filing.at("sites", "equipment"), about=tuple(checked))


@check("incremental.basis")
def basis(ctx: CheckContext):
    filing, ref, params = ctx.subject, ctx.reference, ctx.params
    minimum = params.get("min_spec_reviewers", MIN_SPEC_REVIEWERS)
    for index, entry in filed_occupations(filing):
        where = filing.at("scope", "occupations", index)
        standard = standard_of(ref, entry)
        known_standard = standard is not None and standard.exists is True and standard.verified
        no_standard = standard is not None and standard.exists is False
        if entry.get("basis") == "评价规范":
            spec = entry.get("specification") or {}
            reviewers = spec.get("reviewers") or []
            if known_standard:
                yield deficiency(f"{_label(entry)} 已有{standard.title or '国家职业技能标准'}，须依据国家标准认定，"
                                 f"不能以自主开发的评价规范代替。", where)
            elif not spec.get("file"):
                yield deficiency(f"{_label(entry)} 按评价规范认定，但未提供有专家签字的评价规范（specification.file）。", where)
            elif len(reviewers) < minimum:
                yield deficiency(f"{_label(entry)} 的评价规范只有 {len(reviewers)} 名专家评审，须 {minimum} 人以上。", where)
        elif entry.get("basis") == "国家职业技能标准":
            if no_standard and standard.verified:
                yield deficiency(f"{_label(entry)} 没有国家职业技能标准，须按评价规范认定（经 {minimum} 人以上专家评审）。", where)
            elif no_standard:
                yield needs_review(f"{_label(entry)} 未查到国家职业技能标准，是否有国家标准由审核人员核实。", where)
            elif entry.get("standard_held") is not True:
                yield note(f"{_label(entry)} 未声明备有国家职业技能标准文本（standard_held）。", where)
        else:
            yield deficiency(f"{_label(entry)} 未写明评价标准（basis：国家职业技能标准 或 评价规范）。", where)
