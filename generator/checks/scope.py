"""评价范围对象方式: who is assessed, in which occupations and levels, and how."""
from __future__ import annotations

from . import check, deficiency, needs_review, note
from ..context import CheckContext
from .basis import standard_of

ALLOWED_TARGETS = ("在校学生", "在职教职工")
# 大类 1 (负责人), 2 (专业技术人员), 7 (军人), 8 (不便分类) are not skill-type occupations.
NON_SKILL_MAJOR_GROUPS = {"1": "党的机关、国家机关等负责人", "2": "专业技术人员", "7": "军队人员", "8": "不便分类的其他从业人员"}


@check("scope.targets")
def targets(ctx: CheckContext):
    filing = ctx.subject
    chosen = filing.items("scheme", "targets")
    if not chosen:
        yield deficiency("工作方案未写明认定对象（scheme.targets）。", filing.at("scheme"))
        return
    for index, target in enumerate(chosen):
        if target not in ALLOWED_TARGETS:
            yield deficiency(f"认定对象“{target}”不符合规定：院校只能认定本校注册学籍的在校学生和在职教职工。",
                             filing.at("scheme", "targets", index))


@check("scope.occupations")
def occupations(ctx: CheckContext):
    filing, ref = ctx.subject, ctx.reference
    entries = filing.items("scope", "occupations")  # the schema requires at least one
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        code, name = entry.get("code"), entry.get("name")
        where = filing.at("scope", "occupations", index)
        if code in seen:
            yield note(f"职业 {code} 重复申报（第 {seen[code] + 1} 项与第 {index + 1} 项），请合并。", where)
        seen.setdefault(code, index)
        occupation = ref.occupations.get(code)
        if name in ref.group_names:
            yield deficiency(f"“{name}”是职业分类大典的{ref.group_names[name]}名称，不能作为职业名称申报。",
                             filing.at("scope", "occupations", index, "name"))
            continue
        old = ref.edition_2015(code, name)
        if old is not None:
            yield from _edition_2015(filing, ref, entry, index, old)
            continue
        if occupation is None:
            yield deficiency(f"职业编码 {code} 不在《职业分类大典（2022年版）》中，也不是 2015 年版大典“{name}”的编码"
                             f"{_code_hint(ref, code, name)}。",
                             filing.at("scope", "occupations", index, "code"))
            continue
        if occupation.name != name:
            by_name = ref.occupations_by_name.get(name) or []
            hint = f"（“{name}”的编码是 {by_name[0].code}）" if by_name else ""
            yield deficiency(f"职业编码 {code} 在大典中是“{occupation.name}”，申报名称却是“{name}”{hint}。",
                             filing.at("scope", "occupations", index, "name"))
            continue
        if occupation.major_code in NON_SKILL_MAJOR_GROUPS:
            yield _not_skill(code, name, occupation.major_code, where)
            continue
        yield from _job_types(filing, ref, entry, index, code)


def _not_skill(code, name, major_code, where):
    return deficiency(f"{code} {name} 属于第 {major_code} 大类（{NON_SKILL_MAJOR_GROUPS[major_code]}），"
                      "不是技能类职业，不能开展职业技能等级认定。", where)


def _code_hint(ref, code, name) -> str:
    """What the staff probably meant by a code the catalogue does not have."""
    by_name = ref.occupations_by_name.get(name) or []
    if by_name:
        return f"（“{name}”在大典中的编码是 {by_name[0].code}）"
    old = ref.occupations_2015.get(code)
    if old is not None and old.trusted:
        return f"（2015 年版大典中 {code} 是“{old.name}”）"
    nearest = ref.nearest_codes(str(code))
    if nearest:
        return "（是不是 " + "、".join(f"{o.code} {o.name}" for o in nearest) + "？）"
    return ""


def _edition_2015(filing, ref, entry, index, old):
    """A code and name valid in the 2015 catalogue (derived codes) but not as a pair in 2022."""
    code, name = entry.get("code"), entry.get("name")
    where = filing.at("scope", "occupations", index, "code")
    if not old.trusted:
        yield needs_review(f"{code} {name} 只见于 2015 年版大典的推导编码表，而该行是从 GB/T 6565-2015 PDF 文本解析时"
                           "存疑的行（rules/reference/SOURCES.md），不能据此认定编码与名称，请专家对照 2015 年版大典核实。", where)
        return
    major = ref.occupations[old.code_2022].major_code if old.code_2022 else old.major_code
    if major in NON_SKILL_MAJOR_GROUPS:
        yield _not_skill(code, name, major, filing.at("scope", "occupations", index))
        return
    current = ref.occupations.get(code)
    now = f"；2022 年版中 {code} 是“{current.name}”" if current is not None else ""
    if old.code_2022:
        yield note(f"{code} {name} 是 2015 年版大典的编码，2022 年版大典中“{name}”的编码是 {old.code_2022}{now}。"
                   f"两版均可申报，不扣分；标准、等级和工种按 {old.code_2022} 对照，建议改用 2022 年版编码。", where)
    else:
        yield note(f"{code} {name} 是 2015 年版大典的职业，2022 年版大典已无同名职业{now}。两版均可申报，不扣分；"
                   "其标准、等级和工种无法按 2022 年版对照，建议改按 2022 年版大典申报。", where)
    yield from _job_types(filing, ref, entry, index, old.code_2022 or None)


