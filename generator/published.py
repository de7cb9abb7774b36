"""Scan what a publishing command wrote, with the same detector `check` uses (personal.py).

`beian build`, `bundle`, `receipt` and `sheets` call this after writing: HTML, the search index,
JSON, CSV, SVG, PDF text and every workbook cell are read back as a reader would see them, and a
personal number anywhere fails the command, naming the file and the place (line, page or cell).

`masked`: published files (portal, public downloads, workbooks) may not hold even a masked number;
the department's bundle keeps the masked ID column its 申请表 asks for, and only full numbers fail.
A scan that finds nothing to read is itself a failure: a guard that can silently scan nothing is
no guard.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from . import personal

TEXT_SUFFIXES = (".md", ".txt", ".csv", ".json", ".js", ".ics")  # .ics: the portal's calendar feeds
MARKUP_SUFFIXES = (".html", ".htm", ".xml", ".svg")
SCANNED_SUFFIXES = TEXT_SUFFIXES + MARKUP_SUFFIXES + (".xlsx", ".pdf")

# Markup is read as text: scripts, styles and drawings (SVG path data is all digits and spaces) are
# not text a reader sees; a tag becomes a breaker so neighbouring table cells never join into one
# number; attribute values a reader or a screen reader sees are kept.
_HIDDEN_BLOCK = re.compile(r"<(script|style|svg)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_VISIBLE_ATTRIBUTE = re.compile(r"""\b(?:title|alt|aria-label|content|value|placeholder|data-[\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_SVG_TEXT = re.compile(r"<(text|title|desc)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)


@dataclass(frozen=True)
class Leak:
    file: str
    place: str
    label: str
    masked: str

    def __str__(self) -> str:
        return f"{self.file}（{self.place}）：{self.label} {self.masked}"


class LeakError(Exception):
    """A personal number in something a command wrote; the message is Chinese and shows no number."""

    def __init__(self, leaks: list[Leak], removed: str = ""):
        self.leaks = leaks
        listed = "；".join(str(leak) for leak in leaks[:10])
        more = f" 等 {len(leaks)} 处" if len(leaks) > 10 else ""
        super().__init__(f"输出中出现个人号码，{removed or '已拒绝发布'}：{listed}{more}。"
                         "请在备案文件中删去或改为不含号码的写法（`beian check` 会指出位置）。")


class NothingScanned(Exception):
    """The place to scan is missing or holds none of the files the command says it wrote."""


def _tag_text(match: re.Match) -> str:
    tag = match.group(0)
    values = [a or b for a, b in _VISIBLE_ATTRIBUTE.findall(tag)]
    return "|" + "|".join(values) + "|" + "\n" * tag.count("\n")


def drawing_text(svg: str) -> str:
    """What a reader sees of a drawing: its <text>, <title> and <desc>, never its path data."""
    return "|".join(_TAG.sub("|", m.group(2)) for m in _SVG_TEXT.finditer(svg))


def _hidden_block_text(match: re.Match) -> str:
    block = match.group(0)
    shown = "|" + drawing_text(block) + "|" if block[:4].lower() == "<svg" else ""
    return shown + "\n" * block.count("\n")


def markup_text(text: str) -> str:
    """What a reader sees of an HTML/XML/SVG file, line breaks kept so lines still count."""
    text = _HIDDEN_BLOCK.sub(_hidden_block_text, text)
    text = _TAG.sub(_tag_text, text)
    return html.unescape(text)


# A text this long is scanned in chunks, each remembered clean by its content (scan_memo.chunk_memo): the site's
# register-wide files (the feed of all institutions, the calendar, register.json, the search index: some 100 MB at
# 5,000 institutions) change whenever one institution does, and the number search reads about 15 MB a second where
# hashing reads hundreds; so a build after one change scans the chunks that changed, not the register again.
CHUNKED_FROM = 256 * 1024
CHUNK = 64 * 1024
# Where a text may be cut without cutting a number: at a line break between two lines whose facing characters
# (the end of one, the start of the next) are neither digits, number separators, spaces, X nor mask characters.
# A number the detector finds runs over digits and separators only (a line break inside it is followed by spaces
# and a digit), and a masked form holds no line break, so what it finds in the whole text it finds in the chunks.
_NUMBERISH = "0-9０-９XxＸｘ" + re.escape(personal._SEPARATORS + personal._MASK_CHARS)
_SAFE_CUT = re.compile(rf"(?<=[^\s{_NUMBERISH}])\r?\n(?=[^\s{_NUMBERISH}])")


def text_chunks(text: str, size: int = CHUNK) -> list[str]:
    """TEXT cut at safe line breaks (_SAFE_CUT) into pieces of about SIZE characters; "".join gives it back."""
    chunks, start = [], 0
    while len(text) - start > size:
        cut = _SAFE_CUT.search(text, start + size)
        if cut is None:
            break
        chunks.append(text[start:cut.end()])
        start = cut.end()
    chunks.append(text[start:])
    return chunks


def _clean_by_chunks(text: str, suffix: str, masked: bool) -> bool:
    """Whether a long TEXT is free of personal numbers as far as its chunks tell: every chunk known clean from an
    earlier scan or scanned clean now (and remembered). False for a short text, without the cache, or when a chunk
    holds a number: the whole text is then scanned as before, which names the lines."""
    from .scan_memo import chunk_memo, known_clean, remember_clean

    if len(text) < CHUNKED_FROM or chunk_memo("", suffix, masked) is None:
        return False
    fresh = []
    for chunk in text_chunks(text):
        memo = chunk_memo(chunk, suffix, masked)
        if known_clean(memo):
            continue
        if personal.find(chunk, masked):
            return False
        fresh.append(memo)
    for memo in fresh:
        remember_clean(memo)
    return True


def _hits_by_line(text: str, masked: bool):
    for hit in personal.find(text, masked):
        yield f"第 {personal.line_of(text, hit.start)} 行", hit


def _workbook_hits(path: Path, masked: bool):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        for hit in personal.find(cell.value, masked):
                            yield f"工作表“{sheet.title}”单元格 {cell.coordinate}", hit
        for field in ("creator", "title", "subject", "description", "keywords", "lastModifiedBy"):
            value = getattr(book.properties, field, None)
            if isinstance(value, str):
                for hit in personal.find(value, masked):
                    yield "文档属性", hit
    finally:
        book.close()


def _pdf_hits(path: Path, masked: bool):
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    for number, page in enumerate(reader.pages, start=1):
        for hit in personal.find(page.extract_text() or "", masked):
            yield f"第 {number} 页", hit
    for value in (reader.metadata or {}).values():
        if isinstance(value, str):
            for hit in personal.find(value, masked):
                yield "文档属性", hit


def scan_file(path: str | Path, masked: bool = True, shown_as: str | None = None) -> list[Leak]:
    """Every personal number a reader of this file would see."""
    from .scan_memo import known_clean, memo_path, remember_clean

    path = Path(path)
    suffix = path.suffix.lower()
    memo = memo_path(path, masked)  # PDFs and workbooks: these bytes may already be known clean
    if known_clean(memo):
        return []
    if suffix == ".xlsx":
        hits = _workbook_hits(path, masked)
    elif suffix == ".pdf":
        hits = _pdf_hits(path, masked)
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix == ".svg":  # badges and charts
            text = html.unescape(drawing_text(text))
        elif suffix in MARKUP_SUFFIXES:
            text = markup_text(text)
        hits = [] if _clean_by_chunks(text, suffix, masked) else _hits_by_line(text, masked)
    name = shown_as or path.as_posix()
    leaks = [Leak(personal.mask_text(name), place, hit.label, hit.masked) for place, hit in hits]
    if not leaks:
        remember_clean(memo)
    return leaks


def _scan_task(task: tuple[str, bool, str]) -> list[Leak]:
    path, masked, shown_as = task
    return scan_file(path, masked, shown_as)


# beian build's own record of the last build (portal/incremental.py), written after the scan passed: digests, and
# search entries copied from the search index the scan read
BOOKKEEPING = (".beian-build.json",)


def scannable(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in SCANNED_SUFFIXES and p.is_file()
                  and not (p.name in BOOKKEEPING and p.parent == root))


def scan_tree(root: Path, masked: bool = True, jobs: int = 0) -> tuple[int, list[Leak]]:
    """(files scanned, leaks) for every readable file under root; on all cores for big sites."""
    if not root.is_dir():
        raise NothingScanned(f"要检查的输出目录 {root} 不存在，无法确认其中没有个人号码。")
    paths = scannable(root)
    if not paths:
        raise NothingScanned(f"输出目录 {root} 中没有可检查的文件，无法确认其中没有个人号码。")
    return scan_paths(root, paths, masked, jobs)


def scan_paths(root: Path, paths: list[Path], masked: bool = True, jobs: int = 0) -> tuple[int, list[Leak]]:
    """(files scanned, leaks) for the given files under root (named relative to it); on all cores when many."""
    from .batch import map_folders

    tasks = [(str(p), masked, p.relative_to(root).as_posix()) for p in paths]
    leaks = [leak for found in map_folders(_scan_task, tasks, jobs) for leak in found]
    return len(paths), leaks


def remove_leaking(paths: list[Path], masked: bool = True) -> list[Leak]:
    """Scan the files a command says it wrote and delete each one that leaks; returns the leaks.
    A file it says it wrote but cannot be found is an error, not a pass."""
    missing = [str(p) for p in paths if not Path(p).is_file()]
    if missing or not paths:
        raise NothingScanned("找不到刚写出的文件，无法确认其中没有个人号码：" + "、".join(missing[:5]))
    leaks = []
    for path in paths:
        found = scan_file(path, masked)
        if found:
            Path(path).unlink()
            leaks.extend(found)
    return leaks
