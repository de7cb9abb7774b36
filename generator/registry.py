"""The registry repository's own settings (beian.yaml at the project root): which jurisdiction it serves.

A registry serves one jurisdiction (河南省 here): its institutions are judged by that jurisdiction's facts unless
their rule sheet names another, and the department's commands (`beian dispatch`, `beian cards`) take that
jurisdiction's register (department/<id>/) when several are present. Without beian.yaml the project's own
default (Henan, whose handbook every rule sheet encodes) applies, so a checkout without the file works as before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import PROJECT_ROOT, rules_files
from .roots import SETTINGS_FILE

FALLBACK = "henan"


class RegistryError(Exception):
    """beian.yaml is unreadable or names no known jurisdiction (message in Chinese, with file and line)."""


SETTINGS = {"jurisdiction": "本登记册服务的辖区", "supervision_forms": "本登记册采用的督导记录表",
            "publisher": "公示门户的发布单位（页脚显示）"}
# The portal's footer names the publisher; a registry that has not said who it is gets this neutral line.
DEFAULT_PUBLISHER = "本登记册的维护单位（未在 beian.yaml 中填写 publisher）"


@dataclass(frozen=True)
class Settings:
    jurisdiction: str
    # The supervision record forms (rules/forms/<id>.yaml) this registry accepts; None: its jurisdiction's own.
    supervision_forms: tuple[str, ...] | None = None
    publisher: str = DEFAULT_PUBLISHER    # who publishes the portal (beian.yaml `publisher:`)


def settings_problems(root: Path = PROJECT_ROOT) -> list[str]:
    """What is wrong with ROOT/beian.yaml, in Chinese; [] when it is sound or absent."""
    try:
        registry_settings.__wrapped__(root)
    except RegistryError as error:
        return [str(error)]
    return []


def home_jurisdiction(root: Path = PROJECT_ROOT) -> str:
    """The id of the jurisdiction the registry at ROOT serves (beian.yaml `jurisdiction:`), else Henan."""
    return registry_settings(root).jurisdiction


def accepted_forms(root: Path = PROJECT_ROOT) -> tuple[str, ...]:
    """The supervision forms the registry accepts: beian.yaml `supervision_forms`, else every published form of
    its own jurisdiction (none for Henan, whose only supervision source publishes no record form)."""
    chosen = registry_settings(root).supervision_forms
    if chosen is not None:
        return chosen
    from .forms.model import all_forms

    home = home_jurisdiction(root)
    return tuple(form.id for form in all_forms().values() if form.jurisdiction == home)


def publisher_name(root: Path = PROJECT_ROOT) -> str:
    """Who publishes the portal, for its footer and its feeds; a broken beian.yaml (reported by `beian rules
    --validate`) gives the neutral default rather than stopping a build."""
    try:
        return registry_settings(root).publisher
    except RegistryError:
        return DEFAULT_PUBLISHER


@lru_cache(maxsize=4)
def registry_settings(root: Path = PROJECT_ROOT) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings(FALLBACK)
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
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise RegistryError(f"{SETTINGS_FILE} 第 {document.line_of((unknown[0],)) or 1} 行：不认识的设置 {unknown[0]}"
                            "（只有 " + "；".join(f"{k}：{v}" for k, v in SETTINGS.items()) + "）")
    value = str(data.get("jurisdiction") or FALLBACK)
    known = sorted(p.stem for p in rules_files("jurisdictions"))
    if not re.fullmatch(r"[a-z][a-z0-9-]*", value) or value not in known:
        raise RegistryError(f"{SETTINGS_FILE} 第 {document.line_of(('jurisdiction',)) or 1} 行：辖区“{value}”不存在；"
                            f"rules/jurisdictions/ 中有：{'、'.join(known)}")
    return Settings(value, _forms(data, document, root), _publisher(data, document))


def _publisher(data: dict, document) -> str:
    if "publisher" not in data or data["publisher"] is None:
        return DEFAULT_PUBLISHER
    name = data["publisher"]
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or "\n" in name.strip():
        raise RegistryError(f"{SETTINGS_FILE} 第 {document.line_of(('publisher',)) or 1} 行：publisher 应是一行文字"
                            "（发布单位的名称，不超过 100 字），例如 publisher: 某某市职业技能鉴定指导中心")
    return name.strip()


def _forms(data: dict, document, root: Path) -> tuple[str, ...] | None:
    if "supervision_forms" not in data:
        return None
    chosen = data["supervision_forms"]
    line = document.line_of(("supervision_forms",)) or 1
    known = sorted(p.stem for p in rules_files("forms"))
    if not isinstance(chosen, list) or not all(isinstance(f, str) for f in chosen):
        raise RegistryError(f"{SETTINGS_FILE} 第 {line} 行：supervision_forms 应是表编号的列表，例如 [guangdong-a4, guangdong-a5]")
    wrong = [f for f in chosen if f not in known]
    if wrong:
        raise RegistryError(f"{SETTINGS_FILE} 第 {line} 行：督导记录表“{wrong[0]}”不存在；rules/forms/ 中有：{'、'.join(known)}")
    return tuple(chosen)
