"""The command line as a user and as another tool see it: exit codes, JSON contract, help."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import BASE, ROOT, check_json, run_beian

FILING_KEYS = {"institution", "name", "sheet", "valid", "score", "max_score", "bonus", "pending_points", "threshold",
               "decision", "vetoes", "criteria", "findings"}
CRITERION_KEYS = {"id", "section", "title", "awarded", "max", "status"}
FINDING_KEYS = {"rule", "severity", "message", "file", "line"}


def test_json_contract_for_check():
    code, payload = check_json(BASE)
    filing = payload["filings"][0]
    assert FILING_KEYS <= set(filing)
    assert filing["decision"] in ("eligible", "ineligible", "pending_review")
    assert all(CRITERION_KEYS <= set(c) for c in filing["criteria"])
    assert all(FINDING_KEYS <= set(f) for f in filing["findings"])
    assert all({"rule", "message"} <= set(v) for v in filing["vetoes"])


def test_json_contract_for_rules():
    result = run_beian("rules", "--format", "json")
    assert result.returncode == 0
    sheet = json.loads(result.stdout)["sheets"][0]
    assert {"id", "title", "effective", "threshold", "max_score", "criteria"} <= set(sheet)
    assert all({"id", "section", "group", "title", "max", "veto", "bonus", "mode"} <= set(c) for c in sheet["criteria"])
    assert sum(c["max"] for c in sheet["criteria"] if not c["veto"] and not c["bonus"]) == 100


def test_pending_filing_exits_zero_unless_a_decision_is_required():
    code, payload = check_json(BASE)
    assert payload["filings"][0]["decision"] == "pending_review"
    assert code == 0
    code, _ = check_json(BASE, extra=("--require-decision",))
    assert code == 1


def test_explain_and_unknown_rule():
    result = run_beian("explain", "staff-examiner-count")
    assert result.returncode == 0
    assert "每一职业最少3名考评人员" in result.stdout
    wrong = run_beian("explain", "staff-examiner-cont")
    assert wrong.returncode == 2 and "staff-examiner-count" in wrong.stderr


def test_markdown_report_escapes_filing_text(base_copy):
    profile = base_copy / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("  name: 河南青岚技工学校\n", "  name: \"<script>alert(1)</script>|河南青岚技工学校\"\n", 1),
                       encoding="utf-8")
    assert "<script>" in profile.read_text(encoding="utf-8")
    result = run_beian("check", str(base_copy), "--format", "markdown")
    assert "<script>" not in result.stdout
    assert "&#60;script&#62;" in result.stdout


def test_check_does_not_import_heavy_modules():
    code = ("import sys, runpy; sys.argv=['beian','check',%r,'-f','json'];\n"
            "import io, contextlib\n"
            "buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf):\n"
            "    try: runpy.run_module('generator', run_name='__main__')\n"
            "    except SystemExit: pass\n"
            "heavy = [m for m in ('pandas','weasyprint','mkdocs','jieba','jsonschema','cerberus') if m in sys.modules]\n"
            "print(heavy)") % str(BASE)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_help_is_chinese():
    result = run_beian("--help")
    assert "备案" in result.stdout


def test_text_report_points_at_file_and_line(base_copy):
    scope = base_copy / "scope.yaml"
    scope.write_text(scope.read_text(encoding="utf-8").replace("code: 6-18-01-01", "code: 6-18-01-99", 1), encoding="utf-8")
    result = run_beian("check", str(base_copy))
    line = next(l for l in result.stdout.splitlines() if "[scope-occupations]" in l)
    assert "scope.yaml:5:" in line and "扣 1 分" in line


def test_review_template_lists_pending_items_and_becomes_a_valid_reviews_file(base_copy):
    result = run_beian("review-template", str(base_copy))
    assert result.returncode == 0
    assert "criterion: veto-site-safety" in result.stdout and "criterion: scope-methods" in result.stdout
    assert not (base_copy / "reviews.yaml").exists()  # it only prints
    filled = (result.stdout.replace("outcome:     # 通过 或 否决", "outcome: 通过")
              .replace('reason: ""', "reason: 已核对").replace('reviewer: ""', "reviewer: 赵文涛").replace('date: ""', 'date: "2026-04-01"'))
    filled = "\n".join(line.split("      #")[0] if line.strip().startswith("points:") else line for line in filled.splitlines())
    filled = filled.replace("points:", "points: 0")
    (base_copy / "reviews.yaml").write_text(filled, encoding="utf-8")
    code, payload = check_json(base_copy)
    filing = payload["filings"][0]
    assert filing["valid"], [f["message"] for f in filing["findings"] if f["severity"] == "error"]
    assert filing["pending_points"] == 0 and filing["decision"] == "ineligible"
    # Every decision carries the digest of what was judged, so none is stale or unverified.
    assert "inputs: " in result.stdout
    assert not [f for f in filing["findings"] if f["rule"].startswith("review-")], filing["findings"]


def test_docs_writes_one_page_per_rule(tmp_path):
    result = run_beian("docs", "--out", str(tmp_path))
    assert result.returncode == 0
    pages = list(tmp_path.rglob("*.md"))
    assert (tmp_path / "henan-2022" / "scope-occupations.md").exists()
    assert len(pages) >= 69
    assert "自动生成" in (tmp_path / "henan-2022" / "veto-archive.md").read_text(encoding="utf-8")
