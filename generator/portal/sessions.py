"""The portal's assessment sessions (认定计划): a page per institution, the calendar of upcoming
exam days (认定日历) and the iCalendar feeds a department subscribes to.

Data: each session's `beian check` record (report.session_record: decision, conditions, findings)
plus what the pages and feeds need from the plan itself (exam modules with their times, venue
addresses, certificate ranges of the outcome). Nothing personal is copied: the plan's people
(考场负责人, 内督, 监考, 考评员) are not read here at all, the roster only through the findings,
and a finding located in the roster is published without its message (the message states one
candidate's facts; the department reads it with `beian check`). Every value from a plan goes
through md() on a page and ics.text() in a feed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..reference import shared_reference
from . import ics
from .text import md, plain

ROSTER_FILE = "roster.yaml"
ROSTER_WITHHELD = "考生名册中的这一行不符合本条规则（名册内容不公开，机构用 beian check 查看详情）。"
CALENDAR_PAGE = "calendar.md"  # 认定日历
FEEDS = "calendar"  # feeds: calendar/all.ics, calendar/institutions/<page>.ics
ALL_FEED = f"{FEEDS}/all.ics"
RECORD_WORDS = "质量督导记录："  # before each public record line (supervision/public_records.py)
ANCHOR_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")


def feed_path(page: str) -> str:
    return f"{FEEDS}/institutions/{page}.ics"


def anchor(plan_number) -> str:
    """The HTML id of a session's section: its plan number when that is tidy, else a hash of it."""
    text = str(plan_number or "")
    if ANCHOR_RE.match(text):
        return f"plan-{text.lower()}"
    return "plan-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _module_details(session) -> list[dict]:
    modules = []
    for occupation in session.items("plan", "occupations"):
        if not isinstance(occupation, dict):
            continue
        for module in occupation.get("modules") or []:
            if not isinstance(module, dict):
                continue
            day = ics.as_day(module.get("date"))
            modules.append({
                "code": plain(occupation.get("code")), "name": plain(occupation.get("name")),
                "work_type": plain(occupation.get("work_type")), "level": occupation.get("level"),
                "candidates": occupation.get("candidates"), "module": plain(module.get("name")),
                "kind": plain(module.get("kind")), "day": day.isoformat() if day else None,
                "start": module.get("start") if ics.clock(module.get("start")) else None,
                "end": module.get("end") if ics.clock(module.get("end")) else None,
                "venue": plain(module.get("venue"))})
    return modules


def _certificates(session) -> list[dict]:
    if "outcome" not in session.docs:
        return []
    rows = []
    for row in session.items("outcome", "results"):
        if not isinstance(row, dict):
            continue
        certificates = row.get("certificates") if isinstance(row.get("certificates"), dict) else {}
        rows.append({"code": plain(row.get("occupation")), "work_type": plain(row.get("work_type")),
                     "level": row.get("level"), "examined": row.get("examined"), "passed": row.get("passed"),
                     "first": plain(certificates.get("first")), "last": plain(certificates.get("last"))})
    return rows


def session_entries(filing, today: dt.date, internal: bool = False) -> list[dict]:
    """One record per session of the institution, judged as `beian check` judges it. Its supervision records
    are judged too: "public_records" holds the lines the public may see (supervision/public_records.py); only
    the department's build (INTERNAL) keeps the records themselves, under "records"."""
    from ..engine import evaluate_records, evaluate_sessions
    from ..paths import PROJECT_ROOT
    from ..report import filing_record, session_record
    from ..supervision.public_records import public_records

    entries = []
    for result in evaluate_sessions(filing, PROJECT_ROOT, today=today):
        session = result.filing
        record = session_record(result)
        records = [filing_record(r) for r in evaluate_records(session, filing, PROJECT_ROOT, today=today)]
        record["public_records"] = public_records(records, today)
        if internal:
            from ..supervision.records_view import name_internal_supervisors

            record["records"] = name_internal_supervisors(records, filing)
        venues = {plain(v.get("name")): plain(v.get("address")) for v in session.items("plan", "venues")
                  if isinstance(v, dict)}
        record.update(modules=_module_details(session), venue_addresses=venues,
                      certificates=_certificates(session), anchor=anchor(record.get("plan_number")))
        record.pop("criteria", None)  # not shown; keeps the pickled entry small
        _withhold_names(record, people_names(filing, session))
        entries.append(record)
    entries.sort(key=lambda s: (s.get("first_day") or "", str(s.get("plan_number") or "")), reverse=True)
    return entries


