"""The one record every check result becomes, whatever the output format.

A finding names the rule that produced it and the file and line it is about,
so the same record can be a terminal line, a Markdown row, a GitHub annotation,
a SARIF result or a portal entry.
"""
from __future__ import annotations

from dataclasses import dataclass


# Ordered from most to least serious; renderers sort on this.
SEVERITIES = ("error", "warning", "notice")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "notice": "提示"}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    # Extra guidance shown under the message (how to fix it).
    hint: str | None = None

    def __post_init__(self):
        # Messages quote what the user wrote (a schema error repeats the value, a file name is a
        # location). Whatever quoted it, a finding never carries a full ID or mobile number: every
        # output format starts from here, and the PR comment is public.
        for name in ("message", "hint", "file"):
            value = getattr(self, name)
            if value:
                from .personal import mask_text  # only when a finding is built: rendering a cached record needs none

                masked = mask_text(value)
                if masked is not value:
                    object.__setattr__(self, name, masked)

    def sort_key(self) -> tuple:
        return (
            SEVERITIES.index(self.severity),
            self.file or "",
            self.line or 0,
            self.rule,
            self.message,
        )

    def as_dict(self) -> dict:
        record = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }
        if self.column is not None:
            record["column"] = self.column
        if self.hint:
            record["hint"] = self.hint
        return record


def finding_key(finding: dict) -> tuple:
    """What a finding (as a record dict) is, without its line: a file edited above a problem moves it and it is
    still the same problem. `beian diff` matches findings on this; SARIF fingerprints are made from it."""
    return finding["rule"], finding.get("file"), finding["message"]
