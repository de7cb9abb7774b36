"""Subcommands of this feature; registered by generator/cli.py."""
from __future__ import annotations


def register(sub) -> None:
    """Add this feature's subcommands to the `beian` parser (none yet)."""
