"""Validating the supervision form files themselves (rules/forms/*.yaml) with Cerberus.

As sheet_schema.py does for the rule sheets: Cerberus checks the structure (keys, types, allowed words), then
plain code checks what one field says about another (points that must add up, ids that must be unique, the
feedback form a form names). model.py trusts the shipped files because `beian rules --validate` and the tests
run these checks; it never imports this module.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..paths import rules_file
from .model import HEADER_SOURCES, JUDGING, form_files

DATE = r"^\d{4}-\d{2}-\d{2}\Z"
FORM_ID = r"^[a-z0-9][a-z0-9-]*\Z"
KEY = r"^[a-z][a-z0-9_-]*\Z"  # ids of sections, header fields, checkboxes and opinions: record keys too
ITEM_KEY = re.compile(r"^[^\s/]+\Z")  # an item id is a key of the record's answers: no spaces, no “/”
YES_NO = ["是", "否"]
ROLES = ["外督", "内督"]

TEXT = {"type": "string", "minlength": 1}
REQUIRED_TEXT = {"type": "string", "minlength": 1, "required": True}
TEXTS = {"type": "list", "schema": TEXT}
POINTS = {"type": "integer", "min": 0}
CHECKBOXES = {"type": "list", "schema": {"type": "dict", "schema": {
    "id": {"type": "string", "required": True, "regex": KEY}, "text": REQUIRED_TEXT}}}

OPTION = {"anyof": [TEXT, {"type": "dict", "schema": {"label": REQUIRED_TEXT, "points": POINTS}}]}
ITEM = {
    "id": {"type": "string", "required": True, "minlength": 1},
    "number": TEXT,
    "text": REQUIRED_TEXT,
    "points": POINTS,
    "full_marks_for": TEXT,
    "options": {"type": "list", "required": True, "schema": OPTION},
}
SECTION = {
    "id": {"type": "string", "required": True, "regex": KEY},
    "title": REQUIRED_TEXT,
    "points": POINTS,
    "rated": {"type": "boolean"},
    "groups": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": {
        "title": TEXT,
        "items": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": ITEM}},
    }}},
    "outcome": {"type": "dict", "schema": {
        "text": REQUIRED_TEXT,
        "options": {"type": "list", "required": True, "minlength": 2, "schema": {"type": "dict", "schema": {
            "id": {"type": "string", "required": True, "regex": KEY}, "label": REQUIRED_TEXT,
            "terminates": {"type": "boolean"}}}},
    }},
}
FORM = {
    "id": {"type": "string", "required": True, "regex": FORM_ID},
    "title": REQUIRED_TEXT,
    "short_title": TEXT,
    "jurisdiction": {"type": "string", "required": True, "regex": FORM_ID},
    "issuer": REQUIRED_TEXT,
    "document": REQUIRED_TEXT,
    "article": REQUIRED_TEXT,
    "source": {"type": "string", "required": True, "regex": r"^seed \d{3}\S*"},
    "effective": {"type": "string", "required": True, "regex": DATE},
    "filled_by": {"type": "string", "required": True, "allowed": ["supervisor", "institution"]},
    "supervisor_roles": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string", "allowed": ROLES}},
    "subject": {"type": "string", "required": True, "allowed": ["session", "supervisor"]},
    "judging": {"type": "string", "required": True, "allowed": list(JUDGING)},
    "header": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": {
        "id": {"type": "string", "required": True, "regex": KEY}, "label": REQUIRED_TEXT,
        "from": {"type": "string", "required": True, "allowed": list(HEADER_SOURCES)}}}},
    "sections": {"type": "list", "schema": {"type": "dict", "schema": SECTION}},
    "applies_to": TEXTS,
    "after_session": {"type": "boolean"},
    "feedback_form": {"type": "string", "regex": FORM_ID},
    "deadline": {"type": "dict", "schema": {
        "days": {"type": "integer", "required": True, "min": 1},
        "working": {"type": "boolean", "required": True},
        "source": {"type": "string", "required": True, "minlength": 2}}},
    "remarks": {"type": "dict", "schema": {"required": {"type": "boolean", "required": True}, "field": TEXT,
                                           "note": TEXT}},
    "ratings": {"type": "list", "minlength": 2, "schema": TEXT},
    "vetoes": CHECKBOXES,
    "anomalies": CHECKBOXES,
    "other_anomalies": TEXT,
    "opinions": {"type": "list", "schema": {"type": "dict", "schema": {
        "id": {"type": "string", "required": True, "regex": KEY}, "label": REQUIRED_TEXT}}},
    "feedback": {"type": "dict", "schema": {"label": REQUIRED_TEXT, "topics": TEXTS}},
    "max_score": {"type": "integer", "min": 1},
    "missing": {"type": "dict", "schema": {"points": {"type": "integer", "required": True, "min": 1},
                                           "note": {"type": "string", "required": True, "minlength": 2}}},
    "numbering_faults": TEXTS,
    "transcription_faults": TEXTS,
    "notes": TEXTS,
    "signature": {"type": "dict", "schema": {"label": REQUIRED_TEXT, "date": {"type": "boolean"}, "countersign": TEXT}},
}

# Cerberus' English messages, in the words of the rest of the project's output.
_MESSAGES = [
    (re.compile(r"^required field$"), "缺少必填项"),
    (re.compile(r"^unknown field$"), "不认识的键（是不是拼错了？）"),
    (re.compile(r"^must be of (\w+) type$"), lambda m: f"须为 {_TYPE_WORDS.get(m[1], m[1])}"),
    (re.compile(r"^unallowed value (.+)$"), lambda m: f"取值 {m[1]} 不在允许的取值中"),
    (re.compile(r"^unallowed values (.+)$"), lambda m: f"取值 {m[1]} 不在允许的取值中"),
    (re.compile(r"^value does not match regex '(.+)'$"), lambda m: f"格式不符（应符合 {m[1]}）"),
    (re.compile(r"^min value is (\d+)$"), lambda m: f"不能小于 {m[1]}"),
    (re.compile(r"^min length is (\d+)$"), lambda m: f"至少要有 {m[1]} 个（字）"),
    (re.compile(r"^no definitions validate$"), "既不是选项文字，也不是 {label, points}"),
    (re.compile(r"^null value not allowed$"), "不能为空"),
]
# The allowed words named in a message, by the key whose value was refused.
_ALLOWED = {"from": HEADER_SOURCES, "judging": JUDGING, "filled_by": ("supervisor", "institution"),
            "subject": ("session", "supervisor"), "supervisor_roles": tuple(ROLES)}
_TYPE_WORDS = {"string": "文字（字符串；日期要加引号）", "integer": "整数", "boolean": "true 或 false",
               "list": "列表", "dict": "键值对（映射）"}


def _message(text: str) -> str:
    for pattern, words in _MESSAGES:
        match = pattern.match(text)
        if match:
            return words(match) if callable(words) else words
    return text


def _flat_errors(errors, where: str = "") -> list[str]:
    """Cerberus' nested error tree as “sections 第 1 项 / groups 第 2 项 / id：缺少必填项” lines."""
    found = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            if str(key).startswith("anyof definition"):  # why each alternative failed: the parent says enough
                continue
            step = f"第 {key + 1} 项" if isinstance(key, int) else str(key)
            found += _flat_errors(value, f"{where} / {step}" if where else step)
    elif isinstance(errors, list):
        for value in errors:
            found += _flat_errors(value, where)
    else:
        text = _message(str(errors))
        keys = [step for step in where.split(" / ") if not step.startswith("第 ")]
        allowed = _ALLOWED.get(keys[-1]) if keys else None
        if allowed and str(errors).startswith("unallowed value"):
            text += f"（可用：{'、'.join(allowed)}）"
        found.append(f"{where}：{text}")
    return found


