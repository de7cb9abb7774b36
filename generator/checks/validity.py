"""Validity rules (rules/validation.yaml): not scored; an error makes the filing invalid."""
from __future__ import annotations

import datetime as dt
import json
import os
import stat
from functools import lru_cache
from . import check, deficiency
from ..context import CheckContext
from ..dates import years_later
from ..filing import Ref
from ..kinds import file_keys
from .. import personal
from ..identifiers import credit_code_valid, parse_filing_number
from ..paths import schema_file

_EVIDENCE_REF = "definitions/evidence"


@lru_cache(maxsize=None)
def evidence_keys() -> frozenset[str]:
    """Property names whose schema is the shared `evidence` type, read from schemas/; worked out once per set of
    schema texts and kept in the cache (generator/cache.py): dumping every property of every schema to JSON was
    a noticeable part of starting `beian check`."""
    import hashlib
    import marshal

    from ..cache import cached
    from ..record_cache import add_sized

    texts = [schema_file(key).read_bytes() for key in file_keys()]
    # the key holds this function's code too, so a change to how the names are found is never answered from an old entry
    digest = hashlib.sha256(marshal.dumps(_evidence_keys_of.__code__) + _EVIDENCE_REF.encode())
    for text in texts:
        add_sized(digest, text)
    return frozenset(cached("evidence_keys", digest.hexdigest(),
                            lambda: sorted(_evidence_keys_of([json.loads(text) for text in texts]))))


def _evidence_keys_of(schemas: list) -> set[str]:
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

    for schema in schemas:  # the files of every kind (a session's outcome names its report file)
        visit(schema)
    return keys


