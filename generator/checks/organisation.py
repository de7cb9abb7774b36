"""组织机构保障: leading group, implementing body, internal quality supervision group."""
from __future__ import annotations

from . import check, deficiency, needs_review, note
from ..context import CheckContext


def _document_ok(document) -> bool:
    return isinstance(document, dict) and bool(document.get("number") or document.get("file"))


@check("organisation.leading_group")
def leading_group(ctx: CheckContext):
    filing = ctx.subject
    group = filing.section("scheme", "organisation", "leading_group")
    where = filing.at("scheme", "organisation", "leading_group")
    if not group:
        yield deficiency("未成立职业技能等级评价工作领导小组（scheme.organisation.leading_group）。", filing.at("scheme"))
        return
    if not _document_ok(group.get("document")):
        yield deficiency("领导小组缺少成立文件（文号或文件扫描件）。", where)
    members = group.get("members") or []
    if not members:
        yield deficiency("领导小组未列出成员组成。", where)
    elif not any("组长" in (m.get("role") or "") and "副" not in (m.get("role") or "") for m in members):
        # Named members make the 成员组成 clear; the standard does not ask for the title 组长.
        yield note("领导小组成员中没有写明“组长”（members 的 role）：请核对是否漏写，如 role: 组长。"
                   "成员已逐一列出，评估标准“成员组成和管理职能不明确”不以组长称谓判定，不扣分。",
                   filing.at("scheme", "organisation", "leading_group", "members"))
    if not group.get("duties"):
        yield deficiency("领导小组未写明管理职能（duties）。", where)


@check("organisation.implementing_body")
def implementing_body(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    center = filing.section("scheme", "organisation", "center")
    if not filing.get("profile", "center", "name"):
        yield deficiency("未设置专门实施机构（profile.center.name）。", filing.at("profile"))
    # The standard names only 无专门实施机构 and 专职工作人员不足2人: the rest of the 评估内容 is reported, not scored.
    where = filing.at("scheme", "organisation", "center") if center else filing.at("scheme", "organisation")
    if not _document_ok(center.get("document")):
        yield note("实施机构未附成立文件（scheme.organisation.center.document 写文号或扫描件）：评估方式是“对照方案查看文件”，"
                   "请补上。评估标准只对“无专门实施机构或专职工作人员不足2人”不给分，不扣分。", where)
    if not center.get("duties"):
        yield note("实施机构未写明主要职责（scheme.organisation.center.duties）：评估内容要求“明确其人员组成和主要职责”，"
                   "请补写。评估标准只对“无专门实施机构或专职工作人员不足2人”不给分，不扣分。", where)
    staff = filing.items("personnel", "staff")
    full_time = [p for p in staff if isinstance(p, dict) and p.get("full_time") is True]
    minimum = params.get("min_full_time", 2)
    if len(full_time) < minimum:
        yield deficiency(f"专职工作人员 {len(full_time)} 人，不足 {minimum} 人（personnel.staff 中 full_time: true）。",
                         filing.at("personnel", "staff") if staff else filing.at("personnel"))


@check("organisation.supervision_group")
def supervision_group(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    group = filing.section("scheme", "organisation", "supervision_group")
    supervisors = filing.items("personnel", "supervisors")
    minimum = params.get("min_members", 3)
    if not group:
        yield deficiency("未成立内部质量督导组（scheme.organisation.supervision_group）。", filing.at("scheme"))
    elif not group.get("duties"):
        yield deficiency("内部质量督导组未写明职责。", filing.at("scheme", "organisation", "supervision_group"))
    if len(supervisors) < minimum:
        yield deficiency(f"内部质量督导人员 {len(supervisors)} 人，少于每次认定须派遣的 {minimum} 人。",
                         filing.at("personnel", "supervisors") if supervisors else filing.at("personnel"))
    for index, person in enumerate(supervisors):
        if isinstance(person, dict) and not person.get("duty"):
            yield deficiency(f"内部质量督导员 {person.get('name')} 未写明主要职责。", filing.at("personnel", "supervisors", index))
    yield from _supervisor_years(filing, supervisors, minimum, params.get("min_supervisor_years", 3))
    examiner_names = {p.get("name") for p in filing.items("personnel", "examiners") if isinstance(p, dict)}
    for index, person in enumerate(supervisors):
        if isinstance(person, dict) and person.get("name") in examiner_names:
            yield note(f"{person.get('name')} 同时是考评员：同一场次不得兼任内部督导员和考评员，排考时须回避。",
                       filing.at("personnel", "supervisors", index, "name"))


def _supervisor_years(filing, supervisors: list, minimum: int, years: int):
    """《质量督导人员管理办法》第一条: 督导员 come from examiners (or related managers) with YEARS of
    assessment work. The group sent to each 认定 is MINIMUM of them (第三条), so the list is reasonable
    while MINIMUM members qualify; the others are named, and only decide the points when too few qualify."""
    people = [(i, p) for i, p in enumerate(supervisors) if isinstance(p, dict)]
    qualified = [p.get("name") for _, p in people if isinstance(p.get("years_in_assessment"), int)
                 and p["years_in_assessment"] >= years]
    short = [(i, p) for i, p in people if isinstance(p.get("years_in_assessment"), int) and p["years_in_assessment"] < years]
    unknown = [(i, p) for i, p in people if not isinstance(p.get("years_in_assessment"), int)]
    rule = f"《质量督导人员管理办法》第一条：督导员须从事认定考评工作 {years} 年以上（或为相关管理人员）"
    counted = f"符合条件的督导员 {len(qualified)} 人（{'、'.join(map(str, qualified)) or '无'}）"
    enough = len(qualified) >= minimum
    too_few = len(people) < minimum  # a deficiency of its own, reported by the caller
    for index, person in short:
        text = f"内部质量督导员 {person.get('name')} 从事认定工作 {person['years_in_assessment']} 年，不足 {years} 年（{rule}）"
        where = filing.at("personnel", "supervisors", index)
        if enough:
            yield note(f"{text}；{counted}，够每次派遣的 {minimum} 人，但该员暂不宜派遣。", where)
        elif too_few or len(qualified) + len(unknown) >= minimum:
            yield note(f"{text}。", where)
        else:
            yield deficiency(f"{text}；{counted}，不足每次认定须派遣的 {minimum} 人，督导组成员组成不合理。"
                             f"请改聘符合条件的督导员。", where)
    for index, person in unknown:
        text = (f"内部质量督导员 {person.get('name')} 未写从事认定工作年限（years_in_assessment），无法核对{rule}；"
                f"补写后程序即可判定")
        where = filing.at("personnel", "supervisors", index)
        if enough or too_few:
            yield note(f"{text}。", where)
        else:
            yield needs_review(f"{text}；{counted}，不足 {minimum} 人，须专家组核对。", where)