def _form_data() -> dict[str, dict]:
    """Every shipped form's data by id (a form's feedback form is looked up among them)."""
    from .model import _load

    found = {}
    for path in form_files():
        data = _load(path)
        if isinstance(data, dict):
            found[str(data.get("id") or path.stem)] = data
    return found


def _duplicates(values: list) -> list:
    return sorted({v for v in values if values.count(v) > 1}, key=str)


def _label(option) -> str:
    return str(option["label"]) if isinstance(option, dict) else str(option)


def _option_points(option):
    return option.get("points") if isinstance(option, dict) else None


def _item_problems(item: dict, where: str, judging: str) -> list[str]:
    problems = []
    options = item["options"]
    labels = [_label(o) for o in options]
    if len(options) < 2:
        problems.append(f"{where}：至少要有 2 个选项")
    for label in _duplicates(labels):
        problems.append(f"{where}：选项“{label}”重复")
    if item.get("full_marks_for") in labels:
        problems.append(f"{where}：full_marks_for“{item['full_marks_for']}”与印刷的选项相同，无从区分")
    if judging == "yes_no" and labels != YES_NO:
        problems.append(f"{where}：是否勾选的表每项只能有选项 是、否（依次），现为 {'、'.join(labels)}")
    if judging != "points":
        if "points" in item or any(_option_points(o) is not None for o in options) or "full_marks_for" in item:
            problems.append(f"{where}：不计分的表（{judging}）不能写 points 或 full_marks_for")
        return problems
    if "points" not in item:
        problems.append(f"{where}：打分的表每个条目都须写满分 points")
        return problems
    missing = [label for label, o in zip(labels, options) if _option_points(o) is None]
    if missing:
        return problems + [f"{where}：打分的表每个选项都须有分值，选项“{'”“'.join(missing)}”没有"]
    for label, option in zip(labels, options):
        if option["points"] > item["points"]:
            problems.append(f"{where}：选项“{label}”{option['points']} 分，高于条目满分 {item['points']} 分")
    best = max(o["points"] for o in options)
    if best < item["points"]:
        problems.append(f"{where}：条目满分 {item['points']} 分，最高的选项只有 {best} 分")
    return problems


