"""`beian new-session SLUG`: a starter 认定计划 that passes the schemas, starts from the institution's
own scope and personnel, leaves placeholders the placeholder rule reports, and never overwrites
or writes outside institutions/."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import BASE, ROOT, check_json, run_beian
from generator import schema
from generator.filing import load_session
from generator.session_scaffold import METHODS, create_session

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def institutions(tmp_path: Path) -> Path:
    parent = tmp_path / "institutions"
    shutil.copytree(BASE, parent / "qinglan")
    return parent


def _session(parent: Path, plan: str) -> Path:
    return parent / "qinglan" / "sessions" / plan


@pytest.mark.parametrize("method", METHODS)
def test_scaffold_loads_and_passes_the_schemas(institutions, method):
    assert create_session("qinglan", institutions, "Q2027-01", method, today=TODAY) == 0
    folder = _session(institutions, "Q2027-01")
    session = load_session(folder, ROOT)
    assert session.load_findings == []
    assert sorted(session.docs) == ["plan", "roster"]
    for key in ("plan", "roster"):
        assert schema.schema_errors(key, session.docs[key].data) == []
        first, second = (folder / f"{key}.yaml").read_text(encoding="utf-8").splitlines()[:2]
        assert first.startswith("# yaml-language-server: $schema=") and first.endswith(f"/{key}.schema.json")
        assert (folder / first.split("=", 1)[1]).resolve() == (ROOT / "schemas" / f"{key}.schema.json").resolve()
        assert second.startswith("# ") and any("\u4e00" <= c <= "\u9fff" for c in second)
    plan = session.docs["plan"].data
    assert (plan["plan_number"], plan["method"]) == ("Q2027-01", method)
    assert plan["occupations"][0]["code"] == "6-18-01-01" and plan["occupations"][0]["name"] == "车工"
    row = session.docs["roster"].data["candidates"][0]
    assert (row["occupation"], row["level"]) == ("6-18-01-01", plan["occupations"][0]["level"])


def test_scaffold_starts_from_the_institutions_scope_and_people(institutions):
    assert create_session("qinglan", institutions, "Q2027-01", today=TODAY) == 0
    text = (_session(institutions, "Q2027-01") / "plan.yaml").read_text(encoding="utf-8")
    plan = yaml.safe_load(text)
    venue = plan["venues"][0]
    assert venue["leader"] == "孙立伟"                           # the 认定中心主任
    assert venue["supervisors"] == ["郑文博", "谢慧敏", "邓建华"]  # personnel.yaml supervisors
    assert venue["affairs"][0] == "周雅琴"
    skill = plan["occupations"][0]["modules"][1]
    assert skill["examiners"] == ["马振华", "杨永刚", "朱红梅"]    # examiners of 车工
    assert skill["rooms"] == ["实训楼B座1层数控车工实训车间"]       # sites.yaml practical site
    assert {"id": "实训楼B座1层数控车工实训车间", "kind": "技能", "stations": 30} in venue["rooms"]
    # the other approved occupations are there, commented out, ready to use
    assert "# - code: 4-03-02-01" in text and "#   name: 西式面点师" in text
    assert plan["occupations"][0]["modules"][0]["date"] == "2027-01-15"  # the month the plan number names


def test_unedited_scaffold_is_reported_by_the_placeholder_rule(institutions):
    result = run_beian("new-session", "qinglan", "--dir", str(institutions), "--plan-number", "Q2027-01")
    assert result.returncode == 0, result.stderr
    assert "Q2027-01" in result.stdout
    _, records = check_json(institutions / "qinglan")
    (session,) = records["filings"][0]["sessions"]
    assert session["valid"] is False
    rules = {(f["rule"], f["file"].rsplit("/", 1)[-1]) for f in session["findings"]}
    assert ("text-placeholder", "plan.yaml") in rules
    assert not any(f["rule"].startswith(("schema", "yaml", "file-")) for f in session["findings"])


def test_default_plan_number_is_next_month_and_never_taken(institutions, capsys):
    assert create_session("qinglan", institutions, today=TODAY) == 0
    assert create_session("qinglan", institutions, today=TODAY) == 0
    assert sorted(p.name for p in (institutions / "qinglan" / "sessions").iterdir()) == ["Q2026-12", "Q2026-12-2"]
    # an institution that already numbers its plans keeps its prefix
    (institutions / "qinglan" / "sessions" / "QL2026-12").mkdir()
    shutil.rmtree(institutions / "qinglan" / "sessions" / "Q2026-12")
    shutil.rmtree(institutions / "qinglan" / "sessions" / "Q2026-12-2")
    assert create_session("qinglan", institutions, today=dt.date(2026, 12, 20)) == 0
    assert (institutions / "qinglan" / "sessions" / "QL2027-01" / "plan.yaml").is_file()


def test_existing_plan_folder_is_never_overwritten(institutions, capsys):
    assert create_session("qinglan", institutions, "Q2027-01", today=TODAY) == 0
    plan = _session(institutions, "Q2027-01") / "plan.yaml"
    plan.write_text("# 已填写的内容\n", encoding="utf-8")
    capsys.readouterr()
    assert create_session("qinglan", institutions, "Q2027-01", today=TODAY) == 2
    assert "已存在" in capsys.readouterr().err
    assert plan.read_text(encoding="utf-8") == "# 已填写的内容\n"
    assert not (plan.parent / "roster.yaml").exists() or "已填写" not in (plan.parent / "roster.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", ["../qinglan", "qinglan/../qinglan", "..", ".", "qinglan/sessions", "/tmp", "..\\x"])
def test_slug_may_not_leave_institutions(institutions, slug, capsys):
    before = sorted(p.relative_to(institutions.parent) for p in institutions.parent.rglob("*"))
    assert create_session(slug, institutions, "Q2027-01", today=TODAY) == 2
    err = capsys.readouterr().err
    assert "qinglan" in err  # the known institutions are listed
    assert sorted(p.relative_to(institutions.parent) for p in institutions.parent.rglob("*")) == before


def test_symlink_to_a_folder_outside_is_refused(institutions, tmp_path, capsys):
    outside = tmp_path / "elsewhere"
    shutil.copytree(BASE, outside)
    (institutions / "linked").symlink_to(outside, target_is_directory=True)
    assert create_session("linked", institutions, "Q2027-01", today=TODAY) == 2
    assert not (outside / "sessions").exists()


def test_unknown_slug_and_bad_values_are_refused_in_chinese(institutions, capsys):
    assert create_session("nowhere", institutions, today=TODAY) == 2
    err = capsys.readouterr().err
    assert "找不到机构“nowhere”" in err and "已有机构：qinglan" in err
    assert create_session("qinglan", institutions, "../../evil", today=TODAY) == 2
    assert "评价计划编号" in capsys.readouterr().err
    assert create_session("qinglan", institutions, "Q2027-01", "面试", today=TODAY) == 2
    assert "认定方式" in capsys.readouterr().err
    assert not (institutions / "qinglan" / "sessions").exists()
    result = run_beian("new-session", "../qinglan", "--dir", str(institutions))
    assert result.returncode == 2 and "不能是路径" in result.stderr and "Traceback" not in result.stderr


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_starting_level_follows_the_school_and_method(institutions):
    """中职 考试考核 → 五级, 过程化考核 → 四级; 直接认定 rows carry the 1+X level that gives the plan's level."""
    _edit(institutions / "qinglan" / "profile.yaml", lambda d: d["institution"].update(type="中等职业学校"))
    for plan, method, level in (("Q2027-01", "考试考核", 5), ("Q2027-02", "过程化考核", 4)):
        assert create_session("qinglan", institutions, plan, method, today=TODAY) == 0
        folder = _session(institutions, plan)
        assert yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))["occupations"][0]["level"] == level
        row = yaml.safe_load((folder / "roster.yaml").read_text(encoding="utf-8"))["candidates"][0]
        assert (row["level"], row["school_level"], row["graduating"]) == (level, "中职", True)
    _edit(institutions / "qinglan" / "profile.yaml", lambda d: d["institution"].update(type="高等职业学校"))
    assert create_session("qinglan", institutions, "Q2027-03", "直接认定", today=TODAY) == 0
    folder = _session(institutions, "Q2027-03")
    plan = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    assert "venues" not in plan and "modules" not in plan["occupations"][0]
    row = yaml.safe_load((folder / "roster.yaml").read_text(encoding="utf-8"))["candidates"][0]
    assert (row["level"], row["school_level"], row["x_certificate"]) == (3, "高职", "中级")


