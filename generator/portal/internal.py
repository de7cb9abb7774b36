"""The 部门内部 section of the department's own build (`beian build --internal`): per jurisdiction a register
page (term, expiry, workload, the register's findings), a page per supervisor (history, records) and the dispatch
list; and the 督导记录 page of every institution's supervision records (internal_records.py).

Never written by the public build. Every page says “部门内部资料，不得公开” at its top and asks search engines
not to index it (front matter `robots`, site/overrides/main.html). Every value from the register goes through
md() (text.py); links are built here from page names that are ASCII by construction.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings import SEVERITY_LABELS
from ..supervision.model import PUBLIC
from .internal_markup import ROBOTS, day_text, days_text, finding_place, page_head, page_name
from .markup import html_table, rows_block
from .text import md

SECTION = "internal"
TITLE = "部门内部"


def configure(config) -> None:
    """The internal site's mkdocs settings: a 部门内部 tab, and every page (public ones too: the whole
    site is the department's) marked noindex."""
    config["nav"] = list(config["nav"] or []) + [{TITLE: f"{SECTION}/index.md"}]
    config["extra"]["robots"] = ROBOTS


def _finding_rows(findings) -> list[list[str]]:
    return [[SEVERITY_LABELS.get(f.get("severity"), md(f.get("severity"))), md(f.get("rule")), md(f.get("message")),
             finding_place(f)] for f in findings]


@dataclass
class RegisterPages:
    """What one register's pages are made from (loaded and judged once)."""
    slug: str                 # page name of the jurisdiction
    folder: Path
    record: dict              # report.register_record
    register: object          # supervision.model.Register
    visits: list              # overview.VisitView, latest first
    supervisors: list         # overview.SupervisorView
    session_links: dict       # session key → site URL path of its section on the sessions page
    today: object
    page_of: dict = None      # supervisor index → page name (unique even when two share a card number)

    def __post_init__(self):
        self.page_of, used = {}, set()
        for view in self.supervisors:
            name = page_name(view.supervisor.card, "s")
            while name in used:
                name += "-x"
            used.add(name)
            self.page_of[view.supervisor.index] = name

    def supervisor_page(self, card: str) -> str:
        """The page of the supervisor holding CARD (the first, if the register repeats it)."""
        return self.page_of[self.register.supervisor(card).index]


def load_register_pages(folder: Path, slug: str, session_links: dict, today) -> RegisterPages:
    from ..engine import evaluate
    from ..filing import Ref, load_register
    from ..report import filing_record
    from ..supervision.load import register_of, sessions_index
    from ..supervision.overview import findings_by_visit, supervisor_views, visit_views
    from ..supervision.visibility import project_root_of

    root = project_root_of(folder)
    result = evaluate(load_register(folder, root))
    record = filing_record(result)
    register = register_of(result.filing)
    by_visit = findings_by_visit(register.visits, record.get("findings") or [], result.filing.file_of("dispatches"),
                                 lambda i: result.filing.line_of(Ref("dispatches", ("visits", i))))
    views = visit_views(register, sessions_index(root), today, by_visit)
    return RegisterPages(slug, folder, record, register, views, supervisor_views(register, views, today),
                         session_links, today)


def _session_cell(pages: RegisterPages, view, prefix: str) -> str:
    name = md(view.institution_name or view.visit.institution)
    plan = md(view.plan_number)
    link = pages.session_links.get(view.visit.session)
    text = f"{name}<br>{plan}"
    return f'<a href="{prefix}{link}">{text}</a>' if link else text + ("" if view.institution_name else "<br>（无此认定计划）")


def _people(pages: RegisterPages, view, prefix: str) -> str:
    cells = []
    for a in view.visit.assignments:
        person = pages.register.supervisor(a.card)
        who = (f'<a href="{prefix}supervisors/{pages.supervisor_page(a.card)}/">{md(person.name)}</a>' if person
               else "（名册中无此人）")
        answer = a.response + (f"：{a.reason}" if a.reason else "")
        cells.append(f"{who}（{md(a.card)}）{md(answer)}")
    return "<br>".join(cells) or "—"


