"""Every lost point is explained: a criterion that lost points by the data has a finding for it.

Used on every fixture case (test_rule_fixtures.py) and every sample institution (test_samples.py),
on the records every output format starts from (report.filing_record).
"""
from __future__ import annotations


def lost_by_data(criterion: dict) -> bool:
    """Points lost, or a veto failed, on the check's own decision (not a reviewer's): for a criterion still
    pending, the points its data already rules out."""
    if criterion["bonus"] or criterion["decided_by"] == "reviewer":
        return False  # a bonus not earned is no loss; a reviewer's decision carries its own reason
    if criterion["veto"]:
        return criterion["status"] == "vetoed"
    if criterion["status"] == "pending":  # what the panel may still award is open; below that, points are lost
        return criterion["potential"] < criterion["max"]
    return criterion["awarded"] < criterion["max"] and criterion["status"] != "reviewed"


def unexplained_losses(record: dict) -> list[str]:
    """Criteria that lost points without a warning or error naming them and a file to look at."""
    problems = []
    for criterion in record["criteria"]:
        if not lost_by_data(criterion):
            continue
        explained = [f for f in record["findings"] if f["rule"] == criterion["id"] and f["severity"] != "notice"]
        if not explained:
            problems.append(f"{criterion['id']} {criterion['awarded']}/{criterion['max']} {criterion['status']}: no finding")
        elif not any(f["file"] for f in explained):
            problems.append(f"{criterion['id']}: its findings name no file")
    return problems
