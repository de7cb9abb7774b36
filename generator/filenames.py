"""The files of a filing folder: key → (file name, always required, Chinese description).

The list is data (rules/kinds.yaml, kind `filing`); this module keeps the name every caller has
used for it. Only profile.yaml is needed whatever the filing is (it names the 备案类别); which other
files a category needs is data: the materials list of rules/filing-categories.yaml (categories.py).
A module of its own so that the loader (filing.py) and the category data (categories.py) can both
name the files without importing each other.
"""
from __future__ import annotations

from .kinds import kind

FILES: dict[str, tuple[str, bool, str]] = kind("filing").table
