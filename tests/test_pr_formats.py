"""The pull-request formats of `beian check`: GitHub workflow commands, SARIF 2.1.0, the PR comment."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from conftest import ROOT, run_beian

SAMPLES = ROOT / "institutions"
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::(.*)$")


def test_formats_are_offered_by_the_cli():
    from generator.formats import names

    assert {"github", "sarif", "markdown"} <= set(names())
    assert "github" in run_beian("check", "--help").stdout


def test_github_annotations_come_most_important_first_and_stop_at_ten(tmp_path):
    summary = tmp_path / "summary.md"
    result = run_beian("check", str(SAMPLES / "tongbai-jigong"), str(SAMPLES / "huanghe-zhongzhi"), "--format", "github",
                       env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    commands = [COMMAND.match(line) for line in result.stdout.splitlines()]
    annotations = [m for m in commands if m]
    assert len(annotations) == 10
    # The veto comes first even though its institution was listed second, then warnings, no notices.
    assert annotations[0].group(1) == "error" and "veto-archive" in annotations[0].group(2)
    assert "file=institutions/huanghe-zhongzhi/sites.yaml,line=13" in annotations[0].group(2)
    assert [m.group(1) for m in annotations[1:]] == ["warning"] * 9
    # The rest is in the job summary, as a Markdown table.
    rest = summary.read_text(encoding="utf-8")
    assert "未在代码行上标注的问题" in rest and rest.count("\n| ") >= 40
    assert "另有" in result.stdout


def test_github_format_escapes_filing_text(base_copy):
    profile = base_copy / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("  name: 河南青岚技工学校\n", "  name: \"青岚%0A::error::伪造,title=x:y\"\n", 1),
                       encoding="utf-8")
    result = run_beian("check", str(base_copy), "--format", "github")
    lines = result.stdout.splitlines()
    # No line begins with a command the filing wrote, and properties escape % , and :.
    assert not any(line.startswith("::error::伪造") for line in lines)
    titled = [line for line in lines if "title=" in line]
    assert titled and all("青岚%250A%3A%3Aerror%3A%3A伪造%2Ctitle=x%3Ay" in line for line in titled)
    # Plain log lines carrying filing text sit between stop-commands markers.
    starts = [i for i, line in enumerate(lines) if line.startswith("::stop-commands::")]
    assert starts and lines[starts[0] + 2].startswith("::") and lines[starts[0] + 2].endswith("::")


def sarif_validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def test_sarif_of_every_sample_validates_against_the_schema():
    result = run_beian("check", "--format", "sarif", env={"BEIAN_PORTAL_URL": "https://example.org/beian/"})
    log = json.loads(result.stdout)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    by_id = {r["id"]: r for r in rules}
    assert by_id["veto-archive"]["helpUri"] == "https://example.org/beian/rules/henan-2022/veto-archive/"
    assert by_id["veto-archive"]["defaultConfiguration"]["level"] == "error"
    assert by_id["yaml-syntax"]["helpUri"] == "https://example.org/beian/rules/validity/yaml-syntax/"
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    veto = next(r for r in run["results"] if r["ruleId"] == "veto-archive")
    assert veto["level"] == "error"
    location = veto["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "institutions/huanghe-zhongzhi/sites.yaml"
    assert location["region"]["startLine"] == 13
    # Only findings someone has to act on are results (errors, and the warnings of what fails); notices are counted.
    assert {r["level"] for r in run["results"]} == {"error", "warning"}
    assert run["properties"]["summary"]["not_listed"] > 0


def test_sarif_of_an_invalid_filing_validates(base_copy):
    (base_copy / "scope.yaml").write_text("occupations: [\n", encoding="utf-8")
    result = run_beian("check", str(base_copy), "--format", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert not list(sarif_validator().iter_errors(log))
    assert any(r["ruleId"] == "yaml-syntax" and r["level"] == "error" for r in log["runs"][0]["results"])


def test_pr_comment_has_its_marker_and_stays_under_githubs_limit(tmp_path):
    from generator.pr.comment import LIMIT, MARKER, body

    report = "# 报告\n\n<details><summary>问题</summary>\n\n" + "| 行 | 很长的说明 |\n" * 20000
    text = body(report, "## 比较\n", "https://github.com/o/r/actions/runs/42", "a" * 40)
    assert text.startswith(MARKER + "\n") and len(text) < LIMIT
    assert text.count("<details>") == text.count("</details>")
    assert "报告过长" in text and "(https://github.com/o/r/actions/runs/42)" in text
    # A link that is not a run URL is not linked.
    assert "javascript" not in body("x", None, "javascript:alert(1)", "not a sha")
