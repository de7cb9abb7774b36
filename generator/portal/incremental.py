"""Incremental `beian build`: mkdocs renders only the pages whose output would change.

A manifest in the output folder (MANIFEST) records what the last successful build made:
  - the site digest: everything every page depends on (mkdocs.yml, the theme overrides, the hooks' code, the
    versions of mkdocs, material and the Markdown libraries, the footer and other `extra` settings, the nav,
    site_url, strict, this module's code). Any difference → a clean full build;
  - per file mkdocs copies or renders (docs pages, docs static files, theme assets): the digest of its source and of
    its output; per page also its search entries, its anchors, its links to other pages' anchors and every path it
    looked up while its links were resolved (a link's target appearing or disappearing changes the page);
  - the files the build writes besides those (404.html, sitemap, search index) and the digests of outputs the
    privacy scan already read and found clean.
With a matching site digest, mkdocs' own dirty build runs with each File's is_modified() decided by those digests,
never by modification times (a git checkout or a restored CI cache changes every mtime). A page whose source, output
or link targets changed is rendered again; the others keep their output, their stored search entries go into the
search index in the order a full build writes them, and their stored anchors and links take part in the anchor
validation as if they had been rendered. Outputs of files no longer in the docs, and anything else in the output
folder a full build would not write, are removed. A manifest that is missing, unreadable, corrupt, of another
format or from another site means a full build. A build that logged a warning records no manifest, so the next
build is a full one and says the warning again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path

MANIFEST = ".beian-build.json"  # published.BOOKKEEPING
FORMAT = 1
DIRTY_WARNING = "A 'dirty' build is being performed"
PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Jinja2", "mkdocs-material-extensions")


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def stat_of(path) -> list[int] | None:
    """[size, mtime in ns], None if PATH is missing: what says a file is as it was written."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def file_digest(path: str, known: dict | None = None) -> str | None:
    """The digest of the file at PATH (None if it cannot be read). KNOWN: what a manifest recorded for it
    ({"digest", "stat"}); when size and mtime are still the ones recorded right after it was written, the recorded
    digest is taken without reading the file. A changed mtime (checkout, cache restore) only means a re-read."""
    stat = stat_of(path)
    if stat is None:
        return None
    if known and known.get("stat") == stat and isinstance(known.get("digest"), str):
        return known["digest"]
    try:
        with open(path, "rb") as handle:
            return digest_bytes(handle.read())
    except OSError:
        return None


