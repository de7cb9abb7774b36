"""Sharded builds (`beian build --shard K/N`, generator/shards.py): every institution in exactly one shard, the
same one on every machine, and a shard run fills the cache without writing the site."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, run_beian
from generator.shards import ShardError, parse_shard, select, shard_of


def test_a_shard_is_the_same_on_every_machine_and_in_every_python_run():
    # fixed values: SHA-256 of the folder name, never Python's per-process hash()
    assert [shard_of(n, 8) for n in ("inst-0000", "huanghe-zhongzhi", "河南青岚技工学校")] == [6, 6, 5]
    other = subprocess.run([sys.executable, "-c", "from generator.shards import shard_of; print(shard_of('inst-0000', 8))"],
                           cwd=ROOT, capture_output=True, text=True, env={"PYTHONHASHSEED": "12345", "PATH": ""})
    assert other.stdout.strip() == "6"


def test_every_institution_is_in_exactly_one_shard_and_shards_are_even():
    names = [Path(f"/register/inst-{i:04d}") for i in range(4000)]
    for count in (1, 2, 3, 8):
        shards = [select(names, k, count) for k in range(1, count + 1)]
        assert sorted(p for shard in shards for p in shard) == sorted(names)
        assert Counter(p for shard in shards for p in shard).most_common(1)[0][1] == 1
        sizes = [len(s) for s in shards]
        assert max(sizes) <= 1.15 * len(names) / count and min(sizes) >= 0.85 * len(names) / count


def test_a_folder_given_with_a_trailing_slash_or_relative_is_the_same_institution(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert select([Path("inst-0000/")], 6, 8) == [Path("inst-0000")]
    assert select([Path(str(tmp_path / "inst-0000") + "/")], 6, 8)


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "1/0", "a/b", "-1/2", "1/2/3", ""])
def test_a_shard_that_does_not_exist_is_refused(text):
    with pytest.raises(ShardError, match="K/N"):
        parse_shard(text)


def test_a_shard_parses():
    assert parse_shard("2/8") == (2, 8) and parse_shard(" 1 / 1 ") == (1, 1)


def test_build_refuses_a_bad_shard_in_chinese():
    result = run_beian("build", "--shard", "5/4", "--no-downloads")
    assert result.returncode == 2
    assert "分片 5/4 不存在" in result.stderr and "Traceback" not in result.stderr


def test_a_shard_run_fills_the_cache_and_writes_no_site(tmp_path):
    cache, docs = tmp_path / "cache", tmp_path / "docs"
    institutions = sorted(p for p in (ROOT / "institutions").iterdir() if p.is_dir())
    env = {"BEIAN_CACHE_DIR": str(cache)}
    made = {}
    for k in (1, 2):
        result = run_beian("build", *map(str, institutions), "--shard", f"{k}/2", "--no-downloads", "--docs-dir", str(docs),
                           env=env)
        assert result.returncode == 0, result.stderr
        chosen = select(institutions, k, 2)
        assert f"分片 {k}/2：{len(chosen)} 个机构" in result.stdout
        assert f"新生成 {len(chosen)} 个" in result.stdout
        made[k] = len(chosen)
    assert made[1] + made[2] == len(institutions)
    assert not docs.exists()
    again = run_beian("build", *map(str, institutions), "--shard", "1/1", "--no-downloads", env=env)
    assert f"取自缓存 {len(institutions)} 个，新生成 0 个" in again.stdout


def test_after_every_shard_a_plain_build_finds_every_institution_made(tmp_path, monkeypatch):
    from generator.cli import _institution_dirs
    from generator.portal.build import institution_files
    from generator.portal.model import collect

    cache = tmp_path / "cache"
    institutions = [str(p) for p in sorted((ROOT / "institutions").iterdir()) if p.is_dir()]
    for k in (1, 2, 3):
        result = run_beian("build", *institutions, "--shard", f"{k}/3", "--no-downloads", env={"BEIAN_CACHE_DIR": str(cache)})
        assert result.returncode == 0, result.stderr
    monkeypatch.chdir(ROOT)  # as run_beian runs: the working directory is part of every key
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(cache))
    monkeypatch.setenv("BEIAN_TODAY", "2026-11-23")
    monkeypatch.delenv("BEIAN_NO_CACHE", raising=False)
    counts = {}
    collect(_institution_dirs(institutions), jobs=1, extras=institution_files, counts=counts)  # what generate() gathers
    assert counts == {"cached": len(institutions), "made": 0}
