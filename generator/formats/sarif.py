"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Results cover the filings and their sessions (认定计划); rule metadata comes from the sheets the
filings and sessions use (henan-2022, henan-2022-session) and rules/validation.yaml; each rule's help
link points at its page on the portal: `<BEIAN_PORTAL_URL>/rules/<sheet-id>/<rule-id>/`
(validity rules under `rules/validity/`).
"""
from __future__ import annotations

import json

from ..paths import published_portal_url
from ..record_words import split_records, subjects
from . import renderer

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# Used when neither BEIAN_PORTAL_URL nor site/mkdocs.yml's site_url says where the portal is published.
DEFAULT_PORTAL_URL = "https://beian.github.io/beian"
INFORMATION_URI = "https://github.com/beian/beian"
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}
VALIDITY_PAGE = "validity"


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
    from ..engine import validity_rules
    from ..sheet import all_sheets

    sheets = all_sheets()
    # the filings' sheets and their sessions' rule sets (henan-2022-session), each once, in order of use
    used = [s for s in dict.fromkeys(r.get("sheet") for r, _ in subjects(records)) if s in sheets] or list(sheets)[:1]
    rules: dict[str, dict] = {}
    for sheet_id in used:
        sheet = sheets[sheet_id]
        for c in sheet.criteria:
            rules.setdefault(c.id, _criterion_rule(sheet, c))
    for rule in validity_rules():
        rules.setdefault(rule.id, _validity_rule(rule))
    for record, _ in subjects(records):
        for f in record["findings"]:
            rules.setdefault(f["rule"], {"id": f["rule"], "shortDescription": {"text": f["rule"]},
                                         "defaultConfiguration": {"level": LEVELS[f["severity"]]}})
    return list(rules.values())


def _result(record: dict, finding: dict, index: dict[str, int]) -> dict:
    message = finding["message"] + (f"\n提示：{finding['hint']}" if finding.get("hint") else "")
    result = {
        "ruleId": finding["rule"],
        "ruleIndex": index[finding["rule"]],
        "level": LEVELS[finding["severity"]],
        "message": {"text": message},
        "properties": {"institution": record["institution"], "severity": finding["severity"]},
    }
    session = record.get("kind") == "session"
    if session:
        result["properties"]["session"] = record["plan_number"]
    # Code scanning wants a location for every result; a finding about the whole filing points at its
    # profile, one about a whole session at its plan.
    main_file = "plan.yaml" if session else "profile.yaml"
    file = finding.get("file") or (f"{record['path']}/{main_file}" if record.get("path") else None)
    if file:
        region = {}
        if finding.get("line"):
            region["startLine"] = int(finding["line"])
            if finding.get("column"):
                region["startColumn"] = int(finding["column"])
        location = {"artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"}}
        if region:
            location["region"] = region
        result["locations"] = [{"physicalLocation": location}]
    return result


def sarif_log(records) -> dict:
    institutions, registers = split_records(records)
    rules = rule_descriptors(records)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_result(record, finding, index) for record, _ in subjects(records) for finding in record["findings"]]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "beian", "informationUri": INFORMATION_URI, "version": _version(),
                                "language": "zh-CN", "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "仓库根目录"}}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"filings": [{
                "institution": r["institution"], "valid": r["valid"], "decision": r["decision"],
                "policy": r.get("policy"), "score": r["score"], "threshold": r["threshold"]} for r in institutions],
                "registers": [{"path": r["path"], "jurisdiction": r["jurisdiction"], "valid": r["valid"],
                               "decision": r["decision"], "decision_label": r["decision_label"]} for r in registers],
                "sessions": [{"institution": r["institution"], "plan_number": s["plan_number"], "valid": s["valid"],
                              "decision": s["decision"], "decision_label": s["decision_label"]}
                             for r in institutions for s in r.get("sessions") or []]},
        }],
    }


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("beian")
    except Exception:  # not installed as a distribution (e.g. run from a source tree)
        return "0"


@renderer("sarif")
def render(records, out, verbose: bool = False) -> None:
    out.write(json.dumps(sarif_log(records), ensure_ascii=False, indent=2 if verbose else None))
    out.write("\n")
