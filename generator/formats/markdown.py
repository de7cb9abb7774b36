"""`--format markdown`: a report for a PR comment or $GITHUB_STEP_SUMMARY.

Each institution's section ends with its sessions (认定计划): a table of verdicts, then the problems
of each session that has any, with file and line.

Every string that came from a filing is escaped: it may contain Markdown or HTML.
"""
from __future__ import annotations

import io

from . import registers_first, renderer, write_all
from ..escaping import markdown_text
from ..findings import SEVERITY_LABELS
from ..record_words import (Tally, conditions_summary, existing_words, register_heading, session_heading, session_verdict,
                            supervision_heading, supervision_result, tally_items, todo_lines)

DECISION_ICONS = {"eligible": "✅", "pending_review": "⏳", "ineligible": "❌"}


def md(text) -> str:
    """Escape filing text for a Markdown table cell or line."""
    return markdown_text(str(text if text is not None else ""))


def _points(value) -> str:
    return f"{value:g}"


def _pending(r: dict) -> str:
    return "–" if r["vetoes"] else _points(r["pending_points"])


def _row(r: dict) -> str:
    if r["valid"] and r.get("policy") == "conditions":  # no points: the verdict and the earlier score
        return (f"| {md(r['name'])} | {DECISION_ICONS[r['decision']]} {r['decision_label']} | "
                f"– （{existing_words(r)}） | – | – | – |\n")
    if r["valid"]:
        return (f"| {md(r['name'])} | {DECISION_ICONS[r['decision']]} {r['decision_label']} | "
                f"{_points(r['score'])}/{r['max_score']} | {_points(r['bonus'])} | {_pending(r)} | "
                f"{md('、'.join(v['title'] for v in r['vetoes'])) or '无'} |\n")
    return f"| {md(r['name'])} | ⛔ 文件无效 | – | – | – | – |\n"


def _register(r: dict, out) -> None:
    verdict = f"{DECISION_ICONS[r['decision']]} {r['decision_label']}" if r["valid"] else "⛔ 名册文件无效"
    out.write(f"### {md(register_heading(r))}：{verdict}\n\n")
    problems = [f for f in r["findings"] if f["severity"] != "notice"]
    if problems:
        _findings(problems, out, ("error", "warning"))
        out.write("\n")


def piece(record: dict, verbose: bool = False) -> tuple:
    """(its table row, its section, its counts); a register has no row."""
    out = io.StringIO()
    if record.get("kind") == "register":
        _register(record, out)
        return None, out.getvalue(), tally_items(record)
    _filing(record, out)
    _sessions(record, out)
    return _row(record), out.getvalue(), tally_items(record)


TABLE = "| 机构 | 结论 | 总得分 | 加分 | 待判定 | 否决项 |\n|---|---|---:|---:|---:|---|\n"


class Writer:
    """The table of institutions is written row by row as records come; each institution's section, which
    comes after the table and the counts, waits in a temporary file (on disk once it is large), not in memory."""

    def __init__(self, out, verbose: bool = False):
        import tempfile

        self.out, self.tally = out, Tally()
        self.sections = tempfile.SpooledTemporaryFile(max_size=1 << 22, mode="w+", encoding="utf-8")
        self.registers: list[str] = []
        out.write("# 备案技术评估报告\n\n")

    def add(self, made: tuple) -> None:
        row, section, items = made
        self.tally.add(items)
        if row is None:
            self.registers.append(section)
            return
        if self.tally.institutions == 1:
            self.out.write(TABLE)
        self.out.write(row)
        self.sections.write(section)

    def close(self) -> None:
        out, tally = self.out, self.tally
        if tally.institutions or not tally.registers:  # only department registers: no institutions table
            if not tally.institutions:
                out.write(TABLE)
            out.write("\n")
            sessions = tally.sessions_summary()
            if sessions:
                out.write(f"{sessions}（各机构之下逐个列出）。\n\n")
            supervision = tally.supervision_summary()
            if supervision:
                out.write(f"{supervision}（部门内部资料，各认定计划之下逐份列出）。\n\n")
            self.sections.seek(0)
            while block := self.sections.read(1 << 20):
                out.write(block)
        self.sections.close()
        if self.registers:
            out.write(f"## 质量督导员名册与委派（部门内部）\n\n{tally.registers_summary()}。\n\n")
            out.write("".join(self.registers))


