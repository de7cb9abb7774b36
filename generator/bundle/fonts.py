"""The CJK fonts a bundle needs. Missing fonts stop the run with a Chinese message: never a PDF of boxes."""
from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from functools import lru_cache

SERIF = os.environ.get("BEIAN_BUNDLE_FONT", "Noto Serif CJK SC")
SANS = os.environ.get("BEIAN_BUNDLE_SANS_FONT", "Noto Sans CJK SC")

INSTALL_HINT = ("请安装中文字体后重试：Debian/Ubuntu 执行 `sudo apt-get install fonts-noto-cjk libharfbuzz-subset0`；"
                "其他系统安装思源宋体/思源黑体（Noto Serif CJK SC / Noto Sans CJK SC）。"
                "也可以用环境变量 BEIAN_BUNDLE_FONT、BEIAN_BUNDLE_SANS_FONT 指定已安装的中文字体名称。")


class FontMissing(Exception):
    pass


@lru_cache(maxsize=None)
def _fc_finds(pattern: str) -> bool:
    """Whether fontconfig has an installed font matching PATTERN (“:family=…:lang=zh”)."""
    if not shutil.which("fc-list"):
        return False
    try:
        out = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.stdout.strip())


def _has_family(family: str) -> bool:
    return _fc_finds(f":family={family}:lang=zh")


def require_fonts() -> tuple[str, str]:
    """(serif, sans) family names; FontMissing with a Chinese message when either is not installed."""
    serif = os.environ.get("BEIAN_BUNDLE_FONT", SERIF)
    sans = os.environ.get("BEIAN_BUNDLE_SANS_FONT", SANS)
    if not shutil.which("fc-list"):
        raise FontMissing("找不到 fontconfig（fc-list），无法确认中文字体。" + INSTALL_HINT)
    missing = [f for f in dict.fromkeys((serif, sans)) if not _has_family(f)]
    if missing:
        raise FontMissing("找不到中文字体“" + "”“".join(missing) + "”，生成的 PDF 会是方框，已停止。" + INSTALL_HINT)
    return serif, sans


def fast_subsetting() -> bool:
    """libharfbuzz-subset makes font subsetting about 6× faster than the fontTools fallback."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


SYMBOL = "DejaVu Sans"
BOXES = "2610 2611"  # ☐ and ☑, the check boxes of a printed supervision form
SYMBOL_HINT = ("请安装含勾选框（☐ ☑）字形的字体后重试：Debian/Ubuntu 执行 `sudo apt-get install fonts-dejavu-core`；"
               "也可以用环境变量 BEIAN_SYMBOL_FONT 指定已安装的、含这两个字形的字体名称。")


def _has_boxes(family: str) -> bool:
    return _fc_finds(f":family={family}:charset={BOXES}")


def require_symbol_font() -> str:
    """The family that draws ☐ and ☑ (the CJK fonts have neither); FontMissing with a Chinese message otherwise."""
    family = os.environ.get("BEIAN_SYMBOL_FONT", SYMBOL)
    if not _has_boxes(family):
        raise FontMissing(f"找不到含勾选框字形的字体“{family}”，打印的记录表会没有勾选框，已停止。" + SYMBOL_HINT)
    return family
