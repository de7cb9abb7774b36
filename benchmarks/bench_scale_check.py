"""`beian check` at national scale: cold and warm against the parse floor, measured in the same run.

For each data set (an existing synthetic register given with --data, or N institutions generated into a temporary
folder with benchmarks/synthetic.py for -n N), in this order:

  floor       PyYAML's C loader (CSafeLoader) over every .yaml file of the set, one process: the least any YAML
              tool in Python pays to read the register (interpreter start and `import yaml` included); run
              twice, the better taken, so that it reads from the page cache as the checks after it do;
  cold -j 2   `beian check` with an empty record cache (entries written), two worker processes;
  warm        the same command again, twice, best taken (every record answered from the cache);
  cold -j 1   an empty cache again, one process (skipped with --no-j1: it takes twice as long);
  no-cache    `beian check --no-cache -j 2` (neither read nor written);

each as a whole command (interpreter start included, output to /dev/null), with the peak memory of the whole
process tree (the sum of the RSS of the command and every process under it, sampled from /proc every 20 ms:
the fork pool's workers count). Prints a table with the targets of issue 15 (warm < 10 s at 20,000; cold at most
1.2× the floor; peak < 500 MB at 20,000) and writes benchmarks/out/scale-check-<name>.json.
Say the machine's load (`uptime`) with the figures: on a shared machine they move with it.

    python benchmarks/bench_scale_check.py --data /work/bench/n1000 --data /work/bench/n5000
    python benchmarks/bench_scale_check.py -n 200 [--format json] [--no-j1]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TODAY = "2026-11-23"

FLOOR = """
import os, sys, yaml
n = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as handle:
                yaml.load(handle, Loader=yaml.CSafeLoader)
            n += 1
print(n)
"""


def _tree_rss(root: int) -> int:
    """The RSS in bytes of process ROOT and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1]: the parent's pid
        rss[pid] = int(fields[21]) * page                     # fields[21]: resident pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run(command: list[str], env: dict[str, str]) -> dict:
    """Wall time, exit code and peak process-tree RSS of COMMAND (its output discarded)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode("utf-8", "replace")
    if process.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{error[-2000:]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(peak / 2 ** 20, 1), "exit": process.returncode}


def measure(data: Path, fmt: str, with_j1: bool) -> dict:
    env = dict(os.environ, BEIAN_TODAY=TODAY, PYTHONPATH=str(ROOT))
    env.pop("BEIAN_NO_CACHE", None)
    check = [sys.executable, "-m", "generator", "check", str(data), "-f", fmt]
    count = sum(1 for p in data.iterdir() if p.is_dir())
    # The floor twice, the better taken: the first pass may read the files from disk, which the checks after it
    # (page cache warm) would not have to; a floor inflated by disk reads would flatter every ratio.
    floors = [run([sys.executable, "-c", FLOOR, str(data)], env) for _ in range(2)]
    figures: dict[str, dict] = {"floor": min(floors, key=lambda f: f["seconds"])}
    with tempfile.TemporaryDirectory(prefix="beian-scale-cache-") as scratch:
        def fresh(name: str) -> dict:
            cache = Path(scratch) / name
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir()
            return dict(env, BEIAN_CACHE_DIR=str(cache))

        cold_env = fresh("j2")
        figures["cold -j 2"] = run(check + ["-j", "2"], cold_env)
        warm = [run(check, cold_env) for _ in range(2)]
        figures["warm"] = min(warm, key=lambda f: f["seconds"]) | {"peak_mb": max(f["peak_mb"] for f in warm)}
        if with_j1:
            figures["cold -j 1"] = run(check + ["-j", "1"], fresh("j1"))
            figures["warm -j 1"] = run(check + ["-j", "1"], cold_env)
        figures["no-cache -j 2"] = run(check + ["--no-cache", "-j", "2"], fresh("none"))
    floor = figures["floor"]["seconds"]
    return {"data": str(data), "institutions": count, "format": fmt, "figures": figures,
            "cold_over_floor": round(figures["cold -j 2"]["seconds"] / floor, 2),
            "load": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "cpus": os.cpu_count(), "python": sys.version.split()[0]}


def show(result: dict) -> None:
    n, figures = result["institutions"], result["figures"]
    print(f"\n{result['data']}: {n} 个机构，--format {result['format']}，{result['date']}，"
          f"{result['cpus']} 核，负载 {' '.join(f'{x:.2f}' for x in result['load'])}")
    print(f"{'':<16}{'秒':>9}{'每机构 ms':>11}{'峰值 MB（进程树）':>20}")
    for name, f in figures.items():
        print(f"{name:<16}{f['seconds']:>9.2f}{f['seconds'] / n * 1000:>11.2f}{f['peak_mb']:>20.1f}")
    warm_20k = figures["warm"]["seconds"] / n * 20000
    print(f"冷/解析下限 {result['cold_over_floor']}（目标 ≤ 1.2）；热检查按比例折算 20000 个：{warm_20k:.1f} s（目标 < 10 s）；"
          f"峰值 {max(f['peak_mb'] for k, f in figures.items() if k != 'floor'):.0f} MB（20000 个的目标 < 500 MB）")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", action="append", default=[], type=Path, help="an existing synthetic register")
    parser.add_argument("-n", type=int, action="append", default=[], help="generate N institutions (temporary)")
    parser.add_argument("--format", default="text", help="output format of the checks (default text)")
    parser.add_argument("--no-j1", action="store_true", help="skip the one-process runs")
    args = parser.parse_args()
    if not args.data and not args.n:
        args.n = [200]
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for data in args.data:
        results.append(measure(data.resolve(), args.format, not args.no_j1))
        show(results[-1])
    for count in args.n:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from synthetic import generate

        with tempfile.TemporaryDirectory(prefix="beian-scale-") as folder:
            generate(Path(folder), count=count, seed=20261123)
            results.append(measure(Path(folder), args.format, not args.no_j1))
            show(results[-1])
    for result in results:
        name = f"scale-check-n{result['institutions']}-{result['format']}.json"
        (OUT / name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
