"""A self-built exam system still docking passes the veto on a dated, signed commitment (手册第三部分（七）).

The commitment is what a reviewer and the public must see: in every report format, on the
institution's portal page and in the PDF bundle; once its due date has passed it vetoes.
The sample 驻马店桐柏山技工学校 (tongbai-jigong) files such a commitment, due 2027-03-31.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, TODAY

os.environ.setdefault("BEIAN_TODAY", TODAY)

from generator import formats  # noqa: E402
from generator.engine import evaluate_path  # noqa: E402
from generator.portal import pages  # noqa: E402
from generator.portal.model import collect  # noqa: E402
from generator.report import filing_record  # noqa: E402

TONGBAI = ROOT / "institutions" / "tongbai-jigong"
CONTENT = "学校认定中心网站考务模块现正与河南省技能人才评价管理服务平台对接"
EVIL = "<img src=x onerror=alert(1)> [点我](javascript:alert(2)) **粗体**"


def _overdue_copy(parent: Path, content: str | None = None) -> Path:
    """The sample with its commitment due before the evaluation date (2026-11-23)."""
    folder = parent / "tongbai-overdue"
    shutil.copytree(TONGBAI, folder)
    scheme = folder / "scheme.yaml"
    text = scheme.read_text(encoding="utf-8")
    assert 'due: "2027-03-31"' in text
    text = text.replace('due: "2027-03-31"', 'due: "2026-06-30"')
    if content is not None:
        text = re.sub(r"content: .*", lambda _: f"content: {json.dumps(content, ensure_ascii=False)}", text, count=1)
        assert "onerror" in text
    scheme.write_text(text, encoding="utf-8")
    return folder


def _record(folder: Path) -> dict:
    return filing_record(evaluate_path(folder, ROOT, today=dt.date.fromisoformat(TODAY)))


def _render(name: str, record: dict, verbose: bool = False) -> str:
    out = io.StringIO()
    formats.get(name)([record], out, verbose=verbose)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample() -> dict:
    return _record(TONGBAI)


def test_sample_commitment_passes_the_veto_as_a_notice(sample):
    exam = next(c for c in sample["criteria"] if c["id"] == "veto-exam-system")
    assert exam["status"] == "met" and "veto-exam-system" not in [v["rule"] for v in sample["vetoes"]]
    notices = [f for f in sample["findings"] if f["rule"] == "veto-exam-system"]
    assert [f["severity"] for f in notices] == ["notice"]
    assert notices[0]["file"].endswith("tongbai-jigong/scheme.yaml") and notices[0]["line"]
    for words in ("承诺事项", CONTENT, "2027-03-31 前完成", "承诺人：校长（法定代表人）柴永安", "对接完成前不得开展认定"):
        assert words in notices[0]["message"], words


@pytest.mark.parametrize("name, verbose", [("json", False), ("markdown", False), ("sarif", False),
                                           ("github", False), ("text", True)])
def test_every_report_format_shows_the_commitment(sample, name, verbose):
    assert "2027-03-31 前完成" in _render(name, sample, verbose)


def test_overdue_commitment_vetoes_and_says_since_when(tmp_path):
    record = _record(_overdue_copy(tmp_path))
    assert record["decision"] == "ineligible"
    assert [v["rule"] for v in record["vetoes"]] == ["veto-exam-system"]
    message = record["vetoes"][0]["message"]
    assert "对接承诺已逾期" in message and "承诺 2026-06-30 前" in message and "自 2026-07-01 起逾期" in message
    errors = [f for f in record["findings"] if f["rule"] == "veto-exam-system"]
    assert [f["severity"] for f in errors] == ["error"] and errors[0]["file"].endswith("scheme.yaml")


def test_portal_page_shows_the_commitment_without_the_signers_name():
    entry = collect([TONGBAI], jobs=1)[0]
    text = pages.institution_page(entry, set(), set())
    section = text.partition("### 承诺事项")[2].partition("\n#")[0]
    assert CONTENT in section and "期限 2027-03-31" in section and "承诺人：校长（法定代表人）" in section
    assert "对接完成前不开展认定" in section and "已逾期" not in section
    assert "柴永安" not in section  # the portal names no one: the position only


def test_portal_page_marks_an_overdue_commitment_and_escapes_it(tmp_path):
    entry = collect([_overdue_copy(tmp_path, EVIL)], jobs=1)[0]
    text = pages.institution_page(entry, set(), set())
    section = text.partition("### 承诺事项")[2].partition("\n#")[0]
    assert "**已逾期**：期限 2026-06-30 已过" in section
    assert "<img src=x" not in text and "](javascript" not in text and "**粗体**" not in text
    assert "承诺：&#60;img src&#61;x" in section
    assert "### 否决项" in text


def test_pdf_bundle_prints_the_commitment_in_the_form_and_the_scheme(tmp_path):
    from generator.bundle.data import build_context
    from generator.bundle.render import bundle_html

    html = bundle_html(build_context(TONGBAI), public=True)
    # 申请表“信息化建设情况”, 工作方案（五）, and the remark of the score sheet's veto row
    assert html.count(CONTENT) >= 3
    assert html.count("尚未与河南省技能人才评价管理服务平台对接。承诺：") == 2 and "2027年3月31日前完成" in html
    overdue = bundle_html(build_context(_overdue_copy(tmp_path, EVIL)), public=True)
    assert "承诺已逾期（期限 2026年6月30日）" in overdue
    assert "<img src=x" not in overdue and "&lt;img src=x" in overdue


def test_plain_text_report_shows_the_commitment_without_verbose():
    """Staff running `beian check` see the promise and its date at once, not only behind -v."""
    from conftest import run_beian

    output = run_beian("check", str(TONGBAI)).stdout
    line = next(line for line in output.splitlines() if line.strip().startswith("承诺事项："))
    assert CONTENT in line and "期限 2027-03-31" in line and "对接完成前不开展认定" in line
    assert "已逾期" not in line


def test_json_lists_the_commitment_and_marks_it_overdue_after_its_date(tmp_path: Path):
    from conftest import run_beian

    late = run_beian("check", str(_overdue_copy(tmp_path)), "-f", "json").stdout
    [record] = json.loads(late)["filings"]
    [commitment] = record["commitments"]
    assert commitment["overdue"] is True and commitment["subject"] == "考务管理系统"
    output = run_beian("check", str(tmp_path / "tongbai-overdue")).stdout
    assert re.search(r"承诺事项：.*已逾期（期限 \d{4}-\d{2}-\d{2}）", output), output
