"""Jurisdiction facts (rules/jurisdictions/<id>.yaml) as dated data: province code, authorities,
platform, city-code table, certificate and 备案号 formats, deadlines and retention years.

Modelled on OpenFisca's dated parameters: a fact's `values` map the date from which a value applies to the
value, and `fact(name, on)` takes the value of the latest date on or before `on`. A day before the first date
has no value: the lookup raises JurisdictionError saying so, instead of using a value that did not yet apply.

Loading needs only PyYAML (through the project's cached loader) and happens once per process, so `beian check`
stays light. The Cerberus validation (`jurisdiction_problems`) runs in `beian rules --validate` and the tests.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .paths import JURISDICTIONS_DIR, REFERENCE_DIR

# Henan for now: every rule sheet is Henan's. A filing whose sheet names another jurisdiction gets that one.
DEFAULT = "henan"


class JurisdictionError(Exception):
    """A jurisdiction or fact that does not exist, or a day before a fact's first value (message in Chinese)."""


@dataclass(frozen=True)
class Fact:
    name: str
    title: str
    source: str
    values: tuple[tuple[dt.date, Any], ...]   # by date, oldest first
    file: str = ""                            # rules/jurisdictions/<id>.yaml, for messages
    note: str = ""                            # how the project reads the source where it needs reading

    def on(self, day: dt.date, where: str = "") -> Any:
        chosen = None
        for start, value in self.values:
            if start <= day:
                chosen = (start, value)
        if chosen is None:
            first = self.values[0][0] if self.values else None
            since = f"从 {first.isoformat()} 起才有取值" if first else "没有任何取值"
            raise JurisdictionError(f"{where}的“{self.title}”（{self.name}）{since}，{day.isoformat()} 没有可用的值"
                                    f"（{self.file}）。")
        return chosen[1]


@dataclass(frozen=True)
class Segment:
    """One part of a number: fixed `value`, one of the letter codes in `choices`, or characters matching
    `pattern`, maybe within `low`–`high` or a code table. Supervisor cards add `refused` codes (with the reason
    the project refuses them), a `relation` to the institution's number, and `when` (the relation applies only
    when other segments read so)."""
    key: str
    start: int          # 0-based offset
    length: int
    meaning: str
    value: str | None = None
    value_label: str = ""
    short: str = ""
    pattern: str = ""
    low: int | None = None
    high: int | None = None
    table: str = ""
    choices: tuple[tuple[str, str], ...] = ()                 # code → label
    refused: tuple[tuple[str, str], ...] = ()                 # code → why it is refused
    relation: str = ""                                        # institution_tail / issuer_code / institution_code
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()        # segment key → the texts for which `relation` applies
    form: str = ""                                            # the pattern in words (“13 位大写英文字母或数字”)
    note: str = ""                                            # the project's reading of an unclear source

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def positions(self) -> str:
        """1-based positions as the handbook writes them: “1”, “2-5”."""
        return str(self.start + 1) if self.length == 1 else f"{self.start + 1}-{self.end}"

    def of(self, text: str) -> str:
        return text[self.start:self.end]

    @property
    def regex(self) -> str:
        if self.value is not None:
            body = re.escape(self.value)
        elif self.choices:
            body = "|".join(re.escape(code) for code, _ in self.choices)
        else:
            body = self.pattern
        return f"(?P<{self.key}>{body})"


@dataclass(frozen=True)
class NumberFormat:
    """A number made of segments in order (证书编码, 机构备案号), as the jurisdiction's data says on one day."""
    segments: tuple[Segment, ...]
    example: str

    @property
    def length(self) -> int:
        return self.segments[-1].end if self.segments else 0

    def segment(self, key: str) -> Segment:
        for segment in self.segments:
            if segment.key == key:
                return segment
        raise KeyError(key)

    @cached_property
    def pattern(self) -> re.Pattern:
        return re.compile("^" + "".join(s.regex for s in self.segments) + r"\Z")

    @property
    def letters(self) -> int:
        """How many leading characters are letters (the 证书编码's “1 位大写英文字母”)."""
        return sum(1 for ch in self.example if ch.isalpha())


@dataclass(frozen=True, eq=False)   # compared and hashed by identity: one object per file and process
class Jurisdiction:
    id: str
    name: str           # 河南省
    short_name: str     # 河南
    path: Path
    facts: dict[str, Fact]

    def fact(self, name: str, on: dt.date) -> Any:
        """The value of fact `name` that applies on `on`; JurisdictionError before its first date."""
        found = self.facts.get(name)
        if found is None:
            raise JurisdictionError(f"{self.name}的辖区事实中没有“{name}”（{self.path.name}）。")
        return found.on(on, self.name)

    def certificate_number(self, on: dt.date) -> NumberFormat:
        return _number_format(self, "certificate_number", on)

    def filing_number(self, on: dt.date) -> NumberFormat:
        return _number_format(self, "filing_number", on)


def _date(text) -> dt.date:
    return dt.date.fromisoformat(str(text))


def jurisdiction_from(data: dict, path: Path) -> Jurisdiction:
    """The record of one jurisdiction file's data (valid: see jurisdiction_problems)."""
    facts = {}
    for name, raw in (data.get("facts") or {}).items():
        values = tuple(sorted(((_date(day), value) for day, value in (raw.get("values") or {}).items()),
                              key=lambda pair: pair[0]))
        facts[name] = Fact(name, str(raw.get("title", name)), str(raw.get("source", "")), values,
                           f"rules/jurisdictions/{path.name}", str(raw.get("note", "")))
    return Jurisdiction(str(data["id"]), str(data["name"]), str(data.get("short_name", data["name"])), path, facts)


