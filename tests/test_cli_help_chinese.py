"""`beian --help`, every subcommand's --help and argparse's own errors are Chinese.

What may stay in Latin letters is what a user types or reads back literally: the program and
command names, option strings, metavars, choices, and the ASCII words of the project's own
(Chinese) help texts, such as file names (reviews.yaml) or products (Excel, git). An "English word"
is any run of two or more ASCII letters; every one in the output must come from those sources, so
argparse's "usage:", "options", "show this help message and exit" or "error: …" cannot slip through.
"""
from __future__ import annotations

import argparse
import re

import pytest

from conftest import run_beian
from generator.cli import build_parser

WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


PARSER = build_parser()
COMMANDS = _subcommands(PARSER)


def _texts(parser: argparse.ArgumentParser) -> list[str]:
    """The texts the project wrote for PARSER: its description and epilog, each argument's help."""
    texts = [parser.description or "", parser.epilog or ""]
    for action in parser._actions:
        texts.append(action.help or "")
        if isinstance(action, argparse._SubParsersAction):
            texts += [choice.help or "" for choice in action._choices_actions]
    return [t for t in texts if t and t != argparse.SUPPRESS]


def _allowed_words(parser: argparse.ArgumentParser) -> set[str]:
    words = {"beian"}
    for action in parser._actions:
        words.update(WORD.findall(" ".join(action.option_strings)))
        words.update(WORD.findall(str(action.metavar or "")))
        words.update(WORD.findall(str(action.dest or "")))
        words.update(WORD.findall(str(action.dest or "").upper()))
        words.update(WORD.findall(" ".join(map(str, action.choices or ()))))
    for text in _texts(parser):
        words.update(WORD.findall(text))
    return words


def _english(output: str, parser: argparse.ArgumentParser, typed: tuple[str, ...] = ()) -> list[str]:
    """English words in OUTPUT that neither PARSER (nor the main parser) nor the user (TYPED) wrote."""
    allowed = _allowed_words(parser) | _allowed_words(PARSER) | set(WORD.findall(" ".join(typed)))
    return sorted({w for w in WORD.findall(output) if w not in allowed})


def test_the_main_help_is_chinese():
    result = run_beian("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("用法：beian")
    assert "位置参数" in result.stdout and "显示本帮助并退出" in result.stdout
    assert not _english(result.stdout, PARSER), result.stdout


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_subcommand_help_is_chinese(command):
    parser = COMMANDS[command]
    result = run_beian(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"用法：beian {command}")
    assert "选项" in result.stdout and "显示本帮助并退出" in result.stdout
    assert not _english(result.stdout, parser), result.stdout
    # and what the project wrote is Chinese too: no help line in English
    assert not [t for t in _texts(parser) if not CJK.search(t)], command
    assert not [a.dest for a in parser._actions if a.option_strings and not a.help], f"{command}: option without help"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_option_is_refused_in_chinese(command):
    result = run_beian(command, "--no-such-option")
    assert result.returncode == 2
    assert "无法识别的参数：--no-such-option" in result.stderr or "参数有误" in result.stderr, result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr
    assert not _english(result.stderr, COMMANDS[command], ("--no-such-option",)), result.stderr


def test_argparse_errors_are_chinese():
    missing = run_beian("explain")
    assert missing.returncode == 2
    assert "缺少必需的参数：rule_id" in missing.stderr and missing.stderr.startswith("用法：beian explain")

    choice = run_beian("chek")
    assert choice.returncode == 2
    assert "没有 'chek' 这个选项" in choice.stderr and "是不是想写 check？" in choice.stderr

    bad_format = run_beian("check", "--format", "pdf")
    assert bad_format.returncode == 2 and "参数 --format/-f：没有 'pdf' 这个选项，可选：text、" in bad_format.stderr

    bad_number = run_beian("check", "--jobs", "many")
    assert bad_number.returncode == 2 and "'many' 不是有效的整数" in bad_number.stderr

    no_value = run_beian("check", "--format")
    assert no_value.returncode == 2 and "后面要跟一个值" in no_value.stderr
    for result, command, typed in ((missing, "explain", ()), (choice, None, ("chek",)), (bad_format, "check", ("pdf",)),
                                   (bad_number, "check", ("many",)), (no_value, "check", ())):
        assert not _english(result.stderr, COMMANDS.get(command, PARSER), typed), result.stderr
        assert "Traceback" not in result.stderr


def test_help_lines_fit_the_terminal_and_keep_paths_whole():
    from generator.cli_parser import _width, wrap_chinese

    text = ("读取 `beian xlsform` 所出表单的提交（CSV，UTF-8），每行写成一份 "
            "institutions/<机构>/sessions/<评价计划编号>/supervision/<表编号>.yaml。从不覆盖已有文件；有问题的行按行号说明并跳过。")
    lines = wrap_chinese(text, 40)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert "institutions/<机构>/sessions/<评价计划编号>/supervision/<表编号>.yaml。" in lines
    # a closing mark may hang past the edge rather than start the next line
    assert all(_width(line[:-1] if line[-1] in "，。；）" else line) <= 40 for line in lines if "/" not in line), lines
    assert not [line for line in lines if line[0] in "，。；）"], lines