def _points_problems(data: dict) -> list[str]:
    """A points form: the printed sub-totals add up, and what is known plus what was lost is the full score."""
    problems = []
    known = 0
    for section in data.get("sections") or []:
        total = sum(item.get("points") or 0 for group in section["groups"] for item in group["items"])
        known += total
        if "points" not in section:
            problems.append(f"部分 {section['id']}：打分的表每部分都须写印刷的分值 points")
        elif total != section["points"]:
            problems.append(f"部分 {section['id']}：各条目满分合计 {total} 分，与印刷的 {section['points']} 分不符")
    if "max_score" not in data:
        return problems + ["打分的表须写满分 max_score"]
    missing = (data.get("missing") or {}).get("points", 0)
    if known + missing != data["max_score"]:
        problems.append(f"已知条目合计 {known} 分，加上原文缺失的 {missing} 分（missing.points）是 {known + missing} 分，"
                        f"与满分 max_score {data['max_score']} 分不符")
    return problems


def _feedback_form_problems(data: dict, forms: dict[str, dict]) -> list[str]:
    name = data.get("feedback_form")
    if not name:
        return []
    other = forms.get(name)
    if other is None:
        return [f"feedback_form：表 {name} 不存在；rules/forms/ 中有：{'、'.join(sorted(forms))}"]
    if other.get("filled_by") != "institution" or other.get("subject") != "supervisor":
        return [f"feedback_form：表 {name} 不是评价机构填写的督导员情况反馈表（须 filled_by: institution、subject: supervisor）"]
    return []


