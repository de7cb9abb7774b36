"""PDFs for the archive: tagged (PDF/UA-1) with title, author, subject, keywords, dates and language; the
check boxes drawn by the font shipped in the package; a QR code and printed address of exactly the printed
data version on printouts the portal publishes, and none on drafts, without a portal address, or on the
department's own papers (filled forms, cards)."""
from __future__ import annotations

import datetime as dt
import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, run_beian

pytest.importorskip("weasyprint")
pytest.importorskip("segno")
pypdf = pytest.importorskip("pypdf")
if not all(shutil.which(tool) for tool in ("pdfinfo", "pdffonts", "pdftotext", "pdftoppm")):
    pytest.skip("poppler-utils not installed", allow_module_level=True)

from generator.version_link import institution_version_url, sessions_page_url, version_anchor  # noqa: E402

PORTAL = "https://beian.example.org/portal"
SONGYUE = ROOT / "institutions" / "songyue-jishi"
DRAFT = "草稿：未提交的修改，无法在门户核验"
NO_PORTAL = "未配置门户地址"


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=True).stdout.strip()


def last_commit(path: Path) -> tuple[str, str]:
    """(full commit id, ISO date) of the last commit that changed PATH."""
    commit, date = git("log", "-1", "--format=%H %cI", "--", str(path)).split()
    return commit, date


def pdfinfo(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(pdf)], capture_output=True, text=True, check=True).stdout


def info_fields(pdf: Path) -> dict[str, str]:
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in pdfinfo(pdf, "-isodates").splitlines()) if value}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: Path) -> list[list[str]]:
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in lines[2:]]


def qr_codes(pdf: Path, tmp: Path, page: int = 1) -> list[str]:
    """The QR codes zbarimg reads on one page rendered at 200 dpi."""
    if not shutil.which("zbarimg"):
        pytest.skip("zbar-tools (zbarimg) not installed")
    prefix = tmp / f"{pdf.stem}-p{page}"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
                   check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(prefix) + ".png"], capture_output=True, text=True)
    return found.stdout.split()


def iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """songyue-jishi's bundle and session plans, with a portal address configured."""
    out = tmp_path_factory.mktemp("printed")
    result = run_beian("bundle", "songyue-jishi", "--out", str(out), env={"BEIAN_PORTAL_URL": PORTAL})
    assert result.returncode == 0, result.stderr
    assert NO_PORTAL not in result.stderr
    return out


def test_version_link_is_the_institution_page_at_the_commit_anchor():
    commit = "633c58f544190d69cb5d9564eff9cb7ea680ccc5"
    assert version_anchor(commit) == "v-633c58f54419"
    assert institution_version_url(PORTAL, "songyue-jishi", commit) == f"{PORTAL}/institutions/songyue-jishi/#v-633c58f54419"
    assert institution_version_url(PORTAL + "/", "x", commit) == f"{PORTAL}/institutions/x/#v-633c58f54419"
    assert sessions_page_url(PORTAL, "x", "plan-sy2026-12") == f"{PORTAL}/sessions/x/#plan-sy2026-12"
    with pytest.raises(ValueError):
        version_anchor("未提交")


def test_bundle_is_tagged_with_its_properties_and_dates_from_the_data_commit(printed):
    pdf = printed / "songyue-jishi.pdf"
    fields = info_fields(pdf)
    commit, committed = last_commit(SONGYUE)
    assert fields["Tagged"] == "yes"
    assert fields["Title"] == "河南嵩岳技师学院 备案材料"
    assert fields["Author"] == "河南嵩岳技师学院"
    assert fields["Subject"] == "河南嵩岳技师学院：河南省院校类职业技能等级认定机构备案申请材料"
    assert "songyue-jishi" in fields["Keywords"] and commit[:12] in fields["Keywords"]
    assert iso(fields["CreationDate"]) == iso(committed) == iso(fields["ModDate"])
    assert 'pdfuaid:part="1"' in pdfinfo(pdf, "-meta")
    catalog = pypdf.PdfReader(str(pdf)).trailer["/Root"]
    assert catalog["/Lang"] == "zh-CN" and "/StructTreeRoot" in catalog


def test_check_boxes_come_from_the_bundled_font(printed):
    pdf = printed / "songyue-jishi.pdf"
    fonts = {row[0].split("+", 1)[-1]: row for row in pdf_fonts(pdf)}
    assert "Beian-Box-Symbols" in fonts, fonts
    assert fonts["Beian-Box-Symbols"][-5] == "yes"  # emb
    assert not any("DejaVu" in name for name in fonts)
    text = pdf_text(pdf)
    assert "☑ 机构设置备案申请" in text and "☐ 评价职业(工种)增量备案申请" in text


def test_bundle_cover_carries_the_qr_and_address_of_exactly_this_version(printed, tmp_path):
    pdf = printed / "songyue-jishi.pdf"
    commit, _ = last_commit(SONGYUE)
    expected = f"{PORTAL}/institutions/songyue-jishi/#v-{commit[:12]}"
    assert qr_codes(pdf, tmp_path) == [expected]
    cover = pdf_text(pdf).split("\f")[0]
    assert expected in cover and f"数据版本 {commit[:12]}" in cover


