"""JSON Schema validation of filing files, with Chinese messages on the right line.

Two validators over the same schemas:
- a fastjsonschema validator compiled to Python (cached on disk) answers
  "is this file valid?" quickly, which is the common case;
- jsonschema, imported only when that answer is "no", lists every error so
  the person fixing the file sees all of them at once.
The schemas stay within draft-07 so both understand them the same way;
tests/test_schema_agreement.py holds them to that.
"""
from __future__ import annotations

import difflib
import hashlib
import importlib.util
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .paths import SCHEMAS_DIR

COMMON = "common.schema.json"
FILE_SCHEMAS = ("profile", "scope", "scheme", "policies", "personnel", "sites", "certificate", "reviews")


@lru_cache(maxsize=None)
def raw_schema(name: str) -> dict:
    path = SCHEMAS_DIR / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _localise_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(COMMON + "#"):
                value = value[len(COMMON):]
            out[key] = _localise_refs(value)
        return out
    if isinstance(node, list):
        return [_localise_refs(item) for item in node]
    return node


@lru_cache(maxsize=None)
def bundled_schema(name: str) -> dict:
    """The file's schema with the shared definitions copied in, so it has no outside refs."""
    schema = _localise_refs(raw_schema(name))
    definitions = dict(_localise_refs(raw_schema("common"))["definitions"])
    definitions.update(schema.get("definitions", {}))
    schema["definitions"] = definitions
    return schema


def _cache_dir() -> Path:
    base = os.environ.get("BEIAN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "beian"


@lru_cache(maxsize=None)
def _fast_validator(name: str):
    schema = bundled_schema(name)
    digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]
    import fastjsonschema

    cached = _cache_dir() / f"validator_{name}_{digest}_{fastjsonschema.VERSION.replace('.', '_')}.py"
    if not cached.exists():
        code = fastjsonschema.compile_to_code(schema)
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(code, encoding="utf-8")
            os.replace(tmp, cached)
        except OSError:
            return fastjsonschema.compile(schema)
    spec = importlib.util.spec_from_file_location(f"_beian_validator_{name}", cached)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.validate


def is_valid_fast(name: str, data: Any) -> bool:
    from fastjsonschema import JsonSchemaException

    try:
        _fast_validator(name)(data)
    except JsonSchemaException:
        return False
    return True


@lru_cache(maxsize=None)
def _full_validator(name: str):
    import jsonschema

    return jsonschema.Draft7Validator(bundled_schema(name))


def schema_errors(name: str, data: Any) -> list:
    """Every jsonschema error for data, deepest first within each path."""
    validator = _full_validator(name)
    return sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), -len(e.absolute_path)))


# --- turning errors into Chinese messages -------------------------------------------------

_TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "array": "列表（每项以“- ”开头）", "object": "字段映射（“字段: 值”）", "null": "空值",
}


def _python_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "字段映射"
    return "空值"


def subschema_at(name: str, path: tuple) -> dict | None:
    """The schema that governs the value at path (following properties, items, allOf, $ref)."""
    root = bundled_schema(name)
    node: dict | None = root
    for step in path:
        node = _resolve(root, node)
        if node is None:
            return None
        if isinstance(step, int):
            node = node.get("items")
        else:
            node = node.get("properties", {}).get(step)
    return _resolve(root, node) if node is not None else None


def _resolve(root: dict, node: dict | None) -> dict | None:
    """Follow $ref and single-entry allOf wrappers, keeping the outermost title."""
    title = description = None
    while isinstance(node, dict):
        title = title or node.get("title")
        description = description or node.get("description")
        if "$ref" in node:
            target: Any = root
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        elif "allOf" in node and len(node["allOf"]) == 1 and "type" not in node:
            node = node["allOf"][0]
        else:
            break
    if isinstance(node, dict) and (title or description):
        node = dict(node)
        node["title"] = title or node.get("title")
        node["description"] = description or node.get("description")
    return node


