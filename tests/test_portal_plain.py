"""The public portal speaks to the public (issue 14, item 7): rule pages in plain Chinese with worked examples,
no developer material on pages or in search, counts that agree, a footer with publisher and data date on every
page, and a 申报指南 whose commands render as code.

One portal is built from the sample register (as `beian build --no-downloads` would) and read as a visitor's
browser and the search box would read it.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, TODAY, run_beian
from generator.engine import validity_rules
from generator.sheet import all_sheets

RULE_CASES = FIXTURES / "rules"
PYTHON_WORDS = re.compile(r"(?<![A-Za-z_])(True|False|None)(?![A-Za-z_])")
DEVELOPER_PATHS = re.compile(r"generator/|tests/|fixtures|\.py\b|seed \d{3}|\d{3}_[0-9a-f]{16}\.txt|\{'")


class _Text(HTMLParser):
    """The text a reader sees in an HTML fragment (tags dropped, entities decoded), plus its <pre> blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pre: list[str] = []
        self._in_pre = 0

    def handle_starttag(self, tag, attrs):
        if tag == "pre":
            self._in_pre += 1
            self.pre.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre -= 1

    def handle_data(self, data):
        self.parts.append(data)
        if self._in_pre:
            self.pre[-1] += data


def _read(fragment: str) -> _Text:
    reader = _Text()
    reader.feed(fragment)
    return reader


def _article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


def _yaml_keys(value, keys: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            keys.add(str(key))
            _yaml_keys(item, keys)
    elif isinstance(value, list):
        for item in value:
            _yaml_keys(item, keys)
    return keys


def _case_names() -> set[str]:
    """The test cases' names (snake_case) that are not also a field a filing writes."""
    fields: set[str] = set()
    for path in FIXTURES.rglob("*.yaml"):
        try:
            _yaml_keys(yaml.safe_load(path.read_text(encoding="utf-8")), fields)
        except yaml.YAMLError:
            continue
    names = {case["name"] for path in RULE_CASES.glob("*.yaml")
             for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]}
    return {name for name in names if "_" in name and name not in fields}


def _developer_material(text: str, names: set[str]) -> list[str]:
    found = [m.group(0) for m in PYTHON_WORDS.finditer(text)] + [m.group(0) for m in DEVELOPER_PATHS.finditer(text)]
    words = set(re.findall(r"[a-z0-9]+(?:_[a-z0-9]+)+", text))
    return found + sorted(words & names)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("portal") / "out"
    docs = out.parent / "docs"
    result = run_beian("build", "--no-downloads", "--out", str(out), "--docs-dir", str(docs))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _rule_pages(site: Path) -> list[Path]:
    """Every page of the 规则 section: the index, each rule, each jurisdiction and each supervision form."""
    return sorted((site / "rules").rglob("index.html"))


def test_rule_jurisdiction_and_form_pages_carry_no_developer_material(site):
    names = _case_names()
    assert len(names) > 300  # the check below would pass vacuously without the cases' names
    pages = _rule_pages(site)
    assert len(pages) >= 110
    problems = {}
    for page in pages:
        found = _developer_material(" ".join(_read(_article(page)).parts), names)
        if found:
            problems[str(page.relative_to(site))] = found[:5]
    assert not problems, problems


def test_search_index_carries_no_developer_material(site):
    names = _case_names()
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    rule_entries = [d for d in docs if d["location"].startswith("rules/")]
    assert len(rule_entries) >= 110
    problems = {d["location"]: found[:5] for d in docs
                if (found := _developer_material(html.unescape(f"{d['title']} {d['text']}"), names))}
    assert not problems, problems


def test_every_rule_page_shows_a_passing_and_a_failing_example_as_yaml_with_the_outcome(site):
    rule_ids = {f"{sheet.id}/{c.id}" for sheet in all_sheets().values() for c in sheet.criteria}
    rule_ids |= {f"validity/{rule.id}" for rule in validity_rules()}
    missing = {}
    for rule_id in sorted(rule_ids):
        cases = yaml.safe_load((RULE_CASES / f"{rule_id.split('/')[-1]}.yaml").read_text(encoding="utf-8"))["cases"]
        # a rule whose cases only delete, move or garble files is shown in words; the others show the YAML
        shows_text = any(case.get(k) for case in cases for k in ("set", "remove", "append")) or \
            any(isinstance(content, str) for case in cases for content in (case.get("write") or {}).values())
        article = _article(site / "rules" / rule_id / "index.html")
        reader = _read(article)
        text = " ".join(reader.parts)
        lacks = [what for what, ok in (
            ("passing example", re.search(r"例 \d+（通过）", text)),
            ("failing example", re.search(r"例 \d+（不通过）", text) or re.search(r"- 不通过：", article)),
            ("outcome in words", "结果：" in text),
            ("YAML or file content", not shows_text or reader.pre and 'class="language-' in article),
        ) if not ok]
        if lacks:
            missing[rule_id] = lacks
    assert not missing, missing


