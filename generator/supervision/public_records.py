"""What of a supervision record the public portal may show: one line per record, “南昌 现场质量督导情况报告表
2026-06-13：得分 67（已知条目满分 80；满分 100，其中 20 分条目原文缺失）”, and nothing else of it.

Records are department-only by default (001 第十条（三）: supervisors may not publish their records themselves;
publishing is the department's call). A record appears on its session's public page only when:

- it says `visibility: 公开`, and its supervision date is before the evaluation date (as with a dispatch: nothing
  about a supervision is published before it has taken place);
- its form is about the assessment (`subject: session`): a feedback form (广东 附件5, 北京 附件4) is the
  institution's judgment of one supervisor, a person, and is never published;
- its answers are complete and valid (condition record-answers met): the summary then holds only the form's own
  words and numbers, never text typed in place of an option.

The line holds the form's short title, the date and the form result's summary (score with the form's
“满分 100，其中 20 分条目原文缺失” words, or the level tally, ratings, vetoes ticked): no card number, no name,
no remark, no opinion, no feedback text.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dates import parse_date
from .model import PUBLIC

ANSWERS_RULE = "record-answers"


@dataclass(frozen=True)
class PublicRecord:
    """A supervision record as the public may see it."""
    form_title: str
    date: dt.date
    summary: str

    @property
    def words(self) -> str:
        return f"{self.form_title} {self.date.isoformat()}：{self.summary}"


def public_record(record: dict, today: dt.date) -> PublicRecord | None:
    """RECORD (report.supervision_record) as its public line, or None when none of it may be shown."""
    from ..forms.model import get_form

    day = parse_date(record.get("date"))
    result = record.get("form_result") or {}
    form = get_form(str(record.get("form") or ""))
    answered = any(c.get("rule") == ANSWERS_RULE and c.get("met") for c in record.get("conditions") or [])
    if (record.get("visibility") != PUBLIC or day is None or day >= today or form is None
            or form.subject != "session" or not answered or not result.get("summary")):
        return None
    return PublicRecord(form.short_title, day, str(result["summary"]))


def public_records(records: list[dict], today: dt.date) -> list[PublicRecord]:
    """The public lines of a session's records, by date and form."""
    lines = [line for line in (public_record(r, today) for r in records) if line is not None]
    return sorted(lines, key=lambda line: (line.date, line.form_title))
