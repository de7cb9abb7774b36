"""`beian check --changed-since` and `beian diff` on a throwaway git repository.

The repository holds a copy of rules/, schemas/, generator/ and three sample
institutions; a branch changes one of them. BEIAN_ROOT points the command at it.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_beian

SAMPLES = ("songyue-jishi", "zhongyuan-gaozhi", "funiu-keji")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          encoding="utf-8").stdout


def make_repo(path: Path, samples: tuple[str, ...] = SAMPLES) -> Path:
    """A git repo on branch main with the samples committed, and a branch `feature` checked out."""
    path.mkdir()
    for part in ("rules", "schemas", "generator"):
        shutil.copytree(ROOT / part, path / part, ignore=IGNORE)
    for slug in samples:
        shutil.copytree(ROOT / "institutions" / slug, path / "institutions" / slug, ignore=IGNORE)
    (path / ".gitignore").write_text("__pycache__/\n", encoding="utf-8")
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.invalid")
    git(path, "config", "user.name", "test")
    git(path, "config", "commit.gpgsign", "false")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "base")
    git(path, "checkout", "-q", "-b", "feature")
    return path


def improve_zhongyuan(repo: Path) -> None:
    """Give examiner 易佳 a letter of appointment (+2 on staff-qualifications) and add the 题库 policy."""
    personnel = repo / "institutions/zhongyuan-gaozhi/personnel.yaml"
    personnel.write_text(personnel.read_text(encoding="utf-8").replace("      letter: false\n", "      letter: true\n", 1),
                         encoding="utf-8")
    policies = repo / "institutions/zhongyuan-gaozhi/policies.yaml"
    policies.write_text(policies.read_text(encoding="utf-8") + (
        "  - category: 题库建设管理办法\n"
        "    title: 职业技能等级认定题库建设管理办法\n"
        "    date: \"2026-07-01\"\n"
        "    issuer: 学院党政办公室\n"
        "    number: 郑圃职院〔2026〕57号\n"
        "    file: evidence/制度/职业技能等级认定质量监督管理办法.md\n"), encoding="utf-8")


def narrow_funiu_scope(repo: Path) -> None:
    """Drop level 2 (二级) of 电工 from funiu-keji's scope."""
    scope = repo / "institutions/funiu-keji/scope.yaml"
    text = scope.read_text(encoding="utf-8")
    assert "levels: [4, 3, 2]\n    majors: [电气工程及其自动化]" in text
    scope.write_text(text.replace("levels: [4, 3, 2]\n    majors: [电气工程及其自动化]",
                                  "levels: [4, 3]\n    majors: [电气工程及其自动化]", 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def beian_in(repo: Path, *args: str):
    result = run_beian(*args, env={"BEIAN_ROOT": str(repo)})
    assert "Traceback" not in result.stderr, result.stderr
    return result


def checked(repo: Path, *extra: str) -> list[str]:
    result = beian_in(repo, "check", "--changed-since", "main", "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return [f["institution"] for f in json.loads(result.stdout)["filings"]]


def test_a_filing_changed_in_a_branch_is_the_only_one_checked(repo):
    assert checked(repo) == []
    improve_zhongyuan(repo)
    # Uncommitted edits count: this is what a pre-push check sees.
    assert checked(repo) == ["zhongyuan-gaozhi"]
    git(repo, "commit", "-q", "-am", "Improve zhongyuan")
    assert checked(repo) == ["zhongyuan-gaozhi"]
    # Explicit paths narrow the set further; they never widen it.
    assert checked(repo, str(repo / "institutions" / "songyue-jishi")) == []


def test_a_new_untracked_institution_is_detected(repo):
    shutil.copytree(repo / "institutions" / "songyue-jishi", repo / "institutions" / "songyue-copy")
    assert checked(repo) == ["songyue-copy"]


def test_a_rule_change_checks_every_institution(repo):
    sheet = next((repo / "rules" / "sheets").glob("*.yaml"))
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n# 注释改动\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Touch the sheet")
    result = beian_in(repo, "check", "--changed-since", "main", "--format", "json")
    assert sorted(f["institution"] for f in json.loads(result.stdout)["filings"]) == sorted(SAMPLES)
    assert "检查全部机构" in result.stderr


def test_a_commit_that_does_not_exist_is_a_usage_error(repo):
    result = beian_in(repo, "check", "--changed-since", "no-such-branch")
    assert result.returncode == 2 and "no-such-branch" in result.stderr
    result = beian_in(repo, "check", "--changed-since", "--output=x")
    assert result.returncode == 2


def test_diff_reports_scores_criteria_and_scope_without_touching_the_tree(repo):
    improve_zhongyuan(repo)
    narrow_funiu_scope(repo)
    git(repo, "commit", "-q", "-am", "Change two filings")
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")
    result = beian_in(repo, "diff", "main", "feature", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    by_slug = {e["institution"]: e for e in report["institutions"]}
    assert set(by_slug) == {"zhongyuan-gaozhi", "funiu-keji"}
    zhongyuan = by_slug["zhongyuan-gaozhi"]
    assert (zhongyuan["before"]["score"], zhongyuan["after"]["score"]) == (68, 70)
    assert [(c["id"], c["delta"]) for c in zhongyuan["criteria"]] == [("staff-qualifications", 2)]
    assert any(c["id"] == "policy-question-bank" for c in zhongyuan["status_changes"])
    funiu = by_slug["funiu-keji"]
    assert funiu["scope_removed"] == [{"code": "6-31-01-03", "name": "电工", "job_type": None, "levels": [2]}]
    assert funiu["scope_added"] == []
    # Nothing in the repository moved: same HEAD, clean tree, no extra worktrees.
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == status
    assert len(git(repo, "worktree", "list").splitlines()) == 1

    text = beian_in(repo, "diff", "main").stdout
    assert "68 → 70：考评员、专家任职条件与聘用 +2" in text
    assert "认定范围删除：6-31-01-03 电工 二级" in text
    markdown = beian_in(repo, "diff", "main", "--format", "markdown").stdout
    assert "| 68 → 70 |" in markdown and "➖ 6-31-01-03 电工 二级" in markdown


def test_diff_of_an_added_institution_and_of_no_change(repo):
    assert "没有机构的得分或认定范围发生变化" in beian_in(repo, "diff", "main").stdout
    shutil.copytree(repo / "institutions" / "songyue-jishi", repo / "institutions" / "songyue-copy")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add a filing")
    report = json.loads(beian_in(repo, "diff", "main", "HEAD", "-f", "json").stdout)
    [entry] = report["institutions"]
    assert entry["status"] == "added" and entry["before"] is None and entry["after"]["score"] == 97
    assert len(entry["scope_added"]) >= 1


def test_pre_commit_hook_checks_the_institutions_of_the_staged_files(repo):
    import os
    import sys

    hooks = __import__("yaml").safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = hooks
    assert hook["id"] == "beian-check" and hook["language"] == "python"
    assert hook["entry"] == "python -m generator.pr.hook"
    # As pre-commit runs it: from the repository being committed to, without BEIAN_ROOT.
    env = {k: v for k, v in os.environ.items() if k != "BEIAN_ROOT"}
    env.update(BEIAN_TODAY="2026-11-23", PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))

    def hook_run(*files):
        return subprocess.run([sys.executable, "-m", "generator.pr.hook", *files], cwd=repo, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    result = hook_run("institutions/funiu-keji/scope.yaml", "institutions/funiu-keji/profile.yaml")
    assert result.returncode == 0, result.stderr
    assert "共 1 个机构" in result.stdout and "南阳伏牛山科技学院" in result.stdout
    assert str(repo / "institutions") not in result.stdout  # paths shown relative to the repository
    (repo / "institutions/funiu-keji/scope.yaml").write_text("occupations: [\n", encoding="utf-8")
    result = hook_run("institutions/funiu-keji/scope.yaml")
    assert result.returncode == 1 and "yaml-syntax" in result.stdout
    assert hook_run("README.md").returncode == 0


def test_diff_text_shows_control_characters_as_codes_and_numbers_masked(repo):
    """A name typed with a terminal escape and a phone number reaches the terminal defused."""
    profile = repo / "institutions/zhongyuan-gaozhi/profile.yaml"
    text = profile.read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("  name: "))
    profile.write_text(text.replace(name, '  name: "郑州圃田\\e[2J职业技术学院 177-1234-8091"', 1), encoding="utf-8")
    improve_zhongyuan(repo)
    git(repo, "commit", "-q", "-am", "Rename")
    result = beian_in(repo, "diff", "main")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "郑州圃田\\x1b[2J职业技术学院" in result.stdout
    assert "177-1234-8091" not in result.stdout and "177****8091" in result.stdout
