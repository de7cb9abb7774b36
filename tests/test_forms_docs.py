"""`beian docs` writes one page per supervision form (rules/forms/<id>.md under the rules pages): what the form
is, who fills it, its items as printed, and a record example that is a valid record of that form."""
from __future__ import annotations

import copy
import html
import re
from dataclasses import replace

import pytest
import yaml

from generator.forms.docs import form_page
from generator.forms.model import all_forms, form_from, get_form

from conftest import run_beian


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = tmp_path_factory.mktemp("rules")
    result = run_beian("docs", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _page(pages, form_id: str) -> str:
    return (pages / "forms" / f"{form_id}.md").read_text(encoding="utf-8")


def _example(page: str) -> dict:
    block = re.search(r'<pre class="beian-record-example"><code>(.*?)</code></pre>', page, re.S)
    assert block, "the page has a record example"
    return yaml.safe_load(html.unescape(block.group(1)))


def test_docs_write_a_page_per_form_and_list_them_in_the_index(pages):
    assert sorted(p.stem for p in (pages / "forms").glob("*.md")) == sorted(all_forms()) and len(all_forms()) == 7
    index = (pages / "index.md").read_text(encoding="utf-8")
    assert "## 督导记录表" in index
    assert "| [职业技能等级认定现场质量督导情况报告表](forms/nanchang-onsite.md) | 江西省 | 督导员（外督、内督） | 打分 |" in index
    assert "| [广东省技能人才评价外部质量督导员情况反馈表](forms/guangdong-a5.md) | 广东省 | 评价机构（关于外督） | 情况反馈 |" \
        in index
    for form_id in all_forms():
        page = _page(pages, form_id)
        assert page.startswith(f"# {get_form(form_id).title}（`{form_id}`）\n\n<!-- 本页由 `beian docs`")


def test_nanchang_page_says_what_is_missing_and_lists_only_the_known_items(pages):
    page = _page(pages, "nanchang-onsite")
    assert "满分 100，其中 20 分条目原文缺失" in page
    assert "原文（南昌技师学院《质量督导人员管理办法》）的表格在“试卷管理 20 分”之后中断" in page  # the missing-points note, its source by title
    assert "| 原文缺失（20 分） | — | — | 20 |" in page
    rows = re.findall(r"^\| (.+?) \| ([a-z-]+) \| .+ \| (\d+) \|$", page, re.M)
    assert [(text, points) for text, _, points in rows] == [
        ("理论考场", "12"), ("门贴、桌贴", "3"), ("仪器设备", "10"), ("考核工位", "5"), ("考评组召开考评会", "5"),
        ("考评组考前检查", "10"), ("考评员配备比例", "10"), ("考评员佩戴证卡", "5"), ("考生资格复核", "10"),
        ("试卷现场启封与按时收交", "10")]
    assert "25-30人标准考场12分；会议室或阶梯教室10分；未安排单人单桌0分；机考（满分 12 分）" in page
    assert "本表未规定提交期限。" in page
    assert "[江西省的辖区事实](../jurisdictions/jiangxi.md)" in page


def test_guangdong_a4_page_shows_both_rows_numbered_11_and_the_fault(pages):
    page = _page(pages, "guangdong-a4")
    assert "| 认定过程 | 11. | 抽查考生信息是否与此次评价计划一致 | 11 | 一致；部分一致；不一致 |" in page
    assert "| 认定过程 | 11. | 评价现场秩序情况 | 11-2 | 良好；一般；混乱 |" in page
    faults = page.split("## 转录与印刷说明", 1)[1].split("\n## ", 1)[0]
    assert "两行都编号为“11.”" in faults and "第二个“11.”在记录中写作 11-2" in faults
    assert "督导工作结束后 5 个工作日内提交委派机构。依据：第二十条" in page
    assert "[广东 附件5 外督情况反馈表](guangdong-a5.md)" in page


def test_feedback_page_has_topics_and_no_item_table(pages):
    page = _page(pages, "beijing-a4")
    assert "由评价机构填写：对到场督导的每一位外督各填一份" in page
    assert "- 是否自觉遵守廉洁纪律" in page and "## 条目" not in page
    assert "督导工作结束后 5 天内提交委派机构" in page
    assert _example(page)["feedback"] == "（工作反馈情况）"


@pytest.mark.parametrize("form_id", sorted(all_forms()))
def test_example_record_parses_names_every_item_and_is_a_valid_record(pages, form_id):
    from generator.schema import schema_errors

    form = get_form(form_id)
    record = _example(_page(pages, form_id))
    assert record["form"] == form_id
    assert list(record.get("answers", {})) == [item.id for item in form.items]
    assert all(record["answers"][item.id] in item.labels for item in form.items)
    assert record["visibility"] == "部门内部" and record["signed"]
    assert ("ratings" in record) == bool(form.ratings) and ("vetoes" in record) == bool(form.vetoes)
    assert ("outcomes" in record) == bool(form.outcomes) and ("feedback" in record) == (form.judging == "feedback")
    assert schema_errors("record", record) == []
    from generator.forms.answers import judge

    result = judge(form, record)
    assert not result.unanswered and not result.invalid and not result.unknown_keys


def test_hostile_form_text_is_escaped():
    data = copy.deepcopy(yaml.safe_load(get_form("guangdong-a4").path.read_text(encoding="utf-8")))
    data["sections"][0]["groups"][0]["items"][0]["text"] = "<img src=x onerror=alert(1)>"
    data["sections"][0]["groups"][0]["items"][0]["options"][0] = "<script>alert(2)</script>"
    data["notes"].append("| [链接](javascript:alert(3)) |")
    form = form_from(data, get_form("guangdong-a4").path)
    page = form_page(replace(form, title="**粗体**<b>"))
    assert "<img" not in page and "<script" not in page and "<b>" not in page
    assert "&#60;img src&#61;x onerror&#61;alert(1)&#62;" in page
    assert "](javascript" not in page and "**粗体**" not in page
    assert _example(page)["answers"]["1"] == "<script>alert(2)</script>"  # the example still reads as written


def test_form_pages_add_a_bounded_number_of_search_entries(pages):
    """The portal's search index has one entry per page and per heading. The seven form pages add 76 (about 11
    each); tests/test_portal_site.py bounds the whole index, which before them held 442 entries."""
    entries = sum(1 + len(re.findall(r"^#{2,3} ", _page(pages, form_id), re.M)) for form_id in all_forms())
    assert entries <= 80
