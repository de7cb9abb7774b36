"""Reference data from rules/reference/: occupation catalogue, 工种 and standards, city codes, levels.

Loaded lazily and once per process; the csv module is enough and keeps the
check path free of pandas.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .paths import REFERENCE_DIR
from .textfile import read_text
from .yamlload import load_yaml

LEVEL_NAMES = {1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}


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


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Reference:
    def __init__(self, directory: Path = REFERENCE_DIR):
        self.directory = directory

    @cached_property
    def occupations(self) -> dict[str, Occupation]:
        rows = _read_csv(self.directory / "occupations_2022.csv")
        return {
            row["code"]: Occupation(
                row["code"], row["name"], row.get("major_code", ""), row.get("major_name", ""),
                row.get("middle_code", ""), row.get("middle_name", ""), row.get("minor_code", ""),
                row.get("minor_name", ""), row.get("green_digital_marker", "") or "")
            for row in rows
        }

    @cached_property
    def occupations_by_name(self) -> dict[str, list[Occupation]]:
        index: dict[str, list[Occupation]] = {}
        for occupation in self.occupations.values():
            index.setdefault(occupation.name, []).append(occupation)
        return index

    @cached_property
    def group_names(self) -> dict[str, str]:
        """Names of 大类/中类/小类 → their kind, to catch a group name used as an occupation."""
        names: dict[str, str] = {}
        for occupation in self.occupations.values():
            names.setdefault(occupation.major_name, "大类")
            names.setdefault(occupation.middle_name, "中类")
            names.setdefault(occupation.minor_name, "小类")
        for name in list(names):
            if name in self.occupations_by_name:
                # A 小类 with a single occupation of the same name is legitimately both.
                del names[name]
        names.pop("", None)
        return names

    @cached_property
    def city_codes(self) -> dict[str, str]:
        """City name (郑州市, also 郑州) → two-digit certificate code."""
        codes: dict[str, str] = {}
        for row in _read_csv(self.directory / "henan_city_codes.csv"):
            name, code = row["name"].strip(), row["cert_code"].strip()
            codes[name] = code
            if name.endswith("市"):
                codes[name[:-1]] = code
        return codes

    @cached_property
    def standards(self) -> dict[str, Standard]:
        path = self.directory / "occupation_standards.yaml"
        if not path.exists():
            return {}
        document, _ = load_yaml(read_text(path), path.name)
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
            )
        return result


_shared: Reference | None = None


def shared_reference() -> Reference:
    global _shared
    if _shared is None:
        _shared = Reference()
    return _shared
