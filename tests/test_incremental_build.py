"""`beian build` again after a change renders only what changed, and the site it leaves is the site a fresh full
build makes, byte for byte (portal/incremental.py, portal/docs_writer.py)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import TODAY
from test_portal_pages import SAMPLES, make_evil

os.environ.setdefault("BEIAN_TODAY", TODAY)

from generator.portal import build as portal  # noqa: E402
from generator.portal.incremental import MANIFEST  # noqa: E402

SITE_URL = "https://beian.example.cn/portal/"
ID = "41030319900307001X"  # a made-up number with a valid check digit


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(tmp_path / "cache"))


def register(tmp: Path) -> Path:
    """The samples and the hostile copy, as folders a test may change."""
    folder = tmp / "institutions"
    folder.mkdir()
    for sample in SAMPLES:
        shutil.copytree(sample, folder / sample.name)
    make_evil(folder)
    return folder


def folders(register_dir: Path) -> list[Path]:
    return sorted(p for p in register_dir.iterdir() if p.is_dir())


def build(register_dir: Path, place: Path, **options) -> dict:
    return portal.build_portal(folders(register_dir), docs=place / "docs", out=place / "out", strict=True, jobs=1,
                               downloads=False, site_url=options.pop("site_url", SITE_URL), **options)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file a reader of the site gets (the hidden marker and manifests are beian's own)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def assert_same_site(built: Path, fresh: Path) -> None:
    mine, theirs = tree(built), tree(fresh)
    assert sorted(mine) == sorted(theirs)
    different = [path for path in mine if mine[path] != theirs[path]]
    assert different == []


def rename(folder: Path, new_name: str) -> None:
    profile = folder / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("  name: "))
    profile.write_text(text.replace(old, f"  name: {new_name}", 1), encoding="utf-8")


def test_changed_added_and_removed_institutions_give_the_full_build(tmp_path):
    institutions = register(tmp_path)
    first = build(institutions, tmp_path / "site")
    assert first["full_build"] and first["pages_reused"] == 0

    again = build(institutions, tmp_path / "site")  # nothing changed: nothing rendered, nothing re-read
    assert not again["full_build"] and again["pages_rendered"] == 0
    assert again["institution_pages_rendered"] == 0 and again["read_files"] == 0

    rename(institutions / "songyue-jishi", "嵩岳技师学院（更名）")
    shutil.copytree(institutions / "tongbai-jigong", institutions / "tongbai-fenxiao")
    rename(institutions / "tongbai-fenxiao", "桐柏技工学校分校")
    shutil.rmtree(institutions / "funiu-keji")
    changed = build(institutions, tmp_path / "site")
    fresh = build(institutions, tmp_path / "fresh")
    assert not changed["full_build"] and fresh["full_build"]
    assert changed["institution_pages_rendered"] == 2  # the renamed one and the new one
    # the changed pages, the new ones and the lists and counts that show them; far from all
    assert 0 < changed["pages_rendered"] < fresh["pages_rendered"] / 3
    assert changed["pages_rendered"] + changed["pages_reused"] == fresh["pages_rendered"]
    assert 0 < changed["read_files"] < changed["scanned_files"]
    assert_same_site(tmp_path / "site" / "out", tmp_path / "fresh" / "out")
    assert tree(tmp_path / "site" / "docs") == tree(tmp_path / "fresh" / "docs")
    assert not (tmp_path / "site" / "out" / "institutions" / "funiu-keji").exists()
    search = json.loads((tmp_path / "site" / "out" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("嵩岳技师学院（更名）" in doc["title"] for doc in search["docs"])


def test_a_corrupt_manifest_an_altered_page_and_stray_files_are_mended(tmp_path):
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    build(institutions, tmp_path / "fresh")
    out = site / "out"

    (out / MANIFEST).write_text('{"format": 1, "site": "x", "files": [', encoding="utf-8")
    assert build(institutions, site)["full_build"]
    assert_same_site(out, tmp_path / "fresh" / "out")

    (out / MANIFEST).write_bytes(b"\xff\xfe not json")
    assert build(institutions, site)["full_build"]

    page = out / "institutions" / "songyue-jishi" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>改过</p></body>"), encoding="utf-8")
    (out / "stray.html").write_text("<p>不是构建写的</p>", encoding="utf-8")
    (site / "docs" / "institutions" / "zhongyuan-gaozhi.md").write_text("# 手改\n", encoding="utf-8")
    mended = build(institutions, site)
    assert not mended["full_build"]
    # the altered output is made again; the hand-edited source is written back as it was (its page's output
    # already matches that), and the stray file goes
    assert mended["pages_rendered"] == 1 and mended["institution_pages_rendered"] == 1
    assert_same_site(out, tmp_path / "fresh" / "out")


def test_another_site_setting_means_a_full_build(tmp_path, monkeypatch):
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    other_url = "https://other.example.cn/"
    assert build(institutions, site, site_url=other_url)["full_build"]
    assert_same_site(site / "out", build_fresh(institutions, tmp_path / "fresh-url", site_url=other_url))

    # a changed mkdocs.yml: a copy beside the real one's theme overrides and hook
    config = tmp_path / "config" / "mkdocs.yml"
    config.parent.mkdir()
    text = portal.CONFIG.read_text(encoding="utf-8")
    text = text.replace("custom_dir: overrides", f"custom_dir: {portal.CONFIG.parent / 'overrides'}")
    text = text.replace("../generator/portal/search_hook.py", str(portal.CONFIG.parent.parent / "generator" / "portal"
                                                                    / "search_hook.py"))
    text = text.replace("site_description: ", "site_description: 改过的说明 ")
    config.write_text(text, encoding="utf-8")
    monkeypatch.setattr(portal, "CONFIG", config)
    again = build(institutions, site, site_url=other_url)
    assert again["full_build"]
    assert "改过的说明" in (site / "out" / "index.html").read_text(encoding="utf-8")
    assert_same_site(site / "out", build_fresh(institutions, tmp_path / "fresh-config", site_url=other_url))


def build_fresh(institutions: Path, place: Path, **options) -> Path:
    assert build(institutions, place, **options)["full_build"]
    return place / "out"


def test_a_leak_in_a_changed_page_fails_the_build_and_removes_the_site(tmp_path, monkeypatch):
    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    real_page = portal.pages.institution_page

    def leaking(entry, *args, **kwargs):
        text = real_page(entry, *args, **kwargs)
        return text + f"\n\n联系人身份证 {ID}\n" if entry["institution"] == "songyue-jishi" else text

    monkeypatch.setattr(portal.pages, "institution_page", leaking)
    rename(institutions / "songyue-jishi", "嵩岳技师学院（泄露）")
    with pytest.raises(portal.PrivacyError, match="songyue-jishi"):
        build(institutions, site)
    assert not (site / "out").exists()

    monkeypatch.setattr(portal.pages, "institution_page", real_page)
    rename(institutions / "songyue-jishi", "嵩岳技师学院")
    assert build(institutions, site)["full_build"]  # nothing kept from the refused site


def test_anchor_links_are_still_checked_against_pages_not_rendered_again(tmp_path):
    """A changed page linking to a missing anchor of an unchanged page fails the strict build, one linking to an
    anchor the unchanged page has does not; and an unchanged page whose linked anchor disappears fails too."""
    from mkdocs.exceptions import Abort

    institutions = register(tmp_path)
    site = tmp_path / "site"
    build(institutions, site)
    docs, out = site / "docs", site / "out"
    from generator.engine import evaluation_date
    from generator.portal.footer import footer_facts

    footer = footer_facts(folders(institutions), evaluation_date())  # as build_portal gives it
    guide = docs / "guide.md"
    original = guide.read_text(encoding="utf-8")
    target = docs / "occupations" / "index.md"
    heading = next(line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("## "))
    anchor = heading[3:].strip().replace(" ", "-").lower()
    from generator.portal.incremental import read_manifest

    assert anchor in read_manifest(out)["pages"]["occupations/index.md"]["anchors"]
    good = f"\n\n[见职业列表](occupations/index.md#{anchor})\n"
    guide.write_text(original + good, encoding="utf-8")
    run: dict = {}
    portal.build_site(docs, out, True, SITE_URL, footer=footer, run=run)  # no false warning
    assert not run["full"] and run["rendered"] == 1
    portal.scan_site(out, run, 0)

    guide.write_text(original + "\n\n[无此锚点](occupations/index.md#no-such-anchor)\n", encoding="utf-8")
    with pytest.raises(Abort):
        portal.build_site(docs, out, True, SITE_URL, footer=footer, run={})
    assert not (out / MANIFEST).exists()  # the next build is a full one

    guide.write_text(original + good, encoding="utf-8")
    run = {}
    portal.build_site(docs, out, True, SITE_URL, footer=footer, run=run)
    portal.scan_site(out, run, 0)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace(heading + "\n", ""), encoding="utf-8")
    with pytest.raises(Abort):
        portal.build_site(docs, out, True, SITE_URL, footer=footer, run={})
