"""The printable 职业技能等级认定实施计划 of each session (sessions/<plan>/plan.yaml), for submission to the
鉴定指导中心 (seed 004 第五部分 四（四）“上报认定计划”: occupations, levels, numbers, times, 考场 and the
考场负责人、监考、考评、内部督导和考务 arrangements).

The rows are gathered here (pure data, every value read with Filing.get/items); the page is
templates/plan.html.j2, rendered by render.write_pdf like the bundle, so the same autoescaping,
fonts, fetcher and personal-number read-back apply.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from .data import Context, cn_date, level_label

PLAN_TITLE = "职业技能等级认定实施计划"
BLANK_DATE = "　　　　年　　月　　日"


def _text(value) -> str:
    return "" if value is None else str(value)


def _names(values) -> list[str]:
    return [str(v) for v in values or [] if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip()]


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def _days_text(days: list[str]) -> str:
    """'2026年12月12日至13日', '2026年12月30日至2027年1月2日': the first and last exam day, the repeated part once."""
    if not days:
        return ""
    first, last = days[0], days[-1]
    try:
        a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        return "、".join(days)
    if a == b:
        return cn_date(a)
    if a.year != b.year:
        return f"{cn_date(a)}至{cn_date(b)}"
    return f"{cn_date(a)}至{b.day}日" if a.month == b.month else f"{cn_date(a)}至{b.month}月{b.day}日"


def plan_view(session) -> dict:
    """What the printed plan shows, from the session's plan.yaml."""
    occupations, modules, days = [], [], set()
    examiners, invigilators = [], []
    for occupation in session.items("plan", "occupations"):
        if not isinstance(occupation, dict):
            continue
        label = _text(occupation.get("name")) + (f"（{occupation['work_type']}）" if occupation.get("work_type") else "")
        level = level_label(occupation.get("level"))
        own = [m for m in occupation.get("modules") or [] if isinstance(m, dict)]
        occupations.append({"code": _text(occupation.get("code")), "name": _text(occupation.get("name")),
                            "work_type": _text(occupation.get("work_type")), "level": level,
                            "candidates": _text(occupation.get("candidates")),
                            "modules": "、".join(_text(m.get("name")) for m in own)})
        for i, module in enumerate(own):
            if module.get("date"):
                days.add(str(module["date"]))
            start, end = _text(module.get("start")), _text(module.get("end"))
            names = _names(module.get("examiners"))
            examiners += names
            modules.append({"first": i == 0, "span": len(own), "occupation": label, "level": level,
                            "name": _text(module.get("name")), "kind": _text(module.get("kind")),
                            "date": _text(module.get("date")), "time": f"{start}–{end}" if start or end else "",
                            "venue": _text(module.get("venue")), "rooms": "、".join(_names(module.get("rooms"))),
                            "examiners": "、".join(names)})
    venues, leaders, supervisors, affairs = [], [], [], []
    for venue in session.items("plan", "venues"):
        if not isinstance(venue, dict):
            continue
        rooms = []
        for room in venue.get("rooms") or []:
            if not isinstance(room, dict):
                continue
            watching = _names(room.get("invigilators"))
            invigilators += watching
            if room.get("seats") is not None:
                capacity = f"{room['seats']} 个座位"
            elif room.get("stations") is not None:
                capacity = f"{room['stations']} 个工位"
            else:
                capacity = ""
            kind = _text(room.get("kind")) + (f"（{room['mode']}）" if room.get("mode") else "")
            rooms.append({"id": _text(room.get("id")), "kind": kind, "capacity": capacity, "invigilators": "、".join(watching)})
        leader = _text(venue.get("leader"))
        leaders += [leader] if leader else []
        supervisors += _names(venue.get("supervisors"))
        affairs += _names(venue.get("affairs"))
        venues.append({"name": _text(venue.get("name")), "address": _text(venue.get("address")), "leader": leader,
                       "supervisors": "、".join(_names(venue.get("supervisors"))),
                       "affairs": "、".join(_names(venue.get("affairs"))), "rooms": rooms})
    people = [("考场负责人", leaders), ("考评人员", examiners), ("监考人员", invigilators),
              ("内部质量督导人员", supervisors), ("考务工作人员", affairs)]
    avoidance = [{"person": _text(a.get("person")), "candidates": "、".join(_names(a.get("candidates"))),
                  "reason": _text(a.get("reason"))}
                 for a in session.items("plan", "avoidance") if isinstance(a, dict)]
    counts = [o.get("candidates") for o in session.items("plan", "occupations") if isinstance(o, dict)]
    total = sum(n for n in counts if isinstance(n, int) and not isinstance(n, bool))
    submitted = session.get("plan", "submitted")
    return {
        "plan_number": _text(session.get("plan", "plan_number", default=session.slug)),
        "title": _text(session.get("plan", "title")),
        "method": _text(session.get("plan", "method")),
        "submitted": cn_date(submitted) if submitted else BLANK_DATE,
        "days": _days_text(sorted(days)),
        "total": total,
        "occupations": occupations,
        "modules": modules,
        "venues": venues,
        "people": [(role, "、".join(_unique(names)), len(_unique(names))) for role, names in people],
        "avoidance": avoidance,
        "source": f"{session.display_root}/plan.yaml",
    }


