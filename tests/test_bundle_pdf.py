"""Printable bundles and receipts: key strings in the PDF text, an embedded CJK font, escaping, errors."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, run_beian

pytest.importorskip("weasyprint")
pytest.importorskip("jinja2")
if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
    pytest.skip("poppler-utils (pdftotext, pdffonts) not installed", allow_module_level=True)

INSTITUTIONS = ROOT / "institutions"


def pdf_text(path: Path, layout: bool = False) -> str:
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    """Text without whitespace: table cells wrap long values over several lines."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def songyue_bundle(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("bundles")
    result = run_beian("bundle", "songyue-jishi", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "[1/1] songyue-jishi" in result.stdout and "页" in result.stdout
    return out / "songyue-jishi.pdf", result.stdout


def test_bundle_has_every_section_and_key_strings(songyue_bundle):
    pdf, _ = songyue_bundle
    text = flat(pdf_text(pdf))
    for expected in [
        "备案申请函", "豫嵩技院〔2025〕21号", "洛阳市人力资源和社会保障局",  # letter, 技工院校 variant
        "人社职司便函〔2019〕52号",
        "河南省院校类职业技能等级认定机构备案申请表", "12410300MB0D71953W", "410311********751X",
        "考评人员队伍", "内部质量监督人员队伍", "设施设备情况", "CAK6150", "专家组评估意见",
        "认定工作方案", "职业技能等级认定工作领导小组", "首批认定计划",
        "文件、规章制度清单", "豫嵩技院〔2024〕103号",
        "院校类职业技能等级评价机构备案技术评估评分表", "已备案 · 97 分", "专家已评",
        "评价机构信息与认定范围清单", "Y000041039012", "数控车床", "4、3、2、1",
        "Y000041039012253000001", "洛阳市", "三级/高级工", "证书序列码",
    ]:
        assert flat(expected) in text, expected
    assert "基础得分93" in text and "97" in text


def test_incremental_bundle_holds_the_incremental_materials_and_its_conditions(tmp_path):
    """增量备案: no 申请函, 工作方案 or 证书样式 (seed 004 六、申请材料); the conditions and the earlier score, no points."""
    result = run_beian("bundle", "funiu-keji", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    pages = pdf_text(tmp_path / "funiu-keji.pdf").split("\f")
    cover, contents, text = flat(pages[0]), flat(pages[1]), flat("".join(pages))
    # the cover's table cells wrap: read the pieces
    assert "审核结论" in cover and "自评增量备案审核：具备条件·待审核（按审核条件核对" in cover and "按百分制评分）" in cover
    assert "原有备案（初次备案）评估得分91分（2024-05-22）" in cover
    assert "96" not in cover and "评估得分" not in cover.replace("原有备案（初次备案）评估得分", "")
    assert "一、河南省院校类职业技能等级认定机构备案申请表" in contents
    assert "三、院校类职业技能等级认定机构增量备案审核条件" in contents
    entries = contents.split("（增量备案按", 1)[0]
    for absent in ("备案申请函", "工作方案", "证书样式"):
        assert absent not in entries, absent
    assert "不提交备案申请函、工作方案和评审专家意见" in contents
    assert "院校类职业技能等级认定机构增量备案审核条件规则集henan-2022-incremental" in text
    assert "每一条件“符合”或“不符合”，不计分" in text and "（隆志远（专家），2026-11-12）" in text
    assert "合格线" not in text and "总得分" not in text and "宛伏科院〔2026〕118号" not in text


def test_bundle_pages_carry_header_number_date_and_commit(songyue_bundle):
    pdf, _ = songyue_bundle
    pages = pdf_text(pdf, layout=True).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 20
    commit = subprocess.run(["git", "-C", str(INSTITUTIONS / "songyue-jishi"), "log", "-1", "--format=%h", "--", "."],
                            capture_output=True, text=True).stdout.strip()
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
        assert f"生成日期 {TODAY}" in page
        if commit:
            assert commit in page
        if number > 2:  # the cover and contents carry no running header
            assert "河南嵩岳技师学院" in page.splitlines()[0] or "河南嵩岳技师学院" in "".join(page.splitlines()[:3])


def test_bundle_embeds_a_cjk_font(songyue_bundle):
    pdf, _ = songyue_bundle
    fonts = pdf_fonts(pdf)
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)  # embedded


def test_filing_strings_are_escaped_and_outside_files_refused(tmp_path):
    from generator.bundle.bundle_pdf import render_bundle

    school = tmp_path / "songyue-copy"
    shutil.copytree(INSTITUTIONS / "songyue-jishi", school)
    secret = tmp_path / "outside.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    (school / "evidence" / "cert.png").symlink_to(secret)

    def inject(data):
        data["advantages"]["organisation"] = '<b>加粗</b><img src="file:///etc/passwd"> & {{ 7*7 }}'
    edit_yaml(school / "profile.yaml", inject)
    edit_yaml(school / "certificate.yaml", lambda d: d.update(sample="evidence/cert.png"))
    result = render_bundle(school, tmp_path / "out")
    text = pdf_text(Path(result["path"]))
    assert flat('<b>加粗</b><img src="file:///etc/passwd"> & {{ 7*7 }}') in flat(text)
    assert any("cert.png" in message for message in result["refused"]), result["refused"]


def test_missing_font_is_a_clear_error_not_boxes(tmp_path):
    result = run_beian("bundle", "songyue-jishi", "--out", str(tmp_path), env={"BEIAN_BUNDLE_FONT": "No Such Font XYZ"})
    assert result.returncode == 2
    assert "找不到中文字体" in result.stderr and "fonts-noto-cjk" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


def test_receipt_for_a_filed_institution(tmp_path):
    result = run_beian("receipt", "songyue-jishi", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "songyue-jishi-备案回执.pdf")
    for expected in ["关于同意河南嵩岳技师学院职业技能等级认定中心备案的函", "豫人社函〔2025〕163号",
                     "机构备案号为 Y000041039012", "有效期 3 年", "2025年6月16日", "2028年6月15日",
                     "技工院校职业技能等级认定机构备案条件", "评价机构信息与认定范围清单", "智能制造系统运维员"]:
        assert flat(expected) in flat(text), expected


def test_receipt_refused_unless_filed():
    result = run_beian("receipt", "funiu-keji", "--out", "/nonexistent-never-written")
    assert result.returncode == 1
    assert "只有“已备案”的机构才能生成备案回执" in result.stderr


def test_incremental_receipt(tmp_path):
    from generator.bundle.render import render_receipt

    school = tmp_path / "funiu-keji"
    shutil.copytree(INSTITUTIONS / "funiu-keji", school)

    def filed(data):
        data["status"].update(state="已备案", valid_from="2026-11-20", valid_until="2029-11-19",
                              receipt_number="教职成函〔2026〕88号")
    edit_yaml(school / "profile.yaml", filed)
    result = render_receipt(school, tmp_path / "out")
    assert result["kind"] == "增量备案回执"
    assert result["valid_until"] == "2029-11-19"
    text = flat(pdf_text(Path(result["path"])))
    assert "关于同意南阳伏牛山科技学院职业技能等级认定中心增量备案的函" in text
    assert flat("增加“网络与信息安全管理员”等 2 个评价职业（工种）") in text
    assert "教职成〔2021〕504号" in text  # 教育系统院校 variant for a 本科院校
    assert "Y000041139005" in text


def test_three_year_validity_end():
    import datetime as dt

    from generator.bundle.data import add_years

    assert add_years(dt.date(2026, 11, 20), 3) == dt.date(2029, 11, 19)
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 27)


def test_application_form_ticks_the_filing_category_named_in_the_category_data():
    """The 申请表's 备案申请类别 boxes come from rules/filing-categories.yaml (form_label), one ticked."""
    from generator.bundle.data import build_context
    from generator.bundle.render import bundle_html

    incremental = bundle_html(build_context(ROOT / "institutions" / "funiu-keji"), public=True)
    initial = bundle_html(build_context(ROOT / "institutions" / "songyue-jishi"), public=True)
    assert "☐ 机构设置备案申请　☑ 评价职业(工种)增量备案申请" in incremental
    assert "☑ 机构设置备案申请　☐ 评价职业(工种)增量备案申请" in initial
