"""A small Atom 1.0 (RFC 4287) writer for the portal's change feeds (变更订阅).

xml.etree builds and escapes the document (&, <, > in text; quotes in attributes), so filing text
cannot become markup. What it cannot do is drop the characters XML 1.0 does not allow at all (C0
controls other than tab and line breaks, U+FFFE/U+FFFF): those are removed here first, as ics.text()
drops them from a calendar. What RFC 4287 asks and this does: the feed and every entry carry an
atom:id (a stable IRI, never the page address, which may move), a title and an `updated` date-time
with its offset (RFC 3339); the feed names an author (the publisher, never a person) since its
entries name none; each entry links to its page (rel="alternate").
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    id: str          # a stable IRI (urn:uuid:…)
    title: str
    updated: str     # RFC 3339, e.g. 2026-12-02T03:24:28+00:00
    link: str        # the page the entry is about
    summary: str


def _text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def feed(feed_id: str, title: str, updated: str, author: str, entries: list[FeedEntry],
         page: str = "", self_link: str = "") -> str:
    """The whole feed as UTF-8 XML text. PAGE: the web page the feed follows; SELF_LINK: the feed's own address."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _add(root, "id", feed_id)
    _add(root, "title", title)
    _add(root, "updated", updated)
    _add(_add(root, "author"), "name", author)
    if page:
        _add(root, "link", rel="alternate", type="text/html", href=page)
    if self_link:
        _add(root, "link", rel="self", type="application/atom+xml", href=self_link)
    for item in entries:
        entry = _add(root, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title)
        _add(entry, "updated", item.updated)
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        _add(entry, "summary", item.summary)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
