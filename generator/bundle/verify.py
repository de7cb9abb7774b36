"""The line by which a paper copy is checked against the portal: the data version it was printed from and,
for printouts the portal publishes, a QR code and the short address of exactly that version
(generator/version_link.py). Without such an address the page says why, in plain Chinese:

- the data has uncommitted changes: a draft, no published version matches it;
- the data is not committed at all;
- no portal address is configured (BEIAN_PORTAL_URL or site/mkdocs.yml's site_url);
- department-only printouts (filled forms, cards) never point to a public page: the version only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..data_version import DataVersion

DRAFT = "草稿：未提交的修改，无法在门户核验"
UNCOMMITTED = "数据尚未提交，无法在门户核验"
NO_PORTAL = "未配置门户地址，无法在门户核验"
SCAN_HINT = "扫码或访问以下地址，核对本件所依据的数据版本："
QR_TITLE = "核验二维码："


@dataclass(frozen=True)
class Verification:
    version: str             # “数据版本 0123456789ab”
    url: str = ""            # the portal address of exactly this version; "" when there is none
    qr: str = ""             # the QR code of url as inline SVG (markupsafe.Markup); "" without url
    note: str = ""           # why there is no address ("" when there is one, or for department-only copies)


def portal_verification(version: DataVersion, address: Callable[[str], str], label: str = "数据版本") -> Verification:
    """VERSION with the portal address ADDRESS(portal) and its QR code, when the portal can show that version."""
    from ..paths import published_portal_url

    shown = f"{label} {version.label}"
    if version.dirty:
        return Verification(shown, note=DRAFT)
    if not version.published:
        return Verification(shown, note=UNCOMMITTED)
    portal = published_portal_url()
    if not portal:
        return Verification(shown, note=NO_PORTAL)
    url = address(portal)
    return Verification(shown, url, qr_svg(url))


def version_only(version: DataVersion, label: str = "数据版本") -> Verification:
    """A department-only copy: the version it was printed from, no public address."""
    return Verification(f"{label} {version.label}")


def qr_svg(url: str) -> str:
    """URL as an inline SVG QR code; its <title> is the figure's alternative text in the tagged PDF."""
    import segno
    from markupsafe import Markup

    code = segno.make(url, error="m", micro=False)
    # segno escapes the title; the path data is numbers only
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", title=QR_TITLE + url))
