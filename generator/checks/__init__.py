"""Check functions: small, pure, and ignorant of points, severities and rule ids.

A check receives one CheckContext (generator/context.py): the subject judged (a filing, a session),
the institution's filing, the reference data, the rule's own `params` from its rule set and the
evaluation date; it yields Observations about the data. The engine
(generator/engine.py) turns them into points and findings according to the
criterion's scoring mode. A new check is a decorated function in any module
of this package; a new rule is a sheet entry naming it. Neither touches the engine.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable, Iterable

from ..context import CheckContext
from ..filing import Ref

DEFICIENCY = "deficiency"   # something the criterion requires is missing or wrong
CREDIT = "credit"           # one item that earns points (per_item, bonus)
REVIEW = "review"           # the data cannot decide this; a reviewer must
NOTE = "note"               # worth knowing, changes nothing


@dataclass(frozen=True, slots=True)
class Observation:
    kind: str
    message: str
    at: Ref | None = None
    # What a reviewer judges, when narrower than `at` (where the finding points): the digest
    # recorded with a decision (generator/review_inputs.py) covers this data instead.
    about: tuple[Ref, ...] = ()
    # How to fix it, shown under the message (Finding.hint); not part of what a reviewer judges.
    hint: str | None = None


def deficiency(message: str, at: Ref | None = None, hint: str | None = None) -> Observation:
    return Observation(DEFICIENCY, message, at, (), hint)


def credit(message: str, at: Ref | None = None) -> Observation:
    return Observation(CREDIT, message, at)


def needs_review(message: str, at: Ref | None = None, about: tuple[Ref, ...] = ()) -> Observation:
    return Observation(REVIEW, message, at, about)


def note(message: str, at: Ref | None = None) -> Observation:
    return Observation(NOTE, message, at)


CheckFunction = Callable[[CheckContext], Iterable[Observation]]
_REGISTRY: dict[str, CheckFunction] = {}


def check(name: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        if name in _REGISTRY:
            raise ValueError(f"check {name} registered twice")
        _REGISTRY[name] = function
        return function

    return register


_loaded = False


def registry() -> dict[str, CheckFunction]:
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return _REGISTRY