def test_a_worked_example_shows_the_file_as_staff_write_it(site):
    article = _article(site / "rules" / "henan-2022" / "basic-majors" / "index.html")
    reader = _read(article)
    failing = next(block for block in reader.pre if "没有写 majors" in block)
    assert failing.startswith("basics:") and "featured_majors: " in failing
    assert "结果：不符合，得 0 分，检查指出“未写技能相关专业开设情况”。" in " ".join(reader.parts)
    # the source is the handbook by title, not the transcription's file name
    assert "出处：《技能人才评价业务指导（四）院校类职业技能等级认定指导手册》" in " ".join(reader.parts)


def test_home_counts_agree_with_the_state_table_the_chart_and_the_register(site):
    home = " ".join(_read(_article(site / "index.html")).parts)
    rows = json.loads((site / "data" / "register.json").read_text(encoding="utf-8"))["institutions"]
    states = {state: sum(1 for r in rows if r["state"] == state) for state in {r["state"] for r in rows}}

    def cell(label: str) -> int:
        return int(re.search(rf"(?<![\w（]){re.escape(label)}\s+(\d+)", home).group(1))

    assert cell("机构") == len(rows) == 5
    assert cell("已备案机构") == cell("已备案") == states["已备案"] == 1
    assert cell("已提交") == states["已提交"] and cell("草稿") == states["草稿"]
    chart = (site / "assets" / "charts" / "states.svg").read_text(encoding="utf-8")
    assert dict(re.findall(r"<title>([^<：]+)：(\d+)</title>", chart)) == {s: str(n) for s, n in states.items()}
    # the 增量备案 under review still certifies its 原有 occupations: said on its own row, not counted as 已备案
    assert cell("增量备案审核中、原有职业仍可认定的机构") == 1


def test_every_page_type_has_the_publisher_and_the_data_date_in_its_footer(site):
    publisher = yaml.safe_load((ROOT / "beian.yaml").read_text(encoding="utf-8"))["publisher"]
    pages = sorted(site.rglob("index.html"))
    kinds = {p.relative_to(site).parts[0] if len(p.relative_to(site).parts) > 1 else "home" for p in pages}
    assert {"home", "institutions", "occupations", "rules", "guide", "data", "calendar", "sessions"} <= kinds
    wrong = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        footer = text[text.index('class="md-copyright beian-footer"'):]
        footer = "".join(_read(footer[:footer.index("</div>")]).parts)
        if f"发布单位：{publisher}" not in footer or not re.search(r"数据日期：\d{4}-\d{2}-\d{2}（", footer) \
                or f"评估日期：{TODAY}" not in footer:
            wrong.append(str(page.relative_to(site)))
    assert not wrong, wrong


def test_the_guide_starts_with_the_web_editor_and_its_commands_render_as_code(site):
    article = _article(site / "guide" / "index.html")
    reader = _read(article)
    text = " ".join(reader.parts)
    web, command_line = text.index("铅笔图标"), text.index("py -m venv")
    assert web < text.index("Create pull request") < text.index("备案检查结果") < command_line
    assert "PowerShell" in text and "python.org" in text and "终端" in text
    blocks = reader.pre
    assert any("py -m venv .venv\n.venv\\Scripts\\Activate.ps1" in block for block in blocks)
    assert any("python3 -m venv .venv\nsource .venv/bin/activate" in block for block in blocks)
    assert all(not block.lstrip().startswith(("bash", "```", "powershell")) for block in blocks), blocks
    outside = re.sub(r"<pre.*?</pre>", "", article, flags=re.S)
    assert "```" not in outside and "bash python3" not in " ".join(_read(outside).parts)


def test_publisher_setting_defaults_to_a_neutral_line_and_refuses_what_is_not_a_name(tmp_path):
    from generator.registry import DEFAULT_PUBLISHER, RegistryError, registry_settings

    (tmp_path / "beian.yaml").write_text("jurisdiction: henan\n", encoding="utf-8")
    assert registry_settings.__wrapped__(tmp_path).publisher == DEFAULT_PUBLISHER
    (tmp_path / "beian.yaml").write_text("jurisdiction: henan\npublisher: [甲, 乙]\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="第 2 行：publisher 应是一行文字"):
        registry_settings.__wrapped__(tmp_path)


def test_outside_git_the_footer_dates_the_data_by_the_evaluation_date(tmp_path):
    from generator.portal.footer import EVALUATED, footer_facts

    folder = tmp_path / "institutions" / "a-school"
    folder.mkdir(parents=True)
    footer = footer_facts([folder], dt.date(2026, 11, 23), root=tmp_path)
    assert (footer.data_date, footer.data_date_means, footer.evaluated) == ("2026-11-23", EVALUATED, "2026-11-23")


def test_developer_details_stay_available_to_maintainers():
    result = run_beian("explain", "basic-majors", "--developer")
    assert result.returncode == 0
    assert "`majors_missing`" in result.stdout and "generator/checks/" in result.stdout
    public = run_beian("explain", "basic-majors")
    assert "majors_missing" not in public.stdout and "generator/" not in public.stdout


def test_examples_name_the_day_the_test_suite_judges_them_on():
    from test_rule_fixtures import RECORD_DAY

    from generator.rule_examples import DEFAULT_JUDGED_ON, JUDGED_ON

    assert JUDGED_ON["record"] == RECORD_DAY.isoformat() and DEFAULT_JUDGED_ON == TODAY
