"""Right line, exact hint (issue 10, item 14): the mistakes staff make, as staff make them.

Each case copies a sample institution, makes one edit the way a person would in an editor, and reads
what `beian check` says: the finding must name the line that was edited (the one to change) and its
hint must say exactly what to write there. All cases are folders side by side, so one text run and
one JSON run of `beian check` cover the whole corpus.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_beian
from generator.engine import validity_rules

SAMPLE = ROOT / "institutions" / "songyue-jishi"
LEVELS = ROOT / "rules" / "reference" / "skill_levels.csv"
DATE_EXAMPLE = '"2025-04-15"'

# name → (file, text to replace, replacement, rule, fragments of the message, fragments of the hint)
CASES = {
    # colons and full-width spaces, on the line where they were typed
    "fullwidth-colon": ("profile.yaml", "  nature: 公办", "  nature：公办", "yaml-syntax",
                        ["字段名 `nature` 后面用了中文冒号“：”"], ["`  nature: 公办`"]),
    "fullwidth-colon-first-key": ("profile.yaml", "sheet: henan-2022", "sheet：henan-2022", "yaml-syntax",
                                  ["中文冒号"], ["`sheet: henan-2022`"]),
    "fullwidth-colon-opening-a-block": ("profile.yaml", "\napplication:\n", "\napplication：\n", "yaml-syntax",
                                        ["`application`", "中文冒号"], ["`application:`"]),
    "colon-without-space": ("profile.yaml", "  nature: 公办", "  nature:公办", "yaml-syntax",
                            ["冒号后面缺少空格"], ["`  nature: 公办`"]),
    "fullwidth-space-after-colon": ("profile.yaml", "  nature: 公办", "  nature:\u3000公办", "yaml-syntax",
                                    ["冒号后面是全角空格"], ["`  nature: 公办`"]),
    "fullwidth-space-indentation": ("profile.yaml", "  nature: 公办", "\u3000nature: 公办", "yaml-syntax",
                                    ["行首用了全角空格（U+3000）缩进"], ["2 个半角空格", "`  nature: 公办`"]),
    "fullwidth-space-indentation-of-a-last-key": (
        "profile.yaml", "  receipt_number: 豫人社函", "\u3000receipt_number: 豫人社函", "yaml-syntax",
        ["全角空格"], ["`  receipt_number: 豫人社函〔2025〕163号`"]),
    # keys out of line with their neighbours
    "dedented-key": ("profile.yaml", "  nature: 公办", "nature: 公办", "yaml-syntax",
                     ["`nature` 的缩进是 0 个空格", "少 2 个"], ["改为 2 个空格", "`  nature: 公办`"]),
    "key-between-two-levels": ("profile.yaml", "  nature: 公办", " nature: 公办", "yaml-syntax",
                               ["`nature` 的缩进是 1 个空格"], ["`  nature: 公办`"]),
    "over-indented-key": ("profile.yaml", "  nature: 公办", "    nature: 公办", "yaml-syntax",
                          ["多缩进了 2 个空格"], ["`  nature: 公办`"]),
    "dedented-key-in-a-list-item": ("scope.yaml", "    majors: [焊接加工]", "  majors: [焊接加工]", "yaml-syntax",
                                    ["`majors` 与列表的“- ”对齐了"], ["`    majors: [焊接加工]`"]),
    "dedented-last-key-of-a-block": ("profile.yaml", "  receipt_number: 豫人社函", "receipt_number: 豫人社函",
                                     "unknown-field", ["`receipt_number`"], ["上面 `status` 下的字段", "缩进少了"]),
    # Chinese commas inside [ ]
    "chinese-comma-in-levels": ("scope.yaml", "    levels: [5, 4, 3, 2]\n    majors: [焊接加工]",
                                "    levels: [5，4，3，2]\n    majors: [焊接加工]", "yaml-syntax",
                                ["方括号 [ ] 里用了中文逗号“，”"], ["`    levels: [5, 4, 3, 2]`"]),
    "chinese-comma-in-majors": ("scope.yaml", "    majors: [焊接加工]", "    majors: [焊接加工，焊接技术应用]", "yaml-syntax",
                                ["中文逗号"], ["`    majors: [焊接加工, 焊接技术应用]`", "加引号"]),
    # dates
    "date-with-slashes": ("profile.yaml", '  date: "2025-03-18"\n  existing_code', "  date: 2025/3/18\n  existing_code",
                          "schema", ["“2025/3/18”格式不正确"], [DATE_EXAMPLE, '这里应写 "2025-03-18"']),
    "date-in-chinese": ("profile.yaml", '  date: "2025-03-18"\n  existing_code', "  date: 2025年3月18日\n  existing_code",
                        "schema", ["格式不正确"], [DATE_EXAMPLE, '"2025-03-18"']),
    "date-as-a-number": ("profile.yaml", '  date: "2025-03-18"\n  existing_code', "  date: 20250318\n  existing_code",
                         "schema", ["整数“20250318”"], [DATE_EXAMPLE, '"2025-03-18"']),
    "date-not-on-the-calendar": ("profile.yaml", '  date: "2025-03-18"\n  existing_code',
                                 '  date: "2025-02-30"\n  existing_code', "date-invalid",
                                 ["2025-02-30 在日历上不存在：2025 年 2 月只有 28 天"], [DATE_EXAMPLE]),
    "date-in-month-13": ("profile.yaml", '  date: "2025-03-18"\n  existing_code', '  date: "2025-13-18"\n  existing_code',
                         "schema", ["2025-13-18 在日历上不存在：没有 13 月"], [DATE_EXAMPLE]),
    "application-dated-in-the-future": ("profile.yaml", '  date: "2025-03-18"\n  existing_code',
                                        '  date: "2026-12-18"\n  existing_code', "date-future",
                                        ["2026-12-18 晚于评估日期 2026-11-23", "已经发生的事"], [DATE_EXAMPLE]),
    # levels
    "level-by-its-name": ("scope.yaml", "    levels: [5, 4, 3, 2]\n    majors: [焊接加工]",
                          "    levels: [5, 4, 高级工, 2]\n    majors: [焊接加工]", "schema",
                          ["实际填写的是文字“高级工”"], ["“高级工”应写成 3"]),
    "level-by-its-grade": ("scope.yaml", "    levels: [5, 4, 3, 2]\n    majors: [焊接加工]",
                           "    levels: [5, 4, 三级, 2]\n    majors: [焊接加工]", "schema",
                           ["“三级”"], ["“三级”应写成 3"]),
    "skill-level-of-an-examiner": ("personnel.yaml", "    skill_level: 1", "    skill_level: 高级技师", "schema",
                                   ["“高级技师”"], ["“高级技师”应写成 1"]),
    "level-out-of-range": ("scope.yaml", "    levels: [5, 4, 3, 2]\n    majors: [焊接加工]",
                           "    levels: [6, 4, 3, 2]\n    majors: [焊接加工]", "schema", ["6 不能大于 5"], []),
    # placeholders
    "example-address-left-in": ("profile.yaml", "  address: 河南省洛阳市洛龙区嵩岳大道116号", "  address: 河南省××市××区××路××号",
                                "text-placeholder", ["模板示例里的“××”"], ["学校地址"]),
    "template-prompt-left-in": ("profile.yaml", "  short_name: 嵩岳技院\n", "  short_name: （请填写）\n",
                                "text-placeholder", ["待填写提示“（请填写）”"], ["换成实际的"]),
}
YES_NO = {"yes": "true", "No": "false", "ON": "true", "off": "false"}
for _word, _meant in YES_NO.items():
    CASES[f"boolean-written-{_word}"] = ("profile.yaml", "  is_legal_person: true", f"  is_legal_person: {_word}", "schema",
                                         [f"实际填写的是文字“{_word}”"], ["写 true 或 false", f"这里应写 {_meant}"])


def _edit(folder: Path, file: str, old: str, new: str) -> int:
    """Make the edit; return the first line that differs (the line the person typed on)."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (file, old)
    edited = text.replace(old, new, 1)
    path.write_text(edited, encoding="utf-8")
    return next(number for number, (a, b) in enumerate(zip(text.split("\n"), edited.split("\n")), start=1) if a != b)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("hints") / "institutions"
    root.mkdir()
    lines = {}
    for name, (file, old, new, *_rest) in CASES.items():
        shutil.copytree(SAMPLE, root / name)
        lines[name] = _edit(root / name, file, old, new)
    for name in ("untouched", "yes-in-a-text-field"):
        shutil.copytree(SAMPLE, root / name)
    _edit(root / "yes-in-a-text-field", "profile.yaml", "  short_name: 嵩岳技院\n", "  short_name: yes\n")
    text = run_beian("check", str(root))
    data = run_beian("check", str(root), "-f", "json")
    assert "Traceback" not in text.stdout + text.stderr + data.stderr
    return {"lines": lines, "text": text.stdout, "json": {r["institution"]: r for r in json.loads(data.stdout)["filings"]}}


