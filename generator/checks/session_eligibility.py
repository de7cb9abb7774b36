"""报名审核: each roster row's level against what its candidate may apply for.

seed 004 第五部分“报名审核”一（学生，按评价方式）、二（教职工），第三部分 二（四）（评价方式，技工院校的班级类型），
第六部分 答疑 1–2（教职工按职称；不超出国家职业标准的等级）. A level the handbook says a candidate “可申报”
is the highest he may apply for: a lower level of the same occupation is allowed.

Levels are codes: 1 = 一级/高级技师 … 5 = 五级/初级工; a smaller code is a higher level.
"""
from __future__ import annotations

from . import check, deficiency, needs_review
from ..context import CheckContext
from .basis import standard_of
from .session_avoidance import plan_entries_for

# seed 004 报名审核 一 1 / 3 and 第三部分 二（四）（3）: the highest level by school level or 技工院校 class type.
EXAM_SCHOOL = {"本科": 3, "高职": 3}                 # 考试考核: 本科院校、高等职业学校毕业学年 → 高级工
PROCESS_SCHOOL = {"本科": 3, "高职": 3, "中职": 4}   # 过程化考核: 本科、专科层次 → 高级工；中等职业学校 → 中级工
CLASS_TYPE = {"中级工班": 4, "高级工班": 3, "预备技师班": 3}
X_CERTIFICATE = {"高级": 3, "中级": 3, "初级": 4}    # 直接认定: 1+X 高级、中级 → 高级工；初级 → 中级工
MIDDLE_SCHOOL_EXAM, MIDDLE_SCHOOL_EXCELLENT = 5, 3   # 中职毕业学年 → 初级工；优秀中职毕业生 → 高级工
SENIOR_TITLES = ("副高级", "正高级")
TITLE_YEARS = 3


def _staff_ceiling(row: dict) -> tuple[int | None, str | None]:
    """(highest level, missing field) for a staff member by 职称 (答疑 1); None: no 职称 route to 二级 or 一级."""
    title, years = row.get("title_level"), row.get("title_years")
    if title in SENIOR_TITLES:
        return 1, None
    if title == "中级":
        if years is None:
            return 2, "title_years"
        return (1 if years >= TITLE_YEARS else 2), None
    if title == "初级":
        if years is None:
            return None, "title_years"
        return (2 if years >= TITLE_YEARS else None), None
    if title is None:
        return None, "title_level"
    return None, None


def _student_ceiling(row: dict, method: str | None) -> tuple[int | None, str, str | None]:
    """(highest level, why, missing field) for a student under the plan's 评价方式; (None, why, None) when
    the method has no level rule (竞赛取证: the institution's competition rules decide)."""
    school, class_type = row.get("school_level"), row.get("class_type")
    if method == "直接认定":
        certificate = row.get("x_certificate")
        if certificate is None:
            return None, "直接认定", "x_certificate"
        return X_CERTIFICATE.get(certificate), f"直接认定：取得 1+X {certificate}证书", None
    if method not in ("考试考核", "过程化考核"):
        return None, f"{method or '未写评价方式'}", None
    if school is None:
        return None, method, "school_level"
    if row.get("graduating") is not True:
        return None, method, "graduating"
    if school == "技工院校":
        if class_type is None:
            return None, method, "class_type"
        return CLASS_TYPE.get(class_type), f"{method}：技工院校{class_type}学生", None
    if method == "过程化考核":
        return PROCESS_SCHOOL.get(school), f"过程化考核：{school}学生", None
    if school == "中职":
        if row.get("excellent") is True:
            return MIDDLE_SCHOOL_EXCELLENT, "考试考核：优秀中职毕业生", None
        return MIDDLE_SCHOOL_EXAM, "考试考核：中职毕业学年学生", None
    return EXAM_SCHOOL.get(school), f"考试考核：{school}毕业学年学生", None


