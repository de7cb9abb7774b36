"""`beian cache`: the caches are listed, files nobody used for some days are removed, files in use and files the
caches did not write are kept, and removing cache files never changes what `beian check` says."""
from __future__ import annotations

import os
import time

from conftest import run_beian

MONTH_AGO = time.time() - 30 * 86400


def _run(*args, cache, **env):
    return run_beian(*args, env={"BEIAN_CACHE_DIR": str(cache), **env})


def _age_everything(cache) -> None:
    for folder, _, files in os.walk(cache):
        for name in files:
            os.utime(os.path.join(folder, name), (MONTH_AGO, MONTH_AGO))


def _files(cache, suffix: str) -> list:
    return sorted(p for p in cache.rglob(f"*{suffix}") if p.is_file())


def test_info_lists_what_the_checks_stored(tmp_path):
    cache = tmp_path / "cache"
    assert _run("check", cache=cache).returncode in (0, 1)
    info = _run("cache", cache=cache)
    assert info.returncode == 0 and f"缓存位置：{cache}" in info.stdout
    for words in ("检查记录：", "检查输出片段：", "文件夹摘要：", "编译好的规则与校验器：", "合计"):
        assert words in info.stdout


def test_prune_keeps_what_a_run_used_and_removes_what_none_did(tmp_path):
    cache = tmp_path / "cache"
    today = _run("check", "-f", "json", cache=cache)
    _run("check", "-f", "json", cache=cache, BEIAN_TODAY="2026-12-10")  # another day's records, not used again
    records = _files(cache, ".rec")
    _age_everything(cache)
    again = _run("check", "-f", "json", cache=cache)  # today's records are read (and so marked used)
    assert again.stdout == today.stdout
    pruned = _run("cache", "prune", "--days", "7", cache=cache)
    assert pruned.returncode == 0 and "删除 7 天内没用过的" in pruned.stdout
    kept = _files(cache, ".rec")
    assert 0 < len(kept) < len(records)  # the other day's records went, today's stayed
    assert _files(cache, ".view")
    assert _run("check", "-f", "json", cache=cache).stdout == today.stdout


def test_files_the_caches_did_not_write_are_never_removed(tmp_path):
    cache = tmp_path / "cache"
    _run("check", cache=cache)
    mine = [cache / "我的笔记.txt", cache / "records" / "README", cache / "stages" / "keep.json"]
    for path in mine:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("不是缓存\n", encoding="utf-8")
    _age_everything(cache)
    interrupted = cache / "records" / "ab" / f"{'a' * 64}.rec.4242.tmp"
    interrupted.parent.mkdir(parents=True, exist_ok=True)
    interrupted.write_bytes(b"half")
    os.utime(interrupted, (MONTH_AGO, MONTH_AGO))
    cleared = _run("cache", "clear", cache=cache)
    assert cleared.returncode == 0 and "已清空缓存" in cleared.stdout
    assert all(path.read_text(encoding="utf-8") == "不是缓存\n" for path in mine)
    assert not interrupted.exists() and not _files(cache, ".rec") and not _files(cache, ".bin")


def test_a_fresh_prune_removes_nothing_and_bad_days_are_refused(tmp_path):
    cache = tmp_path / "cache"
    _run("check", cache=cache)
    before = sorted(p for p in cache.rglob("*") if p.is_file())
    assert "删除 14 天内没用过的 0 个文件" in _run("cache", "prune", cache=cache).stdout
    assert sorted(p for p in cache.rglob("*") if p.is_file()) == before
    refused = _run("cache", "prune", "--days", "-1", cache=cache)
    assert refused.returncode == 2 and "--days 不能是负数" in refused.stderr and "Traceback" not in refused.stderr


def test_an_empty_cache_location_is_said_not_created(tmp_path):
    cache = tmp_path / "nowhere"
    shown = _run("cache", cache=cache)
    assert shown.returncode == 0 and "还没有缓存" in shown.stdout and not cache.exists()


def test_stored_pages_and_files_in_use_survive_a_prune(tmp_path, monkeypatch):
    """A PDF's entry and bytes (stage_cache) are kept while builds keep fetching them, however old they are."""
    from generator import stage_cache
    from generator.cache_files import prune

    cache = tmp_path / "cache"
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(cache))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7 reused every day\n")
    assert stage_cache.store_files("pdf-render", "1" * 64, {"pdf": pdf}, meta={"pages": 1})
    assert stage_cache.store_files("pdf-render", "2" * 64, {"pdf": pdf}, meta={"pages": 2})  # same bytes, once
    assert stage_cache.write_value("portal-entry", "3" * 64, {"name": "不再用的条目"})
    _age_everything(cache)
    assert stage_cache.fetch_files("pdf-render", "1" * 64, tmp_path / "out") == {"pages": 1}
    removed, kept = prune(cache, days=7)
    assert sorted(kept.areas) == ["stage entries", "stored files"] and kept.files == 2
    assert removed.files == 2  # the other PDF's entry and the unused page entry
    assert stage_cache.fetch_files("pdf-render", "1" * 64, tmp_path / "again") == {"pages": 1}
