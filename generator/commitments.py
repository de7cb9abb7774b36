"""What a filing promises instead of having it yet, for every report and page.

Today one kind: the exam system's docking with the provincial platform (工作方案 第三部分（七）,
generator/checks/informatization.py decides whether it passes the veto). The check, the reports,
the portal and the PDF read the same record, so they cannot disagree about a promise or its date.
"""
from __future__ import annotations

import datetime as dt

from .checks.informatization import PROVINCIAL_PLATFORM, commitment_overdue, docking_commitment, signer_text


def commitments_of(filing, today: dt.date | None = None, with_name: bool = False) -> list[dict]:
    """Each commitment as {subject, what, content, due, signer, condition, file, overdue}.

    The signer by position only unless `with_name` (staff reports name the signer; the portal names no one).
    `overdue` is None when no evaluation date is given."""
    commitment = docking_commitment(filing)
    if commitment is None:
        return []
    due = commitment["due"]
    return [{"subject": "考务管理系统", "what": f"自建系统“{commitment['system']}”与{PROVINCIAL_PLATFORM}对接",
             "content": commitment["content"], "due": due.isoformat() if due else None,
             "signer": signer_text(commitment["signed_by"], with_name=with_name), "condition": "对接完成前不开展认定",
             "file": commitment["file"],
             "overdue": commitment_overdue(commitment, today) if today else None}]
