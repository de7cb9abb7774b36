"""Entries of a reviews.yaml that nobody has filled in yet (a saved `beian review-template`).

Read by the loader (their schema errors are not errors), the engine (their criteria stay pending)
and the PR reading of decisions; a module of its own so that none of them imports another for it.
"""
from __future__ import annotations

from .escaping import is_blank

DECISION_FIELDS = ("points", "outcome", "reason", "reviewer", "date")


def is_unfilled(decision) -> bool:
    """A template entry nobody has filled in yet (points or outcome, reason, reviewer, date all blank):
    its criterion is still pending, which is not an error in the decision."""
    return isinstance(decision, dict) and all(
        value is None or (isinstance(value, str) and is_blank(value))
        for value in (decision.get(key) for key in DECISION_FIELDS))


def unfilled_indexes(data) -> set[int]:
    """Positions of the unfilled entries in a reviews.yaml document's `decisions`."""
    items = data.get("decisions") if isinstance(data, dict) else None
    return {i for i, item in enumerate(items) if is_unfilled(item)} if isinstance(items, list) else set()
