"""`--format github`: GitHub Actions workflow commands, one annotation per finding on its YAML line.

Findings of the filings and of their sessions (认定计划) are annotated alike. GitHub shows only the
first 10 annotations of a step, so findings are ordered by importance (errors, then warnings of
vetoes and of a session's unmet conditions, then warnings by the points their criterion lost, then
notices) and only the first ANNOTATION_LIMIT become annotations; the rest are
printed to the log and, when $GITHUB_STEP_SUMMARY is set, listed in the job summary.
"""
from __future__ import annotations

import os
import secrets

from . import renderer
from .markdown import md
from .text import finding_line
from ..escaping import terminal_text
from ..findings import SEVERITIES, SEVERITY_LABELS
from ..record_words import (conditions_summary, existing_words, session_heading, session_verdict, split_records,
                            supervision_heading, supervision_result,
                            subjects)

ANNOTATION_LIMIT = 10
COMMANDS = {"error": "error", "warning": "warning", "notice": "notice"}


def escape_data(text) -> str:
    """Escape a workflow command's message (after `::`)."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal_text(text)  # the Actions log obeys colour codes; a filing's must show, not act


def escape_property(text) -> str:
    """Escape a workflow command property value (file=, title=)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def ranked_findings(records) -> list[tuple[str, dict]]:
    """(label, finding) pairs over the filings and their sessions (label names the filing or session),
    most important first; stable within equal rank."""
    ranked = []
    for order, (record, label) in enumerate(subjects(records)):
        lost = {c["id"]: (c["max"] - c["awarded"]) for c in record["criteria"] if not c["veto"] and not c["bonus"]}
        vetoes = {v["rule"] for v in record["vetoes"]}
        if record.get("kind") in ("session", "record"):  # an unmet condition fails it as a veto fails a filing
            vetoes |= {c["rule"] for c in record["conditions"] if c["status"] == "unmet"}
        for index, finding in enumerate(record["findings"]):
            severity = SEVERITIES.index(finding["severity"])
            key = (severity, 0 if finding["rule"] in vetoes else 1, -lost.get(finding["rule"], 0), order, index)
            ranked.append((key, label, finding))
    ranked.sort(key=lambda item: item[0])
    return [(label, finding) for _, label, finding in ranked]


def _titles(records) -> dict[str, str]:
    titles = {}
    for record, _ in subjects(records):
        for c in record["criteria"]:
            titles.setdefault(c["id"], c["title"])
    return titles


def annotation(label: str, finding: dict, titles: dict[str, str]) -> str:
    properties = []
    if finding.get("file"):
        properties.append(f"file={escape_property(finding['file'])}")
        if finding.get("line"):
            properties.append(f"line={int(finding['line'])}")
            if finding.get("column"):
                properties.append(f"col={int(finding['column'])}")
    title = f"{label}：{titles.get(finding['rule'], finding['rule'])}（{finding['rule']}）"
    properties.append(f"title={escape_property(title)}")
    message = finding["message"] + (f"\n提示：{finding['hint']}" if finding.get("hint") else "")
    return f"::{COMMANDS[finding['severity']]} {','.join(properties)}::{escape_data(message)}"


def _session_line(session: dict) -> str:
    # the plan's title is free text: escape sequences shown as codes, like every filing text in the log
    line = f"  认定计划 {terminal_text(session_heading(session))}：{session_verdict(session)}"
    if session["valid"]:
        line += "，" + conditions_summary(session)
    return line


def _status_line(record: dict) -> str:
    if record.get("kind") == "session":
        return _session_line(record)
    if record.get("kind") == "record":
        return (f"    督导记录 {terminal_text(supervision_heading(record))}：{supervision_result(record)}；"
                f"{session_verdict(record)}")
    if record.get("kind") == "register":
        verdict = record["decision_label"] + "，" + conditions_summary(record) if record["valid"] else "名册文件无效，无法审核"
        return f"{record['path']}：{verdict}"
    if not record["valid"]:
        return f"{record['path']}：备案文件无效，无法评分"
    if record.get("policy") == "conditions":  # no points to show: the verdict and the earlier score
        return f"{record['path']}：{record['decision_label']}，{conditions_summary(record)}；{existing_words(record)}"
    line = (f"{record['path']}：{record['decision_label']}，总得分 {record['score']:g}/{record['max_score']}"
            f"（基础 {record['base_score']:g} + 优先项目 {record['bonus']:g}），合格线 {record['threshold']}")
    if record["vetoes"]:
        line += "；否决项：" + "、".join(v["title"] for v in record["vetoes"])
    if record["pending"] and not record["vetoes"]:  # after a failed veto, points still open change nothing
        line += f"；待专家判定 {len(record['pending'])} 项（最多 {record['pending_points']:g} 分）"
    return line


def summary_of_rest(rest: list[tuple[dict, dict]]) -> str:
    lines = [f"### 未在代码行上标注的问题（{len(rest)} 条）", "",
             f"GitHub 每个步骤只显示前 {ANNOTATION_LIMIT} 条标注，其余的列在这里。", "",
             "| 机构 | 级别 | 位置 | 规则 | 说明 |", "|---|---|---|---|---|"]
    for label, f in rest:
        where = md(f["file"]) + (f":{f['line']}" if f.get("line") else "")
        message = md(f["message"]) + (f"<br>提示：{md(f['hint'])}" if f.get("hint") else "")
        lines.append(f"| {md(label)} | {SEVERITY_LABELS[f['severity']]} | {where} "
                     f"| `{md(f['rule'])}` | {message} |")
    return "\n".join(lines) + "\n\n"


def _plain(text: str) -> str:
    """One log line: filing text must not start a line of its own, where the runner would read it as a command."""
    return " ".join(str(text).splitlines())


@renderer("github")
def render(records, out, verbose: bool = False) -> None:
    # Plain log lines carry text from the filings; with commands stopped, none of it can act as one.
    token = secrets.token_hex(16)
    out.write(f"::stop-commands::{token}\n")
    for record, _ in subjects(records):
        out.write(_plain(_status_line(record)) + "\n")
    out.write(f"::{token}::\n")
    ranked = ranked_findings(records)
    titles = _titles(records)
    annotated, rest = ranked[:ANNOTATION_LIMIT], ranked[ANNOTATION_LIMIT:]
    for label, finding in annotated:
        out.write(annotation(label, finding, titles) + "\n")
    if rest:
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(summary_of_rest(rest))
        out.write(f"另有 {len(rest)} 条未标注在代码行上（GitHub 每个步骤只显示前 {ANNOTATION_LIMIT} 条），见作业摘要：\n")
        out.write(f"::stop-commands::{token}\n")
        for _, finding in rest:
            out.write("\n".join(_plain(line) for line in finding_line(finding).split("\n", 1)) + "\n")
        out.write(f"::{token}::\n")
    institutions, registers = split_records(records)
    sessions = sum(len(r.get("sessions") or []) for r in institutions)
    parts = ([f"{len(institutions)} 个机构"] if institutions or not registers else []) \
        + ([f"{sessions} 个认定计划"] if sessions else []) + ([f"{len(registers)} 个督导员名册"] if registers else [])
    counted = "、".join(parts)
    out.write(f"共 {counted}，{len(ranked)} 条问题与提示，其中 {len(annotated)} 条已标注。\n")
