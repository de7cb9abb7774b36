"""`--format text`: what a person reads in a terminal; `file:line:` first so editors can jump.

Under each institution come its sessions (认定计划): one line each with the verdict of the session
rule set, then the session's findings in the same `file:line: 级别 [rule] message` form.

Everything that comes from a filing (names, paths, messages quoting values) goes through
terminal_text: an escape sequence in a filing is shown as `\\x1b[…`, never obeyed by the terminal.
"""
from __future__ import annotations

import io

from . import registers_first, renderer, write_all
from ..escaping import terminal_text as _t
from ..findings import SEVERITY_LABELS
from ..record_words import (conditions_summary, existing_words, session_heading, session_verdict, supervision_heading,
                            supervision_result)
from ..record_words import Tally, register_heading, tally_items, todo_lines


def _points(value) -> str:
    return f"{value:g}"


def finding_line(f: dict) -> str:
    where = _t(f["file"] or "")
    if f.get("line"):
        where += f":{f['line']}"
    text = f"  {where}: {SEVERITY_LABELS[f['severity']]} [{f['rule']}] {_t(f['message'])}"
    if f.get("hint"):
        text += f"\n      提示：{_t(f['hint'])}"
    return text


def todo_text(items: list[dict]) -> str:
    """The to-do list (generator/todo.py): numbered things to fix, then what waits for the panel."""
    if not items:
        return ""
    actions, others = todo_lines(items, _t)
    return "".join(["  待办（先改错误和否决项，再按可得分数从高到低）：\n",
                    *(f"    {n}. {line}\n" for n, line in enumerate(actions, start=1)),
                    *(f"    · {line}\n" for line in others)])


def _conditions(record: dict, out) -> None:
    """A conditions result (增量备案审核): the verdict, the conditions and the earlier score; no points."""
    out.write(f"  结论：{record['decision_label']}    {conditions_summary(record)}；{existing_words(record)}"
              f"，规则集 {record['sheet']}\n")
    for status, label in (("unmet", "不符合"), ("pending", "待判定")):
        titles = [c["title"] + ("（评审后资料有变动）" if c["stale"] else "")
                  for c in record["conditions"] if c["status"] == status]
        if titles:
            out.write(f"  {label}：" + "、".join(titles) + "\n")


def _sessions(record: dict, out, verbose: bool) -> None:
    """Each session of the institution: one line with its verdict, then its findings like a filing's."""
    sessions = record.get("sessions") or []
    if sessions:
        out.write(f"  认定计划（{len(sessions)} 个）：\n")
    for session in sessions:
        line = f"    {_t(session_heading(session))}：{session_verdict(session)}"
        for status, label in (("unmet", "不符合"), ("pending", "待判定")):
            titles = [c["title"] for c in session["conditions"] if c["status"] == status]
            if titles:
                line += f"；{label}：" + "、".join(titles)
        shown = [f for f in session["findings"] if verbose or f["severity"] != "notice"]
        hidden = len(session["findings"]) - len(shown)
        if hidden:  # on the same line: a clean session stays one line
            line += f"（另有 {hidden} 条提示，加 -v 查看）"
        out.write(line + "\n")
        for finding in shown:
            out.write("    " + finding_line(finding).replace("\n", "\n    ") + "\n")
        if verbose and session["valid"]:
            for c in session["conditions"]:
                out.write(f"      {c['rule']:<32} {c['status_label']}  {c['title']}\n")
        _records(session, out, verbose)


def _records(session: dict, out, verbose: bool) -> None:
    """A session's supervision records: what each form says, whether the record stands, and its findings."""
    for record in session.get("records") or []:
        line = f"      督导记录 {_t(supervision_heading(record))}：{supervision_result(record)}；{session_verdict(record)}"
        unmet = [c["title"] for c in record["conditions"] if c["status"] == "unmet"]
        if unmet:
            line += "；不符合：" + "、".join(unmet)
        shown = [f for f in record["findings"] if verbose or f["severity"] != "notice"]
        hidden = len(record["findings"]) - len(shown)
        if hidden:
            line += f"（另有 {hidden} 条提示，加 -v 查看）"
        out.write(line + "\n")
        for finding in shown:
            out.write("        " + finding_line(finding).replace("\n", "\n        ") + "\n")


def _findings(record: dict, out, verbose: bool) -> None:
    """The record's findings, notices only with -v (counted otherwise)."""
    shown = [f for f in record["findings"] if verbose or f["severity"] != "notice"]
    for finding in shown:
        out.write(finding_line(finding) + "\n")
    hidden = len(record["findings"]) - len(shown)
    if hidden:
        out.write(f"  （另有 {hidden} 条提示，加 -v 查看）\n")


