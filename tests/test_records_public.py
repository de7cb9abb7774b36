"""Supervision records on the public portal (issue 13 part 4): a past record marked 公开 shows one line on its
session's page (form, date, result summary); nothing else of any record reaches any output of a public build.

A tmp project: beian.yaml, department/henan and a copy of songyue-jishi with four planted records beside the
samples — a 公开 record with a hostile remark and opinion and a distinctive card; a department-only one likewise;
a 公开 feedback form (about a person: never published); a 公开 record dated after the evaluation date (not yet).
One public build with the downloads (PDF, Excel) of the one institution.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY

os.environ.setdefault("BEIAN_TODAY", TODAY)
pytest.importorskip("mkdocs")

from generator.portal import build as portal  # noqa: E402
from test_visibility import _everything, _text  # noqa: E402  (what a reader sees of each output file)

PUBLIC_CARD, HIDDEN_CARD, FEEDBACK_CARD, FUTURE_CARD = "豫督外2099771", "豫督外2099882", "豫督外2099993", "豫督外2099664"
HOSTILE = "<script>alert('备注外泄甲')</script>"
PUBLIC_LINE = "质量督导记录：广东 附件4 日常督导情况记录表 2026-06-14：18 项：符合 17 项，部分符合 1 项"

A4_ANSWERS = {str(n): label for n, label in [(1, "一致"), (2, "部分一致"), (3, "合理"), (4, "符合"), (5, "符合"),
                                              (6, "符合"), (7, "尽职"), (8, "符合"), (9, "一致"), (10, "符合"),
                                              (11, "一致"), (12, "有录像且全程、全场覆盖"), (13, "积极配合"),
                                              (14, "符合"), (15, "符合"), (16, "符合"), (17, "符合")]}
A4_ANSWERS["11-2"] = "良好"


def _record(card: str, plan: str, date: str, **fields) -> dict:
    return {"form": "guangdong-a4", "card": card, "role": "外督", "plan_number": plan, "date": date,
            "arrived": "07:40", "departed": "17:30", "answers": dict(A4_ANSWERS), "signed": date, **fields}


PLANTED = {
    f"SY2026-06/guangdong-a4-{PUBLIC_CARD}.yaml": _record(
        PUBLIC_CARD, "SY2026-06", "2026-06-14", visibility="公开",
        remarks={"2": f"{HOSTILE}考评员临时替换，备注外泄乙"},
        opinions={"problems": "意见外泄丙：<img src=x onerror=alert(1)>", "overall": "总体意见外泄丁"}),
    f"SY2026-10/guangdong-a4-{HIDDEN_CARD}.yaml": _record(
        HIDDEN_CARD, "SY2026-10", "2026-10-16",
        remarks={"2": "部门内部备注外泄戊"}, opinions={"problems": "部门内部意见外泄己", "overall": "总评外泄庚"}),
    f"SY2026-06/guangdong-a5-{FEEDBACK_CARD}.yaml": {
        "form": "guangdong-a5", "card": FEEDBACK_CARD, "role": "外督", "plan_number": "SY2026-06", "date": "2026-06-14",
        "arrived": "07:40", "departed": "17:30", "header": {"occupation": "车工"}, "signed": "2026-06-15",
        "feedback": "反馈外泄辛：督导员认真履职。", "visibility": "公开"},
    f"SY2026-12/guangdong-a4-{FUTURE_CARD}.yaml": _record(
        FUTURE_CARD, "SY2026-12", "2026-12-12", visibility="公开", remarks={"2": "未来备注外泄壬"}),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("records-public")
    shutil.copy(ROOT / "beian.yaml", tmp / "beian.yaml")
    shutil.copytree(ROOT / "department" / "henan", tmp / "department" / "henan")
    school = tmp / "institutions" / "songyue-jishi"
    shutil.copytree(ROOT / "institutions" / "songyue-jishi", school)
    for name, record in PLANTED.items():
        path = school / "sessions" / name.replace("/", "/supervision/", 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"root": tmp, "school": school, "register": tmp / "department" / "henan"}


@pytest.fixture(scope="module")
def site(project) -> Path:
    out = project["root"] / "public"
    portal.build_portal([project["school"]], docs=project["root"] / "public-docs", out=out, strict=True, jobs=1,
                        registers=[project["register"]], site_url="https://beian.example.cn/", downloads=True)
    return out


def _record_secrets(school: Path) -> list[str]:
    """Every card, remark, opinion and feedback text of every record of SCHOOL (samples and planted), less the
    cards the institution's own filing lists elsewhere (its 内督 are in personnel.yaml, which it publishes)."""
    filed = "".join(p.read_text(encoding="utf-8") for p in school.rglob("*.yaml") if p.parent.name != "supervision")
    found = set()
    for path in school.glob("sessions/*/supervision/*.yaml"):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.add(str(record["card"]))
        for key in ("remarks", "opinions"):
            found.update(str(text) for text in (record.get(key) or {}).values())
        if record.get("feedback"):
            found.add(str(record["feedback"]))
    return sorted(s for s in found if s not in filed)


def test_the_public_record_shows_one_line_on_its_session(site):
    page = _text(site / "sessions" / "songyue-jishi" / "index.html")
    section = page[page.index("SY2026-06"):]
    assert PUBLIC_LINE in section
    # the sample's own 公开 records (SY2026-06 附件4, SY2026-10 附件3 事后认定材料督导) show too; nothing else
    lines = set(re.findall(r"质量督导记录：[^<\n\"]*", page))
    assert lines == {PUBLIC_LINE, "质量督导记录：广东 附件4 日常督导情况记录表 2026-06-14：18 项：符合 16 项，部分符合 2 项",
                     "质量督导记录：北京 附件3 督导记录表（事后认定材料督导） 2026-10-22：16 项：是 15 项，否 1 项"}, lines
    assert "外督情况反馈表" not in page and "2026-12-12：" not in page


def test_no_card_name_remark_opinion_or_feedback_of_any_record_anywhere(site, project):
    files = _everything(site)
    assert any(n.endswith(".pdf") for n in files) and any(n.endswith(".xlsx") for n in files)
    assert "sitemap.xml" in files and "search/search_index.json" in files
    secrets = _record_secrets(project["school"])
    assert {PUBLIC_CARD, HIDDEN_CARD, FEEDBACK_CARD, FUTURE_CARD} <= set(secrets) and len(secrets) > 15
    for fragment in ("备注外泄", "意见外泄", "总评外泄", "反馈外泄", "alert(", *secrets):
        leaked = [name for name, text in files.items() if fragment in text]
        assert not leaked, f"{fragment} in {leaked}"
    names = [yaml.safe_load((ROOT / "department" / "henan" / "supervisors.yaml").read_text(encoding="utf-8"))
             ["supervisors"]]
    filed = "".join(p.read_text(encoding="utf-8") for p in project["school"].rglob("*.yaml"))
    for person in names[0]:  # the supervisors who filed the records (the register's names): nowhere either
        if person["name"] not in filed:
            assert not [n for n, t in files.items() if person["name"] in t], person["name"]
