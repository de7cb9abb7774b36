"""Jurisdiction facts are dated data (rules/jurisdictions/henan.yaml), not constants in Python: what the
check, the bundle and the validation say comes from the file, and a fact dated later applies only from its date."""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from conftest import run_beian
from generator.jurisdiction import (Jurisdiction, JurisdictionError, _data, jurisdiction_from,
                                    jurisdiction_of, load_jurisdiction)
from generator.jurisdiction_schema import jurisdiction_problems
from generator.paths import rules_file
from generator.sheet import get_sheet

D = dt.date
HENAN = rules_file("jurisdictions", "henan.yaml")


def henan_data() -> dict:
    return copy.deepcopy(_data(HENAN))


def test_henan_file_is_valid_and_every_fact_cites_the_seed():
    assert jurisdiction_problems(henan_data(), HENAN.name) == []
    henan = load_jurisdiction("henan")
    assert (henan.name, henan.short_name) == ("河南省", "河南")
    # The handbook (seed 004) for everything but supervision, whose only Henan source is Zhengzhou's (seed 003).
    supervision = {"supervision_document", "supervisor_term_years", "supervisor_experience", "rotation", "avoidance_roles"}
    assert all(f.source.startswith("seed 003 " if name in supervision else "seed 004 ") and f.values
               for name, f in henan.facts.items())
    result = run_beian("rules", "--validate")
    assert result.returncode == 0 and "henan.yaml、jiangxi.yaml 校验通过" in result.stdout


def test_facts_a_user_meets_in_findings_and_documents():
    on = D(2026, 11, 23)
    henan = load_jurisdiction()
    assert henan.fact("province_code", on) == "41"
    assert henan.fact("authority", on) == "河南省人力资源和社会保障厅"
    assert henan.fact("guidance_centre", on) == "河南省职业技能鉴定指导中心"
    assert henan.fact("platform", on) == "河南省技能人才评价管理服务平台"
    assert henan.fact("plan_deadline_working_days", on) == 10
    assert henan.fact("archive_retention_years", on) == {"paper": 3, "electronic": 5, "video": 5}
    assert henan.fact("certification_start_year", on) == 2020
    # The city codes are the reference table, named, not copied.
    assert (Path("rules/reference") / henan.fact("city_codes", on)["table"]).name == "henan_city_codes.csv"


def test_certificate_number_segments_read_like_the_handbook():
    fmt = load_jurisdiction().certificate_number(D(2026, 11, 23))
    assert [(s.positions, s.meaning) for s in fmt.segments] == [
        ("1", "评价机构类别代码"), ("2-5", "评价机构代码"), ("6-7", "评价机构所在地省级代码"),
        ("8-9", "评价机构（站点）所在地省直或市级代码"), ("10-13", "评价机构（站点）序列码"),
        ("14-15", "证书核发年份代码"), ("16", "职业技能等级代码"), ("17-22", "证书序列码")]
    assert fmt.pattern.match(fmt.example) and fmt.length == 22


def changed_from_2027() -> Jurisdiction:
    """Hypothetical: the platform renamed and the province code changed from 2027-01-01."""
    data = henan_data()
    data["facts"]["platform"]["values"]["2027-01-01"] = "河南省技能人才评价服务平台"
    data["facts"]["province_code"]["values"]["2027-01-01"] = "42"
    assert jurisdiction_problems(data, HENAN.name) == [
        "certificate_number：例子 Y000041019001221000001 不符合 2027-01-01 起的格式"
        "（格式所用的事实改变时，须为证书编码另加一个日期和新的例子）"]
    numbers = data["facts"]["certificate_number"]["values"]
    numbers["2027-01-01"] = dict(copy.deepcopy(numbers["2022-01-01"]), example="Y000042019001271000001")
    assert jurisdiction_problems(data, HENAN.name) == []
    return jurisdiction_from(data, HENAN)


