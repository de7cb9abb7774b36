"""What a bundle, a receipt or a sheet shows about one institution, gathered once.

Scores come from the engine (report.filing_record), never recomputed here; every other
value is read from the filing with Filing.get. Pure data: no weasyprint, no pandas.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..commitments import commitments_of
from ..data_version import DataVersion, data_version
from ..engine import evaluate_path, evaluation_date
from ..filing import Filing
from ..identifiers import decode_certificate_number
from ..paths import PROJECT_ROOT
from ..public_state import PublicResult, in_force, public_result
from ..reference import shared_reference
from ..report import filing_record
from ..sheet import get_sheet

BASIS_SHORT = {"国家职业技能标准": "国家标准", "评价规范": "评价规范"}
# The bundle's parts in order: (anchor, title, the material of rules/filing-categories.yaml it prints;
# None: always printed). A part whose material the filing's 备案类别 does not ask for is left out.
PARTS = (("letter", "备案申请函", "application-letter"),
         ("form", "河南省院校类职业技能等级认定机构备案申请表", "application-form"),
         ("scheme", "职业技能等级认定工作方案", "work-scheme"),
         ("policies", "文件、规章制度清单", "application-form"),
         ("scoresheet", None, None),
         ("scope", "评价机构信息与认定范围清单", "scope-list"),
         ("certificate", "证书样式与样本编号", "work-scheme"))
NUMERALS = "一二三四五六七八九十"


def levels_text(levels) -> str:
    if isinstance(levels, (list, tuple)):
        return "、".join(str(v) for v in levels)
    return "" if levels in (None, "") else str(levels)


def level_label(level) -> str:
    return shared_reference().level_names.get(level, str(level) if level not in (None, "") else "")


def cn_date(value) -> str:
    """'2025-06-16' → '2025年6月16日'; anything else as it is."""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()[:10]
    text = "" if value is None else str(value)
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{d.year}年{d.month}月{d.day}日"


def add_years(start: dt.date, years: int) -> dt.date:
    """Validity end: the day before the same date `years` later (29 Feb → 28 Feb)."""
    from ..dates import years_later

    return years_later(start, years) - dt.timedelta(days=1)


def data_commit(root: Path) -> str:
    """The footer's 数据版本: data_version(root).label."""
    return data_version(root).label


