"""人员管理及建设: qualifications of examiners and experts, examiners per occupation."""
from __future__ import annotations

from . import check, deficiency, needs_review, note

TITLE_RANK = {"无": 0, "初级": 1, "中级": 2, "副高级": 3, "正高级": 4}


def _related(skill_occupation: str | None, occupations: list) -> bool:
    """The skill level counts for 相关职业 when it is the same occupation or in the same 小类."""
    if not skill_occupation:
        return True  # not stated: taken as the examiner's own occupation, flagged by a note
    return any(skill_occupation == code or skill_occupation[:7] == str(code)[:7] for code in occupations)


def examiner_shortfalls(person: dict) -> list[str]:
    """Why an examiner does not meet the 考评人员队伍 conditions of the application form."""
    title = TITLE_RANK.get(person.get("title_level") or "无", 0)
    skill = person.get("skill_level")
    related = _related(person.get("skill_occupation"), person.get("occupations") or [])
    if person.get("grade") == "高级考评员":
        if title >= 3 or (skill == 1 and related):
            return []
        return ["高级考评员须具有高级职称（副高级及以上）或相关职业高级技师（一级）"]
    if title >= 2 or (skill is not None and skill <= 3 and related):
        return []
    return ["考评员须具有中级及以上职称或相关职业高级工（三级）及以上"]


def expert_shortfalls(person: dict) -> list[str]:
    title = TITLE_RANK.get(person.get("title_level") or "无", 0)
    if title >= 3 or person.get("skill_level") == 1:
        return []
    return ["专家须具有高级以上专业技术任职资格或高级技师以上职业资格"]


def _appointment_gaps(person: dict) -> list[str]:
    appointment = person.get("appointment") or {}
    gaps = []
    if appointment.get("agreement") is not True:
        gaps.append("未签订聘用协议")
    if appointment.get("letter") is not True:
        gaps.append("未颁发聘书")
    return gaps


@check("personnel.qualifications")
def qualifications(filing, ref, params):
    scope_codes = {e.get("code") for e in filing.items("scope", "occupations") if isinstance(e, dict)}
    for group, label in (("examiners", "考评员"), ("experts", "专家")):
        if not filing.items("personnel", group):
            yield deficiency(f"未聘任任何{label}（personnel.{group}），无法核对任职条件。", filing.at("personnel"))
    for group, label, rule in (("examiners", "考评员", examiner_shortfalls), ("experts", "专家", expert_shortfalls)):
        for index, person in enumerate(filing.items("personnel", group)):
            if not isinstance(person, dict):
                continue
            where = filing.at("personnel", group, index)
            role = person.get("grade", label) if group == "examiners" else label
            shortfalls = rule(person)
            if shortfalls and person.get("exceptional"):
                yield needs_review(f"{role} {person.get('name')} 按破格聘任申报（{person['exceptional']}），"
                                   f"不具备常规条件：{shortfalls[0]}；是否符合破格条件由专家判定。", where)
                shortfalls = []
            problems = shortfalls + _appointment_gaps(person)
            if problems:
                yield deficiency(f"{role} {person.get('name')} 不符合要求：{'；'.join(problems)}。", where)
            if group == "examiners":
                if person.get("skill_level") is not None and not person.get("skill_occupation") and TITLE_RANK.get(person.get("title_level") or "无", 0) < 2:
                    yield note(f"{role} {person.get('name')} 凭技能等级任职但未写技能等级所属职业（skill_occupation），无法核对是否为相关职业。", where)
                outside = [code for code in person.get("occupations") or [] if code not in scope_codes]
                if outside:
                    yield note(f"{role} {person.get('name')} 的考评职业 {'、'.join(outside)} 不在本次申请范围内。", where)


@check("personnel.examiner_count")
def examiner_count(filing, ref, params):
    minimum = params.get("min_per_occupation", 3)
    examiners = [p for p in filing.items("personnel", "examiners") if isinstance(p, dict)]
    for index, entry in enumerate(filing.items("scope", "occupations")):
        if not isinstance(entry, dict):
            continue
        count = sum(1 for p in examiners if entry.get("code") in (p.get("occupations") or []))
        if count < minimum:
            yield deficiency(f"{entry.get('code')} {entry.get('name')} 只有 {count} 名考评员，每一职业最少 {minimum} 名。",
                             filing.at("scope", "occupations", index))
