"""Validity rules about values that pass the schema but cannot be meant (rules/validation.yaml):
impossible or implausible dates, dates of past events set in the future, template placeholders left
in, required text that is only blanks, invisible control characters.

The schema cannot say these: JSON Schema has no calendar, and `minLength` counts an ideographic
space or a zero-width space as a character.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from . import check, deficiency
from ..context import CheckContext
from .. import schema
from ..escaping import BIDI, is_blank, visible_text
from ..filing import Ref

# The People's Republic's founding year: no document of a Henan vocational school's filing is older.
EARLIEST_YEAR = 1949
# Validity periods run 3 years from the filing; a date further ahead than this is a typing mistake.
YEARS_AHEAD = 5

# Bidirectional controls reorder what a reviewer sees; C0/C1 controls other than tab and newline
# cannot be typed, only pasted or written as escapes in double quotes ("\x1b", "\0").
_BIDI = re.compile(f"[{BIDI}]")
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}]")
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_pattern() -> str:
    return schema.raw_schema("common")["definitions"]["date"]["pattern"]


def _typed_values(name: str, data):
    """(path, value, resolved schema, required) for every scalar, walking data and schema together."""
    root = schema.bundled_schema(name)
    stack = [((), data, root, False)]
    while stack:
        path, value, node, required = stack.pop()
        node = schema._resolve(root, node) if node is not None else None
        if isinstance(value, dict):
            properties = (node or {}).get("properties") or {}
            needed = set((node or {}).get("required") or ())
            stack.extend((path + (key,), child, properties.get(key), key in needed) for key, child in value.items())
        elif isinstance(value, list):
            items = (node or {}).get("items")
            stack.extend((path + (i,), child, items, False) for i, child in enumerate(value))
        else:
            yield path, value, node or {}, required


# What the walk needs of each schema node, by id, per schema: the bundled schemas live as long as the process,
# and one filing visits the same few hundred nodes thousands of times. A plan is (the node, its resolution,
# each property's (node, resolution, required), the names required, the items' node, their resolution); the node
# is kept in it so that a reused id (a cleared schema cache) is never mistaken for it.
_PLANS: dict[str, dict[int, tuple]] = {}
_EMPTY: dict = {}


class _NotPlain(Exception):
    """A mapping key that is not a string: the ordered walk's shortcut does not hold, sort instead."""


def _ordered_values(name: str, data, out: list, doc: str) -> None:
    """Append (doc, path, value, resolved schema, required) for every scalar of data, in the order of
    the paths' steps compared as text (list index 10 before 2, as the findings have always been
    ordered): a depth-first walk visiting children in that order, so nothing needs sorting after.
    Raises _NotPlain, having appended part, when a mapping key is not a string."""
    root = schema.bundled_schema(name)
    plans = _PLANS.setdefault(name, {})

    def resolve(node) -> dict:
        return _EMPTY if node is None else schema._resolve(root, node) or _EMPTY

    def plan_of(node) -> tuple:
        plan = plans.get(id(node))
        if plan is None or plan[0] is not node:
            resolved = resolve(node)
            needed = frozenset(resolved.get("required") or ())
            children = {key: (child, resolve(child), key in needed)
                        for key, child in (resolved.get("properties") or _EMPTY).items()}
            items = resolved.get("items")
            plan = plans[id(node)] = node, resolved, children, needed, items, resolve(items)
        return plan

    append = out.append

    def visit(path: tuple, value, plan: tuple) -> None:
        """The scalars under one mapping or list; recursion is bounded by the loader's nesting limit."""
        if isinstance(value, dict):
            children, needed = plan[2], plan[3]
            try:
                keys = sorted(value)
            except TypeError:  # keys of mixed types
                raise _NotPlain from None
            for key in keys:
                if key.__class__ is not str:
                    raise _NotPlain
                child = value[key]
                spec = children.get(key) or (None, _EMPTY, key in needed)
                if isinstance(child, (dict, list)):
                    visit(path + (key,), child, plan_of(spec[0]))
                else:
                    append((doc, path + (key,), child, spec[1], spec[2]))
        else:
            item_resolved, item_plan = plan[5], None
            for i in (range(len(value)) if len(value) <= 10 else sorted(range(len(value)), key=str)):
                child = value[i]
                if isinstance(child, (dict, list)):
                    item_plan = item_plan or plan_of(plan[4])
                    visit(path + (i,), child, item_plan)
                else:
                    append((doc, path + (i,), child, item_resolved, False))

    if not isinstance(data, (dict, list)):
        append((doc, (), data, resolve(root), False))
        return
    try:
        visit((), data, plan_of(root))
    except RecursionError:  # deeper than any loaded file can be: the sorting way has no recursion
        raise _NotPlain from None
    finally:
        # visit refers to itself through its closure: break that cycle, or each filing's list of
        # values (out, through append) would wait for the cyclic collector instead of going now.
        visit = None  # noqa: F841


