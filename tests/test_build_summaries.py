"""`beian build` makes the register-wide pages from a small summary per institution, kept between builds in a build
index (portal/summaries.py): the site is the one a build without any cache makes, after any change, and an index
that is damaged or another's is not believed."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import TODAY
from test_incremental_build import assert_same_site, build, register, rename, tree

os.environ.setdefault("BEIAN_TODAY", TODAY)

from generator.portal import summaries  # noqa: E402
from generator.stage_cache import read_value, write_value  # noqa: E402


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BEIAN_NO_CACHE", raising=False)


def uncached(institutions: Path, place: Path, monkeypatch) -> Path:
    """The site of a build that holds every entry whole (no stage cache, no summaries, no index)."""
    with monkeypatch.context() as patch:
        patch.setenv("BEIAN_NO_CACHE", "1")
        assert build(institutions, place)["full_build"]
    return place


def assert_same_build(site: Path, oracle: Path) -> None:
    assert_same_site(site / "out", oracle / "out")
    assert tree(site / "docs") == tree(oracle / "docs")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def index_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "stages" / summaries.INDEX_STAGE).rglob("*.json"))


def test_summaries_make_the_site_a_build_of_whole_entries_makes(tmp_path, monkeypatch):
    institutions = register(tmp_path)
    site = tmp_path / "site"
    first = build(institutions, site)
    assert first["entries_made"] == len(list(institutions.iterdir()))
    assert 1 <= len(index_files(tmp_path)) <= summaries.SHARDS
    assert_same_build(site, uncached(institutions, tmp_path / "whole", monkeypatch))

    again = build(institutions, site)  # from the index: nothing made, nothing rendered
    assert again["entries_made"] == 0 and again["institution_pages_rendered"] == 0
    assert_same_build(site, tmp_path / "whole")


def test_a_move_between_occupations_and_a_change_of_state_give_the_full_build(tmp_path, monkeypatch):
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    before = tree(site / "docs")

    # 焊工 leaves songyue-jishi's scope and 中式烹调师 comes in: two occupation pages change holders
    edit(institutions / "songyue-jishi" / "scope.yaml", "  - code: 6-18-02-04\n    name: 焊工",
         "  - code: 4-03-02-01\n    name: 中式烹调师")
    moved = build(institutions, site)
    assert moved["entries_made"] == 1 and moved["institution_pages_rendered"] == 1
    assert_same_build(site, uncached(institutions, tmp_path / "whole-moved", monkeypatch))
    after = tree(site / "docs")
    assert before["occupations/4-03-02-01.md"] != after["occupations/4-03-02-01.md"]
    assert "嵩岳" not in after["occupations/6-18-02-04.md"].decode("utf-8")

    # no longer 已备案: the counts, the charts, the list and the occupation pages all say so
    edit(institutions / "songyue-jishi" / "profile.yaml", "  state: 已备案", "  state: 已提交")
    build(institutions, site)
    assert_same_build(site, uncached(institutions, tmp_path / "whole-state", monkeypatch))
    assert tree(site / "docs")["index.md"] != after["index.md"]


def test_an_institution_renamed_so_that_pages_change_hands_gives_the_full_build(tmp_path, monkeypatch):
    """Pages are named after the folders; a new folder and a rename reorder the list and the rows kept per
    institution follow their page, not their place."""
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    rename(institutions / "funiu-keji", "阿拉伯数字排在前面的学校")
    shutil.copytree(institutions / "tongbai-jigong", institutions / "aaa-first")
    shutil.rmtree(institutions / "zhongyuan-gaozhi")
    build(institutions, site)
    assert_same_build(site, uncached(institutions, tmp_path / "whole", monkeypatch))


def test_a_damaged_index_is_ignored_and_made_again(tmp_path, monkeypatch):
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    shards = index_files(tmp_path)
    damaged = {}
    for shard in shards:
        data = bytearray(shard.read_bytes())
        data[-20] ^= 0xFF  # the payload no longer has the digest its header names
        shard.write_bytes(bytes(data))
        damaged[shard] = bytes(data)
    rename(institutions / "songyue-jishi", "嵩岳技师学院（更名）")
    mended = build(institutions, site)
    assert mended["entries_made"] == 1 and mended["entries_cached"] == len(list(institutions.iterdir())) - 1
    assert_same_build(site, uncached(institutions, tmp_path / "whole", monkeypatch))
    assert index_files(tmp_path) == shards and all(shard.read_bytes() != damaged[shard] for shard in shards)
    assert build(institutions, site)["entries_made"] == 0

    for shard in shards:
        shard.write_bytes(b"not an index at all\n")
    build(institutions, site)
    assert_same_build(site, tmp_path / "whole")


def test_a_summary_that_is_another_institutions_is_not_believed(tmp_path, monkeypatch):
    """An index whose digest is right but whose items were written for other folders: an item under another
    folder's entry key is not used, nor a summary that names another folder under the right key."""
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    from generator.portal.build import institution_files

    key = summaries._index_key(institution_files, False)
    songyue, tongbai = str(institutions / "songyue-jishi"), str(institutions / "tongbai-jigong")
    shard_of = {folder: summaries._shard_key(key, summaries._shard(folder)) for folder in (songyue, tongbai)}
    stored = {shard: json.loads(read_value(summaries.INDEX_STAGE, shard)) for shard in set(shard_of.values())}
    items = {folder: stored[shard][folder] for folder, shard in shard_of.items()}
    stored[shard_of[songyue]][songyue] = items[tongbai]  # tongbai's item, entry key and all, filed under songyue
    stored[shard_of[tongbai]][tongbai] = [items[tongbai][0], items[songyue][1], items[songyue][2]]  # songyue's summary
    for shard, value in stored.items():
        assert write_value(summaries.INDEX_STAGE, shard, json.dumps(value, ensure_ascii=False))
    shutil.rmtree(site / "docs")  # every page is made again, from what the index says
    build(institutions, site)
    assert_same_build(site, uncached(institutions, tmp_path / "whole", monkeypatch))
    assert "嵩岳" in (site / "docs" / "institutions" / "songyue-jishi.md").read_text(encoding="utf-8")


def test_a_build_holds_summaries_and_reads_whole_entries_back_a_few_at_a_time(tmp_path, monkeypatch):
    """A whole entry is some 250 KB in memory (5 GB at 20,000 institutions): the workers hand the build process the
    summary only, and an institution's page, files and sessions read its entry back from the stage cache, keeping
    no more than RECENT. With RECENT = 1 (every read evicts the last) the site is still the one of whole entries."""
    from generator.portal.build import institution_files

    monkeypatch.setattr(summaries, "RECENT", 1)
    institutions = register(tmp_path)
    folders = sorted(p for p in institutions.iterdir() if p.is_dir())
    gathered = summaries.gather(folders, jobs=1, extras=institution_files)
    assert len(gathered.entries) == len(folders)
    assert not any(field in entry for entry in gathered.entries for field in summaries.HEAVY)
    assert gathered._full == {}  # nothing whole is held from the gathering
    for entry in gathered.entries:
        whole = gathered.full(entry)
        assert whole["criteria"] and "extras" not in whole and gathered.files(entry)["json"]
        assert len(gathered._recent) <= 1

    site = tmp_path / "site"
    assert build(institutions, site)["full_build"]
    assert_same_build(site, uncached(institutions, tmp_path / "whole", monkeypatch))
