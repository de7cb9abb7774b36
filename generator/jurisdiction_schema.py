"""Validating the jurisdiction files themselves (rules/jurisdictions/*.yaml) with Cerberus, and the formats they
define (certificate and 备案号 numbers, supervisor cards): the data checks `beian rules --validate` and the tests run.

Kept apart from generator/jurisdiction.py (reading facts) and generator/cards.py (reading card numbers) as
sheet_schema.py is from sheet.py: reading the data never needs its validation, and the validation needs both
readers, so neither reader depends on the other's checks.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .cards import ANY_DAY, CARD_FACT, ROLES, CardFormat, _attempt, card_format
from .jurisdiction import (TABLE_FACTS, Jurisdiction, JurisdictionError, _data, _date, _number_format,
                           jurisdiction_files, jurisdiction_from)
from .paths import rules_file



DATE = r"^\d{4}-\d{2}-\d{2}\Z"
SEGMENT = {
    "key": {"type": "string", "required": True, "regex": r"^[a-z]+\Z"},
    "length": {"type": "integer", "required": True, "min": 1},
    "meaning": {"type": "string", "required": True, "minlength": 2},
    "value": {"type": "string", "excludes": ["fact", "pattern"]},
    "value_label": {"type": "string"},
    "fact": {"type": "string", "excludes": ["value", "pattern"]},
    "short": {"type": "string"},
    "pattern": {"type": "string", "excludes": ["value", "fact"]},
    "range": {"type": "list", "items": [{"type": "integer"}, {"type": "integer"}], "dependencies": "pattern"},
    "table": {"type": "string", "dependencies": "pattern"},
}
TEXT = {"type": "string", "minlength": 2}
YEARS = {"type": "integer", "min": 1, "required": True}
COUNT = {"type": "integer", "min": 1}
CODE_TABLE = {"type": "dict", "schema": {"table": {"type": "string", "required": True, "regex": r"^[a-z0-9_]+\.csv\Z"},
                                         "label": {"type": "string", "required": True},
                                         "places": {"type": "string", "required": True}}}
# A supervisor card's segments: the certificate number's kinds, plus letter `choices` (with codes the project
# `refused`, and why), and a `relation` to the institution's number (generator/cards.py).
CARD_RELATIONS = ("institution_tail", "issuer_code", "institution_code")
CARD_SEGMENT = dict(
    SEGMENT,
    value={"type": "string", "excludes": ["fact", "pattern", "choices"]},
    fact={"type": "string", "excludes": ["value", "pattern", "choices"]},
    pattern={"type": "string", "excludes": ["value", "fact", "choices"]},
    choices={"type": "dict", "minlength": 1, "keysrules": {"type": "string"}, "valuesrules": TEXT,
             "excludes": ["value", "fact", "pattern"]},
    refused={"type": "dict", "keysrules": {"type": "string"}, "valuesrules": TEXT, "dependencies": "choices"},
    relation={"type": "string", "allowed": list(CARD_RELATIONS)},
    when={"type": "dict", "dependencies": "relation", "valuesrules": {"type": "list", "schema": {"type": "string"}}},
    form={"type": "string"},
    note={"type": "string"},
)
CARD_SEGMENTS = {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": CARD_SEGMENT}}
CARD = {
    "label": {"type": "string", "required": True, "minlength": 2},          # 外督证卡 / 内督员证卡
    "composition": {"type": "string", "required": True, "minlength": 2},    # 1 位大写英文字母和 8 位阿拉伯数字
    "examples": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"}},
    "segments": CARD_SEGMENTS,                                              # shared by every variant, in order
    "variants": {"type": "list", "schema": {"type": "dict", "schema": {      # alternative endings, each labelled
        "label": {"type": "string", "required": True, "minlength": 2}, "segments": CARD_SEGMENTS}}},
    "note": {"type": "string"},
}
# What each known fact's value must be. A fact the code does not know is refused: a misspelt name would
# otherwise sit unused while the code looks for the right one.
FACT_VALUES = {
    "province_code": {"type": "string", "regex": r"^[0-9]{2}\Z"},
    "authority": TEXT,
    "education_authority": TEXT,
    "guidance_centre": TEXT,
    "platform": TEXT,
    "city_codes": CODE_TABLE,
    "certificate_number": {"type": "dict", "schema": {
        "example": {"type": "string", "required": True},
        "segments": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "dict", "schema": SEGMENT}}}},
    "filing_number": {"type": "dict", "schema": {
        "segments": {"type": "list", "required": True, "minlength": 1, "schema": {"type": "string"}}}},
    "certification_start_year": {"type": "integer", "min": 1949},
    "plan_deadline_working_days": {"type": "integer", "min": 1},
    "archive_retention_years": {"type": "dict", "schema": {"paper": YEARS, "electronic": YEARS, "video": YEARS}},
    # Supervision (质量督导). A jurisdiction whose documents say nothing on a point has no such fact: the code
    # reads an absent fact as “not stipulated”, never as a default.
    "supervision_document": TEXT,
    "supervisor_cards": {"type": "dict", "minlength": 1, "keysrules": {"type": "string", "allowed": ["external", "internal"]},
                         "valuesrules": {"type": "dict", "schema": CARD}},
    "card_city_codes": CODE_TABLE,
    "district_codes": CODE_TABLE,
    "supervisor_term_years": COUNT,
    "supervisor_age_limits": {"type": "dict", "schema": {"男": dict(COUNT, required=True), "女": dict(COUNT, required=True)}},
    "supervisor_experience": {"type": "dict", "schema": {
        "min_years": dict(COUNT, required=True), "of": dict(TEXT, required=True),
        "management_qualifies": {"type": "boolean", "required": True}, "management": TEXT}},
    "external_per_visit": COUNT,
    "special_group_min": COUNT,
    "rotation": {"type": "dict", "schema": {"max_consecutive": dict(COUNT, required=True), "within_days": COUNT}},
    "avoidance_roles": {"type": "list", "minlength": 1, "schema": {"type": "string", "allowed": ["内督", "考评员"]}},
    "refusal_limit": COUNT,
    "continuing_education": {"type": "dict", "schema": {
        "every_years": dict(COUNT, required=True),
        "roles": {"type": "list", "required": True, "minlength": 1,
                  "schema": {"type": "string", "allowed": ["external", "internal"]}}}},
    "report_deadline": {"type": "dict", "schema": {"days": dict(COUNT, required=True),
                                                   "working_days": {"type": "boolean", "required": True}}},
    "blacklist": TEXT,
}
# Facts whose value names a code table in rules/reference.
# The segment keys the identifier code reads (generator/identifiers.py).
CERTIFICATE_KEYS = ("category", "agency", "province", "city", "serial", "year", "level", "sequence")


def _fact_schema(value_schema: dict) -> dict:
    return {"type": "dict", "schema": {
        "title": {"type": "string", "required": True, "minlength": 2},
        "source": {"type": "string", "required": True, "regex": r"^seed \d{3} .+"},
        "note": {"type": "string", "minlength": 2},
        "values": {"type": "dict", "required": True, "minlength": 1,
                   "keysrules": {"type": "string", "regex": DATE}, "valuesrules": value_schema},
    }}


DOCUMENT = {
    "id": {"type": "string", "required": True, "regex": r"^[a-z][a-z0-9-]*\Z"},
    "name": {"type": "string", "required": True, "minlength": 2},
    "short_name": {"type": "string", "required": True, "minlength": 1},
    "facts": {"type": "dict", "required": True, "schema": {name: _fact_schema(s) for name, s in FACT_VALUES.items()}},
}


def jurisdiction_problems(data, file_name: str = "") -> list[str]:
    """Every problem with one jurisdiction file's data, in Chinese; [] when sound."""
    from cerberus import Validator

    validator = Validator(DOCUMENT)
    if not validator.validate(data):
        return [f"结构错误：{validator.errors}"]
    problems = []
    if file_name and Path(file_name).stem != data["id"]:
        problems.append(f"id {data['id']} 与文件名 {file_name} 不一致")
    facts = data["facts"]
    for name, entry in facts.items():
        for day in entry["values"]:
            try:
                _date(day)
            except ValueError:
                problems.append(f"{name}：日期 {day} 不是日历上的日期")
    if problems:
        return problems
    home = jurisdiction_from(data, Path(file_name or f"{data['id']}.yaml"))

    def values(name):
        return home.facts[name].values if name in home.facts else ()

    for name in TABLE_FACTS:
        for _, value in values(name):
            if not rules_file("reference", value["table"]).is_file():
                problems.append(f"{name}：代码表 rules/reference/{value['table']} 不存在")
    if "supervisor_cards" in facts:
        problems += card_format_problems(home)
    for _, value in values("certificate_number"):
        problems += _certificate_problems(value, facts)
    for day, value in values("filing_number"):
        problems += _filing_problems(value, home, day)
    if problems:
        return problems
    # The certificate number as it reads on each day something in it changes (its own dates and those of the
    # facts its segments take their values from): each `fact:` needs a value then, and the example must still fit.
    formats = values("certificate_number")
    referenced = {seg["fact"] for _, value in formats for seg in value["segments"] if "fact" in seg}
    days = sorted({day for day, _ in formats} | {day for name in referenced for day, _ in values(name)
                                                 if formats and day >= formats[0][0]})
    for day in days:
        try:
            fmt = _number_format(home, "certificate_number", day)
        except JurisdictionError as error:
            problems.append(f"certificate_number（{day.isoformat()} 起）：{error}")
            continue
        if not fmt.pattern.match(fmt.example):
            problems.append(f"certificate_number：例子 {fmt.example} 不符合 {day.isoformat()} 起的格式"
                            "（格式所用的事实改变时，须为证书编码另加一个日期和新的例子）")
    return problems