def test_a_later_dated_value_applies_only_from_its_date():
    changed = changed_from_2027()
    assert changed.fact("platform", D(2026, 12, 31)) == "河南省技能人才评价管理服务平台"
    assert changed.fact("platform", D(2027, 1, 1)) == "河南省技能人才评价服务平台"
    assert changed.certificate_number(D(2026, 12, 31)).pattern.match("Y000041019001261000001")
    assert changed.certificate_number(D(2027, 1, 1)).pattern.match("Y000042019001271000001")
    assert changed.filing_number(D(2027, 1, 1)).example == "Y000042019001"


def test_a_day_before_the_first_value_is_refused_with_a_reason():
    with pytest.raises(JurisdictionError) as refused:
        load_jurisdiction().fact("platform", D(2021, 6, 1))
    message = str(refused.value)
    assert "从 2022-01-01 起才有取值" in message and "2021-06-01" in message and "henan.yaml" in message
    with pytest.raises(JurisdictionError, match="没有“plaform”"):
        load_jurisdiction().fact("plaform", D(2026, 1, 1))
    with pytest.raises(JurisdictionError, match="辖区 shanghai 不存在"):
        load_jurisdiction("shanghai")


def test_validation_catches_broken_facts():
    data = henan_data()
    del data["facts"]["authority"]["source"]
    data["facts"]["platform"]["values"] = {"2022-02-30": "某平台"}
    data["facts"]["plan_deadline_days"] = data["facts"].pop("plan_deadline_working_days")
    problems = "\n".join(jurisdiction_problems(data, HENAN.name))
    assert "source" in problems and "plan_deadline_days" in problems

    data = henan_data()
    data["facts"]["platform"]["values"] = {"2022-02-30": "某平台"}
    assert jurisdiction_problems(data, HENAN.name) == ["platform：日期 2022-02-30 不是日历上的日期"]

    data = henan_data()
    segments = data["facts"]["certificate_number"]["values"]["2022-01-01"]["segments"]
    segments[1]["pattern"] = "[0-9]{4}"                      # a fixed value and a pattern at once
    problems = "\n".join(jurisdiction_problems(data, HENAN.name))
    assert problems.startswith("结构错误") and "pattern" in problems

    data = henan_data()
    data["facts"]["certificate_number"]["values"]["2022-01-01"]["segments"][2]["fact"] = "province"
    assert jurisdiction_problems(data, HENAN.name) == ["certificate_number 的 province：引用的 province 不在本文件的 facts 中"]

    data = henan_data()
    data["facts"]["certificate_number"]["values"]["2022-01-01"]["example"] = "Y000041019001221"
    data["facts"]["filing_number"]["values"]["2022-01-01"]["segments"] = ["category", "province", "city"]
    data["facts"]["city_codes"]["values"]["2022-01-01"]["table"] = "henan_cities.csv"
    problems = "\n".join(jurisdiction_problems(data, HENAN.name))
    assert "例子 Y000041019001221 是 16 位" in problems
    assert "filing_number：各部分应是证书编码开头的部分" in problems
    assert "代码表 rules/reference/henan_cities.csv 不存在" in problems

    data = henan_data()
    del data["facts"]["province_code"]["values"]["2022-01-01"]
    data["facts"]["province_code"]["values"]["2023-01-01"] = "41"   # the code starts after the format
    problems = "\n".join(jurisdiction_problems(data, HENAN.name))
    assert "certificate_number（2022-01-01 起）" in problems and "从 2023-01-01 起才有取值" in problems


def test_a_filing_gets_the_jurisdiction_its_sheet_names():
    from conftest import BASE, ROOT
    from generator.filing import load_filing

    filing = load_filing(BASE, ROOT)
    assert jurisdiction_of(filing) is load_jurisdiction("henan")
    assert get_sheet("henan-2022").jurisdiction == jurisdiction_of(filing).name


def test_the_sheet_asks_for_the_retention_years_the_jurisdiction_states():
    # The 评分表 criteria carry the same years as their own params; they must not drift apart.
    sheet = get_sheet("henan-2022")
    years = load_jurisdiction().fact("archive_retention_years", D(2026, 11, 23))
    archive = next(c for c in sheet.criteria if c.id == "veto-archive").params
    video = next(c for c in sheet.criteria if c.id == "info-video").params
    assert (archive["paper_years"], archive["electronic_years"], video["video_years"]) == \
        (years["paper"], years["electronic"], years["video"])
