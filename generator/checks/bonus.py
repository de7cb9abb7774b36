"""优先项目: standard development, national question bank development, former assessment station."""
from __future__ import annotations

from . import check, credit, note
from ..context import CheckContext


def _participation(filing, key: str, what: str):
    scope_codes = {e.get("code") for e in filing.items("scope", "occupations") if isinstance(e, dict)}
    for index, record in enumerate(filing.items("profile", "achievements", key)):
        where = filing.at("profile", "achievements", key, index)
        occupation = record.get("occupation")
        if not occupation:
            yield note(f"{what}“{record.get('description')}”未写明所属职业（occupation），无法确认是“本职业”，不计分。", where)
            continue
        if occupation not in scope_codes:
            yield note(f"{what}“{record.get('description')}”所属职业 {occupation} 不在本次申请范围内，不计为“本职业”。", where)
            continue
        yield credit(f"{what}：{record.get('description')}", where)


@check("bonus.standard_development")
def standard_development(ctx: CheckContext):
    filing = ctx.subject
    yield from _participation(filing, "standard_development", "参与国家职业技能标准开发")


@check("bonus.question_bank_development")
def question_bank_development(ctx: CheckContext):
    filing = ctx.subject
    yield from _participation(filing, "question_bank_development", "参与国家题库开发")


@check("bonus.former_station")
def former_station(ctx: CheckContext):
    filing = ctx.subject
    station = filing.section("profile", "achievements", "former_station")
    if not station:
        return
    where = filing.at("profile", "achievements", "former_station")
    existing = filing.get("profile", "application", "existing_code")
    if filing.get("profile", "application", "category") == "初次备案" and existing and existing != station.get("code"):
        yield note(f"原鉴定所（站）代码 {station.get('code')} 与申请表中的“原鉴定所(站)代码” {existing} 不一致。", where)
    if station.get("file"):
        yield credit(f"原设职业技能鉴定所（站）{station.get('name', '')}（代码 {station.get('code')}）", where)
    else:
        yield note("填写了原鉴定所（站）代码，但未提供鉴定许可证复印件，不能加分。", where)
