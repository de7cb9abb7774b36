"""Loading one folder of YAML files: every file, every value with its line.

A folder `institutions/<slug>/` holds one YAML file per part of the filing
(FILES below), an `evidence/` folder with attachments, and optionally the
reviewers' `reviews.yaml`; its `sessions/<plan>/` folders hold assessment sessions. Which files a
folder has is its kind's (rules/kinds.yaml, generator/kinds.py): a session is loaded by the same
code as a filing, as a Filing of kind `session`. Loading never raises for bad input: each problem
becomes a Finding with the file and line it is about.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .findings import Finding
from . import personal
from .textfile import TextFileError, os_reason, read_text
from .yamlload import Document, YamlSyntaxError, load_yaml

from .filenames import FILES  # noqa: F401 - re-exported: callers name the files through the loader
from .kinds import Kind, kind as kind_named


@dataclass(frozen=True, slots=True)
class Ref:
    """A place in the filing: which file, and the path to a value inside it."""

    doc: str
    path: tuple = ()
    line: int | None = None  # for places that are lines of text rather than values (comments)


@dataclass
class Filing:
    slug: str
    root: Path
    display_root: str
    docs: dict[str, Document] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # every decodable file, even unparsable ones
    derived: dict = field(default_factory=dict)  # values computed once per filing and shared by checks
    load_findings: list[Finding] = field(default_factory=list)
    # Values the schema rejected as of the wrong type, as (file key, path): checks cannot use them.
    rejected: set = field(default_factory=set)
    # While a set: every (file key, path) read through get() is added to it (engine.py, to tell which
    # criteria depend on a file that failed to load or on a rejected value).
    reads: set | None = field(default=None, repr=False)
    # What kind of folder this is (rules/kinds.yaml): an institution's filing, or one of its sessions.
    kind: Kind = field(default_factory=lambda: kind_named("filing"), repr=False)

    @property
    def files(self) -> dict[str, tuple[str, bool, str]]:
        return self.kind.table

    # --- reading values -------------------------------------------------------------
    def get(self, doc: str, *path: Any, default: Any = None) -> Any:
        if self.reads is not None:
            self.reads.add((doc, path))
        document = self.docs.get(doc)
        node = document.data if document else None
        for step in path:
            if isinstance(node, dict):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return default
        return default if node is None else node

    def items(self, doc: str, *path: Any) -> list:
        """A list value, or [] when absent or of the wrong type."""
        value = self.get(doc, *path, default=[])
        return value if isinstance(value, list) else []

    def section(self, doc: str, *path: Any) -> dict:
        value = self.get(doc, *path, default={})
        return value if isinstance(value, dict) else {}

    def at(self, doc: str, *path: Any) -> Ref:
        return Ref(doc, tuple(path))

    # --- locating ---------------------------------------------------------------------
    def file_of(self, doc: str) -> str:
        files = self.kind.table
        return f"{self.display_root}/{files[doc][0]}" if doc in files else f"{self.display_root}/{doc}"

    def line_of(self, ref: Ref) -> int | None:
        if ref.line is not None:
            return ref.line
        document = self.docs.get(ref.doc)
        return document.line_of(ref.path) if document else None

    @property
    def name(self) -> str:
        if self.kind.locator:  # a session is called by its plan number (the folder name when absent)
            main = self.kind.files[0].key
            return str(self.get(main, self.kind.locator, default=self.slug))
        return str(self.get("profile", "institution", "name", default=self.slug))


def display_path(root: Path, project_root: Path) -> str:
    try:
        return root.resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return root.as_posix()


def load_filing(root: Path, project_root: Path, substitute: dict[str, str | None] | None = None,
                kind: Kind | None = None, slug: str | None = None) -> Filing:
    """SUBSTITUTE: file key → text to read instead of the file on disk (None: as if absent), e.g. a
    PR check scoring with the base revision's reviews.yaml. KIND: the folder's kind (a filing when
    not given; load_session passes the session kind)."""
    filing = Filing(slug=slug or root.name, root=root, display_root=display_path(root, project_root),
                    kind=kind or kind_named("filing"))
    if root.is_symlink() and not root.resolve().is_relative_to(project_root.resolve()):
        filing.load_findings.append(Finding(
            "folder-outside", "error", f"机构文件夹 {root.name} 是指向仓库以外的符号链接，不读取其中的文件。",
            filing.display_root, None, None, "把备案文件直接放在 institutions/ 下的机构文件夹里，不要用符号链接。"))
        return filing
    absent = []
    for key, (file_name, required, description) in filing.files.items():
        path = root / file_name
        if substitute and key in substitute:
            if substitute[key] is not None:
                _load_one(filing, key, path, substitute[key])
            continue
        try:
            problem = _not_a_plain_file(root, path)
            present = path.is_file()
        except OSError as exc:  # a folder without read/search permission: stat itself fails
            problem, present = f"无法读取（{os_reason(exc)}）", False
        if problem:
            filing.load_findings.append(Finding("file-unreadable", "error", f"{file_name} {problem}。",
                                                filing.file_of(key), None, None,
                                                "备案文件必须是本机构文件夹里的普通文本文件。"))
            continue
        if not present:
            absent.append(key)
            continue
        _load_one(filing, key, path)
    _report_missing_files(filing, absent)
    if not filing.kind.each_file:  # an each-file folder holds its siblings: none of them is unknown
        _report_unknown_files(filing)
        _report_stray_files(filing)
    return filing


def load_session(root: Path, project_root: Path) -> Filing:
    """One assessment session folder (institutions/<slug>/sessions/<plan>/)."""
    return load_filing(root, project_root, kind=kind_named("session"))


def load_record(path: Path, project_root: Path) -> Filing:
    """One supervision record file (institutions/<slug>/sessions/<plan>/supervision/<form>-<card>.yaml): a Filing
    of kind `supervision` whose one file is PATH, named by the file's stem."""
    record_kind = kind_named("supervision").for_file(path.name)
    return load_filing(path.parent, project_root, kind=record_kind, slug=path.stem)


