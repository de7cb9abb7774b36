"""Where a YAML mistake really is, and the exact edit that fixes it.

The parser reports where it gave up, which is often the line after the mistake, in words about
tokens. The mistakes staff make are few: a Chinese colon “：” or no space after the colon, a
full-width space (U+3000) typed as indentation, a key indented less or more than its neighbours, a
Chinese comma “，” inside [ ] or { }. Each is recognised on the line where it was typed, and the
hint shows that line corrected.

Imported only when a file fails to parse or holds a suspicious scalar, so the check path of a
good filing never loads it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .paths import schema_files

IDEOGRAPHIC_SPACE = "\u3000"

_LINE = re.compile(r"^(?P<lead>[ \u3000]*)(?P<dash>(?:-(?:[ \u3000]+|$))*)(?P<rest>.*)$")
_KEY = re.compile(r"^(?P<key>[^\s:#'\"{\[][^:#]*?|\"[^\"]*\"|'[^']*')[ \t]*:(?:[ \t]+(?P<value>.*)|$)")
_COMMA_OUTSIDE_QUOTES = re.compile(r"\"[^\"]*\"|'[^']*'|[ \u3000]*，[ \u3000]*")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*[ \t]*(?:#.*)?$")
# A field name (lower-case ASCII, as every filing field is) followed by a Chinese colon, by a full-width space
# before or after the colon, or by a colon and no space at all.
_BAD_COLON = re.compile(r"^(?P<key>[a-z_][a-z0-9_]*)(?P<gap>[ \u3000]*)(?P<colon>：|:)(?P<after>[ \u3000]*)(?P<value>.*)$")


@lru_cache(maxsize=None)
def field_names() -> frozenset[str]:
    """Every field name the filing schemas define, at any depth (read once, only when a line looks mistyped)."""
    names: set[str] = set()

    def visit(node) -> None:
        if isinstance(node, dict):
            names.update((node.get("properties") or {}).keys())
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for path in schema_files():
        visit(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(names)


@dataclass(frozen=True, slots=True)
class Hint:
    line: int
    column: int | None
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str
    lead: str       # leading blanks, full-width spaces included
    dash: str       # "- " markers
    rest: str       # the text after them
    key: str | None
    opens: bool     # `key:` with no value on the line: children follow

    @property
    def indent(self) -> int:
        """Column where the content starts, counting list dashes as indentation."""
        return len(self.lead) + len(self.dash)


def _lines(text: str) -> list[_Line]:
    """Every line that carries structure: no blanks, comments or block-scalar text."""
    result = []
    block_indent: int | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.rstrip("\r")
        stripped = raw.strip(" \t")
        if block_indent is not None:
            if not stripped or len(raw) - len(raw.lstrip(" ")) > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        match = _LINE.match(raw)
        rest = match["rest"]
        key = _KEY.match(rest)
        value = (key["value"] or "").strip() if key else ""
        opens = bool(key) and (not value or value.startswith("#"))
        if key and _BLOCK_SCALAR.match(value):
            block_indent = len(match["lead"]) + len(match["dash"])
        result.append(_Line(number, raw, match["lead"], match["dash"], rest, key["key"] if key else None, opens))
    return result


def _code(text: str) -> str:
    """A line quoted in a hint, leading spaces kept visible."""
    return f"`{text}`"


def _bad_colon(line: _Line, expected_indent: int | None = None) -> Hint | None:
    match = _BAD_COLON.match(line.rest)
    if not match or match.group("key") not in field_names():
        return None  # `- app：考务通手机端` is text: only a word the schemas name as a field was meant as one
    key, gap, colon, after, value = match.group("key", "gap", "colon", "after", "value")
    if colon == "：":
        what = f"字段名 `{key}` 后面用了中文冒号“：”"
        how = "改为英文冒号“:”" + ("并在后面加一个半角空格" if value else "")
    elif IDEOGRAPHIC_SPACE in gap:
        what = f"字段名 `{key}` 和冒号之间有全角空格（U+3000）"
        how = "删掉这个全角空格"
    elif IDEOGRAPHIC_SPACE in after and value:
        what = f"字段名 `{key}` 的冒号后面是全角空格（U+3000）"
        how = "冒号后面改为一个半角空格"
    elif not after and value and not value.startswith(("#", "//")) and not gap:
        what = f"字段名 `{key}` 的冒号后面缺少空格"
        how = "在冒号后面加一个半角空格"
    else:
        return None
    lead = " " * expected_indent if expected_indent is not None else line.lead
    fixed = f"{lead}{line.dash}{key}:{' ' + value if value else ''}"
    column = len(line.lead) + len(line.dash) + match.start("gap" if IDEOGRAPHIC_SPACE in gap else "colon") + 1
    return Hint(line.number, column, f"第 {line.number} 行：{what}。", f"{how}：{_code(fixed)}")


def _line_at(text: str, number: int) -> tuple[_Line | None, _Line | None]:
    """Line NUMBER of TEXT and the structural line before it."""
    lines = text.split("\n")
    if not 0 < number <= len(lines):
        return None, None
    raw = lines[number - 1].rstrip("\r")
    match = _LINE.match(raw)
    key = _KEY.match(match["rest"])
    line = _Line(number, raw, match["lead"], match["dash"], match["rest"], key["key"] if key else None, False)
    previous = [entry for entry in _lines("\n".join(lines[:number - 1])) if entry.key or entry.dash]
    return line, (previous[-1] if previous else None)


def line_hint(text: str, number: int, comma: bool = False, indent: int | None = None) -> Hint | None:
    """The mistake on line NUMBER, for a value that parsed but cannot be meant: with COMMA, the
    Chinese comma of `[5，4]` (read as one item); else a full-width space or colon that made
    `- name：张三` text or put U+3000 into a field name. INDENT: where the fixed line starts, when
    the mistake also left it indented under another field's text."""
    line, previous = _line_at(text, number)
    if line is None:
        return None
    if comma:
        return _flow_comma(line)
    return _fullwidth_indent(line, previous) or _bad_colon(line, indent)


