"""工作计划, 经费保障 (the checks named plan.*: the registry finds a check by its name's first part)."""
from __future__ import annotations

from . import check, deficiency, needs_review
from ..context import CheckContext


@check("plan.work_plan")
def work_plan(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    plan = filing.section("scheme", "plan")
    where = filing.at("scheme", "plan") if plan else filing.at("scheme")
    phases = {p.get("phase") for p in plan.get("phases") or [] if isinstance(p, dict)}
    for phase in params.get("required_phases", []):
        if phase not in phases:
            yield deficiency(f"工作计划缺少“{phase}”。", where)
    if not plan.get("first_batch"):
        yield deficiency("工作计划缺少“首批认定计划”。", where)
    yield needs_review("工作计划是否科学（时间安排、任务分解）由专家判定。", where)


@check("plan.funding")
def funding(ctx: CheckContext):
    filing = ctx.subject
    funding = filing.section("scheme", "funding")
    document = funding.get("document") or {}
    if not (document.get("number") or document.get("file")):
        yield deficiency("没有保障经费来源的文件（scheme.funding.document 的文号或扫描件）。",
                         filing.at("scheme", "funding") if funding else filing.at("scheme"))
