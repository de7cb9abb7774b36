"""评价工作流程."""
from __future__ import annotations

from . import check, deficiency
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
