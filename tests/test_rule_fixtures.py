"""Every rule's passing and failing fixtures (tests/fixtures/rules/<rule-id>.yaml).

Each case edits a copy of the complete base filing (tests/fixtures/base) and
states what a reviewer would see: the criterion's status and points, or the
finding that must (or must not) appear. Rule id = fixture file = pytest id.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import BASE, FIXTURES, ROOT
from filing_patch import apply_edits
from lost_points import unexplained_losses
from generator.engine import evaluate, evaluate_path, evaluate_sessions, validity_rules
from generator.filing import load_filing, load_register
from generator.kinds import kind
from generator.report import filing_record
from generator.rulesinfo import rule_page
from generator.sheet import all_sheets, get_sheet

RULE_FIXTURES = FIXTURES / "rules"
FAILING_STATUSES = {"unmet", "partial", "vetoed"}


def all_rule_ids() -> list[str]:
    ids = [c.id for sheet in all_sheets().values() for c in sheet.criteria]
    return ids + [r.id for r in validity_rules()]


def load_cases():
    for path in sorted(RULE_FIXTURES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(path.stem, case, id=f"{path.stem}:{case['name']}")


def _is_failing(case: dict) -> bool:
    expect = case["expect"]
    return (expect.get("status") in FAILING_STATUSES or expect.get("valid") is False
            or bool(expect.get("finding")) and expect["finding"].get("severity", "warning") != "notice")


BASE_SESSION = FIXTURES / "base-session"
SESSION_RULES = {c.id for c in get_sheet(kind("session").rule_set).criteria}


def session_case(case: dict, tmp_path: Path):
    """A session rule's case: the base filing, filed (variants/filed.yaml), with the base session
    (tests/fixtures/base-session) as sessions/<plan>; the case's edits apply to the session folder,
    its `institution:` edits to the institution folder. Returns the base session's result."""
    folder = tmp_path / "case-school"
    shutil.copytree(BASE, folder)
    apply_edits(folder, {"variant": "filed", **(case.get("institution") or {})})
    plan = case.get("plan_folder", "T2026-12")
    session_folder = folder / "sessions" / plan
    shutil.copytree(BASE_SESSION, session_folder)
    apply_edits(session_folder, case)
    results = evaluate_sessions(load_filing(folder, ROOT), ROOT, today=dt.date(2026, 11, 23))
    return next(r for r in results if r.filing.root.name == plan)


BASE_REGISTER = FIXTURES / "base-register"
REGISTER_RULES = {c.id for c in get_sheet(kind("register").rule_set).criteria}


def register_case(case: dict, tmp_path: Path):
    """A register rule's case: a project with the base filing (filed) and its base session T2026-12 as
    institutions/case-school, and the base register (tests/fixtures/base-register) as department/<jurisdiction>
    (`jurisdiction:` of the case, henan by default); the case's edits apply to the register folder, its
    `session:` edits to the session folder."""
    project = tmp_path / "project"
    school = project / "institutions" / "case-school"
    shutil.copytree(BASE, school)
    apply_edits(school, {"variant": "filed", **(case.get("institution") or {})})
    shutil.copytree(BASE_SESSION, school / "sessions" / "T2026-12")
    apply_edits(school / "sessions" / "T2026-12", case.get("session") or {})
    jurisdiction = case.get("jurisdiction", "henan")
    folder = project / "department" / jurisdiction
    shutil.copytree(BASE_REGISTER, folder)
    apply_edits(folder, {"set": {"supervisors.yaml": {"jurisdiction": jurisdiction}}})
    apply_edits(folder, case)
    return evaluate(load_register(folder, project), today=dt.date(2026, 11, 23))


BASE_RECORD = FIXTURES / "base-record"
RECORD_RULES = {c.id for c in get_sheet(kind("supervision").rule_set).criteria}
RECORD_FILE = "guangdong-a4-豫督外2025101.yaml"
RECORD_DAY = dt.date(2026, 12, 20)  # after the base session's exam days (2026-12-08/09) and its deadlines


def record_case(case: dict, tmp_path: Path):
    """A supervision record rule's case: the register case's project (base filing, base session T2026-12, base
    register as department/henan), a beian.yaml accepting every form, and the base records
    (tests/fixtures/base-record) as the session's supervision/ folder; the case's edits apply to that folder
    (`record:` names the file judged, the base 附件4 record by default), its `register:` edits to the register,
    its `session:` edits to the session. Judged on `today:` (2026-12-20 by default)."""
    from generator.engine import evaluate_records
    from generator.filing import load_session
    from generator.forms.model import all_forms
    from generator.registry import registry_settings

    project = tmp_path / "project"
    register_case({**{k: v for k, v in (case.get("register") or {}).items()}, "session": case.get("session") or {},
                   "institution": case.get("institution") or {}}, tmp_path)
    (project / "beian.yaml").write_text("jurisdiction: henan\nsupervision_forms: [" + ", ".join(all_forms()) + "]\n",
                                        encoding="utf-8")
    registry_settings.cache_clear()
    school = project / "institutions" / "case-school"
    folder = school / "sessions" / "T2026-12" / "supervision"
    shutil.copytree(BASE_RECORD, folder)
    apply_edits(folder, case)
    today = dt.date.fromisoformat(str(case.get("today", RECORD_DAY)))
    session = load_session(school / "sessions" / "T2026-12", project)
    results = evaluate_records(session, load_filing(school, project), project, today=today)
    wanted = case.get("record", RECORD_FILE)
    return next(r for r in results if r.filing.kind.files[0].name == wanted)


