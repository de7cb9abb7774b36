"""The supervision form files (rules/forms/*.yaml) are validated like the rule sheets: every shipped form passes,
and a broken copy is refused with a Chinese message naming the form and the place."""
from __future__ import annotations

import copy

import pytest

from generator.forms.form_schema import _form_data, all_form_problems, form_problems
from generator.forms.model import form_files

from conftest import run_beian

SHIPPED = _form_data()


def _copy(form_id: str) -> dict:
    return copy.deepcopy(SHIPPED[form_id])


def _item(data: dict, section: int = 0, item: int = 0) -> dict:
    return data["sections"][section]["groups"][0]["items"][item]


def test_every_shipped_form_passes():
    assert len(form_files()) == 7
    assert all_form_problems() == []
    for form_id, data in SHIPPED.items():
        assert form_problems(data, f"{form_id}.yaml") == [], form_id


def test_duplicate_item_id_is_named():
    data = _copy("guangdong-a4")
    data["sections"][0]["groups"][1]["items"][1]["id"] = "2"
    assert "guangdong-a4：条目编号 2 重复（同一张表中条目编号须唯一，它是记录中 answers 的键）" in form_problems(data)


def test_item_id_must_be_a_record_key():
    data = _copy("guangdong-a4")
    data["sections"][0]["groups"][0]["items"][0]["id"] = "1/a"
    assert any("条目编号“1/a”不能含空格或“/”" in p for p in form_problems(data))


def test_option_above_the_items_points():
    data = _copy("nanchang-onsite")
    _item(data)["options"][1]["points"] = 15  # 会议室或阶梯教室 above the item's 12
    problems = form_problems(data)
    assert "nanchang-onsite：部分 rooms 的条目 theory-room：选项“会议室或阶梯教室”15 分，高于条目满分 12 分" in problems


def test_best_option_below_the_items_points():
    data = _copy("nanchang-onsite")
    _item(data)["options"][0]["points"] = 11
    assert "nanchang-onsite：部分 rooms 的条目 theory-room：条目满分 12 分，最高的选项只有 11 分" in form_problems(data)


def test_section_points_that_do_not_add_up():
    data = _copy("nanchang-onsite")
    data["sections"][1]["points"] = 35
    assert "nanchang-onsite：部分 examiners：各条目满分合计 30 分，与印刷的 35 分不符" in form_problems(data)


def test_missing_points_that_do_not_make_the_full_score():
    data = _copy("nanchang-onsite")
    data["missing"]["points"] = 10
    problems = form_problems(data)
    assert any(p.startswith("nanchang-onsite：已知条目合计 80 分，加上原文缺失的 10 分") and "max_score 100" in p
               for p in problems), problems


def test_points_on_a_form_without_points():
    data = _copy("guangdong-a4")
    data["max_score"] = 100
    _item(data)["points"] = 3
    problems = form_problems(data)
    assert "guangdong-a4：不计分的表（levels）不能写 max_score" in problems
    assert "guangdong-a4：部分 organisation 的条目 1：不计分的表（levels）不能写 points 或 full_marks_for" in problems


def test_unknown_feedback_form():
    data = _copy("guangdong-a4")
    data["feedback_form"] = "guangdong-a9"
    problems = form_problems(data)
    assert any(p.startswith("guangdong-a4：feedback_form：表 guangdong-a9 不存在") for p in problems), problems


def test_feedback_form_must_be_the_institutions_feedback_about_a_supervisor():
    data = _copy("guangdong-a4")
    data["feedback_form"] = "guangdong-a3"
    assert any("表 guangdong-a3 不是评价机构填写的督导员情况反馈表" in p for p in form_problems(data))


def test_yes_no_form_with_a_third_option():
    data = _copy("beijing-a3-onsite")
    _item(data)["options"] = ["是", "否", "部分"]
    assert "beijing-a3-onsite：部分 policy 的条目 1：是否勾选的表每项只能有选项 是、否（依次），现为 是、否、部分" \
        in form_problems(data)


def test_unknown_header_source():
    data = _copy("guangdong-a5")
    data["header"][3]["from"] = "supervisor.mobile"
    problems = form_problems(data)
    assert len(problems) == 1
    assert problems[0].startswith("guangdong-a5：header / 第 4 项 / from：取值 supervisor.mobile 不在允许的取值中（可用：")


def test_ratings_without_rated_sections():
    data = _copy("guangdong-a3")
    for section in data["sections"]:
        section.pop("rated")
    assert any(p.startswith("guangdong-a3：有 rated 的部分就须写综合评定 ratings") for p in form_problems(data))


def test_one_option_and_repeated_labels():
    data = _copy("guangdong-a4")
    _item(data)["options"] = ["一致"]
    data["sections"][0]["groups"][1]["items"][0]["options"] = ["一致", "一致", "不一致"]
    problems = form_problems(data)
    assert "guangdong-a4：部分 organisation 的条目 1：至少要有 2 个选项" in problems
    assert "guangdong-a4：部分 organisation 的条目 2：选项“一致”重复" in problems


def test_structure_dates_jurisdiction_deadline_and_remarks():
    data = _copy("beijing-a3-materials")
    data["effective"] = "2022-02-30"
    data["jurisdiction"] = "shanghai"
    data["remarks"] = {"required": True}
    assert form_problems(data) == ["beijing-a3-materials：effective：2022-02-30 不是日历上的日期",
                                   "beijing-a3-materials：jurisdiction：辖区 shanghai 在 rules/jurisdictions/ 中没有文件",
                                   "beijing-a3-materials：remarks：要求按序号说明问题（required: true）的表须写说明栏的名称 field"]
    data = _copy("beijing-a4")
    data["deadline"] = {"days": 0, "working": False}
    data["filled_by"] = "department"
    assert sorted(form_problems(data)) == sorted([
        "beijing-a4：deadline / days：不能小于 1", "beijing-a4：deadline / source：缺少必填项",
        "beijing-a4：filled_by：取值 department 不在允许的取值中（可用：supervisor、institution）"])


def test_repeated_outcome_ids():
    data = _copy("nanchang-onsite")
    data["sections"][0]["outcome"]["options"][1]["id"] = "none"
    assert "nanchang-onsite：部分 rooms 的 outcome：处理结果编号 none 重复" in form_problems(data)


@pytest.mark.parametrize("value", [None, "x", 3])
def test_not_a_mapping_is_refused_without_a_traceback(value):
    assert form_problems(value, "broken.yaml") == ["broken.yaml：文件内容须为键值对（映射）"]


def test_rules_validate_passes_and_names_the_forms():
    result = run_beian("rules", "--validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "督导记录表 beijing-a3-materials、beijing-a3-onsite、beijing-a4、guangdong-a3、guangdong-a4、guangdong-a5、" \
           "nanchang-onsite 校验通过" in result.stdout
