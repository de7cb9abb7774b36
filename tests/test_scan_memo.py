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


# --- long texts, remembered by their chunks ----------------------------------------------------------------------

PIECES = ["1", "3", "8", "0", "７", "X", "x", "*", "×", "a", "Z", "中", "：", " ", "-", "\u3000", "\u200b", ".",
          "\n", "\r\n", "\n  ", "138", "0013", "4101", "1990", "0101", "1234", "BEGIN:VEVENT", "</td>"]


def _found(text: str, masked: bool) -> list[tuple]:
    return [(hit.kind, hit.digits, text[hit.start:hit.end]) for hit in published.personal.find(text, masked)]


@pytest.mark.parametrize("masked", [False, True])
def test_chunks_find_what_the_whole_text_holds(masked):
    """Cut only where no number can run across: the chunks' numbers are the whole text's, in order."""
    import random

    rng = random.Random(20261202)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 120)))
        chunks = published.text_chunks(text, size=rng.randint(1, 30))
        assert "".join(chunks) == text
        assert [hit for chunk in chunks for hit in _found(chunk, masked)] == _found(text, masked), repr(text)


def _feed(lines: int, changed: str = "") -> str:
    return "".join(f"BEGIN:VEVENT\nSUMMARY:认定考试 第{i}场 {changed if i == lines // 2 else ''}\nEND:VEVENT\n"
                   for i in range(lines))


def test_a_long_text_is_scanned_again_only_where_it_changed(tmp_path, cache, monkeypatch):
    feed = tmp_path / "all.ics"
    feed.write_text(_feed(20000), encoding="utf-8")
    assert published.scan_file(feed) == []
    scanned = []
    find = published.personal.find
    monkeypatch.setattr(published.personal, "find", lambda text, masked=False: scanned.append(len(text)) or find(text, masked))
    assert published.scan_file(feed) == [] and scanned == []  # every chunk known clean
    feed.write_text(_feed(20000, "（改期）"), encoding="utf-8")
    assert published.scan_file(feed) == []
    assert len(scanned) == 1 and scanned[0] < len(feed.read_text(encoding="utf-8")) / 10  # the changed chunk only


def test_a_number_in_a_long_text_is_found_with_its_line(tmp_path, cache):
    feed = tmp_path / "all.ics"
    feed.write_text(_feed(20000), encoding="utf-8")
    assert published.scan_file(feed) == []
    feed.write_text(_feed(20000, f"联系 {MOBILE}"), encoding="utf-8")
    leaks = published.scan_file(feed)
    assert [(leak.label, leak.place) for leak in leaks] == [("手机号", f"第 {3 * 10000 + 2} 行")]
    assert published.scan_file(feed)  # still found: a leak is never remembered