def _certificate_problems(value: dict, facts: dict) -> list[str]:
    problems = []
    keys = [s["key"] for s in value["segments"]]
    if keys != list(CERTIFICATE_KEYS):
        problems.append(f"certificate_number：各部分应依次为 {'、'.join(CERTIFICATE_KEYS)}，现为 {'、'.join(keys)}")
    parts, start = [], 0
    for segment in value["segments"]:
        problems += segment_problems(segment, facts, f"certificate_number 的 {segment['key']}")
        parts.append(segment)
        start += segment["length"]
    if problems:
        return problems
    example = value["example"]
    if len(example) != start:
        return [f"certificate_number：例子 {example} 是 {len(example)} 位，各部分合计 {start} 位"]
    offset = 0
    for segment in parts:
        piece = example[offset:offset + segment["length"]]
        offset += segment["length"]
        if "value" in segment and piece != segment["value"]:
            problems.append(f"certificate_number：例子第 {offset - segment['length'] + 1} 位起应为 {segment['value']}")
        if "pattern" in segment and not re.fullmatch(segment["pattern"], piece):
            problems.append(f"certificate_number：例子中的 {segment['key']}“{piece}”不符合 {segment['pattern']}")
        elif "range" in segment and not segment["range"][0] <= int(piece) <= segment["range"][1]:
            problems.append(f"certificate_number：例子中的 {segment['key']}“{piece}”不在 {segment['range']} 之内")
    return problems