@dataclass
class Context:
    filing: Filing
    record: dict
    sheet: object
    today: dt.date
    commit: str
    extras: dict = field(default_factory=dict)
    version: DataVersion | None = None   # None: only the footer label COMMIT is known

    def __post_init__(self):
        if self.version is None:
            self.version = DataVersion(self.commit)

    # convenient views for templates -----------------------------------------------------
    def g(self, doc, *path, default=None):
        return self.filing.get(doc, *path, default=default)

    @property
    def name(self) -> str:
        return self.filing.name

    @property
    def public(self) -> PublicResult:
        """What the cover, the score sheet and the 汇总表 say about the score: 自评 until 已备案."""
        return public_result(self.record, in_force(self.record, self.today))

    @property
    def center_name(self) -> str:
        return str(self.g("profile", "center", "name", default=f"{self.name}职业技能等级认定中心"))

    @property
    def is_technical(self) -> bool:
        return self.g("profile", "institution", "type") == "技工院校"

    @property
    def is_incremental(self) -> bool:
        return self.g("profile", "application", "category") == "增量备案"

    @property
    def scored(self) -> bool:
        """False for a conditions result (增量备案审核): no score sheet, a list of conditions instead."""
        return self.record.get("policy") != "conditions"

    def needs(self, material: str | None) -> bool:
        """Whether the filing's 备案类别 asks for a material (rules/filing-categories.yaml); unknown: yes."""
        from ..categories import category

        known = category(self.g("profile", "application", "category"))
        return material is None or known is None or any(m.id == material for m in known.materials)

    def parts(self) -> list[tuple[str, str, str]]:
        """(anchor, numbered title, title) of the parts this bundle prints, for the table of contents."""
        sheet_title = "备案技术评估评分表" if self.scored else getattr(self.sheet, "title", "审核条件")
        chosen = [(anchor, title or sheet_title) for anchor, title, material in PARTS if self.needs(material)]
        return [(anchor, f"{NUMERALS[i]}、{title}", title) for i, (anchor, title) in enumerate(chosen)]

    def occupation_name(self, code) -> str:
        for occ in self.filing.items("scope", "occupations"):
            if isinstance(occ, dict) and occ.get("code") == code:
                return str(occ.get("name", code))
        found = shared_reference().occupations.get(code)
        return found.name if found else str(code or "")

    def scope_rows(self) -> list[dict]:
        """The 认定范围清单 rows: the occupation's own levels first, then one row per 工种."""
        rows = []
        for occ in self.filing.items("scope", "occupations"):
            if not isinstance(occ, dict):
                continue
            basis = BASIS_SHORT.get(occ.get("basis"), occ.get("basis") or "")
            own = [] if not occ.get("levels") and occ.get("job_types") else [("", occ.get("levels"))]
            parts = own + [(j.get("name", ""), j.get("levels")) for j in occ.get("job_types") or [] if isinstance(j, dict)]
            for i, (job, levels) in enumerate(parts):
                rows.append({"first": i == 0, "span": len(parts), "code": occ.get("code", ""),
                             "name": occ.get("name", ""), "job": job, "levels": levels_text(levels),
                             "basis": basis, "change": occ.get("change", ""), "majors": "、".join(occ.get("majors") or [])})
        return rows

    def docking_commitment(self) -> dict | None:
        """The exam system's docking commitment, as the check reads it, with its signer and whether it is overdue."""
        found = commitments_of(self.filing, self.today, with_name=True)
        if not found:
            return None
        return {**found[0], "due": found[0]["due"] or ""}

    def category_boxes(self) -> list[tuple[bool, str]]:
        """The 申请表's 备案申请类别 boxes, one per category of rules/filing-categories.yaml: (ticked, its label)."""
        from ..categories import categories

        chosen = self.g("profile", "application", "category")
        return [(name == chosen, known.form_label or name) for name, known in categories().items()]

    def new_occupations(self) -> list[dict]:
        return [o for o in self.filing.items("scope", "occupations") if isinstance(o, dict) and o.get("change") == "新增"]

    def certificate_fields(self) -> list[tuple[str, str, str, str]] | None:
        number = self.g("certificate", "sample_number")
        decoded = decode_certificate_number(str(number)) if number else None
        if not decoded:
            return None
        cities = {code: name for name, code in shared_reference().city_codes.items() if name.endswith("市") or name == "省直"}
        compact = str(number).replace(" ", "")
        return [
            ("第 1 位", compact[0], "评价机构类别代码", "Y：评价机构"),
            ("第 2-5 位", compact[1:5], "评价机构代码", "0000"),
            ("第 6-7 位", compact[5:7], "评价机构所在地省级代码", "41：河南省"),
            ("第 8-9 位", decoded.city, "评价机构（站点）所在地省直或市级代码", f"{decoded.city}：{cities.get(decoded.city, '不在附表1中')}"),
            ("第 10-13 位", decoded.serial, "评价机构（站点）序列码", f"{decoded.serial}（9001-9999）"),
            ("第 14-15 位", decoded.year, "证书核发年份代码", f"20{decoded.year} 年"),
            ("第 16 位", str(decoded.level), "职业技能等级代码", level_label(decoded.level)),
            ("第 17-22 位", decoded.sequence, "证书序列码", f"第 {int(decoded.sequence)} 本"),
        ]

    def validity(self) -> tuple[str, str]:
        """(valid_from, valid_until) as ISO dates; the end computed from the sheet's validity years when absent."""
        start = self.g("profile", "status", "valid_from")
        end = self.g("profile", "status", "valid_until")
        years = getattr(self.sheet, "validity_years", 3) or 3
        if start and not end:
            try:
                end = add_years(dt.date.fromisoformat(str(start)), years).isoformat()
            except ValueError:
                end = ""
        return str(start or ""), str(end or "")


def build_context(directory: Path) -> Context:
    result = evaluate_path(Path(directory), PROJECT_ROOT)
    record = filing_record(result)
    sheet = result.sheet or get_sheet(str(result.filing.get("profile", "sheet", default="henan-2022")))
    version = data_version(Path(directory))
    return Context(result.filing, record, sheet, evaluation_date(), version.label, version=version)
