"""The portal address of exactly one version of an institution's data.

A printout (bundle, receipt, session plan) prints this address and its QR code so that a reader of the paper
copy can open the portal page of the data it was made from; the institution page's 版本记录 carries one entry
per version with the matching anchor. Both sides build the address here, so they cannot drift apart:

    {portal}institutions/{page}/#v-{first 12 hex digits of the commit}

{portal} is paths.published_portal_url() (ends in “/”), {page} the institution's page name
(portal/model.page_slug). Pure string functions: nothing to import, nothing read.
"""
from __future__ import annotations

import re

SHORT_LENGTH = 12          # hex digits of a commit printed and used in anchors
ANCHOR_PREFIX = "v-"
_HEX = re.compile(r"^[0-9a-f]{7,64}\Z")


def short_commit(commit: str) -> str:
    """The first 12 hex digits of a commit id ('' for anything that is not one)."""
    text = str(commit or "").strip().lower()
    return text[:SHORT_LENGTH] if _HEX.match(text) else ""


def version_anchor(commit: str) -> str:
    """The HTML id of a version's entry on the institution page: 'v-0123456789ab'."""
    short = short_commit(commit)
    if not short:
        raise ValueError(f"not a commit id: {commit!r}")
    return ANCHOR_PREFIX + short


def institution_page_url(portal: str, page: str) -> str:
    """{portal}institutions/{page}/ (mkdocs directory URLs)."""
    return f"{_base(portal)}institutions/{page}/"


def institution_version_url(portal: str, page: str, commit: str) -> str:
    """The institution page at the 版本记录 entry of COMMIT."""
    return f"{institution_page_url(portal, page)}#{version_anchor(commit)}"


def sessions_page_url(portal: str, page: str, section: str = "") -> str:
    """The institution's 认定计划 page (portal/sessions.py), at one session's section when SECTION is given."""
    return f"{_base(portal)}sessions/{page}/" + (f"#{section}" if section else "")


def _base(portal: str) -> str:
    portal = str(portal or "").strip()
    if not portal:
        raise ValueError("no portal address")
    return portal if portal.endswith("/") else portal + "/"
