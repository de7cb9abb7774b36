"""Validity rules (rules/validation.yaml): not scored; an error makes the filing invalid."""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from . import check, deficiency
from ..filing import FILES, Ref
from ..identifiers import (credit_code_valid, find_full_id_numbers, find_mobile_numbers, mask_id, mask_mobile,
                           parse_filing_number)
from ..paths import SCHEMAS_DIR

_EVIDENCE_REF = "definitions/evidence"


@lru_cache(maxsize=None)
def evidence_keys() -> frozenset[str]:
    """Property names whose schema is the shared `evidence` type, read from schemas/."""
    keys: set[str] = set()

    def visit(node):
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                text = json.dumps(sub, ensure_ascii=False)
                if _EVIDENCE_REF in text and "properties" not in sub and "items" not in sub:
                    keys.add(name)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for key in FILES:
        visit(json.loads((SCHEMAS_DIR / f"{key}.schema.json").read_text(encoding="utf-8")))
    return frozenset(keys)


def _walk(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))
    else:
        yield path, node


def _evidence_refs(filing):
    keys = evidence_keys()
    for doc, document in filing.docs.items():
        for path, value in _walk(document.data):
            if path and isinstance(path[-1], str) and path[-1] in keys and isinstance(value, str):
                yield doc, path, value


def _outside(root: Path, value: str) -> str | None:
    if "\\" in value:
        return "路径中有反斜杠“\\”，请用“/”分隔"
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        return "不能是绝对路径"
    if any(part == ".." for part in value.split("/")):
        return "不能用“..”跳出机构文件夹"
    target = (root / value).resolve()
    if not target.is_relative_to(root.resolve()):
        return "指向机构文件夹以外（可能是符号链接）"
    return None


@check("validity.evidence_outside")
def evidence_outside(filing, ref, params):
    for doc, path, value in _evidence_refs(filing):
        reason = _outside(filing.root, value)
        if reason:
            yield deficiency(f"证明材料路径“{value}”{reason}。", filing.at(doc, *path))


@check("validity.evidence_missing")
def evidence_missing(filing, ref, params):
    for doc, path, value in _evidence_refs(filing):
        if _outside(filing.root, value):
            continue
        if not (filing.root / value).is_file():
            yield deficiency(f"证明材料“{value}”不存在。", filing.at(doc, *path))


def _text_lines(filing):
    """Every line of every loaded file, comments included: a comment is published too."""
    for doc, text in filing.texts.items():
        for number, line in enumerate(text.splitlines(), start=1):
            yield doc, number, line


@check("validity.id_numbers")
def id_numbers(filing, ref, params):
    for doc, number, line in _text_lines(filing):
        for found in find_full_id_numbers(line):
            yield deficiency(f"发现完整身份证号 {mask_id(found)}（此处已遮盖），公开文件只能填写脱敏形式。",
                             Ref(doc, (), number))


@check("validity.mobiles")
def mobiles(filing, ref, params):
    for doc, number, line in _text_lines(filing):
        for found in find_mobile_numbers(line):
            yield deficiency(f"发现完整手机号 {mask_mobile(found)}（此处已遮盖），公开文件只能填写脱敏形式。",
                             Ref(doc, (), number))


@check("validity.credit_code")
def credit_code(filing, ref, params):
    code = filing.get("profile", "institution", "credit_code")
    if isinstance(code, str) and len(code) == 18 and not credit_code_valid(code):
        yield deficiency(f"统一社会信用代码 {code} 的校验位不正确，可能抄错了某一位。",
                         filing.at("profile", "institution", "credit_code"))


@check("validity.filing_number")
def filing_number(filing, ref, params):
    for path in (("status", "filing_number"),):
        value = filing.get("profile", *path)
        if not value:
            continue
        match = parse_filing_number(str(value))
        where = filing.at("profile", *path)
        if match is None:
            yield deficiency(f"机构备案号“{value}”格式不正确，应为 Y000041 + 2 位市代码 + 9001~9999，例如 Y000041019001。", where)
            continue
        if match["city"] not in ref.city_codes.values():
            yield deficiency(f"机构备案号第 8-9 位“{match['city']}”不是附表1中的代码（00-18）。", where)
        city = filing.get("profile", "institution", "city")
        if city in ref.city_codes and ref.city_codes[city] != match["city"]:
            yield deficiency(f"机构备案号第 8-9 位是 {match['city']}，与所在地{city}的代码 {ref.city_codes[city]} 不一致。", where)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@check("validity.status")
def status(filing, ref, params):
    state = filing.get("profile", "status", "state")
    info = filing.section("profile", "status")
    where = filing.at("profile", "status")
    if state in ("已备案", "已过期", "已撤销") and not info.get("filing_number"):
        yield deficiency(f"状态为“{state}”，但没有填写机构备案号（status.filing_number）。", where)
    if state == "已撤销" and not info.get("revoked_reason"):
        yield deficiency("状态为“已撤销”，但没有写撤销原因（status.revoked_reason）。", where)
    if state in ("已备案", "已过期"):
        start, end = _date(info.get("valid_from")), _date(info.get("valid_until"))
        if not start or not end:
            yield deficiency(f"状态为“{state}”，须填写有效期起止日期（valid_from、valid_until）。", where)
        else:
            years = params.get("validity_years", 3)
            try:
                expected = start.replace(year=start.year + years)
            except ValueError:  # 29 February
                expected = start.replace(year=start.year + years, day=28)
            if end not in (expected, expected - dt.timedelta(days=1)):
                yield deficiency(f"有效期 {start} 至 {end} 不是备案回执规定的 {years} 年。", filing.at("profile", "status", "valid_until"))
            today = params.get("today") or dt.date.today()
            if state == "已备案" and end < today:
                yield deficiency(f"有效期已于 {end} 届满，状态应改为“已过期”。", filing.at("profile", "status", "state"))
    if filing.get("profile", "application", "category") == "增量备案":
        yield from _incremental(filing)


def _incremental(filing):
    """增量备案 adds occupations to an existing record: it needs that record's number and something new."""
    existing = filing.get("profile", "application", "existing_code")
    where = filing.at("profile", "application", "existing_code") if existing else filing.at("profile", "application")
    if not existing:
        yield deficiency("增量备案须填写现有评价机构备案号（application.existing_code）。", where)
    elif not parse_filing_number(str(existing)):
        yield deficiency(f"增量备案的现有机构备案号“{existing}”格式不正确，应为 Y000041 + 2 位市代码 + 9001~9999。", where)
    current = filing.get("profile", "status", "filing_number")
    if existing and current and existing != current:
        yield deficiency(f"现有机构备案号 {existing} 与备案状态中的备案号 {current} 不一致。", where)
    occupations = [o for o in filing.items("scope", "occupations") if isinstance(o, dict)]
    if occupations and not any(o.get("change", "新增") == "新增" for o in occupations):
        yield deficiency("增量备案至少要有一个“新增”职业（scope.occupations 中 change: 新增）。", filing.at("scope", "occupations"))
