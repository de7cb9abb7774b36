"""`beian build`: generate the portal's pages and data, then build the site with mkdocs-material.

    site/mkdocs.yml        configuration (hand-written)
    site/pages/            hand-written pages and local assets (copied into the generated docs)
    site/generated/docs/   everything mkdocs reads: generated pages + a copy of site/pages (git-ignored)
    site/out/              the built site (git-ignored)
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import time
from pathlib import Path

from ..paths import DEFAULTS_ROOT, PROJECT_ROOT, site_dir
from ..public_state import STATE_COLOURS
from . import pages, svg
from .counts import register_counts
from .docs_writer import DocsWriter
from .model import occupation_index
from .summaries import ADDED, Register, gather
from ..published import LeakError, NothingScanned, scan_tree
from .text import scrub, scrub_data

SITE_DIR = PROJECT_ROOT / "site"   # generated pages and the built site go here, in the repository
CONFIG = site_dir() / "mkdocs.yml"  # the repository's own site/, else the one beian ships
HAND_WRITTEN = site_dir() / "pages"
GENERATED = SITE_DIR / "generated" / "docs"
OUT = SITE_DIR / "out"

RECORD_FIELDS = ("institution", "name", "type", "city", "category", "state", "filing_number", "valid_until",
                 "sheet", "valid", "policy", "score", "base_score", "bonus", "max_score", "pending_points", "threshold",
                 "decision", "decision_label", "decision_title", "conditions", "existing_score", "existing_date",
                 "vetoes", "pending", "criteria", "findings")


class PrivacyError(Exception):
    """A personal number made it into the output, or the output could not be scanned; nothing is published."""


_WRITER: DocsWriter | None = None  # the docs folder generate() is writing (docs_writer.py)


def _write(path: Path, text: str) -> None:
    if _WRITER is not None and _WRITER.owns(path):
        _WRITER.write(path, text)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _scope_record(entry: dict) -> list[dict]:
    return [{"code": i["code"], "name": i["name"], "levels": i["levels"], "job_types": i["job_types"],
             "basis": i["basis"], "change": i["change"], "approved": i["approved"]} for i in entry["scope"]]


def register_rows(entries: list[dict]) -> list[dict]:
    """The public register: one plain record per institution (no people, no ID numbers)."""
    return [register_row(e) for e in entries]


def register_row(e: dict) -> dict:
    return scrub_data({
            "institution": e["institution"], "page": e["page"], "name": e.get("name"), "type": e.get("type"),
            "city": e.get("city"), "category": e.get("category"), "state": e.get("state"),
            "approved": e.get("approved"), "filing_number": e.get("filing_number"),
            "valid_until": None if e.get("valid_until") is None else str(e.get("valid_until")),
            "valid": e.get("valid"), "score": e.get("score"), "base_score": e.get("base_score"),
            "bonus": e.get("bonus"), "threshold": e.get("threshold"), "decision": e.get("decision"),
            "policy": e.get("policy"), "existing_score": e.get("existing_score"), "existing_date": e.get("existing_date"),
            "result": pages.public(e).headline,
            "vetoes": [v["rule"] for v in e.get("vetoes") or []],
            "pending_points": e.get("pending_points"), "scope": _scope_record(e),
            "staffing": {k: v for k, v in e["staffing"].items() if k != "examiners_by_occupation"}})


def _occupation_list(items) -> str:
    return "；".join(f"{i['code']} {i['name']} [{','.join(map(str, i['levels']))}]" for i in items)


CSV_COLUMNS = ["institution", "name", "type", "city", "filing_number", "state", "approved", "valid_until",
               "score", "base_score", "bonus", "result", "decision", "vetoes", "occupations", "approved_occupations",
               "policy", "existing_score"]


def _csv_line(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def register_csv_line(row: dict) -> str:
    """One institution's line of register.csv (CRLF-terminated)."""
    from .text import csv_cell

    values = {**row, "vetoes": "、".join(row["vetoes"]), "occupations": _occupation_list(row["scope"]),
              "approved_occupations": _occupation_list(i for i in row["scope"] if i["approved"])}
    return _csv_line([csv_cell(values.get(c)) if c not in ("approved", "score", "base_score", "bonus", "existing_score")
                      else values.get(c) for c in CSV_COLUMNS])


def register_csv(rows: list[dict]) -> str:
    return csv_text([register_csv_line(row) for row in rows])


