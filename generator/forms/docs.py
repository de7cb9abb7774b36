"""One generated Markdown page per supervision form (`beian docs`, the portal's rules/forms/<id>.md).

The page says what the form is and where it comes from, who fills it, how it is judged, each item with its
options as printed, and how to write a record of it, with an example generated from the form itself. Every
word taken from the form goes through markdown_text (the example too, inside a raw <pre> block, where numeric
entities show as the characters themselves): a form is project data, but the page is published.
"""
from __future__ import annotations

import datetime as dt
import json

from ..escaping import markdown_text
from .model import JUDGING_LABELS, Form, Item, Section

RECORD_PATH = "institutions/<机构>/sessions/<评价计划编号>/supervision/<表编号>-<证卡编号>.yaml"
FILLED_BY_WORDS = {"supervisor": "督导员", "institution": "评价机构"}
HEADER_SOURCE_WORDS = {
    "record.card": "记录的 card（证卡编号）",
    "record.plan_number": "记录的 plan_number（评价计划编号）",
    "record.date": "记录的 date（督导日期）",
    "record.arrived": "记录的 arrived（进场时间）",
    "record.departed": "记录的 departed（离场时间）",
    "record.header": "记录的 header.{id}",
    "supervisor.name": "督导员名册（部门内部资料，公开输出不显示姓名）",
    "supervisor.employer": "督导员名册中的工作单位（部门内部资料）",
    "register.department": "名册所属的委派部门",
    "institution.name": "机构名称（profile.yaml）",
    "plan.title": "评价计划名称（plan.yaml）",
    "plan.method": "认定形式（plan.yaml）",
    "result.score": "按本表计算的得分",
}
JUDGING_WORDS = {
    "points": "每个选项印有分值，记录的得分是所勾选项分值之和。",
    "levels": "每项勾选一个印刷的选项：第一个选项为符合，最后一个为不符合，其间的为部分符合。不计分。",
    "ratings": "每项勾选一个印刷的选项（第一个为符合，最后一个为不符合，其间的为部分符合）；每部分末尾由督导员勾选综合评定，"
               "表上没有说明条目如何汇总为评定，评定由督导员给出，程序只核对它是表上的词之一。不计分。",
    "yes_no": "每项勾选“是”或“否”：是为符合，否为不符合。不计分。",
    "feedback": "没有勾选条目：填表单位在一栏中写反馈情况。不计分。",
}
EXAMPLE_DAY = "2026-06-14"
EXAMPLE_SIGNED = "2026-06-16"
EXAMPLE_PLAN = "SY2026-06"


def who_fills(form: Form) -> str:
    """“督导员（外督、内督）” or “评价机构（关于外督）”: the index's and the page's words."""
    roles = "、".join(form.supervisor_roles)
    if form.filled_by == "institution":
        return f"评价机构（关于{roles}）" if form.subject == "supervisor" else "评价机构"
    return f"{FILLED_BY_WORDS.get(form.filled_by, form.filled_by)}（{roles}）"


def jurisdiction_name(form: Form) -> str:
    from ..jurisdiction import JurisdictionError, load_jurisdiction

    try:
        return load_jurisdiction(form.jurisdiction).name
    except (JurisdictionError, OSError):
        return form.jurisdiction


def _text(value) -> str:
    """Form text for a Markdown line or table cell (markdown_text: HTML and Markdown syntax as entities), its
    references to the source library given as the documents' titles (citations.cited)."""
    from ..citations import cited

    return markdown_text(cited(str(value)))


def _list(values) -> list[str]:
    return [f"- {_text(value)}" for value in values] + [""] if values else []


def _about(form: Form) -> list[str]:
    rows = [("简称", form.short_title), ("辖区", jurisdiction_name(form)), ("发文机关", form.issuer),
            ("文件", form.document), ("条款", form.article), ("施行（起算）日期", form.effective),
            ("来源", form.source),
            ("适用于", "、".join(form.applies_to) if form.applies_to else "表上未限定评价类别")]
    lines = ["| 项目 | 内容 |", "|---|---|"] + [f"| {name} | {_text(value)} |" for name, value in rows]
    jurisdiction = markdown_text(form.jurisdiction)
    return lines + ["", f"辖区的其他事实（督导员证卡编码、督导期限等）见[{_text(jurisdiction_name(form))}的辖区事实]"
                        f"(../jurisdictions/{jurisdiction}.md)。", ""]


