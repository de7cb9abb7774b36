"""One generated Markdown page per jurisdiction (`beian docs`): its facts with their sources, and each
supervisor card format as a segment table with examples read by generator/cards.py."""
from __future__ import annotations

import re
from typing import Any

from .cards import ANY_DAY, CARD_FACT, ROLE_WORDS, ROLES, CardFormat, card_format, form_text, reading_by
from .escaping import markdown_text
from .jurisdiction import TABLE_FACTS, Jurisdiction, Segment

RELATION_WORDS = {
    "institution_tail": "须为评价机构编号的后 {n} 位（给出机构编号时核对）",
    "issuer_code": "省级备案机构取机构备案号后 6 位，人社部备案机构取“00”加 4 位代码（给出备案号时核对）",
    "institution_code": "须与评价机构的 13 位备案号相同（给出 13 位备案号时核对）",
}


# A folded YAML string (`>-`) joins its lines with a space, which Chinese does not use after its punctuation
# or between two characters.
_FOLD_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +(?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])"
                         r"|(?<=[\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f]) +")


def _prose(value: Any) -> str:
    return markdown_text(_FOLD_SPACE.sub("", str(value)))


def _cell(value: Any) -> str:
    return _prose(value).replace("\n", " ")


def _value_text(name: str, value: Any, home: Jurisdiction | None = None, day=None) -> str:
    """A fact's value in words (never a Python repr): the structured facts each have their own phrasing."""
    if name == CARD_FACT:
        return "、".join(f"{ROLE_WORDS[r]}：{value[r]['label']}" for r in ROLES if r in value) + "（格式见下文）"
    if name in TABLE_FACTS:
        return f"{value['label']}（{value['places']}）"
    phrasing = FACT_WORDS.get(name)
    if phrasing and isinstance(value, dict):
        try:
            return phrasing(value, home, day)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
    if isinstance(value, dict):
        return "；".join(f"{key}：{_value_text('', item)}" for key, item in value.items())
    if isinstance(value, list):
        return "、".join(_value_text("", item) for item in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _segments_words(segments: list) -> str:
    return " + ".join(f"{s['meaning']}（{s['length']} 位）" for s in segments)


def _filing_number_words(value: dict, home, day) -> str:
    certificate = {s["key"]: s for s in home.fact("certificate_number", day)["segments"]}
    return "证书编码的前 {n} 部分：{parts}".format(n=len(value["segments"]),
                                                 parts=_segments_words([certificate[k] for k in value["segments"]]))


def _experience_words(value: dict, home, day) -> str:
    text = f"{value['of']}满 {value['min_years']} 年"
    if value.get("management_qualifies"):
        text += f"；从事{value['management']}的不论年限"
    return text


FACT_WORDS = {
    "certificate_number": lambda v, home, day: f"共 {sum(s['length'] for s in v['segments'])} 位："
                                               f"{_segments_words(v['segments'])}；例：{v['example']}",
    "filing_number": _filing_number_words,
    "archive_retention_years": lambda v, home, day: f"纸质材料 {v['paper']} 年、电子材料 {v['electronic']} 年、"
                                                    f"考场监控录像 {v['video']} 年",
    "supervisor_experience": _experience_words,
    "rotation": lambda v, home, day: f"同一评价机构最多连续督导 {v['max_consecutive']} 次"
                                     + (f"（只计 {v['within_days']} 天之内）" if v.get("within_days") else ""),
    "report_deadline": lambda v, home, day: f"{v['days']} 个{'工作日' if v.get('working_days') else '日'}",
    "continuing_education": lambda v, home, day: f"每 {v['every_years']} 年一次（"
                                                 + "、".join(ROLE_WORDS.get(r, str(r)) for r in v["roles"]) + "）",
    "supervisor_age_limits": lambda v, home, day: "、".join(f"{sex}性不超过 {age} 周岁" for sex, age in v.items()),
}


def _segment_values(fmt: CardFormat, segment: Segment) -> str:
    if segment.value is not None:
        return f"{segment.value}（{segment.value_label or segment.meaning}）"
    if segment.choices:
        text = "、".join(f"{code} {label}" for code, label in segment.choices)
        return text + "".join(f"；{code} 不予通过：{why}" for code, why in segment.refused)
    text = form_text(segment)
    if segment.low is not None:
        text += f"，{segment.low:0{segment.length}d}–{segment.high:0{segment.length}d}"
    if segment.table:
        table = fmt.home.fact(segment.table, fmt.day)
        text += f"，{table['label']}中的{table['places']}代码"
    if segment.key == "year":
        text += "，核发年份的后两位，不得晚于查验之日的年份"
    if segment.relation:
        text += "；" + RELATION_WORDS[segment.relation].format(n=segment.length)
    return text


def _card_section(fmt: CardFormat) -> list[str]:
    lines = [f"### {fmt.label}（{fmt.composition}）", ""]
    examples: dict[str, list[str]] = {}
    for example in fmt.examples:
        examples.setdefault(reading_by(fmt, example, ANY_DAY).variant, []).append(example)
    for layout in fmt.layouts:
        if layout.label:
            lines += [f"#### {layout.label}", ""]
        lines += ["| 位置 | 含义 | 取值 |", "|---|---|---|"]
        lines += [f"| {s.positions} | {_cell(s.meaning)} | {_cell(_segment_values(fmt, s))} |" for s in layout.segments]
        found = examples.get(layout.label, [])
        if found:
            lines += ["", "例（示意，非真实证卡）：" + "、".join(f"`{e}`" for e in found)]
        lines.append("")
    return lines


def supervision_basis(home: Jurisdiction) -> str:
    """The document a jurisdiction's supervision rules come from (its latest), or a plain “未规定”."""
    fact = home.facts.get("supervision_document")
    return str(fact.values[-1][1]) if fact and fact.values else "未收录督导规定"


def jurisdiction_page(home: Jurisdiction) -> str:
    from .citations import cited

    lines = [f"# {home.name}的辖区事实（`{home.id}`）", "",
             f"本页列出检查{home.name}的机构时用到的本地规定：代码、期限、年限和质量督导要求，每一项都注明出自哪份文件的哪一条。"
             "每项事实按日期取值：某日适用的是该日或之前最近日期的取值。本页没有列出的事项，表示来源文件对此没有规定，"
             "程序不会用默认值代替。", "",
             "| 事实 | 起始日期 | 取值 | 来源 | 说明 |", "|---|---|---|---|---|"]
    for name, fact in home.facts.items():
        for day, value in fact.values:
            lines.append(f"| {_cell(cited(fact.title))} | {day.isoformat()} | {_cell(_value_text(name, value, home, day))} | "
                         f"{_cell(cited(fact.source))} | {_cell(cited(fact.note or ''))} |")
    lines.append("")
    if CARD_FACT in home.facts:
        card_fact = home.facts[CARD_FACT]
        lines += ["## 质量督导员证卡编码", "", f"来源：{_prose(cited(card_fact.source))}", ""]
        if card_fact.note:
            lines += [f"说明：{_prose(cited(card_fact.note))}", ""]
        for day, _ in card_fact.values:
            lines += [f"{day.isoformat()} 起：", ""]
            for role in ROLES:
                fmt = card_format(home, role, day)
                lines += _card_section(fmt) if fmt else [f"### {ROLE_WORDS[role]}证卡", "", "未公布编码格式。", ""]
    else:
        lines += ["## 质量督导员证卡编码", "", "来源文件没有公布证卡编码格式，因此无法核对本辖区督导员证卡的编号。", ""]
    return "\n".join(lines)
