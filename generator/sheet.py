"""Rule sheets (评分表) as data: loading rules/sheets/*.yaml into plain records.

The sheet is validated with Cerberus (generator/sheet_schema.py) by `beian rules
--validate` and by the tests, not on every check run: the fast path trusts the
sheet it ships with.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .paths import rules_files
from .yamlload import YamlSyntaxError, load_yaml_file_cached

MODES = ("all_or_nothing", "deduction", "per_item", "discretion", "veto", "bonus", "condition")
MODE_LABELS = {
    "all_or_nothing": "满分或零分",
    "deduction": "逐项扣分",
    "per_item": "逐项得分",
    "discretion": "专家酌情给分",
    "veto": "否决项",
    "bonus": "优先项目加分",
    "condition": "条件（符合或不符合，不计分）",
}
# The modes a reviewer decides with an outcome instead of points: (passing word, failing word).
OUTCOMES = {"veto": ("通过", "否决"), "condition": ("符合", "不符合")}
# How a rule set turns its criteria into a decision (generator/decision.py): points against a pass mark,
# or every condition met, or (a supervision record) every condition met with the record's form judged beside.
POLICIES = ("points", "conditions", "form")


@dataclass(frozen=True)
class Criterion:
    id: str
    section: str
    group: str
    title: str
    content: str
    standard: str
    mode: str
    method: str
    check: str
    max: int = 0
    per: int = 0
    points: int = 0
    review: bool = False
    zero_if_deficient: bool = False
    params: dict = field(default_factory=dict, hash=False, compare=False)
    interpretation: str | None = None
    line: int | None = None

    @property
    def is_veto(self) -> bool:
        return self.mode == "veto"

    @property
    def is_bonus(self) -> bool:
        return self.mode == "bonus"

    @property
    def is_condition(self) -> bool:
        return self.mode == "condition"

    @property
    def outcomes(self) -> tuple[str, str] | None:
        """(pass, fail) words of a decision by outcome (veto, condition); None for a decision by points."""
        return OUTCOMES.get(self.mode)

    @property
    def mode_label(self) -> str:
        label = MODE_LABELS[self.mode]
        if self.mode == "deduction":
            label += f"（每项 {self.per} 分，扣完为止）"
        if self.mode == "per_item":
            label += f"（每项 {self.per} 分，满分为止）"
        if self.mode == "bonus":
            label += f"（{self.points} 分）"
        return label

    @property
    def needs_judgment(self) -> bool:
        return self.review or self.mode == "discretion"


@dataclass(frozen=True)
class Sheet:
    id: str
    title: str
    effective: str
    threshold: int
    max_score: int
    jurisdiction: str
    issuer: str
    document: str
    source: str
    bonus_policy: dict
    validity_years: int
    sections: tuple
    criteria: tuple
    path: Path | None = None
    # "points" (threshold, vetoes, bonus) or "conditions" (every condition met); see generator/decision.py
    policy: str = "points"
    # a conditions rule set names its decision, e.g. 增量备案审核 → “增量备案审核：具备条件”
    decision_title: str = ""
    # the verdicts' own words, when not the policy's (eligible / ineligible / pending_review → 中文)
    decision_labels: dict = field(default_factory=dict, hash=False, compare=False)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    @property
    def scored(self) -> list[Criterion]:
        return [c for c in self.criteria if c.mode not in ("veto", "bonus", "condition")]

    @property
    def conditions(self) -> list[Criterion]:
        return [c for c in self.criteria if c.is_condition]

    @property
    def vetoes(self) -> list[Criterion]:
        return [c for c in self.criteria if c.is_veto]

    @property
    def bonuses(self) -> list[Criterion]:
        return [c for c in self.criteria if c.is_bonus]


class SheetError(Exception):
    pass


def sheet_files() -> list[Path]:
    """By name without the suffix, so an edition comes before its variants (henan-2022, henan-2022-incremental)."""
    return sorted(rules_files("sheets"), key=lambda path: path.stem)


def load_sheet_data(path: Path):
    try:
        return load_yaml_file_cached(path)
    except YamlSyntaxError as exc:
        raise SheetError(f"{path.name}: {exc.problem.message}") from None


# A space with CJK on both sides (as the text stood before any space was dropped: lookarounds read the original).
_SPACE_BETWEEN_CJK = re.compile("(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")


def _text(value):
    """YAML folds line breaks into spaces, which Chinese text does not have: drop a space between CJK."""
    if not isinstance(value, str) or " " not in value:
        return value.strip() if isinstance(value, str) else value
    return _SPACE_BETWEEN_CJK.sub("", value.strip())


@lru_cache(maxsize=None)
def load_sheet(path: Path) -> Sheet:
    document = load_sheet_data(path)
    data = document.data
    criteria = []
    for index, raw in enumerate(data["criteria"]):
        known = {k: _text(raw[k]) for k in Criterion.__dataclass_fields__ if k in raw and k != "line"}
        criteria.append(Criterion(**known, line=document.line_of(("criteria", index))))
    return Sheet(
        id=data["id"], title=data["title"], effective=str(data["effective"]),
        threshold=data.get("threshold", 0), max_score=data.get("max_score", 0),
        jurisdiction=data.get("jurisdiction", ""), issuer=data.get("issuer", ""),
        document=data.get("document", ""), source=data.get("source", ""),
        bonus_policy=data.get("bonus_policy", {}), validity_years=data.get("validity_years", 3),
        sections=tuple(data.get("sections", ())),
        criteria=tuple(criteria), path=path,
        policy=data.get("policy", "points"), decision_title=data.get("decision_title", ""),
        decision_labels=data.get("decision_labels") or {},
    )


@lru_cache(maxsize=None)
def all_sheets() -> dict[str, Sheet]:
    sheets = {}
    for path in sheet_files():
        sheet = load_sheet(path)
        sheets[sheet.id] = sheet
    return sheets


def get_sheet(sheet_id: str) -> Sheet | None:
    return all_sheets().get(sheet_id)


def find_criterion(rule_id: str) -> tuple[Sheet, Criterion] | None:
    """Look a criterion up as `id` or `sheet/id`; the newest sheet wins for a bare id."""
    if "/" in rule_id:
        sheet_id, _, criterion_id = rule_id.partition("/")
        sheet = get_sheet(sheet_id)
        criterion = sheet.criterion(criterion_id) if sheet else None
        return (sheet, criterion) if criterion else None
    for sheet in sorted(all_sheets().values(), key=lambda s: s.effective, reverse=True):
        criterion = sheet.criterion(rule_id)
        if criterion:
            return sheet, criterion
    return None
