"""The reviewers register (rules/reviewers.yaml): who may make a decision that counts, and where.

A decision in reviews.yaml names its reviewer as free text, e.g. `赵文涛（专家组组长）`. It matches
a register entry on the name alone: the text before the first bracket (full-width `（` or `(`),
with surrounding and invisible whitespace removed. The bracketed role is for the human reader
and is not compared, so `赵文涛（组长）` and `赵文涛` are the same person; names in the register
are unique, so a name never matches two people.

A reviewer's jurisdictions are provinces or cities. A province covers every institution scored
against that province's sheet (the sheet's `jurisdiction`); a city covers institutions whose
profile.yaml `institution.city` is that city. The trailing 省/市 is optional on both sides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .escaping import is_blank, without_invisible

REGISTER_FILE = "reviewers.yaml"


@dataclass(frozen=True)
class Reviewer:
    name: str
    role: str
    github: str
    jurisdictions: tuple[str, ...]


@dataclass(frozen=True)
class Register:
    reviewers: tuple[Reviewer, ...]
    problems: tuple[str, ...] = ()  # why entries were left out; `beian codeowners` reports them

    def by_name(self, text) -> Reviewer | None:
        name = person_name(text)
        return next((r for r in self.reviewers if r.name == name), None) if name else None

    def by_login(self, login: str | None) -> Reviewer | None:
        # GitHub logins are case-insensitive.
        wanted = (login or "").strip().casefold()
        return next((r for r in self.reviewers if r.github.casefold() == wanted), None) if wanted else None


def person_name(text) -> str:
    """'赵文涛（专家组组长）' → '赵文涛'."""
    return re.split(r"[（(]", without_invisible(text), maxsplit=1)[0].strip()


def _place(text) -> str:
    name = without_invisible(text)
    return name[:-1] if len(name) > 2 and name.endswith(("省", "市")) else name


def covers(reviewer: Reviewer, city, province) -> bool:
    """May REVIEWER decide for an institution in CITY, scored against PROVINCE's sheet?"""
    places = {_place(p) for p in (city, province) if p and not is_blank(p)}
    return any(_place(j) in places for j in reviewer.jurisdictions)


def parse_register(data) -> Register:
    """A Register from the loaded YAML; malformed or duplicate entries are left out and named."""
    reviewers, problems, names, logins = [], [], set(), set()
    entries = data.get("reviewers") if isinstance(data, dict) else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or any(is_blank(entry.get(k)) for k in ("name", "role", "github")) \
                or not isinstance(entry.get("jurisdictions"), list) or not entry["jurisdictions"]:
            problems.append(f"第 {index + 1} 项缺少姓名、身份、GitHub 账号或可评审的地区。")
            continue
        reviewer = Reviewer(without_invisible(entry["name"]), without_invisible(entry["role"]),
                            without_invisible(entry["github"]),
                            tuple(without_invisible(j) for j in entry["jurisdictions"] if not is_blank(j)))
        if reviewer.name in names or reviewer.github.casefold() in logins:
            problems.append(f"第 {index + 1} 项 {reviewer.name}（{reviewer.github}）与前面的评审人重名或账号重复。")
            continue
        names.add(reviewer.name)
        logins.add(reviewer.github.casefold())
        reviewers.append(reviewer)
    if not isinstance(entries, list):
        problems.append("名册中没有 reviewers 列表。")
    return Register(tuple(reviewers), tuple(problems))


def load_register(path: Path) -> Register:
    """The register at PATH; an empty register (nobody's decision counts) when missing or unreadable."""
    from .yamlload import YamlSyntaxError, load_yaml

    try:
        document, _ = load_yaml(path.read_text(encoding="utf-8"), path.name)
    except (OSError, UnicodeDecodeError, YamlSyntaxError) as exc:
        return Register((), (f"无法读取评审人名册 {path.name}：{exc}",))
    return parse_register(document.data)


_override: Register | None = None


def use_register(register: Register | None) -> None:
    """Score with REGISTER instead of rules/reviewers.yaml (a PR check scoring with the base's register)."""
    global _override
    _override = register


@lru_cache(maxsize=None)
def _project_register() -> Register:
    from .paths import own_rules_file

    return load_register(own_rules_file(REGISTER_FILE))


def register() -> Register:
    return _override or _project_register()