def test_job_types_give_the_work_type(institutions):
    def with_job_types(data):
        data["occupations"][0]["job_types"] = [{"name": "数控车床", "levels": [4, 3]}, {"name": "普通车床", "levels": [4]}]
        del data["occupations"][0]["levels"]

    _edit(institutions / "qinglan" / "scope.yaml", with_job_types)
    assert create_session("qinglan", institutions, "Q2027-01", today=TODAY) == 0
    folder = _session(institutions, "Q2027-01")
    assert load_session(folder, ROOT).load_findings == []
    text = (folder / "plan.yaml").read_text(encoding="utf-8")
    first = yaml.safe_load(text)["occupations"][0]
    assert (first["work_type"], first["level"]) == ("数控车床", 3)
    assert "#   work_type: 普通车床" in text and "#   level: 4" in text
    assert yaml.safe_load((folder / "roster.yaml").read_text(encoding="utf-8"))["candidates"][0]["work_type"] == "数控车床"


def test_no_approved_occupation_is_refused(institutions, capsys):
    (institutions / "qinglan" / "scope.yaml").write_text("occupations: []\n", encoding="utf-8")
    assert create_session("qinglan", institutions, "Q2027-01", today=TODAY) == 2
    assert "没有已备案的认定职业" in capsys.readouterr().err
    assert not (institutions / "qinglan" / "sessions").exists()
