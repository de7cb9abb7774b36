"""A small iCalendar (RFC 5545) writer for the portal's session feeds (认定日历订阅).

Hand-written rather than a new dependency: the feeds need one VCALENDAR of VEVENTs with text,
date and date-time properties, which is a page of code. What RFC 5545 asks and this does:

- lines end in CRLF (3.1) and are folded so that no line is longer than 75 octets, never inside
  a UTF-8 sequence; a continuation line starts with one space (3.1);
- TEXT values escape backslash, semicolon and comma, and a line break becomes ``\\n`` (3.3.11);
  other control characters are not allowed in TEXT and are dropped;
- times are local times in Asia/Shanghai, written with ``TZID=Asia/Shanghai``, and the calendar
  carries the matching VTIMEZONE (3.2.19: every TZID used must be defined). China has had no
  daylight saving time since 1991, so one STANDARD rule at +0800 describes it. Floating times
  (no zone) were not chosen: a calendar client abroad or set to another zone would move a floating
  08:30 exam to its own 08:30, and a subscriber must see the exam at the time the plan gives;
- DTSTAMP (required in every VEVENT) is the build's evaluation date at 00:00 UTC, not the clock,
  so the same data on the same day gives the same file;
- a module without a usable start and end time becomes an all-day event (VALUE=DATE, DTEND the
  next day, 3.6.1).
"""
from __future__ import annotations

import datetime as dt
import re

PRODID = "-//beian//认定日历//ZH"
TZID = "Asia/Shanghai"
VTIMEZONE = ["BEGIN:VTIMEZONE", f"TZID:{TZID}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
             "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE"]
LIMIT = 75  # octets per line, CRLF not counted

# Control characters TEXT may not hold (3.3.11: any character but CONTROL, HTAB allowed); CR and LF
# are handled as line breaks first.
_CONTROLS = {code: None for code in [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F]}
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z")


def text(value) -> str:
    """A TEXT property value: \\ ; , escaped, line breaks as \\n, other control characters dropped."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return value.translate(_CONTROLS)


def fold(line: str) -> list[str]:
    """One content line as physical lines of at most 75 octets, split between characters."""
    parts, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > LIMIT:
            parts.append("".join(current))
            current, size = [" "], 1  # the continuation's leading space counts towards its 75
        current.append(ch)
        size += width
    parts.append("".join(current))
    return parts


def unfold(data: str) -> list[str]:
    """The content lines of a feed (for tests and readers): CRLF + space or tab continues a line."""
    return re.sub(r"\r\n[ \t]", "", data).split("\r\n")


def clock(value) -> dt.time | None:
    """'08:30' as a time; None for anything else (YAML 1.1 reads an unquoted 08:30 as 510)."""
    match = TIME_RE.match(value) if isinstance(value, str) else None
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def as_day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def event_lines(event: dict, stamp: dt.date) -> list[str]:
    """One VEVENT. EVENT: uid, day (date), start/end (time or None), summary, location, description, url."""
    day = event["day"]
    start, end = event.get("start"), event.get("end")
    lines = ["BEGIN:VEVENT", f"UID:{text(event['uid'])}", f"DTSTAMP:{stamp:%Y%m%d}T000000Z"]
    if start and end and end > start:
        lines += [f"DTSTART;TZID={TZID}:{dt.datetime.combine(day, start):%Y%m%dT%H%M%S}",
                  f"DTEND;TZID={TZID}:{dt.datetime.combine(day, end):%Y%m%dT%H%M%S}"]
    else:
        lines += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"]
    lines.append(f"SUMMARY:{text(event['summary'])}")
    if event.get("location"):
        lines.append(f"LOCATION:{text(event['location'])}")
    if event.get("description"):
        lines.append(f"DESCRIPTION:{text(event['description'])}")
    if event.get("url"):
        lines.append(f"URL:{event['url']}")  # URI value: not TEXT-escaped; callers give a plain http(s) URL
    lines.append("END:VEVENT")
    return lines


def calendar(events: list[dict], name: str, stamp: dt.date) -> str:
    """The whole feed as text with CRLF line ends (write it with newline="" or as bytes)."""
    return calendar_of([event_text(event, stamp) for event in events], name)


def event_text(event: dict, stamp: dt.date) -> str:
    """One VEVENT as the feed holds it: folded lines, each ending in CRLF."""
    return _physical(event_lines(event, stamp))


def calendar_of(event_texts: list[str], name: str) -> str:
    """The feed around EVENT_TEXTS (event_text's, in their order): a build keeps each institution's events made
    and puts the feed of all institutions together from them (portal/sessions.py)."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{text(PRODID)}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            f"X-WR-CALNAME:{text(name)}", f"X-WR-TIMEZONE:{TZID}", *VTIMEZONE]
    return _physical(head) + "".join(event_texts) + _physical(["END:VCALENDAR"])


def _physical(lines: list[str]) -> str:
    return "".join(part + "\r\n" for line in lines for part in fold(line))
