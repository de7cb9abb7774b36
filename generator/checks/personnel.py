"""人员管理及建设: qualifications of examiners and experts, examiners per occupation.

Relatedness. The 申请表 (考评人员队伍) asks of every examiner "①相关职业②中级职称或高级工" (高级考评员:
高级职称或高级技师), and 答疑 3 lets one examiner cover several occupations only when they are "相同或
相近". Each examiner states, as 大典 codes, the field of the 职称 (`title_occupation`, an occupation,
小类 or 中类) and the occupation of the skill certificate (`skill_occupation`). `relation` compares
such a field with an occupation examined: same occupation or same 小类 is related, another 大类 is
unrelated, and anything between is for the 专家组 to call 相近 or not.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from ..filing import Ref
from ..context import CheckContext
from . import DEFICIENCY, Observation, check, deficiency, needs_review, note

TITLE_RANK = {"无": 0, "初级": 1, "中级": 2, "副高级": 3, "正高级": 4}

RELATED, UNCERTAIN, UNRELATED = "related", "uncertain", "unrelated"
MISSING = "missing"          # the field the qualification rests on is not stated
UNQUALIFIED = "unqualified"  # neither the 职称 nor the skill level is high enough for the grade
_ORDER = (RELATED, UNCERTAIN, MISSING, UNRELATED)

# grade → (lowest 职称 rank, highest skill level number, the condition in the 申请表's words)
GRADES = {
    "考评员": (2, 3, "考评员须具有中级及以上职称或相关职业高级工（三级）及以上"),
    "高级考评员": (3, 1, "高级考评员须具有高级职称（副高级及以上）或相关职业高级技师（一级）"),
}
SENIOR = "高级考评员"
_PRECISION = {1: "大类", 2: "中类", 3: "小类", 4: "职业"}


def relation(field_code, occupation_code) -> str:
    """How a qualification's field (an occupation X-XX-XX-XX, a 小类 X-XX-XX or a 中类 X-XX) stands to an
    occupation: RELATED (same occupation or same 小类), UNRELATED (another 大类), else UNCERTAIN."""
    field, occupation = str(field_code).split("-"), str(occupation_code).split("-")
    if field[0] != occupation[0]:
        return UNRELATED
    if len(field) >= 3 and field[:3] == occupation[:3]:
        return RELATED
    return UNCERTAIN


@lru_cache(maxsize=4)
def _group_names(reference) -> dict[str, str]:
    """大类/中类/小类 code → name, from the catalogue."""
    names: dict[str, str] = {}
    for occupation in reference.occupations.values():
        names.setdefault(occupation.major_code, occupation.major_name)
        names.setdefault(occupation.middle_code, occupation.middle_name)
        names.setdefault(occupation.minor_code, occupation.minor_name)
    return names


def _named(code, reference) -> str:
    """A code with its catalogue name, when the catalogue knows it."""
    code = str(code)
    if reference is None:
        return code
    occupation = reference.occupations.get(code)
    name = occupation.name if occupation is not None else _group_names(reference).get(code)
    return f"{code} {name}" if name else code


def _field_text(code, reference) -> str:
    code = str(code)
    precision = _PRECISION.get(len(code.split("-")), "")
    return f"{_named(code, reference)}（{precision}）" if precision and precision != "职业" else _named(code, reference)


@dataclass(frozen=True)
class Standing:
    """One examiner for one occupation at one grade: the best of their routes (职称, 技能等级)."""

    status: str
    why: str


# field key → (what it is, how to fill it)
FIELDS = {
    "title_occupation": ("职称所属专业领域", "职称专业对应的大典职业、小类或中类编码，如机械类填 6-18"),
    "skill_occupation": ("技能等级所属职业", "技能等级证书上的职业编码"),
}


def _routes(person: dict, grade: str) -> list[tuple[str, str, object]]:
    """The routes whose rank is high enough for GRADE: (label, field key, stated field)."""
    min_title, max_skill, _ = GRADES.get(grade, GRADES["考评员"])
    routes = []
    title_level = person.get("title_level") or "无"
    if TITLE_RANK.get(title_level, 0) >= min_title:
        routes.append((f"{title_level}职称", "title_occupation", person.get("title_occupation")))
    skill = person.get("skill_level")
    if isinstance(skill, int) and not isinstance(skill, bool) and skill <= max_skill:
        routes.append((f"技能等级 {skill} 级", "skill_occupation", person.get("skill_occupation")))
    return routes


def standing(person: dict, occupation: str, grade: str, reference=None) -> Standing:
    routes = _routes(person, grade)
    if not routes:
        return Standing(UNQUALIFIED, GRADES.get(grade, GRADES["考评员"])[2])
    found: dict[str, list[str]] = {}
    for label, key, code in routes:
        if not code:
            found.setdefault(MISSING, []).append(f"凭{label}任职，但未写{FIELDS[key][0]}（{key}）")
            continue
        kind = relation(code, occupation)
        field = _field_text(code, reference)
        if kind == UNCERTAIN and len(str(code).split("-")) < 3 and str(occupation).startswith(f"{code}-"):
            between = "只写到中类，无法确定与考评职业是否同一小类"
        else:
            between = "与考评职业同属一个大类但不同小类"
        text = {RELATED: f"{label}属 {field}，与考评职业相同或同属一个小类",
                UNCERTAIN: f"{label}属 {field}，{between}",
                UNRELATED: f"{label}属 {field}，与考评职业不属同一大类"}[kind]
        found.setdefault(kind, []).append(text)
    status = next(s for s in _ORDER if s in found)
    return Standing(status, "；".join(found[status]))


def _missing_fields(person: dict, grade: str) -> list[str]:
    return [key for _, key, code in _routes(person, grade) if not code]


def examiner_grade(person: dict) -> str:
    """考评员 or 高级考评员 as listed (an unknown grade counts as 考评员). Shared with the session rules."""
    return person.get("grade") if person.get("grade") in GRADES else "考评员"


def examiner_occupations(person: dict) -> list[str]:
    """The occupation codes an examiner is appointed for (personnel.yaml occupations)."""
    return [str(code) for code in person.get("occupations") or [] if code]


# ------------------------------------------------------------------ conditions of one listing

@dataclass
class Assessment:
    """What one listing (an examiner or an expert entry) shows: definite shortfalls, questions only the
    专家组 can settle, and notes."""

    shortfalls: list[str]
    reviews: list[str]
    notes: list[str]


def examiner_assessment(person: dict, reference=None) -> Assessment:
    grade = examiner_grade(person)
    result = Assessment([], [], [])
    if not _routes(person, grade):
        result.shortfalls.append(GRADES[grade][2])
        return result
    standings = {code: standing(person, code, grade, reference) for code in examiner_occupations(person)}
    by_status: dict[str, list[str]] = {}
    for code, s in standings.items():
        by_status.setdefault(s.status, []).append(code)
    if RELATED in by_status:
        for code in by_status.get(UNRELATED, []):
            result.notes.append(f"对 {_named(code, reference)}：{standings[code].why}，不是相关职业，"
                                f"不计入该职业的考评员人数（可从考评职业 occupations 中删去，或改聘相关职业的考评员）")
        return result
    if UNCERTAIN in by_status or MISSING in by_status:
        parts = [f"对 {_named(code, reference)}：{standings[code].why}"
                 for code in by_status.get(UNCERTAIN, []) + by_status.get(MISSING, [])]
        fix = []
        if MISSING in by_status:
            fix += [f"补写 {key}（{FIELDS[key][1]}）" for key in _missing_fields(person, grade)]
            fix[-1] += "后程序即可判定"
        if UNCERTAIN in by_status:
            fix.append("是否“相同或相近”（答疑 3）由专家组在 reviews.yaml 中判定")
        result.reviews.append(f"{'；'.join(parts)}。{'；'.join(fix)}")
        return result
    if UNRELATED not in by_status:
        return result  # no occupation listed: nothing to compare (the schema asks for at least one)
    parts = [f"对 {_named(code, reference)}：{standings[code].why}" for code in by_status[UNRELATED]]
    fix = "请改聘相关职业的考评员"
    if person.get("title_occupation") and any(key == "title_occupation" for _, key, _ in _routes(person, grade)):
        fix += "；职称专业实际与考评职业相同或相近的，把 title_occupation 改写为该职业所在的小类或中类编码，交专家组判定"
    result.shortfalls.append(f"考评员须为相关职业（申请表“①相关职业”），{'；'.join(parts)}（{fix}）")
    return result


def expert_assessment(person: dict, today: dt.date, params: dict) -> Assessment:
    result = Assessment([], [], [])
    title = TITLE_RANK.get(person.get("title_level") or "无", 0)
    if not (title >= 3 or person.get("skill_level") == 1):
        result.shortfalls.append("专家须具有高级以上专业技术任职资格或高级技师以上职业资格")
    missing = []
    min_years = params.get("expert_min_years", 1)
    years = person.get("years_in_assessment")
    if years is None:
        missing.append("未写从事职业技能等级认定考评工作的年限（years_in_assessment），无法核对"
                       "《专家管理办法》“从事国家职业技能等级认定考评工作一年以上”")
    elif years < min_years:
        result.shortfalls.append(f"专家须从事国家职业技能等级认定考评工作一年以上（填写 {years} 年）")
    max_age = params.get("expert_max_age", 65)
    birth_year = person.get("birth_year")
    if birth_year is None:
        missing.append(f"未写出生年份（birth_year，只填年份），无法核对“年龄一般不超过 {max_age} 周岁”")
    else:
        span = today.year - birth_year
        if span > max_age + 1:
            result.shortfalls.append(f"专家年龄一般不超过 {max_age} 周岁（{birth_year} 年出生，"
                                     f"{today.year} 年评估时已满 {span - 1} 周岁）")
        elif span == max_age + 1:
            result.reviews.append(f"{birth_year} 年出生，{today.year} 年评估时为 {max_age} 或 {max_age + 1} 周岁（取决于生日，"
                                  f"备案文件只记出生年份），是否超过“{max_age} 周岁”由专家组核对身份证件")
    if missing:
        result.reviews.append(f"{'；'.join(missing)}；补写后程序即可判定")
    return result


def appointment_gaps(person: dict) -> list[str]:
    """What is missing of an appointment (聘用协议, 聘书): the same shortfall for the filing and for a session."""
    appointment = person.get("appointment") or {}
    gaps = []
    if appointment.get("agreement") is not True:
        gaps.append("未签订聘用协议")
    if appointment.get("letter") is not True:
        gaps.append("未颁发聘书")
    return gaps


# ------------------------------------------------------------------ one person, one deduction

@dataclass
class Listing:
    group: str      # examiners / experts
    index: int
    person: dict
    role: str       # 考评员 / 高级考评员 / 专家
    at: Ref


def _same_person(a: dict, b: dict) -> bool:
    """Same name, and the same masked 身份证号 when both give one (namesakes with different numbers differ)."""
    if str(a.get("name") or "").strip() != str(b.get("name") or "").strip():
        return False
    ida, idb = a.get("id_number"), b.get("id_number")
    return not ida or not idb or str(ida) == str(idb)


def _people(filing) -> list[list[Listing]]:
    """Examiner and expert listings grouped by person, in file order of their first listing."""
    groups: list[list[Listing]] = []
    for group, label in (("examiners", "考评员"), ("experts", "专家")):
        for index, person in enumerate(filing.items("personnel", group)):
            if not isinstance(person, dict):
                continue
            role = examiner_grade(person) if group == "examiners" else label
            listing = Listing(group, index, person, role, filing.at("personnel", group, index))
            for existing in groups:
                if _same_person(existing[0].person, person):
                    existing.append(listing)
                    break
            else:
                groups.append([listing])
    return groups


@check("personnel.qualifications")
def qualifications(ctx: CheckContext):
    filing, reference, params = ctx.subject, ctx.reference, ctx.params
    today = ctx.today
    scope_codes = {str(e.get("code")) for e in filing.items("scope", "occupations") if isinstance(e, dict)}
    for group, label in (("examiners", "考评员"), ("experts", "专家")):
        if not filing.items("personnel", group):
            yield deficiency(f"未聘任任何{label}（personnel.{group}），无法核对任职条件。", filing.at("personnel"))
    for listings in _people(filing):
        shortfalls: list[tuple[Listing, list[str]]] = []
        reviews: list[tuple[Listing, str]] = []
        for listing in listings:
            person = listing.person
            name = person.get("name")
            if listing.group == "examiners":
                assessment = examiner_assessment(person, reference)
            else:
                assessment = expert_assessment(person, today, params)
            conditions = assessment.shortfalls
            if conditions and person.get("exceptional"):
                reviews.append((listing, f"{listing.role} {name} 按破格聘任申报（{person['exceptional']}），"
                                         f"不具备常规条件：{'；'.join(conditions)}；是否符合破格条件由专家判定。"))
                conditions = []
            problems = conditions + appointment_gaps(person)
            if problems:
                shortfalls.append((listing, problems))
            if assessment.reviews:
                reviews.append((listing, f"{listing.role} {name}：{'；'.join(assessment.reviews)}"))
            for text in assessment.notes:
                yield note(f"{listing.role} {name} {text}。", listing.at)
            if listing.group == "examiners":
                outside = [code for code in examiner_occupations(person) if code not in scope_codes]
                if outside:
                    yield note(f"{listing.role} {name} 的考评职业 {'、'.join(outside)} 不在本次申请范围内。", listing.at)
        if shortfalls:
            # One person loses the points once, whatever they fall short of and however often listed;
            # the finding sits on the listing that comes first in personnel.yaml.
            listings.sort(key=lambda l: filing.line_of(l.at) or 0)
            shortfalls.sort(key=lambda pair: listings.index(pair[0]))
            first = listings[0]
            if len(listings) == 1:
                yield deficiency(f"{first.role} {first.person.get('name')} 不符合要求：{'；'.join(shortfalls[0][1])}。", first.at)
            else:
                roles = "、".join(dict.fromkeys(l.role for l in listings))
                parts = [f"作为{l.role}（personnel.{l.group} 第 {l.index + 1} 人）：{'；'.join(p)}" for l, p in shortfalls]
                yield deficiency(f"{first.person.get('name')}（同一人列为{roles}）不符合要求：{'；'.join(parts)}。"
                                 f"同一人只扣一次。", first.at)
        else:
            for listing, text in reviews:
                yield needs_review(text, listing.at)


# ------------------------------------------------------------------ examiners per occupation

def _scope_levels(entry: dict) -> set[int]:
    levels = {lv for lv in entry.get("levels") or [] if isinstance(lv, int)}
    for job in entry.get("job_types") or []:
        if isinstance(job, dict):
            levels |= {lv for lv in job.get("levels") or [] if isinstance(lv, int)}
    return levels


def _split(examiners: list[tuple[int, dict]], code: str, grade: str, reference):
    """Examiners listing CODE, split into those that count, those the 专家组 must settle, and those that do not."""
    counted, pending, left_out = [], [], []
    for index, person in examiners:
        if code not in examiner_occupations(person):
            continue
        s = standing(person, code, grade, reference)
        name = person.get("name")
        if s.status == RELATED:
            counted.append((index, name, s.why))
        elif s.status in (UNCERTAIN, MISSING):
            pending.append((index, name, s.why))
        elif person.get("exceptional"):
            pending.append((index, name, f"按破格聘任申报，是否符合由专家判定（{s.why}）"))
        else:
            left_out.append((index, name, s.why))
    return counted, pending, left_out


def _names(people_list) -> str:
    return "、".join(str(name) for _, name, _ in people_list) or "无"


def _reasons(people_list) -> str:
    return "；".join(f"{name}：{why}" for _, name, why in people_list)


@check("personnel.examiner_count")
def examiner_count(ctx: CheckContext):
    filing, reference, params = ctx.subject, ctx.reference, ctx.params
    yield from examiners_per_occupation(filing, reference, params, enumerate(filing.items("scope", "occupations")))


def examiners_per_occupation(filing, reference, params, entries):
    """For each (index, scope entry): enough qualified, related examiners, and a 高级考评员 where levels 2/1 are applied for.

    Shared by the 100-point sheet (every occupation) and the 增量备案 conditions (the added ones)."""
    minimum = params.get("min_per_occupation", 3)
    senior_from = params.get("senior_examiner_from_level", 2)
    examiners = [(i, p) for i, p in enumerate(filing.items("personnel", "examiners")) if isinstance(p, dict)]
    for index, entry in entries:
        if not isinstance(entry, dict):
            continue
        code = str(entry.get("code"))
        title = f"{code} {entry.get('name')}"
        where = filing.at("scope", "occupations", index)
        listed = tuple(filing.at("personnel", "examiners", i) for i, p in examiners if code in examiner_occupations(p))
        about = (where,) + listed
        counted, pending, left_out = _split(examiners, code, "考评员", reference)
        if len(counted) < minimum:
            text = f"{title} 只有 {len(counted)} 名具备任职条件的相关职业考评员（{_names(counted)}）"
            if pending:
                text += f"，另有 {len(pending)} 名待专家组判定（{_reasons(pending)}）"
            if left_out:
                text += f"，{len(left_out)} 名不计入（{_reasons(left_out)}）"
            if len(counted) + len(pending) >= minimum:
                yield needs_review(f"{text}；每一职业最少 {minimum} 名，待判定的人员能否计入决定是否够数。", where, about)
            else:
                short = minimum - len(counted) - len(pending)
                short_text = f"即使待判定的都计入也还差 {short} 名" if pending else f"还差 {short} 名"
                yield Observation(DEFICIENCY, f"{text}；每一职业最少 {minimum} 名考评员，{short_text}。", where, about)
        levels = _scope_levels(entry)
        if levels and min(levels) <= senior_from:
            seniors = [(i, p) for i, p in examiners if examiner_grade(p) == SENIOR]
            s_counted, s_pending, s_left = _split(seniors, code, SENIOR, reference)
            if s_counted:
                continue
            wanted = "、".join(f"{lv}级" for lv in sorted(lv for lv in levels if lv <= senior_from))
            text = (f"{title} 申请 {wanted}，须配备该职业的高级考评员（工作规则第六条：技师、高级技师等级由高级考评员考评；"
                    f"申请表“根据认定职业的等级配备高级考评员或考评员”）")
            if s_pending:
                yield needs_review(f"{text}；现有高级考评员是否具备条件待专家组判定：{_reasons(s_pending)}。", where, about)
            else:
                detail = f"现有高级考评员均不具备条件：{_reasons(s_left)}" if s_left else "考评员名单中没有考评该职业的高级考评员"
                yield Observation(DEFICIENCY, f"{text}；{detail}。请为该职业聘任至少 1 名具备条件的高级考评员，或不申请二级、一级。",
                                  where, about)
