"""The stage caches (generator/stage_cache.py) of the portal's entries: an entry from the cache is exactly the
one `beian build` would compute, and any change to the institution's folder makes it anew."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import BASE, FIXTURES, TODAY


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(folder))
    monkeypatch.setenv("BEIAN_TODAY", TODAY)
    monkeypatch.delenv("BEIAN_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def school(tmp_path):
    """The base filing with the base session: a folder the test may change."""
    folder = tmp_path / "qinglan"
    shutil.copytree(BASE, folder)
    shutil.copytree(FIXTURES / "base-session", folder / "sessions" / "T2026-12")
    return folder


def _entries(cache):
    return sorted((cache / "stages" / "portal-entry").rglob("*.json"))


def test_tagged_values_come_back_equal_and_of_the_same_types():
    from generator.stage_cache import dumps, loads
    from generator.supervision.public_records import PublicRecord

    value = {"day": dt.date(2026, 11, 23), "at": dt.datetime(2026, 1, 2, 3, 4), "pair": (1, "二"),
             "$looks_like_a_tag": 1, 3: [None, True, 1.5, float("inf")], (1, 2): {},
             "line": PublicRecord("现场质量督导情况报告表", dt.date(2026, 6, 13), "得分 67")}
    back = loads(dumps(value))
    assert back == value
    assert type(back["pair"]) is tuple and type(back["day"]) is dt.date and type(back["line"]) is PublicRecord


def test_an_entry_may_name_no_class_outside_the_package():
    from generator.stage_cache import loads

    with pytest.raises((ValueError, ImportError, AttributeError)):
        loads('{"$dataclass": ["subprocess:Popen", {"args": "true"}]}')


def test_a_cached_entry_is_the_freshly_computed_one(cache, school):
    from generator.portal.build import institution_files
    from generator.portal.model import cached_entry, entry_for

    first, hit = cached_entry(str(school), extras=institution_files)
    assert not hit and len(_entries(cache)) == 1
    again, hit = cached_entry(str(school), extras=institution_files)
    assert hit
    fresh = entry_for(str(school), dt.date.fromisoformat(TODAY), extras=institution_files)
    assert again == fresh == first
    assert again["extras"]["json"] == fresh["extras"]["json"] and again["sessions"] == fresh["sessions"]


def test_a_changed_file_in_the_folder_makes_the_entry_anew(cache, school):
    from generator.portal.model import cached_entry

    before, _ = cached_entry(str(school))
    profile = school / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    name = before["name"]
    assert f"  name: {name}\n" in text
    profile.write_text(text.replace(f"  name: {name}\n", f"  name: {name}分校\n", 1), encoding="utf-8")
    after, hit = cached_entry(str(school))
    assert not hit and after["name"] == name + "分校"
    evidence = next(p for p in (school / "evidence").rglob("*") if p.is_file())
    evidence.write_bytes(evidence.read_bytes() + b"\n")
    assert cached_entry(str(school))[1] is False


def test_the_department_build_and_another_date_have_entries_of_their_own(cache, school, monkeypatch):
    from generator.portal.model import cached_entry

    cached_entry(str(school))
    assert cached_entry(str(school), internal=True)[1] is False
    assert cached_entry(str(school), now=dt.date(2026, 12, 1))[1] is False
    assert cached_entry(str(school))[1] is True


def test_a_corrupt_or_foreign_entry_is_ignored_and_made_again(cache, school):
    from generator.portal.model import cached_entry

    fresh, _ = cached_entry(str(school))
    (path,) = _entries(cache)
    data = path.read_bytes()
    path.write_bytes(data[:-20] + b'"tampered": 1}')     # payload no longer matches its digest
    entry, hit = cached_entry(str(school))
    assert not hit and entry == fresh
    path.write_bytes(b"not json at all")
    assert cached_entry(str(school)) == (fresh, False)
    assert cached_entry(str(school)) == (fresh, True)


def test_no_cache_neither_reads_nor_writes(cache, school, monkeypatch):
    from generator.portal.model import cached_entry

    monkeypatch.setenv("BEIAN_NO_CACHE", "1")
    assert cached_entry(str(school))[1] is False
    assert not _entries(cache)


def test_collect_counts_what_came_from_the_cache(cache, school):
    from generator.portal.model import collect

    counts = {}
    cold = collect([school], jobs=1, counts=counts)
    assert counts == {"cached": 0, "made": 1}
    warm = collect([school], jobs=1, counts=counts)
    assert counts == {"cached": 1, "made": 0} and warm == cold
