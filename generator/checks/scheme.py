"""实施方案: the work scheme's framework and the school's basic situation."""
from __future__ import annotations

from . import check, deficiency, needs_review, note
from ..context import CheckContext


def _filled(value) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


@check("scheme.framework")
def framework(ctx: CheckContext):
    filing = ctx.subject
    scheme = filing.section("scheme")
    basics = scheme.get("basics") or {}
    organisation = scheme.get("organisation") or {}
    parts = {
        "一、院校基本情况": _filled(basics.get("overview")),
        "二、认定对象、职业（工种）范围和评价方式": _filled(scheme.get("targets")) and _filled(scheme.get("methods"))
        and _filled(filing.items("scope", "occupations")),
        "四、认定工作流程": _filled((scheme.get("workflow") or {}).get("steps")),
        "五、工作计划安排": _filled((scheme.get("plan") or {}).get("phases")),
        "六、证书样式": _filled(scheme.get("certificate_design")) or _filled(filing.get("certificate", "sample")),
    }
    safeguards = {
        "组织机构": _filled(organisation), "设施设备": _filled(scheme.get("facilities")),
        "规章制度": _filled(filing.items("policies", "policies")),
        "人员队伍": _filled(scheme.get("staffing")) or _filled(filing.items("personnel", "examiners")),
        "信息化": _filled(scheme.get("informatization")), "经费": _filled(scheme.get("funding")),
        "质量保障": _filled(scheme.get("quality")),
    }
    missing_safeguards = [name for name, ok in safeguards.items() if not ok]
    for part, ok in parts.items():
        if not ok:
            yield deficiency(f"工作方案缺少“{part}”部分。", filing.at("scheme"))
    if missing_safeguards:
        yield deficiency("工作方案“三、开展认定工作的保障”不完整，缺少：" + "、".join(missing_safeguards) + "。",
                         filing.at("scheme"))
    if not scheme.get("file"):
        yield note("未附工作方案全文（scheme.file）；专家评估时需对照全文。", filing.at("scheme"))
    yield needs_review("方案结构由程序核对；“可操作性”需专家对照方案判定，每项扣 2 分。", filing.at("scheme"))


@check("scheme.overview")
def overview(ctx: CheckContext):
    filing = ctx.subject
    basics = filing.section("scheme", "basics")
    if not _filled(basics.get("overview")):
        yield deficiency("工作方案未写学校基本概况（scheme.basics.overview）。", filing.at("scheme", "basics"))
    if not basics.get("training_plan"):
        yield deficiency("未提供《人才培养方案》（scheme.basics.training_plan）。", filing.at("scheme", "basics"))


@check("scheme.majors")
def majors(ctx: CheckContext):
    filing = ctx.subject
    basics = filing.section("scheme", "basics")
    if not _filled(basics.get("majors")):
        yield deficiency("工作方案未写技能相关专业开设情况（scheme.basics.majors）。", filing.at("scheme", "basics"))
    if not _filled(basics.get("featured_majors")):
        yield deficiency("工作方案未写技能类特色专业建设情况（scheme.basics.featured_majors）。", filing.at("scheme", "basics"))