def _walk(node, path=()):
    """(path, value) for every scalar, without recursion."""
    stack = [(path, node)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((path + (key,), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((path + (index,), value) for index, value in enumerate(node))
        else:
            yield path, node


def _outside(root_real: str, value: str, folders: dict[str, str]) -> tuple[str | None, str, bool]:
    """(why the path leaves the folder or None, its resolved location, whether it is a file).

    Folders are resolved once per filing (folders caches them): a filing names dozens of files in a
    few folders, and resolving each whole path again costs a system call per step."""
    if "\\" in value:
        return "路径中有反斜杠“\\”，请用“/”分隔", "", False
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        return "不能是绝对路径", "", False
    if ".." in value.split("/"):
        return "不能用“..”跳出机构文件夹", "", False
    joined = os.path.join(root_real, value)
    folder, name = os.path.split(joined)
    target = None
    if name not in ("", "."):
        real_folder = folders.get(folder)
        if real_folder is None:
            real_folder = folders[folder] = os.path.realpath(folder)
        try:
            mode = os.lstat(joined).st_mode
        except (OSError, ValueError):
            mode = None  # missing (or unnamable): realpath keeps the name as written
        if mode is None or not stat.S_ISLNK(mode):
            target = os.path.join(real_folder, name)
            is_file = mode is not None and stat.S_ISREG(mode)
    if target is None:  # a link, or a name realpath treats specially: resolve it the long way
        target = os.path.realpath(joined)
        is_file = os.path.isfile(target)
    if not target.startswith(root_real + os.sep):
        return "指向机构文件夹以外（可能是符号链接）", target, False
    return None, target, is_file


class _NotPlain(Exception):
    """A mapping key that is not text: two paths might then read alike, and their order is _walk's."""


def _evidence_references(data, keys: frozenset[str]) -> list[tuple[tuple, str]]:
    """(path, value) of every string under an evidence key, building a path only for those and for
    containers (a filing holds a few dozen references among thousands of values). Unordered: with
    text keys no two paths read alike, so sorting fixes the order whatever it was."""
    found = []
    stack = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                if type(key) is not str:
                    raise _NotPlain
                if isinstance(child, (dict, list)):
                    stack.append((path + (key,), child))
                elif key in keys and isinstance(child, str):
                    found.append((path + (key,), child))
        elif isinstance(node, list):
            stack.extend((path + (index,), child) for index, child in enumerate(node) if isinstance(child, (dict, list)))
    return found


def evidence_status(filing) -> list[tuple[str, tuple, str, str | None, bool]]:
    """Every evidence reference: (doc, path, value, reason it is outside, exists); computed once per filing."""
    if "evidence" in filing.derived:
        return filing.derived["evidence"]
    keys = evidence_keys()
    root_real = os.path.realpath(filing.root)
    folders: dict[str, str] = {}
    status = []
    typed_values = filing.derived.get("typed_values")  # values.py's every scalar, if a rule has walked them
    if typed_values is not None:  # already in this order, ties (non-text keys) included: nothing to sort
        for doc, path, value, _, _ in typed_values:
            if path and isinstance(path[-1], str) and path[-1] in keys and isinstance(value, str):
                reason, _, exists = _outside(root_real, value, folders)
                status.append((doc, path, value, reason, exists))
        filing.derived["evidence"] = status
        return status
    for doc, document in filing.docs.items():
        try:
            references = _evidence_references(document.data, keys)
        except _NotPlain:
            references = [(path, value) for path, value in _walk(document.data)
                          if path and isinstance(path[-1], str) and path[-1] in keys and isinstance(value, str)]
        for path, value in references:
            reason, _, exists = _outside(root_real, value, folders)
            status.append((doc, path, value, reason, exists))
    status.sort(key=lambda item: (item[0], [str(step) for step in item[1]]))
    filing.derived["evidence"] = status
    return status


@check("validity.evidence_outside")
def evidence_outside(ctx: CheckContext):
    filing = ctx.subject
    for doc, path, value, reason, _ in evidence_status(filing):
        if reason:
            yield deficiency(f"证明材料路径“{value}”{reason}。", filing.at(doc, *path))


@check("validity.evidence_missing")
def evidence_missing(ctx: CheckContext):
    filing = ctx.subject
    for doc, path, value, reason, exists in evidence_status(filing):
        if not reason and not exists:
            yield deficiency(f"证明材料“{value}”不存在。", filing.at(doc, *path))


# Evidence folders are walked for names to scan; a folder holding more entries than this is not a
# filing's attachments, and is reported as such instead of being walked for minutes.
MAX_EVIDENCE_ENTRIES = 5000


def _evidence_names(filing) -> list[str]:
    """Paths of everything under evidence/, relative to the institution folder (symlinks not followed)."""
    root = filing.root / "evidence"
    names: list[str] = []
    if not root.is_dir() or root.is_symlink():
        return names
    for folder, dirs, files in os.walk(root, onerror=lambda error: None):
        relative = os.path.relpath(folder, filing.root).replace(os.sep, "/")
        names.extend(f"{relative}/{name}" for name in dirs + files)
        if len(names) > MAX_EVIDENCE_ENTRIES:
            break
    return names


def personal_numbers(filing) -> list[tuple[str, str, int | None, object]]:
    """Every full ID or mobile number in the filing: (rule kind, doc, line, hit); computed once.

    The raw text of every file is read, comments and unparsable files included (they are published
    too); string values are read again as parsed when the text has escapes ("\\x34…" is a digit);
    and the names of evidence files, which the portal and bundles list."""
    if "personal" in filing.derived:
        return filing.derived["personal"]
    found = []
    for doc, text in filing.texts.items():
        seen_lines = set()
        for hit in personal.find(text):
            line = personal.line_of(text, hit.start)
            seen_lines.add((line, hit.digits))
            found.append((doc, line, hit))
        document = filing.docs.get(doc)
        if document is not None and "\\" in text:
            for path, value in _walk_with_keys(document.data):
                for hit in personal.find(value):
                    line = document.line_of(path)
                    if (line, hit.digits) not in seen_lines:
                        found.append((doc, line, hit))
    for name in _evidence_names(filing):
        for hit in personal.find(name):
            found.append((personal.mask_text(name), None, hit))
    filing.derived["personal"] = found
    return found


def _walk_with_keys(node):
    """(path, string) for every string value and mapping key."""
    for path, value in _walk(node):
        if isinstance(value, str):
            yield path, value
        if path and isinstance(path[-1], str):
            yield path, path[-1]


def _personal_message(hit) -> str:
    how = "（写法中夹有空格、连字符、全角数字或换行等，仍是完整号码）" if hit.disguised else ""
    return f"发现完整{hit.label} {hit.masked}（此处已遮盖）{how}，公开文件只能填写脱敏形式。"


@check("validity.id_numbers")
def id_numbers(ctx: CheckContext):
    filing = ctx.subject
    for doc, line, hit in personal_numbers(filing):
        if hit.kind != personal.MOBILE:
            yield deficiency(_personal_message(hit), Ref(doc, (), line))


@check("validity.mobiles")
def mobiles(ctx: CheckContext):
    filing = ctx.subject
    for doc, line, hit in personal_numbers(filing):
        if hit.kind == personal.MOBILE:
            yield deficiency(_personal_message(hit), Ref(doc, (), line))


@check("validity.credit_code")
def credit_code(ctx: CheckContext):
    filing = ctx.subject
    code = filing.get("profile", "institution", "credit_code")
    if isinstance(code, str) and len(code) == 18 and not credit_code_valid(code):
        yield deficiency(f"统一社会信用代码 {code} 的校验位不正确，可能抄错了某一位。",
                         filing.at("profile", "institution", "credit_code"))


@check("validity.filing_number")
def filing_number(ctx: CheckContext):
    filing, ref = ctx.subject, ctx.reference
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
def status(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
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
            expected = years_later(start, years)
            if end not in (expected, expected - dt.timedelta(days=1)):
                yield deficiency(f"有效期 {start} 至 {end} 不是备案回执规定的 {years} 年。", filing.at("profile", "status", "valid_until"))
            today = ctx.today
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
