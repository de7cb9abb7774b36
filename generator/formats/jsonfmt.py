"""`--format json`: the documented contract for other tools (docs/json-contract in README)."""
from __future__ import annotations

import json

from . import renderer
from ..report import filing_record

SCHEMA_VERSION = 1


@renderer("json")
def render(results, out) -> None:
    payload = {"version": SCHEMA_VERSION, "filings": [filing_record(r) for r in results]}
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")
