"""证书样式 (veto): issuer name, seal and the sample number's national format."""
from __future__ import annotations

import datetime as dt

from . import check, deficiency, note
from ..context import CheckContext
from ..identifiers import certificate_number_problems, decode_certificate_number

SUFFIX = "职业技能等级认定中心"
SEAL_SUFFIXES = (SUFFIX, SUFFIX + "职业技能等级认定专用章")


@check("certificate.design")
def design(ctx: CheckContext):
    filing, ref, params = ctx.subject, ctx.reference, ctx.params
    certificate = filing.section("certificate")
    if not certificate:
        yield deficiency("未提供证书样式（certificate.yaml）。", filing.at("certificate"))
        return
    issuer = certificate.get("issuer") or ""
    if not issuer.endswith(SUFFIX):
        yield deficiency(f"发证机构名称“{issuer}”应为“xxx{SUFFIX}”。", filing.at("certificate", "issuer"))
    center = filing.get("profile", "center", "name")
    if center and issuer and issuer != center:
        yield deficiency(f"发证机构名称“{issuer}”与认定中心名称“{center}”不一致。", filing.at("certificate", "issuer"))
    seal = certificate.get("seal")
    if seal and not seal.endswith(SEAL_SUFFIXES):
        yield deficiency(f"印章名称“{seal}”应为“xxx{SUFFIX}”或“xxx{SUFFIX}职业技能等级认定专用章”。",
                         filing.at("certificate", "seal"))
    if not certificate.get("sample"):
        yield deficiency("未提供证书样本（certificate.sample）。", filing.at("certificate"))
    number = certificate.get("sample_number")
    if not number:
        yield deficiency("未填写样本证书编号（certificate.sample_number）。", filing.at("certificate"))
        return
    where = filing.at("certificate", "sample_number")
    for problem in certificate_number_problems(str(number), set(ref.city_codes.values())):
        yield deficiency(f"样本证书编号 {number}：{problem}。", where)
    decoded = decode_certificate_number(str(number))
    if decoded is None:
        return
    yield from _issue_year(decoded, ctx, where)
    city = filing.get("profile", "institution", "city")
    expected_city = ref.city_codes.get(city) if city else None
    if expected_city and decoded.city != expected_city:
        yield deficiency(f"样本证书编号第 8-9 位是 {decoded.city}，机构所在地{city}的代码应为 {expected_city}。", where)
    filing_number = filing.get("profile", "status", "filing_number")
    if filing_number and decoded.filing_number != filing_number:
        yield note(f"样本证书编号前 13 位 {decoded.filing_number} 与机构备案号 {filing_number} 不一致，正式发证时应使用备案号。", where)


def _issue_year(decoded, ctx: CheckContext, where):
    """第 14-15 位 (证书核发年份后两位) must name a year a certificate could have been issued in."""
    today, first = ctx.today, ctx.params.get("first_issue_year")
    year = decoded.issue_year
    if year > today.year:
        yield deficiency(f"样本证书编号第 14-15 位“{decoded.year}”是证书核发年份后两位，即 {year} 年，"
                         f"晚于评估日期所在的 {today.year} 年；请改为实际（或拟）发证年份。", where)
    elif first and year < first:
        yield deficiency(f"样本证书编号第 14-15 位“{decoded.year}”是证书核发年份后两位，即 {year} 年，"
                         f"早于 {first} 年，而河南院校职业技能等级认定 {first} 年才开始，此前不会核发这种证书"
                         "（理由见 `beian explain veto-certificate`）；请改为实际（或拟）发证年份。", where)