NAME_WITHHELD = "姓名略"  # inside the messages' own brackets: “1 名监考（姓名略）”


def people_names(filing, session) -> list[str]:
    """Every person's name the checks may quote: the institution's personnel and the plan's people
    (a name typed in the plan but missing from personnel.yaml is exactly what session-examiners reports)."""
    from ..plan_people import personnel_by_name, plan_people

    names = {plain(name) for name in personnel_by_name(filing)} | {plain(p.name) for p in plan_people(session)}
    # longest first, so that a name containing another is replaced whole
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def _withhold_names(record: dict, names: list[str]) -> None:
    """People are counted on the portal, never named (as on the institution pages): a finding such as
    “只安排了 1 名监考（某某）” is published with the name replaced; `beian check` keeps it."""
    def clean(text):
        if not isinstance(text, str):
            return text
        for name in names:
            text = text.replace(name, NAME_WITHHELD)
        return text

    for finding in record.get("findings") or []:
        finding["message"], finding["hint"] = clean(finding.get("message")), clean(finding.get("hint"))
    for condition in record.get("conditions") or []:
        condition["reason"] = clean(condition.get("reason"))


# --------------------------------------------------------------------------------------------
# Words shared by the pages and the feeds
# --------------------------------------------------------------------------------------------

def level_name(level) -> str:
    names = shared_reference().level_names
    return names.get(level, str(level)) if isinstance(level, int) and not isinstance(level, bool) else "—"


def verdict(session: dict) -> str:
    """符合要求 / 不符合要求 / 待判定, or why there is none (the sheet's words, without its title)."""
    label = session.get("decision_label") or ""
    title = session.get("decision_title")
    if session.get("valid") and title and label.startswith(f"{title}："):
        return label[len(title) + 1:]
    return label


VERDICT_KIND = {"eligible": "success", "ineligible": "danger", "pending_review": "warning"}


def occupation_words(item: dict) -> str:
    """“车工（数控车床）三级/高级工” as plain text (escape before use)."""
    job = f"（{item['work_type']}）" if item.get("work_type") else ""
    return f"{item.get('name') or item.get('code') or ''}{job}{level_name(item.get('level'))}"


def _time_span(module: dict) -> str:
    return f"{module['start']}–{module['end']}" if module.get("start") and module.get("end") else "（时间未填写）"


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------

def _finding_rows(session: dict, rule_pages: set[str]) -> list[list[str]]:
    statuses = {c["rule"]: c["status"] for c in session.get("conditions") or []}
    sheet = session.get("sheet")
    rows = []
    for f in session.get("findings") or []:
        status = statuses.get(f.get("rule"))
        if status == "unmet":
            level = "不符合"
        elif status == "pending":
            level = "待判定"
        elif f.get("severity") == "error":
            level = "错误"
        elif f.get("severity") == "warning":
            level = "警告"
        else:
            continue  # notes of rules that are met
        where = f"{f.get('file') or ''}:{f['line']}" if f.get("line") else (f.get("file") or "")
        rule = str(f.get("rule") or "")
        key = f"{sheet}/{rule}"
        rule_cell = f'<a href="../../rules/{key}/">{md(rule)}</a>' if key in rule_pages else (md(rule) or "—")
        message = ROSTER_WITHHELD if str(f.get("file") or "").endswith("/" + ROSTER_FILE) else f.get("message")
        rows.append([level, rule_cell, md(message), md(where) or "—"])
    return rows


