"""Identifier formats: 统一社会信用代码, 身份证号, 手机号, 机构备案号, 证书编号.

Pure functions with no I/O, each answering one question about one string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .personal import contains, redact

# GB 32100-2015: 18 characters; the last is a check character over the first 17.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str | None:
    try:
        total = sum(_CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS))
    except ValueError:
        return None
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    if len(code) != 18 or any(ch not in _CREDIT_ALPHABET for ch in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


# Personal numbers (身份证号, 手机号) are found by the one detector in personal.py; these names are
# what the publishing code calls it by.
def remove_id_numbers(text: str) -> str:
    """The text with every personal number, full or masked, replaced by a notice (for publishing)."""
    return redact(text)


def has_id_number(text: str) -> bool:
    """Any personal number, full or masked, in text: nothing published may contain one."""
    return contains(text, masked=True)


# 机构备案号: Y + 0000 + 41 (河南) + 2-digit city code (附表1) + 9001–9999 (seed 004 备案回执).
FILING_NUMBER = re.compile(r"^Y0000(?P<province>41)(?P<city>[0-9]{2})(?P<serial>9[0-9]{3})\Z")


@dataclass(frozen=True)
class CertificateNumber:
    prefix: str
    city: str
    serial: str
    year: str
    level: int
    sequence: str

    @property
    def filing_number(self) -> str:
        return self.prefix + self.city + self.serial

    @property
    def issue_year(self) -> int:
        """第 14-15 位 are the last two digits of the year the certificate is issued (20xx)."""
        return 2000 + int(self.year)


# 证书编号 (seed 004 第三部分 六): 1 letter + 21 digits.
CERTIFICATE_NUMBER = re.compile(
    r"^(?P<prefix>Y000041)(?P<city>[0-9]{2})(?P<serial>[0-9]{4})(?P<year>[0-9]{2})(?P<level>[0-9])(?P<sequence>[0-9]{6})\Z")


def parse_filing_number(value: str) -> re.Match | None:
    match = FILING_NUMBER.match(value)
    if match and not (9001 <= int(match["serial"]) <= 9999):
        return None
    return match


def certificate_number_problems(value: str, city_codes: set[str]) -> list[str]:
    """Everything wrong with a sample certificate number, in Chinese; [] when it is right."""
    compact = value.replace(" ", "")
    if len(compact) != 22:
        return [f"证书编号应为 22 位（1 位字母 + 21 位数字），“{value}”是 {len(compact)} 位"]
    match = CERTIFICATE_NUMBER.match(compact)
    if not match:
        problems = []
        if compact[0] != "Y":
            problems.append("第 1 位应为大写字母 Y（评价机构类别代码）")
        if compact[1:5] != "0000":
            problems.append("第 2-5 位应为 0000")
        if compact[5:7] != "41":
            problems.append("第 6-7 位应为河南省代码 41")
        if not compact[7:].isdigit():
            problems.append("第 8-22 位应全部为数字")
        return problems or [f"证书编号“{value}”格式不正确"]
    problems = []
    if match["city"] not in city_codes:
        problems.append(f"第 8-9 位“{match['city']}”不是附表1中的省直或市级代码（00-18）")
    if not 9001 <= int(match["serial"]) <= 9999:
        problems.append(f"第 10-13 位“{match['serial']}”应在 9001-9999 之间")
    if not 1 <= int(match["level"]) <= 5:
        problems.append(f"第 16 位等级代码“{match['level']}”应为 1-5")
    if match["sequence"] == "000000":
        problems.append("第 17-22 位证书序列码应从 000001 开始")
    return problems


def decode_certificate_number(value: str) -> CertificateNumber | None:
    match = CERTIFICATE_NUMBER.match(value.replace(" ", ""))
    if not match:
        return None
    return CertificateNumber(match["prefix"], match["city"], match["serial"], match["year"],
                             int(match["level"]), match["sequence"])
