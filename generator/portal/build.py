"""`beian build`: generate the portal's pages and data, then build the site with mkdocs-material.

    site/mkdocs.yml        configuration (hand-written)
    site/pages/            hand-written pages and local assets (copied into the generated docs)
    site/generated/docs/   everything mkdocs reads: generated pages + a copy of site/pages (git-ignored)
    site/out/              the built site (git-ignored)
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import time
from pathlib import Path

from ..paths import DEFAULTS_ROOT, PROJECT_ROOT, site_dir
from ..public_state import STATE_COLOURS
from . import pages, svg
from .counts import register_counts
from .model import collect, occupation_index
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


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _scope_record(entry: dict) -> list[dict]:
    return [{"code": i["code"], "name": i["name"], "levels": i["levels"], "job_types": i["job_types"],
             "basis": i["basis"], "change": i["change"], "approved": i["approved"]} for i in entry["scope"]]


def register_rows(entries: list[dict]) -> list[dict]:
    """The public register: one plain record per institution (no people, no ID numbers)."""
    rows = []
    for e in entries:
        rows.append(scrub_data({
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
            "staffing": {k: v for k, v in e["staffing"].items() if k != "examiners_by_occupation"}}))
    return rows


def _occupation_list(items) -> str:
    return "；".join(f"{i['code']} {i['name']} [{','.join(map(str, i['levels']))}]" for i in items)


def register_csv(rows: list[dict]) -> str:
    from .text import csv_cell

    buffer = io.StringIO()
    columns = ["institution", "name", "type", "city", "filing_number", "state", "approved", "valid_until",
               "score", "base_score", "bonus", "result", "decision", "vetoes", "occupations", "approved_occupations",
               "policy", "existing_score"]
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        values = {**row, "vetoes": "、".join(row["vetoes"]), "occupations": _occupation_list(row["scope"]),
                  "approved_occupations": _occupation_list(i for i in row["scope"] if i["approved"])}
        writer.writerow([csv_cell(values.get(c)) if c not in ("approved", "score", "base_score", "bonus", "existing_score")
                         else values.get(c) for c in columns])
    return "\ufeff" + buffer.getvalue()


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


def write_downloads(entries: list[dict], docs: Path, jobs: int = 0, progress=None) -> None:
    """Public PDF bundle and Excel sheets into docs/downloads/; entry["downloads"] says what exists."""
    from ..bundle.public import write_downloads as render

    results = render([(e["folder"], e["page"]) for e in entries], docs / DOWNLOADS, jobs, progress)
    leaked = [result["error"] for result in results.values() if result.get("leak")]
    if leaked:
        raise PrivacyError("；".join(leaked[:5]))
    for entry in entries:
        entry["downloads"] = results.get(entry["page"])


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
    entries = collect(directories, jobs, extras=institution_files, internal=internal)
    timings["check_and_load"] = time.perf_counter() - start

    start = time.perf_counter()
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    if HAND_WRITTEN.is_dir():
        shutil.copytree(HAND_WRITTEN, docs, dirs_exist_ok=True)
    if downloads:
        write_downloads(entries, docs, jobs, progress)
        timings["downloads"] = time.perf_counter() - start
        start = time.perf_counter()
    rule_keys = _rule_pages(docs)
    write_changes(entries, docs, site_url)
    index = occupation_index(entries)
    known = set(index)
    for entry in entries:
        page = entry["page"]
        _write(docs / "institutions" / f"{page}.md", pages.institution_page(entry, known, rule_keys, site_url))
        files = entry.pop("extras")
        _write(docs / "badges" / f"{page}.svg", files["badge"])
        _write(docs / "data" / "institutions" / f"{page}.json", files["json"])
    _write(docs / "institutions" / "index.md", pages.institutions_index(entries))
    if registers is None:
        registers = department_registers()
    write_sessions(entries, docs, rule_keys, site_url, registers)
    if internal:
        from .internal import write_internal

        write_internal(entries, registers, docs)
    for code, occupation in index.items():
        _write(docs / "occupations" / f"{code}.md", pages.occupation_page(occupation))
    _write(docs / "occupations" / "index.md", pages.occupations_index(index))
    counts = register_counts(entries, len(index))
    _write(docs / "index.md", pages.home_page(counts))
    charts = docs / "assets" / "charts"
    _write(charts / "scores.svg", svg.bar_chart("评估得分分布（机构数）", pages.score_bars(entries), highlight_from=4))
    _write(charts / "cities.svg", svg.bar_chart("各市机构数", pages.city_bars(entries)))
    bars = pages.state_bars(counts)
    _write(charts / "states.svg", svg.bar_chart("各备案状态的机构数", bars, colours=[STATE_COLOURS[b[0]] for b in bars]))
    rows = register_rows(entries)
    _write(docs / "data" / "register.json",
           json.dumps({"version": 1, "institutions": rows}, ensure_ascii=False, indent=1, default=str) + "\n")
    _write(docs / "data" / "register.csv", register_csv(rows))
    _write(docs / "data.md", pages.data_page(len(entries), summary=downloads))
    timings["write_pages"] = time.perf_counter() - start
    return {"institutions": len(entries), "occupations": len(index), "rule_pages": len(rule_keys),
            "approved": counts.approved, "timings": timings}


def write_changes(entries: list[dict], docs: Path, site_url: str = "") -> None:
    """Each entry's versions from git (entry["history"], one git log for all, history.py) and the Atom
    feeds of changes: one per institution and one for the register (changes.py)."""
    from ..engine import evaluation_date
    from . import changes, history

    from ..registry import publisher_name

    found = history.histories([Path(e["folder"]) for e in entries])
    today, author = evaluation_date(), publisher_name()
    for entry in entries:
        entry["history"] = found.get(str(Path(entry["folder"])))
        _write(docs / changes.feed_path(entry["page"]), changes.institution_feed(entry, today, site_url, author))
    _write(docs / changes.ALL_FEED, changes.all_feed(entries, today, site_url, author))


def department_registers() -> list[Path]:
    """Every department/<jurisdiction>/ folder of the project; [] when it has none."""
    from ..cli import _register_dirs

    return _register_dirs()


def write_sessions(entries: list[dict], docs: Path, rule_keys: set[str], site_url: str = "",
                   registers: list[Path] = ()) -> None:
    """The 认定计划 page and iCalendar feed of every institution that has sessions, the 认定日历
    (exam days from the evaluation date on) and the feed of all institutions. A session page shows the
    past visits of REGISTERS marked 公开, without names (and nothing else from them)."""
    from ..engine import evaluation_date
    from ..supervision.visibility import public_visits
    from . import sessions

    today = evaluation_date()
    visits = public_visits(list(registers), today) if registers else {}
    for entry in entries:
        if entry.get("sessions"):
            _write(docs / "sessions" / f"{entry['page']}.md", sessions.sessions_page(entry, rule_keys, visits))
            _write_bytes(docs / sessions.feed_path(entry["page"]), sessions.institution_feed(entry, today, site_url))
    _write(docs / sessions.CALENDAR_PAGE, sessions.calendar_page(entries, today))
    _write_bytes(docs / sessions.ALL_FEED, sessions.all_feed(entries, today, site_url))


def _write_bytes(path: Path, text: str) -> None:
    """Text written as it is (an iCalendar feed's CRLF line ends stay CRLF on every platform)."""
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
               internal: bool = False, footer=None) -> float:
    """mkdocs build of DOCS into OUT; FOOTER (footer.Footer) is what every page's footer says."""
    import logging

    from mkdocs.commands.build import build

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    config = mkdocs_config(docs, out, strict, **({"site_url": site_url} if site_url else {}))
    if footer is not None:
        config["extra"]["footer"] = footer.as_config()
    if internal:
        from .internal import configure

        configure(config)
    plain_search_entries()
    build(config)
    return time.perf_counter() - start


