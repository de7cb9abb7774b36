"""The 督导记录 page of the department's build (internal/records.md) and each supervisor's records on his page:
the institutions ranked by what their supervisors found, every session's records with their verdicts, and what
is late or missing. Data from supervision/records_view.py; names from the register (外督) and the institution's
personnel (内督), which only this department-only site shows. Every value goes through md().
"""
from __future__ import annotations

from ..supervision.records_view import (InstitutionRank, late_records, missing_feedback, missing_records, ranking,
                                        sessions_with_records)
from .internal_markup import day_text, finding_place, page_head, page_name
from .markup import html_table, rows_block
from .sessions import verdict
from .text import md

PAGE = "records.md"
TITLE = "督导记录"
ORDER_WORDS = ("排序：先比一票否决项的数量，再比终止考试的认定计划数，再比勾选最差一级（不符合、不一致、否等）的条目数，"
               "再比勾选中间一级（部分符合、存在不足等）的条目数，多者在前；都相同的按机构名称。得分不参与排序：只有南昌表计分，"
               "其满分 100 分中有 20 分的条目原文缺失，得分只按已知的 80 分计算，缺失的 20 分既不算得分也不算失分。")


def record_anchor(record: dict) -> str:
    return page_name(f"{record.get('path')}", "r")


def institution_anchor(page: str) -> str:
    return f"i-{page}"


def session_anchor(entry: dict, session: dict) -> str:
    return page_name(f"{entry['institution']}/{session.get('plan_number')}/{session.get('path')}", "s")


class Names:
    """Who holds a card, and the page of a 外督, from the registers (RegisterPages) and the records themselves."""

    def __init__(self, all_pages: list):
        self.all_pages = all_pages

    def external(self, card: str):
        """(RegisterPages, Supervisor) of the register that lists CARD, or (None, None)."""
        for pages in self.all_pages:
            person = pages.register.supervisor(card)
            if person is not None:
                return pages, person
        return None, None

    def cell(self, card: str, internal_name: str = "", prefix: str = "../") -> str:
        """The name of CARD's holder, linked to his supervisor page (PREFIX: from the records page to internal/)."""
        if internal_name:
            return f"{md(internal_name)}（内督）"
        pages, person = self.external(card)
        if person is None:
            return "（名册与本机构人员中均无此证卡）"
        return f'<a href="{prefix}{pages.slug}/supervisors/{pages.supervisor_page(card)}/">{md(person.name)}</a>'


def _session_cell(entry: dict, session: dict) -> str:
    return (f'<a href="#{session_anchor(entry, session)}">{md(entry.get("name") or entry["institution"])}'
            f'<br>{md(session.get("plan_number"))}</a>')


def _ranking_rows(ranks: list[InstitutionRank]) -> list[list[str]]:
    return [[str(number), f'<a href="#{institution_anchor(r.page)}">{md(r.name)}</a>', str(r.records),
             str(r.with_problems), str(r.vetoes), str(r.terminated), str(r.bad), str(r.partial),
             md(r.lowest.words) if r.lowest else "—", str(r.not_valid)]
            for number, r in enumerate(ranks, start=1)]


def _unmet_cell(record: dict) -> str:
    """Each condition the record does not meet (or that waits for a person), with the file:line of its findings."""
    parts = []
    for condition in record.get("conditions") or []:
        if condition.get("met") or condition.get("status") not in ("unmet", "pending"):
            continue
        where = "、".join(finding_place(f) for f in record.get("findings") or [] if f.get("rule") == condition.get("rule"))
        parts.append(f"<code>{md(condition.get('rule'))}</code> {md(condition.get('reason'))}"
                     + (f"（{where}）" if where else ""))
    return "<br>".join(parts) or "—"


def _records_rows(records: list[dict], names: Names) -> list[list[str]]:
    rows = []
    for record in records:
        result = record.get("form_result") or {}
        rows.append([f'<a id="{record_anchor(record)}"></a>{md(record.get("form_title") or record.get("form"))}',
                     md(record.get("card")), names.cell(str(record.get("card") or ""), record.get("supervisor_name") or ""),
                     md(record.get("date")) or "—", md(record.get("signed")) or "—", md(result.get("summary")) or "—",
                     md(verdict(record)) or "—", _unmet_cell(record)])
    return rows


def _late_section(entries: list[dict], names: Names) -> list[str]:
    rows = [[_session_cell(l.entry, l.session), f'<a href="#{record_anchor(l.record)}">{md(l.record.get("form_title"))}</a>',
             names.cell(str(l.record.get("card") or ""), l.record.get("supervisor_name") or "") + f"<br>{md(l.record.get('card'))}",
             md(l.record.get("date")) or "—", day_text(l.due), day_text(l.signed),
             f"{l.days_late} 天" if l.days_late is not None else md(l.reason), finding_place({"file": l.record.get("path")})]
            for l in late_records(entries)]
    lines = ["### 逾期提交的记录", ""]
    return lines + (rows_block(html_table(["机构与认定计划", "记录表", "督导员与证卡", "督导日期", "最迟提交", "签字日期",
                                           "逾期", "文件"], rows)) if rows else ["没有逾期提交的记录。", ""])