def _expected_indent(previous: _Line | None) -> int:
    if previous is None:
        return 0
    return previous.indent + 2 if previous.opens else previous.indent


def _fullwidth_indent(line: _Line, previous: _Line | None) -> Hint | None:
    if IDEOGRAPHIC_SPACE not in line.lead + line.dash:
        return None
    expected = _expected_indent(previous)
    fixed = " " * expected + line.dash.replace(IDEOGRAPHIC_SPACE, " ") + line.rest
    return Hint(line.number, 1, f"第 {line.number} 行：行首用了全角空格（U+3000）缩进，YAML 只认半角空格。",
                f"把行首的空白全部删掉，重新输入 {expected} 个半角空格：{_code(fixed)}")


def _flow_comma(line: _Line) -> Hint | None:
    opening = min((i for i in (line.rest.find("["), line.rest.find("{")) if i >= 0), default=-1)
    if opening < 0 or "，" not in line.rest[opening:]:
        return None
    fixed = line.lead + line.dash + line.rest[:opening] + _COMMA_OUTSIDE_QUOTES.sub(
        lambda m: m.group(0) if m.group(0)[:1] in "\"'" else ", ", line.rest[opening:])
    brackets = "方括号 [ ] " if line.rest[opening] == "[" else "花括号 { } "
    column = len(line.lead) + len(line.dash) + line.rest.index("，", opening) + 1
    return Hint(line.number, column, f"第 {line.number} 行：{brackets}里用了中文逗号“，”分隔各项，YAML 只认英文逗号。",
                f"改为英文逗号加空格：{_code(fixed)}（若“，”本是某一项文字的一部分，给那一项加引号）")


def _label(line: _Line) -> str:
    return f"`{line.key}`" if line.key else f"“{line.rest.strip()[:20]}”"


