"""The validity rules about values report in one fixed order: by file, then by the path's steps read
as text (so the 11th list entry, index 10, comes before the 3rd, index 2). The walk that produces
that order directly must agree with sorting, for long lists, deep nesting and non-text keys alike."""
from __future__ import annotations

import random
from types import SimpleNamespace

from generator.checks import values


def _sorted_reference(filing):
    return sorted(((doc, path, value, node, required)
                   for doc, document in filing.docs.items()
                   for path, value, node, required in values._typed_values(doc, document.data)),
                  key=lambda item: (item[0], [str(step) for step in item[1]]))


def _filing(docs):
    return SimpleNamespace(docs={doc: SimpleNamespace(data=data) for doc, data in docs.items()}, derived={})


def _random_data(rng, depth=0):
    roll = rng.random()
    if depth < 4 and roll < 0.35:
        keys = ["policies", "name", "date", "items", "a", "ab", "b", "1", "10", "2", "evidence"]
        return {key: _random_data(rng, depth + 1) for key in rng.sample(keys, rng.randint(0, 6))}
    if depth < 4 and roll < 0.6:
        return [_random_data(rng, depth + 1) for _ in range(rng.choice([0, 1, 3, 11, 23]))]
    return rng.choice(["", "  ", "2026-01-01", "请填写", 3, None, True])


def _same(docs):
    filing = _filing(docs)
    expected = _sorted_reference(filing)
    assert [(d, p, v, r) for d, p, v, _, r in values._values(filing)] == [(d, p, v, r) for d, p, v, _, r in expected]
    assert [n for *_, n, _ in values._values(filing)] == [n for *_, n, _ in expected]


def test_walk_order_matches_sorting_on_random_documents():
    rng = random.Random(20261123)
    for _ in range(300):
        _same({doc: _random_data(rng) for doc in rng.sample(["profile", "personnel", "policies", "sites"], 3)})


def test_long_lists_put_index_ten_before_two():
    filing = _filing({"personnel": {"staff": [{"name": f"n{i}"} for i in range(12)]}})
    paths = [path for _, path, *_ in values._values(filing)]
    assert paths[:4] == [("staff", 0, "name"), ("staff", 1, "name"), ("staff", 10, "name"), ("staff", 11, "name")]
    _same({"personnel": {"staff": [{"name": f"n{i}"} for i in range(12)]}})


def test_keys_that_are_not_text_fall_back_to_sorting():
    _same({"profile": {1: "a", "1": "b", True: "c", "True": "d", None: "e", "name": {"x": 1, 2: "y"}},
           "sites": {"sites": [{"name": "s"}] * 12}})


def test_nesting_deeper_than_recursion_allows_still_walks():
    data: object = "bottom"
    for _ in range(5000):
        data = [data]
    _same({"profile": {"deep": data, "name": "x"}})


def test_walk_leaves_no_cycle_behind():
    """Each filing's values go when the filing does, not at the next cyclic collection."""
    import gc

    values._values(_filing({"profile": {"name": "x", "staff": [{"name": "y"}]}}))  # warm the schema caches
    gc.collect()
    gc.disable()
    try:
        values._values(_filing({"profile": {"name": "x", "staff": [{"name": "y"}]}}))
        assert gc.collect() == 0
    finally:
        gc.enable()
