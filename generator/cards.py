"""Supervisor card numbers (质量督导员证卡编码), read exactly as each jurisdiction publishes them.

The formats are data: the `supervisor_cards` fact of rules/jurisdictions/<id>.yaml, per role (`external` 外督,
`internal` 内督), made of segments like the certificate number's (generator/jurisdiction.py) plus letter
`choices`, `variants` (alternative endings, each labelled) and a `relation` to the institution's number. A
jurisdiction that publishes no format for a role (Henan) gives an unpublished reading: nothing to check.

Pure functions over the data, loaded once per process; nothing heavy is imported.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .jurisdiction import (Jurisdiction, JurisdictionError, Segment, build_segments, code_table,
                           jurisdiction_files, load_jurisdiction)

ROLES = ("external", "internal")
ROLE_WORDS = {"external": "外督", "internal": "内督"}
# What a user may type for a role (the seeds say 外督/外督员, 内督/内督员).
ROLE_NAMES = {"external": "external", "internal": "internal", "外督": "external", "外督员": "external",
              "内督": "internal", "内督员": "internal"}
CARD_FACT = "supervisor_cards"
# Reading examples and checking a format's data is about the format, not about when a card was issued.
ANY_DAY = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class CardPart:
    """One segment as read from a number."""
    positions: str         # "1", "2-3", "6-9" (1-based, as the seeds write them)
    text: str              # the characters found there
    meaning: str           # 证卡类别代码 / 证卡颁发机构代码 / 证卡核发年份代码 / 证卡序列码 ...
    explanation: str       # “R：外部质量督导员”, “44：广东省”, “24：2024 年核发”, “A：广州市”


@dataclass(frozen=True)
class CardReading:
    number: str
    jurisdiction: str      # jurisdiction id whose format was applied
    role: str              # "external" | "internal"
    published: bool        # False: the jurisdiction publishes no format for this role — nothing to check
    variant: str           # “市级外督员” / “区级外督员” / “省直外督” / “地级以上市外督” / ""
    parts: tuple[CardPart, ...]
    problems: tuple[str, ...]   # Chinese, each naming the positions and what is wrong; () when valid
    issue_year: int | None

    @property
    def valid(self) -> bool:
        """Published and without problems; an unpublished format holds nothing against a number."""
        return not self.published or not self.problems


@dataclass(frozen=True)
class CardLayout:
    """One way a card number may read: the shared segments and one variant's ending."""
    label: str
    segments: tuple[Segment, ...]

    @property
    def length(self) -> int:
        return self.segments[-1].end if self.segments else 0


@dataclass(frozen=True)
class CardFormat:
    home: Jurisdiction
    role: str
    day: dt.date           # the day the format was read for: its code tables are that day's
    label: str             # 外督证卡 / 内督员证卡
    composition: str       # 1 位大写英文字母和 8 位阿拉伯数字
    examples: tuple[str, ...]
    layouts: tuple[CardLayout, ...]

    @property
    def title(self) -> str:
        return f"{self.home.name}{self.label}"


def role_id(text: str) -> str:
    """`external`/`internal` for what a user typed (外督, 内督员 …); ValueError in Chinese otherwise."""
    found = ROLE_NAMES.get(str(text).strip())
    if found is None:
        raise ValueError(f"督导员类别“{text}”无法识别：应为 外督 或 内督。")
    return found


def card_format(home: Jurisdiction, role: str, on: dt.date) -> CardFormat | None:
    """The card format a jurisdiction publishes for a role on a day; None when it publishes none (then or ever)."""
    if CARD_FACT not in home.facts:
        return None
    try:
        raw = home.fact(CARD_FACT, on)
    except JurisdictionError:       # a day before the format applied: none was published yet
        return None
    return _format(home, role, on) if raw.get(role) else None


@lru_cache(maxsize=256)
def _format(home: Jurisdiction, role: str, on: dt.date) -> CardFormat:
    raw = home.fact(CARD_FACT, on)[role]
    variants = raw.get("variants") or [{"label": "", "segments": []}]
    layouts = tuple(CardLayout(str(v["label"]), build_segments(home, list(raw["segments"]) + list(v["segments"]), on))
                    for v in variants)
    return CardFormat(home, role, on, str(raw["label"]), str(raw["composition"]),
                      tuple(str(e) for e in raw["examples"]), layouts)


# --- reading a number -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Check:
    ok: bool
    explanation: str
    problem: str = ""
    shaped: bool = False     # failed, but the characters have the segment's form (a near miss)


def form_text(segment: Segment) -> str:
    if segment.form:
        return segment.form
    digits = re.fullmatch(r"\[0-9\](?:\{(\d+)\})?", segment.pattern)
    if digits:
        return f"{digits.group(1) or 1} 位阿拉伯数字"
    letters = re.fullmatch(r"\[A-Z\](?:\{(\d+)\})?", segment.pattern)
    if letters:
        return f"{letters.group(1) or 1} 位大写英文字母"
    return f"符合 {segment.pattern} 的字符"


