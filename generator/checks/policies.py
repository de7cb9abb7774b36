"""制度建设 and the management rules of 人员管理及建设: each required 制度 present, with its text.

What loses points is what the 评估标准 names: a 制度 not made (none listed, or listed without its
text, so that the 专家组 cannot 查看文件). The 制定时间 and 文号 are columns of the 申请表's
“文件、规章制度清单”, not words of the 评估标准: a gap there is reported as a notice with its fix.
"""
from __future__ import annotations

from . import check, credit, deficiency, needs_review, note
from ..context import CheckContext

# Categories named by some criterion of the sheet; anything else counts as “其他相关制度”.
NAMED_CATEGORIES = {
    "职业技能等级认定工作规则", "公示公告制度", "质量监督管理办法", "档案管理制度", "题库建设管理办法",
    "证书管理及发放办法", "考场规则", "投诉处理办法", "违规违纪处理办法", "应急预案", "设施设备管理制度",
    "技能考核安全规程", "考评人员管理办法", "内部质量督导人员管理办法", "专家管理办法", "考务人员工作守则",
    "考评人员工作守则", "内部质量督导人员工作守则",
}

# The 申请表 columns the 评估标准 does not score: (key, what, column, how to fill it in).
FORM_COLUMNS = (
    ("date", "制定时间", "制定时间", 'date，如 "2026-01-20"（印发日期）'),
    ("number", "文号", "发文部门及文号", "number，如 豫嵩技院〔2024〕15号"),
)


def _form_gaps(filing, index: int, policy: dict):
    """Notices for the 申请表 columns left empty: no points depend on them."""
    for key, what, column, fix in FORM_COLUMNS:
        if not policy.get(key):
            yield note(f"《{policy.get('title')}》未填{what}（申请表“文件、规章制度清单”的“{column}”一栏）："
                       f"请在本条补写 {fix}。评估标准不以{what}计分，不扣分。", filing.at("policies", "policies", index))


def _review_policies(filing, policies, what: str):
    """Credits for the policies whose text the panel can read; notices for the rest.

    Yields the deficiency only when none of them has its text: then the 制度 is not shown to exist."""
    with_text = [(i, p) for i, p in policies if p.get("file")]
    for index, policy in policies:
        where = filing.at("policies", "policies", index)
        if policy.get("file"):
            # The message is part of a review decision's digest (review_inputs.py): keep it stable.
            yield credit(f"《{policy.get('title')}》（{policy.get('number')}，{policy.get('date')}）", where)
        elif with_text:
            yield note(f"《{policy.get('title')}》未附制度文本（file），专家无法查看，请补交；"
                       f"同类制度已有文本，本项不因此扣分。", where)
        yield from _form_gaps(filing, index, policy)
    if not with_text:
        titles = "、".join(f"《{p.get('title')}》" for _, p in policies)
        yield deficiency(f"{titles}未附制度文本（file）：评估方式是“查看文件”，没有文本无法认定已制订{what}。"
                         "请在本条写明制度文本的路径，如 file: evidence/制度/xxx.pdf。",
                         filing.at("policies", "policies", policies[0][0]))


@check("policies.present")
def present(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    listed = [(i, p) for i, p in enumerate(filing.items("policies", "policies")) if isinstance(p, dict)]
    judged = []
    for category in params.get("categories", []):
        matching = [(i, p) for i, p in listed if p.get("category") == category]
        if not matching:
            yield deficiency(f"制度清单中没有“{category}”。", filing.at("policies", "policies") if listed else filing.at("policies"))
            continue
        judged.extend(filing.at("policies", "policies", i) for i, _ in matching)
        yield from _review_policies(filing, matching, f"“{category}”")
    if judged:
        # The reviewer judges these policies only: a new policy of another category leaves the decision current.
        yield needs_review("制度是否全面、科学合理、可操作性强，由专家查看文件后判定。",
                           filing.at("policies", "policies"), tuple(judged))


@check("policies.other")
def other(ctx: CheckContext):
    filing = ctx.subject
    listed = [(i, p) for i, p in enumerate(filing.items("policies", "policies"))
              if isinstance(p, dict) and p.get("category") not in NAMED_CATEGORIES]
    if not listed:
        yield deficiency("没有评分表所列以外的其他相关制度（如财务管理制度）。",
                         filing.at("policies", "policies") if filing.items("policies", "policies") else filing.at("policies"))
        return
    yield from _review_policies(filing, listed, "其他相关制度")
    yield needs_review("其他制度是否科学合理、可操作性强，由专家查看文件后判定。", filing.at("policies", "policies"),
                       tuple(filing.at("policies", "policies", i) for i, _ in listed))
