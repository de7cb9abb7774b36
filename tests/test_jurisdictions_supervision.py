"""Supervision facts of seeds 000-003 as data: the numbers as the seeds state them, and a point a
jurisdiction does not stipulate is absent (never a default)."""
from __future__ import annotations

import datetime as dt

import pytest

from generator.jurisdiction import JurisdictionError, jurisdiction_files, load_jurisdiction

ON = dt.date(2026, 5, 1)


def facts(jurisdiction_id: str) -> dict:
    home = load_jurisdiction(jurisdiction_id)
    return {name: home.fact(name, ON) for name in home.facts}


def test_the_numbers_the_seeds_state():
    guangdong, beijing, jiangxi, henan = (facts(j) for j in ("guangdong", "beijing", "jiangxi", "henan"))
    assert [f["supervisor_term_years"] for f in (guangdong, beijing, jiangxi, henan)] == [3, 3, 3, 3]
    assert beijing["supervisor_age_limits"] == {"男": 65, "女": 60}
    assert guangdong["rotation"] == {"max_consecutive": 2, "within_days": 365}
    assert henan["rotation"] == {"max_consecutive": 3}
    assert guangdong["avoidance_roles"] == ["内督", "考评员"]
    assert beijing["avoidance_roles"] == jiangxi["avoidance_roles"] == henan["avoidance_roles"] == ["考评员"]
    assert guangdong["report_deadline"] == {"days": 5, "working_days": True}
    assert beijing["report_deadline"] == {"days": 5, "working_days": False}
    assert (beijing["external_per_visit"], guangdong["special_group_min"], jiangxi["refusal_limit"]) == (2, 3, 3)
    assert jiangxi["continuing_education"] == {"every_years": 1, "roles": ["internal"]}
    assert [f["supervisor_experience"]["min_years"] for f in (guangdong, jiangxi, henan)] == [1, 3, 3]
    assert all(f["supervisor_experience"]["management_qualifies"] for f in (guangdong, jiangxi, henan))
    assert "京职技鉴发〔2022〕11号" in beijing["supervision_document"]
    assert "郑人社职业〔2014〕17号" in henan["supervision_document"]


def test_what_a_seed_does_not_say_is_absent():
    assert "supervisor_experience" not in load_jurisdiction("beijing").facts
    assert "supervisor_age_limits" not in load_jurisdiction("guangdong").facts
    assert "supervisor_cards" not in load_jurisdiction("henan").facts
    with pytest.raises(JurisdictionError, match="没有“rotation”"):
        load_jurisdiction("jiangxi").fact("rotation", ON)


def test_every_supervision_fact_cites_its_seed():
    seeds = {"guangdong": "seed 001 ", "beijing": "seed 002 ", "jiangxi": "seed 000 "}
    for path in jurisdiction_files():
        home = load_jurisdiction(path.stem)
        if path.stem in seeds:
            assert all(f.source.startswith(seeds[path.stem]) for f in home.facts.values()), path.name
    assert load_jurisdiction("beijing").facts["supervisor_cards"].values[0][0] == dt.date(2022, 7, 28)