def test_session_plan_points_to_its_section_on_the_sessions_page(printed, tmp_path):
    pdf = printed / "songyue-jishi-SY2026-12-认定实施计划.pdf"
    commit, _ = last_commit(SONGYUE)
    expected = f"{PORTAL}/sessions/songyue-jishi/#plan-sy2026-12"
    assert qr_codes(pdf, tmp_path) == [expected]
    assert expected in pdf_text(pdf) and f"数据版本 {commit[:12]}" in pdf_text(pdf)
    fields = info_fields(pdf)
    assert fields["Tagged"] == "yes" and fields["Author"] == "河南嵩岳技师学院"
    assert fields["Title"] == "河南嵩岳技师学院 职业技能等级认定实施计划 SY2026-12"


def _render_bundle(folder: Path, out: Path, monkeypatch, portal: str | None) -> Path:
    from generator import paths
    from generator.bundle.bundle_pdf import render_bundle

    monkeypatch.setenv("BEIAN_TODAY", TODAY)
    if portal:
        monkeypatch.setenv("BEIAN_PORTAL_URL", portal)
    else:
        monkeypatch.delenv("BEIAN_PORTAL_URL", raising=False)
        monkeypatch.setattr(paths, "site_dir", lambda: out)   # a site/ without mkdocs.yml: no site_url
    return Path(render_bundle(folder, out)["path"])


def test_reprinting_the_same_version_gives_the_same_file(printed, tmp_path, monkeypatch):
    again = _render_bundle(SONGYUE, tmp_path, monkeypatch, PORTAL)
    assert filecmp.cmp(printed / "songyue-jishi.pdf", again, shallow=False)


def test_no_qr_without_a_portal_address(tmp_path, monkeypatch):
    pdf = _render_bundle(SONGYUE, tmp_path, monkeypatch, None)
    cover = pdf_text(pdf).split("\f")[0]
    assert NO_PORTAL in cover and "http" not in cover
    assert qr_codes(pdf, tmp_path) == []


def test_no_qr_for_uncommitted_changes(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    folder = repo / "songyue-jishi"
    shutil.copytree(SONGYUE, folder)
    git("init", "-q", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "copy", cwd=repo)
    committed = _render_bundle(folder, tmp_path / "clean", monkeypatch, PORTAL)
    commit = git("rev-parse", "HEAD", cwd=repo)
    assert qr_codes(committed, tmp_path) == [f"{PORTAL}/institutions/songyue-jishi/#v-{commit[:12]}"]

    profile = folder / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# 修改\n", encoding="utf-8")
    pdf = _render_bundle(folder, tmp_path / "dirty", monkeypatch, PORTAL)
    cover = pdf_text(pdf).split("\f")[0]
    assert DRAFT in cover and f"数据版本 {commit[:12]}+未提交修改" in cover and "http" not in cover
    assert qr_codes(pdf, tmp_path) == []


def test_data_outside_git_history_has_no_qr(tmp_path, monkeypatch):
    folder = tmp_path / "songyue-jishi"
    shutil.copytree(SONGYUE, folder)
    pdf = _render_bundle(folder, tmp_path / "out", monkeypatch, PORTAL)
    cover = pdf_text(pdf).split("\f")[0]
    assert "数据尚未提交，无法在门户核验" in cover and "http" not in cover
    assert qr_codes(pdf, tmp_path) == []


def test_department_papers_show_their_version_but_no_public_address(tmp_path):
    """A filled record and the supervisor cards name people: never a QR code or a portal address."""
    record = SONGYUE / "sessions" / "SY2026-06" / "supervision" / "guangdong-a3-豫督外2024002.yaml"
    env = {"BEIAN_PORTAL_URL": PORTAL}
    result = run_beian("forms", "--record", str(record), "-o", str(tmp_path / "forms"), env=env)
    assert result.returncode == 0, result.stderr
    filled = tmp_path / "forms" / "songyue-jishi" / "SY2026-06" / "guangdong-a3-豫督外2024002.pdf"
    text = pdf_text(filled)
    assert f"记录版本 {last_commit(record)[0][:12]}" in text and "http" not in text
    assert qr_codes(filled, tmp_path) == []
    fields = info_fields(filled)
    assert fields["Tagged"] == "yes" and fields["Author"] == "广东省"
    assert "督导记录" in fields["Subject"] and "CreationDate" in fields

    result = run_beian("cards", "--jurisdiction", "henan", "--out", str(tmp_path / "cards"), env=env)
    assert result.returncode == 0, result.stderr
    cards = tmp_path / "cards" / "henan-质量督导员证卡.pdf"
    text = pdf_text(cards)
    assert f"名册版本 {last_commit(ROOT / 'department' / 'henan')[0][:12]}" in text and "http" not in text
    assert qr_codes(cards, tmp_path, page=2) == []
    fields = info_fields(cards)
    assert fields["Author"] == "河南省职业技能鉴定指导中心" and fields["Tagged"] == "yes"


def test_blank_form_names_its_issuer_and_uses_the_bundled_boxes(tmp_path):
    result = run_beian("forms", "--form", "beijing-a3-onsite", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "beijing-a3-onsite.pdf"
    fields = info_fields(pdf)
    assert fields["Author"] == "北京市职业技能鉴定管理中心" and fields["Tagged"] == "yes"
    assert fields["Subject"].endswith("（空白表）")
    assert any(row[0].endswith("+Beian-Box-Symbols") and row[-5] == "yes" for row in pdf_fonts(pdf))
    assert "☐" in pdf_text(pdf) and "表式版本" in pdf_text(pdf)