def _register(record: dict, out, verbose: bool) -> None:
    """A department register: its verdict and conditions, then its findings, like a session's."""
    out.write(_t(register_heading(record)) + "\n")
    if not record["valid"]:
        out.write("  结论：名册文件无效，请先改正以下错误\n")
    else:
        out.write(f"  结论：{record['decision_label']}    {conditions_summary(record)}\n")
    _findings(record, out, verbose)
    if verbose and record["valid"]:
        for c in record["conditions"]:
            out.write(f"    {c['rule']:<34} {c['status_label']}  {c['title']}\n")
    out.write("\n")


def _filing(record: dict, out, verbose: bool) -> None:
    out.write(f"{_t(record['path'])}  {_t(record['name'])}（{_t(record['type'] or '类型未填')} · "
              f"{_t(record['category'] or '类别未填')} · {_t(record['state'] or '状态未填')}）\n")
    if not record["valid"]:
        out.write("  结论：备案文件无效，请先改正以下错误\n")
    elif record.get("policy") == "conditions":
        _conditions(record, out)
    else:
        out.write(f"  结论：{record['decision_label']}    总得分 {_points(record['score'])}/{record['max_score']}"
                  f"（基础 {_points(record['base_score'])} + 优先项目加分 {_points(record['bonus'])}），合格线 {record['threshold']}"
                  f"，评分表 {record['sheet']}\n")
        if record["vetoes"]:
            out.write("  否决项：" + "；".join(f"{v['title']}（{v['rule']}）" for v in record["vetoes"]) + "\n")
        if record["pending"]:  # after a failed veto, points still open change nothing: not offered
            gain = "（已有否决项）" if record["vetoes"] else f"，最多还可得 {_points(record['pending_points'])} 分"
            out.write(f"  待专家判定 {len(record['pending'])} 项{gain}："
                      + "、".join(p["title"] + ("（评审后资料有变动）" if p.get("stale") else "") for p in record["pending"]) + "\n")
    for c in record.get("commitments") or []:
        state = f"已逾期（期限 {c['due']}）" if c.get("overdue") else f"期限 {c['due']}"
        out.write(f"  承诺事项：{_t(c['what'])}尚未完成，承诺{_t(c['content'])}（{state}；承诺人：{_t(c['signer'])}；"
                  f"{c['condition']}）\n")
    _findings(record, out, verbose)
    if verbose and record["criteria"] and record.get("policy") == "conditions":
        out.write("  逐项审核条件：\n")
        for c in record["conditions"]:
            out.write(f"    {c['rule']:<34} {c['status_label']}  {c['title']}\n")
    elif verbose and record["criteria"]:
        out.write("  逐项得分：\n")
        for c in record["criteria"]:
            points = "否决项" if c["veto"] else f"{_points(c['awarded'])}/{c['max']}"
            out.write(f"    {c['id']:<34} {points:>8}  {c['status_label']}  {c['title']}\n")
    if record.get("provisional"):
        out.write(f"  {record['provisional']['label']}\n")
    out.write(todo_text(record.get("todo") or []))
    _sessions(record, out, verbose)
    out.write("\n")


def piece(record: dict, verbose: bool = False) -> tuple:
    """One record's text and counts, made where the record is (a worker process): the parent only writes."""
    out = io.StringIO()
    (_register if record.get("kind") == "register" else _filing)(record, out, verbose)
    return out.getvalue(), tally_items(record)


class Writer:
    """Writes each record's text as it comes (department registers come first: the CLI judges them first),
    then the run's counts."""

    def __init__(self, out, verbose: bool = False):
        self.out, self.tally = out, Tally()

    def add(self, made: tuple) -> None:
        text, items = made
        self.out.write(text)
        self.tally.add(items)

    def close(self) -> None:
        tally, out = self.tally, self.out
        if tally.institutions or not tally.registers:
            decisions = tally.decisions
            out.write(f"共 {tally.institutions} 个机构：{decisions.get('eligible', 0)} 个具备备案条件，"
                      f"{decisions.get('pending_review', 0)} 个待专家判定，{decisions.get('ineligible', 0)} 个不具备，"
                      f"{tally.institutions - tally.valid} 个文件无效。\n")
        for line in (tally.sessions_summary(), tally.supervision_summary(), tally.registers_summary()):
            if line:
                out.write(line + "。\n")


@renderer("text")
def render(records, out, verbose: bool = False) -> None:
    write_all(Writer(out, verbose), piece, registers_first(records), verbose)
