"""What every page of the department's internal section shares: the front matter that keeps search engines
away, the 部门内部资料 warning at the top, ASCII page names, and the small cell formats (days, file:line).
Used by internal.py (registers, supervisors, dispatches) and internal_records.py (supervision records)."""
from __future__ import annotations

import hashlib
import json
import re

from .markup import HEADER, notice
from .text import md, plain

WARNING = "部门内部资料，不得公开"
ROBOTS = "noindex, nofollow"
_TITLE_CHARS = str.maketrans({"<": "＜", ">": "＞", "&": "＆", "\n": " ", "\r": " "})
_TIDY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")


def page_name(text: str, prefix: str) -> str:
    """An ASCII page name for TEXT (a jurisdiction id is one already; a card number in Chinese is hashed)."""
    return text if _TIDY.match(text) else f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def front_matter(title: str) -> str:
    return ("---\ntitle: " + json.dumps(plain(title).translate(_TITLE_CHARS), ensure_ascii=False)
            + f"\nrobots: {ROBOTS}\n---\n\n")


REGISTER_SOURCE = "部门的督导员名册与外督委派记录（department/）"


def page_head(title: str, back: str, source: str = REGISTER_SOURCE) -> list[str]:
    return [front_matter(title) + f"# {md(title)}", "", HEADER.strip(), "",
            *notice("danger", WARNING, f"本页来自{source}，只在部门内部构建"
                                       "（beian build --internal）中生成，不得转发或公开（001 第十条（三））。"), back, ""]


def day_text(value) -> str:
    return value.isoformat() if value else "—"


def days_text(days) -> str:
    if not days:
        return "—"
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} 至 {days[-1].isoformat()}"


def finding_place(finding: dict) -> str:
    line = finding.get("line")
    return md(f"{finding.get('file') or ''}:{line}" if line else finding.get("file") or "") or "—"
