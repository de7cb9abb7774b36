"""Output folders a user names: one meaning for every command, and never over what the user wrote.

A relative path means what it means in a shell: relative to the folder the command runs in. beian
resolves it once, here, and hands absolute paths to mkdocs (which would otherwise resolve them
against site/), weasyprint and openpyxl. A folder inside institutions/, rules/, schemas/ or .git/,
or one that is (or holds) the repository itself, is refused before anything is written: builds
empty their output folders.
"""
from __future__ import annotations

import os
from pathlib import Path

# Folders of the repository that hold what people wrote or git's own data; outputs never go there.
PROTECTED = {"institutions": "备案文件", "rules": "评分规则", "schemas": "数据格式", ".git": "git 仓库数据"}


class OutputError(Exception):
    """An output location that cannot be used; the message is Chinese and names the option."""


def absolute(given: str | os.PathLike) -> Path:
    """GIVEN relative to the current folder, made absolute without following links ('..' removed)."""
    return Path(os.path.abspath(os.fspath(given)))


def output_folder(given: str | os.PathLike | None, default: Path, option: str = "--out") -> Path:
    """The folder an option names (or DEFAULT), absolute; OutputError when it must not be written."""
    from .paths import PROJECT_ROOT

    folder = absolute(given) if given else absolute(default)
    real = Path(os.path.realpath(folder))
    root = Path(os.path.realpath(PROJECT_ROOT))
    if real == root or root.is_relative_to(real):
        raise OutputError(f"{option} 给出的 {folder} 是仓库本身或包含整个仓库，写入会覆盖备案文件和程序；"
                          "请另给一个专用的输出文件夹，例如 out/ 下的新文件夹。")
    for name, what in PROTECTED.items():
        if real.is_relative_to(root / name):
            raise OutputError(f"{option} 给出的 {folder} 在仓库的 {name}/（{what}）里，输出不能放在那里；"
                              "请另给一个文件夹，例如 out/ 下的新文件夹。")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{option} 给出的 {folder} 已存在且不是文件夹；{option} 应给出一个文件夹。")
    return folder
