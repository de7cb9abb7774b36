"""A PDF or workbook read back clean is remembered by its bytes (generator/scan_memo.py): the site's assembly
does not read again what the render already scanned, and nothing that leaks, nothing changed and no stricter
scan is ever let through on the strength of an old answer."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from generator import published, scan_memo

MOBILE = "+86 177 1234 8091"


def _workbook(path, text: str):
    book = Workbook()
    book.active["A1"] = text
    book.save(path)
    return path


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("BEIAN_CACHE_DIR", str(folder))
    monkeypatch.delenv("BEIAN_NO_CACHE", raising=False)
    return folder


def _unread(monkeypatch):
    """The workbook reader replaced by one that fails: a scan that still answers did not read the file."""
    def refuse(path, masked):
        raise AssertionError(f"{path} was read again")
    monkeypatch.setattr(published, "_workbook_hits", refuse)


def test_the_same_clean_bytes_are_not_read_twice(tmp_path, cache, monkeypatch):
    book = _workbook(tmp_path / "清单.xlsx", "车工 四级")
    assert published.scan_file(book) == []
    copy = tmp_path / "另一份.xlsx"
    copy.write_bytes(book.read_bytes())
    _unread(monkeypatch)
    assert published.scan_file(copy) == []  # the same bytes elsewhere: known clean


def test_a_leak_is_found_every_time_and_a_changed_file_is_read_again(tmp_path, cache, monkeypatch):
    book = _workbook(tmp_path / "汇总表.xlsx", f"联系人 {MOBILE}")
    for _ in range(2):
        assert [leak.label for leak in published.scan_file(book)] == ["手机号"]
    clean = _workbook(tmp_path / "汇总表.xlsx", "联系人 见官网")
    assert published.scan_file(clean) == []
    _workbook(tmp_path / "汇总表.xlsx", f"联系人 {MOBILE}")  # leaks again: never answered from the memo
    assert [leak.label for leak in published.scan_file(book)] == ["手机号"]


def test_clean_for_the_department_is_not_clean_for_the_public(tmp_path, cache):
    book = _workbook(tmp_path / "申请表.xlsx", "身份证 410102********123X")
    assert published.scan_file(book, masked=False) == []  # the department's copy may hold a masked number
    assert [leak.label for leak in published.scan_file(book, masked=True)] != []


def test_another_scanner_or_no_cache_reads_again(tmp_path, cache, monkeypatch):
    book = _workbook(tmp_path / "清单.xlsx", "车工 四级")
    assert published.scan_file(book) == []
    monkeypatch.setattr(scan_memo, "scan_fingerprint", lambda: "a stricter detector")
    calls = []
    original = published._workbook_hits
    monkeypatch.setattr(published, "_workbook_hits", lambda path, masked: calls.append(path) or original(path, masked))
    assert published.scan_file(book) == [] and len(calls) == 1
    monkeypatch.setenv("BEIAN_NO_CACHE", "1")
    assert published.scan_file(book) == [] and len(calls) == 2


def test_a_changed_detector_is_another_fingerprint(tmp_path):
    import shutil
    from pathlib import Path

    package = Path(scan_memo.__file__).resolve().parent
    copy = tmp_path / "generator"
    copy.mkdir()
    for name in scan_memo.SCAN_CODE:
        shutil.copy(package / name, copy / name)
    assert scan_memo.scan_fingerprint(copy) == scan_memo.scan_fingerprint(package)
    (copy / "personal.py").write_text((package / "personal.py").read_text(encoding="utf-8") + "\n# stricter\n",
                                      encoding="utf-8")
    scan_memo.scan_fingerprint.cache_clear()  # once per process in use; this test changes the code under it
    assert scan_memo.scan_fingerprint(copy) != scan_memo.scan_fingerprint(package)
