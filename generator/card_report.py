"""`beian card`: what each segment of a supervisor card number means, and what is wrong with it.

Without --jurisdiction and --role every published format is tried: the ones the number fits are shown,
or, when it fits none, the one that comes closest with its problems.
"""
from __future__ import annotations

import datetime as dt

from .cards import (ROLE_WORDS, ROLES, CardReading, card_format, card_problems, closest_reading, formats_matching,
                    read_card, role_id)
from .escaping import terminal_text
from .jurisdiction import JurisdictionError, jurisdiction_files, load_jurisdiction


class CardUsageError(Exception):
    """An option that names no jurisdiction or role (exit code 2)."""


def _candidates(jurisdiction: str | None, role: str | None) -> list[tuple[str, str]]:
    try:
        homes = [load_jurisdiction(jurisdiction)] if jurisdiction else [load_jurisdiction(p.stem)
                                                                        for p in jurisdiction_files()]
        roles = [role_id(role)] if role else list(ROLES)
    except (JurisdictionError, ValueError) as error:
        raise CardUsageError(str(error)) from None
    return [(home.id, r) for home in homes for r in roles]


def _title(reading: CardReading, on: dt.date) -> str:
    home = load_jurisdiction(reading.jurisdiction)
    fmt = card_format(home, reading.role, on)
    title = fmt.title if fmt else f"{home.name}{ROLE_WORDS[reading.role]}证卡"
    return f"{title}（{reading.variant}）" if reading.variant else title


def _table(reading: CardReading) -> list[str]:
    lines = ["  | 位置 | 字符 | 含义 | 说明 |", "  |---|---|---|---|"]
    lines += [f"  | {p.positions} | {terminal_text(p.text) or '—'} | {p.meaning} | {terminal_text(p.explanation)} |"
              for p in reading.parts]
    return lines


def _report(reading: CardReading, problems: list[str], on: dt.date, verdict: str) -> list[str]:
    lines = [f"{terminal_text(reading.number)}：{_title(reading, on)}，{verdict}"] + _table(reading)
    return lines + [f"  ✗ {terminal_text(problem)}" for problem in problems]


def describe(number: str, on: dt.date, jurisdiction: str | None = None, role: str | None = None,
             institution_number: str | None = None) -> tuple[bool, list[str]]:
    """(valid, lines to print) for one number."""
    candidates = _candidates(jurisdiction, role)
    published = [c for c in candidates if card_format(load_jurisdiction(c[0]), c[1], on) is not None]
    if not published:
        names = "、".join(f"{load_jurisdiction(j).name}{ROLE_WORDS[r]}" for j, r in candidates)
        return True, [f"{terminal_text(number)}：{names}证卡没有公布的编码格式（{on.isoformat()}），无从核对"]
    if len(candidates) == 1:
        j, r = candidates[0]
        reading = read_card(number, j, r, on, institution_number=institution_number)
        problems = card_problems(number, j, r, on, institution_number=institution_number)
        return reading.valid, _report(reading, problems, on, "有效" if reading.valid else "无效")
    fitting = [c for c in formats_matching(number, on) if c in published]
    if fitting:
        readings = [read_card(number, j, r, on, institution_number=institution_number) for j, r in fitting]
        lines = []
        for reading in readings:
            verdict = "符合编码格式" if reading.valid else "符合编码格式，但与评价机构编号不符"
            lines += _report(reading, list(reading.problems), on, verdict)
        return any(reading.valid for reading in readings), lines
    reading = closest_reading(number, on, published)
    lines = [f"{terminal_text(number)}：不符合任何已公布的证卡编码格式；最接近的是{_title(reading, on)}："]
    return False, lines + _report(reading, list(reading.problems), on, "无效")[1:]


def run(numbers: list[str], on: dt.date, jurisdiction: str | None, role: str | None,
        institution_number: str | None) -> int:
    """Print each number's reading; 0 when all are valid, 1 otherwise (CardUsageError for bad options)."""
    all_valid = True
    for index, number in enumerate(numbers):
        valid, lines = describe(number, on, jurisdiction, role, institution_number)
        all_valid = all_valid and valid
        print(("\n" if index else "") + "\n".join(lines))
    return 0 if all_valid else 1
