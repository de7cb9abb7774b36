"""Worked examples on the rule pages show a list as a case leaves it, and say list items the way staff know them.

A case that removes list items (tests/fixtures/rules/<rule>.yaml, `remove`) must not read as “an empty list
passes”: the example's YAML shows the items that remain, and “（空）” stands only under what the edited file
really leaves empty. The example's words name an item by its order and name (“第 4 个……（西式面点师）”), never
by a developer's dotted path such as `occupations.3`.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, run_beian
from filing_patch import apply_edits
from generator.rule_examples import BASE_FOLDERS, examples_markdown, rule_cases, rule_subject, worked_examples

RULE_IDS = sorted(path.stem for path in (FIXTURES / "rules").glob("*.yaml"))
DOTTED_INDEX = re.compile(r"[A-Za-z_]\w*\.-?\d+\b")
EXAMPLE_HEADING = re.compile(r"^\*\*例 (\d+)（(.+?)）\*\*(?:：(.*))?$")


def _examples_on_page(text: str) -> list[tuple[str, str, list[str]]]:
    """The page's numbered examples: (label, words, YAML blocks), as `beian explain` prints the page."""
    examples: list[tuple[str, str, list[str]]] = []
    for block in re.split(r"\n(?=\*\*例 \d+)", text)[1:]:
        heading = EXAMPLE_HEADING.match(block.splitlines()[0])
        yamls = re.findall(r"```yaml\n(.*?)\n```", block, flags=re.S)
        examples.append((heading.group(2), html.unescape(heading.group(3) or ""), yamls))
    return examples


def test_removing_occupations_shows_the_ones_that_remain():
    result = run_beian("explain", "basis-standards")
    assert result.returncode == 0, result.stderr
    removing = [(label, words, yamls) for label, words, yamls in _examples_on_page(result.stdout)
                if label == "通过" and "删去" in words]
    assert removing, result.stdout
    label, words, yamls = removing[0]
    # the two occupations taken out, by their place in the sample and their name
    assert "删去第 4 个申请认定的职业（西式面点师）" in words and "删去第 3 个申请认定的职业（电工）" in words
    assert "（空）" not in yamls[0]
    # the YAML as staff would read it: two occupations remain, the first two of the sample
    remaining = yaml.safe_load(yamls[0])["occupations"]
    assert [item["name"] for item in remaining] == ["车工", "中式烹调师"]
    assert "其余" in yamls[0]   # the remaining occupations' other fields are elided, and said to be


def test_the_example_for_a_removed_item_and_a_changed_one_shows_the_change_in_place():
    shown = next(e for e in worked_examples("basis-standards") if e.name == "two_occupations_one_standard_missing")
    data = yaml.safe_load(shown.snippets[0].yaml)["occupations"]
    assert [item["name"] for item in data] == ["车工", "中式烹调师"] and data[1]["standard_held"] is False
    assert "scope.yaml 中第 2 个申请认定的职业（中式烹调师）的 standard_held 写作 false" in shown.edits


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_example_words_name_list_items_without_dotted_index_paths(rule_id):
    said = []
    for line in examples_markdown(rule_id):
        if line.startswith(("**例", "- 通过：", "- 不通过：", "- 待专家判定：")):
            said.append(html.unescape(line.split("→")[0]))
    assert not [line for line in said if DOTTED_INDEX.search(line)]


def _key_path(lines: list[str], at: int) -> list[str] | None:
    """The keys leading to the line AT of a YAML snippet, read from the indentation above it; None through a list."""
    path: list[str] = []
    depth = len(lines[at]) - len(lines[at].lstrip())
    for line in reversed(lines[:at]):
        indent = len(line) - len(line.lstrip())
        if indent >= depth or line.lstrip().startswith("#"):
            continue
        if line.lstrip().startswith("- "):
            return None
        path.insert(0, line.strip().rstrip(":"))
        depth = indent
        if indent == 0:
            break
    return path


def _edited_file(rule_id: str, case: dict, name: str, tmp_path: Path):
    """File NAME of the sample after the case's edits, applied the way the test suite applies them."""
    import shutil

    folder = tmp_path / case.get("name", "case")
    shutil.copytree(FIXTURES / BASE_FOLDERS[case.get("subject") or rule_subject(rule_id)], folder, symlinks=True)
    apply_edits(folder, {k: v for k, v in case.items() if k in ("set", "remove", "append", "variant")})
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_empty_is_said_only_of_what_the_edited_file_leaves_empty(rule_id, tmp_path):
    cases = rule_cases(rule_id)
    wrong = []
    for case, example in zip(cases, worked_examples(rule_id)):
        for snippet in example.snippets:
            lines = snippet.yaml.splitlines()
            for at, line in enumerate(lines):
                if line.strip() != "# （空）":
                    continue
                path = _key_path(lines, at)
                subject = case.get("subject") or rule_subject(rule_id)
                if path is None or not (FIXTURES / BASE_FOLDERS[subject] / snippet.title).is_file():
                    continue
                value = _edited_file(rule_id, case, snippet.title, tmp_path)
                for key in path:
                    value = (value or {}).get(key)
                if value:
                    wrong.append((case.get("name"), snippet.title, ".".join(path)))
    assert not wrong