def _session_section(session: dict, rule_pages: set[str], visits=()) -> list[str]:
    from .markup import html_table, notice as _notice, rows_block as _rows_block, unsearched as _unsearched

    plan = md(session.get("plan_number")) or "—"
    title = md(session.get("title"))
    # out of the search index like an institution page's sections: the page is found by its title
    lines = [f"## {plan} {title} {{ #{session['anchor']} data-search-exclude }}", ""]
    word = verdict(session)
    kind = VERDICT_KIND.get(session.get("decision"), "danger") if session.get("valid") else "danger"
    summary = []
    if session.get("conditions"):
        from ..report import conditions_summary

        summary.append(conditions_summary(session) + "。")
    if not session.get("upcoming") and not session.get("outcome") and session.get("days"):
        summary.append("认定已结束，尚未填报认定结果。")
    lines += _notice(kind, f"审核结论：{md(word)}", " ".join(summary) or "—")
    days = "、".join(md(d) for d in session.get("days") or []) or "—"
    venues = session.get("venue_addresses") or {}
    venue_text = "；".join(f"{md(name)}（{md(address)}）" if address else md(name) for name, address in venues.items())
    rows = [["评价计划编号", plan], ["认定方式", md(session.get("method")) or "—"], ["认定日期", days],
            ["计划报送日期", md(session.get("submitted")) or "—"], ["考点", venue_text or "—"],
            ["考生人数", str(session.get("candidates") or 0)]]
    lines += html_table(["项目", "内容"], rows) + [""]
    for visit in visits:  # past visits the department marked 公开 (supervision/visibility.py): no one named
        lines += [f"外部质量督导：{md(visit.words)}", ""]
    for record in session.get("public_records") or []:  # records marked 公开, past: form, date, result only
        lines += [f"{RECORD_WORDS}{md(record.words)}", ""]

    by_occupation: dict[tuple, list[dict]] = {}
    for module in session.get("modules") or []:
        by_occupation.setdefault((module["code"], module["work_type"], module["level"]), []).append(module)
    occupation_rows = []
    for item in session.get("occupations") or []:
        key = (plain(item.get("code")), plain(item.get("work_type")), item.get("level"))
        modules = "<br>".join(f"{md(m['module'])}：{md(m['day']) or '日期未填写'} {md(_time_span(m))}"
                              for m in by_occupation.get(key, []))
        occupation_rows.append([md(item.get("code")) or "—", md(item.get("name")) or "—", md(item.get("work_type")) or "—",
                                level_name(item.get("level")), str(item.get("candidates") if isinstance(item.get("candidates"), int) else "—"),
                                modules or "—"])
    lines += [_unsearched("职业、等级与考生人数", 3), ""]
    lines += _rows_block(html_table(["职业编码", "职业", "工种", "等级", "考生人数", "科目与时间"], occupation_rows))

    findings = _finding_rows(session, rule_pages)
    lines += [_unsearched("审核发现", 3), ""]
    if findings:
        lines += _rows_block(html_table(["结论", "规则", "提示", "位置"], findings))
    else:
        lines += ["没有不符合或待判定的条目。", ""]

    outcome = session.get("outcome")
    if outcome:
        lines += [_unsearched("认定结果", 3), "",
                  f"参考 {outcome['examined']} 人，合格 {outcome['passed']} 人"
                  + (f"，证书发放日期 {md(outcome.get('issued'))}" if outcome.get("issued") else "") + "。", ""]
        names = {plain(o.get("code")): plain(o.get("name")) for o in session.get("occupations") or []}
        cert_rows = [[md(f"{r['code']} " + occupation_words({**r, "name": names.get(r["code"], "")})), str(r["examined"] if isinstance(r["examined"], int) else "—"),
                      str(r["passed"] if isinstance(r["passed"], int) else "—"),
                      f"{md(r['first'])} – {md(r['last'])}" if r["first"] or r["last"] else "—"]
                     for r in session.get("certificates") or []]
        if cert_rows:
            lines += _rows_block(html_table(["职业（编码）与等级", "参考人数", "合格人数", "证书编号段"], cert_rows))
    return lines


def session_key(session: dict) -> str:
    """"<institution slug>/<plan folder>", as a dispatch names the session (the record's path ends in the folder)."""
    return f"{session.get('institution')}/{str(session.get('path') or '').rsplit('/', 1)[-1]}"


