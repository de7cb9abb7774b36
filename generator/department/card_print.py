"""Printable 质量督导员证卡 (`beian cards`): one PDF per register, front then back of each card, every page
80 mm × 110 mm as seed 002 附件2 制作说明 gives it (“单面尺寸为：宽 80mm，长 110mm”).

One PDF per register, not per supervisor: cards are issued in batches by one issuing body, and a print shop
prints one file double-sided (`--card` prints a single card again, e.g. a replacement). The photo slot and
the logo slot are left empty (the photo is glued on, the logo printed by whoever has it). 黑体 in the
制作说明 is set in the project's sans CJK font (bundle/fonts.py, Noto Sans CJK SC). Department-only output.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..supervision.model import Register, Supervisor
from ..supervision.overview import printable

EXTERNAL = "外督员"  # the register holds 外督 only (an institution's 内督 are in its personnel.yaml)
TEMPLATE = "cards.html.j2"


@dataclass(frozen=True)
class Card:
    name: str
    number: str
    validity: str          # “2024.03-2027.02”, as the 附件2 sample writes 有效期限
    issued_by: str
    role: str = EXTERNAL


def validity(start: dt.date | None, end: dt.date | None) -> str:
    """The term as YYYY.MM-YYYY.MM (the sample's “2022.06-2025.06”)."""
    return "-".join(f"{d.year:04d}.{d.month:02d}" if d else "" for d in (start, end))


def card_of(supervisor: Supervisor, register: Register) -> Card:
    return Card(supervisor.name, supervisor.card, validity(supervisor.term_start, supervisor.term_end),
                supervisor.issued_by or register.department)


def cards_for(register: Register, today: dt.date, numbers: set[str] | None = None) -> tuple[list[Card], list[str]]:
    """(cards to print, why each other supervisor gets none). NUMBERS: only these card numbers."""
    cards, skipped = [], []
    for supervisor in register.supervisors:
        if numbers is not None and supervisor.card not in numbers:
            continue
        if printable(supervisor, today):
            cards.append(card_of(supervisor, register))
        elif supervisor.status != "在聘":
            skipped.append(f"{supervisor.label}：资格状态为“{supervisor.status}”，不制作证卡")
        else:
            skipped.append(f"{supervisor.label}：{today.isoformat()} 不在聘期内"
                           f"（{validity(supervisor.term_start, supervisor.term_end) or '聘期未填写'}），不制作证卡")
    return cards, skipped


def cards_html(cards: list[Card], title: str, info=None, version: str = "") -> str:
    """INFO: the PDF's document properties (bundle/docinfo.py); VERSION: the register version printed small on
    each back side (department-only: no public address)."""
    from ..bundle.render import _font_names, environment

    return environment().get_template(TEMPLATE).render(cards=cards, title=title, fonts=_font_names(),
                                                       info=info, version=version)


def _doc_info(register: Register, title: str, version, today: dt.date):
    from ..bundle.docinfo import doc_info

    return doc_info(register.department, f"{title}（部门内部资料）", ("质量督导员证卡", register.department),
                    version, today)


def file_name(jurisdiction: str) -> str:
    return f"{jurisdiction}-质量督导员证卡.pdf"


def render_cards(folder: Path, out_dir: Path, today: dt.date, numbers: set[str] | None = None) -> dict:
    """The cards of one register folder (department/<jurisdiction>/) as out_dir/<jurisdiction>-质量督导员证卡.pdf.
    {"path", "pages", "cards", "skipped"}; no file when no one gets a card ("path" None)."""
    from ..bundle.render import write_pdf
    from ..filing import load_register
    from ..supervision.load import register_of
    from ..supervision.visibility import project_root_of

    register = register_of(load_register(folder, project_root_of(folder)))
    cards, skipped = cards_for(register, today, numbers)
    if not cards:
        return {"path": None, "pages": 0, "cards": 0, "skipped": skipped}
    from ..data_version import data_version

    target = Path(out_dir) / file_name(folder.name)
    title = f"{register.department}质量督导员证卡"
    version = data_version(folder)
    html = cards_html(cards, title, _doc_info(register, title, version, today), f"名册版本 {version.label}")
    info = write_pdf(html, folder, target)
    return {"path": str(target), "cards": len(cards), "skipped": skipped, **info}
