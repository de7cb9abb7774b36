"""The workflows as GitHub runs them at scale: actions pinned to commits, one run at a time per branch or PR,
a code-scanning baseline on main for PR alerts to compare with, full history for the portal, Dependabot keeping
the pins current. (actionlint over every workflow, these included: test_pr_workflows.)"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from test_pr_workflows import WORKFLOWS, load  # actionlint itself runs in test_pr_workflows, over every workflow

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^\s+# v\d+\.\d+\.\d+$")


def uses_lines() -> list[tuple[str, str, str]]:
    found = []
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES.match(line)
            if match:
                found.append((path.name, match.group(1), match.group(2)))
    return found


def test_every_action_is_pinned_to_a_commit_with_its_version_named():
    found = uses_lines()
    assert len(found) >= 8
    for name, ref, comment in found:
        assert PINNED.match(ref), f"{name}: {ref} is not pinned to a full commit SHA"
        assert VERSION_COMMENT.match(comment), f"{name}: {ref} has no '# vX.Y.Z' comment"
    # one action, one pin: the same action is never at two commits across the workflows
    pins: dict[str, set] = {}
    for _, ref, comment in found:
        pins.setdefault(ref.split("@")[0], set()).add((ref.split("@")[1], comment.strip()))
    assert all(len(v) == 1 for v in pins.values()), pins
    assert any(r.startswith("github/codeql-action/upload-sarif@") and c.strip().startswith("# v4.")
               for _, r, c in found), "SARIF is uploaded with codeql-action v4"


def test_every_workflow_has_a_concurrency_group():
    for path in WORKFLOWS:
        workflow = load(path)
        concurrency = workflow.get("concurrency") or {}
        assert concurrency.get("group"), f"{path.name} has no concurrency group"
        assert "cancel-in-progress" in concurrency, path.name


def test_main_uploads_the_sarif_baseline_that_pr_alerts_compare_with():
    def sarif_steps(workflow):
        return [s for job in workflow["jobs"].values() for s in job["steps"]
                if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]

    baseline = [load(p) for p in WORKFLOWS if "push" in (load(p)["on"] or {}) and sarif_steps(load(p))]
    assert len(baseline) == 1, "one workflow checks every institution on pushes to main and uploads SARIF"
    [workflow] = baseline
    assert workflow["on"]["push"]["branches"] == ["main"]
    runs = " ".join(s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"])
    assert "beian check --format sarif" in runs and "--changed-since" not in runs
    assert all(job["permissions"].get("security-events") == "write" for job in workflow["jobs"].values())
    pr = load(ROOT / ".github/workflows/pr-check.yml")
    categories = {s["with"]["category"] for w in (workflow, pr) for s in sarif_steps(w)}
    assert categories == {"beian"}, "the PR's and main's uploads share a category, so their alerts are compared"


def test_pages_clones_the_whole_history():
    workflow = load(ROOT / ".github/workflows/pages.yml")
    checkouts = [s for job in workflow["jobs"].values() for s in job["steps"]
                 if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["fetch-depth"] == 0 for s in checkouts)


def test_dependabot_keeps_actions_and_python_dependencies_current():
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"github-actions", "pip"} <= set(ecosystems)
    assert all(u["directory"] == "/" and u["schedule"]["interval"] for u in ecosystems.values())
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.dependabot",
                             str(ROOT / ".github/dependabot.yml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