def segment_problems(segment: dict, facts: dict, where: str, kinds=("value", "fact", "pattern")) -> list[str]:
    """What is wrong with one segment's data (Cerberus has checked the types): its kind, references, lengths."""
    present = [k for k in kinds if k in segment]
    if len(present) != 1:
        return [f"{where}：须有且只有 {'、'.join(kinds)} 之一"]
    problems = []
    if "fact" in segment and segment["fact"] not in facts:
        problems.append(f"{where}：引用的 {segment['fact']} 不在本文件的 facts 中")
    if "table" in segment and segment["table"] not in facts:
        problems.append(f"{where}：代码表 {segment['table']} 不在本文件的 facts 中")
    if "value" in segment and len(segment["value"]) != segment["length"]:
        problems.append(f"{where}：固定值 {segment['value']} 不是 {segment['length']} 位")
    if "pattern" in segment:
        try:
            if re.compile(segment["pattern"]).groups:
                problems.append(f"{where}：pattern 不能含分组")
        except re.error as error:
            problems.append(f"{where}：pattern 不是正则表达式（{error}）")
    if "range" in segment and segment["range"][0] > segment["range"][1]:
        problems.append(f"{where}：range 下限大于上限")
    return problems


def _filing_problems(value: dict, home: Jurisdiction, day: dt.date) -> list[str]:
    """The 备案号 is the leading segments of the 证书编码 of the same day (第 1-5 部分)."""
    try:
        full = home.fact("certificate_number", day)
    except JurisdictionError:
        return [f"filing_number：{day.isoformat()} 起没有对应的 certificate_number"]
    keys = [s["key"] for s in full["segments"]]
    if value["segments"] != keys[:len(value["segments"])]:
        return [f"filing_number：各部分应是证书编码开头的部分（{'、'.join(keys)}），现为 {'、'.join(value['segments'])}"]
    return []


