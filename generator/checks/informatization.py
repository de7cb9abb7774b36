"""信息化建设: exam management system (veto) and video monitoring."""
from __future__ import annotations

from . import check, deficiency

PROVINCIAL_PLATFORM = "河南省技能人才评价管理服务平台"


@check("informatization.exam_system")
def exam_system(filing, ref, params):
    system = filing.section("scheme", "informatization", "exam_system")
    if not system:
        yield deficiency(f"未写明考务管理系统（scheme.informatization.exam_system）；须使用“{PROVINCIAL_PLATFORM}”或能与其对接的自建系统。",
                         filing.at("scheme"))
        return
    where = filing.at("scheme", "informatization", "exam_system")
    if system.get("kind") == "自建系统":
        if system.get("docking") is not True:
            yield deficiency(f"自建考务系统“{system.get('name', '')}”未与“{PROVINCIAL_PLATFORM}”实现对接。", where)
        elif not system.get("docking_evidence"):
            yield deficiency("自建考务系统已声明对接，但未提供对接证明材料（docking_evidence）。", where)


@check("informatization.video")
def video(filing, ref, params):
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