def register_page(pages: RegisterPages) -> str:
    record, today = pages.record, pages.today
    title = record.get("name") or pages.slug
    lines = page_head(title, f"[返回部门内部](../index.md) · [外督委派一览](dispatches.md)")
    lines += [f"委派机构：{md(pages.register.department) or '—'}；名册可见范围：{md(pages.register.visibility)}"
              "（名册写“公开”也不在公开门户中列出任何人：督导员姓名和证卡编号只在部门内部使用）。"
              f"统计日期 {today.isoformat()}：督导员 {len(pages.supervisors)} 名，在聘且在聘期内 {record.get('in_term', 0)} 名，"
              f"委派 {len(pages.visits)} 次。审核结论：{md(record.get('decision_label'))}。", ""]
    rows = []
    for view in pages.supervisors:
        s = view.supervisor
        term = f"{day_text(s.term_start)} 至 {day_text(s.term_end)}"
        left = "—" if view.days_left is None else f"{view.days_left} 天"
        if view.expiry:
            left += f'<br><strong class="beian-flag">{view.expiry}</strong>'
        places = "<br>".join(f"{md(name)} {count} 次" for name, count in view.institutions) or "—"
        rows.append([f'<a href="supervisors/{pages.page_of[s.index]}/">{md(s.name)}</a>', md(s.card),
                     md(s.issued_by) or "—", term, left, md(s.status), str(view.this_year), str(view.total),
                     day_text(view.last_visit) + (f"<br>另有 {view.upcoming} 次待督导" if view.upcoming else ""), places])
    lines += ["## 督导员", ""]
    lines += rows_block(html_table(["姓名", "证卡编号", "颁证机构", "聘期", "距届满", "资格状态",
                                    f"{today.year} 年督导", "累计督导", "最近一次督导", "督导过的机构"], rows))
    lines += ["“距届满”在 90 天内的标“90 天内届满”，聘期已过的标“已届满”；督导次数只计接受（或未答复）的委派，拒绝的不计。", ""]
    lines += ["## 名册检查发现", ""]
    findings = _finding_rows(record.get("findings") or [])
    lines += (rows_block(html_table(["级别", "规则", "说明", "位置"], findings)) if findings
              else ["名册与委派记录没有检查发现。", ""])
    return "\n".join(lines)


def supervisor_page(pages: RegisterPages, view, entries: list[dict] = ()) -> str:
    s = view.supervisor
    lines = page_head(f"{s.name}（{s.card}）", "[返回名册](../index.md) · [外督委派一览](../dispatches.md)")
    facts = [["证卡编号", md(s.card)], ["颁证机构", md(s.issued_by) or "—"],
             ["聘期", f"{day_text(s.term_start)} 至 {day_text(s.term_end)}"
                      + (f"（{md(view.expiry)}）" if view.expiry else "")],
             ["资格状态", md(s.status) + (f"（{day_text(s.disqualified_on)}）" if s.disqualified_on else "")
                          + ("，已列入黑名单" if s.blacklisted else "")],
             ["工作单位", md(s.employer) or "—"],
             ["督导次数", f"{pages.today.year} 年 {view.this_year} 次，累计 {view.total} 次"
                          + (f"，另有 {view.upcoming} 次待督导" if view.upcoming else "")]]
    lines += html_table(["项目", "内容"], facts) + [""]
    rows = []
    for served in view.history:
        v, a = served.view, served.assignment
        rows.append([_session_cell(pages, v, "../../../../"), days_text(v.days), md(v.visit.type), md(v.visit.method),
                     md(a.response + (f"：{a.reason}" if a.reason else ""))])
    lines += ["## 督导记录", ""]
    lines += (rows_block(html_table(["机构与认定计划", "督导日期", "类型", "委派方式", "答复"], rows)) if rows
              else ["尚无委派。", ""])
    from .internal_records import supervisor_records

    lines += supervisor_records(list(entries), s.card)
    return "\n".join(lines)


