"""Jurisdiction facts (rules/jurisdictions/<id>.yaml) as dated data: province code, authorities,
platform, city-code table, certificate and 备案号 formats, deadlines and retention years.

Modelled on OpenFisca's dated parameters: a fact's `values` map the date from which a value applies to the
value, and `fact(name, on)` takes the value of the latest date on or before `on`. A day before the first date
has no value: the lookup raises JurisdictionError saying so, instead of using a value that did not yet apply.

Loading needs only PyYAML (through the project's cached loader) and happens once per process, so `beian check`
stays light. The Cerberus validation (generator/jurisdiction_schema.py) runs in `beian rules --validate` and the tests.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .paths import rules_file, rules_files

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
    """The record of one jurisdiction file's data (valid: see jurisdiction_schema.jurisdiction_problems)."""
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
    return rules_files("jurisdictions")


@lru_cache(maxsize=None)
def load_jurisdiction(jurisdiction_id: str = DEFAULT) -> Jurisdiction:
    """The jurisdiction rules/jurisdictions/<id>.yaml, loaded once per process."""
    path = rules_file("jurisdictions", f"{jurisdiction_id}.yaml")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", jurisdiction_id or "") or not path.is_file():
        known = "、".join(p.stem for p in jurisdiction_files())
        raise JurisdictionError(f"辖区 {jurisdiction_id} 不存在；可用：{known}。")
    return jurisdiction_from(_data(path), path)


@lru_cache(maxsize=None)
def _by_name() -> dict[str, str]:
    return {str(_data(path).get("name")): path.stem for path in jurisdiction_files()}


def jurisdiction_id_for(sheet_id, root: Path | None = None) -> str:
    """The id of the jurisdiction an institution whose profile names rule sheet SHEET_ID belongs to: the one
    the sheet names (`jurisdiction: 河南省`); for no sheet or an unknown one (the engine reports it), the one the
    registry at ROOT serves (beian.yaml), else the fallback."""
    from .registry import RegistryError, home_jurisdiction
    from .sheet import all_sheets

    sheet = all_sheets().get(str(sheet_id or ""))
    found = _by_name().get(sheet.jurisdiction) if sheet else None
    if found:
        return found
    try:
        return home_jurisdiction(root) if root is not None else home_jurisdiction()
    except RegistryError:  # `beian rules --validate` reports the broken beian.yaml; checks go on with the fallback
        return DEFAULT


def jurisdiction_of(filing) -> Jurisdiction:
    """The jurisdiction whose facts apply to a filing (jurisdiction_id_for its profile's rule sheet)."""
    return load_jurisdiction(jurisdiction_id_for(filing.get("profile", "sheet", default="")))


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

    with rules_file("reference", file_name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0] if rows else []
    name_at = header.index("name") if "name" in header else 1
    return {row[0].strip(): row[name_at].strip() for row in rows[1:] if len(row) > name_at}


# The facts that are code tables (rules/reference/<table>.csv): segments may take their codes from them.
TABLE_FACTS = ("city_codes", "card_city_codes", "district_codes")
