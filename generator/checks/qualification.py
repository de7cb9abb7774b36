"""资质: the two veto items about the institution itself."""
from __future__ import annotations

from . import check, deficiency
from ..context import CheckContext

ELIGIBLE_TYPES = ("技工院校", "高等职业学校", "本科院校", "中等职业学校")


@check("qualification.unit_nature")
def unit_nature(ctx: CheckContext):
    filing, ref = ctx.subject, ctx.reference
    institution = filing.section("profile", "institution")
    kind = institution.get("type")
    if kind not in ELIGIBLE_TYPES:
        yield deficiency(f"院校类型“{kind}”不在适用范围内（{'、'.join(ELIGIBLE_TYPES)}）。",
                         filing.at("profile", "institution", "type"))
    city = institution.get("city")
    if not city:
        yield deficiency("未填写所在地（institution.city），无法确认是省内院校。", filing.at("profile", "institution"))
    elif city not in ref.city_codes:
        yield deficiency(f"所在地“{city}”不是河南省辖市、济源示范区或“省直”。", filing.at("profile", "institution", "city"))
    approval = institution.get("approval") or {}
    if not approval.get("file"):
        yield deficiency("未提供依法依规设立、具有招生资质的批准文件（institution.approval.file）。",
                         filing.at("profile", "institution", "approval") if approval else filing.at("profile", "institution"))
    elif not approval.get("number"):
        yield deficiency("设立批文缺少文号（institution.approval.number）。", filing.at("profile", "institution", "approval"))


@check("qualification.legal_entity")
def legal_entity(ctx: CheckContext):
    filing = ctx.subject
    institution = filing.section("profile", "institution")
    is_legal = institution.get("is_legal_person")
    where = filing.at("profile", "institution", "is_legal_person")
    if is_legal is True:
        if not institution.get("credit_code"):
            yield deficiency("具备法人资格但未填写统一社会信用代码。", filing.at("profile", "institution"))
        if not institution.get("legal_certificate"):
            yield deficiency("未提供法人证书或营业执照（institution.legal_certificate）。", where)
    elif is_legal is False:
        if not institution.get("legal_commitment"):
            yield deficiency("不具备法人资格，且未提供其法人承担完全法律责任的承诺书（institution.legal_commitment）。", where)
    else:
        yield deficiency("未说明是否具备法人资格（institution.is_legal_person）。", filing.at("profile", "institution"))