def _missing_section(all_pages: list, names: Names, today) -> list[str]:
    from ..supervision.visibility import project_root_of
    from ..supervision.records_view import supervision_folder

    rows = []
    for pages in all_pages:
        root = project_root_of(pages.folder)
        for missing in missing_records(pages.visits, root, today):
            view = missing.view
            folder = supervision_folder(root, view.visit.session).relative_to(root).as_posix()
            rows.append([f"{md(view.institution_name or view.visit.institution)}<br>{md(view.plan_number)}",
                         f"{view.days[0].isoformat()}" + (f" 至 {view.days[-1].isoformat()}" if len(view.days) > 1 else ""),
                         names.cell(missing.card) + f"<br>{md(missing.card)}",
                         md(f"{folder}/<表编号>-{missing.card}.yaml")])
    lines = ["### 缺失的记录", "",
             "督导日已过的每次委派（dispatches.yaml），每名接受委派（或尚未答复）的外督，在该认定计划的 supervision/ 文件夹中"
             "都应有一份本人填写的记录表（表编号-证卡编号.yaml；机构对他的情况反馈表不算）。", ""]
    return lines + (rows_block(html_table(["机构与认定计划", "督导日期", "外督与证卡", "应有的文件"], rows)) if rows
                    else ["没有缺失的记录。", ""])


def _feedback_section(entries: list[dict], names: Names) -> list[str]:
    rows = [[_session_cell(entry, session), names.cell(str(record.get("card") or "")) + f"<br>{md(record.get('card'))}",
             f'<a href="#{record_anchor(record)}">{md(record.get("form_title"))}</a>', md(reason),
             finding_place({"file": record.get("path")})]
            for entry, session, record, reason in missing_feedback(entries)]
    lines = ["### 缺失的情况反馈表", ""]
    return lines + (rows_block(html_table(["机构与认定计划", "外督与证卡", "外督的记录", "说明", "文件"], rows)) if rows
                    else ["没有缺失的情况反馈表。", ""])


def records_page(entries: list[dict], all_pages: list, today) -> str:
    """internal/records.md."""
    names = Names(all_pages)
    ranks = ranking(entries)
    lines = page_head(TITLE, "[返回部门内部](index.md)",
                  "各机构认定计划的督导记录（institutions/（机构）/sessions/（计划）/supervision/）与部门的督导员名册、外督委派记录"
                  "（department/）")
    lines += [f"统计日期 {today.isoformat()}：{len(ranks)} 个机构有督导记录，共 {sum(r.records for r in ranks)} 份。"
              "督导记录是部门内部资料：本页写证卡编号和督导员姓名；公开门户只在认定计划页写标为公开、督导日已过的记录的"
              "表名、日期和结果（不写证卡、姓名、备注和意见）。", ""]
    lines += ["## 机构排序", "", ORDER_WORDS, ""]
    lines += (rows_block(html_table(["名次", "机构", "记录", "发现问题的记录", "一票否决项", "终止考试的认定计划",
                                     "最差一级的条目", "中间一级的条目", "最低得分（南昌表）", "记录本身有问题"],
                                    _ranking_rows(ranks))) if ranks else ["还没有任何督导记录。", ""])
    lines += ["## 逾期与缺失", ""]
    lines += _late_section(entries, names) + _missing_section(all_pages, names, today) + _feedback_section(entries, names)
    lines += ["## 各认定计划的记录", ""]
    by_page = {e["page"]: e for e in entries}
    for rank in ranks:
        entry = by_page[rank.page]
        lines += [f'<h3 id="{institution_anchor(rank.page)}">{md(rank.name)}</h3>', ""]
        for session in sessions_with_records(entry):
            lines += [f'<h4 id="{session_anchor(entry, session)}">{md(session.get("plan_number"))} '
                      f'{md(session.get("title"))}</h4>', ""]
            lines += rows_block(html_table(["记录表", "证卡", "督导员", "督导日期", "签字日期", "表的结果", "结论",
                                            "不符合或待判定的条件（位置）"], _records_rows(session["records"], names)))
    return "\n".join(lines)


def supervisor_records(entries: list[dict], card: str) -> list[str]:
    """The lines a supervisor page gets: every record filed with CARD (his own, and the institutions' feedback
    about him), each linked to its row on the 督导记录 page."""
    rows = []
    for entry in entries:
        for session in sessions_with_records(entry):
            for record in session["records"]:
                if str(record.get("card") or "") != card:
                    continue
                result = record.get("form_result") or {}
                rows.append([f"{md(entry.get('name') or entry['institution'])}<br>{md(session.get('plan_number'))}",
                             f'<a href="../../../records/#{record_anchor(record)}">{md(record.get("form_title"))}</a>',
                             md(record.get("date")) or "—", md(record.get("signed")) or "—",
                             md(result.get("summary")) or "—", md(verdict(record)) or "—"])
    lines = ["## 督导记录表", "", "以此证卡填写或关于此人（机构的情况反馈表）的记录；详情见"
                                  '<a href="../../../records/">督导记录</a>页。', ""]
    return lines + (rows_block(html_table(["机构与认定计划", "记录表", "督导日期", "签字日期", "表的结果", "结论"], rows))
                    if rows else ["没有以此证卡提交的督导记录表。", ""])
