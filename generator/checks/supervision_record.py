"""A supervision record judged as a record: on a form this registry accepts, answered item by item, consistent
with its session and the department's dispatches, by a supervisor whose card held that day, signed within the
form's deadline, and (for a 外督's record) with the institution's feedback about him. What the answers say about
the session — its score, levels, vetoes — is the form's (generator/forms/answers.py), not these checks'.

Messages name supervisors by card number only: a record's findings reach the check output of an institution's
repository, the names stay in the department's register."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import check, deficiency, needs_review, note
from ..context import CheckContext
from ..dates import parse_date
from ..filing import Ref
from ..plan_people import exam_days, venue_people

EXTERNAL, INTERNAL = "外督", "内督"
EVALUATION_TYPE = "职业技能等级认定"   # every session of this registry (rules/kinds.yaml `session`)


def _record(ctx: CheckContext) -> dict:
    return _data(ctx.subject)


def _data(record) -> dict:
    document = record.docs.get("record")
    return document.data if document and isinstance(document.data, dict) else {}


def _form(ctx: CheckContext):
    from ..forms.model import get_form

    return get_form(str(_record(ctx).get("form") or ""))


def _at(*path) -> Ref:
    return Ref("record", tuple(path))


def _project_root(ctx: CheckContext) -> Path:
    return ctx.filing.root.resolve().parent.parent   # institutions/<slug> → the project


def _register(ctx: CheckContext):
    """The register of the department the institution answers to (department/<its jurisdiction>/), loaded once
    per institution; None when the repository has none."""
    key = "supervision-register"
    if key not in ctx.filing.derived:
        from ..filing import load_register
        from ..paths import REGISTERS_FOLDER
        from ..supervision.load import register_of

        folder = _project_root(ctx) / REGISTERS_FOLDER / (ctx.jurisdiction.id if ctx.jurisdiction else "")
        ctx.filing.derived[key] = register_of(load_register(folder, _project_root(ctx))) \
            if ctx.jurisdiction and (folder / "supervisors.yaml").is_file() else None
    return ctx.filing.derived[key]


def _internal_cards(ctx: CheckContext) -> dict[str, dict]:
    """card number → the 内督's personnel listing."""
    from ..supervision.load import internal_cards

    return internal_cards(ctx.filing)


def _role(ctx: CheckContext) -> str:
    """外督 or 内督: as written, else whether the card is one of the institution's own 内督 cards."""
    written = _record(ctx).get("role")
    if written in (EXTERNAL, INTERNAL):
        return written
    return INTERNAL if str(_record(ctx).get("card") or "") in _internal_cards(ctx) else EXTERNAL


def _plan_key(ctx: CheckContext) -> str:
    session = ctx.session
    return f"{session.root.parent.parent.name}/{session.root.name}"


@check("supervision_record.form_chosen")
def form_chosen(ctx: CheckContext):
    from ..forms.model import all_forms
    from ..registry import accepted_forms

    record = _record(ctx)
    written = str(record.get("form") or "")
    form = _form(ctx)
    if form is None:
        yield deficiency(f"记录表“{written}”不存在", _at("form"),
                         hint="rules/forms/ 中的表有：" + "、".join(all_forms()) + "；用 `beian forms --list` 查看。")
        return
    accepted = accepted_forms(_project_root(ctx))
    if form.id not in accepted:
        yield deficiency(f"本登记册不采用{form.short_title}（{form.id}）", _at("form"),
                         hint="本登记册采用的表：" + ("、".join(accepted) or "（未选定：在 beian.yaml 的 supervision_forms 中列出）"))
    card = str(record.get("card") or "")
    expected = f"{form.id}-{card}.yaml"
    if ctx.subject.kind.files[0].name != expected:
        yield deficiency(f"文件名应为 {expected}（表编号-证卡编号），现在是 {ctx.subject.kind.files[0].name}", _at("form"),
                         hint="一份记录一个文件，按表和证卡命名，部门才能按证卡找到每名督导员的记录。")
    role = _role(ctx)
    if role not in form.supervisor_roles:
        yield deficiency(f"{form.short_title}由{'、'.join(form.supervisor_roles)}填写（或为其填写），"
                         f"证卡 {card} 是{role}", _at("role") if record.get("role") else _at("card"))
    if form.applies_to and EVALUATION_TYPE not in form.applies_to:
        better = [f for f in all_forms().values() if f.jurisdiction == form.jurisdiction and EVALUATION_TYPE in f.applies_to
                  and f.filled_by == form.filled_by]
        yield deficiency(f"{form.short_title}用于{'、'.join(form.applies_to)}，认定计划是{EVALUATION_TYPE}", _at("form"),
                         hint=f"{EVALUATION_TYPE}的督导用{better[0].short_title}（{better[0].id}）。" if better else None)


