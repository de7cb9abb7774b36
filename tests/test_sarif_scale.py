"""SARIF for GitHub code scanning at national scale, and alerts that follow their problem when lines move.

GitHub code scanning accepts at most 25,000 results per run, keeps only the top 5,000, and takes an upload of
at most 10 MB gzip-compressed. 20,000 institutions are made from the samples' own check records (checking
20,000 filings would take too long for a test; the renderer sees the same records either way).
"""
from __future__ import annotations

import copy
import gzip
import json
import random
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, check_json, run_beian

NATIONAL = 20_000
GITHUB_MAX_RESULTS = 25_000
GITHUB_MAX_GZIP_BYTES = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def samples() -> list[dict]:
    _, report = check_json(ROOT / "institutions")
    return report["filings"]


def renamed(record: dict, number: int) -> dict:
    """A copy of a sample's check record as if it were institution NUMBER: every path and name its own."""
    old = record["institution"]
    new = f"{old}-{number:05d}"
    text = json.dumps(record, ensure_ascii=False).replace(f"institutions/{old}/", f"institutions/{new}/")
    text = text.replace(f'"institutions/{old}"', f'"institutions/{new}"').replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


@pytest.fixture(scope="module")
def national(samples) -> list[dict]:
    return [renamed(samples[i % len(samples)], i) for i in range(NATIONAL)]


def test_twenty_thousand_institutions_stay_within_githubs_limits(national):
    from generator.formats.sarif import MAX_RESULTS, sarif_log

    log = sarif_log(national)
    run = log["runs"][0]
    results, summary = run["results"], run["properties"]["summary"]
    assert summary["needs_action"] > GITHUB_MAX_RESULTS  # the cap is what keeps it under the limit
    assert len(results) == MAX_RESULTS <= GITHUB_MAX_RESULTS
    assert summary["over_limit"] == summary["needs_action"] - MAX_RESULTS
    assert len(gzip.compress(json.dumps(log, ensure_ascii=False).encode("utf-8"))) <= GITHUB_MAX_GZIP_BYTES
    # every institution is still in the run's summary, each result has its own fingerprint
    assert len(run["properties"]["filings"]) == NATIONAL
    prints = [r["partialFingerprints"]["beianFinding/v1"] for r in results]
    assert len(set(prints)) == len(prints)
    # the cap is said, and it keeps the most serious: every veto and invalid file before any warning
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("超过 GitHub 代码扫描的展示上限" in n["message"]["text"] and str(summary["over_limit"]) in n["message"]["text"]
               for n in notes)
    errors = sum(1 for r in national for f in r["findings"] if f["severity"] == "error")
    assert 0 < errors < MAX_RESULTS
    assert [r["level"] for r in results[:errors]] == ["error"] * errors
    assert {r["level"] for r in results[errors:]} == {"warning"}


def test_the_cap_does_not_depend_on_the_order_of_the_records(samples):
    from generator.formats.sarif import sarif_log

    records = [renamed(samples[i % len(samples)], i) for i in range(300)]
    shuffled = copy.deepcopy(records)
    random.Random(14).shuffle(shuffled)
    first, second = sarif_log(records, limit=50)["runs"][0], sarif_log(shuffled, limit=50)["runs"][0]
    kept = lambda run: [(r["ruleId"], r["partialFingerprints"], r["locations"]) for r in run["results"]]  # noqa: E731
    assert len(first["results"]) == 50 and kept(first) == kept(second)
    assert first["properties"]["summary"]["over_limit"] > 0


def test_a_capped_log_still_validates_against_the_sarif_schema(samples):
    from test_pr_formats import sarif_validator

    from generator.formats.sarif import sarif_log

    log = sarif_log([renamed(samples[i % len(samples)], i) for i in range(40)], limit=20)
    errors = sorted(sarif_validator().iter_errors(log), key=str)
    assert not errors, errors[0]


def test_informational_findings_are_counted_not_listed(samples):
    from generator.formats.sarif import sarif_log

    run = sarif_log(samples)["runs"][0]
    listed = {(r["properties"]["institution"], r["ruleId"]) for r in run["results"]}
    # a filing that passes (zhongyuan-gaozhi, 68 points) loses points but needs nobody's action to pass
    assert not any(slug == "zhongyuan-gaozhi" for slug, _ in listed)
    assert ("huanghe-zhongzhi", "veto-archive") in listed
    counted = run["properties"]["summary"]["not_listed_by_rule"]
    assert counted["scope-occupations"] >= 1 and "veto-archive" not in counted
    # an open commitment stays in the filing's summary
    tongbai = next(f for f in run["properties"]["filings"] if f["institution"] == "tongbai-jigong")
    assert any("2027-03-31 前完成" in c for c in tongbai["commitments"])


def _veto(folder: Path) -> dict:
    result = run_beian("check", str(folder), "--format", "sarif")
    assert result.returncode == 1, result.stderr
    return next(r for r in json.loads(result.stdout)["runs"][0]["results"] if r["ruleId"] == "veto-archive")


def test_a_finding_keeps_its_fingerprint_when_its_line_moves(tmp_path):
    folder = tmp_path / "huanghe-zhongzhi"
    shutil.copytree(ROOT / "institutions" / "huanghe-zhongzhi", folder)
    sites = folder / "sites.yaml"
    before = _veto(folder)
    sites.write_text("# 场地说明（补充）\n# 第二行注释\n" + sites.read_text(encoding="utf-8"), encoding="utf-8")
    moved = _veto(folder)
    line = lambda r: r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
    assert line(moved) == line(before) + 2
    assert moved["partialFingerprints"] == before["partialFingerprints"]
    # a different problem (2 years instead of 3) is a different alert
    sites.write_text(sites.read_text(encoding="utf-8").replace("electronic_years: 3", "electronic_years: 2"),
                     encoding="utf-8")
    assert _veto(folder)["partialFingerprints"] != before["partialFingerprints"]
