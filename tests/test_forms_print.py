"""`beian forms`: the seven published supervision forms printed blank on A4 as their data gives them, and
filled records printed as the completed form (☑ on the chosen option, “未作答” where nothing was chosen),
department-only, with every record value escaped and a broken record told in Chinese."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import ROOT, run_beian

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

from generator.bundle.fonts import FontMissing, require_fonts, require_symbol_font  # noqa: E402
from generator.forms.filled import RecordError, read_record  # noqa: E402
from generator.forms.model import all_forms, get_form  # noqa: E402
from generator.forms.printing import filled_target, form_html  # noqa: E402

A4 = (595.28, 841.89)

try:
    require_fonts()
    require_symbol_font()
except FontMissing as missing:
    pytest.skip(f"fonts for printing are not installed: {missing}", allow_module_level=True)

EXTERNAL_CARD = "豫督外2024001"   # 任国栋 of 郑州市职业技能鉴定中心 in department/henan/supervisors.yaml
INTERNAL_CARD = "演示内督001"

RECORDS = {
    f"guangdong-a4-{EXTERNAL_CARD}.yaml": f"""\
form: guangdong-a4
card: {EXTERNAL_CARD}
role: 外督
plan_number: DEMO-01
date: "2026-06-14"
answers:
  "1": 一致
  "2": 部分一致
  "11-2": 混乱
remarks:
  "2": "考评员名单中 1 人临时替换 <script>alert(1)</script>"
opinions: {{problems: 见序号说明, overall: 基本规范}}
signed: "2026-06-16"
""",
    f"nanchang-onsite-{INTERNAL_CARD}.yaml": f"""\
form: nanchang-onsite
card: {INTERNAL_CARD}
role: 内督
plan_number: DEMO-01
date: "2026-06-14"
header: {{occupation: 车工, venue: 本部考点, level: 四级, candidates: 34}}
answers:
  theory-room: 25-30人标准考场
  door-labels: 机考
  equipment: 不足但运行良好
  meeting: 召开