def _choices_text(segment: Segment) -> str:
    return "、".join(f"{code} {label}" for code, label in segment.choices)


def _check_segment(fmt: CardFormat, segment: Segment, text: str, on: dt.date) -> _Check:
    where = f"第 {segment.positions} 位"
    if segment.value is not None:
        label = segment.value_label or segment.meaning
        if text == segment.value:
            return _Check(True, f"{text}：{label}")
        return _Check(False, "不符", f"{where}应为 {segment.value}（{label}），现为“{text}”")
    if segment.choices:
        chosen = dict(segment.choices)
        if text in chosen:
            return _Check(True, f"{text}：{chosen[text]}")
        refused = dict(segment.refused)
        if text in refused:
            return _Check(False, "不予通过", f"{where}“{text}”不予通过：{refused[text]}", shaped=True)
        return _Check(False, "不符", f"{where}“{text}”不是{segment.meaning}，应为 {_choices_text(segment)} 之一")
    if not re.fullmatch(segment.pattern, text):
        form = form_text(segment)
        spaced = " " if form[:1].isdigit() else ""
        return _Check(False, "不符", f"{where}“{text}”应为{spaced}{form}（{segment.meaning}）")
    if segment.low is not None and not segment.low <= int(text) <= segment.high:
        width = segment.length
        return _Check(False, "超出范围", f"{where}“{text}”应在 {segment.low:0{width}d}–{segment.high:0{width}d} 之间"
                                     f"（{segment.meaning}）", shaped=True)
    if segment.table:
        table = code_table(fmt.home, segment.table, fmt.day)
        if text not in table:
            facts = fmt.home.fact(segment.table, fmt.day)
            return _Check(False, "不在代码表中", f"{where}“{text}”不是{facts['label']}中的{facts['places']}代码",
                          shaped=True)
        return _Check(True, f"{text}：{table[text]}")
    if segment.key == "year":
        year = 2000 + int(text)    # 取公元纪年后两位: every card format dates from after 2000
        if year > on.year:
            return _Check(False, "晚于查验日", f"{where}：核发年份 {text} 晚于 {on.year} 年", shaped=True)
        return _Check(True, f"{text}：{year} 年核发")
    return _Check(True, f"{text}：{segment.short or segment.meaning}")


def _issuer_codes(institution_number: str) -> list[str]:
    """The 证卡颁发机构代码 a Guangdong institution may use (seed 001 附件1 二（二）2): the last 6 digits of a
    province-filed 机构备案号, or 00 + the ministry's 4-digit code of a ministry-filed one. The project reads that
    4-digit code as the number itself when it is 4 digits, else as its 第 2-5 位 (the 评价机构代码 of the national
    证书编码规则, 0000 for a province-filed institution as seed 004 shows)."""
    codes = [institution_number[-6:]] if len(institution_number) >= 6 else []
    if re.fullmatch(r"[0-9]{4}", institution_number):
        codes.append("00" + institution_number)
    elif len(institution_number) >= 5 and institution_number[1:5].isdigit() and institution_number[1:5] != "0000":
        codes.append("00" + institution_number[1:5])
    return codes


def _check_relation(segment: Segment, text: str, texts: dict[str, str], institution_number: str | None) -> _Check:
    where = f"第 {segment.positions} 位"
    if any(texts.get(key) not in allowed for key, allowed in segment.when):
        return _Check(True, "（此类证卡不与评价机构编号核对）")
    if not institution_number:
        return _Check(True, "（未给出评价机构编号，未核对）")
    number = institution_number.strip()
    if segment.relation == "institution_tail":
        expected = number[-segment.length:]
        if len(number) < segment.length:
            return _Check(False, "无法核对", f"{where}：评价机构编号 {number} 不足 {segment.length} 位，无法核对")
        if text != expected:
            return _Check(False, "与机构编号不符",
                          f"{where}“{text}”应为评价机构编号 {number} 的后 {segment.length} 位“{expected}”", shaped=True)
        return _Check(True, f"（与评价机构编号 {number} 的后 {segment.length} 位一致）")
    if segment.relation == "issuer_code":
        codes = _issuer_codes(number)
        if text not in codes:
            said = "或".join(f"“{c}”" for c in codes) or "（无法从中取得）"
            return _Check(False, "与机构备案号不符",
                          f"{where}“{text}”应为由机构备案号 {number} 得出的证卡颁发机构代码 {said}", shaped=True)
        return _Check(True, f"（由机构备案号 {number} 得出）")
    if segment.relation == "institution_code":
        if len(number) != segment.length:
            return _Check(True, f"（机构编号 {number} 不是 {segment.length} 位，未核对）")
        if text != number:
            return _Check(False, "与机构备案号不符", f"{where}“{text}”应与评价机构备案号 {number} 相同", shaped=True)
        return _Check(True, "（与评价机构备案号一致）")
    return _Check(True, "")


@dataclass(frozen=True)
class _Attempt:
    reading: CardReading
    score: tuple


