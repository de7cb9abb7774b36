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

from . import renderer, write_all
from .markdown import md
from .text import finding_line
from ..escaping import terminal_text
from ..findings import SEVERITIES, SEVERITY_LABELS
from ..record_words import (conditions_summary, existing_words, session_heading, session_verdict, subjects,
                            supervision_heading, supervision_result)

ANNOTATION_LIMIT = 10
COMMANDS = {"error": "error", "warning": "warning", "notice": "notice"}


def escape_data(text) -> str:
    """Escape a workflow command's message (after `::`)."""
    text = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal_text(text)  # the Actions log obeys colour codes; a filing's must show, not act


def escape_property(text) -> str:
    """Escape a workflow command property value (file=, title=)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _rank_items(record: dict, label: str) -> list[tuple[tuple, dict]]:
    """(rank, finding) of one subject's findings: severity, then 0 for a veto's (or an unmet condition's) finding,
    then minus the points its criterion lost; equal ranks keep their order in the run."""
    lost = {c["id"]: (c["max"] - c["awarded"]) for c in record["criteria"] if not c["veto"] and not c["bonus"]}
    vetoes = {v["rule"] for v in record["vetoes"]}
    if record.get("kind") in ("session", "record"):  # an unmet condition fails it as a veto fails a filing
        vetoes |= {c["rule"] for c in record["conditions"] if c["status"] == "unmet"}
    return [((SEVERITIES.index(f["severity"]), 0 if f["rule"] in vetoes else 1, -lost.get(f["rule"], 0)), f)
            for f in record["findings"]]


def ranked_findings(records) -> list[tuple[str, dict]]:
    """(label, finding) pairs over the filings and their sessions (label names the filing or session),
    most important first; stable within equal rank."""
    ranked = [(rank, label, finding) for record, label in subjects(records)
              for rank, finding in _rank_items(record, label)]
    ranked.sort(key=lambda item: item[0])  # stable: equal ranks keep the run's order
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


SUMMARY_HEAD = ("### 未在代码行上标注的问题（{count} 条）\n\nGitHub 每个步骤只显示前 {limit} 条标注，其余的列在这里。\n\n"
                "| 机构 | 级别 | 位置 | 规则 | 说明 |\n|---|---|---|---|---|\n")


def summary_row(label: str, f: dict) -> str:
    where = md(f["file"]) + (f":{f['line']}" if f.get("line") else "")
    message = md(f["message"]) + (f"<br>提示：{md(f['hint'])}" if f.get("hint") else "")
    return f"| {md(label)} | {SEVERITY_LABELS[f['severity']]} | {where} | `{md(f['rule'])}` | {message} |\n"


def summary_of_rest(rest: list[tuple[str, dict]]) -> str:
    return (SUMMARY_HEAD.format(count=len(rest), limit=ANNOTATION_LIMIT)
            + "".join(summary_row(label, f) for label, f in rest) + "\n")


def _plain(text: str) -> str:
    """One log line: filing text must not start a line of its own, where the runner would read it as a command."""
    return " ".join(str(text).splitlines())


def piece(record: dict, verbose: bool = False) -> tuple:
    """(its status lines, its findings with their rank and label, its criteria titles, its counts)."""
    lines, ranked, titles = [], [], {}
    for subject, label in subjects([record]):
        lines.append(_plain(_status_line(subject)) + "\n")
        ranked += [(rank, label, finding) for rank, finding in _rank_items(subject, label)]
        for c in subject["criteria"]:
            titles.setdefault(c["id"], c["title"])
    sessions = len(record.get("sessions") or ()) if record.get("kind") != "register" else 0
    return "".join(lines), ranked, titles, record.get("kind") == "register", sessions


class Writer:
    """Status lines are written as records come; findings wait on disk in one temporary file per rank (within
    a rank they arrive in the run's order), so the first ANNOTATION_LIMIT of the whole run are known at the end
    without holding every finding in memory. Department registers (a few) are taken last, as they were listed."""

    def __init__(self, out, verbose: bool = False):
        # Plain log lines carry text from the filings; with commands stopped, none of it can act as one.
        self.out, self.token = out, secrets.token_hex(16)
        self.buckets: dict[tuple, object] = {}
        self.titles: dict[str, str] = {}
        self.held: list[tuple] = []
        self.institutions = self.registers = self.sessions = self.findings = 0
        out.write(f"::stop-commands::{self.token}\n")

    def add(self, made: tuple, last: bool = False) -> None:
        import marshal
        import tempfile

        lines, ranked, titles, register, sessions = made
        if register and not last:
            self.held.append(made)
            return
        self.out.write(lines)
        self.registers += register
        self.institutions += not register
        self.sessions += sessions
        for key, title in titles.items():
            self.titles.setdefault(key, title)
        for rank, label, finding in ranked:
            if rank not in self.buckets:
                self.buckets[rank] = tempfile.TemporaryFile()
            marshal.dump((label, finding), self.buckets[rank])
            self.findings += 1

    def _ranked(self):
        import marshal

        for rank in sorted(self.buckets):
            bucket = self.buckets[rank]
            bucket.seek(0)
            while True:
                try:
                    yield marshal.load(bucket)
                except EOFError:
                    break

    def close(self) -> None:
        for made in self.held:
            self.add(made, last=True)
        out, token = self.out, self.token
        out.write(f"::{token}::\n")
        annotated = 0
        for label, finding in self._ranked():
            if annotated == ANNOTATION_LIMIT:
                break
            out.write(annotation(label, finding, self.titles) + "\n")
            annotated += 1
        rest = self.findings - annotated
        if rest:
            summary = os.environ.get("GITHUB_STEP_SUMMARY")
            if summary:
                with open(summary, "a", encoding="utf-8") as handle:
                    handle.write(SUMMARY_HEAD.format(count=rest, limit=ANNOTATION_LIMIT))
                    for n, (label, finding) in enumerate(self._ranked()):
                        if n >= annotated:
                            handle.write(summary_row(label, finding))
                    handle.write("\n")
            out.write(f"另有 {rest} 条未标注在代码行上（GitHub 每个步骤只显示前 {ANNOTATION_LIMIT} 条），见作业摘要：\n")
            out.write(f"::stop-commands::{token}\n")
            for n, (_, finding) in enumerate(self._ranked()):
                if n >= annotated:
                    out.write("\n".join(_plain(line) for line in finding_line(finding).split("\n", 1)) + "\n")
            out.write(f"::{token}::\n")
        for bucket in self.buckets.values():
            bucket.close()
        parts = ([f"{self.institutions} 个机构"] if self.institutions or not self.registers else []) \
            + ([f"{self.sessions} 个认定计划"] if self.sessions else []) \
            + ([f"{self.registers} 个督导员名册"] if self.registers else [])
        out.write(f"共 {'、'.join(parts)}，{self.findings} 条问题与提示，其中 {annotated} 条已标注。\n")


@renderer("github")
def render(records, out, verbose: bool = False) -> None:
    write_all(Writer(out, verbose), piece, records, verbose)
