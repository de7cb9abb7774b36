"""证书: the certificate number ranges of a session's outcome.

seed 004 第三部分 六（一）证书编码 (the jurisdiction's `certificate_number` fact: segments, the 备案号 as its first
parts, 核发年份, 等级, 6-digit 序列码) and 第五部分“证书管理”一 (证书数量清点确认、登记、发放、销毁都有记录，
各环节可追溯). A range is `first`–`last` of one result row; it covers `passed` certificates. Ranges of one
(年份, 等级) series must not overlap, within the session or with the institution's other sessions (ctx.siblings).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import check, deficiency, needs_review
from ..context import CheckContext
from .session_scope import exam_days


@dataclass(frozen=True)
class Range:
    series: str        # the number without its 序列码: institution, year and level
    start: int
    end: int
    first: str
    last: str
    session: str       # plan number
    row: int           # index in outcome.results


def issue_day(session, today: dt.date) -> dt.date:
    """The day the session's certificates are (to be) issued: outcome.issued, else its last exam day, else today."""
    try:
        return dt.date.fromisoformat(str(session.get("outcome", "issued")))
    except ValueError:
        days = exam_days(session)
        return days[-1][0] if days else today


def number_problems(fmt, number: str, city_codes: set[str]) -> list[str]:
    """What is wrong with a number against the jurisdiction's format, segment by segment; [] when it fits."""
    if len(number) != fmt.length:
        return [f"应为 {fmt.length} 位，现为 {len(number)} 位"]
    problems = []
    for segment in fmt.segments:
        piece = segment.of(number)
        label = f"第 {segment.positions} 位（{segment.meaning}）"
        if segment.value is not None:
            if piece != segment.value:
                problems.append(f"{label}应为 {segment.value}，现为 {piece}")
        elif segment.pattern and not re.fullmatch(segment.pattern, piece):
            problems.append(f"{label}“{piece}”格式不对")
        elif segment.low is not None and not segment.low <= int(piece) <= segment.high:
            problems.append(f"{label}“{piece}”应在 {segment.low}–{segment.high} 之间")
        elif segment.table and piece not in city_codes:
            problems.append(f"{label}“{piece}”不在代码表中")
    return problems


def _ranges(session, fmt, city_codes) -> list[tuple[int, Range]]:
    """(row index, range) for every well-formed range of a session's outcome (first and last in one series)."""
    sequence = fmt.segment("sequence")
    found = []
    for i, row in enumerate(session.items("outcome", "results")):
        certificates = row.get("certificates") if isinstance(row, dict) else None
        if not isinstance(certificates, dict):
            continue
        first, last = str(certificates.get("first") or ""), str(certificates.get("last") or "")
        if number_problems(fmt, first, city_codes) or number_problems(fmt, last, city_codes):
            continue
        series = first[:sequence.start] + first[sequence.end:]
        if series != last[:sequence.start] + last[sequence.end:]:
            continue
        start, end = int(sequence.of(first)), int(sequence.of(last))
        if end >= start:
            found.append((i, Range(series, start, end, first, last, session.name, i)))
    return found


def _span(fmt, series: str, start: int, end: int) -> str:
    sequence = fmt.segment("sequence")
    number = lambda n: series[:sequence.start] + f"{n:0{sequence.length}d}" + series[sequence.start:]  # noqa: E731
    return number(start) if start == end else f"{number(start)} 至 {number(end)}"


