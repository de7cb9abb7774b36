"""The generated docs folder, rewritten only where it changed.

`beian build` used to empty the docs folder and write every page again. A DocsWriter keeps a list of what it wrote
(DOCS_MANIFEST in the folder: per file the digest of the text, the size and mtime the file had right after writing,
and for a rendered page the key of what it was rendered from). A file whose text is the same and that nobody touched
since is left alone; a page whose key is the same is not even rendered again (an institution's page takes a few
milliseconds to render, 5,000 of them most of the page generation). Whatever this build did not write (a deleted
institution's pages, a download no longer made) is removed at the end, as emptying the folder did; hidden files
(the MARKER command.py leaves, this list) stay. A list that is missing, unreadable or of another format means every
file is written again.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Callable

from .incremental import digest_bytes, stat_of

DOCS_MANIFEST = ".beian-docs.json"
FORMAT = 1


class DocsWriter:
    def __init__(self, docs: Path):
        self.docs = docs
        self._prefix = str(docs) + os.sep  # string work: pathlib's relative_to was a tenth of a warm run
        self.before = self._read()
        self.now: dict[str, dict] = {}
        self.groups_before = self.before.pop("\0groups", {}) if isinstance(self.before.get("\0groups"), dict) else {}
        self.groups: dict[str, dict] = {}
        self.rendered = self.reused = self.written = self.kept = 0
        self.pages_rendered = self.pages_reused = 0  # of institution pages (build.py counts them)

    def _read(self) -> dict:
        try:
            data = json.loads((self.docs / DOCS_MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
            return {}
        files = {k: v for k, v in data["files"].items() if isinstance(v, dict)}
        if isinstance(data.get("groups"), dict):
            files["\0groups"] = data["groups"]
        return files

    def owns(self, path: Path) -> bool:
        return str(path).startswith(self._prefix)

    def _rel(self, path: Path) -> str:
        text = str(path)
        if not text.startswith(self._prefix):
            raise ValueError(f"{path} is not in {self.docs}")
        rel = text[len(self._prefix):]
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    def _intact(self, rel: str, before: dict | None) -> bool:
        return bool(before) and before.get("stat") is not None and before.get("stat") == stat_of(self._prefix + rel)

    def write(self, path: Path, text: str | bytes, key: str | None = None) -> None:
        """TEXT (str: written in text mode as Path.write_text does; bytes: as they are) into PATH under the docs."""
        rel = self._rel(path)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        digest = digest_bytes(data)
        before = self.before.get(rel)
        if self._intact(rel, before) and before.get("digest") == digest:
            self.kept += 1
            self.now[rel] = {**before, "key": key}
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        self.written += 1
        self.now[rel] = {"digest": digest, "stat": stat_of(path), "key": key}

    def render(self, path: Path, key: str | None, make: Callable[[], str]) -> None:
        """The page MAKE renders, unless the page at PATH was rendered from the same KEY and is untouched
        (no KEY: always rendered)."""
        rel = self._rel(path)
        before = self.before.get(rel)
        if key is not None and self._intact(rel, before) and before.get("key") == key:
            self.reused += 1
            self.now[rel] = before
            return
        self.rendered += 1
        self.write(path, make(), key)

    def group(self, folder: Path, key: str, make: Callable[[], object]):
        """Files another function writes into FOLDER (under the docs) all at once: MAKE runs unless the last build
        ran it with the same KEY and its files are untouched. Returns what MAKE returned (kept in the list: JSON)."""
        name = self._rel(folder)
        before = self.groups_before.get(name)
        if isinstance(before, dict) and before.get("key") == key and isinstance(before.get("files"), list) and \
                all(self._intact(rel, self.before.get(rel)) for rel in before["files"]):
            for rel in before["files"]:
                self.now[rel] = self.before[rel]
            self.groups[name] = before
            return before.get("value")
        shutil.rmtree(folder, ignore_errors=True)  # made whole: nothing left from an earlier run
        value = make()
        self.adopt(folder)
        self.groups[name] = {"key": key, "value": value,
                             "files": sorted(rel for rel in self.now if rel.startswith(name + "/"))}
        return value

    def adopt(self, path: Path) -> None:
        """Files another function wrote under PATH (a folder or one file): kept, not removed at the end."""
        paths = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
        for item in paths:
            self.now[self._rel(item)] = {"digest": None, "stat": stat_of(item), "key": None}

    def finish(self) -> None:
        """Remove what this build did not write, then record what it did."""
        for folder, dirs, files in os.walk(self.docs, topdown=False):
            here = Path(folder)
            top = here == self.docs
            for name in files:
                rel = self._rel(here / name)
                if rel not in self.now and not (top and name.startswith(".")):
                    (here / name).unlink()
            if not top:
                try:
                    here.rmdir()  # only when empty
                except OSError:
                    pass
        tmp = self.docs / f"{DOCS_MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"format": FORMAT, "files": self.now, "groups": self.groups}, ensure_ascii=False,
                                  separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, self.docs / DOCS_MANIFEST)
