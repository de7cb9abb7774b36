"""What a printed PDF says about itself in its document properties: author, subject, keywords and dates.

weasyprint reads them from <meta> elements (templates/head.html.j2); the title is the page's <title> and the
language its <html lang="zh-CN">. The dates come from the data, not from the clock, so that printing the same
version again gives the same file: created is the date of the commit the data was taken from, modified the
same for committed data, or the evaluation date (the 生成日期 the page prints) when the data has changed since.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..data_version import DataVersion

PRODUCER = "beian"
_SEPARATORS = re.compile(r"[,，\s]+")


@dataclass(frozen=True)
class DocInfo:
    author: str                  # the institution, or the department for register and form printouts
    subject: str                 # what the document is, in a sentence
    keywords: tuple[str, ...]
    created: str                 # W3C date or date-time
    modified: str

    @property
    def keyword_text(self) -> str:
        """weasyprint splits the keywords at commas: a comma inside one keyword would split it."""
        words = (_SEPARATORS.sub(" ", str(k)).strip() for k in self.keywords)
        return ", ".join(dict.fromkeys(w for w in words if w))


def version_dates(version: DataVersion | None, today: dt.date) -> tuple[str, str]:
    """(created, modified) for data at VERSION printed on TODAY (the evaluation date)."""
    printed = today.isoformat()
    committed = version.committed if version else ""
    if not committed:
        return printed, printed
    if not version.dirty or printed <= committed[:10]:
        return committed, committed
    return committed, printed


def doc_info(author: str, subject: str, keywords, version: DataVersion | None, today: dt.date) -> DocInfo:
    created, modified = version_dates(version, today)
    words = [*keywords, version.short if version and version.short else ""]
    return DocInfo(str(author or ""), str(subject or ""), tuple(str(k) for k in words if k), created, modified)
