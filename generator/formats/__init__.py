"""Output formats: each is a small renderer over the same results.

A renderer module registers itself with @renderer("name"); the CLI looks the
name up here and never branches on formats itself.

Every format also streams: `piece(record, verbose)` turns one record into what the format needs of it
(text, a JSON string, counts), small and picklable, so it can be made in the worker process that judged
the record; `Writer(out, verbose)` takes the pieces in input order (`add`) and writes as they come, holding
only counts and what must come last (`close`). `beian check` never holds the records themselves.
"""
from __future__ import annotations

import importlib
from typing import Callable

_RENDERERS: dict[str, Callable] = {}
# Modules are imported only when their format is asked for.
_MODULES = {"text": "text", "markdown": "markdown", "json": "jsonfmt", "github": "github", "sarif": "sarif"}


def renderer(name: str):
    def register(function):
        _RENDERERS[name] = function
        return function

    return register


def names() -> list[str]:
    return list(_MODULES)


def get(name: str) -> Callable:
    if name not in _RENDERERS:
        importlib.import_module(f"{__name__}.{_MODULES[name]}")
    return _RENDERERS[name]


def streaming(name: str):
    """(piece, Writer) of the format NAME."""
    module = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    return module.piece, module.Writer


def registers_first(records) -> list:
    """The department registers before the institutions, each in its order, as `beian check` judges them."""
    records = list(records)
    return [r for r in records if r.get("kind") == "register"] + [r for r in records if r.get("kind") != "register"]


def write_all(writer, piece, records, verbose: bool = False) -> None:
    for record in records:
        writer.add(piece(record, verbose))
    writer.close()
