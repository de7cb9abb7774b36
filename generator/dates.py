"""Small date helpers shared by the checks, the supervision records and the printed bundle."""
from __future__ import annotations

import datetime as dt


def parse_date(value) -> dt.date | None:
    """A YYYY-MM-DD value as a date; None when absent or not a calendar date (the schema reports why)."""
    try:
        return dt.date.fromisoformat(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def years_later(start: dt.date, years: int) -> dt.date:
    """The same date YEARS later; 29 February becomes 28 February in a year without it."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
