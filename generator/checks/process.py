"""评价工作流程, 工作计划, 经费保障."""
from __future__ import annotations

from . import check, deficiency, needs_review
from ..context import CheckContext


@check("process.workflow")
def workflow(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    flow = filing.section("scheme", "workflow")
    where = filing.at("scheme", "workflow") if flow else filing.at("scheme")
    steps = set(flow.get("steps") or [])
    for step in params.get("required_steps", []):
        if step not in steps:
            yield deficiency(f"工作流程缺少“{step}”环节。", where)
    if not flow.get("flowchart"):
        yield deficiency("未附工作流程图（scheme.workflow.flowchart）。", where)


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
