"""What the portal says about the versions of each institution's data (history.py reads them from git):
the 版本记录 section of an institution page and the Atom feeds of changes (变更订阅).

Every version is one commit that changed the institution's folder. Its anchor on the page is
`v-<first 12 hex digits>` (printed PDFs link to `institutions/<page>/#v-<commit12>` through a QR code,
so this form must not change). A feed entry says which parts changed and when; its id is derived
from the institution and the commit (as the calendar's event UIDs are from the plan, sessions.uid),
so a reader sees each change once however often the site is rebuilt. No commit message, author or
e-mail address is published: only the hash, the date and the parts that changed.
"""
from __future__ import annotations

import datetime as dt
import uuid

from . import atom
from .history import FolderHistory, Version
from .markup import rows_block, unsearched
from ..version_link import institution_page_url
from .text import md, plain

FEEDS = "feeds"
ALL_FEED = f"{FEEDS}/all.xml"
INSTITUTION_LIMIT = 50   # newest versions in an institution's feed
ALL_LIMIT = 200          # newest changes in the register's feed
BEIJING = dt.timezone(dt.timedelta(hours=8))
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/beian/feeds")


def _publisher() -> str:
    """The feeds' author: the registry's publisher, as every page's footer names it (beian.yaml `publisher:`)."""
    from ..registry import publisher_name

    return publisher_name()


def feed_path(page: str) -> str:
    return f"{FEEDS}/institutions/{page}.xml"


def stable_id(*parts: str) -> str:
    """urn:uuid from the parts (name-based, SHA-1): the same parts give the same id on every build."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, chr(0x1f).join(parts))}"


def local_time(version: Version) -> str:
    """The commit's date and time in Beijing time, as a page shows it ('2026-12-02 11:24')."""
    try:
        moment = dt.datetime.fromisoformat(version.date)
    except ValueError:
        return version.date
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def parts_words(version: Version) -> str:
    return "、".join(version.parts) or "文件"


def _name(entry: dict) -> str:
    return plain(entry.get("name") or entry["institution"])


def version_section(entry: dict) -> list[str]:
    """The 版本记录 section: every commit that changed the institution's data, newest first, the current
    one marked; a note instead when the history is cut off (shallow clone) or cannot be read at all.
    Nothing when the entry's history was not read (a page made outside `beian build`)."""
    history: FolderHistory | None = entry.get("history")
    if history is None:  # not read for this page (build.write_changes reads it for the portal)
        return []
    lines = [unsearched("版本记录"), ""]
    if not history.tracked:
        return lines + ["本次发布构建时无法读取 git 历史（没有安装 git，或备案数据不在 git 仓库中），未列出版本记录。", ""]
    if not history.versions:
        return lines + ["本机构的备案数据尚未提交到 git 仓库，还没有版本记录。", ""]
    feed = f"../{feed_path(entry['page'])}"  # a Markdown link, relative to institutions/<page>.md
    lines += [f"本机构备案数据的每一次修改（git 提交，时间为北京时间），新的在前。订阅本机构的变更：[Atom 订阅]({feed})。", ""]
    if history.modified:
        lines += ["本页依据的数据还含有尚未提交的修改，与下列任何版本都不完全相同。", ""]
    items = []
    for number, version in enumerate(history.versions):
        current = ' <strong class="beian-current">（当前版本）</strong>' if number == 0 and not history.modified else ""
        items.append(f'<li id="{version.anchor}"><time datetime="{md(version.date)}">{local_time(version)}</time>'
                     f" · 版本 <code>{version.short}</code> · 修改了{md(parts_words(version))}{current}</li>")
    lines += rows_block(["<ol class=\"beian-versions\">", *items, "</ol>"])
    if history.shallow:
        lines += ["历史不完整：本次构建使用的是只含最近提交的仓库副本（浅克隆），更早的版本没有列出，"
                  "最早列出的一条可能包含此前的全部修改。", ""]
    return lines


def page_url(page: str, site_url: str, depth: int) -> str:
    """The institution page's address: absolute under SITE_URL, else relative to a feed DEPTH folders deep."""
    return institution_page_url(site_url, page) if site_url else "../" * depth + f"institutions/{page}/"


def _entries(entry: dict, site_url: str, depth: int) -> list[tuple[Version, atom.FeedEntry]]:
    history: FolderHistory | None = entry.get("history")
    if history is None:
        return []
    name, url = _name(entry), page_url(entry["page"], site_url, depth)
    return [(version, atom.FeedEntry(
        id=stable_id("version", entry["institution"], version.commit),
        title=f"{name}：{parts_words(version)}有修改", updated=version.date, link=f"{url}#{version.anchor}",
        summary=f"{name}的备案数据于 {local_time(version)}（北京时间）修改了{parts_words(version)}，"
                f"数据版本 {version.short}。"))
        for version in history.versions]


def _stamp(newest: list[atom.FeedEntry], today: dt.date) -> str:
    """The feed's `updated`: its newest entry's, else the build's evaluation date (not the clock: same data, same file)."""
    return newest[0].updated if newest else f"{today.isoformat()}T00:00:00+00:00"


def _newest(items: list[tuple[Version, atom.FeedEntry]], limit: int) -> list[atom.FeedEntry]:
    def moment(version: Version):
        try:
            return dt.datetime.fromisoformat(version.date)
        except ValueError:
            return dt.datetime.min.replace(tzinfo=dt.timezone.utc)

    ordered = sorted(items, key=lambda pair: (moment(pair[0]), pair[1].id), reverse=True)
    return [item for _, item in ordered[:limit]]


def institution_feed(entry: dict, today: dt.date, site_url: str = "", author: str = "") -> str:
    newest = _newest(_entries(entry, site_url, depth=2), INSTITUTION_LIMIT)
    path = feed_path(entry["page"])
    return atom.feed(stable_id("feed", entry["institution"]), f"备案数据变更：{_name(entry)}", _stamp(newest, today),
                     author or _publisher(), newest, page=page_url(entry["page"], site_url, 2),
                     self_link=f"{site_url.rstrip('/')}/{path}" if site_url else "")


def all_feed(entries: list[dict], today: dt.date, site_url: str = "", author: str = "") -> str:
    newest = _newest([pair for entry in entries for pair in _entries(entry, site_url, depth=1)], ALL_LIMIT)
    listing = f"{site_url.rstrip('/')}/institutions/" if site_url else "../institutions/"
    return atom.feed(stable_id("feed", "all"), "备案数据变更（全部机构）", _stamp(newest, today), author or _publisher(),
                     newest, page=listing,
                     self_link=f"{site_url.rstrip('/')}/{ALL_FEED}" if site_url else "")
