"""Apply a fixture case's edits to a copy of the base filing.

Edits are data, so a rule's fixtures are YAML (tests/fixtures/rules/<rule>.yaml):
  set:     {"scope.yaml": {"occupations.0.code": "6-18-01-99"}}   dotted path → new value
  remove:  {"personnel.yaml": ["examiners.0"]}                     delete a key or list item
  append:  {"personnel.yaml": {"examiners": {...}}}                add an item to a list
  write:   {"profile.yaml": "raw text"} / {"x.yaml": {"bytes_hex": "..."}}   replace a file's bytes
  delete:  ["reviews.yaml"]                                        remove files
  relocate: true                                                    move the folder away, leave a symlink to it
  variant: incremental                                              first apply tests/fixtures/variants/<name>.yaml
                                                                    (the base filing as another kind of filing)
"""
from __future__ import annotations

from pathlib import Path

import yaml

from generator.rule_examples import edit_document


VARIANTS = Path(__file__).parent / "fixtures" / "variants"


def apply_edits(folder: Path, case: dict) -> None:
    if case.get("variant"):
        apply_edits(folder, yaml.safe_load((VARIANTS / f"{case['variant']}.yaml").read_text(encoding="utf-8")))
    if case.get("relocate"):
        real = folder.with_name(folder.name + "-elsewhere")
        folder.rename(real)
        folder.symlink_to(real, target_is_directory=True)
    for name in case.get("delete", []):
        (folder / name).unlink()
    for name, content in (case.get("write") or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict) and "bytes_hex" in content:
            path.write_bytes(bytes.fromhex(content["bytes_hex"]))
        elif isinstance(content, dict) and "repeat" in content:
            path.write_text(content["text"] * content["repeat"], encoding="utf-8")
        else:
            path.write_text(content, encoding="utf-8")
    for name in {name for operation in ("set", "remove", "append") for name in (case.get(operation) or {})}:
        path = folder / name
        data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}) or {}
        data = edit_document(data, case, name)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
