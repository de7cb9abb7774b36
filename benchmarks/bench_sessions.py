"""`beian check` of one institution holding 20 assessment sessions, against a bare `import yaml`.

Issue 11 asks that checking one institution with 20 sessions stays under 3× the time of
`python -c "import yaml"` (the floor of any YAML tool in Python). This script builds such an institution
from the test fixtures (the base filing, filed, with 20 copies of the base session on consecutive weeks),
makes sure every session is valid (a measurement of invalid data means nothing), then times both commands
with farm-bench (`../.library`), which runs them in turn and reports the median ratio: once warm (the record cache
answers for the unchanged institution) and once cold (`--no-cache`: every file parsed and judged).

    python benchmarks/bench_sessions.py [--sessions 20] [--runs 9] [--keep DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from filing_patch import apply_edits  # noqa: E402  - the tests' own edit helper builds the data

FIXTURES = ROOT / "tests" / "fixtures"


def build(target: Path, sessions: int) -> Path:
    folder = target / "institutions" / "qinglan"
    shutil.copytree(FIXTURES / "base", folder)
    apply_edits(folder, {"variant": "filed"})
    first = dt.date(2026, 12, 8)
    for index in range(sessions):
        plan = f"T2026-{index + 1:02d}"
        day = first + dt.timedelta(weeks=index)
        session = folder / "sessions" / plan
        shutil.copytree(FIXTURES / "base-session", session)
        text = (session / "plan.yaml").read_text(encoding="utf-8")
        text = text.replace("plan_number: T2026-12", f"plan_number: {plan}")
        text = text.replace('"2026-12-08"', f'"{day.isoformat()}"').replace('"2026-12-09"',
                                                                          f'"{(day + dt.timedelta(days=1)).isoformat()}"')
        (session / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    target = args.keep or Path(tempfile.mkdtemp(prefix="bench-sessions-"))
    folder = build(target, args.sessions)
    env = dict(os.environ, BEIAN_TODAY="2026-11-23")
    # A user's Python keeps compiled bytecode (__pycache__); some sandboxes switch that off, which would make every
    # run recompile beian from source (about 70 ms here) and measure the sandbox, not the tool.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    output = subprocess.run([sys.executable, "-m", "generator", "check", str(folder), "-f", "json"], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8")
    record = json.loads(output.stdout)["filings"][0]
    invalid = [s["plan_number"] for s in record["sessions"] if not s["valid"]]
    if len(record["sessions"]) != args.sessions or invalid:
        print(f"generated sessions are not all valid: {invalid or len(record['sessions'])}", file=sys.stderr)
        return 1
    # The record cache (generator/record_cache.py) lives in a folder of this run: the warm figure is a check of
    # an unchanged institution (the warm-up runs fill the cache), the cold one judges everything (--no-cache).
    env["BEIAN_CACHE_DIR"] = str(target / "cache")
    for label, extra in (("warm: record cache filled by the warm-up runs", []), ("cold: --no-cache", ["--no-cache"])):
        print(f"{args.sessions} sessions in {folder}: all valid; {label} (BEIAN_TODAY=2026-11-23) …", flush=True)
        command = ["farm-bench", "-n", str(args.runs), "--warmup", "2", "--vs", f"{sys.executable} -c 'import yaml'",
                   "--", sys.executable, "-m", "generator", "check", str(folder), *extra]
        subprocess.run(command, cwd=ROOT, env=env, check=False)
    print("target: ratio A/B (check / import yaml) < 3")
    if not args.keep:
        shutil.rmtree(target, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
