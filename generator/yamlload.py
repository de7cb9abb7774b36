"""YAML to plain data, with the line of every value kept beside it.

Built on PyYAML's libyaml-backed composer (CSafeLoader when available), then a
small walk over the node tree that
- records the line of each value under its path (("examiners", 3, "name") → 57),
- reports every duplicate key instead of silently keeping the last one,
- refuses anchors/aliases, which filings never need and which make alias bombs,
- reads plain scalars by the YAML 1.2 core schema, as the editor does: `yes`, `on`, `0777`,
  `2024-05-01` are what they look like to it (text, the number 777, text); schemas check formats,
- refuses explicit tags (`!!timestamp`, `!!binary`, `!foo`…), which filings never need and which
  would construct values (dates, bytes, sets) that JSON cannot hold; tagged values stay text,
- refuses `.inf` and `.nan`, which are not amounts anyone means.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 40


class _FilingLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader reading plain scalars by the YAML 1.2 core schema, as editors do.

    PyYAML implements YAML 1.1, where `yes`/`no`/`on`/`off` are booleans, `0777` is octal, `1_000`
    and `12:30` are numbers and `2024-05-01` is a timestamp. The editor's language server reads the
    same file as YAML 1.2, where all of these are text; reading them alike means the JSON Schema
    refuses `employee: yes` here exactly as it does in the editor, and a text field keeps `yes`.
    """


_CORE_SCHEMA = (  # YAML 1.2.2, 10.3.2 "Tag Resolution"; int before float, so `5` is an integer
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)
_FilingLoader.yaml_implicit_resolvers = {}
for _name, _pattern, _first in _CORE_SCHEMA:
    _FilingLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_name}", re.compile(_pattern), list(_first))
# `<<` keeps its merge tag so that the walker can refuse merge keys by name.
_FilingLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _construct_int(loader, node) -> int:
    value = node.value
    if value.startswith(("0o", "0x")):
        return int(value[2:], 8 if value[1] == "o" else 16)
    return int(value)  # decimal, leading zeros included: `0777` is 777 in YAML 1.2


def _construct_float(loader, node) -> float:
    value = node.value.lower()
    if value.endswith(".inf"):
        return -math.inf if value[0] == "-" else math.inf
    return math.nan if value == ".nan" else float(value)


_FilingLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_FilingLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_FilingLoader.add_constructor("tag:yaml.org,2002:bool", lambda loader, node: node.value.lower() == "true")
# Bumped whenever the loader reads the same text differently, so cached parses are not reused.
LOADER_VERSION = "yaml-1.2-core"
_STR_TAG = "tag:yaml.org,2002:str"

_COLLECTION_TAGS = {yaml.SequenceNode: _BaseLoader.DEFAULT_SEQUENCE_TAG, yaml.MappingNode: _BaseLoader.DEFAULT_MAPPING_TAG}
# The core schema's (tag, pattern) pairs by first character ("" for the empty scalar), in the order resolve() tries them.
_IMPLICIT = {first: tuple(pairs) for first, pairs in _FilingLoader.yaml_implicit_resolvers.items()}


def _fast_resolve(self, kind, value, implicit):
    """The tag of a node, as PyYAML's resolve() gives it with only first-character resolvers and no path resolvers
    (so it is used only then, below). The composer asks for every node, ~3,000 per filing: answering here, without
    the generic method's list concatenation and lookups, is a tenth of the parse."""
    if kind is yaml.ScalarNode:
        if implicit[0]:  # plain: the first implicit type whose pattern matches, else text
            for tag, pattern in _IMPLICIT.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return _STR_TAG
    return _COLLECTION_TAGS[kind]


if not _FilingLoader.yaml_path_resolvers and None not in _IMPLICIT:
    _FilingLoader.resolve = _fast_resolve
if not _FilingLoader.yaml_path_resolvers:
    # The composer also calls descend_resolver(parent, index) and ascend_resolver() around every node; without path
    # resolvers both do nothing. Builtins taking the same arguments and changing nothing stand in for them
    # (staticmethod: not bound to the loader), which saves two Python calls per node.
    _FilingLoader.descend_resolver = staticmethod(slice)
    _FilingLoader.ascend_resolver = staticmethod(tuple)
