#!/usr/bin/env python3
"""Benchmark of `beian check` on synthetic, schema-valid filings of realistic size.

    python benchmarks/bench_check.py [--institutions N] [--keep DIR] [--seed S]

1. Generates N institution folders (profile/scope/scheme/policies/personnel/sites/
   certificate[/reviews].yaml + evidence/) with real occupation codes, masked ID
   numbers and mobiles, and a random mix of deficiencies so every check path runs.
   Every generated filing must come out `"valid": true`; otherwise this script
   prints the errors and exits 1.
2. Times the real command line in subprocesses (interpreter start included):
   one institution (best of 5) and all N in one command (best of 3), with a warm
   validator cache, plus one cold run of each with an empty BEIAN_CACHE_DIR;
   and lists which heavy modules `check` imports (`python -X importtime`).
3. Prints a table with targets and PASS/FAIL and writes benchmarks/out/results.json.

A measurement, not a test: exit 0 whatever the figures; exit 1 only when a
generated filing is invalid (the benchmark would then measure the wrong path).
Standard library + the project (PyYAML, generator/) only.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent
OUT_DIR = HERE / "out"
sys.path.insert(0, str(PROJECT_ROOT))


from synthetic import generate  # noqa: E402

TODAY = "2026-11-23"
SHEET_ID = "henan-2022"
TARGET_SINGLE_S = 0.25            # one institution, interpreter start included
TARGET_BATCH_S_PER_1000 = 20.0    # 1,000 institutions in one command, 2-core machine
HEAVY_MODULES = ("pandas", "weasyprint", "mkdocs", "jieba", "jsonschema")
SINGLE_RUNS, BATCH_RUNS = 5, 3
SUBPROCESS_TIMEOUT = 1800


# --------------------------------------------------------------------------------------
# Running the command line
# --------------------------------------------------------------------------------------

def base_env(cache_dir: Path) -> dict:
    env = dict(os.environ)
    for key in ("PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE", "PYTHONSTARTUP"):
        env.pop(key, None)
    env["BEIAN_TODAY"] = TODAY
    env["BEIAN_CACHE_DIR"] = str(cache_dir)
    # These figures measure judging every institution; the record cache (an unchanged institution answered
    # from its stored record, generator/record_cache.py) is measured by bench_sessions.py.
    env["BEIAN_NO_CACHE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def check_cmd(*paths: Path, extra: tuple = ()) -> list[str]:
    return [sys.executable, *extra, "-m", "generator", "check", *map(str, paths), "-f", "json"]


def run(cmd: list[str], env: dict, capture: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=PROJECT_ROOT, timeout=SUBPROCESS_TIMEOUT,
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 0/1 are check outcomes; 2 or a traceback means it did not run
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"bench: command failed with exit code {proc.returncode}: {' '.join(cmd)}")
    return elapsed, proc


def timed(cmd: list[str], env: dict, runs: int) -> dict:
    times = [run(cmd, env, capture=False)[0] for _ in range(runs)]
    return {"best_s": round(min(times), 4), "median_s": round(statistics.median(times), 4),
            "runs_s": [round(t, 4) for t in times]}


def invalid_filings(payload: dict) -> list[dict]:
    return [f for f in payload["filings"] if f.get("valid") is not True]


def describe_invalid(filings: list[dict]) -> str:
    lines = []
    for filing in filings[:5]:
        lines.append(f"  {filing['path']}: valid={filing['valid']}")
        for finding in filing["findings"]:
            if finding["severity"] == "error":
                lines.append(f"    [{finding['rule']}] {finding['file']}:{finding.get('line')} {finding['message']}")
    if len(filings) > 5:
        lines.append(f"  … and {len(filings) - 5} more")
    return "\n".join(lines)


def imports_of(cmd: list[str], env: dict) -> dict:
    """Run with -X importtime; which top-level packages were imported, and the costliest imports."""
    _, proc = run(cmd, env)
    modules = {}
    for raw in proc.stderr.decode("utf-8", "replace").splitlines():
        if not raw.startswith("import time:") or "|" not in raw:
            continue
        parts = [part.strip() for part in raw[len("import time:"):].split("|")]
        if len(parts) != 3 or not parts[0].isdigit():
            continue  # the header line
        modules[parts[2]] = (int(parts[0]), int(parts[1]))
    top_level = {name.split(".")[0] for name in modules}
    heavy = {name: name in top_level for name in HEAVY_MODULES}
    own = sorted(((name, us) for name, (us, _) in modules.items() if name.startswith("generator")), key=lambda x: -x[1])
    biggest = sorted(((name, cum) for name, (_, cum) in modules.items()), key=lambda x: -x[1])
    return {
        "heavy_imported": heavy,
        "modules_imported": len(modules),
        "total_import_ms": round(sum(us for us, _ in modules.values()) / 1000, 1),
        "generator_self_ms": round(sum(us for _, us in own) / 1000, 1),
        "slowest_generator_modules_self_ms": [[n, round(us / 1000, 1)] for n, us in own[:6]],
        "largest_cumulative_ms": [[n, round(us / 1000, 1)] for n, us in biggest[:8]],
        "payload_valid": _payload_valid(proc.stdout),
    }


def _payload_valid(stdout: bytes):
    try:
        return [f["valid"] for f in json.loads(stdout)["filings"]]
    except (ValueError, KeyError):
        return None


def make_invalid_copy(source: Path, work: Path) -> Path:
    """A copy of one filing with an unknown field, so `check` has to explain a schema error."""
    target = work / "invalid" / source.name
    shutil.copytree(source, target)
    with (target / "sites.yaml").open("a", encoding="utf-8") as handle:
        handle.write("parking_lot: 200   # not a field of sites.schema.json\n")
    return target


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

def project_state() -> dict:
    """Which code was measured: the commit and any uncommitted changes to the checker."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""
    changed = git("status", "--porcelain", "--", "generator", "rules", "schemas", "pyproject.toml")
    return {"commit": git("rev-parse", "--short", "HEAD").strip() or None,
            "uncommitted_changes": [line[3:] for line in changed.splitlines()]}


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def verdict(value: float, target: float) -> str:
    return "PASS" if value < target else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `beian check` on synthetic filings.")
    parser.add_argument("--institutions", "-n", type=int, default=1000, help="how many institutions to generate (default 1000)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (must be empty or absent) and keep it")
    parser.add_argument("--seed", type=int, default=20261123, help="random seed (default 20261123)")
    parser.add_argument("--sample", type=int, default=8, help="institutions checked one by one for validity (default 8)")
    parser.add_argument("--out", default=str(OUT_DIR / "results.json"), help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.institutions < 1:
        parser.error("--institutions must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="beian-bench-"))
    if args.keep:
        parent = Path(args.keep).resolve()
        if parent.exists() and any(parent.iterdir()):
            parser.error(f"--keep {parent}: directory exists and is not empty")
        parent.mkdir(parents=True, exist_ok=True)
    else:
        parent = work / "institutions"
        parent.mkdir()
    try:
        return _bench(args, parent, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(args, parent: Path, work: Path) -> int:
    n = args.institutions
    print(f"bench: generating {n} institutions in {parent} …", flush=True)
    start = time.perf_counter()
    data = generate(parent, n, args.seed)
    data["generation_s"] = round(time.perf_counter() - start, 1)
    print(f"bench: generated in {data['generation_s']} s; mean {data['mean_occupations']} occupations, "
          f"{data['mean_people']} people, {data['mean_policies']} policies, {data['mean_yaml_kib']} KiB YAML "
          f"({data['mean_yaml_lines']} lines) per institution", flush=True)

    warm_cache = work / "cache-warm"
    env = base_env(warm_cache)
    slugs = sorted(p.name for p in parent.iterdir())
    single = parent / data["median_institution"]

    # Validity: a sample one by one through the real CLI, then all of them from the warm-up batch run.
    step = max(1, len(slugs) // max(1, args.sample))
    sample = [parent / slug for slug in slugs[::step][:args.sample]]
    print(f"bench: checking {len(sample)} sample institutions one by one …", flush=True)
    for folder in sample:
        _, proc = run(check_cmd(folder), env)
        bad = invalid_filings(json.loads(proc.stdout))
        if bad:
            print(f"bench: FATAL generated filing is invalid (the generator is wrong):\n{describe_invalid(bad)}", file=sys.stderr)
            return 1
    print("bench: warm-up batch run (fills the cache, validates every filing) …", flush=True)
    warmup_s, proc = run(check_cmd(parent), env)
    payload = json.loads(proc.stdout)
    bad = invalid_filings(payload)
    if bad or len(payload["filings"]) != n:
        print(f"bench: FATAL {len(bad)} of {len(payload['filings'])} generated filings are invalid:\n{describe_invalid(bad)}",
              file=sys.stderr)
        return 1
    decisions = collections.Counter(f["decision"] for f in payload["filings"])
    rules_hit = collections.Counter(x["rule"] for f in payload["filings"] for x in f["findings"])
    statuses = collections.Counter(c["status"] for f in payload["filings"] for c in f["criteria"])
    del payload, proc

    load_before = _loadavg()
    if load_before and load_before[0] > 0.5:
        print(f"bench: note: load average {load_before[0]:.2f} before timing; other processes may skew the figures",
              flush=True)
    print("bench: timing …", flush=True)
    baseline = timed([sys.executable, "-c", "pass"], env, SINGLE_RUNS)
    one = timed(check_cmd(single), env, SINGLE_RUNS)
    batch = timed(check_cmd(parent), env, BATCH_RUNS)
    cold_single = run(check_cmd(single), base_env(work / "cache-cold-1"), capture=False)[0]
    cold_batch = run(check_cmd(parent), base_env(work / "cache-cold-2"), capture=False)[0]

    load_after = _loadavg()
    print("bench: import analysis …", flush=True)
    imports_valid = imports_of(check_cmd(single, extra=("-X", "importtime")), env)
    invalid_dir = make_invalid_copy(single, work)
    imports_invalid = imports_of(check_cmd(invalid_dir, extra=("-X", "importtime")), env)
    if imports_invalid["payload_valid"] != [False]:
        print("bench: warning: the deliberately invalid copy was not reported invalid", file=sys.stderr)

    batch_target = TARGET_BATCH_S_PER_1000 * n / 1000
    results = {
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "implementation": platform.python_implementation(),
                    "platform": platform.platform(), "cpus": os.cpu_count(), "executable": sys.executable},
        "project": project_state(),
        "load_average_1_5_15": {"before_timing": load_before, "after_timing": load_after},
        "env": {"BEIAN_TODAY": TODAY, "warm_cache": "BEIAN_CACHE_DIR=<temp>/cache-warm, filled by the warm-up run",
                "cold_cache": "BEIAN_CACHE_DIR=<empty temp dir>"},
        "data": data,
        "outcomes": {"decisions": dict(decisions), "criterion_statuses": dict(statuses),
                     "finding_rules_hit": len(rules_hit), "findings_by_rule": dict(rules_hit.most_common())},
        "python_startup": baseline,
        "single": {**one, "institution": single.name, "target_s": TARGET_SINGLE_S,
                   "verdict": verdict(one["best_s"], TARGET_SINGLE_S), "cold_s": round(cold_single, 4)},
        "batch": {**batch, "institutions": n, "target_s": batch_target,
                  "verdict": verdict(batch["best_s"], batch_target), "cold_s": round(cold_batch, 4),
                  "warmup_with_json_capture_s": round(warmup_s, 4),
                  "per_institution_ms": round(batch["best_s"] / n * 1000, 2)},
        "imports": {"valid_filing": imports_valid, "invalid_filing": imports_invalid,
                    "verdict": "PASS" if not any(imports_valid["heavy_imported"].values())
                    and imports_invalid["heavy_imported"]["jsonschema"] else "FAIL"},
    }
    report(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    out.write_text(text, encoding="utf-8")
    if out.name == "results.json":
        (out.parent / f"results-n{n}.json").write_text(text, encoding="utf-8")
    print(f"\nbench: results written to {out}")
    if args.keep:
        print(f"bench: institutions kept in {parent}")
    return 0


def report(r: dict) -> None:
    n = r["data"]["institutions"]
    heavy_valid = [m for m, hit in r["imports"]["valid_filing"]["heavy_imported"].items() if hit]
    heavy_invalid = [m for m, hit in r["imports"]["invalid_filing"]["heavy_imported"].items() if hit]
    rows = [
        ("python -c pass (startup baseline)", f"{r['python_startup']['best_s']:.3f} s", "-", "-"),
        ("check 1 institution, warm (best of 5)", f"{r['single']['best_s']:.3f} s", f"< {TARGET_SINGLE_S} s", r["single"]["verdict"]),
        ("check 1 institution, cold cache", f"{r['single']['cold_s']:.3f} s", "-", "-"),
        (f"check {n} institutions, warm (best of 3)", f"{r['batch']['best_s']:.2f} s", f"< {r['batch']['target_s']:g} s",
         r["batch"]["verdict"]),
        (f"check {n} institutions, cold cache", f"{r['batch']['cold_s']:.2f} s", "-", "-"),
        ("  per institution (warm batch)", f"{r['batch']['per_institution_ms']:.1f} ms", f"< {TARGET_BATCH_S_PER_1000:g} ms", "-"),
        ("heavy imports, valid filing", ", ".join(heavy_valid) or "none", "none", "PASS" if not heavy_valid else "FAIL"),
        ("heavy imports, invalid filing", ", ".join(heavy_invalid) or "none", "jsonschema only",
         "PASS" if heavy_invalid == ["jsonschema"] else "FAIL"),
        ("import time, valid filing (sum of self)", f"{r['imports']['valid_filing']['total_import_ms']:.0f} ms", "-", "-"),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"\n{'measurement':<{width}}  {'result':>16}  {'target':>16}  verdict")
    print("-" * (width + 46))
    for name, value, target, result in rows:
        print(f"{name:<{width}}  {value:>16}  {target:>16}  {result}")
    decisions = r["outcomes"]["decisions"]
    print(f"\ndecisions: {decisions}; {r['outcomes']['finding_rules_hit']} distinct finding rules hit; "
          f"single institution = {r['single']['institution']}")


if __name__ == "__main__":
    sys.exit(main())
