"""Every field of every schema explains itself in Chinese, so an editor can show it while typing."""
from __future__ import annotations

import json
import re

from conftest import ROOT

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _fields(node, path="#"):
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}/{name}", sub
        for key, value in node.items():
            yield from _fields(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _fields(value, f"{path}/{index}")


def test_every_field_has_a_chinese_title_and_description():
    missing = []
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for where, field in _fields(schema):
            for key in ("title", "description"):
                if not CHINESE.search(str(field.get(key, ""))):
                    missing.append(f"{path.name} {where}: {key}")
    assert not missing, "\n".join(missing[:20])


def test_every_filing_file_carries_its_schema_modeline():
    folders = [p for p in (ROOT / "institutions").iterdir() if p.is_dir()] + [ROOT / "tests" / "fixtures" / "base"]
    folders += sorted(p for p in (ROOT / "institutions").glob("*/sessions/*") if p.is_dir())
    templates = (ROOT / "generator" / "templates").glob("*.yaml")
    missing = []
    for path in [f for d in folders for f in d.glob("*.yaml")] + list(templates):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if not re.match(rf"# yaml-language-server: \$schema=\S*/{path.stem}\.schema\.json$", first):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, missing
