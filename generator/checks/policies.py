"""制度建设 and the management rules of 人员管理及建设: each required 制度 present and complete."""
from __future__ import annotations

from . import check, credit, deficiency, needs_review

# Categories named by some criterion of the sheet; anything else counts as “其他相关制度”.
NAMED_CATEGORIES = {
    "职业技能等级认定工作规则", "公示公告制度", "质量监督管理办法", "档案管理制度", "题库建设管理办法",
    "证书管理及发放办法", "考场规则", "投诉处理办法", "违规违纪处理办法", "应急预案", "设施设备管理制度",
    "技能考核安全规程", "考评人员管理办法", "内部质量督导人员管理办法", "专家管理办法", "考务人员工作守则",
    "考评人员工作守则", "内部质量督导人员工作守则",
}


def _gaps(policy: dict) -> list[str]:
    gaps = []
    if not policy.get("date"):
        gaps.append("制定时间")
    if not policy.get("number"):
        gaps.append("文号")
    if not policy.get("file"):
        gaps.append("制度文本")
    return gaps


def _review_policies(filing, policies):
    for index, policy in policies:
        gaps = _gaps(policy)
        where = filing.at("policies", "policies", index)
        if gaps:
            yield deficiency(f"《{policy.get('title')}》缺少{'、'.join(gaps)}。", where)
        else:
            yield credit(f"《{policy.get('title')}》（{policy.get('number')}，{policy.get('date')}）", where)


@check("policies.present")
def present(filing, ref, params):
    listed = [(i, p) for i, p in enumerate(filing.items("policies", "policies")) if isinstance(p, dict)]
    judged = []
    for category in params.get("categories", []):
        matching = [(i, p) for i, p in listed if p.get("category") == category]
        if not matching:
            yield deficiency(f"制度清单中没有“{category}”。", filing.at("policies", "policies") if listed else filing.at("policies"))
            continue
        judged.extend(filing.at("policies", "policies", i) for i, _ in matching)
        yield from _review_policies(filing, matching)
    if judged:
        # The reviewer judges these policies only: a new policy of another category leaves the decision current.
        yield needs_review("制度是否全面、科学合理、可操作性强，由专家查看文件后判定。",
                           filing.at("policies", "policies"), tuple(judged))


@check("policies.other")
def other(filing, ref, params):
    listed = [(i, p) for i, p in enumerate(filing.items("policies", "policies"))
              if isinstance(p, dict) and p.get("category") not in NAMED_CATEGORIES]
    if not listed:
        yield deficiency("没有评分表所列以外的其他相关制度（如财务管理制度）。",
                         filing.at("policies", "policies") if filing.items("policies", "policies") else filing.at("policies"))
        return
    yield from _review_policies(filing, listed)
    yield needs_review("其他制度是否科学合理、可操作性强，由专家查看文件后判定。", filing.at("policies", "policies"),
                       tuple(filing.at("policies", "policies", i) for i, _ in listed))
