"""What a reviewer judged: a short digest of a criterion's inputs, recorded as `inputs:` on a decision.

The digest is the first 12 hex digits of the SHA-256 of a canonical JSON list with one entry per
observation the criterion's check made: its kind and message, the data it points at (the whole
subtree of `about`, else of `at`; for a comment line, that line), and the SHA-256 of every
evidence file named inside that subtree.

Why this definition:
- The observations are what the report put in front of the reviewer, and their refs are the data
  the check read for them, so the digest moves exactly when what was judged moves: an occupation
  withdrawn from scope.yaml changes the question-bank check's subtree, a new policy text changes
  the evidence hash of that policy, and nothing outside the criterion's data does.
- Positions are left out (paths and line numbers): moving or inserting unrelated items keeps a
  decision current. Messages stay in, so a change in the reference data the check relies on also
  asks for a fresh look.
- It detects change; it is not a signature. Who may write a decision is settled by the reviewers
  register and CODEOWNERS, not by this digest.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .filing import Filing, Ref

DIGEST_LENGTH = 12


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _evidence_under(filing: Filing, ref: Ref) -> dict[str, str]:
    from .checks.validity import evidence_status

    hashes = {}
    for doc, path, value, outside, exists in evidence_status(filing):
        if doc == ref.doc and tuple(path[:len(ref.path)]) == tuple(ref.path) and not outside:
            hashes[value] = _file_hash(filing.root / value) if exists else "missing"
    return hashes


def _data_at(filing: Filing, ref: Ref):
    if ref.line is not None:
        lines = filing.texts.get(ref.doc, "").splitlines()
        return lines[ref.line - 1] if 0 < ref.line <= len(lines) else None
    return filing.get(ref.doc, *ref.path)


def inputs_digest(filing: Filing, observations) -> str:
    entries = []
    for observation in observations:
        refs = observation.about or ((observation.at,) if observation.at else ())
        entries.append({
            "kind": observation.kind,
            "message": observation.message,
            "data": [{"doc": r.doc, "value": _data_at(filing, r), "evidence": _evidence_under(filing, r)} for r in refs],
        })
    text = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]
