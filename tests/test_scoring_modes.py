"""Each scoring mode of the sheet, on hand-made observations."""
from __future__ import annotations

import pytest

from generator.checks import credit, deficiency, needs_review, note
from generator.scoring import score
from generator.sheet import Criterion


def criterion(mode: str, **extra) -> Criterion:
    return Criterion(id="x", section="s", group="g", title="t", content="c", standard="s", mode=mode,
                     method="m", check="c", **extra)


@pytest.mark.parametrize("observations, status, awarded, potential", [
    ([], "met", 3, 3),
    ([note("fine")], "met", 3, 3),
    ([deficiency("a")], "unmet", 0, 0),
    ([needs_review("judge")], "pending", 0, 3),
    ([deficiency("a"), needs_review("judge")], "unmet", 0, 0),
])
def test_all_or_nothing(observations, status, awarded, potential):
    outcome = score(criterion("all_or_nothing", max=3), observations)
    assert (outcome.status, outcome.awarded, outcome.potential) == (status, awarded, potential)


@pytest.mark.parametrize("deficiencies, status, awarded", [(0, "met", 5), (1, "partial", 4), (4, "partial", 1),
                                                           (5, "unmet", 0), (9, "unmet", 0)])
def test_deduction_per_deficiency_floored_at_zero(deficiencies, status, awarded):
    outcome = score(criterion("deduction", max=5, per=1), [deficiency("x")] * deficiencies)
    assert (outcome.status, outcome.awarded) == (status, awarded)


def test_deduction_two_points_per_unqualified_person():
    outcome = score(criterion("deduction", max=4, per=2), [deficiency("p1")])
    assert outcome.awarded == 2
    assert score(criterion("deduction", max=4, per=2), [deficiency("p1")] * 3).awarded == 0


def test_deduction_with_judgment_waits_for_reviewer_but_caps_potential():
    outcome = score(criterion("deduction", max=6, per=2, review=True), [deficiency("a"), needs_review("x")])
    assert (outcome.status, outcome.awarded, outcome.potential) == ("pending", 0, 4)


@pytest.mark.parametrize("credits, awarded", [(0, 0), (1, 1), (3, 3), (5, 5), (8, 5)])
def test_per_item_capped_at_maximum(credits, awarded):
    assert score(criterion("per_item", max=5, per=1), [credit("x")] * credits).awarded == awarded


def test_discretion_is_pending_unless_data_rules_it_out():
    assert score(criterion("discretion", max=10), [note("x")]).status == "pending"
    assert score(criterion("discretion", max=10), [deficiency("x")]).status == "pending"
    zeroed = score(criterion("discretion", max=10, zero_if_deficient=True), [deficiency("x")])
    assert (zeroed.status, zeroed.potential) == ("unmet", 0)


def test_veto():
    assert score(criterion("veto"), []).status == "met"
    assert score(criterion("veto"), [deficiency("x")]).status == "vetoed"
    assert score(criterion("veto", review=True), [needs_review("on site")]).status == "pending"


def test_bonus():
    assert score(criterion("bonus", points=2), [credit("x")]).awarded == 2
    assert score(criterion("bonus", points=2), [credit("x"), credit("y")]).awarded == 2
    assert score(criterion("bonus", points=2), [note("no evidence")]).status == "unmet"
