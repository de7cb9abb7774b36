"""The rendered PDF is keyed by what the renderer consumes (generator/bundle/pdf_cache.py), not by the evaluation
date or the code digest in the downloads' own key: a new day or a new commit that prints the same bytes takes
the PDF from the cache; anything printed or read that changed renders it again."""
from __future__ import annotations

import shutil

import pytest

from conftest import BASE, ROOT, TODAY, run_beian
from test_download_cache import PAGE, _fonts_or_skip, count_renders

pytest.importorskip("weasyprint")
NEXT_DAY = "2026-11-24"


@pytest.fixture
def filing(tmp_path, monkeypatch):
    """A copy of the base filing, a private cache, and a list of the PDFs actually rendered."""
    _fonts_or_skip()
    folder = tmp_path / "qinglan"
    shutil.copytree(BASE, folder)
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BEIAN_TODAY", TODAY)
    monkeypatch.setenv("BEIAN_PORTAL_URL", "https://portal.example.org/")
    monkeypatch.delenv("BEIAN_NO_CACHE", raising=False)
    return folder, tmp_path, count_renders(monkeypatch)


def _undated(monkeypatch, extra: str = ""):
    """A bundle that prints no evaluation date (the base filing's cover prints 生成日期, and its document
    dates are the evaluation date as the copy is not committed): what any day prints is then the same."""
    from generator.bundle import render
    from generator.clock import evaluation_date

    real = render.bundle_html

    def html(*args, **kwargs):
        return real(*args, **kwargs).replace(evaluation_date().isoformat(), "2026-11-01") + extra

    monkeypatch.setattr(render, "bundle_html", html)


def _downloads(folder, out):
    from generator.bundle.public import institution_downloads

    result = institution_downloads((str(folder), str(out), PAGE))
    assert "error" not in result, result
    return result


def test_a_new_day_printing_the_same_takes_the_pdf_from_the_cache(filing, monkeypatch):
    folder, tmp, calls = filing
    _undated(monkeypatch)
    first = _downloads(folder, tmp / "day1")
    assert first["cached"] is False and len(calls) == 1
    monkeypatch.setenv("BEIAN_TODAY", NEXT_DAY)
    second = _downloads(folder, tmp / "day2")
    assert second["cached"] is True and len(calls) == 1
    assert (tmp / "day2" / second["pdf"]).read_bytes() == (tmp / "day1" / first["pdf"]).read_bytes()
    assert second["pages"] == first["pages"]
    # the workbook prints the day it was made and is written anew, the 汇总表 row is that day's
    assert (tmp / "day2" / second["xlsx"]).is_file() and second["row"] == first["row"]


def test_the_printed_generation_date_makes_a_new_day_render_again(filing, monkeypatch):
    """The real cover prints 生成日期 (the evaluation date): the PDF of another day differs, so it is rendered."""
    folder, tmp, calls = filing
    _downloads(folder, tmp / "day1")
    monkeypatch.setenv("BEIAN_TODAY", NEXT_DAY)
    assert _downloads(folder, tmp / "day2")["cached"] is False and len(calls) == 2


def test_a_changed_printed_field_on_a_new_day_renders_again(filing, monkeypatch):
    folder, tmp, calls = filing
    _undated(monkeypatch)
    _downloads(folder, tmp / "day1")
    profile = folder / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    monkeypatch.setenv("BEIAN_TODAY", NEXT_DAY)
    profile.write_text(text.replace("青岚路18号", "青岚路19号"), encoding="utf-8")
    second = _downloads(folder, tmp / "day2")
    assert second["cached"] is False and len(calls) == 2


def test_different_html_over_the_same_folder_renders_again(filing, monkeypatch):
    folder, tmp, calls = filing
    _undated(monkeypatch)
    _downloads(folder, tmp / "day1")
    monkeypatch.setenv("BEIAN_TODAY", NEXT_DAY)
    _undated(monkeypatch, "<p>多印一行</p>")
    assert _downloads(folder, tmp / "day2")["cached"] is False and len(calls) == 2


