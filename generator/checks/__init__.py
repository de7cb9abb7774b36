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
import os
from collections.abc import Mapping
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


def _load_all() -> None:
    global _loaded
    if not _loaded:
        import pkgutil

        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True


class _Checks(Mapping):
    """The check functions by name, each module imported when one of its checks is first asked for.

    A check's name begins with the name of its module ("sites.office" lives in sites.py;
    tests/test_check_registry.py holds every check to that), so judging a filing never imports the
    supervision checks and their models, which a start-up of `beian check` would otherwise pay for.
    A name that does not follow the convention is still found: then every module is imported."""

    def __getitem__(self, name: str) -> CheckFunction:
        found = _REGISTRY.get(name)
        if found is None and not _loaded:
            module = name.partition(".")[0]
            if module.isidentifier() and os.path.isfile(os.path.join(__path__[0], module + ".py")):
                importlib.import_module(f"{__name__}.{module}")
                found = _REGISTRY.get(name)
            if found is None:
                _load_all()
                found = _REGISTRY.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name) -> bool:
        try:
            self[name]
        except (KeyError, TypeError, AttributeError):
            return False
        return True

    def __iter__(self):
        _load_all()
        return iter(dict(_REGISTRY))

    def __len__(self) -> int:
        _load_all()
        return len(_REGISTRY)


_CHECKS = _Checks()


def registry() -> Mapping[str, CheckFunction]:
    return _CHECKS
