"""`beian rules` and `beian explain`: the sheets and rules, for people and for tools.

rule_page() renders one rule as Markdown; explain prints it and the docs
generator writes the same text as the rule's page, so they cannot drift.
"""
from __future__ import annotations

import json
import sys

from .engine import validity_rules
from .sheet import Sheet, all_sheets, find_criterion, load_sheet_data
from .sheet_schema import sheet_problems


def sheet_record(sheet: Sheet) -> dict:
    return {
        "id": sheet.id, "title": sheet.title, "effective": sheet.effective, "jurisdiction": sheet.jurisdiction,
        "policy": sheet.policy, "decision_title": sheet.decision_title or None,
        "threshold": sheet.threshold if sheet.policy == "points" else None,
        "max_score": sheet.max_score if sheet.policy == "points" else None,
        "bonus_policy": sheet.bonus_policy if sheet.policy == "points" else None,
        "criteria": [{
            "id": c.id, "section": c.section, "group": c.group, "title": c.title,
            "max": c.points if c.is_bonus else (None if c.is_condition else c.max), "veto": c.is_veto,
            "bonus": c.is_bonus, "condition": c.is_condition, "mode": c.mode,
            "per": c.per or None, "review": c.needs_judgment, "check": c.check,
        } for c in sheet.criteria],
    }


