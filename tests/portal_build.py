"""The portal built once per test module without the PDF and Excel downloads (seconds, not minutes),
from the sample institutions plus the hostile copy of the base filing (test_portal_pages.make_evil),
for the tests of the list, the feeds and accessibility."""
from __future__ import annotations

import os
from pathlib import Path

from conftest import TODAY
from test_portal_pages import SAMPLES, make_evil

os.environ.setdefault("BEIAN_TODAY", TODAY)

SITE_URL = "https://beian.example.cn/portal/"


def build(tmp: Path) -> Path:
    """The built site's folder."""
    from generator.portal import build as portal

    out = tmp / "out"
    portal.build_portal(SAMPLES + [make_evil(tmp)], docs=tmp / "docs", out=out, strict=True, downloads=False,
                        site_url=SITE_URL)
    return out
