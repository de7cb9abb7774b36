"""Supervisor card numbers (generator/cards.py) read exactly as seeds 000-002 publish them, from the
jurisdiction files; Henan publishes no format; `beian card` prints the reading."""
from __future__ import annotations

import copy
import datetime as dt

import pytest

from conftest import run_beian
from generator.cards import card_format, card_problems, formats_matching, read_card
from generator.jurisdiction import _data, load_jurisdiction
from generator.paths import rules_file
from generator.jurisdiction_schema import jurisdiction_problems

ON = dt.date(2026, 5, 1)
PUBLISHED = [("guangdong", "external"), ("guangdong", "internal"), ("beijing", "external"),
             ("beijing", "internal"), ("jiangxi", "external"), ("jiangxi", "internal")]


@pytest.mark.parametrize("jurisdiction, role", PUBLISHED)
def test_every_example_parses_and_every_segment_is_explained(jurisdiction, role):
    fmt = card_format(load_jurisdiction(jurisdiction), role, ON)
    for example in fmt.examples:
        reading = read_card(example, jurisdiction, role, ON)
        assert reading.valid and reading.published and reading.problems == ()
        assert "".join(p.text for p in reading.parts) == example
        assert all(p.explanation and p.meaning for p in reading.parts)


def test_the_seeds_own_samples_read_as_published():
    outer = read_card("R1122A001", "beijing", "外督", ON)
    assert outer.variant == "市级外督员" and outer.issue_year == 2022
    assert [(p.positions, p.explanation) for p in outer.parts] == [
        ("1", "R：外督员"), ("2-3", "11：北京市"), ("4-5", "22：2022 年核发"), ("6", "A：北京市（市级外督员）"),
        ("7-9", "001：证卡序列码（顺序号）")]
    inner = read_card("Y112001220001", "beijing", "内督员", ON)
    assert inner.valid and [p.positions for p in inner.parts] == ["1", "2-3", "4-7", "8-9", "10-13"]
    district = read_card("R11220101", "beijing", "external", ON)
    assert district.variant == "区级外督员" and district.parts[3].explanation == "01：东城区"
    city = read_card("R4421A001", "guangdong", "外督", ON)
    assert city.variant == "地级以上市外督" and city.parts[3].explanation == "A：广州市"
    assert read_card("R44210001", "guangdong", "外督", ON).variant == "省直外督"


# (jurisdiction, role, number, positions named, words in the problem): one bad segment each.
BAD_SEGMENTS = [
    ("guangdong", "external", "X4421A001", "第 1 位", "应为 R"),
    ("guangdong", "external", "R4521A001", "第 2-3 位", "应为 44"),
    ("guangdong", "external", "R44x1A001", "第 4-5 位", "2 位阿拉伯数字"),
    ("guangdong", "external", "R4421I001", "第 6 位", "不是附件1 表3中的地级以上市代码"),
    ("guangdong", "external", "R4421A000", "第 7-9 位", "001–999"),
    ("guangdong", "internal", "X019001200001", "第 1 位", "H 行业部门、Y 用人单位、S 社会培训评价组织"),
    ("guangdong", "internal", "Y01900A200001", "第 2-7 位", "6 位阿拉伯数字"),
    ("guangdong", "internal", "Y0190012x0001", "第 8-9 位", "2 位阿拉伯数字"),
    ("guangdong", "internal", "Y019001200000", "第 10-13 位", "0001–9999"),
    ("beijing", "external", "R1222A001", "第 2-3 位", "应为 11"),
    ("beijing", "external", "R1122A000", "第 7-9 位", "001–999"),
    ("beijing", "external", "R11221001", "第 6-7 位", "不是附件1 表3中的北京市（市级）或区代码"),
    ("beijing", "external", "R11220100", "第 8-9 位", "01–99"),
    ("beijing", "internal", "H112001220001", "第 1 位", "Y 用人单位、S 社会培训评价组织"),
    ("beijing", "internal", "Y122001220001", "第 2-3 位", "应为 11"),
    ("beijing", "internal", "Y11200A220001", "第 4-7 位", "4 位阿拉伯数字"),
    ("beijing", "internal", "Y112001220000", "第 10-13 位", "0001–9999"),
    ("jiangxi", "internal", "y00003601900100001", "第 1-13 位", "13 位大写英文字母或阿拉伯数字"),
    ("jiangxi", "external", "Y0000360190010000A", "第 14-18 位", "5 位阿拉伯数字"),
]