# Tags whose constructors give JSON types; a value tagged otherwise (by mistake or on purpose) stays text.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null"))

Path = tuple  # a path into the data: keys and list indexes


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str
    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass(slots=True)
class Document:
    """One loaded file: its data and where each value came from."""

    name: str
    data: Any
    lines: dict = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """Line of the value at path, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            line = self.lines.get(path)
            if line is not None or not path:
                return line
            path = path[:-1]


# A line that may hold a mistyped field (`name：张三`, `name:\u3000x`, U+3000 indentation): only such lines are
# handed to yamlhints, so Chinese prose with “：” costs one regex test per line, not a re-read of the file.
_MAYBE_MISTYPED = re.compile(r"^[ \t]*(?:-[ \t]+)?(?:\u3000|[a-z_][a-z0-9_]*[ \u3000]*[：:])")
_NUMBERS_SPLIT = re.compile(r"^\s*[-+]?[0-9.]+(?:\s*，\s*[-+]?[0-9.]+)+\s*$")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def load_yaml(text: str, name: str) -> tuple[Document, list[Problem]]:
    """Parse text; raise YamlSyntaxError for unreadable YAML, return soft problems otherwise."""
    tab = _TAB_INDENT.search(text)
    if tab:
        line = text.count("\n", 0, tab.start()) + 1
        raise YamlSyntaxError(Problem(
            "yaml-syntax", f"第 {line} 行用制表符（Tab）缩进，YAML 只允许用空格缩进。", line, None,
            "把行首的 Tab 换成空格（建议每级 2 个空格）；多数编辑器可设置“用空格代替 Tab”。"))
    loader = _FilingLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlSyntaxError(_translate(exc, text)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlSyntaxError(_reader_problem(exc, text)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem("yaml-syntax", f"YAML 无法解析：{exc}")) from None
    except RecursionError:
        raise YamlSyntaxError(Problem("yaml-syntax", "YAML 嵌套层级过深，无法解析。")) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlSyntaxError(Problem("empty-file", "文件是空的（没有任何内容）。", None, None,
                                      "请按模板填写，可用 `beian new 机构代号` 生成带注释的模板。"))
    walker = _Walker(loader, text)
    data = walker.build(node, ())
    problems = walker.problems
    if "!" in text:  # every tag is written with "!"; most filings have none, so no second pass
        problems = _tag_problems(text) + problems
    return Document(name, data, walker.lines), problems


def _tag_problems(text: str) -> list[Problem]:
    """One problem per explicit tag (`!!str`, `!foo`, `!`…), found in the event stream with its line."""
    problems = []
    for event in yaml.parse(text, Loader=_FilingLoader):
        tag = getattr(event, "tag", None)
        if tag is None or isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            continue
        written = tag.replace("tag:yaml.org,2002:", "!!")
        mark = event.start_mark
        problems.append(Problem(
            "yaml-tag", f"第 {mark.line + 1} 行第 {mark.column + 1} 列：不支持 YAML 标签 {written}，备案文件不需要以 ! 开头的标签。",
            mark.line + 1, mark.column + 1,
            "删除标签，直接写值；日期写成 \"2024-05-01\"，数字直接写数字，文字需要时加引号。"))
    return problems


def _reader_problem(exc, text: str) -> Problem:
    """libyaml's reader refuses control and other non-printable characters; say which and where."""
    raw = text.encode("utf-8")
    position = min(max(exc.position or 0, 0), len(raw))
    before = raw[:position].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Problem(
        "yaml-syntax", f"第 {line} 行第 {column} 列：含有不允许的不可见控制字符 U+{character:04X}。", line, column,
        "这类字符常随从网页、Word 或聊天软件复制的文字混入；删除该处文字后重新手动输入。")


