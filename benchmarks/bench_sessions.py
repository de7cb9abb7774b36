"""`beian check` of one institution holding 20 assessment sessions, against a bare `import yaml`.

Issue 11 asks that checking one institution with 20 sessions stays under 3× the time of
`python -c "import yaml"` (the floor of any YAML tool in Python). This script builds such an institution
from the test fixtures (the base filing, filed, with 20 copies of the base session on consecutive weeks),
makes sure every session is valid (a measurement of invalid data means nothing), then times both commands
as whole processes, in turn (A B A B …, after two warm-up pairs), and prints each one's median wall and CPU time
(the operating system's accounting of the finished child, os.wait4) and the median of the pairs' ratios, which holds
when the machine's speed drifts: once warm (the record cache answers for the unchanged institution) and once cold
(`--no-cache`: every file parsed and judged).

    python benchmarks/bench_sessions.py [--sessions 20] [--runs 9] [--keep DIR]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one run of COMMAND, output discarded. A run
    that did not finish as a check does (exit code 0 or 1) stops the benchmark: a crash is fast, not a figure."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"bench: exit code {code} from {' '.join(command)}")
    return elapsed, usage.ru_utime + usage.ru_stime


def paired(a: list[str], b: list[str], runs: int, env: dict, warmup: int = 2) -> None:
    """A and B in turn, RUNS counted pairs after WARMUP; medians of each and of the pairs' ratios."""
    for _ in range(warmup):
        timed(a, env), timed(b, env)
    pairs = [(timed(a, env), timed(b, env)) for _ in range(runs)]
    for name, index in (("wall", 0), ("cpu", 1)):
        ratios = [x[index] / y[index] for x, y in pairs]
        print(f"  {name}: check {statistics.median(x[index] for x, _ in pairs):.3f} s, import yaml "
              f"{statistics.median(y[index] for _, y in pairs):.3f} s, ratio median {statistics.median(ratios):.2f} "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})", flush=True)


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
        paired([sys.executable, "-m", "generator", "check", str(folder), *extra], [sys.executable, "-c", "import yaml"],
               args.runs, env)
    print("target: ratio check / import yaml < 3")
    if not args.keep:
        shutil.rmtree(target, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