def csv_text(lines: list[str]) -> str:
    """register.csv from its rows' register_csv_line."""
    return "\ufeff" + _csv_line(CSV_COLUMNS) + "".join(lines)


def register_json(items: list[str]) -> str:
    """register.json from its rows' register_json_item: the very text json.dumps gives for the whole."""
    if not items:
        return json.dumps({"version": 1, "institutions": []}, ensure_ascii=False, indent=1) + "\n"
    return '{\n "version": 1,\n "institutions": [\n' + ",\n".join(items) + "\n ]\n}\n"


def register_json_item(row: dict) -> str:
    """ROW as it stands in register.json's list (json.dumps escapes every line break inside a string, so each line
    of the text is one line of the file)."""
    text = json.dumps(row, ensure_ascii=False, indent=1, default=str)
    return "\n".join("  " + line for line in text.split("\n"))


def institution_json(entry: dict) -> str:
    record = {k: entry.get(k) for k in RECORD_FIELDS}
    record["valid_until"] = None if record["valid_until"] is None else str(record["valid_until"])
    result = pages.public(entry)  # the public words, not `beian check`'s decision words
    record.update(decision_label=result.conclusion, result=result.headline)
    record.update({"approved": entry.get("approved"), "scope": _scope_record(entry),
                   "staffing": entry["staffing"], "sites": entry["sites"]})
    return json.dumps(scrub_data(record), ensure_ascii=False, indent=1, default=str) + "\n"


def badge_for(entry: dict) -> str:
    """The score badge says what the page says: 已备案, or a 自评 result awaiting review (public_state.py)."""
    result = pages.public(entry)
    return svg.badge("备案评估", result.headline, result.colour)


def institution_files(entry: dict) -> dict:
    """The per-institution downloads that need no other institution; made in the check workers."""
    return {"json": institution_json(entry), "badge": badge_for(entry)}


def _rule_pages(docs: Path) -> set[str]:
    from ..docs import write_rule_pages

    keys = set()
    rules_dir = docs / "rules"
    for path in write_rule_pages(rules_dir):
        text = path.read_text(encoding="utf-8")
        cleaned = scrub(text)  # fixtures' made-up ID numbers are shown masked there; the portal shows none
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
        keys.add(path.relative_to(rules_dir).with_suffix("").as_posix())
    return keys


DOWNLOADS = "downloads"


def write_downloads(entries: list[dict], docs: Path, jobs: int = 0, progress=None) -> dict[str, int]:
    """Public PDF bundle and Excel sheets into docs/downloads/; entry["downloads"] says what exists.
    Returns how many came from the cache and how many were made."""
    from ..bundle.public import write_downloads as render

    results = render([(e["folder"], e["page"]) for e in entries], docs / DOWNLOADS, jobs, progress)
    leaked = [result["error"] for result in results.values() if result.get("leak")]
    if leaked:
        raise PrivacyError("；".join(leaked[:5]))
    made = {"cached": 0, "made": 0}
    for entry in entries:
        result = results.get(entry["page"])
        if result and "error" not in result:
            made["cached" if result.get("cached") else "made"] += 1
        # where the bytes came from is not part of the page: a cached download must not re-render its page
        entry["downloads"] = {k: v for k, v in result.items() if k != "cached"} if result else result
    return made


def generate(directories: list[Path], docs: Path = GENERATED, jobs: int = 0, site_url: str = "",
             downloads: bool = False, progress=None, registers: list[Path] | None = None,
             internal: bool = False) -> dict:
    """Write every generated page, picture and download into `docs`. Returns counts and timings.
    `downloads`: also the public PDF bundle and Excel sheets (weasyprint; seconds per institution).
    `registers`: the department's register folders (default: every department/<jurisdiction>/); the public
    pages take only their past visits marked 公开 from them (supervision/visibility.py).
    `internal`: the department's own build: also the 部门内部 pages (portal/internal.py), everything shown."""
    timings: dict[str, float] = {}
    if downloads:
        from ..bundle.fonts import require_fonts

        require_fonts()  # FontMissing before anything is written
    start = time.perf_counter()
    made: dict[str, int] = {}
    register = gather(directories, jobs, extras=institution_files, internal=internal, counts=made)
    timings["check_and_load"] = time.perf_counter() - start

    start = time.perf_counter()
    global _WRITER
    docs.mkdir(parents=True, exist_ok=True)
    writer = _WRITER = DocsWriter(docs)
    try:
        rule_keys, index_size, counts, start = _write_pages(register, docs, writer, timings, start, jobs, site_url,
                                                            downloads, progress, registers, internal, made)
    finally:
        _WRITER = None
    timings["write_pages"] = time.perf_counter() - start
    return {"institutions": len(register.entries), "occupations": index_size, "rule_pages": len(rule_keys),
            "approved": counts.approved, "timings": timings, "institution_pages_rendered": writer.pages_rendered,
            "institution_pages_reused": writer.pages_reused, "docs_written": writer.written, "docs_kept": writer.kept,
            "entries_cached": made.get("cached", 0), "entries_made": made.get("made", 0),
            "downloads_cached": made.get("downloads_cached", 0), "downloads_made": made.get("downloads_made", 0)}


