"""The Henan sheet as encoded: the printed sub-totals, vetoes, bonuses and pass mark."""
from __future__ import annotations

import copy

from generator.sheet import get_sheet, load_sheet_data
from generator.sheet_schema import sheet_problems

SHEET = get_sheet("henan-2022")


def test_sheet_data_is_sound():
    assert sheet_problems(load_sheet_data(SHEET.path).data) == []


def _section_total(name: str) -> int:
    return sum(c.max for c in SHEET.scored if c.section == name)


def test_printed_subtotals_add_up_to_100():
    # 实施方案 58 / 制度建设 15 / 人员管理及建设 10 / 标准试题教材保障 17 as printed in seed 004.
    assert _section_total("实施方案") == 58
    assert _section_total("制度建设") == 15
    assert _section_total("人员管理及建设") == 10
    assert _section_total("标准试题教材保障") == 17
    assert sum(c.max for c in SHEET.scored) == 100 == SHEET.max_score


def test_group_subtotals_as_printed():
    printed = {"基本框架": 6, "学校基本情况": 4, "组织机构保障": 9, "评价范围对象方式": 15, "场地设施设备": 12,
               "信息化建设": 4, "评价工作流程": 4, "工作计划": 2, "经费保障": 2, "工作制度": 4, "质量管控制度": 4,
               "考务制度": 4, "考场管理制度": 2, "其他制度": 1, "人员管理及建设": 10, "评价依据": 5, "题库(卷库)": 10, "教材": 2}
    for group, points in printed.items():
        assert sum(c.max for c in SHEET.scored if c.group == group) == points, group


def test_six_vetoes_three_bonuses_and_pass_mark():
    assert {c.title for c in SHEET.vetoes} == {"单位性质", "法人资质", "档案管理场所设施", "考务管理系统", "证书样式", "考核场所安全隐患"}
    assert [(c.title, c.points) for c in SHEET.bonuses] == [("标准开发", 2), ("题库开发", 2), ("鉴定站（所）", 2)]
    assert SHEET.threshold == 65
    assert SHEET.bonus_policy["reason"]


def test_validator_catches_a_wrong_subtotal():
    data = copy.deepcopy(load_sheet_data(SHEET.path).data)
    data["criteria"][2]["max"] = 7
    problems = sheet_problems(data)
    assert any("基本框架" in p and "6" in p for p in problems), problems


def test_validator_catches_an_unknown_check_and_mode_fields():
    data = copy.deepcopy(load_sheet_data(SHEET.path).data)
    data["criteria"][0]["check"] = "nope.nothing"
    data["criteria"][3]["mode"] = "deduction"  # deduction needs `per`
    problems = "\n".join(sheet_problems(data))
    assert "nope.nothing" in problems
