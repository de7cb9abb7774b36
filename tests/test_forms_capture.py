"""Phone capture: `beian xlsform` writes each supervision form as an XLSForm that pyxform converts, and
`beian import-submissions` turns a CSV export of its submissions back into the same record files."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from conftest import run_beian
from generator.forms.capture import capture_fields, field_name
from generator.forms.model import all_forms, get_form
from generator.personal import check_digit
from generator.yamlload import read_data

FORM_IDS = sorted(all_forms())
SLUG, PLAN, CARD = "songyue-jishi", "SY2026-06", "豫督外2024001"
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


# --- export ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsform")
    result = run_beian("xlsform", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _sheet(path: Path, name: str) -> list[dict]:
    from openpyxl import load_workbook

    rows = list(load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_form_converts_with_pyxform_without_errors(workbooks, form_id):
    pytest.importorskip("pyxform", reason="pyxform is not installed (pip install -e '.[capture]')")
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=str(workbooks / f"{form_id}.xlsx"), warnings=warnings, validate=False)
    assert "<h:title>" + get_form(form_id).title in result.xform
    assert warnings == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_settings_name_the_form_and_its_version_is_stable(workbooks, tmp_path, form_id):
    settings = _sheet(workbooks / f"{form_id}.xlsx", "settings")[0]
    assert settings["form_id"] == form_id and settings["form_title"] == get_form(form_id).title
    assert run_beian("xlsform", "-o", str(tmp_path), "--form", form_id).returncode == 0
    assert _sheet(tmp_path / f"{form_id}.xlsx", "settings")[0]["version"] == settings["version"]
    assert [p.name for p in tmp_path.iterdir()] == [f"{form_id}.xlsx"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_one_question_per_item_with_its_printed_options(workbooks, form_id):
    form = get_form(form_id)
    survey = _sheet(workbooks / f"{form_id}.xlsx", "survey")
    choices = _sheet(workbooks / f"{form_id}.xlsx", "choices")
    names = [row["name"] for row in survey if row["type"] != "end group"]
    assert len(names) == len(set(names)) and all(XML_NAME.match(n) for n in names)
    questions = {row["name"]: row for row in survey if (row["name"] or "").startswith("item_")}
    assert len(questions) == len(form.items)
    for item in form.items:
        row = questions[field_name("item", item.id)]
        list_name = row["type"].split()[1]
        labels = [c["label::中文 (zh)"] for c in choices if c["list_name"] == list_name]
        assert labels[:len(item.options)] == [o.shown for o in item.options]
        assert item.text in row["label::中文 (zh)"]
    roles = [row for row in survey if row["name"] == "role"]
    assert bool(roles) == ({"外督", "内督"} <= set(form.supervisor_roles))


def test_item_ids_become_xml_names_in_one_place():
    assert field_name("item", "11-2") == "item_11_2" and field_name("item", "1") == "item_1"
    assert "item_11_2" in {f.name for f in capture_fields(get_form("guangdong-a4"))}


def test_nanchang_says_20_points_are_missing_and_adds_no_items_for_them(workbooks):
    survey = _sheet(workbooks / "nanchang-onsite.xlsx", "survey")
    notes = [row["label::中文 (zh)"] for row in survey if row["type"] == "note"]
    assert notes[0] == "满分 100，其中 20 分条目原文缺失"
    points = [int(m.group(1)) for row in survey if (row["name"] or "").startswith("item_")
              for m in [re.search(r"（(\d+) 分）$", row["label::中文 (zh)"])]]
    assert sum(points) == 80


def test_an_unknown_form_is_refused_with_the_known_ones(tmp_path):
    result = run_beian("xlsform", "-o", str(tmp_path), "--form", "henan-a9")
    assert result.returncode == 2 and "henan-a9" in result.stderr and "guangdong-a4" in result.stderr


# --- import ---------------------------------------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    session = tmp_path / "project" / "institutions" / SLUG / "sessions" / PLAN
    session.mkdir(parents=True)
    (session / "plan.yaml").write_text(f"plan_number: {PLAN}\n", encoding="utf-8")
    return tmp_path / "project"


def _record(form_id: str) -> dict:
    """A filled record touching every part of the form: every item answered, alternating first and last options."""
    form = get_form(form_id)
    record = {"form": form_id, "card": CARD}
    if {"外督", "内督"} <= set(form.supervisor_roles):
        record["role"] = "内督"
    record.update(plan_number=PLAN, date="2026-06-14", arrived="07:50", departed="17:20")
    header = {h.id: f"{h.label}值" for h in form.header if h.source == "record.header"}
    if header:
        record["header"] = header
    if form.items:
        record["answers"], record["remarks"] = {}, {}
        for n, item in enumerate(form.items):
            answer = item.options[0].label if n % 2 == 0 else item.options[-1].label
            record["answers"][item.id] = answer
            if n % 2:
                record["remarks"][item.id] = f"第 {n} 项的问题：\n考场记录不全"
    if form.opinions:
        record["opinions"] = {key: f"{label}：无" for key, label in form.opinions}
    if form.ratings:
        record["ratings"] = {s.id: form.ratings[1] for s in form.sections if s.rated}
    if form.vetoes:
        record["vetoes"] = [form.vetoes[-1].id]
    if form.anomalies:
        record["anomalies"] = [a.id for a in form.anomalies[:2]]
        record["other_anomalies"] = "一名考生中途离场"
    outcomes = {s.id: s.outcome.options[1][0] for s in form.sections if s.outcome}
    if outcomes:
        record["outcomes"] = outcomes
    if form.feedback_label:
        record["feedback"] = "佩戴证卡，认真履职，遵守廉洁纪律。"
    record.update(signed="2026-06-16", visibility="公开")
    return record


def _cells(form_id: str, record: dict, slug: str = SLUG) -> dict[str, str]:
    """The CSV cells an export of this record would hold, by field name: choices by their names."""
    cells = {}
    for field in capture_fields(get_form(form_id)):
        if not field.carries_value:
            continue
        if field.target == ("institution",):
            value = slug
        elif len(field.target) == 1:
            value = record.get(field.target[0])
        else:
            value = (record.get(field.target[0]) or {}).get(field.target[1])
        if field.choices and value is not None:
            by_value = {c.value: c.name for c in field.choices}
            value = " ".join(by_value[v] for v in value) if isinstance(value, list) else by_value[value]
        cells[field.name] = "" if value is None else str(value)
    return cells


def _write_csv(path: Path, rows: list[dict[str, str]], prefixes: dict[str, str] | None = None, bom=True,
               delimiter=",") -> Path:
    """A CSV as ODK Central / Kobo write it: group paths before some names, a BOM, extra meta columns."""
    names = list(rows[0])
    headers = [(prefixes or {}).get(name, "") + name for name in names] + ["meta/instanceID"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for n, row in enumerate(rows):
        writer.writerow([row[name] for name in names] + [f"uuid:{n}"])
    path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8", newline="")
    return path


def _group_prefixes(form_id: str, separator: str) -> dict[str, str]:
    prefixes, group = {}, ""
    for field in capture_fields(get_form(form_id)):
        if field.kind == "begin_group":
            group = field.name + separator
        elif field.kind == "end_group":
            group = ""
        elif group:
            prefixes[field.name] = group
    return prefixes


def _import(project: Path, csv_path: Path, *extra: str):
    result = run_beian("import-submissions", str(csv_path), "--project", str(project), *extra)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _written(project: Path, form_id: str) -> Path:
    return project / "institutions" / SLUG / "sessions" / PLAN / "supervision" / f"{form_id}-{CARD}.yaml"


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_submission_comes_back_as_the_same_record(tmp_path, form_id):
    project, record = _project(tmp_path), _record(form_id)
    csv_path = _write_csv(tmp_path / "submissions.csv", [_cells(form_id, record)], _group_prefixes(form_id, "/"))
    result = _import(project, csv_path)
    assert result.returncode == 0, result.stderr
    text = _written(project, form_id).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../../../../schemas/record.schema.json"
    assert "submissions.csv" in lines[1] and "第 2 行" in lines[1] and lines[1].startswith("#")
    assert read_data(text) == record


def test_odk_central_names_and_times_are_read(tmp_path):
    project, record = _project(tmp_path), _record("guangdong-a4")
    cells = _cells("guangdong-a4", record)
    cells.update(arrived="07:50:00.000+08:00", departed="17:20:00.000+08:00")
    csv_path = _write_csv(tmp_path / "central.csv", [cells], _group_prefixes("guangdong-a4", "-"), bom=False)
    result = _import(project, csv_path, "--form", "guangdong-a4")
    assert result.returncode == 0, result.stderr
    assert read_data(_written(project, "guangdong-a4").read_text(encoding="utf-8")) == record


def test_a_kobo_export_with_semicolons_and_printed_words_is_read(tmp_path):
    project, record = _project(tmp_path), _record("guangdong-a3")
    cells = dict(_cells("guangdong-a3", record), item_prep_1=record["answers"]["prep-1"])
    csv_path = _write_csv(tmp_path / "kobo.csv", [cells], _group_prefixes("guangdong-a3", "/"), delimiter=";")
    result = _import(project, csv_path)
    assert result.returncode == 0, result.stderr
    assert read_data(_written(project, "guangdong-a3").read_text(encoding="utf-8")) == record


def test_a_second_import_writes_nothing_and_says_the_files_exist(tmp_path):
    project = _project(tmp_path)
    csv_path = _write_csv(tmp_path / "submissions.csv", [_cells("guangdong-a4", _record("guangdong-a4"))])
    assert _import(project, csv_path).returncode == 0
    before = _written(project, "guangdong-a4").read_bytes()
    again = _import(project, csv_path)
    assert again.returncode == 0
    assert "已存在" in again.stdout and "写入 0 份" in again.stdout
    assert _written(project, "guangdong-a4").read_bytes() == before


def test_a_different_record_for_an_existing_file_is_not_overwritten(tmp_path):
    project = _project(tmp_path)
    record = _record("guangdong-a4")
    assert _import(project, _write_csv(tmp_path / "a.csv", [_cells("guangdong-a4", record)])).returncode == 0
    before = _written(project, "guangdong-a4").read_bytes()
    record["answers"]["1"] = "不一致"
    result = _import(project, _write_csv(tmp_path / "b.csv", [_cells("guangdong-a4", record)]))
    assert result.returncode == 1 and "未覆盖" in result.stderr
    assert _written(project, "guangdong-a4").read_bytes() == before


def test_a_bad_choice_names_row_and_column_and_the_other_rows_are_written(tmp_path):
    project = _project(tmp_path)
    good = _cells("guangdong-a4", _record("guangdong-a4"))
    bad = dict(good, card="豫督外2024002", item_4="o9")
    result = _import(project, _write_csv(tmp_path / "submissions.csv", [good, bad]))
    assert result.returncode == 1
    assert "submissions.csv 第 3 行 item_4 列" in result.stderr and "o9" in result.stderr
    assert _written(project, "guangdong-a4").exists()
    assert not (_written(project, "guangdong-a4").parent / "guangdong-a4-豫督外2024002.yaml").exists()


def test_a_row_with_an_id_number_is_refused_and_the_number_is_not_shown(tmp_path):
    project = _project(tmp_path)
    number = "41140219650712001" + check_digit("41140219650712001")
    cells = _cells("guangdong-a4", _record("guangdong-a4"))
    cells["remark_2"] = f"考生 {number} 未带身份证"
    result = _import(project, _write_csv(tmp_path / "submissions.csv", [cells]))
    assert result.returncode == 1
    assert number not in result.stdout + result.stderr
    assert "第 2 行 remark_2 列" in result.stderr and "身份证号" in result.stderr
    assert not _written(project, "guangdong-a4").exists()


@pytest.mark.parametrize("column, value", [("institution", "../songyue-jishi"), ("plan_number", "../../../x"),
                                           ("plan_number", "SY2026-07"), ("card", "a/../../b")])
def test_paths_outside_the_project_or_missing_sessions_are_refused(tmp_path, column, value):
    project = _project(tmp_path)
    cells = dict(_cells("guangdong-a4", _record("guangdong-a4")), **{column: value})
    result = _import(project, _write_csv(tmp_path / "submissions.csv", [cells]))
    assert result.returncode == 1 and f"第 2 行 {column} 列" in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*.yaml")) == ["plan.yaml"]


def test_an_unknown_form_or_a_missing_column_is_said_in_chinese(tmp_path):
    project = _project(tmp_path)
    cells = _cells("guangdong-a4", _record("guangdong-a4"))
    unknown = _import(project, _write_csv(tmp_path / "a.csv", [dict(cells, beian_form="henan-a9")]))
    assert unknown.returncode == 2 and "henan-a9" in unknown.stderr
    del cells["item_4"]
    missing = _import(project, _write_csv(tmp_path / "b.csv", [cells]))
    assert missing.returncode == 1 and "缺少列：item_4" in missing.stderr


def test_an_oversized_export_is_refused_with_a_chinese_message(tmp_path):
    project = _project(tmp_path)
    cells = _cells("guangdong-a4", _record("guangdong-a4"))
    result = _import(project, _write_csv(tmp_path / "big.csv", [cells] * 2001))
    assert result.returncode == 1 and "上限" in result.stderr and "分批" in result.stderr