@check("session_certificates.ranges")
def ranges(ctx: CheckContext):
    session, jurisdiction = ctx.subject, ctx.jurisdiction
    if "outcome" not in session.docs:
        return  # no outcome yet: nothing issued, nothing to judge
    city_codes = set(ctx.reference.city_codes.values())
    day = issue_day(session, ctx.today)
    fmt = jurisdiction.certificate_number(day)
    institution = str(ctx.filing.get("profile", "status", "filing_number", default="") or "")
    institution_length = jurisdiction.filing_number(day).length
    year = f"{day.year % 100:02d}"
    sequence, year_segment, level_segment = fmt.segment("sequence"), fmt.segment("year"), fmt.segment("level")
    for i, row in enumerate(session.items("outcome", "results")):
        if not isinstance(row, dict):
            continue
        passed, certificates = row.get("passed"), row.get("certificates")
        where = session.at("outcome", "results", i)
        if not isinstance(certificates, dict):
            if isinstance(passed, int) and passed > 0:
                yield deficiency(f"认定结果第 {i + 1} 项合格 {passed} 人，未写证书编号段（certificates: first、last）。", where,
                                 "按证书发放记录填写本项第一张和最后一张证书的编号。")
            continue
        if passed == 0:
            yield deficiency(f"认定结果第 {i + 1} 项合格人数为 0，却写了证书编号段。", session.at("outcome", "results", i, "certificates"),
                             "合格人数为 0 时删去 certificates；否则改正合格人数。")
            continue
        numbers = {}
        for end in ("first", "last"):
            number = str(certificates.get(end) or "")
            problems = number_problems(fmt, number, city_codes)
            at = session.at("outcome", "results", i, "certificates", end)
            if problems:
                yield deficiency(f"证书编号 {number}：{'；'.join(problems)}。", at,
                                 f"证书编号的格式见 `beian explain session-certificates`，例如 {fmt.example}。")
                continue
            numbers[end] = number
            if institution and number[:institution_length] != institution:
                yield deficiency(f"证书编号 {number} 的前 {institution_length} 位 {number[:institution_length]} 不是本机构的备案号 "
                                 f"{institution}。", at, "证书编号前几位用本机构的机构备案号。")
            if year_segment.of(number) != year:
                yield deficiency(f"证书编号 {number} 第 {year_segment.positions} 位是“{year_segment.of(number)}”，"
                                 f"证书核发年份 {day.year} 应为“{year}”。", at,
                                 "按核发年份（outcome.yaml 的 issued）编号；核发日期写错的改正 issued。")
            if level_segment.of(number) != str(row.get("level")):
                yield deficiency(f"证书编号 {number} 第 {level_segment.positions} 位等级代码是“{level_segment.of(number)}”，"
                                 f"本项认定的是 {row.get('level')} 级。", at, "等级代码与本项等级一致。")
        if len(numbers) < 2:
            continue
        first, last = numbers["first"], numbers["last"]
        if first[:sequence.start] != last[:sequence.start]:
            yield deficiency(f"证书编号段 {first} 至 {last} 的起止编号除序列码外应完全相同。",
                             session.at("outcome", "results", i, "certificates"))
            continue
        start, end = int(sequence.of(first)), int(sequence.of(last))
        if end < start:
            yield deficiency(f"终止证书编号 {last} 小于起始编号 {first}。", session.at("outcome", "results", i, "certificates"))
        elif isinstance(passed, int) and end - start + 1 != passed:
            yield deficiency(f"证书编号段 {first} 至 {last} 共 {end - start + 1} 张，本项合格 {passed} 人，应相等。",
                             session.at("outcome", "results", i, "certificates"),
                             "一名合格者一张证书：改正编号段或合格人数。")
    yield from _overlaps_and_gaps(ctx, fmt, city_codes)


def _overlaps_and_gaps(ctx: CheckContext, fmt, city_codes):
    session = ctx.subject
    own = _ranges(session, fmt, city_codes)
    others = []
    for sibling in ctx.siblings:
        if "outcome" in sibling.docs:
            sibling_fmt = ctx.jurisdiction.certificate_number(issue_day(sibling, ctx.today))
            others += [r for _, r in _ranges(sibling, sibling_fmt, city_codes)]
    for n, (i, mine) in enumerate(own):
        where = session.at("outcome", "results", i, "certificates")
        clashes = [r for _, r in own[:n] if r.series == mine.series and r.start <= mine.end and mine.start <= r.end]
        clashes += [r for r in others if r.series == mine.series and r.start <= mine.end and mine.start <= r.end]
        for other in clashes:
            shared = _span(fmt, mine.series, max(mine.start, other.start), min(mine.end, other.end))
            whose = "本次认定结果" if other.session == mine.session else f"认定计划 {other.session} 的认定结果"
            yield deficiency(f"证书编号 {shared} 与{whose}第 {other.row + 1} 项重复使用；一个编号只能发一张证书。", where,
                             "按证书发放记录改正编号段，同一（年份、等级）的编号接着上一段往下排。")
    everything = [r for _, r in own] + others
    for i, mine in own:
        before = [r.end for r in everything if r.series == mine.series and r.start < mine.start]
        previous = max(before, default=0)
        if mine.start > previous + 1:
            missing = _span(fmt, mine.series, previous + 1, mine.start - 1)
            yield needs_review(f"证书编号 {missing} 没有出现在本机构任何认定结果中（本项从 {mine.first} 开始）。"
                               "如是作废、销毁的证书，须有证书管理登记记录可查；否则编号段应接着上一段。",
                               session.at("outcome", "results", i, "certificates", "first"))