def field_label(name: str, path: tuple) -> str:
    keys = [step for step in path if isinstance(step, str)]
    if not keys:
        return "文件顶层"
    schema = subschema_at(name, path) or {}
    title = schema.get("title")
    dotted = "".join(f".{step}" if isinstance(step, str) else f"[{step + 1}]" for step in path).lstrip(".")
    return f"`{dotted}`（{title}）" if title else f"`{dotted}`"


def describe_error(name: str, error) -> tuple[str, tuple, str | None, str]:
    """Return (message, path for the line, hint, rule id) for one jsonschema error."""
    path = tuple(error.absolute_path)
    label = field_label(name, path)
    validator = error.validator
    value = error.instance
    hint = None
    rule = "schema"
    if validator == "additionalProperties":
        schema = subschema_at(name, path) or {}
        known = list(schema.get("properties", {}))
        unknown = sorted(set(value) - set(known)) if isinstance(value, dict) else []
        key = unknown[0] if unknown else "?"
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        where = "文件顶层" if not path else label
        message = f"{where}中有未知字段 `{key}`。"
        if guess:
            title = (_resolve(bundled_schema(name), schema["properties"][guess[0]]) or {}).get("title")
            hint = f"是不是想写 `{guess[0]}`" + (f"（{title}）" if title else "") + "？"
        else:
            hint = "可用字段：" + "、".join(f"`{k}`" for k in known[:12]) + ("……" if len(known) > 12 else "")
        return message, path + (key,), hint, "unknown-field"
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        schema = subschema_at(name, path + (missing,)) or {}
        title = schema.get("title")
        return (f"{label if path else '文件'}缺少必填字段 `{missing}`" + (f"（{title}）" if title else "") + "。",
                path, schema.get("description"), rule)
    if validator == "type":
        expected = error.validator_value
        expected_names = "或".join(_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        message = f"{label} 应为{expected_names}，实际填写的是{_python_type_name(value)}"
        if not isinstance(value, (dict, list)):
            message += f"“{value}”"
        message += "。"
        if expected == "string" and isinstance(value, (bool, int, float)):
            hint = "给这个值加上引号，例如 \"2024-05-01\" 或 \"是\"。YAML 会把 yes/no、纯数字当成其他类型。"
        elif expected == "boolean" and isinstance(value, str):
            hint = "真假值请填 true 或 false（不要填“是/否”）。"
        elif expected == "object" and isinstance(value, str) and "：" in value:
            hint = "字段名后面用了中文冒号“：”，请改为英文冒号“:”并在后面加一个空格。"
        elif expected == "array" and not isinstance(value, list):
            hint = "列表的每一项另起一行，以“- ”开头。"
        return message, path, hint, rule
    if validator == "enum":
        options = "、".join(str(v) for v in error.validator_value)
        return f"{label} 的值“{value}”不在可选范围内。", path, f"可选值：{options}", rule
    if validator == "pattern":
        schema = subschema_at(name, path) or {}
        rule = "schema"
        if "maskedId" in json.dumps(error.schema, ensure_ascii=False) or "身份证" in (schema.get("title") or ""):
            rule = "id-number-unmasked"
        return f"{label} 的值“{value}”格式不正确。", path, schema.get("description"), rule
    if validator in ("minimum", "maximum"):
        bound = "不能小于" if validator == "minimum" else "不能大于"
        return f"{label} 的值 {value} {bound} {error.validator_value}。", path, None, rule
    if validator == "minItems":
        return f"{label} 至少要有 {error.validator_value} 项。", path, None, rule
    if validator == "uniqueItems":
        return f"{label} 中有重复项。", path, "删除重复的项。", rule
    if validator in ("minLength", "maxLength"):
        if validator == "minLength":
            return f"{label} 不能为空。", path, None, rule
        return f"{label} 过长（最多 {error.validator_value} 个字符）。", path, None, rule
    return f"{label} 不符合要求：{error.message}", path, None, rule

