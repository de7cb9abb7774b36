from generator.identifiers import (certificate_number_problems, credit_code_check_char, credit_code_valid,
                                   decode_certificate_number,
                                   parse_filing_number)

CITY_CODES = {f"{i:02d}" for i in range(19)}


def test_credit_code_check_character():
    # A published example code of GB 32100-2015: 91350100M000100Y43.
    assert credit_code_valid("91350100M000100Y43")
    assert not credit_code_valid("91350100M000100Y44")
    prefix = "12410300MB1234567"
    assert credit_code_valid(prefix + credit_code_check_char(prefix))


def test_seed_example_certificate_number_is_valid():
    # seed 004 第三部分 六：例：Y 0000 41 01 9001 22 1 000001
    assert certificate_number_problems("Y 0000 41 01 9001 22 1 000001", CITY_CODES) == []
    decoded = decode_certificate_number("Y000041019001221000001")
    assert (decoded.city, decoded.serial, decoded.year, decoded.level) == ("01", "9001", "22", 1)
    assert decoded.filing_number == "Y000041019001"


def test_certificate_number_errors_name_the_position():
    assert any("第 8-9 位" in p for p in certificate_number_problems("Y000041259001221000001", CITY_CODES))
    assert any("9001-9999" in p for p in certificate_number_problems("Y000041018001221000001", CITY_CODES))
    assert any("1-5" in p for p in certificate_number_problems("Y000041019001226000001", CITY_CODES))
    assert any("22 位" in p for p in certificate_number_problems("Y00004101900122100001", CITY_CODES))
    assert any("Y" in p for p in certificate_number_problems("X000041019001221000001", CITY_CODES))


def test_filing_number():
    assert parse_filing_number("Y000041039012")
    assert parse_filing_number("Y000041038999") is None
    assert parse_filing_number("Y00004103901") is None