@pytest.mark.parametrize("rule_id, case", list(load_cases()))
def test_rule_case(rule_id: str, case: dict, tmp_path: Path):
    if rule_id in RECORD_RULES or case.get("subject") == "record":
        result = record_case(case, tmp_path)
    elif rule_id in REGISTER_RULES or case.get("subject") == "register":
        result = register_case(case, tmp_path)
    elif rule_id in SESSION_RULES or case.get("subject") == "session":
        result = session_case(case, tmp_path)
    else:
        folder = tmp_path / "case-school"
        shutil.copytree(BASE, folder)
        apply_edits(folder, case)
        result = evaluate_path(folder, ROOT, today=dt.date(2026, 11, 23))
    expect = case["expect"]
    messages = [f"{f.rule} {f.severity} {f.file}:{f.line} {f.message}" for f in result.findings]

    if "valid" in expect:
        assert result.valid is expect["valid"], messages
    if "decision" in expect:
        assert result.decision == expect["decision"], messages
    criterion = next((c for c in result.criteria if c.criterion.id == rule_id), None)
    for key in ("status", "awarded", "potential"):
        if key in expect:
            assert criterion is not None, f"{rule_id} was not scored: {messages}"
            assert getattr(criterion, key) == expect[key], f"{key}: {getattr(criterion, key)} != {expect[key]}; {messages}"
    if "finding" in expect:
        wanted = expect["finding"]
        matches = [f for f in result.findings
                   if f.rule == wanted.get("rule", rule_id)
                   and wanted.get("message", "") in f.message
                   and f.severity == wanted.get("severity", f.severity)
                   and (wanted.get("file") is None or (f.file or "").endswith(wanted["file"]))
                   and (wanted.get("line") is None or f.line == wanted["line"])]
        assert matches, f"no finding like {wanted}; got {messages}"
    if expect.get("no_finding"):
        problems = [f for f in result.findings if f.rule == rule_id and f.severity != "notice"]
        assert not problems, [f.message for f in problems]
    # Whatever the case is about: every point any criterion lost has a finding saying where and why.
    unexplained = unexplained_losses(filing_record(result))
    assert not unexplained, f"{unexplained}; {messages}"


def test_every_rule_has_docs_and_both_kinds_of_fixture():
    missing = []
    for rule_id in all_rule_ids():
        if not rule_page(rule_id):
            missing.append(f"{rule_id}: no docs page")
        path = RULE_FIXTURES / f"{rule_id}.yaml"
        if not path.exists():
            missing.append(f"{rule_id}: no fixture file")
            continue
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        if not any(_is_failing(c) for c in cases):
            missing.append(f"{rule_id}: no failing case")
        if not any(not _is_failing(c) for c in cases):
            missing.append(f"{rule_id}: no passing case")
    assert not missing, "\n".join(missing)


def test_fixtures_name_known_rules():
    known = set(all_rule_ids())
    unknown = [p.stem for p in RULE_FIXTURES.glob("*.yaml") if p.stem not in known]
    assert not unknown, f"fixture files for unknown rules: {unknown}"




def test_base_fixture_meets_every_machine_decidable_criterion():
    result = evaluate_path(BASE, ROOT, today=dt.date(2026, 11, 23))
    assert result.valid, [f.message for f in result.findings]
    problems = [f"{f.rule}: {f.message}" for f in result.findings if f.severity != "notice"]
    assert not problems, problems
    assert all(c.status in ("met", "pending") for c in result.criteria)


@pytest.mark.parametrize("make_case, rules", [(session_case, SESSION_RULES), (register_case, REGISTER_RULES),
                                               (record_case, RECORD_RULES)], ids=["session", "register", "record"])
def test_base_subject_meets_every_condition_of_its_rule_set(make_case, rules, tmp_path):
    """The base session, register and supervision record are clean: each case's failure is its own edit's."""
    result = make_case({}, tmp_path)
    assert result.valid, [f"{f.file}:{f.line} {f.message}" for f in result.findings]
    problems = [f"{f.rule}: {f.message}" for f in result.findings if f.severity != "notice"]
    assert not problems, problems
    assert result.decision == "eligible"
    assert {c.criterion.id for c in result.criteria} == rules
