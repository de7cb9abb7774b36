"""`beian check` streams: records are written as the workers make them, in the order of the folders, and a
run over many folders says the same in every format with one process or two, cold or from the cache; the
record cache sees every change to a folder through its stat memo, and a cache restored into another checkout
path still answers."""
from __future__ import annotations

import json
import os
import re
import shutil
import time

import pytest

from conftest import ROOT, run_beian
from generator.record_cache import RACY_NS

FORMATS = ("text", "markdown", "json", "github", "sarif")
COPIES = 6  # 5 samples × 6 = 30 institutions: more than batch.PARALLEL_FROM, several chunks in flight


def _same_run(text: str) -> str:
    """The github format stops workflow commands with a fresh random token each run."""
    found = re.search(r"^::stop-commands::(\w+)$", text, re.M)
    return text.replace(found.group(1), "TOKEN") if found else text


def _project(target):
    for part in ("rules", "schemas", "department/henan"):
        shutil.copytree(ROOT / part, target / part)
    shutil.copy(ROOT / "beian.yaml", target / "beian.yaml")
    return target


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    project = _project(tmp_path_factory.mktemp("streaming") / "project")
    samples = sorted(p for p in (ROOT / "institutions").iterdir() if p.is_dir())
    for copy in range(COPIES):
        for sample in samples:
            shutil.copytree(sample, project / "institutions" / f"{sample.name}-{copy}")
    return project


def _check(project, *args, cache, **env):
    return run_beian("check", *args, cwd=project,
                     env={"BEIAN_ROOT": str(project), "BEIAN_CACHE_DIR": str(cache), **env})


def test_one_process_and_two_say_the_same_in_every_format(many, tmp_path):
    cache = tmp_path / "cache"
    serial = _check(many, "-j", "1", "-f", "json", "--no-cache", cache=cache)
    parallel = _check(many, "-j", "2", "-f", "json", cache=cache)   # cold: fills the cache
    assert "Traceback" not in parallel.stderr and parallel.stdout == serial.stdout
    report = json.loads(parallel.stdout)
    names = sorted(p.name for p in (many / "institutions").iterdir())
    assert [r["institution"] for r in report["filings"]] == names  # every folder once, in order
    assert [r["jurisdiction"] for r in report["registers"]] == ["henan"]
    for fmt in FORMATS:
        for verbose in ((), ("-v",)):
            one = _check(many, "-j", "1", "-f", fmt, *verbose, cache=cache)
            two = _check(many, "-j", "2", "-f", fmt, *verbose, cache=cache)
            assert (one.returncode, _same_run(one.stdout)) == (two.returncode, _same_run(two.stdout)), (fmt, verbose)


def test_the_exit_code_counts_every_institution_when_streaming(many, tmp_path):
    """huanghe-zhongzhi fails (a veto); the check fails however many institutions come after it."""
    result = _check(many, "-j", "2", cache=tmp_path / "cache")
    assert result.returncode == 1 and "共 30 个机构" in result.stdout


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(tmp_path):
    """The stat memo compares the change time (ctime) too, which a program cannot set back."""
    project = _project(tmp_path / "project")
    school = project / "institutions" / "songyue-jishi"
    shutil.copytree(ROOT / "institutions" / "songyue-jishi", school)
    cache = tmp_path / "cache"
    old = 1_700_000_000_000_000_000
    for path in school.rglob("*"):
        os.utime(path, ns=(old, old))
    time.sleep(RACY_NS / 1e9 + 0.2)  # the change times too must be old enough for the memo to be stored
    first = _check(project, str(school), "-f", "json", cache=cache)
    assert list((cache / "records" / "stat").iterdir())  # the memo was written
    profile = school / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    name = json.loads(first.stdout)["filings"][0]["name"]
    changed = name[:-1] + ("院" if name[-1] != "院" else "校")   # one character for another: same size in UTF-8
    assert len(changed.encode()) == len(name.encode())
    profile.write_text(text.replace(name, changed), encoding="utf-8")
    os.utime(profile, ns=(old, old))
    again = json.loads(_check(project, str(school), "-f", "json", cache=cache).stdout)
    assert again["filings"][0]["name"] == changed


def test_a_cache_restored_into_another_checkout_path_answers(tmp_path):
    """As actions/cache restores it: the same repository checked out elsewhere finds its records."""
    cache = tmp_path / "cache"
    outputs = []
    for where in ("first", "second"):
        project = _project(tmp_path / where / "repo")
        shutil.copytree(ROOT / "institutions" / "songyue-jishi", project / "institutions" / "songyue-jishi")
        outputs.append(_check(project, "-f", "json", cache=cache).stdout)
        entries = sorted((cache / "records").rglob("*.rec"))
        assert len(entries) == 2  # the institution and the register: the second checkout wrote nothing new
    assert outputs[0] == outputs[1]