def _who(form: Form) -> list[str]:
    roles = "、".join(form.supervisor_roles)
    if form.subject == "supervisor":
        text = (f"由评价机构填写：对到场督导的每一位{roles}各填一份，反馈其工作情况，交委派机构。"
                "记录中的 card 是被反馈的督导员的证卡编号。")
    else:
        text = f"由{roles}填写：记录对一次认定（一个评价计划）的督导。"
        if form.after_session:
            text += "督导的是考后的认定材料（事后督导），督导日期是查阅材料之日。"
    lines = ["## 谁填写、填什么", "", _text(text), "", "表头各栏的来源：", "", "| 栏目 | 来源 |", "|---|---|"]
    for field in form.header:
        source = HEADER_SOURCE_WORDS.get(field.source, field.source).format(id=field.id)
        lines.append(f"| {_text(field.label)} | {_text(source)} |")
    return lines + [""]


def _judging(form: Form) -> list[str]:
    lines = ["## 怎样判定", "", f"判定方式：{markdown_text(JUDGING_LABELS.get(form.judging, form.judging))}。"
             + markdown_text(JUDGING_WORDS.get(form.judging, "")), ""]
    if form.scored:
        lines += [markdown_text(form.total_words) + "。", ""]
        if form.missing_points:
            lines += [f"已知条目合计 {form.known_points} 分，记录按这 {form.known_points} 分计分；"
                      f"原文缺失的 {form.missing_points} 分不计入得分，也不作推测。{_text(form.missing_note)}", ""]
    if form.judging == "feedback":
        lines += [f"“{_text(form.feedback_label)}”一栏应写明：", ""] + _list(form.feedback_topics)
    return lines


def _deadline(form: Form) -> list[str]:
    lines = ["## 提交期限", ""]
    if form.deadline:
        lines.append(f"督导工作结束后 {markdown_text(form.deadline.words)}内提交委派机构。依据：{_text(form.deadline.source)}")
    else:
        lines.append("本表未规定提交期限。")
    lines.append("")
    if form.feedback_form:
        from .model import get_form

        other = get_form(form.feedback_form)
        name = _text(other.short_title) if other else markdown_text(form.feedback_form)
        lines += ["## 评价机构的反馈表", "",
                  f"每位填写本表的督导员，评价机构另填一份[{name}]({markdown_text(form.feedback_form)}.md)，反馈其工作情况。", ""]
    return lines


def _options(form: Form, item: Item) -> str:
    words = [markdown_text(o.shown if form.scored else o.label) for o in item.options]
    if item.full_marks_for:
        words.append(f"{markdown_text(item.full_marks_for)}（满分 {item.points} 分）")
    return "；".join(words)


def _section(form: Form, section: Section) -> list[str]:
    title = _text(section.title) + (f"（{section.points} 分）" if form.scored else "")
    lines = [f"### {title}", ""]
    if section.rated:
        lines += [f"本部分末尾由督导员勾选综合评定：{markdown_text('、'.join(form.ratings))}。", ""]
    grouped, numbered = any(i.group for i in section.items), any(i.number for i in section.items)
    names = ["分组"] * grouped + ["序号"] * numbered + ["条目", "记录中的编号", "选项"] + ["满分"] * form.scored
    lines += ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for item in section.items:
        cells = [_text(item.group)] * grouped + [_text(item.number)] * numbered + [_text(item.text), _text(item.id),
                                                                                  _options(form, item)]
        lines.append("| " + " | ".join(cells + [str(item.points)] * form.scored) + " |")
    full = [i for i in section.items if i.full_marks_for]
    if full:
        lines += ["", "“" + "”“".join(_text(i.text) for i in full) + f"”{len(full)} 项：作答“"
                  + "”或“".join(sorted({_text(i.full_marks_for) for i in full})) + "”即得该项满分（表上印作此项满分的说明）。"]
    lines.append("")
    if section.outcome:
        lines += [f"现场处理：{_text(section.outcome.text)}", "", "| 记录中的编号 | 处理结果 |", "|---|---|"]
        lines += [f"| {_text(oid)} | {_text(label)}{'（终止考试）' if ends else ''} |"
                  for oid, label, ends in section.outcome.options] + [""]
    return lines


def _items(form: Form) -> list[str]:
    if not form.sections:
        return []
    lines = ["## 条目", ""]
    for section in form.sections:
        lines += _section(form, section)
    if form.scored and form.missing_points:
        lines += ["### 其余条目", "", "| 条目 | 记录中的编号 | 选项 | 满分 |", "|---|---|---|---|",
                  f"| 原文缺失（{form.missing_points} 分） | — | — | {form.missing_points} |", "",
                  f"已知条目 {form.known_points} 分 + 原文缺失 {form.missing_points} 分 = 满分 {form.max_score} 分。", ""]
    return lines


