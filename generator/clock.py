"""The evaluation date every judgment is measured against, in a module light enough for the record cache."""
from __future__ import annotations

import datetime as dt
import os


def evaluation_date() -> dt.date:
    """The evaluation date: BEIAN_TODAY when set (reproducible reports and tests), else today."""
    value = os.environ.get("BEIAN_TODAY")
    return dt.date.fromisoformat(value) if value else dt.date.today()