@pytest.mark.parametrize("jurisdiction, role, number, positions, words", BAD_SEGMENTS)
def test_a_bad_segment_is_named_by_its_positions(jurisdiction, role, number, positions, words):
    reading = read_card(number, jurisdiction, role, ON)
    assert not reading.valid
    assert len(reading.problems) == 1, reading.problems
    assert reading.problems[0].startswith(positions) and words in reading.problems[0]


def test_length_and_year_after_the_day_of_checking():
    short = read_card("R4421", "guangdong", "外督", ON)
    assert short.problems == ("广东省外督证卡编码应为 9 位（1 位大写英文字母和 8 位阿拉伯数字），“R4421”是 5 位（第 6-9 位缺失）",)
    late = read_card("R4427A001", "guangdong", "外督", ON)
    assert late.problems == ("第 4-5 位：核发年份 27 晚于 2026 年",) and late.issue_year is None
    assert read_card("R4426A001", "guangdong", "外督", ON).issue_year == 2026


def test_guangdong_inner_card_letter_follows_table_5_not_n():
    refused = read_card("N019001200001", "guangdong", "内督", ON)
    assert len(refused.problems) == 1
    assert refused.problems[0].startswith("第 1 位“N”不予通过") and "本项目按表5" in refused.problems[0]
    for letter in "HYS":
        assert read_card(f"{letter}019001200001", "guangdong", "内督", ON).valid


def test_a_card_of_another_format_is_named_as_that_format():
    problems = card_problems("R4421A001", "beijing", "内督", ON)
    assert problems[-1] == "这是广东省外督证卡的编码格式，不是北京市内督员证卡"
    assert formats_matching("R4421A001", ON) == [("guangdong", "external")]
    assert formats_matching("R1122A001", ON) == [("beijing", "external")]
    assert card_problems("R1122A001", "beijing", "外督", ON) == []


def test_henan_publishes_no_card_format():
    for role in ("external", "internal"):
        reading = read_card("anything", "henan", role, ON)
        assert (reading.published, reading.valid, reading.problems, reading.parts) == (False, True, (), ())
    assert card_problems("anything", "henan", "外督", ON) == []
    # Nor before a format applied: Beijing's starts on 2022-07-28.
    assert not read_card("R1122A001", "beijing", "外督", dt.date(2022, 7, 27)).published


def test_relations_with_the_institution_number():
    beijing = "Y112001220001"
    assert read_card(beijing, "beijing", "内督", ON, institution_number="BJ0012001").valid
    wrong = read_card(beijing, "beijing", "内督", ON, institution_number="BJ0019999")
    assert wrong.problems == ("第 4-7 位“2001”应为评价机构编号 BJ0019999 的后 4 位“9999”",)
    # Wrong only against the institution: no hint about other formats.
    assert card_problems(beijing, "beijing", "内督", ON, institution_number="BJ0019999") == list(wrong.problems)

    province, ministry = "Y019001200001", "S001234210001"
    assert read_card(province, "guangdong", "内督", ON, institution_number="Y000044019001").valid
    assert read_card(ministry, "guangdong", "内督", ON, institution_number="1234").valid
    assert read_card(ministry, "guangdong", "内督", ON, institution_number="S123444019001").valid
    off = read_card(province, "guangdong", "内督", ON, institution_number="Y000044019002")
    assert off.problems[0].startswith("第 2-7 位“019001”应为由机构备案号 Y000044019002 得出")
    # 行业部门 codes are assigned by the ministry: nothing to compare.
    assert read_card("H000001229999", "guangdong", "内督", ON, institution_number="Y000044019002").valid

    jiangxi = "Y00003601900100001"
    assert read_card(jiangxi, "jiangxi", "内督", ON, institution_number="Y000036019001").valid
    assert read_card(jiangxi, "jiangxi", "内督", ON, institution_number="Y000036019002").problems == (
        "第 1-13 位“Y000036019001”应与评价机构备案号 Y000036019002 相同",)
    assert read_card(jiangxi, "jiangxi", "外督", ON, institution_number="Y000036019002").valid   # issued by the province
    assert read_card(jiangxi, "jiangxi", "内督", ON, institution_number="1234").valid              # not 13: unverifiable


def test_unknown_role_or_jurisdiction_is_refused_in_chinese():
    with pytest.raises(ValueError, match="督导员类别“督”无法识别"):
        read_card("R1122A001", "beijing", "督", ON)
    with pytest.raises(Exception, match="辖区 shanghai 不存在"):
        read_card("R1122A001", "shanghai", "外督", ON)


