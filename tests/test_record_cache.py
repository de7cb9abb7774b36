"""The record cache (generator/record_cache.py): a warm `beian check` says exactly what a cold one says,
and any change to what judges an institution — its files, a session, the evaluation date — is seen at once."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import BASE, FIXTURES, ROOT, run_beian
from filing_patch import apply_edits

FORMATS = ("text", "markdown", "json", "github", "sarif")


@pytest.fixture
def school(tmp_path):
    """The base filing, filed, with the base session: a folder the test may change."""
    folder = tmp_path / "qinglan"
    shutil.copytree(BASE, folder)
    apply_edits(folder, {"variant": "filed"})
    shutil.copytree(FIXTURES / "base-session", folder / "sessions" / "T2026-12")
    return folder


def _check(*args, cache, **env):
    return run_beian("check", *args, env={"BEIAN_CACHE_DIR": str(cache), **env})


def _same_run(text: str) -> str:
    """The github format stops workflow commands with a fresh random token each run; the rest must match."""
    found = re.search(r"^::stop-commands::(\w+)$", text, re.M)
    return text.replace(found.group(1), "TOKEN") if found else text


def _entries(cache):
    return sorted((cache / "records").rglob("*.rec"))


def _views(cache):
    """The output pieces made of records (record_cache.cached_view), one per record and format."""
    return sorted((cache / "records").rglob("*.view"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_warm_check_of_the_samples_says_exactly_what_a_cold_one_says(tmp_path, fmt):
    cache = tmp_path / "cache"
    cold = _check("-f", fmt, "--no-cache", cache=cache)
    assert not _entries(cache)  # --no-cache neither reads nor writes
    first = _check("-f", fmt, cache=cache)
    folders = [p for p in (ROOT / "institutions").iterdir() if p.is_dir()] + \
        [p for p in (ROOT / "department").iterdir() if p.is_dir()]   # institutions and department registers
    assert len(_entries(cache)) == len(_views(cache)) == len(folders)  # each folder's record and output piece
    warm = _check("-f", fmt, cache=cache)
    outputs = [(r.returncode, _same_run(r.stdout)) for r in (cold, first, warm)]
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_changed_session_file_is_judged_again(school, tmp_path):
    cache = tmp_path / "cache"
    assert _check(str(school), cache=cache).returncode == 0
    plan = school / "sessions" / "T2026-12" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("    level: 4", "    level: 2"), encoding="utf-8")
    result = _check(str(school), cache=cache)
    assert result.returncode == 1 and "[session-scope] 车工 的等级 2 不在备案范围内" in result.stdout
    assert len(_entries(cache)) == 2


def test_a_new_session_folder_is_seen(school, tmp_path):
    cache = tmp_path / "cache"
    _check(str(school), cache=cache)
    shutil.copytree(FIXTURES / "base-session", school / "sessions" / "T2027-01")
    result = _check(str(school), cache=cache)
    # the copy still says plan_number T2026-12: its folder name is now wrong, and the new folder is judged
    assert "认定计划（2 个）" in result.stdout and "[session-folder-name]" in result.stdout


def test_another_evaluation_date_is_another_entry(school, tmp_path):
    cache = tmp_path / "cache"
    before = _check(str(school), "-f", "json", cache=cache)
    after = _check(str(school), "-f", "json", cache=cache, BEIAN_TODAY="2026-12-10")
    assert len(_entries(cache)) == 2
    upcoming = [json.loads(r.stdout)["filings"][0]["sessions"][0]["upcoming"] for r in (before, after)]
    assert upcoming == [True, False]


def _forged(data: bytes, damage: str) -> bytes:
    """The entry (MAGIC, key, payload digest, marshalled record) damaged or forged in one way."""
    import hashlib
    import marshal

    from generator.record_cache import MAGIC

    head = len(MAGIC) + 64 + 32
    record = marshal.loads(data[head:])
    forged = marshal.dumps(dict(record, name="伪造的学校"))
    signed = lambda key, payload: MAGIC + key + hashlib.sha256(payload).digest() + payload  # noqa: E731
    return {"truncated": data[:-200],
            "foreign key": signed(b"0" * 64, forged),
            "not marshal": data[:head] + b"\x00\xff garbage",
            "payload changed, digest not": data[:head] + forged,
            "wrong kind": signed(data[len(MAGIC):len(MAGIC) + 64], marshal.dumps(dict(record, kind="session"))),
            "old json entry": b'{"format": 1, "key": "x", "record": {}}'}[damage]


@pytest.mark.parametrize("entries", [_entries, _views])
@pytest.mark.parametrize("damage", ["truncated", "foreign key", "not marshal", "payload changed, digest not",
                                    "wrong kind", "old json entry"])
def test_a_damaged_or_foreign_entry_is_rebuilt_not_trusted(school, tmp_path, damage, entries):
    cache = tmp_path / "cache"
    clean = _check(str(school), cache=cache)
    if entries is _entries:  # without its output piece the record itself is read
        [view] = _views(cache)
        view.unlink()
    [entry] = entries(cache)
    stored = entry.read_bytes()
    entry.write_bytes(_forged(stored, damage))
    again = _check(str(school), cache=cache)
    assert again.stdout == clean.stdout and "伪造的学校" not in again.stdout
    assert entry.read_bytes() == stored  # rewritten whole


def test_a_changed_rule_or_schema_byte_means_new_keys(tmp_path):
    from generator.record_cache import tree_digest

    project = tmp_path / "project"
    for name in ("generator", "rules", "schemas"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    before = tree_digest(project)
    assert tree_digest(project) == before
    sheet = project / "rules" / "sheets" / "henan-2022-session.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = tree_digest(project)
    (project / "schemas" / "extra.schema.json").write_text("{}", encoding="utf-8")
    assert len({before, changed, tree_digest(project)}) == 3


def test_cache_lives_outside_the_repository_by_default(monkeypatch):
    from generator.cache import cache_dir

    monkeypatch.delenv("BEIAN_CACHE_DIR", raising=False)
    assert ROOT not in cache_dir().resolve().parents


def test_a_large_scan_is_keyed_without_reading_it_and_a_rewritten_one_is_seen(school):
    import os

    from generator.record_cache import CONTENT_LIMIT, record_key

    # with review decisions attachments are keyed by content (a decision's digest covers its evidence)
    (school / "reviews.yaml").write_text("decisions: []\n", encoding="utf-8")
    scan = school / "evidence" / "large-scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n" + b"0" * CONTENT_LIMIT)
    os.utime(scan, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = record_key(school, "2026-11-23")
    scan.write_bytes(b"%PDF-1.7\n" + b"1" * CONTENT_LIMIT)  # same size, new content, new modification time
    assert record_key(school, "2026-11-23") != before


def test_a_fifo_in_the_folder_does_not_block_the_key(school):
    import os

    from generator.record_cache import record_key

    os.mkfifo(school / "evidence" / "pipe")
    assert len(record_key(school, "2026-11-23")) == 64  # would hang for ever if the FIFO were read


def test_a_register_is_judged_again_when_a_session_it_dispatches_to_changes(tmp_path):
    """A register's dispatches are judged against the sessions' plans: a plan changed outside the register's
    folder still means a new record (the key covers every profile.yaml and plan.yaml)."""
    project = tmp_path / "project"
    for part in ("rules", "schemas", "institutions/songyue-jishi", "department/henan"):
        shutil.copytree(ROOT / part, project / part)
    shutil.copy(ROOT / "beian.yaml", project / "beian.yaml")
    cache = tmp_path / "cache"
    env = {"BEIAN_ROOT": str(project), "BEIAN_TODAY": "2026-11-23"}
    first = _check(str(project / "department" / "henan"), cache=cache, **env)
    assert "周文斌" not in first.stdout and len(_entries(cache)) == 1
    assert _check(str(project / "department" / "henan"), cache=cache, **env).stdout == first.stdout
    plan = project / "institutions" / "songyue-jishi" / "sessions" / "SY2026-12" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("examiners: [毛建新]}", "examiners: [周文斌]}", 1), encoding="utf-8")
    again = _check(str(project / "department" / "henan"), cache=cache, **env)
    assert "[dispatch-avoidance]" in again.stdout and "周文斌（豫督外2025006）是认定计划 SY2026-12 的考评员" in again.stdout
    assert len(_entries(cache)) == 2