def sessions_page(entry: dict, rule_pages: set[str], visits: dict | None = None) -> str:
    """sessions/<page>.md: every 认定计划 of one institution, newest first. VISITS: session key → the
    PublicVisits the public may see (supervision/visibility.py)."""
    from .markup import HEADER
    from .text import front_matter_title

    name_text = entry.get("name") or entry["institution"]
    name = md(name_text)
    sessions = entry.get("sessions") or []
    upcoming = sum(1 for s in sessions if s.get("upcoming"))
    lines = [front_matter_title(f"{name_text}：认定计划") + f"# {name}：认定计划", "", HEADER.strip(), "",
             f"[返回机构页](../institutions/{entry['page']}.md) · [认定日历](../{CALENDAR_PAGE}) · "
             f"[订阅本机构的认定日历（iCalendar）](../{feed_path(entry['page'])})", "",
             f"共 {len(sessions)} 个认定计划，其中尚未结束的 {upcoming} 个。审核结论是程序按认定计划规则逐条核对的结果"
             "（符合要求、不符合要求或待判定），不是人社部门的审核意见；考生名册不公开，只计人数。", ""]
    if not sessions:
        lines += ["本机构尚未提交认定计划。", ""]
    for session in sessions:
        lines += _session_section(session, rule_pages, (visits or {}).get(session_key(session), ()))
    return "\n".join(lines)


def calendar_rows(entries: list[dict], today: dt.date) -> list[dict]:
    """One row per session and exam day that is today or later, by day, then institution and plan."""
    rows = []
    for entry in entries:
        for session in entry.get("sessions") or []:
            days: dict[str, list[dict]] = {}
            for module in session.get("modules") or []:
                if module["day"] and module["day"] >= today.isoformat():
                    days.setdefault(module["day"], []).append(module)
            for day, modules in days.items():
                modules.sort(key=lambda m: (m.get("start") or "", m["module"]))
                rows.append({"day": day, "entry": entry, "session": session, "modules": modules})
    rows.sort(key=lambda r: (r["day"], str(r["entry"].get("name") or ""), str(r["session"].get("plan_number") or "")))
    return rows


WEEKDAYS = "一二三四五六日"


def calendar_table(entry: dict, today: dt.date) -> list[list]:
    """[day, institution name, plan number, the row's cells] for each calendar row of ENTRY (calendar_rows): what
    calendar_page needs of one institution, kept per institution by a build (summaries.Register.derived)."""
    return [[row["day"], str(entry.get("name") or ""), str(row["session"].get("plan_number") or ""), _calendar_cells(row)]
            for row in calendar_rows([entry], today)]


def _calendar_cells(row: dict) -> list[str]:
    entry, session = row["entry"], row["session"]
    day = dt.date.fromisoformat(row["day"])
    modules = "<br>".join(f"{md(_time_span(m))} {md(occupation_words(m))} {md(m['module'])}" for m in row["modules"])
    venues = "、".join(dict.fromkeys(md(m["venue"]) for m in row["modules"] if m["venue"])) or "—"
    plan = (f'<a href="../sessions/{entry["page"]}/#{session["anchor"]}">'
            f'{md(session.get("plan_number")) or "—"}</a>')
    institution = f'<a href="../sessions/{entry["page"]}/">{md(entry.get("name")) or md(entry["institution"])}</a>'
    return [f"{row['day']}<br>周{WEEKDAYS[day.weekday()]}",
            f"{institution}<br>{plan} · {md(session.get('method')) or '认定方式未填写'}",
            modules, venues, md(verdict(session)) or "—"]


def calendar_page(entries: list[dict], today: dt.date, tables: list[list] | None = None) -> str:
    """TABLES: the entries' calendar_table rows concatenated in the entries' order, when the caller kept them."""
    from .markup import HEADER, html_table, rows_block as _rows_block

    if tables is None:
        tables = [row for entry in entries for row in calendar_table(entry, today)]
    rows = sorted(tables, key=lambda row: row[:3])  # as calendar_rows sorts: day, institution, plan; ties as given
    lines = ["# 认定日历", "", HEADER.strip(), "",
             f"各机构 {today.isoformat()} 及以后的认定考试日程，按日期排列，来自各机构报送的认定计划（认定实施计划）。"
             "“审核结论”是程序按认定计划规则核对的结果，不是人社部门的审核意见。", "",
             f"订阅全部机构的认定日历：[all.ics]({ALL_FEED})（iCalendar 格式，可在 Outlook、手机日历等中“订阅日历”，"
             "时间为北京时间；与本页一样只含今天及以后的考试）；单个机构的订阅地址（含已结束的认定）见下表“机构”一栏链接的认定计划页。", ""]
    if not rows:
        return "\n".join(lines + ["目前没有尚未举行的认定考试。", ""])
    lines += _rows_block(html_table(["日期", "机构、认定计划与方式", "时间、职业等级与科目", "考点", "审核结论"],
                                    [row[3] for row in rows]), "beian-sortable")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Feeds
