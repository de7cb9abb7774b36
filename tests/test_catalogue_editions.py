"""Both editions of the occupation catalogue, and what staff are told about a mistyped code."""
from __future__ import annotations

import datetime as dt
import shutil

from conftest import BASE, ROOT
from filing_patch import apply_edits
from generator.engine import evaluate_path
from generator.reference import Reference


def test_a_2015_code_is_looked_up_by_its_2022_namesake_and_never_by_a_suspect_row():
    ref = Reference()
    assert ref.lookup_code("6-18-01-01", "车工") == "6-18-01-01"        # valid in 2022: unchanged
    assert ref.lookup_code("4-01-02-02", "电子商务师") == "4-01-06-01"  # moved in 2022
    assert ref.lookup_code("4-10-01-03", "保育员") is None              # 2022 has 保育师 there, not 保育员
    assert ref.lookup_code("2-05-04-01", "藏医") is None                # suspect_parse row: not trusted
    assert ref.lookup_code("6-18-01-99", "车工") == "6-18-01-99"        # unknown: as written, reported elsewhere


def test_the_2015_list_keeps_every_row_and_its_status():
    rows = Reference().occupations_2015
    assert len(rows) == 1394
    assert rows["4-10-01-02"].name == "育婴员" and rows["4-10-01-02"].code_2022 == ""
    assert sum(1 for row in rows.values() if not row.trusted) == 18


def test_nearest_codes_prefer_swapped_digits_then_the_same_group():
    ref = Reference()
    assert [o.code for o in ref.nearest_codes("6-81-01-01")][0] == "6-18-01-01"
    assert [(o.code, o.name) for o in ref.nearest_codes("6-18-01-98")] == [("6-18-01-08", "电切削工")]
    assert ref.nearest_codes("6-99-99-99") == []


def test_job_type_counts_are_exposed_and_unknown_stays_unknown():
    standards = Reference().standards
    assert standards["6-18-01-01"].catalogue_job_type_count == 2
    assert standards["4-03-02-04"].catalogue_job_type_count == 0
    assert "6-18-01-03" not in standards  # not recorded: scope-occupations says nothing about its 工种


def _scope_notes(tmp_path, case: dict) -> list[str]:
    folder = tmp_path / "case-school"
    shutil.copytree(BASE, folder)
    apply_edits(folder, case)
    result = evaluate_path(folder, ROOT, today=dt.date(2026, 11, 23))
    return [f.message for f in result.findings if f.rule == "scope-occupations" and "个工种" in f.message]


def test_job_type_notice_only_where_the_catalogue_has_job_types_and_none_are_named(tmp_path):
    # Base: 车工 2, 中式烹调师 3, 电工 4 工种 named none; 西式面点师 has 0 工种 in the catalogue.
    case = {"set": {"scope.yaml": {"occupations.0.job_types": [{"name": "数控车床", "levels": [4, 3]}],
                                   "occupations.1.code": "6-18-01-03", "occupations.1.name": "刨插工"}}}
    notes = _scope_notes(tmp_path, case)
    assert [n.split(" ")[0] for n in notes] == ["电工"], notes  # 车工 named one; 刨插工's count is not recorded


def test_portal_lists_a_2015_code_under_its_2022_occupation_and_never_under_another_name():
    """Browsing by occupation: 电子商务师 filed as 4-01-02-02 (2015) is on the page of 4-01-06-01 with the
    school that filed the 2022 code; 保育员 (2015, no 2022 namesake) gets its own page, not 保育师's."""
    from generator.portal import pages
    from generator.portal.model import occupation_index

    def item(code, name):
        return {"code": code, "name": name, "job_types": [], "levels": [5], "basis": "国家职业技能标准"}

    old = {"institution": "a", "page": "a", "name": "甲校", "scope": [item("4-10-01-03", "保育员"), item("4-01-02-02", "电子商务师")]}
    new = {"institution": "b", "page": "b", "name": "乙校", "scope": [item("4-10-01-03", "保育师"), item("4-01-06-01", "电子商务师")]}
    index = occupation_index([old, new])
    assert [e["name"] for e, _ in index["4-01-06-01"]["holders"]] == ["甲校", "乙校"]
    assert [e["name"] for e, _ in index["4-10-01-03"]["holders"]] == ["乙校"]
    assert index["4-10-01-03"]["name"] == "保育师"
    assert index["4-10-01-03-2015"]["name"] == "保育员" and "2015" in pages.occupation_page(index["4-10-01-03-2015"])
    assert "(../occupations/4-10-01-03-2015.md)" in "\n".join(pages.scope_table(old["scope"], set(index)))
