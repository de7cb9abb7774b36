"""From files to the supervision records of model.py.

- `register_of(folder)`: the Register of a loaded `department/<jurisdiction>/` folder (kind `register`), built
  once per folder and shared by its checks. Values the schema rejected are skipped here: the schema's own
  errors already say what is wrong with them, and a check must not report an artefact of the same error.
- `sessions_index(project_root)`: every session of every institution as SessionRoles, keyed
  "<institution>/<plan folder>". Only plan.yaml and the institution's name are read (a light parse, no
  schema validation): a dispatch needs who holds which role on which day, and the session's own check
  reports what is wrong with its plan.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..dates import parse_date as _date
from .model import (ACCEPTED, DEPARTMENT_ONLY, IN_SERVICE, Assignment, Register, SessionRoles, Supervisor,
                    Visit)


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value) -> str:
    return str(value).strip() if value is not None and not isinstance(value, (dict, list)) else ""


def _supervisor(index: int, raw: dict) -> Supervisor:
    term = raw.get("term") if isinstance(raw.get("term"), dict) else {}
    gone = raw.get("disqualified") if isinstance(raw.get("disqualified"), dict) else {}
    management = raw.get("management_work")
    return Supervisor(
        index=index, card=_text(raw.get("card")), name=_text(raw.get("name")),
        term_start=_date(term.get("from")), term_end=_date(term.get("until")),
        issued_by=_text(raw.get("issued_by")), sex=_text(raw.get("sex")) or None,
        birth_year=_int(raw.get("birth_year")), employer=_text(raw.get("employer")),
        management_work=management if isinstance(management, bool) else None,
        years_in_assessment=_int(raw.get("years_in_assessment")),
        conflicts=tuple(_text(c) for c in raw.get("conflicts") or [] if _text(c)),
        status=_text(raw.get("status")) or IN_SERVICE,
        disqualified_on=_date(gone.get("date")), blacklisted=gone.get("blacklist") is True)


def _visit(index: int, raw: dict) -> Visit:
    assignments = tuple(Assignment(k, _text(a.get("card")), _text(a.get("response")) or ACCEPTED, _text(a.get("reason")))
                        for k, a in enumerate(raw.get("supervisors") or []) if isinstance(a, dict))
    dates = tuple(d for d in (_date(x) for x in raw.get("dates") or []) if d)
    return Visit(index=index, session=_text(raw.get("session")), made=_date(raw.get("made")), assignments=assignments,
                 type=_text(raw.get("type")) or "现场督导", dates=dates, method=_text(raw.get("method")) or "人工指派",
                 seed=_int(raw.get("seed")), visibility=_text(raw.get("visibility")) or DEPARTMENT_ONLY)


def register_of(folder) -> Register:
    """The Register of a loaded register folder (a Filing of kind `register`), computed once per folder."""
    if "register" not in folder.derived:
        supervisors = tuple(_supervisor(i, raw) for i, raw in enumerate(folder.items("supervisors", "supervisors"))
                            if isinstance(raw, dict) and ("supervisors", ("supervisors", i)) not in folder.rejected)
        visits = tuple(_visit(i, raw) for i, raw in enumerate(folder.items("dispatches", "visits"))
                       if isinstance(raw, dict) and ("dispatches", ("visits", i)) not in folder.rejected)
        folder.derived["register"] = Register(
            jurisdiction=_text(folder.get("supervisors", "jurisdiction")) or folder.slug,
            department=_text(folder.get("supervisors", "department")),
            visibility=_text(folder.get("supervisors", "visibility")) or DEPARTMENT_ONLY,
            supervisors=supervisors, visits=visits)
    return folder.derived["register"]


def _session_roles(institution: Path, plan_folder: Path, profile: tuple[str, str], project_root: Path) -> SessionRoles | None:
    from ..filing import Filing, display_path
    from ..kinds import kind
    from ..plan_people import exam_days, plan_people
    from ..textfile import read_text
    from ..yamlload import load_yaml

    try:
        document, problems = load_yaml(read_text(plan_folder / "plan.yaml"), "plan.yaml")
    except Exception:  # noqa: BLE001 - unreadable or absent: the session's own check says why
        return None
    if problems or not isinstance(document.data, dict):
        return None
    session = Filing(plan_folder.name, plan_folder, display_path(plan_folder, project_root), docs={"plan": document},
                     kind=kind("session"))
    people = plan_people(session)
    days = sorted({day for day, _ in exam_days(session)})
    candidates = sum(c for occupation in session.items("plan", "occupations") if isinstance(occupation, dict)
                     for c in [_int(occupation.get("candidates"))] if c)
    by_role = lambda *roles: frozenset(p.name for p in people if p.role in roles)  # noqa: E731
    return SessionRoles(
        key=f"{institution.name}/{plan_folder.name}", institution=institution.name, institution_name=profile[0],
        plan_number=_text(session.get("plan", "plan_number")) or plan_folder.name, days=tuple(days),
        candidates=candidates, examiners=by_role("考评员"), internal_supervisors=by_role("内部督导人员"),
        staff=by_role("考场负责人", "考务工作人员", "监考员"), path=session.display_root, sheet=profile[1])


def _institution_profile(folder: Path) -> tuple[str, str]:
    """(institution name, rule sheet id) from the institution's profile.yaml; empty when unreadable."""
    from ..textfile import read_text
    from ..yamlload import load_yaml

    try:
        document, _ = load_yaml(read_text(folder / "profile.yaml"), "profile.yaml")
    except Exception:  # noqa: BLE001 - its own check reports an unreadable profile
        return "", ""
    data = document.data if isinstance(document.data, dict) else {}
    institution = data.get("institution")
    return (_text(institution.get("name")) if isinstance(institution, dict) else ""), _text(data.get("sheet"))


@lru_cache(maxsize=4)
def sessions_index(project_root: Path, keys: frozenset[str] | None = None) -> dict[str, SessionRoles]:
    """Every institution's sessions under PROJECT_ROOT/institutions, by "<institution>/<plan folder>"; with KEYS,
    only those (what a register's visits name: the public build needs no more, and reading every plan of a national
    register for a few published visits would cost minutes)."""
    from ..filing import session_folders

    found: dict[str, SessionRoles] = {}
    institutions = project_root / "institutions"
    try:
        if keys is None:
            folders = sorted(p for p in institutions.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
        else:  # the folders the keys name, looked up rather than listed (20,000 at national scale)
            names = {key.partition("/")[0] for key in keys}
            folders = sorted(institutions / name for name in names
                             if name and not name.startswith((".", "_")) and (institutions / name).is_dir())
    except OSError:
        return found
    for institution in folders:
        plans = session_folders(institution)
        if keys is not None:
            plans = [plan for plan in plans if f"{institution.name}/{plan.name}" in keys]
        if not plans:
            continue
        profile = _institution_profile(institution)
        for plan_folder in plans:
            roles = _session_roles(institution, plan_folder, profile, project_root)
            if roles is not None:
                found[roles.key] = roles
    return found


def internal_cards(filing) -> dict[str, dict]:
    """Card number → the institution's 内督 (personnel.yaml supervisors[] with card.number) holding it."""
    found = {}
    for person in filing.items("personnel", "supervisors"):
        card = person.get("card") if isinstance(person, dict) else None
        if isinstance(card, dict) and card.get("number"):
            found[str(card["number"])] = person
    return found
