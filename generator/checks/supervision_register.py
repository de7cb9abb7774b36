"""The department's register of 外督 (department/<jurisdiction>/supervisors.yaml): who it holds and whether
each may serve. What each jurisdiction requires is its data (generator/supervision/facts.py): a rule asks
only what the register's own jurisdiction stipulates."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from . import check, deficiency, needs_review, note
from ..context import CheckContext
from ..dates import years_later
from ..filing import Ref
from ..supervision.age import UNSURE, WITHIN, age_verdict
from ..supervision.dispatch_rules import experience_problem
from ..supervision.facts import stipulated
from ..supervision.load import register_of
from ..supervision.model import DISQUALIFIED, REFUSED


def _at(supervisor, key: str = "card") -> Ref:
    return Ref("supervisors", ("supervisors", supervisor.index, key))


@check("supervision_register.identity")
def identity(ctx: CheckContext):
    folder, register = ctx.subject, register_of(ctx.subject)
    written = folder.get("supervisors", "jurisdiction")
    if written is not None and str(written) != folder.slug:
        yield deficiency(f"名册写的辖区是 {written}，但它在 department/{folder.slug}/ 文件夹中",
                         Ref("supervisors", ("jurisdiction",)),
                         hint=f"把 jurisdiction 改为 {folder.slug}，或把名册移到 department/{written}/。")
    if ctx.jurisdiction is None or ctx.jurisdiction.id != folder.slug:
        from ..jurisdiction import jurisdiction_files

        known = "、".join(p.stem for p in jurisdiction_files())
        yield deficiency(f"department/{folder.slug}/ 不是已收录的辖区（rules/jurisdictions/ 中有：{known}）",
                         Ref("supervisors", ("jurisdiction",)), hint="文件夹名须是辖区编号。")
    counts = Counter(s.card for s in register.supervisors if s.card)
    for supervisor in register.supervisors:
        if counts[supervisor.card] > 1 and register.supervisor(supervisor.card) is not supervisor:
            first = register.supervisor(supervisor.card)
            yield deficiency(f"证卡编号 {supervisor.card} 重复：{supervisor.name}与{first.name}（第 {first.index + 1} 名）"
                             "用了同一个编号", _at(supervisor), hint="一人一个证卡编号，核对证卡后改正。")
    names = Counter(s.name for s in register.supervisors)
    for supervisor in register.supervisors:
        if names[supervisor.name] > 1 and register.supervisor(supervisor.card) is supervisor and \
                next(s for s in register.supervisors if s.name == supervisor.name) is supervisor:
            yield note(f"名册中有 {names[supervisor.name]} 名同名督导员“{supervisor.name}”，委派和回避按证卡编号区分",
                       _at(supervisor, "name"))
    for visit in register.visits:
        for assignment in visit.assignments:
            if assignment.card and register.supervisor(assignment.card) is None:
                yield deficiency(f"委派 {visit.session} 的证卡编号 {assignment.card} 不在名册中",
                                 Ref("dispatches", ("visits", visit.index, "supervisors", assignment.index, "card")),
                                 hint="核对证卡编号；新聘的督导员先加入 supervisors.yaml。")




def _refusals_in_a_row(register, supervisor) -> int:
    """How many of the supervisor's latest dispatches in a row he refused."""
    ordered = sorted(register.visits, key=lambda v: (v.made or dt.date.min, v.index))
    answers = [a.response for visit in ordered for a in visit.assignments if a.card == supervisor.card]
    count = 0
    for answer in reversed(answers):
        if answer != REFUSED:
            break
        count += 1
    return count


@check("supervision_register.eligibility")
def eligibility(ctx: CheckContext):
    register, today, home = register_of(ctx.subject), ctx.today, ctx.jurisdiction
    experience = stipulated(home, "supervisor_experience", today)
    age_limits = stipulated(home, "supervisor_age_limits", today)
    term_years = stipulated(home, "supervisor_term_years", today)
    refusal_limit = stipulated(home, "refusal_limit", today)
    for supervisor in register.supervisors:
        if supervisor.disqualified_on and supervisor.status != DISQUALIFIED:
            yield deficiency(f"{supervisor.label}有取消资格记录（{supervisor.disqualified_on}），资格状态却是“{supervisor.status}”",
                             _at(supervisor, "status"), hint="资格状态改为“取消资格”，或删去取消资格记录。")
        if supervisor.status == DISQUALIFIED:
            continue  # no longer serves: the conditions of service no longer apply
        if refusal_limit and _refusals_in_a_row(register, supervisor) >= refusal_limit:
            yield deficiency(f"{supervisor.label}最近连续 {refusal_limit} 次不接受指派，应取消其督导资格",
                             _at(supervisor, "status"), hint="资格状态改为“取消资格”并写明取消资格的日期和原因。")
        if experience:
            problem = experience_problem(supervisor, experience)
            if problem:
                yield deficiency(problem, _at(supervisor, "years_in_assessment"))
        if age_limits:
            verdict = age_verdict(supervisor.sex, supervisor.birth_year, today.year, age_limits)
            if verdict.state != WITHIN:
                observe = needs_review if verdict.state == UNSURE else deficiency
                yield observe(verdict.message(supervisor.label, age_limits), _at(supervisor, "birth_year"))
        if term_years and supervisor.term_start and supervisor.term_end:
            if supervisor.term_end >= years_later(supervisor.term_start, term_years):
                yield deficiency(f"{supervisor.label}聘期 {supervisor.term_start} 至 {supervisor.term_end}，长于规定的 {term_years} 年",
                                 _at(supervisor, "term"), hint=f"聘期 {term_years} 年，届满可续聘：续聘另写新的起止日期。")
        if supervisor.term_end and supervisor.term_end < today:
            yield note(f"{supervisor.label}聘期已于 {supervisor.term_end} 届满（自动解聘，不再委派；续聘的改写聘期）",
                       _at(supervisor, "term"))


@check("supervision_register.cards")
def cards(ctx: CheckContext):
    """Each 外督's card number read by the format the register's jurisdiction publishes for 外督 on the day
    the term starts (a card is issued for its term); none published (Henan) → nothing to hold against it."""
    from ..cards import card_problems

    register = register_of(ctx.subject)
    if ctx.jurisdiction is None:
        return  # register-identity reports the unknown jurisdiction
    for supervisor in register.supervisors:
        if not supervisor.card:
            continue
        day = supervisor.term_start or ctx.today
        problems = card_problems(supervisor.card, ctx.jurisdiction.id, "external", day)
        if problems:
            yield deficiency(f"{supervisor.label}的证卡编号不符合{ctx.jurisdiction.name}外督证卡编码规则："
                             + "；".join(problems), _at(supervisor),
                             hint=f"用 `beian card {supervisor.card} --jurisdiction {ctx.jurisdiction.id} --role 外督` "
                                  "查看逐段解读，对照证卡改正。")
