"""备案申请类别 and their materials (rules/filing-categories.yaml), as data.

Which filing files a category needs, which fields carry each material, which scope items a
category applies for, and which rule set judges it: all read from the data file, so neither
the loader nor the engine names a category. Validated with Cerberus like the sheets
(`beian rules --validate` and the tests), not on every check run.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .paths import rules_file
from .yamlload import load_yaml_file_cached

CATEGORIES_FILE = rules_file("filing-categories.yaml")
ALL = "all"


@dataclass(frozen=True)
class Material:
    id: str
    name: str
    form: str
    files: tuple[str, ...]
    fields: tuple[str, ...]
    required_for: tuple[str, ...]
    when: dict
    note: str = ""
    produced_by: str = ""
    submitted_by: str = ""


@dataclass(frozen=True)
class Category:
    name: str
    form_label: str
    filed_occupations: str           # "all", or the scope `change` value of the items applied for
    rule_sets: dict                  # the sheet named in profile.yaml → the rule set for this category
    record_fields: tuple[dict, ...]  # fields staff should fill for this category (notes when missing)
    materials: tuple[Material, ...]


@lru_cache(maxsize=None)
def _data() -> dict:
    return load_yaml_file_cached(CATEGORIES_FILE).data


@lru_cache(maxsize=None)
def materials() -> tuple[Material, ...]:
    return tuple(Material(id=m["id"], name=m["name"], form=m.get("form", ""), files=tuple(m.get("files") or ()),
                          fields=tuple(m.get("fields") or ()), required_for=tuple(m["required_for"]),
                          when=dict(m.get("when") or {}), note=m.get("note", ""), produced_by=m.get("produced_by", ""),
                          submitted_by=m.get("submitted_by", ""))
                 for m in _data()["materials"])


@lru_cache(maxsize=None)
def categories() -> dict[str, Category]:
    found = {}
    for raw in _data()["categories"]:
        name = raw["name"]
        found[name] = Category(name=name, form_label=raw.get("form_label", ""),
                               filed_occupations=str(raw.get("filed_occupations", ALL)),
                               rule_sets=dict(raw.get("rule_sets") or {}),
                               record_fields=tuple(raw.get("record_fields") or ()),
                               materials=tuple(m for m in materials() if name in m.required_for))
    return found


def category(name) -> Category | None:
    return categories().get(name) if isinstance(name, str) else None


def required_files(name) -> frozenset[str]:
    """The filing files (FILES keys) a category needs; every category's files when it is unknown."""
    known = category(name)
    chosen = known.materials if known else [m for c in categories().values() for m in c.materials]
    return frozenset(key for m in chosen for key in m.files)


def not_required(name) -> tuple[Material, ...]:
    """Materials of other categories that this one does not ask for (known categories only)."""
    known = category(name)
    if known is None:
        return ()
    return tuple(m for m in materials() if name not in m.required_for)


def filed_occupations(filing) -> list[tuple[int, dict]]:
    """(index, scope item) of the occupations this filing applies for, by its category's data.
    A missing `change` counts as 新增-style “applied for” (scope.schema: 初次备案均为新增，可省略)."""
    known = category(filing.get("profile", "application", "category"))
    wanted = known.filed_occupations if known else ALL
    items = [(i, e) for i, e in enumerate(filing.items("scope", "occupations")) if isinstance(e, dict)]
    if wanted == ALL:
        return items
    return [(i, e) for i, e in items if e.get("change", wanted) == wanted]


def rule_set_for(sheet_id, category_name) -> tuple[str | None, str | None]:
    """(rule set id, problem) for the sheet a filing names and its category.

    The category's `rule_sets` maps the sheet named in profile.yaml to the rule set that judges
    this category; naming that rule set itself is accepted too. An unknown category (the schema
    reports it) keeps the named sheet."""
    if not isinstance(sheet_id, str):
        return None, None
    known = category(category_name)
    if known is None or not known.rule_sets:
        return sheet_id, None
    if sheet_id in known.rule_sets:
        return known.rule_sets[sheet_id], None
    if sheet_id in known.rule_sets.values():
        return sheet_id, None
    usable = "、".join(dict.fromkeys(known.rule_sets))
    return None, f"评分表 `{sheet_id}` 不适用于{known.name}；{known.name}可写：{usable}。"


# --- validating the data file -----------------------------------------------------------------

MATERIAL = {
    "id": {"type": "string", "required": True, "regex": r"^[a-z][a-z0-9-]+\Z"},
    "name": {"type": "string", "required": True},
    "form": {"type": "string", "required": True},
    "note": {"type": "string"},
    "produced_by": {"type": "string"},
    "submitted_by": {"type": "string"},
    "files": {"type": "list", "required": True, "schema": {"type": "string"}},
    "fields": {"type": "list", "required": True, "schema": {"type": "string", "regex": r"^[a-z]+:[a-z_.\[\]]+\Z"}},
    "when": {"type": "dict"},
    "required_for": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"}},
}
CATEGORY = {
    "name": {"type": "string", "required": True},
    "form_label": {"type": "string", "required": True},
    "filed_occupations": {"type": "string", "required": True},
    "rule_sets": {"type": "dict", "required": True, "keysrules": {"type": "string"}, "valuesrules": {"type": "string"}},
    "record_fields": {"type": "list", "required": True, "schema": {"type": "dict", "schema": {
        "field": {"type": "string", "required": True, "regex": r"^[a-z]+:[a-z_.]+\Z"},
        "label": {"type": "string", "required": True},
    }}},
}
DOCUMENT = {
    "source": {"type": "string", "required": True},
    "materials": {"type": "list", "required": True, "schema": {"type": "dict", "schema": MATERIAL}},
    "categories": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": CATEGORY}},
}


def category_problems(data) -> list[str]:
    """Every problem with the categories file's data, in Chinese; [] when sound."""
    from cerberus import Validator

    from .filenames import FILES
    from .sheet import all_sheets

    validator = Validator(DOCUMENT)
    if not validator.validate(data):
        return [f"结构错误：{validator.errors}"]
    problems = []
    names = [c["name"] for c in data["categories"]]
    sheets = all_sheets()
    for material in data["materials"]:
        for key in material["files"]:
            if key not in FILES:
                problems.append(f"材料 {material['id']}：文件 {key} 不是备案文件（{'、'.join(FILES)}）")
        for field in material["fields"]:
            if field.split(":", 1)[0] not in FILES:
                problems.append(f"材料 {material['id']}：字段 {field} 的文件不是备案文件")
        for name in material["required_for"]:
            if name not in names:
                problems.append(f"材料 {material['id']}：类别 {name} 不在 categories 中")
    for entry in data["categories"]:
        for edition, rule_set in entry["rule_sets"].items():
            for sheet_id in (edition, rule_set):
                if sheet_id not in sheets:
                    problems.append(f"类别 {entry['name']}：规则集 {sheet_id} 不存在")
    ids = [m["id"] for m in data["materials"]]
    problems += [f"材料编号 {i} 重复" for i in sorted({i for i in ids if ids.count(i) > 1})]
    problems += [f"类别 {n} 重复" for n in sorted({n for n in names if names.count(n) > 1})]
    return problems