def plan_verification(c: Context, record: dict):
    """The plan's version line: its section on the institution's 认定计划 page (portal/sessions.py), which the
    portal writes for every session of the institution."""
    from ..portal.sessions import anchor
    from ..version_link import sessions_page_url
    from .render import portal_page
    from .verify import portal_verification

    page, section = portal_page(c), anchor(record.get("plan_number"))
    return portal_verification(c.version, lambda portal: sessions_page_url(portal, page, section))


def plan_html(c: Context, result, record: dict) -> str:
    from .render import ASSETS_DIR, _font_names, environment, institution_info

    view = plan_view(result.filing)
    return environment().get_template("plan.html.j2").render(
        c=c, p=view, record=record, fonts=_font_names(),
        css_url=(ASSETS_DIR / "bundle.css").as_uri(), doc_title=PLAN_TITLE,
        info=institution_info(c, f"{PLAN_TITLE} {view['plan_number']}", PLAN_TITLE, view["plan_number"]),
        verification=plan_verification(c, record))


def plan_file_name(slug: str, plan: str) -> str:
    """<slug>-<plan>-认定实施计划.pdf beside the institution's bundle <slug>.pdf and receipt
    <slug>-备案回执.pdf; the plan part is the session's folder name (plan numbers are letters, digits, “-”)."""
    return f"{slug}-{plan}-认定实施计划.pdf"


def render_plans(c: Context, out_dir: str | Path, only: list[str] | None = None) -> list[dict]:
    """One PDF per session of the institution (ONLY: just those folder names). A session whose
    plan.yaml cannot be read gets {"plan", "error"} instead of a PDF."""
    from ..engine import evaluate_sessions
    from ..paths import PROJECT_ROOT
    from ..published import LeakError
    from ..report import session_record
    from .pdf_cache import cached_pdf

    done = []
    for result in evaluate_sessions(c.filing, PROJECT_ROOT, today=c.today):
        session = result.filing
        if only is not None and session.slug not in only:
            continue
        if "plan" not in session.docs:
            done.append({"plan": session.slug, "error": f"{session.display_root}/plan.yaml 缺失或无法读取，未生成认定实施计划"})
            continue
        started = time.perf_counter()
        record = session_record(result)
        target = Path(out_dir) / plan_file_name(c.filing.slug, session.slug)
        try:
            info = cached_pdf(plan_html(c, result, record), session.root, target)
        except LeakError as exc:  # names the file and page, never the number; the other plans still print
            done.append({"plan": session.slug, "error": str(exc)})
            continue
        done.append({"plan": session.slug, "path": str(target), "valid": record["valid"],
                     "decision": record["decision"], "seconds": time.perf_counter() - started, **info})
    return done