# --------------------------------------------------------------------------------------------

def uid(entry: dict, session: dict, module: dict) -> str:
    """Stable per plan and module: the institution, plan number, occupation, 工种, level and module
    name, hashed (dates and times may change, the event stays the same one)."""
    key = "\x1f".join(str(x) for x in (entry["institution"], session.get("plan_number"), module["code"],
                                        module["work_type"], module["level"], module["module"]))
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()[:24]}@beian"


def events(entry: dict, site_url: str = "") -> list[dict]:
    """Every exam module of the institution's sessions as an event (past ones too: a subscriber
    keeps the history instead of seeing it vanish after the exam)."""
    out, seen = [], set()
    name = plain(entry.get("name") or entry["institution"])
    for session in entry.get("sessions") or []:
        addresses = session.get("venue_addresses") or {}
        url = f"{site_url.rstrip('/')}/sessions/{entry['page']}/#{session['anchor']}" if site_url else None
        for module in session.get("modules") or []:
            day = ics.as_day(module["day"]) if module["day"] else None
            if day is None:
                continue
            event_uid = uid(entry, session, module)
            if event_uid in seen:  # the same module written twice in one plan: one event
                continue
            seen.add(event_uid)
            venue = module["venue"]
            location = "，".join(x for x in (venue, addresses.get(venue, "")) if x)
            description = "\n".join([
                f"机构：{name}", f"评价计划编号：{plain(session.get('plan_number'))}",
                f"认定计划：{plain(session.get('title'))}", f"认定方式：{plain(session.get('method'))}",
                f"职业：{module['code']} {occupation_words(module)}；科目：{module['module']}（{module['kind']}）",
                f"考生人数：{module['candidates'] if isinstance(module['candidates'], int) else '未填写'}",
                f"审核结论：{verdict(session)}"])
            out.append({"uid": event_uid, "day": day, "start": ics.clock(module["start"]), "end": ics.clock(module["end"]),
                        "summary": f"职业技能等级认定：{occupation_words(module)} {module['module']}（{name}）",
                        "location": location, "description": description, "url": url})
    out.sort(key=lambda e: (e["day"], e["start"] or dt.time(0), e["uid"]))
    return out


def feed(entries: list[dict], name: str, today: dt.date, site_url: str = "") -> str:
    return feed_of([block for entry in entries for block in event_blocks(entry, today, site_url)], name)


def event_blocks(entry: dict, today: dt.date, site_url: str = "") -> list[list[str]]:
    """[day, start time, uid, VEVENT text] for each of the entry's events, in the feed's order (by day, time, uid:
    the same order as text, ISO dates and times being of fixed width). A build keeps them per institution
    (summaries.Register.derived) and sorts all institutions' blocks together for the feed of all."""
    return [[event["day"].isoformat(), (event["start"] or dt.time(0)).isoformat(), event["uid"],
             ics.event_text(event, today)] for event in events(entry, site_url)]


def feed_of(blocks: list[list[str]], name: str) -> str:
    """The feed of BLOCKS (event_blocks' of one or more institutions, concatenated in the entries' order), sorted
    as events() sorts: by day, time and uid, ties in the order given."""
    return ics.calendar_of([block[3] for block in sorted(blocks, key=lambda block: block[:3])], name)


def institution_feed(entry: dict, today: dt.date, site_url: str = "") -> str:
    return feed([entry], f"认定日历：{plain(entry.get('name') or entry['institution'])}", today, site_url)


ALL_FEED_NAME = "职业技能等级认定日历（全部机构）"


def upcoming_blocks(entry: dict, today: dt.date, site_url: str = "") -> list[list[str]]:
    """event_blocks of the exams on TODAY or later: what the feed of all institutions carries. Its window is the
    认定日历 page's: with every past exam of every institution it would grow without end (five sessions each make
    about 70 MB at 5,000 institutions, over the 100 MB a file of a GitHub Pages site may have at 20,000), and its
    subscribers want what is coming; each institution's own feed keeps the whole history."""
    return [block for block in event_blocks(entry, today, site_url) if block[0] >= today.isoformat()]


def all_feed(entries: list[dict], today: dt.date, site_url: str = "") -> str:
    return feed_of([block for entry in entries for block in upcoming_blocks(entry, today, site_url)], ALL_FEED_NAME)