@pytest.mark.parametrize("name", sorted(CASES))
def test_mistake_is_reported_on_the_line_typed_with_the_fix(name, corpus):
    file, _old, _new, rule, message_parts, hint_parts = CASES[name]
    line = corpus["lines"][name]
    record = corpus["json"][name]
    assert not record["valid"]
    errors = [f for f in record["findings"] if f["severity"] == "error"]
    found = [f for f in errors if f["rule"] == rule and f["file"].endswith(f"{name}/{file}")]
    assert found, errors
    finding = found[0]
    assert finding["line"] == line, finding
    for part in message_parts:
        assert part in finding["message"], finding
    for part in hint_parts:
        assert part in (finding.get("hint") or ""), finding
    # one mistake, one error: no second, less helpful error about the same line
    assert [f for f in errors if f["line"] == line and f["file"] == finding["file"]] == [finding], errors
    # and the text report shows it as staff read it: file:line, the message, the hint under it
    text = corpus["text"]
    assert f"{finding['file']}:{line}: 错误 [{rule}] {finding['message']}" in text
    if finding.get("hint"):
        assert f"提示：{finding['hint']}" in text


def test_untouched_sample_and_yes_as_text_are_valid(corpus):
    for name in ("untouched", "yes-in-a-text-field"):
        record = corpus["json"][name]
        assert record["valid"], [f for f in record["findings"] if f["severity"] == "error"]


