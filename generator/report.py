"""Results as plain records: the one serialisation every output format starts from."""
from __future__ import annotations

from .commitments import commitments_of
from .decision import decision_label, policy_of
from .engine import STALE_LABEL, FilingResult, evaluation_date
from .personal import mask_text
from .scoring import STATUS_LABELS
from .todo import todo_items
from .record_words import (conditions_summary, existing_words, session_heading, session_verdict,  # noqa: F401
                           sessions_summary, subjects)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def criterion_record(result) -> dict:
    criterion = result.criterion
    maximum = criterion.points if criterion.is_bonus else criterion.max
    return {
        "id": criterion.id,
        "section": criterion.section,
        "group": criterion.group,
        "title": criterion.title,
        "mode": criterion.mode,
        "veto": criterion.is_veto,
        "bonus": criterion.is_bonus,
        "awarded": _number(result.awarded),
        "max": maximum,
        "potential": _number(result.potential),
        "status": result.status,
        # A stale decision leaves the criterion pending; its label says why, in every format.
        "status_label": STALE_LABEL if result.stale else STATUS_LABELS[result.status],
        "stale": bool(result.stale),
        "decided_by": "reviewer" if result.decision else "check",
        "reason": mask_text(result.reason),
        "review": ({k: mask_text(result.decision.get(k)) for k in ("points", "outcome", "reason", "reviewer", "date")
                    if k in result.decision}
                   if result.decision else None),
        "stale_review": ({k: mask_text(result.stale.get(k)) for k in ("points", "outcome", "reviewer", "date")
                          if k in result.stale}
                         if result.stale else None),
        "locations": sorted({f"{f.file}:{f.line}" if f.line else f.file for f in result.findings if f.file}),
    }


