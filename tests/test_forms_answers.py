"""A filled record judged by its form (generator/forms/answers.py): the score of the Nanchang form out of the
points the transcription kept, levels and 是/否 tallies, vetoes and ratings, and nothing guessed for what was not
answered. Every shipped form is exercised with its own printed options."""
from __future__ import annotations

import pytest

from generator.forms.answers import judge
from generator.forms.model import all_forms, get_form


def _all_first(form) -> dict:
    return {"answers": {item.id: item.options[0].label for item in form.items}}


@pytest.mark.parametrize("form_id", sorted(all_forms()))
def test_answering_every_item_with_its_first_option_is_complete_and_finds_nothing(form_id):
    form = get_form(form_id)
    result = judge(form, _all_first(form))
    assert result.complete and not result.problems and not result.unknown_keys
    assert result.counts()["good"] == len(form.items)
    if form.scored:
        assert result.score == result.known_max == 80


def test_nanchang_is_scored_out_of_the_80_known_points_and_says_20_are_missing():
    form = get_form("nanchang-onsite")
    assert (form.max_score, form.missing_points, form.known_points) == (100, 20, 80)
    answers = _all_first(form)["answers"]
    answers.update({"theory-room": "会议室或阶梯教室", "badges": "部分没佩戴", "stations": "5-9个"})
    del answers["opening"]
    result = judge(form, {"answers": answers})
    assert result.score == 80 - 2 - 3 - 3 - 10
    assert [item.id for item in result.unanswered] == ["opening"]
    assert result.summary == "得分 62（已知条目满分 80；满分 100，其中 20 分条目原文缺失）；未作答 1 项"


def test_a_computer_exam_takes_full_marks_where_the_form_says_so():
    form = get_form("nanchang-onsite")
    answers = _all_first(form)["answers"]
    answers.update({"theory-room": "机考", "door-labels": "机考"})
    assert judge(form, {"answers": answers}).score == 80
    answers["equipment"] = "机考"  # only the two items printed “(机考此项满分)” take it
    assert [a.item.id for a in judge(form, {"answers": answers}).invalid] == ["equipment"]


def test_terminated_exam_is_an_outcome_the_record_carries():
    form = get_form("nanchang-onsite")
    result = judge(form, {**_all_first(form), "outcomes": {"rooms": "terminated"}})
    assert result.terminated and "终止考试" in result.summary
    assert judge(form, {**_all_first(form), "outcomes": {"rooms": "escalated"}}).unknown_keys == (("outcomes", "rooms"),)


def test_guangdong_annex4_keeps_both_rows_numbered_11_and_tallies_levels():
    form = get_form("guangdong-a4")
    assert [item.number for item in form.items].count("11.") == 2 and len(form.items) == 18
    record = _all_first(form)
    record["answers"].update({"2": "部分一致", "11-2": "混乱"})
    result = judge(form, record)
    assert result.counts() == {"good": 16, "partial": 1, "bad": 1}
    assert [a.item.id for a in result.problems] == ["2", "11-2"]
    assert result.summary == "18 项：符合 16 项，部分符合 1 项，不符合 1 项"


def test_numbers_written_as_yaml_integers_still_name_their_items():
    form = get_form("beijing-a3-onsite")
    record = {"answers": {int(item.id): "是" for item in form.items}, "remarks": {4: "说明"}}
    record["answers"][4] = "否"
    result = judge(form, record)
    assert result.complete and [a.remark for a in result.problems] == ["说明"]
    assert result.summary == "17 项：是 16 项，否 1 项"


def test_guangdong_annex3_vetoes_ratings_and_anomalies():
    form = get_form("guangdong-a3")
    record = {**_all_first(form), "vetoes": ["misconduct", "bribes"], "ratings": {"prep": "良好", "hall": "优秀"},
              "anomalies": ["absences"]}
    result = judge(form, record)
    assert [v.id for v in result.vetoes] == ["misconduct"] and [a.id for a in result.anomalies] == ["absences"]
    assert result.ratings == {"prep": "良好"}
    assert set(result.unknown_keys) == {("vetoes", "bribes"), ("ratings", "hall")}
    assert "一票否决 1 项" in result.summary and "综合评定：考场准备 良好" in result.summary


def test_an_answer_not_printed_is_invalid_not_guessed():
    form = get_form("guangdong-a4")
    record = _all_first(form)
    record["answers"]["1"] = "基本一致"
    record["answers"]["99"] = "一致"
    result = judge(form, record)
    assert [a.item.id for a in result.invalid] == ["1"] and result.invalid[0].level is None
    assert result.unknown_keys == (("answers", "99"),)
    assert "选项无效 1 项" in result.summary