def _job_types(filing, ref, entry, index, code):
    """工种 of an applied occupation, looked up under its 2022 code."""
    standard = ref.standards.get(code)
    jobs = entry.get("job_types") or []
    count = standard.catalogue_job_type_count if standard else None
    if not jobs and count:
        # 第三部分 二（三）、填表说明 6: a notice, not a deduction (see the criterion's interpretation).
        yield note(f"{entry['name']} 在 2022 年版大典中下设 {count} 个工种，申报未填写工种（job_types）。"
                   "第三部分 二（三）和填表说明 6：职业下设有工种的，原则上应填报到工种，请补填。（提示，不扣分）",
                   filing.at("scope", "occupations", index))
    for job_index, job in enumerate(jobs):
        job_name = job.get("name")
        where = filing.at("scope", "occupations", index, "job_types", job_index, "name")
        known = standard.job_types.get(job_name) if standard else None
        if known is None:
            yield needs_review(f"{entry['name']} 的工种“{job_name}”不在本项目已收录的工种表中"
                               "（工种表不完整），请专家对照大典核实名称。", where)
        elif not known.verified:
            yield needs_review(f"{entry['name']} 的工种“{job_name}”在工种表中但出处未经核实，请专家核对。", where)


def _allowed_levels(ref, entry, job=None):
    """(levels, why) the claim may not exceed, or (None, reason to review)."""
    if entry.get("basis") == "评价规范":
        spec = entry.get("specification") or {}
        if spec.get("levels"):
            return set(spec["levels"]), f"评价规范《{spec.get('title', '')}》设定的等级"
        return None, "评价规范未写明覆盖的等级"
    standard = standard_of(ref, entry)
    if standard is None or standard.exists is None:
        return None, "本项目尚未收录该职业的国家职业技能标准等级"
    if standard.exists is False:
        if standard.verified:
            return None, "该职业没有国家职业技能标准，应按自主开发的评价规范认定"
        return None, "未找到该职业的国家职业技能标准，需核实是否应按评价规范认定"
    if job is not None:
        known = standard.job_types.get(job.get("name"))
        if known and known.levels and known.verified:
            return set(known.levels), f"国家标准中工种“{known.name}”的等级"
    if not standard.levels or not standard.verified:
        return None, "该职业国家标准的等级未经核实"
    return set(standard.levels), f"{standard.title or '国家职业技能标准'}的等级"


def _level_text(levels) -> str:
    return "、".join(str(level) for level in sorted(levels, reverse=True))


@check("scope.levels")
def levels(ctx: CheckContext):
    filing, ref = ctx.subject, ctx.reference
    for index, entry in enumerate(filing.items("scope", "occupations")):
        if not isinstance(entry, dict):
            continue
        jobs = entry.get("job_types") or []
        if not entry.get("levels") and not jobs:
            yield deficiency(f"{entry.get('name')} 未填写申请等级。", filing.at("scope", "occupations", index))
            continue
        claims = []
        if entry.get("levels"):
            claims.append((None, entry["levels"], filing.at("scope", "occupations", index, "levels")))
        for job_index, job in enumerate(jobs):
            claims.append((job, job.get("levels") or [], filing.at("scope", "occupations", index, "job_types", job_index, "levels")))
        for job, claimed, where in claims:
            label = entry.get("name", "") + (f"（{job.get('name')}）" if job else "")
            allowed, why = _allowed_levels(ref, entry, job)
            if allowed is None:
                yield needs_review(f"{label} 申请等级 {_level_text(claimed)}：{why}，请专家核对。", where)
                continue
            beyond = set(claimed) - allowed
            if beyond:
                yield deficiency(f"{label} 申请等级 {_level_text(beyond)} 超出{why}（{_level_text(allowed)}）。", where)


@check("scope.methods")
def methods(ctx: CheckContext):
    filing = ctx.subject
    chosen = filing.items("scheme", "methods")
    if not chosen:
        yield deficiency("工作方案未写评价方式（scheme.methods）。", filing.at("scheme"))
        return
    for index, method in enumerate(chosen):
        if isinstance(method, dict) and not (method.get("description") or "").strip():
            yield note(f"评价方式“{method.get('type')}”未写实施说明。", filing.at("scheme", "methods", index))
        if isinstance(method, dict) and method.get("type") == "直接认定" and "1+X" not in (method.get("description") or ""):
            yield note("直接认定只适用于取得 1+X 证书的学生（第三部分 二（四）），实施说明中未提到 1+X 证书。",
                       filing.at("scheme", "methods", index))
    kinds = "、".join(m.get("type", "") for m in chosen if isinstance(m, dict))
    yield needs_review(f"评价方式（{kinds}）是否科学合理、可操作性强，由专家酌情给分。", filing.at("scheme", "methods"))