def _level_mapping() -> list[str]:
    with LEVELS.open(encoding="utf-8", newline="") as handle:
        return [f"{row['name']}/{row['alias']} = {row['code']}" for row in csv.DictReader(handle)]


@pytest.mark.parametrize("name", ["level-by-its-name", "level-by-its-grade", "skill-level-of-an-examiner", "level-out-of-range"])
def test_level_hints_give_the_mapping_from_the_reference_table(name, corpus):
    finding = next(f for f in corpus["json"][name]["findings"] if f["rule"] == "schema")
    for pair in _level_mapping():
        assert pair in finding["hint"], finding
    assert "五级/初级工 = 5" in finding["hint"] and "一级/高级技师 = 1" in finding["hint"]


def test_starter_errors_are_exactly_its_placeholders(tmp_path: Path):
    """`beian new` writes a filing that passes the schema; what is left is one error per prompt it wrote."""
    assert run_beian("new", "starter-school", "--dir", str(tmp_path)).returncode == 0
    starter = tmp_path / "starter-school"
    result = run_beian("check", str(starter), "-f", "json")
    findings = json.loads(result.stdout)["filings"][0]["findings"]
    validity = {rule.id for rule in validity_rules()}  # the provisional score's veto findings are not load errors
    errors = [f for f in findings if f["severity"] == "error" and f["rule"] in validity]
    assert {f["rule"] for f in errors} == {"text-placeholder"}, errors
    prompts = set()
    for template in sorted((ROOT / "generator" / "templates").glob("*.yaml")):
        for number, line in enumerate(template.read_text(encoding="utf-8").split("\n"), start=1):
            if re.search(r"（请填写[^）]*）", line.split("#")[0]):
                prompts.add((template.name, number))
    assert prompts, "the templates have no prompts any more: update this test"
    assert {(Path(f["file"]).name, f["line"]) for f in errors} == prompts


