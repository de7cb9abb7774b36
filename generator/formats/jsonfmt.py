"""`--format json`: the documented contract for other tools (docs/json-contract in README).

Streamed: each record is encoded where it was judged and written as it comes, and the whole is the same
text json.dumps would make of {"version", "filings", "registers"} (registers, being few, are held to the end)."""
from __future__ import annotations

import json

from . import registers_first, renderer, write_all

SCHEMA_VERSION = 1


def piece(record: dict, verbose: bool = False) -> tuple[bool, str]:
    # Compact output uses json's C encoder; indenting a thousand filings in pure Python takes seconds.
    return record.get("kind") == "register", json.dumps(record, ensure_ascii=False, indent=2 if verbose else None)


class Writer:
    def __init__(self, out, verbose: bool = False):
        self.out, self.verbose = out, verbose
        self.count = 0
        self.registers: list[str] = []
        out.write(f'{{\n  "version": {SCHEMA_VERSION},\n  "filings": [' if verbose else
                  f'{{"version": {SCHEMA_VERSION}, "filings": [')

    def _item(self, text: str, first: bool) -> str:
        if self.verbose:  # one level deeper than json.dumps(record, indent=2) put it
            return ("" if first else ",") + "\n    " + text.replace("\n", "\n    ")
        return ("" if first else ", ") + text

    def add(self, made: tuple[bool, str]) -> None:
        register, text = made
        if register:  # department registers (department/<jurisdiction>/), only when the run judged any
            self.registers.append(text)
            return
        self.out.write(self._item(text, self.count == 0))
        self.count += 1

    def close(self) -> None:
        end = "\n  ]" if self.verbose and self.count else "]"
        if self.registers:
            items = "".join(self._item(text, n == 0) for n, text in enumerate(self.registers))
            end += (',\n  "registers": [' if self.verbose else ', "registers": [') + items
            end += "\n  ]" if self.verbose else "]"
        self.out.write(end + ("\n}" if self.verbose else "}") + "\n")


@renderer("json")
def render(records, out, verbose: bool = False) -> None:
    write_all(Writer(out, verbose), piece, registers_first(records), verbose)