@renderer("markdown")
def render(records, out, verbose: bool = False) -> None:
    write_all(Writer(out, verbose), piece, registers_first(records), verbose)


def _verdict_icon(session: dict) -> str:
    return DECISION_ICONS[session["decision"]] if session["valid"] else "⛔"


def _sessions(r: dict, out) -> None:
    """The institution's sessions: one table row each, then each session's problems with file and line."""
    sessions = r.get("sessions") or []
    if not sessions:
        return
    out.write(f"### 认定计划（{len(sessions)} 个）\n\n| 计划编号 | 名称 | 认定日期 | 结论 | 不符合或待判定的条件 |\n"
              "|---|---|---|---|---|\n")
    for s in sessions:
        days = s.get("days") or []
        when = days[0] if len(days) == 1 else (f"{days[0]} 至 {days[-1]}" if days else "–")
        open_conditions = [f"{md(c['title'])}（{c['status_label']}）" for c in s["conditions"]
                           if c["status"] in ("unmet", "pending")]
        out.write(f"| {md(s['plan_number'])} | {md(s.get('title') or '')} | {when} | {_verdict_icon(s)} {session_verdict(s)} "
                  f"| {'<br>'.join(open_conditions) or '—'} |\n")
    out.write("\n")
    for s in sessions:
        problems = [f for f in s["findings"] if f["severity"] != "notice"]
        if problems:
            out.write(f"#### {_verdict_icon(s)} 认定计划 {md(session_heading(s))}：{session_verdict(s)}\n\n")
            _findings(problems, out, ("error", "warning"))
            out.write("\n")
    _records(sessions, out)


def _records(sessions: list[dict], out) -> None:
    """The sessions' supervision records: one row each with the form's result and the record's verdict, then
    each record's problems with file and line."""
    records = [(s, r) for s in sessions for r in s.get("records") or []]
    if not records:
        return
    out.write(f"### 督导记录（{len(records)} 份，部门内部资料）\n\n| 认定计划 | 记录 | 督导结果 | 记录审核 | 不符合的条件 |\n"
              "|---|---|---|---|---|\n")
    for s, r in records:
        unmet = [md(c["title"]) for c in r["conditions"] if c["status"] in ("unmet", "pending")]
        out.write(f"| {md(s['plan_number'])} | {md(supervision_heading(r))} | {md(supervision_result(r))} | "
                  f"{_verdict_icon(r)} {session_verdict(r)} | {'<br>'.join(unmet) or '—'} |\n")
    out.write("\n")
    for _, r in records:
        problems = [f for f in r["findings"] if f["severity"] != "notice"]
        if problems:
            out.write(f"#### {_verdict_icon(r)} 督导记录 {md(supervision_heading(r))}：{session_verdict(r)}\n\n")
            _findings(problems, out, ("error", "warning"))
            out.write("\n")


