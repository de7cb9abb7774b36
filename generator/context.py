"""What a check is given: one record instead of positional arguments.

Every check function receives a CheckContext and nothing else (compare sqlfluff's RuleContext,
yamllint's per-rule configuration). Adding a field here reaches every check without changing a
signature, so a new kind of document (a session, later a supervision record) or a new kind of fact
(jurisdiction data) never touches the checks that do not need it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # imported for the annotations only: the fast path loads neither at import time
    from .filing import Filing
    from .reference import Reference


@dataclass(frozen=True)
class CheckContext:
    # What is judged: an institution's filing, or one of its sessions (a Filing of another kind).
    subject: "Filing"
    # The institution's filing: the subject itself when a filing is judged, the parent of a session.
    filing: "Filing"
    reference: "Reference"
    # The rule's own parameters, from its rule set (rules/sheets/*.yaml, rules/validation.yaml).
    params: Mapping[str, Any]
    # The evaluation date: what “already happened”, “overdue” and “valid on” are measured against.
    today: dt.date
    # Facts of the jurisdiction the institution belongs to (codes, formats, deadlines), when loaded.
    jurisdiction: Any = None
    # The other subjects of the same kind under the same institution (a session's sibling sessions, a
    # supervision record's fellow records of the same session).
    siblings: tuple = field(default=())
    # The session a supervision record is about (None for a filing, a session or a register).
    session: "Filing | None" = None

    def with_params(self, params: Mapping[str, Any]) -> "CheckContext":
        from dataclasses import replace

        return replace(self, params=params)