def build_portal(directories: list[Path], docs: Path = GENERATED, out: Path = OUT, strict: bool = True,
                 jobs: int = 0, downloads: bool = False, progress=None, site_url: str | None = None,
                 registers: list[Path] | None = None, internal: bool = False) -> dict:
    site_url = portal_url() if site_url is None else site_url
    stats = generate(directories, docs, jobs, site_url, downloads, progress, registers, internal)
    from ..engine import evaluation_date
    from .footer import footer_facts

    footer = footer_facts(directories, evaluation_date())
    stats["timings"]["mkdocs"] = build_site(docs, out, strict, site_url, internal=internal, footer=footer)
    start = time.perf_counter()
    try:
        stats["scanned_files"], leaks = scan_tree(out, masked=True, jobs=jobs)
    except NothingScanned as exc:
        raise PrivacyError(str(exc)) from None
    if not (out / "index.html").is_file() or stats["scanned_files"] < stats["institutions"] + 1:
        # the scan read a folder, but not the site this build wrote: it must not pass for one
        shutil.rmtree(out, ignore_errors=True)
        raise PrivacyError(f"在 {out} 中只找到 {stats['scanned_files']} 个可检查的文件，不是刚构建的网站"
                           f"（{stats['institutions']} 个机构页和首页），无法确认其中没有个人号码。")
    stats["timings"]["privacy_scan"] = time.perf_counter() - start
    if leaks:
        shutil.rmtree(out, ignore_errors=True)
        raise PrivacyError(str(LeakError(leaks, f"已删除整个构建结果 {out}")))
    index = out / "search" / "search_index.json"
    stats["search_index_bytes"] = index.stat().st_size if index.exists() else 0
    stats["html_bytes"] = sum(p.stat().st_size for p in out.rglob("*.html"))
    return stats


def portal_url(given: str | None = None) -> str:
    """Where the portal is published: --site-url, else paths.published_portal_url()."""
    from ..paths import published_portal_url

    return given.rstrip("/") + "/" if given else published_portal_url()