def print_rules(sheet_id: str | None, fmt: str, validate: bool) -> int:
    sheets = all_sheets()
    if sheet_id and sheet_id not in sheets:
        print(f"beian：评分表 {sheet_id} 不存在；可用：{'、'.join(sheets)}", file=sys.stderr)
        return 2
    chosen = [sheets[sheet_id]] if sheet_id else list(sheets.values())
    if validate:
        failed = False
        for sheet in chosen:
            problems = sheet_problems(load_sheet_data(sheet.path).data)
            for problem in problems:
                print(f"{sheet.path.name}：{problem}")
            failed = failed or bool(problems)
        from .categories import CATEGORIES_FILE, _data, category_problems

        for problem in category_problems(_data()):
            print(f"{CATEGORIES_FILE.name}：{problem}")
            failed = True
        from .jurisdiction import jurisdiction_files
        from .jurisdiction_schema import all_jurisdiction_problems

        for name, problem in all_jurisdiction_problems():
            print(f"{name}：{problem}")
            failed = True
        from .forms.form_schema import all_form_problems
        from .forms.model import form_files

        for name, problem in all_form_problems():
            print(f"{name}：{problem}")
            failed = True
        from .registry import home_jurisdiction, settings_problems

        for problem in settings_problems():
            print(problem)
            failed = True
        if not failed:
            print("评分表数据校验通过：" + "、".join(s.id for s in chosen) + f"；申请类别与材料清单 {CATEGORIES_FILE.name} 校验通过"
                  + "；辖区事实 " + "、".join(p.name for p in jurisdiction_files()) + " 校验通过"
                  + "；督导记录表 " + "、".join(p.stem for p in form_files()) + " 校验通过"
                  + f"；本登记册服务的辖区 {home_jurisdiction()}（beian.yaml）")
        return 1 if failed else 0
    if fmt == "json":
        json.dump({"sheets": [sheet_record(s) for s in chosen]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for sheet in chosen:
        where = sheet.jurisdiction or "各辖区通用，数值取自辖区数据"
        print(f"{sheet.id}  {sheet.title}（{where}，{sheet.effective} 起）")
        if sheet.policy in ("conditions", "form"):
            print(f"  {sheet.decision_title}：{len(sheet.conditions)} 项条件，全部符合即具备条件，任一不符合即不具备；不计分")
        else:
            print(f"  合计 {sheet.max_score} 分，{sheet.threshold} 分及以上具备备案条件；否决项 {len(sheet.vetoes)} 项，优先项目 {len(sheet.bonuses)} 项")
        section = None
        for c in sheet.criteria:
            if c.section != section:
                section = c.section
                print(f"  【{section}】")
            points = points_text(c, " 分")
            judged = "  ·需专家判定" if c.needs_judgment else ""
            print(f"    {c.id:<34} {points:>6}  {c.title}（{c.mode_label}）{judged}")
        print()
    print("有效性规则（不计分，错误使备案文件无效）：")
    for rule in validity_rules():
        print(f"    {rule.id:<34} {rule.title}")
    return 0


def points_text(c, unit: str = "") -> str:
    if c.is_veto:
        return "否决项"
    if c.is_condition:
        return "条件"
    return f"+{c.points}" if c.is_bonus else f"{c.max}{unit}"


def rule_page(rule_id: str, developer: bool = False) -> str | None:
    """The rule's page in plain Chinese: what it asks, where it comes from, how it is judged, worked examples.
    DEVELOPER adds what maintainers need (check function, test cases, source files); it is never published."""
    from .citations import cited
    from .rule_examples import examples_markdown

    found = find_criterion(rule_id)
    if found:
        sheet, c = found
        lines = [f"# {c.title}（`{c.id}`）", "",
                 f"{'评分表' if sheet.policy == 'points' else '审核条件'}：{sheet.title}（`{sheet.id}`，{sheet.effective} 起）  ",
                 f"项目：{c.section} / {c.group}  ", f"出处：{cited(sheet.document or sheet.source)}", "",
                 "| 评估内容 | 评估标准 | 分值 | 计分方式 | 评估方式 |", "|---|---|---|---|---|",
                 f"| {c.content} | {c.standard} | {points_text(c)} | {c.mode_label} | {c.method} |", ""]
        lines += ["## 如何判定", "", _how(c), ""]
        if c.interpretation:
            lines += ["## 解释与取舍", "", cited(c.interpretation.strip()), ""]
        if c.params:
            lines += ["## 参数", ""] + [f"- {param_words(k)}：{plain_value(v)}" for k, v in c.params.items()] + [""]
        lines += examples_markdown(c.id)
        if developer:
            lines += _developer(c.id, [f"检查函数：`{c.check}`（generator/checks/）", f"出处文件：{sheet.source}"])
        return "\n".join(lines)
    rule = next((r for r in validity_rules() if r.id == rule_id), None)
    if rule:
        from .kinds import kind

        titles = "、".join(kind(k).title for k in rule.applies_to)
        invalid = "文件无效" if len(rule.applies_to) > 1 else f"{kind(rule.applies_to[0]).title}文件无效"
        level = rule.effect or {"error": f"错误（{invalid}）", "warning": "警告", "notice": "提示"}[rule.severity]
        lines = [f"# {rule.title}（`{rule.id}`）", "", f"有效性规则，适用于：{titles}；级别：{level}。", "",
                 cited(rule.description), "", f"**怎么改：** {cited(rule.fix)}", ""]
        lines += _params(rule.params) + examples_markdown(rule.id)
        if developer:
            lines += _developer(rule.id, [])
        return "\n".join(lines)
    return None


# What each rule parameter (rules/sheets/*.yaml `params`) means, for the rule's page.
PARAM_WORDS = {
    "min_full_time": "专职工作人员最少人数", "min_members": "督导组最少人数", "min_supervisor_years": "督导人员最少工作年限",
    "paper_years": "纸质材料保存年数", "electronic_years": "电子材料保存年数", "video_years": "监控录像可追溯年数",
    "required_steps": "须写明的工作环节", "required_phases": "须写明的工作阶段", "first_issue_year": "最早的证书核发年份",
    "categories": "须有的工作守则", "expert_min_years": "专家从事考评工作最少年数", "expert_max_age": "专家年龄上限（周岁）",
    "min_per_occupation": "每一职业最少考评员人数", "senior_examiner_from_level": "须由高级考评员考评的等级（此级及以上）",
    "full_marks": "满分", "min_spec_reviewers": "评价规范最少评审专家人数", "leaders_per_venue": "每个考点的考场负责人人数",
    "supervisors_per_venue": "每个考点的内部督导人员人数", "affairs_per_venue": "每个考点的考务工作人员人数",
    "invigilators_per_standard_room": "每个标准考场的监考人员人数", "standard_room_seats": "标准考场的座位数",
    "examiners_per_occupation": "每一职业最少考评人员人数", "examiners_per_module": "每个考核模块最少考评人员人数",
}


def param_words(key: str) -> str:
    """A parameter by what it means; one this table does not know yet keeps its name (shown as code)."""
    return PARAM_WORDS.get(key, f"`{key}`")


def plain_value(value) -> str:
    """A parameter's value in words: lists joined by 、, mappings as “键：值”, 是/否 for booleans (never Python's repr)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "未规定"
    if isinstance(value, dict):
        return "；".join(f"{key}：{plain_value(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(plain_value(item) for item in value)
    return str(value)


# A validity rule's parameters (rules/validation.yaml) by what they mean; None: for the program only (a regular
# expression), not shown on the page.
VALIDITY_PARAM_WORDS = {"past": "记录已发生之事的日期字段（不能晚于评估日期）",
                        "not_past": "可以是将来的日期字段", "markers": "模板中的待填写提示", "patterns": None}


def _params(params: dict | None) -> list[str]:
    """A validity rule's params (rules/validation.yaml), one line per key and file, by what they mean."""
    shown = {key: value for key, value in (params or {}).items() if VALIDITY_PARAM_WORDS.get(key, key) is not None}
    if not shown:
        return []
    lines = ["## 参数", ""]
    for key, value in shown.items():
        name = VALIDITY_PARAM_WORDS.get(key) or f"`{key}`"
        if isinstance(value, dict):
            lines += [f"- {name}："] + [f"  - {doc}.yaml：" + "、".join(f"`{v}`" for v in fields) for doc, fields in value.items()]
        elif isinstance(value, list):
            lines.append(f"- {name}：" + "、".join(f"“{v}”" for v in value))
        else:
            lines.append(f"- {name}：{plain_value(value)}")
    return lines + [""]


def _developer(rule_id: str, facts: list[str]) -> list[str]:
    """For maintainers (`beian explain --developer`, `beian docs --developer`): the test cases behind the examples."""
    from .rule_examples import worked_examples

    lines = ["## 开发者信息（不公开）", ""] + [f"- {fact}" for fact in facts]
    lines += [f"- 测试用例：tests/fixtures/rules/{rule_id}.yaml（基准机构 tests/fixtures/base/，由 tests/test_rule_fixtures.py 执行）"]
    lines += [f"  - `{e.name}`：{e.label} → {e.outcome}" for e in worked_examples(rule_id)]
    return lines + [""]


def _how(c) -> str:
    if c.is_condition:
        text = "程序核对资料：发现不符合即判为“不符合”，任一条件不符合则不具备条件；本条不计分。"
        if c.review:
            text += "资料齐全时，是否满足要求由审核人员判定，在 reviews.yaml 记录“符合”或“不符合”。"
        return text
    if c.is_veto:
        text = "程序核对资料；发现不符合即判为否决，申请单位不具备备案条件。"
        if c.review:
            text = "本项只能由专家现场判定：程序列出资料中的疑点，专家在 reviews.yaml 记录“通过”或“否决”。"
        return text
    if c.is_bonus:
        return f"资料中有此项（附证明材料）即加 {c.points} 分，加分单独列出。"
    parts = {
        "all_or_nothing": "资料有缺项即不得分；",
        "deduction": f"每发现一处不足扣 {c.per} 分，扣完为止；",
        "per_item": f"每符合一项得 {c.per} 分，满 {c.max} 分为止；",
        "discretion": "分值由专家酌情给出；" + ("资料缺项时直接不得分；" if c.zero_if_deficient else ""),
    }[c.mode]
    if c.needs_judgment and c.mode != "discretion":
        parts += "资料齐全时，程序不直接给分，而是标为“待专家判定”，专家在 reviews.yaml 记录得分、理由、评审人和日期。"
    elif c.mode == "discretion":
        parts += "程序列出资料中的情况供专家参考，专家在 reviews.yaml 记录得分。"
    else:
        parts += "由资料判定；资料无法确定的情况（如工种名称、标准等级未经核实）标为“待专家判定”。"
    return parts


def explain(rule_id: str, developer: bool = False) -> int:
    page = rule_page(rule_id, developer)
    if page is None:
        import difflib

        ids = [c.id for s in all_sheets().values() for c in s.criteria] + [r.id for r in validity_rules()]
        guess = difflib.get_close_matches(rule_id, ids, n=3)
        hint = f"是不是想查：{'、'.join(guess)}？" if guess else "用 `beian rules` 查看全部规则。"
        print(f"beian：没有规则 {rule_id}。{hint}", file=sys.stderr)
        return 2
    sys.stdout.write(page)
    return 0