def _existing(filing) -> tuple:
    """(score, date) of the record's earlier evaluation (its 初次备案), as the filing recorded it."""
    existing = filing.get("profile", "application", "existing_evaluation")
    existing = existing if isinstance(existing, dict) else {}
    score = existing.get("score")
    score = _number(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None
    date = existing.get("date")
    return score, (str(date) if date else None)


def condition_record(result) -> dict:
    criterion = result.criterion
    if result.stale:
        label = STALE_LABEL
    elif result.decision:
        label = f"{result.decision.get('outcome')}（人工判定）"
    else:
        label = STATUS_LABELS[result.status]
    return {"rule": criterion.id, "title": criterion.title, "status": result.status, "status_label": label,
            "met": result.status in ("met", "reviewed"), "stale": bool(result.stale), "reason": mask_text(result.reason)}


def filing_record(result: FilingResult) -> dict:
    filing = result.filing
    if filing.kind.id == "session":
        return session_record(result)
    if filing.kind.id == "register":
        return register_record(result)
    if filing.kind.id == "supervision":
        return supervision_record(result)
    policy = policy_of(result.sheet)
    # A conditions result (增量备案审核) has no score of its own: null, never a fresh 100-point total.
    scored = (lambda value: value) if policy.scored else (lambda value: None)
    existing_score, existing_date = _existing(filing)
    return {
        "kind": "filing",
        # what the filing wrote is shown with any personal number masked (findings mask themselves)
        "institution": mask_text(filing.slug),
        "path": mask_text(filing.display_root),
        "name": mask_text(filing.name),
        "type": filing.get("profile", "institution", "type"),
        "city": filing.get("profile", "institution", "city"),
        "category": filing.get("profile", "application", "category"),
        "state": filing.get("profile", "status", "state"),
        "filing_number": filing.get("profile", "status", "filing_number"),
        "valid_until": filing.get("profile", "status", "valid_until"),
        "sheet": result.sheet.id if result.sheet else filing.get("profile", "sheet"),
        "valid": result.valid,
        "policy": policy.name,
        "score": scored(_number(result.score)),
        "base_score": scored(_number(result.base_score)),
        "bonus": scored(_number(result.bonus)),
        "max_score": scored(result.max_score),
        "pending_points": scored(_number(result.pending_points)),
        "threshold": scored(result.threshold),
        "decision": result.decision,
        "decision_label": decision_label(result.sheet, result.decision) if result.valid else "备案文件无效，无法评分",
        "decision_title": result.sheet.decision_title if result.sheet and not policy.scored else None,
        "conditions": [condition_record(c) for c in result.criteria if c.criterion.is_condition],
        "existing_score": existing_score,
        "existing_date": existing_date,
        # promises standing in for what the filing does not have yet: shown in every format, not only as a notice
        "commitments": [{k: _masked(v) for k, v in c.items()}
                        for c in commitments_of(filing, result.today or evaluation_date(), with_name=True)],
        "vetoes": _vetoes(result),
        "pending": [{"rule": c.criterion.id, "title": c.criterion.title, "potential": _number(c.potential),
                     "stale": bool(c.stale)} for c in result.pending],
        "criteria": [criterion_record(c) for c in result.criteria],
        "findings": [f.as_dict() for f in result.findings],
        # An invalid filing: what the rest would score once its errors are fixed; never the decision.
        "provisional_score": _number(result.provisional.score) if result.provisional and policy.scored else None,
        "provisional": provisional_record(result) if result.provisional else None,
        "todo": [{k: _masked(v) for k, v in item.items()} for item in todo_items(result)],
    }


def _scores(result: FilingResult) -> dict:
    return {"score": _number(result.score), "base_score": _number(result.base_score), "bonus": _number(result.bonus),
            "pending_points": _number(result.pending_points)}


def _vetoes(result: FilingResult) -> list[dict]:
    return [{"rule": c.criterion.id, "title": c.criterion.title, "message": mask_text(c.reason)} for c in result.vetoes]


def _masked(value):
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return mask_text(value) if isinstance(value, str) else value


def provisional_record(result: FilingResult) -> dict:
    """What the rest of an invalid filing would score (engine._provisional); not a decision."""
    scored = result.provisional
    if policy_of(scored.sheet).scored:
        label = f"暂估得分 {_number(scored.score)}（改正上述错误后才是正式评分）"
    else:  # a conditions result (增量备案审核) has a verdict, never a score
        label = f"暂估结论：{decision_label(scored.sheet, scored.decision)}（改正上述错误后才是正式结论）"
    return {
        **(_scores(scored) if policy_of(scored.sheet).scored else {}),
        "label": label,
        "vetoes": _vetoes(scored),
        "unscored": [{"rule": c.id, "title": c.title, "max": c.max, "files": [mask_text(f) for f in result.unscored[c.id]]}
                     for c in scored.sheet.criteria if c.id in result.unscored],
    }


def _text(value) -> str | None:
    return mask_text(str(value)) if value not in (None, "") else None


def _exam_days(session) -> list[str]:
    """The session's exam days, from its modules' dates (ISO strings, sorted, each once)."""
    days = {str(module.get("date")) for occupation in session.items("plan", "occupations") if isinstance(occupation, dict)
            for module in occupation.get("modules") or [] if isinstance(module, dict) and module.get("date")}
    return sorted(days)


def session_record(result: FilingResult) -> dict:
    """One assessment session (认定计划) as a plain record: what the plan says, then its judgment in
    the same keys as a filing's (valid, decision, conditions, findings), so every format shows both."""
    session = result.filing
    days = _exam_days(session)
    today = (result.today or evaluation_date()).isoformat()
    occupations = [{"code": _text(o.get("code")), "name": _text(o.get("name")), "work_type": _text(o.get("work_type")),
                    "level": o.get("level"), "candidates": o.get("candidates")}
                   for o in session.items("plan", "occupations") if isinstance(o, dict)]
    outcome = session.section("outcome") if "outcome" in session.docs else None
    return {
        "kind": "session",
        "institution": mask_text(session.root.parent.parent.name),
        "plan_number": mask_text(session.name),
        "path": mask_text(session.display_root),
        "name": mask_text(session.name),
        "title": _text(session.get("plan", "title")),
        "method": _text(session.get("plan", "method")),
        "submitted": _text(session.get("plan", "submitted")),
        "days": days,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "upcoming": bool(days) and days[-1] >= today,
        "venues": [_text(v.get("name")) for v in session.items("plan", "venues") if isinstance(v, dict)],
        "occupations": occupations,
        "candidates": sum(o["candidates"] for o in occupations if isinstance(o["candidates"], int)
                          and not isinstance(o["candidates"], bool)),
        "outcome": ({"examined": sum(_count(r, "examined") for r in outcome.get("results") or [] if isinstance(r, dict)),
                     "passed": sum(_count(r, "passed") for r in outcome.get("results") or [] if isinstance(r, dict)),
                     "issued": _text(outcome.get("issued"))} if outcome is not None else None),
        **_conditions_judgment(result, "认定计划文件无效，无法审核"),
    }


def _conditions_judgment(result: FilingResult, invalid_label: str) -> dict:
    """A conditions-policy result (a session, a register) in the keys every format reads."""
    policy = policy_of(result.sheet)
    return {
        "sheet": result.sheet.id if result.sheet else None,
        "valid": result.valid,
        "policy": policy.name,
        "decision": result.decision,
        "decision_label": decision_label(result.sheet, result.decision) if result.valid else invalid_label,
        "decision_title": result.sheet.decision_title if result.sheet else None,
        "conditions": [condition_record(c) for c in result.criteria if c.criterion.is_condition],
        "criteria": [criterion_record(c) for c in result.criteria],
        "pending": [{"rule": c.criterion.id, "title": c.criterion.title, "potential": 0, "stale": bool(c.stale)}
                    for c in result.pending],
        "vetoes": [],
        "findings": [f.as_dict() for f in result.findings],
        "provisional": provisional_record(result) if result.provisional else None,
    }


def _count(row: dict, key: str) -> int:
    value = row.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0




def register_record(result: FilingResult) -> dict:
    """A department's supervision register (department/<jurisdiction>/) as a plain record: who it holds,
    its dispatches, and its judgment in the keys every format reads (valid, decision, conditions, findings).
    Department-only data: the public portal never reads these records."""
    from .supervision.load import register_of

    folder = result.filing
    register = register_of(folder)
    today = result.today or evaluation_date()
    jurisdiction = _jurisdiction_name(folder.slug)
    return {
        "kind": "register",
        "institution": mask_text(folder.display_root),
        "path": mask_text(folder.display_root),
        "name": f"{jurisdiction}质量督导员名册",
        "jurisdiction": folder.slug,
        "department": _text(register.department),
        "visibility": register.visibility,
        "supervisors": len(register.supervisors),
        "in_term": sum(1 for s in register.supervisors if s.in_term(today) and s.status == "在聘"),
        "visits": len(register.visits),
        "type": None, "category": None, "state": None,
        **_conditions_judgment(result, "名册文件无效，无法审核"),
        "sessions": [],
    }


def _jurisdiction_name(jurisdiction_id: str) -> str:
    from .jurisdiction import JurisdictionError, load_jurisdiction

    try:
        return load_jurisdiction(jurisdiction_id).name
    except JurisdictionError:
        return jurisdiction_id


def supervision_record(result: FilingResult) -> dict:
    """One supervision record (sessions/<plan>/supervision/<form>-<card>.yaml) as a plain record: which form, whose
    card, when; what the form makes of its answers (form_result); and the record's own judgment in the keys every
    format reads. Department-only unless marked 公开: the public portal shows only the result and the date of those."""
    from .decision import judged_form

    record = result.filing
    judged = result.form or judged_form(record)
    form = judged.form if judged else None
    return {
        "kind": "record",
        "institution": mask_text(record.root.parent.parent.parent.name),
        "plan_number": mask_text(record.root.parent.name),
        "path": mask_text(record.file_of("record")),
        "name": mask_text(record.slug),
        "form": _text(record.get("record", "form")),
        "form_title": form.short_title if form else None,
        "card": _text(record.get("record", "card")),
        "date": _text(record.get("record", "date")),
        "signed": _text(record.get("record", "signed")),
        "visibility": _text(record.get("record", "visibility")) or "部门内部",
        "form_result": form_result_record(judged) if judged else None,
        **_conditions_judgment(result, "督导记录文件无效，无法审核"),
    }


def form_result_record(judged) -> dict:
    """What a filled form says (generator/forms/answers.py FormResult), in plain values every output can show."""
    form = judged.form
    return {
        "judging": form.judging,
        "summary": judged.summary,
        "score": judged.score,
        "known_max": judged.known_max if form.scored else None,
        "max_score": form.max_score or None,
        "missing_points": form.missing_points or None,
        "total_words": form.total_words if form.scored else None,
        "counts": judged.counts(),
        "ratings": {s.title: judged.ratings[s.id] for s in form.sections if s.id in judged.ratings},
        "vetoes": [{"id": v.id, "text": v.text} for v in judged.vetoes],
        "anomalies": [{"id": a.id, "text": a.text} for a in judged.anomalies],
        "terminated": judged.terminated,
        "outcomes": [label for _, _, label, _ in judged.outcomes],
        "unanswered": [item.number or item.id for item in judged.unanswered],
        "problems": [{"item": a.item.number or a.item.id, "text": a.item.text, "answer": a.answer,
                      "level": a.level, "remark": mask_text(a.remark) if a.remark else None} for a in judged.problems],
        "numbering_faults": list(form.numbering_faults),
    }
