"""The one detector of personal numbers: 身份证号 (18 and 15 digits) and 手机号, however typed.

Every path that reads or writes filing text asks this module: `beian check` (every string value,
every comment, evidence file names, reviews.yaml), every finding message (only the masked form is
ever echoed), and every publishing command, which scans what it wrote.

People type numbers with separators ("411402-19650712-001X", "138 1234 5678"), in full-width digits,
with zero-width characters pasted in, or broken over two lines of a YAML folded string. The
detector reads a *run*: digits joined by at most a few separator characters, or by one line break
and its indentation. Inside a run it looks at every span of whole digit groups: a number is found
only where the typist's own groups begin and end, so "0371-63912345" (an office line) never hides
a mobile number inside it.

How strict each kind is, and why:
- 18-digit ID written without separators: a plausible birth date is enough (a wrong check digit
  does not make a leak harmless). Written with separators: the check digit must also be right,
  because joining neighbouring numbers (two dates, a list of years) could otherwise form a date.
- 15-digit (pre-1999) ID: province code and a valid YYMMDD birth date; it has no check digit, so
  across separators only in the shapes people write it in (6-6-3, 6-9, …).
- Mobile: 11 digits 1[3-9]…, alone or after 86 / +86 / 0086; across separators only in the shapes
  people write phone numbers in (3-4-4, 3-8, 7-4, 4-3-4).
- For both, also one digit at a time with the same separator throughout, or with line breaks or
  zero-width characters in the gaps: nobody types those between two dates.

Masked forms (410102********123X, 138****5678; mask characters * ＊ ● × x X •) are what the schema
asks for; `check` allows them. Publishing removes them too: no number, full or masked, is published.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .escaping import INVISIBLE

ID18, ID15, MOBILE, MASKED_ID, MASKED_MOBILE = "id18", "id15", "mobile", "masked_id", "masked_mobile"
KIND_LABELS = {ID18: "身份证号", ID15: "身份证号（15 位旧号）", MOBILE: "手机号",
               MASKED_ID: "身份证号（脱敏）", MASKED_MOBILE: "手机号（脱敏）"}
FULL_KINDS = frozenset((ID18, ID15, MOBILE))

_DIGITS = "0123456789０１２３４５６７８９"
_TO_ASCII = str.maketrans({**{full: str(i) for i, full in enumerate("０１２３４５６７８９")}, "Ｘ": "X", "ｘ": "X", "x": "X"})
# Characters people put between digits: spaces (incl. no-break and ideographic), hyphens and dashes,
# dots, middle dots, zero-width characters and the word joiner.
_SEPARATORS = " \t\u00a0\u3000-‐‑‒–—―－.．·・" + INVISIBLE
_SEP = "[" + re.escape(_SEPARATORS) + "]"
_DIGIT = "[0-9０-９]"
_GAP = rf"(?:{_SEP}{{1,3}}|{_SEP}{{0,3}}\r?\n[ \t\u3000]*)"
# A run starts at a digit not preceded by a digit or letter. The look-behind is written after the first
# digit (spanning it and the character before) so that the pattern starts with a character set, which
# the regex engine scans for in C instead of trying the look-behind at every character of a file.
_RUN = re.compile(rf"{_DIGIT}(?<![0-9０-９A-Za-z].)(?:{_GAP}?{_DIGIT})*(?:{_GAP}?[XxＸｘ])?(?![0-9０-９A-Za-z])")
_GROUP = re.compile(r"[0-9０-９XxＸｘ]+")

_MASK_CHARS = "*＊●×xX•"
_MASKED_ID = re.compile(rf"(?<![0-9A-Za-z{_MASK_CHARS}])[0-9{_MASK_CHARS}]{{14,17}}[0-9Xx{_MASK_CHARS}](?![0-9A-Za-z{_MASK_CHARS}])")
_MASKED_MOBILE = re.compile(rf"(?<![0-9A-Za-z{_MASK_CHARS}])1[0-9{_MASK_CHARS}]{{10}}(?![0-9A-Za-z{_MASK_CHARS}])")

# First two digits of an ID: the province-level area codes of GB/T 2260 (and 71/81/82/83 for
# Taiwan, Hong Kong, Macao residence permits).
_PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
                       "61 62 63 64 65 71 81 82 83".split())
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PHONE_SHAPES = frozenset([(11,), (3, 4, 4), (3, 8), (7, 4), (4, 3, 4), (3, 3, 5)])
_OLD_ID_SHAPES = frozenset([(15,), (6, 6, 3), (6, 9), (6, 2, 2, 2, 3), (6, 4, 2, 3)])

ID_PLACEHOLDER = "（身份证号不公开）"
MOBILE_PLACEHOLDER = "（手机号不公开）"


@dataclass(frozen=True, slots=True)
class PersonalNumber:
    kind: str
    start: int          # span in the text it was found in
    end: int
    digits: str         # the number as plain ASCII digits (masked forms: as written)
    disguised: bool = False   # written with separators, full-width digits or line breaks

    @property
    def is_full(self) -> bool:
        return self.kind in FULL_KINDS

    @property
    def masked(self) -> str:
        """The only form a message may show: 4114**********001X, 138****5678."""
        if self.kind == MOBILE:
            return self.digits[:3] + "****" + self.digits[7:]
        if self.kind in (ID18, ID15):
            return self.digits[:4] + "*" * (len(self.digits) - 8) + self.digits[-4:]
        return "*" * len(self.digits)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _id18(digits: str, strict: bool) -> bool:
    if digits[:2] not in _PROVINCES or not digits[:17].isdigit():
        return False
    year = int(digits[6:10])
    if not 1900 <= year <= 2099 or not _valid_date(year, int(digits[10:12]), int(digits[12:14])):
        return False
    return not strict or check_digit(digits[:17]) == digits[17]


def _id15(digits: str) -> bool:
    return (digits.isdigit() and digits[:2] in _PROVINCES
            and _valid_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])))


def _mobile(digits: str) -> bool:
    return len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"


def _groups(run: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, ASCII digits) of each digit group of a run, spans in the whole text."""
    return [(offset + m.start(), offset + m.end(), m.group(0).translate(_TO_ASCII)) for m in _GROUP.finditer(run)]


