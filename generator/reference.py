"""Reference data from rules/reference/: occupation catalogue, 工种 and standards, city codes, levels.

Loaded lazily and once per process; the csv module is enough and keeps the
check path free of pandas.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .cache import cached
from .paths import rules_file
from .yamlload import load_yaml_file_cached

@dataclass(frozen=True, slots=True)
class Occupation:
    code: str
    name: str
    major_code: str
    major_name: str
    middle_code: str
    middle_name: str
    minor_code: str
    minor_name: str
    marker: str = ""


@dataclass(frozen=True, slots=True)
class JobType:
    name: str
    levels: tuple[int, ...]      # empty: not stated separately from the standard
    verified: bool


@dataclass(frozen=True, slots=True)
class Standard:
    """What is known about the national standard of one occupation."""

    exists: bool | None          # None: unknown
    title: str
    levels: tuple[int, ...]
    verified: bool
    source: str
    job_types: dict              # name → JobType
    # How many 工种 the 2022 catalogue (online edition) lists under the occupation; None: not recorded.
    catalogue_job_type_count: int | None = None


@dataclass(frozen=True, slots=True)
class Occupation2015:
    """One row of occupations_2015_derived.csv: a 2015 catalogue occupation with a derived code."""

    code: str
    name: str
    major_code: str
    code_2022: str               # the 2022 code of the same name; "" when the 2022 edition has none
    status: str                  # same_code_in_2022, name_in_2022_other_code, not_in_2022, suspect_parse

    @property
    def trusted(self) -> bool:
        """suspect_parse rows are PDF text artefacts (SOURCES.md): never taken as evidence."""
        return self.status != "suspect_parse"


_COLUMNS = ("code", "name", "major_code", "major_name", "middle_code", "middle_name", "minor_code", "minor_name",
            "green_digital_marker")


def _index_catalogue(text: str) -> dict:
    import csv  # here, not at the top: a start-up that finds the catalogue in its cache never parses CSV

    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    order = [header.index(column) for column in _COLUMNS]
    rows = {row[order[0]]: tuple(row[i] for i in order) for row in reader if row}
    by_name: dict[str, list[str]] = {}
    for code, row in rows.items():
        by_name.setdefault(row[1], []).append(code)
    groups: dict[str, str] = {}
    for row in rows.values():
        groups.setdefault(row[3], "大类")
        groups.setdefault(row[5], "中类")
        groups.setdefault(row[7], "小类")
    # A 小类 with a single occupation of the same name is legitimately both.
    group_names = {name: kind for name, kind in groups.items() if name and name not in by_name}
    return {"rows": rows, "by_name": by_name, "group_names": group_names}


class _OccupationTable:
    """code → Occupation, building each record only when it is looked up (a start-up cost otherwise)."""

    def __init__(self, rows: dict):
        self._rows = rows
        self._built: dict[str, Occupation] = {}

    def get(self, code, default=None):
        occupation = self._built.get(code)
        if occupation is None:
            row = self._rows.get(code)
            if row is None:
                return default
            occupation = self._built[code] = Occupation(*row)
        return occupation

    def __getitem__(self, code) -> Occupation:
        occupation = self.get(code)
        if occupation is None:
            raise KeyError(code)
        return occupation

    def __contains__(self, code) -> bool:
        return code in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def values(self):
        return [self[code] for code in self._rows]


def _read_csv(path: Path) -> list[dict]:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap of neighbours) from a to b: a typo's distance."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class Reference:
    def __init__(self, directory: Path | None = None):
        self.directory = directory  # None: rules/reference/, each table the repository's own or the packaged one

    def _table(self, name: str) -> Path:
        return self.directory / name if self.directory else rules_file("reference", name)

    @cached_property
    def _catalogue(self) -> dict:
        """The catalogue as plain tuples plus its indexes, parsed once and cached on disk."""
        path = self._table("occupations_2022.csv")
        text = path.read_text(encoding="utf-8")
        return cached("catalogue", f"{path.name}|{text}", lambda: _index_catalogue(text))

    @cached_property
    def occupations(self) -> "_OccupationTable":
        return _OccupationTable(self._catalogue["rows"])

    @cached_property
    def occupations_by_name(self) -> dict[str, list[Occupation]]:
        rows = self._catalogue["rows"]
        return {name: [Occupation(*rows[code]) for code in codes] for name, codes in self._catalogue["by_name"].items()}

    @cached_property
    def group_names(self) -> dict[str, str]:
        """Names of 大类/中类/小类 → their kind, to catch a group name used as an occupation."""
        return self._catalogue["group_names"]

    @cached_property
    def occupations_2015(self) -> dict[str, Occupation2015]:
        """Derived 2015 code → row (occupations_2015_derived.csv; read SOURCES.md before relying on it)."""
        return {row["code_2015_derived"]: Occupation2015(row["code_2015_derived"], row["name"], row["major_code"],
                                                         row["code_2022_same_name"], row["status"])
                for row in _read_csv(self._table("occupations_2015_derived.csv"))}

    def edition_2015(self, code, name) -> Occupation2015 | None:
        """The 2015 row for a declared code and name that the 2022 edition does not have as a pair."""
        current = self.occupations.get(code)
        if current is not None and current.name == name:
            return None
        old = self.occupations_2015.get(code)
        return old if old is not None and old.name == name else None

    def lookup_code(self, code, name) -> str | None:
        """The 2022 code to look standards, levels and 工种 up by, for a declared code and name.

        A pair valid only in the 2015 edition is looked up by its 2022 same-name code, or by nothing
        when the 2022 edition has no such name or the 2015 row is not to be trusted. Anything else is
        looked up by the declared code, as it is written (scope-occupations reports a wrong pair).
        """
        old = self.edition_2015(code, name)
        if old is None:
            return code
        if not old.trusted or not old.code_2022:
            return None
        return old.code_2022

    def nearest_codes(self, code: str, limit: int = 3, within: int = 2) -> list[Occupation]:
        """The 2022 codes nearest to a mistyped code (fewest edits, at most `within`), up to `limit`.

        Among codes equally near, two swapped digits come first (the commonest slip), then the
        code sharing the longest start with what was typed (the same 中类/小类).
        """
        code = str(code)
        scored = []
        for candidate in self.occupations:
            distance = _edit_distance(code, candidate)
            if distance <= within:
                shared = next((i for i, (x, y) in enumerate(zip(code, candidate)) if x != y),
                              min(len(code), len(candidate)))
                scored.append((distance, sorted(code) != sorted(candidate), -shared, candidate))
        if not scored:
            return []
        nearest = min(entry[0] for entry in scored)
        return [self.occupations[entry[-1]] for entry in sorted(scored) if entry[0] == nearest][:limit]

    @cached_property
    def level_names(self) -> dict[int, str]:
        """Level code → “一级/高级技师” … “五级/初级工” (skill_levels.csv, seed 004 附表2 with the usual names)."""
        return {int(row["code"]): f"{row['name']}/{row['alias']}" for row in _read_csv(self._table("skill_levels.csv"))}

    @cached_property
    def city_codes(self) -> dict[str, str]:
        """City name (郑州市, also 郑州) → two-digit certificate code."""
        codes: dict[str, str] = {}
        for row in _read_csv(self._table("henan_city_codes.csv")):
            name, code = row["name"].strip(), row["cert_code"].strip()
            codes[name] = code
            if name.endswith("市"):
                codes[name[:-1]] = code
        return codes

    @cached_property
    def standards(self) -> dict[str, Standard]:
        path = self._table("occupation_standards.yaml")
        if not path.exists():
            return {}
        document = load_yaml_file_cached(path)
        result = {}
        for code, entry in (document.data or {}).get("occupations", {}).items():
            standard = entry.get("standard") or {}
            job_types = {}
            for job in entry.get("job_types") or []:
                job_types[job["name"]] = JobType(job["name"], tuple(job.get("levels") or ()), bool(job.get("verified")))
            exists = standard.get("exists")
            result[str(code)] = Standard(
                exists=exists if isinstance(exists, bool) else None,
                title=standard.get("title", ""),
                levels=tuple(standard.get("levels") or ()),
                verified=bool(standard.get("verified")),
                source=str(standard.get("source", "")),
                job_types=job_types,
                catalogue_job_type_count=_count(entry.get("catalogue_job_type_count")),
            )
        return result


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


_shared: Reference | None = None


def shared_reference() -> Reference:
    global _shared
    if _shared is None:
        _shared = Reference()
    return _shared
