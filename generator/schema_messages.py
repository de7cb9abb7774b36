"""Chinese `errorMessage` for every schema node a user can get wrong, derived from the node itself.

Also writes a field that only refers to a shared type as `$ref` beside its own title (see _unwrapped),
so that hovering it shows the field's own description.

yaml-language-server (VS Code's YAML extension) shows a node's `errorMessage` instead of its own
English text ("Incorrect type. Expected "boolean"", "Value is not accepted", "Missing property")
when that node's type, enum, const, pattern, format, required or additionalProperties fails.
jsonschema and fastjsonschema ignore the keyword, so `beian check` is unaffected and keeps its
own, more specific messages (schema.describe_error).

The messages are written into schemas/*.schema.json, because editors read those files through
each filing's modeline. Run `python -m generator.schema_messages` after changing a schema;
`--check` only reports whether the files are in step (tests/test_editor_agreement.py runs it).

Limits of the editor: a `$ref` with sibling keywords is reduced to the `$ref` in draft-07, so a
field that refers to a shared type (日期, 职业技能等级 …) shows that type's message, and minimum,
minLength, minItems and the like always show the editor's own text.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .paths import SCHEMAS_DIR
from .schema import BOOLEAN_RULE
KEYWORD = "errorMessage"
_CONSTRAINTS = ("type", "enum", "const", "pattern", "format")
_TYPE_WORDS = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false", "array": "列表",
               "object": "“字段: 值”的映射", "null": "空（不填）"}


def _types(node: dict) -> list[str]:
    kind = node.get("type")
    return kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else []


def _range(node: dict) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return f"，{low} 至 {high}"
    if low is not None:
        return f"，不小于 {low}"
    return f"，不大于 {high}" if high is not None else ""


def _names(names: list[str], properties: dict) -> str:
    return "、".join(f"{name}（{properties[name]['title']}）" if isinstance(properties.get(name), dict)
                    and properties[name].get("title") else name for name in names)


def error_message(node: dict, label: str, shared: bool = False) -> str | None:
    """The message for NODE, a field called LABEL; SHARED: a shared definition, explained by its description."""
    if not any(key in node for key in _CONSTRAINTS) and not node.get("required") \
            and node.get("additionalProperties") is not False:
        return None
    types = [t for t in _types(node) if t != "null"]
    blank = "，或留空" if "null" in _types(node) else ""
    explain = node.get("description", "") if shared or "pattern" in node or "format" in node else ""
    if "enum" in node:
        options = "、".join("留空" if value is None else str(value) for value in node["enum"])
        return f"{label}：只能填以下之一：{options}。"
    if "const" in node:
        return f"{label}：只能填 {node['const']}。"
    if len(types) != 1:
        return f"{label}应为{'或'.join(_TYPE_WORDS.get(t, t) for t in types)}{blank}。" if types else None
    kind = types[0]
    if kind == "boolean":
        return f"{label}：{BOOLEAN_RULE}；yes、no、on、off 按 YAML 1.2（编辑器和 beian check 都这样读）是文字，不是真假值。"
    if kind == "string":
        if explain and ("pattern" in node or "format" in node):
            return f"{label}格式不对{blank}：{explain}"
        if explain:
            return f"{label}应为文字{blank}：{explain}"
        return f"{label}应为文字{blank}（数字或 true/false 当作文字写时加英文引号）。"
    if kind in ("integer", "number"):
        return f"{label}应为{_TYPE_WORDS[kind]}（不加引号{_range(node)}）{blank}。" + explain
    if kind == "array":
        rules = "".join(part for part, wanted in ((f"，至少 {node.get('minItems')} 项", node.get("minItems")),
                                                  ("，各项不能重复", node.get("uniqueItems"))) if wanted)
        return f"{label}应为列表（每项另起一行，以“- ”开头；或写成 [甲, 乙]）{rules}{blank}。" + explain
    if kind == "object":
        properties = node.get("properties") or {}
        message = f"{label}应写成“字段: 值”（英文冒号后加一个空格），每个字段一行{blank}。"
        if node.get("required"):
            message += f"必填字段：{_names(list(node['required']), properties)}。"
        if node.get("additionalProperties") is False and properties:
            message += f"只能用这些字段：{'、'.join(properties)}。"
        return message
    return None


def _place(node: dict, added: dict[str, str | None]) -> dict:
    """NODE with the ADDED keys set (or removed when None), right after its description or title."""
    anchor = "description" if "description" in node else "title" if "title" in node else None
    kept = {key: value for key, value in added.items() if value}
    placed: dict = {}
    for key, value in node.items():
        if key in added:
            continue
        placed[key] = value
        if key == anchor:
            placed.update(kept)
    if anchor is None:
        placed.update(kept)
    return placed


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|])")


def _markdown(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def hover_text(node: dict, definitions: dict[str, dict]) -> str | None:
    """For a field that refers to a shared type: its own description, then the type's (format, example), as
    markdownDescription, which the editor shows on hover in place of the description alone."""
    target = definitions.get(node.get("$ref", ""))
    if not target or not node.get("description") or not target.get("description"):
        return None
    return (f"{_markdown(node['description'])}\n\n"
            f"**{_markdown(target.get('title', ''))}**：{_markdown(target['description'])}")


_ANNOTATIONS = frozenset(("title", "description", "markdownDescription", "$comment", "allOf"))


def _unwrapped(node: dict) -> dict:
    """`{"allOf": [{"$ref": X}], "title": …}` as `{"$ref": X, "title": …}`: the same to every validator (draft-07
    ignores a $ref's siblings, and these are only annotations), but the editor then shows the field's own title and
    description on hover instead of the shared type's."""
    wrapped = node.get("allOf")
    if not (isinstance(wrapped, list) and len(wrapped) == 1 and isinstance(wrapped[0], dict)
            and set(wrapped[0]) == {"$ref"} and set(node) <= _ANNOTATIONS):
        return node
    return {key: value for key, value in node.items() if key != "allOf"} | wrapped[0]


def with_messages(node: Any, label: str = "此处", shared: bool = False, definitions: dict | None = None) -> Any:
    """A copy of schema NODE (of a field called LABEL) with an errorMessage on each node that can fail, and a
    markdownDescription on each field that refers to one of DEFINITIONS ($ref → shared type)."""
    definitions = definitions or {}
    if isinstance(node, list):
        return [with_messages(item, label, definitions=definitions) for item in node]
    if not isinstance(node, dict):
        return node
    own = node.get("title") or label
    result = {}
    for key, value in _unwrapped(node).items():
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            result[key] = {name: with_messages(sub, (sub.get("title") if isinstance(sub, dict) else None) or name,
                                               key == "definitions", definitions) for name, sub in value.items()}
        elif key == "items":
            result[key] = with_messages(value, f"{own}的每一项", definitions=definitions)
        elif key in ("allOf", "anyOf", "oneOf", "then", "else", "additionalProperties", "contains"):
            result[key] = with_messages(value, own, definitions=definitions)
        else:  # "if" and "not" never report their own failure; enum, required … are plain values
            result[key] = value
    return _place(result, {"markdownDescription": hover_text(result, definitions),
                           KEYWORD: error_message(result, own, shared)})


def _text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def stale_files(folder: Path = SCHEMAS_DIR) -> dict[Path, str]:
    """Each schema file whose messages are not what the schema itself gives, with the text it should have."""
    stale = {}
    common = json.loads((folder / "common.schema.json").read_text(encoding="utf-8")).get("definitions", {})
    shared = {f"common.schema.json#/definitions/{name}": node for name, node in common.items()}
    for path in sorted(folder.glob("*.schema.json")):
        written = path.read_text(encoding="utf-8")
        schema = json.loads(written)
        own = {f"#/definitions/{name}": node for name, node in (schema.get("definitions") or {}).items()}
        wanted = _text(with_messages(schema, definitions=shared | own))
        if wanted != written:
            stale[path] = wanted
    return stale


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    stale = stale_files()
    if "--check" in argv:
        for path in stale:
            print(f"{path.name}：errorMessage 与 schema 不一致，请运行 python -m generator.schema_messages", file=sys.stderr)
        return 1 if stale else 0
    for path, text in stale.items():
        path.write_text(text, encoding="utf-8")
        print(f"已更新 {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
