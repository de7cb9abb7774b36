"""Shared test helpers: run the CLI as a user would, build filings from the base fixture."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
TODAY = "2026-11-23"

# Checks run by the tests keep their record cache (generator/record_cache.py) in a folder of this test run,
# never in the user's ~/.cache: each run starts cold and leaves nothing behind.
if "BEIAN_CACHE_DIR" not in os.environ:
    import atexit
    import tempfile

    os.environ["BEIAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="beian-test-cache-")
    atexit.register(shutil.rmtree, os.environ["BEIAN_CACHE_DIR"], True)


def run_beian(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m generator` in a subprocess, exactly as the `beian` command would."""
    environment = dict(os.environ, BEIAN_TODAY=TODAY, PYTHONIOENCODING="utf-8")
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, env=environment,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def check_json(*paths: str | Path, extra: tuple = ()) -> tuple[int, dict]:
    result = run_beian("check", *map(str, paths), "--format", "json", *extra)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.fixture
def base_copy(tmp_path: Path) -> Path:
    """A fresh copy of the complete base filing, free to break."""
    target = tmp_path / "base-school"
    shutil.copytree(BASE, target)
    return target
