"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Results cover the filings and their sessions (认定计划); rule metadata comes from the sheets the
filings and sessions use (henan-2022, henan-2022-session) and rules/validation.yaml; each rule's help
link points at its page on the portal: `<BEIAN_PORTAL_URL>/rules/<sheet-id>/<rule-id>/`
(validity rules under `rules/validity/`).
"""
from __future__ import annotations

import hashlib
import json

from ..findings import finding_key
from ..paths import published_portal_url
from ..record_words import fails, subjects
from . import renderer, write_all

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# Used when neither BEIAN_PORTAL_URL nor site/mkdocs.yml's site_url says where the portal is published.
DEFAULT_PORTAL_URL = "https://beian.github.io/beian"
INFORMATION_URI = "https://github.com/beian/beian"
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}
VALIDITY_PAGE = "validity"
# GitHub code scanning's limits ("SARIF support for code scanning", docs.github.com; the table under
# "SARIF results exceed one or more limits"): a run may hold at most 25,000 results and only the top 5,000,
# prioritized by severity, are kept and shown; an upload must be at most 10 MB once gzip-compressed. We keep
# at most 5,000 ourselves, in a fixed order, so what GitHub shows is what we chose, and say how many were left.
MAX_RESULTS = 5_000
SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}
# partialFingerprints key: versioned, so a change in how it is computed can take a new name.
FINGERPRINT = "beianFinding/v1"


def portal_url() -> str:
    return (published_portal_url() or DEFAULT_PORTAL_URL).rstrip("/")


def rule_help_uri(group: str, rule_id: str) -> str:
    return f"{portal_url()}/rules/{group}/{rule_id}/"


def _criterion_rule(sheet, c) -> dict:
    points = "否决项" if c.is_veto else (f"优先项目 +{c.points} 分" if c.is_bonus else
                                     "条件，不计分" if c.is_condition else f"{c.max} 分")
    level = "error" if c.is_veto else ("note" if c.is_bonus or c.needs_judgment else "warning")
    text = f"{c.content}：{c.standard}" if c.content else c.standard
    return {
        "id": c.id,
        "name": c.id.title().replace("-", ""),
        "shortDescription": {"text": f"{c.title}（{points}）"},
        "fullDescription": {"text": " ".join(str(text).split())},
        "help": {"text": f"{c.section} / {c.group}：{c.title}。计分方式：{c.mode_label}。评估方式：{c.method}。"
                         f"详见 {rule_help_uri(sheet.id, c.id)}"},
        "helpUri": rule_help_uri(sheet.id, c.id),
        "defaultConfiguration": {"level": level},
        "properties": {"sheet": sheet.id, "section": c.section, "group": c.group, "mode": c.mode,
                       "tags": ["beian", sheet.id] + (["veto"] if c.is_veto else []) + (["bonus"] if c.is_bonus else [])},
    }


def _validity_rule(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.id.title().replace("-", ""),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": " ".join(str(rule.description or rule.title).split())},
        "help": {"text": " ".join(str(rule.fix or rule.title).split())},
        "helpUri": rule_help_uri(VALIDITY_PAGE, rule.id),
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "error")},
        "properties": {"tags": ["beian", "validity"]},
    }


def rule_descriptors(records) -> list[dict]:
    """Every rule of the sheets the records use, the validity rules, and any other rule a finding names."""
    used: dict = {}
    named: dict[str, str] = {}
    for record, _ in subjects(records):
        used.setdefault(record.get("sheet"))
        for f in record["findings"]:
            named.setdefault(f["rule"], f["severity"])
    return _descriptors(list(used), named)


def _descriptors(used_sheets: list, named: dict[str, str]) -> list[dict]:
    """USED_SHEETS: the sheet ids the subjects name, in order of use; NAMED: rule → severity of the first
    finding naming it."""
    from ..engine import validity_rules
    from ..sheet import all_sheets

    sheets = all_sheets()
    # the filings' sheets and their sessions' rule sets (henan-2022-session), each once, in order of use
    used = [s for s in used_sheets if s in sheets] or list(sheets)[:1]
    rules: dict[str, dict] = {}
    for sheet_id in used:
        sheet = sheets[sheet_id]
        for c in sheet.criteria:
            rules.setdefault(c.id, _criterion_rule(sheet, c))
    for rule in validity_rules():
        rules.setdefault(rule.id, _validity_rule(rule))
    for rule_id, severity in named.items():
        rules.setdefault(rule_id, {"id": rule_id, "shortDescription": {"text": rule_id},
                                   "defaultConfiguration": {"level": LEVELS[severity]}})
    return list(rules.values())


def needs_action(subject: dict, finding: dict) -> bool:
    """A finding someone has to act on: an error (a file that cannot be judged, a veto) anywhere, and every problem
    of a filing, session, supervision record or register that fails the check: its warnings are why it fails.
    Notices (awaiting the experts, information) and the lost points of a subject that still passes or awaits
    judgment are counted in the run's summary instead of listed one by one."""
    return finding["severity"] == "error" or (finding["severity"] == "warning" and fails(subject))


