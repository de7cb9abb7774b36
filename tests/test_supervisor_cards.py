"""`beian cards`: 质量督导员证卡 of the sample Henan register, 80 × 110 mm pages (seed 002 附件2 制作说明),
front then back of every card of a supervisor in service and in term."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, TODAY, run_beian

os.environ.setdefault("BEIAN_TODAY", TODAY)
pypdf = pytest.importorskip("pypdf")

from generator.department.card_print import validity  # noqa: E402

FILE = "henan-质量督导员证卡.pdf"
WIDTH, HEIGHT = 80 / 25.4 * 72, 110 / 25.4 * 72  # 226.77 × 311.81 points


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path_factory.mktemp("cards")
    result = run_beian("cards", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return {"path": out / FILE, "stdout": result.stdout}


def test_two_pages_of_80_by_110_mm_per_card(cards):
    reader = pypdf.PdfReader(str(cards["path"]))
    assert len(reader.pages) == 2 * 11  # 12 in the register, 孙丽 disqualified
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(WIDTH, abs=0.05) and float(box.height) == pytest.approx(HEIGHT, abs=0.05)


def test_front_then_back_with_the_card_fields(cards):
    reader = pypdf.PdfReader(str(cards["path"]))
    front, back = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    for words in ("技能人才评价", "质量督导员（外督员）", "免冠 1 寸照片", "任国栋", "豫督外2024001", "2024.03-2027.02",
                  "河南省职业技能鉴定指导", "（机构公章）"):
        assert words in front, words
    assert "质量督导员证卡" in back and "河南省职业技能鉴定指导中心 印制" in back and "任国栋" not in back
    text = _text(cards["path"])
    for name, number in (("程晓燕", "豫督外2024002"), ("韩东", "豫督外2026001"), ("刘振华", "豫督外2024004")):
        assert name in text and number in text
    assert "孙丽" not in text and "豫督外2024005" not in text
    assert "孙丽（豫督外2024005）：资格状态为“取消资格”" in cards["stdout"]


def test_one_card_again(tmp_path):
    result = run_beian("cards", "--jurisdiction", "henan", "--card", "豫督外2025003", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(str(tmp_path / FILE))
    assert len(reader.pages) == 2 and "张明杰" in reader.pages[0].extract_text()


def test_unknown_jurisdiction_and_card_are_told(tmp_path):
    result = run_beian("cards", "--jurisdiction", "nowhere", "--out", str(tmp_path))
    assert result.returncode == 2 and "nowhere" in result.stderr and "henan" in result.stderr
    result = run_beian("cards", "--card", "豫督外2024005", "--out", str(tmp_path))
    assert result.returncode == 1 and "不是名册中在聘且在聘期内" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_validity_is_written_as_on_the_sample_card():
    assert validity(dt.date(2022, 6, 1), dt.date(2025, 6, 30)) == "2022.06-2025.06"
    assert ROOT.joinpath("department", "henan", "supervisors.yaml").is_file()