MISSING = {
    "school_level": "学生层次（school_level）",
    "graduating": "是否毕业学年（graduating: true）",
    "class_type": "技工院校班级类型（class_type）",
    "x_certificate": "1+X 证书等级（x_certificate）",
    "title_level": "职称级别（title_level）",
    "title_years": "取得职称年限（title_years）",
}


@check("session_eligibility.roster")
def roster(ctx: CheckContext):
    session, ref = ctx.subject, ctx.reference
    method = session.get("plan", "method")
    names = ref.level_names
    for index, row in enumerate(session.items("roster", "candidates")):
        if not isinstance(row, dict):
            continue
        number, level = row.get("number"), row.get("level")
        where = session.at("roster", "candidates", index)
        level_name = names.get(level, f"{level} 级")
        work_type = row.get("work_type")
        entries = plan_entries_for(session, row)
        name = entries[0][1].get("name") if entries else None
        applied = f"{name or row.get('occupation')}" + (f"（{work_type}）" if work_type else "") + f" {level_name}"
        if not entries:
            yield deficiency(f"考生 {number} 报考 {applied}，本次认定计划（plan.yaml）没有这一职业（工种）等级。", where,
                             "改正名册中的职业编码、工种或等级，或在计划中加上这一职业（工种）等级。")
            continue
        yield from _standard_levels(ref, entries[0][1], number, applied, level, where)
        group = row.get("group")
        if group == "学生":
            ceiling, why, missing = _student_ceiling(row, method)
            if missing == "graduating":
                yield deficiency(f"考生 {number}：{why}只面向毕业生或毕业学年学生，名册未写明该考生是毕业学年"
                                 "（graduating: true）。", where, "核对学籍：是毕业学年的写 graduating: true，不是的不能参加本次认定。")
                continue
        elif group == "教职工":
            ceiling, missing = _staff_ceiling(row)
            why = f"教职工：{row.get('title_level') or '职称未写'}职称" + (
                f"满 {row.get('title_years')} 年" if row.get("title_years") is not None else "")
            if isinstance(level, int) and level > 2:
                continue  # 三级及以下：按国家职业标准的申报条件（工作年限等），名册不记，本条不查
            if ceiling is not None and isinstance(level, int) and level >= ceiling:
                continue  # e.g. 中级职称 for 二级: the missing 年限 would only matter for 一级
        else:
            continue
        if missing:
            yield deficiency(f"考生 {number}（{group}）报考 {level_name}，名册缺少判断报名资格所需的{MISSING[missing]}。", where,
                             f"在名册该行填写 {missing}。")
            continue
        if not isinstance(level, int):
            continue
        if ceiling is None and group == "教职工":
            yield deficiency(f"考生 {number}（{why}）报考 {level_name}：教职工须取得相应初级职称满 3 年或中级职称才能申报二级，"
                             "中级职称满 3 年或高级职称才能申报一级。", where, "改报三级及以下，或待职称年限满足后再报。")
        elif ceiling is not None and level < ceiling:
            yield deficiency(f"考生 {number}（{why}）报考 {level_name}，只能申报{names.get(ceiling, ceiling)}及以下。", where,
                             f"把该考生改报{names.get(ceiling, ceiling)}，或核对名册中的学生层次、班级类型、证书等级。")


def _standard_levels(ref, entry: dict, number, applied: str, level, where):
    """答疑 2: never beyond the levels of the occupation's national standard (when the reference knows them);
    ENTRY: the plan's occupation entry the row is entered for (code and name, for a 2015-edition code)."""
    standard = standard_of(ref, entry)
    if standard is None or not standard.exists or not standard.levels or not isinstance(level, int):
        return
    if level in standard.levels:
        return
    have = "、".join(ref.level_names.get(v, str(v)) for v in sorted(standard.levels, reverse=True))
    message = f"考生 {number} 报考 {applied}，{standard.title or '国家职业标准'}设有的等级是 {have}，不含这一等级。"
    if standard.verified:
        yield deficiency(message, where, "改报国家职业标准设有的等级。")
    else:
        yield needs_review(message + "参考数据中的等级尚未从标准原文核实，由审核人员核对。", where)