def _sort_key(item):
    return item[0], [str(step) for step in item[1]]


def _values(filing) -> list[tuple[str, tuple, object, dict, bool]]:
    if "typed_values" not in filing.derived:
        found: list = []
        for doc in sorted(filing.docs):
            start = len(found)
            try:
                _ordered_values(doc, filing.docs[doc].data, found, doc)
            except _NotPlain:
                del found[start:]
                found.extend(sorted(((doc, path, value, node, required)
                                     for path, value, node, required in _typed_values(doc, filing.docs[doc].data)),
                                    key=_sort_key))
        filing.derived["typed_values"] = found
    return filing.derived["typed_values"]


def _label(node: dict, path: tuple) -> str:
    dotted = "".join(f".{step}" if isinstance(step, str) else f"[{step + 1}]" for step in path).lstrip(".")
    return f"`{dotted}`（{node['title']}）" if node.get("title") else f"`{dotted}`"


def _dates(filing) -> list:
    """(doc, path, value, node, date or None when not on the calendar) for every date-typed value; once per filing."""
    if "dates" not in filing.derived:
        pattern = _date_pattern()
        found = []
        for doc, path, value, node, _ in _values(filing):
            if node.get("pattern") != pattern or not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
                continue
            try:
                found.append((doc, path, value, node, dt.date.fromisoformat(value)))
            except ValueError:
                found.append((doc, path, value, node, None))
        filing.derived["dates"] = found
    return filing.derived["dates"]


def _too_late(date: dt.date, today: dt.date) -> bool:
    return date.year > today.year + YEARS_AHEAD


@check("values.dates")
def dates(ctx: CheckContext):
    filing, params = ctx.subject, ctx.params
    today = ctx.today
    for doc, path, value, node, date in _dates(filing):
        where = filing.at(doc, *path)
        if date is None:
            year, month, day = int(value[:4]), int(value[5:7]), int(value[8:])
            if not (1 <= month <= 12 and 1 <= day <= 31):
                continue  # the schema's date pattern already reports it, with the same hint: one mistake, one error
            import calendar  # only for a date the calendar does not have

            days = calendar.monthrange(year, month)[1] if year >= 1 else 31
            why = f"：{year} 年 {month} 月只有 {days} 天" if day > days else ""
            yield deficiency(f"{_label(node, path)} 的日期 {value} 在日历上不存在{why}。", where, schema.date_hint())
        elif date.year < EARLIEST_YEAR:
            yield deficiency(f"{_label(node, path)} 的日期 {value} 早于 {EARLIEST_YEAR} 年，可能是年份写错了。", where,
                             "对照原件改正年份。" + schema.date_hint())
        elif _too_late(date, today):
            yield deficiency(f"{_label(node, path)} 的日期 {value} 晚于评估日期 {YEARS_AHEAD} 年以上，可能是年份写错了。", where,
                             "对照原件改正年份。" + schema.date_hint())


