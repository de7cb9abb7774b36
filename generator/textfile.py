"""Reading a filing file as text: size limit, encoding detection, Chinese errors.

Institution staff often save files from Windows editors in GBK or UTF-16; the
message must say which encoding it looks like and how to re-save it, rather
than showing a decoding traceback.
"""
from __future__ import annotations

import codecs
import errno
from pathlib import Path

# A realistic personnel file with a few hundred people is under 200 KB.
MAX_FILE_BYTES = 1024 * 1024

RESAVE_HINT = "请用编辑器（如 VS Code、记事本）“另存为”UTF-8 编码后再提交。"


class TextFileError(Exception):
    """A file that cannot be read as UTF-8 text; the message is user-facing Chinese."""

    def __init__(self, rule: str, message: str, hint: str | None = None, line: int | None = None):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.hint = hint
        self.line = line


def decode_bytes(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or raise TextFileError naming the real encoding."""
    if raw.startswith(codecs.BOM_UTF32_LE) or raw.startswith(codecs.BOM_UTF32_BE):
        raise TextFileError("encoding", "文件是 UTF-32 编码，本工具只接受 UTF-8。", RESAVE_HINT)
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        raise TextFileError("encoding", "文件是 UTF-16 编码（Windows 记事本的“Unicode”），本工具只接受 UTF-8。",
                            RESAVE_HINT)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        if _looks_like_gbk(raw):
            raise TextFileError(
                "encoding",
                f"文件不是 UTF-8 编码，看起来是 GBK/GB18030（第 {line} 行起无法按 UTF-8 读取）。",
                RESAVE_HINT, line) from None
        raise TextFileError("encoding", f"文件不是 UTF-8 编码的文本（第 {line} 行起无法读取）。",
                            RESAVE_HINT, line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise TextFileError("encoding", "文件含有空字符（NUL），不是纯文本文件。",
                            "请确认提交的是 YAML 文本文件，而不是 Word、Excel 等二进制文件。", line)
    return text


def _looks_like_gbk(raw: bytes) -> bool:
    try:
        decoded = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    # Require some CJK characters so random binary is not called GBK.
    return any("\u4e00" <= ch <= "\u9fff" for ch in decoded)


def os_reason(exc: OSError) -> str:
    """An OSError in Chinese for the common cases, the system's words otherwise."""
    reasons = {errno.EACCES: "没有读取权限", errno.EPERM: "没有权限", errno.ENOENT: "不存在",
               errno.ENOTDIR: "不是文件夹", errno.EISDIR: "是文件夹而不是文件", errno.ENOSPC: "磁盘已满",
               errno.EROFS: "所在磁盘只读", errno.ELOOP: "符号链接循环", errno.ENAMETOOLONG: "名称过长"}
    return reasons.get(exc.errno, exc.strerror or str(exc))


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, refusing empty-looking binary, huge or mis-encoded files."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TextFileError("file-unreadable", f"无法读取文件：{os_reason(exc)}。") from None
    if size > MAX_FILE_BYTES:
        raise TextFileError(
            "file-too-large",
            f"文件过大（{size / 1024 / 1024:.1f} MB），超过 {MAX_FILE_BYTES // 1024} KB 的上限。",
            "备案文件只放文字数据；扫描件、图片等请放在 evidence/ 目录并在 YAML 中引用路径。")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TextFileError("file-unreadable", f"无法读取文件：{os_reason(exc)}。") from None
    return decode_bytes(raw)