def _tree_digest(digest, folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(digest_bytes(path.read_bytes()).encode() + b"\0")


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=absent")
    return ";".join(found)


def site_digest(config, config_file: str) -> str:
    """Everything every page of the site depends on besides its own source (see the module's docstring)."""
    from material.plugins.search import plugin as search_plugin

    digest = hashlib.sha256(f"beian-site {FORMAT}|{sys.version}|{_versions()}".encode())
    digest.update(Path(config_file).read_bytes())
    digest.update(Path(__file__).read_bytes())
    for hook in config["hooks"] or []:
        digest.update(b"\0hook\0" + (Path(config_file).parent / hook).read_bytes())  # relative to mkdocs.yml
    if config["theme"].custom_dir:
        _tree_digest(digest, Path(config["theme"].custom_dir))
    settings = {key: config[key] for key in ("site_url", "strict", "extra", "nav", "use_directory_urls", "site_name",
                                             "extra_css", "extra_javascript", "docs_dir")}
    settings["docs_dir"] = None  # where the sources are does not change a page; their content does
    settings["jieba"] = search_plugin.jieba is not None  # build.plain_search_entries
    settings["nav_files"] = sorted(_nav_files(config["nav"] or [], Path(config["docs_dir"])))
    digest.update(json.dumps(settings, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _nav_files(nav, docs: Path):
    """(page, exists) for every page the nav names: a nav page appearing or disappearing changes every page."""
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                yield from _nav_files(value, docs)
            elif isinstance(value, str) and "://" not in value:
                yield value, (docs / value).is_file()


def read_manifest(out: Path) -> dict | None:
    """The last build's manifest, or None when it is missing, unreadable, corrupt or of another format."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    for key, kind in (("site", str), ("files", dict), ("pages", dict), ("extras", dict), ("clean", list),
                      ("scanner", str)):
        if not isinstance(data.get(key), kind):
            return None
    if not all(isinstance(v, dict) for v in data["files"].values()) or \
            not all(isinstance(v, dict) for v in data["pages"].values()):
        return None
    return data


def write_manifest(out: Path, manifest: dict) -> None:
    path = out / MANIFEST
    tmp = path.with_name(f"{MANIFEST}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def remove_manifest(out: Path) -> None:
    try:
        (out / MANIFEST).unlink()
    except OSError:
        pass


class _DropDirtyWarning(logging.Filter):
    """mkdocs warns on every dirty build, and strict mode turns any warning into an abort: that one message only
    is dropped (the digests below are what make this dirty build safe)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_WARNING)


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    @property
    def count(self) -> int:
        return len(self.messages)

    def emit(self, record):
        self.messages.append(record.getMessage())


def _plugin_class():
    from mkdocs.plugins import BasePlugin, event_priority

    class IncrementalPlugin(BasePlugin):
        """Decides which files are modified, and keeps search entries, anchors and links of the pages not
        rendered again (see the module's docstring)."""

        def __init__(self, previous: dict | None, site: str):
            super().__init__()
            self.previous = previous or {"files": {}, "pages": {}, "extras": {}}
            self.site = site
            self.modified: dict[str, bool] = {}
            self.lookups: dict[str, dict[str, bool]] = {}
            self.search_entries: dict[str, list] = {}
            self.rendered: list[str] = []
            self.reused: list[str] = []
            self.files = None
            self.search = None
            self._mark = 0

        # --- deciding -------------------------------------------------------------------------------------
        def on_files(self, files, config):
            self.files = files
            self.search = next((p for name, p in config.plugins.items() if name.endswith("search")), None)
            known_files, known_pages = self.previous["files"], self.previous["pages"]
            for file in files:
                before = known_files.get(file.src_uri)
                changed = self._changed(file, before)
                if not changed and file.is_documentation_page():
                    page = known_pages.get(file.src_uri)
                    changed = page is None or any(
                        (files.get_file_from_path(path) is not None) != found
                        for path, found in (page.get("lookups") or {}).items())
                self.modified[file.src_uri] = changed
                file.is_modified = (lambda value: lambda: value)(changed)
            lookup = files.get_file_from_path

            def recorded_lookup(path):
                found = lookup(path)
                page = config._current_page
                if page is not None:
                    self.lookups.setdefault(page.file.src_uri, {})[str(path)] = found is not None
                return found

            files.get_file_from_path = recorded_lookup
            return files

        def _changed(self, file, before: dict | None) -> bool:
            if not before or before.get("dest") != file.dest_uri:
                return True
            if file.abs_src_path is None or file_digest(file.abs_src_path, before.get("source")) != \
                    (before.get("source") or {}).get("digest"):
                return True
            return file_digest(file.abs_dest_path, before.get("output")) != (before.get("output") or {}).get("digest")

        # --- search entries -----------------------------------------------------------------------------------
        def on_page_context(self, context, page, config, nav):
            if self.search is not None:
                entries = self.search.search_index.entries
                self.search_entries[page.file.src_uri] = entries[self._mark:]
                self._mark = len(entries)
            return context

        # --- anchors of pages not rendered --------------------------------------------------------------------
        def on_env(self, env, config, files):
            known = self.previous["pages"]
            for file in files.documentation_pages():
                page = file.page
                if page is None or self.modified.get(file.src_uri, True):
                    continue
                stored = known.get(file.src_uri) or {}
                page.present_anchor_ids = set(stored.get("anchors") or [])
                page.links_to_anchors = {files.get_file_from_path(target): dict(links)
                                         for target, links in (stored.get("links") or {}).items()
                                         if files.get_file_from_path(target) is not None}
            return env

        @event_priority(100)  # before the search plugin writes its index
        def on_post_build(self, config):
            if self.search is None:
                return
            merged = []
            for file in self.files.documentation_pages():
                if self.modified.get(file.src_uri, True):
                    self.rendered.append(file.src_uri)
                    merged += self.search_entries.get(file.src_uri, [])
                else:
                    self.reused.append(file.src_uri)
                    merged += (self.previous["pages"].get(file.src_uri) or {}).get("search") or []
            self.search.search_index.entries = merged

        # --- what the next build is told ------------------------------------------------------------------------
        def page_record(self, file) -> dict:
            if not self.modified.get(file.src_uri, True):
                return self.previous["pages"][file.src_uri]
            page = file.page
            return {"search": self.search_entries.get(file.src_uri, []),
                    "anchors": sorted(page.present_anchor_ids or ()),
                    "links": {target.src_uri: links for target, links in (page.links_to_anchors or {}).items()},
                    "lookups": self.lookups.get(file.src_uri, {})}

    return IncrementalPlugin


def _remove(path: Path, top: Path) -> None:
    try:
        path.unlink()
    except OSError:
        return
    parent = path.parent
    while parent != top and parent.is_relative_to(top):
        try:
            parent.rmdir()  # only when empty
        except OSError:
            break
        parent = parent.parent


def _outputs(out: Path) -> list[str]:
    """Every file of the built site (posix paths relative to OUT), hidden files (the marker, the manifest) aside."""
    found = []
    for folder, dirs, files in os.walk(out):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(folder).relative_to(out)
        found += [(rel / name).as_posix() for name in files if not name.startswith(".")]
    return found


def _known(path: str, before: dict | None = None) -> dict | None:
    """{"digest", "stat"} of the file at PATH, None if it cannot be read; BEFORE as in file_digest."""
    stat = stat_of(path)
    if stat is None:
        return None
    digest = file_digest(path, before)
    return None if digest is None else {"digest": digest, "stat": stat_of(path)}


def build(config, out: Path, config_file: str) -> dict:
    """mkdocs build of CONFIG into OUT, dirty when the manifest allows it. Returns the run's record for scan()
    and finish(): counts of pages rendered and reused, whether it was a full build, the next manifest."""
    from mkdocs.commands.build import build as mkdocs_build

    site = site_digest(config, config_file)
    previous = read_manifest(out)
    dirty = previous is not None and previous["site"] == site and out.is_dir()
    if not dirty:
        previous = None
    plugin = _plugin_class()(previous, site)
    config.plugins["beian/incremental"] = plugin
    counter = _WarningCounter()
    build_logger = logging.getLogger("mkdocs.commands.build")
    dropper = _DropDirtyWarning()
    build_logger.addFilter(dropper)
    logging.getLogger("mkdocs").addHandler(counter)
    remove_manifest(out)  # a build that stops half way leaves no manifest: the next one is full
    try:
        mkdocs_build(config, dirty=dirty)
    finally:
        build_logger.removeFilter(dropper)
        logging.getLogger("mkdocs").removeHandler(counter)
    before_files = previous["files"] if previous else {}
    files, pages, expected = {}, {}, set()
    for file in plugin.files:
        expected.add(file.dest_uri)
        before = before_files.get(file.src_uri) or {}
        files[file.src_uri] = {"dest": file.dest_uri,
                               "source": _known(file.abs_src_path, before.get("source")) if file.abs_src_path else None,
                               "output": _known(file.abs_dest_path, before.get("output"))}
        if file.is_documentation_page():
            pages[file.src_uri] = plugin.page_record(file)
    if previous:
        for src, before in previous["files"].items():
            if src not in files and before.get("dest"):
                _remove(out / before["dest"], out)
        expected |= set(previous["extras"])
        for stray in set(_outputs(out)) - expected:  # what a full build would not have written
            _remove(out / stray, out)
    extras = {path: _known(str(out / path)) for path in sorted(set(_outputs(out)) - expected)}
    if previous:
        extras.update({path: _known(str(out / path)) for path in previous["extras"] if (out / path).is_file()})
    documentation = len(pages)
    rendered = len(plugin.rendered) if previous else documentation
    manifest = {"format": FORMAT, "site": site, "files": files, "pages": pages, "extras": extras,
                "clean": [], "scanner": ""}
    return {"rendered": rendered, "reused": documentation - rendered, "full": previous is None,
            "manifest": None if counter.count else manifest, "previous": previous, "warnings": counter.messages}


def scanner_digest() -> str:
    """What the privacy scan's answer depends on: the detector's code (personal.py and what reads files for it)."""
    from .. import identifiers, personal, published

    digest = hashlib.sha256(b"beian-scan")
    for module in (personal, published, identifiers):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def scan(out: Path, run: dict, jobs: int = 0) -> tuple[int, int, list]:
    """The privacy scan of the built site: (files checked, files read now, leaks). An output whose digest the
    last build's scan already found clean (with the same detector) is not read again; anything new or altered is."""
    from ..published import scan_paths, scannable

    scanner = scanner_digest()
    previous = run["previous"]
    clean = set(previous["clean"]) if previous and previous.get("scanner") == scanner else set()
    manifest = run["manifest"]
    digests = {}
    if manifest:
        digests = {f["dest"]: (f["output"] or {}).get("digest") for f in manifest["files"].values()}
        digests.update({path: (known or {}).get("digest") for path, known in manifest["extras"].items()})
    paths = scannable(out)
    keys = {p: _clean_key(p, digests.get(p.relative_to(out).as_posix())) for p in paths}
    unread = [p for p in paths if keys[p] is None or keys[p] not in clean]
    read, leaks = scan_paths(out, unread, masked=True, jobs=jobs) if unread else (0, [])
    if manifest and not leaks:
        manifest["scanner"] = scanner
        manifest["clean"] = sorted({key for key in keys.values() if key})
    return len(paths), read, leaks


def _clean_key(path: Path, digest: str | None) -> str | None:
    """The scan reads a file by its kind (markup, drawing, text, PDF, workbook): the same bytes under another
    suffix are another question."""
    return f"{path.suffix.lower()}:{digest}" if digest else None


def finish(out: Path, run: dict) -> None:
    """Record the manifest for the next build (after the privacy scan passed)."""
    if run["manifest"] is not None:
        write_manifest(out, run["manifest"])
