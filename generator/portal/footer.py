"""What every portal page's footer says: who publishes the register and how current its data are.

The publisher is the registry's own setting (beian.yaml `publisher:`). The data date is the day of the newest
commit that changed the filings the portal was built from (git's committer date): the day the published data
last changed, which a reader can compare with a paper copy. Outside git, or for uncommitted filings, it is the
evaluation date instead, and the footer says which of the two it shows. The evaluation date (the day scores and
validity are judged on, BEIAN_TODAY or today) is shown as well.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..paths import PROJECT_ROOT

COMMITTED = "备案材料最近一次提交的日期"
EVALUATED = "评估日期（备案材料未纳入 git 版本记录）"


@dataclass(frozen=True)
class Footer:
    publisher: str
    data_date: str          # YYYY-MM-DD
    data_date_means: str    # COMMITTED or EVALUATED
    evaluated: str          # YYYY-MM-DD: the day the scores are judged on

    def as_config(self) -> dict:
        """For mkdocs' config.extra.footer (site/overrides/partials/copyright.html)."""
        from ..public_state import DISCLAIMER

        return {"publisher": self.publisher, "data_date": self.data_date, "data_date_means": self.data_date_means,
                "evaluated": self.evaluated, "disclaimer": DISCLAIMER}


def newest_commit_day(folders: list[Path]) -> str | None:
    """The committer date of the newest commit touching FOLDERS (data_version's), None outside git or before any commit."""
    from ..data_version import data_version

    days = [data_version(folder).committed[:10] for folder in folders]
    return max((day for day in days if len(day) == 10), default=None)


def footer_facts(directories: list[Path], evaluated: dt.date, root: Path = PROJECT_ROOT) -> Footer:
    """The footer for a portal built from the institution DIRECTORIES (their parent folders are asked, so a
    register of thousands makes one short git command)."""
    from ..registry import publisher_name

    publisher = publisher_name(root)
    folders = sorted({Path(d).resolve().parent for d in directories})
    day = newest_commit_day(folders)
    if day:
        return Footer(publisher, day, COMMITTED, evaluated.isoformat())
    return Footer(publisher, evaluated.isoformat(), EVALUATED, evaluated.isoformat())
