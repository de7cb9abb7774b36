"""The printable 认定实施计划 of a session: A4, CJK font, the plan's facts in the text, filing strings
escaped, and `beian bundle` writing one per session beside the institution's bundle."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BASE, FIXTURES, ROOT, TODAY, run_beian

pytest.importorskip("weasyprint")
pytest.importorskip("jinja2")
if not (shutil.which("pdftotext") and shutil.which("pdffonts") and shutil.which("pdfinfo")):
    pytest.skip("poppler-utils (pdftotext, pdffonts, pdfinfo) not installed", allow_module_level=True)


def _text(pdf: Path) -> str:
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)


def _page_sizes(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.findall(r"Page\s+\d+\s+size:\s+([\d.]+ x [\d.]+ pts)", info)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("BEIAN_TODAY", TODAY)


def _plans(folder: Path, out: Path, only=None) -> list[dict]:
    from generator.bundle.data import build_context
    from generator.bundle.plan import render_plans

    return render_plans(build_context(folder), out, only=only)


def test_plan_pdf_of_a_sample_session(tmp_path, today):
    (done,) = _plans(ROOT / "institutions" / "songyue-jishi", tmp_path, only=["SY2026-12"])
    pdf = Path(done["path"])
    assert pdf.name == "songyue-jishi-SY2026-12-认定实施计划.pdf" and pdf.parent == tmp_path
    sizes = _page_sizes(pdf)
    assert len(sizes) >= 1 and done["pages"] == len(sizes)
    assert all(size == "595.276 x 841.89 pts" for size in sizes)  # A4
    text = _text(pdf)
    for expected in ["职业技能等级认定实施计划", "评价计划编号：SY2026-12", "嵩岳", "考试考核", "2026年12月12日至13日",
                     "车工", "数控车床", "6-31-01-03", "三级/高级工", "二级/技师", "合计", "50人",
                     "本部考点", "机房301", "30个座位", "机械实训中心1号车间", "08:30–10:00",
                     "邹丽萍", "夏永健", "段晓东", "贾明远", "毛建新", "江海涛", "任教班级学生",
                     "报送日期：2026年11月20日", "认定机构（盖章）", "鉴定指导中心受理意见"]:
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts


def test_plan_strings_are_escaped_and_an_unreadable_plan_is_reported(tmp_path, today):
    folder = tmp_path / "institutions" / "qinglan"
    shutil.copytree(BASE, folder)
    session = folder / "sessions" / "T2026-12"
    shutil.copytree(FIXTURES / "base-session", session)
    plan = session / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "title: 2026年12月车工（中级工）职业技能等级认定",
        'title: "<b>粗体</b> & <img src=\'file:///etc/passwd\'> 认定"'), encoding="utf-8")
    (folder / "sessions" / "T2027-01").mkdir()
    (folder / "sessions" / "T2027-01" / "roster.yaml").write_text("candidates: []\n", encoding="utf-8")
    out = tmp_path / "out"
    done = {d["plan"]: d for d in _plans(folder, out)}
    assert "plan.yaml" in done["T2027-01"]["error"] and "path" not in done["T2027-01"]
    printed = done["T2026-12"]
    assert printed["refused"] == []
    text = _text(Path(printed["path"]))
    assert "<b>粗体</b>&<imgsrc='file:///etc/passwd'>认定" in text
    assert "T2026-12" in text and "车工" in text and "四级/中级工" in text
    # the base institution is not 已备案 yet: the plan says it fails the session-scope condition
    assert "检查结果" in text and "不宜报送" not in text


def test_bundle_command_writes_a_plan_per_session(tmp_path):
    folder = tmp_path / "institutions" / "qinglan"
    shutil.copytree(BASE, folder)
    shutil.copytree(FIXTURES / "base-session", folder / "sessions" / "T2026-12")
    out = tmp_path / "out"
    result = run_beian("bundle", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "认定实施计划 T2026-12" in result.stdout and "认定实施计划 1 份" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["qinglan-T2026-12-认定实施计划.pdf", "qinglan.pdf"]
    assert "T2026-12" in _text(out / "qinglan-T2026-12-认定实施计划.pdf")
