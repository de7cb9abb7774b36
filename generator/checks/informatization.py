"""信息化建设: exam management system (veto) and video monitoring."""
from __future__ import annotations

import datetime as dt

from . import check, deficiency, needs_review, note
from ..context import CheckContext

PROVINCIAL_PLATFORM = "河南省技能人才评价管理服务平台"


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def signer_text(signed_by, with_name: bool = True) -> str:
    """Who signed a commitment: 职务 then 姓名, or only the position where people are not named."""
    if not isinstance(signed_by, dict):
        return ""
    name, position = str(signed_by.get("name") or ""), str(signed_by.get("position") or "")
    return f"{position}{name}" if with_name else position


def docking_commitment(filing) -> dict | None:
    """The commitment a self-built exam system not yet docked stands on (工作方案 第三部分（七）), or None.

    {"system", "content", "due" (date or None), "signed_by" (dict), "file", "at" (Ref)}: the same record
    for the check, the portal page and the PDF bundle."""
    system = filing.section("scheme", "informatization", "exam_system")
    commitment = system.get("commitment")
    if system.get("kind") != "自建系统" or system.get("docking") is True or not isinstance(commitment, dict):
        return None
    return {"system": system.get("name") or "", "content": str(commitment.get("content") or "").strip().rstrip("。；;."),
            "due": _date(commitment.get("due")), "signed_by": commitment.get("signed_by") or {},
            "file": commitment.get("file"),
            "at": filing.at("scheme", "informatization", "exam_system", "commitment")}


def commitment_overdue(commitment: dict, today: dt.date) -> bool:
    return commitment["due"] is None or commitment["due"] < today


@check("informatization.exam_system")
def exam_system(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    system = filing.section("scheme", "informatization", "exam_system")
    if not system:
        yield deficiency(f"未写明考务管理系统（scheme.informatization.exam_system）；须使用“{PROVINCIAL_PLATFORM}”或能与其对接的自建系统。",
                         filing.at("scheme"))
        return
    where = filing.at("scheme", "informatization", "exam_system")
    if system.get("kind") != "自建系统":
        return
    name = system.get("name", "")
    if system.get("docking") is True:
        if not system.get("docking_evidence"):
            # 评估方式“对照方案听取汇报现场考察”: the panel confirms the docking, no document is named.
            yield needs_review(f"自建考务系统“{name}”声明已与“{PROVINCIAL_PLATFORM}”对接，但未附对接证明材料"
                               "（docking_evidence），由专家听取汇报、现场考察后判定“通过”或“否决”；"
                               "附上证明材料便于专家核对。", where)
        return
    commitment = docking_commitment(filing)
    if commitment is None:
        yield deficiency(f"自建考务系统“{name}”未与“{PROVINCIAL_PLATFORM}”实现对接，也没有对接承诺"
                         "（commitment：承诺内容、完成期限、承诺人；对接完成前不开展认定）。", where)
        return
    today = ctx.today
    due, signer = commitment["due"], signer_text(commitment["signed_by"])
    if commitment_overdue(commitment, today):
        since = (due + dt.timedelta(days=1)).isoformat() if due else "评估日期"
        yield deficiency(f"自建考务系统“{name}”的对接承诺已逾期：承诺 {due} 前与“{PROVINCIAL_PLATFORM}”完成对接"
                         f"（承诺人：{signer}），自 {since} 起逾期，至今未对接。完成对接后改为 docking: true "
                         "并附对接证明（docking_evidence）。", commitment["at"])
        return
    evidence = f"，承诺书 {commitment['file']}" if commitment["file"] else ""
    yield note(f"承诺事项：自建考务系统“{name}”尚未与“{PROVINCIAL_PLATFORM}”对接，按承诺通过否决项——"
               f"{commitment['content']}（{due} 前完成；承诺人：{signer}{evidence}）。对接完成前不得开展认定；"
               f"{due} 后仍未对接即为否决。", commitment["at"])


@check("informatization.video")
def video(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    video = filing.section("scheme", "informatization", "video")
    where = filing.at("scheme", "informatization", "video") if video else filing.at("scheme")
    if not video:
        yield deficiency("未说明考场视频监控情况（scheme.informatization.video）。", where)
        return
    if video.get("theory_rooms") is not True:
        yield deficiency("理论知识考场没有视频监控。", where)
    if video.get("practical_sites") is not True:
        yield deficiency("操作技能考场没有视频监控。", where)
    years = params.get("video_years", 5)
    if (video.get("retention_years") or 0) < years:
        have = f"监控录像保存 {video['retention_years']} 年" if video.get("retention_years") is not None else "未填写监控录像保存年限"
        yield deficiency(f"{have}，要求考后 {years} 年可追溯。", where)
    if video.get("queryable") is not True:
        yield deficiency("录像未实现按考场、场次追溯查询。", where)
