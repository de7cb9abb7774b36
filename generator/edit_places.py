"""Where an edit lands in a filing file, said the way the staff who write the file say it.

A test case names a place by a dotted path (`occupations.1.standard_held`); the staff know the file by its field
keys and its list items by their order and name: “第 2 个申请认定的职业（中式烹调师）的 standard_held”. The item's
noun is the title its schema gives the list's items, and its name its `name` (or `code`, `title`, `id`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAME_KEYS = ("name", "code", "title", "id")
# what else tells a nameless item apart: a supervisor's card, a dispatch's session, a site's occupation, a method's type
IDENTIFYING_KEYS = NAME_KEYS + ("card", "session", "occupation", "type")
SHORT_NAME = 20            # characters of an item's name said in brackets


@dataclass
class Positions:
    """Each list item's place in the file before a case's edits: an item a case removes is still “第 4 个” after
    an earlier removal moved it up. Items are known by identity (the edits move them, never copy them)."""
    index: dict[int, int] = field(default_factory=dict)
    alive: list = field(default_factory=list)      # keeps the items, so their ids are not reused

    @classmethod
    def of(cls, data: Any) -> Positions:
        positions = cls()
        stack = [data]
        while stack:
            node = stack.pop()
            children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
            for number, child in enumerate(children):
                if isinstance(child, (dict, list)):
                    if isinstance(node, list):
                        positions.index[id(child)] = number
                        positions.alive.append(child)
                    stack.append(child)
        return positions

    def number(self, item: Any, index: int) -> int:
        """ITEM's 1-based place in its list before the edits (INDEX, its place now, for an item the case wrote)."""
        return self.index.get(id(item), index) + 1 if isinstance(item, (dict, list)) else index + 1


def schema_for(file_name: str, subject: str) -> str | None:
    """The schema a file of the subject follows: a record file follows `record`, the others their own name."""
    from .paths import schema_file

    if subject == "record":
        return "record"
    stem = Path(file_name).stem
    return stem if schema_file(stem).is_file() else None


def item_noun(schema: str | None, steps: tuple) -> str:
    """What the schema calls the items of the list STEPS lead to (“申请认定的职业”), or ""."""
    if not schema:
        return ""
    from .schema import subschema_at

    try:
        node = subschema_at(schema, tuple(0 if isinstance(s, int) else s for s in steps) + (0,)) or {}
    except (OSError, KeyError, ValueError):
        return ""
    title = node.get("title")
    return title if isinstance(title, str) and len(title) <= SHORT_NAME else ""


def item_name(item: Any) -> str:
    """An item as its readers know it: its name (or code, title, id), or a short text item itself."""
    if isinstance(item, dict):
        value = next((item[k] for k in IDENTIFYING_KEYS if isinstance(item.get(k), (str, int)) and str(item[k]).strip()), "")
    else:
        value = item if isinstance(item, (str, int)) and not isinstance(item, bool) else ""
    text = " ".join(str(value).split())
    return text if len(text) <= SHORT_NAME else text[:SHORT_NAME] + "……"


def joined(*parts: str) -> str:
    """Chinese and field keys run together as the pages write them: a space where a key meets other text."""
    text = ""
    for part in (p for p in parts if p):
        if text and (_ascii(text[-1]) or _ascii(part[0])) and not text.endswith(" ") and not part.startswith(" "):
            text += " "
        text += part
    return text


def _ascii(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "_.-")


def _ordinal(number: int, noun: str) -> str:
    """第 3 个考场; 第 2 次委派 for a noun the schema words as one occurrence (“一次委派”); 第 3 项 without a noun."""
    if noun.startswith("一次") and len(noun) > 2:
        return f"第 {number} 次{noun[2:]}"
    return f"第 {number} 个{noun}" if noun else f"第 {number} 项"


def one_more(noun: str) -> str:
    """An added item in words: 一个考场, 一次委派, or 一项 without a noun."""
    return noun if noun.startswith("一次") else f"一个{noun}" if noun else "一项"


def place_words(data: Any, steps: tuple, schema: str | None, positions: Positions) -> str:
    """Where STEPS lead in DATA: field keys as written (`plan.first_batch`), list items by order and name."""
    said: list[str] = []
    keys: list[str] = []
    node = data
    for depth, step in enumerate(steps):
        if not isinstance(node, list) and not str(step).isidentifier():
            # a key that is a number or an item number (answers: {"11-2": …}) is quoted, not dotted on like an index
            said.append(joined(".".join(keys), f"中的“{step}”"))
            keys = []
            node = node.get(step, node.get(str(step))) if isinstance(node, dict) else None
            continue
        if not isinstance(step, int):
            keys.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
            continue
        items = node if isinstance(node, list) else []
        index = step + len(items) if step < 0 else step
        node = items[index] if 0 <= index < len(items) else None
        noun = item_noun(schema, steps[:depth])
        number = positions.number(node, index) if node is not None else index + 1
        ordinal = _ordinal(number, noun)
        name = item_name(node)
        owner = ".".join(keys[:-1] if noun else keys)
        said.append(joined(owner, "的" if owner else "", ordinal + (f"（{name}）" if name else "")))
        keys = []
    if keys:
        said.append(".".join(keys))
    return joined(*[joined("的", part) if number else part for number, part in enumerate(said)])
