"""The age limit of supervisors (seed 002 第九条（五）: men ≤ 65, women ≤ 60) judged from a birth year.

Registers and personnel lists keep the birth year only — never a date of birth, let alone an ID number — so the
age is the one reached within a calendar year (周岁 at its end). Beyond the limit by more than one year is
certain; by exactly one, the person may still be within the limit until the birthday, which a person must check.
"""
from __future__ import annotations

from dataclasses import dataclass

MISSING, WITHIN, OVER, UNSURE = "missing", "within", "over", "unsure"


@dataclass(frozen=True)
class AgeVerdict:
    state: str                  # MISSING, WITHIN, OVER or UNSURE
    year: int
    age: int | None = None
    limit: int | None = None
    sex: str | None = None

    def message(self, who: str, limits: dict) -> str:
        """The Chinese sentence for anything but WITHIN."""
        if self.state == MISSING:
            return f"{who}未写性别或出生年份，无法核对督导员年龄上限（男 {limits.get('男')}、女 {limits.get('女')} 周岁）"
        if self.state == OVER:
            return f"{who}{self.year} 年满 {self.age} 周岁，超过{self.sex}性督导员 {self.limit} 周岁的上限"
        if self.state == UNSURE:
            return (f"{who}{self.year} 年满 {self.age} 周岁：生日之后即超过{self.sex}性督导员 {self.limit} 周岁的上限，"
                    "只记出生年份，须核对出生月日")
        return ""


def age_verdict(sex, birth_year, year: int, limits: dict) -> AgeVerdict:
    """How a person of SEX born in BIRTH_YEAR stands against LIMITS ({男: 65, 女: 60}) in YEAR."""
    if sex not in limits or not isinstance(birth_year, int) or isinstance(birth_year, bool):
        return AgeVerdict(MISSING, year)
    age, limit = year - birth_year, limits[sex]
    state = OVER if age > limit + 1 else UNSURE if age == limit + 1 else WITHIN
    return AgeVerdict(state, year, age, limit, sex)
