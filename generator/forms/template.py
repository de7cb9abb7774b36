"""`beian new-record`: a commented blank supervision record for one session, form and card.

Every item is written with an empty answer and its printed options in a comment beside it, so the person filling
it picks one; the header fields the form asks of the record are “（请填写…）” placeholders and the signature date is
a commented-out line. An unedited template therefore never passes: record-answers reports each unanswered item,
text-placeholder each placeholder and record-deadline the missing signature. Nothing is pre-ticked — a template
that answered “一致” everywhere would be a compliant record nobody wrote.

It never overwrites: an existing record file is refused.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .model import Form

SAFE_CARD = re.compile(r"^[^\s/\\.][^\s/\\]{2,39}\Z")   # schemas/record.schema.json card, and no path


def _quoted(value) -> str:
    """A YAML double-quoted scalar (JSON's quoting is YAML's): safe whatever the text holds."""
    return json.dumps(str(value), ensure_ascii=False)


def record_template(form: Form, card: str, plan_number: str, role: str, day: str | None, schemas: str,
                    example_signed: str | None = None) -> str:
    """The record YAML of FORM: blank for `beian new-record` (answers empty, options in comments, placeholders
    for what the record must say); with EXAMPLE_SIGNED, the illustration on the form's docs page, every item
    answered with its first printed option and every field filled (generator/forms/docs.py)."""
    example = example_signed is not None

    def blank(label: str) -> str:  # what a field the person writes holds in each mode
        return _quoted(f"（{label}）") if example else f"（请填写{label}）"

    lines = [f"# yaml-language-server: $schema={schemas}/record.schema.json"]
    if not example:
        lines += [f"# {form.short_title}（{form.id}）：{form.document}{form.article}。逐项在冒号后写勾选的选项原文（注释中列出了可选的），",
                  "# 不要删去未勾选的条目；写完用 `beian check` 检查，用 `beian forms --record 本文件` 打印。"]
    whose = "被反馈的外督" if form.subject == "supervisor" else "填表督导员"
    lines += [f"form: {form.id}", f"card: {_quoted(card)}          # {whose}的证卡编号" + ("（示意）" if example else ""),
              f"role: {role}", f"plan_number: {_quoted(plan_number)}",
              f"date: {_quoted(day) if day else ''}" + "          # 督导日期（连续多日写最后一天）"]
    sources = {h.source for h in form.header}
    for key, label, time in (("arrived", "进场时间", "07:50"), ("departed", "离场时间", "17:20")):
        if f"record.{key}" in sources:
            lines.append(f"{key}: {_quoted(time)}" if example else f"{key}:                 # {label}，时:分，例如 \"08:00\"")
    header = [h for h in form.header if h.source == "record.header"]
    if header:
        lines.append("header:")
        lines += [f"  {h.id}: {blank(h.label)}" for h in header]
    if form.items:
        lines.append("answers:            # 每一项都要填：条目编号 → 勾选的选项原文")
        for section in form.sections:
            lines.append(f"  # —— {section.title}" + (f"（{section.points} 分）" if section.points else ""))
            for item in section.items:
                options = " / ".join(o.shown for o in item.options) + (f" / {item.full_marks_for}（此项满分）"
                                                                       if item.full_marks_for else "")
                answer = f" {_quoted(item.options[0].label)}" if example else ""
                lines.append(f"  {_quoted(item.id)}:{answer}   # {item.number + ' ' if item.number else ''}{item.text}：{options}")
    if form.items:
        need = "必须" if form.remarks_required else "可以"
        lines.append(f"remarks: {{}}            # 勾选了第一项以外的选项的条目{need}说明：\"条目编号\": 说明"
                     f"（表上的“{form.remarks_field or '补充说明'}”）")
    rated = [s for s in form.sections if s.rated]
    if rated:
        lines.append("ratings:")
        lines += [f"  {s.id}:{' ' + _quoted(form.ratings[0]) if example else ''}   # {s.title} 综合评定：{' / '.join(form.ratings)}"
                  for s in rated]
    if form.vetoes:
        lines.append("vetoes: []              # 勾选了的一票否决项编号：" + "；".join(f"{v.id} {v.text}" for v in form.vetoes))
    if form.anomalies:
        lines.append("anomalies: []           # 勾选了的异常情况编号：" + "；".join(f"{a.id} {a.text}" for a in form.anomalies))
    for section in form.sections:
        if section.outcome:
            options = "；".join(f"{oid} {label}" for oid, label, _ in section.outcome.options)
            lines.append(f"outcomes: {{{section.id}: {section.outcome.options[0][0]}}}   # {section.title}的现场处理：{options}")
    if form.opinions:
        lines.append("opinions:")
        lines += [f"  {oid}: {_quoted('（' + label + '）')}" if example else f"  {oid}:                 # {label}"
                  for oid, label in form.opinions]
    if form.judging == "feedback":
        lines.append(f"feedback: {blank(form.feedback_label or '反馈情况')}   # " + "、".join(form.feedback_topics) + "等")
    deadline = f"，{form.deadline.words}内提交" if form.deadline else ""
    lines.append(f"signed: {_quoted(example_signed)}   # 签字日期{deadline}" if example
                 else f"# signed: \"年-月-日\"      # 签字后去掉行首的 # 写签字日期{deadline}")
    lines.append("visibility: 部门内部      # 或 公开（公开门户只显示表名、日期和结果）")
    return "\n".join(lines) + "\n"


def _fail(message: str) -> int:
    from ..escaping import terminal_text

    print(f"beian：{terminal_text(message)}", file=sys.stderr)
    return 2


def create_record(slug: str, plan_number: str, form_id: str, card: str, role: str | None, project: Path) -> int:
    from ..filing import load_session
    from ..kinds import kind
    from ..plan_people import exam_days
    from .model import all_forms, get_form

    form = get_form(form_id)
    if form is None:
        return _fail(f"没有记录表“{form_id}”；可用的表：{'、'.join(all_forms())}（用 `beian forms --list` 查看）。")
    if not SAFE_CARD.match(card):
        return _fail(f"证卡编号“{card}”不能含空格、/、\\，也不能以 . 开头（它是文件名的一部分）。")
    institutions = project / "institutions"
    session = institutions / slug / "sessions" / plan_number
    try:
        inside = session.resolve().is_relative_to(institutions.resolve()) and "/" not in slug + plan_number \
            and ".." not in (slug, plan_number) and (session / "plan.yaml").is_file()
    except OSError:
        inside = False
    if not inside:
        return _fail(f"找不到认定计划 institutions/{slug}/sessions/{plan_number}/（机构代号和评价计划编号只写文件夹名；"
                     "可用 `beian new-session` 先生成认定计划）。")
    if role is None:  # as the check reads a record without one: 内督 when the card is one of the institution's own
        from ..filing import load_filing
        from ..supervision.load import internal_cards

        own = card in internal_cards(load_filing(institutions / slug, project))
        role = "内督" if own else "外督"
        role = role if role in form.supervisor_roles else form.supervisor_roles[0]
    if role not in form.supervisor_roles:
        return _fail(f"{form.short_title}由{'、'.join(form.supervisor_roles)}填写（或为其填写），不是{role}。")
    folder = session / (kind("supervision").subfolder or "supervision")
    target = folder / f"{form.id}-{card}.yaml"
    days = [d for d, _ in exam_days(load_session(session, project))]
    day = days[-1].isoformat() if days and not form.after_session else None
    # the registry's schemas/ at its root: a fixed depth from institutions/<机构>/sessions/<计划>/supervision/
    text = record_template(form, card, plan_number, role, day, "../../../../../schemas")
    try:
        folder.mkdir(exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return _fail(f"{target} 已存在，为免覆盖已填写的内容，没有写入任何文件。")
    except OSError as exc:
        from ..textfile import os_reason

        return _fail(f"无法写入 {target}：{os_reason(exc)}。")
    print(f"已生成 {target}：{form.short_title}，{len(form.items)} 项待勾选。填好后运行 beian check institutions/{slug}。")
    return 0