@check("supervision_record.answers_complete")
def answers_complete(ctx: CheckContext):
    from ..forms.answers import judge

    form, record = _form(ctx), _record(ctx)
    if form is None:
        return  # record-form says so
    judged = judge(form, record)
    answers = record.get("answers") if isinstance(record.get("answers"), dict) else {}
    keys = {str(k): k for k in answers}
    for answer in judged.answers:
        item = answer.item
        where = _at("answers", keys[item.id]) if item.id in keys else _at("answers") if answers else _at("form")
        if answer.answer is None:
            yield deficiency(f"{item.called}未作答", where, hint=f"在 answers 中写 \"{item.id}\": 以下之一：{'、'.join(item.labels)}。")
        elif not answer.valid:
            yield deficiency(f"{item.called}的答案“{answer.answer}”不是表上的选项", where,
                             hint=f"只能是：{'、'.join(item.labels)}。")
        elif form.remarks_required and answer.problem and not answer.remark:
            yield deficiency(f"{item.called}勾选了“{answer.answer}”，表上要求按序号在“{form.remarks_field}”栏说明问题，没有说明",
                             where, hint=f"在 remarks 中写 \"{item.id}\": 发现的问题。（{form.remarks_note}）")
    for field, key in judged.unknown_keys:
        yield deficiency(f"{field} 中的“{key}”不是{form.short_title}上的条目", _at(field),
                         hint="用 `beian forms --list` 或表的说明页查看条目编号。")
    for section in form.sections:
        if section.rated and section.id not in judged.ratings:
            yield deficiency(f"“{section.title}”没有综合评定", _at("ratings") if record.get("ratings") else _at("form"),
                             hint=f"在 ratings 中写 {section.id}: 以下之一：{'、'.join(form.ratings)}。")
        elif section.rated and judged.ratings[section.id] not in form.ratings:
            yield deficiency(f"“{section.title}”的综合评定“{judged.ratings[section.id]}”不是表上的选项", _at("ratings", section.id),
                             hint=f"只能是：{'、'.join(form.ratings)}。")
    if form.vetoes and not isinstance(record.get("vetoes"), list):
        yield deficiency("没有写明一票否决项的勾选情况", _at("form"),
                         hint="在 vetoes 中列出勾选了的一票否决项编号：" + "、".join(v.id for v in form.vetoes) + "；都没有勾选写 vetoes: []。")
    header = record.get("header") if isinstance(record.get("header"), dict) else {}
    for field in form.header:
        if field.source == "record.header" and not str(header.get(field.id) or "").strip():
            yield deficiency(f"表头“{field.label}”未填写", _at("header") if header else _at("form"),
                             hint=f"在 header 中写 {field.id}: …")
        elif field.source in ("record.arrived", "record.departed") and not record.get(field.source.split(".")[1]):
            yield deficiency(f"表头“{field.label}”未填写", _at("form"), hint=f"写 {field.source.split('.')[1]}: \"时:分\"。")
    if form.judging == "feedback" and not str(record.get("feedback") or "").strip():
        yield deficiency(f"没有填写“{form.feedback_label}”", _at("form"),
                         hint="在 feedback 中写：" + "、".join(form.feedback_topics) + "等情况。")


@check("supervision_record.matches_session")
def matches_session(ctx: CheckContext):
    form, record, session = _form(ctx), _record(ctx), ctx.session
    plan_number = str(session.get("plan", "plan_number", default=session.slug))
    written = str(record.get("plan_number") or "")
    if written and written != plan_number:
        yield deficiency(f"记录的评价计划编号 {written} 不是所在认定计划的编号 {plan_number}", _at("plan_number"),
                         hint="记录放在哪个认定计划的 supervision/ 中，就只能是那个计划的记录。")
    day = parse_date(record.get("date"))
    days = [d for d, _ in exam_days(session)]
    if day and days:
        after = form is not None and form.after_session
        if form is not None and form.subject == "supervisor":
            # feedback about a supervisor: the day he came, an exam day or that of his own record (materials, after)
            card = str(record.get("card") or "")
            days += [d for d in (parse_date(_data(other).get("date")) for other in ctx.siblings
                                 if str(_data(other).get("card") or "") == card) if d]
        if after and day < days[-1]:
            yield deficiency(f"{form.short_title}是认定之后的材料督导，督导日期 {day} 早于最后一个考试日 {days[-1]}", _at("date"))
        elif not after and day not in days:
            listed = "、".join(str(d) for d in sorted(set(days)))
            yield deficiency(f"督导日期 {day} 不是本计划的考试日（{listed}）", _at("date"),
                             hint="现场督导在考试日到场；写到场督导的那一天。")
    arrived, departed = record.get("arrived"), record.get("departed")
    if isinstance(arrived, str) and isinstance(departed, str) and arrived >= departed:
        yield deficiency(f"进场时间 {arrived} 不早于离场时间 {departed}", _at("departed"))


@check("supervision_record.supervisor_entitled")
def supervisor_entitled(ctx: CheckContext):
    record = _record(ctx)
    card, day = str(record.get("card") or ""), parse_date(record.get("date"))
    if not card or day is None:
        return  # the schema requires both
    if _role(ctx) == INTERNAL:
        yield from _internal(ctx, card, day)
    else:
        yield from _external(ctx, card, day)


