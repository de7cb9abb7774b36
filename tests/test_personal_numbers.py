"""The one detector of personal numbers (generator/personal.py): every disguise people type is
found, the masked form is the only one ever shown, and ordinary numbers are left alone."""
from __future__ import annotations

import pytest

from generator import personal

ID = "41140219650712001X"        # checksum-valid, fictional
ID_B = "41140219900315202X"
MOBILE = "17712348091"


def _found(text: str, masked: bool = False) -> list[tuple[str, str]]:
    return [(hit.kind, hit.masked) for hit in personal.find(text, masked)]


@pytest.mark.parametrize("text", [
    f"身份证{ID}",
    "王建国（身份证411402-19650712-001X）",
    "411402 1965 0712 001X",
    "411402.19650712.001X",
    "４１１４０２１９６５０７１２００１Ｘ",
    "411402\u200b19650712\u200c001X",
    "411402\u3000\u300019650712\u00a0001X",
    "4114021965\n      0712001X",               # a YAML folded string broken over two lines
    "4 1 1 4 0 2 1 9 6 5 0 7 1 2 0 0 1 X",
    "411402 19650712 001x",
])
def test_an_id_number_is_found_however_it_is_typed(text):
    assert _found(text) == [("id18", "4114**********001X")]


@pytest.mark.parametrize("text", [
    MOBILE, "+86 177 1234 8091", "+8617712348091", "0086-177-1234-8091", "177-1234-8091",
    "177 12348091", "1771234 8091", "１７７１２３４８０９１", "177\u200d1234\u200d8091",
    "177\n  1234 8091", "1 7 7 1 2 3 4 8 0 9 1",
])
def test_a_mobile_number_is_found_however_it_is_typed(text):
    assert _found(text) == [("mobile", "177****8091")]


def test_old_fifteen_digit_numbers_are_found():
    assert _found("旧号 411402650712001") == [("id15", "4114*******2001")]


@pytest.mark.parametrize("text", [
    "0371-63912345", "(0379) 6391 2345 转 8016", "2025-05-21 — 2028-05-20", "2019 2020 2021 2022 2023",
    "Y000041019001", "Y0000410190012530000001", "91410300MA44XXXX1B", "面积 1380 平方米，12 个工位",
    "410102********123X", "138****5678", "考场 13 14 15 16 17 18 号",
    # 18 digits with separators but a wrong check digit: joined neighbouring numbers, not an ID
    "411402 19650712 0011",
])
def test_ordinary_numbers_are_not_personal_numbers(text):
    assert _found(text) == []


def test_a_contiguous_number_with_a_wrong_check_digit_still_counts():
    # typed in one piece, a plausible birth date is enough: a typo in the last digit is still a leak
    assert _found("411402196507120011") == [("id18", "4114**********0011")]


@pytest.mark.parametrize("text, kind", [
    ("410102********123X", "masked_id"), ("4101**********1234", "masked_id"), ("410102●●●●●●●●123X", "masked_id"),
    ("410102××××××××123X", "masked_id"), ("410102xxxxxxxx123X", "masked_id"), ("410102＊＊＊＊＊＊＊＊1234", "masked_id"),
    ("138****5678", "masked_mobile"), ("138●●●●5678", "masked_mobile"),
])
def test_masked_forms_are_found_for_publishing_only(text, kind):
    assert _found(text) == []
    assert [hit.kind for hit in personal.find(f"证件 {text}。", masked=True)] == [kind]


def test_masking_shows_only_the_ends_and_redaction_removes_everything():
    text = f"张三 {ID}，电话 +86 177-1234-8091，李四 410102********123X"
    assert personal.mask_text(text) == "张三 4114**********001X，电话 177****8091，李四 410102********123X"
    redacted = personal.redact(text)
    assert redacted == "张三 （身份证号不公开），电话 （手机号不公开），李四 （身份证号不公开）"
    assert not personal.contains(redacted, masked=True)


def test_two_numbers_side_by_side_are_both_found():
    assert _found(f"{ID} {ID_B} {MOBILE}") == [("id18", "4114**********001X"), ("id18", "4114**********202X"),
                                               ("mobile", "177****8091")]


def test_findings_never_carry_a_full_number():
    from generator.findings import Finding

    finding = Finding("schema", "error", f"值“{ID}”格式不正确", f"institutions/x/evidence/{MOBILE}.pdf", 3,
                      hint=f"例如 {ID}")
    assert ID not in finding.message and ID not in finding.hint and MOBILE not in finding.file
    assert "4114**********001X" in finding.message and "177****8091" in finding.file


def test_hostile_sizes_stay_linear():
    # a megabyte of digits and separators: the run pattern has no nested repetition to backtrack into
    text = ("1 2-3." * 200_000)[:1_000_000]
    assert personal.find(text) == []  # ends, and joins no mixed-separator digits into a number
    assert len(personal.find(("177-1234-8091，" * 50_000))) == 50_000