class _Walker:
    def __init__(self, loader, text: str = ""):
        self.loader = loader
        self.text = text
        self.lines: dict = {}
        self.problems: list[Problem] = []
        # The composer hands out the same node object again for `*alias`, which needs an anchor (`&name`): without
        # any "&" in the text no node can come twice and nothing needs remembering (most filings).
        self.seen: set[int] | None = set() if "&" in text else None
        self.alias_reported = False
        self._text_lines: list[str] | None = None  # split once, when a value first looks suspicious

    def build(self, node, path: Path, depth: int = 0, used_at: int | None = None) -> Any:
        line = node.start_mark.line + 1
        self.lines[path] = line
        if self.seen is not None:
            if id(node) in self.seen:
                line = used_at or line
                if not self.alias_reported:
                    self.problems.append(Problem(
                        "yaml-alias", "不支持 YAML 锚点与别名（& 和 *），请把内容直接写出来。", line, None))
                    self.alias_reported = True
                return None
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problems.append(Problem("yaml-syntax", f"嵌套层级超过 {MAX_DEPTH} 层。", line))
            return None
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return self._scalar(node, line)
        if kind is yaml.SequenceNode:
            return self._sequence(node, path, depth, line)
        return self._mapping(node, path, depth)

    def _sequence(self, node, path: Path, depth: int, line: int) -> list:
        items = []
        # text items are taken as they are when no alias can hide among them and they are not too deep
        plain_text = self.seen is None and depth < MAX_DEPTH
        for i, child in enumerate(node.value):
            if child.__class__ is yaml.ScalarNode:
                if not child.style:
                    self._check_item(child, node)
                if plain_text and child.tag == _STR_TAG:
                    self.lines[path + (i,)] = child.start_mark.line + 1
                    items.append(child.value)
                    continue
            items.append(self.build(child, path + (i,), depth + 1, line))
        return items

    def _scalar(self, node, line: int) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        if node.tag not in _PLAIN_TAGS:
            return node.value  # an explicit tag, reported by _tag_problems; the value stays as written
        try:
            value = self.loader.yaml_constructors[node.tag](self.loader, node)
        except (yaml.YAMLError, ValueError, TypeError):
            return node.value
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.append(Problem(
                "number-invalid", f"第 {line} 行的“{node.value}”不是一个确定的数字（无穷大或非数）。", line,
                node.start_mark.column + 1, "填写实际的数值，例如 120 或 35.5。"))
            return node.value
        return value

    def _check_item(self, item, sequence) -> None:
        """`- name：张三` is the text "name：张三"; `[5，4]` and `[数控加工，机械加工]` are one item each.

        A Chinese comma inside an item is meant as punctuation when the list also has items split by
        English commas, or when the item is a sentence (has “。”); otherwise it was meant to split."""
        value = item.value
        if "：" in value or "\u3000" in value:
            self._suspicious(item.start_mark.line + 1)
        if "，" in value and sequence.flow_style and (
                _NUMBERS_SPLIT.match(value) or len(sequence.value) == 1 and "。" not in value):
            self._suspicious(item.start_mark.line + 1, comma=True)

    def _suspicious(self, line: int, comma: bool = False, indent: int | None = None) -> None:
        if not comma:
            if self._text_lines is None:
                self._text_lines = self.text.split("\n")
            if not 0 < line <= len(self._text_lines) or not _MAYBE_MISTYPED.match(self._text_lines[line - 1]):
                return
        from .yamlhints import line_hint  # rare: only for values that hold such a mistake

        found = line_hint(self.text, line, comma, indent)
        if found and not any(p.line == found.line and p.message == found.message for p in self.problems):
            self.problems.append(Problem("yaml-syntax", found.message, found.line, found.column, found.hint))

    def _mapping(self, node, path: Path, depth: int) -> dict:
        result: dict = {}
        key_lines: dict = {}
        plain_text = self.seen is None and depth < MAX_DEPTH
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(
                    "yaml-alias", "不支持 YAML 合并键（<<），请把内容直接写出来。", key_line))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("yaml-syntax", "字段名必须是简单文字，不能是列表或映射。", key_line))
                continue
            key = key_node.value
            if "\u3000" in key or "：" in key:  # a full-width space or colon made part of the field name
                self._suspicious(key_line)
            if key in result:
                self.problems.append(Problem(
                    "duplicate-key",
                    f"字段 `{key}` 重复出现（第 {key_lines[key]} 行和第 {key_line} 行），只能保留一个。",
                    key_line, key_node.start_mark.column + 1,
                    "删除或合并重复的字段；YAML 不会报错而是悄悄只保留最后一个，容易丢数据。"))
                continue
            key_lines[key] = key_line
            if value_node.__class__ is yaml.ScalarNode and not value_node.style and "：" in value_node.value \
                    and value_node.end_mark.line >= key_line:
                # a long text folded over lines: `nature：公办` indented under it became part of it
                for line in range(key_line + 1, value_node.end_mark.line + 2):
                    self._suspicious(line, indent=key_node.start_mark.column)
            child_path = path + (key,)
            if plain_text and value_node.__class__ is yaml.ScalarNode and value_node.tag == _STR_TAG:
                result[key] = value_node.value  # most values: text, taken as it is (what build would do)
            else:
                result[key] = self.build(value_node, child_path, depth + 1, key_line)
            # A key's own line is more useful than its value's for block values.
            self.lines[child_path] = key_line
        return result


