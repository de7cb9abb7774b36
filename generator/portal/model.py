"""What the portal shows, gathered as plain data: one entry per institution, one per occupation.

Scores are the same records as `beian check -f json` (report.filing_record); the details that
the record does not carry (scope, staffing counts, sites) come from the same loaded filing, so each
folder is read and evaluated once, in a process pool when there are many. Nothing personal is copied: people are only counted, never named or identified.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..commitments import commitments_of
from ..engine import evaluation_date
from ..filing import load_filing
from ..paths import PROJECT_ROOT
from ..public_state import as_date, in_force

CODE_RE = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}\Z")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")
EXPIRY_WARNING_DAYS = 180


def page_slug(slug: str) -> str:
    """A URL-safe page name for an institution folder (folder names are not always tidy)."""
    if SLUG_RE.match(slug):
        return slug
    import hashlib

    return "i-" + hashlib.sha1(slug.encode("utf-8")).hexdigest()[:12]


def _levels(value) -> list[int]:
    if not isinstance(value, list):
        return []
    return sorted({v for v in value if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 5}, reverse=True)


def _number(value) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def filing_details(directory: str) -> dict:
    """Profile, scope, staffing counts and site summary of one filing (no personal data)."""
    return details_of(load_filing(Path(directory), PROJECT_ROOT))


def details_of(filing) -> dict:
    """The same, from a filing that is already loaded."""
    get = filing.get
    scope = []
    for item in filing.items("scope", "occupations"):
        if not isinstance(item, dict):
            continue
        job_types = [{"name": str(j.get("name", "")), "levels": _levels(j.get("levels"))}
                     for j in item.get("job_types") or [] if isinstance(j, dict)]
        scope.append({"code": str(item.get("code", "")), "name": str(item.get("name", "")),
                      "levels": _levels(item.get("levels")), "job_types": job_types,
                      "basis": str(item.get("basis", "") or ""), "change": str(item.get("change", "") or ""),
                      "majors": [str(m) for m in item.get("majors") or [] if m is not None]})
    examiners: dict[str, int] = {}
    for person in filing.items("personnel", "examiners"):
        if isinstance(person, dict):
            for code in person.get("occupations") or []:
                examiners[str(code)] = examiners.get(str(code), 0) + 1
    practical: dict[str, dict] = {}
    for site in filing.items("sites", "practical_sites"):
        if isinstance(site, dict):
            entry = practical.setdefault(str(site.get("occupation", "")), {"rooms": 0, "stations": 0, "area": 0})
            entry["rooms"] += int(_number(site.get("count")) or 1)
            entry["stations"] += _number(site.get("stations"))
            entry["area"] += _number(site.get("area"))
    equipment: dict[str, dict] = {}
    for group in filing.items("sites", "equipment"):
        if isinstance(group, dict):
            entry = equipment.setdefault(str(group.get("occupation", "")), {"kinds": 0, "units": 0})
            for item in group.get("items") or []:
                if isinstance(item, dict):
                    entry["kinds"] += 1
                    entry["units"] += _number(item.get("quantity"))
    theory = [r for r in filing.items("sites", "theory_rooms") if isinstance(r, dict)]
    return {
        "profile": {
            "short_name": get("profile", "institution", "short_name"),
            "nature": get("profile", "institution", "nature"),
            "address": get("profile", "institution", "address"),
            "website": get("profile", "institution", "website"),
            "email": get("profile", "institution", "email"),
            "center": get("profile", "center", "name"),
            "application_date": get("profile", "application", "date"),
            "valid_from": get("profile", "status", "valid_from"),
            "receipt_number": get("profile", "status", "receipt_number"),
        },
        "scope": scope,
        "staffing": {
            "staff": len(filing.items("personnel", "staff")),
            "experts": len(filing.items("personnel", "experts")),
            "examiners": len(filing.items("personnel", "examiners")),
            "supervisors": len(filing.items("personnel", "supervisors")),
            "examiners_by_occupation": examiners,
        },
        "sites": {
            "office_area": _number(get("sites", "office", "area")),
            "archive_area": _number(get("sites", "archive_room", "area")),
            "archive_years": {"paper": get("sites", "archive_room", "paper_years"),
                              "electronic": get("sites", "archive_room", "electronic_years")},
            "theory_rooms": sum(int(_number(r.get("count")) or 1) for r in theory),
            "theory_seats": sum(_number(r.get("seats")) for r in theory),
            "practical": practical,
            "equipment": equipment,
            "video": bool(get("sites", "confidential_room", "video")),
        },
    }


ENTRY_STAGE = "portal-entry"
ENTRY_FORMAT = 1  # bump when an entry's fields change in a way the code digest would not show


def function_name(function) -> str:
    """A module-level function by its dotted name: its code is in the code digest, its name says which one."""
    if function is None:
        return "-"
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"


def entry_key(directory: str, now: dt.date, extras=None, internal: bool = False) -> str:
    """What an entry depends on besides the folder's record key: the evaluation date it counts days from,
    whether it is the department's build, and which extras function ran on it."""
    from ..stage_cache import stage_key

    return stage_key(ENTRY_STAGE, Path(directory), str(ENTRY_FORMAT), now.isoformat(), f"internal={internal}",
                     function_name(extras))