def _indentation(lines: list[_Line], until: int) -> Hint | None:
    """The first line, up to line UNTIL, whose indentation fits no open level; None when all fit.

    Levels are the columns of the keys ("map") and list dashes ("seq") still open above a line. A
    line may align with one of them of its own kind; a line indented between two levels, a key
    aligned with a list's dashes, or a line indented under a key that already has its value does not."""
    stack: list[tuple[int, str]] = []
    previous: _Line | None = None
    before_previous: _Line | None = None
    for line in lines:
        if line.number > until:
            break
        if line.key is None and not line.dash:
            continue  # the continuation of a long text or of a [ ] list: not structure
        column, kind = len(line.lead), ("seq" if line.dash else "map")
        if previous is None:
            stack = [(column, kind)]
        elif previous.opens and (column > previous.indent or (kind == "seq" and column == previous.indent)):
            stack.append((column, kind))
        else:
            popped = None
            while stack and stack[-1][0] > column:
                popped = stack.pop()
            if not stack or stack[-1][0] < column:
                if popped is None:
                    return _over_indented(line, previous, before_previous)
                return _misaligned(line, previous, popped[0], "")
            if stack[-1][1] != kind and kind == "map" and len(stack) > 1 and stack[-2] == (column, "map"):
                stack.pop()  # the key after an indentless list: back to the list's own key
            if stack[-1] != (column, kind):
                return _misaligned(line, previous, popped[0] if popped else column + 2,
                                   "与列表的“- ”对齐了，却不是以“- ”开头的新一项" if kind == "map" else "")
        if line.dash and line.key:
            stack.append((line.indent, "map"))  # `- key: value` opens the item's own mapping
        before_previous, previous = previous, line
    return None


def _over_indented(line: _Line, previous: _Line, before_previous: _Line | None) -> Hint:
    if before_previous is not None and len(before_previous.lead) == len(line.lead) \
            and len(previous.lead) < len(line.lead) and not before_previous.opens:
        # the previous key is the odd one out: it sits left of the siblings above and below it
        expected = len(line.lead)
        fixed = " " * expected + previous.dash + previous.rest
        return Hint(previous.number, 1,
                    f"第 {previous.number} 行：{_label(previous)} 的缩进是 {len(previous.lead)} 个空格，"
                    f"比上下的同级字段（第 {before_previous.number} 行 {_label(before_previous)}、第 {line.number} 行 "
                    f"{_label(line)}）少 {expected - len(previous.lead)} 个。",
                    f"改为 {expected} 个空格，与同级字段左对齐：{_code(fixed)}")
    expected = len(previous.lead)
    fixed = " " * expected + line.dash + line.rest
    return Hint(line.number, 1,
                f"第 {line.number} 行：{_label(line)} 比上一行（第 {previous.number} 行 {_label(previous)}）多缩进了 "
                f"{len(line.lead) - len(previous.lead)} 个空格，但上一行的字段已经有值，下面不能再有下级字段。",
                f"改为 {expected} 个空格，与上一行对齐：{_code(fixed)}；"
                f"若它确是 {_label(previous)} 的下级，就删掉 {_label(previous)} 冒号后面的值。")


def _misaligned(line: _Line, previous: _Line, expected: int, what: str) -> Hint:
    """LINE fits no level; EXPECTED is the level it most likely belongs to (the innermost it left)."""
    what = what or f"的缩进是 {len(line.lead)} 个空格，与上面的任何一级都对不齐"
    fixed = " " * expected + line.dash + line.rest
    return Hint(line.number, 1, f"第 {line.number} 行：{_label(line)} {what}（上一行第 {previous.number} 行 "
                                f"{_label(previous)} 是 {previous.indent} 个空格）。",
                f"改为 {expected} 个空格，与同级字段左对齐：{_code(fixed)}")


def diagnose(text: str, line: int | None) -> Hint | None:
    """The mistake that made the parser stop at LINE (1-based): on the line to edit, with the edit."""
    lines = _lines(text)
    if not lines or line is None:
        return None
    upto = [entry for entry in lines if entry.number <= line] or lines[:1]
    window = upto[-3:]
    for index in range(len(window) - 1, -1, -1):
        candidate = window[index]
        previous = window[index - 1] if index else None
        found = _fullwidth_indent(candidate, previous) or _bad_colon(candidate) or _flow_comma(candidate)
        if found:
            return found
    found = _indentation(lines, line)
    if found and found.line >= window[0].number:
        return found
    return None
