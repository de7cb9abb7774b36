"""The printable downloads' cache (bundle/public.py, `beian bundle`; generator/stage_cache.py): an unchanged
institution's PDF and workbook are copied byte for byte without rendering, and a corrupt entry, another portal
address or another data version renders them again."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from conftest import BASE, ROOT, TODAY, run_beian

pytest.importorskip("weasyprint")
PAGE = "qinglan"


def _fonts_or_skip():
    from generator.bundle.fonts import FontMissing, require_fonts

    try:
        require_fonts()
    except FontMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One cold render of the base filing's public downloads: (folder, cache, out, result)."""
    _fonts_or_skip()
    root = tmp_path_factory.mktemp("downloads")
    folder, cache, out = root / "qinglan", root / "cache", root / "out"
    shutil.copytree(BASE, folder)
    with pytest.MonkeyPatch.context() as patch:
        _environment(patch, cache)
        from generator.bundle.public import institution_downloads

        result = institution_downloads((str(folder), str(out), PAGE))
    assert result.get("cached") is False, result
    return folder, cache, out, result


def _environment(patch, cache):
    patch.setenv("BEIAN_CACHE_DIR", str(cache))
    patch.setenv("BEIAN_TODAY", TODAY)
    patch.setenv("BEIAN_PORTAL_URL", "https://portal.example.org/")
    patch.delenv("BEIAN_NO_CACHE", raising=False)


@pytest.fixture
def warm(rendered, tmp_path, monkeypatch):
    """The rendered cache, copied for this test, and a counter of PDF renders."""
    folder, cache, out, result = rendered
    mine = tmp_path / "cache"
    shutil.copytree(cache, mine)
    _environment(monkeypatch, mine)
    return folder, mine, out, result, count_renders(monkeypatch)