def all_jurisdiction_problems() -> list[tuple[str, str]]:
    """(file name, problem) for every file in rules/jurisdictions/."""
    found = []
    for path in jurisdiction_files():
        found += [(path.name, problem) for problem in jurisdiction_problems(_data(path), path.name)]
    return found



def card_format_problems(home: Jurisdiction) -> list[str]:
    """What is wrong with a jurisdiction's `supervisor_cards` (its structure already passed Cerberus)."""
    problems = []
    fact = home.facts[CARD_FACT]
    referenced = {seg[k] for _, value in fact.values for raw in value.values()
                  for seg in _raw_segments(raw) for k in ("fact", "table") if k in seg}
    for day, value in fact.values:
        for role, raw in value.items():
            problems += _raw_card_problems(raw, home, f"{CARD_FACT}（{day.isoformat()} 起）的 {role}")
    if problems:
        return problems
    # The examples as the format reads on each day something in it changes (its own dates and its tables').
    first = fact.values[0][0]
    days = sorted({day for day, _ in fact.values} | {day for name in referenced if name in home.facts
                                                     for day, _ in home.facts[name].values if day >= first})
    for day in days:
        for role in ROLES:
            where = f"{CARD_FACT}（{day.isoformat()} 起）的 {role}"
            try:
                fmt = card_format(home, role, day)
                if fmt is not None:
                    problems += _example_problems(fmt, day, where)
            except (JurisdictionError, OSError, KeyError) as error:
                problems.append(f"{where}：{error}")
    return problems


def _raw_segments(raw: dict) -> list[dict]:
    return list(raw.get("segments") or []) + [s for v in raw.get("variants") or [] for s in v.get("segments") or []]


def _raw_card_problems(raw: dict, home: Jurisdiction, where: str) -> list[str]:
    problems = []
    variants = raw.get("variants") or [{"label": "", "segments": []}]
    labels = [v["label"] for v in variants]
    if len(set(labels)) != len(labels):
        problems.append(f"{where}：variants 的 label 重复")
    for variant in variants:
        keys = []
        for segment in list(raw["segments"]) + list(variant["segments"]):
            at = f"{where} 的 {segment['key']}"
            problems += segment_problems(segment, home.facts, at, ("value", "fact", "pattern", "choices"))
            if segment["key"] in keys:
                problems.append(f"{at}：同一种编码中 key 重复")
            if "table" in segment and segment["table"] not in TABLE_FACTS:
                problems.append(f"{at}：{segment['table']} 不是代码表（应为 {'、'.join(TABLE_FACTS)} 之一）")
            codes = list(segment.get("choices") or {}) + list(segment.get("refused") or {})
            problems += [f"{at}：代码 {code} 不是 {segment['length']} 位" for code in codes if len(code) != segment["length"]]
            problems += [f"{at}：{code} 既是可用代码又被拒绝" for code in segment.get("refused") or {}
                         if code in (segment.get("choices") or {})]
            problems += [f"{at}：when 引用的 {key} 不在它之前" for key in segment.get("when") or {} if key not in keys]
            keys.append(segment["key"])
    return problems


def _example_problems(fmt: CardFormat, day: dt.date, where: str) -> list[str]:
    problems, covered = [], set()
    for example in fmt.examples:
        attempt = _attempt(example, fmt, ANY_DAY, None)
        if attempt.reading.problems:
            problems.append(f"{where}：例子 {example} 不符合格式：" + "；".join(attempt.reading.problems))
        else:
            covered.add(attempt.reading.variant)
    problems += [f"{where}：没有“{layout.label}”的例子" for layout in fmt.layouts
                 if layout.label not in covered and not problems]
    return problems
