"""Session pages at national scale (issue 15): a build reads and renders only what a change touches.

- The public build's published visits load only the plans the register's visits name, not every plan of every
  institution (sessions_index with keys), and find the same visits as the whole index does.
- An institution's 认定计划 page and feed are rendered again only when its entry, its published visits, the rule
  pages or the portal address changed: building again after one institution changed re-renders its page and feed
  and nobody else's.
"""
from __future__ import annotations

import os
import shutil

import pytest

from conftest import ROOT, TODAY

os.environ.setdefault("BEIAN_TODAY", TODAY)
pytest.importorskip("mkdocs")

from generator.clock import evaluation_date  # noqa: E402
from generator.filing import load_register  # noqa: E402
from generator.portal import build as portal  # noqa: E402
from generator.supervision import load  # noqa: E402
from generator.supervision.visibility import public_visits, published_visits  # noqa: E402

SAMPLE = ROOT / "institutions" / "songyue-jishi"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """songyue-jishi, two more institutions with the same sessions, and department/henan (whose past visit to
    songyue-jishi/SY2026-06 is marked 公开)."""
    tmp = tmp_path_factory.mktemp("sessions-scale")
    schools = []
    for name in ("songyue-jishi", "other-a", "other-b"):
        shutil.copytree(SAMPLE, tmp / "institutions" / name)
        schools.append(tmp / "institutions" / name)
    register = tmp / "department" / "henan"
    shutil.copytree(ROOT / "department" / "henan", register)  # its visit to songyue-jishi/SY2026-06 is 公开
    return {"root": tmp, "schools": schools, "register": register}


def test_published_visits_read_only_the_named_plans(project, monkeypatch):
    today = evaluation_date()
    register = load.register_of(load_register(project["register"], project["root"]))
    whole = published_visits(register, load.sessions_index(project["root"]), today)
    read = []
    original = load._session_roles
    monkeypatch.setattr(load, "_session_roles",
                        lambda institution, plan, *rest: read.append(f"{institution.name}/{plan.name}")
                        or original(institution, plan, *rest))
    found = public_visits([project["register"]], today)
    named = {visit.session for visit in register.visits}
    assert read and set(read) <= named  # other-a and other-b have the same plans, none of them is read
    assert not any(key.startswith(("other-a/", "other-b/")) for key in read)
    assert [v for visits in found.values() for v in visits] == sorted(whole, key=lambda v: (v.first, v.last, v.type))
    assert "songyue-jishi/SY2026-06" in found


def test_one_changed_institution_renders_only_its_session_page_and_feed(project, monkeypatch):
    from generator.portal import sessions

    docs, out = project["root"] / "docs", project["root"] / "site"
    build = lambda: portal.build_portal(project["schools"], docs=docs, out=out, strict=True,  # noqa: E731
                                        downloads=False, registers=[project["register"]])
    build()
    made = []
    page, feed = sessions.sessions_page, sessions.institution_feed
    monkeypatch.setattr(sessions, "sessions_page", lambda entry, *a: made.append(("page", entry["page"])) or page(entry, *a))
    monkeypatch.setattr(sessions, "institution_feed", lambda entry, *a: made.append(("feed", entry["page"])) or feed(entry, *a))
    build()
    assert made == []  # nothing changed: every session page and feed kept
    before = {p.name: p.read_bytes() for p in (docs / "sessions").iterdir() if p.is_file()}
    profile = project["schools"][1] / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("  name: "))
    profile.write_text(text.replace(line, line + "（更名）", 1), encoding="utf-8")
    build()
    assert sorted(made) == [("feed", "other-a"), ("page", "other-a")]
    after = {p.name: p.read_bytes() for p in (docs / "sessions").iterdir() if p.is_file()}
    assert "（更名）" in after["other-a.md"].decode("utf-8")
    assert after["songyue-jishi.md"] == before["songyue-jishi.md"]
    assert "外部质量督导：2026-06-13" in after["songyue-jishi.md"].decode("utf-8")  # its published visit still shown
    assert "外部质量督导" not in after["other-a.md"].decode("utf-8")