def _cross_problems(data: dict, forms: dict[str, dict]) -> list[str]:
    judging = data["judging"]
    sections = data.get("sections") or []
    problems = []
    items = [(section, item) for section in sections for group in section["groups"] for item in group["items"]]
    ids = [item["id"] for _, item in items]
    problems += [f"条目编号 {i} 重复（同一张表中条目编号须唯一，它是记录中 answers 的键）" for i in _duplicates(ids)]
    problems += [f"条目编号“{i}”不能含空格或“/”（它是记录中 answers 的键）" for i in ids if not ITEM_KEY.match(i)]
    for name, values in (("部分编号", [s["id"] for s in sections]), ("表头栏目编号", [h["id"] for h in data["header"]]),
                         ("一票否决项编号", [v["id"] for v in data.get("vetoes") or []]),
                         ("异常情况编号", [a["id"] for a in data.get("anomalies") or []]),
                         ("意见栏编号", [o["id"] for o in data.get("opinions") or []])):
        problems += [f"{name} {i} 重复" for i in _duplicates(values)]
    for section, item in items:
        problems += _item_problems(item, f"部分 {section['id']} 的条目 {item['id']}", judging)
    for section in sections:
        outcome = section.get("outcome")
        if outcome:
            problems += [f"部分 {section['id']} 的 outcome：处理结果编号 {i} 重复"
                         for i in _duplicates([o["id"] for o in outcome["options"]])]
    if judging == "points":
        problems += _points_problems(data)
    else:
        problems += [f"不计分的表（{judging}）不能写 {key}" for key in ("max_score", "missing") if key in data]
        problems += [f"部分 {s['id']}：不计分的表（{judging}）不能写 points" for s in sections if "points" in s]
    rated = [s["id"] for s in sections if s.get("rated")]
    if bool(data.get("ratings")) != bool(rated):
        problems.append("有 rated 的部分就须写综合评定 ratings，写了 ratings 就须有 rated 的部分"
                        f"（现有 rated：{'、'.join(rated) or '无'}；ratings：{'、'.join(data.get('ratings') or []) or '无'}）")
    if judging == "ratings" and not rated:
        problems.append("judging: ratings 的表至少要有一个 rated 的部分")
    if judging == "feedback":
        if "feedback" not in data:
            problems.append("情况反馈表（judging: feedback）须写 feedback 的 label")
        if sections:
            problems.append("情况反馈表（judging: feedback）没有勾选条目，不能写 sections")
    elif not sections:
        problems.append(f"{judging} 的表须有 sections")
    if (data["subject"] == "supervisor") != (judging == "feedback"):
        problems.append("subject: supervisor（关于督导员的反馈）与 judging: feedback 须同时出现")
    problems += _feedback_form_problems(data, forms)
    if not rules_file("jurisdictions", f"{data['jurisdiction']}.yaml").is_file():
        problems.append(f"jurisdiction：辖区 {data['jurisdiction']} 在 rules/jurisdictions/ 中没有文件")
    remarks = data.get("remarks") or {}
    if remarks.get("required") and not remarks.get("field"):
        problems.append("remarks：要求按序号说明问题（required: true）的表须写说明栏的名称 field")
    return problems


def form_problems(data, file_name: str = "", forms: dict[str, dict] | None = None) -> list[str]:
    """Every problem with one form's data, in Chinese, each naming the form and where; [] for a sound form.

    `forms` are the other forms by id (a `feedback_form` must name one of them); the shipped ones by default.
    """
    from cerberus import Validator

    if not isinstance(data, dict):
        return [f"{file_name or '督导记录表'}：文件内容须为键值对（映射）"]
    name = data.get("id") if isinstance(data.get("id"), str) else (Path(file_name).stem or "督导记录表")
    validator = Validator(FORM)
    if not validator.validate(data):
        return [f"{name}：{line}" for line in _flat_errors(validator.errors)]
    problems = []
    if file_name and Path(file_name).stem != data["id"]:
        problems.append(f"id {data['id']} 与文件名 {file_name} 不一致")
    try:
        dt.date.fromisoformat(data["effective"])
    except ValueError:
        problems.append(f"effective：{data['effective']} 不是日历上的日期")
    problems += _cross_problems(data, _form_data() if forms is None else forms)
    return [f"{name}：{problem}" for problem in problems]


def all_form_problems() -> list[tuple[str, str]]:
    """(file name, problem) for every file in rules/forms/."""
    from .model import FormError

    found = []
    try:
        forms = _form_data()
    except FormError as error:
        return [("rules/forms", str(error))]
    for path in form_files():
        from .model import _load

        found += [(path.name, problem) for problem in form_problems(_load(path), path.name, forms)]
    return found
