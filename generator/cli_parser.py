"""argparse speaking Chinese: the words it adds itself (usage, group titles, -h, errors).

Every `beian` subcommand is built by `sub.add_parser`, which makes its parser of the same class as
the main one, so setting this class on the main parser reaches every command module. argparse has
no Chinese catalogue, and installing one through gettext would change every argparse user in the
process; instead the few headings are set here and an error, which argparse hands over already
formatted in English, is matched against its message templates and said again in Chinese.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata

EXIT_USAGE = 2
USAGE_PREFIX = "用法："
HELP_HELP = "显示本帮助并退出"
_TYPE_NAMES = {"int": "整数", "float": "数字", "str": "文字"}


def _choices(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


def _invalid_choice(match: re.Match) -> str:
    import difflib  # only for this error

    value, choices = match.group("value"), _choices(match.group("choices"))
    said = f"没有 {value} 这个选项，可选：{'、'.join(choices)}"
    guess = difflib.get_close_matches(value.strip("'\""), choices, n=1, cutoff=0.6)
    return said + (f"。是不是想写 {guess[0]}？" if guess else "")


# argparse's error templates (CPython 3.11 to 3.13), most specific first; groups keep the values it filled in.
_ERRORS: tuple[tuple[re.Pattern, object], ...] = tuple((re.compile(pattern, re.DOTALL), said) for pattern, said in (
    (r"^argument (?P<name>.+?): (?P<rest>.*)$", None),  # a wrapper: translate the rest, keep the argument's name
    (r"^the following arguments are required: (?P<names>.*)$", "缺少必需的参数：{names}"),
    (r"^unrecognized arguments: (?P<args>.*)$", "无法识别的参数：{args}"),
    (r"^invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$", _invalid_choice),
    (r"^unknown parser (?P<value>.*?) \(choices: (?P<choices>.*)\)$", _invalid_choice),
    (r"^expected one argument$", "后面要跟一个值"),
    (r"^expected at most one argument$", "后面最多跟一个值"),
    (r"^expected at least one argument$", "后面至少要跟一个值"),
    (r"^expected (?P<count>\d+) arguments?$", "后面要跟 {count} 个值"),
    (r"^invalid (?P<type>\w+) value: (?P<value>.*)$",
     lambda m: f"{m.group('value')} 不是有效的{_TYPE_NAMES.get(m.group('type'), m.group('type'))}"),
    (r"^ambiguous option: (?P<option>\S+) could match (?P<matches>.*)$", "选项 {option} 有歧义，可能是：{matches}"),
    (r"^not allowed with argument (?P<other>.*)$", "不能与参数 {other} 同时使用"),
    (r"^one of the arguments (?P<names>.*) is required$", "参数 {names} 必须给出其中一个"),
    (r"^ignored explicit argument (?P<value>.*)$", "此选项不接受值，{value} 被忽略"),
    (r"^unexpected option string: (?P<option>.*)$", "意外的选项 {option}"),
))


def chinese_error(message: str) -> str:
    """MESSAGE from argparse said in Chinese; an unknown template is kept as it is."""
    for pattern, said in _ERRORS:
        match = pattern.match(message)
        if not match:
            continue
        if said is None:
            return f"参数 {match.group('name')}：{chinese_error(match.group('rest'))}"
        return said(match) if callable(said) else said.format(**match.groupdict())
    return message


# A line may break between two Chinese characters, but never inside a word, number, path or `command`
# (a token with "/" or "`" stays whole), nor before closing punctuation.
_PATH_PART = r"[^\s\u3000-\u303f\uff00-\uffef]*"  # up to blank or Chinese punctuation: 机构/场所 whole, not 。
_TOKEN = re.compile(rf"{_PATH_PART}[/`]{_PATH_PART}|[\x21-\x7e]+|\s+|.")
_NO_LINE_START = frozenset("，。、；：？！）》」』”’…%")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap_chinese(text: str, width: int) -> list[str]:
    """TEXT in lines of at most WIDTH terminal columns (a Chinese character takes two)."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            line += " " if line else ""
        elif line and _width(line + token) > width and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


def _terminal_width() -> int:
    """What argparse would ask shutil.get_terminal_size for (COLUMNS, else the terminal, else 80), without
    importing shutil, which with its compression modules was a part of every start-up."""
    import os

    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class ChineseHelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        super().__init__(prog, indent_increment, max_help_position, _terminal_width() - 2 if width is None else width)

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    def _split_lines(self, text, width):
        return wrap_chinese(text, width)

    def format_help(self):
        # argparse ends each section heading with an ASCII colon ('位置参数:'); Chinese text takes the full-width one
        return re.sub(r"^(\S[^\n]*?):\n", "\\1：\n", super().format_help(), flags=re.M)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap_chinese(text, width - len(indent)))


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose own words are Chinese; errors end with exit code 2 and a pointer to --help."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = HELP_HELP

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"beian：参数有误：{chinese_error(message)}\n"
                              f"用 `beian --help` 或 `beian 命令 --help` 查看用法。\n")