def _read_layout(fmt: CardFormat, layout: CardLayout, number: str, on: dt.date,
                 institution_number: str | None) -> _Attempt:
    parts, problems, texts = [], [], {}
    reach, sound, near, year = None, 0, 0, None
    if len(number) != layout.length:
        gap = str(layout.length) if len(number) + 1 == layout.length else f"{len(number) + 1}-{layout.length}"
        missing = f"（第 {gap} 位缺失）" if len(number) < layout.length else ""
        problems.append(f"{fmt.title}编码应为 {layout.length} 位（{fmt.composition}），“{number}”是 {len(number)} 位"
                        + missing)
    for segment in layout.segments:
        text = segment.of(number)
        if len(text) < segment.length:
            parts.append(CardPart(segment.positions, text, segment.meaning, "缺失"))
            reach = segment.start if reach is None else reach
            continue
        texts[segment.key] = text
        check = _check_segment(fmt, segment, text, on)
        if check.ok and segment.relation:
            related = _check_relation(segment, text, texts, institution_number)
            check = _Check(related.ok, check.explanation + related.explanation if related.ok else related.explanation,
                           related.problem, related.shaped)
        if check.ok and segment.key == "year":
            year = 2000 + int(text)
        if check.ok:
            sound += segment.length
        else:
            problems.append(check.problem)
            near += check.shaped
            reach = segment.start if reach is None else reach
        parts.append(CardPart(segment.positions, text, segment.meaning, check.explanation))
    reach = layout.length if reach is None else reach
    reading = CardReading(number, fmt.home.id, fmt.role, True, layout.label, tuple(parts), tuple(problems), year)
    return _Attempt(reading, (len(number) == layout.length, reach, near, sound, -len(problems)))


def _attempt(number: str, fmt: CardFormat, on: dt.date, institution_number: str | None) -> _Attempt:
    """The layout that reads the number best: the right length, then the longest run of sound segments from
    the start, then the most near misses (right form, wrong value: a table code not in the table) over plain
    mismatches, then the most sound characters, then the fewest problems."""
    attempts = [_read_layout(fmt, layout, number, on, institution_number) for layout in fmt.layouts]
    return max(attempts, key=lambda a: a.score)     # max keeps the first of equals: the data's order


def reading_by(fmt: CardFormat, number: str, on: dt.date, institution_number: str | None = None) -> CardReading:
    """A number read by one format in hand (the docs read each example by the format it illustrates)."""
    return _attempt(str(number).strip(), fmt, on, institution_number).reading


def read_card(number: str, jurisdiction: str, role: str, on: dt.date, *,
              institution_number: str | None = None) -> CardReading:
    """A card number read by the format `jurisdiction` publishes for `role` on `on`.

    The year segment must not be after `on`; with `institution_number`, the segments tied to the institution
    are compared with it. Unknown jurisdiction: JurisdictionError; unknown role: ValueError (both in Chinese)."""
    role = role_id(role)
    number = str(number).strip()
    fmt = card_format(load_jurisdiction(jurisdiction), role, on)
    if fmt is None:
        return CardReading(number, jurisdiction, role, False, "", (), (), None)
    return _attempt(number, fmt, on, institution_number).reading


def published_formats(on: dt.date) -> list[CardFormat]:
    """Every card format published on `on`, jurisdiction by jurisdiction, 外督 before 内督."""
    found = []
    for path in jurisdiction_files():
        home = load_jurisdiction(path.stem)
        found += [fmt for role in ROLES if (fmt := card_format(home, role, on)) is not None]
    return found


def formats_matching(number: str, on: dt.date) -> list[tuple[str, str]]:
    """(jurisdiction id, role) of every published format the number fits."""
    number = str(number).strip()
    return [(fmt.home.id, fmt.role) for fmt in published_formats(on)
            if not _attempt(number, fmt, on, None).reading.problems]


def closest_reading(number: str, on: dt.date, candidates: list[tuple[str, str]] | None = None) -> CardReading | None:
    """The reading that comes closest among the published formats (all, or the (jurisdiction, role) given)."""
    number = str(number).strip()
    formats = [f for f in published_formats(on) if candidates is None or (f.home.id, f.role) in candidates]
    attempts = [_attempt(number, fmt, on, None) for fmt in formats]
    return max(attempts, key=lambda a: a.score).reading if attempts else None


def card_problems(number, jurisdiction, role, on, *, institution_number=None) -> list[str]:
    """read_card's problems, plus the formats the number does fit when it does not fit this one:
    “这是广东省外督证卡的编码格式，不是北京市内督员证卡”."""
    reading = read_card(number, jurisdiction, role, on, institution_number=institution_number)
    problems = list(reading.problems)
    if not problems or (institution_number and read_card(number, jurisdiction, role, on).valid):
        return problems     # valid, or wrong only against the institution: the format itself is right
    wanted = card_format(load_jurisdiction(reading.jurisdiction), reading.role, on)
    for other_id, other_role in formats_matching(reading.number, on):
        if (other_id, other_role) != (reading.jurisdiction, reading.role):
            other = card_format(load_jurisdiction(other_id), other_role, on)
            problems.append(f"这是{other.title}的编码格式，不是{wanted.title}")
    return problems
