"""The renderer's URL fetcher: only the institution's folder and the bundle assets, no network, a time limit."""
from __future__ import annotations

import pytest

pytest.importorskip("weasyprint")

from generator.bundle.fetcher import ASSETS_DIR, FetchRefused, make_fetcher  # noqa: E402


@pytest.fixture
def school(tmp_path):
    folder = tmp_path / "school"
    (folder / "evidence").mkdir(parents=True)
    (folder / "evidence" / "a.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "evidence" / "link.png").symlink_to(tmp_path / "secret.txt")
    return folder


def test_allows_institution_files_and_assets(school):
    fetcher = make_fetcher([school, ASSETS_DIR])
    assert fetcher.fetch((school / "evidence" / "a.png").as_uri()).read() == b"png"
    assert b"@page" in fetcher.fetch((ASSETS_DIR / "bundle.css").as_uri()).read()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.com/x.png",
    "https://example.com/x.css",
    "ftp://example.com/x",
    "data:text/plain,hello",
    "file://otherhost/etc/passwd",
])
def test_refuses_outside_and_network(school, url):
    fetcher = make_fetcher([school, ASSETS_DIR])
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused


def test_refuses_dotdot_and_symlinks_out(school):
    fetcher = make_fetcher([school, ASSETS_DIR])
    with pytest.raises(FetchRefused):
        fetcher.fetch((school / "evidence").as_uri() + "/../../secret.txt")
    with pytest.raises(FetchRefused):
        fetcher.fetch((school / "evidence" / "link.png").as_uri())


def test_time_limit(school):
    fetcher = make_fetcher([school], timeout=0)
    with pytest.raises(FetchRefused, match="时限"):
        fetcher.fetch((school / "evidence" / "a.png").as_uri())


def test_check_does_not_import_heavy_modules():
    import subprocess
    import sys

    code = ("import sys, generator.cli as c; c.build_parser(); "
            "print(sorted(m for m in ('weasyprint','pandas','openpyxl','jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
