"""Where the project's data lives.

Two places count:

- the *repository* being worked on (PROJECT_ROOT): the filings (institutions/), the department's registers,
  beian.yaml, outputs. It is $BEIAN_ROOT when set, else the nearest folder, from the working directory upward,
  that holds a beian.yaml or an institutions/ folder (`beian` finds it from a path it is given too: cli.main).
- the *packaged defaults* (DEFAULTS_ROOT): rules/, schemas/ and site/ as this version of beian ships them. An
  installed wheel carries them in generator/_defaults/ (setup.py copies them there at build time); a source
  checkout (editable install, PYTHONPATH) uses the checkout's own top-level folders.

The repository may override the defaults FILE BY FILE: rules/sheets/x.yaml in the repository replaces the
packaged x.yaml and leaves every other sheet, form and reference table as shipped. A registry typically changes
one sheet or one reference table; a folder-level override would make it copy (and then keep up to date by hand)
every file beside it. A file only the repository has is added (a sheet of its own). The portal's site/ is the
exception: it is taken as a whole (site_dir()), since mkdocs.yml names its overrides and assets.
"""
from __future__ import annotations

import os
from pathlib import Path

from .roots import ROOT_MARKERS, find_project_root

PACKAGE_DIR = Path(__file__).resolve().parent


def _defaults_root() -> Path:
    packaged = PACKAGE_DIR / "_defaults"
    return packaged if (packaged / "rules").is_dir() else PACKAGE_DIR.parent


DEFAULTS_ROOT = _defaults_root()


def _project_root() -> tuple[Path, bool]:
    if os.environ.get("BEIAN_ROOT"):
        return Path(os.environ["BEIAN_ROOT"]), True
    found = find_project_root(Path.cwd())
    return (found, True) if found else (Path.cwd(), False)


# ROOT_FOUND False: no repository around the working directory; PROJECT_ROOT is then the working directory, which
# serves commands given explicit filings. What needs the repository itself asks require_project() first.
PROJECT_ROOT, ROOT_FOUND = _project_root()
INSTITUTIONS_DIR = PROJECT_ROOT / "institutions"
REGISTERS_FOLDER = "department"   # department/<jurisdiction>/: the supervision registers (rules/kinds.yaml `register`)


class NoProjectError(Exception):
    """No registry repository around the working directory (message in Chinese)."""


def no_project_message() -> str:
    return (f"找不到备案仓库：从当前文件夹 {Path.cwd()} 往上都没有 {ROOT_MARKERS}。"
            "请在备案仓库里运行（或进入它的子文件夹），或用环境变量 BEIAN_ROOT 指定仓库位置；"
            "新建仓库可先运行 beian init。")


def require_project() -> Path:
    """PROJECT_ROOT when one was found; NoProjectError otherwise."""
    if not ROOT_FOUND:
        raise NoProjectError(no_project_message())
    return PROJECT_ROOT


def _layered(top: str, parts: tuple[str, ...]) -> Path:
    own = PROJECT_ROOT.joinpath(top, *parts)
    return own if own.exists() else DEFAULTS_ROOT.joinpath(top, *parts)


def _layered_listing(top: str, folder: tuple[str, ...], pattern: str) -> list[Path]:
    by_name = {p.name: p for p in DEFAULTS_ROOT.joinpath(top, *folder).glob(pattern)}
    by_name.update({p.name: p for p in PROJECT_ROOT.joinpath(top, *folder).glob(pattern)})
    return [by_name[name] for name in sorted(by_name)]


def rules_file(*parts: str) -> Path:
    """rules/PARTS: the repository's own file when it has one, else the packaged default (which may not exist)."""
    return _layered("rules", parts)


def own_rules_file(*parts: str) -> Path:
    """rules/PARTS of the repository only, never a packaged default: for a registry's own people (the reviewers
    register, rules/reviewers.yaml), which another registry's copy must never stand in for."""
    return PROJECT_ROOT.joinpath("rules", *parts)


def rules_files(folder: str, pattern: str = "*.yaml") -> list[Path]:
    """The files of rules/FOLDER matching PATTERN, packaged and the repository's own, the repository's winning a
    name both have; sorted by name."""
    return _layered_listing("rules", (folder,), pattern)


def schema_file(name: str) -> Path:
    """schemas/NAME.schema.json, the repository's own or the packaged one."""
    return _layered("schemas", (f"{name}.schema.json",))


def schema_files() -> list[Path]:
    return _layered_listing("schemas", (), "*.schema.json")


def packaged_schemas() -> list[Path]:
    return sorted(DEFAULTS_ROOT.joinpath("schemas").glob("*.schema.json"))


def site_dir() -> Path:
    """The portal's hand-written site/ (mkdocs.yml, overrides/, pages/): the repository's own when it has a
    site/mkdocs.yml, else the packaged one."""
    own = PROJECT_ROOT / "site"
    return own if (own / "mkdocs.yml").is_file() else DEFAULTS_ROOT / "site"


def editor_schemas_dir() -> Path:
    """Where YAML modelines point: the repository's schemas/ (beian init copies the packaged ones there)."""
    return PROJECT_ROOT / "schemas"


def editor_schemas_hint() -> str | None:
    """What to do when the repository has no schemas/ for the YAML files' modelines to point at; None when it has."""
    if (editor_schemas_dir() / "common.schema.json").is_file():
        return None
    return ("提示：本仓库没有 schemas/ 文件夹，编辑器（VS Code 的 YAML 扩展）无法按文件首行的 $schema 检查和提示；"
            "运行 beian init 复制一份（不覆盖已有文件）。")


def published_portal_url() -> str:
    """Where the portal is published, ending in '/': $BEIAN_PORTAL_URL (pages.yml sets it to the
    GitHub Pages address), else site/mkdocs.yml's site_url; '' when neither says. Shared by the
    portal (badge snippet, canonical links) and SARIF (rule help links)."""
    import re

    if os.environ.get("BEIAN_PORTAL_URL"):
        return os.environ["BEIAN_PORTAL_URL"].rstrip("/") + "/"
    try:
        config = (site_dir() / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config, re.M)
    return found.group(1).rstrip("/") + "/" if found else ""
