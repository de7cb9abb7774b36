"""The fast validator (fastjsonschema) and the full one (jsonschema) must agree.

check() trusts fastjsonschema's "valid" and only asks jsonschema for the
messages; if they disagreed, a broken file could pass or a good one fail.
"""
from __future__ import annotations

import copy

import pytest

from conftest import BASE, ROOT
from generator import schema
from generator.filing import FILES
from generator.textfile import read_text
from generator.yamlload import load_yaml

WRONG_VALUES = ["文字", 7, True, [], {"unknown": 1}, ""]
# Documents mutated wherever they come from; other filing files only in the base fixture.
MUTATED_EVERYWHERE = {"reviews", "plan", "roster", "outcome"}


def _documents():
    # The base fixture uses every field the checks read; one sample adds reviews.yaml.
    samples = sorted(p for p in (ROOT / "institutions").iterdir() if (p / "reviews.yaml").exists())
    folders = [BASE] + samples[:1]
    for folder in folders:
        for key, (name, _, _) in FILES.items():
            path = folder / name
            if path.exists():
                yield key, load_yaml(read_text(path), name)[0].data, f"{folder.name}/{name}"
    # Session files (plan, roster, outcome): every sample, each mutated like the base fixture.
    for path in sorted((ROOT / "institutions").glob("*/sessions/*/*.yaml")):
        yield path.stem, load_yaml(read_text(path), path.name)[0].data, path.relative_to(ROOT / "institutions").as_posix()


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list) and node:
        yield prefix + (0,)
        yield from _paths(node[0], prefix + (0,))


def _replaced(data, path, value):
    clone = copy.deepcopy(data)
    node = clone
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return clone


@pytest.mark.parametrize("key, data, label", list(_documents()), ids=lambda v: v if isinstance(v, str) and "/" in v else "")
def test_validators_agree_on_every_mutation(key, data, label):
    assert schema.is_valid_fast(key, data) and not schema.schema_errors(key, data), label
    disagreements = []
    seen_shapes = set()
    for path in _paths(data):
        if key not in MUTATED_EVERYWHERE and label.split("/")[0] != BASE.name:
            continue
        if path in seen_shapes:
            continue
        seen_shapes.add(path)
        for value in WRONG_VALUES:
            mutated = _replaced(data, path, value)
            fast = schema.is_valid_fast(key, mutated)
            full = schema._full_validator(key).is_valid(mutated)
            if fast != full:
                disagreements.append((path, value, fast, full))
    assert not disagreements, disagreements[:10]


def test_schemas_stay_within_draft_07():
    newer = {"$defs", "dependentRequired", "dependentSchemas", "prefixItems", "unevaluatedProperties",
             "unevaluatedItems", "$dynamicRef", "minContains", "maxContains"}
    for path in (ROOT / "schemas").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "draft-07" in text, path.name
        assert not [k for k in newer if f'"{k}"' in text], path.name