def _location(record: dict, finding: dict) -> str | None:
    # Code scanning wants a location for every result; a finding about the whole filing points at its
    # profile, one about a whole session at its plan.
    main_file = "plan.yaml" if record.get("kind") == "session" else "profile.yaml"
    return finding.get("file") or (f"{record['path']}/{main_file}" if record.get("path") else None)


def fingerprint(uri: str | None, finding: dict, occurrence: int) -> str:
    """The same problem keeps its alert when lines above it are added or removed: rule, file and message (what
    the problem is and where), never the line; OCCURRENCE tells apart identical messages in one file."""
    rule, _, message = finding_key(finding)
    key = "\0".join((rule, uri or "", message, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(record: dict, finding: dict, index: dict[str, int], occurrence: int) -> dict:
    message = finding["message"] + (f"\n提示：{finding['hint']}" if finding.get("hint") else "")
    uri = _location(record, finding)
    result = {
        "ruleId": finding["rule"],
        "ruleIndex": index[finding["rule"]],
        "level": LEVELS[finding["severity"]],
        "message": {"text": message},
        "partialFingerprints": {FINGERPRINT: fingerprint(uri, finding, occurrence)},
        "properties": {"institution": record.get("institution"), "severity": finding["severity"]},
    }
    if record.get("kind") == "session":
        result["properties"]["session"] = record["plan_number"]
    if uri:
        region = {}
        if finding.get("line"):
            region["startLine"] = int(finding["line"])
            if finding.get("column"):
                region["startColumn"] = int(finding["column"])
        location = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def _order(item: tuple[dict, dict]) -> tuple:
    """Most serious first, then by place: which results are kept under the cap never depends on input order."""
    record, finding = item
    return (SEVERITY_ORDER[finding["severity"]], _location(record, finding) or "", finding.get("line") or 0,
            finding["rule"], finding["message"])


def select_results(records, index: dict[str, int], limit: int = MAX_RESULTS) -> tuple[list[dict], dict]:
    """(results, summary): one result per finding that needs action, at most LIMIT of them, the rest counted."""
    selection = _Selection(limit)
    for record in records:
        selection.add(_wanted(record))
    return selection.results(index)


def _lite(record: dict) -> dict:
    """What a result needs of its subject (_result, _location)."""
    return {key: record.get(key) for key in ("kind", "path", "institution", "plan_number")}


def _wanted(record: dict) -> tuple[list, dict[str, int]]:
    """(the findings of the record and its sessions and supervision records that need action, each as
    (order, subject, finding); the others counted by rule)."""
    wanted, informational = [], {}
    for subject, _ in subjects([record]):
        lite = None
        for finding in subject["findings"]:
            if needs_action(subject, finding):
                lite = lite or _lite(subject)
                wanted.append((_order((lite, finding)), lite, finding))
            else:
                informational[finding["rule"]] = informational.get(finding["rule"], 0) + 1
    return wanted, informational


class _Selection:
    """The LIMIT most serious findings of a run that streams past, in _order (then run order): the kept ones
    are re-sorted and cut whenever twice LIMIT wait, so memory stays bounded. Every wanted finding's identity
    (location, rule, file, message) is remembered as a short digest with its order, because a result's
    fingerprint counts the identical findings sorted before it over all wanted findings, kept or not."""

    def __init__(self, limit: int):
        self.limit, self.kept, self.seq = limit, [], 0
        self.seen: dict[bytes, list[tuple]] = {}
        self.informational: dict[str, int] = {}

    def add(self, made: tuple[list, dict[str, int]]) -> None:
        wanted, informational = made
        for order, lite, finding in wanted:
            self.seq += 1
            key = (_location(lite, finding),) + finding_key(finding)
            identity = hashlib.sha256(repr(key).encode("utf-8", "surrogateescape")).digest()[:16]
            self.seen.setdefault(identity, []).append((order, self.seq))
            self.kept.append((order, self.seq, identity, lite, finding))
            if len(self.kept) >= 2 * max(self.limit, 1):
                self._cut()
        for rule, n in informational.items():
            self.informational[rule] = self.informational.get(rule, 0) + n

    def _cut(self) -> None:
        self.kept.sort(key=lambda item: item[:2])
        del self.kept[self.limit:]

    def results(self, index: dict[str, int]) -> tuple[list[dict], dict]:
        self._cut()
        results = []
        for order, seq, identity, lite, finding in self.kept:
            # Occurrences are counted over every wanted finding, so the cap never changes a fingerprint.
            occurrence = sum(1 for other in self.seen[identity] if other <= (order, seq))
            results.append(_result(lite, finding, index, occurrence))
        needs = self.seq
        summary = {"needs_action": needs, "results": len(results), "over_limit": needs - len(results),
                   "limit": self.limit, "not_listed": sum(self.informational.values()),
                   "not_listed_by_rule": dict(sorted(self.informational.items()))}
        return results, summary


def _notifications(summary: dict) -> list[dict]:
    """What the results leave out, said where code scanning shows a tool's messages."""
    notes = []
    if summary["over_limit"]:
        notes.append({"level": "warning", "message": {"text": (
            f"需要处理的问题共 {summary['needs_action']} 条，超过 GitHub 代码扫描的展示上限，只列出最严重的 "
            f"{summary['results']} 条（先错误后警告，同级按文件和行号排序），另有 {summary['over_limit']} 条未列出；"
            "全部问题见 `beian check` 的报告。")}})
    if summary["not_listed"]:
        notes.append({"level": "note", "message": {"text": (
            f"另有 {summary['not_listed']} 条提示或不影响结论的扣分项未列为结果（按规则计数见 run.properties.summary）。")}})
    return notes


def _commitment_text(c: dict) -> str:
    return f"{c['what']}：{c['content']}（{c['due']} 前完成；{c['condition']}）"


def _filing_summary(r: dict) -> dict:
    entry = {"institution": r["institution"], "valid": r["valid"], "decision": r["decision"],
             "policy": r.get("policy"), "score": r["score"], "threshold": r["threshold"]}
    if r.get("commitments"):  # open promises with a deadline: kept with the filing, not as alerts
        entry["commitments"] = [_commitment_text(c) for c in r["commitments"]]
    return entry


def piece(record: dict, verbose: bool = False) -> tuple:
    """What the log needs of one record: its summary entries, the sheets and rules it names, its findings
    that need action (with their order), the others counted."""
    sheets, named = {}, {}
    for subject, _ in subjects([record]):
        sheets.setdefault(subject.get("sheet"))
        for f in subject["findings"]:
            named.setdefault(f["rule"], f["severity"])
    if record.get("kind") == "register":
        entry = {"path": record["path"], "jurisdiction": record["jurisdiction"], "valid": record["valid"],
                 "decision": record["decision"], "decision_label": record["decision_label"]}
        sessions = []
    else:
        entry = _filing_summary(record)
        sessions = [{"institution": record["institution"], "plan_number": s["plan_number"], "valid": s["valid"],
                     "decision": s["decision"], "decision_label": s["decision_label"]}
                    for s in record.get("sessions") or []]
    return record.get("kind") == "register", entry, sessions, list(sheets), named, _wanted(record)


class Writer:
    """SARIF puts the rules (which depend on every record) before the results, and GitHub keeps a fixed-order
    selection of them: the log is written at the end, from the kept results (at most the cap) and the
    run's summaries (a few small entries per institution); the records themselves are not held."""

    def __init__(self, out, verbose: bool = False, limit: int = MAX_RESULTS):
        self.out, self.verbose = out, verbose
        self.selection = _Selection(limit)
        self.filings, self.registers, self.sessions = [], [], []
        self.sheets: dict = {}
        self.named: dict[str, str] = {}
        self.held: list[tuple] = []

    def add(self, made: tuple, last: bool = False) -> None:
        register, entry, sessions, sheets, named, wanted = made
        if register and not last:  # department registers were listed after the institutions
            self.held.append(made)
            return
        (self.registers if register else self.filings).append(entry)
        self.sessions += sessions
        for sheet in sheets:
            self.sheets.setdefault(sheet)
        for rule, severity in named.items():
            self.named.setdefault(rule, severity)
        self.selection.add(wanted)

    def log(self) -> dict:
        for made in self.held:
            self.add(made, last=True)
        self.held = []
        rules = _descriptors(list(self.sheets), self.named)
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        results, summary = self.selection.results(index)
        return {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [{
                "tool": {"driver": {"name": "beian", "informationUri": INFORMATION_URI, "version": _version(),
                                    "language": "zh-CN", "rules": rules}},
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": _notifications(summary)}],
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "仓库根目录"}}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"summary": summary, "filings": self.filings, "registers": self.registers,
                               "sessions": self.sessions},
            }],
        }

    def close(self) -> None:
        self.out.write(json.dumps(self.log(), ensure_ascii=False, indent=2 if self.verbose else None))
        self.out.write("\n")


def sarif_log(records, limit: int = MAX_RESULTS) -> dict:
    writer = Writer(None, limit=limit)
    for record in records:
        writer.add(piece(record))
    return writer.log()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("beian")
    except Exception:  # not installed as a distribution (e.g. run from a source tree)
        return "0"


@renderer("sarif")
def render(records, out, verbose: bool = False) -> None:
    write_all(Writer(out, verbose), piece, records, verbose)
