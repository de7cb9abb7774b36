"""Validating the rule sheets themselves with Cerberus.

Cerberus suits this job: a sheet is authored by the project, and its rules
(mode-specific fields, known check names, printed sub-totals that must add up)
are custom checks rather than a public file format. Filings use JSON Schema.
"""
from __future__ import annotations

from cerberus import Validator

from .checks import registry
from .sheet import MODES, POLICIES

CRITERION = {
    "id": {"type": "string", "required": True, "regex": r"^[a-z][a-z0-9-]+\Z"},
    "section": {"type": "string", "required": True},
    "group": {"type": "string", "required": True},
    "title": {"type": "string", "required": True},
    "content": {"type": "string", "required": True},
    "standard": {"type": "string", "required": True},
    "mode": {"type": "string", "required": True, "allowed": list(MODES)},
    "method": {"type": "string", "required": True},
    "check": {"type": "string", "required": True, "known_check": True},
    "max": {"type": "integer", "min": 1},
    "per": {"type": "integer", "min": 1},
    "points": {"type": "integer", "min": 1},
    "review": {"type": "boolean"},
    "zero_if_deficient": {"type": "boolean"},
    "params": {"type": "dict"},
    "interpretation": {"type": "string"},
}

SHEET = {
    "id": {"type": "string", "required": True, "regex": r"^[a-z0-9-]+\Z"},
    "title": {"type": "string", "required": True},
    "jurisdiction": {"type": "string"},
    "issuer": {"type": "string"},
    "document": {"type": "string"},
    "source": {"type": "string", "required": True},
    "effective": {"type": "string", "required": True, "regex": r"^\d{4}-\d{2}-\d{2}\Z"},
    "policy": {"type": "string", "allowed": list(POLICIES)},
    "decision_title": {"type": "string", "minlength": 2},
    "threshold": {"type": "integer", "min": 0},
    "max_score": {"type": "integer", "min": 1},
    "validity_years": {"type": "integer", "min": 1},
    "bonus_policy": {"type": "dict", "schema": {
        "counts_toward_threshold": {"type": "boolean", "required": True},
        "cap_total_at_max": {"type": "boolean", "required": True},
        "reason": {"type": "string", "required": True, "minlength": 10},
    }},
    "sections": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
        "name": {"type": "string", "required": True},
        "points": {"type": "integer", "min": 0},
        "groups": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
            "name": {"type": "string", "required": True},
            "points": {"type": "integer", "min": 0},
        }}},
    }}},
    "criteria": {"type": "list", "required": True, "schema": {"type": "dict", "schema": CRITERION}},
    "decision_labels": {"type": "dict", "keysrules": {"allowed": ["eligible", "ineligible", "pending_review"]},
                        "valuesrules": {"type": "string"}},
}

REQUIRED_BY_MODE = {
    "all_or_nothing": ("max",), "deduction": ("max", "per"), "per_item": ("max", "per"),
    "discretion": ("max",), "veto": (), "bonus": ("points",), "condition": (),
}
FORBIDDEN_BY_MODE = {"veto": ("max", "per", "points"), "bonus": ("max", "per"),
                     "condition": ("max", "per", "points", "zero_if_deficient")}

# What each decision policy needs at the top of the rule set, what it may not have, and its modes.
# A points sheet is the 100-point sheet (pass mark, bonus policy, printed sub-totals); a conditions
# rule set has none of these: its criteria are conditions, met or not.
POLICY_FIELDS = {
    "points": {"required": ("threshold", "max_score", "bonus_policy"), "forbidden": ("decision_title",),
               "modes": tuple(m for m in MODES if m != "condition")},
    "conditions": {"required": ("decision_title",), "forbidden": ("threshold", "max_score", "bonus_policy"),
                   "modes": ("condition",)},
    # a supervision record: conditions on the record, and the form it was filled on judged beside them
    "form": {"required": ("decision_title",), "forbidden": ("threshold", "max_score", "bonus_policy"),
             "modes": ("condition",)},
}


