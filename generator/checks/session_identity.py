"""A session is called by its folder name everywhere (reports, portal, calendar, later supervision
records); the plan's own 评价计划编号 must be that name, or one assessment would have two."""
from __future__ import annotations

from . import check, deficiency
from ..context import CheckContext


@check("session_identity.folder_name")
def folder_name(ctx: CheckContext):
    session = ctx.subject
    number = session.get("plan", "plan_number")
    if number is not None and str(number) != session.root.name:
        yield deficiency(f"评价计划编号 plan_number 是“{number}”，而文件夹名是“{session.root.name}”。",
                         session.at("plan", "plan_number"),
                         f"把文件夹 sessions/{session.root.name} 改名为 sessions/{number}，或把 plan_number 改为 {session.root.name}。")
