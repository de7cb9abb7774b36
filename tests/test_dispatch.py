"""`beian dispatch`: the seeded draw, the optimiser when the draw falls short, the explanation when nothing can
cover a session, replay from the seed, --write, and the samples' proposal keeping every dispatch rule."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.cli import main
from generator.filing import load_register
from generator.supervision.dispatch import GREEDY, OPTIMISER, draw, greedy, needs_of
from generator.department.dispatch_command import history_of, period_sessions
from generator.supervision.dispatch_judge import judge
from generator.supervision.dispatch_rules import DispatchRules, rules_for
from generator.supervision.load import register_of, sessions_index
from generator.supervision.model import Assignment, Register, SessionRoles, Supervisor, Visit

TODAY = dt.date(2026, 11, 23)
DAY = dt.date(2026, 12, 8)
HENAN_LIKE = DispatchRules(jurisdiction="测试省", max_consecutive=3, avoidance_roles=("考评员",))


def _supervisor(index: int, card: str, name: str, employer: str = "某市鉴定中心", **more) -> Supervisor:
    return Supervisor(index=index, card=card, name=name, term_start=dt.date(2025, 1, 1), term_end=dt.date(2027, 12, 31),
                      sex="男", birth_year=1970, employer=employer, management_work=True, **more)


def _session(institution: str, name: str, day: dt.date = DAY, examiners=()) -> SessionRoles:
    return SessionRoles(key=f"{institution}/T1", institution=institution, institution_name=name, plan_number="T1",
                        days=(day,), examiners=frozenset(examiners))


# Two sessions on one day: 甲 may take either supervisor, 乙 only A (B works at 乙). A draw that gives A to 甲
# leaves 乙 short; the optimiser gives B to 甲 and A to 乙.
CONTESTED = Register("test", "测试中心", "部门内部", (_supervisor(0, "C-A", "甲某"), _supervisor(1, "C-B", "乙某", employer="乙校")))
CONTESTED_SESSIONS = [_session("school-a", "甲校"), _session("school-b", "乙校")]


def _seed_where_greedy_fails() -> int:
    needs = needs_of(CONTESTED, CONTESTED_SESSIONS, [], HENAN_LIKE, "现场督导")
    return next(seed for seed in range(100) if greedy(needs, [], HENAN_LIKE, seed)[1])


def test_greedy_short_then_optimiser_covers_every_session():
    pytest.importorskip("ortools")
    seed = _seed_where_greedy_fails()
    needs = needs_of(CONTESTED, CONTESTED_SESSIONS, [], HENAN_LIKE, "现场督导")
    chosen, short = greedy(needs, [], HENAN_LIKE, seed)
    assert short == ["school-b/T1"] and chosen == {"school-a/T1": ("C-A",)}
    result = draw(CONTESTED, CONTESTED_SESSIONS, [], HENAN_LIKE, seed, "现场督导")
    assert result.method == OPTIMISER and result.greedy_short == ["school-b/T1"] and result.complete
    assert result.chosen == {"school-a/T1": ("C-B",), "school-b/T1": ("C-A",)}


def test_a_seed_whose_draw_succeeds_needs_no_optimiser():
    needs = needs_of(CONTESTED, CONTESTED_SESSIONS, [], HENAN_LIKE, "现场督导")
    seed = next(seed for seed in range(100) if not greedy(needs, [], HENAN_LIKE, seed)[1])
    result = draw(CONTESTED, CONTESTED_SESSIONS, [], HENAN_LIKE, seed, "现场督导")
    assert result.method == GREEDY and result.complete


def test_infeasible_sessions_are_named_with_why():
    pytest.importorskip("ortools")
    pair = DispatchRules(jurisdiction="北京市", group_size=2, group_size_stipulated=True, group_size_source="seed 002 第二十条")
    expired = Supervisor(index=2, card="C-C", name="丙某", term_start=dt.date(2024, 1, 1), term_end=dt.date(2026, 11, 30),
                         sex="男", birth_year=1970, management_work=True)
    register = Register("test", "测试中心", "部门内部", (*CONTESTED.supervisors, expired))
    result = draw(register, [_session("school-b", "乙校")], [], pair, 1, "现场督导")
    assert not result.complete
    assert result.uncovered["school-b/T1"] == "需 2 人，可委派 1 人（不能委派的：本机构人员 1 人、聘期 1 人）"
    # Both sessions on one day can be covered only by A: the optimiser proves it and the draw says so.
    only_a = Register("test", "测试中心", "部门内部", (_supervisor(0, "C-A", "甲某"),))
    result = draw(only_a, CONTESTED_SESSIONS, [], HENAN_LIKE, 0, "现场督导")
    assert not result.complete and list(result.uncovered) == ["school-b/T1"]
    assert "需 1 人，可委派 1 人，但在同日一处和轮换规则下与同期其他认定计划争用同一批外督" in result.uncovered["school-b/T1"]
    assert result.chosen == {"school-a/T1": ("C-A",)}


def test_rotation_counts_history_and_earlier_choices():
    history_days = [dt.date(2026, 6, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    from generator.supervision.dispatch_rules import Service

    history = [Service(i, f"school-a/H{i}", "school-a", (d,), frozenset({"C-A"}), d) for i, d in enumerate(history_days)]
    two = Register("test", "测试中心", "部门内部", (_supervisor(0, "C-A", "甲某"), _supervisor(1, "C-D", "丁某")))
    for seed in range(10):
        result = draw(two, [_session("school-a", "甲校")], history, HENAN_LIKE, seed, "现场督导")
        assert result.chosen == {"school-a/T1": ("C-D",)}   # 甲某 has served the last 3 visits


def _dispatch(capsys, *argv) -> tuple[int, str]:
    code = main(["dispatch", *argv])
    return code, capsys.readouterr().out


def test_samples_propose_without_any_breach(monkeypatch, capsys):
    monkeypatch.setenv("BEIAN_TODAY", "2026-11-23")
    code, out = _dispatch(capsys)
    assert code == 0, out
    for plan in ("SY2026-11", "SY2026-12", "SY2027-01"):
        assert f"songyue-jishi/{plan}" in out
    assert "随机种子 20261123" in out
    # The proposal, with the recorded visits to other sessions as history, keeps every rule.
    register = register_of(load_register(ROOT / "department" / "henan", ROOT))
    index = sessions_index(ROOT)
    from generator.jurisdiction import load_jurisdiction

    rules = rules_for(load_jurisdiction("henan"), TODAY)
    sessions = period_sessions(index, ROOT, "henan", TODAY, None)
    assert [s.key.split("/")[1] for s in sessions] == ["SY2026-11", "SY2026-12", "SY2027-01"]
    proposed = {s.key for s in sessions}
    result = draw(register, sessions, history_of(register, index, proposed), rules, 20261123, "现场督导")
    assert result.complete
    kept = [v for v in register.visits if v.session not in proposed]
    new = [Visit(100 + i, key, TODAY, tuple(Assignment(k, c) for k, c in enumerate(cards)), method="双随机")
           for i, (key, cards) in enumerate(result.chosen.items())]
    problems = judge(Register(register.jurisdiction, register.department, register.visibility, register.supervisors,
                              tuple(kept + new)), index, rules, TODAY)
    assert not [p.message for p in problems if p.kind != "note"]
    assert "豫督外2025001" not in result.chosen["songyue-jishi/SY2027-01"]      # 邱国华 examines there
    assert "豫督外2024004" not in result.chosen["songyue-jishi/SY2027-01"]      # 刘振华's term has ended
    assert not {"豫督外2024001"} <= set(result.chosen["songyue-jishi/SY2026-11"]) & set(result.chosen["songyue-jishi/SY2026-12"])
    # and the text names what the hand-made visits break
    assert "任国栋（豫督外2024001）连续 4 次督导 songyue-jishi" in out
    assert "邱国华（豫督外2025001）是认定计划 SY2027-01 的考评员" in out
    assert "刘振华（豫督外2024004）聘期 2026-12-31 届满，督导日 2027-01-09" in out


def test_replay_from_the_seed(monkeypatch, capsys):
    monkeypatch.setenv("BEIAN_TODAY", "2026-11-23")
    first = _dispatch(capsys, "--seed", "7")
    assert first == _dispatch(capsys, "--seed", "7")
    assert _dispatch(capsys, "--seed", "7", "--format", "json") == _dispatch(capsys, "--seed", "7", "--format", "json")
    others = {_dispatch(capsys, "--seed", str(seed))[1].split("\n", 2)[2] for seed in range(8, 16)}
    assert len(others) > 1   # different seeds draw differently (the header with the seed aside)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "institutions" / "songyue-jishi", project / "institutions" / "songyue-jishi")
    shutil.copytree(ROOT / "department" / "henan", project / "department" / "henan")
    return project


def test_write_appends_and_keeps_comments(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("BEIAN_TODAY", "2026-11-23")
    project = _project(tmp_path)
    path = project / "department" / "henan" / "dispatches.yaml"
    # SY2027-01 not yet dispatched; SY2026-11 and SY2026-12 keep their hand-made visits
    before = path.read_text(encoding="utf-8").split("  - session: songyue-jishi/SY2027-01")[0]
    path.write_text(before, encoding="utf-8")
    code = main(["dispatch", "--project", str(project), "--seed", "5", "--write"])
    captured = capsys.readouterr()
    assert code == 0, captured.out
    assert "已有委派的认定计划不追加建议" in captured.err and "songyue-jishi/SY2026-11、songyue-jishi/SY2026-12" in captured.err
    assert "已追加 1 次委派" in captured.err
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before) and "# beian dispatch --seed 5" in after
    visits = yaml.safe_load(after)["visits"]
    assert len(visits) == 5 and visits[4]["session"] == "songyue-jishi/SY2027-01"
    assert visits[4]["seed"] == 5 and visits[4]["method"] == "双随机"
    assert not [f.message for f in load_register(path.parent, project).load_findings if f.severity == "error"]
    code, printed = _dispatch(capsys, "--project", str(project), "--seed", "5", "--format", "yaml")
    proposed = yaml.safe_load(printed)["visits"]
    assert [v["session"] for v in proposed] == ["songyue-jishi/SY2026-11", "songyue-jishi/SY2026-12", "songyue-jishi/SY2027-01"]
    assert proposed[2] == visits[4]
    # run again: every session now has its visit, nothing is appended twice
    assert main(["dispatch", "--project", str(project), "--seed", "5", "--write"]) == 0
    assert "没有可追加的委派" in capsys.readouterr().err and path.read_text(encoding="utf-8") == after


def test_write_refuses_a_file_it_cannot_append_to(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("BEIAN_TODAY", "2026-11-23")
    project = _project(tmp_path)
    path = project / "department" / "henan" / "dispatches.yaml"
    path.write_text("# 委派记录\nvisits: []   # 尚无\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert main(["dispatch", "--project", str(project), "--write"]) == 2
    assert "dispatches.yaml:2：visits 写成了行内形式（[]），无法追加" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before


def test_append_refuses_when_visits_is_not_the_last_key(tmp_path):
    from generator.department.dispatch_command import DispatchError, append_visits

    path = tmp_path / "dispatches.yaml"
    path.write_text("visits:\n  - {session: a/b}\nnote: x\n", encoding="utf-8")
    with pytest.raises(DispatchError, match="最后一个顶层键是第 3 行的 note，不是 visits"):
        append_visits(path, lambda indent: "")


def test_usage_errors_are_chinese(monkeypatch, capsys, tmp_path):
    assert main(["dispatch", "--jurisdiction", "nowhere"]) == 2
    assert "没有辖区 nowhere 的名册" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["dispatch", "--from", "2026-13-01"])
    assert exit_info.value.code == 2
    assert "应写成 YYYY-MM-DD" in capsys.readouterr().err


def test_an_empty_period_is_covered(monkeypatch, capsys):
    monkeypatch.setenv("BEIAN_TODAY", "2026-11-23")
    code, out = _dispatch(capsys, "--from", "2030-01-01")
    assert code == 0 and "期间内没有需要委派的认定计划" in out


def test_a_broken_register_is_named_not_a_traceback(monkeypatch, capsys, tmp_path):
    project = _project(tmp_path)
    (project / "department" / "henan" / "dispatches.yaml").write_text("visits:\n  - session: [\n", encoding="utf-8")
    assert main(["dispatch", "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "department/henan/dispatches.yaml:" in err and "名册 department/henan/ 有错误" in err
    assert main(["dispatch", "--project", str(tmp_path / "nowhere")]) == 2
    assert "没有名册文件夹" in capsys.readouterr().err
