"""Versions of each institution from git history (版本记录) and the Atom feeds of changes (变更订阅)."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT
from portal_build import SITE_URL, build

from generator.portal import changes, history
from generator.portal.history import FolderHistory, Version

A = "{http://www.w3.org/2005/Atom}"
GIT = shutil.which("git")


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.cn", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def _own_commits(folder: str) -> list[str]:
    return _git(ROOT, "log", "--format=%H", "--", f"institutions/{folder}").split()


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    if not GIT or _git(ROOT, "rev-parse", "--is-shallow-repository").strip() != "false":
        pytest.skip("needs this project's full git history")
    pytest.importorskip("mkdocs")
    return build(tmp_path_factory.mktemp("portal-feeds"))


def test_version_anchors_are_the_commits_that_changed_the_folder(out):
    page = (out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<li id="v-([0-9a-f]{12})">', page)
    commits = _own_commits("songyue-jishi")
    assert anchors == [c[:12] for c in commits] and len(anchors) > 2  # newest first, each commit once
    first = page.split(f'<li id="v-{anchors[0]}">', 1)[1].split("</li>", 1)[0]
    assert "当前版本" in first and page.count("当前版本") == 1
    assert "历史不完整" not in page
    # the hostile copy lives outside any repository: no versions, said so
    evil = (out / "institutions" / "evil-school" / "index.html").read_text(encoding="utf-8")
    assert "无法读取 git 历史" in evil and 'id="v-' not in evil


def _parse(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated", "author/" + A + "name"):
        assert (root.findtext(A + tag) or "").strip(), tag
    for entry in root.findall(A + "entry"):
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.findtext(A + tag) or "").strip(), tag
        dt.datetime.fromisoformat(entry.findtext(A + "updated"))  # RFC 3339 with its offset
        assert entry.find(A + "link").get("href")
    return root


def test_feeds_are_atom_with_stable_ids_and_links_to_the_versions(out):
    feed = _parse(out / "feeds" / "institutions" / "songyue-jishi.xml")
    entries = feed.findall(A + "entry")
    commits = _own_commits("songyue-jishi")
    assert [e.find(A + "link").get("href") for e in entries] == \
        [f"{SITE_URL}institutions/songyue-jishi/#v-{c[:12]}" for c in commits]
    assert feed.findtext(A + "updated") == entries[0].findtext(A + "updated")
    ids = [e.findtext(A + "id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    assert feed.find(A + "link[@rel='self']").get("href") == f"{SITE_URL}feeds/institutions/songyue-jishi.xml"
    register = _parse(out / "feeds" / "all.xml")
    register_ids = {e.findtext(A + "id") for e in register.findall(A + "entry")}
    assert set(ids) <= register_ids  # one change, one id, in both feeds
    text = (out / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert "@" not in text.replace("@beian", "")  # no e-mail addresses; authors are not read at all
    page = (out / "institutions" / "songyue-jishi" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="本机构备案数据变更" ' \
           'href="../../feeds/institutions/songyue-jishi.xml">' in page
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="备案数据变更（全部机构）" href="feeds/all.xml">' in home


HOSTILE = '<script>alert("x")</script> & ]]> \x01\x0b 学校'


def _hostile_entry() -> dict:
    versions = [Version("0123456789abcdef0123456789abcdef01234567", "2026-11-20T10:00:00+08:00", ("人员", "其他文件"))]
    return {"institution": "hostile", "page": "hostile", "name": HOSTILE,
            "history": FolderHistory(tracked=True, versions=versions)}


def test_a_hostile_name_is_escaped_in_the_feed():
    entry = _hostile_entry()
    for text in (changes.institution_feed(entry, dt.date(2026, 11, 23), SITE_URL),
                 changes.all_feed([entry], dt.date(2026, 11, 23))):
        assert "<script>" not in text and "\x01" not in text
        root = ET.fromstring(text.encode("utf-8"))
        title = root.find(A + "entry").findtext(A + "title")
        assert title.startswith('<script>alert("x")</script> & ]]>  学校：')  # the name as written, as text
    again = changes.institution_feed(entry, dt.date(2030, 1, 1), "https://elsewhere.example/")
    assert ET.fromstring(again).find(A + "entry").findtext(A + "id") == \
        ET.fromstring(changes.institution_feed(entry, dt.date(2026, 11, 23))).find(A + "entry").findtext(A + "id")


def test_a_feed_without_versions_is_still_valid():
    entry = {"institution": "new", "page": "new", "name": "新学校", "history": FolderHistory(tracked=True)}
    root = ET.fromstring(changes.institution_feed(entry, dt.date(2026, 11, 23)))
    assert root.findtext(A + "updated") == "2026-11-23T00:00:00+00:00" and root.findall(A + "entry") == []


# --- reading the history ----------------------------------------------------------------------------

@pytest.fixture
def registry(tmp_path):
    """A repository with two institutions: a changed twice (profile, then scope and evidence), b once."""
    if not GIT:
        pytest.skip("git not installed")
    repo = tmp_path / "registry"
    (repo / "institutions" / "a" / "evidence").mkdir(parents=True)
    (repo / "institutions" / "b").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "institutions" / "a" / "profile.yaml").write_text("x: 1\n", encoding="utf-8")
    (repo / "institutions" / "b" / "profile.yaml").write_text("x: 1\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "张三 13812345678 first")
    (repo / "institutions" / "a" / "scope.yaml").write_text("x: 2\n", encoding="utf-8")
    (repo / "institutions" / "a" / "evidence" / "批文.md").write_text("x\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "second")
    return repo


def test_one_git_log_reads_every_institution(registry, monkeypatch):
    calls = []
    real = subprocess.run

    def counting(args, *rest, **kw):
        calls.append(args)
        return real(args, *rest, **kw)

    monkeypatch.setattr(history.subprocess, "run", counting)
    folders = [registry / "institutions" / "a", registry / "institutions" / "b"]
    found = history.histories(folders)
    assert len(calls) == 3  # rev-parse, log, status: for all institutions together
    a, b = found[str(folders[0])], found[str(folders[1])]
    assert [v.parts for v in a.versions] == [("认定范围", "证明材料"), ("基本情况",)]
    assert [v.parts for v in b.versions] == [("基本情况",)]
    assert a.tracked and not a.shallow and not a.modified
    lines = "\n".join(changes.version_section({"page": "a", "history": a}))
    assert "修改了认定范围、证明材料" in lines and "张三" not in lines and "138" not in lines
    (folders[1] / "profile.yaml").write_text("x: 3\n", encoding="utf-8")
    assert history.histories(folders)[str(folders[1])].modified


def test_a_shallow_clone_says_the_history_is_incomplete(registry, tmp_path):
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{registry}", str(clone))
    folder = clone / "institutions" / "a"
    found = history.histories([folder])[str(folder)]
    assert found.shallow and len(found.versions) == 1
    text = "\n".join(changes.version_section({"page": "a", "history": found}))
    assert "历史不完整" in text and f'id="v-{found.versions[0].commit[:12]}"' in text


def test_without_git_the_section_is_a_note(tmp_path, monkeypatch):
    folder = tmp_path / "institutions" / "a"
    folder.mkdir(parents=True)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    found = history.histories([folder])[str(folder)]
    assert not found.tracked and found.versions == []
    text = "\n".join(changes.version_section({"page": "a", "history": found}))
    assert "无法读取 git 历史" in text and "v-" not in text