def _checkboxes(title: str, intro: str, boxes) -> list[str]:
    if not boxes:
        return []
    return [f"## {title}", "", intro, "", "| 记录中的编号 | 内容 |", "|---|---|"] + \
        [f"| {_text(box.id)} | {_text(box.text)} |" for box in boxes] + [""]


def _other_fields(form: Form) -> list[str]:
    lines = _checkboxes("一票否决项", "勾选任一项，本次认定即被否决。", form.vetoes)
    lines += _checkboxes("异常情况记录", "勾选的是事实记录，不计分。", form.anomalies)
    if form.other_anomalies:
        lines += [f"另有“{_text(form.other_anomalies)}”一栏（记录中的 other_anomalies）。", ""]
    if form.ratings and not any(s.rated for s in form.sections):
        lines += [f"综合评定：{markdown_text('、'.join(form.ratings))}。", ""]
    fields = []
    if form.remarks_field:
        need = "每个不符合或部分符合的条目都须按序号说明" if form.remarks_required else "需要时补充说明"
        fields.append(f"“{_text(form.remarks_field)}”（记录中的 remarks，条目编号 → 说明）：{need}；{_text(form.remarks_note)}")
    fields += [f"“{_text(label)}”（记录中的 opinions.{markdown_text(oid)}）" for oid, label in form.opinions]
    if form.signature:
        sign = f"“{_text(form.signature)}”" + ("并写日期（记录中的 signed）" if form.signature_dated else "")
        if form.countersign:
            sign += f"；另有“{_text(form.countersign)}”"
        fields.append(sign)
    if fields:
        lines += ["## 意见与签字", ""] + [f"- {field}" for field in fields] + [""]
    if form.notes:
        lines += ["## 注", ""] + [f"{n}. {_text(note)}" for n, note in enumerate(form.notes, 1)] + [""]
    faults = [f"编号：{_text(f)}" for f in form.numbering_faults] + [f"转录：{_text(f)}" for f in form.transcription_faults]
    if faults:
        lines += ["## 转录与印刷说明", "", "表按印刷和转录保留，下列问题不作改动，只在此说明：", ""] + [f"- {f}" for f in faults] + [""]
    return lines


def _card_example(form: Form) -> str:
    """A card number of the form's jurisdiction as its published examples write one; a placeholder otherwise."""
    from ..cards import ROLE_WORDS, card_format
    from ..jurisdiction import JurisdictionError, load_jurisdiction

    role = next((code for code, word in ROLE_WORDS.items() if word == (form.supervisor_roles or ("外督",))[0]), "external")
    try:
        fmt = card_format(load_jurisdiction(form.jurisdiction), role, dt.date.fromisoformat(EXAMPLE_DAY))
    except (JurisdictionError, OSError, ValueError, KeyError):
        fmt = None
    return fmt.examples[0] if fmt and fmt.examples else "X00000001"


def _quoted(value) -> str:
    """A YAML double-quoted scalar (JSON's quoting is YAML's): safe whatever the text holds."""
    return json.dumps(str(value), ensure_ascii=False)


def example_record(form: Form) -> str:
    """A filled record of this form as YAML, every item answered with its first printed option (the blank
    template of `beian new-record`, filled in: generator/forms/template.py writes both)."""
    from .template import record_template

    return record_template(form, _card_example(form), EXAMPLE_PLAN, (form.supervisor_roles or ("外督",))[0],
                           EXAMPLE_DAY, "../../../../../schemas", example_signed=EXAMPLE_SIGNED)


def _how_to_record(form: Form) -> list[str]:
    example = "\n".join(markdown_text(line) for line in example_record(form).splitlines())
    return ["## 怎样填写记录", "",
            f"每份填好的表是一个 YAML 文件：`{RECORD_PATH}`，表编号为 "
            f"`{markdown_text(form.id)}`。`beian new-record` 可生成一份空白记录，编辑器会提示每个字段的含义。下面的例子由本表生成，"
            "每项都勾了第一个选项，只是示意：", "",
            f'<pre class="beian-record-example"><code>{example}</code></pre>', ""]


def form_page(form: Form) -> str:
    lines = [f"# {_text(form.title)}（`{markdown_text(form.id)}`）", ""]
    lines += _about(form) + _who(form) + _judging(form) + _deadline(form) + _items(form) + _other_fields(form)
    return "\n".join(lines + _how_to_record(form))
