"""Output formats: each is a small renderer over the same results.

A renderer module registers itself with @renderer("name"); the CLI looks the
name up here and never branches on formats itself.
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