outcomes: {{rooms: rectified}}
signed: "2026-06-15"
""",
}
BROKEN = {
    "guangdong-a3-broken.yaml": "form: guangdong-a3\ncard: X1234\nplan_number: DEMO-01\ndate: \"2026-06-14\"\nanswers: [1, 2]\n",
    "shanghai-z9-X1234.yaml": "form: shanghai-z9\ncard: X1234\nplan_number: DEMO-01\ndate: \"2026-06-14\"\n",
    "listed-form.yaml": "form: [guangdong-a4]\ncard: X1234\n",
    "wrong-types.yaml": "form: guangdong-a4\ncard: X1234\nplan_number: DEMO-01\ndate: \"2026-06-14\"\n"
                        "answers: {\"1\": 5}\nheader: [1]\n",
}


def _institution(tmp_path: Path, records: dict[str, str]) -> Path:
    """A minimal project tree: one institution, one session, its supervision records."""
    institution = tmp_path / "institutions" / "demo-school"
    session = institution / "sessions" / "DEMO-01"
    (session / "supervision").mkdir(parents=True)
    (institution / "profile.yaml").write_text("institution: {name: 演示技师学院}\n", encoding="utf-8")
    (institution / "personnel.yaml").write_text(
        "supervisors:\n  - {name: 王内督, employee: true, card: {number: " + INTERNAL_CARD
        + ", from: \"2025-01-01\", until: \"2028-01-01\"}}\n", encoding="utf-8")
    (session / "plan.yaml").write_text("plan_number: DEMO-01\ntitle: 演示认定计划\nmethod: 考试考核\n", encoding="utf-8")
    for name, text in records.items():
        (session / "supervision" / name).write_text(text, encoding="utf-8")
    return institution


def _record(tmp_path: Path, name: str):
    institution = _institution(tmp_path, RECORDS)
    return read_record(institution / "sessions" / "DEMO-01" / "supervision" / name, ROOT)


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    else:
        text = "".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    return re.sub(r"\s+", "", text)


# --- blank forms -------------------------------------------------------------------------------------


@pytest.mark.parametrize("form_id", sorted(all_forms()))
def test_blank_form_prints_title_header_items_options_notes_and_source(form_id):
    form = get_form(form_id)
    html = form_html(form)
    for text in (form.title, *(f.label for f in form.header), *(s.title for s in form.sections),
                 *(i.text for i in form.items), *(o.shown for i in form.items for o in i.options),
                 *form.notes, form.document, form.signature, form.countersign, *(v.text for v in form.vetoes),
                 *(a.text for a in form.anomalies), *(label for _, label in form.opinions), form.feedback_label):
        assert str(escape(text)) in html, text
    assert "☑" not in html and html.count('<span class="box">☐</span>') >= sum(len(i.options) for i in form.items)
    assert "部门内部资料" not in html


def test_nanchang_prints_points_as_on_paper_and_the_missing_twenty_points():
    html = form_html(get_form("nanchang-onsite"))
    assert '25-30人标准考场12分 <span class="box">☐</span>' in html
    assert "（30分）" in html and "满分 100，其中 20 分条目原文缺失" in html
    assert "原文缺失" in html and "（20分）" in html
    assert "考场布置不符合要求，责令现场整改" in html and "责令现场整改，整改后达到要求" in html


def test_faults_of_the_original_are_a_footnote_and_ratings_boxes_are_printed():
    assert "印刷原样：印刷的表格有两行都编号为“11.”" in form_html(get_form("guangdong-a4"))
    assert "印刷原样：第 15–17 项" in form_html(get_form("beijing-a3-onsite"))
    html = form_html(get_form("guangdong-a3"))
    assert "考场准备综合评定：" in html and '优秀 <span class="box">☐</span>' in html
    assert "一票否决项" in html and "异常情况记录" in html and "其他情况：" in html


def test_every_form_as_an_a4_pdf(tmp_path):
    result = run_beian("forms", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{i}.pdf" for i in all_forms())
    for form in all_forms().values():
        reader = pypdf.PdfReader(str(tmp_path / f"{form.id}.pdf"))
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.1)
        assert re.sub(r"\s+", "", form.title) in _pdf_text(tmp_path / f"{form.id}.pdf")
    nanchang = _pdf_text(tmp_path / "nanchang-onsite.pdf")
    assert "满分100，其中20分条目原文缺失" in nanchang and "☐" in nanchang
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(tmp_path / "nanchang-onsite.pdf")], capture_output=True, text=True).stdout
        assert "CJK" in fonts and require_symbol_font().replace(" ", "-") in fonts


def test_chosen_forms_and_the_list(tmp_path):
    result = run_beian("forms", "--form", "beijing-a4", "guangdong-a5", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["beijing-a4.pdf", "guangdong-a5.pdf"]
    result = run_beian("forms", "--form", "shanghai-z9", "-o", str(tmp_path / "x"))
    assert result.returncode == 2 and "没有记录表“shanghai-z9”" in result.stderr and "Traceback" not in result.stderr
    listed = run_beian("forms", "--list")
    assert listed.returncode == 0 and all(form_id in listed.stdout for form_id in all_forms())
    assert "满分 100，其中 20 分条目原文缺失" in listed.stdout


# --- filled records ----------------------------------------------------------------------------------


def test_filled_record_ticks_the_chosen_option_and_shows_the_score(tmp_path):
    filled = _record(tmp_path, f"nanchang-onsite-{INTERNAL_CARD}.yaml")
    html = form_html(filled.form, filled)
    assert '25-30人标准考场12分 <span class="box">☑</span>' in html
    assert '会议室或阶梯教室10分 <span class="box">☐</span>' in html
    assert '（机考此项满分） <span class="box">☑</span>' in html
    assert '责令现场整改，整改后达到要求 <span class="box">☑</span>' in html
    assert filled.result.score == 12 + 3 + 5 + 5
    assert '<td class="score">25</td>' in html and "25（已知条目满分 80）" in html
    assert "满分 100，其中 20 分条目原文缺失" in html
    assert "未作答" in html and "部门内部资料" in html
    assert "王内督" in html and "演示技师学院" in html and "2026年6月15日" in html  # 内督 from personnel.yaml


def test_filled_header_from_the_register_and_opinions(tmp_path):
    filled = _record(tmp_path, f"guangdong-a4-{EXTERNAL_CARD}.yaml")
    html = form_html(filled.form, filled)
    assert filled.header == {"institution": "演示技师学院", "plan_number": "DEMO-01", "date": "2026年6月14日"}
    assert '一致 <span class="box">☑</span>' in html and '混乱 <span class="box">☑</span>' in html
    assert "见序号说明" in html and "基本规范" in html
    nanchang = get_form("nanchang-onsite")
    assert [f.source for f in nanchang.header][:4] == ["supervisor.name", "record.card", "supervisor.employer",
                                                          "register.department"]
    feedback = _institution(tmp_path / "other", {f"guangdong-a5-{EXTERNAL_CARD}.yaml": (
        f"form: guangdong-a5\ncard: {EXTERNAL_CARD}\nplan_number: DEMO-01\ndate: \"2026-06-14\"\n"
        "arrived: \"07:50\"\nfeedback: 全程佩戴证卡，认真履职。\n")})
    filled = read_record(feedback / "sessions" / "DEMO-01" / "supervision" / f"guangdong-a5-{EXTERNAL_CARD}.yaml", ROOT)
    assert filled.header["supervisor_name"] == "任国栋" and filled.header["arrived"] == "07:50"
    assert "全程佩戴证卡，认真履职。" in form_html(filled.form, filled)


def test_a_hostile_remark_is_escaped(tmp_path):
    filled = _record(tmp_path, f"guangdong-a4-{EXTERNAL_CARD}.yaml")
    html = form_html(filled.form, filled)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_broken_records_are_told_in_chinese_with_file_and_line(tmp_path):
    institution = _institution(tmp_path, BROKEN)
    folder = institution / "sessions" / "DEMO-01" / "supervision"
    with pytest.raises(RecordError, match=r"guangdong-a3-broken\.yaml:5：`answers`"):
        read_record(folder / "guangdong-a3-broken.yaml", ROOT)
    with pytest.raises(RecordError, match="记录表“shanghai-z9”不存在"):
        read_record(folder / "shanghai-z9-X1234.yaml", ROOT)
    with pytest.raises(RecordError, match=r"listed-form\.yaml:1：记录表编号 form 未填写或不是文字"):
        read_record(folder / "listed-form.yaml", ROOT)
    with pytest.raises(RecordError) as told:
        read_record(folder / "wrong-types.yaml", ROOT)
    assert [p.split("：")[0].rsplit(":", 1)[1] for p in told.value.problems] == ["5", "6"]
    assert "应为文字" in told.value.problems[0] and "应为字段映射" in told.value.problems[1]


def test_printing_records_goes_on_after_a_broken_one(tmp_path):
    institution = _institution(tmp_path, {**RECORDS, **BROKEN})
    out = tmp_path / "out"
    result = run_beian("forms", "--record", str(institution), "-o", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name in BROKEN:
        assert name in result.stderr
    assert "无法打印" in result.stderr
    printed = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert printed == [f"demo-school/DEMO-01/guangdong-a4-{EXTERNAL_CARD}.pdf",
                       f"demo-school/DEMO-01/nanchang-onsite-{INTERNAL_CARD}.pdf"]
    text = _pdf_text(out / "demo-school" / "DEMO-01" / f"nanchang-onsite-{INTERNAL_CARD}.pdf")
    assert "部门内部资料" in text and "☑" in text and "王内督" in text
    assert "部门内部资料" in result.stdout


def test_filled_records_go_under_institution_and_plan(tmp_path):
    filled = _record(tmp_path, f"nanchang-onsite-{INTERNAL_CARD}.yaml")
    assert filled_target(filled, Path("out/internal/forms")) == \
        Path("out/internal/forms/demo-school/DEMO-01") / f"nanchang-onsite-{INTERNAL_CARD}.pdf"
    result = run_beian("forms", "--record", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "路径不存在" in result.stderr
    result = run_beian("forms", "--record", str(filled.path), "-o", str(ROOT / "site" / "forms"))
    assert result.returncode == 2 and "部门内部资料不能写到那里" in result.stderr
