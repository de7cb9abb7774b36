"""A filled supervision record read for printing: the record file, its form, what the form makes of it, and
the header values the form takes from elsewhere (HeaderField.source).

A record lives at institutions/<slug>/sessions/<plan>/supervision/<form>-<card>.yaml. Its header values come
from the record itself, from the register that holds the card (外督: department/<jurisdiction>/supervisors.yaml)
or from the institution's personnel.yaml (内督), from profile.yaml and from the session's plan.yaml. Those files
are read lightly (values only): their own checks report what is wrong with them; a value not found is left
empty on the print, never guessed. A record that cannot be read is a RecordError naming the file and line.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .answers import FormResult, judge
from .model import Form, all_forms, get_form

RECORD_SCHEMA = "record"


class RecordError(Exception):
    """A record that cannot be printed: one Chinese message per problem, each naming the file (and line)."""

    def __init__(self, *problems: str):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Supervisor:
    """Who filled the form (a feedback form: who it is about), as the header prints them."""
    name: str = ""
    employer: str = ""
    department: str = ""   # the dispatching body (委派机构) of a 外督


@dataclass(frozen=True)
class FilledRecord:
    path: Path
    shown_as: str                   # the path as the user knows it, for messages
    form: Form
    data: dict
    result: FormResult
    header: dict[str, str]          # header field id → value as printed
    institution: str = ""           # the institution folder name (slug), "" outside institutions/
    plan: str = ""                  # the session folder name

    def value(self, key: str) -> str:
        value = self.data.get(key)
        return str(value).strip() if value is not None and not isinstance(value, (dict, list)) else ""

    def mapping(self, key: str) -> dict[str, str]:
        value = self.data.get(key)
        return {str(k): _scalar(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def ids(self, key: str) -> set[str]:
        value = self.data.get(key)
        return {str(v) for v in value} if isinstance(value, list) else set()


def _scalar(value) -> str:
    return str(value).strip() if value is not None and not isinstance(value, (dict, list)) else ""


def _record_kind():
    from ..kinds import kind

    return kind("supervision")   # sessions/<plan>/supervision/<form>-<card>.yaml (rules/kinds.yaml)


def record_files(given: Path) -> list[Path]:
    """The record files a path names: the file itself, or every supervision/*.yaml under a folder."""
    records = _record_kind()
    if given.is_file():
        return [given]
    if given.name == records.subfolder:
        return records.subject_files(given)
    return sorted(p for folder in given.rglob(records.subfolder) if folder.is_dir() for p in records.subject_files(folder))


def _place(path: Path) -> tuple[Path | None, Path | None]:
    """(session folder, institution folder) of a record in the repository layout; (None, None) elsewhere."""
    parts = path.resolve().parents
    if len(parts) >= 4 and parts[0].name == _record_kind().subfolder and parts[2].name == "sessions":
        return parts[1], parts[3]
    return None, None


def _data_of(path: Path) -> dict:
    """The values of a YAML file, {} when it is absent or unreadable (its own check says why)."""
    from ..textfile import read_text
    from ..yamlload import read_data

    try:
        data = read_data(read_text(path))
    except Exception:  # noqa: BLE001 - absent, undecodable: the file's own check reports it
        return {}
    return data if isinstance(data, dict) else {}


def _field(data: dict, *keys: str) -> str:
    for key in keys[:-1]:
        data = data.get(key) if isinstance(data.get(key), dict) else {}
    return _scalar(data.get(keys[-1]))


def _external(card: str, project_root: Path) -> Supervisor | None:
    """The 外督 holding CARD in one of the department's registers, or None."""
    from ..filing import load_register
    from ..paths import REGISTERS_FOLDER
    from ..supervision.load import register_of

    folder = project_root / REGISTERS_FOLDER
    for register_folder in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else ():
        if not (register_folder / "supervisors.yaml").is_file():
            continue
        try:
            register = register_of(load_register(register_folder, project_root))
        except Exception:  # noqa: BLE001 - a broken register is reported by `beian check`; the value stays empty
            continue
        for supervisor in register.supervisors:
            if supervisor.card == card:
                return Supervisor(supervisor.name, supervisor.employer, register.department)
    return None


def _internal(card: str, institution: Path | None) -> Supervisor | None:
    """The institution's 内督 holding CARD (personnel.yaml supervisors[].card.number), or None."""
    if institution is None:
        return None
    personnel = _data_of(institution / "personnel.yaml")
    name = _field(_data_of(institution / "profile.yaml"), "institution", "name")
    for person in personnel.get("supervisors") or []:
        if isinstance(person, dict) and _field(person, "card", "number") == card:
            return Supervisor(_scalar(person.get("name")), name if person.get("employee") is True else "")
    return None


def supervisor_of(card: str, role: str, institution: Path | None, project_root: Path) -> Supervisor:
    """The supervisor a record names by card: a 内督 from the institution's people, a 外督 from the registers;
    without a role, wherever the card is found (as the schema says)."""
    if role == "内督":
        return _internal(card, institution) or Supervisor()
    if role == "外督":
        return _external(card, project_root) or Supervisor()
    return _external(card, project_root) or _internal(card, institution) or Supervisor()


def header_values(form: Form, data: dict, result: FormResult,
                  session: Path | None, institution: Path | None, project_root: Path) -> dict[str, str]:
    """Header field id → the value printed in its cell, following HeaderField.source."""
    from ..bundle.data import cn_date

    supervisor = None
    plan = _data_of(session / "plan.yaml") if session else {}
    profile = _data_of(institution / "profile.yaml") if institution else {}
    header = data.get("header") if isinstance(data.get("header"), dict) else {}
    values = {}
    for field in form.header:
        source = field.source
        if source.startswith("supervisor.") or source == "register.department":
            supervisor = supervisor or supervisor_of(_scalar(data.get("card")), _scalar(data.get("role")),
                                                     institution, project_root)
        if source == "record.header":
            value = _scalar(header.get(field.id))
        elif source == "record.date":
            value = cn_date(_scalar(data.get("date")))
        elif source.startswith("record."):
            value = _scalar(data.get(source.split(".", 1)[1]))
        elif source == "supervisor.name":
            value = supervisor.name
        elif source == "supervisor.employer":
            value = supervisor.employer
        elif source == "register.department":
            value = supervisor.department
        elif source == "institution.name":
            value = _field(profile, "institution", "name")
        elif source.startswith("plan."):
            value = _field(plan, source.split(".", 1)[1])
        elif source == "result.score" and result.score is not None:
            value = f"{result.score}（已知条目满分 {result.known_max}）"
        else:
            value = ""
        values[field.id] = value
    return values


def _schema_problems(shown_as: str, document) -> list[str]:
    from ..schema import describe_error, is_valid_fast, schema_errors

    if is_valid_fast(RECORD_SCHEMA, document.data):
        return []
    problems = []
    for error in schema_errors(RECORD_SCHEMA, document.data):
        message, where, hint, _ = describe_error(RECORD_SCHEMA, error)
        line = document.line_of(where)
        problems.append(f"{shown_as}" + (f":{line}" if line else "") + f"：{message}" + (f"（{hint}）" if hint else ""))
    return problems


def read_record(path: Path, project_root: Path, shown_as: str | None = None) -> FilledRecord:
    """The record at PATH ready to print; RecordError (Chinese, naming the file and line) when it is not."""
    from ..textfile import TextFileError, os_reason, read_text
    from ..yamlload import YamlSyntaxError, load_yaml

    shown_as = shown_as or str(path)
    try:
        document, _ = load_yaml(read_text(path), path.name)
    except YamlSyntaxError as exc:
        problem = exc.problem
        raise RecordError(f"{shown_as}" + (f":{problem.line}" if problem.line else "") + f"：{problem.message}") from None
    except TextFileError as exc:
        raise RecordError(f"{shown_as}：{exc}") from None
    except OSError as exc:
        raise RecordError(f"{shown_as}：无法读取：{os_reason(exc)}。") from None
    if not isinstance(document.data, dict):
        raise RecordError(f"{shown_as}：不是一份督导记录（应为“字段: 值”的映射，从 form:、card: 等字段开始）。")
    written = document.data.get("form")
    form = get_form(written) if isinstance(written, str) else None
    if form is None:
        where = f"{shown_as}:{document.line_of(('form',)) or 1}"
        what = f"记录表“{written}”不存在" if isinstance(written, str) and written.strip() else \
            "记录表编号 form 未填写或不是文字"
        raise RecordError(f"{where}：{what}；form 应为 rules/forms/ 中的表编号之一：{'、'.join(all_forms())}。")
    problems = _schema_problems(shown_as, document)
    if problems:
        raise RecordError(*problems)
    data = document.data
    result = judge(form, data)
    session, institution = _place(path)
    header = header_values(form, data, result, session, institution, project_root)
    return FilledRecord(path, shown_as, form, data, result, header,
                        institution.name if institution else "", session.name if session else "")
