"""档案: how long a session's records are kept, and its 内部质量督导报告.

seed 004 第四部分 一 评估评分表“档案管理场所设施”（纸质材料保存 3 年、电子材料保存 5 年）, 第四部分 六 填表说明
（监控或录像资料考后 5 年可追溯）: the jurisdiction's `archive_retention_years` fact. 第五部分“档案管理”五 puts the
技能人才评价内部质量督导报告 in every session's archive, and the 质量督导人员管理办法 七 has the 督导组 hand it in
within 2 days of the session's end. Both apply once the session has an outcome; a session still to come has nothing
to archive yet.
"""
from __future__ import annotations

from . import check, deficiency
from ..context import CheckContext
from .session_certificates import issue_day
from .validity import evidence_status

KINDS = (("paper", "paper_years", "纸质材料"), ("electronic", "electronic_years", "电子材料"),
         ("video", "video_years", "视频监控资料"))


@check("session_archives.retention")
def retention(ctx: CheckContext):
    session = ctx.subject
    if "outcome" not in session.docs:
        return  # not held yet: nothing to archive
    minimum = ctx.jurisdiction.fact("archive_retention_years", issue_day(session, ctx.today))
    archives = session.get("outcome", "archives")
    if not isinstance(archives, dict):
        wanted = "、".join(f"{label} {minimum[key]} 年" for key, _, label in KINDS)
        yield deficiency(f"认定结果未写资料归档保存年限（archives）；至少应为{wanted}。", session.at("outcome"),
                         "在 outcome.yaml 中填写 archives: {paper_years, electronic_years, video_years}。")
    else:
        for key, field, label in KINDS:
            years = archives.get(field)
            if not isinstance(years, int):
                yield deficiency(f"资料归档未写{label}保存年限（archives.{field}），至少应为 {minimum[key]} 年。",
                                 session.at("outcome", "archives"))
            elif years < minimum[key]:
                yield deficiency(f"{label}保存 {years} 年，少于规定的 {minimum[key]} 年。",
                                 session.at("outcome", "archives", field), f"改为至少 {minimum[key]} 年，并按此保存。")
    report = session.get("outcome", "supervision_report")
    if not report:
        yield deficiency("认定结果没有内部质量督导报告（supervision_report）：每次认定结束后督导组须提交有全体成员签名的"
                         "质量督导报告并归档。", session.at("outcome"),
                         "把督导报告放在本计划的 evidence/ 下，在 outcome.yaml 写 supervision_report: evidence/文件名。")
        return
    found = [exists for doc, path, _, reason, exists in evidence_status(session)
             if doc == "outcome" and path == ("supervision_report",) and not reason]
    if found and not found[0]:
        yield deficiency(f"内部质量督导报告“{report}”不存在。", session.at("outcome", "supervision_report"),
                         "把督导报告文件放到写明的位置，或改正路径。")