def _write_pages(register: Register, docs, writer, timings, start, jobs, site_url, downloads, progress, registers,
                 internal, made: dict[str, int]):
    """generate()'s writing, every file through WRITER. Returns (rule keys, occupations, counts, when the pages
    began: after the downloads). MADE gets downloads_cached / downloads_made. The register-wide pages are made
    from the entries' summaries (summaries.py); an institution's own page and files from its full entry, read only
    when they are to be made again."""
    entries = register.entries
    if HAND_WRITTEN.is_dir():
        for path in sorted(p for p in HAND_WRITTEN.rglob("*") if p.is_file()):
            writer.write(docs / path.relative_to(HAND_WRITTEN), path.read_bytes())
    if downloads:
        made.update({f"downloads_{k}": v for k, v in write_downloads(entries, docs, jobs, progress).items()})
        _adopt_downloads(entries, docs, writer)
        timings["downloads"] = time.perf_counter() - start
        start = time.perf_counter()
    rule_keys = set(writer.group(docs / "rules", _rule_pages_key(), lambda: sorted(_rule_pages(docs))))
    write_changes(entries, docs, site_url, register.key)
    index = occupation_index(entries)
    known = set(index)
    base_key = _key_base("institution page", sorted(rule_keys), site_url)
    for entry in entries:  # page and files one after the other: a full entry read for both is read once
        linked = sorted({item.get("occupation_page") or item.get("code") for item in entry["scope"]} & known)
        before = writer.rendered, writer.reused
        writer.render(docs / "institutions" / f"{entry['page']}.md", _entry_key(base_key, entry, linked, register.key(entry)),
                      lambda: pages.institution_page(register.full(entry), known, rule_keys, site_url))
        writer.pages_rendered += writer.rendered - before[0]
        writer.pages_reused += writer.reused - before[1]
        key = register.key(entry)  # the files made with the entry (institution_files): their key is the entry's
        for path, kind in ((docs / "badges" / f"{entry['page']}.svg", "badge"),
                           (docs / "data" / "institutions" / f"{entry['page']}.json", "json")):
            writer.render(path, key and f"{key}:{kind}", lambda: register.files(entry)[kind])
    _write(docs / "institutions" / "index.md", pages.institutions_index(
        entries, [register.derived(e, "list-row", lambda: pages.list_row(e)) for e in entries]))
    if registers is None:
        registers = department_registers()
    write_sessions(entries, docs, rule_keys, site_url, registers, register.key, register.derived, register.full)
    if internal:
        from .internal import write_internal

        shutil.rmtree(docs / "internal", ignore_errors=True)  # generated whole: no page of a register now gone
        write_internal([register.full(e) for e in entries], registers, docs)
        writer.adopt(docs / "internal")
        writer.adopt(docs / "robots.txt")
    occupation_base = _key_base("occupation page")
    for code, occupation in index.items():
        writer.render(docs / "occupations" / f"{code}.md", _occupation_key(occupation_base, occupation, register.key),
                      lambda: pages.occupation_page(occupation))
    _write(docs / "occupations" / "index.md", pages.occupations_index(index))
    counts = register_counts(entries, len(index))
    _write(docs / "index.md", pages.home_page(counts))
    charts = docs / "assets" / "charts"
    _write(charts / "scores.svg", svg.bar_chart("评估得分分布（机构数）", pages.score_bars(entries), highlight_from=4))
    _write(charts / "cities.svg", svg.bar_chart("各市机构数", pages.city_bars(entries)))
    bars = pages.state_bars(counts)
    _write(charts / "states.svg", svg.bar_chart("各备案状态的机构数", bars, colours=[STATE_COLOURS[b[0]] for b in bars]))
    # an institution's rows are made once per entry and page (summaries.Register.derived), not scrubbed each build
    _write(docs / "data" / "register.json", register_json(
        [register.derived(e, "register-json", lambda: register_json_item(register_row(e))) for e in entries]))
    _write(docs / "data" / "register.csv", csv_text(
        [register.derived(e, "register-csv", lambda: register_csv_line(register_row(e))) for e in entries]))
    register.save()
    _write(docs / "data.md", pages.data_page(len(entries), summary=downloads))
    writer.finish()
    return rule_keys, len(index), counts, start


