"""Pull requests judged by what they change, on a throwaway git repository.

The repository holds the samples including huanghe-zhongzhi, which is vetoed by design: a change to the
rules or the code moves every institution's score, and the check reports that effect (score and
conclusion before → after) without failing; a change to a filing fails when that filing fails.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_pr_changes import SAMPLES, beian_in, git, make_repo

VETOED = "huanghe-zhongzhi"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", SAMPLES + (VETOED,))
    # the registry's settings (which supervision forms it uses) belong to the base too
    git(repo, "checkout", "-q", "main")
    shutil.copyfile(ROOT / "beian.yaml", repo / "beian.yaml")
    git(repo, "add", "beian.yaml")
    git(repo, "commit", "-q", "-m", "Registry settings")
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "--ff-only", "main")
    return repo


def stricter_deduction(repo: Path) -> None:
    """staff-qualifications takes 3 points per examiner who falls short instead of 2: zhongyuan 68 → 67."""
    sheet = repo / "rules/sheets/henan-2022.yaml"
    text = sheet.read_text(encoding="utf-8")
    marker = "    max: 4\n    mode: deduction\n    per: 2\n    method: 查阅资料\n    check: personnel.qualifications\n"
    assert marker in text
    sheet.write_text(text.replace(marker, marker.replace("per: 2", "per: 3")), encoding="utf-8")


def shorten_zhongyuan_archive(repo: Path) -> None:
    """Keep electronic files 3 years instead of 5: the archive veto."""
    sites = repo / "institutions/zhongyuan-gaozhi/sites.yaml"
    text = sites.read_text(encoding="utf-8")
    assert "  electronic_years: 5\n" in text
    sites.write_text(text.replace("  electronic_years: 5\n", "  electronic_years: 3\n", 1), encoding="utf-8")


def test_a_rule_change_reports_its_effect_and_passes_despite_a_vetoed_sample(repo):
    stricter_deduction(repo)
    git(repo, "commit", "-q", "-am", "Stricter deduction")
    check = beian_in(repo, "check", "--changed-since", "main", "--format", "json")
    # every institution is checked, the vetoed one included, but none was changed by this PR
    filings = {f["institution"]: f for f in json.loads(check.stdout)["filings"]}
    assert set(filings) == set(SAMPLES) | {VETOED} and filings[VETOED]["decision"] == "ineligible"
    assert check.returncode == 0, check.stderr
    assert "退出码只看本次改动的备案文件" in check.stderr

    report = json.loads(beian_in(repo, "diff", "main", "HEAD", "--format", "json").stdout)
    moved = {e["institution"]: e for e in report["institutions"]}
    assert (moved["zhongyuan-gaozhi"]["before"]["score"], moved["zhongyuan-gaozhi"]["after"]["score"]) == (68, 67)
    assert len(moved) + len(report["unchanged"]) == len(SAMPLES) + 1

    markdown = beian_in(repo, "diff", "main", "HEAD", "--format", "markdown").stdout
    assert "规则或程序改动对全部机构的影响" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| 郑州圃田职业技术学院 |"))
    assert "| 68 → 67 |" in row and "考评员、专家任职条件与聘用 −1" in row.replace("-1", "−1")
    assert f"{len(report['unchanged'])} 个不变" in markdown
    assert "河南黄河" not in markdown or VETOED in moved  # an institution listed only when it moved


def test_a_filing_change_that_vetoes_fails(repo):
    shorten_zhongyuan_archive(repo)
    git(repo, "commit", "-q", "-am", "Shorter archive")
    check = beian_in(repo, "check", "--changed-since", "main", "--format", "json")
    assert check.returncode == 1
    [filing] = json.loads(check.stdout)["filings"]
    assert filing["institution"] == "zhongyuan-gaozhi" and filing["vetoes"]
    diff = beian_in(repo, "diff", "main", "HEAD").stdout
    assert "结论 具备备案条件 → " in diff or "→ 不具备" in diff
    assert "新增问题" in diff and "veto-archive" in diff


def test_a_rule_change_with_a_failing_filing_change_still_fails(repo):
    stricter_deduction(repo)
    shorten_zhongyuan_archive(repo)
    git(repo, "commit", "-q", "-am", "Both")
    assert beian_in(repo, "check", "--changed-since", "main").returncode == 1


def touch(path: Path) -> None:
    """A harmless edit: a comment line at the end of a YAML file."""
    path.write_text(path.read_text(encoding="utf-8") + "# 校对\n", encoding="utf-8")


# songyue-jishi has failing sessions (SY2026-11, SY2027-01) and failing supervision records by design.
@pytest.mark.parametrize("edited, code", [
    ("sessions/SY2026-12/plan.yaml", 0),                                  # a passing session; failing siblings
    ("sessions/SY2026-06/supervision/guangdong-a4-豫督外2024001.yaml", 0),  # a passing record; a failing sibling
    ("sessions/SY2026-11/plan.yaml", 1),                                  # the session fails (报考等级)
    ("sessions/SY2026-06/supervision/guangdong-a3-豫督外2024002.yaml", 1),  # the record fails
    ("profile.yaml", 1),                                                  # the filing answers for all its sessions
])
def test_a_pr_answers_for_what_it_touched(repo, edited, code):
    touch(repo / "institutions/songyue-jishi" / edited)
    git(repo, "commit", "-q", "-am", "Proofread")
    result = beian_in(repo, "check", "--changed-since", "main")
    assert result.returncode == code, result.stdout[-2000:]


def hook(repo: Path, *files: str):
    env = {k: v for k, v in os.environ.items() if k != "BEIAN_ROOT"}
    env.update(BEIAN_TODAY="2026-11-23", PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "generator.pr.hook", *files], cwd=repo, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_pre_commit_hook_reports_a_rule_change_and_fails_a_vetoing_filing(repo):
    stricter_deduction(repo)
    result = hook(repo, "rules/sheets/henan-2022.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "不阻止提交" in result.stdout and "68 → 67" in result.stdout
    shorten_zhongyuan_archive(repo)
    result = hook(repo, "rules/sheets/henan-2022.yaml", "institutions/zhongyuan-gaozhi/sites.yaml")
    assert result.returncode == 1 and "veto-archive" in result.stdout


def test_pr_workflow_passes_a_rule_change_and_shows_its_effect(repo, tmp_path):
    from test_pr_workflows import run_pr_check

    stricter_deduction(repo)
    git(repo, "commit", "-q", "-am", "Stricter deduction")
    run, _ = run_pr_check(repo, tmp_path)
    failed = [(s["step"].get("name"), s["result"].stdout[-500:]) for s in run["steps"]
              if s.get("result") and s["result"].returncode]
    assert not run["failed"], failed
    summary = run["summary"]
    assert "规则或程序改动对全部机构的影响" in summary and "| 68 → 67 |" in summary
    comment = (tmp_path / "check-runner-temp" / "beian-report" / "comment.md").read_text(encoding="utf-8")
    assert "规则或程序改动对全部机构的影响" in comment and "68 → 67" in comment
    # the vetoed sample is in the report, and in SARIF as an alert, but does not fail this PR
    sarif = json.loads((tmp_path / "check-runner-temp" / "beian.sarif").read_text(encoding="utf-8"))
    assert any(r["ruleId"] == "veto-archive" for r in sarif["runs"][0]["results"])


def test_pr_workflow_fails_a_filing_change_that_vetoes(repo, tmp_path):
    from test_pr_workflows import run_pr_check

    shorten_zhongyuan_archive(repo)
    git(repo, "commit", "-q", "-am", "Shorter archive")
    run, _ = run_pr_check(repo, tmp_path)
    assert run["failed"]
    by_name = {s["step"].get("name"): s for s in run["steps"]}
    conclusion = by_name["结论"]["result"]
    assert conclusion.returncode == 1 and "备案检查未通过" in conclusion.stdout
    # the comment is still prepared for the PR
    assert (tmp_path / "check-runner-temp" / "beian-report" / "comment.md").is_file()


def test_a_long_comparison_and_report_still_fit_one_comment():
    from generator.pr.comment import LIMIT, body

    diff = "## 与基准版本相比\n\n| 机构 | 总得分 |\n|---|---|\n" + "| 某职业技术学院 | 70 → 71 |\n" * 20000
    text = body("# 备案技术评估报告\n" + "一行报告\n" * 20000, diff, "https://github.com/o/r/actions/runs/42", "a" * 40)
    assert len(text) < LIMIT and "版本比较过长" in text and "# 备案技术评估报告" in text
