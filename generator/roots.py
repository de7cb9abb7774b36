"""Telling a registry repository by its markers: a beian.yaml or an institutions/ folder.

No state and no imports of the project's data, so `beian` can look for the repository around a path it is given
before generator.paths fixes PROJECT_ROOT (cli.main).
"""
from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "beian.yaml"
ROOT_MARKERS = "beian.yaml 或 institutions/ 文件夹"


def is_project_root(folder: Path) -> bool:
    return (folder / SETTINGS_FILE).is_file() or (folder / "institutions").is_dir()


def find_project_root(start: Path) -> Path | None:
    """The nearest of START and its parents that is a registry repository, or None."""
    try:
        start = start.resolve()
    except OSError:
        return None
    for folder in (start, *start.parents):
        try:
            if is_project_root(folder):
                return folder
        except OSError:  # an unreadable parent: keep looking further up
            continue
    return None
