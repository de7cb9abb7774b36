"""No institution decides its own review: the reviewers register, stale decisions, review changes in a PR.

Decisions count only when a registered reviewer for the institution's region made them, on a
sensible date, with a reason, about the data as it still is. In a pull request, review changes
are reported first and, when the PR's author is not a registered reviewer, are not counted.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, check_json, run_beian
from filing_patch import apply_edits
from test_pr_changes import beian_in, git, make_repo

SCOPE_METHODS = ("decisions:\n  - criterion: scope-methods\n    points: 4\n    reason: {reason}\n"
                 "    reviewer: {reviewer}\n    date: \"{date}\"\n")


def _criterion(filing: dict, criterion_id: str) -> dict:
    return next(c for c in filing["criteria"] if c["id"] == criterion_id)


# --- the register and CODEOWNERS --------------------------------------------------------------

def test_register_is_valid_and_names_every_sample_reviewer():
    from generator import schema
    from generator.reviewers import REGISTER_FILE, load_register

    data = yaml.safe_load((ROOT / "rules" / REGISTER_FILE).read_text(encoding="utf-8"))
    assert [e.message for e in schema.schema_errors("reviewers", data)] == []
    register = load_register(ROOT / "rules" / REGISTER_FILE)
    assert register.problems == () and len(register.reviewers) == len(data["reviewers"])
    for path in sorted((ROOT / "institutions").glob("*/reviews.yaml")):
        for decision in yaml.safe_load(path.read_text(encoding="utf-8"))["decisions"]:
            assert register.by_name(decision["reviewer"]) is not None, (path, decision["reviewer"])
            assert "inputs" in decision, (path, decision["criterion"])


def test_codeowners_is_the_one_generated_from_the_register():
    from generator.codeowners import render
    from generator.reviewers import REGISTER_FILE, load_register

    register = load_register(ROOT / "rules" / REGISTER_FILE)
    committed = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == render(register), "run `beian codeowners` and commit .github/CODEOWNERS"
    rules = dict(line.split(" ", 1) for line in committed.splitlines() if line and not line.startswith("#"))
    assert set(rules["/institutions/*/reviews.yaml"].split()) == {f"@{r.github}" for r in register.reviewers}
    authority = {f"@{r.github}" for r in register.reviewers if r.role == "人社部门"}
    assert authority and all(set(rules[p].split()) == authority for p in ("/rules/", "/generator/", "/.github/"))
    assert run_beian("codeowners", "--check").returncode == 0


def test_codeowners_check_fails_when_the_register_moved_on(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "rules", project / "rules")
    shutil.copytree(ROOT / "schemas", project / "schemas")
    (project / ".github").mkdir()
    shutil.copyfile(ROOT / ".github" / "CODEOWNERS", project / ".github" / "CODEOWNERS")
    register = project / "rules" / "reviewers.yaml"
    register.write_text(register.read_text(encoding="utf-8") + "  - name: 新专家\n    role: 专家\n    github: new-expert\n"
                        "    jurisdictions: [开封市]\n", encoding="utf-8")
    env = {"BEIAN_ROOT": str(project)}
    assert run_beian("codeowners", "--check", env=env).returncode == 1
    assert run_beian("codeowners", env=env).returncode == 0
    assert "@new-expert" in (project / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert run_beian("codeowners", "--check", env=env).returncode == 0


# --- decisions that do not count -------------------------------------------------------------

@pytest.mark.parametrize("rule, fields, line", [
    ("review-unregistered", {"reviewer": "王某（专家组组长）"}, 5),
    ("review-unregistered", {"reviewer": "柯国良（专家组成员）"}, 5),   # registered for 郑州市; base is in 开封市
    ("review-date", {"date": "2026-11-24"}, 6),                        # after the evaluation date
    ("review-date", {"date": "2026-03-01"}, 6),                        # before the application (2026-03-02)
    ("review-blank", {"reason": "\"\u3000 \u3000\""}, 4),
    ("review-blank", {"reviewer": "\"\u200b\u2060\""}, 5),
])
def test_a_decision_that_is_not_accountable_is_an_error_and_does_not_count(base_copy, rule, fields, line):
    values = {"reason": "竞赛取证办法尚未印发", "reviewer": "赵文涛（专家组组长）", "date": "2026-04-01"} | fields
    (base_copy / "reviews.yaml").write_text(SCOPE_METHODS.format(**values), encoding="utf-8")
    _, payload = check_json(base_copy)
    [filing] = payload["filings"]
    assert filing["valid"] is True  # only the decision is void
    [finding] = [f for f in filing["findings"] if f["rule"] == rule]
    assert finding["severity"] == "error" and finding["file"].endswith("reviews.yaml") and finding["line"] == line
    assert finding.get("hint")
    methods = _criterion(filing, "scope-methods")
    assert (methods["status"], methods["awarded"], methods["review"]) == ("pending", 0, None)


def test_the_same_decision_by_a_registered_reviewer_counts(base_copy):
    values = {"reason": "竞赛取证办法尚未印发", "reviewer": "赵文涛（专家组组长）", "date": "2026-04-01"}
    (base_copy / "reviews.yaml").write_text(SCOPE_METHODS.format(**values), encoding="utf-8")
    _, payload = check_json(base_copy)
    methods = _criterion(payload["filings"][0], "scope-methods")
    assert (methods["status"], methods["awarded"], methods["review"]["reviewer"]) == ("reviewed", 4, "赵文涛（专家组组长）")


# --- stale decisions --------------------------------------------------------------------------

def test_withdrawing_an_occupation_sends_the_question_bank_decision_back_to_pending(tmp_path):
    # songyue-jishi: a scored sample (funiu-keji, the 增量备案, is checked by conditions and has no question-bank item)
    folder = tmp_path / "songyue-jishi"
    shutil.copytree(ROOT / "institutions" / "songyue-jishi", folder)
    _, payload = check_json(folder)
    bank = _criterion(payload["filings"][0], "basis-question-bank")
    assert (bank["status"], bank["awarded"], bank["stale"]) == ("reviewed", 8, False)

    apply_edits(folder, {"remove": {"scope.yaml": ["occupations.3"]}})
    _, payload = check_json(folder)
    [filing] = payload["filings"]
    bank = _criterion(filing, "basis-question-bank")
    assert (bank["status"], bank["awarded"], bank["potential"]) == ("pending", 0, 10)
    assert bank["stale"] is True and bank["status_label"] == "评审后资料有变动，需重新判定"
    assert bank["review"] is None and bank["stale_review"]["points"] == 8
    assert {"rule": "basis-question-bank", "title": bank["title"], "potential": 10, "stale": True} in filing["pending"]
    assert filing["score"] < 97
    [stale] = [f for f in filing["findings"] if f["rule"] == "review-stale" and "basis-question-bank" in f["message"]]
    assert stale["severity"] == "warning" and stale["file"].endswith("reviews.yaml") and stale["line"]
    # Decisions about data the withdrawal did not touch still count.
    assert _criterion(filing, "policy-work-rules")["status"] == "reviewed"

    text = run_beian("check", str(folder)).stdout
    assert "[review-stale] `basis-question-bank`（题库（卷库））：评审后资料有变动，需重新判定" in text
    assert "题库（卷库）（评审后资料有变动）" in text
    template = run_beian("review-template", str(folder)).stdout
    assert "criterion: basis-question-bank" in template and "评审后资料有变动" in template


# --- review changes in a pull request ---------------------------------------------------------

def _raise_question_bank(repo: Path) -> None:
    """邱振华's 题库（卷库） decision for zhongyuan-gaozhi goes from 3 to 10 points."""
    path = repo / "institutions/zhongyuan-gaozhi/reviews.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - criterion: basis-question-bank\n    points: 3\n"
    assert old in text
    path.write_text(text.replace(old, "  - criterion: basis-question-bank\n    points: 10\n"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Raise the question bank decision")


@pytest.fixture
def raised(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    _raise_question_bank(repo)
    return repo


def test_review_change_by_a_non_reviewer_is_reported_first_and_not_counted(raised, tmp_path):
    report = json.loads(beian_in(raised, "diff", "main", "feature", "--author", "mallory", "-f", "json").stdout)
    assert (report["author_registered"], report["reviews_counted"]) == (False, False)
    [entry] = report["institutions"]
    assert [(c["criterion"], c["before"], c["after"], c["reviewer_after"]) for c in entry["review_changes"]] == \
        [("basis-question-bank", "3", "10", "邱振华")]
    assert (entry["before"]["score"], entry["after"]["score"]) == (68, 68) and entry["criteria"] == []

    text = beian_in(raised, "diff", "main", "feature", "--author", "mallory").stdout
    lines = text.splitlines()
    assert lines[0] == "PR 提交人 mallory 不在评审人名册中，以下评审意见变更不计入本次得分。"
    assert text.index("题库（卷库） 3 → 10，评审人 邱振华") < text.index("总得分 68 → 68")

    # The check report in the job summary and the comment does not count it either, and says why.
    result = beian_in(raised, "check", "--changed-since", "main", "--author", "mallory", "-f", "json")
    [filing] = json.loads(result.stdout)["filings"]
    assert filing["score"] == 68 and _criterion(filing, "basis-question-bank")["awarded"] == 3
    assert any(f["rule"] == "review-unregistered" and "PR 提交人 mallory" in f["message"] for f in filing["findings"])

    diff_md = tmp_path / "diff.md"
    report_md = tmp_path / "report.md"
    diff_md.write_text(beian_in(raised, "diff", "main", "feature", "--author", "mallory", "-f", "markdown").stdout,
                       encoding="utf-8")
    report_md.write_text(beian_in(raised, "check", "--changed-since", "main", "--author", "mallory", "-f", "markdown").stdout,
                         encoding="utf-8")
    comment = beian_in(raised, "pr-comment", "--report", str(report_md), "--diff", str(diff_md)).stdout
    first = comment.index("PR 提交人 mallory 不在评审人名册中，以下评审意见变更不计入本次得分")
    assert first < comment.index("题库（卷库） 3 → 10，评审人 邱振华") < comment.index("| 机构 | 总得分 |")
    assert "✅ 具备备案条件 | 68/100" in comment


def test_review_change_by_a_registered_reviewer_counts_and_is_still_listed_first(raised):
    report = json.loads(beian_in(raised, "diff", "main", "feature", "--author", "Qiu-Zhenhua", "-f", "json").stdout)
    assert (report["author_registered"], report["reviews_counted"]) == (True, True)
    [entry] = report["institutions"]
    assert (entry["before"]["score"], entry["after"]["score"]) == (68, 75)
    assert entry["review_changes"][0]["criterion"] == "basis-question-bank"
    text = beian_in(raised, "diff", "main", "feature", "--author", "qiu-zhenhua").stdout
    assert text.startswith("本 PR 修改了专家评审意见：\n") and "不计入" not in text
    result = beian_in(raised, "check", "--changed-since", "main", "--author", "qiu-zhenhua", "-f", "json")
    assert json.loads(result.stdout)["filings"][0]["score"] == 75


def test_a_new_institution_with_its_own_reviews_is_not_scored_on_them(tmp_path):
    repo = make_repo(tmp_path / "repo")
    shutil.copytree(repo / "institutions" / "zhongyuan-gaozhi", repo / "institutions" / "zhongyuan-copy")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A new filing that brings its own reviews")
    report = json.loads(beian_in(repo, "diff", "main", "HEAD", "--author", "someone", "-f", "json").stdout)
    [entry] = report["institutions"]
    assert entry["status"] == "added" and len(entry["review_changes"]) > 10
    assert entry["after"]["decision"] != "eligible" and entry["after"]["pending_points"] > 0


def test_the_pr_workflow_passes_the_author_through_the_environment():
    from test_pr_workflows import load

    job = load(ROOT / ".github/workflows/pr-check.yml")["jobs"]["check"]
    assert job["env"]["PR_AUTHOR"] == "${{ github.event.pull_request.user.login }}"
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    assert scripts.count('--author "$PR_AUTHOR"') >= 4  # diff, and check for the summary, annotations and SARIF