def test_beian_card_output_and_exit_codes():
    good = run_beian("card", "R1122A001", "R11220101")
    assert good.returncode == 0, good.stderr
    assert "R1122A001：北京市外督员证卡（市级外督员），符合编码格式" in good.stdout
    assert "| 6 | A | 证卡序列码（行政区域代码） | A：北京市（市级外督员） |" in good.stdout
    bad = run_beian("card", "R1122A001", "R4427Z000")
    assert bad.returncode == 1
    assert "R4427Z000：不符合任何已公布的证卡编码格式；最接近的是广东省外督证卡（地级以上市外督）" in bad.stdout
    assert "✗ 第 6 位“Z”不是附件1 表3中的地级以上市代码" in bad.stdout
    named = run_beian("card", "R4421A001", "--jurisdiction", "beijing", "--role", "内督")
    assert named.returncode == 1 and "这是广东省外督证卡的编码格式，不是北京市内督员证卡" in named.stdout
    relation = run_beian("card", "Y112001220001", "--jurisdiction", "beijing", "--role", "内督",
                         "--institution-number", "BJ0019999")
    assert relation.returncode == 1 and "后 4 位“9999”" in relation.stdout
    henan = run_beian("card", "R4101A001", "--jurisdiction", "henan")
    assert henan.returncode == 0 and "没有公布的编码格式" in henan.stdout
    for usage in (("card", "R1", "--jurisdiction", "shanghai"), ("card", "R1", "--role", "督"), ("card",)):
        result = run_beian(*usage)
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_rules_validate_passes_and_a_broken_card_format_is_reported():
    result = run_beian("rules", "--validate")
    assert result.returncode == 0 and "beijing.yaml、guangdong.yaml、henan.yaml、jiangxi.yaml 校验通过" in result.stdout

    original = _data(rules_file("jurisdictions", "guangdong.yaml"))
    assert jurisdiction_problems(copy.deepcopy(original), "guangdong.yaml") == []

    def broken(change) -> list[str]:
        data = copy.deepcopy(original)
        change(data["facts"]["supervisor_cards"]["values"]["2020-01-01"])
        return jurisdiction_problems(data, "guangdong.yaml")

    def bad_example(cards):
        cards["external"]["examples"].append("R4421Z001")

    assert broken(bad_example) == ["supervisor_cards（2020-01-01 起）的 external：例子 R4421Z001 不符合格式："
                                   "第 6 位“Z”不是附件1 表3中的地级以上市代码"]

    def wrong_value_length(cards):
        cards["external"]["segments"][1]["value"] = "440"

    assert "supervisor_cards（2020-01-01 起）的 external 的 issuer：固定值 440 不是 2 位" in broken(wrong_value_length)

    def missing_table(cards):
        cards["external"]["variants"][1]["segments"][0]["table"] = "city_codes"

    assert any("代码表 city_codes 不在本文件的 facts 中" in p for p in broken(missing_table))

    def no_example_for_a_variant(cards):
        cards["external"]["examples"] = ["R44210001"]

    assert broken(no_example_for_a_variant) == ["supervisor_cards（2020-01-01 起）的 external：没有“地级以上市外督”的例子"]

    def unknown_relation(cards):
        cards["internal"]["segments"][1]["relation"] = "institution"

    assert broken(unknown_relation)[0].startswith("结构错误")

    def refused_and_chosen(cards):
        cards["internal"]["segments"][0]["refused"]["H"] = "试验"

    assert any("H 既是可用代码又被拒绝" in p for p in broken(refused_and_chosen))


def test_every_jurisdiction_has_a_generated_page(tmp_path):
    from generator.docs import write_rule_pages

    write_rule_pages(tmp_path)
    guangdong = (tmp_path / "jurisdictions" / "guangdong.md").read_text(encoding="utf-8")
    assert "#### 地级以上市外督" in guangdong and "`R4421A001`" in guangdong
    assert "| 6 | 证卡序列码（省直或地级以上市代码） | 1 位大写英文字母，附件1 表3中的地级以上市代码 |" in guangdong
    assert "没有公布证卡编码格式" in (tmp_path / "jurisdictions" / "henan.md").read_text(encoding="utf-8")
    assert "[江西省](jurisdictions/jiangxi.md)" in (tmp_path / "index.md").read_text(encoding="utf-8")
