"""`--format markdown`: a report for a PR comment or $GITHUB_STEP_SUMMARY.

Each institution's section ends with its sessions (认定计划): a table of verdicts, then the problems
of each session that has any, with file and line.

Every string that came from a filing is escaped: it may contain Markdown or HTML.
"""
from __future__ import annotations

from . import renderer
from ..escaping import markdown_text
from ..findings import SEVERITY_LABELS
from ..record_words import (conditions_summary, existing_words, session_heading, session_verdict, sessions_summary,
                            supervision_heading, supervision_result, supervision_summary)
from ..record_words import register_heading, registers_summary, split_records, todo_lines

DECISION_ICONS = {"eligible": "✅", "pending_review": "⏳", "ineligible": "❌"}


def md(text) -> str:
    """Escape filing text for a Markdown table cell or line."""
    return markdown_text(str(text if text is not None else ""))


def _points(value) -> str:
    return f"{value:g}"


def _pending(r: dict) -> str:
    return "–" if r["vetoes"] else _points(r["pending_points"])


@renderer("markdown")
def render(records, out, verbose: bool = False) -> None:
    records, registers = split_records(records)
    out.write("# 备案技术评估报告\n\n")
    if registers and not records:  # only department registers were judged: no institutions table to show
        _registers(registers, out)
        return
    out.write("| 机构 | 结论 | 总得分 | 加分 | 待判定 | 否决项 |\n|---|---|---:|---:|---:|---|\n")
    for r in records:
        if r["valid"] and r.get("policy") == "conditions":  # no points: the verdict and the earlier score
            out.write(f"| {md(r['name'])} | {DECISION_ICONS[r['decision']]} {r['decision_label']} | "
                      f"– （{existing_words(r)}） | – | – | – |\n")
        elif r["valid"]:
            out.write(f"| {md(r['name'])} | {DECISION_ICONS[r['decision']]} {r['decision_label']} | "
                      f"{_points(r['score'])}/{r['max_score']} | {_points(r['bonus'])} | {_pending(r)} | "
                      f"{md('、'.join(v['title'] for v in r['vetoes'])) or '无'} |\n")
        else:
            out.write(f"| {md(r['name'])} | ⛔ 文件无效 | – | – | – | – |\n")
    out.write("\n")
    sessions = sessions_summary(records)
    if sessions:
        out.write(f"{sessions}（各机构之下逐个列出）。\n\n")
    supervision = supervision_summary(records)
    if supervision:
        out.write(f"{supervision}（部门内部资料，各认定计划之下逐份列出）。\n\n")
    for r in records:
        _filing(r, out)
        _sessions(r, out)
    _registers(registers, out)


def _registers(registers: list[dict], out) -> None:
    """Department registers (部门内部资料): verdict, then problems with file and line."""
    if not registers:
        return
    out.write(f"## 质量督导员名册与委派（部门内部）\n\n{registers_summary(registers)}。\n\n")
    for r in registers:
        verdict = f"{DECISION_ICONS[r['decision']]} {r['decision_label']}" if r["valid"] else "⛔ 名册文件无效"
        out.write(f"### {md(register_heading(r))}：{verdict}\n\n")
        problems = [f for f in r["findings"] if f["severity"] != "notice"]
        if problems:
            _findings(problems, out, ("error", "warning"))
            out.write("\n")


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
