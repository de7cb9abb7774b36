"""The sample sessions (认定实施计划) are valid against their schemas, and the roster schema keeps
names and ID numbers out of a public file whatever the typist tries."""
from __future__ import annotations

import copy
import re

import pytest

from conftest import ROOT
from generator import schema
from generator.textfile import read_text
from generator.yamlload import load_yaml
from test_personal_numbers import ID

SESSION_FILES = ("plan", "roster", "outcome")
SESSIONS = sorted(p for p in (ROOT / "institutions").glob("*/sessions/*") if p.is_dir())
DOCUMENTS = sorted(path for folder in SESSIONS for path in folder.glob("*.yaml"))


def _label(path) -> str:
    return path.relative_to(ROOT / "institutions").as_posix()


def _data(path):
    document, findings = load_yaml(read_text(path), path.name)
    assert not findings, [f.message for f in findings]
    return document.data


def test_there_are_sample_sessions_with_every_file_kind():
    assert {path.stem for path in DOCUMENTS} == set(SESSION_FILES)
    assert all((folder / "plan.yaml").is_file() for folder in SESSIONS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=_label)
def test_every_session_file_is_valid_and_names_its_schema(path):
    assert path.stem in SESSION_FILES, f"不认识的文件 {_label(path)}"
    data = _data(path)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema.schema_errors(path.stem, data)]
    assert not errors, errors
    assert schema.is_valid_fast(path.stem, data)
    first, second = read_text(path).splitlines()[:2]
    assert first == f"# yaml-language-server: $schema=../../../../schemas/{path.stem}.schema.json"
    assert re.match(r"# .*[\u4e00-\u9fff]", second), "second line says in Chinese what the sample shows"


@pytest.mark.parametrize("folder", SESSIONS, ids=_label)
def test_plan_number_is_the_folder_name_and_evidence_exists(folder):
    assert _data(folder / "plan.yaml")["plan_number"] == folder.name
    outcome = folder / "outcome.yaml"
    if outcome.exists():
        report = _data(outcome)["supervision_report"]
        assert (folder / report).is_file(), report


def _roster_row(**changes) -> dict:
    row = {"number": "001", "occupation": "6-31-01-03", "level": 3, "group": "学生",
           "school_level": "技工院校", "class_type": "高级工班", "graduating": True}
    row.update(changes)
    return {"candidates": [row]}


def _refused(name: str, data) -> bool:
    fast = schema.is_valid_fast(name, data)
    full = schema._full_validator(name).is_valid(data)
    assert fast == full, "the fast and the full validator disagree"
    return not full


def test_a_plain_roster_row_is_accepted():
    assert not _refused("roster", _roster_row())


@pytest.mark.parametrize("changes", [
    {"name": "张三"},
    {"id_number": ID},
    {"id_number": "410102********123X"},  # not even the masked form: the roster has no place for it
    {"number": ID},
    {"number": "123456789012345678"},  # 18 digits, whatever they are
    {"number": "001 张三"},
], ids=["name", "id-number", "masked-id-number", "id-as-number", "18-digits-as-number", "name-in-number"])
def test_roster_refuses_names_and_id_numbers(changes):
    data = _roster_row(**changes)
    assert _refused("roster", data)
    errors = schema.schema_errors("roster", data)
    assert {e.validator for e in errors} <= {"additionalProperties", "pattern"}, errors


def test_avoidance_refers_to_candidates_by_short_number_only():
    plan = copy.deepcopy(_data(ROOT / "institutions/songyue-jishi/sessions/SY2026-12/plan.yaml"))
    plan["avoidance"][0]["candidates"] = [ID]
    assert _refused("plan", plan)


def test_certificate_numbers_have_the_national_shape():
    outcome = copy.deepcopy(_data(ROOT / "institutions/songyue-jishi/sessions/SY2026-06/outcome.yaml"))
    assert not _refused("outcome", outcome)
    outcome["results"][0]["certificates"]["last"] = "Y00004103901226400031"  # one digit short
    assert _refused("outcome", outcome)