def test_every_date_field_is_either_past_or_may_be_future():
    """date-future names its fields as data; a date field added to a schema must be classified there."""
    from generator import schema
    from generator.engine import validity_rules, validity_rules
    from generator.kinds import file_keys

    rule = next(r for r in validity_rules() if r.id == "date-future")
    listed = {(doc, field) for kind in ("past", "not_past") for doc, fields in rule.params[kind].items() for field in fields}
    past = {(doc, field) for doc, fields in rule.params["past"].items() for field in fields}
    assert not past & {(doc, field) for doc, fields in rule.params["not_past"].items() for field in fields}

    found = set()

    def walk(name, node, path, root):
        node = schema._resolve(root, node)
        if not isinstance(node, dict):
            return
        if schema._same_definition(name, node, "date"):
            found.add((name, path))
            return
        for key, child in (node.get("properties") or {}).items():
            walk(name, child, f"{path}.{key}".lstrip("."), root)
        if node.get("items"):
            walk(name, node["items"], f"{path}[]", root)

    for name in file_keys():  # every kind's files: a session's plan and outcome too
        root = schema.bundled_schema(name)
        walk(name, root, "", root)
    assert found == listed, {"not classified": sorted(found - listed), "not a date field": sorted(listed - found)}
    assert ("profile", "application.date") in past and ("profile", "status.valid_until") not in past


@pytest.mark.parametrize("written, value", [
    ("yes", "yes"), ("No", "No"), ("ON", "ON"), ("off", "off"), ("y", "y"),
    ("true", True), ("False", False), ("TRUE", True), ("tRUE", "tRUE"),
    ("0777", 777), ("0o17", 15), ("0x1F", 31), ("1_000", "1_000"), ("12:30", "12:30"), ("+5", 5),
    ("1e3", 1000.0), ("1.5", 1.5), (".5", 0.5), ("~", None), ("Null", None), ("nULL", "nULL"),
    ("2024-05-01", "2024-05-01"), ("6-18-01-01", "6-18-01-01"),
])
def test_scalars_are_read_as_yaml_1_2_core_reads_them(written, value):
    """As the editor's language server (YAML 1.2) reads them, not as PyYAML's YAML 1.1."""
    from generator.yamlload import load_yaml

    document, problems = load_yaml(f"a: {written}\n", "x.yaml")
    assert not problems
    assert document.data["a"] == value and type(document.data["a"]) is type(value)


def test_every_template_placeholder_is_recognised_by_the_rule_data():
    """Prompts and commented examples of the templates (uncommented and left as they are) are caught,
    and the quick screen (`markers`) lets each of them through to the patterns."""
    from generator.engine import validity_rules

    rule = next(r for r in validity_rules() if r.id == "text-placeholder")
    patterns = [re.compile(p) for p in rule.params["patterns"]]
    values = []
    for template in sorted((ROOT / "generator" / "templates").glob("*.yaml")):
        for line in template.read_text(encoding="utf-8").split("\n"):
            match = re.match(r"^[\s#-]*[a-z_]+:\s*\"?([^\"#]*[（×][^\"#]*)", line)
            if match and ("请填写" in match.group(1) or "××" in match.group(1)):
                values.append(match.group(1).strip())
    assert len(values) >= 10, values
    for value in values:
        assert any(p.search(value) for p in patterns), value
        assert any(marker in value for marker in rule.params["markers"]), value


def test_every_reader_of_a_yaml_file_reads_values_as_the_check_does():
    """The PR diff and the reviewers register read `yes`/`on`/`0777` as `beian check` does (YAML 1.2),
    so a PR comment can never show a value the check did not see."""
    from generator.yamlload import read_data

    assert read_data("name: on\nlevels: [5, 4]\nemployee: yes\ncode: 0777\n") == {
        "name": "on", "levels": [5, 4], "employee": "yes", "code": 777}
    assert read_data("a: [1, 2\n") is None


def test_prose_with_a_chinese_colon_after_a_latin_word_is_text_not_a_mistyped_field():
    """Only a word the schemas name as a field was meant as one: `- app：考务通手机端…` in a list of duties
    is a sentence, while `- name：张三` is the field `name` typed with a Chinese colon."""
    from generator.yamlload import load_yaml

    _, problems = load_yaml("duties:\n  - app：考务通手机端的使用管理\n  - 负责：组织报名\n", "scheme.yaml")
    assert problems == []
    _, problems = load_yaml("staff:\n  - name：张三\n", "personnel.yaml")
    assert [p.line for p in problems] == [2] and "`name`" in problems[0].message
