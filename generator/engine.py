"""The engine: runs a sheet's checks on a filing, applies reviewers' decisions, decides.

It knows nothing about any particular rule. Criteria come from rules/sheets/,
validity rules from rules/validation.yaml, check functions from the registry.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .clock import evaluation_date  # noqa: F401  (re-exported: callers import it from here)
from .categories import rule_set_for
from .context import CheckContext
from .checks import DEFICIENCY, NOTE, REVIEW, Observation, registry
from .decision import decide
from .filing import Filing, Ref
from .findings import Finding
from .jurisdiction import jurisdiction_of
from .paths import rules_file
from .reference import Reference, shared_reference
from .review_entries import is_unfilled
from .review_trust import STALE_LABEL, check_inputs, decision_summary, trust_problem
from .reviewers import Register, register as reviewers_register
from .scoring import Outcome, effect_text, score
from .sheet import Criterion, Sheet, get_sheet
from .yamlload import load_yaml_file_cached


@dataclass(frozen=True)
class ValidityRule:
    id: str
    title: str
    severity: str
    stage: str
    description: str
    fix: str
    check: str | None = None
    effect: str | None = None  # what a finding does, when not the default of its severity
    params: dict | None = None  # passed to the check with today and validity_years (run_validity)
    applies_to: tuple = ("filing",)  # the kinds of folder it judges (rules/kinds.yaml)


@lru_cache(maxsize=None)
def validity_rules() -> tuple[ValidityRule, ...]:
    path = rules_file("validation.yaml")
    document = load_yaml_file_cached(path)
    return tuple(ValidityRule(**{k: tuple(v) if k == "applies_to" else v for k, v in raw.items()})
                 for raw in document.data["rules"])


@dataclass
class CriterionResult:
    criterion: Criterion
    status: str
    awarded: float
    potential: float
    findings: list[Finding] = field(default_factory=list)
    decision: dict | None = None
    machine: Outcome | None = None
    observations: tuple = ()
    # A decision set aside because the criterion's inputs changed after it was made (review_trust.py).
    stale: dict | None = None

    @property
    def reason(self) -> str:
        if self.decision:
            return str(self.decision.get("reason", ""))
        if self.stale:
            return f"{STALE_LABEL}（原评审：{decision_summary(self.stale)}）"
        relevant = [f.message for f in self.findings if f.severity != "notice"] or [f.message for f in self.findings]
        return "；".join(relevant[:3])


@dataclass
class FilingResult:
    filing: Filing
    sheet: Sheet | None
    valid: bool
    criteria: list[CriterionResult]
    findings: list[Finding]
    base_score: float = 0
    bonus: float = 0
    score: float = 0
    pending_points: float = 0
    decision: str = "ineligible"
    # An invalid filing only: what the rest of it would score once its errors are fixed (never the
    # decision), and the criteria left unscored because their check reads a file that failed to load.
    provisional: FilingResult | None = None
    unscored: dict[str, tuple[str, ...]] = field(default_factory=dict)
    today: dt.date | None = None  # the evaluation date it was judged on (a commitment's overdue follows it)
    form: object | None = None  # a supervision record's form judged from its answers (decision.py, policy form)

    @property
    def threshold(self) -> int:
        return self.sheet.threshold if self.sheet else 0

    @property
    def max_score(self) -> int:
        return self.sheet.max_score if self.sheet else 0

    @property
    def vetoes(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.status == "vetoed"]

    @property
    def pending(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.status == "pending"]


def _finding(filing: Filing, rule: str, severity: str, observation: Observation, suffix: str = "") -> Finding:
    ref = observation.at or Ref(filing.kind.files[0].key)
    return Finding(rule, severity, observation.message + suffix, filing.file_of(ref.doc), filing.line_of(ref), None,
                   observation.hint)


def run_validity(context: CheckContext, sheet: Sheet | None) -> list[Finding]:
    """Every validity rule's findings. A check receives a CheckContext whose params are the rule's own
    `params` from rules/validation.yaml (which fields, which patterns: data, not code) and `validity_years`."""
    findings: list[Finding] = []
    checks = registry()
    filing = context.subject
    params = {"validity_years": sheet.validity_years if sheet else 3}
    for rule in validity_rules():
        if not rule.check or filing.kind.id not in rule.applies_to:
            continue
        for observation in checks[rule.check](context.with_params({**params, **rule.params} if rule.params else params)):
            if observation.kind == DEFICIENCY:
                findings.append(_finding(filing, rule.id, rule.severity, observation))
    return findings


def _criterion_findings(filing: Filing, criterion: Criterion, observations, status: str) -> list[Finding]:
    findings = []
    effect = effect_text(criterion)
    for observation in observations:
        if observation.kind == DEFICIENCY:
            severity = "error" if criterion.is_veto else "warning"
            suffix = f"（{effect}）" if effect else ""
            findings.append(_finding(filing, criterion.id, severity, observation, suffix))
        elif observation.kind == REVIEW and status == "pending":
            findings.append(_finding(filing, criterion.id, "notice", observation, "（待专家判定）"))
        elif observation.kind == NOTE:
            findings.append(_finding(filing, criterion.id, "notice", observation))
    return findings


def _review_decisions(filing: Filing, sheet: Sheet, today: dt.date,
                      register: Register) -> tuple[dict[str, tuple[int, dict]], list[Finding]]:
    decisions: dict[str, tuple[int, dict]] = {}
    findings: list[Finding] = []
    seen: set = set()
    file = filing.file_of("reviews")
    unfilled = []
    for index, decision in enumerate(filing.items("reviews", "decisions")):
        if not isinstance(decision, dict):
            continue
        line = filing.line_of(Ref("reviews", ("decisions", index)))
        if is_unfilled(decision):
            unfilled.append(line)
            continue
        criterion_id = decision.get("criterion")
        criterion = sheet.criterion(criterion_id)
        if criterion is None:
            import difflib

            guess = difflib.get_close_matches(str(criterion_id), [c.id for c in sheet.criteria], n=1)
            findings.append(Finding("review-invalid", "error", f"评审意见中的条目 `{criterion_id}` 不在评分表 {sheet.id} 中。",
                                    file, line, None, f"是不是想写 `{guess[0]}`？" if guess else "用 `beian rules` 查看条目编号。"))
            continue
        if criterion_id in seen:
            findings.append(Finding("review-invalid", "error", f"条目 `{criterion_id}` 有两条评审意见，只能保留一条。", file, line))
            continue
        seen.add(criterion_id)
        problem = _decision_problem(criterion, decision)
        if problem:
            findings.append(Finding("review-invalid", "error", problem, file, line))
            continue
        refused = trust_problem(filing, sheet, criterion, index, decision, today, register)
        if refused:
            findings.append(refused)  # an error, but only this decision is void: the filing stays valid
            continue
        decisions[criterion_id] = (index, decision)
    if unfilled:
        findings.append(Finding("review-blank", "notice",
                                f"reviews.yaml 中还有 {len(unfilled)} 条评审意见未填写（得分或结论、理由、评审人、日期都空着），"
                                "这些条目仍待专家判定。", file, unfilled[0], None,
                                "专家评审后逐条填写；暂不评审的条目可以留空或删除。"))
    return decisions, findings


def _decision_problem(criterion: Criterion, decision: dict) -> str | None:
    if criterion.outcomes:
        if decision.get("outcome") not in criterion.outcomes:
            kind = "否决项" if criterion.is_veto else "条件"
            return f"{kind} `{criterion.id}` 的评审意见须写 outcome: {' 或 '.join(criterion.outcomes)}。"
        return None
    points = decision.get("points")
    if points is None:
        return f"条目 `{criterion.id}` 的评审意见须写得分 points。"
    if criterion.is_bonus:
        if points not in (0, criterion.points):
            return f"优先项目 `{criterion.id}` 只能得 0 或 {criterion.points} 分，评审意见写的是 {points}。"
        return None
    if not 0 <= points <= criterion.max:
        return f"条目 `{criterion.id}` 满分 {criterion.max} 分，评审意见写的是 {points} 分。"
    allowed = _possible_points(criterion)
    if allowed is not None and points not in allowed:
        options = "、".join(f"{p:g}" for p in sorted(allowed))
        return f"条目 `{criterion.id}` 的计分方式是“{criterion.mode_label}”，可能的得分只有 {options}，评审意见写的是 {points:g}。"
    if criterion.mode == "discretion" and (points * 2) != int(points * 2):
        return f"条目 `{criterion.id}` 酌情给分以 0.5 分为最小单位，评审意见写的是 {points:g}。"
    return None


def _possible_points(criterion: Criterion) -> set | None:
    """The points a criterion's scoring mode can produce; None when any value is possible."""
    if criterion.mode == "all_or_nothing":
        return {0, criterion.max}
    if criterion.mode == "deduction":
        return {max(0, criterion.max - criterion.per * k) for k in range(criterion.max // criterion.per + 2)}
    if criterion.mode == "per_item":
        return {min(criterion.max, criterion.per * k) for k in range(criterion.max // criterion.per + 2)}
    return None


def _apply_decision(filing: Filing, result: CriterionResult, index: int, decision: dict) -> list[Finding]:
    criterion, machine = result.criterion, result.machine
    findings = []
    line = filing.line_of(Ref("reviews", ("decisions", index)))
    if criterion.outcomes:
        failed = decision["outcome"] == criterion.outcomes[1]
        result.status = ("vetoed" if criterion.is_veto else "unmet") if failed else "reviewed"
        result.awarded = result.potential = 0
        overridden = machine.status in ("met", "vetoed", "unmet") and (machine.status != "met") != failed
    else:
        points = decision["points"]
        result.status, result.awarded, result.potential = "reviewed", points, points
        overridden = (machine.status != "pending" and points != machine.awarded) or \
                     (machine.status == "pending" and points > machine.potential)
    result.decision = decision
    if overridden:
        findings.append(Finding(
            "review-override", "warning",
            f"`{criterion.id}`（{criterion.title}）：评审意见改变了程序判定"
            f"（程序：{machine.awarded if not criterion.outcomes else machine.status}，上限 {machine.potential}），"
            f"理由：{decision.get('reason')}", filing.file_of("reviews"), line))
    return findings


def _criterion_result(filing: Filing, criterion: Criterion, observations: tuple, decisions: dict,
                      findings: list[Finding]) -> CriterionResult:
    """Score one criterion from its observations and apply its reviewer's decision; findings go to FINDINGS."""
    outcome = score(criterion, observations)
    result = CriterionResult(criterion, outcome.status, outcome.awarded, outcome.potential, [], None, outcome,
                             observations)
    if criterion.id in decisions:
        findings.extend(check_inputs(filing, result, *decisions[criterion.id]))
        if not result.stale:
            findings.extend(_apply_decision(filing, result, *decisions[criterion.id]))
    result.findings = _criterion_findings(filing, criterion, observations, result.status)
    findings.extend(result.findings)
    return result


def _rule_set(filing: Filing, findings: list[Finding]) -> Sheet | None:
    """The rule set that judges the folder: its kind's (a session), else by the filing's 备案类别 (data)."""
    if filing.kind.rule_set:
        return get_sheet(filing.kind.rule_set)
    sheet_id = filing.get("profile", "sheet")
    rule_set, unfit = rule_set_for(sheet_id, filing.get("profile", "application", "category"))  # by 备案类别, as data
    sheet = get_sheet(rule_set) if rule_set else None
    if "profile" in filing.docs and sheet is None and sheet_id is not None:
        findings.append(Finding("sheet-unknown", "error", unfit or f"评分表 `{sheet_id}` 不存在。",
                                filing.file_of("profile"), filing.line_of(Ref("profile", ("sheet",))), None,
                                "用 `beian rules` 查看可用的评分表编号。"))
    return sheet


def _jurisdiction(filing: Filing):
    """The jurisdiction whose facts apply: a register's is its folder's name (department/<id>/), None when no
    such jurisdiction exists (register-identity says so); an institution's, the one its rule sheet names."""
    if filing.kind.id == "register":
        from .jurisdiction import JurisdictionError, load_jurisdiction

        try:
            return load_jurisdiction(filing.slug)
        except JurisdictionError:
            return None
    return jurisdiction_of(filing)


def evaluate(filing: Filing, reference: Reference | None = None, today: dt.date | None = None,
             parent: Filing | None = None, siblings: tuple = (), session: Filing | None = None) -> FilingResult:
    """Judge one folder (FILING: an institution's filing, or a session with its institution's filing as
    PARENT and the institution's other sessions as SIBLINGS, or a supervision record with its SESSION too)
    by its rule set and decision policy."""
    reference = reference or shared_reference()
    today = today or evaluation_date()
    findings = list(filing.load_findings)
    sheet = _rule_set(filing, findings)
    context = CheckContext(subject=filing, filing=parent or filing, reference=reference, params={}, today=today,
                           jurisdiction=_jurisdiction(parent or filing), siblings=siblings, session=session)
    if filing.texts:
        findings.extend(run_validity(context, sheet))
    findings = _dedupe(findings)
    valid = not any(f.severity == "error" for f in findings)
    if not valid or sheet is None:
        result = FilingResult(filing, sheet, False, [], sorted(findings, key=Finding.sort_key), today=today)
        judged_by = sheet or _sheet_named_in_text(filing)
        if judged_by is not None:
            _provisional(result, context, judged_by)
        return result

    decisions, review_findings = _review_decisions(filing, sheet, today, reviewers_register())
    findings.extend(review_findings)
    results, _ = _score_criteria(context, sheet, decisions, findings)
    result = FilingResult(filing, sheet, not any(f.severity == "error" and f.rule == "review-invalid" for f in findings),
                          results, sorted(_dedupe(findings), key=Finding.sort_key), today=today)
    decide(result)  # the rule set's decision policy (decision.py)
    return result


def _score_criteria(context: CheckContext, sheet: Sheet, decisions: dict,
                    findings: list[Finding], unusable: set | None = None):
    """(criterion results, {criterion id: files it could not be scored for}).

    With `unusable` (the parts of an invalid filing that failed to load or were rejected, see
    _provisional), each check's reads are recorded: a criterion that reads such a part, or whose check
    fails on data a valid filing cannot have, is left unscored and reports nothing."""
    checks, results, unscored = registry(), [], {}
    filing = context.subject
    shared = filing.derived
    for criterion in sheet.criteria:
        rule_context = context.with_params(criterion.params)
        if unusable is None:
            observations = tuple(checks[criterion.check](rule_context))
        else:
            # a check's own cached values are computed afresh so that their reads are recorded too;
            # the digests of review decisions (computed after) share one cache again
            filing.reads, filing.derived = set(), {}
            try:
                observations = tuple(checks[criterion.check](rule_context))
            except Exception:  # noqa: BLE001 - data a valid filing cannot have (the errors say which)
                observations = None
            reads, filing.reads, filing.derived = filing.reads, None, shared
            touched = {doc for doc, path in reads for bad, bad_path in unusable
                       if doc == bad and path[:len(bad_path)] == bad_path[:len(path)]}
            if observations is None or touched:
                unscored[criterion.id] = tuple(filing.file_of(doc) for doc in sorted(touched or {d for d, _ in reads}))
                continue
        results.append(_criterion_result(filing, criterion, observations, decisions, findings))
    return results, unscored


_SHEET_LINE = re.compile(r"^sheet:[ \t]*['\"]?([A-Za-z0-9_.-]+)", re.M)
_CATEGORY_LINE = re.compile(r"^[ \t]+category:[ \t]*['\"]?([^'\"\s#]+)", re.M)


def _sheet_named_in_text(filing: Filing) -> Sheet | None:
    """The rule set a profile.yaml that did not load still names in its text (`sheet:` and `category:`
    lines), so that a typo in profile.yaml does not hide the score of the other files; None if unreadable."""
    if "profile" in filing.docs:
        return None  # it loaded: its sheet is known, or rightly reported as unknown
    text = filing.texts.get("profile") or ""
    sheet_line, category_line = _SHEET_LINE.search(text), _CATEGORY_LINE.search(text)
    if sheet_line is None:
        return None
    rule_set, _ = rule_set_for(sheet_line.group(1), category_line.group(1) if category_line else None)
    return get_sheet(rule_set) if rule_set else None


def _provisional(result: FilingResult, context: CheckContext, sheet: Sheet | None = None) -> None:
    """Score the rest of an invalid filing, so one run shows everything: the score is provisional
    (result.provisional), the decision stays invalid, and the criteria's findings join the errors.

    The criteria are scored as usual, except those whose check reads a file that failed to load,
    or a value the schema rejected as of the wrong type, or that fails on such data: these are not
    scored (result.unscored) and report nothing, for what they would say is an artefact of the error
    (“未聘任任何考评员” for a personnel.yaml that did not parse)."""
    filing, sheet, today = result.filing, sheet or result.sheet, context.today
    # a file is unusable when it is absent and its absence is an error (file-missing), or failed to load
    unusable = {(key, ()) for key in filing.files if key not in filing.docs
                and any(f.file == filing.file_of(key) for f in filing.load_findings)} | filing.rejected
    rest = replace(filing, load_findings=[], derived={})
    if filing.kind.id != "filing" or "profile" in filing.docs:
        decisions, findings = _review_decisions(rest, sheet, today, reviewers_register())
    else:  # whose region a reviewer may judge, and since when, is in profile.yaml: decisions wait for it
        decisions, findings = {}, []
    criteria, result.unscored = _score_criteria(replace(context, subject=rest, filing=context.filing if context.filing
                                                        is not filing else rest), sheet, decisions, findings, unusable)
    # judged as if the errors were fixed: the verdict of the rest, never the decision (result stays invalid)
    scored = FilingResult(rest, sheet, True, criteria, findings, today=today)
    decide(scored)
    result.provisional = scored
    result.findings = sorted(_dedupe(result.findings + findings), key=Finding.sort_key)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, unique = set(), []
    for finding in findings:
        key = (finding.rule, finding.file, finding.line, finding.message)
        if key in seen:
            continue
        seen.add(key)
        unique.append(finding)
    return unique


def evaluate_sessions(filing: Filing, project_root: Path, reference: Reference | None = None,
                      today: dt.date | None = None) -> list[FilingResult]:
    """Every session of the institution (its sessions/ folders), each judged with the institution's
    filing as parent and the other sessions as siblings (certificate ranges run across sessions)."""
    from .filing import load_session, session_folders

    sessions = [load_session(folder, project_root) for folder in session_folders(filing.root)]
    return [evaluate(session, reference, today, parent=filing,
                     siblings=tuple(other for other in sessions if other is not session))
            for session in sessions]


def evaluate_records(session: Filing, filing: Filing, project_root: Path, reference: Reference | None = None,
                     today: dt.date | None = None) -> list[FilingResult]:
    """Every supervision record of a session (its supervision/ files), each judged with the session, the
    institution's filing and the session's other records (a supervisor's record asks for the institution's
    feedback form about him)."""
    from .filing import load_record, record_files

    records = [load_record(path, project_root) for path in record_files(session.root)]
    return [evaluate(record, reference, today, parent=filing, session=session,
                     siblings=tuple(other for other in records if other is not record))
            for record in records]


def evaluate_path(root: Path, project_root: Path, reference: Reference | None = None,
                  today: dt.date | None = None, substitute: dict[str, str | None] | None = None) -> FilingResult:
    from .filing import load_filing

    return evaluate(load_filing(root, project_root, substitute), reference, today)