def cached_entry(directory: str, now: dt.date | None = None, extras=None, internal: bool = False,
                 key: str | None = None) -> tuple[dict, bool]:
    """(entry_for's entry, whether it came from the cache): unchanged institutions are not evaluated again.
    KEY: entry_key's, when the caller has computed it already."""
    from ..stage_cache import enabled, write_value

    now = now or evaluation_date()
    if not enabled():
        return entry_for(directory, now, extras, internal), False
    key = key or entry_key(directory, now, extras, internal)
    entry = stored_entry(directory, key)
    if entry is not None:
        return entry, True
    entry = entry_for(directory, now, extras, internal)
    write_value(ENTRY_STAGE, key, entry)
    return entry, False


def stored_entry(directory: str, key: str) -> dict | None:
    """The cached entry of DIRECTORY under KEY, or None (none, unreadable, or another folder's)."""
    from ..stage_cache import read_value

    entry = read_value(ENTRY_STAGE, key)
    return entry if isinstance(entry, dict) and entry.get("folder") == directory else None


def entry_for(directory: str, now: dt.date | None = None, extras=None, internal: bool = False) -> dict:
    """Check record and page details of one folder, from a single load of the filing.

    `extras(entry) -> dict`, if given, runs here too (in the worker process) and its result is
    stored as entry["extras"]: per-institution outputs that need no other institution. INTERNAL: the department's
    build, whose session entries keep their supervision records (sessions.session_entries)."""
    from ..engine import evaluate_path
    from ..report import filing_record
    from .sessions import session_entries

    result = evaluate_path(Path(directory), PROJECT_ROOT)
    record = filing_record(result)
    now = now or evaluation_date()
    until = as_date(record.get("valid_until"))
    entry = {**record, **details_of(result.filing), "folder": directory,
             "days_left": (until - now).days if until else None,
             "approved": in_force(record, now)}
    mark_approved_scope(entry, until, now)
    entry["commitments"] = commitments_of(result.filing, now)  # the signer by position only: the portal names no one
    entry["sessions"] = session_entries(result.filing, now, internal)
    if extras is not None:
        entry["extras"] = extras(entry)
    return entry


INCREMENTAL = "增量备案"
EXISTING = "原有"


