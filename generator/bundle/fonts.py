"""The CJK fonts a bundle needs. Missing fonts stop the run with a Chinese message: never a PDF of boxes."""
from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

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


SYMBOL = "Beian Box Symbols"   # ☐ ☑ ☒ of DejaVu Sans, shipped with the package (scripts/make-box-font.py)
SYMBOL_FILE = Path(__file__).resolve().parent / "assets" / "fonts" / "BeianBoxSymbols.ttf"


def require_symbol_font() -> str:
    """The family that draws ☐ and ☑ (the CJK fonts have neither): the package's own font file, loaded
    through @font-face (templates/head.html.j2), so no machine's fonts decide how a box looks.
    FontMissing only for a broken installation that lost the file."""
    if not SYMBOL_FILE.is_file():
        raise FontMissing(f"安装不完整：找不到勾选框字体文件 {SYMBOL_FILE}，请重新安装 beian。")
    return SYMBOL
