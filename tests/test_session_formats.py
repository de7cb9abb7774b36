"""Every output of `beian check` reports sessions (认定计划) like filings: the verdict, and each finding
with its file and line; a session that is 不符合要求 or invalid fails the command like a vetoed filing."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import BASE, FIXTURES, run_beian
from filing_patch import apply_edits

PLAN = "T2026-12"
# session-scope: 车工 entered at 二级, a level outside the institution's approved scope (5、4、3)
FAILING_LINE = 19


def _institution(tmp_path: Path, failing: bool = True) -> Path:
    folder = tmp_path / "institutions" / "qinglan"
    shutil.copytree(BASE, folder)
    apply_edits(folder, {"variant": "filed"})
    session = folder / "sessions" / PLAN
    shutil.copytree(FIXTURES / "base-session", session)
    if failing:
        plan = session / "plan.yaml"
        lines = plan.read_text(encoding="utf-8").split("\n")
        assert lines[FAILING_LINE - 1] == "    level: 4"
        lines[FAILING_LINE - 1] = "    level: 2"
        plan.write_text("\n".join(lines), encoding="utf-8")
    return folder


def _check(folder: Path, *options: str):
    result = run_beian("check", str(folder), *options)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _plan_file(folder: Path) -> str:
    return f"{folder.as_posix()}/sessions/{PLAN}/plan.yaml"


def test_text_shows_each_session_with_its_verdict_and_findings(tmp_path):
    folder = _institution(tmp_path)
    result = _check(folder)
    lines = result.stdout.splitlines()
    heading = next(line for line in lines if line.strip().startswith(PLAN))
    # other session rules may object to the same edit too (the roster's level 4 rows are no longer in the plan)
    assert "：不符合要求；不符合：认定职业在备案范围内、备案有效" in heading
    # the finding reads like a filing's: file:line: 级别 [rule] message, right under its session
    finding = lines[lines.index(heading) + 1]
    assert re.match(rf"^\s+{re.escape(_plan_file(folder))}:{FAILING_LINE}: 警告 \[session-scope\] 车工 的等级 2", finding)
    assert "认定计划 1 个：1 个不符合要求。" in result.stdout


def test_a_clean_session_is_one_line_and_the_filing_output_is_unchanged(tmp_path):
    folder = _institution(tmp_path, failing=False)
    result = _check(folder)
    lines = result.stdout.splitlines()
    start = lines.index("  认定计划（1 个）：")
    assert lines[start + 1].startswith(f"    {PLAN} 2026年12月车工（中级工）职业技能等级认定（2026-12-08 至 2026-12-09）：符合要求")
    assert lines[start + 2] == ""
    # everything above the sessions is exactly what the filing alone prints
    shutil.rmtree(folder / "sessions")
    alone = _check(folder).stdout.splitlines()
    assert lines[:start] == alone[:start] and alone[start] == ""


def test_markdown_lists_sessions_and_a_failing_sessions_findings(tmp_path):
    folder = _institution(tmp_path)
    text = _check(folder, "--format", "markdown").stdout
    assert "### 认定计划（1 个）" in text
    assert f"| {PLAN} | 2026年12月车工（中级工）职业技能等级认定 | 2026-12-08 至 2026-12-09 | ❌ 不符合要求 |" in text
    assert f"#### ❌ 认定计划 {PLAN}" in text
    row = next(line for line in text.splitlines() if "`session-scope`" in line and "plan.yaml" in line)
    assert f"plan.yaml:{FAILING_LINE}" in row and "车工 的等级 2" in row


def test_json_sessions_carry_verdict_and_located_findings(tmp_path):
    folder = _institution(tmp_path)
    result = _check(folder, "--format", "json")
    (filing,) = json.loads(result.stdout)["filings"]
    (session,) = filing["sessions"]
    assert (session["kind"], session["plan_number"], session["valid"], session["decision"]) == \
        ("session", PLAN, True, "ineligible")
    assert session["decision_label"] == "认定计划：不符合要求"
    finding = next(f for f in session["findings"] if f["rule"] == "session-scope")
    assert finding["file"] == _plan_file(folder) and finding["line"] == FAILING_LINE
    # the same input gives the same bytes
    assert _check(folder, "--format", "json").stdout == result.stdout


def test_github_annotates_a_session_finding_on_its_line(tmp_path):
    folder = _institution(tmp_path)
    out = _check(folder, "--format", "github").stdout
    annotation = next(line for line in out.splitlines() if line.startswith("::") and "session-scope" in line)
    assert f"file={_plan_file(folder).replace(':', '%3A')},line={FAILING_LINE}" in annotation
    assert f"认定计划 {PLAN}" in annotation
    assert f"认定计划 {PLAN} 2026年12月车工（中级工）职业技能等级认定（2026-12-08 至 2026-12-09）：不符合要求" in out


def test_a_failing_session_is_annotated_before_the_filings_point_warnings(tmp_path):
    from conftest import ROOT

    # tongbai-jigong has more point-losing warnings than GitHub shows annotations, and is still a draft:
    # a session of a filing that is not 已备案 fails session-scope
    folder = tmp_path / "institutions" / "tongbai-jigong"
    shutil.copytree(ROOT / "institutions" / "tongbai-jigong", folder)
    shutil.copytree(FIXTURES / "base-session", folder / "sessions" / PLAN)
    result = _check(folder, "--format", "github")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if re.match(r"^::(error|warning|notice) ", line)]
    assert len(annotations) == 10
    warnings = [line for line in annotations if line.startswith("::warning ")]
    assert f"sessions/{PLAN}/" in warnings[0] and f"认定计划 {PLAN}" in warnings[0]


def test_sarif_has_the_session_rule_and_its_location(tmp_path):
    from test_pr_formats import sarif_validator

    folder = _institution(tmp_path)
    log = json.loads(_check(folder, "--format", "sarif").stdout)
    assert not list(sarif_validator().iter_errors(log))
    run = log["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "session-scope")
    assert rule["helpUri"].endswith("/rules/henan-2022-session/session-scope/")
    result = next(r for r in run["results"] if r["ruleId"] == "session-scope")
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == _plan_file(folder)
    assert location["region"]["startLine"] == FAILING_LINE
    assert result["properties"]["session"] == PLAN
    assert run["properties"]["sessions"][0]["decision"] == "ineligible"


def test_a_failing_or_invalid_session_fails_check(tmp_path):
    clean = _institution(tmp_path / "clean", failing=False)
    assert _check(clean).returncode == 0
    failing = _institution(tmp_path / "failing")
    for output in ("text", "json", "github"):
        assert _check(failing, "--format", output).returncode == 1
    (clean / "sessions" / PLAN / "plan.yaml").write_text("plan_number: [\n", encoding="utf-8")
    assert _check(clean).returncode == 1


def test_pending_sessions_fail_only_when_a_decision_is_required():
    from generator.cli import exit_code

    filing = {"valid": True, "decision": "eligible"}
    pending = {**filing, "sessions": [{"valid": True, "decision": "pending_review"}]}
    assert exit_code([pending]) == 0
    assert exit_code([pending], require_decision=True) == 1
    assert exit_code([{**filing, "sessions": [{"valid": True, "decision": "eligible"}]}], require_decision=True) == 0


# --- `beian diff` and the PR comment: a new, removed or changed plan ----------------------------------

def _session_repo(tmp_path: Path) -> Path:
    from test_pr_changes import git, make_repo

    repo = make_repo(tmp_path / "repo")
    sessions = repo / "institutions" / "songyue-jishi" / "sessions"
    # a new plan: a copy of SY2026-12 under its own number
    shutil.copytree(sessions / "SY2026-12", sessions / "SY2027-02")
    new_plan = sessions / "SY2027-02" / "plan.yaml"
    new_plan.write_text(new_plan.read_text(encoding="utf-8").replace("plan_number: SY2026-12", "plan_number: SY2027-02"),
                        encoding="utf-8")
    # a changed plan: 电工 moved to 一级, outside the approved scope (line 43)
    plan = sessions / "SY2026-12" / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").split("\n")
    assert lines[42] == "    level: 2" and lines[41] == "    name: 电工"
    lines[42] = "    level: 1"
    plan.write_text("\n".join(lines), encoding="utf-8")
    # a removed plan
    shutil.rmtree(sessions / "SY2026-06")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Sessions: one new, one changed, one removed")
    return repo


def test_diff_shows_new_changed_and_removed_plans(tmp_path):
    from test_pr_changes import beian_in

    repo = _session_repo(tmp_path)
    report = json.loads(beian_in(repo, "diff", "main", "feature", "--format", "json").stdout)
    [entry] = report["institutions"]
    assert entry["institution"] == "songyue-jishi"
    plans = {s["plan_number"]: s for s in entry["sessions"]}
    # (sample rules across sessions, such as certificate ranges, may list other plans too)
    assert {"SY2026-06", "SY2026-12", "SY2027-02"} <= set(plans)
    assert (plans["SY2027-02"]["status"], plans["SY2027-02"]["before"]) == ("added", None)
    assert plans["SY2027-02"]["after"] in ("符合要求", "不符合要求", "待判定")
    assert (plans["SY2026-06"]["status"], plans["SY2026-06"]["after"]) == ("removed", None)
    changed = plans["SY2026-12"]
    # SY2026-12 is the samples' clean plan
    assert (changed["status"], changed["before"], changed["after"]) == ("changed", "符合要求", "不符合要求")
    assert changed["decision_after"] == "ineligible"
    added = next(f for f in changed["findings_added"] if f["rule"] == "session-scope")
    assert added["line"] == 43 and added["file"] == "institutions/songyue-jishi/sessions/SY2026-12/plan.yaml"

    text = beian_in(repo, "diff", "main", "feature").stdout
    assert f"  认定计划 SY2027-02（新增）：— → {plans['SY2027-02']['after']}" in text
    assert f"  认定计划 SY2026-06（已删除）：{plans['SY2026-06']['before']} → —" in text
    assert "  认定计划 SY2026-12：符合要求 → 不符合要求" in text
    assert ("    新增问题 institutions/songyue-jishi/sessions/SY2026-12/plan.yaml:43: 警告 [session-scope] 电工 的等级 1"
            in text)

    markdown = beian_in(repo, "diff", "main", "feature", "--format", "markdown").stdout
    assert "### 认定计划变化 / Session changes" in markdown
    assert "认定计划 SY2026-12：符合要求 → 不符合要求" in markdown
    assert "plan.yaml:43 `session-scope`" in markdown and f"认定计划变化 {len(plans)} 个（见下）" in markdown


def test_an_edited_plan_with_the_same_verdict_is_listed_and_a_fixed_one_loses_its_problem(tmp_path):
    from generator.pr.diff import compare, session_change_text

    problem = {"rule": "session-scope", "severity": "warning", "message": "车工 的等级 1 不在备案范围内",
               "file": "institutions/x/sessions/P1/plan.yaml", "line": 25}
    failing = {"plan_number": "P1", "title": "t", "valid": True, "decision": "ineligible",
               "decision_label": "认定计划：不符合要求", "decision_title": "认定计划", "findings": [problem]}
    fixed = {**failing, "decision": "eligible", "decision_label": "认定计划：符合要求", "findings": []}
    same = {**fixed}
    filing = {"name": "x", "valid": True, "vetoes": [], "criteria": []}
    entry = compare("x", {**filing, "sessions": [failing]}, {**filing, "sessions": [fixed]}, {}, {})
    [change] = entry["sessions"]
    assert change["findings_removed"] == [problem] and not change["findings_added"]
    assert session_change_text(change) == "认定计划 P1：不符合要求 → 符合要求"
    # untouched, or a problem that only moved a line: not a change
    moved = {**failing, "findings": [{**problem, "line": 26}]}
    assert compare("x", {**filing, "sessions": [failing]}, {**filing, "sessions": [moved]}, {}, {})["sessions"] == []
    assert compare("x", {**filing, "sessions": [failing]}, {**filing, "sessions": [failing]}, {}, {})["sessions"] == []
    # edited but judged the same: listed, saying so
    [edited] = compare("x", {**filing, "sessions": [fixed]}, {**filing, "sessions": [same]}, {}, {}, {"P1"})["sessions"]
    assert session_change_text(edited) == "认定计划 P1（资料有改动）：符合要求（结论不变）"


def test_pr_comment_carries_the_session_changes(tmp_path):
    from generator.pr.comment import body
    from test_pr_changes import beian_in

    repo = _session_repo(tmp_path)
    diff = beian_in(repo, "diff", "main", "feature", "--format", "markdown").stdout
    report = beian_in(repo, "check", str(repo / "institutions" / "songyue-jishi"), "--format", "markdown")
    assert report.returncode == 1  # SY2026-12 now fails
    comment = body(report.stdout, diff)
    assert "认定计划 SY2026-12：符合要求 → 不符合要求" in comment
    assert "❌ 认定计划 SY2026-12" in comment and "plan.yaml:43" in comment


def test_a_plans_title_cannot_act_on_a_terminal_or_a_page(tmp_path):
    folder = _institution(tmp_path, failing=False)
    plan = folder / "sessions" / PLAN / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("title: 2026年12月车工（中级工）职业技能等级认定",
                                 'title: "\\e[2J<b>粗</b>\\n::error::伪造"'), encoding="utf-8")
    for output in ("text", "markdown", "github"):
        result = _check(folder, "--format", output)
        assert result.returncode == 1  # a control character makes the plan invalid
        assert not any(line.startswith("::error::伪造") for line in result.stdout.splitlines())
        if output == "markdown":  # a page: no HTML of the filing's (escape codes are the terminal's concern)
            assert "<b>粗</b>" not in result.stdout and "&#60;b&#62;粗" in result.stdout
        else:
            assert "\x1b" not in result.stdout and "\\x1b[2J" in result.stdout
