"""The registry repository's own settings (beian.yaml at the project root): which jurisdiction it serves.

A registry serves one jurisdiction (河南省 here): its institutions are judged by that jurisdiction's facts unless
their rule sheet names another, and the department's commands (`beian dispatch`, `beian cards`) take that
jurisdiction's register (department/<id>/) when several are present. Without beian.yaml the project's own
default (Henan, whose handbook every rule sheet encodes) applies, so a checkout without the file works as before.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .paths import PROJECT_ROOT

SETTINGS_FILE = "beian.yaml"
FALLBACK = "henan"


class RegistryError(Exception):
    """beian.yaml is unreadable or names no known jurisdiction (message in Chinese, with file and line)."""


def settings_problems(root: Path = PROJECT_ROOT) -> list[str]:
    """What is wrong with ROOT/beian.yaml, in Chinese; [] when it is sound or absent."""
    try:
        home_jurisdiction.__wrapped__(root)
    except RegistryError as error:
        return [str(error)]
    return []


@lru_cache(maxsize=4)
def home_jurisdiction(root: Path = PROJECT_ROOT) -> str:
    """The id of the jurisdiction the registry at ROOT serves (beian.yaml `jurisdiction:`), else Henan."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return FALLBACK
    from .textfile import TextFileError, read_text
    from .yamlload import YamlSyntaxError, load_yaml

    try:
        document, problems = load_yaml(read_text(path), SETTINGS_FILE)
    except TextFileError as error:
        raise RegistryError(f"{SETTINGS_FILE}：{error}") from None
    except YamlSyntaxError as error:
        problems = [error.args[0]]
    if problems:
        raise RegistryError(f"{SETTINGS_FILE}：{getattr(problems[0], 'message', problems[0])}")
    data = document.data if isinstance(document.data, dict) else {}
    unknown = sorted(set(data) - {"jurisdiction"})
    if unknown:
        raise RegistryError(f"{SETTINGS_FILE} 第 {document.line_of((unknown[0],)) or 1} 行：不认识的设置 {unknown[0]}"
                            "（只有 jurisdiction：本登记册服务的辖区）")
    value = str(data.get("jurisdiction") or FALLBACK)
    known = sorted(p.stem for p in (root / "rules" / "jurisdictions").glob("*.yaml"))
    if not re.fullmatch(r"[a-z][a-z0-9-]*", value) or value not in known:
        raise RegistryError(f"{SETTINGS_FILE} 第 {document.line_of(('jurisdiction',)) or 1} 行：辖区“{value}”不存在；"
                            f"rules/jurisdictions/ 中有：{'、'.join(known)}")
    return value
