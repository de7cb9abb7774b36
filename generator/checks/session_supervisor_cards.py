"""The 内督 of a session hold a valid card on its days (seed 004: the institution issues 证卡, valid three years),
numbered as their jurisdiction publishes (Guangdong, Beijing, Jiangxi), with the continuing education and age
their jurisdiction requires. Each requirement is read from the institution's jurisdiction data: one it does not
stipulate is not asked (generator/supervision/facts.py)."""
from __future__ import annotations

import datetime as dt

from . import check, deficiency, needs_review
from ..context import CheckContext
from ..dates import parse_date, years_later
from ..filing import Ref
from ..plan_people import venue_people
from ..supervision.age import UNSURE, WITHIN, age_verdict
from ..supervision.facts import stipulated
from .session_scope import exam_days


def _internal_supervisors(filing) -> dict[str, tuple[int, dict]]:
    return {str(p.get("name")): (i, p) for i, p in enumerate(filing.items("personnel", "supervisors"))
            if isinstance(p, dict) and p.get("name")}


@check("session_supervisor_cards.credentials")
def credentials(ctx: CheckContext):
    session, filing, home = ctx.subject, ctx.filing, ctx.jurisdiction
    days = [day for day, _ in exam_days(session)]
    if not days:
        return  # nothing to hold a card against (session-deadline says the plan has no exam day)
    first, last = days[0], days[-1]
    term_years = stipulated(home, "supervisor_term_years", first)
    education = stipulated(home, "continuing_education", first)
    age_limits = stipulated(home, "supervisor_age_limits", first)
    people = _internal_supervisors(filing)
    seen = set()
    for person in venue_people(session):
        if person.role != "内部督导人员" or person.name in seen or person.name not in people:
            continue  # not a listed 内督: session-examiners reports it
        seen.add(person.name)
        _, listing = people[person.name]
        # a session's findings point into its own files: at the plan line naming him; the message names personnel.yaml
        at = Ref("plan", person.path)
        card = listing.get("card") if isinstance(listing.get("card"), dict) else None
        where = f"内部督导员 {person.name}"
        if card is None:
            yield deficiency(f"{where}在 personnel.yaml 中没有督导员证卡（card）：内督须持本机构颁发的证卡到场",
                             at, hint='在该督导员下写 card: {number: 证卡编号, from: "有效期开始", until: "有效期结束"}。')
            continue
        start, end = parse_date(card.get("from")), parse_date(card.get("until"))
        if start and end and not (start <= first and last <= end):
            span = f"{first}" if first == last else f"{first} 至 {last}"
            yield deficiency(f"{where}的证卡有效期 {start} 至 {end} 不含认定日 {span}", at,
                             hint="证卡期满须重新核发：写新证卡的编号和有效期，或改派证卡有效的内督。")
        if term_years and start and end and end >= years_later(start, term_years):
            yield deficiency(f"{where}的证卡有效期 {start} 至 {end} 长于 {term_years} 年", at)
        yield from _card_number(ctx, where, str(card.get("number") or ""), start or first, at)
        if education:
            yield from _education(where, listing, first, at)
        if age_limits:
            verdict = age_verdict(listing.get("sex"), listing.get("birth_year"), first.year, age_limits)
            if verdict.state != WITHIN:
                observe = needs_review if verdict.state == UNSURE else deficiency
                yield observe(verdict.message(where, age_limits), at)


def _card_number(ctx, where: str, number: str, day: dt.date, at: Ref):
    if ctx.jurisdiction is None or not number:
        return
    from ..cards import card_format, card_problems

    if card_format(ctx.jurisdiction, "internal", day) is None:
        return  # the jurisdiction publishes no 内督 card format (Henan): nothing to read it by
    institution_number = ctx.filing.get("profile", "status", "filing_number")
    problems = card_problems(number, ctx.jurisdiction.id, "internal", day,
                             institution_number=str(institution_number) if institution_number else None)
    if problems:
        yield deficiency(f"{where}的证卡编号 {number} 不符合{ctx.jurisdiction.name}内督证卡编码规则：" + "；".join(problems),
                         at, hint=f"用 `beian card {number} --jurisdiction {ctx.jurisdiction.id} --role 内督` 查看逐段解读。")


def _education(where: str, listing: dict, first: dt.date, at: Ref):
    """Annual continuing education (seed 000 第十七条): the year of the session or the one before, as a year's
    course may fall after the session; older or none disqualifies."""
    years = [y for y in listing.get("continuing_education") or [] if isinstance(y, int) and not isinstance(y, bool)]
    if not any(first.year - 1 <= y <= first.year for y in years):
        latest = f"最近一次是 {max(years)} 年" if years else "没有继续教育记录"
        yield deficiency(f"{where}{latest}：内督每年须参加继续教育，{first.year - 1} 年或 {first.year} 年没有合格记录的不能督导",
                         at, hint="在 continuing_education 中写明参加并合格的年份。")