def _filing(r: dict, out) -> None:
    out.write(f"## {md(r['name'])}\n\n")
    out.write(f"{md(r['path'])} · {md(r['type'])} · {md(r['category'])} · {md(r['state'])} · 评分表 `{md(r['sheet'])}`\n\n")
    if not r["valid"]:
        out.write("**备案文件无效，无法评分。** 请先改正以下错误：\n\n")
        _findings(r["findings"], out, ("error", "warning"))
        if r.get("provisional"):
            out.write(f"\n{md(r['provisional']['label'])}\n")
        out.write("\n")
        _todo(r.get("todo") or [], out)
        return
    if r.get("policy") == "conditions":
        _conditions(r, out)
        return
    out.write(f"**结论：{DECISION_ICONS[r['decision']]} {r['decision_label']}**　总得分 **{_points(r['score'])}** / {r['max_score']}"
              f"（基础 {_points(r['base_score'])} + 优先项目 {_points(r['bonus'])}），合格线 {r['threshold']}。")
    if r["pending"] and not r["vetoes"]:  # after a failed veto, points still open change nothing
        out.write(f" 待专家判定的条目最多还可得 {_points(r['pending_points'])} 分。")
    out.write("\n\n")
    if r["vetoes"]:
        out.write("### 否决项\n\n")
        for v in r["vetoes"]:
            out.write(f"- ❌ **{md(v['title'])}**（`{v['rule']}`）：{md(v['message'])}\n")
        out.write("\n")
    sections: dict[str, list] = {}
    for c in r["criteria"]:
        sections.setdefault(c["section"], []).append(c)
    for section, rows in sections.items():
        scored = [c for c in rows if not c["veto"]]
        total = sum(c["awarded"] for c in scored)
        maximum = sum(c["max"] for c in scored)
        heading = f"### {md(section)}" + (f"（{_points(total)}/{maximum}）" if scored else "")
        out.write(heading + "\n\n| 条目 | 得分 | 状态 | 说明 |\n|---|---:|---|---|\n")
        for c in rows:
            points = "否决项" if c["veto"] else f"{_points(c['awarded'])}/{c['max']}"
            reason = md(c["reason"])
            if c["review"]:
                reason = f"专家 {md(c['review'].get('reviewer'))}（{md(c['review'].get('date'))}）：{reason}"
            out.write(f"| {md(c['title'])} `{c['id']}` | {points} | {c['status_label']} | {reason} |\n")
        out.write("\n")
    if r["pending"]:
        out.write("### 待专家判定\n\n")
        for p in r["pending"]:
            stale = "评审后资料有变动，需重新判定" if p.get("stale") else ""
            gain = "" if r["vetoes"] else f"最多 {_points(p['potential'])} 分"
            note = "，".join(part for part in (gain, stale) if part)
            out.write(f"- `{p['rule']}` {md(p['title'])}{f'（{note}）' if note else ''}\n")
        out.write("\n")
    _problems(r, out)


def _conditions(r: dict, out) -> None:
    """A conditions result (增量备案审核): the verdict, each condition, the earlier score; no points."""
    out.write(f"**结论：{DECISION_ICONS[r['decision']]} {r['decision_label']}**　{conditions_summary(r)}。"
              f"{existing_words(r)}；本次不按百分制评分。\n\n")
    out.write("| 条件 | 结论 | 说明 |\n|---|---|---|\n")
    for c in r["conditions"]:
        criterion = next((x for x in r["criteria"] if x["id"] == c["rule"]), {})
        reason = md(c["reason"])
        if criterion.get("review"):
            reason = f"{md(criterion['review'].get('reviewer'))}（{md(criterion['review'].get('date'))}）：{reason}"
        out.write(f"| {md(c['title'])} `{c['rule']}` | {c['status_label']} | {reason} |\n")
    out.write("\n")
    _problems(r, out)


def _problems(r: dict, out) -> None:
    problems = [f for f in r["findings"] if f["severity"] != "notice"]
    if problems:
        out.write("<details><summary>问题清单（" + str(len(problems)) + " 条）</summary>\n\n")
        _findings(problems, out, ("error", "warning"))
        out.write("\n</details>\n\n")
    _todo(r.get("todo") or [], out)


def _todo(items: list[dict], out) -> None:
    """The to-do list (generator/todo.py), as in the text report."""
    if not items:
        return
    actions, others = todo_lines(items, md)
    out.write("### 待办（先改错误和否决项，再按可得分数从高到低）\n\n")
    out.write("".join(f"{n}. {line}\n" for n, line in enumerate(actions, start=1)))
    out.write("".join(f"- {line}\n" for line in others) + "\n")


def _findings(findings, out, severities) -> None:
    out.write("| 级别 | 位置 | 规则 | 说明 |\n|---|---|---|---|\n")
    for f in findings:
        if f["severity"] not in severities:
            continue
        where = md(f["file"]) + (f":{f['line']}" if f.get("line") else "")
        message = md(f["message"]) + (f"<br>提示：{md(f['hint'])}" if f.get("hint") else "")
        out.write(f"| {SEVERITY_LABELS[f['severity']]} | {where} | `{f['rule']}` | {message} |\n")