def mark_approved_scope(entry: dict, until: dt.date | None, now: dt.date) -> None:
    """Set item["approved"] on every scope item: may the institution certify it today?

    All items, when the filing is approved and in force. While a 增量备案 is submitted or in
    draft, the items marked 原有 stay approved: they are covered by the 备案号 the institution
    already holds (the filing names it), unless that filing has expired or been revoked. Items
    marked 新增, and every item of any other filing, are only applied for."""
    existing_in_force = (entry.get("category") == INCREMENTAL and entry.get("valid", False)
                         and bool(entry.get("filing_number")) and entry.get("state") in ("已提交", "草稿")
                         and (until is None or until >= now))
    for item in entry["scope"]:
        item["approved"] = bool(entry["approved"] or (existing_in_force and item.get("change") == EXISTING))


def approved_items(entry: dict) -> list[dict]:
    return [item for item in entry["scope"] if item.get("approved")]


def all_entries(paths: list[str], jobs: int = 0, extras=None, internal: bool = False,
                counts: dict | None = None) -> list[dict]:
    """One entry per folder, in input order (from the cache when unchanged); in a process pool when there are
    many folders. `extras` must be a module-level function (it is sent to the workers). COUNTS, if given,
    gets "cached" and "made": how many entries came from the cache and how many were evaluated."""
    from functools import partial

    from ..batch import map_folders
    from ..stage_cache import enabled

    if enabled():  # hashed once here, not in each forked worker
        from ..record_cache import code_digest

        code_digest()
    found = map_folders(partial(cached_entry, now=evaluation_date(), extras=extras, internal=internal), paths, jobs)
    if counts is not None:
        hits = sum(1 for _, hit in found if hit)
        counts.update(cached=hits, made=len(found) - hits)
    return [entry for entry, _ in found]


def collect(directories: list[Path], jobs: int = 0, extras=None, internal: bool = False,
            counts: dict | None = None) -> list[dict]:
    """One entry per institution: the check record plus the filing's details, ready to render.
    COUNTS: see all_entries."""
    return paged(all_entries([str(d) for d in directories], jobs, extras, internal, counts))


def paged(entries: list[dict]) -> list[dict]:
    """ENTRIES (in input order), each given its page name, sorted as the portal lists them."""
    used: set[str] = set()
    for entry in entries:
        page = page_slug(entry["institution"])
        while page in used:  # two folders that map to the same page name
            page += "-x"
        used.add(page)
        entry["page"] = page
    return sorted(entries, key=lambda e: (str(e.get("name") or ""), e["page"]))


def occupation_index(entries: list[dict]) -> dict[str, dict]:
    """code → {code, name, groups, holders: [(entry, scope item)]} for every occupation in any scope."""
    from ..reference import shared_reference

    reference = shared_reference()
    catalogue = reference.occupations
    index: dict[str, dict] = {}
    for entry in entries:
        for item in entry["scope"]:
            code = item["code"]
            if not CODE_RE.match(code):
                continue
            # A 2015-edition code is listed under its 2022 same-name occupation, so one occupation is one page
            # whichever edition a school filed under (scope-occupations accepts both); a 2015 occupation the
            # 2022 edition no longer has gets a page of its own, never the page of whatever 2022 put at its code.
            old = reference.edition_2015(code, item["name"])  # for the label only
            current = reference.lookup_code(code, item["name"])
            page = current or f"{code}-2015"
            item["occupation_page"] = page
            occupation = index.get(page)
            if occupation is None:
                known = catalogue.get(current) if current else None
                outside = "2015 版大典职业（2022 版无同名职业）" if old is not None else "未列入职业分类大典"
                occupation = index[page] = {
                    "code": current or code, "page": page, "edition": "2015" if not current else "2022",
                    "name": known.name if known else item["name"],
                    "major": (known.major_code, known.major_name) if known else ("?", outside),
                    "middle": (known.middle_code, known.middle_name) if known else ("?", ""),
                    "minor": (known.minor_code, known.minor_name) if known else ("?", ""),
                    "in_catalogue": known is not None, "holders": []}
            occupation["holders"].append((entry, item))
    return dict(sorted(index.items()))
