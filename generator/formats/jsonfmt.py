"""`--format json`: the documented contract for other tools (docs/json-contract in README)."""
from __future__ import annotations

import json

from . import renderer
from ..record_words import split_records

SCHEMA_VERSION = 1


@renderer("json")
def render(records, out, verbose: bool = False) -> None:
    institutions, registers = split_records(records)
    payload = {"version": SCHEMA_VERSION, "filings": institutions}
    if registers:  # department registers (department/<jurisdiction>/), only when the run judged any
        payload["registers"] = registers
    # Compact output uses json's C encoder; indenting a thousand filings in pure Python takes seconds.
    out.write(json.dumps(payload, ensure_ascii=False, indent=2 if verbose else None))
    out.write("\n")