def count_renders(monkeypatch) -> list:
    """The targets of the PDFs actually rendered from now on (render.write_pdf, weasyprint)."""
    from generator.bundle import render

    calls = []
    real = render.write_pdf

    def counted(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(render, "write_pdf", counted)
    return calls


def _downloads(folder, out):
    from generator.bundle.public import institution_downloads

    return institution_downloads((str(folder), str(out), PAGE))


def test_a_hit_copies_identical_bytes_without_rendering(warm, tmp_path):
    folder, _, out, cold, calls = warm
    result = _downloads(folder, tmp_path / "again")
    assert calls == [] and result["cached"] is True
    for name in (cold["pdf"], cold["xlsx"]):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()
    assert result["row"] == cold["row"] and result["pages"] == cold["pages"]


def test_the_summary_rows_of_hits_make_the_same_summary_workbook(warm, tmp_path):
    from generator.bundle.public import SUMMARY_NAME, write_downloads

    folder, _, out, cold, calls = warm
    results = write_downloads([(str(folder), PAGE)], tmp_path / "site", jobs=1)
    assert calls == [] and results[PAGE]["cached"] is True
    assert (tmp_path / "site" / SUMMARY_NAME).is_file() and results[PAGE]["row"] == cold["row"]


def _blob(cache, data: bytes):
    digest = hashlib.sha256(data).hexdigest()
    return cache / "stages" / "blobs" / digest[:2] / digest


def test_a_corrupt_cached_pdf_is_rendered_again(warm, tmp_path):
    folder, cache, out, cold, calls = warm
    blob = _blob(cache, (out / cold["pdf"]).read_bytes())
    assert blob.is_file()
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    result = _downloads(folder, tmp_path / "again")
    assert result["cached"] is False and len(calls) == 1
    assert (tmp_path / "again" / cold["pdf"]).read_bytes().startswith(b"%PDF")
    assert _downloads(folder, tmp_path / "third")["cached"] is True and len(calls) == 1


def _committed(monkeypatch):
    """The copy as if committed: the printouts then show its version and, with a portal, the QR link to it
    (uncommitted, they print neither, so the PDF of another portal address is the same file: a hit)."""
    from generator import data_version
    from generator.bundle import data

    def committed(path):
        return data_version.DataVersion("0123456789ab", "0123456789ab" + "0" * 28, False, "2026-11-20T10:00:00+08:00")

    monkeypatch.setattr(data_version, "data_version", committed)
    monkeypatch.setattr(data, "data_version", committed)


def test_another_portal_address_renders_again(warm, tmp_path, monkeypatch):
    folder, _, _, _, calls = warm
    _committed(monkeypatch)
    first = _downloads(folder, tmp_path / "committed")
    assert first["cached"] is False and len(calls) == 1
    monkeypatch.setenv("BEIAN_PORTAL_URL", "https://elsewhere.example.org/")
    again = _downloads(folder, tmp_path / "again")
    assert again["cached"] is False and len(calls) == 2
    assert (tmp_path / "again" / again["pdf"]).read_bytes() != (tmp_path / "committed" / first["pdf"]).read_bytes()


def test_another_data_version_renders_again(warm, tmp_path, monkeypatch):
    folder, _, out, cold, calls = warm
    _committed(monkeypatch)
    again = _downloads(folder, tmp_path / "again")
    assert again["cached"] is False and len(calls) == 1
    assert (tmp_path / "again" / again["pdf"]).read_bytes() != (out / cold["pdf"]).read_bytes()


def test_a_changed_filing_renders_again(warm, tmp_path):
    folder, _, _, _, calls = warm
    scope = folder / "scope.yaml"
    text = scope.read_text(encoding="utf-8")
    try:
        scope.write_text(text + "\n# 改过\n", encoding="utf-8")
        assert _downloads(folder, tmp_path / "again")["cached"] is False and len(calls) == 1
    finally:
        scope.write_text(text, encoding="utf-8")
    assert _downloads(folder, tmp_path / "restored")["cached"] is True and len(calls) == 1


def test_beian_bundle_takes_an_unchanged_bundle_from_the_cache(tmp_path):
    _fonts_or_skip()
    env = {"BEIAN_CACHE_DIR": str(tmp_path / "cache"), "BEIAN_PORTAL_URL": "https://portal.example.org/"}
    school = ROOT / "institutions" / "huanghe-zhongzhi"
    first = run_beian("bundle", str(school), "--out", str(tmp_path / "a"), "-j", "1", env=env)
    assert first.returncode == 0, first.stderr
    assert "取自缓存" not in first.stdout
    second = run_beian("bundle", str(school), "--out", str(tmp_path / "b"), "-j", "1", env=env)
    assert second.returncode == 0, second.stderr
    assert "取自缓存" in second.stdout and "其中 1 个机构的材料未变" in second.stdout
    assert (tmp_path / "b" / "huanghe-zhongzhi.pdf").read_bytes() == (tmp_path / "a" / "huanghe-zhongzhi.pdf").read_bytes()


def _git(folder, *args):
    import subprocess

    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def test_the_versions_read_for_many_folders_at_once_are_those_each_folder_prints(tmp_path):
    """The downloads' keys take the data version of every institution from one git log (render_key.folder_versions);
    it must be what data_version.py, which the printouts use, says of each folder."""
    from generator.bundle.render_key import folder_versions, version_parts

    repo = tmp_path / "repo"
    folders = [repo / "institutions" / name for name in ("a", "b", "c", "d")]
    for folder in folders:
        folder.mkdir(parents=True)
        (folder / "profile.yaml").write_text(f"name: {folder.name}\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "institutions/a", "institutions/b", "institutions/c")
    _git(repo, "commit", "-qm", "first")
    (folders[1] / "scope.yaml").write_text("x: 1\n", encoding="utf-8")
    _git(repo, "add", "institutions/b")
    _git(repo, "commit", "-qm", "second")
    (folders[2] / "profile.yaml").write_text("name: changed\n", encoding="utf-8")  # c: uncommitted change; d: never committed
    samples = [p for p in (ROOT / "institutions").iterdir() if p.is_dir()]
    found = folder_versions(folders + samples)
    for folder in folders + samples:
        assert found[str(folder)] == version_parts(folder)[0], folder
    assert found[str(folders[0])] != found[str(folders[1])]