def _dotted(path: tuple) -> str:
    """("policies", 3, "date") → "policies[].date", the form rules/validation.yaml names fields in."""
    return "".join("[]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


@check("values.future_dates")
def future_dates(ctx: CheckContext):
    """Dates of what has already happened (rule param `past`: file → fields) cannot be after the evaluation date."""
    filing, params = ctx.subject, ctx.params
    today = ctx.today
    past = {doc: set(fields or ()) for doc, fields in (params.get("past") or {}).items()}
    for doc, path, value, node, date in _dates(filing):
        if date is None or date <= today or _too_late(date, today) or _dotted(path) not in past.get(doc, ()):
            continue  # not a date, not in the future, already refused by date-invalid, or may be in the future
        yield deficiency(f"{_label(node, path)} 的日期 {value} 晚于评估日期 {today.isoformat()}：这里记的是已经发生的事，"
                         "不能是将来的日期。", filing.at(doc, *path),
                         "写实际发生的日期（年份、月份是否写错？）；若这件事还没有发生（如文件尚未印发），先不要填写这一项。"
                         + schema.date_hint())


@lru_cache(maxsize=None)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None


@check("values.placeholders")
def placeholders(ctx: CheckContext):
    """Text still holding a placeholder of the `beian new` templates: rule params `patterns` (regular
    expressions) and `markers` (text every pattern's match contains, a quick screen before the patterns)."""
    filing, params = ctx.subject, ctx.params
    pattern = _alternation(tuple(params.get("patterns") or ()))
    markers = tuple(params.get("markers") or ())
    if pattern is None or not any(marker in text for text in filing.texts.values() for marker in markers + ("\\",)):
        return  # the common case, decided by a substring test per file: no marker anywhere, comments included
    for doc, path, value, node, required in _values(filing):
        if not isinstance(value, str) or node.get("pattern") or doc == "reviews" and path[:1] == ("decisions",):
            continue  # patterned fields (masked numbers use ×) are the schema's; reviews are the reviewers'
        match = pattern.search(value) if any(marker in value for marker in markers) else None
        if match is None:
            continue
        found = match.group(0)
        what = f"模板里的待填写提示“{found}”" if "请填写" in found else f"模板示例里的“{found}”"
        whole = f"（整个值是“{visible_text(value[:60])}”）" if value.strip() != found else ""
        title = f"实际的{node['title']}" if node.get("title") else "实际内容"
        fix = f"把“{found}”换成应填的文字，使整个值是{title}" if whole else f"把“{found}”换成{title}"
        yield deficiency(f"{_label(node, path)} 还是{what}，没有换成实际内容{whole}。", filing.at(doc, *path),
                         fix + ("。" if required else "；暂时不填的话，把这一行删掉或在行首加 # 注释掉。"))


@check("values.blank_text")
def blank_text(ctx: CheckContext):
    filing = ctx.subject
    for doc, path, value, node, required in _values(filing):
        if doc == "reviews" and path[:1] == ("decisions",):
            continue  # a blank reason or reviewer voids that decision only (review-blank), not the filing
        if not isinstance(value, str) or not (required or node.get("minLength", 0) >= 1) or not is_blank(value):
            continue
        if value == "" and node.get("minLength", 0) >= 1:
            continue  # the schema already says it is empty
        yield deficiency(f"{_label(node, path)} 只有空格或看不见的字符，等于没有填写。", filing.at(doc, *path))


@check("values.control_chars")
def control_chars(ctx: CheckContext):
    filing = ctx.subject
    seen: set[tuple[str, int | None]] = set()
    # A parsed string holds a control character only if its file's text does, or writes one as an
    # escape ("\x1b"): one search over a file's text clears all its values (line breaks such as \r\n
    # that the parser turns into \n merely send a file down the value-by-value way).
    suspect = {doc for doc in filing.docs if (text := filing.texts.get(doc)) is None or "\\" in text
               or _CONTROL.search(text)}
    for doc, path, value, node, _ in _values(filing):
        if doc in suspect and isinstance(value, str) and _CONTROL.search(value):
            where = filing.at(doc, *path)
            seen.add((doc, filing.line_of(where)))
            codes = "、".join(sorted({f"U+{ord(ch):04X}" for ch in _CONTROL.findall(value)}))
            yield deficiency(f"{_label(node, path)} 含有看不见的控制字符（{codes}）：“{visible_text(value[:60])}”。", where)
    for doc, text in filing.texts.items():  # comments too: a reordered comment misleads a reviewer as well
        if not _BIDI.search(text):
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if _BIDI.search(line) and (doc, number) not in seen:
                codes = "、".join(sorted({f"U+{ord(ch):04X}" for ch in _BIDI.findall(line)}))
                yield deficiency(f"第 {number} 行含有改变文字显示顺序的双向控制字符（{codes}），"
                                 "屏幕上看到的顺序可能与实际内容不同。", Ref(doc, (), number))
