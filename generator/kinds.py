"""Document kinds: which folders of the repository hold what (rules/kinds.yaml).

A kind is matched by a path pattern (`institutions/*` is a filing, `institutions/*/sessions/*` one of
its assessment sessions) and names its files, its parent kind and its rule set. The loader
(filing.py) and the engine read a folder's kind instead of a fixed list of files, so a new kind of
document is data plus a schema, a rule set and its checks.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from .paths import rules_file


@dataclass(frozen=True)
class FileSpec:
    key: str
    name: str
    always: bool  # required whatever the folder says (other requirements are the rule set's)
    description: str


@dataclass(frozen=True)
class Kind:
    id: str
    title: str
    folder: str
    files: tuple[FileSpec, ...]
    allowed_extra: tuple[str, ...] = ()
    parent: str | None = None
    rule_set: str | None = None
    locator: str | None = None
    # A pattern (`*.yaml`) when each matching file of the folder is one subject (a supervision record), its
    # one file spec standing for whichever file is judged; None when the folder is one subject.
    each_file: str | None = None

    def for_file(self, name: str) -> "Kind":
        """An each-file kind narrowed to one file: its single file spec names that file, so the loader, the
        locations and the schema (by the spec's key) work as for a folder of fixed files."""
        from dataclasses import replace

        spec = self.files[0]
        return replace(self, files=(FileSpec(spec.key, name, True, spec.description),))

    def subject_files(self, folder) -> list:
        """The files of an each-file kind's folder that are subjects, by name; [] when unreadable."""
        try:
            return sorted(p for p in folder.iterdir() if p.is_file() and fnmatch.fnmatchcase(p.name, self.each_file)
                          and not p.name.startswith((".", "_")))
        except OSError:
            return []

    @property
    def table(self) -> dict[str, tuple[str, bool, str]]:
        """key → (file name, always required, description): the shape the loader has always used."""
        return {f.key: (f.name, f.always, f.description) for f in self.files}

    def matches(self, relative: str) -> bool:
        """Whether a folder path relative to the project root is of this kind (one `*` = one folder)."""
        parts, pattern = PurePosixPath(relative).parts, PurePosixPath(self.folder).parts
        return len(parts) == len(pattern) and all(fnmatch.fnmatchcase(p, q) for p, q in zip(parts, pattern))

    @property
    def subfolder(self) -> str | None:
        """For a child kind, the folder under its parent that holds it (`sessions`)."""
        if not self.parent:
            return None
        parent = PurePosixPath(kind(self.parent).folder).parts
        # a folder kind's last part is its own `*`; an each-file kind's folder is wholly under its parent
        end = None if self.each_file else -1
        return PurePosixPath(*PurePosixPath(self.folder).parts[len(parent):end]).as_posix()


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(rules_file("kinds.yaml"), encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=loader)
    found = {}
    for raw in data["kinds"]:
        files = tuple(FileSpec(key, spec["file"], bool(spec.get("always")), spec["description"])
                      for key, spec in raw["files"].items())
        found[raw["id"]] = Kind(raw["id"], raw["title"], raw["folder"], files, tuple(raw.get("allowed_extra") or ()),
                                raw.get("parent"), raw.get("rule_set"), raw.get("locator"), raw.get("each_file"))
    return found


def kind(kind_id: str) -> Kind:
    return kinds()[kind_id]


def kind_of(relative: str) -> Kind | None:
    """The kind of a folder given relative to the project root, or None."""
    return next((k for k in kinds().values() if k.matches(relative)), None)


def file_keys() -> dict[str, Kind]:
    """Every file key of every kind → its kind (file keys are unique: one schema per key)."""
    return {spec.key: k for k in kinds().values() for spec in k.files}
