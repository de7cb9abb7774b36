"""What people and attackers actually type (issue 9, item 6): a corpus of hostile input.

Every case asserts the exit code, a Chinese message, the file and line where there is one, and that
no Python traceback reaches the user, in every command and output format it concerns. Filing cases
are folders side by side, so each format is one `beian check` run over the whole corpus.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import BASE, ROOT, TODAY, run_beian

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _set(folder: Path, file: str, key: str, raw: str, occurrence: int = 1) -> int:
    """Replace the value of the OCCURRENCE-th `key:` line of FILE with RAW text; return its line number."""
    path = folder / file
    lines = path.read_text(encoding="utf-8").split("\n")
    seen = 0
    for number, line in enumerate(lines, start=1):
        match = re.match(rf"^(\s*-?\s*{re.escape(key)}:)", line)
        if match:
            seen += 1
            if seen == occurrence:
                lines[number - 1] = f"{match.group(1)} {raw}"
                path.write_text("\n".join(lines), encoding="utf-8")
                return number
    raise AssertionError(f"{key} not in {file}")


def _append(folder: Path, file: str, raw: str) -> int:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    text = text if text.endswith("\n") else text + "\n"
    path.write_text(text + raw + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _write_bytes(folder: Path, file: str, key: str, raw: bytes) -> int:
    """Like _set, with raw bytes (for characters YAML itself refuses)."""
    line = _set(folder, file, key, "PLACEHOLDER")
    path = folder / file
    path.write_bytes(path.read_bytes().replace(b"PLACEHOLDER", raw))
    return line


# name → (damage(folder) → line or None, rule, file, fragments of the message)
FILING_CASES = {
    # YAML tags: never needed, and the non-plain ones construct dates, bytes and sets JSON cannot write
    "tag-timestamp": (lambda d: _set(d, "certificate.yaml", "features", "!!timestamp 2024-01-01"), "yaml-tag", "certificate.yaml", ["!!timestamp"]),
    "tag-timestamp-on-a-date": (lambda d: _set(d, "profile.yaml", "date", "!!timestamp 2026-03-02"), "yaml-tag", "profile.yaml", ["!!timestamp"]),
    "tag-binary": (lambda d: _set(d, "certificate.yaml", "features", "!!binary aGVsbG8="), "yaml-tag", "certificate.yaml", ["!!binary"]),
    "tag-set": (lambda d: _set(d, "certificate.yaml", "features", "!!set {a, b}"), "yaml-tag", "certificate.yaml", ["!!set"]),
    "tag-omap": (lambda d: _set(d, "certificate.yaml", "features", "!!omap [a: 1, b: 2]"), "yaml-tag", "certificate.yaml", ["!!omap"]),
    "tag-pairs": (lambda d: _set(d, "certificate.yaml", "features", "!!pairs [a: 1]"), "yaml-tag", "certificate.yaml", ["!!pairs"]),
    "tag-str": (lambda d: _set(d, "certificate.yaml", "features", "!!str 封底"), "yaml-tag", "certificate.yaml", ["!!str"]),
    "tag-float-on-area": (lambda d: _set(d, "sites.yaml", "area", "!!float 60"), "yaml-tag", "sites.yaml", ["!!float"]),
    "tag-local": (lambda d: _set(d, "certificate.yaml", "features", "!foo 封底"), "yaml-tag", "certificate.yaml", ["!foo"]),
    "tag-non-specific": (lambda d: _set(d, "certificate.yaml", "features", "! 封底"), "yaml-tag", "certificate.yaml", ["标签 !"]),
    "tag-python": (lambda d: _set(d, "certificate.yaml", "features", "!!python/object/apply:os.system [id]"), "yaml-tag", "certificate.yaml", ["python"]),
    "tag-on-a-mapping": (lambda d: _set(d, "sites.yaml", "office", "!!map"), "yaml-tag", "sites.yaml", ["!!map"]),
    # numbers that are not amounts
    "inf-area": (lambda d: _set(d, "sites.yaml", "area", ".inf"), "number-invalid", "sites.yaml", [".inf"]),
    "negative-inf-area": (lambda d: _set(d, "sites.yaml", "area", "-.Inf"), "number-invalid", "sites.yaml", ["-.Inf"]),
    "nan-area": (lambda d: _set(d, "sites.yaml", "area", ".nan"), "number-invalid", "sites.yaml", [".nan"]),
    "nan-items": (lambda d: _set(d, "sites.yaml", "area", ".NAN", 3), "number-invalid", "sites.yaml", [".NAN"]),
    # dates
    "february-30": (lambda d: _set(d, "profile.yaml", "date", '"2025-02-30"'), "date-invalid", "profile.yaml", ["2025-02-30", "不存在"]),
    "february-29-common-year": (lambda d: _set(d, "profile.yaml", "date", '"2025-02-29"', 2), "date-invalid", "profile.yaml", ["2025-02-29"]),
    "april-31-in-a-policy": (lambda d: _set(d, "policies.yaml", "date", '"2024-04-31"'), "date-invalid", "policies.yaml", ["2024-04-31"]),
    "year-1026": (lambda d: _set(d, "profile.yaml", "date", '"1026-03-02"'), "date-invalid", "profile.yaml", ["早于 1949"]),
    "year-1948": (lambda d: _set(d, "sites.yaml", "date", '"1948-12-31"'), "date-invalid", "sites.yaml", ["1948-12-31"]),
    "year-2099": (lambda d: _set(d, "profile.yaml", "date", '"2099-03-02"'), "date-invalid", "profile.yaml", ["2099-03-02", "5 年"]),
    "month-13": (lambda d: _set(d, "profile.yaml", "date", '"2025-13-01"'), "schema", "profile.yaml", ["在日历上不存在：没有 13 月"]),
    "date-with-trailing-newline": (lambda d: _set(d, "profile.yaml", "date", '"2026-03-02\\n"'), "schema", "profile.yaml", ["格式不正确"]),
    # patterns are anchored at the very end
    "credit-code-with-trailing-newline": (lambda d: _set(d, "profile.yaml", "credit_code", '"12410200MB1C427569\\n"'), "schema", "profile.yaml", ["格式不正确"]),
    "occupation-code-with-trailing-newline": (lambda d: _set(d, "scope.yaml", "code", '"6-18-01-01\\n"'), "schema", "scope.yaml", ["格式不正确"]),
    "filing-number-with-trailing-newline": (lambda d: _set(d, "profile.yaml", "existing_code", '"Y000041029001\\n"'), None, "profile.yaml", []),
    # required text that is only blanks
    "ideographic-spaces-only": (lambda d: _set(d, "profile.yaml", "name", '"\u3000\u3000"'), "text-blank", "profile.yaml", ["只有空格"]),
    "zero-width-only": (lambda d: _set(d, "certificate.yaml", "issuer", '"\u200b\u200c\u200d\u2060\ufeff"'), "text-blank", "certificate.yaml", ["`issuer`"]),
    "spaces-and-tab-only": (lambda d: _set(d, "profile.yaml", "name", '" \\t \u3000"', 2), "text-blank", "profile.yaml", ["只有空格"]),
    # bidirectional and other control characters
    "right-to-left-override": (lambda d: _set(d, "certificate.yaml", "features", "封底\u202e印有校训"), "text-control", "certificate.yaml", ["U+202E"]),
    "left-to-right-mark": (lambda d: _set(d, "certificate.yaml", "seal", "河南青岚\u200e技工学校职业技能等级认定中心"), "text-control", "certificate.yaml", ["U+200E"]),
    "bidi-isolate-in-comment": (lambda d: _append(d, "scheme.yaml", "# 注\u2067释\u2069"), "text-control", "scheme.yaml", ["U+2067", "U+2069"]),
    "escape-sequence-in-quotes": (lambda d: _set(d, "certificate.yaml", "features", '"\\e[2J\\e[31m清屏"'), "text-control", "certificate.yaml", ["U+001B"]),
    "nul-in-quotes": (lambda d: _set(d, "certificate.yaml", "features", '"封底\\0"'), "text-control", "certificate.yaml", ["U+0000"]),
    "c1-csi-in-quotes": (lambda d: _set(d, "certificate.yaml", "features", '"\\x9b31m"'), "text-control", "certificate.yaml", ["U+009B"]),
    "bell-in-a-name": (lambda d: _set(d, "profile.yaml", "name", '"河南青岚技工学校\\a"'), "text-control", "profile.yaml", ["U+0007"]),
    # characters the YAML reader refuses: translated, with line and column
    "raw-control-character": (lambda d: _write_bytes(d, "certificate.yaml", "features", b"\x01"), "yaml-syntax", "certificate.yaml", ["控制字符", "U+0001"]),
    "raw-escape": (lambda d: _write_bytes(d, "certificate.yaml", "features", b"\x1b[31m"), "yaml-syntax", "certificate.yaml", ["U+001B"]),
    "raw-noncharacter": (lambda d: _write_bytes(d, "certificate.yaml", "features", "\ufffe".encode()), "yaml-syntax", "certificate.yaml", ["U+FFFE"]),
    "raw-nul": (lambda d: _write_bytes(d, "certificate.yaml", "features", b"\x00"), "encoding", "certificate.yaml", ["空字符"]),
    # nesting
    "nesting-2000-deep": (lambda d: _set(d, "certificate.yaml", "features", "[" * 2000 + "]" * 2000), "yaml-syntax", "certificate.yaml", ["嵌套层级过深"]),
    "nesting-60-deep": (lambda d: _set(d, "certificate.yaml", "features", "[" * 60 + "]" * 60), "yaml-syntax", "certificate.yaml", ["嵌套层级超过"]),
    # files that are not files
    "folder-named-profile": (lambda d: ((d / "sites.yaml").unlink(), (d / "sites.yaml").mkdir(), None)[-1], "file-unreadable", "sites.yaml", ["不是普通文件"]),
    "fifo-named-profile": (lambda d: ((d / "sites.yaml").unlink(), os.mkfifo(d / "sites.yaml"), None)[-1], "file-unreadable", "sites.yaml", ["不是普通文件"]),
    "file-link-outside": (lambda d: ((d / "sites.yaml").unlink(), (d / "sites.yaml").symlink_to("/etc/hostname"), None)[-1],
                          "file-unreadable", "sites.yaml", ["以外的符号链接"]),
}
del FILING_CASES["filing-number-with-trailing-newline"]  # schema pattern on existing_code is free text; kept below
FORMATS = ["text", "markdown", "json", "github", "sarif"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """Every filing case as its own institution folder, plus where each expects its finding."""
    root = tmp_path_factory.mktemp("hostile") / "institutions"
    root.mkdir()
    expected = {}
    for name, (damage, rule, file, fragments) in FILING_CASES.items():
        folder = root / name
        shutil.copytree(BASE, folder)
        expected[name] = (damage(folder), rule, file, fragments)
    outside = root.parent / "elsewhere"
    shutil.copytree(BASE, outside)
    (root / "folder-link-outside").symlink_to(outside, target_is_directory=True)
    expected["folder-link-outside"] = (None, "folder-outside", None, ["仓库以外的符号链接"])
    return {"root": root, "expected": expected}


@pytest.fixture(scope="module")
def reports(corpus) -> dict:
    out = {}
    for fmt in FORMATS:
        result = run_beian("check", str(corpus["root"]), "--format", fmt)
        out[fmt] = result
    return out


def test_corpus_gives_exit_1_and_no_traceback_in_every_format(reports):
    for fmt, result in reports.items():
        assert result.returncode == 1, (fmt, result.stderr[-2000:])
        assert "Traceback" not in result.stdout + result.stderr, fmt
        assert "\x1b" not in result.stdout, f"{fmt}: a raw escape character reached the output"
        if fmt in ("text", "github"):
            assert "\u202e" not in result.stdout and "\x9b" not in result.stdout, fmt


def _json_findings(report: str, name: str) -> list[dict]:
    data = json.loads(report)
    record = next(r for r in data["filings"] if r["institution"] == name)
    return record["findings"]


@pytest.mark.parametrize("name", sorted(FILING_CASES) + ["folder-link-outside"])
def test_case_is_reported_with_file_and_line(name, corpus, reports):
    line, rule, file, fragments = corpus["expected"][name]
    findings = _json_findings(reports["json"].stdout, name)
    matching = [f for f in findings if f["rule"] == rule and all(x in f["message"] for x in fragments)
                and (file is None or f["file"].endswith(f"{name}/{file}"))]
    assert matching, f"no {rule} finding with {fragments} in {findings}"
    finding = matching[0]
    assert finding["severity"] == "error"
    assert CHINESE.search(finding["message"]), finding
    if line is not None:
        assert finding["line"] == line, finding
    # the same finding, in the other formats
    where = finding["file"] + (f":{finding['line']}" if finding.get("line") else "")
    text = reports["text"].stdout
    assert f"{where}: 错误 [{rule}]" in text
    assert where in reports["markdown"].stdout
    github = f"file={finding['file']}" + (f",line={finding['line']}" if finding.get("line") else "")
    assert github in reports["github"].stdout or f"[{rule}]" in reports["github"].stdout
    sarif = json.loads(reports["sarif"].stdout)
    results = [r for run in sarif["runs"] for r in run["results"] if r["ruleId"] == rule
               and r["locations"] and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
                   f"{name}/{file}" if file else name)]
    assert results, f"{rule} for {name} not in SARIF"
    if line is not None:
        assert any(r["locations"][0]["physicalLocation"]["region"]["startLine"] == line for r in results)


def test_filing_number_with_trailing_newline_is_not_a_filing_number(base_copy: Path):
    _set(base_copy, "profile.yaml", "category", "增量备案")
    _set(base_copy, "profile.yaml", "existing_code", '"Y000041029001\\n"')
    result = run_beian("check", str(base_copy), "-f", "json")
    findings = json.loads(result.stdout)["filings"][0]["findings"]
    assert any(f["rule"] == "filing-status" and "格式不正确" in f["message"] for f in findings), findings


def test_text_report_shows_control_characters_escaped(tmp_path: Path):
    folder = tmp_path / "esc\x1b[2Jschool"
    shutil.copytree(BASE, folder)
    _set(folder, "profile.yaml", "name", '"河南\\e]0;pwned\\a青岚\\x9b2J"')
    _set(folder, "certificate.yaml", "features", "封底\u202e印有")
    result = run_beian("check", str(folder))
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in out, repr(raw)
    assert "esc\\x1b[2Jschool" in out
    assert "\\x1b]0;pwned\\x07" in out and "U+202E" in out


def test_legitimate_chinese_text_is_not_refused(base_copy: Path):
    """Full-width punctuation, CJK, emoji, inner ideographic spaces and block scalars stay valid."""
    _set(base_copy, "certificate.yaml", "features",
         "|\n  封底印有校训“青衿立业、岚山砺技”！（内页：底纹——主楼线描图）👍🏫\n  第二行；《证书》【样式】…… 〇一二\n\n  第四行　内有全角空格")
    _set(base_copy, "profile.yaml", "name", "河南青岚技工学校", 1)
    _append(base_copy, "scheme.yaml", "# 注释里也可以有中文标点：“”‘’！？、。😀")
    _set(base_copy, "sites.yaml", "location", "实训楼A座201室（东侧）！")
    _set(base_copy, "profile.yaml", "date", '"2024-02-29"')
    result = run_beian("check", str(base_copy), "-f", "json")
    record = json.loads(result.stdout)["filings"][0]
    problems = [f for f in record["findings"] if f["severity"] != "notice"]
    assert record["valid"], problems
    assert not problems, problems


# --- command line: paths, permissions, input and output files ----------------------------------

def _main(*args: str) -> int:
    from generator.cli import main

    return main(list(args))


@pytest.mark.parametrize("args", [
    ("check", "institutions/x\x00y"),
    ("check", "-f", "sarif", "\x00"),
    ("import-scope", "a\x00.xlsx"),
    ("import-scope", "ok.xlsx", "--out", "scope\x00.yaml"),
    ("sheets", "--out", "out\x00dir"),
    ("bundle", "x", "--out", "\x00"),
    ("build", "--docs-dir", "d\x00"),
    ("pr-comment", "--report", "r\x00.md"),
    ("diff", "HEAD\x00"),
])
def test_nul_in_an_argument_is_a_usage_error(args, capsys):
    assert _main(*args) == 2
    captured = capsys.readouterr()
    assert "空字符" in captured.err and "Traceback" not in captured.err


def test_unreadable_file_is_reported_not_raised(base_copy: Path, monkeypatch):
    """As root (CI runs in a container as root) permissions cannot be taken away, so the OSError is simulated."""
    from generator.engine import evaluate_path

    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "scheme.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = evaluate_path(base_copy, ROOT)
    found = [f for f in result.findings if f.rule == "file-unreadable"]
    assert not result.valid and found and "没有读取权限" in found[0].message and found[0].file.endswith("scheme.yaml")


def test_folder_without_search_permission_is_reported_not_raised(base_copy: Path, monkeypatch):
    from generator.engine import evaluate_path

    real = Path.is_symlink

    def is_symlink(self):
        if self.parent == base_copy and self.suffix == ".yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_symlink", is_symlink)
    result = evaluate_path(base_copy, ROOT)
    assert not result.valid
    assert any(f.rule == "file-unreadable" and "没有读取权限" in f.message for f in result.findings)


def test_unlistable_folder_is_a_usage_error(tmp_path: Path, monkeypatch, capsys):
    (tmp_path / "a").mkdir()

    def iterdir(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", iterdir)
    assert _main("check", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "没有读取权限" in err and str(tmp_path) in err


def _nobody_can_run_python() -> bool:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return False
    # nobody must reach this Python and the checkout itself (a clone under a private mktemp folder is not
    # reachable); the permission cases are still covered in-process by the simulated tests above
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                            "import generator.cli"], capture_output=True, cwd="/",
                           env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1"))
    return probe.returncode == 0


@pytest.mark.skipif(not _nobody_can_run_python() and os.geteuid() == 0,
                    reason="as root permissions do not apply, and nobody cannot run this Python on this checkout")
def test_really_unreadable_files_as_a_normal_user():
    """Real permissions: run as this user when not root, or as nobody via setpriv when root."""
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="beian-permissions-"))
    tmp_path.chmod(0o755)  # pytest's own temporary folders are private to root; nobody must reach this one
    try:
        _run_unreadable(tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)  # so that a non-root user can delete it again
        shutil.rmtree(tmp_path, ignore_errors=True)


def _run_unreadable(tmp_path: Path) -> None:
    school = tmp_path / "school"
    shutil.copytree(BASE, school)
    (school / "scheme.yaml").chmod(0)
    locked = tmp_path / "locked"
    shutil.copytree(BASE, locked)
    locked.chmod(0)
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    env = dict(os.environ, BEIAN_TODAY=TODAY, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1",
               XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    for target, code, fragment in ((school, 1, "没有读取权限"), (locked, 2, "没有读取权限")):
        result = subprocess.run([*prefix, sys.executable, "-m", "generator", "check", str(target)], cwd=tmp_path,
                                env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
        out = result.stdout + result.stderr
        assert result.returncode == code and fragment in out and "Traceback" not in out, out[-2000:]


@pytest.mark.parametrize("make, fragment", [
    (lambda p: None, "不存在"),
    (lambda p: p.mkdir(), "不是文件"),
    (lambda p: p.write_bytes("检查报告".encode("gb18030")), "GBK"),
    (lambda p: p.write_bytes(b"\x00\x01binary"), "空字符"),
    (lambda p: p.write_bytes(b"\xff\xfe" + "报告".encode("utf-16-le")), "UTF-16"),
])
@pytest.mark.parametrize("option", ["--report", "--diff"])
def test_pr_comment_inputs(option, make, fragment, tmp_path: Path):
    report = tmp_path / "report.md"
    report.write_text("# 报告\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    make(bad)
    args = ["pr-comment", "--report", str(bad)] if option == "--report" else ["pr-comment", "--report", str(report), "--diff", str(bad)]
    result = run_beian(*args)
    out = result.stdout + result.stderr
    if option == "--diff" and fragment == "不存在":  # a missing diff is normal in CI: no comparable base
        assert result.returncode == 0 and "报告" in result.stdout
        return
    assert result.returncode == 2 and fragment in result.stderr and option in result.stderr, out
    assert "Traceback" not in out


def test_output_options_that_are_files_or_foreign_folders(tmp_path: Path, base_copy: Path):
    mine = tmp_path / "mine.txt"
    mine.write_text("我写的\n", encoding="utf-8")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.md").write_text("我的笔记\n", encoding="utf-8")
    runs = [
        (("sheets", str(base_copy), "--out", str(mine)), 2, "不是文件夹"),
        (("bundle", str(base_copy), "--out", str(mine)), 2, None),  # 2 either way: not a folder, or no fonts here
        (("receipt", str(base_copy), "--out", str(mine)), 2, None),
        (("build", str(base_copy), "--generate-only", "--no-downloads", "--docs-dir", str(foreign)), 2, "不是 beian 以前生成的"),
        (("build", str(base_copy), "--no-downloads", "--docs-dir", str(tmp_path / "docs"), "--out", str(foreign)), 2, "不是 beian 以前生成的"),
        (("build", str(base_copy), "--generate-only", "--no-downloads", "--docs-dir", str(mine)), 2, "不是文件夹"),
        (("docs", "--out", str(mine)), 2, "不是文件夹"),
    ]
    for args, code, fragment in runs:
        result = run_beian(*args)
        out = result.stdout + result.stderr
        assert result.returncode == code, (args, out[-1500:])
        assert "Traceback" not in out and CHINESE.search(result.stderr), (args, out[-1500:])
        if fragment:
            assert fragment in result.stderr, (args, result.stderr)
    assert mine.read_text(encoding="utf-8") == "我写的\n"
    assert (foreign / "notes.md").read_text(encoding="utf-8") == "我的笔记\n"
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.md"]


def test_build_may_rewrite_the_folders_it_made(tmp_path: Path, base_copy: Path):
    docs = tmp_path / "docs"
    for _ in range(2):
        result = run_beian("build", str(base_copy), "--generate-only", "--no-downloads", "--docs-dir", str(docs))
        assert result.returncode == 0, result.stderr
    assert (docs / ".beian-generated").is_file()


def test_workbooks_store_control_characters_as_codes(tmp_path: Path, base_copy: Path):
    _set(base_copy, "profile.yaml", "name", '"河南青岚\\x01技工学校\\e[31m"')
    _set(base_copy, "scope.yaml", "name", '"车工\\b\\x0b"')
    out = tmp_path / "sheets"
    result = run_beian("sheets", str(base_copy), "--out", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    from openpyxl import load_workbook

    values = [str(cell.value) for book in out.glob("*.xlsx") for ws in load_workbook(book).worksheets
              for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert any("\\x01" in v and "\\x1b[31m" in v for v in values), values[:40]
    assert any("车工\\x08\\x0b" in v for v in values)


# --- import-scope: workbooks that are not, or are too much -------------------------------------

def _workbook(path: Path, cells: dict | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "认定范围清单"
    for col, header in enumerate(["职业名称", "职业编号", "工种/职业方向", "级别", "评价标准"], start=1):
        ws.cell(row=1, column=col, value=header)
    for col, value in enumerate(["车工", "6-18-01-01", "", "4、3", "国家标准"], start=1):
        ws.cell(row=2, column=col, value=value)
    for (row, col), value in (cells or {}).items():
        ws.cell(row=row, column=col, value=value)
    book.save(path)
    return path


def _zip(path: Path, members: dict, compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _bomb(path: Path) -> Path:
    """A valid-looking xlsx whose one sheet inflates from about 50 KB to 50 MB."""
    with zipfile.ZipFile(_workbook(path)) as good:
        parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"] + b" " * (50 * 1024 * 1024)
    return _zip(path, parts)


def _rewrite(path: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as good:
        parts = {name: good.read(name) for name in good.namelist()}
    parts[part] = data
    return _zip(path, parts)


def _huge_dimension(path: Path) -> Path:
    """A tiny file whose sheet says (and has a cell at) XFD1048576: pandas would build 17 billion cells."""
    _workbook(path)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    return _rewrite(path, "xl/worksheets/sheet1.xml", sheet)


def _lying_dimension(path: Path) -> Path:
    """The same, with <dimension> claiming A1:E2: the cell references still count."""
    _huge_dimension(path)
    with zipfile.ZipFile(path) as book:
        sheet = book.read("xl/worksheets/sheet1.xml")
    return _rewrite(path, "xl/worksheets/sheet1.xml", sheet.replace(b'ref="A1:XFD1048576"', b'ref="A1:E2"'))


def _truncated(path: Path) -> Path:
    _workbook(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _broken_xml(path: Path) -> Path:
    return _rewrite(_workbook(path), "xl/workbook.xml", b"<workbook><sheets><sheet name=")


IMPORT_CASES = {
    "zip-bomb": (_bomb, "解压后过大"),
    "many-members": (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>", **{f"xl/media/{i}.bin": b"" for i in range(500)}}), "部件"),
    "huge-dimension": (_huge_dimension, "1048576 行"),
    "lying-dimension": (_lying_dimension, "16384 列"),
    "ods": (lambda p: _zip(p, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
                           zipfile.ZIP_STORED), ".ods"),
    "xls": (lambda p: p.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504), ".xls"),
    "docx": (lambda p: _zip(p, {"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}), "不是 Excel 工作簿"),
    "csv": (lambda p: p.write_text("职业名称,职业编号\n车工,6-18-01-01\n", encoding="utf-8"), "不是有效的 Excel"),
    "gbk-text": (lambda p: p.write_bytes("职业名称".encode("gb18030")), "不是有效的 Excel"),
    "empty": (lambda p: p.write_bytes(b""), "不是有效的 Excel"),
    "truncated": (_truncated, "已损坏"),
    "broken-xml": (_broken_xml, "无法读取"),
    "folder": (lambda p: p.mkdir(), "不是文件"),
    "missing": (lambda p: None, "找不到文件"),
}


@pytest.mark.parametrize("name", sorted(IMPORT_CASES))
def test_import_scope_refuses_with_a_chinese_message(name, tmp_path: Path):
    make, fragment = IMPORT_CASES[name]
    path = tmp_path / f"{name}.xlsx"
    make(path)
    result = run_beian("import-scope", str(path))
    out = result.stdout + result.stderr
    assert result.returncode == 1, out[-2000:]
    assert fragment in result.stderr and CHINESE.search(result.stderr), result.stderr
    assert "Traceback" not in out and result.stdout == ""


def test_import_scope_limits_are_checked_before_parsing(tmp_path: Path, monkeypatch):
    """No parser is reached for a bomb or a huge sheet: the refusal cannot depend on how fast a machine is."""
    from generator.bundle import excel

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(excel, "_import_scope", never)
    for make in (_bomb, _huge_dimension, _lying_dimension):
        path = make(tmp_path / f"{make.__name__}.xlsx")
        with pytest.raises(excel.ScopeImportError):
            excel.import_scope(path)


def test_import_scope_never_overwrites(tmp_path: Path):
    book = _workbook(tmp_path / "scope.xlsx")
    target = tmp_path / "scope.yaml"
    target.write_text("我写的\n", encoding="utf-8")
    for out in (target, tmp_path):
        result = run_beian("import-scope", str(book), "--out", str(out))
        assert result.returncode == 1 and "不会覆盖" in result.stderr, result.stderr
    assert target.read_text(encoding="utf-8") == "我写的\n"
    missing_parent = run_beian("import-scope", str(book), "--out", str(tmp_path / "no" / "such" / "scope.yaml"))
    assert missing_parent.returncode == 2 and "不存在" in missing_parent.stderr
    assert "Traceback" not in missing_parent.stderr
    fine = run_beian("import-scope", str(book), "--out", str(tmp_path / "new.yaml"))
    assert fine.returncode == 0 and "6-18-01-01" in (tmp_path / "new.yaml").read_text(encoding="utf-8")


# --- diff and pr-comment on hostile revisions ----------------------------------------------------

@pytest.mark.parametrize("ref", ["no-such-branch", "--all", "HEAD~99999", "a" * 300, "HEAD:", "../../etc/passwd"])
def test_diff_bad_revisions(ref):
    result = run_beian("diff", "--", ref) if ref.startswith("-") else run_beian("diff", ref)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out[-1500:]
    assert "Traceback" not in out and CHINESE.search(result.stderr), out[-1500:]