def _data(path: Path) -> dict:
    from .yamlload import load_yaml_file_cached

    return load_yaml_file_cached(path).data


def jurisdiction_files() -> list[Path]:
    return sorted(JURISDICTIONS_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def load_jurisdiction(jurisdiction_id: str = DEFAULT) -> Jurisdiction:
    """The jurisdiction rules/jurisdictions/<id>.yaml, loaded once per process."""
    path = JURISDICTIONS_DIR / f"{jurisdiction_id}.yaml"
    if not re.fullmatch(r"[a-z][a-z0-9-]*", jurisdiction_id or "") or not path.is_file():
        known = "、".join(p.stem for p in jurisdiction_files())
        raise JurisdictionError(f"辖区 {jurisdiction_id} 不存在；可用：{known}。")
    return jurisdiction_from(_data(path), path)


@lru_cache(maxsize=None)
def _by_name() -> dict[str, str]:
    return {str(_data(path).get("name")): path.stem for path in jurisdiction_files()}


def jurisdiction_of(filing) -> Jurisdiction:
    """The jurisdiction whose facts apply to a filing: the one its rule sheet names (`jurisdiction: 河南省`).

    Henan for now, as every sheet is Henan's; a filing naming no sheet or an unknown one gets the default
    (the engine reports the unknown sheet). A registry of institutions may later say which instead."""
    from .sheet import all_sheets

    sheet = all_sheets().get(str(filing.get("profile", "sheet", default="") or ""))
    found = _by_name().get(sheet.jurisdiction) if sheet else None
    if found:
        return load_jurisdiction(found)
    from .registry import RegistryError, home_jurisdiction

    try:
        return load_jurisdiction(home_jurisdiction())
    except RegistryError:  # `beian rules --validate` reports the broken beian.yaml; checks go on with the fallback
        return load_jurisdiction(DEFAULT)


def fact(name: str, on: dt.date, jurisdiction_id: str = DEFAULT) -> Any:
    """A fact of a jurisdiction (the default one unless named) on `on`."""
    return load_jurisdiction(jurisdiction_id).fact(name, on)


def current(name: str) -> Any:
    """A fact of the default jurisdiction on the evaluation date (BEIAN_TODAY, else today).

    For code that has no evaluation date or filing in hand yet: the check functions until they receive
    the jurisdiction with their context, and the identifier formats' default."""
    from .clock import evaluation_date

    return fact(name, evaluation_date())


@lru_cache(maxsize=256)
def _number_format(home: Jurisdiction, name: str, on: dt.date) -> NumberFormat:
    """A number format on one day, with `fact:` segments resolved and a filing number's segment keys
    taken from the certificate number of the same day."""
    raw = home.fact(name, on)
    if name == "filing_number":
        full = _number_format(home, "certificate_number", on)
        chosen = tuple(full.segment(key) for key in raw["segments"])
        length = sum(s.length for s in chosen)
        return NumberFormat(chosen, full.example[:length])
    return NumberFormat(build_segments(home, raw["segments"], on), str(raw.get("example", "")))


def _pairs(mapping) -> tuple[tuple[str, str], ...]:
    return tuple((str(code), str(label)) for code, label in (mapping or {}).items())


def build_segments(home: Jurisdiction, items: list[dict], on: dt.date, start: int = 0) -> tuple[Segment, ...]:
    """The segments a data file lists, from offset `start`, with `fact:` values taken on `on`."""
    segments = []
    for item in items:
        value = item.get("value")
        label = str(item.get("value_label", ""))
        if "fact" in item:
            value, label = str(home.fact(item["fact"], on)), label or home.name
        low, high = (item.get("range") or (None, None))
        when = tuple((str(key), tuple(str(t) for t in texts)) for key, texts in (item.get("when") or {}).items())
        segments.append(Segment(key=item["key"], start=start, length=item["length"], meaning=item["meaning"],
                                value=None if value is None else str(value), value_label=label,
                                short=str(item.get("short", "")), pattern=str(item.get("pattern", "")),
                                low=low, high=high, table=str(item.get("table", "")),
                                choices=_pairs(item.get("choices")), refused=_pairs(item.get("refused")),
                                relation=str(item.get("relation", "")), when=when, form=str(item.get("form", "")),
                                note=str(item.get("note", ""))))
        start += item["length"]
    return tuple(segments)


def code_table(home: Jurisdiction, fact_name: str, on: dt.date) -> dict[str, str]:
    """Code → name of the reference table a `table:` fact names (first column the code, `name` the name)."""
    return _read_table(home.fact(fact_name, on)["table"])


@lru_cache(maxsize=None)
def _read_table(file_name: str) -> dict[str, str]:
    import csv

    with (REFERENCE_DIR / file_name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0] if rows else []
    name_at = header.index("name") if "name" in header else 1
    return {row[0].strip(): row[name_at].strip() for row in rows[1:] if len(row) > name_at}


# --- validating the data files -----------------------------------------------------------------------

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
TABLE_FACTS = ("city_codes", "card_city_codes", "district_codes")
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
            if not (REFERENCE_DIR / value["table"]).is_file():
                problems.append(f"{name}：代码表 rules/reference/{value['table']} 不存在")
    if "supervisor_cards" in facts:
        from .cards import card_format_problems

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
