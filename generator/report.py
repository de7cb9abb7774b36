"""Results as plain records: the one serialisation every output format starts from."""
from __future__ import annotations

from .engine import DECISION_LABELS, STALE_LABEL, FilingResult
from .personal import mask_text
from .scoring import STATUS_LABELS
from .todo import todo_items


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


def filing_record(result: FilingResult) -> dict:
    filing = result.filing
    return {
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
        **_scores(result),
        "max_score": result.max_score,
        "threshold": result.threshold,
        "decision": result.decision,
        "decision_label": DECISION_LABELS[result.decision] if result.valid else "备案文件无效，无法评分",
        "vetoes": _vetoes(result),
        "pending": [{"rule": c.criterion.id, "title": c.criterion.title, "potential": _number(c.potential),
                     "stale": bool(c.stale)} for c in result.pending],
        "criteria": [criterion_record(c) for c in result.criteria],
        "findings": [f.as_dict() for f in result.findings],
        # An invalid filing: what the rest would score once its errors are fixed; never the decision.
        "provisional_score": _number(result.provisional.score) if result.provisional else None,
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
    return {
        **_scores(scored),
        "label": f"暂估得分 {_number(scored.score)}（改正上述错误后才是正式评分）",
        "vetoes": _vetoes(scored),
        "unscored": [{"rule": c.id, "title": c.title, "max": c.max, "files": [mask_text(f) for f in result.unscored[c.id]]}
                     for c in scored.sheet.criteria if c.id in result.unscored],
    }
