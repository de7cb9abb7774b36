"""Every path option means the same thing: relative to the folder the command runs in, resolved once
by beian (issue: a relative --out used to land under site/ and the privacy scan read nothing).
Output folders inside the filings, the rules, the schemas, .git or over the repository are refused."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, run_beian
from generator.published import scannable

SAMPLE = ROOT / "institutions" / "songyue-jishi"


def _relative(target: Path, start: Path) -> str:
    return os.path.relpath(target, start)


@pytest.mark.parametrize("where", ["elsewhere", "repo_subfolder"])
def test_build_writes_where_the_user_means_and_scans_every_file(tmp_path, where):
    work = tmp_path / "work" / "sub"
    work.mkdir(parents=True)
    cwd = work if where == "elsewhere" else ROOT / "tests"
    out, docs = tmp_path / "work" / "public", work / "generated"
    result = run_beian("build", str(SAMPLE), "--no-downloads", "--out", _relative(out, cwd),
                       "--docs-dir", _relative(docs, cwd), cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "index.html").is_file() and (out / "institutions" / "songyue-jishi" / "index.html").is_file()
    assert (docs / "index.md").is_file()
    assert not (ROOT / "site" / "work").exists() and not (ROOT / "site" / "generated" / "work").exists()
    scanned = int(re.search(r"已读 (\d+) 个输出文件", result.stdout).group(1))
    assert scanned == len(scannable(out)) > 50
    assert str(out) in result.stdout  # the summary names the absolute folder it wrote


def test_bundle_sheets_and_docs_take_relative_and_dotdot_paths(tmp_path):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    result = run_beian("sheets", str(SAMPLE), "-o", "../sheets", cwd=work)
    assert result.returncode == 0, result.stderr
    books = sorted(p.name for p in (tmp_path / "a" / "sheets").glob("*.xlsx"))
    assert len(books) == 2 and f"已读 {len(books)} 个工作簿" in result.stdout
    result = run_beian("docs", "--out", "rules-pages", cwd=work)
    assert result.returncode == 0, result.stderr
    assert len(list((work / "rules-pages").rglob("*.md"))) > 40
    result = run_beian("bundle", str(SAMPLE), "-o", _relative(tmp_path / "pdf", ROOT / "tests"), cwd=ROOT / "tests")
    assert result.returncode == 0, result.stderr
    plans = len([p for p in (SAMPLE / "sessions").iterdir() if p.is_dir()])  # one 认定实施计划 per session
    assert (tmp_path / "pdf" / "songyue-jishi.pdf").is_file() and f"已逐页读回 {1 + plans} 份 PDF" in result.stdout
    result = run_beian("bundle", str(SAMPLE), "-o", str(tmp_path / "pdf-abs"))
    assert result.returncode == 0 and (tmp_path / "pdf-abs" / "songyue-jishi.pdf").is_file()


@pytest.mark.parametrize("command", [["build", "--no-downloads", "--out"], ["build", "--no-downloads", "--docs-dir"],
                                     ["bundle", "songyue-jishi", "-o"], ["sheets", "songyue-jishi", "-o"], ["docs", "--out"]])
@pytest.mark.parametrize("target", ["institutions/songyue-jishi/out", "rules/out", "schemas", ".git/out", ".", ".."])
def test_outputs_over_what_people_wrote_are_refused(command, target):
    before = sorted(str(p) for p in (ROOT / "institutions").rglob("*"))
    result = run_beian(*command, target, cwd=ROOT)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "输出" in result.stderr
    assert sorted(str(p) for p in (ROOT / "institutions").rglob("*")) == before
    assert not (ROOT / "rules" / "out").exists() and not (ROOT / ".git" / "out").exists()


def test_a_refusal_from_a_subfolder_names_the_absolute_folder():
    result = run_beian("docs", "--out", "../rules/pages", cwd=ROOT / "tests")
    assert result.returncode == 2
    assert str(ROOT / "rules" / "pages") in result.stderr and "rules/（评分规则）" in result.stderr


@pytest.mark.parametrize("written", [[], ["stray.html"]])
def test_a_build_whose_scan_finds_no_site_fails(tmp_path, monkeypatch, capsys, written):
    """If the site went somewhere else (or nowhere), the scan must not pass for having read nothing."""
    from generator import cli
    from generator.portal import build as portal

    def build_site_elsewhere(docs, out, strict=True, site_url="", **options):
        out.mkdir(parents=True, exist_ok=True)
        for name in written:
            (out / name).write_text("<p>旧文件</p>", encoding="utf-8")
        return 0.0

    monkeypatch.setattr(portal, "build_site", build_site_elsewhere)
    code = cli.main(["build", str(SAMPLE), "--no-downloads", "--out", str(tmp_path / "out"),
                     "--docs-dir", str(tmp_path / "docs"), "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "无法确认其中没有个人号码" in err


def test_relative_paths_from_the_repository_root(tmp_path):
    """From the root, `-o out/…` lands in the repository's (git-ignored) out/ folder, not under site/."""
    import shutil
    import uuid

    name = f"test-{uuid.uuid4().hex[:8]}"
    try:
        result = run_beian("sheets", "songyue-jishi", "-o", f"out/{name}/sheets", cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert len(list((ROOT / "out" / name / "sheets").glob("*.xlsx"))) == 2
        result = run_beian("docs", "--out", f"out/{name}/docs", cwd=ROOT)
        assert result.returncode == 0 and (ROOT / "out" / name / "docs" / "index.md").is_file()
    finally:
        shutil.rmtree(ROOT / "out" / name, ignore_errors=True)