def _adopt_downloads(entries: list[dict], docs: Path, writer: DocsWriter) -> None:
    """The downloads this build made (entry["downloads"]) and the summary workbook; any other file in the folder
    (a removed institution's) goes."""
    from ..bundle.public import SUMMARY_NAME

    for entry in entries:
        made = entry.get("downloads") or {}
        for kind in ("pdf", "xlsx"):
            if made.get(kind):
                writer.adopt(docs / DOWNLOADS / made[kind])
    writer.adopt(docs / DOWNLOADS / SUMMARY_NAME)


def _rule_pages_key() -> str:
    """The rule pages are made from the rules, the code and the evaluation date (their worked examples are judged)."""
    from ..engine import evaluation_date
    from ..record_cache import code_digest

    return f"{code_digest()}|{evaluation_date().isoformat()}"


def _key_base(*parts) -> str:
    """What every page of a kind depends on besides its entry: the code that renders it and the reference data
    (code_digest), and PARTS (for an institution page: the rule pages it may link to and the portal address)."""
    import hashlib

    from ..record_cache import code_digest

    return hashlib.sha256(json.dumps([code_digest(), *parts], default=str).encode()).hexdigest()


def _entry_key(base: str, entry: dict, also=(), key: str | None = None) -> str | None:
    """A page's render key: BASE, ALSO and the entry. KEY, the entry's key in the stage cache, stands for the entry
    as it was made (summaries.py), so only what the build added to it (summaries.ADDED) is hashed beside it;
    without one the entry itself is, pickled without the memo (the same data gives the same bytes however its
    objects are shared; the bytes are only hashed, never loaded)."""
    import pickle

    if key is not None:
        from ..stage_cache import Unencodable, dumps

        try:
            added = dumps([base, list(also), key, [entry.get(name) for name in ADDED]])
        except (Unencodable, ValueError, TypeError):
            return None  # rendered every time rather than trusted
        return hashlib.sha256(added.encode("utf-8")).hexdigest()
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: equal data, equal bytes
    try:
        pickler.dump((base, also, entry))
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        return None  # rendered every time rather than trusted
    from .incremental import digest_bytes

    return digest_bytes(buffer.getvalue())


def _occupation_key(base: str, occupation: dict, key_of) -> str | None:
    """An occupation page's render key: BASE, the occupation's own fields, and per holder its entry's key (which
    stands for the entry and so for its scope items), page name and which scope item it holds it by; None (always
    rendered) when an entry has no key."""
    holders = []
    for entry, item in occupation["holders"]:
        key = key_of(entry)
        if key is None:
            return None
        holders.append([key, entry["page"], next(n for n, it in enumerate(entry["scope"]) if it is item)])
    own = sorted((k, v) for k, v in occupation.items() if k != "holders")  # strings, booleans, pairs of strings
    return hashlib.sha256(json.dumps([base, own, holders], ensure_ascii=False).encode("utf-8")).hexdigest()


def write_changes(entries: list[dict], docs: Path, site_url: str = "", key_of=lambda entry: None) -> None:
    """Each entry's versions from git (entry["history"], one git log for all, history.py) and the Atom
    feeds of changes: one per institution and one for the register (changes.py). KEY_OF(entry): the entry's key in
    the stage cache, if it has one (see _entry_key)."""
    from ..engine import evaluation_date
    from . import changes, history

    from ..registry import publisher_name

    found = history.histories([Path(e["folder"]) for e in entries])
    today, author = evaluation_date(), publisher_name()
    base = _key_base("feed", today.isoformat(), author, site_url)
    for entry in entries:
        entry["history"] = found.get(str(Path(entry["folder"])))
        path = docs / changes.feed_path(entry["page"])
        if _WRITER is not None and _WRITER.owns(path):
            _WRITER.render(path, _entry_key(base, entry, key=key_of(entry)), lambda: changes.institution_feed(entry, today, site_url, author))
        else:
            _write(path, changes.institution_feed(entry, today, site_url, author))
    _write(docs / changes.ALL_FEED, changes.all_feed(entries, today, site_url, author))