class SheetValidator(Validator):
    def _validate_known_check(self, known_check, field, value):
        """{'type': 'boolean'}"""
        if known_check and value not in registry():
            self._error(field, f"检查函数 {value} 不存在")


def sheet_problems(data: dict) -> list[str]:
    """Every problem with a sheet's data, in Chinese; [] for a sound sheet."""
    validator = SheetValidator(SHEET)
    problems = []
    if not validator.validate(data):
        problems.append(f"结构错误：{validator.errors}")
        return problems
    ids = [c["id"] for c in data["criteria"]]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"条目编号 {duplicate} 重复")
    policy = data.get("policy", "points")
    rules = POLICY_FIELDS[policy]
    for key in rules["required"]:
        if key not in data:
            problems.append(f"判定方式 {policy} 的规则集须有 {key}")
    for key in rules["forbidden"]:
        if key in data:
            problems.append(f"判定方式 {policy} 的规则集不能有 {key}")
    if policy in ("conditions", "form"):
        return problems + _condition_problems(data, rules["modes"])
    if problems:
        return problems
    groups = {(s["name"], g["name"]): g.get("points") for s in data["sections"] for g in s["groups"]}
    for section in data["sections"]:
        for where, entry in [(section["name"], section)] + [(f"{section['name']}/{g['name']}", g) for g in section["groups"]]:
            if "points" not in entry:
                problems.append(f"“{where}”须写印刷的分值 points")
    if problems:
        return problems
    for criterion in data["criteria"]:
        mode = criterion["mode"]
        if mode not in rules["modes"]:
            problems.append(f"{criterion['id']}：判定方式 {policy} 的规则集不能用计分方式 {mode}")
        for key in REQUIRED_BY_MODE[mode]:
            if key not in criterion:
                problems.append(f"{criterion['id']}：计分方式 {mode} 须有 {key}")
        for key in FORBIDDEN_BY_MODE.get(mode, ()):
            if key in criterion:
                problems.append(f"{criterion['id']}：计分方式 {mode} 不能有 {key}")
        if (criterion["section"], criterion["group"]) not in groups:
            problems.append(f"{criterion['id']}：项目“{criterion['section']}/{criterion['group']}”不在 sections 中")
    for (section, group), printed in groups.items():
        total = sum(c.get("max", 0) for c in data["criteria"]
                    if c["section"] == section and c["group"] == group and c["mode"] not in ("veto", "bonus"))
        if total != printed:
            problems.append(f"“{section}/{group}”各条满分合计 {total}，与评分表印刷的小计 {printed} 不符")
    for section in data["sections"]:
        total = sum(g["points"] for g in section["groups"])
        if total != section["points"]:
            problems.append(f"“{section['name']}”各分项合计 {total}，与印刷的 {section['points']} 不符")
    grand = sum(s["points"] for s in data["sections"])
    if grand != data["max_score"]:
        problems.append(f"各项目合计 {grand}，与合计栏 {data['max_score']} 不符")
    return problems


def _condition_problems(data: dict, modes: tuple) -> list[str]:
    """A conditions rule set: conditions only, no points anywhere, every criterion in a listed group."""
    problems = []
    groups = {(s["name"], g["name"]) for s in data["sections"] for g in s["groups"]}
    for section in data["sections"]:
        if "points" in section or any("points" in g for g in section["groups"]):
            problems.append(f"“{section['name']}”：条件规则集不计分，不能写 points")
    for criterion in data["criteria"]:
        if criterion["mode"] not in modes:
            problems.append(f"{criterion['id']}：条件规则集只能用计分方式 condition，不能用 {criterion['mode']}")
            continue
        for key in FORBIDDEN_BY_MODE["condition"]:
            if key in criterion:
                problems.append(f"{criterion['id']}：计分方式 condition 不能有 {key}")
        if (criterion["section"], criterion["group"]) not in groups:
            problems.append(f"{criterion['id']}：项目“{criterion['section']}/{criterion['group']}”不在 sections 中")
    return problems