_TRANSLATIONS = (
    ("mapping values are not allowed",
     "此处不能出现“: ”。可能是缩进不对，或者文字里含有“: ”需要整体加引号。"),
    ("could not find expected ':'", "缺少冒号“:”，或者上一行的引号没有闭合。"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合。"),
    ("found undefined alias", "使用了未定义的别名（*）。"),
    ("expected <block end>", "缩进不一致：同一层级的字段必须左对齐。"),
    ("expected a single document", "一个文件只能有一个 YAML 文档，请去掉多余的 `---`。"),
    ("but found another document", "一个文件只能有一个 YAML 文档，请去掉多余的 `---`。"),
    ("did not find expected ',' or ']'", "方括号列表 [ ] 没有闭合，或者项之间缺少逗号。"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或者项之间缺少逗号。"),
    ("did not find expected <document start>", "一个文件只能有一个 YAML 文档，或者顶层缩进不一致。"),
    ("found character that cannot start any token", "出现了不能作为开头的字符（例如 @ 或 `），请给这个值加引号。"),
    ("did not find expected key", "缩进不一致或缺少“- ”：同一层级的字段必须左对齐。"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每一项都要以对齐的“- ”开头。"),
    ("found unexpected ':'", "出现了多余的冒号，请给含冒号的文字加引号。"),
    ("found unknown escape character", "双引号里的反斜杠“\\”需要写成“\\\\”，或改用单引号。"),
    ("exceeded maximum nesting depth", f"嵌套层级过深（方括号、花括号或缩进层数太多），备案文件最多 {MAX_DEPTH} 层。"),
    ("control characters are not allowed", "含有不允许的不可见控制字符。"),
    ("special characters are not allowed", "含有不允许的特殊字符。"),
)


def _translate(exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    from .yamlhints import diagnose  # only for files that fail to parse

    found = diagnose(text, line)
    if found:  # a mistake staff make, recognised on the line where it was typed
        return Problem("yaml-syntax", found.message, found.line, found.column, found.hint)
    problem = exc.problem or ""
    message = next((zh for en, zh in _TRANSLATIONS if en in problem), None)
    if message is None:
        message = f"YAML 语法错误，请检查此处的缩进、冒号和引号（解析器原文：{problem}）。"
    where = f"第 {line} 行第 {column} 列：" if line else ""
    return Problem("yaml-syntax", where + message, line, column)


def load_yaml_file_cached(path) -> Document:
    """A project data file (rule sheet, reference table), parsed once and cached by content."""
    from .cache import cached
    from .textfile import read_text

    text = read_text(path)

    def build():
        document, problems = load_yaml(text, path.name)
        if problems:
            raise YamlSyntaxError(problems[0])
        return (document.data, document.lines)

    data, lines = cached("data", f"{path.name}|{LOADER_VERSION}|{text}", build)
    return Document(path.name, data, lines)


def read_data(text: str):
    """The plain data of a YAML text read exactly as `beian check` reads filings (YAML 1.2 scalars:
    `yes` stays text), or None when it does not parse. For readers that only need the values
    (the PR diff, the reviewers register), so that no reader of a file sees other values than the check."""
    try:
        document, _ = load_yaml(text, "")
    except YamlSyntaxError:
        return None
    return document.data