def _internal(ctx: CheckContext, card: str, day: dt.date):
    person = _internal_cards(ctx).get(card)
    if person is None:
        yield deficiency(f"证卡 {card} 不是本机构任何内部督导员的证卡（personnel.yaml supervisors[].card）", _at("card"))
        return
    listed = {p.name for p in venue_people(ctx.session) if p.role == "内部督导人员"}
    if str(person.get("name")) not in listed:
        yield deficiency(f"证卡 {card} 的内督不是本计划考点安排的内部督导人员", _at("card"),
                         hint="内督按认定计划 plan.yaml 各考点的 supervisors 安排。")
    held = person["card"]
    start, end = parse_date(held.get("from")), parse_date(held.get("until"))
    if start and end and not start <= day <= end:
        yield deficiency(f"证卡 {card} 的有效期 {start} 至 {end} 不含督导日 {day}", _at("card"),
                         hint="证卡期满的内督不能督导：由证卡有效的内督填写记录。")


def _external(ctx: CheckContext, card: str, day: dt.date):
    register = _register(ctx)
    if register is None:
        yield needs_review(f"本仓库没有{ctx.jurisdiction.name if ctx.jurisdiction else ''}外督名册（department/），"
                           f"无法核对外督证卡 {card} 和委派", _at("card"))
        return
    supervisor = register.supervisor(card)
    if supervisor is None:
        yield deficiency(f"证卡 {card} 不在外督名册 department/{register.jurisdiction}/supervisors.yaml 中", _at("card"),
                         hint="核对证卡编号；名册中没有的人不是本辖区的外督。")
        return
    visits = [v for v in register.visits if v.session == _plan_key(ctx)]
    serving = [a for v in visits for a in v.serving if a.card == card]
    if not serving:
        why = "委派记录中没有对本计划的委派" if not visits else "对本计划的委派中没有此证卡，或其已拒绝委派"
        yield deficiency(f"外督 {card} 没有被委派督导本计划：{why}", _at("card"),
                         hint="外督只能按委派机构的委派到场督导（seed 001 第二十一条“未经委派擅自参加”）。")
    if not supervisor.in_term(day):
        span = f"{supervisor.term_start} 至 {supervisor.term_end}" if supervisor.term_start else "未写明"
        yield deficiency(f"外督 {card} 的聘期（{span}）不含督导日 {day}：证卡已失效", _at("card"))
    if supervisor.disqualified_on and supervisor.disqualified_on <= day:
        yield deficiency(f"外督 {card} 已于 {supervisor.disqualified_on} 被取消督导资格", _at("card"))


@check("supervision_record.signed_in_time")
def signed_in_time(ctx: CheckContext):
    from ..workdays import unpublished_text

    form, record = _form(ctx), _record(ctx)
    day, signed = parse_date(record.get("date")), parse_date(record.get("signed"))
    if signed is None:
        yield deficiency("记录没有签字日期（signed）", _at("form"), hint="写督导员（反馈表：填报单位）签字的日期。")
        return
    if day and signed < day:
        yield deficiency(f"签字日期 {signed} 早于督导日期 {day}", _at("signed"))
        return
    if form is None or form.deadline is None or day is None:
        return
    limit = form.deadline
    due = limit.due(day)
    if due is None:
        years = sorted({day.year, signed.year})
        yield needs_review(f"{unpublished_text(years)}，数不出督导日期 {day} 后的 {limit.words}", _at("signed"))
        return
    if signed > due:
        yield deficiency(f"{form.short_title}应在督导工作结束后 {limit.words}内提交（{limit.source}）：督导日期 {day}，"
                         f"最迟 {due}，签字日期 {signed}，晚了 {(signed - due).days} 天", _at("signed"))


@check("supervision_record.feedback_present")
def feedback_present(ctx: CheckContext):
    from ..forms.model import get_form

    form, record = _form(ctx), _record(ctx)
    if form is None or not form.feedback_form or _role(ctx) != EXTERNAL:
        return
    feedback = get_form(form.feedback_form)
    card = str(record.get("card") or "")
    wanted = f"{form.feedback_form}-{card}"
    if any(other.slug == wanted for other in ctx.siblings):
        return
    day = parse_date(record.get("date"))
    if feedback and feedback.deadline and day and not feedback.deadline.working \
            and ctx.today <= day + dt.timedelta(days=feedback.deadline.days):
        yield note(f"机构对外督 {card} 的{feedback.short_title}（{wanted}.yaml）还没有提交，"
                   f"期限 {day + dt.timedelta(days=feedback.deadline.days)}", _at("card"))
        return
    title = feedback.short_title if feedback else form.feedback_form
    yield deficiency(f"没有机构对外督 {card} 的{title}（{wanted}.yaml）", _at("card"),
                     hint=f"评价机构在评价结束后填写{title}，放在同一 supervision/ 文件夹中。")