def record_files(session_root: Path) -> list[Path]:
    """The supervision record files of a session folder, by name; [] when it has none."""
    record_kind = kind_named("supervision")
    return record_kind.subject_files(session_root / (record_kind.subfolder or "supervision"))


def load_register(root: Path, project_root: Path) -> Filing:
    """One jurisdiction's supervision register folder (department/<jurisdiction>/)."""
    return load_filing(root, project_root, kind=kind_named("register"))


def session_folders(filing_root: Path) -> list[Path]:
    """The session folders of an institution, by folder name; [] when it has none or they cannot be read."""
    folder = filing_root / (kind_named("session").subfolder or "sessions")
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except OSError:
        return []


def _report_missing_files(filing: Filing, absent: list[str]) -> None:
    """file-missing for each absent file the folder needs: for a filing, what its 备案类别 needs
    (rules/filing-categories.yaml); for other kinds, the files their kind marks always required."""
    if filing.kind.id != "filing":
        for key in absent:
            file_name, always, description = filing.files[key]
            if always:
                filing.load_findings.append(Finding(
                    "file-missing", "error", f"缺少文件 {file_name}（{description}）。", filing.file_of(key), None, None,
                    f"可用 `beian new-session` 生成{filing.kind.title}模板。"))
        return
    from .categories import category, required_files

    name = filing.get("profile", "application", "category")
    needed = required_files(name)
    known = category(name)
    for key in absent:
        file_name, always, description = FILES[key]
        if not (always or key in needed):
            continue
        why = f"{known.name}须提交" if known else "备案文件"
        filing.load_findings.append(Finding(
            "file-missing", "error", f"缺少文件 {file_name}（{description}；{why}）。",
            filing.file_of(key), None, None,
            "可用 `beian new 机构代号` 生成完整模板，再把缺少的文件复制过来。"))


def _not_a_plain_file(root: Path, path: Path) -> str | None:
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return "是指向机构文件夹以外的符号链接，不能读取"
    if path.exists() and not path.is_file():
        return "不是普通文件（可能是文件夹或设备文件）"
    return None