def test_a_new_commit_of_the_code_keeps_the_pdf_of_an_unchanged_page(filing):
    """The downloads' own entry misses when any code changes (the code digest is in its key); with the stage's
    entries gone, as after a commit, the PDF whose HTML and files are the same is copied, not rendered."""
    from generator import stage_cache
    from generator.bundle.public import DOWNLOAD_STAGE

    folder, tmp, calls = filing
    first = _downloads(folder, tmp / "before")
    shutil.rmtree(stage_cache._root() / DOWNLOAD_STAGE)
    second = _downloads(folder, tmp / "after")
    assert second["cached"] is True and len(calls) == 1
    assert (tmp / "after" / second["pdf"]).read_bytes() == (tmp / "before" / first["pdf"]).read_bytes()


def test_a_corrupt_rendered_pdf_is_rendered_again(filing, monkeypatch):
    import hashlib

    from generator import stage_cache

    folder, tmp, calls = filing
    _undated(monkeypatch)
    first = _downloads(folder, tmp / "day1")
    data = (tmp / "day1" / first["pdf"]).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    blob = stage_cache._root() / "blobs" / digest[:2] / digest
    blob.write_bytes(data[:-10] + b"0123456789")
    monkeypatch.setenv("BEIAN_TODAY", NEXT_DAY)
    second = _downloads(folder, tmp / "day2")
    assert second["cached"] is False and len(calls) == 2
    assert (tmp / "day2" / second["pdf"]).read_bytes() == data


def test_a_pdf_that_ran_out_of_time_is_not_kept(filing, monkeypatch):
    """A resource refused for time (a loaded machine) is not something the filing asked for: render again."""
    from generator.bundle import render
    from generator.bundle.fetcher import TIME_LIMIT

    folder, tmp, calls = filing
    counted = render.write_pdf

    def short_of_time(*args, **kwargs):
        return {**counted(*args, **kwargs), "refused": [f"超过 60 {TIME_LIMIT}，不再读取：file:///evidence/x.png"]}

    monkeypatch.setattr(render, "write_pdf", short_of_time)
    _downloads(folder, tmp / "a")
    monkeypatch.setattr(render, "write_pdf", counted)
    again = _downloads(folder, tmp / "b")
    assert again["cached"] is False and len(calls) == 2
    assert _downloads(folder, tmp / "c")["cached"] is True and len(calls) == 2


def test_no_cache_renders_every_time(filing, monkeypatch):
    folder, tmp, calls = filing
    monkeypatch.setenv("BEIAN_NO_CACHE", "1")
    _undated(monkeypatch)
    _downloads(folder, tmp / "a")
    assert _downloads(folder, tmp / "b")["cached"] is False and len(calls) == 2


def test_beian_bundle_after_a_commit_takes_unchanged_pdfs_from_the_cache(tmp_path):
    """`beian bundle` (the department's copy and its 认定实施计划): its own entries gone, as after a commit that
    changes no printed word, the PDFs are copied, byte for byte, and said to be."""
    _fonts_or_skip()
    cache = tmp_path / "cache"
    env = {"BEIAN_CACHE_DIR": str(cache), "BEIAN_PORTAL_URL": "https://portal.example.org/"}
    school = ROOT / "institutions" / "huanghe-zhongzhi"
    first = run_beian("bundle", str(school), "--out", str(tmp_path / "a"), "-j", "1", env=env)
    assert first.returncode == 0, first.stderr
    shutil.rmtree(cache / "stages" / "bundle")
    second = run_beian("bundle", str(school), "--out", str(tmp_path / "b"), "-j", "1", env=env)
    assert second.returncode == 0, second.stderr
    assert "取自缓存" in second.stdout and "其中 1 个机构的材料未变" in second.stdout
    pdfs = sorted(p.name for p in (tmp_path / "a").glob("*.pdf"))
    assert pdfs and pdfs == sorted(p.name for p in (tmp_path / "b").glob("*.pdf"))
    for name in pdfs:
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "a" / name).read_bytes(), name
