"""What, besides the institution and the code, decides the bytes of a printout: the parts of a cached
download's key (stage_cache.stage_key). The templates, assets and the symbol font are in generator/ and so
already in the code digest; the rest is here.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

# Libraries that lay out, subset and write the PDF and the workbooks.
RENDER_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "pillow", "jinja2", "markupsafe", "segno",
                    "openpyxl", "pandas")


def library_version(name: str) -> str:
    """The installed version of the distribution NAME (“absent” when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def _file_mark(path: str) -> str:
    """A font or library file as path, size and modification time: a new package version is a new mark."""
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}:absent"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def _fontconfig(*args: str) -> list[str]:
    try:
        out = subprocess.run(["fc-" + args[0], *args[1:]], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return [f"fc-{args[0]} failed"]
    return out.stdout.splitlines()


def _font_files(family: str) -> list[str]:
    """The files fontconfig has for FAMILY (every weight), then the first it falls back to for Chinese."""
    if not shutil.which("fc-list"):
        return ["no fontconfig"]
    own = sorted(set(_fontconfig("list", f":family={family}:lang=zh", "file")))
    fallback = _fontconfig("match", "-s", "--format=%{file}\\n", f"{family}:lang=zh")[:4]
    return [line.rstrip(": ") for line in own] + fallback


@lru_cache(maxsize=None)
def render_fingerprint() -> str:
    """The renderer's versions, the CJK fonts' files and the subsetting library, once per process."""
    import ctypes.util

    from .fonts import SANS, SERIF

    serif = os.environ.get("BEIAN_BUNDLE_FONT", SERIF)
    sans = os.environ.get("BEIAN_BUNDLE_SANS_FONT", SANS)
    parts = [f"{name}={library_version(name)}" for name in RENDER_LIBRARIES]
    parts += [f"serif={serif}", f"sans={sans}"]
    parts += [_file_mark(f) for family in dict.fromkeys((serif, sans)) for f in _font_files(family)]
    harfbuzz = ctypes.util.find_library("harfbuzz-subset")
    parts.append(f"harfbuzz-subset={harfbuzz or 'absent'}")
    if harfbuzz:
        for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib"):
            if Path(folder, harfbuzz).exists():
                parts.append(_file_mark(str(Path(folder, harfbuzz))))
                break
    return "|".join(parts)


def _version_words(commit: str, date: str, dirty: bool) -> str:
    """The printed data version as a key part: the commit, its date, and whether the folder changed since
    (data_version.DataVersion holds exactly these, its label is made from them)."""
    return f"version={commit}|{date if commit else ''}|{bool(commit) and dirty}"


def folder_versions(directories: list) -> dict[str, str]:
    """str(folder) → its version words, for many folders from one git log and one git status per parent folder
    (portal/history.py) instead of two git processes per institution (data_version.py): 5,000 institutions
    would spend a minute just spawning git."""
    from ..portal.history import histories

    found = {}
    for folder, history in histories([Path(d) for d in directories]).items():
        newest = history.versions[0] if history.tracked and history.versions else None
        found[folder] = _version_words(newest.commit if newest else "", newest.date if newest else "", history.modified)
    return found


def version_parts(directory: Path, version: str | None = None) -> tuple[str, ...]:
    """The data version that is printed (VERSION: as folder_versions found it, else asked of git for this
    folder alone) and the portal address its QR code points to."""
    from ..paths import published_portal_url

    if version is None:
        from ..data_version import data_version

        found = data_version(Path(directory))
        version = _version_words(found.commit, found.committed, found.dirty)
    from ..data_version import git_root

    # without git at all the printouts say “未纳入 git”, with git but no commit yet “未提交”
    return version, f"git={git_root() is not None}", f"portal={published_portal_url()}"