def _load_one(filing: Filing, key: str, path: Path, text: str | None = None) -> None:
    file = filing.file_of(key)
    try:
        text = read_text(path) if text is None else text
        filing.texts[key] = text
        document, problems = load_yaml(text, path.name)
    except TextFileError as exc:
        filing.load_findings.append(Finding(exc.rule, "error", exc.message, file, exc.line, None, exc.hint))
        return
    except YamlSyntaxError as exc:
        p = exc.problem
        filing.load_findings.append(Finding(p.rule, "error", p.message, file, p.line, p.column, p.hint))
        return
    for p in problems:
        filing.load_findings.append(Finding(p.rule, "error", p.message, file, p.line, p.column, p.hint))
    reported = {p.line for p in problems}
    if not schema.is_valid_fast(key, document.data):
        unfilled = _unfilled_reviews(key, document.data)
        for error in schema.schema_errors(key, document.data):
            if tuple(error.absolute_path)[:2] in unfilled:
                continue  # a review-template entry not filled in yet: still pending (engine.py says so once)
            if error.validator == "type":
                filing.rejected.add((key, tuple(error.absolute_path)))
            if _is_privacy_leak(error.instance):
                continue  # reported, masked, by the id-number-unmasked / mobile-unmasked rules
            message, path_for_line, hint, rule = schema.describe_error(key, error)
            line = document.line_of(path_for_line)
            if error.validator in ("type", "additionalProperties") and line in reported:
                continue  # a tag, .inf, or a full-width colon, space or comma on this line, explained above
            filing.load_findings.append(Finding(rule, "error", message, file, line, None, hint))
        if not isinstance(document.data, dict):
            return  # nothing usable to check further
    filing.docs[key] = document


def _unfilled_reviews(key: str, data) -> set[tuple]:
    if key != "reviews":
        return set()
    from .review_entries import unfilled_indexes

    return {("decisions", index) for index in unfilled_indexes(data)}


def _is_privacy_leak(value) -> bool:
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    return bool(text) and personal.contains(text)


def _report_stray_files(filing: Filing) -> None:
    """Entries of a child each-file folder (a session's supervision/) that are no subject of it: a record named
    `.yml` or `.txt` would otherwise be skipped without a word. Reported on the folder's parent (the session)."""
    import fnmatch

    from .kinds import kinds

    for child in kinds().values():
        if not (child.each_file and child.parent == filing.kind.id and child.subfolder):
            continue
        folder = filing.root / child.subfolder
        try:
            entries = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for entry in entries:
            if fnmatch.fnmatchcase(entry, child.each_file) or entry in child.allowed_extra or entry.startswith("."):
                continue
            stem = entry.rsplit(".", 1)[0]
            filing.load_findings.append(Finding(
                "unknown-file", "error" if entry.endswith(".yml") else "warning",
                f"{child.title}文件夹中不认识的文件 {entry}，它不会被检查。", f"{filing.display_root}/{child.subfolder}/{entry}",
                None, None, f"{child.title}的文件名是“表编号-证卡编号.yaml”：是不是想命名为 {stem}.yaml？"))


def _report_unknown_files(filing: Filing) -> None:
    expected = [name for name, _, _ in filing.files.values()]
    try:
        entries = sorted(p.name for p in filing.root.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry in expected or entry in filing.kind.allowed_extra or entry.startswith("."):
            continue
        import difflib  # only for a misnamed file: its import is a cost of every start-up

        guess = difflib.get_close_matches(entry, expected, n=1, cutoff=0.6)
        hint = f"是不是想命名为 {guess[0]}？" if guess else f"{filing.kind.title}的文件只能是：" + "、".join(expected) + "；附件放在 evidence/ 下。"
        filing.load_findings.append(Finding(
            "unknown-file", "error" if guess else "warning",
            f"不认识的文件 {entry}，它不会被检查。", f"{filing.display_root}/{entry}", None, None, hint))
