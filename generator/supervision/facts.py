"""A jurisdiction's supervision facts on one day, with absence meaning “not stipulated”.

The supervision documents differ: Beijing sets an age limit and no years of experience, Guangdong the
reverse, Henan (Zhengzhou's measures) no group size. A fact a jurisdiction does not publish is absent from
its file, and every rule reads it through `stipulated`, which answers None: the rule then asks nothing,
instead of borrowing another jurisdiction's number.
"""
from __future__ import annotations

import datetime as dt
from typing import Any


def stipulated(jurisdiction, name: str, day: dt.date) -> Any:
    """The value of fact NAME on DAY, or None when the jurisdiction does not publish it (or not yet on DAY)."""
    if jurisdiction is None:
        return None
    fact = jurisdiction.facts.get(name)
    if fact is None:
        return None
    from ..jurisdiction import JurisdictionError

    try:
        return fact.on(day)
    except JurisdictionError:
        return None


def source_of(jurisdiction, name: str) -> str:
    """Where a fact comes from (“seed 002 第九条（五）…”), for messages; '' when absent."""
    fact = jurisdiction.facts.get(name) if jurisdiction is not None else None
    return fact.source if fact is not None else ""