def _gaps(text: str, groups, first: int, last: int) -> list[str]:
    return [text[groups[k][1]:groups[k + 1][0]] for k in range(first, last)]


def _typed_as_one_number(text: str, groups, first: int, last: int, shapes: frozenset) -> bool:
    """Whether groups first..last look like one number someone typed, not neighbouring numbers:
    a usual shape for the kind, one digit at a time with the same separator throughout, or gaps
    holding line breaks or zero-width characters (nobody types those between two dates)."""
    shape = tuple(len(g[2]) for g in groups[first:last + 1])
    gaps = _gaps(text, groups, first, last)
    if shape in shapes or "\n" in "".join(gaps) or any(ch in INVISIBLE for gap in gaps for ch in gap):
        return True
    return all(size == 1 for size in shape) and len(set(gaps)) == 1


def _in_run(text: str, run: re.Match) -> list[PersonalNumber]:
    groups = _groups(run.group(0), run.start())
    found: list[PersonalNumber] = []
    taken_until = -1
    for first in range(len(groups)):
        if groups[first][0] < taken_until:
            continue
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 22:
                break
            if "X" in digits[:-1]:
                break
            hit = _classify(text, groups, first, last, digits)
            if hit:
                found.append(hit)
                taken_until = hit.end
                break
    return found


def _classify(text: str, groups, first: int, last: int, digits: str) -> PersonalNumber | None:
    start, end = groups[first][0], groups[last][1]
    written = text[start:end]
    disguised = first != last or not written.isascii()
    if len(digits) == 18 and _id18(digits, strict=disguised):
        return PersonalNumber(ID18, start, end, digits, disguised)
    if len(digits) == 15 and _id15(digits) and (
            first == last or _typed_as_one_number(text, groups, first, last, _OLD_ID_SHAPES)):
        return PersonalNumber(ID15, start, end, digits, disguised)
    for prefix in ("", "86", "0086"):
        number = digits[len(prefix):]
        if not digits.startswith(prefix) or not _mobile(number):
            continue
        number_first = first + 1 if prefix and first != last and len(groups[first][2]) == len(prefix) else first
        if first == last or _typed_as_one_number(text, groups, number_first, last, _PHONE_SHAPES):
            if prefix and start > 0 and text[start - 1] in "+＋":
                start -= 1  # the country code's plus sign belongs to the number
            return PersonalNumber(MOBILE, start, end, number, disguised)
    return None


def _masked_forms(text: str) -> list[PersonalNumber]:
    found = []
    for pattern, kind, masks_needed in ((_MASKED_ID, MASKED_ID, 4), (_MASKED_MOBILE, MASKED_MOBILE, 3)):
        for match in pattern.finditer(text):
            value = match.group(0)
            masks = sum(value.count(ch) for ch in _MASK_CHARS if ch not in "xX")
            masks += sum(value[:-1].count(ch) for ch in "xX")  # a final X is a check character
            digits = sum(ch.isdigit() for ch in value)
            if masks >= masks_needed and digits >= 2:
                found.append(PersonalNumber(kind, match.start(), match.end(), value))
    return found


def find(text: str, masked: bool = False) -> list[PersonalNumber]:
    """Every personal number in text, in order; `masked`: masked forms too (for publishing)."""
    if not text:
        return []
    found = []
    for run in _RUN.finditer(text):
        if run.end() - run.start() >= 11:
            found.extend(_in_run(text, run))
    if masked:
        spans = [(hit.start, hit.end) for hit in found]
        found.extend(hit for hit in _masked_forms(text)
                     if not any(s < hit.end and hit.start < e for s, e in spans))
    found.sort(key=lambda hit: hit.start)
    return found


def contains(text: str, masked: bool = False) -> bool:
    return bool(find(text, masked))


def _replace(text: str, hits: list[PersonalNumber], replacement) -> str:
    parts, position = [], 0
    for hit in hits:
        if hit.start < position:
            continue
        parts.append(text[position:hit.start])
        parts.append(replacement(hit))
        position = hit.end
    parts.append(text[position:])
    return "".join(parts)


def mask_text(text: str) -> str:
    """The text with every full number replaced by its masked form: for messages and reports."""
    if not isinstance(text, str):
        return text
    hits = find(text)
    return _replace(text, hits, lambda hit: hit.masked) if hits else text


def redact(text: str) -> str:
    """The text with every number, full or masked, replaced by a notice: for what is published."""
    if not isinstance(text, str):
        return text
    hits = find(text, masked=True)
    if not hits:
        return text
    return _replace(text, hits, lambda hit: MOBILE_PLACEHOLDER if hit.kind in (MOBILE, MASKED_MOBILE) else ID_PLACEHOLDER)


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
