"""`beian new-record`: a blank record for one session, form and card that lists each item's printed options,
ticks nothing, never overwrites, and does not pass `beian check` until it is filled in."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import ROOT, run_beian
from generator.forms.model import get_form

SLUG, PLAN, CARD = "songyue-jishi", "SY2026-10", "豫督外2024001"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "institutions" / SLUG, root / "institutions" / SLUG)
    shutil.copytree(ROOT / "department" / "henan", root / "department" / "henan")
    shutil.copy(ROOT / "beian.yaml", root / "beian.yaml")
    return root


def _new(project, *args):
    return run_beian("new-record", SLUG, PLAN, *args, "--project", str(project))


def _judged(project, name):
    from generator.engine import evaluate_records
    from generator.filing import load_filing, load_session

    school = project / "institutions" / SLUG
    session = load_session(school / "sessions" / PLAN, project)
    results = evaluate_records(session, load_filing(school, project), project, today=dt.date(2026, 11, 23))
    return next(r for r in results if r.filing.slug == name)


def test_the_template_lists_every_item_with_its_options_and_ticks_nothing(project):
    result = _new(project, "--form", "guangdong-a4", "--card", CARD)
    assert result.returncode == 0, result.stderr
    path = project / "institutions" / SLUG / "sessions" / PLAN / "supervision" / f"guangdong-a4-{CARD}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../../../schemas/record.schema.json")
    assert '"11-2":   # 11. 评价现场秩序情况：良好 / 一般 / 混乱' in text
    data = yaml.safe_load(text)
    form = get_form("guangdong-a4")
    assert set(data["answers"]) == {item.id for item in form.items}
    assert all(value is None for value in data["answers"].values()) and "signed" not in data
    assert (data["plan_number"], data["date"], data["card"]) == (PLAN, "2026-10-16", CARD)


def test_an_unfilled_template_fails_the_check_item_by_item_without_schema_errors(project):
    assert _new(project, "--form", "guangdong-a4", "--card", CARD).returncode == 0
    result = _judged(project, f"guangdong-a4-{CARD}")
    assert result.valid, [f.message for f in result.findings if f.severity == "error"]
    unanswered = [f for f in result.findings if f.rule == "record-answers" and "未作答" in f.message]
    assert len(unanswered) == 18
    assert result.decision == "ineligible"
    assert any(f.rule == "record-deadline" and "没有签字日期" in f.message for f in result.findings)


def test_nanchang_template_shows_points_and_the_computer_exam_answer(project):
    assert _new(project, "--form", "nanchang-onsite", "--card", "嵩岳内督2025001").returncode == 0
    text = (project / "institutions" / SLUG / "sessions" / PLAN / "supervision"
            / "nanchang-onsite-嵩岳内督2025001.yaml").read_text(encoding="utf-8")
    assert "25-30人标准考场12分 / 会议室或阶梯教室10分 / 未安排单人单桌0分 / 机考（此项满分）" in text
    assert "\nrole: 内督\n" in text   # the card is one of the institution's own 内督 cards
    assert "header:\n  occupation: （请填写职业）" in text


def test_it_never_overwrites_and_refuses_what_it_cannot_place(project):
    assert _new(project, "--form", "guangdong-a4", "--card", CARD).returncode == 0
    again = _new(project, "--form", "guangdong-a4", "--card", CARD)
    assert again.returncode == 2 and "已存在" in again.stderr
    assert _new(project, "--form", "shanghai-a1", "--card", CARD).returncode == 2
    assert "证卡编号" in _new(project, "--form", "guangdong-a4", "--card", "../../x").stderr
    outside = run_beian("new-record", "../..", PLAN, "--form", "guangdong-a4", "--card", CARD, "--project", str(project))
    assert outside.returncode == 2 and "找不到认定计划" in outside.stderr
    wrong_role = _new(project, "--form", "guangdong-a4", "--card", CARD, "--role", "内督")
    assert wrong_role.returncode == 2 and "由外督填写" in wrong_role.stderr