def department_registers() -> list[Path]:
    """Every department/<jurisdiction>/ folder of the project; [] when it has none."""
    from ..cli import _register_dirs

    return _register_dirs()


def write_sessions(entries: list[dict], docs: Path, rule_keys: set[str], site_url: str = "",
                   registers: list[Path] = (), key_of=lambda entry: None,
                   derived=lambda entry, name, make: make(), full=lambda entry: entry) -> None:
    """The 认定计划 page and iCalendar feed of every institution that has sessions, the 认定日历
    (exam days from the evaluation date on) and the feed of all institutions. A session page shows the
    past visits of REGISTERS marked 公开, without names (and nothing else from them). KEY_OF(entry): the entry's key
    in the stage cache (summaries.Register.key): an institution's page and feed are rendered again only when it,
    its published visits, the rule pages or the portal address changed. DERIVED (summaries.Register.derived): an
    institution's calendar rows and events, kept from the last build for the same entry, so that the calendar and
    the feed of all are put together, not made again, when one institution changed. FULL (summaries.Register.full):
    the whole entry, whose sessions a build's summary leaves out; read only for what is made again."""
    from ..engine import evaluation_date
    from ..supervision.visibility import public_visits
    from . import sessions

    today = evaluation_date()
    visits = public_visits(list(registers), today) if registers else {}
    base = _key_base("sessions page", sorted(rule_keys), site_url)
    tables: list[list] = []  # every institution's calendar rows, in the entries' order
    blocks: list[list] = []  # every institution's events from today on (sessions.upcoming_blocks)
    for entry in entries:
        keys = json.loads(derived(entry, "session-keys", lambda: json.dumps(
            sorted({sessions.session_key(s) for s in full(entry).get("sessions") or []}), ensure_ascii=False)))
        if not keys:
            continue  # no sessions: no page, no feed
        tables += json.loads(derived(entry, "calendar-rows", lambda: json.dumps(
            sessions.calendar_table(full(entry), today), ensure_ascii=False)))
        blocks += json.loads(derived(entry, f"feed-upcoming {site_url}", lambda: json.dumps(
            sessions.upcoming_blocks(full(entry), today, site_url), ensure_ascii=False)))
        shown = [(key, visits[key]) for key in keys if key in visits]
        key = _entry_key(base, entry, [hashlib.sha256(repr(shown).encode()).hexdigest()], key_of(entry))
        _render(docs / "sessions" / f"{entry['page']}.md", key,
                lambda: sessions.sessions_page(full(entry), rule_keys, visits))
        _render(docs / sessions.feed_path(entry["page"]), key and f"{key}:feed",
                lambda: sessions.institution_feed(full(entry), today, site_url).encode("utf-8"))
    _write(docs / sessions.CALENDAR_PAGE, sessions.calendar_page(entries, today, tables))
    _write_bytes(docs / sessions.ALL_FEED, sessions.feed_of(blocks, sessions.ALL_FEED_NAME))


def _render(path: Path, key: str | None, make) -> None:
    """What MAKE makes (text, or bytes written as they are) at PATH; through the build's writer, which makes it only
    when KEY differs from the key it was last made with (DocsWriter.render)."""
    if _WRITER is not None and _WRITER.owns(path):
        _WRITER.render(path, key, make)
        return
    made = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(made, bytes):
        path.write_bytes(made)
    else:
        path.write_text(made, encoding="utf-8")


def _write_bytes(path: Path, text: str) -> None:
    """Text written as it is (an iCalendar feed's CRLF line ends stay CRLF on every platform)."""
    if _WRITER is not None and _WRITER.owns(path):
        _WRITER.write(path, text.encode("utf-8"))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def packaged_config_fixes() -> dict:
    """mkdocs settings the packaged site/mkdocs.yml needs once installed: it names the search hook beside the
    source (../generator/portal/), and an installed package keeps the hook in this folder instead."""
    if DEFAULTS_ROOT.name == "_defaults" and CONFIG.is_relative_to(DEFAULTS_ROOT):
        return {"hooks": [str(Path(__file__).resolve().parent / "search_hook.py")]}
    return {}


