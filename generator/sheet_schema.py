"""Validating the rule sheets themselves with Cerberus.

Cerberus suits this job: a sheet is authored by the project, and its rules
(mode-specific fields, known check names, printed sub-totals that must add up)
are custom checks rather than a public file format. Filings use JSON Schema.
"""
from __future__ import annotations

from cerberus import Validator

from .checks import registry
from .sheet import MODES

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
    "threshold": {"type": "integer", "required": True, "min": 0},
    "max_score": {"type": "integer", "required": True, "min": 1},
    "validity_years": {"type": "integer", "min": 1},
    "bonus_policy": {"type": "dict", "required": True, "schema": {
        "counts_toward_threshold": {"type": "boolean", "required": True},
        "cap_total_at_max": {"type": "boolean", "required": True},
        "reason": {"type": "string", "required": True, "minlength": 10},
    }},
    "sections": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
        "name": {"type": "string", "required": True},
        "points": {"type": "integer", "required": True, "min": 0},
        "groups": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
            "name": {"type": "string", "required": True},
            "points": {"type": "integer", "required": True, "min": 0},
        }}},
    }}},
    "criteria": {"type": "list", "required": True, "schema": {"type": "dict", "schema": CRITERION}},
}

REQUIRED_BY_MODE = {
    "all_or_nothing": ("max",), "deduction": ("max", "per"), "per_item": ("max", "per"),
    "discretion": ("max",), "veto": (), "bonus": ("points",),
}
FORBIDDEN_BY_MODE = {"veto": ("max", "per", "points"), "bonus": ("max", "per")}


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
    groups = {(s["name"], g["name"]): g["points"] for s in data["sections"] for g in s["groups"]}
    for criterion in data["criteria"]:
        mode = criterion["mode"]
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