def dispatches_page(pages: RegisterPages) -> str:
    lines = page_head(f"{pages.record.get('name') or pages.slug}：外督委派一览", "[返回名册](index.md)")
    lines += ["每次委派的督导员、答复，以及名册检查中位于这次委派记录（dispatches.yaml）里的发现。"
              "“公开门户”一栏：标为公开且督导日已过的委派，公开门户的认定计划页只写日期、类型和外督人数。", ""]
    rows, problems = [], []
    for number, v in enumerate(pages.visits, start=1):
        # the table stays narrow: rule ids here, each message with its line in the list below the table
        rules = list(dict.fromkeys(str(f.get("rule")) for f in v.findings))
        broken = (f'<a href="#problems-{number}">' + "<br>".join(md(r) for r in rules) + "</a>") if rules else "—"
        if v.findings:
            problems += [f'<h3 id="problems-{number}">{md(v.visit.session)}（督导日 {days_text(v.days)}）</h3>', ""]
            problems += [f"- `{md(f.get('rule'))}` {md(f.get('message'))}（{finding_place(f)}）" for f in v.findings] + [""]
        shown = "已公开（不含姓名）" if v.published else ("公开（督导日后显示）" if v.visit.visibility == PUBLIC else "不公开")
        made = day_text(v.visit.made) + f"<br>{md(v.visit.method)}" + (f"（种子 {v.visit.seed}）" if v.visit.seed is not None else "")
        rows.append([_session_cell(pages, v, "../../../"), days_text(v.days), md(v.visit.type), made,
                     _people(pages, v, ""), shown, broken])
    lines += rows_block(html_table(["机构与认定计划", "督导日期", "类型", "委派日期与方式", "督导员与答复", "公开门户",
                                    "不符合的规则"], rows))
    if problems:
        lines += ["## 不符合规则的委派", ""] + problems
    return "\n".join(lines)


def index_page(all_pages: list[RegisterPages]) -> str:
    lines = page_head(TITLE, "")
    lines += ["[督导记录](records.md)：各机构督导记录的排序、每个认定计划的记录与结论、逾期与缺失的记录。", ""]
    rows = [[f'<a href="{p.slug}/">{md(p.record.get("name") or p.slug)}</a>', md(p.register.department) or "—",
             str(len(p.supervisors)), str(sum(1 for v in p.supervisors if v.expiry)), str(len(p.visits)),
             md(p.record.get("decision_label")), f'<a href="{p.slug}/dispatches/">外督委派一览</a>']
            for p in all_pages]
    if rows:
        lines += html_table(["名册", "委派机构", "督导员", "聘期将满或已满", "委派", "审核结论", ""], rows) + [""]
    else:
        lines += ["本仓库没有督导员名册（department/<辖区>/）。", ""]
    return "\n".join(lines)


def session_links(entries: list[dict]) -> dict[str, str]:
    """Session key → "sessions/<page>/#<anchor>", for every session the portal has a page section for."""
    from .sessions import session_key

    return {session_key(s): f"sessions/{e['page']}/#{s['anchor']}" for e in entries for s in e.get("sessions") or []}


def write_internal(entries: list[dict], registers: list[Path], docs: Path) -> int:
    """Every 部门内部 page into DOCS/internal/; returns how many were written."""
    from ..engine import evaluation_date
    from .model import page_slug

    today = evaluation_date()
    links = session_links(entries)
    base = docs / SECTION
    written, used = [], set()
    for folder in registers:
        slug = page_slug(folder.name)
        while slug in used:
            slug += "-x"
        used.add(slug)
        written.append(load_register_pages(folder, slug, links, today))
    from .internal_records import PAGE, records_page

    files = {base / "index.md": index_page(written), base / PAGE: records_page(entries, written, today)}
    for pages in written:
        files[base / pages.slug / "index.md"] = register_page(pages)
        files[base / pages.slug / "dispatches.md"] = dispatches_page(pages)
        for view in pages.supervisors:
            files[base / pages.slug / "supervisors" / f"{pages.page_of[view.supervisor.index]}.md"] = \
                supervisor_page(pages, view, entries)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (docs / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    return len(files)