def mkdocs_config(docs: Path = GENERATED, out: Path = OUT, strict: bool = True, **overrides):
    from mkdocs.config import load_config

    return load_config(str(CONFIG), docs_dir=str(docs), site_dir=str(out), strict=strict,
                       **{**packaged_config_fixes(), **overrides})


def plain_search_entries() -> None:
    """Search entries as plain text: material's search plugin cuts Chinese into words with jieba
    whenever jieba is importable, for lunr. The portal's search worker matches substrings and
    needs no word breaks, and the cutting was about half of mkdocs' build time."""
    from material.plugins.search import plugin

    plugin.jieba = None


def build_site(docs: Path = GENERATED, out: Path = OUT, strict: bool = True, site_url: str = "",
               internal: bool = False, footer=None, run: dict | None = None) -> float:
    """mkdocs build of DOCS into OUT, rendering only what changed since the last build (incremental.py);
    FOOTER (footer.Footer) is what every page's footer says. RUN, if given, receives incremental.build's record
    (pages rendered and reused, the manifest that finish_site records once the privacy scan passed)."""
    import logging

    from . import incremental

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    config = mkdocs_config(docs, out, strict, **({"site_url": site_url} if site_url else {}))
    if footer is not None:
        config["extra"]["footer"] = footer.as_config()
    if internal:
        from .internal import configure

        configure(config)
    plain_search_entries()
    record = incremental.build(config, out, str(CONFIG))
    if run is not None:
        run.update(record)
    return time.perf_counter() - start


def scan_site(out: Path, run: dict, institutions: int, jobs: int = 0) -> dict:
    """The privacy scan of the built site; outputs an earlier build's scan found clean are not read again
    (incremental.scan). Removes the site and raises PrivacyError on a leak, or when the folder does not hold the
    site just built. Returns {"scanned_files", "read_files"}."""
    from . import incremental

    try:
        if run:
            if not out.is_dir() or not any(out.iterdir()):
                raise NothingScanned(f"要检查的输出目录 {out} 不存在或是空的，无法确认其中没有个人号码。")
            scanned, read, leaks = incremental.scan(out, run, jobs)
        else:
            scanned, leaks = scan_tree(out, masked=True, jobs=jobs)
            read = scanned
    except NothingScanned as exc:
        raise PrivacyError(str(exc)) from None
    if not (out / "index.html").is_file() or scanned < institutions + 1:
        # the scan read a folder, but not the site this build wrote: it must not pass for one
        shutil.rmtree(out, ignore_errors=True)
        raise PrivacyError(f"在 {out} 中只找到 {scanned} 个可检查的文件，不是刚构建的网站"
                           f"（{institutions} 个机构页和首页），无法确认其中没有个人号码。")
    if leaks:
        shutil.rmtree(out, ignore_errors=True)
        raise PrivacyError(str(LeakError(leaks, f"已删除整个构建结果 {out}")))
    if run:
        incremental.finish(out, run)
    return {"scanned_files": scanned, "read_files": read}


def build_portal(directories: list[Path], docs: Path = GENERATED, out: Path = OUT, strict: bool = True,
                 jobs: int = 0, downloads: bool = False, progress=None, site_url: str | None = None,
                 registers: list[Path] | None = None, internal: bool = False) -> dict:
    site_url = portal_url() if site_url is None else site_url
    stats = generate(directories, docs, jobs, site_url, downloads, progress, registers, internal)
    from ..engine import evaluation_date
    from .footer import footer_facts

    footer = footer_facts(directories, evaluation_date())
    run: dict = {}
    stats["timings"]["mkdocs"] = build_site(docs, out, strict, site_url, internal=internal, footer=footer, run=run)
    stats["pages_rendered"], stats["pages_reused"] = run.get("rendered"), run.get("reused")
    stats["full_build"] = run.get("full", True)
    stats["build_warnings"] = run.get("warnings") or []  # a build with warnings records no manifest
    start = time.perf_counter()
    stats.update(scan_site(out, run, stats["institutions"], jobs))
    stats["timings"]["privacy_scan"] = time.perf_counter() - start
    index = out / "search" / "search_index.json"
    stats["search_index_bytes"] = index.stat().st_size if index.exists() else 0
    stats["html_bytes"] = sum(p.stat().st_size for p in out.rglob("*.html"))
    return stats


def portal_url(given: str | None = None) -> str:
    """Where the portal is published: --site-url, else paths.published_portal_url()."""
    from ..paths import published_portal_url

    return given.rstrip("/") + "/" if given else published_portal_url()
